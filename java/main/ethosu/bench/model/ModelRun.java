// One run of one scenario on the model of a variant under the controlled platform, as ControlledRun
// runs the C: the same contexts, fake NPU, register map, Runtime and strategies, so one schedule
// drives either side. Contexts are platform threads (as the C needs) or virtual threads (cheap
// switches: the model-only engine).
package ethosu.bench.model;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.Hooks;
import ethosu.bench.check.Checker;
import ethosu.bench.check.Finding;
import ethosu.bench.control.Runtime;
import ethosu.bench.control.Strategy;
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
import ethosu.bench.kernel.KernelContext;
import ethosu.bench.scenario.Scenario;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import static ethosu.bench.bindings.EthosuLibrary.*;

public final class ModelRun implements Hooks.Target, Runtime.Environment {
    /** What a client context does: its script runs on its own thread, under control. */
    public interface ClientScript {
        void run(ModelRun run, ModelClient client);
    }

    /** How context threads are made. */
    public enum Threads {
        /** Reused platform threads, as the C side needs: a switch is a park/unpark between threads. */
        PLATFORM,
        /** Virtual threads: a switch is a continuation yield and resume (the model-only engine). */
        VIRTUAL
    }

    static final int ID_MAIN = KernelContext.MAIN.id, ID_HARDIRQ = KernelContext.HARDIRQ.id, ID_CLIENT_BASE = 10;
    static final long CHAN_IRQ_LINE = -200;

    public final String variant;
    public final Runtime runtime;
    public final Checker checker;
    private final ModelDevice dev;
    private final FakeNpu npu;
    private final Threads threads;
    private final DeviceClock.Manual clock = new DeviceClock.Manual();
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<Integer, Integer> kinds = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private volatile boolean irqLine;
    private volatile boolean stopping;
    private volatile boolean probed;
    private Consumer<Event> observer;
    private Consumer<String> wakeObserver;

    /** A run of a scenario on the model of variant. */
    public static ModelRun of(String variant, Strategy strategy, Scenario sc, int maxSteps, Threads threads) {
        return new ModelRun(variant, strategy, sc.npu(), sc.sramSize(), sc.horizonNs(), maxSteps, threads);
    }

    /** The client scripts of a scenario, as ControlledRun.scripts: each job's command BO, then the submits. */
    public static List<ClientScript> scripts(Scenario sc) {
        List<ClientScript> out = new ArrayList<>();
        for (Scenario.ClientScript cs : sc.clients()) {
            out.add((run, c) -> {
                int[] bos = new int[cs.jobs().size()];
                for (int i = 0; i < bos.length; i++) {
                    var job = cs.jobs().get(i);
                    bos[i] = c.createCmdBo(ethosu.bench.kernel.Client.Stream.simple(4));
                    long id = c.dmaAddr(bos[i]);
                    run.npu().setBehaviour(id, job.behaviour());
                    run.checker.name(id, job.name());
                }
                for (int bo : bos) {
                    int ret = c.submit(ethosu.bench.kernel.Client.JobArgs.of(bo));
                    if (ret != 0) run.checker.add(Finding.Check.BENCH, "submit failed: " + ret, "");
                }
                if (cs.killed()) c.killed();
            });
        }
        return out;
    }

    public ModelRun(String variant, Strategy strategy, NpuVariant npuVariant, int sramSize, long horizonNs, int maxSteps,
                    Threads threads) {
        this.variant = variant;
        this.threads = threads;
        this.runtime = new Runtime(strategy, this, horizonNs, maxSteps);
        this.checker = new Checker(id -> names.getOrDefault(id, "ctx" + id), kinds::get);
        // the register window in plain memory: no file, nothing to unmap
        RegisterFile regs = RegisterFile.wrap(Arena.ofAuto().allocate(ethosu.bench.hw.Regs.WINDOW_SIZE, 8),
                Path.of("(model)"));
        dev = new ModelDevice(new ModelDevice.Config(variant, npuVariant.resetId(), npuVariant.resetConfig(), sramSize, 1),
                this, regs);
        npu = new FakeNpu(regs, npuVariant.resetId(), npuVariant.resetConfig(), clock, () -> {
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
        });
    }

