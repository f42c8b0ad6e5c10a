/* SPDX-License-Identifier: GPL-2.0-only */
/* drm/drm_gem_dma_helper.h - GEM objects backed by "DMA" memory: an address and a CPU mapping. */
#ifndef __DRM_GEM_DMA_HELPER_H__
#define __DRM_GEM_DMA_HELPER_H__

#include <linux/container_of.h>
#include <drm/drm_gem.h>

struct drm_gem_dma_object {
	struct drm_gem_object base;
	dma_addr_t dma_addr;
	void *vaddr;
};

#define to_drm_gem_dma_obj(gem_obj) container_of(gem_obj, struct drm_gem_dma_object, base)

#endif
