// The controlled shim tests' fixture: the mock scheduler (and, for irq.c, a self-test handler on the
// device's line) on a device with no driver, every context a thread under the controller's Runtime.
// A story (what main and each client do) is run under every schedule a strategy yields, so a test
// asserts what the shims let overlap and what they never do, schedule by schedule.
//
// Self-contained on purpose (not on kernel.Harness): a story needs two contexts of system_wq, a bare
// register file whose STATUS the story raises itself, and the controller's stall bound per exploration;
// it shares the controller's Runtime (the one decision loop) with the harness.
package ethosu.bench.shim;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.Hooks;
import ethosu.bench.bindings.MockScheduler;
import ethosu.bench.bindings.NativeDevice;
import ethosu.bench.check.Errno;
import ethosu.bench.control.Choice;
import ethosu.bench.control.Runtime;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.Strategy;
import ethosu.bench.event.Call;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Names;
import ethosu.bench.event.Point;
import ethosu.bench.event.Printk;
import ethosu.bench.event.Label;
import ethosu.bench.event.Trace;
import ethosu.bench.event.Wait;
import ethosu.bench.event.WaitKind;
import ethosu.bench.report.TraceText;
import ethosu.bench.hw.Regs;
import ethosu.bench.kernel.KernelContext;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static ethosu.bench.bindings.EthosuLibrary.*;

final class ControlledMock implements Hooks.Target, Runtime.Environment {
    /** What one context of a story does, on that context's own thread, under control. */
    interface Body {
        void run(ControlledMock m);
    }

    /**
     * A story: main creates the mock (and the IRQ handler) and may submit; each client body runs on a
     * client context once main calls {@link #startClients()}. irq: the story uses the interrupt line
     * (hardirq and irq/ethosu contexts). policy: the run queue's (0 FIFO, 1 RR, 2 fair).
     */
    record Story(String name, Body main, List<Body> clients, boolean irq, int policy, long horizonNs) {
        static Story of(String name, Body main, Body... clients) {
            return new Story(name, main, List.of(clients), false, 0, 10_000_000_000L);
        }

        Story withIrq() {
            return new Story(name, main, clients, true, policy, horizonNs);
        }

        Story withPolicy(int p) {
            return new Story(name, main, clients, irq, p, horizonNs);
        }
    }

    /** One thing that happened, in the order of the run (index = position in {@link Run#events}). */
    record Ev(int step, String ctx, String kind, String what, long job, long value) {
        @Override
        public String toString() {
            return "[" + step + "] " + ctx + ": " + kind + " " + what + (job != 0 ? " job" + job : "")
                    + (kind.equals("end") || kind.equals("signal") ? " -> " + value : "");
        }
    }

    /** One schedule's run: what happened, the findings, what the story noted. */
    record Run(long index, Schedule schedule, List<Ev> events, List<String> findings, List<String> trace,
               Map<String, Object> notes, boolean ended) {
        /** Index of the first event matching p from `from` on, -1 if none. */
        int find(int from, Predicate<Ev> p) {
            for (int i = Math.max(0, from); i < events.size(); i++) if (p.test(events.get(i))) return i;
            return -1;
        }

        /** [start, end] event indices of every call of `what` (a backend op, a work item's function, an IRQ handler) for job (0: any). */
        List<int[]> intervals(String what, long job) {
            List<int[]> out = new ArrayList<>();
            Map<String, Integer> open = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                Ev e = events.get(i);
                if (!e.what().equals(what) || (job != 0 && e.job() != job)) continue;
                String key = e.ctx() + "/" + e.job();
                if (e.kind().equals("start")) open.put(key, i);
                else if (e.kind().equals("end") && open.containsKey(key)) out.add(new int[] {open.remove(key), i});
            }
            for (int s : open.values()) out.add(new int[] {s, Integer.MAX_VALUE});
            return out;
        }

        /** Some call of b (for jobB) starts while a call of a (for jobA) has started and not returned. */
        boolean startsDuring(String b, long jobB, String a, long jobA) {
            for (int[] x : intervals(a, jobA))
                for (int[] y : intervals(b, jobB))
                    if (y[0] > x[0] && y[0] < x[1]) return true;
            return false;
        }

