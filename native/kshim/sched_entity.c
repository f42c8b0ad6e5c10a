// SPDX-License-Identifier: MIT
/*
 * sched_entity.c - scheduler entities: a driver's submission queue (ethosu:
 * one per open file) feeding a run queue. Push and arm run in the submitting
 * context; pop and dependency handling in run-job work; teardown in the
 * context closing the queue, with killed jobs finished by work on system_wq.
 * Follows mainline v7.2 drivers/gpu/drm/scheduler/sched_entity.c: refcounted
 * entity stats (fd177135f0e6), the kill path's dependency walk in the work
 * item, no "scheduled only" dependency shortcut (15f77764e90a), and the
 * last_user test in drm_sched_entity_flush().
 */
#include <signal.h>
#include <string.h>

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/slab.h>

#include "sched_internal.h"

/*
 * "current"'s exit state, which drm_sched_entity_flush() reads (PF_EXITING,
 * exit_code). The bench has no tasks; a context that tears an entity down
 * on behalf of a killed process says so with kshim_sched_set_current_exit().
 */
static __thread int kshim_current_exit_code;

void kshim_sched_set_current_exit(int exit_code)
{
	kshim_current_exit_code = exit_code;
}

/* "current->group_leader": the process the calling context acts for. */
static u64 kshim_current_group_leader(void)
{
	return kshim_cur ? kshim_cur->task : 0;
}

/* The last reference of an entity's stats went, with the entity or its last job. */
void drm_sched_entity_stats_release(struct kref *kref)
{
	struct drm_sched_entity_stats *stats = container_of(kref, typeof(*stats), kref);

	kfree(stats);
}

/* A fresh stats object with one reference, the entity's; NULL when out of memory. */
static struct drm_sched_entity_stats *drm_sched_entity_stats_alloc(void)
{
	struct drm_sched_entity_stats *stats;

	/* bench: the "entity-init" fault makes this allocation fail */
	if (kshim_fault(EBENCH_FAULT_ENTITY_INIT, "drm_sched_entity_init"))
		return NULL;
	stats = kzalloc(sizeof(*stats), GFP_KERNEL);
	if (!stats)
		return NULL;

	kref_init(&stats->kref);
	/* named for the trace: "spin_lock(stats_lock)" */
	__spin_lock_init(&stats->lock, "stats_lock");

	return stats;
}

/**
 * drm_sched_entity_stats_job_add_gpu_time - charge a job's hardware time to its entity
 * @job: a finished job, not yet freed
 *
 * Returns the job's time between its scheduled and finished fences.
 */
ktime_t drm_sched_entity_stats_job_add_gpu_time(struct drm_sched_job *job)
{
	struct drm_sched_entity_stats *stats = job->entity_stats;
	struct drm_sched_fence *s_fence = job->s_fence;
	ktime_t start, end, duration;

	start = dma_fence_timestamp(&s_fence->scheduled);
	end = dma_fence_timestamp(&s_fence->finished);
	duration = ktime_sub(end, start);

	spin_lock(&stats->lock);
	stats->runtime = ktime_add(stats->runtime, duration);
	drm_sched_avgtime_add(&stats->avg_job_us, ktime_to_us(duration));
	spin_unlock(&stats->lock);

	return duration;
}

/*
 * An entity that outlives its scheduler points at a run queue that
 * drm_sched_fini() freed: mainline reads freed memory here too.
 */
static bool entity_rq_freed(struct drm_sched_entity *entity, const char *op)
{
	struct drm_sched_rq *rq = entity->rq;

	if (!rq)
		return false;
	if (!kshim_poisoned_ptr(rq) && !kshim_poisoned_u32(&rq->kshim_magic))
		return false;
	kshim_finding(EBENCH_F_UAF,
		      "BUG: KASAN: slab-use-after-free in %s: the entity's run queue was freed by drm_sched_fini() (entities must be torn down before their scheduler)",
		      op);
	return true;
}

