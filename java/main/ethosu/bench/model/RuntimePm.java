// The model's pm.c (mainline v7.2 drivers/base/power/runtime.c): usage count, status and disable
// depth under power.lock; resume and suspend callbacks run in the caller's context with the lock
// dropped (RESUMING/SUSPENDING meanwhile, other callers wait for the transition); autosuspend after
// the delay from the last busy time, a delayed work on system_wq (standing for pm_wq and its
// hrtimer); force suspend/resume as 6.16+ have them; and the device's clocks.
package ethosu.bench.model;

import ethosu.bench.event.Call;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Label;
import ethosu.bench.event.PointKind;
import ethosu.bench.event.WaitKind;

public final class RuntimePm {
    private RuntimePm() {}

    // enum rpm_status
    public static final int RPM_INVALID = -1, RPM_ACTIVE = 0, RPM_RESUMING = 1, RPM_SUSPENDED = 2, RPM_SUSPENDING = 3;
    // rpm_*() flags, as mainline's
    static final int RPM_ASYNC = 0x01, RPM_NOWAIT = 0x02, RPM_GET_PUT = 0x04, RPM_AUTO = 0x08;
    static final long NSEC_PER_MSEC = 1_000_000L;

    /** struct dev_pm_ops: the runtime callbacks. */
    public interface DevPmOps {
        int runtime_suspend(Kdev.Device dev);

        int runtime_resume(Kdev.Device dev);
    }

    /** struct dev_pm_info: the part runtime.c uses. */
    public static final class DevPmInfo {
        final Locking.Spinlock lock = new Locking.Spinlock();
        int usage_count;
        /** runtime PM disabled while > 0 */
        int disable_depth;
        int runtime_status = RPM_SUSPENDED;
        /** runtime_status when disabled */
        int last_status = RPM_INVALID;
        /** a failed callback: sticky -EINVAL until cleared */
        int runtime_error;
        boolean needs_force_resume;
        boolean use_autosuspend;
        /** ms; < 0: never */
        int autosuspend_delay;
        /** ns */
        long last_busy;
        /** the autosuspend timer's expiry, 0: not armed */
        long timer_expires;
        boolean initialised;
        /** pm_runtime_work on pm_wq, armed at the timer's expiry */
        final Workqueue.DelayedWork work = new Workqueue.DelayedWork();
        /** power.wait_queue: a transition ended */
        final Kshim.Word wait_seq = new Kshim.Word();

        public int usage_count() {
            return usage_count;
        }
    }

    // ---- clocks

    private static final Label CLK_ON = Kshim.label(PointKind.OTHER, "clk_bulk_prepare_enable(npu)"),
            CLK_OFF = Kshim.label(PointKind.OTHER, "clk_bulk_disable_unprepare(npu)");

    static int clk_bulk_prepare_enable(Object clks) {
        Kdev d = Kshim.dev();
        Kshim.might_sleep("clk_bulk_prepare_enable");
        Kshim.point(CLK_ON, clks, 0);
        d.clk_on = true;
        d.clk_gated_reported = false;
        return 0;
    }

    static void clk_bulk_disable_unprepare(Object clks) {
        Kdev d = Kshim.dev();
        Kshim.might_sleep("clk_bulk_disable_unprepare");
        Kshim.point(CLK_OFF, clks, 0);
        d.clk_on = false;
    }

    // ---- status

    private static void __update_runtime_status(Kdev.Device dev, int status) {
        dev.power.runtime_status = status;
        if (Kshim.trace(1)) Kshim.pmStatus(status, dev);
    }

    /** One of the device's PM callbacks, bracketed by call events. */
    private static int call_pm(Kdev.Device dev, Call call, java.util.function.ToIntFunction<Kdev.Device> fn) {
        if (fn == null) return 0;
        Kshim.call_start(call, null, 0, dev);
        int ret = fn.applyAsInt(dev);
        Kshim.call_end(call, null, 0, dev, ret);
        return ret;
    }

    private static java.util.function.ToIntFunction<Kdev.Device> suspend_cb(Kdev.Device dev) {
        return dev.pm_ops != null ? dev.pm_ops::runtime_suspend : null;
    }

