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
import ethosu.bench.kernel.Watchdog;
import ethosu.bench.bindings.NativeFrames;
import ethosu.bench.check.Lockup;

import ethosu.bench.bindings.gen.ebench_point_rec;
import ethosu.bench.bindings.gen.ebench_sched;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static ethosu.bench.bindings.EthosuLibrary.CONTROLLED;

public final class Controlled implements Platform, Runtime.Environment, Runtime.PointLog {
    private static final Label QUIESCENCE = Label.named("quiescence");

    private final Strategy strategy;
    private final int maxSteps;
    private final DeviceClock.Manual clock = new DeviceClock.Manual();
    private Consumer<Schedule.Decision> recorder;
    private int breakStep = -1;
    private Runtime.BreakHook breakHook;
    private Harness harness;
    private Runtime runtime;
    /** The watchdog's budget, taken when the platform is made (a minimiser's probes have a shorter one). */
    private final long watchdogMs = Watchdog.budgetMs();
    private Lockup lockup;
    /** Contexts started so far in this run: the k-th takes the k-th carrier thread. */
    private int started;
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

    private boolean pointLog = true;

    /**
     * Whether the library may record points that are no choice instead of calling up (on by
     * default; tests compare runs with and without). Before the run.
     */
    public Controlled recordingNoChoicePoints(boolean on) {
        this.pointLog = on;
        return this;
    }

    /** At decision step, hook runs on the thread of the context chosen there (make gdb). Before the run. */
    public Controlled breakAt(int step, Runtime.BreakHook hook) {
        this.breakStep = step;
        this.breakHook = hook;
        return this;
    }

    /** Points of the run the library recorded without calling up (they were no choice). */
    public int pointsRecorded() {
        return runtime.pointsRecorded();
    }

    /**
     * Contexts run as virtual threads: a switch is a continuation yield and resume, on one carrier
     * when jdk.virtualThreadScheduler.parallelism is 1 (the model's engine; the C needs platform
     * threads, its frames are native, and keeps them across runs). Before the run.
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
        // the model has no library to record points in: every point calls up, and a step's
        // footprint is unknown (dependent on every other), so the reduction explores as plain DFS
        if (h.lib == null) return;
        sched = h.device().sched();
        lib = h.lib;
        arenaBase = ebench_sched.arena_base(sched);
        arenaEnd = ebench_sched.arena_end(sched);
        devBase = ebench_sched.dev_base(sched);
        devEnd = ebench_sched.dev_end(sched);
        runtime.setPointLog(this, pointLog);
    }

    // ---- Runtime.PointLog: the library's struct ebench_sched ----

    private MemorySegment sched;
    private ethosu.bench.bindings.EthosuLibrary lib;
    private static final long REC = ebench_sched.rec$offset(), REC_SIZE = ebench_point_rec.sizeof(),
            REC_CTX = ebench_point_rec.ctx$offset(), REC_LABEL = ebench_point_rec.label$offset(),
            REC_OBJ = ebench_point_rec.obj$offset(), REC_ARG = ebench_point_rec.arg$offset(),
            REC_FREES = ebench_point_rec.frees$offset();
    private long arenaBase, arenaEnd, devBase, devEnd;

    @Override
    public void skip(boolean on) {
        ebench_sched.skip(sched, on ? 1 : 0);
    }

    @Override
    public void now(long t) {
        ebench_sched.now(sched, t);
    }


    @Override
    public void drain(Runtime.RecordedPoints sink) {
        int n = ebench_sched.count(sched);
        if (n == 0) return;
        for (int i = 0; i < n; i++) {
            long r = REC + i * REC_SIZE;
            int label = sched.get(ValueLayout.JAVA_INT, r + REC_LABEL);
            Label l = lib.label(label);
            if (l == null) throw new IllegalStateException(lib.variant + ": unknown label id " + label);
            sink.point(new Point(sched.get(ValueLayout.JAVA_INT, r + REC_CTX), l,
                    sched.get(ValueLayout.JAVA_LONG, r + REC_OBJ), sched.get(ValueLayout.JAVA_LONG, r + REC_ARG)),
                    sched.get(ValueLayout.JAVA_LONG, r + REC_FREES));
        }
        ebench_sched.count(sched, 0);
    }

    @Override
    public long frees() {
        return ebench_sched.frees(sched);
    }

    @Override
    public long objectId(long address) {
        if (Long.compareUnsigned(address, arenaBase) >= 0 && Long.compareUnsigned(address, arenaEnd) < 0)
            return Footprint.arena(address - arenaBase);
        if (Long.compareUnsigned(address, devBase) >= 0 && Long.compareUnsigned(address, devEnd) < 0)
            return Footprint.device(address - devBase);
        return Footprint.UNNAMED;
    }

    @Override
    public void observed() {
        runtime.observed();
    }

    @Override
    public void sync() {
        runtime.sync();
    }

    /** A register write from the running context may have given the device an event to choose. */
    @Override
    public void deviceChanged() {
        runtime.deviceChanged();
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
        Runtime.Ctx c = runtime.ctx(id);
        String shortName = Harness.threadName(name);
        if (virtualThreads) {
            // a virtual thread sleeps by parking (a futex wait would hold its carrier): one per context
            Baton.Word word = Baton.PARK.newWord();
            Thread t = Thread.ofVirtual().name(shortName).unstarted(() -> {
                Baton.PARK.await(word);
                runtime.runContext(c, body, () -> {});
            });
            runtime.started(c, t, Baton.PARK, word);
            t.start();
            return;
        }
        ContextThreads.Carrier carrier = ContextThreads.assign(started++, c, body, shortName);
        runtime.started(c, carrier.thread, Runtime.BATON, carrier.word);
    }

    /**
     * Runs under the watchdog: the context that holds the baton and has used more than the budget of
     * CPU time since the step last moved spins without a scheduling point (a soft lockup): its C
     * frames are taken and its thread stopped, and the run ends there.
     */
    @Override
    public boolean run(int mainId, long timeoutMs) throws InterruptedException {
        long budgetNs = watchdogMs * 1_000_000L, tick = Watchdog.tickMs(watchdogMs);
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        runtime.start(mainId);
        int lastStep = -1;
        Runtime.Ctx last = null;
        long cpu0 = -1;
        while (!runtime.awaitEnd(tick)) {
            if (System.nanoTime() - end > 0) return false;
            int step = runtime.stepSeen();
            Runtime.Ctx c = runtime.running();
            int tid = c == null ? -1 : harness.threadId(c.id);
            long cpu = tid < 0 ? -1 : NativeFrames.cpuNanos(tid);
            if (step != lastStep || c != last || cpu < 0 || cpu0 < 0) {
                lastStep = step;
                last = c;
                cpu0 = cpu;
                continue;
            }
            if (cpu - cpu0 < budgetNs) continue;
            // the step has not moved while c used the whole budget of CPU: it spins
            if (runtime.stepSeen() != step) continue;
            lockup = Watchdog.softLockup(harness.lib, c.name, tid, cpu - cpu0, "step " + step + ", " + runtime.where(c));
            return false;
        }
        return true;
    }

    @Override
    public List<Lockup> lockups() {
        return lockup == null ? List.of() : List.of(lockup);
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
    public boolean reusesDevices() {
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
