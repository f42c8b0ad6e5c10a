/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * drm/drm_gem.h - GEM objects with real reference counts, per-file handles
 * and a reservation object each.
 */
#ifndef _DRM_GEM_H_
#define _DRM_GEM_H_

#include <linux/types.h>
#include <linux/kref.h>
#include <linux/dma-resv.h>

struct drm_file;
struct drm_device;
struct drm_gem_object;

struct drm_gem_object_funcs {
	void (*free)(struct drm_gem_object *obj);
};

struct drm_gem_object {
	struct kref refcount;
	unsigned int handle_count;
	struct drm_device *dev;
	size_t size;
	const char *name;
	struct dma_resv *resv;
	struct dma_resv _resv;
	const struct drm_gem_object_funcs *funcs;
};

int drm_gem_object_init(struct drm_device *dev, struct drm_gem_object *obj, size_t size);
void drm_gem_object_release(struct drm_gem_object *obj);
struct drm_gem_object *drm_gem_object_lookup(struct drm_file *filp, u32 handle);
int drm_gem_handle_create(struct drm_file *file_priv, struct drm_gem_object *obj, u32 *handlep);
int drm_gem_handle_delete(struct drm_file *filp, u32 handle);
void drm_gem_object_free(struct kref *kref);
int drm_gem_lock_reservations(struct drm_gem_object **objs, int count,
			      struct ww_acquire_ctx *acquire_ctx);
void drm_gem_unlock_reservations(struct drm_gem_object **objs, int count,
				 struct ww_acquire_ctx *acquire_ctx);

static inline void drm_gem_object_get(struct drm_gem_object *obj)
{
	kref_get(&obj->refcount);
}

static inline void drm_gem_object_put(struct drm_gem_object *obj)
{
	if (obj)
		kref_put(&obj->refcount, drm_gem_object_free);
}

#endif
