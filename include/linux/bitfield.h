/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/bitfield.h */
#ifndef _LINUX_BITFIELD_H
#define _LINUX_BITFIELD_H

#include <linux/bits.h>

#define __bf_shf(x)		(__builtin_ffsll(x) - 1)
#define FIELD_PREP(mask, val)	((typeof(mask))(((typeof(mask))(val) << __bf_shf(mask)) & (mask)))
#define FIELD_GET(mask, reg)	((typeof(mask))(((reg) & (mask)) >> __bf_shf(mask)))
#define FIELD_FIT(mask, val)	(!((((typeof(mask))(val)) << __bf_shf(mask)) & ~(mask)))

#endif
