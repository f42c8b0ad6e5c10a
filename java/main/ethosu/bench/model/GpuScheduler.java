// The model's drm/gpu_scheduler.h and drm/spsc_queue.h: the scheduler's structs (scheduler, run
// queue, entity, job, its fences) and the backend ops a driver gives it. The functions live in
// SchedMain (sched_main.c), SchedEntity (sched_entity.c) and SchedFence (sched_fence.c).
package ethosu.bench.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

public final class GpuScheduler {
    private GpuScheduler() {}

    // enum drm_sched_priority: run queues are scanned from KERNEL to LOW
    /** an empty run queue's head priority (fair) */
    public static final int DRM_SCHED_PRIORITY_INVALID = -1;
    /** drm.sched_policy (enum kshim_sched_policy) */
    public static final int DRM_SCHED_POLICY_RR = 0, DRM_SCHED_POLICY_FIFO = 1, DRM_SCHED_POLICY_FAIR = 2;
    public static final int DRM_SCHED_PRIORITY_KERNEL = 0, DRM_SCHED_PRIORITY_HIGH = 1, DRM_SCHED_PRIORITY_NORMAL = 2,
            DRM_SCHED_PRIORITY_LOW = 3, DRM_SCHED_PRIORITY_COUNT = 4;
    // enum drm_gpu_sched_stat
    public static final int DRM_GPU_SCHED_STAT_NONE = 0, DRM_GPU_SCHED_STAT_RESET = 1, DRM_GPU_SCHED_STAT_ENODEV = 2,
            DRM_GPU_SCHED_STAT_NO_HANG = 3;
    /** MAX_WAIT_SCHED_ENTITY_Q_EMPTY: msecs_to_jiffies(1000) */
    public static final long MAX_WAIT_SCHED_ENTITY_Q_EMPTY = 1000;
    /** DRM_SCHED_FENCE_DONT_PIPELINE */
    public static final int DRM_SCHED_FENCE_DONT_PIPELINE = DmaFence.DMA_FENCE_FLAG_USER_BITS;
    /** &drm_sched_rq.kshim_magic of a live run queue ("RUNQ") */
    static final int DRM_SCHED_RQ_MAGIC = 0x52554e51;

    /** struct drm_sched_backend_ops; prepare_job and cancel_job are optional. */
    public interface BackendOps {
        default boolean hasPrepareJob() {
            return false;
        }

        default DmaFence prepare_job(DrmSchedJob job, DrmSchedEntity entity) {
            return null;
        }

        /** A fence (referenced for the scheduler), null, or an ERR_PTR as {@link ErrPtr}. */
        Object run_job(DrmSchedJob job);

        int timedout_job(DrmSchedJob job);

        void free_job(DrmSchedJob job);

        default boolean hasCancelJob() {
            return false;
        }

        default void cancel_job(DrmSchedJob job) {}
    }

    /** ERR_PTR(err) where the C returns a pointer. */
    public record ErrPtr(int err) {}

    /** struct drm_sched_init_args */
    public record InitArgs(BackendOps ops, Workqueue.WorkqueueStruct submit_wq, Workqueue.WorkqueueStruct timeout_wq,
                           int num_rqs, int credit_limit, int hang_limit, long timeout, int[] score, String name,
                           Kdev.Device dev) {}

    /** struct drm_sched_rq */
    public static final class DrmSchedRq extends Slab.Mem {
        int kshim_magic;
        DrmGpuScheduler sched;
        final Locking.Spinlock lock = new Locking.Spinlock();
        /** round robin: monotonically increasing fake timestamp */
        long rr_ts;
        final List<DrmSchedEntity> entities = new ArrayList<>();
        /** entities with a job, by oldest_job_waiting, equal keys in insertion order (the rb-tree) */
        final List<DrmSchedEntity> tree = new ArrayList<>();
        /** fair policy: priority of the entity at the head of the tree */
        int head_prio = DRM_SCHED_PRIORITY_INVALID;

