// One run of one scenario on one variant under the controlled platform: a fresh device whose
// contexts are threads under the Runtime, the fake NPU stepped by the controller, virtual time.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.Hooks;
import ethosu.bench.bindings.NativeDevice;
import ethosu.bench.check.Checker;
import ethosu.bench.check.Finding;
import ethosu.bench.event.Event;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Names;
import ethosu.bench.event.Point;
import ethosu.bench.event.Printk;
import ethosu.bench.event.Wait;
import ethosu.bench.hw.DeviceClock;
import ethosu.bench.hw.FakeNpu;
import ethosu.bench.hw.JobRecord;
import ethosu.bench.hw.NpuVariant;
import ethosu.bench.hw.RegisterFile;
import ethosu.bench.kernel.Client;
import ethosu.bench.kernel.KernelContext;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static ethosu.bench.bindings.EthosuLibrary.*;

public final class ControlledRun implements Hooks.Target, Runtime.Environment {
    /** What a client context does: its script runs on its own thread, under control. */
    public interface ClientScript {
        void run(ControlledRun run, Client client);
    }

    static final int ID_MAIN = KernelContext.MAIN.id, ID_HARDIRQ = KernelContext.HARDIRQ.id, ID_CLIENT_BASE = 10;
    static final long CHAN_IRQ_LINE = -200;

    public final EthosuLibrary lib;
    public final Runtime runtime;
    public final Checker checker;
    private final NativeDevice nat;
    private final RegisterFile regs;
    private final FakeNpu npu;
    private final DeviceClock.Manual clock = new DeviceClock.Manual();
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<Integer, Integer> kinds = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private volatile boolean irqLine;
    /** A spurious pulse was raised: the handler runs although STATUS shows no IRQ. */
    private volatile boolean spuriousPulse;
    private volatile boolean stopping;
    private volatile boolean probed;

    /** A run of a scenario: its clients' scripts become client contexts. */
    public static ControlledRun of(EthosuLibrary lib, Strategy strategy, ethosu.bench.scenario.Scenario sc, int maxSteps) {
        ControlledRun r = new ControlledRun(lib, strategy, sc.npu(), sc.sramSize(), sc.horizonNs(), maxSteps);
        r.arm(sc.faults());
        r.arm(ethosu.bench.scenario.FaultSpec.fromCommandLine());
        return r;
    }

    /** The client scripts of a scenario: create each job's command BO, submit them in order. */
    public static List<ClientScript> scripts(ethosu.bench.scenario.Scenario sc) {
        List<ClientScript> out = new ArrayList<>();
        for (ethosu.bench.scenario.Scenario.ClientScript cs : sc.clients()) {
            out.add((run, c) -> {
                int[] bos = new int[cs.jobs().size()];
                for (int i = 0; i < bos.length; i++) {
                    var job = cs.jobs().get(i);
                    int mark = run.faultMark();
                    bos[i] = c.createCmdBo(Client.Stream.simple(4));
                    if (!run.returned("creating job " + job.name() + "'s command BO", bos[i] < 0 ? bos[i] : 0, mark,
                            Finding.Check.BENCH)) continue;
                    long id = c.dmaAddr(bos[i]);
                    run.npu().setBehaviour(id, job.behaviour());
                    run.checker.name(id, job.name());
                }
                for (int i = 0; i < bos.length; i++) {
                    if (bos[i] < 0) continue;
                    int mark = run.faultMark();
                    int ret = c.submit(Client.JobArgs.of(bos[i]));
                    // a valid job the driver refuses (e.g. -EACCES while a reset has runtime PM disabled)
                    run.returned("the submit of job " + cs.jobs().get(i).name(), ret, mark, Finding.Check.SUBMIT_ACCEPTED);
                }
                if (cs.killed()) c.killed();
            });
        }
        return out;
    }

    public ControlledRun(EthosuLibrary lib, Strategy strategy, NpuVariant variant, int sramSize, long horizonNs,
                         int maxSteps) {
        this.lib = lib;
        this.runtime = new Runtime(strategy, this, horizonNs, maxSteps);
        runtime.setMaxStall(defaultMaxStallNs());
        this.checker = new Checker(id -> names.getOrDefault(id, "ctx" + id), kinds::get);
        nat = new NativeDevice(lib, new NativeDevice.Config(CONTROLLED, variant.resetId(), variant.resetConfig(),
                sramSize, 1, 1, 0, null), this);
        regs = RegisterFile.wrap(nat.regs(), Path.of(nat.regsPath()));
        npu = new FakeNpu(regs, variant.resetId(), variant.resetConfig(), clock, () -> {
            irqLine = true;
            runtime.wake(CHAN_IRQ_LINE);
        });
        npu.addListener(new FakeNpu.Listener() {
            @Override
            public void violation(long now, String what) {
                checker.deviceViolation(what);
                runtime.note("npu", "!! " + what);
            }

            @Override
            public void jobEnded(JobRecord job) {
                checker.deviceEnded(job);
            }

            @Override
            public void irqRaised(long now, boolean spurious) {
                if (spurious) spuriousPulse = true;
            }
        });
    }

