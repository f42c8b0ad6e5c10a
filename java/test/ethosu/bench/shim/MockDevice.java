// The shim tests' fixture: a free-running device with no driver probed, its workqueue contexts (two for system_wq),
// the calling thread bound as its main context, and a mock scheduler; records findings, log and job events.
package ethosu.bench.shim;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.Hooks;
import ethosu.bench.bindings.MockScheduler;
import ethosu.bench.bindings.NativeDevice;
import ethosu.bench.check.Errno;
import ethosu.bench.event.Call;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.JobArmed;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Printk;
import ethosu.bench.kernel.Trace;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static ethosu.bench.bindings.EthosuLibrary.*;

final class MockDevice implements Hooks.Target, AutoCloseable {
    /** How the mock is made. creditLimit -1 is U32_MAX, as the kernel's mock scheduler has. */
    record Setup(int creditLimit, int timeoutMs, int flags, int timeScale) {
        static Setup defaults() {
            return new Setup(-1, 0, 0, 1);
        }

        Setup withCreditLimit(int c) {
            return new Setup(c, timeoutMs, flags, timeScale);
        }

        /** drm_sched timeout in ms of kernel time; 0: none. */
        Setup withTimeoutMs(int t) {
            return new Setup(creditLimit, t, flags, timeScale);
        }

        /** No ops->cancel_job, like ethosu. */
        Setup withoutCancelJob() {
            return new Setup(creditLimit, timeoutMs, flags | MockScheduler.NO_CANCEL_JOB, timeScale);
        }

        /** Kernel ns per real ns. */
        Setup withTimeScale(int s) {
            return new Setup(creditLimit, timeoutMs, flags, s);
        }
    }

    /** One kernel warning, oops, leak, ... (enum ebench_finding), or BENCH for the fixture's own. */
    record Finding(String kind, String context, String text) {
        @Override
        public String toString() {
            return kind + " (" + context + ") " + text;
        }
    }

    static final int ID_MAIN = 0, ID_SUBMIT = 1, ID_TIMEOUT = 2, ID_SYSTEM = 3, ID_SYSTEM_1 = 4,
            ID_CLIENT_BASE = 100;
    static final int NPU_ID = 0x10000000;
    private static final long JOIN_MS = 5_000, DRAIN_MS = 2_000;

    final Setup setup;
    final NativeDevice nat;
    final MockScheduler sched;
    private final long t0 = System.nanoTime();
    private final Trace log = new Trace(5_000);
    private final List<Finding> findings = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> contexts = new ConcurrentHashMap<>();
    private final Set<Long> armed = ConcurrentHashMap.newKeySet();
    private final Map<Long, Integer> results = new ConcurrentHashMap<>();
    private final List<Long> doneOrder = new CopyOnWriteArrayList<>();
    private final Set<Long> freed = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> timedOutAt = new ConcurrentHashMap<>();
    private final Map<Long, Integer> hwResults = new ConcurrentHashMap<>();
    private final Thread submitWq, timeoutWq, systemWq, systemWq1;
    private final Thread owner = Thread.currentThread();
    private final MemorySegment mainCtx;
    private boolean closed;

    /** Starts the device and the mock; the calling thread becomes the main context. */
    static MockDevice start(Setup setup) {
        return new MockDevice(setup);
    }

