// SPDX-License-Identifier: GPL-2.0-only
/*
 * pm.c - runtime PM and the device's clocks, after mainline v7.2's
 * drivers/base/power/runtime.c: usage count, status and disable depth under
 * power.lock; resume and suspend callbacks run in the caller's context with
 * the lock dropped (the status says RESUMING/SUSPENDING meanwhile, and other
 * callers wait for the transition); autosuspend after the delay from the last
 * busy time, on pm_wq; force suspend/resume as 6.16+ have them (the status
 * stays ACTIVE across a forced suspend of a device with other users).
 *
 * Deviations (docs/KERNEL-SEMANTICS.md): pm_wq is system_wq, and the
 * autosuspend hrtimer and the pm_wq request it queues are one delayed work;
 * no parents, children, suppliers, idle callbacks or QoS.
 */
#include <linux/clk.h>
#include <linux/jiffies.h>
#include <linux/pm_runtime.h>
#include <linux/workqueue.h>

#include "kdev.h"

/* rpm_*() flags, as mainline's */
#define RPM_ASYNC	0x01	/* request: run it on pm_wq */
#define RPM_NOWAIT	0x02	/* do not wait for a transition in progress */
#define RPM_GET_PUT	0x04	/* bump (or drop) the usage count */
#define RPM_AUTO	0x08	/* honour the autosuspend delay */

static int rpm_suspend(struct device *dev, int rpmflags);

/* ---- clocks -------------------------------------------------------------- */

int clk_bulk_prepare_enable(int num_clks, const struct clk_bulk_data *clks)
{
	struct ebench_dev *d = kshim_dev();

	kshim_might_sleep("clk_bulk_prepare_enable");
	kshim_point(KSHIM_LABEL(EBENCH_PT_OTHER, "clk_bulk_prepare_enable(npu)"), clks, 0);
	__atomic_store_n(&d->clk_on, true, __ATOMIC_SEQ_CST);
	__atomic_store_n(&d->clk_gated_reported, false, __ATOMIC_SEQ_CST);
	return 0;
}

void clk_bulk_disable_unprepare(int num_clks, const struct clk_bulk_data *clks)
{
	struct ebench_dev *d = kshim_dev();

	kshim_might_sleep("clk_bulk_disable_unprepare");
	kshim_point(KSHIM_LABEL(EBENCH_PT_OTHER, "clk_bulk_disable_unprepare(npu)"), clks, 0);
	__atomic_store_n(&d->clk_on, false, __ATOMIC_SEQ_CST);
}

/* ---- status -------------------------------------------------------------- */

static void __update_runtime_status(struct device *dev, enum rpm_status status)
{
	dev->power.runtime_status = status;
	if (kshim_trace(1))
		kshim_event(EBENCH_EV_PM, status, 0, 0, dev, 0, 0);
}

/* One of the device's PM callbacks (call: enum ebench_call), bracketed by call events. */
static int call_pm(struct device *dev, int call, int (*fn)(struct device *dev))
{
	int ret;

	if (!fn)
		return 0;
	kshim_call_start(call, 0, 0, dev);
	ret = fn(dev);
	kshim_call_end(call, 0, 0, dev, ret);
	return ret;
}

/* A transition ended: wake whoever waits for it (power.wait_queue). */
static void rpm_wake_waiters(struct device *dev)
{
	__atomic_add_fetch(&dev->power.wait_seq, 1, __ATOMIC_SEQ_CST);
	kshim_wake(&dev->power.wait_seq);
}

/* Wait, with power.lock dropped, until the status is no longer @status; what: a wait label. */
static void rpm_wait_transition(struct device *dev, enum rpm_status status, u32 what)
{
	while (dev->power.runtime_status == status) {
		u32 s = __atomic_load_n(&dev->power.wait_seq, __ATOMIC_SEQ_CST);

		spin_unlock(&dev->power.lock);
		kshim_wait(&dev->power.wait_seq, s, U64_MAX, what);
		spin_lock(&dev->power.lock);
	}
}

static void pm_runtime_work(struct work_struct *work);

