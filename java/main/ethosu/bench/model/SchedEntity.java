// The model's sched_entity.c: scheduler entities, a driver's submission queue (ethosu: one per open
// file) feeding a run queue. Push and arm run in the submitting context; pop and dependency handling
// in run-job work; teardown in the context closing the queue, killed jobs finished by system work.
// Follows mainline v7.2: refcounted entity stats (fd177135f0e6), the kill path's dependency walk in
// the work item, no "scheduled only" dependency shortcut (15f77764e90a), last_user in flush.
package ethosu.bench.model;

import ethosu.bench.event.KernelReport;
import ethosu.bench.model.GpuScheduler.DrmGpuScheduler;
import ethosu.bench.model.GpuScheduler.DrmSchedEntity;
import ethosu.bench.model.GpuScheduler.DrmSchedFence;
import ethosu.bench.model.GpuScheduler.DrmSchedJob;
import ethosu.bench.model.GpuScheduler.DrmSchedRq;

import static ethosu.bench.model.GpuScheduler.*;

public final class SchedEntity {
    private SchedEntity() {}

    static final int SIGKILL = 9;
    /** sizeof(struct drm_sched_entity_stats) */
    static final int SIZEOF_DRM_SCHED_ENTITY_STATS = 64;
    // DECLARE_EWMA(drm_sched_avgtime, 6, 4): six bits of fraction, each new sample weighs a quarter
    static final int DRM_SCHED_AVG_PRECISION = 6, DRM_SCHED_AVG_WEIGHT_LOG = 2;

    /** struct drm_sched_entity_stats: held by the entity and by each of its armed jobs. */
    static final class DrmSchedEntityStats extends Slab.Mem {
        final Locking.Kref kref = new Locking.Kref();
        final Locking.Spinlock lock = new Locking.Spinlock();
        long runtime;
        long prev_runtime;
        long vruntime;
        long avg_job_us;

        @Override
        protected void poison() {
            kref.poison();
            lock.poison();
            runtime = prev_runtime = vruntime = avg_job_us = Kshim.POISON_U64;
        }
    }

    /** drm_sched_avgtime_add: the ewma with val added; returns the new internal value. */
    static long drm_sched_avgtime_add(long internal, long val) {
        return internal != 0
                ? (((internal << DRM_SCHED_AVG_WEIGHT_LOG) - internal) + (val << DRM_SCHED_AVG_PRECISION))
                        >>> DRM_SCHED_AVG_WEIGHT_LOG
                : val << DRM_SCHED_AVG_PRECISION;
    }

    static long drm_sched_avgtime_read(long internal) {
        return internal >>> DRM_SCHED_AVG_PRECISION;
    }

    /** "current->group_leader": the process the calling context acts for. */
    private static long kshim_current_group_leader() {
        Kshim.Ctx c = Kshim.cur();
        return c != null ? c.task : 0;
    }

    /** The last reference of an entity's stats went, with the entity or its last job. */
    static void drm_sched_entity_stats_release(DrmSchedEntityStats stats) {
        Slab.kfree(stats, "drm_sched_entity_stats_release");
    }

    static DrmSchedEntityStats drm_sched_entity_stats_get(DrmSchedEntityStats stats) {
        Locking.kref_get(stats.kref);
        return stats;
    }

    static void drm_sched_entity_stats_put(DrmSchedEntityStats stats) {
        Locking.kref_put(stats.kref, () -> drm_sched_entity_stats_release(stats));
    }

    /** A fresh stats object with one reference, the entity's; null when out of memory. */
    private static DrmSchedEntityStats drm_sched_entity_stats_alloc() {
        // bench: the "entity-init" fault makes this allocation fail
        if (Kshim.fault(Kshim.FAULT_ENTITY_INIT, "drm_sched_entity_init")) return null;
        DrmSchedEntityStats stats = Slab.kzalloc(SIZEOF_DRM_SCHED_ENTITY_STATS, Slab.GFP_KERNEL,
                "drm_sched_entity_stats_alloc", DrmSchedEntityStats::new);
        if (stats == null) return null;
        Locking.kref_init(stats.kref);
        // named for the trace: "spin_lock(stats_lock)"
        Locking.__spin_lock_init(stats.lock, "stats_lock");
        return stats;
    }