    private MockDevice(Setup setup) {
        this.setup = setup;
        contexts.put(ID_MAIN, "main");
        contexts.put(ID_SUBMIT, "submit_wq");
        contexts.put(ID_TIMEOUT, "timeout_wq");
        contexts.put(ID_SYSTEM, "system_wq");
        contexts.put(ID_SYSTEM_1, "system_wq/1");
        nat = new NativeDevice(EthosuLibrary.load("locked"),
                new NativeDevice.Config(FREE_RUNNING, NPU_ID, 0, 0, setup.timeScale(), 1, 0, null), this);
        submitWq = worker("submit_wq", CTX_SUBMIT_WQ, ID_SUBMIT);
        timeoutWq = worker("timeout_wq", CTX_TIMEOUT_WQ, ID_TIMEOUT);
        systemWq = worker("system_wq", CTX_SYSTEM_WQ, ID_SYSTEM);
        systemWq1 = worker("system_wq/1", CTX_SYSTEM_WQ, ID_SYSTEM_1);
        mainCtx = nat.bind(CTX_MAIN, ID_MAIN);
        MockScheduler s;
        try {
            s = MockScheduler.create(nat, setup.creditLimit(), setup.timeoutMs(), setup.flags());
        } catch (RuntimeException e) {
            stopDevice();
            throw e;
        }
        sched = s;
    }

    /* One workqueue context: bind, serve until the device is removed (or its queue destroyed), unbind. */
    private Thread worker(String name, int kind, int id) {
        Thread t = Thread.ofPlatform().name("mock-" + name).daemon().unstarted(() -> {
            MemorySegment ctx = nat.bind(kind, id);
            try {
                nat.loop(ctx);
            } catch (Throwable e) {
                bench(name + " loop failed: " + e);
            } finally {
                nat.unbind(ctx);
            }
        });
        t.start();
        return t;
    }

    // ---- client contexts ----

    /** Binds the calling thread as client context n (its own thread, not the test's). */
    MemorySegment bindClient(int n) {
        contexts.put(ID_CLIENT_BASE + n, "client-" + n);
        return nat.bind(CTX_CLIENT, ID_CLIENT_BASE + n);
    }

    void unbind(MemorySegment ctx) {
        nat.unbind(ctx);
    }

    // ---- what was seen ----

    List<Finding> findings() {
        return List.copyOf(findings);
    }

    List<Finding> findings(String kind) {
        return findings.stream().filter(f -> f.kind().equals(kind)).toList();
    }

    boolean logContains(String text) {
        return log.contains(text);
    }

    /** Error of the job's finished fence as signalled (JOB_DONE event); null if it never signalled. */
    Integer result(MockScheduler.Job job) {
        return results.get((long) job.id());
    }

    /** Job ids in the order their finished fences signalled. */
    List<Long> doneOrder() {
        return List.copyOf(doneOrder);
    }

    /** free_job was called for the job (JOB_FREE event). */
    boolean freed(MockScheduler.Job job) {
        return freed.contains((long) job.id());
    }

    /** Error the job's hardware fence signalled with (HW_SIGNAL event); null if it never signalled. */
    Integer hwResult(MockScheduler.Job job) {
        return hwResults.get((long) job.id());
    }

    /** System.nanoTime() when the TDR for the job returned, or null. */
    Long timedOutAt(MockScheduler.Job job) {
        return timedOutAt.get((long) job.id());
    }

    /** Findings, then the log (printk, findings, job events): what every failing assertion prints. */
    String describe() {
        StringBuilder sb = new StringBuilder("\nfindings:\n");
        if (findings.isEmpty()) sb.append("  (none)\n");
        findings.forEach(f -> sb.append("  ").append(f).append('\n'));
        sb.append("log:\n");
        log.lines().forEach(l -> sb.append("  ").append(l).append('\n'));
        if (log.dropped() > 0) sb.append("  (").append(log.dropped()).append(" earlier lines dropped)\n");
        return sb.toString();
    }

    /** A failing assertion's message: what went wrong, then {@link #describe()}, built only on failure. */
    Supplier<String> why(Object what) {
        return () -> what + describe();
    }

    Supplier<String> why() {
        return this::describe;
    }

