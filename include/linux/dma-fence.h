/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/dma-fence.h - cross-device completion fences with mainline 7.x
 * semantics (see docs/drm-sched-semantics.md): signalling runs the callbacks
 * synchronously under fence->lock in the signaller's context, a second signal
 * is a silent no-op, waits block through the platform seam.
 *
 * Bench additions: every entry point is a macro that passes the argument's
 * text along, so a use after free can be reported with the fence's role even
 * though the fence itself reads as poison; signal, add and remove callback are
 * scheduling points labelled with the fence's name ("job3.finished",
 * "ethosu-npu#3").
 */
#ifndef _LINUX_DMA_FENCE_H
#define _LINUX_DMA_FENCE_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/time.h>
#include <linux/wait.h>

struct dma_fence;
struct dma_fence_ops;
struct dma_fence_cb;

/**
 * struct dma_fence - software synchronization primitive
 * @lock: spin_lock_irqsave used for locking; guards @cb_list and the
 *	signalled transition
 * @ops: dma_fence_ops associated with this fence
 * @cb_list: list of all callbacks to call on signal
 * @timestamp: time of signal (valid once DMA_FENCE_FLAG_TIMESTAMP_BIT is set)
 * @context: execution context this fence belongs to
 * @seqno: the sequence number of this fence inside the execution context
 * @flags: DMA_FENCE_FLAG_* bits
 * @refcount: refcount for this fence
 * @error: optional error, set with dma_fence_set_error() before signalling
 *
 * The kernel overlays @cb_list, @timestamp and an rcu_head in a union; the
 * shim keeps them apart (nothing reads one through the other legitimately).
 *
 * Bench-only fields follow the kernel's: @kshim_magic (KSHIM_FENCE_MAGIC once
 * initialised, poison once freed), @kshim_role and @kshim_job (how traces
 * name the fence; set by the scheduler for its own fences).
 */
struct dma_fence {
	spinlock_t *lock;
	const struct dma_fence_ops *ops;
	struct list_head cb_list;
	ktime_t timestamp;
	u64 context;
	u64 seqno;
	unsigned long flags;
	struct kref refcount;
	int error;

	u32 kshim_magic;
	u32 kshim_role;
	u64 kshim_job;
};

#define KSHIM_FENCE_MAGIC	0x46454e43U	/* "FENC" */

/* How a fence is named in scheduling points and trace events. */
enum kshim_fence_role {
	KSHIM_FENCE_OTHER = 0,		/* "<timeline>#<seqno>", e.g. "ethosu-npu#3" */
	KSHIM_FENCE_SCHEDULED,		/* "job<id>.scheduled" */
	KSHIM_FENCE_FINISHED,		/* "job<id>.finished" */
};

enum dma_fence_flag_bits {
	DMA_FENCE_FLAG_SEQNO64_BIT,
	DMA_FENCE_FLAG_SIGNALED_BIT,
	DMA_FENCE_FLAG_TIMESTAMP_BIT,
	DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT,
	DMA_FENCE_FLAG_USER_BITS, /* must always be last member */
};

typedef void (*dma_fence_func_t)(struct dma_fence *fence, struct dma_fence_cb *cb);

/**
 * struct dma_fence_cb - callback for dma_fence_add_callback()
 * @node: used by dma_fence_add_callback() to append this struct to fence::cb_list;
 *	empty once the callback ran or was removed
 * @func: dma_fence_func_t to call
 */
struct dma_fence_cb {
	struct list_head node;
	dma_fence_func_t func;
};

/**
 * struct dma_fence_ops - operations implemented for fence
 * @get_driver_name: returns the driver name (mandatory)
 * @get_timeline_name: returns the timeline name (mandatory)
 * @enable_signaling: enable software signaling of fence; called under
 *	fence->lock on the first add_callback/wait; false means "already done",
 *	and the fence is then signalled
 * @signaled: peek whether the fence is signalled, as a fastpath (optional)
 * @wait: custom wait implementation (optional; the default is used otherwise)
 * @release: called on destruction of fence (optional; default frees it)
 * @set_deadline: hint of a deadline (optional; the shim never calls it)
 */
