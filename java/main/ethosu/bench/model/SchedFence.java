// The model's sched_fence.c: the scheduler's fences of a job, "scheduled" (signalled once run_job
// returned) and "finished" (signalled when the job completed, with its error). Both share one lock;
// the finished fence holds the scheduled fence's initial reference, and releasing the scheduled
// fence drops the hardware fence (parent) and frees the structure.
package ethosu.bench.model;

import ethosu.bench.model.GpuScheduler.DrmSchedEntity;
import ethosu.bench.model.GpuScheduler.DrmSchedFence;

public final class SchedFence {
    private SchedFence() {}

    /** sizeof(struct drm_sched_fence) on the C side (leak reports). */
    static final int SIZEOF_DRM_SCHED_FENCE = 240;

    private static String drm_sched_fence_get_timeline_name(DmaFence f) {
        DrmSchedFence fence = to_drm_sched_fence(f);
        return fence != null && fence.sched != null ? fence.sched.name : "drm_sched";
    }

    /** Last reference of the scheduled fence: drop the parent, free the pair. */
    static final DmaFence.Ops drm_sched_fence_ops_scheduled = new DmaFence.Ops() {
        @Override
        public String get_driver_name(DmaFence f) {
            return "drm_sched";
        }

        @Override
        public String get_timeline_name(DmaFence f) {
            return drm_sched_fence_get_timeline_name(f);
        }

        @Override
        public void release(DmaFence f) {
            DrmSchedFence fence = to_drm_sched_fence(f);
            DmaFence.dma_fence_put(fence.parent, "fence->parent");
            // mainline frees after an RCU grace period (call_rcu)
            Slab.kfree_rcu(fence, "drm_sched_fence_release_scheduled");
        }
    };

    /** Last reference of the finished fence: drop its hold on the scheduled one. */
    static final DmaFence.Ops drm_sched_fence_ops_finished = new DmaFence.Ops() {
        @Override
        public String get_driver_name(DmaFence f) {
            return "drm_sched";
        }

        @Override
        public String get_timeline_name(DmaFence f) {
            return drm_sched_fence_get_timeline_name(f);
        }

        @Override
        public void release(DmaFence f) {
            DrmSchedFence fence = to_drm_sched_fence(f);
            DmaFence.dma_fence_put(fence.scheduled, "&fence->scheduled");
        }
    };

    /** The scheduler fence f belongs to, if f is its scheduled or finished fence; else null. */
    public static DrmSchedFence to_drm_sched_fence(DmaFence f) {
        if (f.ops == drm_sched_fence_ops_scheduled || f.ops == drm_sched_fence_ops_finished) return f.container;
        return null;
    }

    /** The fences of a job, not yet initialised; null when out of memory. */
    static DrmSchedFence drm_sched_fence_alloc(DrmSchedEntity entity, Object owner, long drm_client_id) {
        DrmSchedFence fence = Slab.kzalloc(SIZEOF_DRM_SCHED_FENCE, Slab.GFP_KERNEL, "drm_sched_fence_alloc",
                DrmSchedFence::new);
        if (fence == null) return null;
        fence.owner = owner;
        fence.drm_client_id = drm_client_id;
        // one lock per job, named for the trace: "spin_lock(sched_fence_lock)"
        Locking.__spin_lock_init(fence.lock, "sched_fence_lock");
        return fence;
    }

    /** Frees the fences of a job that was never armed. */
    static void drm_sched_fence_free(DrmSchedFence fence) {
        // this function should not be called if the fence has been initialized
        if (!Kshim.WARN_ON(fence.sched != null, "sched_fence.c", 105, "drm_sched_fence_free", "fence->sched"))
            Slab.kfree(fence, "drm_sched_fence_free");
    }

    /** Both fences, when the job is armed: the entity's two contexts, its next seqno. */
    static void drm_sched_fence_init(DrmSchedFence fence, DrmSchedEntity entity) {
        fence.sched = entity.rq.sched;
        int seq = ++entity.fence_seq;
        DmaFence.dma_fence_init(fence.scheduled, drm_sched_fence_ops_scheduled, fence.lock, entity.fence_context, seq,
                "&fence->scheduled");
        DmaFence.dma_fence_init(fence.finished, drm_sched_fence_ops_finished, fence.lock, entity.fence_context + 1, seq,
                "&fence->finished");
    }

    /** The job was handed to the hardware; keeps a reference to parent before signalling. */
    static void drm_sched_fence_scheduled(DrmSchedFence fence, Object parent) {
        if (parent instanceof DmaFence p) fence.parent = DmaFence.dma_fence_get(p, "parent");
        DmaFence.dma_fence_signal(fence.scheduled, "&fence->scheduled");
    }

    /** The job is done: set the error, if any, then signal the finished fence. */
    static void drm_sched_fence_finished(DrmSchedFence fence, int result) {
        if (result != 0) DmaFence.dma_fence_set_error(fence.finished, result, "&fence->finished");
        DmaFence.dma_fence_signal(fence.finished, "&fence->finished");
    }
}
