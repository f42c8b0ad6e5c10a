/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kdev.h - struct ebench_dev, the whole state of one simulated device: its
 * platform (free-running or controlled), register file, workqueues, IRQ line,
 * slab and counters. Private to native/kshim and native/bench.
 */
#ifndef KSHIM_KDEV_H
#define KSHIM_KDEV_H

#include <limits.h>
#include <linux/interrupt.h>
#include <linux/platform_device.h>
#include <linux/mutex.h>
#include "kshim.h"
#include "ethosu_bench.h"

struct kshim_irq {
	irq_handler_t handler;
	irq_handler_t thread_fn;
	void *data;
	unsigned long flags;
	const char *name;
	bool registered;
	int depth;		/* disable_irq() nesting: masked while > 0 */
	u32 oneshot_masked;	/* IRQF_ONESHOT: masked until the thread returns */
	bool hardirq_running;	/* the primary handler runs now */
	bool thread_running;	/* the thread function runs now */
	u32 thread_pending;	/* IRQ_WAKE_THREAD seen, thread not yet run */
	u32 seq;		/* wake channel of the IRQ thread */
	u32 enable_seq;		/* bumped when the line is unmasked */
	u32 sync_seq;		/* bumped when a handler returns: synchronize_irq waits here */
	/* the board: whether the device asserts the (level-triggered) line now; NULL: edge */
	bool (*line_asserted)(struct ebench_dev *d);
};

struct ebench_dev {
	struct ebench_config cfg;
	bool controlled;
	u64 t0_ns;			/* free-running: CLOCK_MONOTONIC at creation */
	u32 stopping;			/* remove() called: loops return */

	/* register file */
	void *regs;
	size_t regs_len;
	int regs_fd;
	bool regs_tmp;
	char regs_path[PATH_MAX];

	struct platform_device pdev;
	void *drvdata;			/* the driver's device struct (bench glue) */
	bool probed;			/* ethosu_job_init() succeeded */
	bool clk_managed;		/* the driver owns the clocks: gated access is a finding */
	bool clk_on;			/* the NPU's clocks run */
	bool clk_gated_reported;	/* one finding per gated period */

	/* workqueues by serving context kind */
	struct workqueue_struct *wq[EBENCH_CTX_KINDS];
	u32 wq_seq;			/* bumped when a workqueue is registered */
	struct kshim_ilock wq_lock;	/* every queue's lists, every work item's state */
	struct list_head workers;	/* struct kshim_worker, until destroy */
	u32 work_done_seq;		/* bumped after each item: cancel_sync/flush wait here */
	struct kshim_irq irq;
	struct mutex pm_lock;
	struct mutex selftest_a, selftest_b;	/* ebench_selftest_lock_order() only */
	void *selftest_irq;			/* ebench_selftest_irq() only: its handler data */
	u64 fence_context;
	int sched_policy;		/* drm.sched_policy: enum kshim_sched_policy */

	/*
	 * The device's memory arena: slab objects, the driver's device struct and
	 * the workqueues come from here in allocation order, so one run's objects
	 * sit at the same offsets whenever the run takes the same steps (the
	 * controller compares the objects of points across runs by offset), and
	 * freed memory is never handed out again within a run. Kept across
	 * resets; emptied by them.
	 */
	u8 *arena;
	size_t arena_len;
	size_t arena_used;

	/* slab */
	struct kshim_ilock slab_lock;
	struct list_head slab_live;
	struct list_head slab_quarantine;
	size_t quarantine_bytes;
	struct list_head slab_rcu;	/* kfree_rcu'd, waiting for a grace period */
	int rcu_readers;		/* contexts in an RCU read-side section (atomic) */

	/* fault injection: per enum ebench_fault, the countdown and the site it counts */
	struct kshim_fault_arm {
		int nth;		/* 0: disarmed; 1: the next matching call fails */
		char site[64];		/* "" : any caller */
	} faults[EBENCH_FAULTS];
	struct kshim_ilock fault_lock;

	s64 counters[KC_NR];
	struct ebench_sched sched;	/* controlled: shared with the controller */
	u64 next_client_id;		/* drm_file.client_id */
	u64 next_dma;			/* next BO bus address */
};

struct workqueue_struct *kshim_wq_create(struct ebench_dev *d, int kind, unsigned int flags,
					 const char *name);
void kshim_wq_destroy(struct workqueue_struct *wq);
int kshim_wq_loop(struct ebench_dev *d, int kind);
void kshim_wq_stop(struct workqueue_struct *wq);
void kshim_workers_destroy(struct ebench_dev *d);
int kshim_irq_thread_loop(struct ebench_dev *d);
int kshim_hardirq(struct ebench_dev *d);
int kshim_arena_map(struct ebench_dev *d);
void kshim_arena_unmap(struct ebench_dev *d);
bool kshim_in_arena(struct ebench_dev *d, const void *p);
void *kshim_dev_zalloc(struct ebench_dev *d, size_t size);
void kshim_dev_free(struct ebench_dev *d, void *p);
void kshim_slab_init(struct ebench_dev *d);
int kshim_slab_report_leaks(struct ebench_dev *d);
void kshim_slab_destroy(struct ebench_dev *d);
void kshim_rcu_quiescent(struct ebench_dev *d);
void kshim_stop(struct ebench_dev *d);

#endif
