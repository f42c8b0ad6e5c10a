// The model's dma_fence.c and linux/dma-fence.h: struct dma_fence and its functions, mainline 7.x
// semantics as native/kshim/dma_fence.c has them. Signalling sets the signalled bit and runs every
// callback synchronously under fence->lock, in the signaller's context; a second signal does nothing.
// Every entry point first checks whether the fence (or the pointer to it) reads as slab poison and
// reports a use after free instead of touching it; expr is the caller's argument text, as the C
// macros pass it, so the report names the fence's role.
package ethosu.bench.model;

import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.PointKind;
import ethosu.bench.event.WaitKind;

import java.util.ArrayList;
import java.util.List;

public final class DmaFence extends Slab.Mem {
    public static final DmaFence POISON = new DmaFence().asPoisonPtr();

    // enum dma_fence_flag_bits
    public static final int DMA_FENCE_FLAG_SEQNO64_BIT = 0, DMA_FENCE_FLAG_SIGNALED_BIT = 1,
            DMA_FENCE_FLAG_TIMESTAMP_BIT = 2, DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT = 3, DMA_FENCE_FLAG_USER_BITS = 4;
    static final int KSHIM_FENCE_MAGIC = 0x46454e43; // "FENC"
    // enum kshim_fence_role
    public static final int KSHIM_FENCE_OTHER = 0, KSHIM_FENCE_SCHEDULED = 1, KSHIM_FENCE_FINISHED = 2;

    /** dma_fence_func_t */
    public interface Func {
        void call(DmaFence fence, Cb cb);
    }

    /** struct dma_fence_cb; the list its node is on stands for the node's links (null: empty). */
    public static class Cb {
        List<Cb> node;
        Func func;
        /** its owner was freed (the C's node and func read as poison) */
        boolean freed;

        /** INIT_LIST_HEAD(&cb->node) */
        void init() {
            node = null;
        }

        boolean linked() {
            return node != null;
        }

        void poison() {
            node = null;
            func = null;
            freed = true;
        }
    }

    /** struct dma_fence_ops */
    public interface Ops {
        String get_driver_name(DmaFence f);

        String get_timeline_name(DmaFence f);

        default boolean hasEnableSignaling() {
            return false;
        }

        default boolean enable_signaling(DmaFence f) {
            return true;
        }

        default boolean hasSignaled() {
            return false;
        }

        default boolean signaled(DmaFence f) {
            return false;
        }

        /** null: the default release (dma_fence_free) */
        default void release(DmaFence f) {
            dma_fence_free(f);
        }
    }

    Locking.Spinlock lock;
    Ops ops;
    List<Cb> cb_list = new ArrayList<>();
    long timestamp;
    long context;
    long seqno;
    long flags;
    final Locking.Kref refcount = new Locking.Kref();
    int error;
    int kshim_magic;
    int kshim_role;
    long kshim_job;
    /** The scheduler fence this one is embedded in (container_of), set by sched_fence.c. */
    GpuScheduler.DrmSchedFence container;

    @Override
    protected void poison() {
        lock = Locking.Spinlock.POISON;
        ops = null;
        cb_list = new ArrayList<>();
        timestamp = Kshim.POISON_U64;
        context = Kshim.POISON_U64;
        seqno = Kshim.POISON_U64;
        flags = Kshim.POISON_U64;
        refcount.poison();
        error = Kshim.POISON_U32;
        kshim_magic = Kshim.POISON_U32;
        kshim_role = Kshim.POISON_U32;
        kshim_job = Kshim.POISON_U64;
    }

    public int error() {
        return error;
    }

    public long seqno() {
        return seqno;
    }

    static boolean test_bit(int nr, long flags) {
        return ((flags >>> nr) & 1) != 0;
    }

    boolean test_and_set_bit(int nr) {
        boolean was = test_bit(nr, flags);
        flags |= 1L << nr;
        return was;
    }

    void set_bit(int nr) {
        flags |= 1L << nr;
    }

