// SPDX-License-Identifier: MIT
/*
 * sched_fence.c - the scheduler's fences of a job: "scheduled" (signalled
 * once run_job returned) and "finished" (signalled when the job completed,
 * with its error). Both share one lock; the finished fence holds the
 * scheduled fence's initial reference, and releasing the scheduled fence
 * drops the hardware fence (parent) and frees the structure.
 *
 * In traces they are named "job<id>.scheduled" and "job<id>.finished".
 */
#include <linux/kernel.h>
#include <linux/slab.h>

#include "sched_internal.h"

static const char *drm_sched_fence_get_driver_name(struct dma_fence *fence)
{
	return "drm_sched";
}

static const char *drm_sched_fence_get_timeline_name(struct dma_fence *f)
{
	struct drm_sched_fence *fence = to_drm_sched_fence(f);

	return fence && fence->sched ? fence->sched->name : "drm_sched";
}

/* Last reference of the scheduled fence: drop the parent, free the pair. */
static void drm_sched_fence_release_scheduled(struct dma_fence *f)
{
	struct drm_sched_fence *fence = to_drm_sched_fence(f);

	dma_fence_put(fence->parent);
	/* mainline frees after an RCU grace period (call_rcu) */
	kshim_free_rcu(fence, __func__);
}

/* Last reference of the finished fence: drop its hold on the scheduled one. */
static void drm_sched_fence_release_finished(struct dma_fence *f)
{
	struct drm_sched_fence *fence = to_drm_sched_fence(f);

	dma_fence_put(&fence->scheduled);
}

static const struct dma_fence_ops drm_sched_fence_ops_scheduled = {
	.get_driver_name = drm_sched_fence_get_driver_name,
	.get_timeline_name = drm_sched_fence_get_timeline_name,
	.release = drm_sched_fence_release_scheduled,
};

static const struct dma_fence_ops drm_sched_fence_ops_finished = {
	.get_driver_name = drm_sched_fence_get_driver_name,
	.get_timeline_name = drm_sched_fence_get_timeline_name,
	.release = drm_sched_fence_release_finished,
};

/**
 * to_drm_sched_fence - the scheduler fence a dma_fence belongs to
 * @f: a fence
 *
 * Returns the &struct drm_sched_fence if @f is its scheduled or finished
 * fence, NULL for any other fence.
 */
struct drm_sched_fence *to_drm_sched_fence(struct dma_fence *f)
{
	if (f->ops == &drm_sched_fence_ops_scheduled)
		return container_of(f, struct drm_sched_fence, scheduled);

	if (f->ops == &drm_sched_fence_ops_finished)
		return container_of(f, struct drm_sched_fence, finished);

	return NULL;
}

/**
 * drm_sched_fence_alloc - allocate the fences of a job, not yet initialised
 * @entity: the entity the job is for
 * @owner: job owner, for debugging
 * @drm_client_id: the submitting DRM client
 *
 * Returns the zeroed structure, or NULL when out of memory.
 */
struct drm_sched_fence *drm_sched_fence_alloc(struct drm_sched_entity *entity, void *owner,
					      u64 drm_client_id)
{
	struct drm_sched_fence *fence;

	fence = kzalloc(sizeof(*fence), GFP_KERNEL);
	if (!fence)
		return NULL;

	fence->owner = owner;
	fence->drm_client_id = drm_client_id;
	/* one lock per job, named for the trace: "spin_lock(sched_fence_lock)" */
	__spin_lock_init(&fence->lock, "sched_fence_lock");

	return fence;
}

/* Frees the fences of a job that was never armed. */
void drm_sched_fence_free(struct drm_sched_fence *fence)
{
	/* This function should not be called if the fence has been initialized. */
	if (!WARN_ON_ONCE(fence->sched))
		kfree(fence);
}

/**
 * drm_sched_fence_init - initialise both fences when the job is armed
 * @fence: the job's fences
 * @entity: the entity the job was armed on; its run queue is selected
 *
 * The scheduled fence uses the entity's first fence context, the finished
 * fence the second, both with the entity's next seqno.
 */
void drm_sched_fence_init(struct drm_sched_fence *fence, struct drm_sched_entity *entity)
{
	unsigned int seq;

	fence->sched = entity->rq->sched;
	seq = atomic_inc_return(&entity->fence_seq);
	dma_fence_init(&fence->scheduled, &drm_sched_fence_ops_scheduled,
		       &fence->lock, entity->fence_context, seq);
	dma_fence_init(&fence->finished, &drm_sched_fence_ops_finished,
		       &fence->lock, entity->fence_context + 1, seq);
}

/**
 * drm_sched_fence_scheduled - the job was handed to the hardware
 * @fence: the job's fences
 * @parent: the hardware fence run_job returned (NULL or an ERR_PTR: none)
 *
 * Keeps a reference to @parent before signalling the scheduled fence, so a
 * waiter woken by the signal finds it.
 */
void drm_sched_fence_scheduled(struct drm_sched_fence *fence, struct dma_fence *parent)
{
	if (!IS_ERR_OR_NULL(parent))
		fence->parent = dma_fence_get(parent);
	dma_fence_signal(&fence->scheduled);
}

/* The job is done: set the error, if any, then signal the finished fence. */
void drm_sched_fence_finished(struct drm_sched_fence *fence, int result)
{
	if (result)
		dma_fence_set_error(&fence->finished, result);
	dma_fence_signal(&fence->finished);
}