    /** Charge a finished (not yet freed) job's hardware time to its entity; returns that time. */
    static long drm_sched_entity_stats_job_add_gpu_time(DrmSchedJob job) {
        DrmSchedEntityStats stats = job.entity_stats;
        DrmSchedFence s_fence = job.s_fence;
        long start = SchedMain.dma_fence_timestamp(s_fence.scheduled);
        long end = SchedMain.dma_fence_timestamp(s_fence.finished);
        long duration = end - start;
        Locking.spin_lock(stats.lock);
        stats.runtime = stats.runtime + duration;
        stats.avg_job_us = drm_sched_avgtime_add(stats.avg_job_us, duration / 1000);
        Locking.spin_unlock(stats.lock);
        return duration;
    }

    /**
     * An entity that outlives its scheduler points at a run queue drm_sched_fini() freed: mainline
     * reads freed memory here too.
     */
    private static boolean entity_rq_freed(DrmSchedEntity entity, String op) {
        DrmSchedRq rq = entity.rq;
        if (rq == null) return false;
        if (!Slab.poisoned_ptr(rq) && !Kshim.poisoned_u32(rq.kshim_magic)) return false;
        Kshim.finding(KernelReport.Kind.UAF, op, "BUG: KASAN: slab-use-after-free in " + op
                + ": the entity's run queue was freed by drm_sched_fini() (entities must be torn down before their scheduler)");
        return true;
    }

    /** drm_sched_entity_init: 0, or a negative error code. */
    public static int drm_sched_entity_init(DrmSchedEntity entity, int priority, DrmGpuScheduler[] sched_list,
                                            int num_sched_list, int[] guilty) {
        if (!(entity != null && sched_list != null && (num_sched_list == 0 || sched_list[0] != null)))
            return -Kshim.EINVAL;

        // memset(entity, 0, sizeof(*entity))
        entity.list = false;
        entity.in_tree = false;
        entity.rq = null;
        entity.stats = null;
        entity.rr_ts = 0;
        entity.last_user = 0;

        entity.stats = drm_sched_entity_stats_alloc();
        if (entity.stats == null) return -Kshim.ENOMEM;

        entity.guilty = guilty;
        entity.num_sched_list = num_sched_list;
        entity.priority = priority;
        entity.rq_priority = SchedRq.kshim_sched_policy() == DRM_SCHED_POLICY_FAIR ? DRM_SCHED_PRIORITY_KERNEL : priority;
        // a single scheduler is fixed; a list is load-balanced at arm time
        entity.sched_list = num_sched_list > 1 ? sched_list : null;
        entity.last_scheduled = null;
        entity.dependency = null;
        entity.stopped = false;
        entity.oldest_job_waiting = 0;

        if (num_sched_list != 0 && sched_list[0].sched_rq == null) {
            // every entry covered by num_sched_list should be non-NULL: warn drivers to fix their order
            Printk.pr_warn("drm_sched_entity_init: called with uninitialized scheduler");
        } else if (num_sched_list != 0) {
            // the priority of an entity cannot exceed the number of run queues: choose the lowest
            if (entity.priority >= sched_list[0].num_user_rqs) {
                Printk.dev_err(sched_list[0].dev, String.format("entity with out-of-bounds priority:%d num_user_rqs:%d",
                        entity.priority, sched_list[0].num_user_rqs));
                entity.priority = Math.max(sched_list[0].num_user_rqs - 1, DRM_SCHED_PRIORITY_KERNEL);
            }
            // rq_priority was taken before the clamp above, as in mainline: an out-of-bounds
            // priority indexes past the run queue array
            if (entity.rq_priority >= sched_list[0].num_rqs) {
                Kshim.finding(KernelReport.Kind.OOPS, "drm_sched_entity_init", String.format(
                        "BUG: KASAN: slab-out-of-bounds in drm_sched_entity_init: sched_rq[%d] of %d run queues",
                        entity.rq_priority, sched_list[0].num_rqs));
                entity.rq_priority = entity.priority;
            }
            entity.rq = sched_list[0].sched_rq[entity.rq_priority];
        }

        WaitQueue.init_completion(entity.entity_idle);
        // we start in an idle state
        WaitQueue.complete_all(entity.entity_idle, "&entity->entity_idle");

        // named for the trace: "spin_lock(entity_lock)"
        Locking.__spin_lock_init(entity.lock, "entity_lock");
        entity.job_queue = new SpscQueue();
        entity.fence_seq = 0;
        entity.fence_context = DmaFence.dma_fence_context_alloc(2);
        return 0;
    }

