// The model's irq.c (kernel/irq/manage.c and handle.c in the kernel): one threaded interrupt line per
// device. The hardirq context runs the primary handler when the device raises the line;
// IRQ_WAKE_THREAD marks the thread pending and wakes irq/ethosu, which runs the thread function;
// wakes while it runs coalesce into one more run, as in the kernel.
package ethosu.bench.model;

import ethosu.bench.event.Call;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Label;
import ethosu.bench.event.PointKind;
import ethosu.bench.event.WaitKind;

public final class Irq {
    private Irq() {}

    // irqreturn_t
    public static final int IRQ_NONE = 0, IRQ_HANDLED = 1, IRQ_WAKE_THREAD = 2;
    public static final long IRQF_SHARED = 0x80;

    /** irq_handler_t */
    public interface Handler {
        int handle(int irq, Object data);
    }

    public static int platform_get_irq(Kdev.PlatformDevice pdev, int num) {
        if (num != 0 || pdev.irq <= 0) {
            Printk.dev_err(pdev.dev, "IRQ index " + num + " not found");
            return -Kshim.ENXIO;
        }
        return pdev.irq;
    }

    public static int request_threaded_irq(int irq, Handler handler, Handler thread_fn, long irqflags, String devname,
                                           Object dev_id) {
        Kdev d = Kshim.dev();
        Kshim.might_sleep("request_threaded_irq");
        if (irq != d.pdev.irq) return -Kshim.EINVAL;
        if (handler == null && thread_fn == null) return -Kshim.EINVAL;
        if (d.irq.registered) return -Kshim.EBUSY; // one handler per line is all the bench models
        if ((irqflags & IRQF_SHARED) != 0 && dev_id == null) return -Kshim.EINVAL;
        d.irq.handler = handler;
        d.irq.thread_fn = thread_fn;
        d.irq.data = dev_id;
        d.irq.flags = irqflags;
        d.irq.name = devname;
        d.irq.registered = true;
        return 0;
    }

    public static int devm_request_threaded_irq(Kdev.Device dev, int irq, Handler handler, Handler thread_fn,
                                                long irqflags, String devname, Object dev_id) {
        return request_threaded_irq(irq, handler, thread_fn, irqflags, devname, dev_id);
    }

    public static void free_irq(int irq, Object dev_id) {
        Kshim.dev().irq.registered = false;
    }

    public static void disable_irq(int irq) {}

    public static void enable_irq(int irq) {}

    public static void synchronize_irq(int irq) {}

    public static boolean in_hardirq() {
        Kshim.Ctx c = Kshim.cur();
        return c != null && c.hardirq != 0;
    }

    /** The line's name in labels: the devname it was requested with (KBUILD_MODNAME). */
    private static String irq_name(Kdev.KshimIrq irq) {
        return irq.name != null ? irq.name : "ethosu";
    }

    /** kshim_hardirq: the primary handler, in the hardirq context; returns its irqreturn_t. */
    static int kshim_hardirq(Kdev d) {
        Kdev.KshimIrq irq = d.irq;
        int ret;
        Kshim.count(Kdev.C_IRQS, 1);
        if (!irq.registered) {
            Kshim.count(Kdev.C_SPURIOUS, 1);
            return IRQ_NONE;
        }
        Kshim.point(Kshim.label(PointKind.IRQ, "irq(" + irq_name(irq) + ")"), irq, 0);
        Kshim.Ctx cur = Kshim.cur();
        cur.hardirq = 1;
        Kshim.atomic_enter();
        if (irq.handler != null) {
            String lbl = Kshim.name(irq_name(irq)).text();
            Kshim.call_start(Call.IRQ_HANDLER, lbl, 0, irq);
            ret = irq.handler.handle(d.pdev.irq, irq.data);
            Kshim.call_end(Call.IRQ_HANDLER, lbl, 0, irq, ret);
        } else {
            ret = IRQ_WAKE_THREAD;
        }
        Kshim.atomic_exit();
        cur.hardirq = 0;
        if (cur.atomic != 0)
            Kshim.finding(KernelReport.Kind.WARN, "kshim_hardirq",
                    "WARNING: hard IRQ handler returns with " + cur.atomic + " spinlock(s) held");
        if (ret == IRQ_NONE) Kshim.count(Kdev.C_SPURIOUS, 1);
        if ((ret & IRQ_WAKE_THREAD) != 0 && irq.thread_fn != null) {
            irq.thread_pending = 1;
            Kshim.point(Kshim.label(PointKind.WAKE, "wake_up(irq/" + irq_name(irq) + ")"), irq.seq, 0);
            Kshim.waitq_wake(irq.seq);
        }
        return ret;
    }

    private static final Label IDLE = Kshim.label(WaitKind.IDLE_IRQ_THREAD, "irq thread: idle");

    /** kshim_irq_thread_loop: the irq/ethosu thread, one run per wake-up, until the device stops. */
    static int kshim_irq_thread_loop(Kdev d) {
        Kdev.KshimIrq irq = d.irq;
        int runs = 0;
        for (;;) {
            int s = irq.seq.value;
            int pending = irq.thread_pending;
            irq.thread_pending = 0;
            if (pending != 0) {
                String lbl = Kshim.name("irq/" + irq_name(irq)).text();
                Kshim.point(Kshim.label(PointKind.OTHER, "irq_thread(" + irq_name(irq) + ")"), irq, 0);
                Kshim.call_start(Call.IRQ_THREAD, lbl, 0, irq);
                int ret = irq.thread_fn.handle(d.pdev.irq, irq.data);
                Kshim.call_end(Call.IRQ_THREAD, lbl, 0, irq, ret);
                Kshim.Ctx cur = Kshim.cur();
                if (cur.atomic != 0)
                    Kshim.finding(KernelReport.Kind.WARN, "kshim_irq_thread_loop",
                            "WARNING: IRQ thread returns with " + cur.atomic + " spinlock(s) held");
                runs++;
                continue;
            }
            if (d.stopping) break;
            Kshim.wait(irq.seq, s, Long.MAX_VALUE, IDLE);
        }
        return runs;
    }
}
