// The run's checks: fed with the library's events and the device's records, it reports the first
// event that broke each invariant (and every kernel warning, oops and use after free the shims saw).
package ethosu.bench.check;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding.Check;
import ethosu.bench.event.Call;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Reset;
import ethosu.bench.hw.JobRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/** Thread-safe: events arrive from every context. */
public final class Checker {
    /** The check a kernel report breaks. */
    static Check check(KernelReport.Kind kind) {
        return switch (kind) {
            case WARN, REFCOUNT, FENCE -> Check.KERNEL_WARNING;
            case OOPS -> Check.OOPS;
            case UAF, DOUBLE_FREE -> Check.USE_AFTER_FREE;
            case LEAK -> Check.LEAK;
            case ATOMIC_SLEEP -> Check.ATOMIC_SLEEP;
            case DEADLOCK -> Check.DEADLOCK;
            case DEVICE -> Check.DEVICE_PROTOCOL;
            case JOB -> Check.LIVENESS;
            case CONVENTION -> Check.KERNEL_CONVENTION;
            case UNKNOWN -> Check.BENCH;
        };
    }

    /** What the bench knows of one job, by id (its command BO's DMA address = QBASE). */
    public static final class Job {
        public final long id;
        public String label;
        boolean expected;
        int runs, done, freed, deviceCompleted, irqSignalled;
        boolean lostReported, timeoutStarted, irqLostReported;
        long completedAt = -1, ranAt = -1;
        Integer result;

        Job(long id, String label) {
            this.id = id;
            this.label = label;
        }

        public Integer result() {
            return result;
        }
    }

    private final IntFunction<String> contextName;
    private final Map<Long, Job> jobs = new LinkedHashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private final Map<Long, String> names = new java.util.HashMap<>();
    private final int irqThreadKind;
    private final IntFunction<Integer> contextKind;
    private Long lastDeviceCompletion;
    /** Orders device completions and IRQ thread runs (events arrive from many threads, under this lock). */
    private long clock, threadRunStart = Long.MAX_VALUE, lastTimeoutActivity = -1;
    private int timeoutsActive;
    /** Jobs in the order their finished fences first signalled, and the NPU resets (outcomes). */
    private final List<Long> completionOrder = new ArrayList<>();
    private int resets;

    /**
     * @param contextName name of a context id, for reports
     * @param contextKind ebench_ctx_kind of a context id
     */
    public Checker(IntFunction<String> contextName, IntFunction<Integer> contextKind) {
        this.contextName = contextName;
        this.contextKind = contextKind;
        this.irqThreadKind = EthosuLibrary.CTX_IRQ_THREAD;
    }

    private Job job(long id) {
        return jobs.computeIfAbsent(id, k -> new Job(k, String.format("job 0x%x", k)));
    }

    /** A submit of this job returned 0: it must finish, exactly once. */
    public synchronized void expect(long id, String label) {
        Job j = jobs.get(id);
        if (j == null) {
            j = new Job(id, names.containsKey(id) ? "job " + names.get(id) : label);
            jobs.put(id, j);
        }
        j.expected = true;
    }

    /** Gives a job its scenario name for reports ("job A" instead of "job 0x80000000"). */
    public synchronized void name(long id, String name) {
        job(id).label = "job " + name;
        names.put(id, name);
    }

    /** How traces name a job: "job" and its scenario name, else its id. */
    public synchronized String jobName(long id) {
        String n = names.get(id);
        return "job" + (n != null ? n : id < 65536 ? Long.toString(id) : String.format("0x%x", id));
    }

    /** Scenario names of jobs by id. */
    public synchronized java.util.Map<Long, String> names() {
        return new java.util.HashMap<>(names);
    }

    public synchronized void add(Check check, String text, String context) {
        findings.add(new Finding(check, text, context));
    }

    /** One event from the library. */
    public synchronized void event(Event e) {
        switch (e) {
            case KernelReport r -> findings.add(new Finding(check(r.kind()), r.text(), contextName.apply(r.ctx())));
            case CallEnd c when c.call() == Call.RUN_JOB -> {
                job(c.job()).runs++;
                job(c.job()).ranAt = ++clock;
            }
            case FenceSignal f when f.role() == FenceRole.FINISHED -> {
                Job j = job(f.job());
                if (f.again()) {
                    findings.add(new Finding(Check.FENCE_ONCE, j.label + "'s finished fence signalled a second time (error "
                            + f.error() + ")", contextName.apply(f.ctx())));
                    return;
                }
                j.done++;
                j.result = f.error();
                if (j.done == 1) completionOrder.add(j.id);
                if (j.done == 1) completionLost(j, contextName.apply(f.ctx()));
            }
            case FenceSignal f when f.role() != FenceRole.SCHEDULED && !f.again() -> hwSignal(f.ctx(), f.job());
            case CallStart c when c.call() == Call.FREE_JOB -> job(c.job()).freed++;
            case Reset r when r.error() == 0 -> resets++;
            case CallStart c when c.call() == Call.TIMEDOUT_JOB -> {
                job(c.job()).timeoutStarted = true;
                timeoutsActive++;
                lastTimeoutActivity = ++clock;
            }
            case CallEnd c when c.call() == Call.TIMEDOUT_JOB -> {
                timeoutsActive = Math.max(0, timeoutsActive - 1);
                lastTimeoutActivity = ++clock;
            }
            case CallStart c when c.call() == Call.IRQ_THREAD -> threadRunStart = ++clock;
            case CallEnd c when c.call() == Call.IRQ_THREAD -> threadRunEnded(c.ctx());
            default -> { }
        }
    }

