// The model's dma_resv.c and ww_mutex: reservation objects and the w/w mutex they lock with. The
// fence slots follow mainline: dma_resv_reserve_fences() makes room under the lock,
// dma_resv_add_fence() fills a slot and keeps a reference; as with CONFIG_DEBUG_MUTEXES, unlocking
// shrinks the reservation to what is used, so adding without reserving hits the kernel's BUG_ON.
package ethosu.bench.model;

import ethosu.bench.event.KernelReport;

import java.util.ArrayList;
import java.util.List;

public final class DmaResv {
    // enum dma_resv_usage
    public static final int DMA_RESV_USAGE_KERNEL = 0, DMA_RESV_USAGE_WRITE = 1, DMA_RESV_USAGE_READ = 2,
            DMA_RESV_USAGE_BOOKKEEP = 3;

    /** struct ww_acquire_ctx */
    public static final class WwAcquireCtx {
        int acquired;
        boolean done_acquire;
    }

    /** struct ww_mutex: a mutex named "resv" in scheduling points, and the context that holds it. */
    static final class WwMutex {
        final Locking.Mutex base = new Locking.Mutex();
        WwAcquireCtx ctx;
    }

    /** One (fence, usage) slot. */
    private record Slot(DmaFence fence, int usage) {}

    /** struct dma_resv_list: num_fences slots used, max_fences reserved. */
    static final class DmaResvList extends Slab.Mem {
        final List<Slot> table = new ArrayList<>();
        int max_fences;

        @Override
        protected void poison() {
            max_fences = Kshim.POISON_U32;
        }
    }

    final WwMutex lock = new WwMutex();
    DmaResvList fences;

    public static int dma_resv_usage_rw(boolean write) {
        // a writer waits for readers and writers, a reader for writers only
        return write ? DMA_RESV_USAGE_READ : DMA_RESV_USAGE_WRITE;
    }

    // ---------------------------------------------------------------- ww_mutex

    static void ww_mutex_init(WwMutex lock) {
        Locking.__mutex_init(lock.base, "resv");
        lock.ctx = null;
    }

    static void ww_acquire_init(WwAcquireCtx ctx) {
        ctx.acquired = 0;
        ctx.done_acquire = false;
    }

    /** Marks the end of the acquire phase: no more locks through ctx. */
    static void ww_acquire_done(WwAcquireCtx ctx) {
        Kshim.WARN_ON(ctx.done_acquire, "dma_resv.c", 48, "ww_acquire_done", "ctx->done_acquire");
        ctx.done_acquire = true;
    }

    /** Every lock taken through ctx must have been released (lockdep's check). */
    static void ww_acquire_fini(WwAcquireCtx ctx) {
        if (ctx.acquired != 0)
            Kshim.finding(KernelReport.Kind.WARN, "ww_acquire_fini", String.format(
                    "WARNING: ww_acquire_fini() with %d %s lock(s) still held: DEBUG_LOCKS_WARN_ON(ctx->acquired)",
                    ctx.acquired, "resv"));
    }

    /** 0, or -EALREADY if ctx already holds lock (the bench takes reservations in one order: no -EDEADLK). */
    static int ww_mutex_lock(WwMutex lock, WwAcquireCtx ctx) {
        if (ctx != null) {
            if (lock.ctx == ctx) return -Kshim.EALREADY;
            Kshim.WARN_ON(ctx.done_acquire, "dma_resv.c", 83, "ww_mutex_lock", "ctx->done_acquire");
        }
        Locking.mutex_lock(lock.base);
        lock.ctx = ctx;
        if (ctx != null) ctx.acquired++;
        return 0;
    }

    static void ww_mutex_unlock(WwMutex lock) {
        WwAcquireCtx ctx = lock.ctx;
        if (ctx != null) {
            if (ctx.acquired > 0) ctx.acquired--;
            lock.ctx = null;
        }
        Locking.mutex_unlock(lock.base);
    }

    // ---------------------------------------------------------------- the reservation object

    public static void dma_resv_init(DmaResv obj) {
        ww_mutex_init(obj.lock);
        obj.fences = null;
    }

    private static void dma_resv_list_free(DmaResvList list) {
        if (list == null) return;
        for (Slot s : list.table) DmaFence.dma_fence_put(s.fence(), "list->table[i].fence");
        Slab.kfree(list, "dma_resv_list_free");
    }

    /** The object is dead: drop every fence it still holds. */
    public static void dma_resv_fini(DmaResv obj) {
        dma_resv_list_free(obj.fences);
        obj.fences = null;
        Locking.mutex_destroy(obj.lock.base);
    }

    public static int dma_resv_lock(DmaResv obj, WwAcquireCtx ctx) {
        return ww_mutex_lock(obj.lock, ctx);
    }

