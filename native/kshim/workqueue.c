// SPDX-License-Identifier: GPL-2.0-only
/*
 * workqueue.c - workqueues served by the device's worker contexts, after
 * mainline v7.2 kernel/workqueue.c: an ordered queue runs one item at a time;
 * an unordered one (system_wq) runs different items on different workers at
 * once, never one item on two workers; cancel_*_sync() disables the item while
 * it waits, so nothing re-queues it, and on return it is neither pending nor
 * running (WORK_CANCEL_DISABLE, v6.10+); disable_work()/enable_work().
 *
 * Deviations (docs/KERNEL-SEMANTICS.md): a queue has as many workers as the
 * caller binds contexts of its kind (system_wq: two), not a pool that grows;
 * the TDR's queue is a queue of its own, standing for system_wq.
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
#define WORK_DISABLE_MAX	255	/* WORK_OFFQ_DISABLE_BITS is 16 in the kernel; any bound warns */

/*
 * One worker context serving a queue. Workers live until the device is
 * destroyed, so a waker never touches freed memory; @current is compared,
 * never dereferenced (the item may free itself).
 */
struct kshim_worker {
	struct list_head node;		/* in ebench_dev.workers */
	struct list_head idle;		/* in workqueue_struct.idle while waiting for work */
	struct workqueue_struct *wq;
	struct work_struct *current;	/* the item it runs, or NULL */
	u32 seq;			/* its wake channel */
};

struct workqueue_struct {
	struct ebench_dev *kd;
	int kind;			/* serving context: enum ebench_ctx_kind */
	unsigned int flags;
	bool ordered;			/* max_active 1: one item at a time */
	char name[48];
	u32 flush_label;		/* "flush_workqueue(<name>)": interned with the name */
	struct list_head ready;		/* queued, runnable, in order */
	struct list_head timers;	/* delayed work waiting for its deadline */
	struct list_head idle;		/* idle workers, the last one to go idle first */
	int nr_running;			/* items running on its workers */
	bool stopped;
};

void __init_work(struct work_struct *work, work_func_t func, const char *name)
{
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
	work->state = 0;
	work->disable = 0;
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
	wq->ordered = flags & __WQ_ORDERED;
	snprintf(wq->name, sizeof(wq->name), "%s", name);
	wq->flush_label = kshim_labelf(EBENCH_PT_FLUSH_WORK, "flush_workqueue(%s)", wq->name);
	INIT_LIST_HEAD(&wq->ready);
	INIT_LIST_HEAD(&wq->timers);
	INIT_LIST_HEAD(&wq->idle);
	return wq;
}

void kshim_wq_destroy(struct workqueue_struct *wq)
{
	kshim_dev_free(wq->kd, wq);
}

/* Frees every worker of the device; its contexts have returned. */
void kshim_workers_destroy(struct ebench_dev *d)
{
	struct kshim_worker *w, *n;

	list_for_each_entry_safe(w, n, &d->workers, node)
		kshim_dev_free(d, w);
	INIT_LIST_HEAD(&d->workers);
}

static void worker_wake(struct kshim_worker *w)
{
	__atomic_add_fetch(&w->seq, 1, __ATOMIC_SEQ_CST);
	kshim_wake(&w->seq);
}

/*
 * Take the most recently idle worker off the idle list, to be woken after the
 * lock is dropped (as the kernel wakes one idle worker per kick). Caller holds
 * the device's wq_lock.
 */
static struct kshim_worker *wq_pick_idle(struct workqueue_struct *wq)
{
	struct kshim_worker *w;

	if (list_empty(&wq->idle))
		return NULL;
	w = list_first_entry(&wq->idle, struct kshim_worker, idle);
	list_del_init(&w->idle);
	return w;
}

