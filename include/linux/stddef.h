/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/stddef.h */
#ifndef _LINUX_STDDEF_H
#define _LINUX_STDDEF_H
#include <stddef.h>
#endif
