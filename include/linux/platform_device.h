/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/platform_device.h - the NPU as a platform device with one IRQ. */
#ifndef _LINUX_PLATFORM_DEVICE_H
#define _LINUX_PLATFORM_DEVICE_H

#include <linux/device.h>
#include <linux/container_of.h>

struct platform_device {
	const char *name;
	int id;
	struct device dev;
	int irq;			/* the one interrupt line, number > 0 */
};

#define to_platform_device(x)	container_of((x), struct platform_device, dev)

int platform_get_irq(struct platform_device *pdev, unsigned int num);

#endif
