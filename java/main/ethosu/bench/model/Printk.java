// The model's printk.c: kernel log lines into the run's trace, as typed Printk events. The model
// formats its lines with Java's formatter where the C uses the kernel's format extensions; the
// texts are the C's, character for character.
package ethosu.bench.model;

public final class Printk {
    private Printk() {}

    public static final int KERN_ERR = 3, KERN_WARNING = 4, KERN_INFO = 6, KERN_DEBUG = 7;

    /** kshim_printk: debug lines are compiled out of a kernel without DEBUG, only traced when asked. */
    static void kshim_printk(int level, String prefix, String msg) {
        Kdev d = Kshim.dev();
        if (level >= KERN_DEBUG && (d == null || d.trace_level < 2)) return;
        if (msg.endsWith("\n")) msg = msg.substring(0, msg.length() - 1);
        String line = prefix != null ? prefix + ": " + msg : msg;
        if (d == null) {
            System.err.println(line);
            return;
        }
        Kshim.event(new ethosu.bench.event.Printk(Kshim.ctxId(), level, line));
    }

    /** dev_name(dev) */
    static String dev_name(Kdev.Device dev) {
        return dev != null ? dev.name : "(NULL device *)";
    }

    public static void dev_err(Kdev.Device dev, String msg) {
        kshim_printk(KERN_ERR, dev_name(dev), msg);
    }

    public static void dev_warn(Kdev.Device dev, String msg) {
        kshim_printk(KERN_WARNING, dev_name(dev), msg);
    }

    public static void dev_dbg(Kdev.Device dev, String msg) {
        kshim_printk(KERN_DEBUG, dev_name(dev), msg);
    }

    public static void pr_err(String msg) {
        kshim_printk(KERN_ERR, null, msg);
    }

    public static void pr_warn(String msg) {
        kshim_printk(KERN_WARNING, null, msg);
    }

    /** The kernel's %pad: a dma_addr_t, zero-padded hex. */
    public static String pad(long dma) {
        return String.format("0x%016x", dma);
    }
}