/**
 * drm_sched_entity_init - init a context to submit jobs to the hardware
 * @entity: scheduler entity to init
 * @priority: priority of the entity
 * @sched_list: the list of drm scheds on which jobs from this entity can be
 *	submitted
 * @num_sched_list: number of drm sched in sched_list
 * @guilty: atomic_t set to 1 when a job on this queue is found to be guilty
 *	causing a timeout
 *
 * Returns 0 on success, -EINVAL for a bad scheduler list, -ENOMEM when the
 * stats object cannot be allocated.
 */
int drm_sched_entity_init(struct drm_sched_entity *entity, enum drm_sched_priority priority,
			  struct drm_gpu_scheduler **sched_list, unsigned int num_sched_list,
			  atomic_t *guilty)
{
	if (!(entity && sched_list && (num_sched_list == 0 || sched_list[0])))
		return -EINVAL;

	memset(entity, 0, sizeof(struct drm_sched_entity));

	entity->stats = drm_sched_entity_stats_alloc();
	if (!entity->stats)
		return -ENOMEM;

	INIT_LIST_HEAD(&entity->list);
	INIT_LIST_HEAD(&entity->tree_node);
	entity->rq = NULL;
	entity->guilty = guilty;
	entity->num_sched_list = num_sched_list;
	entity->priority = priority;
	entity->rq_priority = kshim_sched_policy() == DRM_SCHED_POLICY_FAIR ?
			      DRM_SCHED_PRIORITY_KERNEL : priority;
	/* a single scheduler is fixed; a list is load-balanced at arm time */
	entity->sched_list = num_sched_list > 1 ? sched_list : NULL;
	entity->last_scheduled = NULL;

	if (num_sched_list && !sched_list[0]->sched_rq) {
		/*
		 * Since every entry covered by num_sched_list should be
		 * non-NULL and therefore we warn drivers not to do this and
		 * to fix their DRM calling order.
		 */
		pr_warn("%s: called with uninitialized scheduler\n", __func__);
	} else if (num_sched_list) {
		/*
		 * The "priority" of an entity cannot exceed the number of
		 * run-queues of a scheduler. Choose the lowest priority
		 * available.
		 */
		if (entity->priority >= sched_list[0]->num_user_rqs) {
			dev_err(sched_list[0]->dev,
				"entity with out-of-bounds priority:%u num_user_rqs:%u\n",
				entity->priority, sched_list[0]->num_user_rqs);
			entity->priority = max_t(s32, (s32)sched_list[0]->num_user_rqs - 1,
						 (s32)DRM_SCHED_PRIORITY_KERNEL);
		}
		/*
		 * rq_priority was taken before the clamp above, as in mainline:
		 * an out-of-bounds priority indexes past the run queue array.
		 */
		if (entity->rq_priority >= sched_list[0]->num_rqs) {
			kshim_finding(EBENCH_F_OOPS,
				      "BUG: KASAN: slab-out-of-bounds in drm_sched_entity_init: sched_rq[%d] of %u run queues",
				      entity->rq_priority, sched_list[0]->num_rqs);
			entity->rq_priority = entity->priority;
		}
		entity->rq = sched_list[0]->sched_rq[entity->rq_priority];
	}

	init_completion(&entity->entity_idle);

	/* We start in an idle state. */
	complete_all(&entity->entity_idle);

	/* named for the trace: "spin_lock(entity_lock)" */
	__spin_lock_init(&entity->lock, "entity_lock");
	spsc_queue_init(&entity->job_queue);

	atomic_set(&entity->fence_seq, 0);
	entity->fence_context = dma_fence_context_alloc(2);

	return 0;
}

/* Idle: not on a run queue, nothing queued, or stopped. Read without lock. */
static bool drm_sched_entity_is_idle(struct drm_sched_entity *entity)
{
	smp_rmb(); /* for list_empty to work without lock */

	if (list_empty(&entity->list) ||
	    spsc_queue_count(&entity->job_queue) == 0 ||
	    __atomic_load_n(&entity->stopped, __ATOMIC_SEQ_CST))
		return true;

	return false;
}

