/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/cleanup.h - scope-based cleanup: __free(), guard(), scoped_guard(),
 * built on the compiler's cleanup attribute as the kernel's are.
 */
#ifndef _LINUX_CLEANUP_H
#define _LINUX_CLEANUP_H

#include <linux/compiler.h>

#define __cleanup(func)		__attribute__((__cleanup__(func)))

#define DEFINE_FREE(_name, _type, _free) \
	static inline void __free_##_name(void *p) { _type _T = *(_type *)p; _free; }
#define __free(_name)		__cleanup(__free_##_name)
#define no_free_ptr(p)		({ __auto_type __ptr = (p); (p) = NULL; __ptr; })
#define return_ptr(p)		return no_free_ptr(p)

#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)
#define ___PASTE(a, b)		a##b
#define __PASTE(a, b)		___PASTE(a, b)

/*
 * DEFINE_GUARD(name, type, lock, unlock): guard(name)(ptr) holds the lock to
 * the end of the scope; scoped_guard(name, ptr) { ... } to the end of the block.
 */
#define DEFINE_GUARD(_name, _type, _lock, _unlock)				\
	typedef _type class_##_name##_t;					\
	static inline void class_##_name##_destructor(_type *p)		\
	{ _type _T = *p; if (_T) { _unlock; } }				\
	static inline _type class_##_name##_constructor(_type _T)		\
	{ _lock; return _T; }

#define CLASS(_name, var)							\
	class_##_name##_t var __cleanup(class_##_name##_destructor) =		\
		class_##_name##_constructor

#define guard(_name)	CLASS(_name, __UNIQUE_ID(guard))

#define __scoped_guard(_name, _label, args...)				\
	for (CLASS(_name, scope)(args); true; ({ goto _label; }))		\
		if (0) {							\
_label:										\
			break;							\
		} else

#define scoped_guard(_name, args...)	\
	__scoped_guard(_name, __UNIQUE_ID(label), args)

#endif
