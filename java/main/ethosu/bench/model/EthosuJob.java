// The model's ethosu_job.c (the in-tree driver, variant "locked"): the submit ioctl, the scheduler
// backend (run, timeout, free) and the completion interrupt, function by function as the C. One job
// runs at a time (credit_limit 1); dev->in_flight_job is the job the NPU is executing. A variant of
// the driver is a subclass that overrides the functions its patch changes (EthosuJobVariants).
package ethosu.bench.model;

import ethosu.bench.event.Label;
import ethosu.bench.event.PointKind;
import ethosu.bench.hw.Regs;
import ethosu.bench.model.Gem.GemObject;
import ethosu.bench.model.GpuScheduler.DrmSchedJob;

import java.util.Arrays;

import static ethosu.bench.model.Kshim.*;

public class EthosuJob {
    static final int JOB_TIMEOUT_MS = 500;
    static final int NPU_BASEP_REGION_MAX = 8, ETHOSU_SRAM_REGION = 2;
    /** sizeof on the C side, for the slab's leak reports */
    static final int SIZEOF_ETHOSU_JOB = 312, SIZEOF_DMA_FENCE = 88, SIZEOF_DRM_ETHOSU_JOB = 40;

    /** struct ethosu_job */
    public static final class Job extends DrmSchedJob {
        static final Job POISON = new Job().asPoisonPtr();

        EthosuDevice dev;
        GemObject cmd_bo;
        final GemObject[] region_bo = new GemObject[NPU_BASEP_REGION_MAX];
        final int[] region_bo_num = new int[NPU_BASEP_REGION_MAX];
        int region_cnt;
        int sram_size;
        DmaFence inference_done_fence;
        DmaFence done_fence;
        final Locking.Kref refcount = new Locking.Kref();

        @Override
        protected void poison() {
            super.poison();
            dev = null;
            cmd_bo = GemObject.POISON;
            Arrays.fill(region_bo, GemObject.POISON);
            Arrays.fill(region_bo_num, 0x6b);
            region_cnt = 0x6b;
            sram_size = POISON_U32;
            inference_done_fence = DmaFence.POISON;
            done_fence = DmaFence.POISON;
            refcount.poison();
        }
    }

    /** struct drm_ethosu_job: one entry of the submit ioctl's job array. */
    public record DrmEthosuJob(int cmd_bo, int sram_size, int[] region_bo_handles) {}

    /** The variant this driver stands for (its patch's name; "locked" for none). */
    public final String variant;

    protected EthosuJob(String variant) {
        this.variant = variant;
    }

    public static EthosuJob locked() {
        return new EthosuJob("locked");
    }

    static Job to_ethosu_job(DrmSchedJob sched_job) {
        return (Job) sched_job;
    }

    static final DmaFence.Ops ethosu_fence_ops = new DmaFence.Ops() {
        @Override
        public String get_driver_name(DmaFence fence) {
            return "ethosu";
        }

        @Override
        public String get_timeline_name(DmaFence fence) {
            return "ethosu-npu";
        }
    };

    // ---------------------------------------------------------------- READ_ONCE / WRITE_ONCE

    private static final Label READ_IN_FLIGHT = label(PointKind.READ_ONCE, "READ_ONCE(dev->in_flight_job)"),
            WRITE_IN_FLIGHT = label(PointKind.WRITE_ONCE, "WRITE_ONCE(dev->in_flight_job)");

    /** READ_ONCE(dev->in_flight_job): a scheduling point, then one untorn load. */
    protected static Job READ_ONCE_in_flight_job(EthosuDevice dev) {
        point(READ_IN_FLIGHT, dev, 0);
        return (Job) EthosuDevice.IN_FLIGHT_JOB.getOpaque(dev);
    }

    /** WRITE_ONCE(dev->in_flight_job, job) */
    protected static void WRITE_ONCE_in_flight_job(EthosuDevice dev, Job job) {
        point(WRITE_IN_FLIGHT, dev, 0);
        EthosuDevice.IN_FLIGHT_JOB.setOpaque(dev, job);
    }

