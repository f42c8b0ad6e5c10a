// SPDX-License-Identifier: GPL-2.0-only
/*
 * core.c - the platform seam and the per-context state. Free-running: futexes
 * and a scaled monotonic clock. Controlled: every point, wait and wake goes to
 * the caller's controller through the hooks, and time is the controller's.
 */
#define _GNU_SOURCE
#include <errno.h>
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

void kshim_point(int kind, const char *label)
{
	struct kshim_ctx *c = kshim_cur;
	struct ebench_dev *d;

	if (!c)
		return;
	d = c->kd;
	if (d->controlled) {
		d->counters[KC_POINTS]++;
		d->cfg.hooks.point(d->cfg.cookie, c->id, kind, label);
		return;
	}
	if (d->cfg.chaos && chaos_rand() % 1000 < d->cfg.chaos)
		sched_yield();
	if (d->cfg.trace_level >= 2)
		kshim_event(EBENCH_EV_TRACE, label, kind, 0, 0);
}

void kshim_pointf(int kind, const char *fmt, ...)
{
	struct kshim_ctx *c = kshim_cur;
	char buf[160];
	va_list ap;

	if (!c)
		return;
	if (!c->kd->controlled && !c->kd->cfg.chaos && c->kd->cfg.trace_level < 2)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kshim_point(kind, buf);
}

u64 kshim_clock(void)
{
	struct ebench_dev *d = kshim_dev();

	if (!d)
		return mono_ns();
	if (d->controlled)
		return d->cfg.hooks.now(d->cfg.cookie);
	return (mono_ns() - d->t0_ns) * d->cfg.time_scale;
}

u64 kshim_now(void)
{
	kshim_point(EBENCH_PT_TIME, "ktime_get()");
	return kshim_clock();
}

u64 kshim_jiffies(void)
{
	kshim_point(EBENCH_PT_TIME, "jiffies");
	return kshim_clock() / 1000000ULL;
}

static long futex(u32 *word, int op, u32 val, const struct timespec *ts)
{
	return syscall(SYS_futex, word, op, val, ts, NULL, 0);
}

int kshim_wait(u32 *word, u32 expected, u64 deadline, const char *what)
{
	struct kshim_ctx *c = kshim_cur;
	struct ebench_dev *d = c->kd;
	struct timespec ts, *tsp = NULL;
	u64 now;

	if (d->controlled) {
		if (__atomic_load_n(word, __ATOMIC_SEQ_CST) != expected)
			return 0;
		return d->cfg.hooks.wait(d->cfg.cookie, c->id, (u64)(uintptr_t)word, deadline,
					 what) ? -ETIMEDOUT : 0;
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

void kshim_sleep_until(u64 deadline, const char *what)
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
		d->cfg.hooks.wait(d->cfg.cookie, c->id, (u64)(uintptr_t)&sleep_word, deadline, what);
}

void kshim_event(int type, const char *text, u64 a, u64 b, s64 c)
{
	struct kshim_ctx *x = kshim_cur;
	struct ebench_dev *d = x ? x->kd : NULL;

	if (!d || !d->cfg.hooks.event)
		return;
	d->cfg.hooks.event(d->cfg.cookie, x->id, type, text ? text : "", a, b, c);
}

void kshim_finding(int kind, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kshim_count(KC_FINDINGS, 1);
	if (kshim_dev() && kshim_dev()->cfg.hooks.event)
		kshim_event(EBENCH_EV_FINDING, buf, kind, 0, 0);
	else
		fprintf(stderr, "ethosu-bench: finding: %s\n", buf);
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
		kshim_finding(EBENCH_F_ATOMIC_SLEEP,
			      "BUG: sleeping function called from invalid context: %s in hard IRQ context (%s)",
			      what, c->name);
	else if (c->atomic > 0)
		kshim_finding(EBENCH_F_ATOMIC_SLEEP,
			      "BUG: sleeping function called from invalid context: %s in atomic context (%s, %d spinlock(s) held)",
			      what, c->name, c->atomic);
}

void kshim_warn(const char *file, int line, const char *func, const char *cond)
{
	const char *base = strrchr(file, '/');

	kshim_finding(EBENCH_F_WARN, "WARNING: %s:%d at %s: WARN_ON(%s)",
		      base ? base + 1 : file, line, func, cond);
}

void kshim_bug(const char *file, int line, const char *func, const char *cond)
{
	const char *base = strrchr(file, '/');

	kshim_finding(EBENCH_F_OOPS, "kernel BUG at %s:%d in %s: %s",
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
	char text[160];

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
	snprintf(text, sizeof(text), "fault injected: %s fails (in %s)", fault_names[fault],
		 site ? site : "?");
	kshim_event(EBENCH_EV_FAULT, text, fault, 0, 0);
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
