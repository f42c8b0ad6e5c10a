// A context the watchdog found stuck: one that kept its CPU without reaching a scheduling point (a
// soft lockup), or one blocked inside the driver while the device made no progress (a hung task),
// with the C frames it was found in, as the kernel's watchdogs report them.
package ethosu.bench.check;

import java.util.List;

/**
 * @param context   the context's name ("irq/ethosu")
 * @param seconds   CPU seconds it spun (soft lockup) or seconds it was blocked (hung task)
 * @param site      the driver function it is in (its innermost frame in driver code), else the innermost
 * @param frames    its C frames, innermost first ("ethosu_job_handle_irq (ethosu_job.c:221)")
 * @param lastPoint where it last reached a scheduling point, or null when unknown (free-running)
 */
public record Lockup(Kind kind, String context, long seconds, String site, List<String> frames, String lastPoint) {
    public enum Kind { SOFT_LOCKUP, HUNG_TASK }

    public Lockup {
        frames = List.copyOf(frames);
    }

    /** The report, in the words of the kernel's watchdogs (kernel/watchdog.c, kernel/hung_task.c). */
    public String text() {
        String at = frames.isEmpty() ? "" : " at " + String.join(" < ", frames);
        return switch (kind) {
            case SOFT_LOCKUP -> "watchdog: BUG: soft lockup - stuck for " + seconds + "s! [" + context + "] "
                    + "(CPU time without a scheduling point)" + at
                    + (lastPoint == null ? "" : "; its last scheduling point: " + lastPoint);
            case HUNG_TASK -> "INFO: task " + context + " blocked for more than " + seconds + " seconds." + at;
        };
    }
}