    // ---------------------------------------------------------------- the hardware submit

    protected void ethosu_job_hw_submit(EthosuDevice dev, Job job) {
        GemObject cmd_bo = job.cmd_bo;
        Gem.CmdstreamInfo cmd_info = job.cmd_bo.info;

        for (int i = 0; i < job.region_cnt; i++) {
            int region = job.region_bo_num[i];
            GemObject bo = job.region_bo[i];
            Io.writel_relaxed((int) bo.dma_addr, Regs.BASEP(region));
            Io.writel_relaxed((int) (bo.dma_addr >>> 32), Regs.BASEP_HI(region));
            Printk.dev_dbg(dev.dev, "Region " + region + " base addr = " + Printk.pad(bo.dma_addr));
        }

        if (job.sram_size != 0) {
            Io.writel_relaxed((int) dev.sramphys, Regs.BASEP(ETHOSU_SRAM_REGION));
            Io.writel_relaxed((int) (dev.sramphys >>> 32), Regs.BASEP_HI(ETHOSU_SRAM_REGION));
            Printk.dev_dbg(dev.dev, "Region " + ETHOSU_SRAM_REGION + " base addr = " + Printk.pad(dev.sramphys) + " (SRAM)");
        }

        Io.writel_relaxed((int) cmd_bo.dma_addr, Regs.QBASE);
        Io.writel_relaxed((int) (cmd_bo.dma_addr >>> 32), Regs.QBASE_HI);
        Io.writel_relaxed(cmd_info.cmd_size, Regs.QSIZE);

        // not relaxed: the queue registers above must land before the kick
        Io.writel(Regs.CMD_TRANSITION_TO_RUN, Regs.CMD);

        Printk.dev_dbg(dev.dev, "Submitted cmd at " + Printk.pad(cmd_bo.dma_addr) + " to core");
    }

    // ---------------------------------------------------------------- submit: fences and push

    private static int ethosu_acquire_object_fences(Job job) {
        GemObject[] bos = job.region_bo;
        Gem.CmdstreamInfo info = job.cmd_bo.info;
        for (int i = 0; i < job.region_cnt; i++) {
            if (bos[i] == null) break;
            int ret = DmaResv.dma_resv_reserve_fences(bos[i].resv, 1);
            if (ret != 0) return ret;
            boolean is_write = info.output_region[job.region_bo_num[i]];
            ret = SchedMain.drm_sched_job_add_implicit_dependencies(job, bos[i], is_write);
            if (ret != 0) return ret;
        }
        return 0;
    }

    private static void ethosu_attach_object_fences(Job job) {
        DmaFence fence = job.inference_done_fence;
        GemObject[] bos = job.region_bo;
        Gem.CmdstreamInfo info = job.cmd_bo.info;
        for (int i = 0; i < job.region_cnt; i++)
            if (info.output_region[job.region_bo_num[i]])
                DmaResv.dma_resv_add_fence(bos[i].resv, fence, DmaResv.DMA_RESV_USAGE_WRITE);
    }

    private int ethosu_job_push(Job job) {
        DmaResv.WwAcquireCtx acquire_ctx = new DmaResv.WwAcquireCtx();
        int ret = Gem.drm_gem_lock_reservations(job.region_bo, job.region_cnt, acquire_ctx);
        if (ret != 0) return ret;

        ret = ethosu_acquire_object_fences(job);
        if (ret == 0) {
            ret = RuntimePm.pm_runtime_resume_and_get(job.dev.dev);
            if (ret == 0) {
                // guard(mutex)(&job->dev->sched_lock), to the end of the block
                Locking.mutex_lock(job.dev.sched_lock);
                SchedMain.drm_sched_job_arm(job);
                job.inference_done_fence = DmaFence.dma_fence_get(job.s_fence.finished, "&job->base.s_fence->finished");
                Locking.kref_get(job.refcount); // put by ethosu_job_free()
                SchedEntity.drm_sched_entity_push_job(job);
                ethosu_attach_object_fences(job);
                Locking.mutex_unlock(job.dev.sched_lock);
            }
        }
        Gem.drm_gem_unlock_reservations(job.region_bo, job.region_cnt, acquire_ctx);
        return ret;
    }

