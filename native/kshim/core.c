// SPDX-License-Identifier: GPL-2.0-only
/*
 * core.c - the platform seam and the per-context state. Free-running: futexes
 * and a scaled monotonic clock. Controlled: every point, wait and wake goes to
 * the caller's controller through the hooks, and time is the controller's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "kdev.h"

#define KSHIM_FUTEX_WAIT_PRIVATE	128
#define KSHIM_FUTEX_WAKE_PRIVATE	129

__thread struct kshim_ctx *kshim_cur;

static u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

void kshim_ilock_init(struct kshim_ilock *l)
{
	pthread_mutex_init(&l->m, NULL);
}

void kshim_ilock(struct kshim_ilock *l)
{
	pthread_mutex_lock(&l->m);
}

void kshim_iunlock(struct kshim_ilock *l)
{
	pthread_mutex_unlock(&l->m);
}

struct ebench_dev *kshim_dev(void)
{
	return kshim_cur ? kshim_cur->kd : NULL;
}

bool kshim_controlled(void)
{
	return kshim_cur && kshim_cur->kd->controlled;
}

bool kshim_stopping(void)
{
	return kshim_cur && __atomic_load_n(&kshim_cur->kd->stopping, __ATOMIC_ACQUIRE);
}

bool kshim_trace(int level)
{
	return kshim_cur && (int)kshim_cur->kd->cfg.trace_level >= level;
}

void kshim_count(int which, s64 delta)
{
	struct ebench_dev *d = kshim_dev();

	if (d)
		__atomic_add_fetch(&d->counters[which], delta, __ATOMIC_RELAXED);
}

static unsigned int chaos_rand(void)
{
	static __thread unsigned int x;

	if (!x)
		x = (unsigned int)mono_ns() | 1;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

/*
 * Under gdb the context's C stack cannot be unwound from the controller's side
 * (Java frames lie between), so each point keeps it: make gdb sets the variable.
 */
static int point_backtrace = -1;

static void emit(struct ebench_dev *d, const struct ebench_event *ev)
{
	if (d->cfg.hooks.event)
		d->cfg.hooks.event(d->cfg.cookie, ev);
}

void kshim_point(u32 label, const void *obj, u64 arg)
{
	struct kshim_ctx *c = kshim_cur;
	struct ebench_dev *d;

	if (!c)
		return;
	d = c->kd;
	if (point_backtrace < 0)
		point_backtrace = getenv("ETHOSU_POINT_BACKTRACE") != NULL;
	if (point_backtrace)
		c->point_depth = backtrace(c->point_bt, 12);
	if (d->controlled) {
		d->counters[KC_POINTS]++;
		/* no choice here: record the point for the controller's next upcall */
		if (d->sched.skip && d->sched.count < EBENCH_POINT_BATCH) {
			struct ebench_point_rec *r = &d->sched.rec[d->sched.count++];

			r->ctx = c->id;
			r->label = label;
			r->obj = (u64)(uintptr_t)obj;
			r->arg = arg;
			r->frees = d->sched.frees;
			return;
		}
		d->cfg.hooks.point(d->cfg.cookie, c->id, label, (u64)(uintptr_t)obj, arg);
		return;
	}
	if (d->cfg.chaos && chaos_rand() % 1000 < d->cfg.chaos)
		sched_yield();
	if (d->cfg.trace_level >= 2) {
		struct ebench_event ev = {
			.type = EBENCH_EV_POINT, .ctx = c->id, .label = label,
			.obj = (u64)(uintptr_t)obj, .arg = (s64)arg,
		};

		emit(d, &ev);
	}
}

u64 kshim_clock(void)
{
	struct ebench_dev *d = kshim_dev();

	if (!d)
		return mono_ns();
	if (d->controlled)
		return __atomic_load_n(&d->sched.now, __ATOMIC_RELAXED);
	return (mono_ns() - d->t0_ns) * d->cfg.time_scale;
}

u64 kshim_now(void)
{
	kshim_point(KSHIM_LABEL(EBENCH_PT_TIME, "ktime_get()"), NULL, 0);
	return kshim_clock();
}

u64 kshim_jiffies(void)
{
	kshim_point(KSHIM_LABEL(EBENCH_PT_TIME, "jiffies"), NULL, 0);
	return kshim_clock() / 1000000ULL;
}

static long futex(u32 *word, int op, u32 val, const struct timespec *ts)
{
	return syscall(SYS_futex, word, op, val, ts, NULL, 0);
}