    public FakeNpu npu() {
        return npu;
    }

    private void context(int id, int kind, String name) {
        names.put(id, name);
        kinds.put(id, kind);
        // main (probe, teardown) and the clients are processes: their preemption is no stall to report
        runtime.register(id, name, kind != CTX_CLIENT && id != ID_MAIN);
    }

    /**
     * The longest stall a run may need of a kernel context (virtual time advancing while it is
     * runnable), in ns; negative: none. Set by --max-stall (the system property ethosu.maxStallNs,
     * which the command line passes on to its worker processes).
     */
    public static long defaultMaxStallNs() {
        return Long.getLong("ethosu.maxStallNs", -1);
    }

    /** "500us", "1ms", "2s", "0": a duration in ns. */
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
            return Math.round(Double.parseDouble(t) * mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "': expected a duration such as 500us, 1ms, 2s");
        }
    }

    /** What the run needed of the machine when each finding was made, by finding (identity). */
    private final Map<Finding, String> needs = new java.util.IdentityHashMap<>();

    /** Findings made since the last call get the stalls the run needed so far. */
    private void noteNeeds() {
        var fs = checker.findings();
        if (needs.size() == fs.size()) return;
        String n = runtime.needs();
        for (Finding f : fs) needs.putIfAbsent(f, n);
    }

    /** Which kernel context the run had stalled how long by the time it made finding f. */
    public String needs(Finding f) {
        noteNeeds();
        return needs.getOrDefault(f, runtime.needs());
    }

    /**
     * Context threads are reused across runs (a platform thread costs ~50 us to start): an idle
     * one takes the next context's body. Threads made here inherit the caller's CPU affinity.
     */
    private static final java.util.concurrent.ExecutorService CONTEXT_THREADS =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r);
                t.setDaemon(true);
                return t;
            });

    /**
     * A context's thread carries the context's own name ("irq/ethosu", "client-0"), as the kernel
     * names its threads: at most 15 characters, so gdb's `info threads` shows it whole.
     */
    private void thread(String name, Runnable body) {
        String shortName = name.length() > 15 ? name.substring(0, 15) : name;
        CONTEXT_THREADS.execute(() -> {
            Thread.currentThread().setName(shortName);
            CpuPinning.follow();
            body.run();
        });
    }

    /**
     * Runs the scenario: probe, the clients' scripts, quiescence, teardown, leak checks.
     * Returns false if the run did not end within timeoutMs of real time (a bench failure).
     */
    public boolean run(List<ClientScript> clients, long timeoutMs) throws InterruptedException {
        // the device is not a context here: its steps are the controller's choices
        for (KernelContext k : KernelContext.values())
            if (k != KernelContext.NPU) context(k.id, k.kind, k.title);
        for (int i = 0; i < clients.size(); i++) context(ID_CLIENT_BASE + i, CTX_CLIENT, "client-" + i);

        thread("main", () -> mainContext(clients.size()));
        for (KernelContext k : KernelContext.values())
            if (k.runsLoop()) loopThread(k.title, k.kind, k.id);
        thread("hardirq", this::hardirqContext);
        for (int i = 0; i < clients.size(); i++) {
            final int id = ID_CLIENT_BASE + i;
            final ClientScript script = clients.get(i);
            thread("client-" + i, () -> clientContext(id, script));
        }
        boolean ended = runtime.run(ID_MAIN, timeoutMs);
        if (!ended) checker.add(Finding.Check.BENCH, "the run did not end within " + timeoutMs + " ms of real time", "");
        for (String d : runtime.deadlocks()) checker.add(Finding.Check.DEADLOCK, d, "");
        return ended;
    }

    /** Frees the native device; only after a run that ended (no thread left inside the library). */
    public void destroy() {
        nat.destroy();
        regs.close();
    }

    // ---- forced failures (FaultSpec): armed before probe, counted per context as they fire ----

    private final Map<Integer, Integer> faultsFired = new java.util.concurrent.ConcurrentHashMap<>();
    private final ThreadLocal<Integer> contextId = new ThreadLocal<>();
    private volatile boolean probeFailed;

    /** Arms the forced failures (one per interface: a later one replaces an earlier one). */
    public void arm(List<ethosu.bench.scenario.FaultSpec> faults) {
        for (var f : faults) {
            int r = nat.fail(f.fault().value, f.site(), f.nth());
            if (r != 0) throw new IllegalArgumentException("cannot arm " + f + ": " + r);
        }
    }

    /** Failures forced so far in the calling context: take it before a call, pass it to {@link #returned}. */
    public int faultMark() {
        Integer id = contextId.get();
        return id == null ? 0 : faultsFired.getOrDefault(id, 0);
    }

    /**
     * Checks what a call returned against the kernel's conventions: 0 or a negative errno
     * (-1 to -4095). A failure is expected when a forced failure fired in the calling context during
     * the call (since mark); otherwise it is a finding of the given check. Returns ret == 0.
     */
    public boolean returned(String what, int ret, int mark, Finding.Check unexpected) {
        if (ret == 0) return true;
        if (ret > 0 || ret < -4095) {
            checker.add(Finding.Check.KERNEL_CONVENTION, what + " returned " + ret + ", neither 0 nor a negative errno", "");
            return false;
        }
        if (faultMark() > mark) {
            runtime.note(names.getOrDefault(contextId.get(), "?"), what + " failed with " + ethosu.bench.check.Errno.name(ret)
                    + " after a forced failure (expected)");
            return false;
        }
        checker.add(unexpected, what + " failed with " + ethosu.bench.check.Errno.name(ret), "");
        return false;
    }

    private void mainContext(int nclients) {
        runtime.enter(ID_MAIN);
        contextId.set(ID_MAIN);
        MemorySegment ctx = nat.bind(CTX_MAIN, ID_MAIN);
        int mark = faultMark();
        int ret = nat.probe();
        // a probe that fails without a forced failure is the bench's problem; with one, the device is absent
        if (!returned("probe", ret, mark, Finding.Check.BENCH)) probeFailed = true;
        // clients start now; main waits until nothing else can happen, then tears down
        probed = true;
        for (int i = 0; i < nclients; i++) runtime.wake(clientGo(ID_CLIENT_BASE + i));
        runtime.await(ID_MAIN, Runtime.QUIESCENT, Long.MAX_VALUE, "quiescence", true);
        checker.checkLiveness("the horizon");
        checker.checkCompletionsReported();
        // what is still in flight (a timeout handler, a reset) settles before the device goes away
        runtime.beginTeardown();
        runtime.await(ID_MAIN, Runtime.QUIESCENT, Long.MAX_VALUE, "settling", true);
        nat.remove();
        stopping = true;
        runtime.wake(CHAN_IRQ_LINE);
        // let the contexts leave their loops before the leak check
        runtime.await(ID_MAIN, Runtime.QUIESCENT, Long.MAX_VALUE, "contexts to exit", true);
        nat.checkLeaks();
        checker.checkFreed();
        nat.unbind(ctx);
        runtime.exit(ID_MAIN);
    }

    private static long clientGo(int id) {
        return -1000 - id;
    }

    private void clientContext(int id, ClientScript script) {
        runtime.enter(id);
        while (!probed) runtime.await(id, clientGo(id), Long.MAX_VALUE, "probe", true);
        contextId.set(id);
        MemorySegment ctx = nat.bind(CTX_CLIENT, id);
        try {
            // no device when probe failed: the client has nothing to open
            int[] ret = new int[1];
            int mark = faultMark();
            Client client = probeFailed ? null : Client.tryOpen(nat, ctx, checker, ret);
            if (client != null) {
                script.run(this, client);
                client.close();
            } else if (!probeFailed) {
                returned("open", ret[0], mark, Finding.Check.BENCH);
            }
        } catch (Throwable t) {
            checker.add(Finding.Check.BENCH, "client script failed: " + t, names.get(id));
        } finally {
            nat.unbind(ctx);
        }
        runtime.exit(id);
    }

    private void loopThread(String name, int kind, int id) {
        thread(name, () -> {
            runtime.enter(id);
            MemorySegment ctx = nat.bind(kind, id);
            nat.loop(ctx);
            nat.unbind(ctx);
            runtime.exit(id);
        });
    }

    private void hardirqContext() {
        runtime.enter(ID_HARDIRQ);
        MemorySegment ctx = nat.bind(CTX_HARDIRQ, ID_HARDIRQ);
        while (true) {
            while (!irqLine && !stopping)
                runtime.await(ID_HARDIRQ, CHAN_IRQ_LINE, Long.MAX_VALUE, "IRQ line low", true);
            if (stopping && !irqLine) break;
            irqLine = false;
            boolean pulse = spuriousPulse;
            spuriousPulse = false;
            // the line is level-triggered and C re-runs the handler while it stays asserted: a raise
            // seen after the line dropped again (the handler ran meanwhile) is no new interrupt
            if (pulse || (npu.status() & ethosu.bench.hw.Regs.STATUS_IRQ_RAISED) != 0) nat.hardirq(ctx);
        }
        nat.unbind(ctx);
        runtime.exit(ID_HARDIRQ);
    }

    public List<String> log() {
        return log;
    }

    // ---- Runtime.Environment ----

    @Override
    public String nextDeviceEvent() {
        return npu.nextEventDescription();
    }

    @Override
    public long nextDeviceEventTime() {
        return npu.nextEventTime();
    }

    @Override
    public void stepDevice() {
        long t = Math.max(clock.now(), npu.nextEventTime());
        clock.set(t);
        npu.step(t);
    }

    @Override
    public void timeAdvanced(long t) {
        if (t > clock.now()) clock.set(t);
    }

    // ---- Hooks.Target ----

    @Override
    public void mmioWrite(int offset, int value) {
        npu.mmioWrite(offset, value);
    }

    private final Names eventNames = new Names() {
        @Override
        public String job(long id) {
            return checker.jobName(id);
        }

        @Override
        public String context(int id) {
            return names.getOrDefault(id, "ctx" + id);
        }
    };

    @Override
    public void event(Event e) {
        String who = names.getOrDefault(e.ctx(), "?");
        if (e instanceof Printk p) {
            log.add(String.format("[%d] %s: %s", runtime.now(), who, p.text()));
            runtime.note(who, "printk: " + p.text());
        } else if (e instanceof KernelReport r) {
            log.add(String.format("[%d] %s: %s", runtime.now(), who, r.text()));
            runtime.note(who, "!! " + r.text());
        }
        noteNeeds();
        if (e instanceof ethosu.bench.event.FaultInjected fi) faultsFired.merge(fi.ctx(), 1, Integer::sum);
        int before = checker.findings().size();
        checker.event(e);
        // a check the Java side makes on this event (e.g. the IRQ path) is marked in the trace too
        if (!(e instanceof KernelReport))
            for (var f : checker.findings().subList(before, checker.findings().size()))
                runtime.note(who, "!! " + f.text());
    }

    @Override
    public void point(Point p) {
        noteNeeds();
        String l = p.render(eventNames);
        runtime.point(p.ctx(), l);
        // the point is passed: a lock taken there is now held (a trylock's outcome is not known here)
        var k = p.kind();
        if (k != null && k.lock()) {
            if (l.startsWith("mutex_trylock")) return;
            int a = l.indexOf('('), b = l.lastIndexOf(')');
            String lock = a >= 0 && b > a ? l.substring(a + 1, b) : l;
            if (k == ethosu.bench.event.PointKind.MUTEX_LOCK || k == ethosu.bench.event.PointKind.SPIN_LOCK)
                runtime.lockAcquired(p.ctx(), lock);
            else
                runtime.lockReleased(p.ctx(), lock);
        }
    }

    @Override
    public boolean await(Wait w) {
        if (w.kind() != ethosu.bench.event.WaitKind.LOCK)
            return runtime.await(w.ctx(), w.chan(), w.deadline(), w.label().text(), w.kind().idle);
        // contended: the lock its lock point counted as taken is not held until the wait ends
        String t = w.label().text();
        int a = t.indexOf('('), b = t.lastIndexOf(')');
        String lock = a >= 0 && b > a ? t.substring(a + 1, b) : t;
        runtime.lockReleased(w.ctx(), lock);
        boolean r = runtime.await(w.ctx(), w.chan(), w.deadline(), t, w.kind().idle);
        runtime.lockAcquired(w.ctx(), lock);
        return r;
    }

    @Override
    public void wake(int ctx, long chan) {
        runtime.wake(chan);
    }

    @Override
    public long now() {
        return runtime.now();
    }

    @Override
    public void upcallFailed(String hook, Throwable t) {
        checker.add(Finding.Check.BENCH, "upcall " + hook + " threw " + t, "");
    }
}