    /** Idle: not on a run queue, nothing queued, or stopped. Read without lock. */
    private static boolean drm_sched_entity_is_idle(DrmSchedEntity entity) {
        return !entity.list || entity.job_queue.count() == 0 || entity.stopped;
    }

    /** Ready: a job is queued and no dependency is outstanding. */
    static boolean drm_sched_entity_is_ready(DrmSchedEntity entity) {
        if (entity.job_queue.peek() == null) return false;
        return entity.dependency == null;
    }

    /** The error of the last scheduled job. */
    public static int drm_sched_entity_error(DrmSchedEntity entity) {
        DmaFence fence = entity.last_scheduled;
        return fence != null ? fence.error : 0;
    }

    /**
     * Work on system_wq, one per killed job: wait, one callback at a time, for every dependency of
     * the job (re-armed through the callback), then finish it with -ESRCH and free it. The walk runs
     * here, not in the fence callback, so no callback adds a callback under another fence's lock.
     */
    private static void drm_sched_entity_kill_jobs_work(DrmSchedJob job) {
        // wait for all dependencies to avoid data corruptions
        var deps = job.dependencies;
        for (int index = 0; index < deps.count(); index++) {
            DmaFence f = deps.entries.get(index);
            if (f == null) continue;
            DrmSchedFence s_fence = SchedFence.to_drm_sched_fence(f);
            if (s_fence != null && f == s_fence.scheduled) {
                // the array held the scheduled fence; wait for the job's end instead: its finished
                // fence may be gone already, get_rcu gives null then
                f = DmaFence.dma_fence_get_rcu(s_fence.finished, "&s_fence->finished");
                // the finished fence's reference now stands for the scheduled one's
                DmaFence.dma_fence_put(s_fence.scheduled, "&s_fence->scheduled");
            }
            deps.entries.set(index, null);
            if (f != null && DmaFence.dma_fence_add_callback(f, job.finish_cb, kill_jobs_cb(job), "f") == 0) return;
            DmaFence.dma_fence_put(f, "f");
        }

        SchedFence.drm_sched_fence_scheduled(job.s_fence, null);
        SchedFence.drm_sched_fence_finished(job.s_fence, -Kshim.ESRCH);
        Kshim.WARN_ON(job.s_fence.parent != null, "sched_entity.c", 271, "drm_sched_entity_kill_jobs_work",
                "job->s_fence->parent");
        SchedMain.drm_sched_call_free_job(job.sched, job);
    }

    /**
     * The killed job's previous job (or one of its dependencies) finished, or a direct call with f
     * null: hand over to the work. f's reference was ours.
     */
    private static void drm_sched_entity_kill_jobs_cb(DmaFence f, DmaFence.Cb cb, DrmSchedJob job) {
        DmaFence.dma_fence_put(f, "f");
        Workqueue.INIT_WORK(job.work, w -> drm_sched_entity_kill_jobs_work(job), "drm_sched_entity_kill_jobs_work");
        Workqueue.schedule_work(job.work);
    }

