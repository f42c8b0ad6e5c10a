// The controlled platform: one context runs at a time under a Runtime that asks a strategy at every
// scheduling point; the fake NPU is one of the choices (stepped here, not by a thread) and time is
// virtual, so when things happen is the schedule's and replays exactly.
package ethosu.bench.control;

import ethosu.bench.event.Label;
import ethosu.bench.event.Point;
import ethosu.bench.event.Wait;
import ethosu.bench.event.WaitKind;
import ethosu.bench.hw.DeviceClock;
import ethosu.bench.kernel.Harness;
import ethosu.bench.kernel.KernelContext;
import ethosu.bench.kernel.Platform;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static ethosu.bench.bindings.EthosuLibrary.CONTROLLED;

public final class Controlled implements Platform, Runtime.Environment {
    private static final Label QUIESCENCE = Label.named("quiescence");

    /**
     * Context threads are reused across runs (a platform thread costs ~50 us to start): an idle
     * one takes the next context's body. Threads made here inherit the caller's CPU affinity.
     */
    private static final ExecutorService CONTEXT_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    });

    private final Strategy strategy;
    private final int maxSteps;
    private final DeviceClock.Manual clock = new DeviceClock.Manual();
    private Consumer<Schedule.Decision> recorder;
    private int breakStep = -1;
    private Runtime.BreakHook breakHook;
    private Harness harness;
    private Runtime runtime;
    private boolean virtualThreads;

    /** @param maxSteps decisions a run explores; past them, the default scheduler ends it (STEP_LIMIT) */
    public Controlled(Strategy strategy, int maxSteps) {
        this.strategy = strategy;
        this.maxSteps = maxSteps;
    }

    /** Sees every decision as it is taken (the worker's flight recorder). Before the run. */
    public Controlled recordTo(Consumer<Schedule.Decision> recorder) {
        this.recorder = recorder;
        return this;
    }

    /** At decision step, hook runs on the thread of the context chosen there (make gdb). Before the run. */
    public Controlled breakAt(int step, Runtime.BreakHook hook) {
        this.breakStep = step;
        this.breakHook = hook;
        return this;
    }

    /**
     * Contexts run as virtual threads: a switch is a continuation yield and resume, on one carrier
     * when jdk.virtualThreadScheduler.parallelism is 1 (the model's engine; the C needs platform
     * threads, its frames are native). Before the run.
     */
    public Controlled onVirtualThreads() {
        this.virtualThreads = true;
        return this;
    }

    /** The decisions of the run so far. */
    public Schedule schedule() {
        return runtime.schedule();
    }

    @Override
    public int nativePlatform() {
        return CONTROLLED;
    }

    @Override
    public DeviceClock clock() {
        return clock;
    }

    @Override
    public void attach(Harness h) {
        harness = h;
        runtime = new Runtime(strategy, this, h.setup.horizonNs(), maxSteps, h.trace, h);
        runtime.setMaxStall(maxStallNs);
        if (recorder != null) runtime.setRecorder(recorder);
        if (breakHook != null) runtime.breakAt(breakStep, breakHook);
    }

    /**
     * Explore only schedules in which no kernel context stays runnable longer than ns while virtual
     * time advances (negative: no bound; the default is --max-stall's, the system property
     * ethosu.maxStallNs that worker processes inherit). Before the run.
     */
    public Controlled maxStall(long ns) {
        this.maxStallNs = ns;
        return this;
    }

    private long maxStallNs = defaultMaxStallNs();

    /** --max-stall of the command line (the system property ethosu.maxStallNs), in ns; negative: none. */
    public static long defaultMaxStallNs() {
        return Long.getLong("ethosu.maxStallNs", -1);
    }

    /** "500us", "1ms", "2s", "0": a duration in ns; IllegalArgumentException otherwise. */
    public static long parseDuration(String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        long mult = 1;
        for (String[] u : new String[][] {{"ns", "1"}, {"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"}}) {
            if (t.endsWith(u[0])) {
                mult = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).strip();
                break;
            }
        }
        try {
            double v = Double.parseDouble(t) * mult;
            if (!(v >= 0) || v > Long.MAX_VALUE) throw new NumberFormatException();
            return Math.round(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a duration >= 0 such as 500us, 1ms, 2s, got '" + s + "'");
        }
    }

    /** Main and the clients are processes: their preemption is no stall to report; kernel contexts' is. */
    @Override
    public void context(int id, String name) {
        boolean kernel = false;
        for (KernelContext k : KernelContext.values())
            if (k.id == id && k != KernelContext.MAIN) kernel = true;
        runtime.register(id, name, kernel);
    }

    /** Which kernel context the run so far had stalled how long. */
    @Override
    public String needs() {
        return runtime.needs();
    }

    /**
     * A context's thread carries the context's own name ("irq/ethosu", "client-0"), as the kernel
     * names its threads: at most 15 characters, so gdb's `info threads` shows it whole.
     */
    @Override
    public void start(int id, String name, Runnable body) {
        String shortName = Harness.threadName(name);
        if (virtualThreads) {
            Thread.ofVirtual().name(shortName).start(() -> context(id, body));
            return;
        }
        CONTEXT_THREADS.execute(() -> {
            Thread.currentThread().setName(shortName);
            CpuPinning.follow();
            context(id, body);
        });
    }

    /** A context's life under control; it leaves the run however its body ends, so the run ends too. */
    private void context(int id, Runnable body) {
        runtime.enter(id);
        try {
            body.run();
        } finally {
            runtime.exit(id);
        }
    }

    @Override
    public boolean run(int mainId, long timeoutMs) throws InterruptedException {
        return runtime.run(mainId, timeoutMs);
    }

    @Override
    public boolean block(Wait w, BooleanSupplier until) {
        while (!until.getAsBoolean()) {
            if (runtime.await(w) && w.deadline() != Long.MAX_VALUE) return true;
        }
        return false;
    }

    @Override
    public void wake(long chan) {
        runtime.wake(chan);
    }

    @Override
    public long now() {
        return runtime.now();
    }

    @Override
    public int step() {
        return runtime.step();
    }

    @Override
    public void point(Point p) {
        runtime.point(p);
    }

    @Override
    public boolean await(Wait w) {
        return runtime.await(w);
    }

    @Override
    public boolean quiesce(Harness h, Stage stage) {
        // SETTLED: the scenario is over; in-flight work runs to its end with default decisions
        if (stage == Stage.SETTLED) runtime.beginTeardown();
        runtime.await(new Wait(KernelContext.MAIN.id, WaitKind.QUIESCENCE, QUIESCENCE, Runtime.QUIESCENT,
                Long.MAX_VALUE));
        // contexts blocked for good stay parked unless teardown wakes them: the harness does not tear
        // down under a client still in its script (Harness.mainContext)
        return true;
    }

    @Override
    public boolean stuckNeverRun() {
        return true;
    }

    @Override
    public boolean stepLimitHit() {
        return runtime.stepLimitHit();
    }

    @Override
    public List<String> stuck() {
        return runtime.deadlocks().stream()
                .map(w -> harness.context(w.ctx()) + " waits forever: " + w.render()).toList();
    }

    // ---- Runtime.Environment: the device as the controller's choice ----

    @Override
    public String nextDeviceEvent() {
        return harness.npu().nextEventDescription();
    }

    @Override
    public long nextDeviceEventTime() {
        return harness.npu().nextEventTime();
    }

    @Override
    public void stepDevice() {
        long t = Math.max(clock.now(), harness.npu().nextEventTime());
        clock.set(t);
        harness.npu().step(t);
    }

    @Override
    public void timeAdvanced(long t) {
        if (t > clock.now()) clock.set(t);
    }
}
