// SPDX-License-Identifier: GPL-2.0-only
/*
 * workqueue.c - workqueues, each served by one worker context of the device
 * (ebench_ctx_loop). Delayed work waits on the kernel clock; cancel_*_sync and
 * flush wait for a running item through the seam.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/workqueue.h>
#include <linux/kernel.h>
#include <linux/jiffies.h>

#include "kdev.h"

#define WORK_MAGIC	0x574f524bU	/* "WORK" */

struct workqueue_struct {
	struct ebench_dev *kd;
	int kind;			/* serving context: enum ebench_ctx_kind */
	unsigned int flags;
	char name[48];
	struct kshim_ilock lock;
	struct list_head ready;		/* queued, runnable, in order */
	struct list_head timers;	/* delayed work waiting for its deadline */
	struct work_struct *running;	/* item the worker runs now */
	u32 seq;			/* worker wake channel */
	u32 done_seq;			/* bumped after each item: cancel_sync/flush wait here */
	u32 flush_label;		/* "flush_workqueue(<name>)": interned with the name */
	bool stopped;
};

void __init_work(struct work_struct *work, work_func_t func, const char *name)
{
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
	work->state = 0;
	work->magic = WORK_MAGIC;
	work->wq = NULL;
	work->name = name;
	work->deadline = 0;
}

struct workqueue_struct *kshim_wq_create(struct ebench_dev *d, int kind, unsigned int flags,
					 const char *name)
{
	struct workqueue_struct *wq = kshim_dev_zalloc(d, sizeof(*wq));

	if (!wq)
		return NULL;
	wq->kd = d;
	wq->kind = kind;
	wq->flags = flags;
	snprintf(wq->name, sizeof(wq->name), "%s", name);
	wq->flush_label = kshim_labelf(EBENCH_PT_FLUSH_WORK, "flush_workqueue(%s)", wq->name);
	kshim_ilock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->ready);
	INIT_LIST_HEAD(&wq->timers);
	return wq;
}

void kshim_wq_destroy(struct workqueue_struct *wq)
{
	pthread_mutex_destroy(&wq->lock.m);
	kshim_dev_free(wq->kd, wq);
}

static void wq_kick(struct workqueue_struct *wq)
{
	__atomic_add_fetch(&wq->seq, 1, __ATOMIC_SEQ_CST);
	kshim_wake(&wq->seq);
}

void kshim_wq_stop(struct workqueue_struct *wq)
{
	kshim_ilock(&wq->lock);
	wq->stopped = true;
	kshim_iunlock(&wq->lock);
	wq_kick(wq);
}

struct workqueue_struct *kshim_system_wq(void)
{
	return kshim_dev()->wq[EBENCH_CTX_SYSTEM_WQ];
}

struct workqueue_struct *kshim_timeout_wq(void)
{
	return kshim_dev()->wq[EBENCH_CTX_TIMEOUT_WQ];
}

/*
 * A workqueue the driver (or the scheduler) allocates. The bench has one
 * context for driver-owned queues: the first ordered queue is served by the
 * submit_wq context; an unordered one by system_wq's context.
 */
struct workqueue_struct *kshim_alloc_workqueue(unsigned int flags, int max_active,
					       const char *fmt, ...)
{
	struct ebench_dev *d = kshim_dev();
	struct workqueue_struct *wq;
	char name[48];
	va_list ap;
	int kind;

	(void)max_active;
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	kind = (flags & __WQ_ORDERED) ? EBENCH_CTX_SUBMIT_WQ : EBENCH_CTX_SYSTEM_WQ;
	if (kind == EBENCH_CTX_SUBMIT_WQ && d->wq[kind]) {
		kshim_finding(EBENCH_F_WARN,
			      "WARNING: a second ordered workqueue (%s): the bench serves one", name);
		return NULL;
	}
	if (kind == EBENCH_CTX_SYSTEM_WQ)
		return d->wq[kind];	/* shares the system context */
	wq = kshim_wq_create(d, kind, flags, name);
	if (!wq)
		return NULL;
	__atomic_store_n(&d->wq[kind], wq, __ATOMIC_RELEASE);
	__atomic_add_fetch(&d->wq_seq, 1, __ATOMIC_SEQ_CST);
	kshim_wake(&d->wq_seq);
	return wq;
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	struct ebench_dev *d;

	if (!wq)
		return;
	d = wq->kd;
	if (wq == d->wq[EBENCH_CTX_SYSTEM_WQ] || wq == d->wq[EBENCH_CTX_TIMEOUT_WQ])
		return;
	drain_workqueue(wq);
	kshim_wq_stop(wq);
	/* the worker loop notices the stop and returns; the memory goes at ebench_dev_destroy() */
}