    /** Unlocking lapses every reservation made under the lock (debug kernels). */
    public static void dma_resv_unlock(DmaResv obj) {
        dma_resv_reset_max_fences(obj);
        ww_mutex_unlock(obj.lock);
    }

    static void dma_resv_assert_held(DmaResv obj) {
        Locking.lockdep_assert_held(obj.lock.base, "&(obj)->lock.base");
    }

    private static int roundup_pow_of_two(int n) {
        int r = 1;
        while (r < n) r <<= 1;
        return r;
    }

    private static DmaResvList dma_resv_list_alloc(int max_fences) {
        DmaResvList list = Slab.kshim_alloc(8 + 16L * max_fences, Slab.GFP_KERNEL, "dma_resv_list_alloc", DmaResvList::new);
        if (list == null) return null;
        list.max_fences = max_fences;
        return list;
    }

    /**
     * dma_resv_reserve_fences: room for num_fences more, under the lock, before dma_resv_add_fence();
     * signalled fences are dropped while the list is copied. 0, -EINVAL for zero, -ENOMEM.
     */
    public static int dma_resv_reserve_fences(DmaResv obj, int num_fences) {
        dma_resv_assert_held(obj);
        // zero usually points to a bug in counting the slots needed
        if (Kshim.WARN_ON(num_fences == 0, "dma_resv.c", 211, "dma_resv_reserve_fences", "!num_fences"))
            return -Kshim.EINVAL;
        DmaResvList old = obj.fences;
        int max;
        if (old != null && old.max_fences != 0) {
            if (old.table.size() + num_fences <= old.max_fences) return 0;
            max = Math.max(old.table.size() + num_fences, old.max_fences * 2);
        } else {
            max = Math.max(4, roundup_pow_of_two(num_fences));
        }
        DmaResvList n = dma_resv_list_alloc(max);
        if (n == null) return -Kshim.ENOMEM;
        // live fences move over; signalled ones collect at the end, to drop
        List<Slot> dropped = new ArrayList<>();
        if (old != null)
            for (Slot slot : old.table) {
                if (DmaFence.dma_fence_is_signaled(slot.fence(), "slot->fence")) dropped.add(0, slot);
                else n.table.add(slot);
            }
        obj.fences = n;
        for (Slot s : dropped) DmaFence.dma_fence_put(s.fence(), "new->table[i].fence");
        Slab.kfree(old, "dma_resv_reserve_fences");
        return 0;
    }

    static void dma_resv_reset_max_fences(DmaResv obj) {
        DmaResvList fences = obj.fences;
        dma_resv_assert_held(obj);
        if (fences != null) fences.max_fences = fences.table.size();
    }

    /**
     * dma_resv_add_fence: replaces a fence of the same context whose usage is not narrower and
     * which fence supersedes, or any signalled fence; otherwise fills a reserved slot.
     */
    public static void dma_resv_add_fence(DmaResv obj, DmaFence fence, int usage) {
        DmaFence.dma_fence_get(fence, "fence");
        dma_resv_assert_held(obj);
        DmaResvList fobj = obj.fences;
        if (fobj == null) {
            // mainline reads fobj->num_fences here
            Kshim.finding(KernelReport.Kind.OOPS, "dma_resv_add_fence",
                    "BUG: kernel NULL pointer dereference in dma_resv_add_fence: no fence slot was ever reserved");
            DmaFence.dma_fence_put(fence, "fence");
            return;
        }
        int count = fobj.table.size();
        for (int i = 0; i < count; ++i) {
            Slot slot = fobj.table.get(i);
            DmaFence old = slot.fence();
            if ((old.context == fence.context && slot.usage() >= usage && DmaFence.dma_fence_is_later_or_same(fence, old))
                    || DmaFence.dma_fence_is_signaled(old, "old")) {
                fobj.table.set(i, new Slot(fence, usage));
                DmaFence.dma_fence_put(old, "old");
                return;
            }
        }
        if (fobj.table.size() >= fobj.max_fences) {
            // the kernel dies here; the run goes on without the fence
            Kshim.BUG_ON(true, "dma_resv.c", 300, "dma_resv_add_fence", "fobj->num_fences >= fobj->max_fences");
            DmaFence.dma_fence_put(fence, "fence");
            return;
        }
        fobj.table.add(new Slot(fence, usage));
    }

    /** dma_resv_for_each_fence with the object locked: the fences of usage at most usage. */
    static List<DmaFence> fences(DmaResv obj, int usage) {
        dma_resv_assert_held(obj);
        List<DmaFence> out = new ArrayList<>();
        if (obj.fences != null)
            for (Slot s : obj.fences.table)
                if (s.usage() <= usage) out.add(s.fence());
        return out;
    }
}
