/* SPDX-License-Identifier: MIT */
/*
 * sched_internal.h - what sched_main.c, sched_rq.c, sched_entity.c and
 * sched_fence.c share, as mainline v7.2's drivers/gpu/drm/scheduler/
 * sched_internal.h (entity stats, run queue entry points); plus the
 * dependency-array helpers that stand for the xarray.
 */
#ifndef _DRM_GPU_SCHEDULER_INTERNAL_H_
#define _DRM_GPU_SCHEDULER_INTERNAL_H_

#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <drm/gpu_scheduler.h>

#include "kshim.h"
#include "ethosu_bench.h"

/* &drm_sched_rq.kshim_magic of a live run queue ("RUNQ") */
#define DRM_SCHED_RQ_MAGIC	0x52554e51U

/* The completion of struct completion is re-armed by run-job work. */
static inline void kshim_reinit_completion(struct completion *x)
{
	__atomic_store_n(&x->done, 0, __ATOMIC_SEQ_CST);
}
#define reinit_completion(x)	kshim_reinit_completion(x)

/*
 * The exponentially weighted moving average of DECLARE_EWMA(drm_sched_avgtime,
 * 6, 4): six bits of fraction, each new sample weighs a quarter.
 */
#define DRM_SCHED_AVG_PRECISION	6
#define DRM_SCHED_AVG_WEIGHT_LOG	2

static inline void drm_sched_avgtime_add(unsigned long *avg, unsigned long val)
{
	unsigned long internal = __atomic_load_n(avg, __ATOMIC_RELAXED);

	internal = internal ?
		(((internal << DRM_SCHED_AVG_WEIGHT_LOG) - internal) +
		 (val << DRM_SCHED_AVG_PRECISION)) >> DRM_SCHED_AVG_WEIGHT_LOG :
		val << DRM_SCHED_AVG_PRECISION;
	__atomic_store_n(avg, internal, __ATOMIC_RELAXED);
}

static inline unsigned long drm_sched_avgtime_read(unsigned long *avg)
{
	return __atomic_load_n(avg, __ATOMIC_RELAXED) >> DRM_SCHED_AVG_PRECISION;
}

/**
 * struct drm_sched_entity_stats - execution stats of an entity
 * @kref: held by the entity and by each of its armed jobs, whose lifetimes
 *	are not the entity's
 * @lock: guards the fields below
 * @runtime: time the entity's jobs spent on the hardware
 * @prev_runtime: @runtime when the fair policy last charged it
 * @vruntime: fair policy: virtual runtime
 * @avg_job_us: fair policy: average job duration (ewma)
 */
struct drm_sched_entity_stats {
	struct kref	kref;
	spinlock_t	lock;
	ktime_t		runtime;
	ktime_t		prev_runtime;
	ktime_t		vruntime;
	unsigned long	avg_job_us;
};

void drm_sched_entity_stats_release(struct kref *kref);

static inline struct drm_sched_entity_stats *
drm_sched_entity_stats_get(struct drm_sched_entity_stats *stats)
{
	kref_get(&stats->kref);
	return stats;
}

static inline void drm_sched_entity_stats_put(struct drm_sched_entity_stats *stats)
{
	kref_put(&stats->kref, drm_sched_entity_stats_release);
}

ktime_t drm_sched_entity_stats_job_add_gpu_time(struct drm_sched_job *job);

/* sched_main.c */
u64 drm_sched_job_kid(struct drm_sched_job *job);
void drm_sched_call_free_job(struct drm_gpu_scheduler *sched, struct drm_sched_job *job);
bool drm_sched_can_queue(struct drm_gpu_scheduler *sched, struct drm_sched_entity *entity);
struct drm_gpu_scheduler *drm_sched_pick_best(struct drm_gpu_scheduler **sched_list,
					      unsigned int num_sched_list);

/* sched_rq.c */
void drm_sched_rq_init(struct drm_gpu_scheduler *sched, struct drm_sched_rq *rq);
struct drm_gpu_scheduler *drm_sched_rq_add_entity(struct drm_sched_entity *entity, ktime_t ts);
void drm_sched_rq_remove_entity(struct drm_sched_rq *rq, struct drm_sched_entity *entity);
void drm_sched_rq_pop_entity(struct drm_sched_entity *entity);
struct drm_sched_entity *drm_sched_rq_select_entity(struct drm_gpu_scheduler *sched,
						    struct drm_sched_rq *rq);