    private static void ethosu_job_err_cleanup(Job job) {
        for (int i = 0; i < job.region_cnt; i++) Gem.drm_gem_object_put(job.region_bo[i]);
        Gem.drm_gem_object_put(job.cmd_bo);
        Slab.kfree(job, "ethosu_job_err_cleanup");
    }

    private static void ethosu_job_cleanup(Job job) {
        RuntimePm.pm_runtime_put_autosuspend(job.dev.dev);
        DmaFence.dma_fence_put(job.done_fence, "job->done_fence");
        DmaFence.dma_fence_put(job.inference_done_fence, "job->inference_done_fence");
        ethosu_job_err_cleanup(job);
    }

    private static void ethosu_job_put(Job job) {
        Locking.kref_put(job.refcount, () -> ethosu_job_cleanup(job));
    }

    private static void ethosu_job_free(DrmSchedJob sched_job) {
        Job job = to_ethosu_job(sched_job);
        SchedMain.drm_sched_job_cleanup(sched_job);
        ethosu_job_put(job);
    }

    // ---------------------------------------------------------------- the scheduler backend

    /** ops->run_job: the hardware fence (referenced for the scheduler), or null. */
    protected DmaFence ethosu_job_run(DrmSchedJob sched_job) {
        Job job = to_ethosu_job(sched_job);
        EthosuDevice dev = job.dev;
        DmaFence fence = job.done_fence;

        if (job.s_fence.finished.error != 0) return null;

        DmaFence.dma_fence_init(fence, ethosu_fence_ops, dev.fence_lock, dev.fence_context, ++dev.emit_seqno, "fence");
        // the job keeps its reference; this one is the scheduler's
        DmaFence.dma_fence_get(fence, "fence");

        // scoped_guard(mutex, &dev->job_lock)
        Locking.mutex_lock(dev.job_lock);
        dev.in_flight_job = job;
        ethosu_job_hw_submit(dev, job);
        Locking.mutex_unlock(dev.job_lock);

        return fence;
    }

    /** Runs in the IRQ thread, after the hard handler has acknowledged the IRQ. */
    protected void ethosu_job_handle_irq(EthosuDevice dev) {
        int status = Io.readl_relaxed(Regs.STATUS);

        if ((status & (Regs.STATUS_BUS_STATUS | Regs.STATUS_CMD_PARSE_ERR)) != 0) {
            Printk.dev_err(dev.dev, "Error IRQ - " + Integer.toHexString(status));
            SchedMain.drm_sched_fault(dev.sched);
            return;
        }

        // scoped_guard(mutex, &dev->job_lock)
        Locking.mutex_lock(dev.job_lock);
        if (dev.in_flight_job != null) {
            DmaFence.dma_fence_signal(dev.in_flight_job.done_fence, "dev->in_flight_job->done_fence");
            dev.in_flight_job = null;
        }
        Locking.mutex_unlock(dev.job_lock);
    }

    protected int ethosu_job_irq_handler_thread(int irq, Object data) {
        EthosuDevice dev = (EthosuDevice) data;
        ethosu_job_handle_irq(dev);
        return Irq.IRQ_HANDLED;
    }

    /** Hard IRQ context: acknowledge and defer the rest to the IRQ thread. */
    protected int ethosu_job_irq_handler(int irq, Object data) {
        int status = Io.readl_relaxed(Regs.STATUS);
        if ((status & Regs.STATUS_IRQ_RAISED) == 0) return Irq.IRQ_NONE;
        Io.writel_relaxed(Regs.CMD_CLEAR_IRQ, Regs.CMD);
        return Irq.IRQ_WAKE_THREAD;
    }

