/* SPDX-License-Identifier: MIT */
/*
 * ethosu_accel.h - the Arm Ethos-U NPU accel driver's UAPI: device query,
 * buffer objects, command-stream buffer objects and job submission.
 */
#ifndef _ETHOSU_DRM_H_
#define _ETHOSU_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * enum drm_ethosu_ioctl_id - ioctl numbers, relative to DRM_COMMAND_BASE
 */
enum drm_ethosu_ioctl_id {
	/** @DRM_ETHOSU_DEV_QUERY: Query device information. */
	DRM_ETHOSU_DEV_QUERY = 0,

	/** @DRM_ETHOSU_BO_CREATE: Create a buffer object. */
	DRM_ETHOSU_BO_CREATE,

	/** @DRM_ETHOSU_BO_WAIT: Wait on a buffer object's fences. */
	DRM_ETHOSU_BO_WAIT,

	/** @DRM_ETHOSU_BO_MMAP_OFFSET: Get the file offset to pass to mmap(). */
	DRM_ETHOSU_BO_MMAP_OFFSET,

	/** @DRM_ETHOSU_CMDSTREAM_BO_CREATE: Create and validate a command stream BO. */
	DRM_ETHOSU_CMDSTREAM_BO_CREATE,

	/** @DRM_ETHOSU_SUBMIT: Submit jobs to the NPU. */
	DRM_ETHOSU_SUBMIT,
};

/**
 * enum drm_ethosu_dev_query_type - what DRM_IOCTL_ETHOSU_DEV_QUERY returns
 */
enum drm_ethosu_dev_query_type {
	/** @DRM_ETHOSU_DEV_QUERY_NPU_INFO: a struct drm_ethosu_npu_info. */
	DRM_ETHOSU_DEV_QUERY_NPU_INFO = 0,
};

/**
 * struct drm_ethosu_npu_info - NPU identification
 */
struct drm_ethosu_npu_info {
	/** @id: The NPU's ID register. Bits 31:28 are the architecture major. */
	__u32 id;

	/** @config: The NPU's CONFIG register. */
	__u32 config;

	/** @sram_size: Bytes of SRAM available to jobs (0: none). */
	__u32 sram_size;
};

/**
 * struct drm_ethosu_dev_query - argument of DRM_IOCTL_ETHOSU_DEV_QUERY
 */
struct drm_ethosu_dev_query {
	/** @type: One of enum drm_ethosu_dev_query_type. */
	__u32 type;

	/**
	 * @size: Size of the object @pointer points to. With a NULL @pointer,
	 * the kernel writes the size the query type needs.
	 */
	__u32 size;

	/** @pointer: User pointer to the object to fill. */
	__u64 pointer;
};

/**
 * enum drm_ethosu_bo_flags - flags of struct drm_ethosu_bo_create
 */
enum drm_ethosu_bo_flags {
	/** @DRM_ETHOSU_BO_NO_MMAP: The buffer object is never mapped by the CPU. */
	DRM_ETHOSU_BO_NO_MMAP = (1 << 0),
};

/**
 * struct drm_ethosu_bo_create - argument of DRM_IOCTL_ETHOSU_BO_CREATE
 */
struct drm_ethosu_bo_create {
	/** @size: Requested size in bytes; the kernel writes the size allocated. */
	__u64 size;

	/** @flags: Combination of enum drm_ethosu_bo_flags. */
	__u32 flags;

	/** @handle: Returned handle of the object. */
	__u32 handle;
};

/**
 * struct drm_ethosu_bo_mmap_offset - argument of DRM_IOCTL_ETHOSU_BO_MMAP_OFFSET
 */
struct drm_ethosu_bo_mmap_offset {
	/** @handle: Handle of the object. */
	__u32 handle;

	/** @pad: Must be zero. */
	__u32 pad;

	/** @offset: The fake offset to pass to mmap(). */
	__u64 offset;
};

/**
 * struct drm_ethosu_bo_wait - argument of DRM_IOCTL_ETHOSU_BO_WAIT
 */
struct drm_ethosu_bo_wait {
	/** @handle: Handle of the object. */
	__u32 handle;

	/** @pad: Must be zero. */
	__u32 pad;

	/** @timeout_ns: Absolute timeout, CLOCK_MONOTONIC, in nanoseconds. */
	__s64 timeout_ns;
};

/**
 * struct drm_ethosu_cmdstream_bo_create - argument of
 * DRM_IOCTL_ETHOSU_CMDSTREAM_BO_CREATE
 */
struct drm_ethosu_cmdstream_bo_create {
	/** @size: Size of the command stream in bytes. */
	__u32 size;

	/** @flags: Must be zero. */
	__u32 flags;

	/** @data: User pointer to the command stream words. */
	__u64 data;

	/** @handle: Returned handle of the object. */
	__u32 handle;

	/** @pad: Must be zero. */
	__u32 pad;
};

/**
 * struct drm_ethosu_job - one job of a struct drm_ethosu_submit
 */
struct drm_ethosu_job {
	/** @cmd_bo: Handle of the command stream BO. */
	__u32 cmd_bo;

	/**
	 * @sram_size: Bytes of the NPU's SRAM the job uses; nonzero makes
	 * region 2 address the SRAM (region_bo_handles[2] must then be 0).
	 */
	__u32 sram_size;

	/** @region_bo_handles: BO handle of each of the 8 regions, 0: none. */
	__u32 region_bo_handles[8];
};

/**
 * struct drm_ethosu_submit - argument of DRM_IOCTL_ETHOSU_SUBMIT
 */
struct drm_ethosu_submit {
	/** @jobs: User pointer to an array of struct drm_ethosu_job. */
	__u64 jobs;

	/** @job_count: Number of jobs in @jobs. */
	__u32 job_count;

	/** @pad: Must be zero. */
	__u32 pad;
};

/**
 * DRM_IOCTL_ETHOSU() - build a DRM_IOCTL_ETHOSU_* number
 * @dir: R, W or WR
 * @name: the ioctl's name without the DRM_ETHOSU_ prefix
 * @data: its argument struct without the drm_ethosu_ prefix
 */
#define DRM_IOCTL_ETHOSU(dir, name, data) \
	DRM_IO##dir(DRM_COMMAND_BASE + DRM_ETHOSU_##name, struct drm_ethosu_##data)

enum {
	DRM_IOCTL_ETHOSU_DEV_QUERY =
		DRM_IOCTL_ETHOSU(WR, DEV_QUERY, dev_query),
	DRM_IOCTL_ETHOSU_BO_CREATE =
		DRM_IOCTL_ETHOSU(WR, BO_CREATE, bo_create),
	DRM_IOCTL_ETHOSU_BO_WAIT =
		DRM_IOCTL_ETHOSU(WR, BO_WAIT, bo_wait),
	DRM_IOCTL_ETHOSU_BO_MMAP_OFFSET =
		DRM_IOCTL_ETHOSU(WR, BO_MMAP_OFFSET, bo_mmap_offset),
	DRM_IOCTL_ETHOSU_CMDSTREAM_BO_CREATE =
		DRM_IOCTL_ETHOSU(WR, CMDSTREAM_BO_CREATE, cmdstream_bo_create),
	DRM_IOCTL_ETHOSU_SUBMIT =
		DRM_IOCTL_ETHOSU(WR, SUBMIT, submit),
};

#if defined(__cplusplus)
}
#endif

#endif /* _ETHOSU_DRM_H_ */
