// A DRM client of one device: its file, BOs and submits, as userspace would drive the ioctls.
// Used from one thread, bound as a client context (free-running or under the controller).
package ethosu.bench.kernel;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.NativeDevice;
import ethosu.bench.bindings.gen.drm_ethosu_job;
import ethosu.bench.bindings.gen.drm_ethosu_submit;
import ethosu.bench.bindings.gen.ebench_cmdstream_info;
import ethosu.bench.bindings.gen.ethosu_bench_h;
import ethosu.bench.check.Checker;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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

    private final Checker checker;
    private final NativeDevice nat;
    private final MemorySegment ctx;
    private final MemorySegment file;
    private final boolean ownsContext;
    private final Arena arena = Arena.ofConfined();

    /** Binds the calling thread as client context id and opens a file. */
    Client(NativeDevice nat, int id, Checker checker) {
        this(nat, nat.bind(EthosuLibrary.CTX_CLIENT, id), checker, true);
    }

    /** Opens a file on an already bound client context (the controller's client threads). */
    public Client(NativeDevice nat, MemorySegment ctx, Checker checker, boolean ownsContext) {
        this(nat, ctx, checker, ownsContext, open(nat, ctx, ownsContext));
    }

    private Client(NativeDevice nat, MemorySegment ctx, Checker checker, boolean ownsContext, MemorySegment file) {
        this.checker = checker;
        this.nat = nat;
        this.ctx = ctx;
        this.ownsContext = ownsContext;
        this.file = file;
    }

    private static MemorySegment open(NativeDevice nat, MemorySegment ctx, boolean ownsContext) {
        int[] ret = new int[1];
        MemorySegment f = nat.fileOpen(ctx, ret);
        if (f.equals(MemorySegment.NULL)) {
            if (ownsContext) nat.unbind(ctx);
            throw new IllegalStateException("open failed: " + ret[0]);
        }
        return f;
    }

    /** Opens a file on a bound client context; null with ret[0] the open's errno if it failed. */
    public static Client tryOpen(NativeDevice nat, MemorySegment ctx, Checker checker, int[] ret) {
        MemorySegment f = nat.fileOpen(ctx, ret);
        return f.equals(MemorySegment.NULL) ? null : new Client(nat, ctx, checker, false, f);
    }

    /** A plain BO of size bytes; its handle (> 0) or a negative errno. */
    public int createBo(long size) {
        return nat.boCreate(ctx, file, size);
    }

    /** A command-stream BO; its handle or a negative errno. */
    public int createCmdBo(Stream s) {
        MemorySegment words = arena.allocateFrom(ValueLayout.JAVA_INT, s.words());
        MemorySegment info = ebench_cmdstream_info.allocate(arena);
        ebench_cmdstream_info.cmd_size(info, s.cmdSize());
        for (int i = 0; i < REGIONS; i++) {
            ebench_cmdstream_info.region_size(info, i, s.regionSize()[i]);
            ebench_cmdstream_info.output_region(info, i, s.outputRegion()[i]);
        }
        return nat.cmdBoCreate(ctx, file, words, s.words().length, info);
    }

    /** The BO's DMA address: for a command-stream BO, the job id (QBASE). */
    public long dmaAddr(int handle) {
        return nat.boDmaAddr(ctx, file, handle);
    }

    public int closeBo(int handle) {
        return nat.boClose(ctx, file, handle);
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
        try (Arena a = Arena.ofConfined()) {
            MemorySegment arr = drm_ethosu_job.allocateArray(Math.max(1, jobs.length), a);
            for (int i = 0; i < jobs.length; i++) {
                MemorySegment job = drm_ethosu_job.asSlice(arr, i);
                drm_ethosu_job.cmd_bo(job, jobs[i].cmdBo());
                drm_ethosu_job.sram_size(job, jobs[i].sramSize());
                for (int r = 0; r < REGIONS; r++)
                    drm_ethosu_job.region_bo_handles(job, r, jobs[i].regionHandles()[r]);
            }
            MemorySegment args = drm_ethosu_submit.allocate(a);
            // an address no process maps: copy_from_user fails with -EFAULT
            drm_ethosu_submit.jobs(args, badPointer ? 0x10L : arr.address());
            drm_ethosu_submit.job_count(args, jobCount);
            drm_ethosu_submit.pad(args, pad);
            // expect before the ioctl: a fast job may finish before submit returns
            long[] ids = new long[jobs.length];
            for (int i = 0; i < jobs.length; i++) ids[i] = dmaAddr(jobs[i].cmdBo());
            int ret = nat.submit(ctx, file, args);
            if (ret == 0)
                for (long idv : ids) if (idv != 0) checker.expect(idv, String.format("job 0x%x", idv));
            return ret;
        }
    }

    /** Test-only: two bench mutexes taken in the given order, for the deadlock detector's test. */
    public void selftestLockOrder(int order) {
        nat.selftestLockOrder(ctx, order);
    }

    /** The process is killed (SIGKILL): the close that follows kills the jobs still queued. */
    public void killed() {
        nat.exiting(ctx, 9);
    }

    @Override
    public void close() {
        nat.fileClose(ctx, file);
        if (ownsContext) nat.unbind(ctx);
        arena.close();
    }
}
