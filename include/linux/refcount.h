/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/refcount.h - refcount_t: an increment from 0 or a decrement below 0
 * warns and saturates instead of wrapping, as the kernel's does; touching a
 * poisoned (freed) counter is reported as a use after free.
 */
#ifndef _LINUX_REFCOUNT_H
#define _LINUX_REFCOUNT_H

#include <linux/types.h>

typedef struct refcount_struct {
	int refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = (n) }
#define REFCOUNT_SATURATED	(INT_MIN / 2)
#ifndef INT_MIN
#define INT_MIN			(-INT_MAX - 1)
#endif

void refcount_set(refcount_t *r, int n);
unsigned int refcount_read(const refcount_t *r);
void refcount_inc(refcount_t *r);
bool refcount_inc_not_zero(refcount_t *r);
bool refcount_dec_and_test(refcount_t *r);
void refcount_dec(refcount_t *r);

#endif