    /** The stream word at cmdaddr / 4, read through the BO's mapping with no bounds check. */
    protected static int bocmd(Job job, int cmdaddr) {
        int[] bocmds = job.cmd_bo.vaddr;
        int i = Integer.divideUnsigned(cmdaddr, 4);
        return bocmds != null && i < bocmds.length ? bocmds[i] : 0;
    }

    /**
     * ops->timedout_job: a QREAD that moves is a slow job (NO_HANG); otherwise stop the scheduler,
     * clear in_flight_job, reset the NPU through runtime PM and restart.
     */
    protected int ethosu_job_timedout(DrmSchedJob bad) {
        Job job = to_ethosu_job(bad);
        EthosuDevice dev = job.dev;

        int cmdaddr = Io.readl_relaxed(Regs.QREAD);
        boolean running = (Io.readl_relaxed(Regs.STATUS) & Regs.STATUS_STATE_RUNNING) != 0;

        if (running) {
            int[] reg = new int[1];
            int ret = Io.readl_relaxed_poll_timeout(Regs.QREAD, reg, r -> r != cmdaddr, 1000, 100 * 1000);
            // QREAD moved: the NPU is slow, not hung; let the job go on
            if (ret == 0) return GpuScheduler.DRM_GPU_SCHED_STAT_NO_HANG;
        }

        Printk.dev_err(dev.dev, String.format("NPU sched timed out: NPU %s, cmdstream offset 0x%x: 0x%x",
                running ? "running" : "stopped", cmdaddr, bocmd(job, cmdaddr)));

        SchedMain.drm_sched_stop(dev.sched, bad);

        // scoped_guard(mutex, &dev->job_lock)
        Locking.mutex_lock(dev.job_lock);
        dev.in_flight_job = null;
        Locking.mutex_unlock(dev.job_lock);

        // runtime suspend then resume resets the NPU
        RuntimePm.pm_runtime_force_suspend(dev.dev);
        RuntimePm.pm_runtime_force_resume(dev.dev);

        SchedMain.drm_sched_start(dev.sched, 0);

        return GpuScheduler.DRM_GPU_SCHED_STAT_RESET;
    }

    /** ethosu_sched_ops */
    private final GpuScheduler.BackendOps ethosu_sched_ops = new GpuScheduler.BackendOps() {
        @Override
        public Object run_job(DrmSchedJob job) {
            return ethosu_job_run(job);
        }

        @Override
        public int timedout_job(DrmSchedJob job) {
            return ethosu_job_timedout(job);
        }

        @Override
        public void free_job(DrmSchedJob job) {
            ethosu_job_free(job);
        }
    };

    // ---------------------------------------------------------------- init, files

    /** devm_mutex_init(dev, &edev->job_lock); the lockless change removes it. */
    protected int init_job_lock(EthosuDevice edev) {
        return Locking.__devm_mutex_init(edev.dev, edev.job_lock, "job_lock");
    }

    public int ethosu_job_init(EthosuDevice edev) {
        Kdev.Device dev = edev.dev;
        GpuScheduler.InitArgs args = new GpuScheduler.InitArgs(ethosu_sched_ops, null, null,
                GpuScheduler.DRM_SCHED_PRIORITY_COUNT, 1, 0, JOB_TIMEOUT_MS, null, Printk.dev_name(dev), dev);

        Locking.__spin_lock_init(edev.fence_lock, "fence_lock");
        int ret = init_job_lock(edev);
        if (ret != 0) return ret;
        ret = Locking.__devm_mutex_init(dev, edev.sched_lock, "sched_lock");
        if (ret != 0) return ret;

        edev.irq = Irq.platform_get_irq(dev.kd.pdev, 0);
        if (edev.irq < 0) return edev.irq;

        ret = Irq.devm_request_threaded_irq(dev, edev.irq, this::ethosu_job_irq_handler,
                this::ethosu_job_irq_handler_thread, Irq.IRQF_SHARED, "ethosu", edev);
        if (ret != 0) {
            Printk.dev_err(dev, "failed to request irq");
            return ret;
        }

        edev.fence_context = DmaFence.dma_fence_context_alloc(1);

        ret = SchedMain.drm_sched_init(edev.sched, args);
        if (ret != 0) {
            Printk.dev_err(dev, "Failed to create scheduler: " + ret);
            SchedMain.drm_sched_fini(edev.sched);
            return ret;
        }
        return 0;
    }