    // ---------------------------------------------------------------- naming and checks

    private static String format_job(long id, String role) {
        if (Long.compareUnsigned(id, 65536) < 0) return "job" + id + "." + role;
        return "job0x" + Long.toHexString(id) + "." + role;
    }

    /** kshim_fence_name: "job<id>.finished", or "<timeline>#<seqno>". */
    static String kshim_fence_name(DmaFence fence) {
        switch (fence.kshim_role) {
            case KSHIM_FENCE_SCHEDULED:
                return format_job(fence.kshim_job, "scheduled");
            case KSHIM_FENCE_FINISHED:
                return format_job(fence.kshim_job, "finished");
            default:
                break;
        }
        String timeline = fence.ops != null ? fence.ops.get_timeline_name(fence) : "fence";
        return timeline + "#" + Long.toUnsignedString(fence.seqno);
    }

    public static void kshim_fence_set_role(DmaFence fence, int role, long job) {
        fence.kshim_role = role;
        fence.kshim_job = job;
    }

    /** enum ebench_fence_role: a fence made inside run_job is that job's hardware fence. */
    static FenceRole fence_role(DmaFence fence) {
        return switch (fence.kshim_role) {
            case KSHIM_FENCE_SCHEDULED -> FenceRole.SCHEDULED;
            case KSHIM_FENCE_FINISHED -> FenceRole.FINISHED;
            default -> fence.kshim_job != 0 ? FenceRole.HW : FenceRole.OTHER;
        };
    }

    /** The fence in a point label (%j: the job the point's argument names), and in a wait label. */
    private static String role_in_point(FenceRole r) {
        return switch (r) {
            case OTHER -> "fence";
            case SCHEDULED -> "%j.scheduled";
            case FINISHED -> "%j.finished";
            case HW -> "%j.hw_fence";
        };
    }

    private static String role_in_wait(FenceRole r) {
        return switch (r) {
            case OTHER -> "fence";
            case SCHEDULED -> "scheduled";
            case FINISHED -> "finished";
            case HW -> "hw_fence";
        };
    }

    /** The labels of the fence points, by point kind and fence role. */
    private static final java.util.Map<PointKind, ethosu.bench.event.Label[]> FENCE_POINTS = new java.util.EnumMap<>(PointKind.class);

    static {
        for (var e : java.util.Map.of(PointKind.FENCE_SIGNAL, "dma_fence_signal", PointKind.FENCE_ADD_CB,
                "dma_fence_add_callback", PointKind.FENCE_REMOVE_CB, "dma_fence_remove_callback").entrySet()) {
            ethosu.bench.event.Label[] byRole = new ethosu.bench.event.Label[FenceRole.values().length];
            for (FenceRole r : FenceRole.values())
                byRole[r.ordinal()] = Kshim.label(e.getKey(), e.getValue() + "(" + role_in_point(r) + ")");
            FENCE_POINTS.put(e.getKey(), byRole);
        }
    }

    /** A scheduling point on fence: "dma_fence_signal(%j.finished)", the job in the argument. */
    private static void fence_point(PointKind kind, String op, DmaFence fence) {
        Kshim.point(FENCE_POINTS.get(kind)[fence_role(fence).ordinal()], fence, fence.kshim_job);
    }

    /** The role name in a C expression: "&edev->job_lock" -> "job_lock" (kshim_role). */
    public static String kshim_role(String expr) {
        if (expr == null) return "?";
        int best = 0;
        for (int p = 0; p < expr.length(); p++) {
            char c = expr.charAt(p);
            if (c == '-' && p + 1 < expr.length() && expr.charAt(p + 1) == '>') best = p + 2;
            else if (c == '.' || c == '&' || c == '(' || c == '*') best = p + 1;
        }
        return expr.substring(Math.min(best, expr.length()));
    }