static bool __queue_locked(struct workqueue_struct *wq, struct work_struct *work, u64 deadline)
{
	u32 old = __atomic_fetch_or(&work->state, WORK_PENDING, __ATOMIC_ACQ_REL);

	if (old & WORK_PENDING)
		return false;
	work->wq = wq;
	if (deadline) {
		work->state |= WORK_DELAYED;
		work->deadline = deadline;
		list_add_tail(&work->entry, &wq->timers);
	} else {
		list_add_tail(&work->entry, &wq->ready);
	}
	return true;
}

static bool work_check(struct work_struct *work, const char *op)
{
	if (kshim_poisoned_ptr(work) || kshim_poisoned_u32(&work->magic)) {
		kshim_finding_at(EBENCH_F_UAF, op, "BUG: use-after-free: %s on a freed work item", op);
		return false;
	}
	if (work->magic != WORK_MAGIC) {
		/* the kernel's __flush_work has WARN_ON(!work->func) for this */
		kshim_finding_at(EBENCH_F_WARN, op, "WARNING: %s on a work item never initialised", op);
		return false;
	}
	return true;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	bool ret;

	if (!work_check(work, "queue_work"))
		return false;
	kshim_point(kshim_label_s(EBENCH_PT_QUEUE_WORK, "queue_work(%s)", work->name), work, 0);
	kshim_ilock(&wq->lock);
	ret = wq->stopped ? false : __queue_locked(wq, work, 0);
	kshim_iunlock(&wq->lock);
	if (ret)
		wq_kick(wq);
	return ret;
}

static u64 delay_deadline(unsigned long delay)
{
	return kshim_clock() + jiffies_to_nsecs(delay);
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
			unsigned long delay)
{
	struct work_struct *work = &dwork->work;
	bool ret;

	if (!delay)
		return queue_work(wq, work);
	if (!work_check(work, "queue_delayed_work"))
		return false;
	kshim_point(kshim_label_s(EBENCH_PT_QUEUE_WORK, "queue_delayed_work(%s)", work->name), work, 0);
	kshim_ilock(&wq->lock);
	ret = wq->stopped ? false : __queue_locked(wq, work, delay_deadline(delay));
	kshim_iunlock(&wq->lock);
	if (ret)
		wq_kick(wq);
	return ret;
}

/* Take a pending item off its queue; caller holds work->wq's lock. */
static bool __grab_pending(struct work_struct *work)
{
	if (!(work->state & WORK_PENDING))
		return false;
	list_del_init(&work->entry);
	__atomic_and_fetch(&work->state, ~(WORK_PENDING | WORK_DELAYED), __ATOMIC_ACQ_REL);
	return true;
}

bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
		      unsigned long delay)
{
	struct work_struct *work = &dwork->work;
	struct workqueue_struct *old = work->wq;
	bool was = false;

	if (!work_check(work, "mod_delayed_work"))
		return false;
	kshim_point(kshim_label_s(EBENCH_PT_QUEUE_WORK, "mod_delayed_work(%s, %%d)", work->name), work,
		    delay);
	if (old && old != wq) {
		kshim_ilock(&old->lock);
		was = __grab_pending(work);
		kshim_iunlock(&old->lock);
	}
	kshim_ilock(&wq->lock);
	if (old == wq)
		was = __grab_pending(work);
	if (!wq->stopped)
		__queue_locked(wq, work, delay ? delay_deadline(delay) : 0);
	kshim_iunlock(&wq->lock);
	wq_kick(wq);
	return was;
}

/* The cancel operations: their name, and their labels' formats (one %s: the work's name). */
struct cancel_op {
	const char *name;
	bool sync;
	const char *point;
	const char *wait;
};

