// SPDX-License-Identifier: GPL-2.0-only
/*
 * io.c - MMIO on the register file. A write is handed to the device model
 * synchronously (the model decides what it does to the file); a read returns
 * the file's current value. Both are scheduling points on the register's
 * offset: the Java side names the register (one register map, Regs.java).
 */
#define _GNU_SOURCE
#include <stdio.h>

#include <linux/io.h>
#include <linux/delay.h>
#include <linux/uaccess.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kdev.h"

static bool mmio_offset(struct ebench_dev *d, const volatile void *addr, u32 *off,
			const char *op)
{
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)d->regs;

	if (a < base || a + 4 > base + d->regs_len || (a & 3)) {
		kshim_finding_at(EBENCH_F_OOPS, op, "BUG: unable to handle MMIO access at %p in %s (outside the register window)",
				 (void *)addr, op);
		return false;
	}
	*off = (u32)(a - base);
	return true;
}

/*
 * A register access while runtime PM has gated the NPU's clocks: on hardware
 * an external abort (an oops). Reported once per gated period; the access
 * then goes ahead, so the run can continue.
 */
static void mmio_check_clocks(struct ebench_dev *d, u32 off, const char *op)
{
	if (!__atomic_load_n(&d->clk_managed, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&d->clk_on, __ATOMIC_ACQUIRE) ||
	    __atomic_exchange_n(&d->clk_gated_reported, true, __ATOMIC_SEQ_CST))
		return;
	kshim_finding_at(EBENCH_F_OOPS, op,
			 "Unhandled external abort: %s at register offset 0x%03x on a runtime-suspended NPU (clocks gated)",
			 op, off);
}

u32 kshim_readl(const volatile void __iomem *addr, bool relaxed)
{
	struct ebench_dev *d = kshim_dev();
	u32 off;

	if (!d || !mmio_offset(d, addr, &off, "readl"))
		return 0;
	if (relaxed)
		kshim_point(KSHIM_LABEL(EBENCH_PT_READL, "readl_relaxed(%o)"), (void *)(uintptr_t)off, 0);
	else
		kshim_point(KSHIM_LABEL(EBENCH_PT_READL, "readl(%o)"), (void *)(uintptr_t)off, 0);
	mmio_check_clocks(d, off, relaxed ? "readl_relaxed" : "readl");
	return __atomic_load_n((const volatile u32 *)addr, __ATOMIC_ACQUIRE);
}

void kshim_writel(u32 value, volatile void __iomem *addr, bool relaxed)
{
	struct ebench_dev *d = kshim_dev();
	u32 off;

	if (!d || !mmio_offset(d, addr, &off, "writel"))
		return;
	if (relaxed)
		kshim_point(KSHIM_LABEL(EBENCH_PT_WRITEL, "writel_relaxed(%o, %v)"),
			    (void *)(uintptr_t)off, value);
	else
		kshim_point(KSHIM_LABEL(EBENCH_PT_WRITEL, "writel(%o, %v)"), (void *)(uintptr_t)off, value);
	mmio_check_clocks(d, off, relaxed ? "writel_relaxed" : "writel");
	if (d->cfg.hooks.mmio_write)
		d->cfg.hooks.mmio_write(d->cfg.cookie, off, value);
	else
		__atomic_store_n((volatile u32 *)addr, value, __ATOMIC_RELEASE);
}

void usleep_range(unsigned long min_us, unsigned long max_us)
{
	(void)min_us;
	kshim_might_sleep("usleep_range");
	kshim_point(KSHIM_LABEL(EBENCH_PT_SLEEP, "usleep_range(%d)"), NULL, max_us);
	kshim_sleep_until(kshim_clock() + (u64)max_us * 1000ULL,
			  KSHIM_LABEL(EBENCH_WAIT_TIME, "usleep_range"));
}

void msleep(unsigned int msecs)
{
	kshim_might_sleep("msleep");
	kshim_point(KSHIM_LABEL(EBENCH_PT_SLEEP, "msleep(%d)"), NULL, msecs);
	kshim_sleep_until(kshim_clock() + (u64)msecs * 1000000ULL, KSHIM_LABEL(EBENCH_WAIT_TIME, "msleep"));
}

void udelay(unsigned long usecs)
{
	kshim_point(KSHIM_LABEL(EBENCH_PT_SLEEP, "udelay(%d)"), NULL, usecs);
	kshim_sleep_until(kshim_clock() + (u64)usecs * 1000ULL, KSHIM_LABEL(EBENCH_WAIT_TIME, "udelay"));
}

/* A user copy that faults instead of crashing: the kernel's -EFAULT path. */
static unsigned long user_copy(void *to, const void *from, unsigned long n)
{
	struct iovec local = { to, n }, remote = { (void *)from, n };
	ssize_t got;

	if (!n)
		return 0;
	got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (got < 0)
		return n;
	return n - (unsigned long)got;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	kshim_might_sleep("copy_from_user");
	return user_copy(to, from, n);
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	struct iovec local = { (void *)from, n }, remote = { to, n };
	ssize_t got;

	kshim_might_sleep("copy_to_user");
	if (!n)
		return 0;
	got = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
	return got < 0 ? n : n - (unsigned long)got;
}
