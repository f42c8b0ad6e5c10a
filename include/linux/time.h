/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/time.h, linux/ktime.h - kernel time in ns from the platform clock. */
#ifndef _LINUX_TIME_H
#define _LINUX_TIME_H

#include <linux/types.h>

#define MSEC_PER_SEC	1000L
#define USEC_PER_MSEC	1000L
#define USEC_PER_SEC	1000000L
#define NSEC_PER_USEC	1000L
#define NSEC_PER_MSEC	1000000L
#define NSEC_PER_SEC	1000000000L

u64 kshim_now(void);

static inline ktime_t ktime_get(void)
{
	return kshim_now();
}

static inline ktime_t ktime_add_us(ktime_t t, u64 us)
{
	return t + (s64)(us * NSEC_PER_USEC);
}

static inline ktime_t ktime_add(ktime_t a, ktime_t b)
{
	return a + b;
}

static inline ktime_t ktime_sub(ktime_t a, ktime_t b)
{
	return a - b;
}

static inline bool ktime_before(ktime_t a, ktime_t b)
{
	return a < b;
}

static inline ktime_t ns_to_ktime(u64 ns)
{
	return (ktime_t)ns;
}

static inline ktime_t us_to_ktime(u64 us)
{
	return (ktime_t)(us * NSEC_PER_USEC);
}

static inline s64 ktime_to_us(ktime_t t)
{
	return t / NSEC_PER_USEC;
}

static inline ktime_t ktime_add_ns(ktime_t t, u64 ns)
{
	return t + (s64)ns;
}

static inline int ktime_compare(ktime_t a, ktime_t b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

static inline bool ktime_after(ktime_t a, ktime_t b)
{
	return a > b;
}

static inline s64 ktime_to_ns(ktime_t t)
{
	return (s64)t;
}

static inline s64 ktime_us_delta(ktime_t later, ktime_t earlier)
{
	return ((s64)later - (s64)earlier) / NSEC_PER_USEC;
}

#endif
