/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/xarray.h - the XArray as the driver's perfmon table uses it: ids
 * handed out by xa_alloc() from the lowest free index, lookups, erase and
 * iteration, under the array's own spinlock. A flat table, not a radix tree.
 */
#ifndef _LINUX_XARRAY_H
#define _LINUX_XARRAY_H

#include <linux/types.h>
#include <linux/spinlock.h>

struct xarray {
	spinlock_t xa_lock;
	unsigned int xa_flags;
	void **slots;		/* index -> entry; NULL: free */
	unsigned long nr_slots;
};

#define XA_FLAGS_ALLOC		(1U << 0)	/* xa_alloc() hands out ids */
#define XA_FLAGS_ZERO_BUSY	(1U << 1)	/* ... never 0 */
#define XA_FLAGS_ALLOC1		(XA_FLAGS_ALLOC | XA_FLAGS_ZERO_BUSY)

typedef unsigned int xa_mark_t;
#define XA_PRESENT		((xa_mark_t)8U)

struct xa_limit {
	u32 max;
	u32 min;
};

#define XA_LIMIT(_min, _max)	((struct xa_limit){ .min = (_min), .max = (_max) })
#define xa_limit_32b		XA_LIMIT(0, 0xffffffffU)
#define xa_limit_31b		XA_LIMIT(0, 0x7fffffffU)

void xa_init_flags(struct xarray *xa, unsigned int flags);
static inline void xa_init(struct xarray *xa)
{
	xa_init_flags(xa, 0);
}

void *xa_load(struct xarray *xa, unsigned long index);
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);
int xa_alloc(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit, gfp_t gfp);
void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max, xa_mark_t filter);
void *xa_find_after(struct xarray *xa, unsigned long *index, unsigned long max, xa_mark_t filter);
void xa_destroy(struct xarray *xa);

static inline bool xa_empty(struct xarray *xa)
{
	unsigned long i = 0;

	return !xa_find(xa, &i, ~0UL, XA_PRESENT);
}

#define xa_lock(xa)		spin_lock(&(xa)->xa_lock)
#define xa_unlock(xa)		spin_unlock(&(xa)->xa_lock)

#define xa_for_each(xa, index, entry)						\
	for (index = 0, entry = xa_find(xa, &index, ~0UL, XA_PRESENT);		\
	     entry; entry = xa_find_after(xa, &index, ~0UL, XA_PRESENT))

#endif
