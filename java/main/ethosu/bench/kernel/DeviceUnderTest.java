// The device under test of one run, whatever implements it: the C of a variant (its library, through
// the FFM bindings) or the Java model of that variant. Both offer the same C API
// (include/ethosu_bench.h) and report to the same Hooks.Target, so the Harness, its platform, the
// fake NPU and the checks drive either the same way.
package ethosu.bench.kernel;

import ethosu.bench.bindings.NativeDevice;
import ethosu.bench.hw.RegisterFile;

import java.lang.foreign.MemorySegment;

public interface DeviceUnderTest {
    /** The register window the fake NPU keeps and the driver reads. */
    RegisterFile registers();

    /** ebench_ctx_bind: the calling thread is context id of kind (enum ebench_ctx_kind). */
    Context bind(int kind, int id);

    /** ebench_dev_probe, on a thread bound to the main context. */
    int probe();

    /** ebench_dev_remove: ethosu_job_fini(), then every context loop returns. */
    void remove();

    /** ebench_dev_check_leaks: each leak a finding; how many. */
    int checkLeaks();

    NativeDevice.Counters counters();

    /** The nth allocation from now on (1: the next) fails; 0: none. */
    void failAlloc(int nth);

    /**
     * Arms a forced failure (enum ebench_fault): the nth call from now on fails, counting only calls
     * from the function site (null: any). 0, or -EINVAL for an unknown fault.
     */
    default int fail(int fault, String site, int nth) {
        throw new UnsupportedOperationException("this engine does not force failures at kernel interfaces");
    }

    /** Frees the device; only after a run that ended. */
    void destroy();

    /**
     * The run ended with every context gone: the device may be reset and kept for the next run of
     * the same engine and configuration (the C's is), or freed.
     */
    default void release() {
        destroy();
    }

    /** A bound context. */
    interface Context {
        /** ebench_ctx_loop: a workqueue's or the IRQ thread's loop, until the device is removed. */
        int loop();

        /** ebench_hardirq: the line is raised; runs the primary handler. */
        int hardirq();

        /** ebench_file_open: null with ret[0] set when it fails. */
        File open(int[] ret);

        /** ebench_ctx_exiting: the process exits with exitCode (9: SIGKILL). */
        void exiting(int exitCode);

        /** Test-only lock-order inversion (ebench_selftest_lock_order). */
        int selftestLockOrder(int order);

        void unbind();

        /** The library's context handle, for its other C APIs (the scheduler mock); the C only. */
        MemorySegment handle();
    }

    /** An open DRM file of a client context. */
    interface File {
        /** A plain BO: its handle (> 0) or a negative errno. */
        int boCreate(long size);

        /** A command-stream BO: its handle or a negative errno. */
        int cmdBoCreate(Client.Stream s);

        /** The BO's DMA address (a command stream's: the job id), 0 if unknown. */
        long boDmaAddr(int handle);

        int boClose(int handle);

        /**
         * DRM_IOCTL_ETHOSU_SUBMIT: jobs in user memory, job_count and pad as given; badPointer
         * passes a jobs pointer no process maps.
         */
        int submit(Client.JobArgs[] jobs, int jobCount, int pad, boolean badPointer);

        void close();
    }
}