    private static DmaFence.Func kill_jobs_cb(DrmSchedJob job) {
        return (f, cb) -> drm_sched_entity_kill_jobs_cb(f, cb, job);
    }

    /**
     * Remove the entity from the scheduler and kill all pending jobs: they never reach run_job; each
     * finishes with -ESRCH once the previous one has finished and its own dependencies are done.
     */
    private static void drm_sched_entity_kill(DrmSchedEntity entity) {
        if (entity.rq == null) return;
        if (entity_rq_freed(entity, "drm_sched_entity_kill")) return;

        Locking.spin_lock(entity.lock);
        entity.stopped = true;
        SchedRq.drm_sched_rq_remove_entity(entity.rq, entity);
        Locking.spin_unlock(entity.lock);

        // make sure this entity is not used by the scheduler at the moment
        WaitQueue.wait_for_completion(entity.entity_idle, "&entity->entity_idle");

        // the entity is guaranteed to not be used by the scheduler
        DmaFence prev = entity.last_scheduled;
        DmaFence.dma_fence_get(prev, "prev");
        DrmSchedJob job;
        while ((job = entity.job_queue.pop()) != null) {
            DrmSchedFence s_fence = job.s_fence;
            DmaFence.dma_fence_get(s_fence.finished, "&s_fence->finished");
            if (prev == null || DmaFence.dma_fence_add_callback(prev, job.finish_cb, kill_jobs_cb(job), "prev") != 0) {
                // adding the callback failed; dma_fence_put() checks for NULL
                DmaFence.dma_fence_put(prev, "prev");
                drm_sched_entity_kill_jobs_cb(null, job.finish_cb, job);
            }
            prev = s_fence.finished;
        }
        DmaFence.dma_fence_put(prev, "prev");
    }

    /**
     * drm_sched_entity_flush: waits until the entity's queue is empty (picked by the scheduler, not
     * necessarily done). A context that is not exiting waits without limit; an exiting one at most
     * timeout, and a killed one then kills the jobs still queued. Returns the remaining time.
     */
    public static long drm_sched_entity_flush(DrmSchedEntity entity, long timeout) {
        Kshim.Ctx cur = Kshim.cur();
        boolean exiting = cur.exit_code != 0;
        long ret = timeout;
        if (entity.rq == null) return 0;
        if (entity_rq_freed(entity, "drm_sched_entity_flush")) return 0;

        DrmGpuScheduler sched = entity.rq.sched;
        // the client will not queue more jobs during this fini: consume queued ones, or discard them on SIGKILL
        if (exiting) {
            if (timeout != 0)
                ret = WaitQueue.wait_event_timeout(sched.job_scheduled, () -> drm_sched_entity_is_idle(entity), timeout,
                        "sched->job_scheduled");
        } else {
            WaitQueue.wait_event(sched.job_scheduled, () -> drm_sched_entity_is_idle(entity), "sched->job_scheduled");
        }

        // for a killed process disallow further enqueueing of jobs: cmpxchg(&entity->last_user,
        // current->group_leader, NULL), only the last process to push may kill the queued jobs
        long me = kshim_current_group_leader();
        long last_user = entity.last_user;
        if (last_user == me) entity.last_user = 0;
        if ((last_user == 0 || last_user == me) && exiting && cur.exit_code == SIGKILL) drm_sched_entity_kill(entity);
        return ret;
    }

