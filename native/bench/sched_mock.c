// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_mock.c - the mock GPU the scheduler shim tests exercise, after the
 * kernel's drivers/gpu/drm/scheduler/tests/mock_scheduler.c; the test cases
 * live on the Java side. The hardware is a timeline of running jobs whose
 * fences complete in order: when the test advances it, or after a job's
 * duration on a delayed work of system_wq (virtual time when controlled).
 *
 * Locking: &ebench_mock_sched.lock is the hardware timeline's lock and the
 * lock of every hardware fence, so a fence is signalled and taken off the
 * timeline atomically. Each entity's submit_lock serialises arm and push, as
 * a driver must (ethosu: sched_lock). The bookkeeping lists (jobs, entities)
 * use an internal lock that is never a scheduling point.
 */
#include <signal.h>

#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <drm/gpu_scheduler.h>

#include "ethosu_mock.h"
#include "kshim.h"

struct ebench_mock_sched {
	struct drm_gpu_scheduler base;
	struct device dev;			/* "drm-mock" in log lines */
	struct ebench_dev *kd;

	spinlock_t lock;			/* the timeline and every hardware fence */
	struct list_head running;		/* jobs on the hardware, in run order */
	u64 hw_context;
	u32 next_seqno;

	struct kshim_ilock list_lock;		/* guards jobs, entities, next_job_id */
	struct list_head jobs;			/* every job submitted, until fini */
	struct list_head entities;		/* entities not yet destroyed */
	u32 next_job_id;

	struct ebench_mock_counts counts;	/* atomics */
};

struct ebench_mock_entity {
	struct drm_sched_entity base;
	struct ebench_mock_sched *m;
	struct mutex submit_lock;		/* serialises arm and push */
	struct list_head link;			/* in m->entities */
};

struct ebench_mock_job {
	struct drm_sched_job base;
	struct ebench_mock_sched *m;
	u32 id;
	u32 duration_ms;
	int answer;				/* enum ebench_mock_answer */

	struct dma_fence hw_fence;		/* initialised by run_job */
	struct list_head link;			/* in m->running while on the hardware */
	bool running;				/* run_job called: hw_fence is initialised */
	ktime_t finish_at;			/* timed jobs: when the hardware is done */
	struct delayed_work timer;		/* completes timed jobs */

	struct dma_fence *finished;		/* our reference to the finished fence */
	bool cleaned;				/* free_job ran, or the RESET answer */
	struct list_head all;			/* in m->jobs */

	struct ebench_mock_counts counts;	/* atomics */
};

static struct ebench_mock_job *to_mock_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct ebench_mock_job, base);
}

