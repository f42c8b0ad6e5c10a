// What a scheduling point does (enum ebench_point_kind); the values come from the generated bindings.
package ethosu.bench.event;

import ethosu.bench.bindings.gen.ethosu_bench_h;

public enum PointKind {
    MUTEX_LOCK(ethosu_bench_h.EBENCH_PT_MUTEX_LOCK()),
    MUTEX_UNLOCK(ethosu_bench_h.EBENCH_PT_MUTEX_UNLOCK()),
    SPIN_LOCK(ethosu_bench_h.EBENCH_PT_SPIN_LOCK()),
    SPIN_UNLOCK(ethosu_bench_h.EBENCH_PT_SPIN_UNLOCK()),
    READ_ONCE(ethosu_bench_h.EBENCH_PT_READ_ONCE()),
    WRITE_ONCE(ethosu_bench_h.EBENCH_PT_WRITE_ONCE()),
    READL(ethosu_bench_h.EBENCH_PT_READL()),
    WRITEL(ethosu_bench_h.EBENCH_PT_WRITEL()),
    FENCE_SIGNAL(ethosu_bench_h.EBENCH_PT_FENCE_SIGNAL()),
    FENCE_ADD_CB(ethosu_bench_h.EBENCH_PT_FENCE_ADD_CB()),
    FENCE_REMOVE_CB(ethosu_bench_h.EBENCH_PT_FENCE_REMOVE_CB()),
    QUEUE_WORK(ethosu_bench_h.EBENCH_PT_QUEUE_WORK()),
    CANCEL_WORK(ethosu_bench_h.EBENCH_PT_CANCEL_WORK()),
    FLUSH_WORK(ethosu_bench_h.EBENCH_PT_FLUSH_WORK()),
    WORK_START(ethosu_bench_h.EBENCH_PT_WORK_START()),
    WAKE(ethosu_bench_h.EBENCH_PT_WAKE()),
    TIME(ethosu_bench_h.EBENCH_PT_TIME()),
    SLEEP(ethosu_bench_h.EBENCH_PT_SLEEP()),
    IRQ(ethosu_bench_h.EBENCH_PT_IRQ()),
    OTHER(ethosu_bench_h.EBENCH_PT_OTHER()),
    CANCEL_WORK_SYNC(ethosu_bench_h.EBENCH_PT_CANCEL_WORK_SYNC());

    /** The C value. */
    public final int value;

    PointKind(int value) {
        this.value = value;
    }

    private static final PointKind[] BY_VALUE = Enums.index(values(), k -> k.value);

    /** The kind of a C value; null if it is not a point kind. */
    public static PointKind of(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    /** A register access: the point's object is the register's offset. */
    public boolean mmio() {
        return this == READL || this == WRITEL;
    }

    /** A lock operation: the object is the lock. */
    public boolean lock() {
        return this == MUTEX_LOCK || this == MUTEX_UNLOCK || this == SPIN_LOCK || this == SPIN_UNLOCK;
    }
}