void pm_runtime_init(struct device *dev)
{
	__spin_lock_init(&dev->power.lock, "power_lock");
	dev->power.usage_count = 0;
	dev->power.disable_depth = 1;
	dev->power.runtime_status = RPM_SUSPENDED;
	dev->power.last_status = RPM_INVALID;
	dev->power.runtime_error = 0;
	dev->power.needs_force_resume = false;
	dev->power.use_autosuspend = false;
	dev->power.autosuspend_delay = 0;
	dev->power.last_busy = 0;
	dev->power.timer_expires = 0;
	INIT_DELAYED_WORK(&dev->power.work, pm_runtime_work);
	dev->power.initialised = true;
}

bool pm_runtime_status_suspended(struct device *dev)
{
	return dev->power.runtime_status == RPM_SUSPENDED;
}

bool pm_runtime_suspended(struct device *dev)
{
	return dev->power.runtime_status == RPM_SUSPENDED && !dev->power.disable_depth;
}

bool pm_runtime_active(struct device *dev)
{
	return dev->power.runtime_status == RPM_ACTIVE || dev->power.disable_depth;
}

/* ---- autosuspend --------------------------------------------------------- */

/* When the autosuspend delay expires, 0 if it has or autosuspend is off. */
static u64 pm_runtime_autosuspend_expiration(struct device *dev)
{
	int delay;
	u64 expires;

	if (!dev->power.use_autosuspend)
		return 0;
	delay = __atomic_load_n(&dev->power.autosuspend_delay, __ATOMIC_RELAXED);
	if (delay < 0)
		return 0;
	expires = __atomic_load_n(&dev->power.last_busy, __ATOMIC_RELAXED) +
		  (u64)delay * NSEC_PER_MSEC;
	return expires > kshim_clock() ? expires : 0;
}

void pm_runtime_mark_last_busy(struct device *dev)
{
	__atomic_store_n(&dev->power.last_busy, kshim_clock(), __ATOMIC_RELAXED);
}

/*
 * pm_wq: the timer fired, or a suspend was requested: suspend now unless
 * the device became busy again (rpm_suspend() re-checks everything).
 */
static void pm_runtime_work(struct work_struct *work)
{
	struct device *dev = container_of(to_delayed_work(work), struct device, power.work);

	spin_lock(&dev->power.lock);
	dev->power.timer_expires = 0;
	rpm_suspend(dev, RPM_NOWAIT | RPM_AUTO);
	spin_unlock(&dev->power.lock);
}

/* ---- resume and suspend (power.lock held) ----------------------------------- */

static int rpm_callback(int call, int (*cb)(struct device *), struct device *dev)
{
	int retval;

	spin_unlock(&dev->power.lock);
	retval = call_pm(dev, call, cb);
	spin_lock(&dev->power.lock);
	dev->power.runtime_error = retval;
	return retval != -EACCES ? retval : -EIO;
}

static int rpm_check_suspend_allowed(struct device *dev)
{
	if (dev->power.runtime_error)
		return -EINVAL;
	if (dev->power.disable_depth > 0)
		return -EACCES;
	if (__atomic_load_n(&dev->power.usage_count, __ATOMIC_SEQ_CST) > 0)
		return -EAGAIN;
	if (dev->power.runtime_status == RPM_SUSPENDED)
		return 1;
	return 0;
}

