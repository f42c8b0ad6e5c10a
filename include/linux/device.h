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
/* mainline files that include only device.h use readl/writel (ethosu_perfmon.c) */
#include <linux/io.h>

struct ebench_dev;
struct device;

struct dev_pm_ops {
	int (*runtime_suspend)(struct device *dev);
	int (*runtime_resume)(struct device *dev);
};

struct dev_pm_info {
	int usage_count;
	bool active;		/* RPM_ACTIVE (else suspended) */
	bool forced;		/* suspended by pm_runtime_force_suspend */
	bool enabled;
	int autosuspend_delay;
	int last_error;
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
