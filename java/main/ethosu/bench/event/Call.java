// The calls a CallStart/CallEnd pair brackets (enum ebench_call): driver callbacks, work items, IRQ
// handlers, PM callbacks. Intervals nest: run_job inside the run-job work item.
package ethosu.bench.event;

import ethosu.bench.bindings.gen.ethosu_bench_h;

public enum Call {
    RUN_JOB(ethosu_bench_h.EBENCH_CALL_RUN_JOB(), "run_job"),
    TIMEDOUT_JOB(ethosu_bench_h.EBENCH_CALL_TIMEDOUT_JOB(), "timedout_job"),
    FREE_JOB(ethosu_bench_h.EBENCH_CALL_FREE_JOB(), "free_job"),
    CANCEL_JOB(ethosu_bench_h.EBENCH_CALL_CANCEL_JOB(), "cancel_job"),
    WORK(ethosu_bench_h.EBENCH_CALL_WORK(), "work"),
    IRQ_HANDLER(ethosu_bench_h.EBENCH_CALL_IRQ_HANDLER(), "irq_handler"),
    IRQ_THREAD(ethosu_bench_h.EBENCH_CALL_IRQ_THREAD(), "irq_thread"),
    RUNTIME_RESUME(ethosu_bench_h.EBENCH_CALL_RUNTIME_RESUME(), "runtime_resume"),
    RUNTIME_SUSPEND(ethosu_bench_h.EBENCH_CALL_RUNTIME_SUSPEND(), "runtime_suspend");

    public final int value;
    /** The name reports use ("run_job", "timedout_job"; a work item goes by its function's name). */
    public final String title;

    Call(int value, String title) {
        this.value = value;
        this.title = title;
    }

    private static final Call[] BY_VALUE = Enums.index(values(), c -> c.value);

    /** The call of a C value; null if unknown. */
    public static Call of(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    /** A driver callback of the scheduler's backend ops. */
    public boolean backendOp() {
        return this == RUN_JOB || this == TIMEDOUT_JOB || this == FREE_JOB || this == CANCEL_JOB;
    }
}
