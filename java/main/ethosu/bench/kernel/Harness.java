// One device under test, whatever runs it: the variant library's device, its register file and
// fake NPU, one thread per kernel context (DESIGN.md, "Execution contexts"), the run's typed trace
// and checks. The platform (free-running or controlled) is the only difference; every run, and every
// path through the shim tests, ends with the same checks.
package ethosu.bench.kernel;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.Hooks;
import ethosu.bench.bindings.NativeFrames;
import ethosu.bench.bindings.NativeDevice;
import ethosu.bench.check.Checks;
import ethosu.bench.check.Outcome;
import ethosu.bench.event.Event;
import ethosu.bench.event.Label;
import ethosu.bench.event.Names;
import ethosu.bench.event.NpuEvent;
import ethosu.bench.event.Point;
import ethosu.bench.event.Trace;
import ethosu.bench.event.Wait;
import ethosu.bench.event.WaitKind;
import ethosu.bench.hw.FakeNpu;
import ethosu.bench.hw.JobRecord;
import ethosu.bench.hw.NpuVariant;
import ethosu.bench.hw.RegisterFile;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static ethosu.bench.bindings.EthosuLibrary.*;

public final class Harness implements Hooks.Target, Names {
    /**
     * What the device is.
     *
     * @param probe     the driver is probed (ethosu_job_init); false for the shim tests, whose mock
     *                  scheduler takes the device's one ordered workqueue
     * @param horizonNs kernel time the scenario may take: past it, unfinished jobs are findings
     */
    public record Setup(NpuVariant npu, int sramSize, int traceLevel, Path regsPath, boolean probe, long horizonNs) {
        public static Setup defaults() {
            return new Setup(NpuVariant.U65, 0x20000, 1, null, true, 10_000_000_000L);
        }

        public Setup withNpu(NpuVariant v) {
            return new Setup(v, sramSize, traceLevel, regsPath, probe, horizonNs);
        }

        public Setup withSram(int bytes) {
            return new Setup(npu, bytes, traceLevel, regsPath, probe, horizonNs);
        }

        public Setup withTraceLevel(int level) {
            return new Setup(npu, sramSize, level, regsPath, probe, horizonNs);
        }

        public Setup withRegsPath(Path p) {
            return new Setup(npu, sramSize, traceLevel, p, probe, horizonNs);
        }

        /** No driver: the shim tests' mock scheduler uses the device. */
        public Setup unprobed() {
            return new Setup(npu, sramSize, traceLevel, regsPath, false, horizonNs);
        }

        public Setup withHorizon(long ns) {
            return new Setup(npu, sramSize, traceLevel, regsPath, probe, ns);
        }
    }

    /** What main does between the probe and the end of the scenario (the shim tests' body). */
    @FunctionalInterface
    public interface MainScript {
        void run(Harness h) throws Exception;
    }

    /** What one client context does; it runs once the device is probed. */
    @FunctionalInterface
    public interface ClientScript {
        void run(Harness h, ClientContext c) throws Exception;
    }

    /** A client context: its bound handle, and a DRM file opened on first use. */
    public final class ClientContext {
        public final int id;
        public final String name;
        final DeviceUnderTest.Context ctx;
        private Client file;

        ClientContext(int id, String name, DeviceUnderTest.Context ctx) {
            this.id = id;
            this.name = name;
            this.ctx = ctx;
        }

        /** The client's DRM file (opened now if it is not yet). */
        public Client file() {
            if (file == null) {
                int[] ret = new int[1];
                int mark = faultMark(id);
                file = Client.tryOpen(ctx, checks, ret);
                if (file == null) {
                    // expected after a forced failure; otherwise a finding of the bench
                    returned(id, "open", ret[0], mark, ethosu.bench.check.Finding.Check.BENCH);
                    throw new NoFile();
                }
            }
            return file;
        }

        /** The bound context, for the other C APIs of the library (the scheduler mock). */
        public MemorySegment handle() {
            return ctx.handle();
        }

