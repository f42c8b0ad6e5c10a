/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Arm Ethos-U NPU: buffer objects. A command-stream BO carries the record its
 * validation produced; the job code reads it, ethosu_gem.c fills it.
 */

#ifndef __ETHOSU_GEM_H__
#define __ETHOSU_GEM_H__

#include "ethosu_device.h"
#include <drm/drm_gem_dma_helper.h>

struct ethosu_validated_cmdstream_info {
	/* Size of the command stream in bytes */
	u32 cmd_size;
	/* Byte size up to which the stream accesses each region */
	u64 region_size[NPU_BASEP_REGION_MAX];
	/* Regions the stream writes */
	bool output_region[NPU_BASEP_REGION_MAX];
};

struct ethosu_gem_object {
	struct drm_gem_dma_object base;

	/* Set on command-stream BOs only; NULL on every other BO */
	struct ethosu_validated_cmdstream_info *info;

	/* DRM_ETHOSU_BO_* flags */
	u32 flags;
};

static inline
struct ethosu_gem_object *to_ethosu_bo(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_dma_obj(obj), struct ethosu_gem_object, base);
}

struct drm_gem_object *ethosu_gem_create_object(struct drm_device *ddev,
						size_t size);

int ethosu_gem_create_with_handle(struct drm_file *file,
				  struct drm_device *ddev,
				  u64 *size, u32 flags, u32 *handle);

int ethosu_gem_cmdstream_create(struct drm_file *file,
				struct drm_device *ddev,
				u32 size, u64 data, u32 flags, u32 *handle);

#endif /* __ETHOSU_GEM_H__ */
