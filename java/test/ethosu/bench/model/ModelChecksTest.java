// The model's own checks, each fired on purpose in one context of a bare model device: what the C
// shims report for the same misuse, the model reports, with the same kind and text.
package ethosu.bench.model;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.Hooks;
import ethosu.bench.event.Event;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Wait;
import ethosu.bench.hw.RegisterFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ModelChecksTest {
    /** One context alone: points pass, nothing may block, time stands still. */
    static final class Solo implements Hooks.Target {
        final List<KernelReport> reports = new ArrayList<>();
        final List<Event> events = new ArrayList<>();

        @Override
        public void mmioWrite(int offset, int value) {}

        @Override
        public void event(Event e) {
            events.add(e);
            if (e instanceof KernelReport r) reports.add(r);
        }

        @Override
        public boolean await(Wait w) {
            throw new AssertionError("a lone context cannot block: " + w.label());
        }

        @Override
        public void upcallFailed(String hook, Throwable t) {
            throw new AssertionError(hook, t);
        }
    }

    Solo solo;
    ModelDevice dev;
    Kshim.Ctx ctx;

    @BeforeEach
    void bind() {
        solo = new Solo();
        RegisterFile regs = RegisterFile.wrap(Arena.ofAuto().allocate(4096, 8), Path.of("(test)"));
        dev = new ModelDevice(new ModelDevice.Config("locked", 0x10000000, 0, 0, 1), solo, regs);
        ctx = dev.bindCtx(EthosuLibrary.CTX_MAIN, 0);
    }

    @AfterEach
    void unbind() {
        dev.unbind(ctx);
    }

    KernelReport only(KernelReport.Kind kind) {
        List<KernelReport> rs = solo.reports.stream().filter(r -> r.kind() == kind).toList();
        assertEquals(1, rs.size(), "reports: " + solo.reports);
        return rs.get(0);
    }

    @Test
    void doubleFreeIsReported() {
        Slab.Buf b = Slab.kzalloc(8, Slab.GFP_KERNEL, "alloc_site", Slab.Buf::new);
        Slab.kfree(b, "first_free");
        assertTrue(solo.reports.isEmpty());
        Slab.kfree(b, "second_free");
        assertEquals("BUG: double free of an object of 8 bytes from alloc_site, freed in first_free, again in second_free",
                only(KernelReport.Kind.DOUBLE_FREE).text());
    }

    @Test
    void aFenceSignalledAfterItsReleaseIsAUseAfterFree() {
        Locking.Spinlock lock = new Locking.Spinlock("fence_lock");
        DmaFence f = Slab.kzalloc(88, Slab.GFP_KERNEL, "test", DmaFence::new);
        DmaFence.dma_fence_init(f, EthosuJob.ethosu_fence_ops, lock, 1, 1, "f");
        DmaFence.dma_fence_put(f, "f");
        DmaFence.dma_fence_signal(f, "job->done_fence");
        assertEquals("BUG: KASAN: slab-use-after-free in dma_fence_signal(done_fence): the fence was already freed",
                only(KernelReport.Kind.UAF).text());
    }

    @Test
    void aPointerReadFromAFreedJobIsPoison() {
        EthosuJob.Job job = Slab.kzalloc(312, Slab.GFP_KERNEL, "test", EthosuJob.Job::new);
        job.done_fence = new DmaFence();
        Slab.kfree(job, "test");
        assertSame(DmaFence.POISON, job.done_fence);
        DmaFence.dma_fence_signal(job.done_fence, "job->done_fence");
        assertEquals("BUG: KASAN: slab-use-after-free in dma_fence_signal(done_fence): fence pointer read from freed memory",
                only(KernelReport.Kind.UAF).text());
    }

    @Test
    void rcuFreedMemoryLastsUntilTheAtomicSectionEnds() {
        Locking.Spinlock lock = new Locking.Spinlock("l");
        Slab.Buf b = Slab.kzalloc(8, Slab.GFP_KERNEL, "test", Slab.Buf::new);
        Locking.spin_lock(lock);
        Slab.kfree_rcu(b, "test");
        assertFalse(b.poisoned, "freed inside the read-side section");
        Locking.spin_unlock(lock);
        assertTrue(b.poisoned, "not freed after the grace period");
    }

    @Test
    void takingAMutexTwiceIsARecursiveLock() {
        Locking.Mutex m = new Locking.Mutex("job_lock");
        Locking.mutex_lock(m);
        Locking.mutex_lock(m);
        assertEquals("possible recursive locking detected: main acquires mutex job_lock it already holds",
                only(KernelReport.Kind.DEADLOCK).text());
    }

    @Test
    void aMutexUnderASpinlockSleepsInAtomicContext() {
        Locking.Spinlock s = new Locking.Spinlock("fence_lock");
        Locking.Mutex m = new Locking.Mutex("job_lock");
        Locking.spin_lock(s);
        Locking.mutex_lock(m);
        assertEquals("BUG: sleeping function called from invalid context: mutex_lock in atomic context (main, 1 spinlock(s) held)",
                only(KernelReport.Kind.ATOMIC_SLEEP).text());
    }

    @Test
    void unlockingAMutexNotHeldWarns() {
        Locking.mutex_unlock(new Locking.Mutex("sched_lock"));
        assertEquals("WARNING: main unlocks mutex sched_lock it does not hold", only(KernelReport.Kind.WARN).text());
    }

    @Test
    void refcountsSaturateOnUnderflowAndOnAdditionToZero() {
        Locking.Kref k = new Locking.Kref();
        assertFalse(Locking.refcount_dec_and_test(k));
        assertEquals("refcount_t: underflow; use-after-free", only(KernelReport.Kind.REFCOUNT).text());
        assertEquals(Locking.REFCOUNT_SATURATED, k.refs);
        Locking.Kref z = new Locking.Kref();
        Locking.refcount_inc(z);
        assertEquals(2, solo.reports.size());
        assertEquals("refcount_t: addition on 0; use-after-free", solo.reports.get(1).text());
    }

    @Test
    void anErrorSetAfterTheSignalWarns() {
        DmaFence f = new DmaFence();
        DmaFence.dma_fence_init(f, EthosuJob.ethosu_fence_ops, new Locking.Spinlock("l"), 1, 3, "f");
        DmaFence.dma_fence_signal(f, "f");
        DmaFence.dma_fence_set_error(f, -Kshim.ECANCELED, "f");
        assertTrue(only(KernelReport.Kind.FENCE).text().startsWith("WARNING: dma_fence_set_error(ethosu-npu#3, -125) on a signalled fence"));
    }

    @Test
    void aFenceReleasedWithCallbacksPendingWarnsAndSignalsDeadlock() {
        DmaFence f = Slab.kzalloc(88, Slab.GFP_KERNEL, "test", DmaFence::new);
        DmaFence.dma_fence_init(f, EthosuJob.ethosu_fence_ops, new Locking.Spinlock("l"), 1, 2, "f");
        int[] got = {0};
        DmaFence.dma_fence_add_callback(f, new DmaFence.Cb(), (fence, cb) -> got[0] = fence.error, "f");
        DmaFence.dma_fence_put(f, "f");
        assertEquals("WARNING: Fence ethosu:ethosu-npu:1:2 released with pending signals! (ethosu-npu#2)",
                only(KernelReport.Kind.WARN).text());
        assertEquals(-Kshim.EDEADLK, got[0]);
    }

    @Test
    void anUninitialisedFenceIsAnOops() {
        DmaFence.dma_fence_signal(new DmaFence(), "job->done_fence");
        assertEquals("BUG: kernel NULL pointer dereference in dma_fence_signal(done_fence): fence never initialised",
                only(KernelReport.Kind.OOPS).text());
    }

    @Test
    void queueingAFreedOrUninitialisedWorkItemIsReported() {
        Workqueue.WorkqueueStruct wq = Workqueue.system_wq();
        Workqueue.queue_work(wq, new Workqueue.WorkStruct());
        assertEquals("WARNING: queue_work on a work item never initialised", only(KernelReport.Kind.WARN).text());
        EthosuJob.Job job = Slab.kzalloc(312, Slab.GFP_KERNEL, "test", EthosuJob.Job::new);
        Workqueue.INIT_WORK(job.work, w -> {}, "drm_sched_entity_kill_jobs_work");
        Slab.kfree(job, "test");
        Workqueue.queue_work(wq, job.work);
        assertEquals("BUG: use-after-free: queue_work on a freed work item", only(KernelReport.Kind.UAF).text());
    }

    @Test
    void hugeKvmallocWarnsAndFails() {
        assertNull(Slab.kvmalloc(40L * 0xffffffffL, Slab.GFP_KERNEL, "ethosu_ioctl_submit", Slab.Buf::new));
        assertEquals("WARNING: kvmalloc of 171798691800 bytes (> INT_MAX) from ethosu_ioctl_submit",
                only(KernelReport.Kind.WARN).text());
    }

    @Test
    void leaksAreGroupedBySiteAndSize() {
        Slab.kzalloc(88, Slab.GFP_KERNEL, "ethosu_ioctl_submit_job", DmaFence::new);
        Slab.kzalloc(88, Slab.GFP_KERNEL, "ethosu_ioctl_submit_job", DmaFence::new);
        Slab.kzalloc(240, Slab.GFP_KERNEL, "drm_sched_fence_alloc", Slab.Buf::new);
        assertEquals(2, Slab.report_leaks(dev.kd));
        assertEquals("unreferenced object: 2 object(s) of 88 bytes allocated in ethosu_ioctl_submit_job never freed",
                solo.reports.get(0).text());
        assertEquals("unreferenced object: 1 object(s) of 240 bytes allocated in drm_sched_fence_alloc never freed",
                solo.reports.get(1).text());
    }

    @Test
    void anAllocationMadeToFailReturnsNull() {
        dev.failAlloc(2);
        assertNotNull(Slab.kzalloc(8, Slab.GFP_KERNEL, "a", Slab.Buf::new));
        assertNull(Slab.kzalloc(8, Slab.GFP_KERNEL, "b", Slab.Buf::new));
        assertNotNull(Slab.kzalloc(8, Slab.GFP_KERNEL, "c", Slab.Buf::new));
    }

    @Test
    void everyVariantNameMapsToItsOwnDriver() {
        for (String v : EthosuJobVariants.modelled()) assertEquals(v, EthosuJobVariants.of(v).variant);
        assertNull(EthosuJobVariants.of("no-such-variant"));
        assertThrows(IllegalArgumentException.class, () -> new ModelEngine("no-such-variant"));
    }

    // ---- the v7.2 shims' checks

    @Test
    void incrementingASaturatedRefcountWarns() {
        Locking.Kref k = new Locking.Kref();
        Locking.refcount_set(k, Integer.MAX_VALUE);
        Locking.refcount_inc(k);
        assertEquals("refcount_t: saturated; leaking memory", only(KernelReport.Kind.REFCOUNT).text());
        assertEquals(Locking.REFCOUNT_SATURATED, k.refs);
    }

    @Test
    void aDisabledWorkItemIsNotQueuedAndEnablingItTooOftenWarns() {
        Workqueue.WorkStruct w = new Workqueue.WorkStruct();
        Workqueue.INIT_WORK(w, x -> {}, "test_work");
        Workqueue.WorkqueueStruct wq = Workqueue.system_wq();
        assertFalse(Workqueue.disable_work(w));
        assertFalse(Workqueue.queue_work(wq, w), "queued while disabled");
        assertTrue(Workqueue.enable_work(w));
        assertTrue(Workqueue.queue_work(wq, w));
        assertTrue(Workqueue.cancel_work_sync(w), "cancel_work_sync takes the pending item off");
        assertTrue(Workqueue.queue_work(wq, w), "cancel_work_sync enables the item again on return");
        assertTrue(solo.reports.isEmpty(), "reports: " + solo.reports);
        Workqueue.enable_work(w);
        assertEquals("WARNING: workqueue: work disable count underflowed", only(KernelReport.Kind.WARN).text());
    }

    @Test
    void aRegisterAccessWithTheClocksGatedIsAnExternalAbortOncePerGatedPeriod() {
        dev.kd.clk_managed = true;
        RuntimePm.clk_bulk_prepare_enable(this);
        Io.readl(ethosu.bench.hw.Regs.STATUS);
        assertTrue(solo.reports.isEmpty());
        RuntimePm.clk_bulk_disable_unprepare(this);
        Io.readl(ethosu.bench.hw.Regs.STATUS);
        Io.writel(0, ethosu.bench.hw.Regs.CMD);
        assertTrue(only(KernelReport.Kind.OOPS).text().startsWith("Unhandled external abort: readl at register offset"));
    }

    @Test
    void aResumeWhileForceSuspendedFailsWithEacces() {
        Kdev.Device d = dev.kd.pdev.dev;
        RuntimePm.pm_runtime_init(d);
        d.pm_ops = null;
        assertEquals(0, RuntimePm.devm_pm_runtime_set_active_enabled(d));
        assertEquals(0, RuntimePm.pm_runtime_force_suspend(d));
        assertEquals(RuntimePm.RPM_SUSPENDED, d.power.runtime_status, "no other user: suspended");
        assertEquals(-Kshim.EACCES, RuntimePm.pm_runtime_resume_and_get(d));
        assertEquals(0, d.power.usage_count, "the failed get drops its reference");
        assertEquals(0, RuntimePm.pm_runtime_force_resume(d));
        assertEquals(0, RuntimePm.pm_runtime_resume_and_get(d));
        assertEquals(RuntimePm.RPM_ACTIVE, d.power.runtime_status);
    }

    @Test
    void aLineNobodyClearsIsAnInterruptStormAndIsDisabled() {
        dev.kd.regs.write(ethosu.bench.hw.Regs.STATUS, ethosu.bench.hw.Regs.STATUS_IRQ_RAISED);
        int[] runs = {0};
        assertEquals(0, Irq.request_threaded_irq(dev.kd.pdev.irq, (irq, data) -> {
            runs[0]++;
            return Irq.IRQ_HANDLED;
        }, null, 0, "test", this));
        Irq.kshim_hardirq(dev.kd);
        assertEquals(Irq.KSHIM_IRQ_STORM_RUNS, runs[0]);
        assertTrue(only(KernelReport.Kind.DEADLOCK).text().contains("interrupt storm: the hard handler ran 64 times"));
        assertEquals(1, dev.kd.irq.depth, "the line is disabled");
        Irq.enable_irq(dev.kd.pdev.irq);
        Irq.enable_irq(dev.kd.pdev.irq);
        assertEquals("WARNING: Unbalanced enable for IRQ " + dev.kd.pdev.irq, solo.reports.get(1).text());
    }

    @Test
    void aFaultArmedForEntityInitFailsItOnceWithEnomem() {
        assertEquals(0, dev.fail(Kshim.FAULT_ENTITY_INIT, null, 1));
        GpuScheduler.DrmGpuScheduler[] none = {};
        GpuScheduler.DrmSchedEntity e = new GpuScheduler.DrmSchedEntity();
        assertEquals(-Kshim.ENOMEM, SchedEntity.drm_sched_entity_init(e, 0, none, 0, null));
        assertTrue(solo.events.stream().anyMatch(x -> x instanceof ethosu.bench.event.Printk p
                && p.text().equals("FAULT_INJECTION: forcing a failure: drm_sched_entity_init in drm_sched_entity_init")));
        assertEquals(0, SchedEntity.drm_sched_entity_init(e, 0, none, 0, null));
    }
}