void kshim_wq_stop(struct workqueue_struct *wq)
{
	struct ebench_dev *d = wq->kd;
	struct kshim_worker *w;
	LIST_HEAD(wake);

	kshim_ilock(&d->wq_lock);
	wq->stopped = true;
	while ((w = wq_pick_idle(wq)))
		list_add_tail(&w->idle, &wake);
	kshim_iunlock(&d->wq_lock);
	while (!list_empty(&wake)) {
		w = list_first_entry(&wake, struct kshim_worker, idle);
		list_del_init(&w->idle);
		worker_wake(w);
	}
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
 * A workqueue the driver (or the scheduler) allocates. An ordered queue gets
 * the submit_wq context(s); an unordered one shares system_wq's workers (the
 * kernel's unordered queues share its worker pools too).
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
		return d->wq[kind];
	if (kshim_fault(EBENCH_FAULT_ALLOC, "alloc_workqueue"))
		return NULL;
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
	kshim_might_sleep("destroy_workqueue");
	drain_workqueue(wq);
	kshim_wq_stop(wq);
	/* the workers notice the stop and return; the memory goes at ebench_dev_destroy() */
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

/*
 * Queue @work unless it is pending or disabled (a disabled item is dropped
 * silently, as clear_pending_if_disabled() does). Caller holds wq_lock.
 */
static bool __queue_locked(struct workqueue_struct *wq, struct work_struct *work, u64 deadline)
{
	if (wq->stopped || work->disable || (work->state & WORK_PENDING))
		return false;
	__atomic_or_fetch(&work->state, WORK_PENDING, __ATOMIC_ACQ_REL);
	work->wq = wq;
	if (deadline) {
		__atomic_or_fetch(&work->state, WORK_DELAYED, __ATOMIC_ACQ_REL);
		work->deadline = deadline;
		list_add_tail(&work->entry, &wq->timers);
	} else {
		list_add_tail(&work->entry, &wq->ready);
	}
	return true;
}

/* Take a pending item off its queue; caller holds wq_lock. */
static bool __grab_pending(struct work_struct *work)
{
	if (!(work->state & WORK_PENDING))
		return false;
	list_del_init(&work->entry);
	__atomic_and_fetch(&work->state, ~(WORK_PENDING | WORK_DELAYED), __ATOMIC_ACQ_REL);
	return true;
}

static bool __queue(struct workqueue_struct *wq, struct work_struct *work, u64 deadline)
{
	struct ebench_dev *d = wq->kd;
	struct kshim_worker *w = NULL;
	bool ret;

	kshim_ilock(&d->wq_lock);
	ret = __queue_locked(wq, work, deadline);
	if (ret)
		w = wq_pick_idle(wq);
	kshim_iunlock(&d->wq_lock);
	if (w)
		worker_wake(w);
	return ret;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	if (!work_check(work, "queue_work"))
		return false;
	kshim_point(kshim_label_s(EBENCH_PT_QUEUE_WORK, "queue_work(%s)", work->name), work, 0);
	return __queue(wq, work, 0);
}

static u64 delay_deadline(unsigned long delay)
{
	return kshim_clock() + jiffies_to_nsecs(delay);
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
			unsigned long delay)
{
	struct work_struct *work = &dwork->work;

	if (!delay)
		return queue_work(wq, work);
	if (!work_check(work, "queue_delayed_work"))
		return false;
	kshim_point(kshim_label_s(EBENCH_PT_QUEUE_WORK, "queue_delayed_work(%s)", work->name), work, 0);
	return __queue(wq, work, delay_deadline(delay));
}

/*
 * Re-arm: a pending item is taken off its queue and queued again with the new
 * delay; an idle one is queued; a disabled one stays off. Returns whether it
 * was pending.
 */
bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
		      unsigned long delay)
{
	struct work_struct *work = &dwork->work;
	struct ebench_dev *d = wq->kd;
	struct kshim_worker *w = NULL;
	bool was;

	if (!work_check(work, "mod_delayed_work"))
		return false;
	kshim_point(kshim_label_s(EBENCH_PT_QUEUE_WORK, "mod_delayed_work(%s, %%d)", work->name), work,
		    delay);
	kshim_ilock(&d->wq_lock);
	was = __grab_pending(work);
	if (__queue_locked(wq, work, delay ? delay_deadline(delay) : 0))
		w = wq_pick_idle(wq);
	kshim_iunlock(&d->wq_lock);
	if (w)
		worker_wake(w);
	return was;
}

