/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/genalloc.h - the SRAM pool type; the job code only carries its pointer. */
#ifndef _LINUX_GENALLOC_H
#define _LINUX_GENALLOC_H

#include <linux/types.h>

struct gen_pool;

#endif