static int rpm_suspend(struct device *dev, int rpmflags)
{
	int retval;
	u64 expires;

repeat:
	retval = rpm_check_suspend_allowed(dev);
	if (retval < 0)
		goto out;	/* conditions are wrong */
	if (dev->power.runtime_status == RPM_RESUMING && !(rpmflags & RPM_ASYNC))
		retval = -EAGAIN;
	if (retval)
		goto out;

	/* the autosuspend delay has not expired yet: (re)arm the timer for it */
	if ((rpmflags & RPM_AUTO) && dev->power.runtime_status != RPM_SUSPENDING) {
		expires = pm_runtime_autosuspend_expiration(dev);
		if (expires) {
			/* an earlier timer stays: it re-checks when it fires */
			if (!dev->power.timer_expires || dev->power.timer_expires > expires) {
				dev->power.timer_expires = expires;
				mod_delayed_work(kshim_system_wq(), &dev->power.work,
						 nsecs_to_jiffies(expires - kshim_clock()) + 1);
			}
			goto out;
		}
	}

	if (dev->power.runtime_status == RPM_SUSPENDING) {
		if (rpmflags & (RPM_ASYNC | RPM_NOWAIT)) {
			retval = -EINPROGRESS;
			goto out;
		}
		rpm_wait_transition(dev, RPM_SUSPENDING,
				    KSHIM_LABEL(EBENCH_WAIT_EVENT, "rpm_suspend: waits for a suspend"));
		goto repeat;
	}

	if (rpmflags & RPM_ASYNC) {
		dev->power.timer_expires = 0;
		mod_delayed_work(kshim_system_wq(), &dev->power.work, 0);
		goto out;
	}

	__update_runtime_status(dev, RPM_SUSPENDING);
	retval = rpm_callback(EBENCH_CALL_RUNTIME_SUSPEND,
			      dev->pm_ops ? dev->pm_ops->runtime_suspend : NULL, dev);
	if (retval) {
		__update_runtime_status(dev, RPM_ACTIVE);
		if (retval == -EAGAIN || retval == -EBUSY)
			dev->power.runtime_error = 0;
	} else {
		__update_runtime_status(dev, RPM_SUSPENDED);
	}
	rpm_wake_waiters(dev);
out:
	return retval;
}

static int rpm_resume(struct device *dev, int rpmflags)
{
	int retval = 0;

repeat:
	if (dev->power.runtime_error) {
		retval = -EINVAL;
	} else if (dev->power.disable_depth > 0) {
		if (dev->power.runtime_status == RPM_ACTIVE &&
		    dev->power.last_status == RPM_ACTIVE)
			retval = 1;
		else
			retval = -EACCES;
	}
	if (retval)
		goto out;

	/* an autosuspend timer stays armed: it finds the device busy */
	if (dev->power.runtime_status == RPM_ACTIVE) {
		retval = 1;
		goto out;
	}

	if (dev->power.runtime_status == RPM_RESUMING ||
	    dev->power.runtime_status == RPM_SUSPENDING) {
		if (rpmflags & (RPM_ASYNC | RPM_NOWAIT)) {
			retval = -EINPROGRESS;
			goto out;
		}
		rpm_wait_transition(dev, dev->power.runtime_status,
				    KSHIM_LABEL(EBENCH_WAIT_EVENT, "rpm_resume: waits for a transition"));
		goto repeat;
	}

	__update_runtime_status(dev, RPM_RESUMING);
	/* bench: the "pm-get" fault makes the device's resume callback fail */
	if (kshim_fault(EBENCH_FAULT_PM_GET, "rpm_resume")) {
		dev->power.runtime_error = -EIO;
		retval = -EIO;
	} else {
		retval = rpm_callback(EBENCH_CALL_RUNTIME_RESUME,
				      dev->pm_ops ? dev->pm_ops->runtime_resume : NULL, dev);
	}
	if (retval)
		__update_runtime_status(dev, RPM_SUSPENDED);
	else
		__update_runtime_status(dev, RPM_ACTIVE);
	rpm_wake_waiters(dev);
out:
	return retval;
}

/* Drop a usage reference; 0 when it was the last, > 0 when others remain. */
static int rpm_drop_usage_count(struct device *dev)
{
	int ret = __atomic_sub_fetch(&dev->power.usage_count, 1, __ATOMIC_SEQ_CST);

	if (ret >= 0) {
		kshim_count(KC_PM_USAGE, -1);
		return ret;
	}
	__atomic_add_fetch(&dev->power.usage_count, 1, __ATOMIC_SEQ_CST);
	kshim_finding(EBENCH_F_WARN, "WARNING: %s: Runtime PM usage count underflow!", dev_name(dev));
	return -EINVAL;
}

static int __pm_runtime_resume(struct device *dev, int rpmflags)
{
	int retval;

	kshim_might_sleep("pm_runtime_resume");
	if (rpmflags & RPM_GET_PUT) {
		__atomic_add_fetch(&dev->power.usage_count, 1, __ATOMIC_SEQ_CST);
		kshim_count(KC_PM_USAGE, 1);
	}
	spin_lock(&dev->power.lock);
	retval = rpm_resume(dev, rpmflags);
	spin_unlock(&dev->power.lock);
	return retval;
}