static const struct cancel_op op_cancel_work = {
	"cancel_work", false, "cancel_work(%s)", NULL,
};
static const struct cancel_op op_cancel_work_sync = {
	"cancel_work_sync", true, "cancel_work_sync(%s)", "cancel_work_sync(%s): waits for it to finish",
};
static const struct cancel_op op_cancel_delayed = {
	"cancel_delayed_work", false, "cancel_delayed_work(%s)", NULL,
};
static const struct cancel_op op_cancel_delayed_sync = {
	"cancel_delayed_work_sync", true, "cancel_delayed_work_sync(%s)",
	"cancel_delayed_work_sync(%s): waits for it to finish",
};

static bool __cancel(struct work_struct *work, const struct cancel_op *op)
{
	struct workqueue_struct *wq = work->wq;
	bool was;

	if (!work_check(work, op->name))
		return false;
	kshim_point(kshim_label_s(op->sync ? EBENCH_PT_CANCEL_WORK_SYNC : EBENCH_PT_CANCEL_WORK, op->point,
				  work->name), work, 0);
	if (!wq)
		return false;
	kshim_ilock(&wq->lock);
	was = __grab_pending(work);
	kshim_iunlock(&wq->lock);
	if (!op->sync)
		return was;
	kshim_might_sleep(op->name);
	if (wq->running == work && kshim_cur && kshim_cur->kind == wq->kind) {
		kshim_finding_at(EBENCH_F_DEADLOCK, op->name, "%s(%s) from the work item itself: deadlock",
				 op->name, work->name);
		return was;
	}
	for (;;) {
		u32 s = __atomic_load_n(&wq->done_seq, __ATOMIC_SEQ_CST);

		if (__atomic_load_n(&wq->running, __ATOMIC_SEQ_CST) != work)
			break;
		kshim_wait(&wq->done_seq, s, U64_MAX, kshim_label_s(EBENCH_WAIT_WORK, op->wait, work->name));
	}
	return was;
}

bool cancel_work(struct work_struct *work)
{
	return __cancel(work, &op_cancel_work);
}

bool cancel_work_sync(struct work_struct *work)
{
	return __cancel(work, &op_cancel_work_sync);
}

bool cancel_delayed_work(struct delayed_work *dwork)
{
	return __cancel(&dwork->work, &op_cancel_delayed);
}

bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	return __cancel(&dwork->work, &op_cancel_delayed_sync);
}

bool work_busy_running(struct work_struct *work)
{
	return work->wq && __atomic_load_n(&work->wq->running, __ATOMIC_SEQ_CST) == work;
}

bool flush_work(struct work_struct *work)
{
	struct workqueue_struct *wq = work->wq;
	bool waited = false;

	if (!work_check(work, "flush_work"))
		return false;
	kshim_point(kshim_label_s(EBENCH_PT_FLUSH_WORK, "flush_work(%s)", work->name), work, 0);
	if (!wq)
		return false;
	kshim_might_sleep("flush_work");
	for (;;) {
		u32 s = __atomic_load_n(&wq->done_seq, __ATOMIC_SEQ_CST);
		bool busy;

		kshim_ilock(&wq->lock);
		busy = ((work->state & WORK_PENDING) && !(work->state & WORK_DELAYED)) ||
		       wq->running == work;
		kshim_iunlock(&wq->lock);
		if (!busy || wq->stopped)
			break;
		waited = true;
		kshim_wait(&wq->done_seq, s, U64_MAX,
			   KSHIM_LABEL(EBENCH_WAIT_WORK, "flush_work: waits for the item"));
	}
	return waited;
}

bool flush_delayed_work(struct delayed_work *dwork)
{
	struct work_struct *work = &dwork->work;
	struct workqueue_struct *wq = work->wq;

	if (wq) {
		kshim_ilock(&wq->lock);
		if ((work->state & WORK_PENDING) && (work->state & WORK_DELAYED)) {
			list_del(&work->entry);
			work->state &= ~WORK_DELAYED;
			list_add_tail(&work->entry, &wq->ready);
		}
		kshim_iunlock(&wq->lock);
		wq_kick(wq);
	}
	return flush_work(work);
}

void flush_workqueue(struct workqueue_struct *wq)
{
	kshim_point(wq->flush_label, wq, 0);
	kshim_might_sleep("flush_workqueue");
	for (;;) {
		u32 s = __atomic_load_n(&wq->done_seq, __ATOMIC_SEQ_CST);
		bool busy;

		kshim_ilock(&wq->lock);
		busy = !list_empty(&wq->ready) || wq->running;
		kshim_iunlock(&wq->lock);
		if (!busy || wq->stopped)
			break;
		kshim_wait(&wq->done_seq, s, U64_MAX,
			   KSHIM_LABEL(EBENCH_WAIT_WORK, "flush_workqueue: waits for queued items"));
	}
}

