// The free-running platform: every context on its own platform thread, all at once, the NPU on a
// thread of its own, kernel time scaled real time (timeScale kernel ns per real ns). For stress:
// what happens when is the machine's, not a schedule's.
package ethosu.bench.kernel;

import ethosu.bench.bindings.NativeFrames;
import ethosu.bench.check.Lockup;
import ethosu.bench.event.Wait;
import ethosu.bench.hw.DeviceClock;
import ethosu.bench.hw.NpuThread;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static ethosu.bench.bindings.EthosuLibrary.FREE_RUNNING;

public final class FreeRunning implements Platform {
    /** How long teardown waits for a context to leave its loop, real time. */
    private static final long JOIN_MS = 10_000;
    /** Real time with nothing happening that makes a client that has not returned stuck, by default. */
    private static final long STALL_MS = 10_000;
    /** How long teardown waits for finished jobs to be freed, real time. */
    private static final long SETTLE_MS = 2_000;

    private final int timeScale, chaos;
    /** Real time with nothing happening after which a client that has not returned is stuck. */
    private final long stallMs;
    private final DeviceClock.Scaled clock;
    private final Object lock = new Object();
    private final Map<Integer, Thread> threads = new ConcurrentHashMap<>();
    private final List<String> stuck = new ArrayList<>();
    private final List<Lockup> lockups = new ArrayList<>();
    /**
     * The context waiting in quiesce's polling loop (-1: none): bench code that wakes every
     * millisecond, so its CPU time is no sign of a spin in the driver (under load it passes the
     * watchdog's share while a deadlocked driver leaves everything else asleep).
     */
    private volatile int polling = -1;
    /** A context's thread was still alive after teardown's join (see Platform.contextsLeftRunning). */
    private volatile boolean leftRunning;
    private Harness harness;
    private NpuThread npuThread;

    /** @param timeScale kernel ns per real ns (20 makes the 500 ms timeout 25 ms); chaos per mille */
    public FreeRunning(int timeScale, int chaos) {
        this(timeScale, chaos, STALL_MS);
    }

    /** @param stallMs see {@link #quiesce}: at least the horizon, whichever is longer */
    public FreeRunning(int timeScale, int chaos, long stallMs) {
        this.timeScale = timeScale;
        this.chaos = chaos;
        this.stallMs = stallMs;
        this.clock = new DeviceClock.Scaled(timeScale);
    }

    private long stallNs(Harness h) {
        return Math.max(stallMs * 1_000_000, h.setup.horizonNs() / timeScale);
    }

    @Override
    public int nativePlatform() {
        return FREE_RUNNING;
    }

    @Override
    public int timeScale() {
        return timeScale;
    }

    @Override
    public int chaos() {
        return chaos;
    }

    @Override
    public DeviceClock clock() {
        return clock;
    }

    @Override
    public void attach(Harness h) {
        harness = h;
        // the reset completes inside the RESET write, so the driver's 1 s poll never depends on the
        // npu thread being scheduled within 1 s / timeScale of real time
        h.npu().setResetDuration(0);
        npuThread = new NpuThread(h.npu()).start();
    }

    @Override
    public void context(int id, String name) {}

    @Override
    public void start(int id, String name, Runnable body) {
        Thread t = Thread.ofPlatform().name(Harness.threadName(name)).daemon().unstarted(body);
        threads.put(id, t);
        t.start();
    }

    /**
     * Runs under the watchdog: when the device records no event for the budget, a context that used
     * CPU all the while spins (a soft lockup: its thread is stopped), and contexts asleep inside the
     * driver's code are hung tasks; either ends the run. Asleep elsewhere (idle loops, a poll), it
     * waits on.
     */
    @Override
    public boolean run(int mainId, long timeoutMs) throws InterruptedException {
        Thread main = threads.get(mainId);
        long budgetMs = Watchdog.budgetMs(), tick = Watchdog.tickMs(budgetMs);
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        long seen = harness.events(), since = System.nanoTime();
        Map<Integer, Long> cpu0 = cpuTimes();
        while (main.isAlive()) {
            main.join(tick);
            if (!main.isAlive()) break;
            long now = System.nanoTime();
            if (now - end > 0) return false;
            if (harness.events() != seen) {
                seen = harness.events();
                since = now;
                cpu0 = cpuTimes();
                continue;
            }
            long stalledMs = (now - since) / 1_000_000;
            if (stalledMs < budgetMs) continue;
            lockups.addAll(stuckContexts(cpu0, stalledMs));
            if (!lockups.isEmpty()) {
                npuThread.close();
                return false;
            }
            // nobody stuck in the driver (a slow machine, a long quiet spell): watch on
            since = now;
            cpu0 = cpuTimes();
        }
        return true;
    }

