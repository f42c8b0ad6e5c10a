// SPDX-License-Identifier: MIT
/*
 * sched_main.c - the DRM GPU scheduler: jobs, the run-job and free-job work
 * on the ordered submit queue, the TDR on the timeout queue, stop/start for
 * resets, teardown. Follows mainline v7.2 drivers/gpu/drm/scheduler/
 * sched_main.c (work items without pause checks, 440aaf479c9a; free-job work
 * frees every finished job; entity GPU time accounting, fd177135f0e6);
 * docs/KERNEL-SEMANTICS.md lists the deviations.
 *
 * Contexts and locks:
 *  - run-job and free-job work run on @submit_wq (ordered: one at a time);
 *  - the TDR (drm_sched_job_timedout) runs on @timeout_wq, concurrently
 *    with them, until the driver calls drm_sched_stop();
 *  - hardware-fence callbacks run in whoever signals the hardware fence
 *    (the driver's IRQ thread), under that fence's lock;
 *  - @job_list_lock guards @pending_list; an rq's lock guards its entity
 *    list and tree (sched_rq.c); an entity's lock guards its rq and stopped
 *    flag. Order: entity->lock, then rq->lock.
 *
 * Bench events: JOB_ARMED when a job is armed; every call of a backend op
 * (run_job, timedout_job, free_job, cancel_job) between a CALL_START and a
 * CALL_END; a finished fence's signal comes from dma_fence.c.
 */
#include <stdio.h>
#include <string.h>

#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <drm/drm_gem.h>

#include "sched_internal.h"
#include "kdev.h"

/* Provided by the core: the device's unordered queue standing for system_wq. */
struct workqueue_struct *kshim_timeout_wq(void);

/* drm.sched_policy of the calling context's device (FIFO without one). */
int kshim_sched_policy(void)
{
	struct ebench_dev *d = kshim_dev();

	return d ? d->sched_policy : DRM_SCHED_POLICY_FIFO;
}

/* ---- bench naming ------------------------------------------------------ */

/**
 * drm_sched_job_kid - the job's id in traces
 * @job: an initialised job
 *
 * kshim_job_id() reads the driver's job, which is complete only once the
 * driver arms it, so the id is computed on first use (at arm) and cached.
 * A backend that is not the driver sets &drm_sched_job.kshim_id itself.
 */
u64 drm_sched_job_kid(struct drm_sched_job *job)
{
	if (!job->kshim_id)
		job->kshim_id = kshim_job_id(job);
	return job->kshim_id;
}

/* Every ops->free_job call goes through here, to trace it. */
void drm_sched_call_free_job(struct drm_gpu_scheduler *sched, struct drm_sched_job *job)
{
	u64 kid = drm_sched_job_kid(job);

	kshim_call_start(EBENCH_CALL_FREE_JOB, 0, kid, job);
	sched->ops->free_job(job);
	kshim_call_end(EBENCH_CALL_FREE_JOB, 0, kid, job, 0);
}

/* ---- credits and the work items ------------------------------------------ */

static u32 drm_sched_available_credits(struct drm_gpu_scheduler *sched)
{
	u32 credits;

	WARN_ON(__builtin_sub_overflow(sched->credit_limit,
				       (u32)atomic_read(&sched->credit_count), &credits));
	return credits;
}

/*
 * Whether the entity's head job fits in the free credits. A job above the
 * limit is truncated to it (with a warning) so it can ever run.
 */
bool drm_sched_can_queue(struct drm_gpu_scheduler *sched, struct drm_sched_entity *entity)
{
	struct drm_sched_job *s_job;

	s_job = drm_sched_entity_queue_peek(entity);
	if (!s_job)
		return false;

	if (s_job->credits > sched->credit_limit) {
		kshim_finding(EBENCH_F_WARN,
			      "WARNING: %s: Jobs may not exceed the credit limit, truncate (%u > %u)",
			      dev_name(sched->dev), s_job->credits, sched->credit_limit);
		s_job->credits = sched->credit_limit;
	}

	return drm_sched_available_credits(sched) >= s_job->credits;
}

/* The entity to run from, highest priority first; NULL if none can run. */
static struct drm_sched_entity *drm_sched_select_entity(struct drm_gpu_scheduler *sched)
{
	struct drm_sched_entity *entity = NULL;
	u32 i;

	/* an error pointer also stops the scan: lower priorities wait too */
	for (i = DRM_SCHED_PRIORITY_KERNEL; i < sched->num_rqs; i++) {
		entity = drm_sched_rq_select_entity(sched, sched->sched_rq[i]);
		if (entity)
			break;
	}

	return IS_ERR(entity) ? NULL : entity;
}

static bool drm_sched_is_stopped(struct drm_gpu_scheduler *sched)
{
	return __atomic_load_n(&sched->pause_submit, __ATOMIC_SEQ_CST);
}

/* Queue run-job work unless submission is paused. */
static void drm_sched_run_job_queue(struct drm_gpu_scheduler *sched)
{
	if (!drm_sched_is_stopped(sched))
		queue_work(sched->submit_wq, &sched->work_run_job);
}

/* Queue free-job work unless submission is paused. */
static void __drm_sched_run_free_queue(struct drm_gpu_scheduler *sched)
{
	if (!drm_sched_is_stopped(sched))
		queue_work(sched->submit_wq, &sched->work_free_job);
}

