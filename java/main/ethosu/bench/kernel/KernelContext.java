// The fixed kernel contexts of one device (DESIGN.md, "Execution contexts"): the same ids, kinds
// and names whether the device runs free or under the controller. Clients are numbered apart.
package ethosu.bench.kernel;

import static ethosu.bench.bindings.EthosuLibrary.*;

public enum KernelContext {
    MAIN(0, CTX_MAIN, "main"),
    SUBMIT_WQ(1, CTX_SUBMIT_WQ, "submit_wq"),
    TIMEOUT_WQ(2, CTX_TIMEOUT_WQ, "timeout_wq"),
    SYSTEM_WQ(3, CTX_SYSTEM_WQ, "system_wq"),
    HARDIRQ(4, CTX_HARDIRQ, "hardirq"),
    IRQ_THREAD(5, CTX_IRQ_THREAD, "irq/ethosu"),
    /** The fake device: a thread when free-running, a choice of the controller otherwise. */
    NPU(6, CTX_NPU, "npu"),
    /** system_wq's second worker: different items of an unordered queue run at once. */
    SYSTEM_WQ_1(7, CTX_SYSTEM_WQ, "system_wq/1");

    /** The caller's number for the context (trace, checks). */
    public final int id;
    /** enum ebench_ctx_kind */
    public final int kind;
    public final String title;

    KernelContext(int id, int kind, String title) {
        this.id = id;
        this.kind = kind;
        this.title = title;
    }

    /** A context whose body is the library's loop (ebench_ctx_loop): workqueues and the IRQ thread. */
    public boolean runsLoop() {
        return this == SUBMIT_WQ || this == TIMEOUT_WQ || this == SYSTEM_WQ || this == SYSTEM_WQ_1
                || this == IRQ_THREAD;
    }
}
