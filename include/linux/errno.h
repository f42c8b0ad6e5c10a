/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/errno.h - the kernel's errno values. The C library's own errno.h
 * includes this name too, so the values come from <asm/errno.h> as theirs do.
 */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#include <asm/errno.h>

#define ERESTARTSYS	512
#define ENOTSUPP	524

#endif
