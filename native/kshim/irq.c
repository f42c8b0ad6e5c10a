// SPDX-License-Identifier: GPL-2.0-only
/*
 * irq.c - one threaded interrupt line per device. The hardirq context runs
 * the primary handler when the device raises the line; IRQ_WAKE_THREAD marks
 * the thread pending and wakes irq/ethosu, which runs the thread function;
 * wakes while it runs coalesce into one more run, as in the kernel.
 */
#include <linux/interrupt.h>
#include <linux/platform_device.h>

#include "kdev.h"

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
	if (!handler && !thread_fn)
		return -EINVAL;
	if (d->irq.registered)
		return -EBUSY;	/* one handler per line is all the bench models */
	if ((irqflags & IRQF_SHARED) && !dev_id)
		return -EINVAL;
	d->irq.handler = handler;
	d->irq.thread_fn = thread_fn;
	d->irq.data = dev_id;
	d->irq.flags = irqflags;
	d->irq.name = devname;
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

void free_irq(unsigned int irq, void *dev_id)
{
	struct ebench_dev *d = kshim_dev();

	(void)irq;
	(void)dev_id;
	__atomic_store_n(&d->irq.registered, false, __ATOMIC_RELEASE);
}

void disable_irq(unsigned int irq)
{
	(void)irq;
}

void enable_irq(unsigned int irq)
{
	(void)irq;
}

void synchronize_irq(unsigned int irq)
{
	(void)irq;
}

bool in_hardirq(void)
{
	return kshim_cur && kshim_cur->hardirq;
}

bool in_interrupt(void)
{
	return in_hardirq();
}

/* The line's name in labels: the devname it was requested with (KBUILD_MODNAME). */
static const char *irq_name(struct kshim_irq *irq)
{
	return irq->name ? irq->name : "ethosu";
}

/* Primary handler, in the hardirq context; returns its irqreturn_t. */
int kshim_hardirq(struct ebench_dev *d)
{
	struct kshim_irq *irq = &d->irq;
	irqreturn_t ret = IRQ_NONE;

	kshim_count(KC_IRQS, 1);
	if (!__atomic_load_n(&irq->registered, __ATOMIC_ACQUIRE)) {
		kshim_count(KC_SPURIOUS, 1);
		return IRQ_NONE;
	}
	kshim_point(kshim_label_s(EBENCH_PT_IRQ, "irq(%s)", irq_name(irq)), irq, 0);
	kshim_cur->hardirq = 1;
	kshim_atomic_enter();
	if (irq->handler) {
		u32 lbl = kshim_label_s(EBENCH_LABEL_NAME, "%s", irq_name(irq));

		kshim_call_start(EBENCH_CALL_IRQ_HANDLER, lbl, 0, irq);
		ret = irq->handler(d->pdev.irq, irq->data);
		kshim_call_end(EBENCH_CALL_IRQ_HANDLER, lbl, 0, irq, ret);
	} else {
		ret = IRQ_WAKE_THREAD;
	}
	kshim_atomic_exit();
	kshim_cur->hardirq = 0;
	if (kshim_cur->atomic)
		kshim_finding(EBENCH_F_WARN, "WARNING: hard IRQ handler returns with %d spinlock(s) held",
			      kshim_cur->atomic);
	if (ret == IRQ_NONE)
		kshim_count(KC_SPURIOUS, 1);
	if ((ret & IRQ_WAKE_THREAD) && irq->thread_fn) {
		__atomic_store_n(&irq->thread_pending, 1, __ATOMIC_SEQ_CST);
		kshim_point(kshim_label_s(EBENCH_PT_WAKE, "wake_up(irq/%s)", irq_name(irq)), &irq->seq, 0);
		__atomic_add_fetch(&irq->seq, 1, __ATOMIC_SEQ_CST);
		kshim_wake(&irq->seq);
	}
	return ret;
}

/* The irq/ethosu thread: one run per wake-up, until the device stops. */
int kshim_irq_thread_loop(struct ebench_dev *d)
{
	struct kshim_irq *irq = &d->irq;
	int runs = 0;

	for (;;) {
		u32 s = __atomic_load_n(&irq->seq, __ATOMIC_SEQ_CST);

		if (__atomic_exchange_n(&irq->thread_pending, 0, __ATOMIC_SEQ_CST)) {
			u32 lbl = kshim_label_s(EBENCH_LABEL_NAME, "irq/%s", irq_name(irq));
			irqreturn_t ret;

			kshim_point(kshim_label_s(EBENCH_PT_OTHER, "irq_thread(%s)", irq_name(irq)), irq, 0);
			kshim_call_start(EBENCH_CALL_IRQ_THREAD, lbl, 0, irq);
			ret = irq->thread_fn(d->pdev.irq, irq->data);
			kshim_call_end(EBENCH_CALL_IRQ_THREAD, lbl, 0, irq, ret);
			if (kshim_cur->atomic)
				kshim_finding(EBENCH_F_WARN,
					      "WARNING: IRQ thread returns with %d spinlock(s) held",
					      kshim_cur->atomic);
			runs++;
			continue;
		}
		if (__atomic_load_n(&d->stopping, __ATOMIC_ACQUIRE))
			break;
		kshim_wait(&irq->seq, s, U64_MAX, KSHIM_LABEL(EBENCH_WAIT_IDLE_IRQ_THREAD, "irq thread: idle"));
	}
	return runs;
}
