// SPDX-License-Identifier: GPL-2.0-only
/*
 * drv.c - the bench's stand-in for ethosu_drv.c and ethosu_device.c: probe
 * (the driver's device struct on our platform device), runtime-PM callbacks
 * (resume is the reset sequence of the hardware), and file open/close.
 */
#include <linux/iopoll.h>
#include <linux/pm_runtime.h>
#include <drm/drm_file.h>

#include "ethosu_device.h"
#include "ethosu_drv.h"
#include "ethosu_gem.h"
#include "ethosu_job.h"
#include "glue.h"

static struct ethosu_device *to_edev(struct device *dev)
{
	return dev->kd->drvdata;
}

/* The reset the driver's runtime resume performs (ethosu-job-spec.md). */
static int ethosu_bench_runtime_resume(struct device *dev)
{
	struct ethosu_device *edev = to_edev(dev);
	void __iomem *regs = edev->regs;
	u32 status, prot;
	int ret;

	writel_relaxed(RESET_PENDING_CSL, regs + NPU_REG_RESET);
	ret = readl_poll_timeout(regs + NPU_REG_STATUS, status,
				 !(status & STATUS_RESET_STATUS),
				 USEC_PER_MSEC, USEC_PER_SEC);
	if (ret) {
		dev_err(dev, "Failed to reset NPU (STATUS = 0x%x)\n", status);
		kshim_event(EBENCH_EV_RESET, 0, 0, 0, NULL, ret, 0);
		return ret;
	}
	prot = readl_relaxed(regs + NPU_REG_PROT);
	if (!(prot & PROT_ACTIVE_CSL))
		dev_warn(dev, "Could not reset to non-secure mode (PROT = 0x%x)\n", prot);

	writel_relaxed(0x0000aa8a, regs + NPU_REG_REGIONCFG);
	if (ethosu_is_u65(edev)) {
		writel_relaxed(0x1f3f00b0, regs + NPU_REG_AXILIMIT0);
		writel_relaxed(0x1f3f0002, regs + NPU_REG_AXILIMIT2);
	} else {
		writel_relaxed(0x00021f3f, regs + NPU_REG_AXI_SRAM);
		writel_relaxed(0x00021f3f, regs + NPU_REG_AXI_EXT);
		writel_relaxed(0, regs + NPU_REG_MEM_ATTR0);
		writel_relaxed(0xb7, regs + NPU_REG_MEM_ATTR2);
	}
	kshim_count(KC_RESETS, 1);
	kshim_event(EBENCH_EV_RESET, 0, 0, 0, NULL, 0, 0);
	return 0;
}

/* Runtime suspend only gates clocks: nothing the job code can see. */
static int ethosu_bench_runtime_suspend(struct device *dev)
{
	(void)dev;
	return 0;
}

static const struct dev_pm_ops ethosu_bench_pm_ops = {
	.runtime_suspend = ethosu_bench_runtime_suspend,
	.runtime_resume = ethosu_bench_runtime_resume,
};

int glue_alloc_device(struct ebench_dev *d)
{
	struct ethosu_device *edev = kshim_dev_zalloc(d, sizeof(*edev));

	if (!edev)
		return -ENOMEM;
	d->drvdata = edev;
	d->pdev.dev.pm_ops = &ethosu_bench_pm_ops;
	edev->base.dev = &d->pdev.dev;
	edev->base.dev_private = edev;
	edev->regs = d->regs;
	/* what the NPU reads before its first reset; no context yet: a plain store */
	*(volatile u32 *)((u8 *)d->regs + NPU_REG_ID) = d->cfg.npu_id;
	*(volatile u32 *)((u8 *)d->regs + NPU_REG_CONFIG) = d->cfg.npu_config;
	return 0;
}

/* The register ebench_probe_writel() writes: one without side effects while idle. */
u32 glue_probe_reg(void)
{
	return NPU_REG_QCONFIG;
}