static void count(int32_t *job_field, int32_t *mock_field)
{
	__atomic_add_fetch(job_field, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(mock_field, 1, __ATOMIC_SEQ_CST);
}

/* ---- the hardware ------------------------------------------------------ */

static const char *mock_hw_fence_driver_name(struct dma_fence *fence)
{
	return "ebench-mock";
}

static const char *mock_hw_fence_timeline_name(struct dma_fence *fence)
{
	return "mock-hw";
}

static void mock_hw_fence_release(struct dma_fence *fence)
{
	/* Freed with the job, at ebench_mock_sched_fini() */
}

static const struct dma_fence_ops mock_hw_fence_ops = {
	.get_driver_name = mock_hw_fence_driver_name,
	.get_timeline_name = mock_hw_fence_timeline_name,
	.release = mock_hw_fence_release,
};

/**
 * mock_job_complete - the hardware finished a job
 * @job: a job on the timeline
 *
 * Takes it off the timeline and signals its hardware fence, whose callback
 * (the scheduler's) runs right here. Caller holds the timeline's lock.
 */
static void mock_job_complete(struct ebench_mock_job *job)
{
	lockdep_assert_held_spin(&job->m->lock);

	list_del_init(&job->link);
	dma_fence_signal_locked(&job->hw_fence);
}

/*
 * A timed job's timer (system_wq): complete, in order, every timed job at the
 * head of the timeline whose time has come. The fences are signalled under
 * the timeline's lock, as the kernel's mock does: timers run on several
 * system_wq workers at once, and completions must stay in timeline order.
 */
static void mock_job_timer(struct work_struct *w)
{
	struct ebench_mock_job *job = container_of(to_delayed_work(w), struct ebench_mock_job,
						   timer);
	struct ebench_mock_sched *m = job->m;
	struct ebench_mock_job *next;
	ktime_t now = ktime_get();
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	list_for_each_entry_safe(job, next, &m->running, link) {
		if (!job->duration_ms || now < job->finish_at)
			break;
		mock_job_complete(job);
	}
	spin_unlock_irqrestore(&m->lock, flags);
}

/* ---- the backend ops ---------------------------------------------------- */

/*
 * Put the job on the hardware: a fresh hardware fence, one reference for the
 * scheduler (returned) and one for the timeline, dropped by free_job.
 */
static struct dma_fence *mock_run_job(struct drm_sched_job *sched_job)
{
	struct ebench_mock_job *job = to_mock_job(sched_job);
	struct ebench_mock_sched *m = job->m;
	ktime_t now = job->duration_ms ? ktime_get() : 0;
	unsigned long flags;

	count(&job->counts.run, &m->counts.run);

	dma_fence_init(&job->hw_fence, &mock_hw_fence_ops, &m->lock, m->hw_context,
		       __atomic_add_fetch(&m->next_seqno, 1, __ATOMIC_SEQ_CST));
	dma_fence_get(&job->hw_fence);	/* Reference for the timeline */

	spin_lock_irqsave(&m->lock, flags);
	job->running = true;
	if (job->duration_ms) {
		ktime_t prev_finish_at = 0;

		if (!list_empty(&m->running)) {
			struct ebench_mock_job *prev =
				list_last_entry(&m->running, struct ebench_mock_job, link);

			prev_finish_at = prev->finish_at;
		}
		if (!prev_finish_at || prev_finish_at < now)
			prev_finish_at = now;
		job->finish_at = prev_finish_at + (u64)job->duration_ms * NSEC_PER_MSEC;
	}
	list_add_tail(&job->link, &m->running);
	spin_unlock_irqrestore(&m->lock, flags);

	if (job->duration_ms)
		queue_delayed_work(system_wq, &job->timer,
				   nsecs_to_jiffies(job->finish_at - now + NSEC_PER_MSEC - 1));

	return &job->hw_fence;
}

/*
 * The hardware loses every job still on it, without signalling: what a reset
 * does to ethosu's in-flight job.
 */
static void mock_hw_reset(struct ebench_mock_sched *m)
{
	struct ebench_mock_job *job, *next;
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	list_for_each_entry_safe(job, next, &m->running, link)
		list_del_init(&job->link);
	spin_unlock_irqrestore(&m->lock, flags);
}

/*
 * The mock's timeout handler. RESET does what the kernel mock does, less
 * than a real driver: instead of stopping the scheduler and resetting the
 * hardware, it fails the one job (hardware fence signalled with -ETIMEDOUT)
 * and cleans it up itself, since the scheduler took it off the pending list
 * and will not free it. STOP_START does what ethosu does.
 */
static enum drm_gpu_sched_stat mock_timedout_job(struct drm_sched_job *sched_job)
{
	struct ebench_mock_job *job = to_mock_job(sched_job);
	struct ebench_mock_sched *m = job->m;
	int answer = __atomic_load_n(&job->answer, __ATOMIC_SEQ_CST);
	unsigned long flags;

	count(&job->counts.timedout, &m->counts.timedout);

	switch (answer) {
	case EBENCH_MOCK_ANSWER_NO_HANG:
		return DRM_GPU_SCHED_STAT_NO_HANG;
	case EBENCH_MOCK_ANSWER_STOP_START:
		/* a driver looks at its hardware first (ethosu reads QREAD and STATUS) */
		kshim_point(KSHIM_LABEL(EBENCH_PT_OTHER, "mock: read hardware state"), m, 0);
		drm_sched_stop(&m->base, sched_job);
		mock_hw_reset(m);
		drm_sched_start(&m->base, 0);
		return DRM_GPU_SCHED_STAT_RESET;
	default:
		break;
	}

	spin_lock_irqsave(&m->lock, flags);
	if (!dma_fence_is_signaled_locked(&job->hw_fence)) {
		list_del_init(&job->link);
		dma_fence_set_error(&job->hw_fence, -ETIMEDOUT);
		dma_fence_signal_locked(&job->hw_fence);
	}
	spin_unlock_irqrestore(&m->lock, flags);

	dma_fence_put(&job->hw_fence);
	drm_sched_job_cleanup(sched_job);
	__atomic_store_n(&job->cleaned, true, __ATOMIC_SEQ_CST);

	return DRM_GPU_SCHED_STAT_RESET;
}

static void mock_free_job(struct drm_sched_job *sched_job)
{
	struct ebench_mock_job *job = to_mock_job(sched_job);

	count(&job->counts.freed, &job->m->counts.freed);

	/* A killed job never ran: it has no hardware fence */
	if (job->running)
		dma_fence_put(&job->hw_fence);
	drm_sched_job_cleanup(sched_job);
	__atomic_store_n(&job->cleaned, true, __ATOMIC_SEQ_CST);
}

/* Teardown: the hardware abandons the job; free_job follows from the scheduler. */
static void mock_cancel_job(struct drm_sched_job *sched_job)
{
	struct ebench_mock_job *job = to_mock_job(sched_job);
	struct ebench_mock_sched *m = job->m;
	unsigned long flags;

	count(&job->counts.cancelled, &m->counts.cancelled);

	cancel_delayed_work_sync(&job->timer);

	spin_lock_irqsave(&m->lock, flags);
	if (job->running && !dma_fence_is_signaled_locked(&job->hw_fence)) {
		list_del_init(&job->link);
		dma_fence_set_error(&job->hw_fence, -ECANCELED);
		dma_fence_signal_locked(&job->hw_fence);
	}
	spin_unlock_irqrestore(&m->lock, flags);
}

static const struct drm_sched_backend_ops mock_sched_ops = {
	.run_job = mock_run_job,
	.timedout_job = mock_timedout_job,
	.free_job = mock_free_job,
	.cancel_job = mock_cancel_job,
};

static const struct drm_sched_backend_ops mock_sched_ops_no_cancel = {
	.run_job = mock_run_job,
	.timedout_job = mock_timedout_job,
	.free_job = mock_free_job,
};

/* ---- the C API ---------------------------------------------------------- */

uint32_t ebench_mock_abi(void)
{
	return EBENCH_MOCK_ABI_VERSION;
}

/**
 * ebench_mock_sched_create - a mock scheduler on a bench device
 * @d: the device; the calling context must be bound to it
 * @credit_limit: credits of the scheduler
 * @timeout_ms: job timeout, 0 for none
 * @flags: EBENCH_MOCK_* flags
 * @ret: receives 0 or a negative errno
 *
 * Returns the mock, or NULL.
 */
struct ebench_mock_sched *ebench_mock_sched_create(struct ebench_dev *d, uint32_t credit_limit,
						   uint32_t timeout_ms, uint32_t flags,
						   int32_t *ret)
{
	struct drm_sched_init_args args = {
		.ops = (flags & EBENCH_MOCK_NO_CANCEL_JOB) ? &mock_sched_ops_no_cancel
							   : &mock_sched_ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = credit_limit,
		.timeout = timeout_ms ? (long)msecs_to_jiffies(timeout_ms) : MAX_SCHEDULE_TIMEOUT,
		.name = "drm-mock",
	};
	struct ebench_mock_sched *m;
	int err;

	if (!d || kshim_dev() != d) {
		*ret = -EINVAL;
		return NULL;
	}

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m) {
		*ret = -ENOMEM;
		return NULL;
	}
	m->kd = d;
	m->dev.name = "drm-mock";
	m->dev.kd = d;
	args.dev = &m->dev;

	__spin_lock_init(&m->lock, "mock_hw_lock");
	INIT_LIST_HEAD(&m->running);
	m->hw_context = dma_fence_context_alloc(1);
	kshim_ilock_init(&m->list_lock);
	INIT_LIST_HEAD(&m->jobs);
	INIT_LIST_HEAD(&m->entities);

	err = drm_sched_init(&m->base, &args);
	if (err) {
		kfree(m);
		*ret = err;
		return NULL;
	}
	*ret = 0;
	return m;
}