    public void ethosu_job_fini(EthosuDevice dev) {
        SchedMain.drm_sched_fini(dev.sched);
    }

    public int ethosu_job_open(EthosuDevice.EthosuFilePriv ethosu_priv) {
        EthosuDevice dev = ethosu_priv.edev;
        int ret = SchedEntity.drm_sched_entity_init(ethosu_priv.sched_entity, GpuScheduler.DRM_SCHED_PRIORITY_NORMAL,
                new GpuScheduler.DrmGpuScheduler[] {dev.sched}, 1, null);
        return WARN_ON(ret != 0, "ethosu_job.c", 361, "ethosu_job_open", "ret") ? 1 : 0;
    }

    public void ethosu_job_close(EthosuDevice.EthosuFilePriv ethosu_priv) {
        SchedEntity.drm_sched_entity_destroy(ethosu_priv.sched_entity);
    }

    // ---------------------------------------------------------------- the submit ioctl

    /**
     * The errno ethosu_ioctl_submit_job() sets when a region's BO handle does not look up: the one
     * line mutant-submit-lost-errno deletes, so that mutant overrides it rather than the whole ioctl.
     */
    protected int invalid_region_bo_errno() {
        return -ENOENT;
    }

    private int ethosu_ioctl_submit_job(EthosuDevice edev, Gem.DrmFile file, DrmEthosuJob job) {
        EthosuDevice.EthosuFilePriv file_priv = file.driver_priv;
        Kdev.Device ddev = edev.dev;
        int ret;

        // region 2 is the SRAM's when the job asks for SRAM
        if (job.region_bo_handles()[ETHOSU_SRAM_REGION] != 0 && job.sram_size() != 0) return -EINVAL;
        if (Integer.compareUnsigned(edev.npu_info.sram_size, job.sram_size()) < 0) return -EINVAL;

        Job ejob = Slab.kzalloc(SIZEOF_ETHOSU_JOB, Slab.GFP_KERNEL, "ethosu_ioctl_submit_job", Job::new);
        if (ejob == null) return -ENOMEM;

        Locking.kref_init(ejob.refcount);
        ejob.dev = edev;
        ejob.sram_size = job.sram_size();

        out_put_job:
        {
            out_cleanup_job:
            {
                ejob.done_fence = Slab.kzalloc(SIZEOF_DMA_FENCE, Slab.GFP_KERNEL, "ethosu_ioctl_submit_job", DmaFence::new);
                if (ejob.done_fence == null) {
                    ret = -ENOMEM;
                    break out_cleanup_job;
                }

                ret = SchedMain.drm_sched_job_init(ejob, file_priv.sched_entity, 1, null, file.client_id);
                if (ret != 0) break out_put_job;

                ejob.cmd_bo = Gem.drm_gem_object_lookup(file, job.cmd_bo());
                if (ejob.cmd_bo == null) {
                    ret = -ENOENT;
                    break out_cleanup_job;
                }
                Gem.CmdstreamInfo cmd_info = ejob.cmd_bo.info;
                if (cmd_info == null) {
                    ret = -EINVAL;
                    break out_cleanup_job;
                }

                for (int i = 0; i < NPU_BASEP_REGION_MAX; i++) {
                    int handle = job.region_bo_handles()[i];
                    // can only omit a BO handle if the region is not used or used for SRAM
                    if (handle == 0) {
                        if (cmd_info.region_size[i] == 0) continue;
                        if (i == ETHOSU_SRAM_REGION) {
                            if (Long.compareUnsigned(cmd_info.region_size[i], edev.npu_info.sram_size & 0xffffffffL) <= 0)
                                continue;
                            Printk.dev_err(ddev, String.format("cmd stream region %d size greater than SRAM size (%s > %s)",
                                    i, Long.toUnsignedString(cmd_info.region_size[i]),
                                    Integer.toUnsignedString(edev.npu_info.sram_size)));
                            ret = -EINVAL;
                            break out_cleanup_job;
                        }
                    }

                    if (handle != 0 && cmd_info.region_size[i] == 0) {
                        Printk.dev_err(ddev, String.format("Cmdstream BO handle %d set for unused region %d", handle, i));
                        ret = -EINVAL;
                        break out_cleanup_job;
                    }

                    GemObject gem = Gem.drm_gem_object_lookup(file, handle);
                    if (gem == null) {
                        Printk.dev_err(ddev, String.format("Invalid BO handle %d for region %d", handle, i));
                        ret = invalid_region_bo_errno();
                        break out_cleanup_job;
                    }

                    ejob.region_bo[ejob.region_cnt] = gem;
                    ejob.region_bo_num[ejob.region_cnt] = i;
                    ejob.region_cnt++;

                    if (gem.info != null) {
                        Printk.dev_err(ddev, String.format("Cmdstream BO handle %d used for region %d", handle, i));
                        ret = -EINVAL;
                        break out_cleanup_job;
                    }

                    // the stream must not access beyond the end of the BO
                    if (Long.compareUnsigned(cmd_info.region_size[i], gem.size) > 0) {
                        Printk.dev_err(ddev, String.format("cmd stream region %d size greater than BO size (%s > %s)", i,
                                Long.toUnsignedString(cmd_info.region_size[i]), Long.toUnsignedString(gem.size)));
                        ret = -EOVERFLOW;
                        break out_cleanup_job;
                    }
                }
                ret = ethosu_job_push(ejob);
                if (ret == 0) {
                    ethosu_job_put(ejob);
                    return 0;
                }
            }
            // out_cleanup_job:
            if (ret != 0) SchedMain.drm_sched_job_cleanup(ejob);
        }
        // out_put_job:
        ethosu_job_err_cleanup(ejob);
        return ret;
    }

