// The model's drv.c (the bench's stand-in for ethosu_drv.c, mainline 2991f9f794c9): probe and
// remove in its order, the runtime-PM callbacks (resume enables the clocks and resets the NPU,
// suspend gates the clocks; a 50 ms autosuspend delay), the level-triggered IRQ line, file open and
// close as DRM core calls them, and how traces name a job.
package ethosu.bench.model;

import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Reset;
import ethosu.bench.hw.Regs;
import ethosu.bench.model.GpuScheduler.DrmSchedJob;

public final class Drv {
    private Drv() {}

    /** ethosu_reset(): the reset sequence of the hardware (ethosu-job-spec.md). */
    static int ethosu_bench_reset(EthosuDevice edev) {
        Kdev.Device dev = edev.dev;
        int[] status = new int[1];
        Io.writel_relaxed(Regs.RESET_PENDING_CSL, Regs.RESET);
        int ret = Io.readl_poll_timeout(Regs.STATUS, status, s -> (s & Regs.STATUS_RESET_STATUS) == 0, 1000, 1_000_000);
        if (ret != 0) {
            Printk.dev_err(dev, String.format("Failed to reset NPU (STATUS = 0x%x)", status[0]));
            Kshim.event(new Reset(Kshim.ctxId(), ret));
            return ret;
        }
        int prot = Io.readl_relaxed(Regs.PROT);
        if ((prot & Regs.PROT_ACTIVE_CSL) == 0)
            Printk.dev_warn(dev, String.format("Could not reset to non-secure mode (PROT = 0x%x)", prot));
        Io.writel_relaxed(0x0000aa8a, Regs.REGIONCFG);
        if (EthosuDevice.ethosu_is_u65(edev)) {
            Io.writel_relaxed(0x1f3f00b0, Regs.AXILIMIT0);
            Io.writel_relaxed(0x1f3f0002, Regs.AXILIMIT2);
        } else {
            Io.writel_relaxed(0x00021f3f, Regs.AXI_SRAM);
            Io.writel_relaxed(0x00021f3f, Regs.AXI_EXT);
            Io.writel_relaxed(0, Regs.MEM_ATTR0);
            Io.writel_relaxed(0xb7, Regs.MEM_ATTR2);
        }
        Kshim.count(Kdev.C_RESETS, 1);
        Kshim.event(new Reset(Kshim.ctxId(), 0));
        return 0;
    }

    /** The clocks' bulk data (edev->clks): named "npu" in the clock points. */
    private static final Object CLKS = new Object();

    /** ethosu_device_resume(): clocks on, then the reset; clocks off again if it fails. */
    static int ethosu_bench_runtime_resume(Kdev.Device dev) {
        EthosuDevice edev = (EthosuDevice) dev.kd.drvdata;
        int ret = RuntimePm.clk_bulk_prepare_enable(CLKS);
        if (ret != 0) return ret;
        ret = ethosu_bench_reset(edev);
        if (ret == 0) return 0;
        RuntimePm.clk_bulk_disable_unprepare(CLKS);
        return ret;
    }

    /** ethosu_device_suspend(): only gates the clocks. */
    static int ethosu_bench_runtime_suspend(Kdev.Device dev) {
        RuntimePm.clk_bulk_disable_unprepare(CLKS);
        return 0;
    }

    /**
     * The board wires the NPU's interrupt as a level-triggered line: asserted while STATUS says an
     * IRQ is raised. A peek at the register file, not an access by the driver: no scheduling point.
     */
    static boolean ethosu_bench_irq_line(Kdev d) {
        return (d.regs.read(Regs.STATUS) & Regs.STATUS_IRQ_RAISED) != 0;
    }

    static final RuntimePm.DevPmOps ethosu_bench_pm_ops = new RuntimePm.DevPmOps() {
        @Override
        public int runtime_suspend(Kdev.Device dev) {
            return ethosu_bench_runtime_suspend(dev);
        }

        @Override
        public int runtime_resume(Kdev.Device dev) {
            return ethosu_bench_runtime_resume(dev);
        }
    };

    static void glue_alloc_device(Kdev d, int npuId, int npuConfig) {
        EthosuDevice edev = new EthosuDevice();
        d.drvdata = edev;
        d.pdev.dev.pm_ops = ethosu_bench_pm_ops;
        edev.dev = d.pdev.dev;
        // what the NPU reads before its first reset; no context yet: a plain store
        d.regs.write(Regs.ID, npuId);
        d.regs.write(Regs.CONFIG, npuConfig);
    }