    /**
     * drm_sched_entity_fini: stops the entity, takes it off its run queue, waits until run-job work
     * is not using it and kills the jobs still queued, then drops its dependency and last-scheduled
     * fences.
     */
    public static void drm_sched_entity_fini(DrmSchedEntity entity) {
        // if consumption of existing IBs wasn't completed, forcefully remove them here
        drm_sched_entity_kill(entity);

        DmaFence dep = entity.dependency;
        if (dep != null) {
            DmaFence.dma_fence_remove_callback(dep, entity.cb, "dep");
            DmaFence.dma_fence_put(dep, "dep");
            entity.dependency = null;
        }
        DmaFence.dma_fence_put(entity.last_scheduled, "entity->last_scheduled");
        entity.last_scheduled = null;
        if (entity.stats == null) {
            // drm_sched_entity_init() failed: mainline's kref_put() dereferences NULL
            Kshim.finding(KernelReport.Kind.OOPS, "drm_sched_entity_fini",
                    "BUG: kernel NULL pointer dereference in drm_sched_entity_fini: entity->stats (the entity's init failed)");
            return;
        }
        drm_sched_entity_stats_put(entity.stats);
    }

    /** drm_sched_entity_destroy: flush (wait until the queue is empty), then fini. */
    public static void drm_sched_entity_destroy(DrmSchedEntity entity) {
        drm_sched_entity_flush(entity, MAX_WAIT_SCHED_ENTITY_Q_EMPTY);
        drm_sched_entity_fini(entity);
    }

    /** Dependency done (or scheduled, for a pipelined one): drop it, wake the scheduler. */
    private static void drm_sched_entity_wakeup(DmaFence f, DrmSchedEntity entity) {
        entity.dependency = null;
        DmaFence.dma_fence_put(f, "f");
        SchedMain.drm_sched_wakeup(entity.rq.sched);
    }

    /**
     * Wait for entity->dependency with a callback: true if the entity must wait, false if the
     * dependency is already met (its reference then dropped). A fence of this entity is ignored; a
     * finished fence of a job on the same scheduler is waited for only until it is scheduled.
     */
    private static boolean drm_sched_entity_add_dependency_cb(DrmSchedEntity entity) {
        DrmGpuScheduler sched = entity.rq.sched;
        DmaFence fence = entity.dependency;

        if (fence.context == entity.fence_context || fence.context == entity.fence_context + 1) {
            // a scheduled/finished fence of a job of this very entity: ignore it
            DmaFence.dma_fence_put(entity.dependency, "entity->dependency");
            return false;
        }

        DrmSchedFence s_fence = SchedFence.to_drm_sched_fence(fence);
        if (fence.error == 0 && s_fence != null && s_fence.sched == sched
                && !DmaFence.test_bit(DRM_SCHED_FENCE_DONT_PIPELINE, fence.flags)) {
            // from the same scheduler: only need to wait for it to be scheduled; its signal wakes
            // the scheduler as any other dependency's does (15f77764e90a)
            fence = DmaFence.dma_fence_get(s_fence.scheduled, "&s_fence->scheduled");
            DmaFence.dma_fence_put(entity.dependency, "entity->dependency");
            entity.dependency = fence;
        }

        if (DmaFence.dma_fence_add_callback(entity.dependency, entity.cb, (f, cb) -> drm_sched_entity_wakeup(f, entity),
                "entity->dependency") == 0)
            return true;
        DmaFence.dma_fence_put(entity.dependency, "entity->dependency");
        return false;
    }

    /** The job's next unmet dependency, with a reference; null when none is left. */
    private static DmaFence drm_sched_job_dependency(DrmSchedJob job, DrmSchedEntity entity) {
        // the fences stay, so the kill path can wait on every dependency
        var deps = job.dependencies;
        DmaFence f = job.last_dependency < deps.count() ? deps.entries.get(job.last_dependency) : null;
        if (f != null) {
            job.last_dependency++;
            return DmaFence.dma_fence_get(f, "f");
        }
        if (job.sched.ops.hasPrepareJob()) return job.sched.ops.prepare_job(job, entity);
        return null;
    }

