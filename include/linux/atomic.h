/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/atomic.h - atomic_t on the compiler's atomics (sequentially consistent). */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <linux/types.h>

#define ATOMIC_INIT(i)	{ (i) }
#define __KA		__ATOMIC_SEQ_CST

static inline int atomic_read(const atomic_t *v) { return __atomic_load_n(&v->counter, __KA); }
static inline void atomic_set(atomic_t *v, int i) { __atomic_store_n(&v->counter, i, __KA); }
static inline void atomic_add(int i, atomic_t *v) { __atomic_add_fetch(&v->counter, i, __KA); }
static inline void atomic_sub(int i, atomic_t *v) { __atomic_sub_fetch(&v->counter, i, __KA); }
static inline void atomic_inc(atomic_t *v) { atomic_add(1, v); }
static inline void atomic_dec(atomic_t *v) { atomic_sub(1, v); }
static inline int atomic_add_return(int i, atomic_t *v) { return __atomic_add_fetch(&v->counter, i, __KA); }
static inline int atomic_sub_return(int i, atomic_t *v) { return __atomic_sub_fetch(&v->counter, i, __KA); }
static inline int atomic_inc_return(atomic_t *v) { return atomic_add_return(1, v); }
static inline int atomic_dec_return(atomic_t *v) { return atomic_sub_return(1, v); }
static inline bool atomic_dec_and_test(atomic_t *v) { return atomic_dec_return(v) == 0; }
static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{
	__atomic_compare_exchange_n(&v->counter, &old, new, false, __KA, __KA);
	return old;
}
static inline s64 atomic64_read(const atomic64_t *v) { return __atomic_load_n(&v->counter, __KA); }
static inline void atomic64_set(atomic64_t *v, s64 i) { __atomic_store_n(&v->counter, i, __KA); }
static inline s64 atomic64_inc_return(atomic64_t *v) { return __atomic_add_fetch(&v->counter, 1, __KA); }

#define set_bit(nr, addr)	__atomic_fetch_or((unsigned long *)(addr), 1UL << (nr), __KA)
#define clear_bit(nr, addr)	__atomic_fetch_and((unsigned long *)(addr), ~(1UL << (nr)), __KA)
#define test_bit(nr, addr)	((__atomic_load_n((unsigned long *)(addr), __KA) >> (nr)) & 1UL)
#define test_and_set_bit(nr, addr) \
	((__atomic_fetch_or((unsigned long *)(addr), 1UL << (nr), __KA) >> (nr)) & 1UL)
#define test_and_clear_bit(nr, addr) \
	((__atomic_fetch_and((unsigned long *)(addr), ~(1UL << (nr)), __KA) >> (nr)) & 1UL)

#endif