/**
 * drm_sched_wakeup - wake up the scheduler if it is ready to queue
 * @sched: scheduler instance
 */
void drm_sched_wakeup(struct drm_gpu_scheduler *sched)
{
	drm_sched_run_job_queue(sched);
}

/*
 * (Re)arm the TDR for the full period when jobs are pending: mod_delayed_work
 * restarts a running timer. Caller holds job_list_lock.
 */
static void drm_sched_start_timeout(struct drm_gpu_scheduler *sched)
{
	lockdep_assert_held_spin(&sched->job_list_lock);

	if (sched->timeout != MAX_SCHEDULE_TIMEOUT && !list_empty(&sched->pending_list))
		mod_delayed_work(sched->timeout_wq, &sched->work_tdr, sched->timeout);
}

static void drm_sched_start_timeout_unlocked(struct drm_gpu_scheduler *sched)
{
	spin_lock(&sched->job_list_lock);
	drm_sched_start_timeout(sched);
	spin_unlock(&sched->job_list_lock);
}

/**
 * drm_sched_job_done - the job is done with, by the hardware or otherwise
 * @s_job: the job
 * @result: 0, or the error its finished fence carries
 *
 * Releases the job's credits, signals its finished fence (whose callbacks
 * may wake dependent entities) and queues free-job work. Runs in the
 * signaller's context, possibly under the hardware fence's lock: nothing
 * here may sleep, and no driver callback runs.
 */
static void drm_sched_job_done(struct drm_sched_job *s_job, int result)
{
	struct drm_sched_fence *s_fence = s_job->s_fence;
	struct drm_gpu_scheduler *sched;

	/* bench: what the kernel would dereference (a job freed or cleaned up under its caller) */
	if (kshim_poisoned_ptr(s_fence) || kshim_poisoned_u32(&s_job->credits)) {
		kshim_finding(EBENCH_F_UAF, "BUG: KASAN: slab-use-after-free in drm_sched_job_done: the job was freed");
		return;
	}
	if (!s_fence) {
		kshim_finding(EBENCH_F_OOPS,
			      "BUG: kernel NULL pointer dereference in drm_sched_job_done: the job was cleaned up (its s_fence is NULL)");
		return;
	}
	sched = s_fence->sched;

	atomic_sub(s_job->credits, &sched->credit_count);
	atomic_dec(sched->score);

	dma_fence_get(&s_fence->finished);
	drm_sched_fence_finished(s_fence, result);
	dma_fence_put(&s_fence->finished);
	__drm_sched_run_free_queue(sched);
}

/* The callback on the hardware fence. */
static void drm_sched_job_done_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct drm_sched_job *s_job = container_of(cb, struct drm_sched_job, cb);

	if (kshim_poisoned_ptr(s_job->s_fence)) {
		kshim_finding(EBENCH_F_UAF,
			      "BUG: KASAN: slab-use-after-free in drm_sched_job_done_cb: the job was freed with its hardware-fence callback queued");
		return;
	}
	if (!s_job->s_fence) {
		kshim_finding(EBENCH_F_OOPS,
			      "BUG: kernel NULL pointer dereference in drm_sched_job_done_cb: job cleaned up with its hardware-fence callback queued");
		return;
	}
	drm_sched_job_done(s_job, f->error);
}

/* Append the job to the pending list and (re)arm the timeout. */
static void drm_sched_job_begin(struct drm_sched_job *s_job)
{
	struct drm_gpu_scheduler *sched = s_job->sched;

	spin_lock(&sched->job_list_lock);
	list_add_tail(&s_job->list, &sched->pending_list);
	drm_sched_start_timeout(sched);
	spin_unlock(&sched->job_list_lock);
}

/**
 * drm_sched_run_job_work - pick one job and hand it to the driver
 * @w: run-job work item
 *
 * Submit queue. Picks an entity with a ready job and enough credits (else
 * returns), pops the job, takes its credits, puts it on the pending list
 * with the timeout (re)armed, calls ops->run_job, signals the scheduled
 * fence, and arranges for the returned hardware fence to complete the job;
 * then queues itself again. It does not test pause_submit (mainline removed
 * that test, 440aaf479c9a): an instance queued by a context that read the
 * flag before drm_sched_wqueue_stop() cancelled it runs during the reset.
 */
