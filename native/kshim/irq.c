// SPDX-License-Identifier: GPL-2.0-only
/*
 * irq.c - one threaded interrupt line per device, after mainline v7.2
 * kernel/irq/manage.c and chip.c: the hardirq context runs the primary
 * handler when the line is raised, and again while the level-triggered line
 * stays asserted (the board glue samples it); IRQ_WAKE_THREAD wakes irq/ethosu,
 * and wakes while it runs coalesce into one more run; IRQF_ONESHOT keeps the
 * line masked until the thread returns; disable_irq() masks the line and
 * waits, as synchronize_irq() does, for the hard handler and for the thread
 * (woken or running); free_irq() does the same and unregisters the handlers.
 */
#include <stdio.h>

#include <linux/interrupt.h>
#include <linux/platform_device.h>

#include "kdev.h"

static const char *irq_name(struct kshim_irq *irq)
{
	return irq->name ? irq->name : "ethosu";
}

int platform_get_irq(struct platform_device *pdev, unsigned int num)
{
	if (num != 0 || pdev->irq <= 0) {
		dev_err(&pdev->dev, "IRQ index %u not found", num);
		return -ENXIO;
	}
	return pdev->irq;
}

int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long irqflags, const char *devname, void *dev_id)
{
	struct ebench_dev *d = kshim_dev();

	kshim_might_sleep("request_threaded_irq");
	if ((int)irq != d->pdev.irq)
		return -EINVAL;
	if ((irqflags & IRQF_SHARED) && !dev_id)
		return -EINVAL;
	if (!handler) {
		if (!thread_fn)
			return -EINVAL;
		/* without a primary handler the line must stay masked until the thread ran */
		if (!(irqflags & IRQF_ONESHOT)) {
			pr_err("genirq: Threaded irq requested with handler=NULL and !ONESHOT for %s (irq %u)\n",
			       devname, irq);
			return -EINVAL;
		}
	}
	/* bench: the "irq-request" fault: the irqaction allocation fails */
	if (kshim_fault(EBENCH_FAULT_IRQ_REQUEST, "request_threaded_irq"))
		return -ENOMEM;
	if (d->irq.registered)
		return -EBUSY;	/* one handler per line is all the bench models */
	d->irq.handler = handler;
	d->irq.thread_fn = thread_fn;
	d->irq.data = dev_id;
	d->irq.flags = irqflags;
	d->irq.name = devname;
	d->irq.depth = 0;
	d->irq.oneshot_masked = 0;
	__atomic_store_n(&d->irq.registered, true, __ATOMIC_RELEASE);
	return 0;
}

int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
			      irq_handler_t thread_fn, unsigned long irqflags,
			      const char *devname, void *dev_id)
{
	(void)dev;
	return request_threaded_irq(irq, handler, thread_fn, irqflags, devname, dev_id);
}

/* The line is masked: by disable_irq() or until a oneshot thread returns. */
static bool irq_masked(struct kshim_irq *irq)
{
	return __atomic_load_n(&irq->depth, __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&irq->oneshot_masked, __ATOMIC_SEQ_CST);
}

static void irq_unmasked(struct kshim_irq *irq)
{
	__atomic_add_fetch(&irq->enable_seq, 1, __ATOMIC_SEQ_CST);
	kshim_wake(&irq->enable_seq);
}

static void irq_progress(struct kshim_irq *irq)
{
	__atomic_add_fetch(&irq->sync_seq, 1, __ATOMIC_SEQ_CST);
	kshim_wake(&irq->sync_seq);
}

/*
 * Waits until the hard handler is not running and no thread run is pending or
 * running (the kernel's threads_active count). @op names the caller.
 */
