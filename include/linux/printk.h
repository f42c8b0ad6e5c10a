/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/printk.h - printk lines are captured into the run's trace. */
#ifndef _LINUX_PRINTK_H
#define _LINUX_PRINTK_H

#include <linux/types.h>

#define KERN_EMERG	"0"
#define KERN_ERR	"3"
#define KERN_WARNING	"4"
#define KERN_NOTICE	"5"
#define KERN_INFO	"6"
#define KERN_DEBUG	"7"

void kshim_printk(const char *level, const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define printk(fmt, ...)	kshim_printk(KERN_INFO, NULL, fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	kshim_printk(KERN_ERR, NULL, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	kshim_printk(KERN_WARNING, NULL, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	kshim_printk(KERN_INFO, NULL, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	kshim_printk(KERN_DEBUG, NULL, fmt, ##__VA_ARGS__)

#endif
