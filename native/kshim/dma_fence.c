// SPDX-License-Identifier: GPL-2.0-only
/*
 * dma_fence.c - dma_fence with mainline 7.x semantics: signalling sets the
 * signalled bit and runs every callback synchronously under fence->lock, in
 * the signaller's context; a second signal does nothing (dma_fence_signal is
 * void; dma_fence_check_and_signal() tells); waits sleep through the seam.
 *
 * Every entry point first checks whether the fence (or the pointer to it) reads
 * as slab poison, and reports a use after free instead of touching it.
 *
 * Needs from the core (native/kshim/core.c):
 *	u64 *kshim_fence_context_counter(void);
 * the calling device's fence-context counter, zero at device creation: the
 * contexts handed out are counter + 1, so they count up from 1 per device.
 */
#include <stdio.h>

#include <linux/dma-fence.h>
#include <linux/kernel.h>
#include <linux/slab.h>

#include "kshim.h"
#include "ethosu_bench.h"

u64 *kshim_fence_context_counter(void);

#define FENCE_NAME_LEN	64

/* ---- naming and checks ------------------------------------------------ */

static void format_job(char *buf, size_t len, u64 id, const char *role)
{
	if (id < 65536)
		snprintf(buf, len, "job%llu.%s", (unsigned long long)id, role);
	else
		snprintf(buf, len, "job%#llx.%s", (unsigned long long)id, role);
}

void kshim_fence_name(struct dma_fence *fence, char *buf, size_t len)
{
	const char *timeline = "fence";

	switch (fence->kshim_role) {
	case KSHIM_FENCE_SCHEDULED:
		format_job(buf, len, fence->kshim_job, "scheduled");
		return;
	case KSHIM_FENCE_FINISHED:
		format_job(buf, len, fence->kshim_job, "finished");
		return;
	default:
		break;
	}
	if (fence->ops && fence->ops->get_timeline_name)
		timeline = fence->ops->get_timeline_name(fence);
	snprintf(buf, len, "%s#%llu", timeline, (unsigned long long)fence->seqno);
}

void kshim_fence_set_role(struct dma_fence *fence, enum kshim_fence_role role, u64 job_id)
{
	fence->kshim_role = role;
	fence->kshim_job = job_id;
}

/* enum ebench_fence_role: a fence made inside run_job is that job's hardware fence. */
static int fence_role(const struct dma_fence *fence)
{
	switch (fence->kshim_role) {
	case KSHIM_FENCE_SCHEDULED:
		return EBENCH_FENCE_SCHEDULED;
	case KSHIM_FENCE_FINISHED:
		return EBENCH_FENCE_FINISHED;
	default:
		return fence->kshim_job ? EBENCH_FENCE_HW : EBENCH_FENCE_OTHER;
	}
}

/* The fence in a point label (%j: the job the point's argument names), and in a wait label. */
static const char *const role_in_point[] = {
	[EBENCH_FENCE_OTHER] = "fence",
	[EBENCH_FENCE_SCHEDULED] = "%j.scheduled",
	[EBENCH_FENCE_FINISHED] = "%j.finished",
	[EBENCH_FENCE_HW] = "%j.hw_fence",
};
static const char *const role_in_wait[] = {
	[EBENCH_FENCE_OTHER] = "fence",
	[EBENCH_FENCE_SCHEDULED] = "scheduled",
	[EBENCH_FENCE_FINISHED] = "finished",
	[EBENCH_FENCE_HW] = "hw_fence",
};

/* A scheduling point on fence: op_fmt has one %s for the fence, e.g. "dma_fence_signal(%s)". */
static void fence_point(int kind, const char *op_fmt, struct dma_fence *fence)
{
	kshim_point(kshim_label_s(kind, op_fmt, role_in_point[fence_role(fence)]), fence,
		    fence->kshim_job);
}