static void drm_sched_run_job_work(struct work_struct *w)
{
	struct drm_gpu_scheduler *sched = container_of(w, struct drm_gpu_scheduler, work_run_job);
	struct drm_sched_entity *entity;
	struct dma_fence *fence;
	struct drm_sched_fence *s_fence;
	struct drm_sched_job *sched_job;
	u64 kid;
	int r;

	/* Find entity with a ready job */
	entity = drm_sched_select_entity(sched);
	if (!entity)
		return;	/* No more work */

	sched_job = drm_sched_entity_pop_job(entity);
	if (!sched_job) {
		complete_all(&entity->entity_idle);
		drm_sched_run_job_queue(sched);
		return;
	}

	s_fence = sched_job->s_fence;
	kid = drm_sched_job_kid(sched_job);

	atomic_add(sched_job->credits, &sched->credit_count);
	drm_sched_job_begin(sched_job);

	/*
	 * The run_job() callback must by definition return a fence whose
	 * refcount has been incremented for the scheduler already.
	 */
	kshim_call_start(EBENCH_CALL_RUN_JOB, 0, kid, sched_job);
	kshim_cur->running_job = kid;
	fence = sched->ops->run_job(sched_job);
	kshim_cur->running_job = 0;
	kshim_count(KC_JOBS_RUN, 1);
	kshim_call_end(EBENCH_CALL_RUN_JOB, 0, kid, IS_ERR_OR_NULL(fence) ? NULL : fence,
		       IS_ERR_OR_NULL(fence) ? 0 : (s64)fence->seqno);
	complete_all(&entity->entity_idle);
	drm_sched_fence_scheduled(s_fence, fence);

	if (!IS_ERR_OR_NULL(fence)) {
		r = dma_fence_add_callback(fence, &sched_job->cb, drm_sched_job_done_cb);
		if (r == -ENOENT)
			drm_sched_job_done(sched_job, fence->error);
		else if (r)
			dev_err(sched->dev, "fence add callback failed (%d)\n", r);

		dma_fence_put(fence);
	} else {
		drm_sched_job_done(sched_job, IS_ERR(fence) ? PTR_ERR(fence) : 0);
	}

	wake_up(&sched->job_scheduled);
	drm_sched_run_job_queue(sched);
}

/**
 * drm_sched_get_finished_job - take the head job off the pending list if done
 * @sched: scheduler instance
 *
 * Cancels the timeout (not synchronously) and re-arms it for the next
 * pending job, if any. Returns the job, or NULL if the head is not finished.
 */
static struct drm_sched_job *drm_sched_get_finished_job(struct drm_gpu_scheduler *sched)
{
	struct drm_sched_job *job, *next;

	spin_lock(&sched->job_list_lock);

	job = list_first_entry_or_null(&sched->pending_list, struct drm_sched_job, list);
	if (job && dma_fence_is_signaled(&job->s_fence->finished)) {
		/* remove job from pending_list */
		list_del_init(&job->list);

		/* cancel this job's TO timer */
		cancel_delayed_work(&sched->work_tdr);

		next = list_first_entry_or_null(&sched->pending_list, typeof(*next), list);
		if (next) {
			/* make the scheduled timestamp more accurate */
			if (test_bit(DMA_FENCE_FLAG_TIMESTAMP_BIT, &next->s_fence->scheduled.flags))
				next->s_fence->scheduled.timestamp =
					dma_fence_timestamp(&job->s_fence->finished);

			/* start TO timer for next job */
			drm_sched_start_timeout(sched);
		}
	} else {
		job = NULL;
	}

	spin_unlock(&sched->job_list_lock);

	return job;
}

/**
 * drm_sched_free_job_work - free every finished job at the head of the pending list
 * @w: free-job work item
 *
 * Submit queue. Accounts each job's hardware time to its entity (and to the
 * scheduler's average) before ops->free_job. With credit_limit 1 the next
 * run_job is normally started from here, by the run-job work queued at the
 * end. No pause_submit test (440aaf479c9a), as in run-job work.
 */
static void drm_sched_free_job_work(struct work_struct *w)
{
	struct drm_gpu_scheduler *sched = container_of(w, struct drm_gpu_scheduler, work_free_job);
	struct drm_sched_job *job;

	while ((job = drm_sched_get_finished_job(sched))) {
		ktime_t duration = drm_sched_entity_stats_job_add_gpu_time(job);

		/* serialised by the (ordered) submit queue */
		drm_sched_avgtime_add(&sched->avg_job_us, ktime_to_us(duration));

		drm_sched_call_free_job(sched, job);
	}

	drm_sched_run_job_queue(sched);
}

/*
 * A job on the pending list that reads as poison was freed under the walker
 * (by free-job work running meanwhile): report it as KASAN would, instead of
 * following its poisoned pointers.
 */
static bool drm_sched_job_freed(struct drm_sched_job *job, const char *where)
{
	if (!kshim_poisoned_ptr(job) && !kshim_poisoned_ptr(job->s_fence) &&
	    !kshim_poisoned_u32(&job->credits) && job->s_fence)
		return false;
	if (!kshim_poisoned_ptr(job) && !job->s_fence) {
		/* drm_sched_job_cleanup() ran, the memory is not freed yet */
		kshim_finding(EBENCH_F_OOPS,
			      "BUG: kernel NULL pointer dereference in %s: a job on the pending list was cleaned up under it (its s_fence is NULL: free_job ran concurrently)",
			      where);
		return true;
	}
	kshim_finding(EBENCH_F_UAF,
		      "BUG: KASAN: slab-use-after-free in %s: a job on the pending list was freed under it",
		      where);
	return true;
}

/* NO_HANG: the job goes back at the head; free work picks it up if it is done. */
static void drm_sched_job_reinsert_on_false_timeout(struct drm_gpu_scheduler *sched,
						    struct drm_sched_job *job)
{
	spin_lock(&sched->job_list_lock);
	list_add(&job->list, &sched->pending_list);

	/*
	 * After reinserting the job, the scheduler enqueues the free-job work
	 * again if ready. Otherwise, a signaled job could be added to the
	 * pending list, but never freed.
	 */
	__drm_sched_run_free_queue(sched);
	spin_unlock(&sched->job_list_lock);
}

