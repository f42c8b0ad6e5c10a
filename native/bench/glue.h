/* SPDX-License-Identifier: GPL-2.0-only */
/* glue.h - between the bench's C API (bench.c) and the code that knows the driver's structs. */
#ifndef EBENCH_GLUE_H
#define EBENCH_GLUE_H

#include <stdlib.h>
#include <drm/drm_file.h>
#include "../kshim/kdev.h"

#define GLUE_SRAM_PHYS	0x7f000000ULL	/* bus address of the NPU's SRAM */
#define GLUE_DMA_BASE	0x80000000ULL	/* first BO address; BOs are 64 KiB aligned */

struct ebench_file {
	struct drm_file file;
};

int glue_alloc_device(struct ebench_dev *d);
void glue_free_device(struct ebench_dev *d);
int glue_probe(struct ebench_dev *d);
void glue_remove(struct ebench_dev *d);
struct ebench_file *glue_file_open(struct ebench_dev *d, int32_t *ret);
void glue_file_close(struct ebench_dev *d, struct ebench_file *f);
int glue_submit(struct ebench_dev *d, struct ebench_file *f, void *args);
void glue_layout(struct ebench_sizes *l);
int glue_bo_create(struct ebench_dev *d, struct ebench_file *f, u64 size, const u32 *words,
		   u32 nwords, const struct ebench_cmdstream_info *info);
u64 glue_bo_dma_addr(struct ebench_file *f, u32 handle);
u32 glue_probe_reg(void);

#endif
