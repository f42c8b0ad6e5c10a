/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/bug.h - WARN_ON and BUG_ON become findings of the run, never aborts. */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>

void kshim_warn(const char *file, int line, const char *func, const char *cond);
void kshim_bug(const char *file, int line, const char *func, const char *cond);

#define WARN_ON(cond) ({						\
	int __ret_warn_on = !!(cond);					\
	if (unlikely(__ret_warn_on))					\
		kshim_warn(__FILE__, __LINE__, __func__, #cond);	\
	unlikely(__ret_warn_on);					\
})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define WARN(cond, fmt...)	WARN_ON(cond)
#define WARN_ONCE(cond, fmt...)	WARN_ON(cond)
#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		kshim_bug(__FILE__, __LINE__, __func__, #cond);		\
} while (0)
#define BUG()		kshim_bug(__FILE__, __LINE__, __func__, "BUG()")

#endif
