/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/device.h - a device: its name for log lines, its driver data and its
 * runtime-PM state. dev_err() and friends print into the run's trace.
 */
#ifndef _LINUX_DEVICE_H
#define _LINUX_DEVICE_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
/* mainline files that include only device.h use readl/writel (ethosu_perfmon.c) */
#include <linux/io.h>

struct ebench_dev;
struct device;

struct dev_pm_ops {
	int (*runtime_suspend)(struct device *dev);
	int (*runtime_resume)(struct device *dev);
};

enum rpm_status {
	RPM_INVALID = -1,
	RPM_ACTIVE = 0,
	RPM_RESUMING,
	RPM_SUSPENDED,
	RPM_SUSPENDING,
};

/*
 * The runtime-PM state of a device (mainline's struct dev_pm_info, the part
 * runtime.c uses). @work stands for both the autosuspend hrtimer and the
 * pm_wq request it queues: one delayed work whose deadline is the timer's.
 */
struct dev_pm_info {
	spinlock_t lock;		/* power.lock */
	int usage_count;		/* atomic */
	int disable_depth;		/* runtime PM disabled while > 0 */
	enum rpm_status runtime_status;
	enum rpm_status last_status;	/* runtime_status when disabled */
	int runtime_error;		/* a failed callback: sticky -EINVAL until cleared */
	bool needs_force_resume;
	bool use_autosuspend;
	int autosuspend_delay;		/* ms; < 0: never */
	u64 last_busy;			/* ns */
	u64 timer_expires;		/* the autosuspend timer's expiry, 0: not armed */
	bool initialised;
	struct delayed_work work;	/* pm_runtime_work on pm_wq, armed at the timer's expiry */
	u32 wait_seq;			/* power.wait_queue: a transition ended */
};

struct device {
	const char *name;
	struct ebench_dev *kd;		/* the bench device this one belongs to */
	void *driver_data;
	const struct dev_pm_ops *pm_ops;
	struct dev_pm_info power;
};

static inline const char *dev_name(const struct device *dev)
{
	return dev ? dev->name : "(NULL device *)";
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

#define dev_err(dev, fmt, ...)	kshim_printk(KERN_ERR, dev_name(dev), fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)	kshim_printk(KERN_WARNING, dev_name(dev), fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...)	kshim_printk(KERN_INFO, dev_name(dev), fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...)	kshim_printk(KERN_DEBUG, dev_name(dev), fmt, ##__VA_ARGS__)
#define dev_err_probe(dev, err, fmt, ...) \
	({ dev_err(dev, fmt, ##__VA_ARGS__); (err); })

#define devm_kzalloc(dev, size, gfp)	kzalloc(size, gfp)
#define devm_kfree(dev, p)		kfree(p)

#endif