/* The mock's priorities are the scheduler's own. */
_Static_assert((int)EBENCH_MOCK_PRIORITY_KERNEL == (int)DRM_SCHED_PRIORITY_KERNEL &&
	       (int)EBENCH_MOCK_PRIORITY_HIGH == (int)DRM_SCHED_PRIORITY_HIGH &&
	       (int)EBENCH_MOCK_PRIORITY_NORMAL == (int)DRM_SCHED_PRIORITY_NORMAL &&
	       (int)EBENCH_MOCK_PRIORITY_LOW == (int)DRM_SCHED_PRIORITY_LOW,
	       "enum ebench_mock_priority follows enum drm_sched_priority");

struct ebench_mock_entity *ebench_mock_entity_create(struct ebench_mock_sched *m,
						     int32_t priority, int32_t *ret)
{
	struct drm_gpu_scheduler *sched = &m->base;
	struct ebench_mock_entity *e;
	int err;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e) {
		*ret = -ENOMEM;
		return NULL;
	}
	err = drm_sched_entity_init(&e->base, priority, &sched, 1, NULL);
	if (err) {
		kfree(e);
		*ret = err;
		return NULL;
	}
	e->m = m;
	__mutex_init(&e->submit_lock, "mock_submit_lock");

	kshim_ilock(&m->list_lock);
	list_add_tail(&e->link, &m->entities);
	kshim_iunlock(&m->list_lock);
	*ret = 0;
	return e;
}

