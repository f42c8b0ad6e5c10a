// SPDX-License-Identifier: GPL-2.0-only
/*
 * dma_resv.c - reservation objects and the ww_mutex they lock with.
 *
 * The fence slots follow mainline: dma_resv_reserve_fences() makes room under
 * the lock, dma_resv_add_fence() fills a slot (replacing a fence of the same
 * context and no wider usage, or any signalled one) and keeps a reference.
 * As with CONFIG_DEBUG_MUTEXES, unlocking shrinks the reservation to what is
 * used, so a driver that adds without reserving hits the kernel's BUG_ON.
 */
#include <linux/dma-resv.h>
#include <linux/kernel.h>
#include <linux/slab.h>

#include "kshim.h"
#include "ethosu_bench.h"

/* Named "resv" in scheduling points: "mutex_lock(resv)". */
struct ww_class reservation_ww_class = {
	.acquire_name = "reservation_ww_class_acquire",
	.mutex_name = "resv",
};

/* ---- ww_mutex ---------------------------------------------------------- */

void ww_mutex_init(struct ww_mutex *lock, struct ww_class *ww_class)
{
	__mutex_init(&lock->base, ww_class->mutex_name);
	lock->ctx = NULL;
	lock->ww_class = ww_class;
}

void ww_mutex_destroy(struct ww_mutex *lock)
{
	mutex_destroy(&lock->base);
}

void ww_acquire_init(struct ww_acquire_ctx *ctx, struct ww_class *ww_class)
{
	ctx->ww_class = ww_class;
	ctx->acquired = 0;
	ctx->done_acquire = false;
}

/* Marks the end of the acquire phase: no more locks through @ctx. */
void ww_acquire_done(struct ww_acquire_ctx *ctx)
{
	WARN_ON(ctx->done_acquire);
	ctx->done_acquire = true;
}

/* Every lock taken through @ctx must have been released (lockdep's check). */
void ww_acquire_fini(struct ww_acquire_ctx *ctx)
{
	if (ctx->acquired)
		kshim_finding(EBENCH_F_WARN,
			      "WARNING: ww_acquire_fini() with %u %s lock(s) still held: DEBUG_LOCKS_WARN_ON(ctx->acquired)",
			      ctx->acquired, ctx->ww_class ? ctx->ww_class->mutex_name : "ww");
}

static void ww_mutex_set_ctx(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	lock->ctx = ctx;
	if (ctx)
		ctx->acquired++;
}

/**
 * ww_mutex_lock - acquire the w/w mutex
 * @lock: the mutex to be acquired
 * @ctx: w/w acquire context, or NULL to acquire only a single lock
 *
 * Returns 0, or -EALREADY if @ctx already holds @lock. The bench takes
 * reservations in one order, so the wound/die back-off (-EDEADLK) that
 * mainline needs for arbitrary orders is not modelled.
 */
int ww_mutex_lock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	if (ctx) {
		/* lock->ctx equals ctx only if this very context set it */
		if (__atomic_load_n(&lock->ctx, __ATOMIC_RELAXED) == ctx)
			return -EALREADY;
		WARN_ON(ctx->done_acquire);
	}
	mutex_lock(&lock->base);
	ww_mutex_set_ctx(lock, ctx);
	return 0;
}

int ww_mutex_lock_interruptible(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	return ww_mutex_lock(lock, ctx);
}

void ww_mutex_lock_slow(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	/* Only legal with no other lock held through ctx */
	if (ctx)
		WARN_ON(ctx->acquired);
	ww_mutex_lock(lock, ctx);
}

int ww_mutex_lock_slow_interruptible(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	ww_mutex_lock_slow(lock, ctx);
	return 0;
}

int ww_mutex_trylock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	if (!mutex_trylock(&lock->base))
		return 0;
	ww_mutex_set_ctx(lock, ctx);
	return 1;
}

void ww_mutex_unlock(struct ww_mutex *lock)
{
	struct ww_acquire_ctx *ctx = lock->ctx;

	if (ctx) {
		if (ctx->acquired > 0)
			ctx->acquired--;
		lock->ctx = NULL;
	}
	mutex_unlock(&lock->base);
}

/* ---- fence slots ------------------------------------------------------- */

struct dma_resv_slot {
	struct dma_fence *fence;
	enum dma_resv_usage usage;
};

/*
 * num_fences slots are in use; max_fences are allocated (the reservation).
 * Mainline packs the usage in the pointer's low bits; a pair is clearer.
 */
struct dma_resv_list {
	u32 num_fences;
	u32 max_fences;
	struct dma_resv_slot table[];
};

static struct dma_resv_list *dma_resv_list_alloc(unsigned int max_fences)
{
	struct dma_resv_list *list;

	list = kmalloc(sizeof(*list) + size_mul(max_fences, sizeof(list->table[0])), GFP_KERNEL);
	if (!list)
		return NULL;
	list->num_fences = 0;
	list->max_fences = max_fences;
	return list;
}

static void dma_resv_list_free(struct dma_resv_list *list)
{
	unsigned int i;

	if (!list)
		return;
	for (i = 0; i < list->num_fences; ++i)
		dma_fence_put(list->table[i].fence);
	kfree(list);
}

