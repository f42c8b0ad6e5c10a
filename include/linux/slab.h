/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/slab.h - allocations are per device, counted, poisoned with 0x6b on
 * free and kept in quarantine, so a use after free reads poison instead of a
 * reused object and the shims can report it.
 */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/types.h>
#include <linux/cleanup.h>
#include <linux/overflow.h>

#define __GFP_NOWARN	0x200u
#define __GFP_ZERO	0x100u
#define __GFP_ATOMIC	0x800u
#define __GFP_KSHIM_KV	0x1000u	/* kvmalloc family: sizes over INT_MAX warn */
#define GFP_KERNEL	0x1u
#define GFP_NOWAIT	(0x2u | __GFP_ATOMIC)
#define GFP_ATOMIC	(0x4u | __GFP_ATOMIC)

void *kshim_alloc(size_t size, gfp_t flags, const char *site);
void kshim_free(const void *p, const char *site);
size_t kshim_alloc_size(const void *p);

#define kmalloc(size, flags)		kshim_alloc((size), (flags), __func__)
#define kzalloc(size, flags)		kshim_alloc((size), (flags) | __GFP_ZERO, __func__)
#define kvmalloc(size, flags)		kmalloc(size, (flags) | __GFP_KSHIM_KV)
#define kvzalloc(size, flags)		kzalloc(size, (flags) | __GFP_KSHIM_KV)
#define kmalloc_array(n, size, flags)	kmalloc(size_mul(n, size), flags)
#define kcalloc(n, size, flags)		kzalloc(size_mul(n, size), flags)
#define kvmalloc_array(n, size, flags)	kvmalloc(size_mul(n, size), flags)
#define kvcalloc(n, size, flags)	kvzalloc(size_mul(n, size), flags)
#define kfree(p)			kshim_free((p), __func__)
#define kvfree(p)			kshim_free((p), __func__)

/* Typed allocation helpers of newer kernels: kzalloc_obj(*p), kvmalloc_objs(*p, n). */
#define __kshim_default_gfp(...)	__kshim_gfp_pick(, ##__VA_ARGS__, GFP_KERNEL)
#define __kshim_gfp_pick(_0, gfp, ...)	gfp
#define kmalloc_obj(VAR, ...)		((typeof(VAR) *)kmalloc(sizeof(VAR), __kshim_default_gfp(__VA_ARGS__)))
#define kzalloc_obj(VAR, ...)		((typeof(VAR) *)kzalloc(sizeof(VAR), __kshim_default_gfp(__VA_ARGS__)))
#define kmalloc_objs(VAR, n, ...)	((typeof(VAR) *)kmalloc_array(n, sizeof(VAR), __kshim_default_gfp(__VA_ARGS__)))
#define kzalloc_objs(VAR, n, ...)	((typeof(VAR) *)kcalloc(n, sizeof(VAR), __kshim_default_gfp(__VA_ARGS__)))
#define kvmalloc_objs(VAR, n, ...)	((typeof(VAR) *)kvmalloc_array(n, sizeof(VAR), __kshim_default_gfp(__VA_ARGS__)))
/* A struct ending in a flexible array member FAM of COUNT elements. */
#define kmalloc_flex(VAR, FAM, COUNT, ...) \
	((typeof(VAR) *)kmalloc(size_add(sizeof(VAR), size_mul(COUNT, sizeof((VAR).FAM[0]))), \
				__kshim_default_gfp(__VA_ARGS__)))
#define kzalloc_flex(VAR, FAM, COUNT, ...) \
	((typeof(VAR) *)kzalloc(size_add(sizeof(VAR), size_mul(COUNT, sizeof((VAR).FAM[0]))), \
				__kshim_default_gfp(__VA_ARGS__)))
#define kvzalloc_objs(VAR, n, ...)	((typeof(VAR) *)kvcalloc(n, sizeof(VAR), __kshim_default_gfp(__VA_ARGS__)))

DEFINE_FREE(kfree, void *, if (_T) kfree(_T))
DEFINE_FREE(kvfree, void *, if (_T) kvfree(_T))

#endif
