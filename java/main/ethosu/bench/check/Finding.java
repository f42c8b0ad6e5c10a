// One broken invariant: which check, what happened, and in which context it was seen.
package ethosu.bench.check;

public record Finding(Check check, String text, String context) {
    /** The checks of every run (DESIGN.md, "Checks"); the name is what reports print. */
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
        CRASH("no native crash"),
        BENCH("bench internal");

        public final String title;

        Check(String title) {
            this.title = title;
        }
    }

    @Override
    public String toString() {
        return "[" + check.title + "] " + text + (context == null || context.isEmpty() ? "" : " (" + context + ")");
    }
}