    static int glue_probe(Kdev d, EthosuJob driver, int npuId, int npuConfig, int sramSize) {
        EthosuDevice edev = (EthosuDevice) d.drvdata;
        edev.npu_info.id = npuId;
        edev.npu_info.config = npuConfig;
        edev.npu_info.sram_size = sramSize;
        edev.irq = d.pdev.irq;
        if (sramSize != 0) edev.sramphys = Gem.GLUE_SRAM_PHYS;
        Kdev.Device dev = d.pdev.dev;
        RuntimePm.pm_runtime_init(dev);
        d.clk_managed = true;

        int ret = driver.ethosu_job_init(edev);
        if (ret == 0) ret = ethosu_bench_init(edev);
        if (ret == 0) {
            RuntimePm.pm_runtime_put_autosuspend(dev);
            d.probed = true;
            return 0;
        }
        // a failed probe releases its devres: the devm IRQ, runtime PM
        if (d.irq.registered) Irq.free_irq(d.pdev.irq, edev);
        if (dev.power.disable_depth == 0) {
            RuntimePm.pm_runtime_dont_use_autosuspend(dev);
            RuntimePm.pm_runtime_disable(dev);
        }
        return ret;
    }

    /**
     * ethosu_init(), the part that matters here: the device is resumed by hand, runtime PM is set up
     * around it (autosuspend after 50 ms) and a usage reference is taken for the rest of probe.
     */
    private static int ethosu_bench_init(EthosuDevice edev) {
        Kdev.Device dev = edev.dev;
        int ret = ethosu_bench_runtime_resume(dev);
        if (ret != 0) return ret;
        RuntimePm.pm_runtime_set_autosuspend_delay(dev, 50);
        RuntimePm.pm_runtime_use_autosuspend(dev);
        ret = RuntimePm.devm_pm_runtime_set_active_enabled(dev);
        if (ret != 0) return ret;
        RuntimePm.pm_runtime_get_noresume(dev);
        edev.npu_info.id = Io.readl_relaxed(Regs.ID);
        edev.npu_info.config = Io.readl_relaxed(Regs.CONFIG);
        return 0;
    }

    /** ethosu_remove(), then the devres actions of probe: no autosuspend, runtime PM disabled. */
    static void glue_remove(Kdev d, EthosuJob driver) {
        Kdev.Device dev = d.pdev.dev;
        if (d.probed) driver.ethosu_job_fini((EthosuDevice) d.drvdata);
        d.probed = false;
        if (dev.power.initialised) {
            RuntimePm.pm_runtime_dont_use_autosuspend(dev);
            RuntimePm.pm_runtime_disable(dev);
        }
    }

    /** kshim_job_id: a job is named by its command BO's DMA address (QBASE); 0 if it has none. */
    static long kshim_job_id(DrmSchedJob sched_job) {
        EthosuJob.Job job = (EthosuJob.Job) sched_job;
        if (job == null || Slab.poisoned_ptr(job.cmd_bo) || job.cmd_bo == null) return 0;
        return job.cmd_bo.dma_addr;
    }

    /** Null with ret[0] set when the open fails. */
    static Gem.EbenchFile glue_file_open(Kdev d, EthosuJob driver, int[] ret) {
        Gem.EbenchFile f = Slab.kzalloc(Gem.EbenchFile.SIZEOF, Slab.GFP_KERNEL, "glue_file_open", Gem.EbenchFile::new);
        if (f == null) {
            ret[0] = -Kshim.ENOMEM;
            return null;
        }
        EthosuDevice.EthosuFilePriv priv = Slab.kzalloc(EthosuDevice.EthosuFilePriv.SIZEOF, Slab.GFP_KERNEL,
                "glue_file_open", EthosuDevice.EthosuFilePriv::new);
        if (priv == null) {
            Slab.kfree(f, "glue_file_open");
            ret[0] = -Kshim.ENOMEM;
            return null;
        }
        priv.edev = (EthosuDevice) d.drvdata;
        Locking.__spin_lock_init(f.file.table_lock, "table_lock");
        f.file.driver_priv = priv;
        f.file.client_id = ++d.next_client_id;
        int err = driver.ethosu_job_open(priv);
        // drm_open_helper() fails the open only on a negative value
        if (err > 0)
            Kshim.finding(KernelReport.Kind.CONVENTION, "glue_file_open", String.format(
                    "ethosu_job_open() returned %d: a driver's open returns 0 or a negative errno; DRM core takes %d for success",
                    err, err));
        if (err < 0) {
            Slab.kfree(priv, "glue_file_open");
            Slab.kfree(f, "glue_file_open");
            ret[0] = err;
            return null;
        }
        ret[0] = 0;
        return f;
    }

    static void glue_file_close(Kdev d, EthosuJob driver, Gem.EbenchFile f) {
        EthosuDevice.EthosuFilePriv priv = f.file.driver_priv;
        driver.ethosu_job_close(priv);
        for (int i = 0; i < f.file.handle_cap; i++)
            if (f.file.handles[i] != null) Gem.drm_gem_handle_delete(f.file, i + 1);
        Slab.kfree(f.file.handles_mem, "glue_file_close");
        Slab.kfree(priv, "glue_file_close");
        Slab.kfree(f, "glue_file_close");
    }
}
