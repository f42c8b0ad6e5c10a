// SPDX-License-Identifier: GPL-2.0-only
/*
 * locking.c - mutex, spinlock and refcount_t (warnings as mainline v7.2's
 * lib/refcount.c words them). Locks are three-state futex
 * locks over the seam: acquire and release are scheduling points, a contended
 * acquire waits on the lock word, so the controller knows who waits for whom.
 */
#include <stdio.h>

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>

#include "kdev.h"

#define LOCK_MAGIC	0x4c4f434bU	/* "LOCK" */

static void lock_word_acquire(u32 *state, u32 wait_label)
{
	u32 c = 0;

	if (__atomic_compare_exchange_n(state, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		kshim_wait(state, 2, U64_MAX, wait_label);
		c = __atomic_exchange_n(state, 2, __ATOMIC_ACQUIRE);
	}
}

static void lock_word_release(u32 *state)
{
	if (__atomic_exchange_n(state, 0, __ATOMIC_RELEASE) == 2)
		kshim_wake(state);
}

/* A lock in freed memory reads as poison: report it instead of spinning on it. */
static bool lock_poisoned(const void *lock, const char *op)
{
	if (kshim_poisoned_ptr(lock) || kshim_poisoned_u32((const u8 *)lock + 4)) {
		kshim_finding_at(EBENCH_F_UAF, op, "BUG: use-after-free: %s on a freed lock", op);
		return true;
	}
	return false;
}

void __mutex_init(struct mutex *lock, const char *expr)
{
	lock->state = 0;
	lock->magic = LOCK_MAGIC;
	lock->owner = NULL;
	lock->name = kshim_role(expr);
}

int __devm_mutex_init(struct device *dev, struct mutex *lock, const char *expr)
{
	(void)dev;
	__mutex_init(lock, expr);
	return 0;
}

void mutex_lock(struct mutex *lock)
{
	const char *name;

	if (lock_poisoned(lock, "mutex_lock"))
		return;
	kshim_might_sleep("mutex_lock");
	if (kshim_cur && lock->owner == kshim_cur) {
		kshim_finding_at(EBENCH_F_DEADLOCK, "mutex_lock",
				 "possible recursive locking detected: %s acquires mutex %s it already holds",
			      kshim_cur->name, lock->name);
		return;
	}
	/* the name is read before the point: the lock may be freed while this context waits there */
	name = lock->name;
	kshim_point(kshim_label_s(EBENCH_PT_MUTEX_LOCK, "mutex_lock(%s)", name), lock, 0);
	lock_word_acquire(&lock->state, kshim_label_s(EBENCH_WAIT_LOCK, "mutex_lock(%s)", name));
	lock->owner = kshim_cur;
}

int mutex_lock_interruptible(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

int mutex_trylock(struct mutex *lock)
{
	u32 c = 0;

	kshim_point(kshim_label_s(EBENCH_PT_MUTEX_LOCK, "mutex_trylock(%s)", lock->name), lock, 0);
	if (!__atomic_compare_exchange_n(&lock->state, &c, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return 0;
	lock->owner = kshim_cur;
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
	if (lock_poisoned(lock, "mutex_unlock"))
		return;
	if (lock->owner != kshim_cur)
		kshim_finding_at(EBENCH_F_WARN, "mutex_unlock", "WARNING: %s unlocks mutex %s it does not hold",
			      kshim_cur ? kshim_cur->name : "?", lock->name);
	kshim_point(kshim_label_s(EBENCH_PT_MUTEX_UNLOCK, "mutex_unlock(%s)", lock->name), lock, 0);
	lock->owner = NULL;
	lock_word_release(&lock->state);
}

bool mutex_is_locked(struct mutex *lock)
{
	return __atomic_load_n(&lock->state, __ATOMIC_ACQUIRE) != 0;
}

void mutex_destroy(struct mutex *lock)
{
	if (mutex_is_locked(lock))
		kshim_finding(EBENCH_F_WARN, "WARNING: mutex %s destroyed while locked", lock->name);
}

void kshim_lockdep_assert_held(struct mutex *lock, const char *expr)
{
	if (lock->owner != kshim_cur)
		kshim_finding_at(EBENCH_F_WARN, "lockdep_assert_held", "WARNING: lockdep_assert_held(%s) fails in %s", expr,
			      kshim_cur ? kshim_cur->name : "?");
}

void __spin_lock_init(spinlock_t *lock, const char *expr)
{
	lock->state = 0;
	lock->magic = LOCK_MAGIC;
	lock->owner = NULL;
	lock->name = kshim_role(expr);
}

void spin_lock(spinlock_t *lock)
{
	const char *name;

	if (lock_poisoned(lock, "spin_lock"))
		return;
	if (kshim_cur && lock->owner == kshim_cur) {
		kshim_finding_at(EBENCH_F_DEADLOCK, "spin_lock",
				 "BUG: spinlock recursion: %s acquires spinlock %s it already holds",
			      kshim_cur->name, lock->name);
		return;
	}
	/* the name is read before the point: the lock may be freed while this context waits there */
	name = lock->name;
	kshim_point(kshim_label_s(EBENCH_PT_SPIN_LOCK, "spin_lock(%s)", name), lock, 0);
	lock_word_acquire(&lock->state, kshim_label_s(EBENCH_WAIT_LOCK, "spin_lock(%s)", name));
	lock->owner = kshim_cur;
	kshim_atomic_enter();
}

void spin_unlock(spinlock_t *lock)
{
	if (lock_poisoned(lock, "spin_unlock"))
		return;
	if (lock->owner != kshim_cur)
		kshim_finding_at(EBENCH_F_WARN, "spin_unlock", "BUG: spinlock wrong CPU: %s unlocks spinlock %s it does not hold",
			      kshim_cur ? kshim_cur->name : "?", lock->name);
	kshim_point(kshim_label_s(EBENCH_PT_SPIN_UNLOCK, "spin_unlock(%s)", lock->name), lock, 0);
	lock->owner = NULL;
	lock_word_release(&lock->state);
	kshim_atomic_exit();
}

bool spin_is_locked(spinlock_t *lock)
{
	return __atomic_load_n(&lock->state, __ATOMIC_ACQUIRE) != 0;
}

void kshim_assert_spin_held(spinlock_t *lock, const char *expr)
{
	if (lock->owner != kshim_cur)
		kshim_finding_at(EBENCH_F_WARN, "lockdep_assert_held", "WARNING: lockdep_assert_held(%s) fails in %s", expr,
			      kshim_cur ? kshim_cur->name : "?");
}

/* refcount_t: saturating, never wrapping; warnings name the misuse. */

static bool refcount_poisoned(const refcount_t *r, const char *op)
{
	if (kshim_poisoned_ptr(r) || kshim_poisoned_u32(&r->refs)) {
		kshim_finding_at(EBENCH_F_UAF, op, "BUG: use-after-free: %s on a freed object", op);
		return true;
	}
	return false;
}

void refcount_set(refcount_t *r, int n)
{
	__atomic_store_n(&r->refs, n, __ATOMIC_RELAXED);
}

unsigned int refcount_read(const refcount_t *r)
{
	if (refcount_poisoned(r, "refcount_read"))
		return 0;
	return __atomic_load_n(&r->refs, __ATOMIC_RELAXED);
}

void refcount_inc(refcount_t *r)
{
	int old;

	if (refcount_poisoned(r, "refcount_inc"))
		return;
	old = __atomic_fetch_add(&r->refs, 1, __ATOMIC_RELAXED);
	if (old == 0) {
		kshim_finding(EBENCH_F_REFCOUNT, "refcount_t: addition on 0; use-after-free");
		refcount_set(r, REFCOUNT_SATURATED);
	} else if (old < 0 || old + 1 < 0) {
		/* saturated (or overflowing): stays saturated, and says so, as refcount_warn_saturate() */
		kshim_finding(EBENCH_F_REFCOUNT, "refcount_t: saturated; leaking memory");
		refcount_set(r, REFCOUNT_SATURATED);
	}
}

bool refcount_inc_not_zero(refcount_t *r)
{
	int old;

	if (refcount_poisoned(r, "refcount_inc_not_zero"))
		return false;
	old = __atomic_load_n(&r->refs, __ATOMIC_RELAXED);
	do {
		if (old == 0)
			return false;
	} while (!__atomic_compare_exchange_n(&r->refs, &old, old + 1, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	if (old < 0 || old + 1 < 0) {
		kshim_finding(EBENCH_F_REFCOUNT, "refcount_t: saturated; leaking memory");
		refcount_set(r, REFCOUNT_SATURATED);
	}
	return true;
}

bool refcount_dec_and_test(refcount_t *r)
{
	int old;

	if (refcount_poisoned(r, "refcount_dec_and_test"))
		return false;
	old = __atomic_fetch_sub(&r->refs, 1, __ATOMIC_RELEASE);
	if (old == 1) {
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		return true;
	}
	if (old <= 0) {
		kshim_finding(EBENCH_F_REFCOUNT, "refcount_t: underflow; use-after-free");
		refcount_set(r, REFCOUNT_SATURATED);
	}
	return false;
}

void refcount_dec(refcount_t *r)
{
	if (refcount_dec_and_test(r))
		kshim_finding(EBENCH_F_REFCOUNT, "refcount_t: decrement hit 0; leaking memory");
}
