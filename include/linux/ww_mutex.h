/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/ww_mutex.h - wound/wait mutexes on the shim's struct mutex. The
 * bench takes reservation locks in one order only, so no wound/die back-off
 * is modelled: ww_mutex_lock() never returns -EDEADLK. It does return
 * -EALREADY when the context already holds the lock, and the acquire context
 * checks, as lockdep does, that every lock is released before fini.
 */
#ifndef _LINUX_WW_MUTEX_H
#define _LINUX_WW_MUTEX_H

#include <linux/types.h>
#include <linux/mutex.h>

struct ww_class {
	const char *acquire_name;
	const char *mutex_name;		/* role of its mutexes in scheduling points */
};

#define DEFINE_WW_CLASS(classname) \
	struct ww_class classname = { .acquire_name = #classname "_acquire", \
				      .mutex_name = #classname "_mutex" }

struct ww_acquire_ctx {
	struct ww_class *ww_class;
	unsigned int acquired;		/* locks held through this context */
	bool done_acquire;		/* ww_acquire_done() called */
};

struct ww_mutex {
	struct mutex base;
	struct ww_acquire_ctx *ctx;	/* holder's context, NULL if none */
	struct ww_class *ww_class;
};

void ww_mutex_init(struct ww_mutex *lock, struct ww_class *ww_class);
void ww_mutex_destroy(struct ww_mutex *lock);
void ww_acquire_init(struct ww_acquire_ctx *ctx, struct ww_class *ww_class);
void ww_acquire_done(struct ww_acquire_ctx *ctx);
void ww_acquire_fini(struct ww_acquire_ctx *ctx);
int ww_mutex_lock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx);
int ww_mutex_lock_interruptible(struct ww_mutex *lock, struct ww_acquire_ctx *ctx);
void ww_mutex_lock_slow(struct ww_mutex *lock, struct ww_acquire_ctx *ctx);
int ww_mutex_lock_slow_interruptible(struct ww_mutex *lock, struct ww_acquire_ctx *ctx);
int ww_mutex_trylock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx);
void ww_mutex_unlock(struct ww_mutex *lock);

static inline bool ww_mutex_is_locked(struct ww_mutex *lock)
{
	return mutex_is_locked(&lock->base);
}

#endif /* _LINUX_WW_MUTEX_H */