/**
 * drm_sched_job_timedout - the TDR: the head of the pending list timed out
 * @work: &drm_gpu_scheduler.work_tdr
 *
 * Timeout queue, concurrent with run-job and free-job work. The job is taken
 * off the pending list under job_list_lock so free-job work cannot free it
 * while the driver looks at it; its hardware fence may have signalled
 * already (the timeout is cancelled only in free-job work).
 */
static void drm_sched_job_timedout(struct work_struct *work)
{
	struct drm_gpu_scheduler *sched;
	struct drm_sched_job *job;
	enum drm_gpu_sched_stat status = DRM_GPU_SCHED_STAT_RESET;

	sched = container_of(work, struct drm_gpu_scheduler, work_tdr.work);

	/* Protects against concurrent deletion in drm_sched_get_finished_job */
	spin_lock(&sched->job_list_lock);
	job = list_first_entry_or_null(&sched->pending_list, struct drm_sched_job, list);

	if (job) {
		u64 kid = drm_sched_job_kid(job);

		/*
		 * Remove the bad job so it cannot be freed by a concurrent
		 * &struct drm_sched_backend_ops.free_job. It will be
		 * reinserted after the scheduler's work items have been
		 * cancelled, at which point it's safe.
		 */
		list_del_init(&job->list);
		spin_unlock(&sched->job_list_lock);

		kshim_call_start(EBENCH_CALL_TIMEDOUT_JOB, 0, kid, job);
		status = job->sched->ops->timedout_job(job);
		kshim_call_end(EBENCH_CALL_TIMEDOUT_JOB, 0, kid, job, status);

		/*
		 * Guilty job did complete and hence needs to be manually removed
		 * See drm_sched_stop doc.
		 */
		if (sched->free_guilty) {
			drm_sched_call_free_job(sched, job);
			sched->free_guilty = false;
		}

		if (status == DRM_GPU_SCHED_STAT_NO_HANG)
			drm_sched_job_reinsert_on_false_timeout(sched, job);
	} else {
		spin_unlock(&sched->job_list_lock);
	}

	if (status != DRM_GPU_SCHED_STAT_ENODEV)
		drm_sched_start_timeout_unlocked(sched);
}

/* ---- stop, start, fault ---------------------------------------------------- */

/**
 * drm_sched_stop - stop the scheduler for a reset
 * @sched: scheduler instance
 * @bad: job which caused the time out, or NULL
 *
 * Pauses submission and cancels run-job and free-job work synchronously.
 * Puts @bad back at the head of the pending list, then walks the list from
 * the newest job: a job whose hardware-fence callback could still be removed
 * loses its parent and its credits and stays pending; any other job leaves
 * the list, its finished fence is waited for, and it is freed, except @bad,
 * which is only marked for the TDR to free. Finally cancels the timeout (not
 * synchronously). Signals nothing and never touches the hardware.
 */
void drm_sched_stop(struct drm_gpu_scheduler *sched, struct drm_sched_job *bad)
{
	struct drm_sched_job *s_job, *tmp;

	drm_sched_wqueue_stop(sched);

	/*
	 * Reinsert back the bad job here - now it's safe as
	 * drm_sched_get_finished_job() cannot race against us and release the
	 * bad job at this point - we parked (waited for) any in progress
	 * (earlier) cleanups and drm_sched_get_finished_job() will not be called
	 * now until the scheduler's work items are submitted again.
	 */
	if (bad && bad->sched == sched)
		/*
		 * Add at the head of the queue to reflect it was the earliest
		 * job extracted.
		 */
		list_add(&bad->list, &sched->pending_list);

	/*
	 * Iterate the job list from later to earlier one and either deactivate
	 * their HW callbacks or remove them from pending list if they already
	 * signaled. This iteration is thread safe as the scheduler's work items
	 * have been cancelled.
	 */
	list_for_each_entry_safe_reverse(s_job, tmp, &sched->pending_list, list) {
		if (drm_sched_job_freed(s_job, "drm_sched_stop"))
			break;
		if (s_job->s_fence->parent &&
		    dma_fence_remove_callback(s_job->s_fence->parent, &s_job->cb)) {
			dma_fence_put(s_job->s_fence->parent);
			s_job->s_fence->parent = NULL;
			atomic_sub(s_job->credits, &sched->credit_count);
		} else {
			/* freed while remove_callback waited for the fence lock? */
			if (drm_sched_job_freed(s_job, "drm_sched_stop"))
				break;
			/* remove job from pending_list; locking for a concurrent timeout re-arm */
			spin_lock(&sched->job_list_lock);
			if (drm_sched_job_freed(s_job, "drm_sched_stop")) {
				spin_unlock(&sched->job_list_lock);
				break;
			}
			list_del_init(&s_job->list);
			spin_unlock(&sched->job_list_lock);
			if (drm_sched_job_freed(s_job, "drm_sched_stop"))
				break;

			/*
			 * Wait for job's HW fence callback to finish using s_job
			 * before releasing it.
			 *
			 * Job is still alive so fence refcount at least 1
			 */
			dma_fence_wait(&s_job->s_fence->finished, false);

			/*
			 * We must keep bad job alive for later use during
			 * recovery by some of the drivers but leave a hint
			 * that the guilty job must be released.
			 */
			if (bad != s_job)
				drm_sched_call_free_job(sched, s_job);
			else
				sched->free_guilty = true;
		}
	}

	/*
	 * Stop pending timer in flight as we rearm it in drm_sched_start. This
	 * avoids the pending timeout work in progress to fire right away after
	 * this TDR finished and before the newly restarted jobs had a chance to
	 * complete.
	 */
	cancel_delayed_work(&sched->work_tdr);
}

