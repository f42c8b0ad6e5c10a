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

#include "ethosu_bench.h"

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
	/* C frames at the last scheduling point, kept when ETHOSU_POINT_BACKTRACE is set (gdb) */
	void *point_bt[12];
	int point_depth;
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

/*
 * Labels (label.c): interned text, one table per library. KSHIM_LABEL
 * (linux/compiler.h) caches a constant label per call site; kshim_label_s
 * and kshim_label_u cache a format filled in with one stable argument.
 */
u32 kshim_label(int kind, const char *text);
u32 kshim_labelf(int kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
u32 kshim_label_s(int kind, const char *fmt, const char *s);
u32 kshim_label_u(int kind, const char *fmt, u64 v);

/*
 * The seam. A scheduling point: label (a point label), the object it
 * touches (for MMIO: the register's offset) and the argument its label's
 * placeholder shows (see ethosu_bench.h).
 */
void kshim_point(u32 label, const void *obj, u64 arg);
/*
 * Futex-like wait: sleeps only while *word == expected, until woken or until
 * the kernel clock reaches deadline (U64_MAX: none). label: a wait label (its
 * kind says what the context waits for). Returns -ETIMEDOUT when the deadline
 * passed, 0 otherwise. Callers re-check their condition.
 */
int kshim_wait(u32 *word, u32 expected, u64 deadline, u32 label);
void kshim_wake(u32 *word);
/* Kernel clock in ns (scaled real time, or virtual time). */
u64 kshim_now(void);
/* The same clock without a scheduling point, for the shims themselves. */
u64 kshim_clock(void);
/* Sleep until the kernel clock reaches deadline; label: an EBENCH_WAIT_TIME label. */
void kshim_sleep_until(u64 deadline, u32 label);
bool kshim_controlled(void);
bool kshim_stopping(void);

/*
 * Atomic sections (spinlock held, hard IRQ) are RCU read-side sections: memory
 * freed with kshim_free_rcu() stays valid until no context is in one.
 */
void kshim_atomic_enter(void);
void kshim_atomic_exit(void);
void kshim_free_rcu(const void *p, const char *site);

/*
 * Checks and events. A finding names its site: where it arises (the
 * function, or the operation and its object), the first thing a report and
 * a finding's identity go by. kshim_finding() uses the calling function.
 */
void kshim_might_sleep(const char *what);
void kshim_finding_at(int kind, const char *site, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define kshim_finding(kind, fmt, ...) kshim_finding_at(kind, __func__, fmt, ##__VA_ARGS__)
void kshim_event(int type, int kind, u32 label, u64 job, const void *obj, s64 arg, s64 arg2);
/* SANITIZE=address: this library's copy receives the ASan reports of the calling thread's context. */
void kshim_sanitizer_attach(void);
/* The start and return of a driver callback, work item or IRQ handler (enum ebench_call). */
void kshim_call_start(int call, u32 label, u64 job, const void *obj);
void kshim_call_end(int call, u32 label, u64 job, const void *obj, s64 ret);
bool kshim_trace(int level);
void kshim_count(int which, s64 delta);

/* Counter indexes: the int64_t fields of struct ebench_counters, in its order. */
#define KSHIM_COUNTER(field)	(offsetof(struct ebench_counters, field) / sizeof(int64_t))
#define KC_JOBS_LIVE	KSHIM_COUNTER(jobs_live)
#define KC_FENCES_LIVE	KSHIM_COUNTER(fences_live)
#define KC_BOS_LIVE	KSHIM_COUNTER(bos_live)
#define KC_PM_USAGE	KSHIM_COUNTER(pm_usage)
#define KC_SLAB_LIVE	KSHIM_COUNTER(slab_live)
#define KC_FINDINGS	KSHIM_COUNTER(findings)
#define KC_IRQS		KSHIM_COUNTER(irqs)
#define KC_SPURIOUS	KSHIM_COUNTER(spurious_irqs)
#define KC_RESETS	KSHIM_COUNTER(resets)
#define KC_JOBS_RUN	KSHIM_COUNTER(jobs_run)
#define KC_JOBS_DONE	KSHIM_COUNTER(jobs_done)
#define KC_POINTS	KSHIM_COUNTER(points)
#define KC_NR		(sizeof(struct ebench_counters) / sizeof(int64_t))

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
