// SPDX-License-Identifier: GPL-2.0-only
/*
 * xarray.c - the XArray shim (include/linux/xarray.h): a table that grows by
 * doubling, its memory from the slab shim so a table left at teardown is a leak.
 * xa_alloc(), xa_store() and xa_erase() take the array's lock, as the kernel's do.
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

void xa_init_flags(struct xarray *xa, unsigned int flags)
{
	spin_lock_init(&xa->xa_lock);
	xa->xa_flags = flags;
	xa->slots = NULL;
	xa->nr_slots = 0;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	return index < xa->nr_slots ? xa->slots[index] : NULL;
}

/* Makes room for index; called with the lock held, so it must not sleep. */
static int xa_grow(struct xarray *xa, unsigned long index, gfp_t gfp)
{
	unsigned long n = xa->nr_slots ? xa->nr_slots : 8;
	void **slots;

	if (index < xa->nr_slots)
		return 0;
	while (n <= index)
		n *= 2;
	slots = kzalloc(n * sizeof(*slots), GFP_ATOMIC);
	if (!slots)
		return -ENOMEM;
	if (xa->nr_slots)
		memcpy(slots, xa->slots, xa->nr_slots * sizeof(*slots));
	kfree(xa->slots);
	xa->slots = slots;
	xa->nr_slots = n;
	return 0;
}

void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	void *old;

	xa_lock(xa);
	if (xa_grow(xa, index, gfp)) {
		xa_unlock(xa);
		return ERR_PTR(-ENOMEM);
	}
	old = xa->slots[index];
	xa->slots[index] = entry;
	xa_unlock(xa);
	return old;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	void *old = NULL;

	xa_lock(xa);
	if (index < xa->nr_slots) {
		old = xa->slots[index];
		xa->slots[index] = NULL;
	}
	xa_unlock(xa);
	return old;
}

int xa_alloc(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit, gfp_t gfp)
{
	unsigned long i = limit.min;

	if ((xa->xa_flags & XA_FLAGS_ZERO_BUSY) && i == 0)
		i = 1;
	xa_lock(xa);
	for (; i <= limit.max; i++) {
		if (i >= xa->nr_slots || !xa->slots[i])
			break;
	}
	if (i > limit.max) {
		xa_unlock(xa);
		return -EBUSY;
	}
	if (xa_grow(xa, i, gfp)) {
		xa_unlock(xa);
		return -ENOMEM;
	}
	xa->slots[i] = entry;
	*id = i;
	xa_unlock(xa);
	return 0;
}

void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max, xa_mark_t filter)
{
	unsigned long i;

	for (i = *index; i < xa->nr_slots && i <= max; i++) {
		if (xa->slots[i]) {
			*index = i;
			return xa->slots[i];
		}
	}
	return NULL;
}

void *xa_find_after(struct xarray *xa, unsigned long *index, unsigned long max, xa_mark_t filter)
{
	unsigned long next = *index + 1;
	void *entry;

	if (next == 0)
		return NULL;
	entry = xa_find(xa, &next, max, filter);
	if (entry)
		*index = next;
	return entry;
}

void xa_destroy(struct xarray *xa)
{
	xa_lock(xa);
	kfree(xa->slots);
	xa->slots = NULL;
	xa->nr_slots = 0;
	xa_unlock(xa);
}
