/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/string.h */
#ifndef _LINUX_STRING_H
#define _LINUX_STRING_H
#include <string.h>
#endif