    public FakeNpu npu() {
        return npu;
    }

    public ModelDevice device() {
        return dev;
    }

    /** Sees every event as it happens, points and waits included (differential runs). */
    public void observe(Consumer<Event> events, Consumer<String> wakes) {
        this.observer = events;
        this.wakeObserver = wakes;
    }

    private void context(int id, int kind, String name) {
        names.put(id, name);
        kinds.put(id, kind);
        runtime.register(id, name);
    }

    /** Platform context threads are reused across runs, as the C side's (a thread costs ~50 us to start). */
    private static final ExecutorService PLATFORM_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    });

    private void thread(String name, Runnable body) {
        String full = "model-" + variant + "-" + name;
        if (threads == Threads.VIRTUAL) {
            Thread.ofVirtual().name(full).start(body);
            return;
        }
        PLATFORM_THREADS.execute(() -> {
            Thread.currentThread().setName(full);
            body.run();
        });
    }

    /**
     * Runs the scenario: probe, the clients' scripts, quiescence, teardown, leak checks. Returns
     * false if the run did not end within timeoutMs of real time (a bench failure).
     */
    public boolean run(List<ClientScript> clients, long timeoutMs) throws InterruptedException {
        for (KernelContext k : KernelContext.values())
            if (k != KernelContext.NPU) context(k.id, k.kind, k.title);
        for (int i = 0; i < clients.size(); i++) context(ID_CLIENT_BASE + i, CTX_CLIENT, "client-" + i);

        thread("main", () -> guarded(ID_MAIN, () -> mainContext(clients.size())));
        for (KernelContext k : KernelContext.values())
            if (k.runsLoop()) loopThread(k.title, k.kind, k.id);
        thread("hardirq", () -> guarded(ID_HARDIRQ, this::hardirqContext));
        for (int i = 0; i < clients.size(); i++) {
            final int id = ID_CLIENT_BASE + i;
            final ClientScript script = clients.get(i);
            thread("client-" + i, () -> guarded(id, () -> clientContext(id, script)));
        }
        boolean ended = runtime.run(ID_MAIN, timeoutMs);
        if (!ended) checker.add(Finding.Check.BENCH, "the run did not end within " + timeoutMs + " ms of real time", "");
        for (String d : runtime.deadlocks()) checker.add(Finding.Check.DEADLOCK, d, "");
        return ended;
    }

    /**
     * An exception escaping the model is a bench failure of that context: reported, and the context
     * leaves the run (it was the running one), so the run ends instead of hanging.
     */
    private void guarded(int id, Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            String who = names.getOrDefault(id, "ctx" + id);
            checker.add(Finding.Check.BENCH, "model context " + who + " failed: " + t + " at " + where(t), who);
            runtime.exit(id);
        }
    }

    private static String where(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        return st.length == 0 ? "?" : st[0].toString();
    }

    /** Nothing to free but memory (kept for symmetry with ControlledRun). */
    public void destroy() {}

    private void mainContext(int nclients) {
        runtime.enter(ID_MAIN);
        Kshim.Ctx ctx = dev.bind(CTX_MAIN, ID_MAIN);
        int ret = dev.probe();
        if (ret != 0) checker.add(Finding.Check.BENCH, "ethosu_job_init failed: " + ret, "main");
        // clients start now; main waits until nothing else can happen, then tears down
        probed = true;
        for (int i = 0; i < nclients; i++) runtime.wake(clientGo(ID_CLIENT_BASE + i));
        runtime.await(ID_MAIN, Runtime.QUIESCENT, Long.MAX_VALUE, "quiescence", true);
        checker.checkLiveness("the horizon");
        checker.checkCompletionsReported();
        // what is still in flight (a timeout handler, a reset) settles before the device goes away
        runtime.beginTeardown();
        runtime.await(ID_MAIN, Runtime.QUIESCENT, Long.MAX_VALUE, "settling", true);
        dev.remove();
        stopping = true;
        runtime.wake(CHAN_IRQ_LINE);
        // let the contexts leave their loops before the leak check
        runtime.await(ID_MAIN, Runtime.QUIESCENT, Long.MAX_VALUE, "contexts to exit", true);
        dev.checkLeaks();
        checker.checkFreed();
        dev.unbind(ctx);
        runtime.exit(ID_MAIN);
    }

    private static long clientGo(int id) {
        return -1000 - id;
    }

    private void clientContext(int id, ClientScript script) {
        runtime.enter(id);
        while (!probed) runtime.await(id, clientGo(id), Long.MAX_VALUE, "probe", true);
        Kshim.Ctx ctx = dev.bind(CTX_CLIENT, id);
        try {
            ModelClient client = new ModelClient(dev, ctx, checker);
            script.run(this, client);
            client.close();
        } catch (Throwable t) {
            checker.add(Finding.Check.BENCH, "client script failed: " + t + " at " + where(t), names.get(id));
        } finally {
            dev.unbind(ctx);
        }
        runtime.exit(id);
    }

    private void loopThread(String name, int kind, int id) {
        thread(name, () -> guarded(id, () -> {
            runtime.enter(id);
            Kshim.Ctx ctx = dev.bind(kind, id);
            dev.loop(ctx);
            dev.unbind(ctx);
            runtime.exit(id);
        }));
    }

    private void hardirqContext() {
        runtime.enter(ID_HARDIRQ);
        Kshim.Ctx ctx = dev.bind(CTX_HARDIRQ, ID_HARDIRQ);
        while (true) {
            while (!irqLine && !stopping)
                runtime.await(ID_HARDIRQ, CHAN_IRQ_LINE, Long.MAX_VALUE, "IRQ line low", true);
            if (stopping && !irqLine) break;
            irqLine = false;
            dev.hardirq(ctx);
        }
        dev.unbind(ctx);
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

    // ---- Hooks.Target: what the model reports, as a library's upcalls ----

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

    public Names names() {
        return eventNames;
    }

    @Override
    public void event(Event e) {
        if (observer != null) observer.accept(e);
        String who = names.getOrDefault(e.ctx(), "?");
        if (e instanceof Printk p) {
            log.add(String.format("[%d] %s: %s", runtime.now(), who, p.text()));
            runtime.note(who, "printk: " + p.text());
        } else if (e instanceof KernelReport r) {
            log.add(String.format("[%d] %s: %s", runtime.now(), who, r.text()));
            runtime.note(who, "!! " + r.text());
        }
        int before = checker.findings().size();
        checker.event(e);
        // a check the Java side makes on this event (e.g. the IRQ path) is marked in the trace too
        if (!(e instanceof KernelReport))
            for (var f : checker.findings().subList(before, checker.findings().size()))
                runtime.note(who, "!! " + f.text());
    }

    @Override
    public void point(Point p) {
        if (observer != null) observer.accept(p);
        runtime.point(p.ctx(), p.render(eventNames));
    }

    @Override
    public boolean await(Wait w) {
        if (observer != null) observer.accept(w);
        return runtime.await(w.ctx(), w.chan(), w.deadline(), w.label().text(), w.kind().idle);
    }

    @Override
    public void wake(int ctx, long chan) {
        if (wakeObserver != null) wakeObserver.accept(names.getOrDefault(ctx, "?"));
        runtime.wake(chan);
    }

    @Override
    public long now() {
        return runtime.now();
    }

    @Override
    public void upcallFailed(String hook, Throwable t) {
        checker.add(Finding.Check.BENCH, "model " + hook + " threw " + t, "");
    }
}