struct dma_fence_ops {
	const char *(*get_driver_name)(struct dma_fence *fence);
	const char *(*get_timeline_name)(struct dma_fence *fence);
	bool (*enable_signaling)(struct dma_fence *fence);
	bool (*signaled)(struct dma_fence *fence);
	signed long (*wait)(struct dma_fence *fence, bool intr, signed long timeout);
	void (*release)(struct dma_fence *fence);
	void (*set_deadline)(struct dma_fence *fence, ktime_t deadline);
};

/* The implementations; use the macros below, which pass the argument's text. */
void __dma_fence_init(struct dma_fence *fence, const struct dma_fence_ops *ops,
		      spinlock_t *lock, u64 context, u64 seqno, const char *expr);
void __dma_fence_init64(struct dma_fence *fence, const struct dma_fence_ops *ops,
			spinlock_t *lock, u64 context, u64 seqno, const char *expr);
struct dma_fence *__dma_fence_get(struct dma_fence *fence, const char *expr);
struct dma_fence *__dma_fence_get_rcu(struct dma_fence *fence, const char *expr);
void __dma_fence_put(struct dma_fence *fence, const char *expr);
void __dma_fence_signal(struct dma_fence *fence, const char *expr);
void __dma_fence_signal_locked(struct dma_fence *fence, const char *expr);
void __dma_fence_signal_timestamp(struct dma_fence *fence, ktime_t timestamp, const char *expr);
void __dma_fence_signal_timestamp_locked(struct dma_fence *fence, ktime_t timestamp,
					 const char *expr);
bool __dma_fence_check_and_signal(struct dma_fence *fence, const char *expr);
bool __dma_fence_check_and_signal_locked(struct dma_fence *fence, const char *expr);
bool __dma_fence_is_signaled(struct dma_fence *fence, const char *expr);
bool __dma_fence_is_signaled_locked(struct dma_fence *fence, const char *expr);
int __dma_fence_add_callback(struct dma_fence *fence, struct dma_fence_cb *cb,
			     dma_fence_func_t func, const char *expr);
bool __dma_fence_remove_callback(struct dma_fence *fence, struct dma_fence_cb *cb,
				 const char *expr);
void __dma_fence_enable_sw_signaling(struct dma_fence *fence, const char *expr);
void __dma_fence_set_error(struct dma_fence *fence, int error, const char *expr);
int __dma_fence_get_status(struct dma_fence *fence, const char *expr);
signed long __dma_fence_wait_timeout(struct dma_fence *fence, bool intr, signed long timeout,
				     const char *expr);