/*
 * A fence pointer read from freed memory, or a fence inside freed memory:
 * report the use after free with the operation and the fence's role (from
 * the caller's expression, since the fence itself is poison).
 */
static bool fence_freed(struct dma_fence *fence, const char *op, const char *expr)
{
	char site[FENCE_NAME_LEN];

	if (!kshim_poisoned_ptr(fence) && !kshim_poisoned_u32(&fence->kshim_magic))
		return false;
	snprintf(site, sizeof(site), "%s(%s)", op, kshim_role(expr));
	if (kshim_poisoned_ptr(fence))
		kshim_finding_at(EBENCH_F_UAF, site,
				 "BUG: KASAN: slab-use-after-free in %s: fence pointer read from freed memory",
				 site);
	else
		kshim_finding_at(EBENCH_F_UAF, site,
				 "BUG: KASAN: slab-use-after-free in %s: the fence was already freed", site);
	return true;
}

/*
 * A fence that was never dma_fence_init()ed has no lock and no ops: the
 * kernel oopses on the first dereference. Report that and do not crash.
 */
static bool fence_uninit(struct dma_fence *fence, const char *op, const char *expr)
{
	char site[FENCE_NAME_LEN];

	if (fence->lock && fence->ops)
		return false;
	snprintf(site, sizeof(site), "%s(%s)", op, kshim_role(expr));
	kshim_finding_at(EBENCH_F_OOPS, site,
			 "BUG: kernel NULL pointer dereference in %s: fence never initialised", site);
	return true;
}

const char *dma_fence_driver_name(struct dma_fence *fence)
{
	return fence->ops->get_driver_name(fence);
}

const char *dma_fence_timeline_name(struct dma_fence *fence)
{
	return fence->ops->get_timeline_name(fence);
}

/* ---- init, references, release ---------------------------------------- */

static void fence_init(struct dma_fence *fence, const struct dma_fence_ops *ops,
		       spinlock_t *lock, u64 context, u64 seqno, unsigned long flags,
		       const char *expr)
{
	if (fence_freed(fence, "dma_fence_init", expr))
		return;
	if (!lock || !ops || !ops->get_driver_name || !ops->get_timeline_name) {
		BUG_ON(!lock);
		BUG_ON(!ops || !ops->get_driver_name || !ops->get_timeline_name);
		return;
	}

	kref_init(&fence->refcount);
	fence->ops = ops;
	INIT_LIST_HEAD(&fence->cb_list);
	fence->timestamp = 0;
	fence->lock = lock;
	fence->context = context;
	fence->seqno = seqno;
	fence->flags = flags;
	fence->error = 0;
	fence->kshim_magic = KSHIM_FENCE_MAGIC;
	fence->kshim_role = KSHIM_FENCE_OTHER;
	/* a fence made inside run_job is that job's hardware fence */
	fence->kshim_job = kshim_cur ? kshim_cur->running_job : 0;
	kshim_count(KC_FENCES_LIVE, 1);
}

/**
 * dma_fence_init - initialize a custom fence
 * @fence: the fence to initialize
 * @ops: the dma_fence_ops for operations on this fence
 * @lock: the irqsafe spinlock to use for locking this fence
 * @context: the execution context this fence is run on
 * @seqno: a linear increasing sequence number for this context
 *
 * Refcount 1, no flags, error 0, empty callback list.
 */
void __dma_fence_init(struct dma_fence *fence, const struct dma_fence_ops *ops,
		      spinlock_t *lock, u64 context, u64 seqno, const char *expr)
{
	fence_init(fence, ops, lock, context, seqno, 0UL, expr);
}

void __dma_fence_init64(struct dma_fence *fence, const struct dma_fence_ops *ops,
			spinlock_t *lock, u64 context, u64 seqno, const char *expr)
{
	fence_init(fence, ops, lock, context, seqno, BIT(DMA_FENCE_FLAG_SEQNO64_BIT), expr);
}

