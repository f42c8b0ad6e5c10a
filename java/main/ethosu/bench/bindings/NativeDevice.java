// Typed calls into one device of one variant library; the raw handles live in EthosuLibrary.
package ethosu.bench.bindings;

import ethosu.bench.bindings.gen.ebench_config;
import ethosu.bench.bindings.gen.ebench_counters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static ethosu.bench.bindings.EthosuLibrary.rethrow;

public final class NativeDevice {
    /** What ebench_dev_create needs besides the hooks. */
    public record Config(int platform, int npuId, int npuConfig, int sramSize, int timeScale,
                         int traceLevel, int chaos, String regsPath) {}

    public final EthosuLibrary lib;
    public final long cookie;
    private final MemorySegment dev;
    private final Config config;
    private MemorySegment regs;
    private String regsPath;
    /** Runs this device has served (1 for a new one). */
    private int uses = 1;

    public NativeDevice(EthosuLibrary lib, Config cfg, Hooks.Target target) {
        this.lib = lib;
        this.config = cfg;
        this.cookie = Hooks.register(target, lib);
        // the library copies what it keeps: the config only lives for the call
        try (Arena arena = Arena.ofConfined()) {
            this.dev = create(lib, cfg, arena);
        }
    }

    /**
     * Devices of one library and configuration, reset and kept for the next run (a device's
     * register file, its mapping and their system calls cost more than the rest of a short run).
     * Only devices with a temporary register file are kept.
     */
    private record PoolKey(EthosuLibrary lib, Config config) {}

    private static final java.util.concurrent.ConcurrentHashMap<PoolKey, java.util.concurrent.ConcurrentLinkedDeque<NativeDevice>>
            POOL = new java.util.concurrent.ConcurrentHashMap<>();

