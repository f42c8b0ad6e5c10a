/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/delay.h - sleeps are waits on the kernel clock (virtual when controlled). */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

#include <linux/types.h>

void usleep_range(unsigned long min_us, unsigned long max_us);
void msleep(unsigned int msecs);
void udelay(unsigned long usecs);
#define ndelay(n)	udelay(((n) + 999) / 1000)
#define mdelay(n)	udelay((n) * 1000)
#define fsleep(us)	usleep_range(us, us)
#define cpu_relax()	do { } while (0)

#endif
