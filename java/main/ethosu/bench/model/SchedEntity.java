// The model's sched_entity.c: scheduler entities, a driver's submission queue (ethosu: one per open
// file) feeding a run queue. Push and arm run in the submitting context; pop and dependency handling
// in run-job work; teardown in the context closing the queue, killed jobs finished by system work.
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
        entity.in_fifo = false;
        entity.rq = null;
        entity.guilty = guilty;
        entity.num_sched_list = num_sched_list;
        entity.priority = priority;
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
            if (entity.priority >= sched_list[0].num_rqs) {
                Printk.dev_err(sched_list[0].dev, String.format("entity has out-of-bounds priority: %d. num_rqs: %d",
                        entity.priority, sched_list[0].num_rqs));
                entity.priority = Math.max(sched_list[0].num_rqs - 1, DRM_SCHED_PRIORITY_KERNEL);
            }
            entity.rq = sched_list[0].sched_rq[entity.priority];
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

    /** Work on system_wq: the killed job completes with -ESRCH, then is freed. */
    private static void drm_sched_entity_kill_jobs_work(DrmSchedJob job) {
        SchedFence.drm_sched_fence_scheduled(job.s_fence, null);
        SchedFence.drm_sched_fence_finished(job.s_fence, -Kshim.ESRCH);
        Kshim.WARN_ON(job.s_fence.parent != null, "sched_entity.c", 158, "drm_sched_entity_kill_jobs_work",
                "job->s_fence->parent");
        SchedMain.drm_sched_call_free_job(job.sched, job);
    }

    /**
     * Signal the scheduler finished fence when the entity is killed: first wait, one callback at a
     * time, for every dependency of the job, then hand over to the kill work. f is the fence whose
     * signal called us (its reference was ours), or null for a direct call.
     */
    private static void drm_sched_entity_kill_jobs_cb(DmaFence f, DmaFence.Cb cb, DrmSchedJob job) {
        DmaFence.dma_fence_put(f, "f");

        // wait for all dependencies to avoid data corruptions
        var deps = job.dependencies;
        for (int index = 0; index < deps.count(); index++) {
            f = deps.entries.get(index);
            if (f == null) continue;
            DrmSchedFence s_fence = SchedFence.to_drm_sched_fence(f);
            if (s_fence != null && f == s_fence.scheduled) {
                // the finished fence refcount might have dropped to zero: get_rcu gives null then
                f = DmaFence.dma_fence_get_rcu(s_fence.finished, "&s_fence->finished");
                // now we have a reference on the finished fence, drop the one on the scheduled fence
                DmaFence.dma_fence_put(s_fence.scheduled, "&s_fence->scheduled");
            }
            deps.entries.set(index, null);
            if (f != null && DmaFence.dma_fence_add_callback(f, job.finish_cb, kill_jobs_cb(job), "f") == 0) return;
            DmaFence.dma_fence_put(f, "f");
        }

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
        SchedMain.drm_sched_rq_remove_entity(entity.rq, entity);
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

        // for a killed process disallow further enqueueing of jobs
        if (exiting && cur.exit_code == SIGKILL) drm_sched_entity_kill(entity);
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
    }

    /** drm_sched_entity_destroy: flush (wait until the queue is empty), then fini. */
    public static void drm_sched_entity_destroy(DrmSchedEntity entity) {
        drm_sched_entity_flush(entity, MAX_WAIT_SCHED_ENTITY_Q_EMPTY);
        drm_sched_entity_fini(entity);
    }

    /** Drop the dependency: it is done (or scheduled, for a pipelined one). */
    private static void drm_sched_entity_clear_dep(DmaFence f, DrmSchedEntity entity) {
        entity.dependency = null;
        DmaFence.dma_fence_put(f, "f");
    }

    /** Dependency done: the entity may be ready, wake the scheduler. */
    private static void drm_sched_entity_wakeup(DmaFence f, DrmSchedEntity entity) {
        drm_sched_entity_clear_dep(f, entity);
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
            // from the same scheduler: only need to wait for it to be scheduled
            fence = DmaFence.dma_fence_get(s_fence.scheduled, "&s_fence->scheduled");
            DmaFence.dma_fence_put(entity.dependency, "entity->dependency");
            entity.dependency = fence;
            if (DmaFence.dma_fence_add_callback(fence, entity.cb, (f, cb) -> drm_sched_entity_clear_dep(f, entity),
                    "fence") == 0)
                return true;
            // ignore it when it is already scheduled
            DmaFence.dma_fence_put(fence, "fence");
            return false;
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

        // update the entity's place in the FIFO by the timestamp of its next job, if any
        DrmSchedJob next = entity.job_queue.peek();
        if (next != null) {
            Locking.spin_lock(entity.lock);
            DrmSchedRq rq = entity.rq;
            Locking.spin_lock(rq.lock);
            SchedMain.drm_sched_rq_update_fifo_locked(entity, rq, next.submit_ts);
            Locking.spin_unlock(rq.lock);
            Locking.spin_unlock(entity.lock);
        }

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
        DrmSchedRq rq = sched != null ? sched.sched_rq[entity.priority] : null;
        if (rq != entity.rq) {
            SchedMain.drm_sched_rq_remove_entity(entity.rq, entity);
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

        // after the push the job may be completed and freed at any time: set submit_ts first
        long submit_ts = Kshim.ktime_get();
        sched_job.submit_ts = submit_ts;
        boolean first = entity.job_queue.push(sched_job);

        // first job wakes up scheduler
        if (first) {
            Locking.spin_lock(entity.lock);
            if (entity.stopped) {
                Locking.spin_unlock(entity.lock);
                Printk.pr_err("[drm] *ERROR* Trying to push to a killed entity");
                return;
            }
            DrmSchedRq rq = entity.rq;
            DrmGpuScheduler sched = rq.sched;
            Locking.spin_lock(rq.lock);
            SchedMain.drm_sched_rq_add_entity(rq, entity);
            SchedMain.drm_sched_rq_update_fifo_locked(entity, rq, submit_ts);
            Locking.spin_unlock(rq.lock);
            Locking.spin_unlock(entity.lock);
            SchedMain.drm_sched_wakeup(sched);
        }
    }
}