    static {
        // a kept device's temporary register file goes with the process, as a destroyed one's does
        java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (var free : POOL.values())
                for (NativeDevice d : free) {
                    try {
                        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(d.regsPath()));
                    } catch (Exception ignored) {
                        // the process is exiting: a file left in the temporary directory is all it costs
                    }
                }
        }, "ethosu-device-files"));
    }

    /**
     * A device as ebench_dev_create makes it, for target: one released earlier (reset by
     * ebench_dev_reset when it was released), or a new one.
     */
    public static NativeDevice acquire(EthosuLibrary lib, Config cfg, Hooks.Target target) {
        if (cfg.regsPath() == null) {
            var free = POOL.get(new PoolKey(lib, cfg));
            NativeDevice d = free == null ? null : free.pollFirst();
            if (d != null) {
                Hooks.retarget(d.cookie, target, lib);
                d.uses++;
                return d;
            }
        }
        return new NativeDevice(lib, cfg, target);
    }

    /**
     * The run on this device is over (removed, every context loop returned): reset it for another
     * run, or destroy it if it cannot be kept.
     */
    public void release() {
        if (config.regsPath() != null) {
            destroy();
            return;
        }
        Hooks.unregister(cookie);
        int ret;
        try {
            ret = (int) lib.devReset.invokeExact(dev);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (ret != 0) {
            destroy();
            return;
        }
        POOL.computeIfAbsent(new PoolKey(lib, config), k -> new java.util.concurrent.ConcurrentLinkedDeque<>())
                .addFirst(this);
    }

    private MemorySegment create(EthosuLibrary lib, Config cfg, Arena arena) {
        MemorySegment c = ebench_config.allocate(arena);
        ebench_config.abi(c, EthosuLibrary.ABI_VERSION);
        ebench_config.platform(c, cfg.platform());
        ebench_config.npu_id(c, cfg.npuId());
        ebench_config.npu_config(c, cfg.npuConfig());
        ebench_config.sram_size(c, cfg.sramSize());
        ebench_config.time_scale(c, cfg.timeScale());
        ebench_config.trace_level(c, cfg.traceLevel());
        ebench_config.chaos(c, cfg.chaos());
        ebench_config.cookie(c, cookie);
        ebench_config.regs_path(c, cfg.regsPath() == null ? MemorySegment.NULL : arena.allocateFrom(cfg.regsPath()));
        Hooks.install(c);
        MemorySegment err = arena.allocate(512);
        MemorySegment d;
        try {
            d = (MemorySegment) lib.devCreate.invokeExact(c, err, 512L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (d.equals(MemorySegment.NULL)) {
            Hooks.unregister(cookie);
            throw new ethosu.bench.input.BadInputException(lib.variant + ": " + err.getString(0));
        }
        return d;
    }

    /** The memory the library shares with the controller (struct ebench_sched). */
    public MemorySegment sched() {
        try {
            return ((MemorySegment) lib.devSched.invokeExact(dev)).reinterpret(ethosu.bench.bindings.gen.ebench_sched.sizeof());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Runs this device has served, this one included: more than 1 once it was reset and kept. */
    public int uses() {
        return uses;
    }

    /** Destroys every kept device: the next acquire makes a new one (tests compare the two). */
    public static void destroyKept() {
        for (var free : POOL.values())
            for (NativeDevice d; (d = free.pollFirst()) != null; ) d.destroy();
    }

    /** The register window as the library maps it (the same for the device's life, resets included). */
    public MemorySegment regs() {
        if (regs == null) {
            try {
                regs = ((MemorySegment) lib.devRegs.invokeExact(dev)).reinterpret(ethosu.bench.hw.Regs.WINDOW_SIZE);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }
        return regs;
    }

    /** The struct ebench_dev * (for the other C APIs of the same library, e.g. the scheduler mock). */
    public MemorySegment handle() {
        return dev;
    }

    public String regsPath() {
        if (regsPath == null) {
            try {
                regsPath = ((MemorySegment) lib.devRegsPath.invokeExact(dev)).reinterpret(4096).getString(0);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }
        return regsPath;
    }

    /** A context handle bound to the calling thread. */
    public MemorySegment bind(int kind, int id) {
        try {
            return (MemorySegment) lib.ctxBind.invokeExact(dev, kind, id);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void unbind(MemorySegment ctx) {
        try {
            lib.ctxUnbind.invokeExact(ctx);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int loop(MemorySegment ctx) {
        try {
            return (int) lib.ctxLoop.invokeExact(ctx);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int hardirq(MemorySegment ctx) {
        try {
            return (int) lib.hardirq.invokeExact(ctx);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Runs on a thread bound to a main context (see {@link #bind}). */
    public int probe() {
        try {
            return (int) lib.devProbe.invokeExact(dev);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void remove() {
        try {
            lib.devRemove.invokeExact(dev);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int checkLeaks() {
        try {
            return (int) lib.devCheckLeaks.invokeExact(dev);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Live object counts and totals (struct ebench_counters), read through the generated layout. */
    public record Counters(long jobsLive, long fencesLive, long bosLive, long pmUsage, long slabLive, long findings,
                           long irqs, long spuriousIrqs, long resets, long jobsRun, long jobsDone, long points) {}

    public Counters counters() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = ebench_counters.allocate(a);
            lib.devCounters.invokeExact(dev, s);
            return new Counters(ebench_counters.jobs_live(s), ebench_counters.fences_live(s), ebench_counters.bos_live(s),
                    ebench_counters.pm_usage(s), ebench_counters.slab_live(s), ebench_counters.findings(s),
                    ebench_counters.irqs(s), ebench_counters.spurious_irqs(s), ebench_counters.resets(s),
                    ebench_counters.jobs_run(s), ebench_counters.jobs_done(s), ebench_counters.points(s));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void failAlloc(int nth) {
        try {
            lib.devFailAlloc.invokeExact(dev, nth);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Arms a fault (enum ebench_fault): the nth call from now on (1 = the next) fails, counting
     * only calls from the function site (null: any); nth 0 disarms. Returns 0 or -EINVAL.
     */
    public int fail(int fault, String site, int nth) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = site == null ? MemorySegment.NULL : a.allocateFrom(site);
            return (int) lib.devFail.invokeExact(dev, fault, s, nth);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The scheduler's run-queue policy (0 FIFO, 1 RR, 2 fair), before probe; 0 or -EINVAL. */
    public int schedPolicy(int policy) {
        try {
            return (int) lib.devSchedPolicy.invokeExact(dev, policy);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void destroy() {
        try {
            lib.devDestroy.invokeExact(dev);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Hooks.unregister(cookie);
        }
    }

    // ---- client entry points (the ctx must be a client context bound on the calling thread) ----

    /** Returns the file handle, or NULL with ret[0] set. */
    public MemorySegment fileOpen(MemorySegment ctx, int[] ret) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment f = (MemorySegment) lib.fileOpen.invokeExact(ctx, r);
            ret[0] = r.get(ValueLayout.JAVA_INT, 0);
            return f;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void fileClose(MemorySegment ctx, MemorySegment file) {
        try {
            lib.fileClose.invokeExact(ctx, file);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int boCreate(MemorySegment ctx, MemorySegment file, long size) {
        try {
            return (int) lib.boCreate.invokeExact(ctx, file, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int cmdBoCreate(MemorySegment ctx, MemorySegment file, MemorySegment words, int nwords, MemorySegment info) {
        try {
            return (int) lib.cmdBoCreate.invokeExact(ctx, file, words, nwords, info);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long boDmaAddr(MemorySegment ctx, MemorySegment file, int handle) {
        try {
            return (long) lib.boDmaAddr.invokeExact(ctx, file, handle);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int boClose(MemorySegment ctx, MemorySegment file, int handle) {
        try {
            return (int) lib.boClose.invokeExact(ctx, file, handle);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int submit(MemorySegment ctx, MemorySegment file, MemorySegment args) {
        try {
            return (int) lib.submit.invokeExact(ctx, file, args);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The client's process is exiting with exit_code (9: SIGKILL): closing its file kills queued jobs. */
    public void exiting(MemorySegment ctx, int exitCode) {
        try {
            lib.ctxExiting.invokeExact(ctx, exitCode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Test-only lock-order inversion (see ebench_selftest_lock_order). */
    public int selftestLockOrder(MemorySegment ctx, int order) {
        try {
            return (int) lib.selftestLockOrder.invokeExact(ctx, order);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Test-only: the IRQ line with a test handler (ebench_selftest_irq; op and flags EBENCH_SELFTEST_IRQ*). */
    public int selftestIrq(MemorySegment ctx, int op, int arg) {
        try {
            return (int) lib.selftestIrq.invokeExact(ctx, op, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** n writel()s from ctx: n upcalls to the device model (benchmarks). */
    public int probeWritel(MemorySegment ctx, int n) {
        try {
            return (int) lib.probeWritel.invokeExact(ctx, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** n scheduling points from ctx (benchmarks). */
    public int probePoints(MemorySegment ctx, int n) {
        try {
            return (int) lib.probePoints.invokeExact(ctx, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
