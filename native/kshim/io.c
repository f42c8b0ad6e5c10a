// SPDX-License-Identifier: GPL-2.0-only
/*
 * io.c - MMIO on the register file. A write is handed to the device model
 * synchronously (the model decides what it does to the file); a read returns
 * the file's current value. Both are scheduling points named by register.
 */
#define _GNU_SOURCE
#include <stdio.h>

#include <linux/io.h>
#include <linux/delay.h>
#include <linux/uaccess.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kdev.h"

const char *kshim_reg_name(u32 off)
{
	static __thread char buf[24];

	switch (off) {
	case 0x000: return "ID";
	case 0x004: return "STATUS";
	case 0x008: return "CMD";
	case 0x00c: return "RESET";
	case 0x010: return "QBASE";
	case 0x014: return "QBASE_HI";
	case 0x018: return "QREAD";
	case 0x01c: return "QCONFIG";
	case 0x020: return "QSIZE";
	case 0x024: return "PROT";
	case 0x028: return "CONFIG";
	case 0x03c: return "REGIONCFG";
	case 0x040: return "AXILIMIT0";
	case 0x044: return "AXILIMIT1";
	case 0x048: return "AXILIMIT2";
	case 0x04c: return "AXILIMIT3";
	case 0x050: return "AXI_SRAM";
	case 0x054: return "AXI_EXT";
	}
	if (off >= 0x080 && off < 0x0c0) {
		snprintf(buf, sizeof(buf), "%s(%u)", (off & 4) ? "BASEP_HI" : "BASEP",
			 (off - 0x80) / 8);
		return buf;
	}
	snprintf(buf, sizeof(buf), "0x%03x", off);
	return buf;
}

static bool mmio_offset(struct ebench_dev *d, const volatile void *addr, u32 *off,
			const char *op)
{
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)d->regs;

	if (a < base || a + 4 > base + d->regs_len || (a & 3)) {
		kshim_finding(EBENCH_F_OOPS, "BUG: unable to handle MMIO %s at %p (outside the register window)",
			      op, (void *)addr);
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
	kshim_finding(EBENCH_F_OOPS,
		      "Unhandled external abort: %s(%s) on a runtime-suspended NPU (clocks gated)",
		      op, kshim_reg_name(off));
}

u32 kshim_readl(const volatile void __iomem *addr, bool relaxed)
{
	struct ebench_dev *d = kshim_dev();
	u32 off;

	if (!d || !mmio_offset(d, addr, &off, "read"))
		return 0;
	kshim_pointf(EBENCH_PT_READL, "%s(%s)", relaxed ? "readl_relaxed" : "readl",
		     kshim_reg_name(off));
	mmio_check_clocks(d, off, relaxed ? "readl_relaxed" : "readl");
	return __atomic_load_n((const volatile u32 *)addr, __ATOMIC_ACQUIRE);
}

void kshim_writel(u32 value, volatile void __iomem *addr, bool relaxed)
{
	struct ebench_dev *d = kshim_dev();
	u32 off;

	if (!d || !mmio_offset(d, addr, &off, "write"))
		return;
	kshim_pointf(EBENCH_PT_WRITEL, "%s(%s, 0x%x)", relaxed ? "writel_relaxed" : "writel",
		     kshim_reg_name(off), value);
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
	kshim_pointf(EBENCH_PT_SLEEP, "usleep_range(%lu)", max_us);
	kshim_sleep_until(kshim_clock() + (u64)max_us * 1000ULL, "usleep_range");
}

void msleep(unsigned int msecs)
{
	kshim_might_sleep("msleep");
	kshim_pointf(EBENCH_PT_SLEEP, "msleep(%u)", msecs);
	kshim_sleep_until(kshim_clock() + (u64)msecs * 1000000ULL, "msleep");
}

void udelay(unsigned long usecs)
{
	kshim_pointf(EBENCH_PT_SLEEP, "udelay(%lu)", usecs);
	kshim_sleep_until(kshim_clock() + (u64)usecs * 1000ULL, "udelay");
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
