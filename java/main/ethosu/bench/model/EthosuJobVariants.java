// The model's counterparts of native/variants/*.patch: each a subclass of EthosuJob overriding the
// functions its patch changes, written as the function reads once the patch is applied. A variant
// is selected by its patch's name; a patch with no counterpart here is reported by modelled().
package ethosu.bench.model;

import ethosu.bench.hw.Regs;
import ethosu.bench.model.GpuScheduler.DrmSchedJob;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

public final class EthosuJobVariants {
    private EthosuJobVariants() {}

    private static final Map<String, Supplier<EthosuJob>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("locked", EthosuJob::locked);
        BY_NAME.put("lockless", Lockless::new);
        BY_NAME.put("mutant-signal-before-clear", SignalBeforeClear::new);
        BY_NAME.put("mutant-publish-after-kick", PublishAfterKick::new);
        BY_NAME.put("mutant-timedout-keeps-inflight", TimedoutKeepsInflight::new);
        BY_NAME.put("mutant-irq-no-lock", IrqNoLock::new);
        BY_NAME.put("mutant-hardirq-signals", HardirqSignals::new);
        BY_NAME.put("mutant-irq-thread-unchecked", IrqThreadUnchecked::new);
        BY_NAME.put("mutant-submit-lost-errno", SubmitLostErrno::new);
        BY_NAME.put("control-kick-then-publish-locked", KickThenPublishLocked::new);
    }

    /** The driver of a variant, by its name; null if the model has no counterpart for it. */
    public static EthosuJob of(String variant) {
        Supplier<EthosuJob> s = BY_NAME.get(variant);
        return s == null ? null : s.get();
    }

    /** The variants the model has. */
    public static List<String> modelled() {
        return List.copyOf(BY_NAME.keySet());
    }

    public static boolean has(String variant) {
        return BY_NAME.containsKey(variant);
    }

    /**
     * lockless: job_lock removed; run_job WRITE_ONCEs then kicks; the IRQ thread READ_ONCEs,
     * clears, then signals; timedout_job WRITE_ONCEs NULL.
     */
    static class Lockless extends EthosuJob {
        Lockless() {
            super("lockless");
        }

        Lockless(String name) {
            super(name);
        }

        @Override
        protected int init_job_lock(EthosuDevice edev) {
            return 0; // the field and its init are gone
        }

        @Override
        protected DmaFence ethosu_job_run(DrmSchedJob sched_job) {
            Job job = to_ethosu_job(sched_job);
            EthosuDevice dev = job.dev;
            DmaFence fence = job.done_fence;
            if (job.s_fence.finished.error != 0) return null;
            DmaFence.dma_fence_init(fence, ethosu_fence_ops, dev.fence_lock, dev.fence_context, ++dev.emit_seqno, "fence");
            DmaFence.dma_fence_get(fence, "fence");
            WRITE_ONCE_in_flight_job(dev, job);
            ethosu_job_hw_submit(dev, job);
            return fence;
        }

        @Override
        protected void ethosu_job_handle_irq(EthosuDevice dev) {
            int status = Io.readl_relaxed(Regs.STATUS);
            if ((status & (Regs.STATUS_BUS_STATUS | Regs.STATUS_CMD_PARSE_ERR)) != 0) {
                Printk.dev_err(dev.dev, "Error IRQ - " + Integer.toHexString(status));
                SchedMain.drm_sched_fault(dev.sched);
                return;
            }
            Job job = READ_ONCE_in_flight_job(dev);
            if (job != null) signalInFlight(dev, job);
        }

        /** Clear, then signal (the patch's order). */
        protected void signalInFlight(EthosuDevice dev, Job job) {
            WRITE_ONCE_in_flight_job(dev, null);
            DmaFence.dma_fence_signal(job.done_fence, "job->done_fence");
        }

        @Override
        protected int ethosu_job_timedout(DrmSchedJob bad) {
            Job job = to_ethosu_job(bad);
            EthosuDevice dev = job.dev;
            int cmdaddr = Io.readl_relaxed(Regs.QREAD);
            boolean running = (Io.readl_relaxed(Regs.STATUS) & Regs.STATUS_STATE_RUNNING) != 0;
            if (running) {
                int[] reg = new int[1];
                int ret = Io.readl_relaxed_poll_timeout(Regs.QREAD, reg, r -> r != cmdaddr, 1000, 100 * 1000);
                if (ret == 0) return GpuScheduler.DRM_GPU_SCHED_STAT_NO_HANG;
            }
            Printk.dev_err(dev.dev, String.format("NPU sched timed out: NPU %s, cmdstream offset 0x%x: 0x%x",
                    running ? "running" : "stopped", cmdaddr, bocmd(job, cmdaddr)));
            SchedMain.drm_sched_stop(dev.sched, bad);
            WRITE_ONCE_in_flight_job(dev, null);
            RuntimePm.pm_runtime_force_suspend(dev.dev);
            RuntimePm.pm_runtime_force_resume(dev.dev);
            SchedMain.drm_sched_start(dev.sched, 0);
            return GpuScheduler.DRM_GPU_SCHED_STAT_RESET;
        }
    }

    /** mutant-signal-before-clear: lockless, but the IRQ thread signals before clearing in_flight_job. */
    static final class SignalBeforeClear extends Lockless {
        SignalBeforeClear() {
            super("mutant-signal-before-clear");
        }

        @Override
        protected void signalInFlight(EthosuDevice dev, Job job) {
            DmaFence.dma_fence_signal(job.done_fence, "job->done_fence");
            WRITE_ONCE_in_flight_job(dev, null);
        }
    }

    /** mutant-publish-after-kick: run_job kicks the NPU outside the lock, then publishes under job_lock. */
    static final class PublishAfterKick extends EthosuJob {
        PublishAfterKick() {
            super("mutant-publish-after-kick");
        }

        @Override
        protected DmaFence ethosu_job_run(DrmSchedJob sched_job) {
            Job job = to_ethosu_job(sched_job);
            EthosuDevice dev = job.dev;
            DmaFence fence = job.done_fence;
            if (job.s_fence.finished.error != 0) return null;
            DmaFence.dma_fence_init(fence, ethosu_fence_ops, dev.fence_lock, dev.fence_context, ++dev.emit_seqno, "fence");
            DmaFence.dma_fence_get(fence, "fence");
            ethosu_job_hw_submit(dev, job);
            // scoped_guard(mutex, &dev->job_lock)
            Locking.mutex_lock(dev.job_lock);
            dev.in_flight_job = job;
            Locking.mutex_unlock(dev.job_lock);
            return fence;
        }
    }

    /** control-kick-then-publish-locked: inside job_lock, run_job kicks before publishing (a negative control). */
    static final class KickThenPublishLocked extends EthosuJob {
        KickThenPublishLocked() {
            super("control-kick-then-publish-locked");
        }

        @Override
        protected DmaFence ethosu_job_run(DrmSchedJob sched_job) {
            Job job = to_ethosu_job(sched_job);
            EthosuDevice dev = job.dev;
            DmaFence fence = job.done_fence;
            if (job.s_fence.finished.error != 0) return null;
            DmaFence.dma_fence_init(fence, ethosu_fence_ops, dev.fence_lock, dev.fence_context, ++dev.emit_seqno, "fence");
            DmaFence.dma_fence_get(fence, "fence");
            Locking.mutex_lock(dev.job_lock);
            ethosu_job_hw_submit(dev, job);
            dev.in_flight_job = job;
            Locking.mutex_unlock(dev.job_lock);
            return fence;
        }
    }

    /** mutant-timedout-keeps-inflight: timedout_job does not clear in_flight_job. */
    static final class TimedoutKeepsInflight extends EthosuJob {
        TimedoutKeepsInflight() {
            super("mutant-timedout-keeps-inflight");
        }

        @Override
        protected int ethosu_job_timedout(DrmSchedJob bad) {
            Job job = to_ethosu_job(bad);
            EthosuDevice dev = job.dev;
            int cmdaddr = Io.readl_relaxed(Regs.QREAD);
            boolean running = (Io.readl_relaxed(Regs.STATUS) & Regs.STATUS_STATE_RUNNING) != 0;
            if (running) {
                int[] reg = new int[1];
                int ret = Io.readl_relaxed_poll_timeout(Regs.QREAD, reg, r -> r != cmdaddr, 1000, 100 * 1000);
                if (ret == 0) return GpuScheduler.DRM_GPU_SCHED_STAT_NO_HANG;
            }
            Printk.dev_err(dev.dev, String.format("NPU sched timed out: NPU %s, cmdstream offset 0x%x: 0x%x",
                    running ? "running" : "stopped", cmdaddr, bocmd(job, cmdaddr)));
            SchedMain.drm_sched_stop(dev.sched, bad);
            RuntimePm.pm_runtime_force_suspend(dev.dev);
            RuntimePm.pm_runtime_force_resume(dev.dev);
            SchedMain.drm_sched_start(dev.sched, 0);
            return GpuScheduler.DRM_GPU_SCHED_STAT_RESET;
        }
    }

    /** mutant-irq-no-lock: the IRQ thread tests, signals and clears in_flight_job without job_lock. */
    static final class IrqNoLock extends EthosuJob {
        IrqNoLock() {
            super("mutant-irq-no-lock");
        }

        @Override
        protected void ethosu_job_handle_irq(EthosuDevice dev) {
            int status = Io.readl_relaxed(Regs.STATUS);
            if ((status & (Regs.STATUS_BUS_STATUS | Regs.STATUS_CMD_PARSE_ERR)) != 0) {
                Printk.dev_err(dev.dev, "Error IRQ - " + Integer.toHexString(status));
                SchedMain.drm_sched_fault(dev.sched);
                return;
            }
            if (dev.in_flight_job != null) {
                DmaFence.dma_fence_signal(dev.in_flight_job.done_fence, "dev->in_flight_job->done_fence");
                dev.in_flight_job = null;
            }
        }
    }

    /**
     * mutant-irq-thread-unchecked: under job_lock, the IRQ thread signals in_flight_job's fence and
     * clears it without testing it. Where the C loads through a NULL pointer and its process dies
     * (the native-crash finding), the model reports the oops the kernel would print and goes on
     * without signalling: the differential pass cannot follow the C past that point.
     */
    static final class IrqThreadUnchecked extends EthosuJob {
        IrqThreadUnchecked() {
            super("mutant-irq-thread-unchecked");
        }

        @Override
        protected void ethosu_job_handle_irq(EthosuDevice dev) {
            int status = Io.readl_relaxed(Regs.STATUS);
            if ((status & (Regs.STATUS_BUS_STATUS | Regs.STATUS_CMD_PARSE_ERR)) != 0) {
                Printk.dev_err(dev.dev, "Error IRQ - " + Integer.toHexString(status));
                SchedMain.drm_sched_fault(dev.sched);
                return;
            }
            Locking.mutex_lock(dev.job_lock);
            if (dev.in_flight_job == null)
                Kshim.finding(ethosu.bench.event.KernelReport.Kind.OOPS, "ethosu_job_handle_irq",
                        "BUG: kernel NULL pointer dereference in ethosu_job_handle_irq: dev->in_flight_job->done_fence "
                                + "with no job in flight");
            else
                DmaFence.dma_fence_signal(dev.in_flight_job.done_fence, "dev->in_flight_job->done_fence");
            dev.in_flight_job = null;
            Locking.mutex_unlock(dev.job_lock);
        }
    }

    /**
     * mutant-submit-lost-errno: an unknown region BO handle leaves ret at drm_sched_job_init()'s 0, so
     * the ioctl skips drm_sched_job_cleanup(), frees the job and returns 0.
     */
    static final class SubmitLostErrno extends EthosuJob {
        SubmitLostErrno() {
            super("mutant-submit-lost-errno");
        }

        @Override
        protected int invalid_region_bo_errno() {
            return 0;
        }
    }

    /** mutant-hardirq-signals: the hard handler calls ethosu_job_handle_irq() itself; the thread is never woken. */
    static final class HardirqSignals extends EthosuJob {
        HardirqSignals() {
            super("mutant-hardirq-signals");
        }

        @Override
        protected int ethosu_job_irq_handler(int irq, Object data) {
            EthosuDevice dev = (EthosuDevice) data;
            int status = Io.readl_relaxed(Regs.STATUS);
            if ((status & Regs.STATUS_IRQ_RAISED) == 0) return Irq.IRQ_NONE;
            Io.writel_relaxed(Regs.CMD_CLEAR_IRQ, Regs.CMD);
            ethosu_job_handle_irq(dev);
            return Irq.IRQ_HANDLED;
        }
    }
}
