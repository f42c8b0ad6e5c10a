/* SPDX-License-Identifier: GPL-2.0-only */
/* drm/drm_device.h - the DRM device: what the job code touches of it. */
#ifndef _DRM_DEVICE_H_
#define _DRM_DEVICE_H_

#include <linux/types.h>
#include <linux/device.h>

struct drm_device {
	struct device *dev;
	void *dev_private;
};

#endif
