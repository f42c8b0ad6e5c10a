/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/kernel.h - the grab bag the driver expects to come along. */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/string.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_32_bits(n)	((u32)(((u64)(n)) >> 32))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)
#define u64_to_user_ptr(x)	((void __user *)(uintptr_t)(x))
#define might_sleep()		kshim_might_sleep("might_sleep")
#define cond_resched()		do { } while (0)
#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME		"ethosu"
#endif

void kshim_might_sleep(const char *what);

#endif