/**
 * drm_sched_start - recover jobs after a reset
 * @sched: scheduler instance
 * @errnum: error for the jobs whose hardware fence is gone (0: -ECANCELED)
 *
 * Gives each pending job its credits back. A job without a parent completes
 * with @errnum, or -ECANCELED when it is 0; a job whose parent already
 * signalled completes with the fence's error, or @errnum; the others get
 * their callback back. Then re-arms the timeout and resumes submission.
 */
void drm_sched_start(struct drm_gpu_scheduler *sched, int errnum)
{
	struct drm_sched_job *s_job, *tmp;

	/*
	 * Locking the list is not required here as the scheduler's work items
	 * are currently not running, so no new jobs are being inserted or
	 * removed. Also concurrent GPU recovers can't run in parallel.
	 */
	list_for_each_entry_safe(s_job, tmp, &sched->pending_list, list) {
		struct dma_fence *fence;

		if (drm_sched_job_freed(s_job, "drm_sched_start"))
			break;
		fence = s_job->s_fence->parent;

		atomic_add(s_job->credits, &sched->credit_count);

		if (!fence) {
			drm_sched_job_done(s_job, errnum ?: -ECANCELED);
			continue;
		}

		if (dma_fence_add_callback(fence, &s_job->cb, drm_sched_job_done_cb))
			drm_sched_job_done(s_job, fence->error ?: errnum);
	}

	drm_sched_start_timeout_unlocked(sched);
	drm_sched_wqueue_start(sched);
}

/**
 * drm_sched_fault - immediately start timeout handler
 * @sched: scheduler where the timeout handling should be started.
 *
 * Safe from IRQ context.
 */
void drm_sched_fault(struct drm_gpu_scheduler *sched)
{
	if (sched->timeout_wq)
		mod_delayed_work(sched->timeout_wq, &sched->work_tdr, 0);
}

/* Whether the scheduler is initialised and not torn down. */
bool drm_sched_wqueue_ready(struct drm_gpu_scheduler *sched)
{
	return sched->ready;
}

/**
 * drm_sched_wqueue_stop - stop scheduler submission
 * @sched: scheduler instance
 *
 * Pauses submission and cancels run-job and free-job work, waiting for one
 * that is running. Nothing is requeued until drm_sched_wqueue_start().
 */
void drm_sched_wqueue_stop(struct drm_gpu_scheduler *sched)
{
	__atomic_store_n(&sched->pause_submit, true, __ATOMIC_SEQ_CST);
	cancel_work_sync(&sched->work_run_job);
	cancel_work_sync(&sched->work_free_job);
}

/* Resume submission: queue run-job and free-job work. */
void drm_sched_wqueue_start(struct drm_gpu_scheduler *sched)
{
	__atomic_store_n(&sched->pause_submit, false, __ATOMIC_SEQ_CST);
	queue_work(sched->submit_wq, &sched->work_run_job);
	queue_work(sched->submit_wq, &sched->work_free_job);
}

/* ---- init and teardown ----------------------------------------------------- */

/**
 * drm_sched_init - init a gpu scheduler instance
 * @sched: scheduler instance
 * @args: scheduler initialization arguments
 *
 * Without a submit_wq the scheduler allocates an ordered one (the bench's
 * submit_wq context); without a timeout_wq it uses system_wq (the bench's
 * timeout_wq context, unordered).
 *
 * Return 0 on success, otherwise error code.
 */