/* Whether some worker of the device runs @work now; caller holds wq_lock. */
static bool work_running(struct ebench_dev *d, struct work_struct *work)
{
	struct kshim_worker *w;

	list_for_each_entry(w, &d->workers, node)
		if (w->current == work)
			return true;
	return false;
}

static bool work_running_here(struct work_struct *work)
{
	struct kshim_worker *w = kshim_cur ? kshim_cur->worker : NULL;

	return w && w->current == work;
}

/*
 * A cancel operation: its name, whether it waits for a running instance,
 * whether it disables the item (for the wait only, or until enable_work()),
 * and its labels' formats (one %s: the work's name).
 */
struct cancel_op {
	const char *name;
	bool sync;
	bool disable;
	bool keep_disabled;
	const char *point;
	const char *wait;
};

static const struct cancel_op op_cancel_work = {
	"cancel_work", false, false, false, "cancel_work(%s)", NULL,
};
static const struct cancel_op op_cancel_work_sync = {
	"cancel_work_sync", true, true, false, "cancel_work_sync(%s)",
	"cancel_work_sync(%s): waits for it to finish",
};
static const struct cancel_op op_cancel_delayed = {
	"cancel_delayed_work", false, false, false, "cancel_delayed_work(%s)", NULL,
};
static const struct cancel_op op_cancel_delayed_sync = {
	"cancel_delayed_work_sync", true, true, false, "cancel_delayed_work_sync(%s)",
	"cancel_delayed_work_sync(%s): waits for it to finish",
};
static const struct cancel_op op_disable_work = {
	"disable_work", false, true, true, "disable_work(%s)", NULL,
};
static const struct cancel_op op_disable_work_sync = {
	"disable_work_sync", true, true, true, "disable_work_sync(%s)",
	"disable_work_sync(%s): waits for it to finish",
};

/* Wait until no worker runs @work (it is not pending: the caller grabbed it). */
static void wait_not_running(struct ebench_dev *d, struct work_struct *work,
			     const struct cancel_op *op)
{
	for (;;) {
		u32 s = __atomic_load_n(&d->work_done_seq, __ATOMIC_SEQ_CST);
		bool busy;

		kshim_ilock(&d->wq_lock);
		busy = work_running(d, work);
		kshim_iunlock(&d->wq_lock);
		if (!busy)
			break;
		kshim_wait(&d->work_done_seq, s, U64_MAX, kshim_label_s(EBENCH_WAIT_WORK, op->wait, work->name));
	}
}

/*
 * __cancel_work() and __cancel_work_sync(): take @work off its queue; a
 * disabling cancel counts one more disable first, so a queue attempt
 * meanwhile is dropped; a sync one then waits for a running instance.
 * cancel_*_sync() disable for the wait and enable again.
 */
