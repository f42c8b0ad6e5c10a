/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim.h - the core of the kernel shims: per-device state, contexts and the
 * platform seam every blocking, waiting, time and scheduling point goes
 * through (free-running or controlled, chosen per device).
 */
#ifndef KSHIM_H
#define KSHIM_H

#include <linux/types.h>
#include <linux/list.h>
#include <stdarg.h>
#include <pthread.h>

struct ebench_dev;
struct workqueue_struct;
struct device;

/* One kernel execution context: a thread bound with ebench_ctx_bind(). */
struct kshim_ctx {
	struct ebench_dev *kd;
	int kind;		/* enum ebench_ctx_kind */
	int id;			/* the caller's number for it (trace) */
	int atomic;		/* spinlocks held / irqs disabled depth */
	int hardirq;		/* running the primary IRQ handler */
	int in_work;		/* running a work item */
	u64 running_job;	/* job id inside ops->run_job (fences it creates belong to it) */
	struct kshim_worker *worker;	/* a workqueue context: the worker it is */
	u64 task;		/* "current->group_leader": the client process it acts for */
	const char *name;
};

extern __thread struct kshim_ctx *kshim_cur;

/* Internal lock of the shims: never held across a scheduling point or wait. */
struct kshim_ilock {
	pthread_mutex_t m;
};
void kshim_ilock_init(struct kshim_ilock *l);
void kshim_ilock(struct kshim_ilock *l);
void kshim_iunlock(struct kshim_ilock *l);

/* The device the calling context belongs to. */
struct ebench_dev *kshim_dev(void);

/* The seam. */
void kshim_point(int kind, const char *label);
void kshim_pointf(int kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Futex-like wait: sleeps only while *word == expected, until woken or until
 * the kernel clock reaches deadline (U64_MAX: none). Returns -ETIMEDOUT when
 * the deadline passed, 0 otherwise. Callers re-check their condition.
 */
int kshim_wait(u32 *word, u32 expected, u64 deadline, const char *what);
void kshim_wake(u32 *word);
/* Kernel clock in ns (scaled real time, or virtual time). */
u64 kshim_now(void);
/* The same clock without a scheduling point, for the shims themselves. */
u64 kshim_clock(void);
/* Sleep until the kernel clock reaches deadline. */
void kshim_sleep_until(u64 deadline, const char *what);
bool kshim_controlled(void);
bool kshim_stopping(void);

/*
 * Atomic sections (spinlock held, hard IRQ) are RCU read-side sections: memory
 * freed with kshim_free_rcu() stays valid until no context is in one.
 */
void kshim_atomic_enter(void);
void kshim_atomic_exit(void);
void kshim_free_rcu(const void *p, const char *site);

/* Checks. */
void kshim_might_sleep(const char *what);
void kshim_finding(int kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kshim_event(int type, const char *text, u64 a, u64 b, s64 c);
bool kshim_trace(int level);
void kshim_count(int which, s64 delta);

/* Counter indexes (struct ebench_counters order). */
enum {
	KC_JOBS_LIVE, KC_FENCES_LIVE, KC_BOS_LIVE, KC_PM_USAGE, KC_SLAB_LIVE,
	KC_FINDINGS, KC_IRQS, KC_SPURIOUS, KC_RESETS, KC_JOBS_RUN, KC_JOBS_DONE,
	KC_POINTS, KC_NR,
};

/* Wait channels: a sequence word bumped on each wake. */
struct kshim_waitq {
	u32 seq;
};
static inline void kshim_waitq_init(struct kshim_waitq *wq)
{
	wq->seq = 0;
}
void kshim_waitq_wake(struct kshim_waitq *wq);

/* Poison pattern of freed memory (as SLUB's POISON_FREE). */
#define KSHIM_POISON		0x6b
#define KSHIM_POISON_PTR	((void *)0x6b6b6b6b6b6b6b6bULL)
static inline bool kshim_poisoned_ptr(const void *p)
{
	return p == KSHIM_POISON_PTR;
}
/* true when the 4 bytes at p hold the poison: p was freed */
static inline bool kshim_poisoned_u32(const void *p)
{
	return *(const volatile u32 *)p == 0x6b6b6b6bU;
}

/*
 * Fault injection at kernel interfaces (enum ebench_fault): true when this
 * call is the one armed to fail. @site is the calling function, matched
 * against the site the fault was armed for (any, when armed without one).
 */
bool kshim_fault(int fault, const char *site);

/* Role names from stringified expressions: "&edev->job_lock" -> "job_lock". */
const char *kshim_role(const char *expr);

/* Workqueues of the device, by role. */
struct workqueue_struct *kshim_system_wq(void);
void kshim_register_wq(struct workqueue_struct *wq, int kind);
void kshim_unregister_wq(struct workqueue_struct *wq);

/* printk core: kernel format extensions (%pad, %pe, %pK ...). */
int kshim_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void kshim_printk(const char *level, const char *prefix, const char *fmt, ...);

/* The bench's job naming: provided by the glue that knows the driver's structs. */
struct drm_sched_job;
u64 kshim_job_id(struct drm_sched_job *job);

#endif /* KSHIM_H */