int drm_sched_init(struct drm_gpu_scheduler *sched, const struct drm_sched_init_args *args)
{
	u32 i;

	sched->ops = args->ops;
	sched->credit_limit = args->credit_limit;
	sched->name = args->name;
	sched->timeout = args->timeout;
	sched->hang_limit = args->hang_limit;
	sched->timeout_wq = args->timeout_wq ? args->timeout_wq : kshim_timeout_wq();
	sched->score = args->score ? args->score : &sched->_score;
	sched->dev = args->dev;

	if (args->num_rqs > DRM_SCHED_PRIORITY_COUNT) {
		/* This is a gross violation--tell drivers what the problem is. */
		dev_err(sched->dev,
			"%s: num_rqs cannot be greater than DRM_SCHED_PRIORITY_COUNT\n", __func__);
		return -EINVAL;
	} else if (sched->sched_rq) {
		/*
		 * Not an error, but warn anyway so drivers can fine-tune their
		 * DRM calling order, and return all is good.
		 */
		dev_warn(sched->dev, "%s: scheduler already initialized!\n", __func__);
		return 0;
	}

	if (args->submit_wq) {
		sched->submit_wq = args->submit_wq;
		sched->own_submit_wq = false;
	} else {
		/* bench: the "sched-init" fault makes this allocation fail */
		if (kshim_fault(EBENCH_FAULT_SCHED_INIT, __func__))
			sched->submit_wq = NULL;
		else
			sched->submit_wq = alloc_ordered_workqueue("%s", WQ_MEM_RECLAIM, args->name);
		if (!sched->submit_wq)
			return -ENOMEM;

		sched->own_submit_wq = true;
	}

	/* the fair policy keeps every entity on one run queue */
	sched->num_user_rqs = args->num_rqs;
	sched->num_rqs = kshim_sched_policy() != DRM_SCHED_POLICY_FAIR ? args->num_rqs : 1;
	sched->sched_rq = kmalloc_array(sched->num_rqs, sizeof(*sched->sched_rq),
					GFP_KERNEL | __GFP_ZERO);
	if (!sched->sched_rq)
		goto Out_check_own;
	for (i = DRM_SCHED_PRIORITY_KERNEL; i < sched->num_rqs; i++) {
		sched->sched_rq[i] = kzalloc(sizeof(*sched->sched_rq[i]), GFP_KERNEL);
		if (!sched->sched_rq[i])
			goto Out_unroll;
		drm_sched_rq_init(sched, sched->sched_rq[i]);
	}

	init_waitqueue_head(&sched->job_scheduled);
	INIT_LIST_HEAD(&sched->pending_list);
	spin_lock_init(&sched->job_list_lock);
	atomic_set(&sched->credit_count, 0);
	INIT_DELAYED_WORK(&sched->work_tdr, drm_sched_job_timedout);
	INIT_WORK(&sched->work_run_job, drm_sched_run_job_work);
	INIT_WORK(&sched->work_free_job, drm_sched_free_job_work);
	atomic_set(&sched->_score, 0);
	atomic64_set(&sched->job_id_count, 0);
	sched->pause_submit = false;
	sched->avg_job_us = 0;

	sched->ready = true;
	return 0;

Out_unroll:
	while (i-- > DRM_SCHED_PRIORITY_KERNEL)
		kfree(sched->sched_rq[i]);

	kfree(sched->sched_rq);
	sched->sched_rq = NULL;
Out_check_own:
	/* own_submit_wq stays set, as in mainline: a later fini destroys it again */
	if (sched->own_submit_wq)
		destroy_workqueue(sched->submit_wq);
	dev_err(sched->dev, "%s: Failed to setup GPU scheduler--out of memory\n", __func__);
	return -ENOMEM;
}

/* Teardown with ops->cancel_job: cancel, then free, every pending job. */
static void drm_sched_cancel_remaining_jobs(struct drm_gpu_scheduler *sched)
{
	struct drm_sched_job *job, *tmp;

	/* All other accessors are stopped. No locking necessary. */
	list_for_each_entry_safe_reverse(job, tmp, &sched->pending_list, list) {
		u64 kid = drm_sched_job_kid(job);

		kshim_call_start(EBENCH_CALL_CANCEL_JOB, 0, kid, job);
		sched->ops->cancel_job(job);
		kshim_call_end(EBENCH_CALL_CANCEL_JOB, 0, kid, job, 0);
		list_del(&job->list);
		drm_sched_call_free_job(sched, job);
	}
}

/**
 * drm_sched_fini - destroy a gpu scheduler
 * @sched: scheduler instance
 *
 * Stops submission, marks the entities still on its run queues stopped and
 * frees the run queues (entities must be torn down before), cancels the
 * timeout synchronously, cancels pending jobs through ops->cancel_job when
 * the driver has one (otherwise they are left, with a warning), and destroys
 * its own workqueue.
 */
void drm_sched_fini(struct drm_gpu_scheduler *sched)
{
	struct drm_sched_entity *s_entity;
	u32 i;

	drm_sched_wqueue_stop(sched);

	for (i = DRM_SCHED_PRIORITY_KERNEL; i < sched->num_rqs; i++) {
		struct drm_sched_rq *rq = sched->sched_rq[i];

		spin_lock(&rq->lock);
		list_for_each_entry(s_entity, &rq->entities, list)
			/*
			 * Prevents reinsertion and marks job_queue as idle,
			 * it will be removed from the rq in drm_sched_entity_fini()
			 * eventually. Mainline's FIXME: this lacks the entity's
			 * lock and races with drm_sched_entity_push_job().
			 */
			s_entity->stopped = true;
		spin_unlock(&rq->lock);
		kfree(sched->sched_rq[i]);
	}

	/*
	 * bench: a scheduler whose drm_sched_init() failed before it set up its
	 * lists (zeroed memory, as the driver allocated it): the kernel's
	 * __wake_up_common() follows the wait queue's NULL list head and oopses.
	 */
	if (!sched->pending_list.next) {
		kshim_finding(EBENCH_F_OOPS,
			      "BUG: kernel NULL pointer dereference in drm_sched_fini: wake_up_all(&sched->job_scheduled) on a wait queue drm_sched_init() never initialised (it failed)");
		return;
	}

	/* Wakeup everyone stuck in drm_sched_entity_flush for this scheduler */
	wake_up_all(&sched->job_scheduled);

	/* Confirm no work left behind accessing device structures */
	cancel_delayed_work_sync(&sched->work_tdr);

	/* Avoid memory leaks if supported by the driver. */
	if (sched->ops->cancel_job)
		drm_sched_cancel_remaining_jobs(sched);

	if (sched->own_submit_wq) {
		/* After a failed drm_sched_init() the queue is already gone */
		if (kshim_poisoned_ptr(sched->submit_wq) || kshim_poisoned_u32(sched->submit_wq))
			kshim_finding(EBENCH_F_DOUBLE_FREE,
				      "BUG: KASAN: double-free in drm_sched_fini: destroy_workqueue(submit_wq) on a queue drm_sched_init() already destroyed");
		else
			destroy_workqueue(sched->submit_wq);
	}
	sched->ready = false;
	kfree(sched->sched_rq);
	sched->sched_rq = NULL;

	if (!list_empty(&sched->pending_list))
		dev_warn(sched->dev, "Tearing down scheduler while jobs are pending!\n");
}

