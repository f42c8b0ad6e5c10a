/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/iopoll.h - polling a register with sleeps, on the kernel clock. */
#ifndef _LINUX_IOPOLL_H
#define _LINUX_IOPOLL_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/time.h>
#include <linux/delay.h>

void kshim_might_sleep(const char *what);

#define read_poll_timeout(op, val, cond, sleep_us, timeout_us, sleep_before_read, args...) \
({									\
	u64 __timeout_us = (timeout_us);				\
	unsigned long __sleep_us = (sleep_us);				\
	ktime_t __timeout = ktime_add_us(ktime_get(), __timeout_us);	\
	if (__sleep_us)							\
		kshim_might_sleep("read_poll_timeout");			\
	if ((sleep_before_read) && __sleep_us)				\
		usleep_range((__sleep_us >> 2) + 1, __sleep_us);	\
	for (;;) {							\
		(val) = op(args);					\
		if (cond)						\
			break;						\
		if (__timeout_us &&					\
		    ktime_compare(ktime_get(), __timeout) > 0) {	\
			(val) = op(args);				\
			break;						\
		}							\
		if (__sleep_us)						\
			usleep_range((__sleep_us >> 2) + 1, __sleep_us); \
	}								\
	(cond) ? 0 : -ETIMEDOUT;					\
})

#define readx_poll_timeout(op, addr, val, cond, sleep_us, timeout_us)	\
	read_poll_timeout(op, val, cond, sleep_us, timeout_us, false, addr)
#define readl_poll_timeout(addr, val, cond, delay_us, timeout_us)	\
	readx_poll_timeout(readl, addr, val, cond, delay_us, timeout_us)
#define readl_relaxed_poll_timeout(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout(readl_relaxed, addr, val, cond, delay_us, timeout_us)

#endif
