// The model's bench.c: the same C API a variant library offers (include/ethosu_bench.h), on the
// Java model of that variant: device lifetime, context binding and loops, files, BOs, submit. It
// reports to the same Hooks.Target a library calls and is a DeviceUnderTest, so the Harness drives
// either the same way.
package ethosu.bench.model;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.Hooks;
import ethosu.bench.bindings.NativeDevice;
import ethosu.bench.event.KernelReport;
import ethosu.bench.hw.RegisterFile;
import ethosu.bench.kernel.Client;
import ethosu.bench.kernel.DeviceUnderTest;

import java.lang.foreign.MemorySegment;

public final class ModelDevice implements DeviceUnderTest {
    /** What ebench_dev_create needs besides the hooks: the variant, the NPU's ID/CONFIG, SRAM, trace level. */
    public record Config(String variant, int npuId, int npuConfig, int sramSize, int traceLevel) {}

    /** The device's IRQ number (EBENCH_IRQ). */
    static final int EBENCH_IRQ = 42;

    private static final String[] CTX_NAMES = {"main", "client", "submit_wq", "timeout_wq", "system_wq", "hardirq",
            "irq/ethosu", "npu"};

    public final Config cfg;
    public final EthosuJob driver;
    final Kdev kd;
    private final RegisterFile regs;

    /**
     * ebench_dev_create: regs is the register file the fake NPU keeps (the model writes ID and
     * CONFIG there first, as the C glue does).
     *
     * @throws IllegalArgumentException if the model has no counterpart for the variant
     */
    public ModelDevice(Config cfg, Hooks.Target target, RegisterFile regs) {
        this.cfg = cfg;
        this.driver = EthosuJobVariants.of(cfg.variant());
        if (driver == null)
            throw new IllegalArgumentException("the model has no counterpart for variant " + cfg.variant()
                    + " (it models: " + String.join(", ", EthosuJobVariants.modelled()) + ")");
        this.regs = regs;
        kd = new Kdev(target, cfg.traceLevel(), regs);
        kd.pdev.irq = EBENCH_IRQ;
        kd.wq[EthosuLibrary.CTX_SYSTEM_WQ] = Workqueue.kshim_wq_create(kd, EthosuLibrary.CTX_SYSTEM_WQ, 0, "events");
        kd.wq[EthosuLibrary.CTX_TIMEOUT_WQ] = Workqueue.kshim_wq_create(kd, EthosuLibrary.CTX_TIMEOUT_WQ, 0, "events_tdr");
        Drv.glue_alloc_device(kd, cfg.npuId(), cfg.npuConfig());
    }

    @Override
    public RegisterFile registers() {
        return regs;
    }

    /** ebench_ctx_bind: the calling thread is context id of kind. */
    @Override
    public ModelContext bind(int kind, int id) {
        return new ModelContext(bindCtx(kind, id));
    }

    Kshim.Ctx bindCtx(int kind, int id) {
        String name = kind == EthosuLibrary.CTX_CLIENT ? "client-" + id : CTX_NAMES[kind];
        Kshim.Ctx c = new Kshim.Ctx(kd, kind, id, name);
        Kshim.bind(c);
        // a thread is reused for other contexts: nothing of the last one's "current" survives
        c.exit_code = 0;
        return c;
    }

    public void unbind(Kshim.Ctx c) {
        if (Kshim.cur() == c) Kshim.bind(null);
    }

    /** A bound context of the model. */
    public final class ModelContext implements DeviceUnderTest.Context {
        public final Kshim.Ctx ctx;

        ModelContext(Kshim.Ctx ctx) {
            this.ctx = ctx;
        }

        @Override
        public int loop() {
            return ModelDevice.this.loop(ctx);
        }

        @Override
        public int hardirq() {
            return ModelDevice.this.hardirq(ctx);
        }

        @Override
        public DeviceUnderTest.File open(int[] ret) {
            Gem.EbenchFile f = fileOpen(ctx, ret);
            return f == null ? null : new ModelFile(ctx, f);
        }

        @Override
        public void exiting(int exitCode) {
            ModelDevice.this.exiting(ctx, exitCode);
        }

        @Override
        public int selftestLockOrder(int order) {
            return ModelDevice.this.selftestLockOrder(ctx, order);
        }

        @Override
        public void unbind() {
            ModelDevice.this.unbind(ctx);
        }

        @Override
        public MemorySegment handle() {
            throw new UnsupportedOperationException("the model has no native context handle");
        }
    }