/**
 * drm_sched_pick_best - the least loaded ready scheduler of a list
 * @sched_list: list of drm_gpu_schedulers
 * @num_sched_list: number of drm_gpu_schedulers in the sched_list
 *
 * Returns the scheduler with the lowest score, NULL if none is ready.
 */
struct drm_gpu_scheduler *drm_sched_pick_best(struct drm_gpu_scheduler **sched_list,
					      unsigned int num_sched_list)
{
	struct drm_gpu_scheduler *sched, *picked_sched = NULL;
	unsigned int i, num_score, min_score = UINT_MAX;

	for (i = 0; i < num_sched_list; ++i) {
		sched = sched_list[i];

		if (!sched->ready) {
			pr_warn("[drm] scheduler %s is not ready, skipping\n", sched->name);
			continue;
		}

		num_score = atomic_read(sched->score);
		if (num_score < min_score) {
			min_score = num_score;
			picked_sched = sched;
		}
	}

	return picked_sched;
}

/* ---- jobs ---------------------------------------------------------------- */

/**
 * drm_sched_job_init - init a scheduler job
 * @job: scheduler job to init
 * @entity: scheduler entity to use
 * @credits: the number of credits this job contributes to the scheduler's
 *	credit limit
 * @owner: job owner for debugging
 * @drm_client_id: the DRM file's client id
 *
 * Zeroes @job, then allocates its (not yet initialised) fences. Pairs with
 * drm_sched_job_cleanup(). The bench's JOB_INIT event comes from
 * drm_sched_job_arm(), when the driver's job is complete enough to be named.
 *
 * Returns 0 for success, -ENOENT if @entity has no run queue, -EINVAL for
 * zero credits, -ENOMEM.
 */
int drm_sched_job_init(struct drm_sched_job *job, struct drm_sched_entity *entity,
		       u32 credits, void *owner, u64 drm_client_id)
{
	if (kshim_poisoned_u32(job)) {
		kshim_finding(EBENCH_F_UAF,
			      "BUG: KASAN: slab-use-after-free in drm_sched_job_init: the job was freed");
		return -EINVAL;
	}

	if (!entity->rq) {
		/*
		 * This will most likely be followed by missing frames or
		 * worse--a blank screen--leave a trail in the logs, so this
		 * can be debugged easier. Mainline prints through
		 * job->sched->dev, which nothing has set yet.
		 */
		if (!job->sched || kshim_poisoned_ptr(job->sched)) {
			kshim_finding(EBENCH_F_OOPS,
				      "BUG: kernel NULL pointer dereference in drm_sched_job_init: entity has no rq, and dev_err(job->sched->dev) reads an unset job->sched");
			return -ENOENT;
		}
		dev_err(job->sched->dev, "%s: entity has no rq!\n", __func__);
		return -ENOENT;
	}

	if (unlikely(!credits)) {
		pr_err("*ERROR* %s: credits cannot be 0!\n", __func__);
		return -EINVAL;
	}

	/*
	 * We don't know for sure how the user has allocated. Thus, zero the
	 * struct so that unallowed (i.e., too early) usage of pointers that
	 * this function does not set is guaranteed to lead to a NULL pointer
	 * exception instead of UB.
	 */
	memset(job, 0, sizeof(*job));

	job->entity = entity;
	job->credits = credits;
	job->s_fence = drm_sched_fence_alloc(entity, owner, drm_client_id);
	if (!job->s_fence)
		return -ENOMEM;

	INIT_LIST_HEAD(&job->list);

	drm_sched_deps_init(&job->dependencies);

	return 0;
}

/**
 * drm_sched_job_arm - arm a scheduler job for execution
 * @job: scheduler job to arm
 *
 * The point of no return: the job must be pushed after this. Selects the run
 * queue, gives the job its id and initialises its fences. Arm and push are
 * serialised by the caller.
 */
void drm_sched_job_arm(struct drm_sched_job *job)
{
	struct drm_gpu_scheduler *sched;
	struct drm_sched_entity *entity = job->entity;
	u64 kid;

	if (!entity) {
		BUG_ON(!entity);
		return;
	}
	if (!job->s_fence || kshim_poisoned_ptr(job->s_fence)) {
		kshim_finding(EBENCH_F_OOPS,
			      "BUG: kernel NULL pointer dereference in drm_sched_job_arm: job not initialised");
		return;
	}
	drm_sched_entity_select_rq(entity);
	if (!entity->rq) {
		kshim_finding(EBENCH_F_OOPS,
			      "BUG: kernel NULL pointer dereference in drm_sched_job_arm: entity has no rq");
		return;
	}
	sched = entity->rq->sched;

	job->sched = sched;
	job->s_priority = entity->priority;
	job->entity_stats = drm_sched_entity_stats_get(entity->stats);
	job->id = atomic64_inc_return(&sched->job_id_count);

	drm_sched_fence_init(job->s_fence, job->entity);

	kid = drm_sched_job_kid(job);
	kshim_fence_set_role(&job->s_fence->scheduled, KSHIM_FENCE_SCHEDULED, kid);
	kshim_fence_set_role(&job->s_fence->finished, KSHIM_FENCE_FINISHED, kid);
	kshim_event(EBENCH_EV_JOB_ARMED, 0, 0, kid, job, (s64)job->id, 0);
}

