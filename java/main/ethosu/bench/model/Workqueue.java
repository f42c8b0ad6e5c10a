// The model's workqueue.c: workqueues, each served by one worker context of the device
// (ModelDevice.loop). Delayed work waits on the kernel clock; cancel_*_sync and flush wait for a
// running item through the seam, as native/kshim/workqueue.c.
package ethosu.bench.model;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.event.Call;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Label;
import ethosu.bench.event.PointKind;
import ethosu.bench.event.WaitKind;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

public final class Workqueue {
    private Workqueue() {}

    static final int WORK_MAGIC = 0x574f524b; // "WORK"
    /** queued or timer armed */
    public static final int WORK_PENDING = 0x1;
    /** waiting on its timer (delayed work only) */
    public static final int WORK_DELAYED = 0x2;
    public static final int WQ_UNBOUND = 1 << 1, WQ_MEM_RECLAIM = 1 << 3, __WQ_ORDERED = 1 << 17;

    /** struct work_struct; the list it is on stands for its entry's links. */
    public static class WorkStruct extends Slab.Mem {
        List<WorkStruct> entry;
        Consumer<WorkStruct> func;
        int state;
        int magic;
        WorkqueueStruct wq;
        /** role, from the function name */
        String name;
        long deadline;
        /** its labels, interned at INIT_WORK (the C caches them per call site and name) */
        Label queuePoint, startPoint, nameLabel;

        @Override
        protected void poison() {
            entry = null;
            func = null;
            state = Kshim.POISON_U32;
            magic = Kshim.POISON_U32;
            wq = null;
            deadline = Kshim.POISON_U64;
        }
    }

    /** struct delayed_work */
    public static final class DelayedWork {
        public final WorkStruct work = new WorkStruct();
    }

    /** struct workqueue_struct */
    public static final class WorkqueueStruct {
        final Kdev kd;
        /** serving context: enum ebench_ctx_kind */
        final int kind;
        final int flags;
        final String name;
        final List<WorkStruct> ready = new ArrayList<>();
        final List<WorkStruct> timers = new ArrayList<>();
        WorkStruct running;
        /** worker wake channel */
        final Kshim.Word seq = new Kshim.Word();
        /** bumped after each item: cancel_sync and flush wait here */
        final Kshim.Word done_seq = new Kshim.Word();
        final Label flush_label;
        boolean stopped;

        WorkqueueStruct(Kdev kd, int kind, int flags, String name) {
            this.kd = kd;
            this.kind = kind;
            this.flags = flags;
            this.name = name;
            this.flush_label = Kshim.label(PointKind.FLUSH_WORK, "flush_workqueue(" + name + ")");
        }
    }

    /** INIT_WORK(w, f) / INIT_DELAYED_WORK: name is the function's name, as #f. */
    public static void INIT_WORK(WorkStruct work, Consumer<WorkStruct> func, String name) {
        work.entry = null;
        work.func = func;
        work.state = 0;
        work.magic = WORK_MAGIC;
        work.wq = null;
        work.name = name;
        work.deadline = 0;
        if (name != null) {
            work.queuePoint = Kshim.label(PointKind.QUEUE_WORK, "queue_work(" + name + ")");
            work.startPoint = Kshim.label(PointKind.WORK_START, "work(" + name + ")");
            work.nameLabel = Kshim.name(name);
        }
    }

    public static void INIT_DELAYED_WORK(DelayedWork dw, Consumer<WorkStruct> func, String name) {
        INIT_WORK(dw.work, func, name);
    }

    static WorkqueueStruct kshim_wq_create(Kdev d, int kind, int flags, String name) {
        return new WorkqueueStruct(d, kind, flags, name);
    }

    private static void wq_kick(WorkqueueStruct wq) {
        Kshim.waitq_wake(wq.seq);
    }

    static void kshim_wq_stop(WorkqueueStruct wq) {
        wq.stopped = true;
        wq_kick(wq);
    }

    /** system_wq */
    public static WorkqueueStruct system_wq() {
        return Kshim.dev().wq[EthosuLibrary.CTX_SYSTEM_WQ];
    }

    static WorkqueueStruct kshim_timeout_wq() {
        return Kshim.dev().wq[EthosuLibrary.CTX_TIMEOUT_WQ];
    }

