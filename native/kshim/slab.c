// SPDX-License-Identifier: GPL-2.0-only
/*
 * slab.c - kmalloc and friends, per device. Every object carries a header
 * (size, allocation site); on free it is poisoned with 0x6b and kept in a
 * bounded quarantine, so a use after free reads poison, never a reused object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/slab.h>
#include <linux/kernel.h>

#include "kdev.h"

#define OBJ_LIVE	0x4f424a4cU	/* "OBJL" */
#define OBJ_FREED	0x4f424a46U	/* "OBJF" */
#define QUARANTINE_MAX	(64UL << 20)
#define ARENA_LEN	(256UL << 20)	/* reserved, not committed: pages come as they are touched */

/*
 * No alignment attribute: list walks form container_of() of the list heads in
 * struct ebench_dev, which a 16-byte type alignment would make misaligned
 * (undefined behaviour). The payload keeps kmalloc's 16-byte alignment
 * because malloc's blocks are 16-aligned and the header is a multiple of 16.
 */
struct kshim_obj {
	u32 magic;
	u32 flags;
	size_t size;
	const char *site;
	const char *free_site;
	struct ebench_dev *kd;
	struct list_head node;
	u64 pad;
};

_Static_assert(sizeof(struct kshim_obj) % 16 == 0,
	       "the slab header must keep payloads 16-byte aligned");

static struct kshim_obj *obj_of(const void *p)
{
	return (struct kshim_obj *)p - 1;
}