void ebench_mock_entity_destroy(struct ebench_mock_entity *e, int32_t killed)
{
	struct ebench_mock_sched *m = e->m;

	kshim_ilock(&m->list_lock);
	list_del(&e->link);
	kshim_iunlock(&m->list_lock);

	if (killed)
		kshim_sched_set_current_exit(SIGKILL);
	drm_sched_entity_destroy(&e->base);
	kshim_sched_set_current_exit(0);

	mutex_destroy(&e->submit_lock);
	kfree(e);
}

/**
 * ebench_mock_job_submit - init, arm and push one job
 * @e: the entity
 * @credits: credits the job takes
 * @duration_ms: hardware time once run; 0: until ebench_mock_advance()
 * @dep: NULL, or a job whose finished fence this one waits for
 * @ret: receives 0 or a negative errno
 *
 * Returns the job (readable until ebench_mock_sched_fini()), or NULL.
 */
struct ebench_mock_job *ebench_mock_job_submit(struct ebench_mock_entity *e, uint32_t credits,
					       uint32_t duration_ms, struct ebench_mock_job *dep,
					       int32_t *ret)
{
	struct ebench_mock_sched *m = e->m;
	struct ebench_mock_job *job;
	int err;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job) {
		*ret = -ENOMEM;
		return NULL;
	}
	job->m = m;
	job->duration_ms = duration_ms;
	job->answer = EBENCH_MOCK_ANSWER_RESET;
	INIT_LIST_HEAD(&job->link);
	INIT_DELAYED_WORK(&job->timer, mock_job_timer);

	err = drm_sched_job_init(&job->base, &e->base, credits, NULL, 0);
	if (err)
		goto err_free;

	kshim_ilock(&m->list_lock);
	job->id = ++m->next_job_id;
	kshim_iunlock(&m->list_lock);
	job->base.kshim_id = job->id;	/* the mock names its jobs itself */

	if (dep && dep->finished) {
		err = drm_sched_job_add_dependency(&job->base, dma_fence_get(dep->finished));
		if (err)
			goto err_cleanup;
	}

	mutex_lock(&e->submit_lock);
	drm_sched_job_arm(&job->base);
	job->finished = dma_fence_get(&job->base.s_fence->finished);
	kshim_ilock(&m->list_lock);
	list_add_tail(&job->all, &m->jobs);
	kshim_iunlock(&m->list_lock);
	drm_sched_entity_push_job(&job->base);
	mutex_unlock(&e->submit_lock);

	*ret = 0;
	return job;

err_cleanup:
	drm_sched_job_cleanup(&job->base);