    /**
     * alloc_workqueue / alloc_ordered_workqueue. The bench has one context for driver-owned queues:
     * the first ordered queue is served by submit_wq's context; an unordered one by system_wq's.
     */
    public static WorkqueueStruct kshim_alloc_workqueue(int flags, int max_active, String name) {
        Kdev d = Kshim.dev();
        int kind = (flags & __WQ_ORDERED) != 0 ? EthosuLibrary.CTX_SUBMIT_WQ : EthosuLibrary.CTX_SYSTEM_WQ;
        if (kind == EthosuLibrary.CTX_SUBMIT_WQ && d.wq[kind] != null) {
            Kshim.finding(KernelReport.Kind.WARN, "kshim_alloc_workqueue",
                    "WARNING: a second ordered workqueue (" + name + "): the bench serves one");
            return null;
        }
        if (kind == EthosuLibrary.CTX_SYSTEM_WQ) return d.wq[kind]; // shares the system context
        WorkqueueStruct wq = kshim_wq_create(d, kind, flags, name);
        d.wq[kind] = wq;
        Kshim.waitq_wake(d.wq_seq);
        return wq;
    }

    public static WorkqueueStruct alloc_ordered_workqueue(String name, int flags) {
        return kshim_alloc_workqueue(__WQ_ORDERED | WQ_UNBOUND | flags, 1, name);
    }

    public static void destroy_workqueue(WorkqueueStruct wq) {
        if (wq == null) return;
        Kdev d = wq.kd;
        if (wq == d.wq[EthosuLibrary.CTX_SYSTEM_WQ] || wq == d.wq[EthosuLibrary.CTX_TIMEOUT_WQ]) return;
        drain_workqueue(wq);
        kshim_wq_stop(wq);
    }

    private static boolean __queue_locked(WorkqueueStruct wq, WorkStruct work, long deadline) {
        int old = work.state;
        work.state |= WORK_PENDING;
        if ((old & WORK_PENDING) != 0) return false;
        work.wq = wq;
        if (deadline != 0) {
            work.state |= WORK_DELAYED;
            work.deadline = deadline;
            list_add_tail(work, wq.timers);
        } else {
            list_add_tail(work, wq.ready);
        }
        return true;
    }

    private static void list_add_tail(WorkStruct w, List<WorkStruct> l) {
        l.add(w);
        w.entry = l;
    }

    private static void list_del_init(WorkStruct w) {
        if (w.entry != null) w.entry.remove(w);
        w.entry = null;
    }

    private static boolean work_check(WorkStruct work, String op) {
        if (Slab.poisoned_ptr(work) || Kshim.poisoned_u32(work.magic)) {
            Kshim.finding_at(KernelReport.Kind.UAF, op, "BUG: use-after-free: " + op + " on a freed work item");
            return false;
        }
        if (work.magic != WORK_MAGIC) {
            // the kernel's __flush_work has WARN_ON(!work->func) for this
            Kshim.finding_at(KernelReport.Kind.WARN, op, "WARNING: " + op + " on a work item never initialised");
            return false;
        }
        return true;
    }

    public static boolean queue_work(WorkqueueStruct wq, WorkStruct work) {
        if (!work_check(work, "queue_work")) return false;
        Kshim.point(work.queuePoint, work, 0);
        boolean ret = !wq.stopped && __queue_locked(wq, work, 0);
        if (ret) wq_kick(wq);
        return ret;
    }

    /** schedule_work(w): queue_work(system_wq, w) */
    public static boolean schedule_work(WorkStruct work) {
        return queue_work(system_wq(), work);
    }

    private static long delay_deadline(long delay) {
        return Kshim.clock() + Kshim.jiffies_to_nsecs(delay);
    }

    public static boolean queue_delayed_work(WorkqueueStruct wq, DelayedWork dwork, long delay) {
        WorkStruct work = dwork.work;
        if (delay == 0) return queue_work(wq, work);
        if (!work_check(work, "queue_delayed_work")) return false;
        Kshim.point(Kshim.label(PointKind.QUEUE_WORK, "queue_delayed_work(" + work.name + ")"), work, 0);
        boolean ret = !wq.stopped && __queue_locked(wq, work, delay_deadline(delay));
        if (ret) wq_kick(wq);
        return ret;
    }