        @Override
        protected void poison() {
            kshim_magic = Kshim.POISON_U32;
            sched = null;
            lock.poison();
            rr_ts = Kshim.POISON_U64;
        }
    }

    /** The spsc queue of an entity: single producer (the submitter), single consumer (run-job work). */
    static final class SpscQueue {
        final ArrayDeque<DrmSchedJob> nodes = new ArrayDeque<>();
        int job_count;

        DrmSchedJob peek() {
            return nodes.peekFirst();
        }

        int count() {
            return job_count;
        }

        /** True if the queue was empty: the first job wakes the scheduler. */
        boolean push(DrmSchedJob job) {
            job_count++;
            boolean first = nodes.isEmpty();
            nodes.addLast(job);
            return first;
        }

        DrmSchedJob pop() {
            DrmSchedJob j = nodes.pollFirst();
            if (j != null) job_count--;
            return j;
        }
    }

    /** struct drm_sched_entity; its list and fifo links stand as flags next to the run queue's lists. */
    public static final class DrmSchedEntity extends Slab.Mem {
        /** on its run queue's entities list (list_empty(&entity->list) is false) */
        boolean list;
        final Locking.Spinlock lock = new Locking.Spinlock();
        DrmSchedRq rq;
        /** the entity's share of the stats object (jobs hold references too) */
        SchedEntity.DrmSchedEntityStats stats;
        DrmGpuScheduler[] sched_list;
        int num_sched_list;
        int priority;
        /** the run queue it uses (the fair policy has one, KERNEL) */
        int rq_priority;
        /** round robin: fake timestamp of its last popped job */
        long rr_ts;
        SpscQueue job_queue = new SpscQueue();
        int fence_seq;
        long fence_context;
        DmaFence dependency;
        final DmaFence.Cb cb = new DmaFence.Cb();
        int[] guilty;
        DmaFence last_scheduled;
        /** the process that pushed last ("current->group_leader") */
        long last_user;
        boolean stopped;
        final WaitQueue.Completion entity_idle = new WaitQueue.Completion();
        /** the entity's key in the tree (submit time, fake time or virtual runtime, by policy) */
        long oldest_job_waiting;
        /** in its run queue's tree (stands for !RB_EMPTY_NODE) */
        boolean in_tree;

        @Override
        protected void poison() {
            list = true;
            lock.poison();
            rq = DrmSchedRq_POISON;
            stats = null;
            sched_list = null;
            num_sched_list = Kshim.POISON_U32;
            priority = Kshim.POISON_U32;
            rq_priority = Kshim.POISON_U32;
            rr_ts = Kshim.POISON_U64;
            last_user = Kshim.POISON_U64;
            fence_seq = Kshim.POISON_U32;
            fence_context = Kshim.POISON_U64;
            dependency = DmaFence.POISON;
            cb.poison();
            last_scheduled = DmaFence.POISON;
            stopped = true;
            entity_idle.done = Kshim.POISON_U32;
            oldest_job_waiting = Kshim.POISON_U64;
            in_tree = true;
        }
    }

    static final DrmSchedRq DrmSchedRq_POISON = new DrmSchedRq().asPoisonPtr();

    /** struct drm_sched_fence: the scheduled and finished fences of a job, one lock for both. */
    public static final class DrmSchedFence extends Slab.Mem {
        public static final DrmSchedFence POISON = new DrmSchedFence().asPoisonPtr();

        final DmaFence scheduled = new DmaFence();
        final DmaFence finished = new DmaFence();
        long deadline;
        DmaFence parent;
        DrmGpuScheduler sched;
        final Locking.Spinlock lock = new Locking.Spinlock();
        Object owner;
        long drm_client_id;

        DrmSchedFence() {
            scheduled.container = this;
            finished.container = this;
        }

        public DmaFence finished() {
            return finished;
        }

        @Override
        protected void poison() {
            scheduled.poison();
            finished.poison();
            deadline = Kshim.POISON_U64;
            parent = DmaFence.POISON;
            sched = null;
            lock.poison();
            drm_client_id = Kshim.POISON_U64;
        }
    }