    private static java.util.function.ToIntFunction<Kdev.Device> resume_cb(Kdev.Device dev) {
        return dev.pm_ops != null ? dev.pm_ops::runtime_resume : null;
    }

    /** A transition ended: wake whoever waits for it (power.wait_queue). */
    private static void rpm_wake_waiters(Kdev.Device dev) {
        Kshim.waitq_wake(dev.power.wait_seq);
    }

    /** Wait, with power.lock dropped, until the status is no longer status. */
    private static void rpm_wait_transition(Kdev.Device dev, int status, Label what) {
        while (dev.power.runtime_status == status) {
            int s = dev.power.wait_seq.value;
            Locking.spin_unlock(dev.power.lock);
            Kshim.wait(dev.power.wait_seq, s, Long.MAX_VALUE, what);
            Locking.spin_lock(dev.power.lock);
        }
    }

    public static void pm_runtime_init(Kdev.Device dev) {
        DevPmInfo p = dev.power;
        Locking.__spin_lock_init(p.lock, "power_lock");
        p.usage_count = 0;
        p.disable_depth = 1;
        p.runtime_status = RPM_SUSPENDED;
        p.last_status = RPM_INVALID;
        p.runtime_error = 0;
        p.needs_force_resume = false;
        p.use_autosuspend = false;
        p.autosuspend_delay = 0;
        p.last_busy = 0;
        p.timer_expires = 0;
        Workqueue.INIT_DELAYED_WORK(p.work, w -> pm_runtime_work(dev), "pm_runtime_work");
        p.initialised = true;
    }

    public static boolean pm_runtime_status_suspended(Kdev.Device dev) {
        return dev.power.runtime_status == RPM_SUSPENDED;
    }

    public static boolean pm_runtime_suspended(Kdev.Device dev) {
        return dev.power.runtime_status == RPM_SUSPENDED && dev.power.disable_depth == 0;
    }

    public static boolean pm_runtime_active(Kdev.Device dev) {
        return dev.power.runtime_status == RPM_ACTIVE || dev.power.disable_depth != 0;
    }

    // ---- autosuspend

    /** When the autosuspend delay expires, 0 if it has or autosuspend is off. */
    private static long pm_runtime_autosuspend_expiration(Kdev.Device dev) {
        if (!dev.power.use_autosuspend) return 0;
        int delay = dev.power.autosuspend_delay;
        if (delay < 0) return 0;
        long expires = dev.power.last_busy + (long) delay * NSEC_PER_MSEC;
        return Long.compareUnsigned(expires, Kshim.clock()) > 0 ? expires : 0;
    }

    public static void pm_runtime_mark_last_busy(Kdev.Device dev) {
        dev.power.last_busy = Kshim.clock();
    }

    /** pm_wq: the timer fired, or a suspend was requested: suspend now unless busy again. */
    private static void pm_runtime_work(Kdev.Device dev) {
        Locking.spin_lock(dev.power.lock);
        dev.power.timer_expires = 0;
        rpm_suspend(dev, RPM_NOWAIT | RPM_AUTO);
        Locking.spin_unlock(dev.power.lock);
    }

    // ---- resume and suspend (power.lock held)

    private static int rpm_callback(Call call, java.util.function.ToIntFunction<Kdev.Device> cb, Kdev.Device dev) {
        Locking.spin_unlock(dev.power.lock);
        int retval = call_pm(dev, call, cb);
        Locking.spin_lock(dev.power.lock);
        dev.power.runtime_error = retval;
        return retval != -Kshim.EACCES ? retval : -Kshim.EIO;
    }

    private static int rpm_check_suspend_allowed(Kdev.Device dev) {
        if (dev.power.runtime_error != 0) return -Kshim.EINVAL;
        if (dev.power.disable_depth > 0) return -Kshim.EACCES;
        if (dev.power.usage_count > 0) return -Kshim.EAGAIN;
        if (dev.power.runtime_status == RPM_SUSPENDED) return 1;
        return 0;
    }

    private static final Label WAIT_SUSPEND = Kshim.label(WaitKind.EVENT, "rpm_suspend: waits for a suspend"),
            WAIT_RESUME = Kshim.label(WaitKind.EVENT, "rpm_resume: waits for a transition"),
            WAIT_DISABLE = Kshim.label(WaitKind.EVENT, "pm_runtime_disable: waits for a transition");

