// The model's linux/wait.h: wait queues and completions over the seam. A wait re-checks its
// condition after every wake, as the kernel's does; a wake is a scheduling point named after the
// queue's expression in the C ("wake_up(&sched->job_scheduled)").
package ethosu.bench.model;

import ethosu.bench.event.PointKind;
import ethosu.bench.event.WaitKind;

import java.util.function.BooleanSupplier;

public final class WaitQueue {
    private WaitQueue() {}

    /** wait_queue_head_t: a sequence word bumped on each wake. */
    public static final class WaitQueueHead {
        final Kshim.Word seq = new Kshim.Word();
    }

    /** struct completion */
    public static final class Completion {
        int done;
        final WaitQueueHead wait = new WaitQueueHead();
    }

    public static void init_waitqueue_head(WaitQueueHead wq) {
        wq.seq.value = 0;
    }

    static void __wake_up_all(WaitQueueHead wq) {
        wq.seq.value++;
        Kshim.wake(wq.seq);
    }

    /** wake_up_all(wq) and wake_up(wq); expr is the C argument's text. */
    public static void wake_up_all(WaitQueueHead wq, String expr) {
        Kshim.point(Kshim.label(PointKind.WAKE, "wake_up(" + expr + ")"), wq, 0);
        __wake_up_all(wq);
    }

    public static void wait_event(WaitQueueHead wq, BooleanSupplier cond, String expr) {
        Kshim.might_sleep("wait_event(" + expr + ")");
        for (;;) {
            int s = wq.seq.value;
            if (cond.getAsBoolean()) break;
            Kshim.wait(wq.seq, s, Long.MAX_VALUE, Kshim.label(WaitKind.EVENT, "wait_event(" + expr + ")"));
        }
    }

    /** Returns 0 on timeout (cond false), else the remaining jiffies (>= 1). */
    public static long wait_event_timeout(WaitQueueHead wq, BooleanSupplier cond, long timeout, String expr) {
        long dl = Kshim.ktime_get() + Kshim.jiffies_to_nsecs(timeout);
        long ret = 0;
        Kshim.might_sleep("wait_event_timeout(" + expr + ")");
        for (;;) {
            int s = wq.seq.value;
            if (cond.getAsBoolean()) {
                long now = Kshim.ktime_get();
                ret = Long.compareUnsigned(now, dl) >= 0 ? 1 : Kshim.nsecs_to_jiffies(dl - now) + 1;
                break;
            }
            if (Kshim.wait(wq.seq, s, dl, Kshim.label(WaitKind.EVENT, "wait_event_timeout(" + expr + ")")) != 0
                    && !cond.getAsBoolean())
                break;
        }
        return ret;
    }

    public static void init_completion(Completion x) {
        x.done = 0;
        init_waitqueue_head(x.wait);
    }

    static void __complete_all(Completion x) {
        x.done = 1;
        __wake_up_all(x.wait);
    }

    /** complete_all(x); expr is the C argument's text. */
    public static void complete_all(Completion x, String expr) {
        Kshim.point(Kshim.label(PointKind.WAKE, "complete_all(" + expr + ")"), x, 0);
        __complete_all(x);
    }

    /** reinit_completion: run-job work re-arms it. */
    public static void reinit_completion(Completion x) {
        x.done = 0;
    }

    /** wait_for_completion(x): wait_event((x)->wait, done), the label as the macro expands it. */
    public static void wait_for_completion(Completion x, String expr) {
        wait_event(x.wait, () -> x.done != 0, "(" + expr + ")->wait");
    }
}