    /**
     * drm_sched_entity_pop_job: run-job work takes the head job once its dependencies are met. Null
     * while the head job waits for a dependency (a callback will clear it). Otherwise makes the job
     * the entity's last scheduled, dequeues it, re-positions the entity in FIFO order and detaches
     * the job from the entity.
     */
    static DrmSchedJob drm_sched_entity_pop_job(DrmSchedEntity entity) {
        DrmSchedJob sched_job = entity.job_queue.peek();
        if (sched_job == null) return null;

        for (;;) {
            DmaFence dep = drm_sched_job_dependency(sched_job, entity);
            entity.dependency = dep;
            if (dep == null) break;
            if (drm_sched_entity_add_dependency_cb(entity)) return null;
        }

        // skip jobs from entity that marked guilty
        if (entity.guilty != null && entity.guilty[0] != 0)
            DmaFence.dma_fence_set_error(sched_job.s_fence.finished, -Kshim.ECANCELED, "&sched_job->s_fence->finished");

        DmaFence.dma_fence_put(entity.last_scheduled, "entity->last_scheduled");
        entity.last_scheduled = DmaFence.dma_fence_get(sched_job.s_fence.finished, "&sched_job->s_fence->finished");

        entity.job_queue.pop();

        // its next job's place in the tree, or out of it (sched_rq.c)
        SchedRq.drm_sched_rq_pop_entity(entity);

        // jobs and entities have different lifecycles: the job no longer reaches the entity
        sched_job.entity = null;
        return sched_job;
    }

    /**
     * drm_sched_entity_select_rq: a single scheduler is fixed. With several, the least loaded ready
     * one, but only while the entity's queue is empty and its last job finished.
     */
    static void drm_sched_entity_select_rq(DrmSchedEntity entity) {
        // single possible engine and already selected
        if (entity.sched_list == null) return;
        // queue non-empty, stay on the same engine
        if (entity.job_queue.count() != 0) return;
        DmaFence fence = entity.last_scheduled;
        // stay on the same engine if the previous job hasn't finished
        if (fence != null && !DmaFence.dma_fence_is_signaled(fence, "fence")) return;

        Locking.spin_lock(entity.lock);
        DrmGpuScheduler sched = SchedMain.drm_sched_pick_best(entity.sched_list, entity.num_sched_list);
        DrmSchedRq rq = sched != null ? sched.sched_rq[entity.rq_priority] : null;
        if (rq != entity.rq) {
            SchedRq.drm_sched_rq_remove_entity(entity.rq, entity);
            entity.rq = rq;
        }
        Locking.spin_unlock(entity.lock);
        if (entity.num_sched_list == 1) entity.sched_list = null;
    }

    /**
     * drm_sched_entity_push_job: the first job of an empty queue puts the entity on its run queue
     * and wakes the scheduler. After the push the job may run, complete and be freed at any time.
     */
    public static void drm_sched_entity_push_job(DrmSchedJob sched_job) {
        DrmSchedEntity entity = sched_job.entity;
        if (entity == null || entity.rq == null) {
            Kshim.finding(KernelReport.Kind.OOPS, "drm_sched_entity_push_job",
                    "BUG: kernel NULL pointer dereference in drm_sched_entity_push_job: "
                            + (entity != null ? "entity has no rq" : "job has no entity"));
            return;
        }
        if (entity_rq_freed(entity, "drm_sched_entity_push_job")) return;

        entity.rq.sched.score[0]++;
        entity.last_user = kshim_current_group_leader();

        // after the push the job may be completed and freed at any time: set submit_ts first
        long submit_ts = Kshim.ktime_get();
        sched_job.submit_ts = submit_ts;
        boolean first = entity.job_queue.push(sched_job);

        // first job wakes up scheduler
        if (first) {
            DrmGpuScheduler sched = SchedRq.drm_sched_rq_add_entity(entity, submit_ts);
            if (sched != null) SchedMain.drm_sched_wakeup(sched);
        }
    }
}
