/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/of.h - present so mainline includes resolve; nothing the job code needs. */
#include <linux/kernel.h>
