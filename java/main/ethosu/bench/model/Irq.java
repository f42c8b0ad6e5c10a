// The model's irq.c (mainline v7.2 kernel/irq/manage.c and chip.c): one threaded interrupt line per
// device. The hardirq context runs the primary handler when the line is raised, and again while
// the level-triggered line stays asserted; IRQ_WAKE_THREAD wakes irq/ethosu (wakes while it runs
// coalesce into one more run); IRQF_ONESHOT masks the line until the thread returns; disable_irq,
// synchronize_irq and free_irq wait for the hard handler and the thread, as in the kernel.
package ethosu.bench.model;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.event.Call;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Label;
import ethosu.bench.event.PointKind;
import ethosu.bench.event.WaitKind;

public final class Irq {
    private Irq() {}

    // irqreturn_t
    public static final int IRQ_NONE = 0, IRQ_HANDLED = 1, IRQ_WAKE_THREAD = 2;
    public static final long IRQF_SHARED = 0x80, IRQF_ONESHOT = 0x2000;

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
        if ((irqflags & IRQF_SHARED) != 0 && dev_id == null) return -Kshim.EINVAL;
        if (handler == null) {
            if (thread_fn == null) return -Kshim.EINVAL;
            // without a primary handler the line must stay masked until the thread ran
            if ((irqflags & IRQF_ONESHOT) == 0) {
                Printk.pr_err("genirq: Threaded irq requested with handler=NULL and !ONESHOT for " + devname
                        + " (irq " + irq + ")\n");
                return -Kshim.EINVAL;
            }
        }
        // bench: the "irq-request" fault: the irqaction allocation fails
        if (Kshim.fault(Kshim.FAULT_IRQ_REQUEST, "request_threaded_irq")) return -Kshim.ENOMEM;
        if (d.irq.registered) return -Kshim.EBUSY; // one handler per line is all the bench models
        d.irq.handler = handler;
        d.irq.thread_fn = thread_fn;
        d.irq.data = dev_id;
        d.irq.flags = irqflags;
        d.irq.name = devname;
        d.irq.depth = 0;
        d.irq.oneshot_masked = 0;
        d.irq.registered = true;
        return 0;
    }

    public static int devm_request_threaded_irq(Kdev.Device dev, int irq, Handler handler, Handler thread_fn,
                                                long irqflags, String devname, Object dev_id) {
        return request_threaded_irq(irq, handler, thread_fn, irqflags, devname, dev_id);
    }

    /** The line is masked: by disable_irq() or until a oneshot thread returns. */
    private static boolean irq_masked(Kdev.KshimIrq irq) {
        return irq.depth != 0 || irq.oneshot_masked != 0;
    }

    private static void irq_unmasked(Kdev.KshimIrq irq) {
        Kshim.waitq_wake(irq.enable_seq);
    }

    private static void irq_progress(Kdev.KshimIrq irq) {
        Kshim.waitq_wake(irq.sync_seq);
    }

    /**
     * Waits until the hard handler is not running and no thread run is pending or running (the
     * kernel's threads_active count). op names the caller.
     */
    private static void irq_sync(Kdev d, String op) {
        Kdev.KshimIrq irq = d.irq;
        Kshim.might_sleep(op);
        Kshim.Ctx cur = Kshim.cur();
        if (cur != null && cur.kind == EthosuLibrary.CTX_IRQ_THREAD && irq.thread_running) {
            Kshim.finding_at(KernelReport.Kind.DEADLOCK, op,
                    op + "(" + irq_name(irq) + ") from the IRQ thread waits for the IRQ thread itself: deadlock");
            return;
        }
        if (cur != null && cur.hardirq != 0) {
            // might_sleep() reported it; waiting for ourselves would never end
            Kshim.finding_at(KernelReport.Kind.DEADLOCK, op,
                    op + "(" + irq_name(irq) + ") from the hard IRQ handler waits for the handler itself: deadlock");
            return;
        }
        Label what = Kshim.label(WaitKind.EVENT, op + "(" + irq_name(irq) + "): waits for the handlers");
        for (;;) {
            int s = irq.sync_seq.value;
            if (!irq.hardirq_running && irq.thread_pending == 0 && !irq.thread_running) break;
            Kshim.wait(irq.sync_seq, s, Long.MAX_VALUE, what);
        }
    }

    public static void synchronize_irq(int irq) {
        Kdev d = Kshim.dev();
        Kshim.point(Kshim.label(PointKind.OTHER, "synchronize_irq(" + irq_name(d.irq) + ")"), d.irq, 0);
        irq_sync(d, "synchronize_irq");
    }

    public static void disable_irq_nosync(int irq) {
        Kdev d = Kshim.dev();
        Kshim.point(Kshim.label(PointKind.OTHER, "disable_irq_nosync(" + irq_name(d.irq) + ")"), d.irq, 0);
        d.irq.depth++;
    }

    public static void disable_irq(int irq) {
        Kdev d = Kshim.dev();
        Kshim.point(Kshim.label(PointKind.OTHER, "disable_irq(" + irq_name(d.irq) + ")"), d.irq, 0);
        d.irq.depth++;
        irq_sync(d, "disable_irq");
    }

    public static void enable_irq(int irq) {
        Kdev d = Kshim.dev();
        Kdev.KshimIrq line = d.irq;
        Kshim.point(Kshim.label(PointKind.OTHER, "enable_irq(" + irq_name(line) + ")"), line, 0);
        if (line.depth == 0) {
            Kshim.finding(KernelReport.Kind.WARN, "enable_irq", "WARNING: Unbalanced enable for IRQ " + irq);
            return;
        }
        if (--line.depth == 0) irq_unmasked(line);
    }

    public static void free_irq(int irq, Object dev_id) {
        Kdev d = Kshim.dev();
        Kdev.KshimIrq line = d.irq;
        Kshim.point(Kshim.label(PointKind.OTHER, "free_irq(" + irq_name(line) + ")"), line, 0);
        Kshim.might_sleep("free_irq");
        if (!line.registered || line.data != dev_id) {
            Kshim.finding(KernelReport.Kind.WARN, "free_irq", "WARNING: Trying to free already-free IRQ " + irq);
            return;
        }
        // no new hard handler runs from here on; wait for the ones in flight
        line.registered = false;
        irq_unmasked(line); // a hardirq blocked on a masked line sees it gone
        irq_sync(d, "free_irq");
    }

    public static boolean in_hardirq() {
        Kshim.Ctx c = Kshim.cur();
        return c != null && c.hardirq != 0;
    }

    /** The line's name in labels: the devname it was requested with (KBUILD_MODNAME). */
    private static String irq_name(Kdev.KshimIrq irq) {
        return irq.name != null ? irq.name : "ethosu";
    }

    /** Hard-handler runs in a row with the line still asserted before it counts as a storm. */
    static final int KSHIM_IRQ_STORM_RUNS = 64;
    private static final Label MASKED = Kshim.label(WaitKind.IDLE_IRQ_THREAD, "hardirq: line masked, pending, idle");

    /**
     * One run of the primary handler, in the hardirq context. While the line is masked the
     * interrupt stays pending: the context waits until enable_irq() or the oneshot thread unmasks
     * it. Returns the handler's irqreturn_t, -1 when no handler is registered, -2 when a re-entry
     * (again) found the line dropped by the time it was unmasked.
     */
    private static int hardirq_once(Kdev d, boolean again) {
        Kdev.KshimIrq irq = d.irq;
        boolean waited = false;
        int ret;
        for (;;) {
            int s = irq.enable_seq.value;
            if (!irq.registered) return -1;
            // unmasked after a wait (oneshot, enable_irq): taken again only if still asserted
            if (again && waited && !Drv.ethosu_bench_irq_line(d)) return -2;
            if (!irq_masked(irq)) break;
            waited = true;
            Kshim.wait(irq.enable_seq, s, Long.MAX_VALUE, MASKED);
        }
        Kshim.point(Kshim.label(PointKind.IRQ, "irq(" + irq_name(irq) + ")"), irq, 0);
        irq.hardirq_running = true;
        Kshim.Ctx cur = Kshim.cur();
        cur.hardirq = 1;
        Kshim.atomic_enter();
        if (irq.handler != null) {
            String lbl = Kshim.name(irq_name(irq)).text();
            Kshim.call_start(Call.IRQ_HANDLER, lbl, 0, irq);
            ret = irq.handler.handle(d.pdev.irq, irq.data);
            Kshim.call_end(Call.IRQ_HANDLER, lbl, 0, irq, ret);
        } else {
            ret = IRQ_WAKE_THREAD; // irq_default_primary_handler
        }
        Kshim.atomic_exit();
        cur.hardirq = 0;
        if (cur.atomic != 0)
            Kshim.finding(KernelReport.Kind.WARN, "hardirq_once",
                    "WARNING: hard IRQ handler returns with " + cur.atomic + " spinlock(s) held");
        if (ret == IRQ_NONE) Kshim.count(Kdev.C_SPURIOUS, 1);
        if ((ret & IRQ_WAKE_THREAD) != 0 && irq.thread_fn != null) {
            // IRQF_ONESHOT: the line stays masked until the thread has run
            if ((irq.flags & IRQF_ONESHOT) != 0) irq.oneshot_masked = 1;
            irq.thread_pending = 1;
            Kshim.point(Kshim.label(PointKind.WAKE, "wake_up(irq/" + irq_name(irq) + ")"), irq.seq, 0);
            Kshim.waitq_wake(irq.seq);
        }
        irq.hardirq_running = false;
        irq_progress(irq);
        return ret;
    }

    /**
     * kshim_hardirq: the line was raised: the primary handler, in the hardirq context. The line is
     * level-triggered (handle_level_irq): while the device still asserts it when the handler
     * returns, the interrupt is taken again at once; 64 runs in a row is a storm (a finding; the
     * line is then disabled). Returns the last run's irqreturn_t.
     */
    static int kshim_hardirq(Kdev d) {
        Kdev.KshimIrq irq = d.irq;
        int runs = 0, ret = IRQ_NONE;
        Kshim.count(Kdev.C_IRQS, 1);
        for (;;) {
            int r = hardirq_once(d, runs > 0);
            if (r == -2) break;
            if (r < 0) {
                Kshim.count(Kdev.C_SPURIOUS, 1);
                return IRQ_NONE;
            }
            ret = r;
            runs++;
            if (!Drv.ethosu_bench_irq_line(d) || d.stopping) break;
            if (runs >= KSHIM_IRQ_STORM_RUNS) {
                Kshim.finding(KernelReport.Kind.DEADLOCK, "kshim_hardirq", String.format(
                        "irq %d: interrupt storm: the hard handler ran %d times in a row and the line stayed asserted (it returned %s); on hardware a hard lockup. Disabling IRQ #%d",
                        d.pdev.irq, runs,
                        ret == IRQ_NONE ? "IRQ_NONE" : ret == IRQ_HANDLED ? "IRQ_HANDLED" : "IRQ_WAKE_THREAD",
                        d.pdev.irq));
                irq.depth++;
                break;
            }
            Kshim.count(Kdev.C_IRQS, 1);
        }
        return ret;
    }

    private static final Label IDLE = Kshim.label(WaitKind.IDLE_IRQ_THREAD, "irq thread: idle");

    /** kshim_irq_thread_loop: the irq/ethosu thread, one run per wake-up (wakes meanwhile coalesce). */
    static int kshim_irq_thread_loop(Kdev d) {
        Kdev.KshimIrq irq = d.irq;
        int runs = 0;
        for (;;) {
            int s = irq.seq.value;
            if (irq.thread_pending != 0) {
                String lbl = Kshim.name("irq/" + irq_name(irq)).text();
                irq.thread_running = true;
                irq.thread_pending = 0;
                Kshim.point(Kshim.label(PointKind.OTHER, "irq_thread(" + irq_name(irq) + ")"), irq, 0);
                Kshim.call_start(Call.IRQ_THREAD, lbl, 0, irq);
                int ret = irq.thread_fn.handle(d.pdev.irq, irq.data);
                Kshim.call_end(Call.IRQ_THREAD, lbl, 0, irq, ret);
                Kshim.Ctx cur = Kshim.cur();
                if (cur.atomic != 0)
                    Kshim.finding(KernelReport.Kind.WARN, "kshim_irq_thread_loop",
                            "WARNING: IRQ thread returns with " + cur.atomic + " spinlock(s) held");
                irq.thread_running = false;
                // irq_finalize_oneshot(): unmask once no run is pending
                if (irq.oneshot_masked != 0 && irq.thread_pending == 0) {
                    irq.oneshot_masked = 0;
                    irq_unmasked(irq);
                }
                irq_progress(irq);
                runs++;
                continue;
            }
            if (d.stopping) break;
            Kshim.wait(irq.seq, s, Long.MAX_VALUE, IDLE);
        }
        return runs;
    }
}