int kshim_wait(u32 *word, u32 expected, u64 deadline, u32 label)
{
	struct kshim_ctx *c = kshim_cur;
	struct ebench_dev *d = c->kd;
	struct timespec ts, *tsp = NULL;
	u64 now;

	if (d->controlled) {
		if (__atomic_load_n(word, __ATOMIC_SEQ_CST) != expected)
			return 0;
		return d->cfg.hooks.wait(d->cfg.cookie, c->id, label, (u64)(uintptr_t)word,
					 deadline) ? -ETIMEDOUT : 0;
	}
	if (deadline != U64_MAX) {
		u64 rel;

		now = kshim_clock();
		if (now >= deadline)
			return -ETIMEDOUT;
		rel = (deadline - now) / d->cfg.time_scale + 1;
		ts.tv_sec = rel / 1000000000ULL;
		ts.tv_nsec = rel % 1000000000ULL;
		tsp = &ts;
	}
	futex(word, KSHIM_FUTEX_WAIT_PRIVATE, expected, tsp);
	if (deadline != U64_MAX && kshim_clock() >= deadline)
		return -ETIMEDOUT;
	return 0;
}

void kshim_wake(u32 *word)
{
	struct kshim_ctx *c = kshim_cur;
	struct ebench_dev *d = c ? c->kd : NULL;

	if (d && d->controlled) {
		d->cfg.hooks.wake(d->cfg.cookie, c->id, (u64)(uintptr_t)word);
		return;
	}
	futex(word, KSHIM_FUTEX_WAKE_PRIVATE, INT_MAX, NULL);
}

void kshim_waitq_wake(struct kshim_waitq *wq)
{
	__atomic_add_fetch(&wq->seq, 1, __ATOMIC_SEQ_CST);
	kshim_wake(&wq->seq);
}

void kshim_sleep_until(u64 deadline, u32 label)
{
	struct kshim_ctx *c = kshim_cur;
	struct ebench_dev *d = c->kd;
	static __thread u32 sleep_word;

	if (!d->controlled) {
		u64 now = kshim_clock();
		struct timespec ts;
		u64 rel;

		if (now >= deadline)
			return;
		rel = (deadline - now) / d->cfg.time_scale + 1;
		ts.tv_sec = rel / 1000000000ULL;
		ts.tv_nsec = rel % 1000000000ULL;
		nanosleep(&ts, NULL);
		return;
	}
	/* Nobody wakes this channel: only the controller's clock does. */
	while (kshim_clock() < deadline)
		d->cfg.hooks.wait(d->cfg.cookie, c->id, label, (u64)(uintptr_t)&sleep_word, deadline);
}

void kshim_event(int type, int kind, u32 label, u64 job, const void *obj, s64 arg, s64 arg2)
{
	struct kshim_ctx *x = kshim_cur;
	struct ebench_event ev = {
		.type = type, .kind = kind, .label = label, .job = job,
		.obj = (u64)(uintptr_t)obj, .arg = arg, .arg2 = arg2,
	};

	if (!x)
		return;
	ev.ctx = x->id;
	emit(x->kd, &ev);
}

/* Driver callbacks are always reported (the checks follow them); the rest from trace level 1. */
static bool call_traced(int call)
{
	switch (call) {
	case EBENCH_CALL_WORK:
	case EBENCH_CALL_IRQ_HANDLER:
	case EBENCH_CALL_RUNTIME_RESUME:
	case EBENCH_CALL_RUNTIME_SUSPEND:
		return kshim_trace(1);
	default:
		return true;
	}
}

void kshim_call_start(int call, u32 label, u64 job, const void *obj)
{
	if (call_traced(call))
		kshim_event(EBENCH_EV_CALL_START, call, label, job, obj, 0, 0);
}

void kshim_call_end(int call, u32 label, u64 job, const void *obj, s64 ret)
{
	if (call_traced(call))
		kshim_event(EBENCH_EV_CALL_END, call, label, job, obj, ret, 0);
}

void kshim_finding_at(int kind, const char *site, const char *fmt, ...)
{
	struct kshim_ctx *x = kshim_cur;
	struct ebench_event ev = { .type = EBENCH_EV_FINDING, .kind = kind };
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kshim_count(KC_FINDINGS, 1);
	if (!x || !x->kd->cfg.hooks.event) {
		fprintf(stderr, "ethosu-bench: finding: %s\n", buf);
		return;
	}
	ev.ctx = x->id;
	ev.label = kshim_label(EBENCH_LABEL_NAME, site && *site ? site : "?");
	ev.job = x->running_job;
	ev.text = buf;
	emit(x->kd, &ev);
}

