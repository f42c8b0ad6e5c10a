/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/interrupt.h - threaded IRQs: the primary handler runs in the hardirq
 * context, IRQ_WAKE_THREAD wakes the irq/ethosu context; a wake while the
 * thread runs makes it run once more. disable_irq(), synchronize_irq() and
 * free_irq() wait for both handlers, as mainline v7.2's do.
 */
#ifndef _LINUX_INTERRUPT_H
#define _LINUX_INTERRUPT_H

#include <linux/types.h>
#include <linux/device.h>

typedef enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
	IRQ_WAKE_THREAD = 2,
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *data);

#define IRQF_SHARED	0x00000080
#define IRQF_ONESHOT	0x00002000

int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
			      irq_handler_t thread_fn, unsigned long irqflags,
			      const char *devname, void *dev_id);
int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long irqflags, const char *devname, void *dev_id);
void free_irq(unsigned int irq, void *dev_id);
void disable_irq(unsigned int irq);
void disable_irq_nosync(unsigned int irq);
void enable_irq(unsigned int irq);
void synchronize_irq(unsigned int irq);
bool in_interrupt(void);
bool in_hardirq(void);

#define devm_request_irq(dev, irq, handler, flags, name, data) \
	devm_request_threaded_irq(dev, irq, handler, NULL, flags, name, data)

#endif