void drain_workqueue(struct workqueue_struct *wq)
{
	flush_workqueue(wq);
}

/* Earliest timer deadline; moves expired timers to the ready list. */
static u64 wq_expire_timers(struct workqueue_struct *wq, u64 now)
{
	struct work_struct *w, *n;
	u64 next = U64_MAX;

	/* expire in deadline order so equal-period timers keep their order */
	for (;;) {
		struct work_struct *first = NULL;

		list_for_each_entry_safe(w, n, &wq->timers, entry) {
			if (w->deadline <= now && (!first || w->deadline < first->deadline))
				first = w;
		}
		if (!first)
			break;
		list_del(&first->entry);
		first->state &= ~WORK_DELAYED;
		list_add_tail(&first->entry, &wq->ready);
	}
	list_for_each_entry(w, &wq->timers, entry)
		if (w->deadline < next)
			next = w->deadline;
	return next;
}

static struct workqueue_struct *wq_wait_registered(struct ebench_dev *d, int kind)
{
	for (;;) {
		u32 s = __atomic_load_n(&d->wq_seq, __ATOMIC_SEQ_CST);
		struct workqueue_struct *wq = __atomic_load_n(&d->wq[kind], __ATOMIC_ACQUIRE);

		if (wq || __atomic_load_n(&d->stopping, __ATOMIC_ACQUIRE))
			return wq;
		kshim_wait(&d->wq_seq, s, U64_MAX,
			   KSHIM_LABEL(EBENCH_WAIT_IDLE_WORKER, "worker: no workqueue yet, idle"));
	}
}

/*
 * The worker: runs items of the queue its context serves, in order, one at a
 * time; sleeps until the next timer or until an item is queued.
 */
int kshim_wq_loop(struct ebench_dev *d, int kind)
{
	struct workqueue_struct *wq = wq_wait_registered(d, kind);
	int ran = 0;

	if (!wq)
		return 0;
	for (;;) {
		u32 s = __atomic_load_n(&wq->seq, __ATOMIC_SEQ_CST);
		struct work_struct *work;
		u32 name;
		u64 next;

		kshim_ilock(&wq->lock);
		next = wq_expire_timers(wq, kshim_clock());
		if (list_empty(&wq->ready)) {
			bool done = wq->stopped ||
				    (__atomic_load_n(&d->stopping, __ATOMIC_ACQUIRE) &&
				     list_empty(&wq->timers));

			kshim_iunlock(&wq->lock);
			if (done)
				break;
			kshim_wait(&wq->seq, s, next, KSHIM_LABEL(EBENCH_WAIT_IDLE_WORKER, "worker: idle"));
			continue;
		}
		work = list_first_entry(&wq->ready, struct work_struct, entry);
		list_del_init(&work->entry);
		__atomic_and_fetch(&work->state, ~(WORK_PENDING | WORK_DELAYED), __ATOMIC_ACQ_REL);
		__atomic_store_n(&wq->running, work, __ATOMIC_SEQ_CST);
		kshim_iunlock(&wq->lock);

		name = kshim_label_s(EBENCH_LABEL_NAME, "%s", work->name);
		kshim_point(kshim_label_s(EBENCH_PT_WORK_START, "work(%s)", work->name), work, 0);
		kshim_cur->in_work++;
		kshim_call_start(EBENCH_CALL_WORK, name, 0, work);
		work->func(work);	/* may free work */
		kshim_call_end(EBENCH_CALL_WORK, name, 0, work, 0);
		kshim_cur->in_work--;
		ran++;

		kshim_ilock(&wq->lock);
		__atomic_store_n(&wq->running, NULL, __ATOMIC_SEQ_CST);
		kshim_iunlock(&wq->lock);
		__atomic_add_fetch(&wq->done_seq, 1, __ATOMIC_SEQ_CST);
		kshim_wake(&wq->done_seq);
	}
	/* a destroyed queue stays allocated until ebench_dev_destroy(): others may still kick it */
	return ran;
}
