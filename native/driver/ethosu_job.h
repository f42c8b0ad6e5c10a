/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Arm Ethos-U NPU: one inference job, and the job code's entry points. */

#ifndef __ETHOSU_JOB_H__
#define __ETHOSU_JOB_H__

#include <linux/kref.h>
#include <drm/gpu_scheduler.h>

struct ethosu_device;
struct ethosu_file_priv;

struct ethosu_job {
	struct drm_sched_job base;
	struct ethosu_device *dev;

	struct drm_gem_object *cmd_bo;
	struct drm_gem_object *region_bo[NPU_BASEP_REGION_MAX];
	u8 region_bo_num[NPU_BASEP_REGION_MAX];
	u8 region_cnt;
	u32 sram_size;

	/* The scheduler's finished fence, signalled once the job is done with */
	struct dma_fence *inference_done_fence;

	/* The hardware fence: signalled by the IRQ thread when the NPU completes */
	struct dma_fence *done_fence;

	struct kref refcount;
};

int ethosu_ioctl_submit(struct drm_device *dev, void *data, struct drm_file *file);

int ethosu_job_init(struct ethosu_device *dev);
void ethosu_job_fini(struct ethosu_device *dev);
int ethosu_job_open(struct ethosu_file_priv *ethosu_priv);
void ethosu_job_close(struct ethosu_file_priv *ethosu_priv);

#endif /* __ETHOSU_JOB_H__ */
