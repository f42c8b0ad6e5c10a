/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/spinlock.h - spinning locks. Holding one makes the context atomic:
 * a sleeping call under it is a finding. Acquire and release are scheduling
 * points; a contended spinlock blocks through the seam instead of burning a CPU.
 */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

#include <linux/types.h>
#include <linux/cleanup.h>

struct kshim_ctx;

typedef struct spinlock {
	u32 state;
	u32 magic;
	struct kshim_ctx *owner;
	const char *name;
} spinlock_t;

void __spin_lock_init(spinlock_t *lock, const char *expr);
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
bool spin_is_locked(spinlock_t *lock);
void kshim_assert_spin_held(spinlock_t *lock, const char *expr);

#define spin_lock_init(lock)			__spin_lock_init(lock, #lock)
#define spin_lock_irq(lock)			spin_lock(lock)
#define spin_unlock_irq(lock)			spin_unlock(lock)
#define spin_lock_bh(lock)			spin_lock(lock)
#define spin_unlock_bh(lock)			spin_unlock(lock)
#define spin_lock_irqsave(lock, flags)		do { (flags) = 0; spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags)	do { (void)(flags); spin_unlock(lock); } while (0)
#define lockdep_assert_held_spin(lock)		kshim_assert_spin_held(lock, #lock)
#define DEFINE_SPINLOCK(n)			spinlock_t n = { .name = #n }

DEFINE_GUARD(spinlock, spinlock_t *, spin_lock(_T), spin_unlock(_T))
DEFINE_GUARD(spinlock_irq, spinlock_t *, spin_lock(_T), spin_unlock(_T))

/* spinlock_irqsave guard: the flags are not needed in userspace. */
DEFINE_GUARD(spinlock_irqsave, spinlock_t *, spin_lock(_T), spin_unlock(_T))

#endif