    /** An open file of the model; user memory is the jobs given. */
    private final class ModelFile implements DeviceUnderTest.File {
        final Kshim.Ctx ctx;
        final Gem.EbenchFile file;

        ModelFile(Kshim.Ctx ctx, Gem.EbenchFile file) {
            this.ctx = ctx;
            this.file = file;
        }

        @Override
        public int boCreate(long size) {
            return ModelDevice.this.boCreate(ctx, file, size);
        }

        @Override
        public int cmdBoCreate(Client.Stream s) {
            return ModelDevice.this.cmdBoCreate(ctx, file, s.words().clone(),
                    new Gem.Info(s.cmdSize(), s.regionSize().clone(), s.outputRegion().clone()));
        }

        @Override
        public long boDmaAddr(int handle) {
            return ModelDevice.this.boDmaAddr(ctx, file, handle);
        }

        @Override
        public int boClose(int handle) {
            return ModelDevice.this.boClose(ctx, file, handle);
        }

        @Override
        public int submit(Client.JobArgs[] jobs, int jobCount, int pad, boolean badPointer) {
            // the user memory holds at least one entry, as the C side's array does
            EthosuJob.DrmEthosuJob[] user = new EthosuJob.DrmEthosuJob[Math.max(1, jobs.length)];
            for (int i = 0; i < user.length; i++)
                user[i] = i < jobs.length ? new EthosuJob.DrmEthosuJob(jobs[i].cmdBo(), jobs[i].sramSize(),
                        jobs[i].regionHandles().clone()) : new EthosuJob.DrmEthosuJob(0, 0, new int[Client.REGIONS]);
            return ModelDevice.this.submit(ctx, file, badPointer ? null : user, jobCount, pad);
        }

        @Override
        public void close() {
            fileClose(ctx, file);
        }
    }

    private Kdev enter(Kshim.Ctx c) {
        Kshim.bind(c);
        return c.kd;
    }

    /** ebench_dev_probe, on a thread bound to the main context. */
    @Override
    public int probe() {
        return Drv.glue_probe(kd, driver, cfg.npuId(), cfg.npuConfig(), cfg.sramSize());
    }

    /** ebench_ctx_loop: a workqueue's or the IRQ thread's loop, until the device is removed. */
    public int loop(Kshim.Ctx c) {
        Kdev d = enter(c);
        int k = c.kind;
        if (k == EthosuLibrary.CTX_SUBMIT_WQ || k == EthosuLibrary.CTX_TIMEOUT_WQ || k == EthosuLibrary.CTX_SYSTEM_WQ)
            return Workqueue.kshim_wq_loop(d, k);
        if (k == EthosuLibrary.CTX_IRQ_THREAD) return Irq.kshim_irq_thread_loop(d);
        return -Kshim.EINVAL;
    }

    /** ebench_hardirq: the line is raised; runs the primary handler. */
    public int hardirq(Kshim.Ctx c) {
        return Irq.kshim_hardirq(enter(c));
    }

    /** ebench_dev_remove: ethosu_job_fini(), then stop every context loop. */
    @Override
    public void remove() {
        Drv.glue_remove(kd, driver);
        kd.stopping = true;
        for (int k = 0; k < kd.wq.length; k++)
            if (kd.wq[k] != null && k != EthosuLibrary.CTX_SUBMIT_WQ) Workqueue.kshim_wq_stop(kd.wq[k]);
        if (kd.wq[EthosuLibrary.CTX_SUBMIT_WQ] != null) Workqueue.kshim_wq_stop(kd.wq[EthosuLibrary.CTX_SUBMIT_WQ]);
        Kshim.waitq_wake(kd.wq_seq);
        Kshim.waitq_wake(kd.irq.seq);
    }

    /** ebench_dev_check_leaks: each leak a finding; the number found. */
    @Override
    public int checkLeaks() {
        int n = 0;
        if (kd.pdev.dev.power.usage_count != 0) {
            Kshim.finding(KernelReport.Kind.LEAK, "ebench_dev_check_leaks",
                    "runtime PM usage count is " + kd.pdev.dev.power.usage_count + " at teardown (expected 0)");
            n++;
        }
        if (kd.counters[Kdev.C_FENCES_LIVE] > 0) {
            Kshim.finding(KernelReport.Kind.LEAK, "ebench_dev_check_leaks",
                    kd.counters[Kdev.C_FENCES_LIVE] + " dma_fence(s) never released");
            n++;
        }
        if (kd.counters[Kdev.C_BOS_LIVE] > 0) {
            Kshim.finding(KernelReport.Kind.LEAK, "ebench_dev_check_leaks",
                    kd.counters[Kdev.C_BOS_LIVE] + " GEM object(s) never released");
            n++;
        }
        return n + Slab.report_leaks(kd);
    }

