// The shim tests' fixture: the one harness on the controlled platform (virtual time, the default
// scheduler), with no driver probed and a mock scheduler on its device. A test's body runs as the
// main context; what the scheduler did (job events) is kept for its assertions, and every run ends
// with the harness's checks.
package ethosu.bench.shim;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.MockScheduler;
import ethosu.bench.check.Finding;
import ethosu.bench.control.Runs;
import ethosu.bench.control.strategy.DefaultScheduler;
import ethosu.bench.event.Call;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.JobArmed;
import ethosu.bench.kernel.Harness;
import ethosu.bench.kernel.RunResult;
import ethosu.bench.report.TraceText;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

final class MockDevice {
    /** How the mock is made. creditLimit -1 is U32_MAX, as the kernel's mock scheduler has. */
    record Setup(int creditLimit, int timeoutMs, int flags) {
        static Setup defaults() {
            return new Setup(-1, 0, 0);
        }

        Setup withCreditLimit(int c) {
            return new Setup(c, timeoutMs, flags);
        }

        /** drm_sched timeout in ms of kernel time; 0: none. */
        Setup withTimeoutMs(int t) {
            return new Setup(creditLimit, t, flags);
        }

        /** No ops->cancel_job, like ethosu. */
        Setup withoutCancelJob() {
            return new Setup(creditLimit, timeoutMs, flags | MockScheduler.NO_CANCEL_JOB);
        }
    }

    /** A test's body: it runs as the device's main context. */
    @FunctionalInterface
    interface Body {
        void run(MockDevice dev) throws Exception;
    }

    /** A client context's part of a test. */
    @FunctionalInterface
    interface ClientBody {
        void run(MockDevice dev, Harness.ClientContext c) throws Exception;
    }

    /** Generous kernel-time bound of a wait that must succeed: virtual time, so only a bug reaches it. */
    static final int LONG_MS = 10_000;

    final Setup setup;
    final Harness h;
    /** The mock, made before the body runs. */
    volatile MockScheduler sched;
    /** The mock was torn down by the test itself. */
    private volatile boolean finied;
    private final Set<Long> armed = ConcurrentHashMap.newKeySet();
    private final Map<Long, Integer> results = new ConcurrentHashMap<>();
    private final List<Long> doneOrder = new CopyOnWriteArrayList<>();
    private final Set<Long> freed = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> timedOutAt = new ConcurrentHashMap<>();
    private final Map<Long, Integer> hwResults = new ConcurrentHashMap<>();
    private RunResult result;

    private MockDevice(Setup setup, Harness h) {
        this.setup = setup;
        this.h = h;
        h.addListener(this::on);
    }

    /** Runs body (and clients) on a fresh device with a mock scheduler; returns the finished fixture. */
    static MockDevice run(Setup setup, Body body, List<ClientBody> clients) {
        Runs.Run[] out = new Runs.Run[1];
        MockDevice[] dev = new MockDevice[1];
        List<Harness.ClientScript> scripts = new ArrayList<>();
        for (ClientBody c : clients) scripts.add((h, ctx) -> {
            // the mock exists once main made it
            h.await(ctx.id, () -> dev[0].sched != null, LONG_MS * 1_000_000L);
            c.run(dev[0], ctx);
        });
        out[0] = Runs.run(EthosuLibrary.load("locked"), Harness.Setup.defaults().unprobed().withHorizon(Long.MAX_VALUE),
                new DefaultScheduler(), h -> {
                    MockDevice d = dev[0];
                    d.sched = MockScheduler.create(h.device(), setup.creditLimit(), setup.timeoutMs(), setup.flags());
                    try {
                        body.run(d);
                    } finally {
                        d.teardown();
                    }
                }, scripts, null, h -> dev[0] = new MockDevice(setup, h));
        dev[0].result = out[0].result();
        return dev[0];
    }

    static MockDevice run(Setup setup, Body body) {
        return run(setup, body, List.of());
    }