/* sched_entity.c */
void drm_sched_entity_select_rq(struct drm_sched_entity *entity);
struct drm_sched_job *drm_sched_entity_pop_job(struct drm_sched_entity *entity);
bool drm_sched_entity_is_ready(struct drm_sched_entity *entity);

/* sched_fence.c */
struct drm_sched_fence *drm_sched_fence_alloc(struct drm_sched_entity *s_entity, void *owner,
					      u64 drm_client_id);
void drm_sched_fence_init(struct drm_sched_fence *fence, struct drm_sched_entity *entity);
void drm_sched_fence_free(struct drm_sched_fence *fence);
void drm_sched_fence_scheduled(struct drm_sched_fence *fence, struct dma_fence *parent);
void drm_sched_fence_finished(struct drm_sched_fence *fence, int result);

/**
 * drm_sched_entity_queue_pop - low level helper for popping queued jobs
 * @entity: scheduler entity
 *
 * Low level helper for popping queued jobs. Drivers should not use it.
 * Returns the job dequeued or NULL.
 */
static inline struct drm_sched_job *drm_sched_entity_queue_pop(struct drm_sched_entity *entity)
{
	struct spsc_node *node = spsc_queue_pop(&entity->job_queue);

	return node ? container_of(node, struct drm_sched_job, queue_node) : NULL;
}

/* The job at the head of the entity's queue, or NULL. */
static inline struct drm_sched_job *drm_sched_entity_queue_peek(struct drm_sched_entity *entity)
{
	struct spsc_node *node = spsc_queue_peek(&entity->job_queue);

	return node ? container_of(node, struct drm_sched_job, queue_node) : NULL;
}

/* ---- the dependency array: xa_load, xa_store, xa_erase, xa_alloc ---- */

static inline struct dma_fence *drm_sched_deps_load(struct drm_sched_deps *d, u32 index)
{
	if (index >= d->count)
		return NULL;
	return index ? d->more[index - 1] : d->head;
}

static inline void drm_sched_deps_store(struct drm_sched_deps *d, u32 index, struct dma_fence *f)
{
	if (index >= d->count)
		return;
	if (index)
		d->more[index - 1] = f;
	else
		d->head = f;
}

/* Next index holding a fence, starting at *index; false when none is left. */
static inline bool drm_sched_deps_next(struct drm_sched_deps *d, u32 *index,
				       struct dma_fence **fence)
{
	for (; *index < d->count; (*index)++) {
		*fence = drm_sched_deps_load(d, *index);
		if (*fence)
			return true;
	}
	return false;
}

/* xa_for_each(): skips erased entries; the body may erase the current one */
#define drm_sched_deps_for_each(d, index, fence)				\
	for ((index) = 0; drm_sched_deps_next((d), &(index), &(fence)); (index)++)

/*
 * xa_alloc(): the first entry needs no memory; later ones need a node (64
 * slots), as an xarray's do. Returns 0 or -ENOMEM.
 */
static inline int drm_sched_deps_alloc(struct drm_sched_deps *d, struct dma_fence *f)
{
	if (!d->count) {
		d->head = f;
		d->count = 1;
		return 0;
	}
	if (d->count - 1 >= d->cap) {
		u32 cap = d->cap ? d->cap * 2 : 64;
		struct dma_fence **more = kcalloc(cap, sizeof(*more), GFP_KERNEL);

		if (!more)
			return -ENOMEM;
		if (d->cap)
			memcpy(more, d->more, d->cap * sizeof(*more));
		kfree(d->more);
		d->more = more;
		d->cap = cap;
	}
	d->more[d->count - 1] = f;
	d->count++;
	return 0;
}

static inline void drm_sched_deps_init(struct drm_sched_deps *d)
{
	d->head = NULL;
	d->more = NULL;
	d->count = 0;
	d->cap = 0;
}

/* xa_destroy(): frees the nodes; the caller has dropped the fences. */
static inline void drm_sched_deps_destroy(struct drm_sched_deps *d)
{
	kfree(d->more);
	drm_sched_deps_init(d);
}

#endif /* _DRM_GPU_SCHEDULER_INTERNAL_H_ */
