// One broken invariant: which check, what kind of break, where it arises (the driver or shim function,
// or the callback and its object), the objects involved by role, the text a person reads, the context
// it was seen in, and where in the run's trace it was raised (the race diagram ends there).
package ethosu.bench.check;

import java.util.List;

/**
 * @param kind    what broke, within the check ("UAF", "lost-completion", "double-signal", ...)
 * @param site    where it arises: a function ("ethosu_job_timedout"), an operation on an object
 *                ("dma_fence_signal(done_fence)"), or the callback it was seen in ("irq_thread")
 * @param objects the objects involved, by role with job names left out ("job.finished", "in_flight_job")
 * @param at      the trace index it was raised at (the entries before it led there); -1 if unknown
 */
public record Finding(Check check, String kind, String site, List<String> objects, String text, String context,
                      long at) implements java.io.Serializable {
    /** The checks of every run (DESIGN.md, "Checks"); the title is what reports print. */
    public enum Check {
        FENCE_ONCE("finished fence signalled once"),
        IRQ_COMPLETES_RAN_JOB("IRQ completes the job the device ran"),
        IRQ_SIGNALS_COMPLETION("an IRQ thread run signals the completed job"),
        LIVENESS("every job finishes"),
        COMPLETION_REPORTED("a job the device completed finishes with 0"),
        USE_AFTER_FREE("no use after free"),
        LEAK("nothing left at teardown"),
        DEVICE_PROTOCOL("device protocol"),
        ATOMIC_SLEEP("no sleeping in atomic context"),
        KERNEL_WARNING("no kernel warning"),
        OOPS("no oops"),
        DEADLOCK("no deadlock"),
        SOFT_LOCKUP("no soft lockup"),
        CRASH("no native crash"),
        MEMORY_SAFETY("no out-of-bounds or invalid memory access"),
        UNDEFINED_BEHAVIOUR("no undefined behaviour"),
        BENCH("bench internal");

        public final String title;

        Check(String title) {
            this.title = title;
        }
    }

    public Finding {
        objects = List.copyOf(objects);
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