        void close() {
            if (file != null) file.close();
        }
    }

    /** A client's open failed (judged by returned()): its script ends there. */
    private static final class NoFile extends RuntimeException {
        NoFile() {
            super("the client's open failed", null, false, false);
        }
    }

    /** Sees every event of the run as it is recorded, with its kernel time (a fixture's bookkeeping, an export). */
    @FunctionalInterface
    public interface Listener {
        void on(Event e, long time);
    }

    /** Client contexts are numbered from here (the default scheduler runs lower numbers first). */
    public static final int ID_CLIENT_BASE = 10;
    private static final long CHAN_IRQ_LINE = -200, CHAN_PROBE = -300, CHAN_POLL = -400;
    private static final Label IRQ_LINE_LOW = Label.named("IRQ line low"), PROBE = Label.named("probe"),
            POLL = Label.named("poll");

    /** The variant library when the C runs; null when its model does. */
    public final EthosuLibrary lib;
    /** What runs the driver: the C of a variant or its model. */
    public final Engine engine;
    public final Setup setup;
    public final Platform platform;
    public final Checks checks;
    public final Trace trace;
    private final DeviceUnderTest dut;
    private final RegisterFile regs;
    private final FakeNpu npu;
    private final Map<Integer, String> contextNames = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> contextKinds = new ConcurrentHashMap<>();
    /** Jobs by name: a scenario's, else their order of first appearance in the run. */
    private final Map<Long, String> jobNames = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger jobSeq = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Each context's kernel thread id, for the watchdog's look at a context that does not come back. */
    private final Map<Integer, Integer> threadIds = new ConcurrentHashMap<>();
    /** Events recorded so far: the free-running watchdog's measure of progress (a lost increment is harmless). */
    private volatile long events;
    private volatile boolean irqLine, stopping, probed;
    /** A spurious pulse was raised: the handler runs although STATUS shows no IRQ. */
    private volatile boolean spuriousPulse;
    /** The probe failed after a forced failure: there is no device for the clients to open. */
    private volatile boolean probeFailed;
    /** Forced failures (FaultInjected events) so far, by context. */
    private final Map<Integer, Integer> faultsFired = new ConcurrentHashMap<>();
    /** What the run needed of the machine (Platform.needs) when each finding was made, by finding. */
    private final Map<ethosu.bench.check.Finding, String> needs =
            Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    /** Client scripts still running, and returned (free-running clients end concurrently). */
    private final java.util.concurrent.atomic.AtomicInteger clientsLeft = new java.util.concurrent.atomic.AtomicInteger(),
            scriptsDone = new java.util.concurrent.atomic.AtomicInteger();
    /** The platform could not end the scenario (a client blocked for good): no teardown. */
    private volatile boolean abandoned;
    private boolean ran;

    public Harness(EthosuLibrary lib, Setup setup, Platform platform) {
        this(Engine.of(lib), lib, setup, platform);
    }

    /** A harness whose device is made by engine: the C of a variant, or its model. */
    public Harness(Engine engine, Setup setup, Platform platform) {
        this(engine, engine instanceof NativeDut.NativeEngine n ? n.lib() : null, setup, platform);
    }

