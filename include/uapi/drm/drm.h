/* SPDX-License-Identifier: MIT */
/*
 * drm.h - the small part of the DRM UAPI that driver UAPI headers build on:
 * fixed-width __u32/__u64 types, the ioctl number encoding, DRM_IOCTL_BASE
 * and DRM_COMMAND_BASE. Self-contained: needs no system kernel headers.
 */
#ifndef _DRM_H_
#define _DRM_H_

#if defined(__KERNEL__)

#include <linux/types.h>

#elif !defined(_LINUX_TYPES_H) && !defined(_ASM_GENERIC_INT_LL64_H)

/*
 * Userspace without <linux/types.h>. Whoever mixes this header with the
 * system's kernel headers includes <linux/types.h> first, so that these
 * typedefs are skipped rather than clash with asm-generic/int-ll64.h.
 */
#include <stdint.h>

typedef int8_t   __s8;
typedef uint8_t  __u8;
typedef int16_t  __s16;
typedef uint16_t __u16;
typedef int32_t  __s32;
typedef uint32_t __u32;
typedef int64_t  __s64;
typedef uint64_t __u64;

#endif

#if defined(__cplusplus)
extern "C" {
#endif

/*
 * The ioctl number encoding of asm-generic/ioctl.h (x86, arm, arm64, riscv),
 * under private names so that the system's own _IOC macros may coexist.
 */
#define _DRM_IOC_NRBITS		8
#define _DRM_IOC_TYPEBITS	8
#define _DRM_IOC_SIZEBITS	14
#define _DRM_IOC_DIRBITS	2

#define _DRM_IOC_NRMASK		((1U << _DRM_IOC_NRBITS) - 1)
#define _DRM_IOC_TYPEMASK	((1U << _DRM_IOC_TYPEBITS) - 1)
#define _DRM_IOC_SIZEMASK	((1U << _DRM_IOC_SIZEBITS) - 1)
#define _DRM_IOC_DIRMASK	((1U << _DRM_IOC_DIRBITS) - 1)

#define _DRM_IOC_NRSHIFT	0
#define _DRM_IOC_TYPESHIFT	(_DRM_IOC_NRSHIFT + _DRM_IOC_NRBITS)
#define _DRM_IOC_SIZESHIFT	(_DRM_IOC_TYPESHIFT + _DRM_IOC_TYPEBITS)
#define _DRM_IOC_DIRSHIFT	(_DRM_IOC_SIZESHIFT + _DRM_IOC_SIZEBITS)

#define _DRM_IOC_NONE		0U
#define _DRM_IOC_WRITE		1U	/* userspace writes, the kernel reads */
#define _DRM_IOC_READ		2U	/* the kernel writes, userspace reads */

#define _DRM_IOC(dir, type, nr, size)				\
	(((unsigned int)(dir) << _DRM_IOC_DIRSHIFT) |		\
	 ((unsigned int)(type) << _DRM_IOC_TYPESHIFT) |		\
	 ((unsigned int)(nr) << _DRM_IOC_NRSHIFT) |		\
	 ((unsigned int)(size) << _DRM_IOC_SIZESHIFT))

#define _DRM_IOC_DIR(nr)	(((nr) >> _DRM_IOC_DIRSHIFT) & _DRM_IOC_DIRMASK)
#define _DRM_IOC_TYPE(nr)	(((nr) >> _DRM_IOC_TYPESHIFT) & _DRM_IOC_TYPEMASK)
#define _DRM_IOC_NR(nr)		(((nr) >> _DRM_IOC_NRSHIFT) & _DRM_IOC_NRMASK)
#define _DRM_IOC_SIZE(nr)	(((nr) >> _DRM_IOC_SIZESHIFT) & _DRM_IOC_SIZEMASK)

#define DRM_IOCTL_BASE			'd'
#define DRM_IO(nr)			_DRM_IOC(_DRM_IOC_NONE, DRM_IOCTL_BASE, nr, 0)
#define DRM_IOR(nr, type)		_DRM_IOC(_DRM_IOC_READ, DRM_IOCTL_BASE, nr, sizeof(type))
#define DRM_IOW(nr, type)		_DRM_IOC(_DRM_IOC_WRITE, DRM_IOCTL_BASE, nr, sizeof(type))
#define DRM_IOWR(nr, type)		_DRM_IOC(_DRM_IOC_READ | _DRM_IOC_WRITE, \
						 DRM_IOCTL_BASE, nr, sizeof(type))

#define DRM_IOCTL_NR(n)			_DRM_IOC_NR(n)
#define DRM_IOCTL_TYPE(n)		_DRM_IOC_TYPE(n)

/* Driver-specific ioctls use numbers DRM_COMMAND_BASE .. DRM_COMMAND_END - 1 */
#define DRM_COMMAND_BASE		0x40
#define DRM_COMMAND_END			0xA0

/* DRM_IOCTL_GEM_CLOSE: drop a file's handle to a GEM object. */
struct drm_gem_close {
	__u32 handle;
	__u32 pad;
};

#define DRM_IOCTL_GEM_CLOSE		DRM_IOW(0x09, struct drm_gem_close)

#if defined(__cplusplus)
}
#endif

#endif /* _DRM_H_ */
