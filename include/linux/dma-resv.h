/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/dma-resv.h - reservation objects: a ww_mutex and a list of
 * (fence, usage) slots. As in mainline with CONFIG_DEBUG_MUTEXES, slots must
 * be reserved under the lock before dma_resv_add_fence(), and a reservation
 * lapses at unlock; adding without a reserved slot is the kernel's BUG_ON.
 */
#ifndef _LINUX_DMA_RESV_H
#define _LINUX_DMA_RESV_H

#include <linux/types.h>
#include <linux/dma-fence.h>
#include <linux/slab.h>
#include <linux/ww_mutex.h>

extern struct ww_class reservation_ww_class;

/**
 * enum dma_resv_usage - how the fences from a dma_resv obj are used
 *
 * Ordered: a query for usage U returns every fence of usage <= U.
 * @DMA_RESV_USAGE_KERNEL: for in kernel memory management only
 * @DMA_RESV_USAGE_WRITE: implicit write synchronization
 * @DMA_RESV_USAGE_READ: implicit read synchronization
 * @DMA_RESV_USAGE_BOOKKEEP: no implicit sync
 */
enum dma_resv_usage {
	DMA_RESV_USAGE_KERNEL,
	DMA_RESV_USAGE_WRITE,
	DMA_RESV_USAGE_READ,
	DMA_RESV_USAGE_BOOKKEEP
};

/**
 * dma_resv_usage_rw - helper for implicit sync
 * @write: true if we create a new implicit sync write
 *
 * A new write must wait for every reader and writer (usage READ includes
 * WRITE and KERNEL); a new read only for writers.
 */
static inline enum dma_resv_usage dma_resv_usage_rw(bool write)
{
	return write ? DMA_RESV_USAGE_READ : DMA_RESV_USAGE_WRITE;
}

struct dma_resv_list;

/**
 * struct dma_resv - a reservation object
 * @lock: update side lock
 * @fences: the fence slots, allocated by dma_resv_reserve_fences()
 */
struct dma_resv {
	struct ww_mutex lock;
	struct dma_resv_list *fences;
};

/**
 * struct dma_resv_iter - iterator over the fences of a locked dma_resv
 * (the locked variant of mainline's: no RCU, no restarts)
 */
struct dma_resv_iter {
	struct dma_resv *obj;
	enum dma_resv_usage usage;
	struct dma_fence *fence;
	enum dma_resv_usage fence_usage;
	unsigned int index;
	struct dma_resv_list *fences;
};

void dma_resv_init(struct dma_resv *obj);
void dma_resv_fini(struct dma_resv *obj);
int dma_resv_reserve_fences(struct dma_resv *obj, unsigned int num_fences);
void dma_resv_add_fence(struct dma_resv *obj, struct dma_fence *fence,
			enum dma_resv_usage usage);
void dma_resv_reset_max_fences(struct dma_resv *obj);
struct dma_fence *dma_resv_iter_first(struct dma_resv_iter *cursor);
struct dma_fence *dma_resv_iter_next(struct dma_resv_iter *cursor);

static inline void dma_resv_iter_begin(struct dma_resv_iter *cursor, struct dma_resv *obj,
				       enum dma_resv_usage usage)
{
	cursor->obj = obj;
	cursor->usage = usage;
	cursor->fence = NULL;
	cursor->index = 0;
	cursor->fences = NULL;
}

static inline void dma_resv_iter_end(struct dma_resv_iter *cursor)
{
	(void)cursor;
}

static inline enum dma_resv_usage dma_resv_iter_usage(struct dma_resv_iter *cursor)
{
	return cursor->fence_usage;
}

/**
 * dma_resv_for_each_fence - fence iterator, with the object locked
 * @cursor: a struct dma_resv_iter pointer
 * @obj: a dma_resv object pointer
 * @usage: controls which fences to return (those of usage <= @usage)
 * @fence: the current fence; no reference is taken
 */
#define dma_resv_for_each_fence(cursor, obj, usage, fence)	\
	for (dma_resv_iter_begin(cursor, obj, usage),		\
	     fence = dma_resv_iter_first(cursor); fence;		\
	     fence = dma_resv_iter_next(cursor))

#define dma_resv_held(obj)		mutex_is_locked(&(obj)->lock.base)
#define dma_resv_assert_held(obj)	lockdep_assert_held(&(obj)->lock.base)

/**
 * dma_resv_lock - lock the reservation object
 * @obj: the reservation object
 * @ctx: the locking context, or NULL for a single lock
 *
 * Returns 0, or -EALREADY if @ctx already holds the lock (no -EDEADLK here:
 * see linux/ww_mutex.h).
 */
static inline int dma_resv_lock(struct dma_resv *obj, struct ww_acquire_ctx *ctx)
{
	return ww_mutex_lock(&obj->lock, ctx);
}

static inline int dma_resv_lock_interruptible(struct dma_resv *obj, struct ww_acquire_ctx *ctx)
{
	return ww_mutex_lock_interruptible(&obj->lock, ctx);
}

static inline void dma_resv_lock_slow(struct dma_resv *obj, struct ww_acquire_ctx *ctx)
{
	ww_mutex_lock_slow(&obj->lock, ctx);
}

static inline int dma_resv_lock_slow_interruptible(struct dma_resv *obj,
						   struct ww_acquire_ctx *ctx)
{
	return ww_mutex_lock_slow_interruptible(&obj->lock, ctx);
}

static inline bool dma_resv_trylock(struct dma_resv *obj)
{
	return ww_mutex_trylock(&obj->lock, NULL);
}

static inline bool dma_resv_is_locked(struct dma_resv *obj)
{
	return ww_mutex_is_locked(&obj->lock);
}

/* Unlocking lapses every reservation made under the lock (debug kernels). */
static inline void dma_resv_unlock(struct dma_resv *obj)
{
	dma_resv_reset_max_fences(obj);
	ww_mutex_unlock(&obj->lock);
}

#endif /* _LINUX_DMA_RESV_H */
