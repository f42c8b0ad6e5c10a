// One broken invariant: which check, what kind of break, where it arises (the driver or shim function,
// or the callback and its object), the objects involved by role, the text a person reads, the context
// it was seen in, where in the run's trace it was raised (the race diagram ends there), and the
// functions it happened in (what a baseline entry's `in` line names).
package ethosu.bench.check;

import java.util.List;

/**
 * @param kind    what broke, within the check ("UAF", "lost-completion", "double-signal", ...)
 * @param site    where it arises: a function ("ethosu_job_timedout"), an operation on an object
 *                ("dma_fence_signal(done_fence)"), or the callback it was seen in ("irq_thread")
 * @param objects the objects involved, by role with job names left out ("job.finished", "in_flight_job")
 * @param at      the trace index it was raised at (the entries before it led there); -1 if unknown
 * @param where   the functions it happened in, innermost first: the function of its site, then the
 *                driver callbacks, work items and IRQ handlers its context was inside ("dma_fence_signal",
 *                "irq_thread"); the same in every build of the same code, whatever the variant's name
 * @param earlier what the same run had reported before it, as "CHECK text" (a follow-on is known by its cause)
 */
public record Finding(Check check, String kind, String site, List<String> objects, String text, String context,
                      long at, List<String> where, List<String> earlier) implements java.io.Serializable {
    /** The checks of every run (DESIGN.md, "Checks"); the title is what reports print. */
    public enum Check {
        FENCE_ONCE("finished fence signalled once"),
        IRQ_COMPLETES_RAN_JOB("IRQ completes the job the device ran"),
        IRQ_SIGNALS_COMPLETION("an IRQ thread run signals the completed job"),
        LIVENESS("every job finishes"),
        COMPLETION_REPORTED("a job the device completed finishes with 0"),
        SUBMIT_ACCEPTED("a valid submit is accepted"),
        USE_AFTER_FREE("no use after free"),
        LEAK("nothing left at teardown"),
        DEVICE_PROTOCOL("device protocol"),
        ATOMIC_SLEEP("no sleeping in atomic context"),
        KERNEL_WARNING("no kernel warning"),
        OOPS("no oops"),
        KERNEL_CONVENTION("returns follow the kernel's conventions"),
        DEADLOCK("no deadlock"),
        SOFT_LOCKUP("no soft lockup"),
        CRASH("no native crash"),
        MEMORY_SAFETY("no out-of-bounds or invalid memory access"),
        UNDEFINED_BEHAVIOUR("no undefined behaviour"),
        SUBMIT_REFUSED("a bad submit is refused with its errno"),
        BENCH("bench internal");

        public final String title;

        Check(String title) {
            this.title = title;
        }
    }

    public Finding {
        objects = List.copyOf(objects);
        where = List.copyOf(where);
        earlier = List.copyOf(earlier);
    }

    /** A finding that knows no more of where it happened than its site. */
    public Finding(Check check, String kind, String site, List<String> objects, String text, String context, long at) {
        this(check, kind, site, objects, text, context, at, functionOf(site) == null ? List.of() : List.of(functionOf(site)),
                List.of());
    }

    /** The C function a site names: "dma_fence_signal(done_fence)" -> "dma_fence_signal"; null for none ("client-0"). */
    public static String functionOf(String site) {
        if (site == null) return null;
        int paren = site.indexOf('(');
        String f = (paren >= 0 ? site.substring(0, paren) : site).strip();
        return f.matches("[A-Za-z_][A-Za-z0-9_]*") ? f : null;
    }

    /** A finding of the bench itself or with nothing more to say than its text. */
    public static Finding of(Check check, String text, String context) {
        return new Finding(check, check.name(), "", List.of(), text, context, -1);
    }

    /**
     * The identity of a finding across schedules and implementations: check, kind, site and objects;
     * never numbers, addresses or job names, so one race found by many schedules is one finding.
     */
    public String identity() {
        return check + "/" + kind + (site.isEmpty() ? "" : " at " + site) + (objects.isEmpty() ? "" : " " + objects);
    }

    @Override
    public String toString() {
        return "[" + check.title + "] " + text + (context == null || context.isEmpty() ? "" : " (" + context + ")");
    }
}
