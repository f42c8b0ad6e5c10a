// The checks of one run: the job ledger (facts) and the invariants (judgments), fed every event of
// the run in order, whichever platform ran it, and told when the run reaches each stage. Findings
// come out typed and point at the trace entry they were raised at.
package ethosu.bench.check;

import ethosu.bench.check.invariant.BadSubmitRefused;
import ethosu.bench.check.invariant.CompletionReported;
import ethosu.bench.check.invariant.DeviceProtocol;
import ethosu.bench.check.invariant.EveryJobFinishes;
import ethosu.bench.check.invariant.FinishedFenceOnce;
import ethosu.bench.check.invariant.FinishedJobsFreed;
import ethosu.bench.check.invariant.FreeJobOnce;
import ethosu.bench.check.invariant.IrqCompletesRanJob;
import ethosu.bench.check.invariant.IrqSignalsCompletion;
import ethosu.bench.check.invariant.KernelReported;
import ethosu.bench.check.invariant.NoDeadlock;
import ethosu.bench.check.invariant.NoSoftLockup;
import ethosu.bench.check.invariant.SanitizerReported;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.Names;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/** Thread-safe: a free-running device's contexts report concurrently. */
public final class Checks {
    /** Where the run is. */
    public enum Stage {
        /** The scenario is over: its horizon passed, or nothing was left to do. */
        HORIZON,
        /** The device is torn down and the library's own leak checks ran. */
        TEARDOWN,
        /** The platform's run returned: contexts still blocked are known. */
        ENDED
    }

    /**
     * The invariants of every run, each its own class, less those the system property
     * ethosu.checks.disable names (comma-separated ids): tools/disable-each-check.sh uses it to
     * show that every check has a test in which it fires.
     */
    public static List<Invariant> all() {
        List<Invariant> l = new ArrayList<>(everyInvariant());
        String off = System.getProperty("ethosu.checks.disable", "");
        if (!off.isBlank()) {
            List<String> ids = List.of(off.split(","));
            l.removeIf(i -> ids.contains(i.id()));
        }
        return l;
    }

    /** Every invariant, none disabled. */
    public static List<Invariant> everyInvariant() {
        List<Invariant> l = new ArrayList<>(List.of(new FinishedFenceOnce(), new IrqCompletesRanJob(),
                new IrqSignalsCompletion(), new EveryJobFinishes(), new CompletionReported(), new FreeJobOnce(),
                new FinishedJobsFreed(), new DeviceProtocol(), new NoDeadlock(), new NoSoftLockup(), new SanitizerReported(),
                new BadSubmitRefused()));
        l.addAll(KernelReported.all());
        return l;
    }

    /** A submit made wrong on purpose, and what it returned. */
    public record BadSubmit(String job, String what, int expected, int ret, String context) {}

    private final List<BadSubmit> badSubmits = new ArrayList<>();
    private final Names names;
    private final IntPredicate irqThread;
    private final LongSupplier traceNext;
    private final JobLedger ledger;
    private final List<Invariant> invariants;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<Long, String> jobNames = new HashMap<>();
    private final Map<Integer, Deque<CallStart>> calls = new HashMap<>();
    private final List<String> stuck = new ArrayList<>();
    private final List<Lockup> lockups = new ArrayList<>();

    /**
     * @param names     how the run names contexts (and, for what has no scenario name, jobs)
     * @param irqThread whether a context id is the IRQ thread's
     * @param traceNext the trace index the next event gets: where a finding raised now points
     */
    public Checks(Names names, IntPredicate irqThread, LongSupplier traceNext, List<Invariant> invariants) {
        this.names = names;
        this.irqThread = irqThread;
        this.traceNext = traceNext;
        this.ledger = new JobLedger(irqThread);
        this.invariants = List.copyOf(invariants);
    }

    public Checks(Names names, IntPredicate irqThread, LongSupplier traceNext) {
        this(names, irqThread, traceNext, all());
    }

    // ---------------------------------------------------------------- input

    /** One event of the run: the ledger takes it in, then every invariant judges it. */
    public synchronized void event(Event e) {
        if (e instanceof CallStart c) calls.computeIfAbsent(c.ctx(), k -> new ArrayDeque<>()).push(c);
        ledger.take(e);
        for (Invariant i : invariants) i.on(e, this);
        if (e instanceof CallEnd c) {
            Deque<CallStart> s = calls.get(c.ctx());
            if (s != null && !s.isEmpty()) s.pop();
        }
    }

    /** A submit that included this job returned 0: it must finish, exactly once. */
    public synchronized void expect(long id) {
        ledger.job(id).expected = true;
    }

    /** The job's scenario name ("A"), for reports. */
    public synchronized void name(long id, String name) {
        jobNames.put(id, name);
    }

    /** A bad submit returned (BadSubmitRefused judges it at the horizon). */
    public synchronized void badSubmit(BadSubmit b) {
        badSubmits.add(b);
    }

    public synchronized List<BadSubmit> badSubmits() {
        return List.copyOf(badSubmits);
    }

    /** Contexts the platform found blocked for ever when the run ended (before Stage.ENDED). */
    public synchronized void stuck(List<String> what) {
        stuck.addAll(what);
    }

