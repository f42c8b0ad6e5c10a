/* SPDX-License-Identifier: GPL-2.0-only */
/* drm/drm_managed.h - present so mainline includes resolve. */
#include <drm/drm_device.h>