/* Ready: a job is queued and no dependency is outstanding. */
bool drm_sched_entity_is_ready(struct drm_sched_entity *entity)
{
	if (!spsc_queue_peek(&entity->job_queue))
		return false;

	if (__atomic_load_n(&entity->dependency, __ATOMIC_SEQ_CST))
		return false;

	return true;
}

/**
 * drm_sched_entity_error - return error of last scheduled job
 * @entity: scheduler entity to check
 */
int drm_sched_entity_error(struct drm_sched_entity *entity)
{
	struct dma_fence *fence = __atomic_load_n(&entity->last_scheduled, __ATOMIC_SEQ_CST);

	return fence ? fence->error : 0;
}

static void drm_sched_entity_kill_jobs_cb(struct dma_fence *f, struct dma_fence_cb *cb);

/*
 * Work on system_wq, one per killed job: wait, one callback at a time, for
 * every dependency of the job (re-armed through the callback), then finish
 * it with -ESRCH and free it. The walk runs here, not in the fence callback,
 * so no callback adds a callback under another fence's lock.
 */
static void drm_sched_entity_kill_jobs_work(struct work_struct *wrk)
{
	struct drm_sched_job *job = container_of(wrk, typeof(*job), work);
	struct dma_fence *f;
	u32 index;

	/* Wait for all dependencies to avoid data corruptions */
	drm_sched_deps_for_each(&job->dependencies, index, f) {
		struct drm_sched_fence *s_fence = to_drm_sched_fence(f);

		if (s_fence && f == &s_fence->scheduled) {
			/*
			 * The array held the scheduled fence; wait for the job's
			 * end instead. Its finished fence may be gone already:
			 * dma_fence_get_rcu() then gives NULL.
			 */
			f = dma_fence_get_rcu(&s_fence->finished);

			/* the finished fence's reference now stands for the scheduled one's */
			dma_fence_put(&s_fence->scheduled);
		}

		drm_sched_deps_store(&job->dependencies, index, NULL);
		if (f && !dma_fence_add_callback(f, &job->finish_cb,
						 drm_sched_entity_kill_jobs_cb))
			return;

		dma_fence_put(f);
	}

	drm_sched_fence_scheduled(job->s_fence, NULL);
	drm_sched_fence_finished(job->s_fence, -ESRCH);
	WARN_ON(job->s_fence->parent);
	drm_sched_call_free_job(job->sched, job);
}

/*
 * The killed job's previous job (or one of its dependencies) finished, or a
 * direct call with @f NULL: hand over to the work. @f's reference was ours.
 */
static void drm_sched_entity_kill_jobs_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct drm_sched_job *job = container_of(cb, struct drm_sched_job, finish_cb);

	dma_fence_put(f);

	INIT_WORK(&job->work, drm_sched_entity_kill_jobs_work);
	schedule_work(&job->work);
}

/*
 * Remove the entity from the scheduler and kill all pending jobs: they never
 * reach run_job; each finishes with -ESRCH once the previous one has
 * finished and its own dependencies are done.
 */
static void drm_sched_entity_kill(struct drm_sched_entity *entity)
{
	struct drm_sched_job *job;
	struct dma_fence *prev;

	if (!entity->rq)
		return;
	if (entity_rq_freed(entity, "drm_sched_entity_kill"))
		return;

	spin_lock(&entity->lock);
	__atomic_store_n(&entity->stopped, true, __ATOMIC_SEQ_CST);
	drm_sched_rq_remove_entity(entity->rq, entity);
	spin_unlock(&entity->lock);

	/* Make sure this entity is not used by the scheduler at the moment */
	wait_for_completion(&entity->entity_idle);

	/* The entity is guaranteed to not be used by the scheduler */
	prev = entity->last_scheduled;
	dma_fence_get(prev);
	while ((job = drm_sched_entity_queue_pop(entity))) {
		struct drm_sched_fence *s_fence = job->s_fence;

		dma_fence_get(&s_fence->finished);
		if (!prev ||
		    dma_fence_add_callback(prev, &job->finish_cb, drm_sched_entity_kill_jobs_cb)) {
			/*
			 * Adding callback above failed.
			 * dma_fence_put() checks for NULL.
			 */
			dma_fence_put(prev);
			drm_sched_entity_kill_jobs_cb(NULL, &job->finish_cb);
		}

		prev = &s_fence->finished;
	}
	dma_fence_put(prev);
}

