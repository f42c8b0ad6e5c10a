// The model's workqueue.c (mainline v7.2 kernel/workqueue.c): an ordered queue runs one item at a
// time; an unordered one (system_wq) runs different items on its workers at once, never one item on
// two workers; cancel_*_sync disables the item while it waits; disable_work/enable_work. The C's
// wq_lock is an internal lock without scheduling points: the model runs one context at a time, so
// it needs none.
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
    /** WORK_OFFQ_DISABLE_BITS is 16 in the kernel; any bound warns */
    static final int WORK_DISABLE_MAX = 255;
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
        /** disable count: queueing is dropped while > 0 */
        int disable;
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
            disable = Kshim.POISON_U32;
            magic = Kshim.POISON_U32;
            wq = null;
            deadline = Kshim.POISON_U64;
        }
    }

    /** struct delayed_work */
    public static final class DelayedWork {
        public final WorkStruct work = new WorkStruct();
    }

    /**
     * struct kshim_worker: one worker context serving a queue. Workers live until the device is
     * destroyed; current is compared, never dereferenced (the item may free itself).
     */
    static final class KshimWorker {
        WorkqueueStruct wq;
        /** the item it runs, or null */
        WorkStruct current;
        /** its wake channel */
        final Kshim.Word seq = new Kshim.Word();
    }

    /** struct workqueue_struct */
    public static final class WorkqueueStruct {
        final Kdev kd;
        /** serving context: enum ebench_ctx_kind */
        final int kind;
        final int flags;
        /** max_active 1: one item at a time */
        final boolean ordered;
        final String name;
        final List<WorkStruct> ready = new ArrayList<>();
        final List<WorkStruct> timers = new ArrayList<>();
        /** idle workers, the last one to go idle first */
        final List<KshimWorker> idle = new ArrayList<>();
        /** items running on its workers */
        int nr_running;
        final Label flush_label;
        boolean stopped;

        WorkqueueStruct(Kdev kd, int kind, int flags, String name) {
            this.kd = kd;
            this.kind = kind;
            this.flags = flags;
            this.ordered = (flags & __WQ_ORDERED) != 0;
            this.name = name;
            this.flush_label = Kshim.label(PointKind.FLUSH_WORK, "flush_workqueue(" + name + ")");
        }
    }

    /** INIT_WORK(w, f) / INIT_DELAYED_WORK: name is the function's name, as #f. */
    public static void INIT_WORK(WorkStruct work, Consumer<WorkStruct> func, String name) {
        work.entry = null;
        work.func = func;
        work.state = 0;
        work.disable = 0;
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

    private static void worker_wake(KshimWorker w) {
        Kshim.waitq_wake(w.seq);
    }

    /** Take the most recently idle worker off the idle list, to be woken (one per kick). */
    private static KshimWorker wq_pick_idle(WorkqueueStruct wq) {
        if (wq.idle.isEmpty()) return null;
        return wq.idle.remove(0);
    }

    static void kshim_wq_stop(WorkqueueStruct wq) {
        List<KshimWorker> wake = new ArrayList<>();
        wq.stopped = true;
        KshimWorker w;
        while ((w = wq_pick_idle(wq)) != null) wake.add(w);
        for (KshimWorker x : wake) worker_wake(x);
    }

    /** system_wq */
    public static WorkqueueStruct system_wq() {
        return Kshim.dev().wq[EthosuLibrary.CTX_SYSTEM_WQ];
    }

    static WorkqueueStruct kshim_timeout_wq() {
        return Kshim.dev().wq[EthosuLibrary.CTX_TIMEOUT_WQ];
    }

    /**
     * alloc_workqueue / alloc_ordered_workqueue. An ordered queue gets the submit_wq context(s);
     * an unordered one shares system_wq's workers (the kernel's unordered queues share its pools).
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
        if (Kshim.fault(Kshim.FAULT_ALLOC, "alloc_workqueue")) return null;
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
        Kshim.might_sleep("destroy_workqueue");
        drain_workqueue(wq);
        kshim_wq_stop(wq);
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

    private static void list_add_tail(WorkStruct w, List<WorkStruct> l) {
        l.add(w);
        w.entry = l;
    }

    private static void list_del_init(WorkStruct w) {
        if (w.entry != null) w.entry.remove(w);
        w.entry = null;
    }

    /**
     * Queue work unless it is pending or disabled (a disabled item is dropped silently, as
     * clear_pending_if_disabled() does), or its queue is stopped.
     */
    private static boolean __queue_locked(WorkqueueStruct wq, WorkStruct work, long deadline) {
        if (wq.stopped || work.disable != 0 || (work.state & WORK_PENDING) != 0) return false;
        work.state |= WORK_PENDING;
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

    /** Take a pending item off its queue. */
    private static boolean __grab_pending(WorkStruct work) {
        if ((work.state & WORK_PENDING) == 0) return false;
        list_del_init(work);
        work.state &= ~(WORK_PENDING | WORK_DELAYED);
        return true;
    }

    private static boolean __queue(WorkqueueStruct wq, WorkStruct work, long deadline) {
        KshimWorker w = null;
        boolean ret = __queue_locked(wq, work, deadline);
        if (ret) w = wq_pick_idle(wq);
        if (w != null) worker_wake(w);
        return ret;
    }

    public static boolean queue_work(WorkqueueStruct wq, WorkStruct work) {
        if (!work_check(work, "queue_work")) return false;
        Kshim.point(work.queuePoint, work, 0);
        return __queue(wq, work, 0);
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
        return __queue(wq, work, delay_deadline(delay));
    }

    /**
     * Re-arm: a pending item is taken off its queue and queued again with the new delay; an idle
     * one is queued; a disabled one stays off. Returns whether it was pending.
     */
    public static boolean mod_delayed_work(WorkqueueStruct wq, DelayedWork dwork, long delay) {
        WorkStruct work = dwork.work;
        KshimWorker w = null;
        if (!work_check(work, "mod_delayed_work")) return false;
        Kshim.point(Kshim.label(PointKind.QUEUE_WORK, "mod_delayed_work(" + work.name + ", %d)"), work, delay);
        boolean was = __grab_pending(work);
        if (__queue_locked(wq, work, delay != 0 ? delay_deadline(delay) : 0)) w = wq_pick_idle(wq);
        if (w != null) worker_wake(w);
        return was;
    }

    /** Whether some worker of the device runs work now. */
    private static boolean work_running(Kdev d, WorkStruct work) {
        for (KshimWorker w : d.workers)
            if (w.current == work) return true;
        return false;
    }

    private static boolean work_running_here(WorkStruct work) {
        Kshim.Ctx c = Kshim.cur();
        KshimWorker w = c != null ? c.worker : null;
        return w != null && w.current == work;
    }

    /**
     * A cancel operation: its name, whether it waits for a running instance, whether it disables
     * the item (for the wait only, or until enable_work()).
     */
    private record CancelOp(String name, boolean sync, boolean disable, boolean keep_disabled) {
        String point(String work) {
            return name + "(" + work + ")";
        }

        String waitLabel(String work) {
            return name + "(" + work + "): waits for it to finish";
        }
    }

    private static final CancelOp CANCEL_WORK = new CancelOp("cancel_work", false, false, false),
            CANCEL_WORK_SYNC = new CancelOp("cancel_work_sync", true, true, false),
            CANCEL_DELAYED = new CancelOp("cancel_delayed_work", false, false, false),
            CANCEL_DELAYED_SYNC = new CancelOp("cancel_delayed_work_sync", true, true, false),
            DISABLE_WORK = new CancelOp("disable_work", false, true, true),
            DISABLE_WORK_SYNC = new CancelOp("disable_work_sync", true, true, true);

    /** Wait until no worker runs work (it is not pending: the caller grabbed it). */
    private static void wait_not_running(Kdev d, WorkStruct work, CancelOp op) {
        for (;;) {
            int s = d.work_done_seq.value;
            if (!work_running(d, work)) break;
            Kshim.wait(d.work_done_seq, s, Long.MAX_VALUE, Kshim.label(WaitKind.WORK, op.waitLabel(work.name)));
        }
    }

    /**
     * __cancel_work() and __cancel_work_sync(): take work off its queue; a disabling cancel counts
     * one more disable first, so a queue attempt meanwhile is dropped; a sync one then waits for a
     * running instance. cancel_*_sync() disable for the wait and enable again.
     */
    private static boolean __cancel(WorkStruct work, CancelOp op) {
        Kdev d = Kshim.dev();
        if (!work_check(work, op.name())) return false;
        Kshim.point(Kshim.label(PointKind.CANCEL_WORK, op.point(work.name)), work, 0);
        if (op.sync()) Kshim.might_sleep(op.name());
        if (op.disable()) {
            if (work.disable < WORK_DISABLE_MAX)
                work.disable++;
            else
                Kshim.finding_at(KernelReport.Kind.WARN, op.name(), "WARNING: workqueue: work disable count overflowed");
        }
        boolean was = __grab_pending(work);
        if (op.sync()) {
            if (work_running_here(work))
                Kshim.finding_at(KernelReport.Kind.DEADLOCK, op.name(),
                        op.name() + "(" + work.name + ") from the work item itself: deadlock");
            else
                wait_not_running(d, work, op);
        }
        if (op.disable() && !op.keep_disabled()) work.disable--;
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

    public static boolean disable_work(WorkStruct work) {
        return __cancel(work, DISABLE_WORK);
    }

    public static boolean disable_work_sync(WorkStruct work) {
        return __cancel(work, DISABLE_WORK_SYNC);
    }

    public static boolean disable_delayed_work(DelayedWork dwork) {
        return disable_work(dwork.work);
    }

    public static boolean disable_delayed_work_sync(DelayedWork dwork) {
        return disable_work_sync(dwork.work);
    }

    /** Undo one disable; true when the item can be queued again. */
    public static boolean enable_work(WorkStruct work) {
        if (!work_check(work, "enable_work")) return false;
        Kshim.point(Kshim.label(PointKind.QUEUE_WORK, "enable_work(" + work.name + ")"), work, 0);
        if (work.disable != 0)
            work.disable--;
        else
            Kshim.finding_at(KernelReport.Kind.WARN, "enable_work", "WARNING: workqueue: work disable count underflowed");
        return work.disable == 0;
    }

    public static boolean enable_delayed_work(DelayedWork dwork) {
        return enable_work(dwork.work);
    }

    public static boolean work_busy_running(WorkStruct work) {
        return work_running(Kshim.dev(), work);
    }

    public static boolean work_pending(WorkStruct work) {
        return (work.state & WORK_PENDING) != 0;
    }

    private static final Label FLUSH_WORK_WAIT = Kshim.label(WaitKind.WORK, "flush_work: waits for the item"),
            FLUSH_WQ_WAIT = Kshim.label(WaitKind.WORK, "flush_workqueue: waits for queued items"),
            IDLE = Kshim.label(WaitKind.IDLE_WORKER, "worker: idle"),
            NO_WQ = Kshim.label(WaitKind.IDLE_WORKER, "worker: no workqueue yet, idle");

    public static boolean flush_work(WorkStruct work) {
        Kdev d = Kshim.dev();
        boolean waited = false;
        if (!work_check(work, "flush_work")) return false;
        Kshim.point(Kshim.label(PointKind.FLUSH_WORK, "flush_work(" + work.name + ")"), work, 0);
        if (work.wq == null) return false;
        Kshim.might_sleep("flush_work");
        if (work_running_here(work)) {
            Kshim.finding_at(KernelReport.Kind.DEADLOCK, "flush_work",
                    "flush_work(" + work.name + ") from the work item itself: deadlock");
            return false;
        }
        for (;;) {
            int s = d.work_done_seq.value;
            boolean busy = ((work.state & WORK_PENDING) != 0 && (work.state & WORK_DELAYED) == 0 && !work.wq.stopped)
                    || work_running(d, work);
            if (!busy) break;
            waited = true;
            Kshim.wait(d.work_done_seq, s, Long.MAX_VALUE, FLUSH_WORK_WAIT);
        }
        return waited;
    }

    public static boolean flush_delayed_work(DelayedWork dwork) {
        WorkStruct work = dwork.work;
        WorkqueueStruct wq = work.wq;
        KshimWorker w = null;
        if (wq != null) {
            if ((work.state & WORK_PENDING) != 0 && (work.state & WORK_DELAYED) != 0) {
                list_del_init(work);
                work.state &= ~WORK_DELAYED;
                list_add_tail(work, wq.ready);
                w = wq_pick_idle(wq);
            }
            if (w != null) worker_wake(w);
        }
        return flush_work(work);
    }

    public static void flush_workqueue(WorkqueueStruct wq) {
        Kdev d = wq.kd;
        Kshim.point(wq.flush_label, wq, 0);
        Kshim.might_sleep("flush_workqueue");
        for (;;) {
            int s = d.work_done_seq.value;
            boolean busy = !wq.stopped && (!wq.ready.isEmpty() || wq.nr_running != 0);
            if (!busy) break;
            Kshim.wait(d.work_done_seq, s, Long.MAX_VALUE, FLUSH_WQ_WAIT);
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

    /**
     * The next item this worker may run: the first ready one that no other worker runs; on an
     * ordered queue, none while another item runs.
     */
    private static WorkStruct wq_next_item(WorkqueueStruct wq) {
        if (wq.ordered && wq.nr_running != 0) return null;
        for (WorkStruct work : wq.ready)
            if (!work_running(wq.kd, work)) return work;
        return null;
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
     * kshim_wq_loop: a worker runs items of the queue its context serves, one at a time; sleeps
     * until the next timer or until it is kicked for a queued item.
     */
    static int kshim_wq_loop(Kdev d, int kind) {
        WorkqueueStruct wq = wq_wait_registered(d, kind);
        int ran = 0;
        if (wq == null) return 0;
        KshimWorker w = new KshimWorker();
        w.wq = wq;
        d.workers.add(w);
        Kshim.Ctx cur = Kshim.cur();
        cur.worker = w;
        for (;;) {
            KshimWorker more = null;
            wq.idle.remove(w);
            long next = wq_expire_timers(wq, Kshim.clock());
            WorkStruct work = wq_next_item(wq);
            if (work == null) {
                boolean done = wq.stopped || (d.stopping && wq.timers.isEmpty() && wq.ready.isEmpty());
                if (done) break;
                int s = w.seq.value;
                wq.idle.add(0, w);
                Kshim.wait(w.seq, s, next, IDLE);
                continue;
            }
            list_del_init(work);
            work.state &= ~(WORK_PENDING | WORK_DELAYED);
            w.current = work;
            wq.nr_running++;
            // more runnable items and an idle worker: kick it (need_more_worker)
            if (!wq.ordered && wq_next_item(wq) != null) more = wq_pick_idle(wq);
            if (more != null) worker_wake(more);

            String name = work.nameLabel.text();
            Kshim.point(work.startPoint, work, 0);
            cur.in_work++;
            Kshim.call_start(Call.WORK, name, 0, work);
            work.func.accept(work); // may free work
            Kshim.call_end(Call.WORK, name, 0, work, 0);
            cur.in_work--;
            ran++;

            w.current = null;
            wq.nr_running--;
            Kshim.waitq_wake(d.work_done_seq);
        }
        cur.worker = null;
        // the worker stays on d.workers until the device goes: others may still look at it
        return ran;
    }
}