struct dma_fence *__dma_fence_get(struct dma_fence *fence, const char *expr)
{
	if (!fence)
		return NULL;
	if (fence_freed(fence, "dma_fence_get", expr))
		return fence;
	kref_get(&fence->refcount);
	return fence;
}

/* NULL when the refcount already dropped to zero. */
struct dma_fence *__dma_fence_get_rcu(struct dma_fence *fence, const char *expr)
{
	if (!fence)
		return NULL;
	if (fence_freed(fence, "dma_fence_get_rcu", expr))
		return NULL;
	if (kref_get_unless_zero(&fence->refcount))
		return fence;
	return NULL;
}

void __dma_fence_put(struct dma_fence *fence, const char *expr)
{
	if (!fence)
		return;
	if (fence_freed(fence, "dma_fence_put", expr))
		return;
	kref_put(&fence->refcount, dma_fence_release);
}

/* kfree_rcu() in mainline: valid until the signaller's locked section ends. */
void dma_fence_free(struct dma_fence *fence)
{
	kshim_free_rcu(fence, __func__);
}

/**
 * dma_fence_release - default release function for fences
 * @kref: &dma_fence.refcount
 *
 * A fence released unsignalled with callbacks still queued is a refcounting
 * bug: warn, then signal it with -EDEADLK so no chain is left dangling, as
 * mainline does. Then ops->release, or kfree.
 */
void dma_fence_release(struct kref *kref)
{
	struct dma_fence *fence = container_of(kref, struct dma_fence, refcount);

	if (!list_empty(&fence->cb_list) &&
	    !test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags)) {
		char name[FENCE_NAME_LEN];
		unsigned long flags;

		kshim_fence_name(fence, name, sizeof(name));
		kshim_finding(EBENCH_F_WARN,
			      "WARNING: Fence %s:%s:%llx:%llx released with pending signals! (%s)",
			      dma_fence_driver_name(fence), dma_fence_timeline_name(fence),
			      (unsigned long long)fence->context,
			      (unsigned long long)fence->seqno, name);

		spin_lock_irqsave(fence->lock, flags);
		fence->error = -EDEADLK;
		dma_fence_signal_locked(fence);
		spin_unlock_irqrestore(fence->lock, flags);
	}

	kshim_count(KC_FENCES_LIVE, -1);
	if (fence->ops->release)
		fence->ops->release(fence);
	else
		dma_fence_free(fence);
}

/* ---- signalling -------------------------------------------------------- */

/* What the trace records when a fence signals (type: FENCE_SIGNAL, or FENCE_RESIGNAL if it had). */
static void fence_signal_event(int type, struct dma_fence *fence)
{
	int role = fence_role(fence);

	if (role == EBENCH_FENCE_FINISHED && type == EBENCH_EV_FENCE_SIGNAL)
		kshim_count(KC_JOBS_DONE, 1);
	kshim_event(type, role, 0, fence->kshim_job, fence, fence->error, (s64)fence->seqno);
}

/*
 * The signal proper; caller holds fence->lock. Returns true if the fence was
 * already signalled (then nothing happens: 7.x does not warn, the trace notes
 * it). Callbacks run here, under the lock, each with its node re-initialised
 * first so dma_fence_remove_callback() sees it as gone.
 */