void dma_resv_init(struct dma_resv *obj)
{
	ww_mutex_init(&obj->lock, &reservation_ww_class);
	obj->fences = NULL;
}

/* The object is dead: drop every fence it still holds. */
void dma_resv_fini(struct dma_resv *obj)
{
	dma_resv_list_free(obj->fences);
	obj->fences = NULL;
	ww_mutex_destroy(&obj->lock);
}

static unsigned int roundup_pow_of_two_u(unsigned int n)
{
	unsigned int r = 1;

	while (r < n)
		r <<= 1;
	return r;
}

/**
 * dma_resv_reserve_fences - reserve space to add fences to a dma_resv object
 * @obj: reservation object, locked
 * @num_fences: number of fences we want to add
 *
 * Must be called under the lock, before dma_resv_add_fence(); the
 * reservation holds until dma_resv_unlock(). Signalled fences are dropped
 * while the list is copied.
 *
 * Returns 0 on success, -EINVAL for zero fences, -ENOMEM.
 */
int dma_resv_reserve_fences(struct dma_resv *obj, unsigned int num_fences)
{
	struct dma_resv_list *old, *new;
	unsigned int i, j, k, max;

	dma_resv_assert_held(obj);

	/* Zero usually points to a bug in counting the slots needed */
	if (WARN_ON(!num_fences))
		return -EINVAL;

	old = obj->fences;
	if (old && old->max_fences) {
		if ((old->num_fences + num_fences) <= old->max_fences)
			return 0;
		max = max(old->num_fences + num_fences, old->max_fences * 2);
	} else {
		max = max(4u, roundup_pow_of_two_u(num_fences));
	}

	new = dma_resv_list_alloc(max);
	if (!new)
		return -ENOMEM;

	/* Live fences move over; signalled ones collect at the end, to drop */
	for (i = 0, j = 0, k = max; i < (old ? old->num_fences : 0); ++i) {
		struct dma_resv_slot *slot = &old->table[i];

		if (dma_fence_is_signaled(slot->fence))
			new->table[--k] = *slot;
		else
			new->table[j++] = *slot;
	}
	new->num_fences = j;

	obj->fences = new;
	for (i = k; i < max; ++i)
		dma_fence_put(new->table[i].fence);
	kfree(old);
	return 0;
}

/* Debug kernels: a reservation lapses when the lock is dropped. */
void dma_resv_reset_max_fences(struct dma_resv *obj)
{
	struct dma_resv_list *fences = obj->fences;

	dma_resv_assert_held(obj);
	if (fences)
		fences->max_fences = fences->num_fences;
}

/**
 * dma_resv_add_fence - add a fence to the dma_resv obj
 * @obj: the reservation object, locked, with a slot reserved
 * @fence: the fence to add; the object takes its own reference
 * @usage: how the fence is used
 *
 * Replaces a fence of the same context whose usage is not narrower and which
 * @fence supersedes, or any signalled fence; otherwise fills a reserved slot.
 */
void dma_resv_add_fence(struct dma_resv *obj, struct dma_fence *fence,
			enum dma_resv_usage usage)
{
	struct dma_resv_list *fobj;
	unsigned int i, count;

	dma_fence_get(fence);

	dma_resv_assert_held(obj);

	fobj = obj->fences;
	if (!fobj) {
		/* Mainline reads fobj->num_fences here */
		kshim_finding(EBENCH_F_OOPS,
			      "BUG: kernel NULL pointer dereference in dma_resv_add_fence: no fence slot was ever reserved");
		dma_fence_put(fence);
		return;
	}
	count = fobj->num_fences;

	for (i = 0; i < count; ++i) {
		struct dma_resv_slot *slot = &fobj->table[i];
		struct dma_fence *old = slot->fence;

		if ((old->context == fence->context && slot->usage >= usage &&
		     dma_fence_is_later_or_same(fence, old)) ||
		    dma_fence_is_signaled(old)) {
			slot->fence = fence;
			slot->usage = usage;
			dma_fence_put(old);
			return;
		}
	}

	if (fobj->num_fences >= fobj->max_fences) {
		/* The kernel dies here; the run goes on without the fence */
		BUG_ON(fobj->num_fences >= fobj->max_fences);
		dma_fence_put(fence);
		return;
	}

	fobj->table[count].fence = fence;
	fobj->table[count].usage = usage;
	__atomic_store_n(&fobj->num_fences, count + 1, __ATOMIC_SEQ_CST);
}

/* ---- iteration (object locked) ------------------------------------------ */

struct dma_fence *dma_resv_iter_next(struct dma_resv_iter *cursor)
{
	struct dma_resv_slot *slot;

	dma_resv_assert_held(cursor->obj);

	do {
		if (!cursor->fences || cursor->index >= cursor->fences->num_fences)
			return NULL;
		slot = &cursor->fences->table[cursor->index++];
	} while (slot->usage > cursor->usage);

	cursor->fence = slot->fence;
	cursor->fence_usage = slot->usage;
	return slot->fence;
}

struct dma_fence *dma_resv_iter_first(struct dma_resv_iter *cursor)
{
	dma_resv_assert_held(cursor->obj);

	cursor->index = 0;
	cursor->fences = cursor->obj->fences;
	return dma_resv_iter_next(cursor);
}
