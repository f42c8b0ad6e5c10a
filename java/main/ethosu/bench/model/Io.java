// The model's io.c, linux/iopoll.h and linux/delay.h: MMIO on the register file and sleeps on the
// kernel clock. A write reaches the device model synchronously; a read returns the file's current
// value; both are scheduling points on the register's offset, which the trace names (Regs).
package ethosu.bench.model;

import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Label;
import ethosu.bench.event.PointKind;
import ethosu.bench.event.WaitKind;
import ethosu.bench.hw.Regs;

import java.util.function.IntPredicate;

public final class Io {
    private Io() {}

    private static final Label READL = Kshim.label(PointKind.READL, "readl(%o)"),
            READL_RELAXED = Kshim.label(PointKind.READL, "readl_relaxed(%o)"),
            WRITEL = Kshim.label(PointKind.WRITEL, "writel(%o, %v)"),
            WRITEL_RELAXED = Kshim.label(PointKind.WRITEL, "writel_relaxed(%o, %v)"),
            USLEEP = Kshim.label(PointKind.SLEEP, "usleep_range(%d)"), MSLEEP = Kshim.label(PointKind.SLEEP, "msleep(%d)"),
            UDELAY = Kshim.label(PointKind.SLEEP, "udelay(%d)"),
            USLEEP_WAIT = Kshim.label(WaitKind.TIME, "usleep_range"), MSLEEP_WAIT = Kshim.label(WaitKind.TIME, "msleep"),
            UDELAY_WAIT = Kshim.label(WaitKind.TIME, "udelay");

    private static boolean mmio_offset(int off, String op) {
        if (!Regs.inWindow(off)) {
            Kshim.finding_at(KernelReport.Kind.OOPS, op, String.format(
                    "BUG: unable to handle MMIO access at offset 0x%x in %s (outside the register window)", off, op));
            return false;
        }
        return true;
    }

    /**
     * A register access while runtime PM has gated the NPU's clocks: on hardware an external abort
     * (an oops). Reported once per gated period; the access then goes ahead.
     */
    private static void mmio_check_clocks(Kdev d, int off, String op) {
        if (!d.clk_managed || d.clk_on || d.clk_gated_reported) return;
        d.clk_gated_reported = true;
        Kshim.finding_at(KernelReport.Kind.OOPS, op, String.format(
                "Unhandled external abort: %s at register offset 0x%03x on a runtime-suspended NPU (clocks gated)", op, off));
    }

    /** kshim_readl: off is the register's offset (dev->regs + off in the C). */
    static int kshim_readl(int off, boolean relaxed) {
        Kdev d = Kshim.dev();
        if (d == null || !mmio_offset(off, "readl")) return 0;
        Kshim.point(relaxed ? READL_RELAXED : READL, (long) off, 0);
        mmio_check_clocks(d, off, relaxed ? "readl_relaxed" : "readl");
        return d.regs.read(off);
    }

    static void kshim_writel(int value, int off, boolean relaxed) {
        Kdev d = Kshim.dev();
        if (d == null || !mmio_offset(off, "writel")) return;
        Kshim.point(relaxed ? WRITEL_RELAXED : WRITEL, (long) off, value & 0xffffffffL);
        mmio_check_clocks(d, off, relaxed ? "writel_relaxed" : "writel");
        d.target.mmioWrite(off, value);
    }

    public static int readl(int off) {
        return kshim_readl(off, false);
    }

    public static int readl_relaxed(int off) {
        return kshim_readl(off, true);
    }

    public static void writel(int value, int off) {
        kshim_writel(value, off, false);
    }

    public static void writel_relaxed(int value, int off) {
        kshim_writel(value, off, true);
    }

    public static void usleep_range(long min_us, long max_us) {
        Kshim.might_sleep("usleep_range");
        Kshim.point(USLEEP, null, max_us);
        Kshim.sleep_until(Kshim.clock() + max_us * 1000L, USLEEP_WAIT);
    }

    public static void msleep(int msecs) {
        Kshim.might_sleep("msleep");
        Kshim.point(MSLEEP, null, msecs);
        Kshim.sleep_until(Kshim.clock() + msecs * 1_000_000L, MSLEEP_WAIT);
    }

    public static void udelay(long usecs) {
        Kshim.point(UDELAY, null, usecs);
        Kshim.sleep_until(Kshim.clock() + usecs * 1000L, UDELAY_WAIT);
    }

    /** A register read of the poll loop: readl or readl_relaxed. */
    public interface Op {
        int read(int off);
    }

    /**
     * read_poll_timeout(op, val, cond, sleep_us, timeout_us, false, off): polls, sleeping between
     * reads; 0 when cond became true, -ETIMEDOUT otherwise; val[0] holds the last value read.
     */
    public static int read_poll_timeout(Op op, int off, int[] val, IntPredicate cond, long sleep_us, long timeout_us) {
        long timeout = Kshim.ktime_get() + timeout_us * 1000L;
        if (sleep_us != 0) Kshim.might_sleep("read_poll_timeout");
        for (;;) {
            val[0] = op.read(off);
            if (cond.test(val[0])) break;
            if (timeout_us != 0 && Long.compare(Kshim.ktime_get(), timeout) > 0) {
                val[0] = op.read(off);
                break;
            }
            if (sleep_us != 0) usleep_range((sleep_us >> 2) + 1, sleep_us);
        }
        return cond.test(val[0]) ? 0 : -Kshim.ETIMEDOUT;
    }

    public static int readl_poll_timeout(int off, int[] val, IntPredicate cond, long sleep_us, long timeout_us) {
        return read_poll_timeout(Io::readl, off, val, cond, sleep_us, timeout_us);
    }

    public static int readl_relaxed_poll_timeout(int off, int[] val, IntPredicate cond, long sleep_us, long timeout_us) {
        return read_poll_timeout(Io::readl_relaxed, off, val, cond, sleep_us, timeout_us);
    }
}