static bool __cancel(struct work_struct *work, const struct cancel_op *op)
{
	struct ebench_dev *d = kshim_dev();
	bool was;

	if (!work_check(work, op->name))
		return false;
	kshim_point(kshim_label_s(op->sync ? EBENCH_PT_CANCEL_WORK_SYNC : EBENCH_PT_CANCEL_WORK, op->point,
				  work->name), work, 0);
	if (op->sync)
		kshim_might_sleep(op->name);
	kshim_ilock(&d->wq_lock);
	if (op->disable) {
		if (work->disable < WORK_DISABLE_MAX)
			work->disable++;
		else
			kshim_finding_at(EBENCH_F_WARN, op->name,
					 "WARNING: workqueue: work disable count overflowed");
	}
	was = __grab_pending(work);
	kshim_iunlock(&d->wq_lock);
	if (op->sync) {
		if (work_running_here(work))
			kshim_finding_at(EBENCH_F_DEADLOCK, op->name,
					 "%s(%s) from the work item itself: deadlock", op->name, work->name);
		else
			wait_not_running(d, work, op);
	}
	if (op->disable && !op->keep_disabled) {
		kshim_ilock(&d->wq_lock);
		work->disable--;
		kshim_iunlock(&d->wq_lock);
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

bool disable_work(struct work_struct *work)
{
	return __cancel(work, &op_disable_work);
}

bool disable_work_sync(struct work_struct *work)
{
	return __cancel(work, &op_disable_work_sync);
}

bool disable_delayed_work(struct delayed_work *dwork)
{
	return disable_work(&dwork->work);
}

bool disable_delayed_work_sync(struct delayed_work *dwork)
{
	return disable_work_sync(&dwork->work);
}

/* Undo one disable; true when the item can be queued again. */
bool enable_work(struct work_struct *work)
{
	struct ebench_dev *d = kshim_dev();
	bool enabled;

	if (!work_check(work, "enable_work"))
		return false;
	kshim_point(kshim_label_s(EBENCH_PT_QUEUE_WORK, "enable_work(%s)", work->name), work, 0);
	kshim_ilock(&d->wq_lock);
	if (work->disable)
		work->disable--;
	else
		kshim_finding_at(EBENCH_F_WARN, "enable_work",
				 "WARNING: workqueue: work disable count underflowed");
	enabled = !work->disable;
	kshim_iunlock(&d->wq_lock);
	return enabled;
}

bool enable_delayed_work(struct delayed_work *dwork)
{
	return enable_work(&dwork->work);
}

bool work_busy_running(struct work_struct *work)
{
	struct ebench_dev *d = kshim_dev();
	bool busy;

	kshim_ilock(&d->wq_lock);
	busy = work_running(d, work);
	kshim_iunlock(&d->wq_lock);
	return busy;
}

bool flush_work(struct work_struct *work)
{
	struct ebench_dev *d = kshim_dev();
	bool waited = false;

	if (!work_check(work, "flush_work"))
		return false;
	kshim_point(kshim_label_s(EBENCH_PT_FLUSH_WORK, "flush_work(%s)", work->name), work, 0);
	if (!work->wq)
		return false;
	kshim_might_sleep("flush_work");
	if (work_running_here(work)) {
		kshim_finding_at(EBENCH_F_DEADLOCK, "flush_work",
				 "flush_work(%s) from the work item itself: deadlock", work->name);
		return false;
	}
	for (;;) {
		u32 s = __atomic_load_n(&d->work_done_seq, __ATOMIC_SEQ_CST);
		bool busy;

		kshim_ilock(&d->wq_lock);
		busy = ((work->state & WORK_PENDING) && !(work->state & WORK_DELAYED) &&
			!work->wq->stopped) || work_running(d, work);
		kshim_iunlock(&d->wq_lock);
		if (!busy)
			break;
		waited = true;
		kshim_wait(&d->work_done_seq, s, U64_MAX,
			   KSHIM_LABEL(EBENCH_WAIT_WORK, "flush_work: waits for the item"));
	}
	return waited;
}

bool flush_delayed_work(struct delayed_work *dwork)
{
	struct work_struct *work = &dwork->work;
	struct workqueue_struct *wq = work->wq;
	struct kshim_worker *w = NULL;

	if (wq) {
		kshim_ilock(&wq->kd->wq_lock);
		if ((work->state & WORK_PENDING) && (work->state & WORK_DELAYED)) {
			list_del(&work->entry);
			__atomic_and_fetch(&work->state, ~WORK_DELAYED, __ATOMIC_ACQ_REL);
			list_add_tail(&work->entry, &wq->ready);
			w = wq_pick_idle(wq);
		}
		kshim_iunlock(&wq->kd->wq_lock);
		if (w)
			worker_wake(w);
	}
	return flush_work(work);
}

void flush_workqueue(struct workqueue_struct *wq)
{
	struct ebench_dev *d = wq->kd;

	kshim_point(wq->flush_label, wq, 0);
	kshim_might_sleep("flush_workqueue");
	for (;;) {
		u32 s = __atomic_load_n(&d->work_done_seq, __ATOMIC_SEQ_CST);
		bool busy;

		kshim_ilock(&d->wq_lock);
		busy = !wq->stopped && (!list_empty(&wq->ready) || wq->nr_running);
		kshim_iunlock(&d->wq_lock);
		if (!busy)
			break;
		kshim_wait(&d->work_done_seq, s, U64_MAX,
			   KSHIM_LABEL(EBENCH_WAIT_WORK, "flush_workqueue: waits for queued items"));
	}
}

void drain_workqueue(struct workqueue_struct *wq)
{
	flush_workqueue(wq);
}

/* Earliest timer deadline; moves expired timers to the ready list. Caller holds wq_lock. */
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
		__atomic_and_fetch(&first->state, ~WORK_DELAYED, __ATOMIC_ACQ_REL);
		list_add_tail(&first->entry, &wq->ready);
	}
	list_for_each_entry(w, &wq->timers, entry)
		if (w->deadline < next)
			next = w->deadline;
	return next;
}