    /** Take a pending item off its queue. */
    private static boolean __grab_pending(WorkStruct work) {
        if ((work.state & WORK_PENDING) == 0) return false;
        list_del_init(work);
        work.state &= ~(WORK_PENDING | WORK_DELAYED);
        return true;
    }

    public static boolean mod_delayed_work(WorkqueueStruct wq, DelayedWork dwork, long delay) {
        WorkStruct work = dwork.work;
        WorkqueueStruct old = work.wq;
        boolean was = false;
        if (!work_check(work, "mod_delayed_work")) return false;
        Kshim.point(Kshim.label(PointKind.QUEUE_WORK, "mod_delayed_work(" + work.name + ", %d)"), work, delay);
        if (old != null && old != wq) was = __grab_pending(work);
        if (old == wq) was = __grab_pending(work);
        if (!wq.stopped) __queue_locked(wq, work, delay != 0 ? delay_deadline(delay) : 0);
        wq_kick(wq);
        return was;
    }

    /** The cancel operations: their name, and their labels' formats. */
    private record CancelOp(String name, boolean sync) {
        String point(String work) {
            return name + "(" + work + ")";
        }

        String waitLabel(String work) {
            return name + "(" + work + "): waits for it to finish";
        }
    }

    private static final CancelOp CANCEL_WORK = new CancelOp("cancel_work", false),
            CANCEL_WORK_SYNC = new CancelOp("cancel_work_sync", true),
            CANCEL_DELAYED = new CancelOp("cancel_delayed_work", false),
            CANCEL_DELAYED_SYNC = new CancelOp("cancel_delayed_work_sync", true);

    private static boolean __cancel(WorkStruct work, CancelOp op) {
        WorkqueueStruct wq = work.wq;
        if (!work_check(work, op.name())) return false;
        Kshim.point(Kshim.label(op.sync() ? PointKind.CANCEL_WORK_SYNC : PointKind.CANCEL_WORK, op.point(work.name)), work, 0);
        if (wq == null) return false;
        boolean was = __grab_pending(work);
        if (!op.sync()) return was;
        Kshim.might_sleep(op.name());
        Kshim.Ctx cur = Kshim.cur();
        if (wq.running == work && cur != null && cur.kind == wq.kind) {
            Kshim.finding_at(KernelReport.Kind.DEADLOCK, op.name(),
                    op.name() + "(" + work.name + ") from the work item itself: deadlock");
            return was;
        }
        for (;;) {
            int s = wq.done_seq.value;
            if (wq.running != work) break;
            Kshim.wait(wq.done_seq, s, Long.MAX_VALUE, Kshim.label(WaitKind.WORK, op.waitLabel(work.name)));
        }
        return was;
    }

    public static boolean cancel_work(WorkStruct work) {
        return __cancel(work, CANCEL_WORK);
    }

    public static boolean cancel_work_sync(WorkStruct work) {
        return __cancel(work, CANCEL_WORK_SYNC);
    }

    public static boolean cancel_delayed_work(DelayedWork dwork) {
        return __cancel(dwork.work, CANCEL_DELAYED);
    }

    public static boolean cancel_delayed_work_sync(DelayedWork dwork) {
        return __cancel(dwork.work, CANCEL_DELAYED_SYNC);
    }

    public static boolean work_busy_running(WorkStruct work) {
        return work.wq != null && work.wq.running == work;
    }

    public static boolean work_pending(WorkStruct work) {
        return (work.state & WORK_PENDING) != 0;
    }

    private static final Label FLUSH_WORK_WAIT = Kshim.label(WaitKind.WORK, "flush_work: waits for the item"),
            FLUSH_WQ_WAIT = Kshim.label(WaitKind.WORK, "flush_workqueue: waits for queued items"),
            IDLE = Kshim.label(WaitKind.IDLE_WORKER, "worker: idle"),
            NO_WQ = Kshim.label(WaitKind.IDLE_WORKER, "worker: no workqueue yet, idle");

