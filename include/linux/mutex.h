/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/mutex.h - sleeping locks. Acquire and release are scheduling points
 * labelled with the lock's role ("mutex_lock(job_lock)"); a contended lock
 * blocks through the platform seam, so the controller sees who waits for what.
 */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

#include <linux/types.h>
#include <linux/cleanup.h>

struct kshim_ctx;
struct device;

struct mutex {
	u32 state;			/* 0 free, 1 locked, 2 locked with waiters */
	u32 magic;
	struct kshim_ctx *owner;
	const char *name;		/* role, e.g. "job_lock" */
};

void __mutex_init(struct mutex *lock, const char *expr);
void mutex_lock(struct mutex *lock);
int mutex_lock_interruptible(struct mutex *lock);
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);
void mutex_destroy(struct mutex *lock);
int __devm_mutex_init(struct device *dev, struct mutex *lock, const char *expr);
void kshim_lockdep_assert_held(struct mutex *lock, const char *expr);

#define mutex_init(lock)		__mutex_init(lock, #lock)
#define devm_mutex_init(dev, lock)	__devm_mutex_init(dev, lock, #lock)
#define lockdep_assert_held(lock)	kshim_lockdep_assert_held(lock, #lock)
#define DEFINE_MUTEX(n)			struct mutex n = { .name = #n }

DEFINE_GUARD(mutex, struct mutex *, mutex_lock(_T), mutex_unlock(_T))

#endif