static int __pm_runtime_suspend(struct device *dev, int rpmflags)
{
	int retval;

	if (rpmflags & RPM_GET_PUT) {
		retval = rpm_drop_usage_count(dev);
		if (retval < 0)
			return retval;
		if (retval > 0)
			return 0;
	}
	if (!(rpmflags & RPM_ASYNC))
		kshim_might_sleep("pm_runtime_suspend");
	spin_lock(&dev->power.lock);
	retval = rpm_suspend(dev, rpmflags);
	spin_unlock(&dev->power.lock);
	return retval;
}

int pm_runtime_resume_and_get(struct device *dev)
{
	int ret = __pm_runtime_resume(dev, RPM_GET_PUT);

	if (ret < 0) {
		pm_runtime_put_noidle(dev);
		return ret;
	}
	return 0;
}

int pm_runtime_get_sync(struct device *dev)
{
	return __pm_runtime_resume(dev, RPM_GET_PUT);
}

/* A reference only while the device is active: 1, else 0; -EINVAL while runtime PM is disabled. */
int pm_runtime_get_if_active(struct device *dev)
{
	int retval;

	spin_lock(&dev->power.lock);
	if (dev->power.disable_depth > 0) {
		retval = -EINVAL;
	} else if (dev->power.runtime_status != RPM_ACTIVE) {
		retval = 0;
	} else {
		__atomic_add_fetch(&dev->power.usage_count, 1, __ATOMIC_SEQ_CST);
		kshim_count(KC_PM_USAGE, 1);
		retval = 1;
	}
	spin_unlock(&dev->power.lock);
	return retval;
}

void pm_runtime_get_noresume(struct device *dev)
{
	__atomic_add_fetch(&dev->power.usage_count, 1, __ATOMIC_SEQ_CST);
	kshim_count(KC_PM_USAGE, 1);
}

void pm_runtime_put_noidle(struct device *dev)
{
	rpm_drop_usage_count(dev);
}

/* v6.17+: the put marks the device busy itself before the delay starts */
int pm_runtime_put_autosuspend(struct device *dev)
{
	pm_runtime_mark_last_busy(dev);
	return __pm_runtime_suspend(dev, RPM_GET_PUT | RPM_ASYNC | RPM_AUTO);
}

/* No idle callback: an idle notification goes straight to an autosuspend. */
int pm_runtime_put(struct device *dev)
{
	return __pm_runtime_suspend(dev, RPM_GET_PUT | RPM_ASYNC | RPM_AUTO);
}

int pm_runtime_put_sync(struct device *dev)
{
	return __pm_runtime_suspend(dev, RPM_GET_PUT | RPM_AUTO);
}

/* ---- enable, disable, status --------------------------------------------- */

void pm_runtime_enable(struct device *dev)
{
	spin_lock(&dev->power.lock);
	if (!dev->power.disable_depth)
		dev_warn(dev, "Unbalanced %s!\n", __func__);
	else if (--dev->power.disable_depth == 0)
		dev->power.last_status = RPM_INVALID;
	spin_unlock(&dev->power.lock);
}

/*
 * __pm_runtime_disable(): the first disable cancels a pending autosuspend,
 * waits for a transition in progress and remembers the status it leaves.
 */
void pm_runtime_disable(struct device *dev)
{
	kshim_might_sleep("pm_runtime_disable");
	spin_lock(&dev->power.lock);
	if (dev->power.disable_depth > 0) {
		dev->power.disable_depth++;
		spin_unlock(&dev->power.lock);
		return;
	}
	dev->power.disable_depth++;
	/* __pm_runtime_barrier() */
	dev->power.timer_expires = 0;
	spin_unlock(&dev->power.lock);
	cancel_delayed_work_sync(&dev->power.work);
	spin_lock(&dev->power.lock);
	if (dev->power.runtime_status == RPM_SUSPENDING ||
	    dev->power.runtime_status == RPM_RESUMING)
		rpm_wait_transition(dev, dev->power.runtime_status,
				    KSHIM_LABEL(EBENCH_WAIT_EVENT, "pm_runtime_disable: waits for a transition"));
	dev->power.last_status = dev->power.runtime_status;
	spin_unlock(&dev->power.lock);
}

