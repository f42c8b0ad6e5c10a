// One simulated Ethos-U device in free-running mode: the variant library's device, the register
// file and fake NPU, and one platform thread per kernel context (DESIGN.md, "Execution contexts").
package ethosu.bench.kernel;

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
import ethosu.bench.hw.DeviceClock;
import ethosu.bench.hw.FakeNpu;
import ethosu.bench.hw.JobRecord;
import ethosu.bench.hw.NpuThread;
import ethosu.bench.hw.NpuVariant;
import ethosu.bench.hw.RegisterFile;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static ethosu.bench.bindings.EthosuLibrary.*;

public final class Device implements Hooks.Target, AutoCloseable {
    /** How a device is made. timeScale: kernel ns per real ns (100 makes the 500 ms timeout 5 ms). */
    public record Options(NpuVariant npu, int sramSize, int timeScale, int chaos, int traceLevel, Path regsPath) {
        public static Options defaults() {
            return new Options(NpuVariant.U65, 0x20000, 100, 0, 1, null);
        }

        public Options withTimeScale(int s) {
            return new Options(npu, sramSize, s, chaos, traceLevel, regsPath);
        }

        public Options withChaos(int c) {
            return new Options(npu, sramSize, timeScale, c, traceLevel, regsPath);
        }

        public Options withNpu(NpuVariant v) {
            return new Options(v, sramSize, timeScale, chaos, traceLevel, regsPath);
        }

        public Options withRegsPath(Path p) {
            return new Options(npu, sramSize, timeScale, chaos, traceLevel, p);
        }

        public Options withTraceLevel(int level) {
            return new Options(npu, sramSize, timeScale, chaos, level, regsPath);
        }

        public Options withSram(int bytes) {
            return new Options(npu, bytes, timeScale, chaos, traceLevel, regsPath);
        }
    }

    private static final int ID_CLIENT_BASE = 100;

    public final EthosuLibrary lib;
    public final Options options;
    public final Checker checker;
    public final Trace trace = new Trace(20_000);
    private final NativeDevice nat;
    private final RegisterFile regs;
    private final FakeNpu npu;
    private final NpuThread npuThread;
    private final DeviceClock.Scaled clock;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Integer, String> contextNames = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> contextKinds = new ConcurrentHashMap<>();
    private final AtomicBoolean irqLine = new AtomicBoolean();
    private final AtomicInteger nextClient = new AtomicInteger(ID_CLIENT_BASE);
    private volatile boolean stopping;
    /** A spurious pulse was raised: the handler runs although STATUS shows no IRQ. */
    private volatile boolean spuriousPulse;
    private volatile Thread hardirqThread;
    private boolean closed;

    public Device(EthosuLibrary lib, Options options) {
        this.lib = lib;
        this.options = options;
        this.checker = new Checker(this::contextName, id -> contextKinds.get(id));
        for (KernelContext k : KernelContext.values()) name(k.id, k.kind, k.title);
        int id = options.npu().resetId();
        int config = options.npu().resetConfig();
        nat = new NativeDevice(lib, new NativeDevice.Config(FREE_RUNNING, id, config, options.sramSize(),
                options.timeScale(), options.traceLevel(), options.chaos(),
                options.regsPath() == null ? null : options.regsPath().toString()), this);
        RegisterFile r = null;
        try {
            r = new RegisterFile(Path.of(nat.regsPath()));
        } catch (RuntimeException e) {
            nat.destroy();
            throw e;
        }
        regs = r;
        clock = new DeviceClock.Scaled(options.timeScale());
        npu = new FakeNpu(regs, id, config, clock, this::raiseIrq);
        npu.addListener(new FakeNpu.Listener() {
            @Override
            public void violation(long now, String what) {
                checker.deviceViolation(what);
            }

            @Override
            public void jobEnded(JobRecord job) {
                checker.deviceEnded(job);
                if (options.traceLevel() >= 2) trace.add(clock.now(), "npu", "ended " + job);
            }

            @Override
            public void jobStarted(JobRecord job) {
                if (options.traceLevel() >= 2) trace.add(clock.now(), "npu", "started " + job);
            }

            @Override
            public void irqRaised(long now, boolean spurious) {
                if (spurious) spuriousPulse = true;
                if (options.traceLevel() >= 2) trace.add(clock.now(), "npu", spurious ? "spurious IRQ" : "IRQ raised");
            }
        });
        // free-running: the reset completes inside the RESET write, so the driver's 1 s poll never
        // depends on the npu thread being scheduled within 1 s / timeScale of real time
        npu.setResetDuration(0);
        npuThread = new NpuThread(npu);
        start();
    }

    private void name(int id, int kind, String name) {
        contextNames.put(id, name);
        contextKinds.put(id, kind);
    }

    public String contextName(int id) {
        return contextNames.getOrDefault(id, "ctx" + id);
    }

