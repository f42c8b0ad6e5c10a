// What a blocked context waits for (enum ebench_wait_kind, plus the waits the Java harness makes).
package ethosu.bench.event;

import ethosu.bench.bindings.gen.ethosu_bench_h;

public enum WaitKind {
    /** A workqueue context with no work. */
    IDLE_WORKER(ethosu_bench_h.EBENCH_WAIT_IDLE_WORKER(), true),
    /** The IRQ thread with no interrupt to handle. */
    IDLE_IRQ_THREAD(ethosu_bench_h.EBENCH_WAIT_IDLE_IRQ_THREAD(), true),
    LOCK(ethosu_bench_h.EBENCH_WAIT_LOCK(), false),
    /** cancel_*_sync or a flush: a work item or a queue to finish. */
    WORK(ethosu_bench_h.EBENCH_WAIT_WORK(), false),
    FENCE(ethosu_bench_h.EBENCH_WAIT_FENCE(), false),
    /** wait_event or a completion. */
    EVENT(ethosu_bench_h.EBENCH_WAIT_EVENT(), false),
    /** A sleep or a poll: only time ends it. */
    TIME(ethosu_bench_h.EBENCH_WAIT_TIME(), false),
    /** The hard-IRQ context with the line low (Java). */
    IRQ_LINE(-1, true),
    /** A client waiting for the device to be probed (Java). */
    PROBE(-1, true),
    /** Main, waiting until nothing else can happen (Java). */
    QUIESCENCE(-1, true),
    /** A test's main context polling a condition (Java). */
    POLL(-1, true);

    /** The C value; -1 for the waits only the Java harness makes. */
    public final int value;
    /** Waiting like this forever is not a deadlock: the context has nothing to do. */
    public final boolean idle;

    WaitKind(int value, boolean idle) {
        this.value = value;
        this.idle = idle;
    }

    private static final WaitKind[] BY_VALUE = Enums.index(
            java.util.Arrays.stream(values()).filter(k -> k.value >= 0).toArray(WaitKind[]::new), k -> k.value);

    /** The kind of a C value; null if it is not a wait kind. */
    public static WaitKind of(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }
}
