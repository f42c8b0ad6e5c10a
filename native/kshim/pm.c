// SPDX-License-Identifier: GPL-2.0-only
/*
 * pm.c - runtime PM: a usage count and an active/suspended state; resume and
 * suspend run the device's callbacks in the caller's context (for ethosu,
 * runtime resume is the reset). Transitions are serialised by a mutex, as
 * the kernel serialises them on the device's power lock and status.
 */
#include <linux/pm_runtime.h>

#include "kdev.h"

/* One of the device's PM callbacks (call: enum ebench_call), bracketed by call events. */
static int call_pm(struct device *dev, int call, int (*fn)(struct device *dev))
{
	int ret;

	kshim_call_start(call, 0, 0, dev);
	ret = fn(dev);
	kshim_call_end(call, 0, 0, dev, ret);
	return ret;
}

static int rpm_resume(struct device *dev)
{
	struct ebench_dev *d = dev->kd;
	int ret = 0;

	mutex_lock(&d->pm_lock);
	if (!dev->power.active) {
		if (dev->pm_ops && dev->pm_ops->runtime_resume)
			ret = call_pm(dev, EBENCH_CALL_RUNTIME_RESUME, dev->pm_ops->runtime_resume);
		if (!ret)
			dev->power.active = true;
		dev->power.last_error = ret;
	}
	mutex_unlock(&d->pm_lock);
	return ret;
}

int pm_runtime_resume_and_get(struct device *dev)
{
	int ret;

	kshim_might_sleep("pm_runtime_resume_and_get");
	__atomic_add_fetch(&dev->power.usage_count, 1, __ATOMIC_SEQ_CST);
	kshim_count(KC_PM_USAGE, 1);
	ret = rpm_resume(dev);
	if (ret) {
		__atomic_sub_fetch(&dev->power.usage_count, 1, __ATOMIC_SEQ_CST);
		kshim_count(KC_PM_USAGE, -1);
	}
	return ret;
}

/* A reference only if the device is powered: 1, else 0 (-EINVAL: runtime PM disabled). */
int pm_runtime_get_if_active(struct device *dev)
{
	struct ebench_dev *d = dev->kd;
	int ret = 0;

	if (!dev->power.enabled)
		return -EINVAL;
	mutex_lock(&d->pm_lock);
	if (dev->power.active) {
		__atomic_add_fetch(&dev->power.usage_count, 1, __ATOMIC_SEQ_CST);
		kshim_count(KC_PM_USAGE, 1);
		ret = 1;
	}
	mutex_unlock(&d->pm_lock);
	return ret;
}

int pm_runtime_get_sync(struct device *dev)
{
	kshim_might_sleep("pm_runtime_get_sync");
	__atomic_add_fetch(&dev->power.usage_count, 1, __ATOMIC_SEQ_CST);
	kshim_count(KC_PM_USAGE, 1);
	return rpm_resume(dev) ?: 1;
}

static int rpm_put(struct device *dev)
{
	int n = __atomic_sub_fetch(&dev->power.usage_count, 1, __ATOMIC_SEQ_CST);

	if (n < 0) {
		kshim_finding(EBENCH_F_WARN, "WARNING: runtime PM usage count underflow on %s",
			      dev_name(dev));
		__atomic_store_n(&dev->power.usage_count, 0, __ATOMIC_SEQ_CST);
		return -EINVAL;
	}
	kshim_count(KC_PM_USAGE, -1);
	return 0;
}

/* Autosuspend is not modelled: the device stays powered until forced down. */
int pm_runtime_put_autosuspend(struct device *dev)
{
	return rpm_put(dev);
}

int pm_runtime_put(struct device *dev)
{
	return rpm_put(dev);
}

int pm_runtime_put_sync(struct device *dev)
{
	return rpm_put(dev);
}

void pm_runtime_put_noidle(struct device *dev)
{
	rpm_put(dev);
}

int pm_runtime_force_suspend(struct device *dev)
{
	struct ebench_dev *d = dev->kd;
	int ret = 0;

	kshim_might_sleep("pm_runtime_force_suspend");
	mutex_lock(&d->pm_lock);
	if (dev->power.active) {
		if (dev->pm_ops && dev->pm_ops->runtime_suspend)
			ret = call_pm(dev, EBENCH_CALL_RUNTIME_SUSPEND, dev->pm_ops->runtime_suspend);
		if (!ret) {
			dev->power.active = false;
			dev->power.forced = true;
		}
	}
	mutex_unlock(&d->pm_lock);
	return ret;
}

int pm_runtime_force_resume(struct device *dev)
{
	struct ebench_dev *d = dev->kd;
	int ret = 0;

	kshim_might_sleep("pm_runtime_force_resume");
	mutex_lock(&d->pm_lock);
	if (!dev->power.active && dev->power.forced) {
		if (dev->pm_ops && dev->pm_ops->runtime_resume)
			ret = call_pm(dev, EBENCH_CALL_RUNTIME_RESUME, dev->pm_ops->runtime_resume);
		if (!ret)
			dev->power.active = true;
		dev->power.forced = false;
	}
	mutex_unlock(&d->pm_lock);
	return ret;
}

void pm_runtime_mark_last_busy(struct device *dev)
{
	(void)dev;
}

void pm_runtime_set_autosuspend_delay(struct device *dev, int delay)
{
	dev->power.autosuspend_delay = delay;
}

void pm_runtime_use_autosuspend(struct device *dev)
{
	(void)dev;
}

int pm_runtime_set_active(struct device *dev)
{
	dev->power.active = true;
	return 0;
}

int devm_pm_runtime_enable(struct device *dev)
{
	dev->power.enabled = true;
	return 0;
}

bool pm_runtime_active(struct device *dev)
{
	return dev->power.active;
}
