// The model's pm.c (drivers/base/power/runtime.c in the kernel): a usage count and an
// active/suspended state; resume and suspend run the device's callbacks in the caller's context
// (for ethosu, runtime resume is the reset). Transitions are serialised by pm_lock, as the kernel
// serialises them on the device's power lock and status.
package ethosu.bench.model;

import ethosu.bench.event.Call;
import ethosu.bench.event.KernelReport;

public final class RuntimePm {
    private RuntimePm() {}

    /** struct dev_pm_ops: the runtime callbacks. */
    public interface DevPmOps {
        int runtime_suspend(Kdev.Device dev);

        int runtime_resume(Kdev.Device dev);
    }

    /** struct dev_pm_info: the runtime-PM part. */
    public static final class DevPmInfo {
        int usage_count;
        boolean active;
        boolean forced;
        boolean enabled;
        int last_error;
        int autosuspend_delay;

        public int usage_count() {
            return usage_count;
        }
    }

    /** One of the device's PM callbacks, bracketed by call events. */
    private static int call_pm(Kdev.Device dev, Call call, java.util.function.ToIntFunction<Kdev.Device> fn) {
        Kshim.call_start(call, null, 0, dev);
        int ret = fn.applyAsInt(dev);
        Kshim.call_end(call, null, 0, dev, ret);
        return ret;
    }

    private static int rpm_resume(Kdev.Device dev) {
        Kdev d = dev.kd;
        int ret = 0;
        Locking.mutex_lock(d.pm_lock);
        if (!dev.power.active) {
            if (dev.pm_ops != null) ret = call_pm(dev, Call.RUNTIME_RESUME, dev.pm_ops::runtime_resume);
            if (ret == 0) dev.power.active = true;
            dev.power.last_error = ret;
        }
        Locking.mutex_unlock(d.pm_lock);
        return ret;
    }

    public static int pm_runtime_resume_and_get(Kdev.Device dev) {
        Kshim.might_sleep("pm_runtime_resume_and_get");
        dev.power.usage_count++;
        Kshim.count(Kdev.C_PM_USAGE, 1);
        int ret = rpm_resume(dev);
        if (ret != 0) {
            dev.power.usage_count--;
            Kshim.count(Kdev.C_PM_USAGE, -1);
        }
        return ret;
    }

    private static int rpm_put(Kdev.Device dev) {
        int n = --dev.power.usage_count;
        if (n < 0) {
            Kshim.finding(KernelReport.Kind.WARN, "rpm_put", "WARNING: runtime PM usage count underflow on " + dev.name);
            dev.power.usage_count = 0;
            return -Kshim.EINVAL;
        }
        Kshim.count(Kdev.C_PM_USAGE, -1);
        return 0;
    }

    /** Autosuspend is not modelled: the device stays powered until forced down. */
    public static int pm_runtime_put_autosuspend(Kdev.Device dev) {
        return rpm_put(dev);
    }

    public static int pm_runtime_force_suspend(Kdev.Device dev) {
        Kdev d = dev.kd;
        int ret = 0;
        Kshim.might_sleep("pm_runtime_force_suspend");
        Locking.mutex_lock(d.pm_lock);
        if (dev.power.active) {
            if (dev.pm_ops != null) ret = call_pm(dev, Call.RUNTIME_SUSPEND, dev.pm_ops::runtime_suspend);
            if (ret == 0) {
                dev.power.active = false;
                dev.power.forced = true;
            }
        }
        Locking.mutex_unlock(d.pm_lock);
        return ret;
    }

    public static int pm_runtime_force_resume(Kdev.Device dev) {
        Kdev d = dev.kd;
        int ret = 0;
        Kshim.might_sleep("pm_runtime_force_resume");
        Locking.mutex_lock(d.pm_lock);
        if (!dev.power.active && dev.power.forced) {
            if (dev.pm_ops != null) ret = call_pm(dev, Call.RUNTIME_RESUME, dev.pm_ops::runtime_resume);
            if (ret == 0) dev.power.active = true;
            dev.power.forced = false;
        }
        Locking.mutex_unlock(d.pm_lock);
        return ret;
    }
}