static void irq_sync(struct ebench_dev *d, const char *op)
{
	struct kshim_irq *irq = &d->irq;
	u32 what;

	kshim_might_sleep(op);
	if (kshim_cur && kshim_cur->kind == EBENCH_CTX_IRQ_THREAD &&
	    __atomic_load_n(&irq->thread_running, __ATOMIC_SEQ_CST)) {
		kshim_finding_at(EBENCH_F_DEADLOCK, op,
				 "%s(%s) from the IRQ thread waits for the IRQ thread itself: deadlock",
				 op, irq_name(irq));
		return;
	}
	if (kshim_cur && kshim_cur->hardirq) {
		/* might_sleep() reported it; waiting for ourselves would never end */
		kshim_finding_at(EBENCH_F_DEADLOCK, op,
				 "%s(%s) from the hard IRQ handler waits for the handler itself: deadlock",
				 op, irq_name(irq));
		return;
	}
	what = kshim_labelf(EBENCH_WAIT_EVENT, "%s(%s): waits for the handlers", op, irq_name(irq));
	for (;;) {
		u32 s = __atomic_load_n(&irq->sync_seq, __ATOMIC_SEQ_CST);

		if (!__atomic_load_n(&irq->hardirq_running, __ATOMIC_SEQ_CST) &&
		    !__atomic_load_n(&irq->thread_pending, __ATOMIC_SEQ_CST) &&
		    !__atomic_load_n(&irq->thread_running, __ATOMIC_SEQ_CST))
			break;
		kshim_wait(&irq->sync_seq, s, U64_MAX, what);
	}
}

void synchronize_irq(unsigned int irq)
{
	struct ebench_dev *d = kshim_dev();

	kshim_point(kshim_label_s(EBENCH_PT_OTHER, "synchronize_irq(%s)", irq_name(&d->irq)), &d->irq, 0);
	irq_sync(d, "synchronize_irq");
}

void disable_irq_nosync(unsigned int irq)
{
	struct ebench_dev *d = kshim_dev();

	kshim_point(kshim_label_s(EBENCH_PT_OTHER, "disable_irq_nosync(%s)", irq_name(&d->irq)), &d->irq, 0);
	__atomic_add_fetch(&d->irq.depth, 1, __ATOMIC_SEQ_CST);
}

void disable_irq(unsigned int irq)
{
	struct ebench_dev *d = kshim_dev();

	kshim_point(kshim_label_s(EBENCH_PT_OTHER, "disable_irq(%s)", irq_name(&d->irq)), &d->irq, 0);
	__atomic_add_fetch(&d->irq.depth, 1, __ATOMIC_SEQ_CST);
	irq_sync(d, "disable_irq");
}

void enable_irq(unsigned int irq)
{
	struct ebench_dev *d = kshim_dev();
	struct kshim_irq *line = &d->irq;
	int depth;

	kshim_point(kshim_label_s(EBENCH_PT_OTHER, "enable_irq(%s)", irq_name(line)), line, 0);
	depth = __atomic_load_n(&line->depth, __ATOMIC_SEQ_CST);
	if (!depth) {
		kshim_finding(EBENCH_F_WARN, "WARNING: Unbalanced enable for IRQ %u", irq);
		return;
	}
	if (__atomic_sub_fetch(&line->depth, 1, __ATOMIC_SEQ_CST) == 0)
		irq_unmasked(line);
}

void free_irq(unsigned int irq, void *dev_id)
{
	struct ebench_dev *d = kshim_dev();
	struct kshim_irq *line = &d->irq;

	kshim_point(kshim_label_s(EBENCH_PT_OTHER, "free_irq(%s)", irq_name(line)), line, 0);
	kshim_might_sleep("free_irq");
	if (!__atomic_load_n(&line->registered, __ATOMIC_ACQUIRE) || line->data != dev_id) {
		kshim_finding(EBENCH_F_WARN, "WARNING: Trying to free already-free IRQ %u", irq);
		return;
	}
	/* no new hard handler runs from here on; wait for the ones in flight */
	__atomic_store_n(&line->registered, false, __ATOMIC_RELEASE);
	irq_unmasked(line);	/* a hardirq blocked on a masked line sees it gone */
	irq_sync(d, "free_irq");
}