    private static int rpm_suspend(Kdev.Device dev, int rpmflags) {
        int retval;
        for (;;) { // repeat:
            retval = rpm_check_suspend_allowed(dev);
            if (retval < 0) return retval; // conditions are wrong
            if (dev.power.runtime_status == RPM_RESUMING && (rpmflags & RPM_ASYNC) == 0) retval = -Kshim.EAGAIN;
            if (retval != 0) return retval;

            // the autosuspend delay has not expired yet: (re)arm the timer for it
            if ((rpmflags & RPM_AUTO) != 0 && dev.power.runtime_status != RPM_SUSPENDING) {
                long expires = pm_runtime_autosuspend_expiration(dev);
                if (expires != 0) {
                    // an earlier timer stays: it re-checks when it fires
                    if (dev.power.timer_expires == 0 || Long.compareUnsigned(dev.power.timer_expires, expires) > 0) {
                        dev.power.timer_expires = expires;
                        Workqueue.mod_delayed_work(Workqueue.system_wq(), dev.power.work,
                                Kshim.nsecs_to_jiffies(expires - Kshim.clock()) + 1);
                    }
                    return retval;
                }
            }

            if (dev.power.runtime_status == RPM_SUSPENDING) {
                if ((rpmflags & (RPM_ASYNC | RPM_NOWAIT)) != 0) return -Kshim.EINPROGRESS;
                rpm_wait_transition(dev, RPM_SUSPENDING, WAIT_SUSPEND);
                continue;
            }
            break;
        }

        if ((rpmflags & RPM_ASYNC) != 0) {
            dev.power.timer_expires = 0;
            Workqueue.mod_delayed_work(Workqueue.system_wq(), dev.power.work, 0);
            return retval;
        }

        __update_runtime_status(dev, RPM_SUSPENDING);
        retval = rpm_callback(Call.RUNTIME_SUSPEND, suspend_cb(dev), dev);
        if (retval != 0) {
            __update_runtime_status(dev, RPM_ACTIVE);
            if (retval == -Kshim.EAGAIN || retval == -Kshim.EBUSY) dev.power.runtime_error = 0;
        } else {
            __update_runtime_status(dev, RPM_SUSPENDED);
        }
        rpm_wake_waiters(dev);
        return retval;
    }

    private static int rpm_resume(Kdev.Device dev, int rpmflags) {
        int retval = 0;
        for (;;) { // repeat:
            if (dev.power.runtime_error != 0) {
                retval = -Kshim.EINVAL;
            } else if (dev.power.disable_depth > 0) {
                if (dev.power.runtime_status == RPM_ACTIVE && dev.power.last_status == RPM_ACTIVE)
                    retval = 1;
                else
                    retval = -Kshim.EACCES;
            }
            if (retval != 0) return retval;

            // an autosuspend timer stays armed: it finds the device busy
            if (dev.power.runtime_status == RPM_ACTIVE) return 1;

            if (dev.power.runtime_status == RPM_RESUMING || dev.power.runtime_status == RPM_SUSPENDING) {
                if ((rpmflags & (RPM_ASYNC | RPM_NOWAIT)) != 0) return -Kshim.EINPROGRESS;
                rpm_wait_transition(dev, dev.power.runtime_status, WAIT_RESUME);
                continue;
            }
            break;
        }

        __update_runtime_status(dev, RPM_RESUMING);
        // bench: the "pm-get" fault makes the device's resume callback fail
        if (Kshim.fault(Kshim.FAULT_PM_GET, "rpm_resume")) {
            dev.power.runtime_error = -Kshim.EIO;
            retval = -Kshim.EIO;
        } else {
            retval = rpm_callback(Call.RUNTIME_RESUME, resume_cb(dev), dev);
        }
        if (retval != 0)
            __update_runtime_status(dev, RPM_SUSPENDED);
        else
            __update_runtime_status(dev, RPM_ACTIVE);
        rpm_wake_waiters(dev);
        return retval;
    }

