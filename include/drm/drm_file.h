/* SPDX-License-Identifier: GPL-2.0-only */
/* drm/drm_file.h - an open DRM file: driver_priv, client_id and its GEM handles. */
#ifndef _DRM_FILE_H_
#define _DRM_FILE_H_

#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

struct drm_device;
struct drm_gem_object;

struct drm_file {
	void *driver_priv;
	u64 client_id;
	struct drm_device *dev;
	/* handle table (the kernel's object_idr): index = handle - 1 */
	spinlock_t table_lock;
	struct drm_gem_object **handles;
	u32 handle_cap;
};

#endif
