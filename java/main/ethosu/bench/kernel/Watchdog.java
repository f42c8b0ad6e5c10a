// The watchdog of a run, as the kernel's: a context that keeps its CPU past the budget without
// reaching a scheduling point is a soft lockup; a device that makes no progress while contexts sleep
// inside the driver has hung tasks. Either is a finding of the driver with the C frames where the
// context is; a spinning thread is stopped (parked in the sampler), never left spinning.
package ethosu.bench.kernel;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.NativeFrames;
import ethosu.bench.check.Lockup;

import java.util.List;
import java.util.function.Supplier;

public final class Watchdog {
    /** The kernel's soft-lockup threshold (twice watchdog_thresh, 10 s by default). */
    public static final long DEFAULT_MS = 20_000;
    /** The property the commands' --watchdog sets, in ms; worker processes inherit it. */
    public static final String PROPERTY = "ethosu.watchdog.ms";
    /** C frames a report shows. */
    static final int FRAMES = 6;

    private static final ThreadLocal<Long> OVERRIDE = new ThreadLocal<>();

    private Watchdog() {}

    /** The budget of runs made on this thread: a shorter one inside {@link #withBudget}, else the property's. */
    public static long budgetMs() {
        Long o = OVERRIDE.get();
        if (o != null) return o;
        String p = System.getProperty(PROPERTY);
        if (p != null) {
            try {
                long ms = Long.parseLong(p.strip());
                if (ms > 0) return ms;
            } catch (NumberFormatException e) {
                // the commands check --watchdog; a bad property falls back on the default
            }
        }
        return DEFAULT_MS;
    }

    /**
     * The budget of the minimiser's probes of a known soft lockup: the spin is known to be endless,
     * so a tenth of the budget (at least half a second) tells a probe that reproduces it.
     */
    public static long probeBudgetMs() {
        return Math.max(500, budgetMs() / 10);
    }

    /** Runs body with runs made on this thread watched with budget ms. */
    public static <T> T withBudget(long ms, Supplier<T> body) {
        Long old = OVERRIDE.get();
        OVERRIDE.set(ms);
        try {
            return body.get();
        } finally {
            if (old == null) OVERRIDE.remove();
            else OVERRIDE.set(old);
        }
    }

    /** As {@link #withBudget}, for a body that throws. */
    public static <T> T callWithBudget(long ms, java.util.concurrent.Callable<T> body) throws Exception {
        Long old = OVERRIDE.get();
        OVERRIDE.set(ms);
        try {
            return body.call();
        } finally {
            if (old == null) OVERRIDE.remove();
            else OVERRIDE.set(old);
        }
    }

    /** How often a watchdog looks: often enough for short budgets, rarely enough to cost nothing. */
    public static long tickMs(long budgetMs) {
        return Math.max(10, Math.min(250, budgetMs / 5));
    }

    /** A context found spinning: its C frames (the thread is stopped for good as they are taken). */
    public static Lockup softLockup(EthosuLibrary lib, String context, int tid, long cpuNanos, String lastPoint) {
        List<NativeFrames.Frame> shown = NativeFrames.shown(NativeFrames.sample(lib, tid, true), FRAMES);
        return new Lockup(Lockup.Kind.SOFT_LOCKUP, context, Math.round(cpuNanos / 1e9), NativeFrames.site(shown),
                shown.stream().map(NativeFrames.Frame::toString).toList(), lastPoint);
    }

    /**
     * A context found asleep while the device made no progress: a hung task if it sleeps inside the
     * driver's code (an idle worker or IRQ thread waits in the shims' loops, which is no hang); null
     * otherwise. The thread is left where it is.
     */
    public static Lockup hungTask(EthosuLibrary lib, String context, int tid, long blockedMs) {
        List<NativeFrames.Frame> all = NativeFrames.sample(lib, tid, false);
        if (all.stream().noneMatch(NativeFrames.Frame::driver)) return null;
        List<NativeFrames.Frame> shown = NativeFrames.shown(all, FRAMES);
        return new Lockup(Lockup.Kind.HUNG_TASK, context, blockedMs / 1000, NativeFrames.site(shown),
                shown.stream().map(NativeFrames.Frame::toString).toList(), null);
    }
}
