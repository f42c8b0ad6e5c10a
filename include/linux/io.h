/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/io.h - MMIO on the register file. Every access is a scheduling point
 * named after the register ("writel(CMD)"); a write reaches the device model
 * synchronously, as on hardware, and reads return what the model keeps current.
 */
#ifndef _LINUX_IO_H
#define _LINUX_IO_H

#include <linux/types.h>

u32 kshim_readl(const volatile void __iomem *addr, bool relaxed);
void kshim_writel(u32 value, volatile void __iomem *addr, bool relaxed);

#define readl(addr)			kshim_readl((addr), false)
#define readl_relaxed(addr)		kshim_readl((addr), true)
#define writel(v, addr)			kshim_writel((v), (addr), false)
#define writel_relaxed(v, addr)		kshim_writel((v), (addr), true)
#define ioread32(addr)			readl(addr)
#define iowrite32(v, addr)		writel(v, addr)

#endif