int kshim_arena_map(struct ebench_dev *d)
{
	void *p = mmap(NULL, ARENA_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	d->arena = p;
	d->arena_len = ARENA_LEN;
	d->arena_used = 0;
	return 0;
}

void kshim_arena_unmap(struct ebench_dev *d)
{
	if (d->arena)
		munmap(d->arena, d->arena_len);
	d->arena = NULL;
}

bool kshim_in_arena(struct ebench_dev *d, const void *p)
{
	return d->arena && (const u8 *)p >= d->arena && (const u8 *)p < d->arena + d->arena_len;
}

/* 16-byte aligned, uninitialised; NULL when the arena is full (the caller falls back to malloc). */
static void *arena_alloc(struct ebench_dev *d, size_t size)
{
	size_t at, end;
	void *p;

	kshim_ilock(&d->slab_lock);
	at = (d->arena_used + 15) & ~(size_t)15;
	end = at + size;
	if (!d->arena || end > d->arena_len || end < at) {
		kshim_iunlock(&d->slab_lock);
		return NULL;
	}
	d->arena_used = end;
	p = d->arena + at;
	kshim_iunlock(&d->slab_lock);
	return p;
}

/* Zeroed memory that lives until the device is reset or destroyed (or kshim_dev_free). */
void *kshim_dev_zalloc(struct ebench_dev *d, size_t size)
{
	void *p = arena_alloc(d, size);

	if (!p)
		return calloc(1, size);
	memset(p, 0, size);
	return p;
}

void kshim_dev_free(struct ebench_dev *d, void *p)
{
	if (p && !kshim_in_arena(d, p))
		free(p);
}

void kshim_slab_init(struct ebench_dev *d)
{
	kshim_ilock_init(&d->slab_lock);
	INIT_LIST_HEAD(&d->slab_live);
	INIT_LIST_HEAD(&d->slab_quarantine);
	INIT_LIST_HEAD(&d->slab_rcu);
}

void *kshim_alloc(size_t size, gfp_t flags, const char *site)
{
	struct ebench_dev *d = kshim_dev();
	struct kshim_obj *o;

	if (!(flags & __GFP_ATOMIC))
		kshim_might_sleep("kmalloc(GFP_KERNEL)");
	if (size > (size_t)INT_MAX) {
		/* kvmalloc refuses crazy sizes with a warning; kmalloc fails quietly */
		if ((flags & __GFP_KSHIM_KV) && !(flags & __GFP_NOWARN))
			kshim_finding_at(EBENCH_F_WARN, site,
					 "WARNING: kvmalloc of %zu bytes (> INT_MAX) from %s", size, site);
		return NULL;
	}
	if (!d) {
		fprintf(stderr, "ethosu-bench: allocation from %s outside any context\n", site);
		return NULL;
	}
	if (kshim_fault(EBENCH_FAULT_ALLOC, site))
		return NULL;
	o = arena_alloc(d, sizeof(*o) + size);
	if (!o)
		o = malloc(sizeof(*o) + size);
	if (!o)
		return NULL;
	o->magic = OBJ_LIVE;
	o->flags = flags;
	o->size = size;
	o->site = site;
	o->free_site = NULL;
	o->kd = d;
	memset(o + 1, (flags & __GFP_ZERO) ? 0 : 0x5a, size);
	kshim_ilock(&d->slab_lock);
	list_add_tail(&o->node, &d->slab_live);
	kshim_iunlock(&d->slab_lock);
	kshim_count(KC_SLAB_LIVE, 1);
	return o + 1;
}

size_t kshim_alloc_size(const void *p)
{
	return p ? obj_of(p)->size : 0;
}

void kshim_free(const void *p, const char *site)
{
	struct kshim_obj *o, *old;
	struct ebench_dev *d;

	if (!p)
		return;
	if (kshim_poisoned_ptr(p)) {
		kshim_finding_at(EBENCH_F_UAF, site, "BUG: kfree of a pointer read from freed memory in %s",
				 site);
		return;
	}
	o = obj_of(p);
	if (o->magic == OBJ_FREED) {
		kshim_finding_at(EBENCH_F_DOUBLE_FREE, site,
			      "BUG: double free of an object of %zu bytes from %s, freed in %s, again in %s",
			      o->size, o->site, o->free_site, site);
		return;
	}
	if (o->magic != OBJ_LIVE) {
		kshim_finding_at(EBENCH_F_OOPS, site, "BUG: kfree of an address that is not an object, in %s",
				 site);
		return;
	}
	d = o->kd;
	memset(o + 1, KSHIM_POISON, o->size);
	o->magic = OBJ_FREED;
	o->free_site = site;
	kshim_ilock(&d->slab_lock);
	list_del(&o->node);
	__atomic_add_fetch(&d->sched.frees, 1, __ATOMIC_RELAXED);
	if (kshim_in_arena(d, o)) {
		/* the arena never hands it out again in this run: it stays poisoned */
		INIT_LIST_HEAD(&o->node);
		kshim_iunlock(&d->slab_lock);
		__atomic_sub_fetch(&d->counters[KC_SLAB_LIVE], 1, __ATOMIC_RELAXED);
		return;
	}
	list_add_tail(&o->node, &d->slab_quarantine);
	d->quarantine_bytes += o->size + sizeof(*o);
	while (d->quarantine_bytes > QUARANTINE_MAX) {
		old = list_first_entry(&d->slab_quarantine, struct kshim_obj, node);
		list_del(&old->node);
		d->quarantine_bytes -= old->size + sizeof(*old);
		free(old);
	}
	kshim_iunlock(&d->slab_lock);
	__atomic_sub_fetch(&d->counters[KC_SLAB_LIVE], 1, __ATOMIC_RELAXED);
}

/*
 * kfree_rcu(): the object stays valid while any context is in an RCU
 * read-side section (an atomic section here), as after call_rcu().
 */
void kshim_free_rcu(const void *p, const char *site)
{
	struct kshim_obj *o;
	struct ebench_dev *d;

	if (!p || kshim_poisoned_ptr(p)) {
		kshim_free(p, site);
		return;
	}
	o = obj_of(p);
	if (o->magic != OBJ_LIVE) {
		kshim_free(p, site);
		return;
	}
	d = o->kd;
	kshim_ilock(&d->slab_lock);
	if (!__atomic_load_n(&d->rcu_readers, __ATOMIC_SEQ_CST)) {
		kshim_iunlock(&d->slab_lock);
		kshim_free(p, site);
		return;
	}
	o->free_site = site;
	list_del(&o->node);
	list_add_tail(&o->node, &d->slab_rcu);
	kshim_iunlock(&d->slab_lock);
}

/* A grace period ended: free what kfree_rcu() deferred. */
void kshim_rcu_quiescent(struct ebench_dev *d)
{
	struct kshim_obj *o, *n;
	LIST_HEAD(done);

	kshim_ilock(&d->slab_lock);
	list_for_each_entry_safe(o, n, &d->slab_rcu, node)
		list_move_tail(&o->node, &done);
	kshim_iunlock(&d->slab_lock);
	list_for_each_entry_safe(o, n, &done, node) {
		list_del(&o->node);
		/* back on the live list for kshim_free to take it off */
		kshim_ilock(&d->slab_lock);
		list_add_tail(&o->node, &d->slab_live);
		kshim_iunlock(&d->slab_lock);
		kshim_free(o + 1, o->free_site);
	}
}

/* Report live objects grouped by allocation site; returns how many groups. */
int kshim_slab_report_leaks(struct ebench_dev *d)
{
	struct { const char *site; size_t size; int n; } groups[32];
	int ngroups = 0, i;
	struct kshim_obj *o;

	kshim_ilock(&d->slab_lock);
	list_for_each_entry(o, &d->slab_live, node) {
		for (i = 0; i < ngroups; i++)
			if (groups[i].site == o->site && groups[i].size == o->size)
				break;
		if (i == ngroups) {
			if (ngroups == 32)
				continue;
			groups[ngroups].site = o->site;
			groups[ngroups].size = o->size;
			groups[ngroups].n = 0;
			ngroups++;
		}
		groups[i].n++;
	}
	kshim_iunlock(&d->slab_lock);
	for (i = 0; i < ngroups; i++)
		kshim_finding_at(EBENCH_F_LEAK, groups[i].site,
			      "unreferenced object: %d object(s) of %zu bytes allocated in %s never freed",
			      groups[i].n, groups[i].size, groups[i].site);
	return ngroups;
}

void kshim_slab_destroy(struct ebench_dev *d)
{
	struct kshim_obj *o, *n;

	list_for_each_entry_safe(o, n, &d->slab_quarantine, node)
		free(o);
	list_for_each_entry_safe(o, n, &d->slab_rcu, node)
		kshim_dev_free(d, o);
	INIT_LIST_HEAD(&d->slab_rcu);
	list_for_each_entry_safe(o, n, &d->slab_live, node)
		kshim_dev_free(d, o);
	INIT_LIST_HEAD(&d->slab_live);
	INIT_LIST_HEAD(&d->slab_quarantine);
	d->quarantine_bytes = 0;
}
