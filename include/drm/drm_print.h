/* SPDX-License-Identifier: GPL-2.0-only */
/* drm/drm_print.h - DRM log helpers, printed into the run's trace. */
#ifndef DRM_PRINT_H_
#define DRM_PRINT_H_

#include <linux/device.h>
#include <drm/drm_device.h>

#define __drm_dev_name(drm)	((drm) ? dev_name((drm)->dev) : "drm")
#define drm_dbg(drm, fmt, ...)	kshim_printk(KERN_DEBUG, __drm_dev_name(drm), fmt, ##__VA_ARGS__)
#define drm_err(drm, fmt, ...)	kshim_printk(KERN_ERR, __drm_dev_name(drm), fmt, ##__VA_ARGS__)
#define drm_warn(drm, fmt, ...)	kshim_printk(KERN_WARNING, __drm_dev_name(drm), fmt, ##__VA_ARGS__)
#define drm_info(drm, fmt, ...)	kshim_printk(KERN_INFO, __drm_dev_name(drm), fmt, ##__VA_ARGS__)
#define DRM_DEBUG(fmt, ...)	kshim_printk(KERN_DEBUG, "drm", fmt, ##__VA_ARGS__)
#define DRM_ERROR(fmt, ...)	kshim_printk(KERN_ERR, "drm", fmt, ##__VA_ARGS__)

#endif
