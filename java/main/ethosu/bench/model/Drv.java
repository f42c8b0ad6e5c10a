// The model's drv.c (the bench's stand-in for ethosu_drv.c and ethosu_device.c): probe, the
// runtime-PM callbacks (resume is the hardware's reset sequence), file open and close, and how
// traces name a job.
package ethosu.bench.model;

import ethosu.bench.event.Reset;
import ethosu.bench.hw.Regs;
import ethosu.bench.model.GpuScheduler.DrmSchedJob;

public final class Drv {
    private Drv() {}

    /** The reset the driver's runtime resume performs (ethosu-job-spec.md). */
    static int ethosu_bench_runtime_resume(Kdev.Device dev) {
        EthosuDevice edev = (EthosuDevice) dev.kd.drvdata;
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

    /** Runtime suspend only gates clocks: nothing the job code can see. */
    static final RuntimePm.DevPmOps ethosu_bench_pm_ops = new RuntimePm.DevPmOps() {
        @Override
        public int runtime_suspend(Kdev.Device dev) {
            return 0;
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
        // powered down until the first job's pm_runtime_resume_and_get
        d.pdev.dev.power.active = false;
        d.pdev.dev.power.enabled = true;
        int ret = driver.ethosu_job_init(edev);
        d.probed = ret == 0;
        return ret;
    }

    static void glue_remove(Kdev d, EthosuJob driver) {
        if (d.probed) driver.ethosu_job_fini((EthosuDevice) d.drvdata);
        d.probed = false;
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
        if (err != 0) {
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
