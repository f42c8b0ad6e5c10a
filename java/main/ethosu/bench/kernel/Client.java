// A DRM client of one device under test (the C or the model): its file, BOs and submits, as userspace
// would drive the ioctls. Used from one thread, bound as a client context (free-running or under control).
package ethosu.bench.kernel;

import ethosu.bench.bindings.gen.ethosu_bench_h;
import ethosu.bench.check.Checks;

public final class Client implements AutoCloseable {
    /** Regions of a job (EBENCH_REGIONS, NPU_BASEP_REGION_MAX). */
    public static final int REGIONS = ethosu_bench_h.EBENCH_REGIONS();

    /** A command stream: words plus what validation would have recorded about it. */
    public record Stream(int[] words, int cmdSize, long[] regionSize, boolean[] outputRegion) {
        /** n NOPs then STOP: uses no region. */
        public static Stream simple(int nops) {
            int[] w = new int[nops + 1];
            for (int i = 0; i < nops; i++) w[i] = 0x0005; // an opcode that is not STOP
            w[nops] = 0xffff0000;
            return new Stream(w, w.length * 4, new long[REGIONS], new boolean[REGIONS]);
        }

        public Stream withRegion(int region, long size, boolean output) {
            long[] rs = regionSize.clone();
            boolean[] out = outputRegion.clone();
            rs[region] = size;
            out[region] = output;
            return new Stream(words, cmdSize, rs, out);
        }

        public Stream withCmdSize(int bytes) {
            return new Stream(words, bytes, regionSize, outputRegion);
        }
    }

    /** One entry of the submit ioctl's job array. */
    public record JobArgs(int cmdBo, int sramSize, int[] regionHandles) {
        public static JobArgs of(int cmdBo) {
            return new JobArgs(cmdBo, 0, new int[REGIONS]);
        }

        public JobArgs withRegion(int region, int handle) {
            int[] h = regionHandles.clone();
            h[region] = handle;
            return new JobArgs(cmdBo, sramSize, h);
        }

        public JobArgs withSram(int bytes) {
            return new JobArgs(cmdBo, bytes, regionHandles);
        }
    }

    private final Checks checks;
    private final DeviceUnderTest.Context ctx;
    private final DeviceUnderTest.File file;
    private final boolean ownsContext;

    /** Opens a file on an already bound client context (the controller's client threads). */
    public Client(DeviceUnderTest.Context ctx, Checks checks, boolean ownsContext) {
        this(ctx, checks, ownsContext, open(ctx, ownsContext));
    }

    private Client(DeviceUnderTest.Context ctx, Checks checks, boolean ownsContext, DeviceUnderTest.File file) {
        this.checks = checks;
        this.ctx = ctx;
        this.ownsContext = ownsContext;
        this.file = file;
    }

    private static DeviceUnderTest.File open(DeviceUnderTest.Context ctx, boolean ownsContext) {
        int[] ret = new int[1];
        DeviceUnderTest.File f = ctx.open(ret);
        if (f == null) {
            if (ownsContext) ctx.unbind();
            throw new IllegalStateException("open failed: " + ret[0]);
        }
        return f;
    }

    /** Opens a file on a bound client context; null with ret[0] the open's errno if it failed. */
    public static Client tryOpen(DeviceUnderTest.Context ctx, Checks checks, int[] ret) {
        DeviceUnderTest.File f = ctx.open(ret);
        return f == null ? null : new Client(ctx, checks, false, f);
    }

    /** A plain BO of size bytes; its handle (> 0) or a negative errno. */
    public int createBo(long size) {
        return file.boCreate(size);
    }

    /** A command-stream BO; its handle or a negative errno. */
    public int createCmdBo(Stream s) {
        return file.cmdBoCreate(s);
    }

    /** The BO's DMA address: for a command-stream BO, the job id (QBASE). */
    public long dmaAddr(int handle) {
        return file.boDmaAddr(handle);
    }

    public int closeBo(int handle) {
        return file.boClose(handle);
    }

    /** DRM_IOCTL_ETHOSU_SUBMIT with these jobs; the ioctl's result. Successful jobs are expected to finish. */
    public int submit(JobArgs... jobs) {
        return submitRaw(jobs, jobs.length, 0, false);
    }

    /**
     * The ioctl with explicit job_count and pad; badPointer passes an unmapped jobs pointer.
     * Jobs are expected to finish only when the whole ioctl returned 0.
     */
    public int submitRaw(JobArgs[] jobs, int jobCount, int pad, boolean badPointer) {
        // expect before the ioctl: a fast job may finish before submit returns
        long[] ids = new long[jobs.length];
        for (int i = 0; i < jobs.length; i++) ids[i] = dmaAddr(jobs[i].cmdBo());
        int ret = file.submit(jobs, jobCount, pad, badPointer);
        if (ret == 0)
            for (long idv : ids) if (idv != 0) checks.expect(idv);
        return ret;
    }

    /** Test-only: two bench mutexes taken in the given order, for the deadlock detector's test. */
    public void selftestLockOrder(int order) {
        ctx.selftestLockOrder(order);
    }

    /** The process is killed (SIGKILL): the close that follows kills the jobs still queued. */
    public void killed() {
        ctx.exiting(9);
    }

    @Override
    public void close() {
        file.close();
        if (ownsContext) ctx.unbind();
    }
}