    /**
     * A fence pointer read from freed memory, or a fence inside freed memory: report the use after
     * free with the operation and the fence's role (from the caller's expression).
     */
    static boolean fence_freed(DmaFence fence, String op, String expr) {
        if (!Slab.poisoned_ptr(fence) && !Kshim.poisoned_u32(fence.kshim_magic)) return false;
        String site = op + "(" + kshim_role(expr) + ")";
        if (Slab.poisoned_ptr(fence))
            Kshim.finding_at(KernelReport.Kind.UAF, site,
                    "BUG: KASAN: slab-use-after-free in " + site + ": fence pointer read from freed memory");
        else
            Kshim.finding_at(KernelReport.Kind.UAF, site,
                    "BUG: KASAN: slab-use-after-free in " + site + ": the fence was already freed");
        return true;
    }

    /** A fence never dma_fence_init()ed has no lock and no ops: the kernel oopses on it. */
    static boolean fence_uninit(DmaFence fence, String op, String expr) {
        if (fence.lock != null && fence.ops != null) return false;
        String site = op + "(" + kshim_role(expr) + ")";
        Kshim.finding_at(KernelReport.Kind.OOPS, site,
                "BUG: kernel NULL pointer dereference in " + site + ": fence never initialised");
        return true;
    }

    // ---------------------------------------------------------------- init, references, release

    private static void fence_init(DmaFence fence, Ops ops, Locking.Spinlock lock, long context, long seqno, long flags,
                                   String expr) {
        if (fence_freed(fence, "dma_fence_init", expr)) return;
        if (lock == null || ops == null) {
            Kshim.BUG_ON(lock == null, "dma_fence.c", 155, "fence_init", "!lock");
            Kshim.BUG_ON(ops == null, "dma_fence.c", 156, "fence_init", "!ops || !ops->get_driver_name || !ops->get_timeline_name");
            return;
        }
        Locking.kref_init(fence.refcount);
        fence.ops = ops;
        fence.cb_list = new ArrayList<>();
        fence.timestamp = 0;
        fence.lock = lock;
        fence.context = context;
        fence.seqno = seqno;
        fence.flags = flags;
        fence.error = 0;
        fence.kshim_magic = KSHIM_FENCE_MAGIC;
        fence.kshim_role = KSHIM_FENCE_OTHER;
        // a fence made inside run_job is that job's hardware fence
        Kshim.Ctx cur = Kshim.cur();
        fence.kshim_job = cur != null ? cur.running_job : 0;
        Kshim.count(Kdev.C_FENCES_LIVE, 1);
    }

    /** dma_fence_init: refcount 1, no flags, error 0, empty callback list. */
    public static void dma_fence_init(DmaFence fence, Ops ops, Locking.Spinlock lock, long context, long seqno, String expr) {
        fence_init(fence, ops, lock, context, seqno, 0, expr);
    }

    public static DmaFence dma_fence_get(DmaFence fence, String expr) {
        if (fence == null) return null;
        if (fence_freed(fence, "dma_fence_get", expr)) return fence;
        Locking.kref_get(fence.refcount);
        return fence;
    }

    /** Null when the refcount already dropped to zero. */
    public static DmaFence dma_fence_get_rcu(DmaFence fence, String expr) {
        if (fence == null) return null;
        if (fence_freed(fence, "dma_fence_get_rcu", expr)) return null;
        if (Locking.kref_get_unless_zero(fence.refcount)) return fence;
        return null;
    }

    public static void dma_fence_put(DmaFence fence, String expr) {
        if (fence == null) return;
        if (fence_freed(fence, "dma_fence_put", expr)) return;
        Locking.kref_put(fence.refcount, () -> dma_fence_release(fence));
    }

    /** kfree_rcu() in mainline: valid until the signaller's locked section ends. */
    public static void dma_fence_free(DmaFence fence) {
        Slab.kfree_rcu(fence, "dma_fence_free");
    }

