// What a fence is to the scheduler (enum ebench_fence_role).
package ethosu.bench.event;

import ethosu.bench.bindings.gen.ethosu_bench_h;

public enum FenceRole {
    OTHER(ethosu_bench_h.EBENCH_FENCE_OTHER(), "fence"),
    SCHEDULED(ethosu_bench_h.EBENCH_FENCE_SCHEDULED(), "scheduled"),
    /** The job's result: its error is what userspace sees. */
    FINISHED(ethosu_bench_h.EBENCH_FENCE_FINISHED(), "finished"),
    /** The hardware fence run_job returned (ethosu: done_fence). */
    HW(ethosu_bench_h.EBENCH_FENCE_HW(), "hw_fence");

    public final int value;
    public final String title;

    FenceRole(int value, String title) {
        this.value = value;
        this.title = title;
    }

    private static final FenceRole[] BY_VALUE = Enums.index(values(), r -> r.value);

    public static FenceRole of(int value) {
        FenceRole r = value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
        return r == null ? OTHER : r;
    }
}