    /** Polls cond every millisecond for at most ms of real time; true once it holds. */
    static boolean await(BooleanSupplier cond, long ms) {
        long until = System.nanoTime() + ms * 1_000_000;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() >= until || !sleepMs(1)) return cond.getAsBoolean();
        }
        return true;
    }

    /** Sleeps; false if interrupted. */
    static boolean sleepMs(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- teardown ----

    /**
     * Mock fini (after completing whatever is still on the hardware, unless the test tore the mock down
     * itself), device remove, contexts joined, leak check, device destroyed. Runs on the thread that
     * started the device: it is the bound main context.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (Thread.currentThread() != owner)
            throw new IllegalStateException("MockDevice closed from " + Thread.currentThread().getName()
                    + ", not from its main context " + owner.getName());
        if (!sched.isFinished()) {
            drain();
            sched.fini();
        }
        // drm_sched_fini destroyed the ordered queue: its worker returns by itself, before remove reads it
        join(submitWq);
        stopDevice();
    }

    /*
     * A test that failed half-way may leave jobs queued behind one that never completes; the mock's
     * fini would then wait for ever in drm_sched_entity_destroy(). Complete the hardware's jobs until
     * every armed job finished (a no-op for a test that got to its end).
     */
    private void drain() {
        long until = System.nanoTime() + DRAIN_MS * 1_000_000;
        int advanced = 0;
        while (!results.keySet().containsAll(armed) && System.nanoTime() < until) {
            advanced += sched.advance(Integer.MAX_VALUE);
            sleepMs(1);
        }
        if (advanced > 0)
            log.add(System.nanoTime() - t0, "fixture", "teardown: completed " + advanced + " job(s) left on the hardware");
    }

    private void stopDevice() {
        nat.remove();
        join(timeoutWq);
        join(systemWq);
        join(systemWq1);
        join(submitWq);
        nat.checkLeaks();
        nat.unbind(mainCtx);
        nat.destroy();
    }

    private void join(Thread t) {
        try {
            t.join(JOIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive())
            bench("context " + t.getName() + " did not return at teardown");
    }

    private void bench(String text) {
        findings.add(new Finding("BENCH", "fixture", text));
        log.add(System.nanoTime() - t0, "fixture", "FINDING: " + text);
    }

    // ---- Hooks.Target: upcalls from every context; record only, never call back into the library ----

    @Override
    public void mmioWrite(int offset, int value) {}

    @Override
    public void event(Event e) {
        long now = System.nanoTime();
        String who = contexts.getOrDefault(e.ctx(), "ctx" + e.ctx());
        switch (e) {
            case KernelReport r -> {
                findings.add(new Finding(r.kind().name(), who, r.text()));
                log.add(now - t0, who, "FINDING: " + r.text());
            }
            case Printk p -> log.add(now - t0, who, p.text());
            case JobArmed j -> {
                armed.add(j.job());
                log.add(now - t0, who, "job" + j.job() + " armed");
            }
            case CallEnd c when c.call() == Call.RUN_JOB ->
                log.add(now - t0, who, "run_job job" + c.job() + " (hw seqno " + c.result() + ")");
            case FenceSignal f when f.role() == FenceRole.FINISHED && !f.again() -> {
                results.put(f.job(), f.error());
                doneOrder.add(f.job());
                log.add(now - t0, who, "job" + f.job() + ".finished signalled (" + Errno.name(f.error()) + ")");
            }
            case CallStart c when c.call() == Call.FREE_JOB -> {
                freed.add(c.job());
                log.add(now - t0, who, "free_job job" + c.job());
            }
            case FenceSignal f when f.role() == FenceRole.HW && !f.again() -> {
                hwResults.put(f.job(), f.error());
                log.add(now - t0, who, "hw fence of job" + f.job() + " signalled (" + Errno.name(f.error()) + ")");
            }
            case CallEnd c when c.call() == Call.TIMEDOUT_JOB -> {
                timedOutAt.putIfAbsent(c.job(), now);
                log.add(now - t0, who, "timedout_job job" + c.job() + " returned " + c.result());
            }
            default -> {}
        }
    }

    @Override
    public void upcallFailed(String hook, Throwable t) {
        bench("upcall " + hook + " threw " + t);
    }
}