/*
 * The next item this worker may run: the first ready one that no other
 * worker runs (an item never runs on two workers at once); on an ordered
 * queue, none while another item runs. Caller holds wq_lock.
 */
static struct work_struct *wq_next_item(struct workqueue_struct *wq)
{
	struct work_struct *work;

	if (wq->ordered && wq->nr_running)
		return NULL;
	list_for_each_entry(work, &wq->ready, entry)
		if (!work_running(wq->kd, work))
			return work;
	return NULL;
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
 * A worker: runs items of the queue its context serves, one at a time;
 * sleeps until the next timer or until it is kicked for a queued item.
 */
int kshim_wq_loop(struct ebench_dev *d, int kind)
{
	struct workqueue_struct *wq = wq_wait_registered(d, kind);
	struct kshim_worker *w;
	int ran = 0;

	if (!wq)
		return 0;
	w = kshim_dev_zalloc(d, sizeof(*w));	/* at the same offset in every replay of the run */
	if (!w)
		return -ENOMEM;
	w->wq = wq;
	INIT_LIST_HEAD(&w->idle);
	kshim_ilock(&d->wq_lock);
	list_add_tail(&w->node, &d->workers);
	kshim_iunlock(&d->wq_lock);
	kshim_cur->worker = w;

	for (;;) {
		struct kshim_worker *more = NULL;
		struct work_struct *work;
		u32 s, name;
		u64 next;

		kshim_ilock(&d->wq_lock);
		list_del_init(&w->idle);
		next = wq_expire_timers(wq, kshim_clock());
		work = wq_next_item(wq);
		if (!work) {
			bool done = wq->stopped ||
				    (__atomic_load_n(&d->stopping, __ATOMIC_ACQUIRE) &&
				     list_empty(&wq->timers) && list_empty(&wq->ready));

			if (done) {
				kshim_iunlock(&d->wq_lock);
				break;
			}
			s = __atomic_load_n(&w->seq, __ATOMIC_SEQ_CST);
			list_add(&w->idle, &wq->idle);
			kshim_iunlock(&d->wq_lock);
			kshim_wait(&w->seq, s, next, KSHIM_LABEL(EBENCH_WAIT_IDLE_WORKER, "worker: idle"));
			continue;
		}
		list_del_init(&work->entry);
		__atomic_and_fetch(&work->state, ~(WORK_PENDING | WORK_DELAYED), __ATOMIC_ACQ_REL);
		w->current = work;
		wq->nr_running++;
		/* more runnable items and an idle worker: kick it (need_more_worker) */
		if (!wq->ordered && wq_next_item(wq))
			more = wq_pick_idle(wq);
		kshim_iunlock(&d->wq_lock);
		if (more)
			worker_wake(more);

		name = kshim_label_s(EBENCH_LABEL_NAME, "%s", work->name);
		kshim_point(kshim_label_s(EBENCH_PT_WORK_START, "work(%s)", work->name), work, 0);
		kshim_cur->in_work++;
		kshim_call_start(EBENCH_CALL_WORK, name, 0, work);
		work->func(work);	/* may free work */
		kshim_call_end(EBENCH_CALL_WORK, name, 0, work, 0);
		kshim_cur->in_work--;
		ran++;

		kshim_ilock(&d->wq_lock);
		w->current = NULL;
		wq->nr_running--;
		kshim_iunlock(&d->wq_lock);
		__atomic_add_fetch(&d->work_done_seq, 1, __ATOMIC_SEQ_CST);
		kshim_wake(&d->work_done_seq);
	}
	kshim_cur->worker = NULL;
	/* the worker stays on d->workers until ebench_dev_destroy(): others may still look at it */
	return ran;
}