static bool fence_signal_locked(struct dma_fence *fence, ktime_t timestamp)
{
	struct dma_fence_cb *cur, *tmp;
	struct list_head cb_list;

	if (unlikely(test_and_set_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))) {
		fence_signal_event(EBENCH_EV_FENCE_RESIGNAL, fence);
		return true;
	}

	/* Stash the callbacks: the kernel's cb_list becomes the timestamp now */
	INIT_LIST_HEAD(&cb_list);
	if (!list_empty(&fence->cb_list)) {
		cb_list.next = fence->cb_list.next;
		cb_list.prev = fence->cb_list.prev;
		cb_list.next->prev = &cb_list;
		cb_list.prev->next = &cb_list;
		INIT_LIST_HEAD(&fence->cb_list);
	}

	fence->timestamp = timestamp;
	set_bit(DMA_FENCE_FLAG_TIMESTAMP_BIT, &fence->flags);
	fence_signal_event(EBENCH_EV_FENCE_SIGNAL, fence);

	list_for_each_entry_safe(cur, tmp, &cb_list, node) {
		/*
		 * A callback whose owner was freed while it was still queued: the
		 * kernel follows the freed node (KASAN reports it); the walk stops.
		 */
		if (kshim_poisoned_ptr(cur->node.next) || kshim_poisoned_ptr((void *)cur->func)) {
			kshim_finding(EBENCH_F_UAF,
				      "BUG: KASAN: slab-use-after-free in dma_fence_signal: a queued callback's owner was freed before the fence signalled");
			break;
		}
		INIT_LIST_HEAD(&cur->node);
		cur->func(fence, cur);
	}
	return false;
}

/* Checks shared by the signal entry points, then their scheduling point. */
static bool signal_prologue(struct dma_fence *fence, const char *op, const char *expr)
{
	if (WARN_ON(!fence))
		return false;
	if (fence_freed(fence, op, expr) || fence_uninit(fence, op, expr))
		return false;
	fence_point(EBENCH_PT_FENCE_SIGNAL, "dma_fence_signal(%s)", fence);
	return true;
}

static bool fence_signal(struct dma_fence *fence, ktime_t *timestamp, const char *op,
			 const char *expr)
{
	unsigned long flags;
	bool was;

	if (!signal_prologue(fence, op, expr))
		return true;
	spin_lock_irqsave(fence->lock, flags);
	was = fence_signal_locked(fence, timestamp ? *timestamp : ktime_get());
	spin_unlock_irqrestore(fence->lock, flags);
	return was;
}

static bool fence_signal_under_lock(struct dma_fence *fence, ktime_t *timestamp,
				    const char *op, const char *expr)
{
	if (!signal_prologue(fence, op, expr))
		return true;
	lockdep_assert_held_spin(fence->lock);
	return fence_signal_locked(fence, timestamp ? *timestamp : ktime_get());
}

/**
 * dma_fence_signal - signal completion of a fence
 * @fence: the fence to signal
 *
 * Takes fence->lock with interrupts off, sets the signalled bit and runs
 * every queued callback under the lock, in the caller's context. On an
 * already signalled fence it does nothing.
 */
void __dma_fence_signal(struct dma_fence *fence, const char *expr)
{
	fence_signal(fence, NULL, "dma_fence_signal", expr);
}

void __dma_fence_signal_timestamp(struct dma_fence *fence, ktime_t timestamp, const char *expr)
{
	fence_signal(fence, &timestamp, "dma_fence_signal_timestamp", expr);
}

/* As dma_fence_signal(), with fence->lock already held by the caller. */
void __dma_fence_signal_locked(struct dma_fence *fence, const char *expr)
{
	fence_signal_under_lock(fence, NULL, "dma_fence_signal_locked", expr);
}

void __dma_fence_signal_timestamp_locked(struct dma_fence *fence, ktime_t timestamp,
					 const char *expr)
{
	fence_signal_under_lock(fence, &timestamp, "dma_fence_signal_timestamp_locked", expr);
}

/**
 * dma_fence_check_and_signal - signal a fence, telling whether it already was
 * @fence: the fence to signal
 *
 * Returns true if the fence was already signalled (nothing was done).
 */
bool __dma_fence_check_and_signal(struct dma_fence *fence, const char *expr)
{
	return fence_signal(fence, NULL, "dma_fence_check_and_signal", expr);
}

bool __dma_fence_check_and_signal_locked(struct dma_fence *fence, const char *expr)
{
	return fence_signal_under_lock(fence, NULL, "dma_fence_check_and_signal_locked", expr);
}