    private Harness(Engine engine, EthosuLibrary lib, Setup setup, Platform platform) {
        this.engine = engine;
        this.lib = lib;
        this.setup = setup;
        this.platform = platform;
        this.trace = new Trace(setup.traceLevel() >= 2 ? 200_000 : 50_000);
        this.checks = new Checks(this, id -> Integer.valueOf(CTX_IRQ_THREAD).equals(contextKinds.get(id)), trace::next);
        for (KernelContext k : KernelContext.values()) name(k.id, k.kind, k.title);
        dut = engine.create(setup, platform, this);
        regs = dut.registers();
        npu = new FakeNpu(regs, setup.npu().resetId(), setup.npu().resetConfig(), platform.clock(), this::raiseIrq);
        npu.addListener(new FakeNpu.Listener() {
            @Override
            public void violation(long now, String what) {
                event(new NpuEvent(NpuEvent.Kind.VIOLATION, null, what));
            }

            @Override
            public void jobStarted(JobRecord job) {
                event(new NpuEvent(NpuEvent.Kind.STARTED, job, null));
            }

            @Override
            public void jobEnded(JobRecord job) {
                event(new NpuEvent(NpuEvent.Kind.ENDED, job, null));
            }

            @Override
            public void irqRaised(long now, boolean spurious) {
                if (spurious) spuriousPulse = true;
                event(new NpuEvent(spurious ? NpuEvent.Kind.SPURIOUS_IRQ : NpuEvent.Kind.IRQ_RAISED, null, null));
            }
        });
        platform.attach(this);
    }

    private void name(int id, int kind, String name) {
        contextNames.put(id, name);
        contextKinds.put(id, kind);
    }

    // ---------------------------------------------------------------- the run