    public static boolean flush_work(WorkStruct work) {
        WorkqueueStruct wq = work.wq;
        boolean waited = false;
        if (!work_check(work, "flush_work")) return false;
        Kshim.point(Kshim.label(PointKind.FLUSH_WORK, "flush_work(" + work.name + ")"), work, 0);
        if (wq == null) return false;
        Kshim.might_sleep("flush_work");
        for (;;) {
            int s = wq.done_seq.value;
            boolean busy = ((work.state & WORK_PENDING) != 0 && (work.state & WORK_DELAYED) == 0) || wq.running == work;
            if (!busy || wq.stopped) break;
            waited = true;
            Kshim.wait(wq.done_seq, s, Long.MAX_VALUE, FLUSH_WORK_WAIT);
        }
        return waited;
    }

    public static boolean flush_delayed_work(DelayedWork dwork) {
        WorkStruct work = dwork.work;
        WorkqueueStruct wq = work.wq;
        if (wq != null) {
            if ((work.state & WORK_PENDING) != 0 && (work.state & WORK_DELAYED) != 0) {
                list_del_init(work);
                work.state &= ~WORK_DELAYED;
                list_add_tail(work, wq.ready);
            }
            wq_kick(wq);
        }
        return flush_work(work);
    }

    public static void flush_workqueue(WorkqueueStruct wq) {
        Kshim.point(wq.flush_label, wq, 0);
        Kshim.might_sleep("flush_workqueue");
        for (;;) {
            int s = wq.done_seq.value;
            boolean busy = !wq.ready.isEmpty() || wq.running != null;
            if (!busy || wq.stopped) break;
            Kshim.wait(wq.done_seq, s, Long.MAX_VALUE, FLUSH_WQ_WAIT);
        }
    }

    public static void drain_workqueue(WorkqueueStruct wq) {
        flush_workqueue(wq);
    }

    /** Earliest timer deadline; moves expired timers to the ready list. */
    private static long wq_expire_timers(WorkqueueStruct wq, long now) {
        // expire in deadline order so equal-period timers keep their order
        for (;;) {
            WorkStruct first = null;
            for (WorkStruct w : wq.timers)
                if (Long.compareUnsigned(w.deadline, now) <= 0
                        && (first == null || Long.compareUnsigned(w.deadline, first.deadline) < 0))
                    first = w;
            if (first == null) break;
            list_del_init(first);
            first.state &= ~WORK_DELAYED;
            list_add_tail(first, wq.ready);
        }
        long next = -1L; // U64_MAX
        for (WorkStruct w : wq.timers)
            if (Long.compareUnsigned(w.deadline, next) < 0) next = w.deadline;
        return next;
    }

    private static WorkqueueStruct wq_wait_registered(Kdev d, int kind) {
        for (;;) {
            int s = d.wq_seq.value;
            WorkqueueStruct wq = d.wq[kind];
            if (wq != null || d.stopping) return wq;
            Kshim.wait(d.wq_seq, s, Long.MAX_VALUE, NO_WQ);
        }
    }

    /**
     * kshim_wq_loop: the worker runs the items of the queue its context serves, in order, one at a
     * time; it sleeps until the next timer or until an item is queued.
     */
    static int kshim_wq_loop(Kdev d, int kind) {
        WorkqueueStruct wq = wq_wait_registered(d, kind);
        int ran = 0;
        if (wq == null) return 0;
        for (;;) {
            int s = wq.seq.value;
            long next = wq_expire_timers(wq, Kshim.clock());
            if (wq.ready.isEmpty()) {
                boolean done = wq.stopped || (d.stopping && wq.timers.isEmpty());
                if (done) break;
                Kshim.wait(wq.seq, s, next, IDLE);
                continue;
            }
            WorkStruct work = wq.ready.get(0);
            list_del_init(work);
            work.state &= ~(WORK_PENDING | WORK_DELAYED);
            wq.running = work;

            String name = work.nameLabel.text();
            Kshim.point(work.startPoint, work, 0);
            Kshim.Ctx cur = Kshim.cur();
            cur.in_work++;
            Kshim.call_start(Call.WORK, name, 0, work);
            work.func.accept(work); // may free work
            Kshim.call_end(Call.WORK, name, 0, work, 0);
            cur.in_work--;
            ran++;

            wq.running = null;
            Kshim.waitq_wake(wq.done_seq);
        }
        return ran;
    }
}