    /*
     * A test that failed half-way may leave jobs queued behind one that never completes; the mock's
     * fini would then wait for ever in drm_sched_entity_destroy(). Complete the hardware's jobs until
     * every armed job finished (a no-op for a test that got to its end), then fini.
     */
    private void teardown() {
        if (finied) return;
        int advanced = 0;
        for (int i = 0; i < 1000 && !results.keySet().containsAll(armed); i++) {
            advanced += sched.advance(Integer.MAX_VALUE);
            h.await(() -> false, 1_000_000);
        }
        if (advanced > 0) System.err.println("fixture: teardown completed " + advanced + " job(s) left on the hardware");
        sched.fini();
    }

    /** The test tears the mock down itself (drm_sched_fini with what is left). */
    void fini() {
        finied = true;
        sched.fini();
    }

    // ---- from the body ----

    /** Lets the device run until cond holds, at most ms of kernel time; true once it holds. */
    boolean await(BooleanSupplier cond, long ms) {
        return h.await(cond, ms * 1_000_000L);
    }

    /** Kernel time now (virtual), ns. */
    long now() {
        return h.now();
    }

    // ---- what was seen ----

    private void on(Event e, long time) {
        switch (e) {
            case JobArmed j -> armed.add(j.job());
            case FenceSignal f when f.role() == FenceRole.FINISHED && !f.again() -> {
                results.put(f.job(), f.error());
                doneOrder.add(f.job());
            }
            case CallStart c when c.call() == Call.FREE_JOB -> freed.add(c.job());
            case FenceSignal f when f.role() == FenceRole.HW && !f.again() -> hwResults.put(f.job(), f.error());
            case CallEnd c when c.call() == Call.TIMEDOUT_JOB -> timedOutAt.putIfAbsent(c.job(), time);
            default -> {}
        }
    }

    /** The run's findings (after the run). */
    List<Finding> findings() {
        return result.findings();
    }

    List<Finding> findings(Finding.Check check) {
        return findings().stream().filter(f -> f.check() == check).toList();
    }

    boolean logged(String text) {
        return h.trace.logged(text);
    }

    /** Error of the job's finished fence as signalled; null if it never signalled. */
    Integer result(MockScheduler.Job job) {
        return results.get((long) job.id());
    }

    /** Job ids in the order their finished fences signalled. */
    List<Long> doneOrder() {
        return List.copyOf(doneOrder);
    }

    /** free_job was called for the job. */
    boolean freed(MockScheduler.Job job) {
        return freed.contains((long) job.id());
    }

    /** Error the job's hardware fence signalled with; null if it never signalled. */
    Integer hwResult(MockScheduler.Job job) {
        return hwResults.get((long) job.id());
    }

    /** Kernel time the TDR for the job returned, or null. */
    Long timedOutAt(MockScheduler.Job job) {
        return timedOutAt.get((long) job.id());
    }

    /** Findings, then the trace: what every failing assertion prints. */
    String describe() {
        StringBuilder sb = new StringBuilder("\nfindings:\n");
        List<Finding> fs = result == null ? List.of() : result.findings();
        if (fs.isEmpty()) sb.append("  (none" + (result == null ? " yet" : "") + ")\n");
        fs.forEach(f -> sb.append("  ").append(f).append('\n'));
        sb.append("trace (the last 200 events):\n");
        List<String> lines = TraceText.lines(h.trace, h);
        lines.subList(Math.max(0, lines.size() - 200), lines.size()).forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.toString();
    }

    /** A failing assertion's message: what went wrong, then {@link #describe()}, built only on failure. */
    Supplier<String> why(Object what) {
        return () -> what + describe();
    }

    Supplier<String> why() {
        return this::describe;
    }

    /** The body's own failure first (with the trace), then: no finding at all. */
    void assertClean() {
        rethrow();
        if (!result.findings().isEmpty()) throw new AssertionError("findings:" + describe());
    }

    /** Rethrows what the body threw, with the run's trace. */
    void rethrow() {
        if (result.failures().isEmpty()) return;
        Throwable t = result.failures().get(0);
        AssertionError e = new AssertionError(t.getMessage() + describe(), t);
        throw e;
    }
}