    /** Drop a usage reference; 0 when it was the last, > 0 when others remain. */
    private static int rpm_drop_usage_count(Kdev.Device dev) {
        int ret = --dev.power.usage_count;
        if (ret >= 0) {
            Kshim.count(Kdev.C_PM_USAGE, -1);
            return ret;
        }
        dev.power.usage_count++;
        Kshim.finding(KernelReport.Kind.WARN, "rpm_drop_usage_count",
                "WARNING: " + Printk.dev_name(dev) + ": Runtime PM usage count underflow!");
        return -Kshim.EINVAL;
    }

    private static int __pm_runtime_resume(Kdev.Device dev, int rpmflags) {
        Kshim.might_sleep("pm_runtime_resume");
        if ((rpmflags & RPM_GET_PUT) != 0) {
            dev.power.usage_count++;
            Kshim.count(Kdev.C_PM_USAGE, 1);
        }
        Locking.spin_lock(dev.power.lock);
        int retval = rpm_resume(dev, rpmflags);
        Locking.spin_unlock(dev.power.lock);
        return retval;
    }

    private static int __pm_runtime_suspend(Kdev.Device dev, int rpmflags) {
        if ((rpmflags & RPM_GET_PUT) != 0) {
            int retval = rpm_drop_usage_count(dev);
            if (retval < 0) return retval;
            if (retval > 0) return 0;
        }
        if ((rpmflags & RPM_ASYNC) == 0) Kshim.might_sleep("pm_runtime_suspend");
        Locking.spin_lock(dev.power.lock);
        int retval = rpm_suspend(dev, rpmflags);
        Locking.spin_unlock(dev.power.lock);
        return retval;
    }

    public static int pm_runtime_resume_and_get(Kdev.Device dev) {
        int ret = __pm_runtime_resume(dev, RPM_GET_PUT);
        if (ret < 0) {
            pm_runtime_put_noidle(dev);
            return ret;
        }
        return 0;
    }

    public static int pm_runtime_get_sync(Kdev.Device dev) {
        return __pm_runtime_resume(dev, RPM_GET_PUT);
    }

    public static void pm_runtime_get_noresume(Kdev.Device dev) {
        dev.power.usage_count++;
        Kshim.count(Kdev.C_PM_USAGE, 1);
    }

    public static void pm_runtime_put_noidle(Kdev.Device dev) {
        rpm_drop_usage_count(dev);
    }

    /** v6.17+: the put marks the device busy itself before the delay starts. */
    public static int pm_runtime_put_autosuspend(Kdev.Device dev) {
        pm_runtime_mark_last_busy(dev);
        return __pm_runtime_suspend(dev, RPM_GET_PUT | RPM_ASYNC | RPM_AUTO);
    }

    // ---- enable, disable, status

    public static void pm_runtime_enable(Kdev.Device dev) {
        Locking.spin_lock(dev.power.lock);
        if (dev.power.disable_depth == 0)
            Printk.dev_warn(dev, "Unbalanced pm_runtime_enable!\n");
        else if (--dev.power.disable_depth == 0)
            dev.power.last_status = RPM_INVALID;
        Locking.spin_unlock(dev.power.lock);
    }

    /**
     * __pm_runtime_disable(): the first disable cancels a pending autosuspend, waits for a
     * transition in progress and remembers the status it leaves.
     */
    public static void pm_runtime_disable(Kdev.Device dev) {
        Kshim.might_sleep("pm_runtime_disable");
        Locking.spin_lock(dev.power.lock);
        if (dev.power.disable_depth > 0) {
            dev.power.disable_depth++;
            Locking.spin_unlock(dev.power.lock);
            return;
        }
        dev.power.disable_depth++;
        // __pm_runtime_barrier()
        dev.power.timer_expires = 0;
        Locking.spin_unlock(dev.power.lock);
        Workqueue.cancel_delayed_work_sync(dev.power.work);
        Locking.spin_lock(dev.power.lock);
        if (dev.power.runtime_status == RPM_SUSPENDING || dev.power.runtime_status == RPM_RESUMING)
            rpm_wait_transition(dev, dev.power.runtime_status, WAIT_DISABLE);
        dev.power.last_status = dev.power.runtime_status;
        Locking.spin_unlock(dev.power.lock);
    }