    /** ebench_dev_counters */
    @Override
    public NativeDevice.Counters counters() {
        long[] c = kd.counters;
        return new NativeDevice.Counters(c[Kdev.C_JOBS_LIVE], c[Kdev.C_FENCES_LIVE], c[Kdev.C_BOS_LIVE],
                kd.pdev.dev.power.usage_count, c[Kdev.C_SLAB_LIVE], c[Kdev.C_FINDINGS], c[Kdev.C_IRQS],
                c[Kdev.C_SPURIOUS], c[Kdev.C_RESETS], c[Kdev.C_JOBS_RUN], c[Kdev.C_JOBS_DONE], c[Kdev.C_POINTS]);
    }

    /** ebench_dev_fail_alloc: the nth allocation from now on (1: the next) fails; 0: none. */
    @Override
    public void failAlloc(int nth) {
        fail(Kshim.FAULT_ALLOC, null, nth);
    }

    /** ebench_dev_fail: the nth matching call of fault kind (from site, or any) fails; 0: none. */
    @Override
    public int fail(int fault, String site, int nth) {
        if (fault < 0 || fault >= Kshim.FAULTS || nth < 0) return -Kshim.EINVAL;
        Kdev.FaultArm f = kd.faults[fault];
        f.site = site != null ? site : "";
        f.nth = nth;
        return 0;
    }

    /** Nothing to free but memory. */
    @Override
    public void destroy() {}

    // ---- client entry points (the ctx must be a client context bound on the calling thread) ----

    /** Null with ret[0] set when the open fails. */
    public Gem.EbenchFile fileOpen(Kshim.Ctx c, int[] ret) {
        return Drv.glue_file_open(enter(c), driver, ret);
    }

    public void fileClose(Kshim.Ctx c, Gem.EbenchFile f) {
        Drv.glue_file_close(enter(c), driver, f);
    }

    public int boCreate(Kshim.Ctx c, Gem.EbenchFile f, long size) {
        enter(c);
        return Gem.glue_bo_create(f, size, null, null);
    }

    public int cmdBoCreate(Kshim.Ctx c, Gem.EbenchFile f, int[] words, Gem.Info info) {
        if (words == null || words.length == 0) return -Kshim.EINVAL;
        enter(c);
        return Gem.glue_bo_create(f, (long) words.length * 4, words, info);
    }

    public long boDmaAddr(Kshim.Ctx c, Gem.EbenchFile f, int handle) {
        enter(c);
        return Gem.glue_bo_dma_addr(f, handle);
    }

    /** The client's process is exiting with exit_code (9: SIGKILL): closing its file kills queued jobs. */
    public void exiting(Kshim.Ctx c, int exitCode) {
        enter(c);
        c.exit_code = exitCode;
    }

    public int boClose(Kshim.Ctx c, Gem.EbenchFile f, int handle) {
        enter(c);
        return Gem.drm_gem_handle_delete(f.file, handle);
    }

    /** DRM_IOCTL_ETHOSU_SUBMIT: jobs null stands for a jobs pointer no process maps. */
    public int submit(Kshim.Ctx c, Gem.EbenchFile f, EthosuJob.DrmEthosuJob[] jobs, int jobCount, int pad) {
        Kdev d = enter(c);
        int ret = driver.ethosu_ioctl_submit((EthosuDevice) d.drvdata, f.file, jobs, jobCount, pad);
        // glue_submit: an ioctl returns 0 or a negative errno
        if (ret > 0 || ret < -Kshim.MAX_ERRNO)
            Kshim.finding(KernelReport.Kind.CONVENTION, "glue_submit",
                    "DRM_IOCTL_ETHOSU_SUBMIT returned " + ret + ": an ioctl returns 0 or a negative errno");
        return ret;
    }

    /** Test-only lock-order inversion (not driver code), as ebench_selftest_lock_order. */
    public int selftestLockOrder(Kshim.Ctx c, int order) {
        Kdev d = enter(c);
        Locking.Mutex x = order != 0 ? d.selftest_b : d.selftest_a, y = order != 0 ? d.selftest_a : d.selftest_b;
        Locking.mutex_lock(x);
        Locking.mutex_lock(y);
        Locking.mutex_unlock(y);
        Locking.mutex_unlock(x);
        return 0;
    }
}
