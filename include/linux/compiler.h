/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/compiler.h - READ_ONCE/WRITE_ONCE are scheduling points named after
 * their argument, e.g. "WRITE_ONCE(dev->in_flight_job)", on the object they
 * access. Also home of KSHIM_LABEL, the per-call-site label cache every shim
 * header's scheduling points use.
 */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#include <linux/types.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define barrier()	__asm__ __volatile__("" ::: "memory")
#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON: " #cond)

#include <ethosu_bench.h>	/* label kinds */

u32 kshim_label(int kind, const char *text);
void kshim_point(u32 label, const void *obj, u64 arg);

/* A constant label, interned on the first pass through this call site. */
#define KSHIM_LABEL(kind, text)						\
({									\
	static u32 __kshim_lbl;						\
	u32 __id = __atomic_load_n(&__kshim_lbl, __ATOMIC_RELAXED);	\
	if (!__id) {							\
		__id = kshim_label(kind, text);				\
		__atomic_store_n(&__kshim_lbl, __id, __ATOMIC_RELAXED);	\
	}								\
	__id;								\
})

#define READ_ONCE(x)							\
({									\
	kshim_point(KSHIM_LABEL(EBENCH_PT_READ_ONCE, "READ_ONCE(" #x ")"), \
		    &(x), 0);						\
	__atomic_load_n(&(x), __ATOMIC_RELAXED);			\
})

#define WRITE_ONCE(x, val)						\
do {									\
	kshim_point(KSHIM_LABEL(EBENCH_PT_WRITE_ONCE, "WRITE_ONCE(" #x ")"), \
		    &(x), 0);						\
	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED);		\
} while (0)

#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)

#endif
