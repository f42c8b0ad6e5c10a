/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/workqueue.h - workqueues served by the bench's worker contexts
 * (submit_wq, timeout_wq, system_wq): an ordered queue runs one item at a
 * time; an unordered one runs different items on its workers at once.
 * Follows mainline v7.2 (disable/enable of work items, v6.10+).
 */
#ifndef _LINUX_WORKQUEUE_H
#define _LINUX_WORKQUEUE_H

#include <linux/types.h>
#include <linux/list.h>

struct work_struct;
struct workqueue_struct;
typedef void (*work_func_t)(struct work_struct *work);

#define WORK_PENDING	0x1u	/* queued or timer armed */
#define WORK_DELAYED	0x2u	/* waiting on its timer (delayed_work only) */

struct work_struct {
	struct list_head entry;
	work_func_t func;
	u32 state;
	u32 disable;			/* disable count: queueing is dropped while > 0 */
	u32 magic;
	struct workqueue_struct *wq;	/* last queue it was queued on */
	const char *name;		/* role, from the function name */
	u64 deadline;			/* timer expiry (delayed work) */
};

struct delayed_work {
	struct work_struct work;
};

#define WQ_UNBOUND		(1 << 1)
#define WQ_FREEZABLE		(1 << 2)
#define WQ_MEM_RECLAIM		(1 << 3)
#define WQ_HIGHPRI		(1 << 4)
#define __WQ_ORDERED		(1 << 17)

void __init_work(struct work_struct *work, work_func_t func, const char *name);
#define INIT_WORK(w, f)			__init_work((w), (f), #f)
#define INIT_DELAYED_WORK(dw, f)	__init_work(&(dw)->work, (f), #f)
#define to_delayed_work(w)		container_of(w, struct delayed_work, work)

struct workqueue_struct *kshim_alloc_workqueue(unsigned int flags, int max_active,
					       const char *fmt, ...);
#define alloc_workqueue(fmt, flags, max_active, args...) \
	kshim_alloc_workqueue((flags), (max_active), fmt, ##args)
#define alloc_ordered_workqueue(fmt, flags, args...) \
	kshim_alloc_workqueue(__WQ_ORDERED | WQ_UNBOUND | (flags), 1, fmt, ##args)
void destroy_workqueue(struct workqueue_struct *wq);
void flush_workqueue(struct workqueue_struct *wq);
void drain_workqueue(struct workqueue_struct *wq);

bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
			unsigned long delay);
bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
		      unsigned long delay);
bool cancel_work(struct work_struct *work);
bool cancel_work_sync(struct work_struct *work);
bool cancel_delayed_work(struct delayed_work *dwork);
bool cancel_delayed_work_sync(struct delayed_work *dwork);
bool flush_work(struct work_struct *work);
bool flush_delayed_work(struct delayed_work *dwork);
bool work_busy_running(struct work_struct *work);
bool disable_work(struct work_struct *work);
bool disable_work_sync(struct work_struct *work);
bool enable_work(struct work_struct *work);
bool disable_delayed_work(struct delayed_work *dwork);
bool disable_delayed_work_sync(struct delayed_work *dwork);
bool enable_delayed_work(struct delayed_work *dwork);

static inline bool work_pending(struct work_struct *work)
{
	return __atomic_load_n(&work->state, __ATOMIC_ACQUIRE) & WORK_PENDING;
}

static inline bool delayed_work_pending(struct delayed_work *dwork)
{
	return work_pending(&dwork->work);
}

struct workqueue_struct *kshim_system_wq(void);
#define system_wq		kshim_system_wq()
#define system_unbound_wq	kshim_system_wq()
#define system_percpu_wq	kshim_system_wq()
#define system_dfl_wq		kshim_system_wq()
#define schedule_work(w)	queue_work(system_wq, (w))
#define schedule_delayed_work(dw, d) queue_delayed_work(system_wq, (dw), (d))

#endif