bool __dma_fence_is_signaled(struct dma_fence *fence, const char *expr)
{
	/* Poison has the signalled bit set: the kernel would answer true */
	if (fence_freed(fence, "dma_fence_is_signaled", expr))
		return true;
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		return true;
	if (fence_uninit(fence, "dma_fence_is_signaled", expr))
		return false;
	if (fence->ops->signaled && fence->ops->signaled(fence)) {
		dma_fence_signal(fence);
		return true;
	}
	return false;
}

bool __dma_fence_is_signaled_locked(struct dma_fence *fence, const char *expr)
{
	if (fence_freed(fence, "dma_fence_is_signaled_locked", expr))
		return true;
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		return true;
	if (fence_uninit(fence, "dma_fence_is_signaled_locked", expr))
		return false;
	if (fence->ops->signaled && fence->ops->signaled(fence)) {
		dma_fence_signal_locked(fence);
		return true;
	}
	return false;
}

/* ---- callbacks --------------------------------------------------------- */

/* Caller holds fence->lock. False if the fence is (now) signalled. */
static bool __dma_fence_enable_signaling(struct dma_fence *fence)
{
	bool was_set;

	lockdep_assert_held_spin(fence->lock);

	was_set = test_and_set_bit(DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT, &fence->flags);

	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		return false;

	if (!was_set && fence->ops->enable_signaling) {
		if (!fence->ops->enable_signaling(fence)) {
			dma_fence_signal_locked(fence);
			return false;
		}
	}
	return true;
}

void __dma_fence_enable_sw_signaling(struct dma_fence *fence, const char *expr)
{
	unsigned long flags;

	if (fence_freed(fence, "dma_fence_enable_sw_signaling", expr) ||
	    fence_uninit(fence, "dma_fence_enable_sw_signaling", expr))
		return;
	spin_lock_irqsave(fence->lock, flags);
	__dma_fence_enable_signaling(fence);
	spin_unlock_irqrestore(fence->lock, flags);
}

/**
 * dma_fence_add_callback - add a callback to be called when the fence is signalled
 * @fence: the fence to wait on
 * @cb: the callback to register
 * @func: the function to call
 *
 * Returns 0 when queued; -ENOENT if the fence is already signalled, in which
 * case @func is not called and @cb's node is initialised empty; -EINVAL on
 * a NULL fence or function.
 */
/* true if cb is on fence's callback list (fence->lock held) */
static bool cb_queued(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct dma_fence_cb *cur;

	list_for_each_entry(cur, &fence->cb_list, node) {
		if (cur == cb)
			return true;
	}
	return false;
}

int __dma_fence_add_callback(struct dma_fence *fence, struct dma_fence_cb *cb,
			     dma_fence_func_t func, const char *expr)
{
	unsigned long flags;
	int ret = 0;

	if (WARN_ON(!fence || !func))
		return -EINVAL;
	if (fence_freed(fence, "dma_fence_add_callback", expr)) {
		INIT_LIST_HEAD(&cb->node);
		return -ENOENT;
	}
	fence_point(EBENCH_PT_FENCE_ADD_CB, "dma_fence_add_callback(%s)", fence);

	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags)) {
		INIT_LIST_HEAD(&cb->node);
		return -ENOENT;
	}
	if (fence_uninit(fence, "dma_fence_add_callback", expr)) {
		INIT_LIST_HEAD(&cb->node);
		return -EINVAL;
	}

	spin_lock_irqsave(fence->lock, flags);
	if (__dma_fence_enable_signaling(fence)) {
		if (cb_queued(fence, cb)) {
			/*
			 * CONFIG_DEBUG_LIST: list_add of a node already on the list is
			 * reported and not done (without it the list is corrupted).
			 */
			char name[FENCE_NAME_LEN];

			spin_unlock_irqrestore(fence->lock, flags);
			kshim_fence_name(fence, name, sizeof(name));
			kshim_finding(EBENCH_F_WARN,
				      "WARNING: list_add double add: dma_fence_add_callback(%s) queues a callback already queued on it",
				      name);
			return 0;
		}
		cb->func = func;
		list_add_tail(&cb->node, &fence->cb_list);
	} else {
		INIT_LIST_HEAD(&cb->node);
		ret = -ENOENT;
	}
	spin_unlock_irqrestore(fence->lock, flags);
	return ret;
}

