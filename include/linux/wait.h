/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/wait.h - wait queues over the platform seam: a wait re-checks its
 * condition after every wake, as the kernel's does.
 */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/jiffies.h>

int kshim_wait(u32 *word, u32 expected, u64 deadline, u32 label);
void kshim_wake(u32 *word);
u64 kshim_now(void);
void kshim_might_sleep(const char *what);

typedef struct wait_queue_head {
	u32 seq;
} wait_queue_head_t;

static inline void init_waitqueue_head(wait_queue_head_t *wq)
{
	wq->seq = 0;
}


static inline void __wake_up_all(wait_queue_head_t *wq)
{
	__atomic_add_fetch(&wq->seq, 1, __ATOMIC_SEQ_CST);
	kshim_wake(&wq->seq);
}

/* A wake is a scheduling point named after the queue: "wake_up(&sched->job_scheduled)". */
#define wake_up_all(wq)							\
do {									\
	kshim_point(KSHIM_LABEL(EBENCH_PT_WAKE, "wake_up(" #wq ")"), (wq), 0); \
	__wake_up_all(wq);						\
} while (0)
#define wake_up(wq)	wake_up_all(wq)
#define wake_up_interruptible(wq) wake_up_all(wq)

#define wait_event(wq, cond)						\
do {									\
	kshim_might_sleep("wait_event(" #wq ")");			\
	for (;;) {							\
		u32 __s = __atomic_load_n(&(wq).seq, __ATOMIC_SEQ_CST);	\
		if (cond)						\
			break;						\
		kshim_wait(&(wq).seq, __s, U64_MAX,			\
			   KSHIM_LABEL(EBENCH_WAIT_EVENT, "wait_event(" #wq ")")); \
	}								\
} while (0)
#define wait_event_killable(wq, cond)	({ wait_event(wq, cond); 0; })
#define wait_event_interruptible(wq, cond) ({ wait_event(wq, cond); 0; })

/* Returns 0 on timeout (cond false), else the remaining jiffies (>= 1). */
#define wait_event_timeout(wq, cond, timeout)				\
({									\
	u64 __dl = kshim_now() + (u64)jiffies_to_nsecs(timeout);	\
	long __ret = 0;							\
	kshim_might_sleep("wait_event_timeout(" #wq ")");		\
	for (;;) {							\
		u32 __s = __atomic_load_n(&(wq).seq, __ATOMIC_SEQ_CST);	\
		u64 __now;						\
		if (cond) {						\
			__now = kshim_now();				\
			__ret = __now >= __dl ? 1 :			\
				(long)nsecs_to_jiffies(__dl - __now) + 1; \
			break;						\
		}							\
		if (kshim_wait(&(wq).seq, __s, __dl,			\
			       KSHIM_LABEL(EBENCH_WAIT_EVENT,		\
					   "wait_event_timeout(" #wq ")")) && \
		    !(cond))						\
			break;						\
	}								\
	__ret;								\
})

struct completion {
	u32 done;
	wait_queue_head_t wait;
};

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

static inline void __complete_all(struct completion *x)
{
	__atomic_store_n(&x->done, 1, __ATOMIC_SEQ_CST);
	__wake_up_all(&x->wait);
}

#define complete_all(x)							\
do {									\
	kshim_point(KSHIM_LABEL(EBENCH_PT_WAKE, "complete_all(" #x ")"), (x), 0); \
	__complete_all(x);						\
} while (0)
#define complete(x)	complete_all(x)

#define wait_for_completion(x)	wait_event((x)->wait, __atomic_load_n(&(x)->done, __ATOMIC_SEQ_CST))

#endif