    /**
     * Runs the device: probe, main's script and the clients' scripts, until the scenario is over;
     * then the end-of-run checks, teardown and the leak checks; then frees the device (unless the run
     * did not end: its threads may still be inside the library). Once per harness.
     */
    public RunResult run(MainScript main, List<ClientScript> clients, long timeoutMs) {
        if (ran) throw new IllegalStateException("a harness runs once");
        ran = true;
        long t0 = System.nanoTime();
        for (KernelContext k : KernelContext.values())
            if (k != KernelContext.NPU) platform.context(k.id, k.title);
        for (int i = 0; i < clients.size(); i++) {
            name(ID_CLIENT_BASE + i, CTX_CLIENT, "client-" + i);
            platform.context(ID_CLIENT_BASE + i, "client-" + i);
        }
        clientsLeft.set(clients.size());
        platform.start(KernelContext.MAIN.id, "main", () -> mainContext(main));
        for (KernelContext k : KernelContext.values())
            if (k.runsLoop()) platform.start(k.id, k.title, () -> loopContext(k));
        platform.start(KernelContext.HARDIRQ.id, KernelContext.HARDIRQ.title, this::hardirqContext);
        for (int i = 0; i < clients.size(); i++) {
            int id = ID_CLIENT_BASE + i;
            ClientScript s = clients.get(i);
            platform.start(id, "client-" + i, () -> clientContext(id, s));
        }
        boolean ended;
        try {
            ended = platform.run(KernelContext.MAIN.id, timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        // a context the watchdog found stuck in the driver is the driver's finding; a run that merely
        // did not end in time is the bench's
        List<ethosu.bench.check.Lockup> lockups = ended ? List.of() : platform.lockups();
        if (!ended && lockups.isEmpty()) checks.bench("the run did not end within " + timeoutMs + " ms of real time", "");
        checks.lockups(lockups);
        List<String> stuck = platform.stuck();
        checks.stuck(stuck);
        checks.at(Checks.Stage.ENDED);
        NativeDevice.Counters counters = ended ? dut.counters() : null;
        RunResult.End end = !ended ? lockups.isEmpty() ? RunResult.End.TIMED_OUT : RunResult.End.LOCKUP
                : abandoned ? RunResult.End.ABANDONED
                : platform.stepLimitHit() ? RunResult.End.STEP_LIMIT : RunResult.End.ENDED;
        // a context still running after teardown would use the device after its free, later, in
        // whatever run its process does next: the device is left as it stands, as an abandoned one
        boolean leftRunning = ended && platform.contextsLeftRunning();
        if (end == RunResult.End.ENDED && leftRunning) end = RunResult.End.ABANDONED;
        // a device whose contexts all left can serve another run; one with a context stuck inside is
        // freed; an abandoned run's only where its stuck contexts can never run again and none still
        // runs; a timed-out or locked-up run's is left as it stands
        if (end == RunResult.End.ENDED || end == RunResult.End.STEP_LIMIT) {
            if (stuck.isEmpty() && platform.reusesDevices()) release();
            else destroy();
        } else if (end == RunResult.End.ABANDONED && platform.stuckNeverRun() && !leftRunning) {
            destroy();
        }
        return new RunResult(end, checks.findings(), trace, this, checks.results(), checks.resultCounts(),
                checks.expectedCount(), Outcome.of(checks), counters, List.copyOf(failures), npu,
                (System.nanoTime() - t0) / 1e9);
    }

    private void destroy() {
        dut.destroy();
    }

    private void release() {
        dut.release();
    }

    private void mainContext(MainScript main) {
        noteThread(KernelContext.MAIN.id);
        DeviceUnderTest.Context ctx = dut.bind(CTX_MAIN, KernelContext.MAIN.id);
        try {
            if (setup.probe()) {
                int mark = faultMark(KernelContext.MAIN.id);
                int ret = dut.probe();
                // a probe that fails without a forced failure is the bench's problem; with one, the device is absent
                if (!returned(KernelContext.MAIN.id, "probe", ret, mark, ethosu.bench.check.Finding.Check.BENCH))
                    probeFailed = true;
            }
            probed = true;
            platform.wake(CHAN_PROBE);
            if (main != null) {
                try {
                    main.run(this);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }
            // every end-of-run check, on every path
            boolean over = platform.quiesce(this, Platform.Stage.SCENARIO);
            checks.at(Checks.Stage.HORIZON);
            if (!over) {
                abandoned = true;
                return;
            }
            // what is still in flight (a timeout handler, a reset) settles before the device goes away
            platform.quiesce(this, Platform.Stage.SETTLED);
            // a client still in its script once everything settled (time unbounded) is blocked for
            // good, e.g. in a file's close; a device is unbound only after its files are gone, and
            // removing it here would wake that client into a torn-down scheduler (drm_sched_fini
            // wakes job_scheduled): the run is abandoned as it stands, the client reported stuck
            if (clientsRunning()) {
                abandoned = true;
                return;
            }
            dut.remove();
            stopping = true;
            platform.wake(CHAN_IRQ_LINE);
            platform.quiesce(this, Platform.Stage.STOPPED);
            dut.checkLeaks();
            checks.at(Checks.Stage.TEARDOWN);
        } catch (RuntimeException e) {
            // a bug of the bench (or of the model), reported as such: the run still ends
            failures.add(e);
            checks.bench("main failed: " + e + where(e), "main");
        } finally {
            ctx.unbind();
        }
    }

    private void clientContext(int id, ClientScript script) {
        noteThread(id);
        block(new Wait(id, WaitKind.PROBE, PROBE, CHAN_PROBE, Long.MAX_VALUE), () -> probed);
        ClientContext c = new ClientContext(id, context(id), dut.bind(CTX_CLIENT, id));
        try {
            // no device when probe failed: the client has nothing to open
            if (probeFailed) return;
            script.run(this, c);
            c.close();
        } catch (NoFile e) {
            // the open failed and returned() has judged it: the script has nothing more to do
        } catch (Throwable t) {
            failures.add(t);
            checks.bench("client script failed: " + t, c.name);
        } finally {
            c.ctx.unbind();
            scriptsDone.incrementAndGet();
            clientsLeft.decrementAndGet();
        }
    }

    private void loopContext(KernelContext k) {
        noteThread(k.id);
        DeviceUnderTest.Context ctx = dut.bind(k.kind, k.id);
        try {
            ctx.loop();
        } catch (Throwable e) {
            checks.bench(k.title + " loop failed: " + e + where(e), k.title);
        } finally {
            ctx.unbind();
        }
    }

    /** The hard-IRQ context: runs the primary handler each time the line is raised. */
    private void hardirqContext() {
        int id = KernelContext.HARDIRQ.id;
        noteThread(id);
        DeviceUnderTest.Context ctx = dut.bind(CTX_HARDIRQ, id);
        try {
            for (;;) {
                block(new Wait(id, WaitKind.IRQ_LINE, IRQ_LINE_LOW, CHAN_IRQ_LINE, Long.MAX_VALUE),
                        () -> irqLine || stopping);
                if (!irqLine) break;
                irqLine = false;
                boolean pulse = spuriousPulse;
                spuriousPulse = false;
                // the line is level-triggered and the C re-runs the handler while it stays asserted: a
                // raise seen after the line dropped again (the handler ran meanwhile) is no new interrupt
                if (pulse || (npu.status() & ethosu.bench.hw.Regs.STATUS_IRQ_RAISED) != 0) ctx.hardirq();
            }
        } finally {
            ctx.unbind();
        }
    }

    private void raiseIrq() {
        irqLine = true;
        platform.wake(CHAN_IRQ_LINE);
    }

    /** Blocks the calling context until cond holds or the wait's deadline; true if the deadline ended it. */
    private boolean block(Wait w, BooleanSupplier cond) {
        return platform.block(w, cond);
    }

    /**
     * From main's script: lets the device run until cond holds, at most timeoutNs of kernel time;
     * true once it holds. Under control, time passes only when every other context is idle.
     */
    public boolean await(BooleanSupplier cond, long timeoutNs) {
        return await(KernelContext.MAIN.id, cond, timeoutNs);
    }

    /** As above, from the Java context ctx (a client's script): it polls cond every ms of kernel time. */
    public boolean await(int ctx, BooleanSupplier cond, long timeoutNs) {
        long deadline = platform.now() + timeoutNs;
        while (!cond.getAsBoolean()) {
            long now = platform.now();
            if (now >= deadline) return false;
            block(new Wait(ctx, WaitKind.POLL, POLL, CHAN_POLL, Math.min(deadline, now + 1_000_000)), () -> false);
        }
        return true;
    }

    // ---------------------------------------------------------------- forced failures

    /** Arms forced failures (FaultSpec) on the device, before the run; a later one of a kind replaces an earlier one. */
    public void arm(List<ethosu.bench.scenario.FaultSpec> faults) {
        for (var f : faults) {
            int r = dut.fail(f.fault().value, f.site(), f.nth());
            if (r != 0) throw new IllegalArgumentException("cannot arm " + f + ": " + r);
        }
    }

    /** Forced failures so far in context ctx: take it before a call, pass it to {@link #returned}. */
    public int faultMark(int ctx) {
        return faultsFired.getOrDefault(ctx, 0);
    }

    /**
     * Checks what a call of context ctx returned against the kernel's conventions: 0 or a negative
     * errno (-1 to -4095). A failure is expected when a forced failure fired in ctx during the call
     * (since mark); otherwise it is a finding of the check unexpected. Returns ret == 0.
     */
    public boolean returned(int ctx, String what, int ret, int mark, ethosu.bench.check.Finding.Check unexpected) {
        if (ret == 0) return true;
        if (ret > 0 || ret < -4095) {
            checks.report(ethosu.bench.check.Finding.Check.KERNEL_CONVENTION, "convention", what, List.of(),
                    what + " returned " + ret + ", neither 0 nor a negative errno", context(ctx));
            return false;
        }
        if (faultMark(ctx) > mark) return false;
        if (unexpected == ethosu.bench.check.Finding.Check.BENCH)
            checks.bench(what + " failed with " + ethosu.bench.check.Errno.name(ret), context(ctx));
        else
            checks.report(unexpected, "refused", what, List.of(),
                    what + " failed with " + ethosu.bench.check.Errno.name(ret), context(ctx));
        return false;
    }

    /** Which kernel context the run had stalled how long by the time it made finding f ("" free-running). */
    public String needs(ethosu.bench.check.Finding f) {
        noteNeeds();
        return needs.getOrDefault(f, platform.needs());
    }

    /** Findings made since the last call get the stalls the run needed so far. */
    private void noteNeeds() {
        var fs = checks.findings();
        if (needs.size() == fs.size()) return;
        String n = platform.needs();
        for (var f : fs) needs.putIfAbsent(f, n);
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** True while client scripts are still running. */
    public boolean clientsRunning() {
        return clientsLeft.get() > 0;
    }

    /** What the run has done so far: events, jobs finished, clients returned (free-running stall detection). */
    public long progress() {
        return trace.next() + checks.finishedCount() + scriptsDone.get();
    }

    /** A context's thread name: its own name, at most 15 characters, as gdb's `info threads` shows it whole. */
    public static String threadName(String context) {
        return context.length() > 15 ? context.substring(0, 15) : context;
    }

    // ---------------------------------------------------------------- accessors

    /** The variant library's device; only when the C runs (the scheduler mock's shim tests need it). */
    public NativeDevice device() {
        if (dut instanceof NativeDut n) return n.nat;
        throw new IllegalStateException(engine.kind() + " engine: no native device");
    }

    /** The device under test, whatever runs it. */
    public DeviceUnderTest dut() {
        return dut;
    }

    /** Where an exception of the device under test came from (the model's are Java's). */
    private static String where(Throwable e) {
        StackTraceElement[] st = e.getStackTrace();
        return st.length == 0 ? "" : " at " + st[0];
    }

    /**
     * Notes the kernel thread id of the calling context (the watchdog reads its CPU time and C
     * frames); the model's contexts are virtual threads with no C frames of their own: not noted.
     */
    private void noteThread(int ctx) {
        if (dut instanceof NativeDut) threadIds.put(ctx, NativeFrames.threadId());
    }

    /** The kernel thread id of a context that has started, or -1. */
    public int threadId(int ctx) {
        return threadIds.getOrDefault(ctx, -1);
    }

    /** Every started context's kernel thread id, by context id. */
    public Map<Integer, Integer> threadIds() {
        return Map.copyOf(threadIds);
    }

    /** Events recorded so far (progress, for the free-running watchdog). */
    public long events() {
        return events;
    }

    public FakeNpu npu() {
        return npu;
    }

    public RegisterFile registers() {
        return regs;
    }

    private void record(Event e) {
        events++;
        long now = platform.now();
        trace.add(platform.step(), now, e);
        for (Listener l : listeners) l.on(e, now);
    }

    // ---------------------------------------------------------------- Names

    /** Gives a job its scenario name: traces say "jobA", reports "job A". */
    public void nameJob(long id, String name) {
        jobNames.put(id, name);
        checks.name(id, name);
    }

    @Override
    public String jobName(long id) {
        return jobNames.computeIfAbsent(id, k -> "#" + jobSeq.incrementAndGet());
    }

    @Override
    public String context(int id) {
        return contextNames.getOrDefault(id, "ctx" + id);
    }

    @Override
    public String register(int offset) {
        return npu.variant().regName(offset);
    }

    // ---------------------------------------------------------------- Hooks.Target

    @Override
    public void sync() {
        platform.sync();
    }

    @Override
    public void mmioWrite(int offset, int value) {
        npu.mmioWrite(offset, value);
        platform.deviceChanged();
    }

    @Override
    public void event(Event e) {
        noteNeeds();
        if (e instanceof ethosu.bench.event.FaultInjected fi) faultsFired.merge(fi.ctx(), 1, Integer::sum);
        record(e);
        platform.observed();
        checks.event(e);
    }

    @Override
    public void point(Point p) {
        noteNeeds();
        platform.point(p);
    }

    @Override
    public boolean await(Wait w) {
        return platform.await(w);
    }

    @Override
    public void wake(int ctx, long chan) {
        platform.wake(chan);
    }

    @Override
    public long now() {
        return platform.now();
    }

    @Override
    public void upcallFailed(String hook, Throwable t) {
        checks.bench("upcall " + hook + " threw " + t, "");
    }
}