void glue_free_device(struct ebench_dev *d)
{
	kshim_dev_free(d, d->drvdata);
	d->drvdata = NULL;
}

int glue_probe(struct ebench_dev *d)
{
	struct ethosu_device *edev = d->drvdata;
	int ret;

	edev->npu_info.id = d->cfg.npu_id;
	edev->npu_info.config = d->cfg.npu_config;
	edev->npu_info.sram_size = d->cfg.sram_size;
	edev->irq = d->pdev.irq;
	if (d->cfg.sram_size)
		edev->sramphys = GLUE_SRAM_PHYS;
	/* powered down until the first job's pm_runtime_resume_and_get */
	d->pdev.dev.power.active = false;
	d->pdev.dev.power.enabled = true;
#ifdef EBENCH_PERFMON_STATE
	/*
	 * The performance-counter generation: what mainline's probe sets up before
	 * ethosu_job_init(). The PMU sits in the one register window on both NPUs
	 * here (the U85's is 0x1000 further on hardware, beyond the 4 KiB file);
	 * the bench attaches no perfmon, so run_job only takes the lock.
	 */
	edev->pmu_regs = edev->regs;
	mutex_init(&edev->perfmon_state.lock);
	edev->npu_info.pmu_counters = ethosu_is_u65(edev) ? 4 : 8;
#endif
	ret = ethosu_job_init(edev);
	d->probed = !ret;
	return ret;
}

void glue_remove(struct ebench_dev *d)
{
	if (d->probed)
		ethosu_job_fini(d->drvdata);
	d->probed = false;
}

u64 kshim_job_id(struct drm_sched_job *sched_job)
{
	struct ethosu_job *job = container_of(sched_job, struct ethosu_job, base);

	if (!job || kshim_poisoned_ptr(job->cmd_bo) || !job->cmd_bo)
		return 0;
	return to_drm_gem_dma_obj(job->cmd_bo)->dma_addr;
}

struct ebench_file *glue_file_open(struct ebench_dev *d, int32_t *ret)
{
	struct ebench_file *f = kzalloc(sizeof(*f), GFP_KERNEL);
	struct ethosu_file_priv *priv;
	int err;

	if (!f) {
		*ret = -ENOMEM;
		return NULL;
	}
	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv) {
		kfree(f);
		*ret = -ENOMEM;
		return NULL;
	}
	priv->edev = d->drvdata;
	spin_lock_init(&f->file.table_lock);
	f->file.driver_priv = priv;
	f->file.client_id = __atomic_add_fetch(&d->next_client_id, 1, __ATOMIC_RELAXED);
	f->file.dev = &((struct ethosu_device *)d->drvdata)->base;
	err = ethosu_job_open(priv);
	if (err) {
		kfree(priv);
		kfree(f);
		*ret = err;
		return NULL;
	}
#ifdef EBENCH_PERFMON_STATE
	ethosu_perfmon_open_file(priv);
#endif
	*ret = 0;
	return f;
}

void glue_file_close(struct ebench_dev *d, struct ebench_file *f)
{
	struct ethosu_file_priv *priv = f->file.driver_priv;
	u32 i;

	(void)d;
	ethosu_job_close(priv);
#ifdef EBENCH_PERFMON_STATE
	ethosu_perfmon_close_file(priv);
#endif
	for (i = 0; i < f->file.handle_cap; i++)
		if (f->file.handles[i])
			drm_gem_handle_delete(&f->file, i + 1);
	kfree(f->file.handles);
	kfree(priv);
	kfree(f);
}

int glue_submit(struct ebench_dev *d, struct ebench_file *f, void *args)
{
	struct ethosu_device *edev = d->drvdata;

	return ethosu_ioctl_submit(&edev->base, args, &f->file);
}

void glue_layout(struct ebench_sizes *l)
{
	l->job_size = sizeof(struct drm_ethosu_job);
	l->submit_size = sizeof(struct drm_ethosu_submit);
}