    private void start() {
        npuThread.start();
        for (KernelContext k : KernelContext.values())
            if (k.runsLoop()) startLoop(k.title, k.kind, k.id);
        Thread h = Thread.ofPlatform().name("hardirq").daemon().unstarted(this::hardirqLoop);
        hardirqThread = h;
        threads.add(h);
        h.start();
        int ret = onMain(nat::probe);
        if (ret != 0) {
            close();
            throw new IllegalStateException(lib.variant + ": ethosu_job_init failed: " + ret);
        }
    }

    private void startLoop(String name, int kind, int id) {
        // the context's own name: gdb shows at most 15 characters of a thread name
        Thread t = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
            MemorySegment ctx = nat.bind(kind, id);
            try {
                nat.loop(ctx);
            } catch (Throwable e) {
                checker.add(Finding.Check.BENCH, name + " loop failed: " + e, name);
            } finally {
                nat.unbind(ctx);
            }
        });
        threads.add(t);
        t.start();
    }

    /** The hard-IRQ context: runs the primary handler each time the line is raised. */
    private void hardirqLoop() {
        MemorySegment ctx = nat.bind(CTX_HARDIRQ, KernelContext.HARDIRQ.id);
        try {
            while (!stopping) {
                if (irqLine.getAndSet(false)) {
                    boolean pulse = spuriousPulse;
                    spuriousPulse = false;
                    // level-triggered: C re-runs the handler while the line stays asserted, so a
                    // raise seen after the line dropped again is no new interrupt
                    if (pulse || (npu.status() & ethosu.bench.hw.Regs.STATUS_IRQ_RAISED) != 0) nat.hardirq(ctx);
                } else {
                    LockSupport.park(this);
                }
            }
        } finally {
            nat.unbind(ctx);
        }
    }

    private void raiseIrq() {
        irqLine.set(true);
        Thread h = hardirqThread;
        if (h != null) LockSupport.unpark(h);
    }

    /** Runs op on the calling thread bound as the device's main context. */
    private <T> T onMain(java.util.function.Supplier<T> op) {
        MemorySegment ctx = nat.bind(CTX_MAIN, KernelContext.MAIN.id);
        try {
            return op.get();
        } finally {
            nat.unbind(ctx);
        }
    }

    /** A DRM client; use it from one thread only (it binds that thread as its context). */
    public Client openClient() {
        int id = nextClient.getAndIncrement();
        name(id, CTX_CLIENT, "client-" + (id - ID_CLIENT_BASE));
        return new Client(nat, id, checker);
    }

    public FakeNpu npu() {
        return npu;
    }

    public RegisterFile registers() {
        return regs;
    }

    public NativeDevice.Counters counters() {
        return nat.counters();
    }

    public void failAlloc(int nth) {
        nat.failAlloc(nth);
    }

    /** The findings so far and the kernel log: what a failing test prints. */
    public String report() {
        StringBuilder sb = new StringBuilder("findings:\n");
        checker.findings().forEach(f -> sb.append("  ").append(f).append('\n'));
        sb.append("kernel log:\n");
        trace.lines().forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.toString();
    }

    /** Kernel-time now (ns) on the device clock. */
    public long now() {
        return clock.now();
    }

    /** Waits until every expected job finished, or until the kernel-time horizon passed; true if all done. */
    public boolean awaitJobs(long horizonKernelNs) {
        long deadline = clock.now() + horizonKernelNs;
        while (!checker.allDone()) {
            if (clock.now() >= deadline) return false;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Tears down: waits (boundedly) until finished jobs were freed, as a device is unbound only
     * after its files are gone; then ethosu_job_fini, contexts joined, leak checks, state freed.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        long until = System.nanoTime() + 2_000_000_000L;
        while (checker.allDone() && !checker.allSettled() && System.nanoTime() < until) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        onMain(() -> {
            nat.remove();
            return null;
        });
        stopping = true;
        LockSupport.unpark(hardirqThread);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive())
                checker.add(Finding.Check.DEADLOCK, "context " + t.getName() + " did not return at teardown", "");
        }
        npuThread.close();
        onMain(() -> nat.checkLeaks());
        checker.checkFreed();
        nat.destroy();
        regs.close();
    }

    // ---- Hooks.Target ----

    @Override
    public void mmioWrite(int offset, int value) {
        npu.mmioWrite(offset, value);
    }

    private final Names names = new Names() {
        @Override
        public String job(long id) {
            return checker.jobName(id);
        }

        @Override
        public String context(int id) {
            return contextName(id);
        }
    };

    @Override
    public void event(Event e) {
        switch (e) {
            case Printk p -> trace.add(clock.now(), contextName(p.ctx()), p.text());
            case KernelReport r -> trace.add(clock.now(), contextName(r.ctx()), "FINDING: " + r.text());
            case Point p -> trace.add(clock.now(), contextName(p.ctx()), p.render(names));
            default -> { }
        }
        checker.event(e);
    }

    @Override
    public void upcallFailed(String hook, Throwable t) {
        checker.add(Finding.Check.BENCH, "upcall " + hook + " threw " + t, "");
    }
}
