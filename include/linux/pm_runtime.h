/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/pm_runtime.h - runtime PM with a usage count; resume and suspend run
 * the device's callbacks in the caller's context (so force_resume performs
 * the driver's reset there). The count is checked at teardown.
 */
#ifndef _LINUX_PM_RUNTIME_H
#define _LINUX_PM_RUNTIME_H

#include <linux/device.h>

int pm_runtime_resume_and_get(struct device *dev);
int pm_runtime_get_sync(struct device *dev);
int pm_runtime_get_if_active(struct device *dev);
int pm_runtime_put(struct device *dev);
int pm_runtime_put_autosuspend(struct device *dev);
int pm_runtime_put_sync(struct device *dev);
void pm_runtime_put_noidle(struct device *dev);
int pm_runtime_force_suspend(struct device *dev);
int pm_runtime_force_resume(struct device *dev);
void pm_runtime_mark_last_busy(struct device *dev);
void pm_runtime_set_autosuspend_delay(struct device *dev, int delay);
void pm_runtime_use_autosuspend(struct device *dev);
int pm_runtime_set_active(struct device *dev);
int devm_pm_runtime_enable(struct device *dev);
bool pm_runtime_active(struct device *dev);

#endif