#define dma_fence_init(f, ops, lock, ctx, seq)	__dma_fence_init((f), (ops), (lock), (ctx), (seq), #f)
#define dma_fence_init64(f, ops, lock, ctx, seq) \
	__dma_fence_init64((f), (ops), (lock), (ctx), (seq), #f)
#define dma_fence_get(f)			__dma_fence_get((f), #f)
#define dma_fence_get_rcu(f)			__dma_fence_get_rcu((f), #f)
#define dma_fence_put(f)			__dma_fence_put((f), #f)
#define dma_fence_signal(f)			__dma_fence_signal((f), #f)
#define dma_fence_signal_locked(f)		__dma_fence_signal_locked((f), #f)
#define dma_fence_signal_timestamp(f, t)	__dma_fence_signal_timestamp((f), (t), #f)
#define dma_fence_signal_timestamp_locked(f, t)	__dma_fence_signal_timestamp_locked((f), (t), #f)
#define dma_fence_check_and_signal(f)		__dma_fence_check_and_signal((f), #f)
#define dma_fence_check_and_signal_locked(f)	__dma_fence_check_and_signal_locked((f), #f)
#define dma_fence_is_signaled(f)		__dma_fence_is_signaled((f), #f)
#define dma_fence_is_signaled_locked(f)		__dma_fence_is_signaled_locked((f), #f)
#define dma_fence_add_callback(f, cb, func)	__dma_fence_add_callback((f), (cb), (func), #f)
#define dma_fence_remove_callback(f, cb)	__dma_fence_remove_callback((f), (cb), #f)
#define dma_fence_enable_sw_signaling(f)	__dma_fence_enable_sw_signaling((f), #f)
#define dma_fence_set_error(f, err)		__dma_fence_set_error((f), (err), #f)
#define dma_fence_get_status(f)			__dma_fence_get_status((f), #f)
#define dma_fence_wait_timeout(f, intr, t)	__dma_fence_wait_timeout((f), (intr), (t), #f)

/**
 * dma_fence_wait - sleep until the fence gets signalled
 * @f: the fence to wait on (the caller holds a reference)
 * @intr: if true, do an interruptible wait (the shim has no signals)
 *
 * Returns 0 on success, -ERESTARTSYS if interrupted.
 */
#define dma_fence_wait(f, intr) ({					\
	signed long __r = __dma_fence_wait_timeout((f), (intr),		\
						   MAX_SCHEDULE_TIMEOUT, #f); \
	__r < 0 ? (int)__r : 0;						\
})

/* Only for the scheduler's own fences: names them "job<id>.<role>" in traces. */
void kshim_fence_set_role(struct dma_fence *fence, enum kshim_fence_role role, u64 job_id);
/*
 * The name traces use for a fence: "job<id>.finished" (ids below 65536 in
 * decimal, larger ones in 0x-hex), or "<timeline>#<seqno>".
 */
void kshim_fence_name(struct dma_fence *fence, char *buf, size_t len);

u64 dma_fence_context_alloc(unsigned int num);
void dma_fence_release(struct kref *kref);
void dma_fence_free(struct dma_fence *fence);

/* True once dma_fence_init() ran on a zero-allocated fence (it always sets ops). */
static inline bool dma_fence_was_initialized(struct dma_fence *fence)
{
	return fence && fence->ops;
}
signed long dma_fence_default_wait(struct dma_fence *fence, bool intr, signed long timeout);
const char *dma_fence_driver_name(struct dma_fence *fence);
const char *dma_fence_timeline_name(struct dma_fence *fence);

/* Lockdep annotations of the signalling critical section: no-ops here. */
static inline bool dma_fence_begin_signalling(void)
{
	return true;
}

static inline void dma_fence_end_signalling(bool cookie)
{
	(void)cookie;
}

static inline bool __dma_fence_is_later(struct dma_fence *fence, u64 f1, u64 f2)
{
	/* Small seqnos wrap at 32 bits unless the fence asked for 64 */
	if (test_bit(DMA_FENCE_FLAG_SEQNO64_BIT, &fence->flags))
		return f1 > f2;
	return (int)(lower_32_bits(f1) - lower_32_bits(f2)) > 0;
}

/**
 * dma_fence_is_later - return if f1 is chronologically later than f2
 * @f1: the first fence from the same context
 * @f2: the second fence from the same context
 */
static inline bool dma_fence_is_later(struct dma_fence *f1, struct dma_fence *f2)
{
	if (WARN_ON(f1->context != f2->context))
		return false;
	return __dma_fence_is_later(f1, f1->seqno, f2->seqno);
}

static inline bool dma_fence_is_later_or_same(struct dma_fence *f1, struct dma_fence *f2)
{
	return f1 == f2 || dma_fence_is_later(f1, f2);
}

static inline ktime_t dma_fence_timestamp(struct dma_fence *fence)
{
	if (test_bit(DMA_FENCE_FLAG_TIMESTAMP_BIT, &fence->flags))
		return fence->timestamp;
	return kshim_now();
}

#endif /* _LINUX_DMA_FENCE_H */
