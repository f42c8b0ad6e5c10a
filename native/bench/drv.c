// SPDX-License-Identifier: GPL-2.0-only
/*
 * drv.c - the bench's stand-in for ethosu_drv.c (mainline 2991f9f794c9):
 * probe and remove in its order, the runtime-PM callbacks (resume enables
 * the clocks and resets the NPU, suspend gates the clocks; a 50 ms
 * autosuspend delay), and file open/close as DRM core calls them.
 */
#include <linux/clk.h>
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

/* ethosu_reset(): the reset sequence of the hardware (ethosu-job-spec.md). */
static int ethosu_bench_reset(struct ethosu_device *edev)
{
	void __iomem *regs = edev->regs;
	struct device *dev = edev->base.dev;
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

/* ethosu_device_resume(): clocks on, then the reset; clocks off again if it fails. */
static int ethosu_bench_runtime_resume(struct device *dev)
{
	struct ethosu_device *edev = to_edev(dev);
	int ret;

	ret = clk_bulk_prepare_enable(edev->num_clks, edev->clks);
	if (ret)
		return ret;

	ret = ethosu_bench_reset(edev);
	if (!ret)
		return 0;

	clk_bulk_disable_unprepare(edev->num_clks, edev->clks);
	return ret;
}

/* ethosu_device_suspend(): only gates the clocks. */
static int ethosu_bench_runtime_suspend(struct device *dev)
{
	struct ethosu_device *edev = to_edev(dev);

	clk_bulk_disable_unprepare(edev->num_clks, edev->clks);
	return 0;
}

/*
 * The board wires the NPU's interrupt as a level-triggered line: asserted
 * while STATUS says an IRQ is raised (until CMD clear-IRQ or a reset). A peek
 * at the register file, not an access by the driver: no scheduling point.
 */
static bool ethosu_bench_irq_line(struct ebench_dev *d)
{
	u32 status = __atomic_load_n((u32 *)((u8 *)d->regs + NPU_REG_STATUS), __ATOMIC_ACQUIRE);

	return status & STATUS_IRQ_RAISED;
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
	d->irq.line_asserted = ethosu_bench_irq_line;
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

/*
 * ethosu_init(), the part that matters here: the device is resumed by hand,
 * runtime PM is set up around it (autosuspend after 50 ms) and a usage
 * reference is taken for the rest of probe.
 */
static int ethosu_bench_init(struct ethosu_device *edev)
{
	struct device *dev = edev->base.dev;
	int ret;

	ret = ethosu_bench_runtime_resume(dev);
	if (ret)
		return ret;

	pm_runtime_set_autosuspend_delay(dev, 50);
	pm_runtime_use_autosuspend(dev);
	ret = devm_pm_runtime_set_active_enabled(dev);
	if (ret)
		return ret;
	pm_runtime_get_noresume(dev);

	edev->npu_info.id = readl_relaxed(edev->regs + NPU_REG_ID);
	edev->npu_info.config = readl_relaxed(edev->regs + NPU_REG_CONFIG);
	return 0;
}

/*
 * ethosu_probe(), in its order: the job half (scheduler, IRQ) first, then
 * the device itself; an ethosu_init() failure leaves the scheduler as
 * mainline leaves it. The clocks are off until ethosu_init() resumes.
 */
int glue_probe(struct ebench_dev *d)
{
	struct ethosu_device *edev = d->drvdata;
	struct device *dev = &d->pdev.dev;
	int ret;

	edev->npu_info.id = d->cfg.npu_id;
	edev->npu_info.config = d->cfg.npu_config;
	edev->npu_info.sram_size = d->cfg.sram_size;
	edev->irq = d->pdev.irq;
	if (d->cfg.sram_size)
		edev->sramphys = GLUE_SRAM_PHYS;
	pm_runtime_init(dev);
	__atomic_store_n(&d->clk_managed, true, __ATOMIC_RELEASE);

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
	if (ret)
		goto err_devres;

	ret = ethosu_bench_init(edev);
	if (ret)
		goto err_devres;

	pm_runtime_put_autosuspend(dev);
	d->probed = true;
	return 0;

err_devres:
	/* a failed probe releases its devres: the devm IRQ, runtime PM */
	if (d->irq.registered)
		free_irq(d->pdev.irq, edev);
	if (dev->power.disable_depth == 0) {
		pm_runtime_dont_use_autosuspend(dev);
		pm_runtime_disable(dev);
	}
	return ret;
}

/*
 * ethosu_remove(), then the devres actions of probe: runtime PM stops
 * (devm_pm_runtime_set_active_enabled()'s action: no autosuspend, disable).
 */
void glue_remove(struct ebench_dev *d)
{
	struct device *dev = &d->pdev.dev;

	if (d->probed)
		ethosu_job_fini(d->drvdata);
	d->probed = false;
	if (dev->power.initialised) {
		pm_runtime_dont_use_autosuspend(dev);
		pm_runtime_disable(dev);
	}
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
	/* drm_open_helper() fails the open only on a negative value */
	if (err > 0)
		kshim_finding(EBENCH_F_CONVENTION,
			      "ethosu_job_open() returned %d: a driver's open returns 0 or a negative errno; DRM core takes %d for success",
			      err, err);
	if (err < 0) {
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
	int ret = ethosu_ioctl_submit(&edev->base, args, &f->file);

	if (ret > 0 || ret < -MAX_ERRNO)
		kshim_finding(EBENCH_F_CONVENTION,
			      "DRM_IOCTL_ETHOSU_SUBMIT returned %d: an ioctl returns 0 or a negative errno", ret);
	return ret;
}

void glue_layout(struct ebench_sizes *l)
{
	l->job_size = sizeof(struct drm_ethosu_job);
	l->submit_size = sizeof(struct drm_ethosu_submit);
}

/*
 * Test-only (ebench_selftest_irq, the shim tests of irq.c): a handler pair on
 * the device's line in place of the driver's, on a device that was not probed.
 * It follows the usual shape: the hard handler checks STATUS, optionally
 * acknowledges (CMD clear-IRQ) and wakes the thread.
 */
struct selftest_irq {
	struct ebench_dev *d;
	int flags;
};

/*
 * The handler's data was freed by free_irq()'s caller: free_irq() returned
 * while this handler still ran or was still to run. Reported as KASAN would,
 * instead of dereferencing the poison.
 */
static bool selftest_freed(struct selftest_irq *st, const char *fn)
{
	if (!kshim_poisoned_u32(&st->flags))
		return false;
	kshim_finding(EBENCH_F_UAF,
		      "BUG: KASAN: slab-use-after-free in %s: the handler's data was freed after free_irq() returned",
		      fn);
	return true;
}

static irqreturn_t selftest_hard(int irq, void *arg)
{
	struct selftest_irq *st = arg;
	u32 status;

	if (selftest_freed(st, "selftest_hard"))
		return IRQ_NONE;
	status = readl_relaxed((u8 *)st->d->regs + NPU_REG_STATUS);

	if (!(status & STATUS_IRQ_RAISED))
		return IRQ_NONE;
	if (st->flags & EBENCH_SELFTEST_IRQF_CLEAR_HARD)
		writel_relaxed(CMD_CLEAR_IRQ, (u8 *)st->d->regs + NPU_REG_CMD);
	if (st->flags & EBENCH_SELFTEST_IRQF_DISABLE_IN_HARD)
		disable_irq(irq);
	return (st->flags & EBENCH_SELFTEST_IRQF_NO_THREAD) ? IRQ_HANDLED : IRQ_WAKE_THREAD;
}

static irqreturn_t selftest_thread(int irq, void *arg)
{
	struct selftest_irq *st = arg;

	if (selftest_freed(st, "selftest_thread"))
		return IRQ_NONE;
	readl_relaxed((u8 *)st->d->regs + NPU_REG_STATUS);
	if (st->flags & EBENCH_SELFTEST_IRQF_SLEEP_IN_THREAD) {
		msleep(1);
		if (selftest_freed(st, "selftest_thread"))
			return IRQ_NONE;
	}
	if (st->flags & EBENCH_SELFTEST_IRQF_CLEAR_THREAD)
		writel_relaxed(CMD_CLEAR_IRQ, (u8 *)st->d->regs + NPU_REG_CMD);
	if (st->flags & EBENCH_SELFTEST_IRQF_SYNC_IN_THREAD)
		synchronize_irq(irq);
	return IRQ_HANDLED;
}

int32_t ebench_selftest_irq(struct ebench_ctx *ec, int32_t op, int32_t arg)
{
	struct kshim_ctx *c = (struct kshim_ctx *)ec;
	struct ebench_dev *d = c->kd;
	struct selftest_irq *st;
	spinlock_t lock;
	int irq;

	kshim_cur = c;
	irq = d->pdev.irq;
	st = (struct selftest_irq *)d->selftest_irq;
	switch (op) {
	case EBENCH_SELFTEST_IRQ_REQUEST: {
		unsigned long flags = (arg & EBENCH_SELFTEST_IRQF_ONESHOT) ? IRQF_ONESHOT : 0;

		st = kzalloc(sizeof(*st), GFP_KERNEL);
		if (!st)
			return -ENOMEM;
		st->d = d;
		st->flags = arg;
		d->selftest_irq = st;
		return request_threaded_irq(irq, (arg & EBENCH_SELFTEST_IRQF_NO_PRIMARY) ? NULL : selftest_hard,
					    (arg & EBENCH_SELFTEST_IRQF_NO_THREAD) ? NULL : selftest_thread,
					    flags, "selftest", st);
	}
	case EBENCH_SELFTEST_IRQ_FREE:
		free_irq(irq, st);
		kfree(st);
		d->selftest_irq = NULL;
		return 0;
	case EBENCH_SELFTEST_IRQ_DISABLE:
		disable_irq(irq);
		return 0;
	case EBENCH_SELFTEST_IRQ_DISABLE_NOSYNC:
		disable_irq_nosync(irq);
		return 0;
	case EBENCH_SELFTEST_IRQ_ENABLE:
		enable_irq(irq);
		return 0;
	case EBENCH_SELFTEST_IRQ_SYNC:
		synchronize_irq(irq);
		return 0;
	case EBENCH_SELFTEST_IRQ_DISABLE_ATOMIC:
		spin_lock_init(&lock);
		spin_lock(&lock);
		disable_irq(irq);
		spin_unlock(&lock);
		enable_irq(irq);
		return 0;
	default:
		return -EINVAL;
	}
}