    /** Contexts the platform's watchdog found stuck (spinning, or blocked in the driver), before Stage.ENDED. */
    public synchronized void lockups(List<Lockup> what) {
        lockups.addAll(what);
    }

    public synchronized void at(Stage stage) {
        for (Invariant i : invariants) i.at(stage, this);
    }

    /** A failure of the bench itself (not of the driver): reported as such, never hidden. */
    public synchronized void bench(String text, String context) {
        findings.add(new Finding(Finding.Check.BENCH, "bench", "", List.of(), text, context, traceNext.getAsLong()));
    }

    // ---------------------------------------------------------------- for invariants

    public JobLedger ledger() {
        return ledger;
    }

    public List<String> stuckContexts() {
        return stuck;
    }

    public List<Lockup> lockups() {
        return lockups;
    }

    public boolean isIrqThread(int ctx) {
        return irqThread.test(ctx);
    }

    /** A context's name. */
    public String context(int ctx) {
        return ctx < 0 ? "" : names.context(ctx);
    }

    /** How reports name a job: "job A" (its scenario name), else "job #2" (its order of appearance). */
    public String jobLabel(long id) {
        return "job " + names.jobName(id);
    }

    /** The call ctx is inside ("run_job", "irq_thread", "drm_sched_job_timedout"), or its name outside any. */
    public String site(int ctx) {
        Deque<CallStart> s = calls.get(ctx);
        if (s == null || s.isEmpty()) return context(ctx);
        CallStart c = s.peek();
        // a work item by its function; the rest by what they are ("irq_thread", not the line's name)
        return c.call() == ethosu.bench.event.Call.WORK && c.name() != null ? c.name() : c.call().title;
    }

    /** Records a finding, raised now, in the functions its context is inside. */
    public synchronized void report(Finding.Check check, String kind, String site, List<String> objects, String text,
                                    String context) {
        List<String> earlier = findings.stream().map(f -> f.check().name() + " " + f.text()).toList();
        findings.add(new Finding(check, kind, site, objects, text, context, traceNext.getAsLong(), where(site, context),
                earlier));
    }

    /**
     * The function of the site, then the calls the named context is inside, innermost first: a driver
     * callback by its role (run_job, timedout_job, free_job, irq_thread, ...), a work item by its function.
     */
    private List<String> where(String site, String context) {
        List<String> out = new ArrayList<>();
        String fn = Finding.functionOf(site);
        if (fn != null && !fn.equals("horizon") && !fn.equals("npu")) out.add(fn); // not functions: when and who
        for (Map.Entry<Integer, Deque<CallStart>> e : calls.entrySet()) {
            if (context == null || !context.equals(context(e.getKey()))) continue;
            for (CallStart c : e.getValue()) { // a Deque used as a stack iterates innermost first
                String name = c.call() == ethosu.bench.event.Call.WORK && c.name() != null ? c.name() : c.call().title;
                if (!out.contains(name)) out.add(name);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- output

    public synchronized List<Finding> findings() {
        return List.copyOf(findings);
    }

    /** Scenario names of jobs by id. */
    public synchronized Map<Long, String> jobNames() {
        return new HashMap<>(jobNames);
    }

    /** Ids of the jobs whose finished fence signalled, in the order of their first signal. */
    public synchronized List<Long> completionOrder() {
        return ledger.completionOrder();
    }

    /** NPU reset sequences that succeeded (the first power-up included). */
    public synchronized int resets() {
        return ledger.resets();
    }

    /** Jobs whose finished fence has signalled. */
    public synchronized int finishedCount() {
        int n = 0;
        for (JobLedger.Job j : ledger.jobs()) if (j.finishes > 0) n++;
        return n;
    }

    /** True once every expected job's finished fence has signalled. */
    public synchronized boolean allDone() {
        for (JobLedger.Job j : ledger.jobs()) if (j.expected && j.finishes == 0) return false;
        return true;
    }

    /** True once every expected job finished and every finished job was freed. */
    public synchronized boolean allSettled() {
        for (JobLedger.Job j : ledger.jobs()) if (j.expected && (j.finishes == 0 || j.frees == 0)) return false;
        return true;
    }

    public synchronized int expectedCount() {
        int n = 0;
        for (JobLedger.Job j : ledger.jobs()) if (j.expected) n++;
        return n;
    }

    /** Result of each expected job by id: 0, -ECANCELED, -ESRCH ...; null if it never finished. */
    public synchronized Map<Long, Integer> results() {
        Map<Long, Integer> m = new TreeMap<>();
        for (JobLedger.Job j : ledger.jobs()) if (j.expected) m.put(j.id, j.result);
        return m;
    }

    /** Count of expected jobs per result name ("0", "-ECANCELED", "lost"). */
    public synchronized Map<String, Integer> resultCounts() {
        Map<String, Integer> m = new TreeMap<>();
        for (JobLedger.Job j : ledger.jobs()) {
            if (!j.expected) continue;
            m.merge(j.result == null ? "lost" : Errno.name(j.result), 1, Integer::sum);
        }
        return m;
    }
}