/**
 * dma_fence_remove_callback - remove a callback from the signalling list
 * @fence: the fence to wait on
 * @cb: the callback to remove
 *
 * Returns true if the callback was still queued and is now removed; false if
 * it already ran (signalling holds the same lock, so there is no middle).
 */
bool __dma_fence_remove_callback(struct dma_fence *fence, struct dma_fence_cb *cb,
				 const char *expr)
{
	unsigned long flags;
	bool ret;

	if (fence_freed(fence, "dma_fence_remove_callback", expr) ||
	    fence_uninit(fence, "dma_fence_remove_callback", expr))
		return false;
	fence_point(EBENCH_PT_FENCE_REMOVE_CB, "dma_fence_remove_callback(%s)", fence);

	spin_lock_irqsave(fence->lock, flags);
	/* the callback's owner may have been freed while the caller waited for the lock */
	if (kshim_poisoned_ptr(cb->node.next) || kshim_poisoned_ptr(cb->node.prev)) {
		char site[FENCE_NAME_LEN];

		spin_unlock_irqrestore(fence->lock, flags);
		snprintf(site, sizeof(site), "dma_fence_remove_callback(%s)", kshim_role(expr));
		kshim_finding_at(EBENCH_F_UAF, site,
				 "BUG: KASAN: slab-use-after-free in %s: the callback's owner was freed",
				 site);
		return false;
	}
	ret = !list_empty(&cb->node);
	if (ret)
		list_del_init(&cb->node);
	spin_unlock_irqrestore(fence->lock, flags);
	return ret;
}

/* ---- error and status -------------------------------------------------- */

/*
 * dma_fence_set_error - flag an error condition on the fence; must come
 * before signalling. Mainline warns otherwise, and sets it all the same.
 */
void __dma_fence_set_error(struct dma_fence *fence, int error, const char *expr)
{
	if (fence_freed(fence, "dma_fence_set_error", expr))
		return;
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags)) {
		char name[FENCE_NAME_LEN];

		kshim_fence_name(fence, name, sizeof(name));
		kshim_finding(EBENCH_F_FENCE,
			      "WARNING: dma_fence_set_error(%s, %d) on a signalled fence: WARN_ON(test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))",
			      name, error);
	}
	if (error >= 0 || error < -MAX_ERRNO)
		kshim_finding(EBENCH_F_WARN,
			      "WARNING: dma_fence_set_error(%s, %d): WARN_ON(error >= 0 || error < -MAX_ERRNO)",
			      kshim_role(expr), error);
	fence->error = error;
}

/* 0 while pending, 1 when signalled without error, else the error. */
int __dma_fence_get_status(struct dma_fence *fence, const char *expr)
{
	unsigned long flags;
	int status;

	if (fence_freed(fence, "dma_fence_get_status", expr) ||
	    fence_uninit(fence, "dma_fence_get_status", expr))
		return -EINVAL;
	spin_lock_irqsave(fence->lock, flags);
	if (dma_fence_is_signaled_locked(fence))
		status = fence->error ?: 1;
	else
		status = 0;
	spin_unlock_irqrestore(fence->lock, flags);
	return status;
}

/* Per device, counting up from 1 (see the top of this file). */
u64 dma_fence_context_alloc(unsigned int num)
{
	WARN_ON(!num);
	return __atomic_fetch_add(kshim_fence_context_counter(), (u64)num, __ATOMIC_RELAXED) + 1;
}

/* ---- waiting ----------------------------------------------------------- */

struct default_wait_cb {
	struct dma_fence_cb base;
	u32 woken;		/* the seam's wait word: set by the callback */
};