static int __pm_runtime_set_status(struct device *dev, enum rpm_status status)
{
	int error = 0;

	spin_lock(&dev->power.lock);
	if (dev->power.disable_depth <= 0)
		error = -EAGAIN;	/* only while runtime PM is disabled */
	else if (dev->power.runtime_status != status || dev->power.runtime_error) {
		dev->power.runtime_error = 0;
		__update_runtime_status(dev, status);
	}
	spin_unlock(&dev->power.lock);
	return error;
}

int pm_runtime_set_active(struct device *dev)
{
	return __pm_runtime_set_status(dev, RPM_ACTIVE);
}

int pm_runtime_set_suspended(struct device *dev)
{
	return __pm_runtime_set_status(dev, RPM_SUSPENDED);
}

int devm_pm_runtime_enable(struct device *dev)
{
	pm_runtime_enable(dev);
	return 0;
}

int devm_pm_runtime_set_active_enabled(struct device *dev)
{
	int err = pm_runtime_set_active(dev);

	if (err)
		return err;
	return devm_pm_runtime_enable(dev);
}

void pm_runtime_set_autosuspend_delay(struct device *dev, int delay)
{
	spin_lock(&dev->power.lock);
	dev->power.autosuspend_delay = delay;
	spin_unlock(&dev->power.lock);
}

void pm_runtime_use_autosuspend(struct device *dev)
{
	spin_lock(&dev->power.lock);
	dev->power.use_autosuspend = true;
	spin_unlock(&dev->power.lock);
}

/* update_autosuspend(): no longer deferred, an idle device suspends now. */
void pm_runtime_dont_use_autosuspend(struct device *dev)
{
	spin_lock(&dev->power.lock);
	dev->power.use_autosuspend = false;
	if (!rpm_check_suspend_allowed(dev) && dev->power.runtime_status == RPM_ACTIVE)
		rpm_suspend(dev, RPM_AUTO);
	spin_unlock(&dev->power.lock);
}

/* ---- forced transitions (a reset, for ethosu) ----------------------------- */

/* No other user: the device may stay suspended afterwards. */
static bool pm_runtime_need_not_resume(struct device *dev)
{
	return __atomic_load_n(&dev->power.usage_count, __ATOMIC_SEQ_CST) <= 1;
}

/**
 * pm_runtime_force_suspend - suspend with runtime PM disabled
 * @dev: the device
 *
 * Disables runtime PM (until pm_runtime_force_resume()), then runs the
 * suspend callback unless the device is suspended already. Without other
 * users it becomes SUSPENDED (and a pm_runtime_resume_and_get() meanwhile
 * fails with -EACCES); with other users it keeps its ACTIVE status and is
 * marked for pm_runtime_force_resume() to resume.
 */
int pm_runtime_force_suspend(struct device *dev)
{
	int ret = 0;

	kshim_might_sleep("pm_runtime_force_suspend");
	pm_runtime_disable(dev);
	if (pm_runtime_status_suspended(dev) || dev->power.needs_force_resume)
		return 0;

	if (dev->pm_ops)
		ret = call_pm(dev, EBENCH_CALL_RUNTIME_SUSPEND, dev->pm_ops->runtime_suspend);
	if (ret) {
		pm_runtime_enable(dev);
		return ret;
	}

	if (pm_runtime_need_not_resume(dev))
		pm_runtime_set_suspended(dev);
	else
		dev->power.needs_force_resume = true;
	return 0;
}

/**
 * pm_runtime_force_resume - undo pm_runtime_force_suspend()
 * @dev: the device
 *
 * Runs the resume callback only for a device marked by the force suspend
 * (it had other users); a device that had none stays suspended until its
 * next pm_runtime_resume_and_get(). Enables runtime PM again either way.
 */
int pm_runtime_force_resume(struct device *dev)
{
	int ret = 0;

	kshim_might_sleep("pm_runtime_force_resume");
	if (!dev->power.needs_force_resume)
		goto out;

	if (dev->pm_ops)
		ret = call_pm(dev, EBENCH_CALL_RUNTIME_RESUME, dev->pm_ops->runtime_resume);
	if (ret) {
		pm_runtime_set_suspended(dev);
		goto out;
	}

	pm_runtime_mark_last_busy(dev);
out:
	dev->power.needs_force_resume = false;
	pm_runtime_enable(dev);
	return ret;
}