bool in_hardirq(void)
{
	return kshim_cur && kshim_cur->hardirq;
}

bool in_interrupt(void)
{
	return in_hardirq();
}

/* Hard-handler runs in a row with the line still asserted before it counts as a storm. */
#define KSHIM_IRQ_STORM_RUNS	64

/*
 * One run of the primary handler, in the hardirq context. While the line is
 * masked the interrupt stays pending, as a masked level interrupt does: the
 * context waits here until enable_irq() or the oneshot thread unmasks it.
 * Returns the handler's irqreturn_t, -1 when no handler is registered, -2
 * when a re-entry (@again) found the line dropped by the time it was unmasked.
 */
static int hardirq_once(struct ebench_dev *d, bool again)
{
	struct kshim_irq *irq = &d->irq;
	bool waited = false;
	irqreturn_t ret;

	for (;;) {
		u32 s = __atomic_load_n(&irq->enable_seq, __ATOMIC_SEQ_CST);

		if (!__atomic_load_n(&irq->registered, __ATOMIC_ACQUIRE))
			return -1;
		/* unmasked after a wait (oneshot, enable_irq): taken again only if still asserted */
		if (again && waited && irq->line_asserted && !irq->line_asserted(d))
			return -2;
		if (!irq_masked(irq))
			break;
		waited = true;
		kshim_wait(&irq->enable_seq, s, U64_MAX,
			   KSHIM_LABEL(EBENCH_WAIT_IDLE_IRQ_THREAD, "hardirq: line masked, pending, idle"));
	}
	kshim_point(kshim_label_s(EBENCH_PT_IRQ, "irq(%s)", irq_name(irq)), irq, 0);
	__atomic_store_n(&irq->hardirq_running, true, __ATOMIC_SEQ_CST);
	kshim_cur->hardirq = 1;
	kshim_atomic_enter();
	if (irq->handler) {
		u32 lbl = kshim_label_s(EBENCH_LABEL_NAME, "%s", irq_name(irq));

		kshim_call_start(EBENCH_CALL_IRQ_HANDLER, lbl, 0, irq);
		ret = irq->handler(d->pdev.irq, irq->data);
		kshim_call_end(EBENCH_CALL_IRQ_HANDLER, lbl, 0, irq, ret);
	} else {
		ret = IRQ_WAKE_THREAD;	/* irq_default_primary_handler */
	}
	kshim_atomic_exit();
	kshim_cur->hardirq = 0;
	if (kshim_cur->atomic)
		kshim_finding(EBENCH_F_WARN, "WARNING: hard IRQ handler returns with %d spinlock(s) held",
			      kshim_cur->atomic);
	if (ret == IRQ_NONE)
		kshim_count(KC_SPURIOUS, 1);
	if ((ret & IRQ_WAKE_THREAD) && irq->thread_fn) {
		/* IRQF_ONESHOT: the line stays masked until the thread has run */
		if (irq->flags & IRQF_ONESHOT)
			__atomic_store_n(&irq->oneshot_masked, 1, __ATOMIC_SEQ_CST);
		__atomic_store_n(&irq->thread_pending, 1, __ATOMIC_SEQ_CST);
		kshim_point(kshim_label_s(EBENCH_PT_WAKE, "wake_up(irq/%s)", irq_name(irq)), &irq->seq, 0);
		__atomic_add_fetch(&irq->seq, 1, __ATOMIC_SEQ_CST);
		kshim_wake(&irq->seq);
	}
	__atomic_store_n(&irq->hardirq_running, false, __ATOMIC_SEQ_CST);
	irq_progress(irq);
	return ret;
}

/*
 * The line was raised: the primary handler, in the hardirq context. The
 * line is level-triggered (handle_level_irq): when the handler returns and
 * the device still asserts it, the interrupt is taken again at once. A line
 * the handler never lets drop is a storm (on hardware the CPU never leaves
 * interrupt context: a hard lockup): reported with its count, and the line
 * is then disabled, as the kernel disables a line nobody handles, so the run
 * can end. Returns the last run's irqreturn_t.
 */