void kshim_atomic_enter(void)
{
	struct kshim_ctx *c = kshim_cur;

	if (c && c->atomic++ == 0)
		__atomic_add_fetch(&c->kd->rcu_readers, 1, __ATOMIC_SEQ_CST);
}

void kshim_atomic_exit(void)
{
	struct kshim_ctx *c = kshim_cur;

	if (!c || c->atomic <= 0)
		return;
	if (--c->atomic == 0 &&
	    __atomic_sub_fetch(&c->kd->rcu_readers, 1, __ATOMIC_SEQ_CST) == 0)
		kshim_rcu_quiescent(c->kd);
}

void kshim_might_sleep(const char *what)
{
	struct kshim_ctx *c = kshim_cur;

	if (!c)
		return;
	if (c->hardirq)
		kshim_finding_at(EBENCH_F_ATOMIC_SLEEP, what,
			      "BUG: sleeping function called from invalid context: %s in hard IRQ context (%s)",
			      what, c->name);
	else if (c->atomic > 0)
		kshim_finding_at(EBENCH_F_ATOMIC_SLEEP, what,
			      "BUG: sleeping function called from invalid context: %s in atomic context (%s, %d spinlock(s) held)",
			      what, c->name, c->atomic);
}

void kshim_warn(const char *file, int line, const char *func, const char *cond)
{
	const char *base = strrchr(file, '/');

	kshim_finding_at(EBENCH_F_WARN, func, "WARNING: %s:%d at %s: WARN_ON(%s)",
		      base ? base + 1 : file, line, func, cond);
}

void kshim_bug(const char *file, int line, const char *func, const char *cond)
{
	const char *base = strrchr(file, '/');

	kshim_finding_at(EBENCH_F_OOPS, func, "kernel BUG at %s:%d in %s: %s",
		      base ? base + 1 : file, line, func, cond);
}

const char *kshim_role(const char *expr)
{
	const char *p, *best = expr;

	if (!expr)
		return "?";
	for (p = expr; *p; p++) {
		if (p[0] == '-' && p[1] == '>')
			best = p + 2;
		else if (p[0] == '.' || p[0] == '&' || p[0] == '(' || p[0] == '*')
			best = p + 1;
	}
	return best;
}

static const char *const fault_names[EBENCH_FAULTS] = {
	[EBENCH_FAULT_ALLOC] = "allocation",
	[EBENCH_FAULT_ENTITY_INIT] = "drm_sched_entity_init",
	[EBENCH_FAULT_SCHED_INIT] = "drm_sched_init",
	[EBENCH_FAULT_IRQ_REQUEST] = "request_threaded_irq",
	[EBENCH_FAULT_PM_GET] = "runtime resume",
};

bool kshim_fault(int fault, const char *site)
{
	struct ebench_dev *d = kshim_dev();
	struct kshim_fault_arm *f;
	bool fire = false;

	if (!d || fault < 0 || fault >= EBENCH_FAULTS)
		return false;
	f = &d->faults[fault];
	if (!__atomic_load_n(&f->nth, __ATOMIC_ACQUIRE))
		return false;
	kshim_ilock(&d->fault_lock);
	if (f->nth > 0 && (!f->site[0] || (site && !strcmp(site, f->site))))
		fire = --f->nth == 0;
	kshim_iunlock(&d->fault_lock);
	if (!fire)
		return false;
	/* as the kernel's fault injection announces itself */
	kshim_printk(KERN_WARNING, "FAULT_INJECTION", "forcing a failure: %s in %s\n",
		     fault_names[fault], site ? site : "?");
	kshim_event(EBENCH_EV_FAULT, fault, site ? kshim_label_s(EBENCH_LABEL_NAME, "%s", site) : 0,
		    0, NULL, 0, 0);
	return true;
}

/* The device's fence-context counter (dma_fence_context_alloc counts up from 1). */
u64 *kshim_fence_context_counter(void)
{
	return &kshim_dev()->fence_context;
}

void kshim_stop(struct ebench_dev *d)
{
	__atomic_store_n(&d->stopping, 1, __ATOMIC_RELEASE);
}
