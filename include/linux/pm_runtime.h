/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/pm_runtime.h - runtime PM as mainline v7.2's drivers/base/power/
 * runtime.c has it: a usage count, a status (active, resuming, suspended,
 * suspending), a disable depth, autosuspend after a delay from the last busy
 * time (a delayed work on pm_wq, here system_wq), and force suspend/resume.
 * Callbacks run in the caller's context (the reset, for ethosu's resume).
 */
#ifndef _LINUX_PM_RUNTIME_H
#define _LINUX_PM_RUNTIME_H

#include <linux/device.h>

void pm_runtime_init(struct device *dev);
int pm_runtime_resume_and_get(struct device *dev);
int pm_runtime_get_sync(struct device *dev);
void pm_runtime_get_noresume(struct device *dev);
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
void pm_runtime_dont_use_autosuspend(struct device *dev);
int pm_runtime_set_active(struct device *dev);
int pm_runtime_set_suspended(struct device *dev);
void pm_runtime_enable(struct device *dev);
void pm_runtime_disable(struct device *dev);
int devm_pm_runtime_enable(struct device *dev);
int devm_pm_runtime_set_active_enabled(struct device *dev);
bool pm_runtime_active(struct device *dev);
bool pm_runtime_suspended(struct device *dev);
bool pm_runtime_status_suspended(struct device *dev);

#endif