    /** Every started context's CPU time, by context id. */
    private Map<Integer, Long> cpuTimes() {
        Map<Integer, Long> m = new java.util.HashMap<>();
        harness.threadIds().forEach((id, tid) -> m.put(id, NativeFrames.cpuNanos(tid)));
        return m;
    }

    /**
     * After stalledMs without an event: contexts that used at least a twentieth of that in CPU time
     * spin (stopped as their frames are taken); the others, if asleep in the driver, are hung tasks.
     */
    private List<Lockup> stuckContexts(Map<Integer, Long> cpu0, long stalledMs) {
        List<Lockup> out = new ArrayList<>();
        Map<Integer, Long> cpu1 = cpuTimes();
        long spinNs = Math.max(50, stalledMs / 20) * 1_000_000L;
        for (var e : new java.util.TreeMap<>(harness.threadIds()).entrySet()) {
            if (e.getKey() == polling) continue;
            Long a = cpu0.get(e.getKey()), b = cpu1.get(e.getKey());
            if (a == null || b == null || a < 0 || b < 0) continue;
            String name = harness.context(e.getKey());
            if (b - a >= spinNs) out.add(Watchdog.softLockup(harness.lib, name, e.getValue(), b - a, null));
        }
        if (!out.isEmpty()) return out;
        for (var e : new java.util.TreeMap<>(harness.threadIds()).entrySet()) {
            Lockup l = Watchdog.hungTask(harness.lib, harness.context(e.getKey()), e.getValue(), stalledMs);
            if (l != null) out.add(l);
        }
        return out;
    }

    @Override
    public List<Lockup> lockups() {
        return lockups;
    }

    @Override
    public boolean block(Wait w, BooleanSupplier until) {
        synchronized (lock) {
            while (!until.getAsBoolean()) {
                long left = w.deadline() == Long.MAX_VALUE ? 0 : clock.realNanosUntil(w.deadline());
                if (w.deadline() != Long.MAX_VALUE && left == 0) return true;
                try {
                    // a bounded wait: a wake is never lost (the condition is checked under the lock
                    // wake takes), the bound only keeps a stuck context from hiding for ever
                    lock.wait(left == 0 ? 100 : Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public void wake(long chan) {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    @Override
    public long now() {
        return clock.now();
    }

    /**
     * The scenario is over once the clients have returned and every job they submitted finished,
     * or the horizon (kernel time, counted from the clients' return) passed. A client that does not
     * return while nothing at all happens (no event, no job finished, no other client returning)
     * for the stall bound is blocked in the library for good: the run is abandoned as it stands,
     * since tearing the device down under it would free what it waits on.
     */
    @Override
    public boolean quiesce(Harness h, Stage stage) {
        for (var e : threads.entrySet()) if (e.getValue() == Thread.currentThread()) polling = e.getKey();
        try {
            return settle(h, stage);
        } finally {
            polling = -1;
        }
    }

    private boolean settle(Harness h, Stage stage) {
        switch (stage) {
            case SCENARIO -> {
                long progressAt = System.nanoTime();
                long seen = -1;
                while (h.clientsRunning()) {
                    long p = h.progress();
                    if (p != seen) {
                        seen = p;
                        progressAt = System.nanoTime();
                    } else if (System.nanoTime() - progressAt > stallNs(h)) {
                        stuck.add("a client did not return: blocked with nothing happening for "
                                + stallNs(h) / 1_000_000 + " ms of real time (the run is abandoned, not torn down)");
                        return false;
                    }
                    sleep();
                }
                long until = clock.now() + h.setup.horizonNs();
                while (!h.checks.allDone() && clock.now() < until) sleep();
            }
            case SETTLED -> {
                // what is in flight (a timeout handler, a reset, a free) settles before the device
                // goes away, as a device is unbound only after its files are gone; bounded in real time
                long until = System.nanoTime() + SETTLE_MS * 1_000_000;
                while (!h.checks.allSettled() && System.nanoTime() < until) sleep();
            }
            case STOPPED -> {
                for (var e : threads.entrySet()) {
                    if (e.getValue() == Thread.currentThread()) continue;
                    try {
                        e.getValue().join(JOIN_MS);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    if (e.getValue().isAlive()) {
                        stuck.add("context " + h.context(e.getKey()) + " did not return at teardown");
                        leftRunning = true;
                    }
                }
                npuThread.close();
            }
        }
        return true;
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean contextsLeftRunning() {
        return leftRunning;
    }

    @Override
    public List<String> stuck() {
        return stuck;
    }
}