    /**
     * DRM_IOCTL_ETHOSU_SUBMIT. jobs stands for the user memory the jobs pointer points at (null: a
     * pointer no process maps, so copy_from_user fails).
     */
    public int ethosu_ioctl_submit(EthosuDevice edev, Gem.DrmFile file, DrmEthosuJob[] user, int job_count, int pad) {
        if (pad != 0) {
            Printk.kshim_printk(Printk.KERN_DEBUG, Printk.dev_name(edev.dev),
                    "Reserved field in drm_ethosu_submit struct should be 0.");
            return -EINVAL;
        }

        // struct drm_ethosu_job __free(kvfree) *jobs = kvmalloc_objs(*jobs, args->job_count)
        long size = (job_count & 0xffffffffL) * SIZEOF_DRM_ETHOSU_JOB;
        Slab.Buf jobs = Slab.kvmalloc(size, Slab.GFP_KERNEL, "ethosu_ioctl_submit", Slab.Buf::new);
        if (jobs == null) return -ENOMEM;
        try {
            might_sleep("copy_from_user");
            if (user == null) {
                Printk.kshim_printk(Printk.KERN_DEBUG, Printk.dev_name(edev.dev), "Failed to copy incoming job array");
                return -EFAULT;
            }
            for (int i = 0; Integer.compareUnsigned(i, job_count) < 0; i++) {
                DrmEthosuJob j = i < user.length ? user[i] : new DrmEthosuJob(0, 0, new int[NPU_BASEP_REGION_MAX]);
                int ret = ethosu_ioctl_submit_job(edev, file, j);
                if (ret != 0) return ret;
            }
            return 0;
        } finally {
            Slab.kfree(jobs, "__free_kvfree");
        }
    }
}