    /**
     * An IRQ thread run that started after a job's completion must signal it, when no timeout
     * handler ran since the job was run: the completion's interrupt was handled in time and nothing
     * else touched in_flight_job, so the job is lost only if the IRQ path lost it. (Completions a
     * timeout overtakes, or a timeout handler that clears in_flight_job late, are the driver's
     * own findings: the baseline's, and the COMPLETION_REPORTED check's.)
     */
    private void threadRunEnded(int ctx) {
        for (Job j : jobs.values()) {
            if (j.completedAt < 0 || j.completedAt >= threadRunStart || j.irqSignalled > 0 || j.timeoutStarted
                    || j.irqLostReported || timeoutsActive > 0 || lastTimeoutActivity > j.ranAt) continue;
            j.irqLostReported = true;
            findings.add(new Finding(Check.IRQ_SIGNALS_COMPLETION, String.format(
                    "the IRQ thread ran after %s completed, before its timeout, and did not signal it: the completion is lost",
                    j.label), contextName.apply(ctx)));
        }
    }

    private void hwSignal(int ctx, long id) {
        Integer kind = contextKind.apply(ctx);
        if (kind == null || kind != irqThreadKind) return;
        if (id == 0) {
            findings.add(new Finding(Check.IRQ_COMPLETES_RAN_JOB,
                    "the IRQ thread signalled a hardware fence that no run_job made", contextName.apply(ctx)));
            return;
        }
        Job j = job(id);
        j.irqSignalled++;
        if (j.irqSignalled > j.deviceCompleted) {
            findings.add(new Finding(Check.IRQ_COMPLETES_RAN_JOB, String.format(
                    "the IRQ thread completed %s, which the device has not completed (device's last completion: %s)",
                    j.label, lastDeviceCompletion == null ? "none" : job(lastDeviceCompletion).label),
                    contextName.apply(ctx)));
        }
    }

    /** The device model ended a job (any outcome). */
    public synchronized void deviceEnded(JobRecord r) {
        if (r.outcome() == JobRecord.Outcome.COMPLETED) {
            Job j = job(r.qbase());
            j.deviceCompleted++;
            if (j.completedAt < 0) j.completedAt = ++clock;
            lastDeviceCompletion = r.qbase();
            if (j.done > 0) completionLost(j, "npu");
        }
    }

    /** As soon as both are known: the device completed the job and it finished with an error. */
    private void completionLost(Job j, String ctx) {
        if (!j.expected || j.deviceCompleted == 0 || j.result == null || j.result == 0 || j.lostReported) return;
        j.lostReported = true;
        findings.add(new Finding(Check.COMPLETION_REPORTED, String.format(
                "the device completed %s but its finished fence signalled %s", j.label, Errno.name(j.result)), ctx));
    }

    /** Device protocol violation seen by the NPU model. */
    public synchronized void deviceViolation(String what) {
        findings.add(new Finding(Check.DEVICE_PROTOCOL, what, "npu"));
    }

    /** True once every expected job finished and every finished job was freed. */
    public synchronized boolean allSettled() {
        for (Job j : jobs.values())
            if (j.expected && (j.done == 0 || j.freed == 0)) return false;
        return true;
    }

    /** True once every expected job's finished fence has signalled. */
    public synchronized boolean allDone() {
        for (Job j : jobs.values())
            if (j.expected && j.done == 0) return false;
        return true;
    }

    public synchronized int expectedCount() {
        int n = 0;
        for (Job j : jobs.values()) if (j.expected) n++;
        return n;
    }

    /** At the horizon: every expected job must have finished; records what did not. */
    public synchronized void checkLiveness(String horizon) {
        for (Job j : jobs.values()) {
            if (j.expected && j.done == 0)
                findings.add(new Finding(Check.LIVENESS, j.label + " never finished within " + horizon
                        + (j.runs == 0 ? " (never ran)" : " (ran, its finished fence never signalled)"), ""));
        }
    }

    /**
     * At the horizon: a job the device completed (and was not reset afterwards) must finish with 0;
     * anything else means the driver lost or discarded the completion.
     */
    public synchronized void checkCompletionsReported() {
        for (Job j : jobs.values()) completionLost(j, "");
    }

    /** After teardown: every job that finished was freed exactly once. */
    public synchronized void checkFreed() {
        for (Job j : jobs.values()) {
            if (j.expected && j.done > 0 && j.freed == 0)
                findings.add(new Finding(Check.LEAK, j.label + " finished but free_job never ran", ""));
            if (j.freed > 1)
                findings.add(new Finding(Check.USE_AFTER_FREE, j.label + " freed " + j.freed + " times", ""));
        }
    }

    /** Result of each job by id: 0, -ECANCELED, -ESRCH ...; null if it never finished. */
    public synchronized Map<Long, Integer> results() {
        Map<Long, Integer> m = new TreeMap<>();
        for (Job j : jobs.values()) if (j.expected) m.put(j.id, j.result);
        return m;
    }

    /** Ids of the jobs whose finished fence signalled, in the order of their first signal. */
    public synchronized List<Long> completionOrder() {
        return List.copyOf(completionOrder);
    }

    /** NPU reset sequences that succeeded (runtime resumes: the first power-up included). */
    public synchronized int resets() {
        return resets;
    }

    /** Count of expected jobs per result name ("0", "-ECANCELED", "lost"). */
    public synchronized Map<String, Integer> resultCounts() {
        Map<String, Integer> m = new TreeMap<>();
        for (Job j : jobs.values()) {
            if (!j.expected) continue;
            m.merge(j.result == null ? "lost" : Errno.name(j.result), 1, Integer::sum);
        }
        return m;
    }

    public synchronized List<Finding> findings() {
        return List.copyOf(findings);
    }
}