/**
 * drm_sched_entity_flush - flush a context entity
 * @entity: scheduler entity
 * @timeout: time to wait in jiffies for the queue to become empty
 *
 * Waits until the entity's queue is empty (picked by the scheduler, not
 * necessarily done). A context that is not exiting waits without limit; an
 * exiting one waits at most @timeout, and a killed one then kills the jobs
 * still queued, if its process was the last to push to the entity.
 *
 * Returns the remaining time in jiffies left from the input timeout.
 */
long drm_sched_entity_flush(struct drm_sched_entity *entity, long timeout)
{
	struct drm_gpu_scheduler *sched;
	bool exiting = kshim_current_exit_code != 0;
	u64 me = kshim_current_group_leader();
	u64 last_user;
	long ret = timeout;

	if (!entity->rq)
		return 0;
	if (entity_rq_freed(entity, "drm_sched_entity_flush"))
		return 0;

	sched = entity->rq->sched;
	/*
	 * The client will not queue more jobs during this fini - consume
	 * existing queued ones, or discard them on SIGKILL.
	 */
	if (exiting) {
		if (timeout)
			ret = wait_event_timeout(sched->job_scheduled,
						 drm_sched_entity_is_idle(entity), timeout);
	} else {
		wait_event_killable(sched->job_scheduled, drm_sched_entity_is_idle(entity));
	}

	/* For a killed process disallow further enqueueing of jobs. */
	/* cmpxchg(&entity->last_user, me, NULL): last_user gets what was there */
	last_user = me;
	__atomic_compare_exchange_n(&entity->last_user, &last_user, 0, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	if ((!last_user || last_user == me) && exiting && kshim_current_exit_code == SIGKILL)
		drm_sched_entity_kill(entity);

	return ret;
}

/**
 * drm_sched_entity_fini - destroy a context entity
 * @entity: scheduler entity
 *
 * Stops the entity, takes it off its run queue, waits until run-job work is
 * not using it and kills the jobs still queued (see drm_sched_entity_kill),
 * then drops its dependency and last-scheduled fences and its stats reference.
 */
void drm_sched_entity_fini(struct drm_sched_entity *entity)
{
	struct dma_fence *dep;

	/*
	 * If consumption of existing IBs wasn't completed. Forcefully remove
	 * them here. Also makes sure that the scheduler won't touch this entity
	 * any more.
	 */
	drm_sched_entity_kill(entity);

	dep = __atomic_load_n(&entity->dependency, __ATOMIC_SEQ_CST);
	if (dep) {
		dma_fence_remove_callback(dep, &entity->cb);
		dma_fence_put(dep);
		entity->dependency = NULL;
	}

	dma_fence_put(entity->last_scheduled);
	entity->last_scheduled = NULL;
	if (!entity->stats) {
		/* drm_sched_entity_init() failed: mainline's kref_put() dereferences NULL */
		kshim_finding(EBENCH_F_OOPS,
			      "BUG: kernel NULL pointer dereference in drm_sched_entity_fini: entity->stats (the entity's init failed)");
		return;
	}
	drm_sched_entity_stats_put(entity->stats);
}

/**
 * drm_sched_entity_destroy - destroy a context entity
 * @entity: scheduler entity
 *
 * drm_sched_entity_flush() (wait until the queue is empty) and
 * drm_sched_entity_fini().
 */
void drm_sched_entity_destroy(struct drm_sched_entity *entity)
{
	drm_sched_entity_flush(entity, MAX_WAIT_SCHED_ENTITY_Q_EMPTY);
	drm_sched_entity_fini(entity);
}

/* Dependency done (or scheduled, for a pipelined one): drop it, wake the scheduler. */
static void drm_sched_entity_wakeup(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct drm_sched_entity *entity = container_of(cb, struct drm_sched_entity, cb);

	__atomic_store_n(&entity->dependency, NULL, __ATOMIC_SEQ_CST);
	dma_fence_put(f);
	drm_sched_wakeup(entity->rq->sched);
}

/*
 * Wait for entity->dependency with a callback. Returns true if the entity
 * must wait (callback queued), false if the dependency is already met (its
 * reference is then dropped). A fence of this entity is ignored; a finished
 * fence of a job on the same scheduler is waited for only until that job
 * is scheduled, since the scheduler runs its jobs in order (pipelining).
 */
static bool drm_sched_entity_add_dependency_cb(struct drm_sched_entity *entity)
{
	struct drm_gpu_scheduler *sched = entity->rq->sched;
	struct dma_fence *fence = entity->dependency;
	struct drm_sched_fence *s_fence;

	if (fence->context == entity->fence_context ||
	    fence->context == entity->fence_context + 1) {
		/*
		 * Fence is a scheduled/finished fence from a job
		 * which belongs to the same entity, we can ignore
		 * fences from ourself
		 */
		dma_fence_put(entity->dependency);
		return false;
	}

	s_fence = to_drm_sched_fence(fence);
	if (!fence->error && s_fence && s_fence->sched == sched &&
	    !test_bit(DRM_SCHED_FENCE_DONT_PIPELINE, &fence->flags)) {
		/*
		 * Fence is from the same scheduler, only need to wait for
		 * it to be scheduled; its signal wakes the scheduler as any
		 * other dependency's does (15f77764e90a).
		 */
		fence = dma_fence_get(&s_fence->scheduled);
		dma_fence_put(entity->dependency);
		__atomic_store_n(&entity->dependency, fence, __ATOMIC_SEQ_CST);
	}

	if (!dma_fence_add_callback(entity->dependency, &entity->cb, drm_sched_entity_wakeup))
		return true;

	dma_fence_put(entity->dependency);
	return false;
}

/* The job's next unmet dependency, with a reference; NULL when none is left. */
static struct dma_fence *drm_sched_job_dependency(struct drm_sched_job *job,
						  struct drm_sched_entity *entity)
{
	struct dma_fence *f;

	/*
	 * We keep the fence around, so we can iterate over all dependencies
	 * in drm_sched_entity_kill_jobs_cb() to ensure all deps are signaled
	 * before killing the job.
	 */
	f = drm_sched_deps_load(&job->dependencies, job->last_dependency);
	if (f) {
		job->last_dependency++;
		return dma_fence_get(f);
	}

	if (job->sched->ops->prepare_job)
		return job->sched->ops->prepare_job(job, entity);

	return NULL;
}

/**
 * drm_sched_entity_pop_job - take the head job once its dependencies are met
 * @entity: the entity, picked by run-job work
 *
 * Run-job work. Returns NULL while the head job waits for a dependency (a
 * callback will clear it). Otherwise makes the job the entity's last
 * scheduled, dequeues it, re-keys the entity in its run queue's tree (or
 * takes it out when its queue is empty) and detaches the job from the entity.
 */
struct drm_sched_job *drm_sched_entity_pop_job(struct drm_sched_entity *entity)
{
	struct drm_sched_job *sched_job;
	struct dma_fence *dep;

	sched_job = drm_sched_entity_queue_peek(entity);
	if (!sched_job)
		return NULL;

	for (;;) {
		dep = drm_sched_job_dependency(sched_job, entity);
		__atomic_store_n(&entity->dependency, dep, __ATOMIC_SEQ_CST);
		if (!dep)
			break;
		if (drm_sched_entity_add_dependency_cb(entity))
			return NULL;
	}

	/* skip jobs from entity that marked guilty */
	if (entity->guilty && atomic_read(entity->guilty))
		dma_fence_set_error(&sched_job->s_fence->finished, -ECANCELED);

	dma_fence_put(entity->last_scheduled);
	entity->last_scheduled = dma_fence_get(&sched_job->s_fence->finished);

	/*
	 * If the queue is empty we allow drm_sched_entity_select_rq() to
	 * locklessly access ->last_scheduled. This only works if we set the
	 * pointer before we dequeue and if we a write barrier here.
	 */
	smp_wmb();

	spsc_queue_pop(&entity->job_queue);

	/* its next job's place in the tree, or out of it (sched_rq.c) */
	drm_sched_rq_pop_entity(entity);

	/*
	 * Jobs and entities might have different lifecycles. Since we're
	 * removing the job from the entities queue, set the jobs entity pointer
	 * to NULL to prevent any future access of the entity through this job.
	 */
	sched_job->entity = NULL;

	return sched_job;
}

/**
 * drm_sched_entity_select_rq - pick the run queue for the next job
 * @entity: scheduler entity
 *
 * A single scheduler is fixed. With several, the least loaded ready one is
 * chosen, but only while the entity's queue is empty and its last job has
 * finished, so that its jobs stay in order.
 */
void drm_sched_entity_select_rq(struct drm_sched_entity *entity)
{
	struct dma_fence *fence;
	struct drm_gpu_scheduler *sched;
	struct drm_sched_rq *rq;

	/* single possible engine and already selected */
	if (!entity->sched_list)
		return;

	/* queue non-empty, stay on the same engine */
	if (spsc_queue_count(&entity->job_queue))
		return;

	/*
	 * Only when the queue is empty are we guaranteed that the scheduler
	 * thread cannot change ->last_scheduled. To enforce ordering we need
	 * a read barrier here. See drm_sched_entity_pop_job() for the other
	 * side.
	 */
	smp_rmb();

	fence = entity->last_scheduled;

	/* stay on the same engine if the previous job hasn't finished */
	if (fence && !dma_fence_is_signaled(fence))
		return;

	spin_lock(&entity->lock);
	sched = drm_sched_pick_best(entity->sched_list, entity->num_sched_list);
	rq = sched ? sched->sched_rq[entity->rq_priority] : NULL;
	if (rq != entity->rq) {
		drm_sched_rq_remove_entity(entity->rq, entity);
		entity->rq = rq;
	}
	spin_unlock(&entity->lock);

	if (entity->num_sched_list == 1)
		entity->sched_list = NULL;
}

/**
 * drm_sched_entity_push_job - submit a job to the entity's job queue
 * @sched_job: job to submit, armed
 *
 * The first job of an empty queue puts the entity on its run queue and
 * wakes the scheduler. After the push the job may be run, completed and
 * freed at any time: the caller must not touch it. Arm and push are
 * serialised by the caller.
 */
void drm_sched_entity_push_job(struct drm_sched_job *sched_job)
{
	struct drm_sched_entity *entity = sched_job->entity;
	bool first;
	ktime_t submit_ts;

	if (!entity || !entity->rq) {
		kshim_finding(EBENCH_F_OOPS,
			      "BUG: kernel NULL pointer dereference in drm_sched_entity_push_job: %s",
			      entity ? "entity has no rq" : "job has no entity");
		return;
	}
	if (entity_rq_freed(entity, "drm_sched_entity_push_job"))
		return;

	atomic_inc(entity->rq->sched->score);
	__atomic_store_n(&entity->last_user, kshim_current_group_leader(), __ATOMIC_SEQ_CST);

	/*
	 * After the sched_job is pushed into the entity queue, it may be
	 * completed and freed up at any time. We can no longer access it.
	 * Make sure to set the submit_ts first, to avoid a race.
	 */
	sched_job->submit_ts = submit_ts = ktime_get();
	first = spsc_queue_push(&entity->job_queue, &sched_job->queue_node);

	/* first job wakes up scheduler */
	if (first) {
		struct drm_gpu_scheduler *sched;

		sched = drm_sched_rq_add_entity(entity, submit_ts);
		if (sched)
			drm_sched_wakeup(sched);
	}
}