    private static int __pm_runtime_set_status(Kdev.Device dev, int status) {
        int error = 0;
        Locking.spin_lock(dev.power.lock);
        if (dev.power.disable_depth <= 0) {
            error = -Kshim.EAGAIN; // only while runtime PM is disabled
        } else if (dev.power.runtime_status != status || dev.power.runtime_error != 0) {
            dev.power.runtime_error = 0;
            __update_runtime_status(dev, status);
        }
        Locking.spin_unlock(dev.power.lock);
        return error;
    }

    public static int pm_runtime_set_active(Kdev.Device dev) {
        return __pm_runtime_set_status(dev, RPM_ACTIVE);
    }

    public static int pm_runtime_set_suspended(Kdev.Device dev) {
        return __pm_runtime_set_status(dev, RPM_SUSPENDED);
    }

    public static int devm_pm_runtime_enable(Kdev.Device dev) {
        pm_runtime_enable(dev);
        return 0;
    }

    public static int devm_pm_runtime_set_active_enabled(Kdev.Device dev) {
        int err = pm_runtime_set_active(dev);
        if (err != 0) return err;
        return devm_pm_runtime_enable(dev);
    }

    public static void pm_runtime_set_autosuspend_delay(Kdev.Device dev, int delay) {
        Locking.spin_lock(dev.power.lock);
        dev.power.autosuspend_delay = delay;
        Locking.spin_unlock(dev.power.lock);
    }

    public static void pm_runtime_use_autosuspend(Kdev.Device dev) {
        Locking.spin_lock(dev.power.lock);
        dev.power.use_autosuspend = true;
        Locking.spin_unlock(dev.power.lock);
    }

    /** update_autosuspend(): no longer deferred, an idle device suspends now. */
    public static void pm_runtime_dont_use_autosuspend(Kdev.Device dev) {
        Locking.spin_lock(dev.power.lock);
        dev.power.use_autosuspend = false;
        if (rpm_check_suspend_allowed(dev) == 0 && dev.power.runtime_status == RPM_ACTIVE) rpm_suspend(dev, RPM_AUTO);
        Locking.spin_unlock(dev.power.lock);
    }

    // ---- forced transitions (a reset, for ethosu)

    /** No other user: the device may stay suspended afterwards. */
    private static boolean pm_runtime_need_not_resume(Kdev.Device dev) {
        return dev.power.usage_count <= 1;
    }

    /**
     * pm_runtime_force_suspend: disables runtime PM (until pm_runtime_force_resume()), then runs
     * the suspend callback unless the device is suspended already. Without other users it becomes
     * SUSPENDED (a pm_runtime_resume_and_get() meanwhile fails with -EACCES); with other users it
     * keeps its ACTIVE status and is marked for pm_runtime_force_resume() to resume.
     */
    public static int pm_runtime_force_suspend(Kdev.Device dev) {
        int ret = 0;
        Kshim.might_sleep("pm_runtime_force_suspend");
        pm_runtime_disable(dev);
        if (pm_runtime_status_suspended(dev) || dev.power.needs_force_resume) return 0;
        if (dev.pm_ops != null) ret = call_pm(dev, Call.RUNTIME_SUSPEND, dev.pm_ops::runtime_suspend);
        if (ret != 0) {
            pm_runtime_enable(dev);
            return ret;
        }
        if (pm_runtime_need_not_resume(dev))
            pm_runtime_set_suspended(dev);
        else
            dev.power.needs_force_resume = true;
        return 0;
    }

    /**
     * pm_runtime_force_resume: runs the resume callback only for a device marked by the force
     * suspend (it had other users); enables runtime PM again either way.
     */
    public static int pm_runtime_force_resume(Kdev.Device dev) {
        int ret = 0;
        Kshim.might_sleep("pm_runtime_force_resume");
        if (dev.power.needs_force_resume) {
            if (dev.pm_ops != null) ret = call_pm(dev, Call.RUNTIME_RESUME, dev.pm_ops::runtime_resume);
            if (ret != 0) pm_runtime_set_suspended(dev);
            else pm_runtime_mark_last_busy(dev);
        }
        dev.power.needs_force_resume = false;
        pm_runtime_enable(dev);
        return ret;
    }
}
