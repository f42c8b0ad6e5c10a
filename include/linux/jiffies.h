/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/jiffies.h - HZ is 1000: one jiffy is one millisecond of kernel time. */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

#include <linux/types.h>
#include <linux/time.h>

#define HZ			1000
#define MAX_JIFFY_OFFSET	((LONG_MAX >> 1) - 1)
#define MAX_SCHEDULE_TIMEOUT	LONG_MAX

u64 kshim_now(void);
u64 kshim_jiffies(void);

#define jiffies			((unsigned long)kshim_jiffies())
#define jiffies_64		kshim_jiffies()

static inline unsigned long msecs_to_jiffies(unsigned int m)
{
	return m;
}

static inline unsigned long usecs_to_jiffies(unsigned int u)
{
	return (u + 999) / 1000;
}

static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return j;
}

static inline u64 jiffies_to_nsecs(unsigned long j)
{
	if (j >= (unsigned long)MAX_JIFFY_OFFSET)
		return U64_MAX / 2;
	return (u64)j * NSEC_PER_MSEC;
}

static inline unsigned long nsecs_to_jiffies(u64 n)
{
	return n / NSEC_PER_MSEC;
}

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)

#endif