/**
 * drm_sched_job_add_dependency - adds the fence as a job dependency
 * @job: scheduler job to add the dependencies to
 * @fence: the dma_fence to add to the list of dependencies.
 *
 * Keeps at most one fence per context (the later one). The fence reference
 * is consumed, also on error.
 *
 * Returns 0 on success, or an error on failing to expand the array.
 */
int drm_sched_job_add_dependency(struct drm_sched_job *job, struct dma_fence *fence)
{
	struct dma_fence *entry;
	u32 index;
	int ret;

	if (!fence)
		return 0;

	/*
	 * Deduplicate if we already depend on a fence from the same context.
	 * This lets the size of the array of deps scale with the number of
	 * engines involved, rather than the number of BOs.
	 */
	drm_sched_deps_for_each(&job->dependencies, index, entry) {
		if (entry->context != fence->context)
			continue;

		if (dma_fence_is_later(fence, entry)) {
			dma_fence_put(entry);
			drm_sched_deps_store(&job->dependencies, index, fence);
		} else {
			dma_fence_put(fence);
		}
		return 0;
	}

	ret = drm_sched_deps_alloc(&job->dependencies, fence);
	if (ret != 0)
		dma_fence_put(fence);

	return ret;
}

/**
 * drm_sched_job_add_resv_dependencies - add all fences from the resv to the job
 * @job: scheduler job to add the dependencies to
 * @resv: the dma_resv object to get the fences from, locked
 * @usage: the dma_resv_usage to use to filter the fences
 */
int drm_sched_job_add_resv_dependencies(struct drm_sched_job *job, struct dma_resv *resv,
					enum dma_resv_usage usage)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence;
	int ret;

	dma_resv_assert_held(resv);

	dma_resv_for_each_fence(&cursor, resv, usage, fence) {
		/*
		 * As drm_sched_job_add_dependency always consumes the fence
		 * reference (even when it fails), and dma_resv_for_each_fence
		 * is not obtaining one, we need to grab one before calling.
		 */
		ret = drm_sched_job_add_dependency(job, dma_fence_get(fence));
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * drm_sched_job_add_implicit_dependencies - adds implicit dependencies as job dependencies
 * @job: scheduler job to add the dependencies to
 * @obj: the gem object to add new dependencies from, its reservation locked
 * @write: whether the job might write the object (so we need to depend on
 *	shared fences in the reservation object).
 */
int drm_sched_job_add_implicit_dependencies(struct drm_sched_job *job,
					    struct drm_gem_object *obj, bool write)
{
	return drm_sched_job_add_resv_dependencies(job, obj->resv, dma_resv_usage_rw(write));
}

/* Whether @fence is one of the job's dependencies. */
bool drm_sched_job_has_dependency(struct drm_sched_job *job, struct dma_fence *fence)
{
	struct dma_fence *f;
	u32 index;

	drm_sched_deps_for_each(&job->dependencies, index, f)
		if (f == fence)
			return true;

	return false;
}

/**
 * drm_sched_job_cleanup - clean up scheduler job resources
 * @job: scheduler job to clean up
 *
 * Pairs with drm_sched_job_init(): drops the finished fence and the entity
 * stats references if the job was armed, else frees the unarmed fences;
 * drops the dependencies.
 * Called by the driver's free_job, or on its error path before arming. On a
 * job that was never initialised mainline dereferences a NULL s_fence; the
 * shim reports that oops and returns.
 */
void drm_sched_job_cleanup(struct drm_sched_job *job)
{
	struct dma_fence *fence;
	u32 index;

	if (kshim_poisoned_ptr(job->s_fence)) {
		kshim_finding(EBENCH_F_UAF,
			      "BUG: KASAN: slab-use-after-free in drm_sched_job_cleanup: the job was freed");
		return;
	}
	if (!job->s_fence) {
		kshim_finding(EBENCH_F_OOPS,
			      "BUG: kernel NULL pointer dereference in drm_sched_job_cleanup");
		return;
	}
	if (kshim_poisoned_u32(&job->s_fence->finished.kshim_magic)) {
		kshim_finding(EBENCH_F_UAF,
			      "BUG: KASAN: slab-use-after-free in drm_sched_job_cleanup: the job's fences were freed");
		return;
	}

	if (kref_read(&job->s_fence->finished.refcount)) {
		/* The job has been armed */
		dma_fence_put(&job->s_fence->finished);
		drm_sched_entity_stats_put(job->entity_stats);
	} else {
		/* aborted job before arming */
		drm_sched_fence_free(job->s_fence);
	}

	job->s_fence = NULL;

	drm_sched_deps_for_each(&job->dependencies, index, fence)
		dma_fence_put(fence);
	drm_sched_deps_destroy(&job->dependencies);
}