        /** A call of b starts after event index `after`, before event index `before`. */
        boolean startsBetween(String b, long jobB, int after, int before) {
            for (int[] y : intervals(b, jobB)) if (y[0] > after && y[0] < before) return true;
            return false;
        }

        /** Index of the first event of ctx after index i, events.size() if none: where a call made at i has returned. */
        int nextOf(String ctx, int i) {
            for (int k = i + 1; k < events.size(); k++) if (events.get(k).ctx().equals(ctx)) return k;
            return events.size();
        }

        /** Indices of the points whose label starts with prefix. */
        List<Integer> points(String prefix) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < events.size(); i++)
                if (events.get(i).kind().equals("point") && events.get(i).what().startsWith(prefix)) out.add(i);
            return out;
        }

        int count(String kind, String what) {
            return (int) events.stream().filter(e -> e.kind().equals(kind) && e.what().equals(what)).count();
        }

        boolean finding(String text) {
            return findings.stream().anyMatch(f -> f.contains(text));
        }

        /** The run as a test failure shows it: findings, notes, events. */
        String describe() {
            StringBuilder sb = new StringBuilder("\nschedule " + index + " (" + schedule.size() + " decisions, "
                    + schedule.preemptions() + " preemptions)\nfindings: " + findings + "\nnotes: " + notes + "\nevents:\n");
            events.stream().filter(e -> !e.kind().equals("point") || e.what().startsWith("cancel") || e.what().startsWith("queue")
                    || e.what().startsWith("disable") || e.what().startsWith("enable") || e.what().startsWith("flush")
                    || e.what().startsWith("synchronize") || e.what().startsWith("free_irq"))
                    .forEach(e -> sb.append("  ").append(e).append('\n'));
            return sb.toString();
        }
    }

    /** An exploration's runs, and whether the strategy exhausted its bound. */
    record Exploration(List<Run> runs, boolean exhausted) {
        boolean any(Predicate<Run> p) {
            return runs.stream().anyMatch(p);
        }

        boolean none(Predicate<Run> p) {
            return runs.stream().noneMatch(p);
        }

        Run witness(Predicate<Run> p) {
            return runs.stream().filter(p).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return runs.size() + " schedules" + (exhausted ? " (bound exhausted)" : "");
        }
    }

    static final int ID_MAIN = KernelContext.MAIN.id, ID_HARDIRQ = KernelContext.HARDIRQ.id, ID_CLIENT_BASE = 10;
    private static final long CHAN_LINE = -200, CHAN_CLIENTS = -300;
    static final int MAX_STEPS = 5_000;

    /** The library every controlled shim test runs on: locked, or a shim mutant (-Dethosu.kshim.lib=path). */
    static String libraryName() {
        String p = System.getProperty("ethosu.kshim.lib");
        return p == null || p.isBlank() ? "locked" : p;
    }

    static EthosuLibrary library() {
        String p = System.getProperty("ethosu.kshim.lib");
        return p == null || p.isBlank() ? EthosuLibrary.load("locked") : EthosuLibrary.load(Path.of(p));
    }

    final Runtime runtime;
    private final Trace trace = new Trace(50_000);
    final NativeDevice nat;
    private final Story story;
    private final MemorySegment regs;
    private final Map<Integer, String> names = new HashMap<>();
    private final List<Ev> events = new ArrayList<>();
    private final List<String> findings = new ArrayList<>();
    private final Map<String, Object> notes = new LinkedHashMap<>();
    private final ThreadLocal<MemorySegment> ctx = new ThreadLocal<>();
    private volatile boolean line, stopping, clientsGo;
    private MockScheduler sched;

    private ControlledMock(EthosuLibrary lib, Story story, Strategy strategy, long maxStallNs) {
        this.story = story;
        this.runtime = new Runtime(strategy, this, story.horizonNs(), MAX_STEPS, trace, eventNames);
        runtime.setMaxStall(maxStallNs);
        nat = new NativeDevice(lib, new NativeDevice.Config(CONTROLLED, 0x10000000, 0, 0, 1, 1, 0, null), this);
        regs = nat.regs();
        // the library reads virtual time from the device's shared struct (no point log here)
        MemorySegment shared = nat.sched();
        runtime.setClock(t -> ethosu.bench.bindings.gen.ebench_sched.now(shared, t));
        if (story.policy() != 0 && nat.schedPolicy(story.policy()) != 0)
            throw new IllegalArgumentException("policy " + story.policy());
    }

    // ---- running stories ----

    /** Every schedule strategy yields (at most budget), each a fresh device. */
    static Exploration explore(Story story, Strategy strategy, long budget) {
        return explore(story, strategy, budget, -1);
    }

    static Exploration explore(Story story, Strategy strategy, long budget, long maxStallNs) {
        EthosuLibrary lib = library();
        List<Run> runs = new ArrayList<>();
        for (long n = 1; n <= budget && strategy.nextSchedule(); n++) {
            Run r = new ControlledMock(lib, story, strategy, maxStallNs).runOnce(n);
            strategy.scheduleDone(r.schedule(), !r.findings().isEmpty());
            runs.add(r);
            if (!r.ended()) break;
        }
        return new Exploration(runs, strategy.exhausted());
    }

    /** One run in the default order (the running context goes on; after a block the lowest id runs). */
    static Run once(Story story) {
        return explore(story, new Strategy() {
            boolean done;

            @Override
            public int choose(int step, List<Choice> enabled, int current) {
                return current >= 0 ? current : 0;
            }

            @Override
            public boolean nextSchedule() {
                if (done) return false;
                done = true;
                return true;
            }

            @Override
            public String describe() {
                return "default";
            }
        }, 1).runs().get(0);
    }

    private Run runOnce(long index) {
        List<KernelContext> kernel = new ArrayList<>(List.of(KernelContext.SUBMIT_WQ, KernelContext.TIMEOUT_WQ,
                KernelContext.SYSTEM_WQ, KernelContext.SYSTEM_WQ_1));
        if (story.irq()) kernel.add(KernelContext.IRQ_THREAD);
        register(ID_MAIN, "main", false);
        for (KernelContext k : kernel) register(k.id, k.title, true);
        if (story.irq()) register(ID_HARDIRQ, "hardirq", true);
        for (int i = 0; i < story.clients().size(); i++) register(ID_CLIENT_BASE + i, "client-" + i, false);

        start(ID_MAIN, "main", this::mainContext);
        for (KernelContext k : kernel)
            start(k.id, k.title, () -> {
                MemorySegment c = nat.bind(k.kind, k.id);
                nat.loop(c);
                nat.unbind(c);
            });
        if (story.irq()) start(ID_HARDIRQ, "hardirq", this::hardirqContext);
        for (int i = 0; i < story.clients().size(); i++) {
            int id = ID_CLIENT_BASE + i;
            Body b = story.clients().get(i);
            start(id, "client-" + i, () -> clientContext(id, b));
        }
        boolean ended;
        try {
            ended = runtime.run(ID_MAIN, 60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        if (!ended) findings.add("BENCH: the run did not end");
        for (Wait d : runtime.deadlocks())
            findings.add("DEADLOCK: " + names.getOrDefault(d.ctx(), "ctx" + d.ctx()) + " waits forever: " + d.render());
        List<String> text = trace.entries().stream()
                .map(e -> "[" + e.step() + "] " + eventNames.context(e.event().ctx()) + ": " + TraceText.what(e.event(), eventNames))
                .toList();
        Run r = new Run(index, runtime.schedule(), List.copyOf(events), List.copyOf(findings), text,
                new LinkedHashMap<>(notes), ended);
        if (ended) nat.destroy();
        return r;
    }

    private void register(int id, String name, boolean kernel) {
        names.put(id, name);
        runtime.register(id, name, kernel);
    }

    /** The context runs body on a thread of its own from its first turn, and exits after it. */
    private void start(int id, String name, Runnable body) {
        runtime.start(id, name.length() > 15 ? name.substring(0, 15) : name, body);
    }

    private void mainContext() {
        MemorySegment c = nat.bind(CTX_MAIN, ID_MAIN);
        ctx.set(c);
        ctxIds.set(ID_MAIN);
        try {
            story.main().run(this);
            startClients();
        } catch (Throwable t) {
            findings.add("BENCH: main threw " + t);
        }
        await(ID_MAIN, WaitKind.QUIESCENCE, "quiescence", Runtime.QUIESCENT, Long.MAX_VALUE);
        // what the hardware still holds completes, so the mock's fini does not wait for ever
        if (sched != null && !sched.isFinished()) {
            for (int i = 0; i < 100 && sched.advance(Integer.MAX_VALUE) > 0; i++)
                await(ID_MAIN, WaitKind.QUIESCENCE, "quiescence", Runtime.QUIESCENT, Long.MAX_VALUE);
            sched.fini();
        }
        runtime.beginTeardown();
        await(ID_MAIN, WaitKind.QUIESCENCE, "settling", Runtime.QUIESCENT, Long.MAX_VALUE);
        nat.remove();
        stopping = true;
        runtime.wake(CHAN_LINE);
        await(ID_MAIN, WaitKind.QUIESCENCE, "contexts to exit", Runtime.QUIESCENT, Long.MAX_VALUE);
        nat.checkLeaks();
        nat.unbind(c);
    }

    private void clientContext(int id, Body body) {
        while (!clientsGo) await(id, WaitKind.PROBE, "start", CHAN_CLIENTS, Long.MAX_VALUE);
        MemorySegment c = nat.bind(CTX_CLIENT, id);
        ctx.set(c);
        ctxIds.set(id);
        try {
            body.run(this);
        } catch (Throwable t) {
            findings.add("BENCH: " + names.get(id) + " threw " + t);
        }
        nat.unbind(c);
    }

    private void hardirqContext() {
        MemorySegment c = nat.bind(CTX_HARDIRQ, ID_HARDIRQ);
        while (true) {
            while (!line && !stopping) await(ID_HARDIRQ, WaitKind.IRQ_LINE, "IRQ line low", CHAN_LINE, Long.MAX_VALUE);
            if (stopping && !line) break;
            line = false;
            nat.hardirq(c);
        }
        nat.unbind(c);
    }

    // ---- what a story's bodies call (on their own context) ----

    /** The mock scheduler (main, first): credits, timeout in ms (0: none), EBENCH_MOCK_* flags. */
    MockScheduler sched(int creditLimit, int timeoutMs, int flags) {
        sched = MockScheduler.create(nat, creditLimit, timeoutMs, flags);
        return sched;
    }

    MockScheduler sched() {
        return sched;
    }

    /** The clients start (main's body may call this early; it is called after main's body anyway). */
    void startClients() {
        if (clientsGo) return;
        clientsGo = true;
        runtime.wake(CHAN_CLIENTS);
    }

    /** Records a value for the test to check after the run (e.g. a job's result). */
    void note(String key, Object value) {
        notes.put(key, value);
    }

    /** A scheduling point of the calling context, named by the story (lets other contexts run here). */
    void point(String label) {
        add(ctxId(), "point", label, 0, 0);
        runtime.point(new Point(ctxId(), Label.named(label), 0, 0));
    }

    /** Polls cond every ms of virtual time (at most limitMs); true once it holds. */
    boolean until(java.util.function.BooleanSupplier cond, int limitMs) {
        for (int i = 0; i <= limitMs; i++) {
            if (cond.getAsBoolean()) return true;
            await(ctxId(), WaitKind.TIME, "poll", -400 - ctxId(), runtime.now() + 1_000_000);
        }
        return cond.getAsBoolean();
    }

    /** The calling context sleeps ms of virtual time (others run meanwhile). */
    void sleepMs(int ms) {
        await(ctxId(), WaitKind.TIME, "sleep", -400 - ctxId(), runtime.now() + ms * 1_000_000L);
    }

    /** Waits until the job's finished fence signals (the calling context blocks on it). */
    boolean waitFinished(MockScheduler.Job job) {
        return job.waitFinished(10_000);
    }

    /** ebench_selftest_irq on the calling context (EBENCH_SELFTEST_IRQ_*). */
    int irq(int op, int arg) {
        return nat.selftestIrq(ctx.get(), op, arg);
    }

    /** The device asserts its interrupt: STATUS says IRQ raised (until CMD clear-IRQ) and the line is raised. */
    void raiseIrq() {
        int s = regs.get(ValueLayout.JAVA_INT, Regs.STATUS);
        regs.set(ValueLayout.JAVA_INT, Regs.STATUS, s | Regs.STATUS_IRQ_RAISED);
        line = true;
        runtime.wake(CHAN_LINE);
    }

    /** A pulse without STATUS: the handler finds nothing raised (a spurious or shared-line interrupt). */
    void pulseIrq() {
        line = true;
        runtime.wake(CHAN_LINE);
    }

    boolean irqRaised() {
        return (regs.get(ValueLayout.JAVA_INT, Regs.STATUS) & Regs.STATUS_IRQ_RAISED) != 0;
    }

    /** The calling context waits, as the kernel's waits do, on the controller. */
    private boolean await(int id, WaitKind kind, String what, long chan, long deadline) {
        return runtime.await(new Wait(id, kind, Label.named(what), chan, deadline));
    }

    private int ctxId() {
        Integer id = ctxIds.get();
        return id == null ? ID_MAIN : id;
    }

    private final ThreadLocal<Integer> ctxIds = new ThreadLocal<>();

    // ---- Runtime.Environment: no device model; the story raises the line itself ----

    @Override
    public String nextDeviceEvent() {
        return null;
    }

    @Override
    public long nextDeviceEventTime() {
        return Long.MAX_VALUE;
    }

    @Override
    public void stepDevice() {}

    // ---- Hooks.Target ----

    /** The register file: writes land, and CMD clear-IRQ drops STATUS IRQ raised (the line with it). */
    @Override
    public void mmioWrite(int offset, int value) {
        if (offset == Regs.CMD) {
            if ((value & Regs.CMD_CLEAR_IRQ) != 0) {
                int s = regs.get(ValueLayout.JAVA_INT, Regs.STATUS);
                regs.set(ValueLayout.JAVA_INT, Regs.STATUS, s & ~Regs.STATUS_IRQ_RAISED);
            }
            return;
        }
        regs.set(ValueLayout.JAVA_INT, offset, value);
    }

    private final Names eventNames = new Names() {
        @Override
        public String jobName(long id) {
            return Long.toString(id);
        }

        @Override
        public String context(int id) {
            return names.getOrDefault(id, "ctx" + id);
        }
    };

    private void add(int ctxId, String kind, String what, long job, long value) {
        events.add(new Ev(runtime.schedule().size(), names.getOrDefault(ctxId, "ctx" + ctxId), kind, what, job, value));
    }

    @Override
    public void event(Event e) {
        switch (e) {
            case KernelReport r -> {
                findings.add(r.kind().name() + ": " + r.text());
                add(r.ctx(), "finding", r.text(), 0, 0);
            }
            case CallStart c -> add(c.ctx(), "start", c.call().backendOp() ? c.call().title
                    : c.name() != null ? c.name() : c.call().title, c.job(), 0);
            case CallEnd c -> add(c.ctx(), "end", c.call().backendOp() ? c.call().title
                    : c.name() != null ? c.name() : c.call().title, c.job(), c.result());
            case FenceSignal f -> add(f.ctx(), f.again() ? "resignal" : "signal",
                    f.role() == FenceRole.FINISHED ? "finished" : f.role() == FenceRole.HW ? "hw" : f.role().name().toLowerCase(),
                    f.job(), f.error());
            default -> {}
        }
    }

    @Override
    public void point(Point p) {
        add(p.ctx(), "point", p.render(eventNames), 0, 0);
        runtime.point(p);
    }

    @Override
    public boolean await(Wait w) {
        return runtime.await(w);
    }

    @Override
    public void wake(int ctxId, long chan) {
        runtime.wake(chan);
    }

    @Override
    public long now() {
        return runtime.now();
    }

    @Override
    public void upcallFailed(String hook, Throwable t) {
        findings.add("BENCH: upcall " + hook + " threw " + t);
    }

    static String errno(int e) {
        return Errno.name(e);
    }
}
