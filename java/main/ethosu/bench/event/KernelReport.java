// What the shims report as the kernel would: a warning, an oops, a use after free, a leak ... with
// the site it arises at (the driver or shim function, or the operation and its object).
package ethosu.bench.event;

import ethosu.bench.bindings.gen.ethosu_bench_h;

/** @param job the job in whose run_job it happened, 0 if none */
public record KernelReport(int ctx, Kind kind, String site, long job, String text) implements Event {
    /** enum ebench_finding */
    public enum Kind {
        WARN(ethosu_bench_h.EBENCH_F_WARN()),
        OOPS(ethosu_bench_h.EBENCH_F_OOPS()),
        UAF(ethosu_bench_h.EBENCH_F_UAF()),
        DOUBLE_FREE(ethosu_bench_h.EBENCH_F_DOUBLE_FREE()),
        REFCOUNT(ethosu_bench_h.EBENCH_F_REFCOUNT()),
        LEAK(ethosu_bench_h.EBENCH_F_LEAK()),
        ATOMIC_SLEEP(ethosu_bench_h.EBENCH_F_ATOMIC_SLEEP()),
        FENCE(ethosu_bench_h.EBENCH_F_FENCE()),
        DEADLOCK(ethosu_bench_h.EBENCH_F_DEADLOCK()),
        DEVICE(ethosu_bench_h.EBENCH_F_DEVICE()),
        JOB(ethosu_bench_h.EBENCH_F_JOB()),
        CONVENTION(ethosu_bench_h.EBENCH_F_CONVENTION()),
        /** A value the bindings do not know: a library newer than them. */
        UNKNOWN(0);

        public final int value;

        Kind(int value) {
            this.value = value;
        }

        private static final Kind[] BY_VALUE = Enums.index(values(), k -> k.value);

        public static Kind of(int value) {
            Kind k = value > 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
            return k == null ? UNKNOWN : k;
        }
    }
}
