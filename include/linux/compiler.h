/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/compiler.h - READ_ONCE/WRITE_ONCE are scheduling points named after
 * their argument, e.g. "WRITE_ONCE(dev->in_flight_job)".
 */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#include <linux/types.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define barrier()	__asm__ __volatile__("" ::: "memory")
#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON: " #cond)

void kshim_point(int kind, const char *label);

/* enum ebench_point_kind values, kept in sync with ethosu_bench.h */
#define KSHIM_PT_READ_ONCE	5
#define KSHIM_PT_WRITE_ONCE	6

#define READ_ONCE(x)							\
({									\
	kshim_point(KSHIM_PT_READ_ONCE, "READ_ONCE(" #x ")");		\
	__atomic_load_n(&(x), __ATOMIC_RELAXED);			\
})

#define WRITE_ONCE(x, val)						\
do {									\
	kshim_point(KSHIM_PT_WRITE_ONCE, "WRITE_ONCE(" #x ")");		\
	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED);		\
} while (0)

#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)

#endif