    /** struct drm_sched_deps: the job's dependencies, the xarray of mainline; erased entries are null. */
    static final class DrmSchedDeps {
        final List<DmaFence> entries = new ArrayList<>();
        /** the node the entries beyond the first need (64 slots), as an xarray's */
        Slab.Buf more;
        int cap;

        int count() {
            return entries.size();
        }
    }

    /** struct drm_sched_job; the driver's job extends it (container_of is a cast). */
    public static class DrmSchedJob extends Slab.Mem {
        long id;
        long submit_ts;
        DrmGpuScheduler sched;
        DrmSchedFence s_fence;
        DrmSchedEntity entity;
        /** the job's reference to its entity's stats, from arm to cleanup */
        SchedEntity.DrmSchedEntityStats entity_stats;
        int s_priority;
        int credits;
        int last_dependency;
        int karma;
        /** on the scheduler's pending list */
        boolean list;
        // a union in the C: the kill path's callback, then its work item
        final DmaFence.Cb finish_cb = new DmaFence.Cb();
        final Workqueue.WorkStruct work = new Workqueue.WorkStruct();
        final DmaFence.Cb cb = new DmaFence.Cb();
        DrmSchedDeps dependencies = new DrmSchedDeps();
        long kshim_id;

        public DrmSchedFence s_fence() {
            return s_fence;
        }

        /** memset(job, 0, sizeof(*job)) of drm_sched_job_init. */
        void zero() {
            id = 0;
            submit_ts = 0;
            sched = null;
            s_fence = null;
            entity = null;
            entity_stats = null;
            s_priority = 0;
            credits = 0;
            last_dependency = 0;
            karma = 0;
            list = false;
            finish_cb.init();
            finish_cb.func = null;
            Workqueue.INIT_WORK(work, null, null);
            work.magic = 0;
            cb.init();
            cb.func = null;
            dependencies = new DrmSchedDeps();
            kshim_id = 0;
        }

        @Override
        protected void poison() {
            id = Kshim.POISON_U64;
            submit_ts = Kshim.POISON_U64;
            sched = null;
            s_fence = DrmSchedFence.POISON;
            entity = null;
            s_priority = Kshim.POISON_U32;
            credits = Kshim.POISON_U32;
            last_dependency = Kshim.POISON_U32;
            karma = Kshim.POISON_U32;
            finish_cb.poison();
            work.poison();
            cb.poison();
            kshim_id = Kshim.POISON_U64;
        }
    }

    /** struct drm_gpu_scheduler */
    public static final class DrmGpuScheduler {
        BackendOps ops;
        int credit_limit;
        int credit_count;
        long timeout;
        String name;
        /** 1 under the fair policy */
        int num_rqs;
        /** the run queues the driver asked for */
        int num_user_rqs;
        DrmSchedRq[] sched_rq;
        Slab.Buf sched_rq_mem;
        final WaitQueue.WaitQueueHead job_scheduled = new WaitQueue.WaitQueueHead();
        long job_id_count;
        Workqueue.WorkqueueStruct submit_wq;
        Workqueue.WorkqueueStruct timeout_wq;
        /** fair policy: average job duration (ewma) */
        long avg_job_us;
        final Workqueue.WorkStruct work_run_job = new Workqueue.WorkStruct();
        final Workqueue.WorkStruct work_free_job = new Workqueue.WorkStruct();
        final Workqueue.DelayedWork work_tdr = new Workqueue.DelayedWork();
        final List<DrmSchedJob> pending_list = new ArrayList<>();
        /** INIT_LIST_HEAD(&pending_list) ran (zeroed memory before: a failed drm_sched_init) */
        boolean lists_initialised;
        final Locking.Spinlock job_list_lock = new Locking.Spinlock();
        int hang_limit;
        int[] score;
        final int[] _score = new int[1];
        boolean ready;
        boolean free_guilty;
        boolean pause_submit;
        boolean own_submit_wq;
        Kdev.Device dev;
    }
}