    /**
     * dma_fence_release: a fence released unsignalled with callbacks still queued is a refcounting
     * bug: warn, then signal it with -EDEADLK, as mainline does. Then ops->release, or kfree.
     */
    static void dma_fence_release(DmaFence fence) {
        if (!fence.cb_list.isEmpty() && !test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, fence.flags)) {
            String name = kshim_fence_name(fence);
            Kshim.finding(KernelReport.Kind.WARN, "dma_fence_release", String.format(
                    "WARNING: Fence %s:%s:%x:%x released with pending signals! (%s)", fence.ops.get_driver_name(fence),
                    fence.ops.get_timeline_name(fence), fence.context, fence.seqno, name));
            Locking.spin_lock_irqsave(fence.lock);
            fence.error = -Kshim.EDEADLK;
            dma_fence_signal_locked(fence, "fence");
            Locking.spin_unlock_irqrestore(fence.lock);
        }
        Kshim.count(Kdev.C_FENCES_LIVE, -1);
        fence.ops.release(fence);
    }

    // ---------------------------------------------------------------- signalling

    /** What the trace records when a fence signals (again: it had already). */
    private static void fence_signal_event(boolean again, DmaFence fence) {
        FenceRole role = fence_role(fence);
        if (role == FenceRole.FINISHED && !again) Kshim.count(Kdev.C_JOBS_DONE, 1);
        Kshim.event(new FenceSignal(Kshim.ctxId(), role, fence.kshim_job, Kshim.obj(fence), fence.error, fence.seqno, again));
    }

    /**
     * The signal proper; the caller holds fence->lock. Returns true if the fence was already
     * signalled (then nothing happens). Callbacks run here, under the lock, each with its node
     * re-initialised first so dma_fence_remove_callback() sees it as gone.
     */
    private static boolean fence_signal_locked(DmaFence fence, long timestamp) {
        if (fence.test_and_set_bit(DMA_FENCE_FLAG_SIGNALED_BIT)) {
            fence_signal_event(true, fence);
            return true;
        }
        // stash the callbacks: the kernel's cb_list becomes the timestamp now
        List<Cb> cb_list = fence.cb_list;
        for (Cb cb : cb_list) cb.node = cb_list;
        fence.cb_list = new ArrayList<>();

        fence.timestamp = timestamp;
        fence.set_bit(DMA_FENCE_FLAG_TIMESTAMP_BIT);
        fence_signal_event(false, fence);

        while (!cb_list.isEmpty()) {
            Cb cur = cb_list.remove(0);
            // a callback whose owner was freed while still queued: the kernel follows the freed
            // node (KASAN reports it); the walk stops
            if (cur.freed) {
                Kshim.finding(KernelReport.Kind.UAF, "fence_signal_locked",
                        "BUG: KASAN: slab-use-after-free in dma_fence_signal: a queued callback's owner was freed before the fence signalled");
                break;
            }
            cur.init();
            cur.func.call(fence, cur);
        }
        return false;
    }

    /** Checks shared by the signal entry points, then their scheduling point. */
    private static boolean signal_prologue(DmaFence fence, String op, String expr) {
        if (Kshim.WARN_ON(fence == null, "dma_fence.c", 324, "signal_prologue", "!fence")) return false;
        if (fence_freed(fence, op, expr) || fence_uninit(fence, op, expr)) return false;
        fence_point(PointKind.FENCE_SIGNAL, "dma_fence_signal", fence);
        return true;
    }

    private static boolean fence_signal(DmaFence fence, String op, String expr) {
        if (!signal_prologue(fence, op, expr)) return true;
        Locking.Spinlock lock = fence.lock;
        Locking.spin_lock_irqsave(lock);
        boolean was = fence_signal_locked(fence, Kshim.ktime_get());
        Locking.spin_unlock_irqrestore(fence.lock);
        return was;
    }

    private static boolean fence_signal_under_lock(DmaFence fence, String op, String expr) {
        if (!signal_prologue(fence, op, expr)) return true;
        Locking.lockdep_assert_held_spin(fence.lock, "fence->lock");
        return fence_signal_locked(fence, Kshim.ktime_get());
    }

    /** dma_fence_signal: under fence->lock, set the signalled bit and run every queued callback. */
    public static void dma_fence_signal(DmaFence fence, String expr) {
        fence_signal(fence, "dma_fence_signal", expr);
    }

    /** As dma_fence_signal(), with fence->lock already held by the caller. */
    public static void dma_fence_signal_locked(DmaFence fence, String expr) {
        fence_signal_under_lock(fence, "dma_fence_signal_locked", expr);
    }

    /** Returns true if the fence was already signalled (nothing was done). */
    public static boolean dma_fence_check_and_signal(DmaFence fence, String expr) {
        return fence_signal(fence, "dma_fence_check_and_signal", expr);
    }

    public static boolean dma_fence_is_signaled(DmaFence fence, String expr) {
        // poison has the signalled bit set: the kernel would answer true
        if (fence_freed(fence, "dma_fence_is_signaled", expr)) return true;
        if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, fence.flags)) return true;
        if (fence_uninit(fence, "dma_fence_is_signaled", expr)) return false;
        if (fence.ops.hasSignaled() && fence.ops.signaled(fence)) {
            dma_fence_signal(fence, "fence");
            return true;
        }
        return false;
    }

    public static boolean dma_fence_is_signaled_locked(DmaFence fence, String expr) {
        if (fence_freed(fence, "dma_fence_is_signaled_locked", expr)) return true;
        if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, fence.flags)) return true;
        if (fence_uninit(fence, "dma_fence_is_signaled_locked", expr)) return false;
        if (fence.ops.hasSignaled() && fence.ops.signaled(fence)) {
            dma_fence_signal_locked(fence, "fence");
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- callbacks

    /** Caller holds fence->lock. False if the fence is (now) signalled. */
    private static boolean __dma_fence_enable_signaling(DmaFence fence) {
        Locking.lockdep_assert_held_spin(fence.lock, "fence->lock");
        boolean was_set = fence.test_and_set_bit(DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT);
        if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, fence.flags)) return false;
        if (!was_set && fence.ops.hasEnableSignaling()) {
            if (!fence.ops.enable_signaling(fence)) {
                dma_fence_signal_locked(fence, "fence");
                return false;
            }
        }
        return true;
    }

    public static void dma_fence_enable_sw_signaling(DmaFence fence, String expr) {
        if (fence_freed(fence, "dma_fence_enable_sw_signaling", expr)
                || fence_uninit(fence, "dma_fence_enable_sw_signaling", expr))
            return;
        Locking.spin_lock_irqsave(fence.lock);
        __dma_fence_enable_signaling(fence);
        Locking.spin_unlock_irqrestore(fence.lock);
    }

    /**
     * dma_fence_add_callback: 0 when queued; -ENOENT if the fence is already signalled (func is not
     * called, cb's node is empty); -EINVAL on a NULL fence or function.
     */
    public static int dma_fence_add_callback(DmaFence fence, Cb cb, Func func, String expr) {
        int ret = 0;
        if (Kshim.WARN_ON(fence == null || func == null, "dma_fence.c", 483, "__dma_fence_add_callback", "!fence || !func"))
            return -Kshim.EINVAL;
        if (fence_freed(fence, "dma_fence_add_callback", expr)) {
            cb.init();
            return -Kshim.ENOENT;
        }
        fence_point(PointKind.FENCE_ADD_CB, "dma_fence_add_callback", fence);
        if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, fence.flags)) {
            cb.init();
            return -Kshim.ENOENT;
        }
        if (fence_uninit(fence, "dma_fence_add_callback", expr)) {
            cb.init();
            return -Kshim.EINVAL;
        }
        Locking.spin_lock_irqsave(fence.lock);
        if (__dma_fence_enable_signaling(fence)) {
            if (cb_queued(fence, cb)) {
                // CONFIG_DEBUG_LIST: list_add of a node already on the list is reported and not done
                Locking.spin_unlock_irqrestore(fence.lock);
                Kshim.finding(KernelReport.Kind.WARN, "__dma_fence_add_callback", String.format(
                        "WARNING: list_add double add: dma_fence_add_callback(%s) queues a callback already queued on it",
                        kshim_fence_name(fence)));
                return 0;
            }
            cb.func = func;
            fence.cb_list.add(cb);
            cb.node = fence.cb_list;
        } else {
            cb.init();
            ret = -Kshim.ENOENT;
        }
        Locking.spin_unlock_irqrestore(fence.lock);
        return ret;
    }

    /** True if cb is on fence's callback list (fence->lock held). */
    private static boolean cb_queued(DmaFence fence, Cb cb) {
        for (Cb cur : fence.cb_list) {
            if (cur == cb) return true;
        }
        return false;
    }

    /** True if the callback was still queued and is now removed; false if it already ran. */
    public static boolean dma_fence_remove_callback(DmaFence fence, Cb cb, String expr) {
        if (fence_freed(fence, "dma_fence_remove_callback", expr) || fence_uninit(fence, "dma_fence_remove_callback", expr))
            return false;
        fence_point(PointKind.FENCE_REMOVE_CB, "dma_fence_remove_callback", fence);
        Locking.spin_lock_irqsave(fence.lock);
        // the callback's owner may have been freed while the caller waited for the lock
        if (cb.freed) {
            Locking.spin_unlock_irqrestore(fence.lock);
            String site = "dma_fence_remove_callback(" + kshim_role(expr) + ")";
            Kshim.finding_at(KernelReport.Kind.UAF, site,
                    "BUG: KASAN: slab-use-after-free in " + site + ": the callback's owner was freed");
            return false;
        }
        boolean ret = cb.linked();
        if (ret) {
            cb.node.remove(cb);
            cb.init();
        }
        Locking.spin_unlock_irqrestore(fence.lock);
        return ret;
    }

    // ---------------------------------------------------------------- error and status

    /** dma_fence_set_error: must come before signalling; mainline warns otherwise, and sets it. */
    public static void dma_fence_set_error(DmaFence fence, int error, String expr) {
        if (fence_freed(fence, "dma_fence_set_error", expr)) return;
        if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, fence.flags))
            Kshim.finding(KernelReport.Kind.FENCE, "__dma_fence_set_error", String.format(
                    "WARNING: dma_fence_set_error(%s, %d) on a signalled fence: WARN_ON(test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))",
                    kshim_fence_name(fence), error));
        if (error >= 0 || error < -Kshim.MAX_ERRNO)
            Kshim.finding(KernelReport.Kind.WARN, "__dma_fence_set_error", String.format(
                    "WARNING: dma_fence_set_error(%s, %d): WARN_ON(error >= 0 || error < -MAX_ERRNO)", kshim_role(expr), error));
        fence.error = error;
    }

    /** 0 while pending, 1 when signalled without error, else the error. */
    public static int dma_fence_get_status(DmaFence fence, String expr) {
        if (fence_freed(fence, "dma_fence_get_status", expr) || fence_uninit(fence, "dma_fence_get_status", expr))
            return -Kshim.EINVAL;
        Locking.spin_lock_irqsave(fence.lock);
        int status = dma_fence_is_signaled_locked(fence, "fence") ? (fence.error != 0 ? fence.error : 1) : 0;
        Locking.spin_unlock_irqrestore(fence.lock);
        return status;
    }

    /** Per device, counting up from 1. */
    public static long dma_fence_context_alloc(int num) {
        Kshim.WARN_ON(num == 0, "dma_fence.c", 585, "dma_fence_context_alloc", "!num");
        return Kshim.fence_context_alloc(num);
    }

    public static boolean dma_fence_is_later(DmaFence f1, DmaFence f2) {
        if (Kshim.WARN_ON(f1.context != f2.context, "dma-fence.h", 225, "dma_fence_is_later", "f1->context != f2->context"))
            return false;
        if (test_bit(DMA_FENCE_FLAG_SEQNO64_BIT, f1.flags)) return Long.compareUnsigned(f1.seqno, f2.seqno) > 0;
        return (int) (f1.seqno - f2.seqno) > 0;
    }

    public static boolean dma_fence_is_later_or_same(DmaFence f1, DmaFence f2) {
        return f1 == f2 || dma_fence_is_later(f1, f2);
    }

    // ---------------------------------------------------------------- waiting

    private static final class DefaultWaitCb extends Cb {
        final Kshim.Word woken = new Kshim.Word();
    }

    /** Jiffies left until deadline, at least 1 while time remains. */
    private static long jiffies_left(long deadline) {
        long now = Kshim.ktime_get();
        if (Long.compareUnsigned(now, deadline) >= 0) return 0;
        return Kshim.nsecs_to_jiffies(deadline - now) + 1;
    }

    /**
     * dma_fence_default_wait: queues a callback that wakes this context and sleeps on it through
     * the seam. Returns the remaining timeout in jiffies, or 0 if the wait timed out.
     */
    public static long dma_fence_default_wait(DmaFence fence, boolean intr, long timeout) {
        DefaultWaitCb cb = new DefaultWaitCb();
        var what = Kshim.label(WaitKind.FENCE, "dma_fence_wait(" + role_in_wait(fence_role(fence)) + ")");
        long ret = timeout != 0 ? timeout : 1;
        long deadline = -1L; // U64_MAX
        if (timeout != 0 && timeout != Kshim.MAX_SCHEDULE_TIMEOUT)
            deadline = Kshim.ktime_get() + Kshim.jiffies_to_nsecs(timeout);

        Locking.spin_lock_irqsave(fence.lock);
        out:
        {
            if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, fence.flags)) break out;
            if (timeout == 0) {
                ret = 0;
                break out;
            }
            cb.func = (f, c) -> {
                DefaultWaitCb w = (DefaultWaitCb) c;
                w.woken.value = 1;
                Kshim.wake(w.woken);
            };
            cb.woken.value = 0;
            fence.cb_list.add(0, cb);
            cb.node = fence.cb_list;
            while (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, fence.flags) && ret > 0) {
                Locking.spin_unlock_irqrestore(fence.lock);
                boolean timedOut = Kshim.wait(cb.woken, 0, deadline, what) == -Kshim.ETIMEDOUT;
                if (deadline != -1L) ret = timedOut ? 0 : jiffies_left(deadline);
                Locking.spin_lock_irqsave(fence.lock);
            }
            if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, fence.flags) && ret <= 0) ret = 1;
            if (cb.linked()) {
                cb.node.remove(cb);
                cb.init();
            }
        }
        Locking.spin_unlock_irqrestore(fence.lock);
        return ret;
    }

    /**
     * dma_fence_wait_timeout: -ERESTARTSYS if interrupted, 0 if the wait timed out, or the remaining
     * timeout in jiffies. A sleeping call: waiting in atomic context is a finding.
     */
    public static long dma_fence_wait_timeout(DmaFence fence, boolean intr, long timeout, String expr) {
        if (Kshim.WARN_ON(timeout < 0, "dma_fence.c", 686, "__dma_fence_wait_timeout", "timeout < 0")) return -Kshim.EINVAL;
        if (fence_freed(fence, "dma_fence_wait_timeout", expr)) return timeout != 0 ? timeout : 1;
        if (fence_uninit(fence, "dma_fence_wait_timeout", expr)) return -Kshim.EINVAL;
        Kshim.might_sleep("dma_fence_wait");
        dma_fence_enable_sw_signaling(fence, "fence");
        return dma_fence_default_wait(fence, intr, timeout);
    }

    /** dma_fence_wait: 0 on success. */
    public static int dma_fence_wait(DmaFence fence, boolean intr, String expr) {
        long r = dma_fence_wait_timeout(fence, intr, Kshim.MAX_SCHEDULE_TIMEOUT, expr);
        return r < 0 ? (int) r : 0;
    }
}
