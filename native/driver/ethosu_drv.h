/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Arm Ethos-U NPU: per-DRM-file state. */

#ifndef __ETHOSU_DRV_H__
#define __ETHOSU_DRV_H__

#include <drm/gpu_scheduler.h>

struct ethosu_device;

struct ethosu_file_priv {
	struct ethosu_device *edev;
	/* The file's queue on the device's one scheduler */
	struct drm_sched_entity sched_entity;
};

#endif /* __ETHOSU_DRV_H__ */