err_free:
	kfree(job);
	*ret = err;
	return NULL;
}

uint32_t ebench_mock_advance(struct ebench_mock_sched *m, uint32_t n)
{
	struct ebench_mock_job *job, *next;
	unsigned long flags;
	uint32_t found = 0;

	spin_lock_irqsave(&m->lock, flags);
	list_for_each_entry_safe(job, next, &m->running, link) {
		if (found == n)
			break;
		mock_job_complete(job);
		found++;
	}
	spin_unlock_irqrestore(&m->lock, flags);
	return found;
}

void ebench_mock_job_set_timedout_answer(struct ebench_mock_job *j, int32_t answer)
{
	__atomic_store_n(&j->answer, answer, __ATOMIC_SEQ_CST);
}

int32_t ebench_mock_job_state(const struct ebench_mock_job *j)
{
	if (__atomic_load_n(&j->cleaned, __ATOMIC_SEQ_CST))
		return EBENCH_MOCK_JOB_FREED;
	if (j->finished && test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &j->finished->flags))
		return EBENCH_MOCK_JOB_FINISHED;
	if (!__atomic_load_n(&j->running, __ATOMIC_SEQ_CST))
		return EBENCH_MOCK_JOB_QUEUED;
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &j->hw_fence.flags))
		return EBENCH_MOCK_JOB_HW_DONE;
	return EBENCH_MOCK_JOB_RUNNING;
}

int32_t ebench_mock_job_error(const struct ebench_mock_job *j)
{
	if (!j->finished || !test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &j->finished->flags))
		return 0;
	return j->finished->error;
}

uint32_t ebench_mock_job_id(const struct ebench_mock_job *j)
{
	return j->id;
}

int32_t ebench_mock_job_wait_finished(struct ebench_mock_job *j, uint32_t timeout_ms)
{
	long left;

	if (!j->finished)
		return -EINVAL;
	left = dma_fence_wait_timeout(j->finished, false, msecs_to_jiffies(timeout_ms));
	return left > 0 ? 1 : (int32_t)left;
}

static void read_counts(const struct ebench_mock_counts *c, struct ebench_mock_counts *out)
{
	out->run = __atomic_load_n(&c->run, __ATOMIC_SEQ_CST);
	out->timedout = __atomic_load_n(&c->timedout, __ATOMIC_SEQ_CST);
	out->freed = __atomic_load_n(&c->freed, __ATOMIC_SEQ_CST);
	out->cancelled = __atomic_load_n(&c->cancelled, __ATOMIC_SEQ_CST);
}

void ebench_mock_job_counts(const struct ebench_mock_job *j, struct ebench_mock_counts *out)
{
	read_counts(&j->counts, out);
}

void ebench_mock_sched_counts(const struct ebench_mock_sched *m, struct ebench_mock_counts *out)
{
	read_counts(&m->counts, out);
}

/**
 * ebench_mock_sched_fini - tear the mock down
 * @m: the mock
 *
 * Entities first (as drivers must), then drm_sched_fini(): with cancel_job
 * the jobs still pending are cancelled and freed; without, they are left,
 * as mainline leaves them, and show up as leaks. Then the timers are
 * stopped, the mock's fence references dropped and the jobs freed.
 */
void ebench_mock_sched_fini(struct ebench_mock_sched *m)
{
	struct ebench_mock_entity *e;
	struct ebench_mock_job *job, *next;

	for (;;) {
		kshim_ilock(&m->list_lock);
		e = list_first_entry_or_null(&m->entities, struct ebench_mock_entity, link);
		kshim_iunlock(&m->list_lock);
		if (!e)
			break;
		ebench_mock_entity_destroy(e, 0);
	}

	drm_sched_fini(&m->base);

	list_for_each_entry(job, &m->jobs, all)
		cancel_delayed_work_sync(&job->timer);
	/* Fences first: a job's finished fence may still hold its hw fence as parent */
	list_for_each_entry(job, &m->jobs, all)
		dma_fence_put(job->finished);
	list_for_each_entry_safe(job, next, &m->jobs, all) {
		list_del(&job->all);
		kfree(job);
	}
	pthread_mutex_destroy(&m->list_lock.m);
	kfree(m);
}