int kshim_hardirq(struct ebench_dev *d)
{
	struct kshim_irq *irq = &d->irq;
	int runs = 0, ret = IRQ_NONE;

	kshim_count(KC_IRQS, 1);
	for (;;) {
		int r = hardirq_once(d, runs > 0);

		if (r == -2)
			break;
		if (r < 0) {
			kshim_count(KC_SPURIOUS, 1);
			return IRQ_NONE;
		}
		ret = r;
		runs++;
		if (!irq->line_asserted || !irq->line_asserted(d) ||
		    __atomic_load_n(&d->stopping, __ATOMIC_ACQUIRE))
			break;
		if (runs >= KSHIM_IRQ_STORM_RUNS) {
			kshim_finding(EBENCH_F_DEADLOCK,
				      "irq %d: interrupt storm: the hard handler ran %d times in a row and the line stayed asserted (it returned %s); on hardware a hard lockup. Disabling IRQ #%d",
				      d->pdev.irq, runs,
				      ret == IRQ_NONE ? "IRQ_NONE" : ret == IRQ_HANDLED ? "IRQ_HANDLED" : "IRQ_WAKE_THREAD",
				      d->pdev.irq);
			__atomic_add_fetch(&irq->depth, 1, __ATOMIC_SEQ_CST);
			break;
		}
		kshim_count(KC_IRQS, 1);
	}
	return ret;
}

/* The irq/ethosu thread: one run per wake-up (wakes meanwhile coalesce), until the device stops. */
int kshim_irq_thread_loop(struct ebench_dev *d)
{
	struct kshim_irq *irq = &d->irq;
	int runs = 0;

	for (;;) {
		u32 s = __atomic_load_n(&irq->seq, __ATOMIC_SEQ_CST);

		if (__atomic_load_n(&irq->thread_pending, __ATOMIC_SEQ_CST)) {
			u32 lbl = kshim_label_s(EBENCH_LABEL_NAME, "irq/%s", irq_name(irq));
			irqreturn_t ret;

			__atomic_store_n(&irq->thread_running, true, __ATOMIC_SEQ_CST);
			__atomic_store_n(&irq->thread_pending, 0, __ATOMIC_SEQ_CST);
			kshim_point(kshim_label_s(EBENCH_PT_OTHER, "irq_thread(%s)", irq_name(irq)), irq, 0);
			kshim_call_start(EBENCH_CALL_IRQ_THREAD, lbl, 0, irq);
			ret = irq->thread_fn(d->pdev.irq, irq->data);
			kshim_call_end(EBENCH_CALL_IRQ_THREAD, lbl, 0, irq, ret);
			if (kshim_cur->atomic)
				kshim_finding(EBENCH_F_WARN,
					      "WARNING: IRQ thread returns with %d spinlock(s) held",
					      kshim_cur->atomic);
			__atomic_store_n(&irq->thread_running, false, __ATOMIC_SEQ_CST);
			/* irq_finalize_oneshot(): unmask once no run is pending */
			if (__atomic_load_n(&irq->oneshot_masked, __ATOMIC_SEQ_CST) &&
			    !__atomic_load_n(&irq->thread_pending, __ATOMIC_SEQ_CST)) {
				__atomic_store_n(&irq->oneshot_masked, 0, __ATOMIC_SEQ_CST);
				irq_unmasked(irq);
			}
			irq_progress(irq);
			runs++;
			continue;
		}
		if (__atomic_load_n(&d->stopping, __ATOMIC_ACQUIRE))
			break;
		kshim_wait(&irq->seq, s, U64_MAX, KSHIM_LABEL(EBENCH_WAIT_IDLE_IRQ_THREAD, "irq thread: idle"));
	}
	return runs;
}