static void dma_fence_default_wait_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct default_wait_cb *wait = container_of(cb, struct default_wait_cb, base);

	__atomic_store_n(&wait->woken, 1, __ATOMIC_SEQ_CST);
	kshim_wake(&wait->woken);
}

/* Jiffies left until deadline, at least 1 while time remains. */
static signed long jiffies_left(u64 deadline)
{
	u64 now = kshim_now();

	if (now >= deadline)
		return 0;
	return (signed long)nsecs_to_jiffies(deadline - now) + 1;
}

/**
 * dma_fence_default_wait - default sleep until the fence gets signalled
 * @fence: the fence to wait on
 * @intr: interruptible wait (the shim has no signals: ignored)
 * @timeout: timeout in jiffies, or MAX_SCHEDULE_TIMEOUT
 *
 * Queues a callback that wakes this context and sleeps on it through the
 * platform seam (never a busy wait). The callback's word lives on this stack:
 * that is safe because the signaller runs it under fence->lock, which this
 * function takes again before returning.
 *
 * Returns the remaining timeout in jiffies (at least 1; 1 for a zero timeout
 * on a signalled fence), or 0 if the wait timed out.
 */
signed long dma_fence_default_wait(struct dma_fence *fence, bool intr, signed long timeout)
{
	struct default_wait_cb cb;
	u32 what = kshim_label_s(EBENCH_WAIT_FENCE, "dma_fence_wait(%s)", role_in_wait[fence_role(fence)]);
	signed long ret = timeout ? timeout : 1;
	unsigned long flags;
	u64 deadline = U64_MAX;

	(void)intr;
	if (timeout && timeout != MAX_SCHEDULE_TIMEOUT)
		deadline = kshim_now() + jiffies_to_nsecs(timeout);

	spin_lock_irqsave(fence->lock, flags);

	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		goto out;

	if (!timeout) {
		ret = 0;
		goto out;
	}

	cb.base.func = dma_fence_default_wait_cb;
	cb.woken = 0;
	list_add(&cb.base.node, &fence->cb_list);

	while (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags) && ret > 0) {
		int timed_out;

		spin_unlock_irqrestore(fence->lock, flags);
		timed_out = kshim_wait(&cb.woken, 0, deadline, what) == -ETIMEDOUT;
		if (deadline != U64_MAX)
			ret = timed_out ? 0 : jiffies_left(deadline);
		spin_lock_irqsave(fence->lock, flags);
	}
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags) && ret <= 0)
		ret = 1;

	if (!list_empty(&cb.base.node))
		list_del(&cb.base.node);
out:
	spin_unlock_irqrestore(fence->lock, flags);
	return ret;
}

/**
 * dma_fence_wait_timeout - sleep until the fence gets signalled or until timeout elapses
 * @fence: the fence to wait on (the caller holds a reference)
 * @intr: if true, do an interruptible wait
 * @timeout: timeout value in jiffies, or MAX_SCHEDULE_TIMEOUT
 *
 * Returns -ERESTARTSYS if interrupted, 0 if the wait timed out, or the
 * remaining timeout in jiffies on success. A sleeping call: waiting in
 * atomic context is a finding.
 */
signed long __dma_fence_wait_timeout(struct dma_fence *fence, bool intr, signed long timeout,
				     const char *expr)
{
	if (WARN_ON(timeout < 0))
		return -EINVAL;
	if (fence_freed(fence, "dma_fence_wait_timeout", expr))
		return timeout ? timeout : 1;
	if (fence_uninit(fence, "dma_fence_wait_timeout", expr))
		return -EINVAL;

	kshim_might_sleep("dma_fence_wait");
	dma_fence_enable_sw_signaling(fence);

	if (fence->ops->wait)
		return fence->ops->wait(fence, intr, timeout);
	return dma_fence_default_wait(fence, intr, timeout);
}
