// The facts the checks judge, per job: what the driver, the scheduler and the device did to it,
// taken from the run's events in order. No judgment here; invariants read it.
package ethosu.bench.check;

import ethosu.bench.event.Call;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.NpuEvent;
import ethosu.bench.hw.JobRecord;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

public final class JobLedger {
    /** One job, by id (its command BO's DMA address = its QBASE). Times are the ledger's event count. */
    public static final class Job {
        public final long id;
        /** A submit that included it returned 0: it must finish, exactly once. */
        public boolean expected;
        public int runs, finishes, frees, deviceCompletions, irqSignals;
        public boolean timeoutStarted;
        /** Error of its finished fence's first signal; null while unsignalled. */
        public Integer result;
        public long ranAt = -1, completedAt = -1;

        Job(long id) {
            this.id = id;
        }
    }

    private final Map<Long, Job> jobs = new LinkedHashMap<>();
    private final java.util.function.IntPredicate irqThread;
    private long clock;
    private long lastTimeoutActivity = -1, threadRunStart = Long.MAX_VALUE;
    private int timeoutsActive;
    private Long lastDeviceCompletion;
    /** Jobs in the order their finished fences first signalled, and the NPU's successful resets. */
    private final java.util.List<Long> completionOrder = new java.util.ArrayList<>();
    private int resets;

    /** @param irqThread whether a context id is the IRQ thread's */
    JobLedger(java.util.function.IntPredicate irqThread) {
        this.irqThread = irqThread;
    }

    public Job job(long id) {
        return jobs.computeIfAbsent(id, Job::new);
    }

    public Collection<Job> jobs() {
        return jobs.values();
    }

    /** The ledger's time: one tick per event that matters to job order. */
    public long now() {
        return clock;
    }

    public int timeoutsActive() {
        return timeoutsActive;
    }

    public long lastTimeoutActivity() {
        return lastTimeoutActivity;
    }

    /** When the IRQ thread run in progress (or the last one) started. */
    public long threadRunStart() {
        return threadRunStart;
    }

    /** Ids of the jobs whose finished fence signalled, in the order of their first signal. */
    public java.util.List<Long> completionOrder() {
        return java.util.List.copyOf(completionOrder);
    }

    /** NPU reset sequences that succeeded (runtime resumes: the first power-up included). */
    public int resets() {
        return resets;
    }

    /** The job the device completed last, or null. */
    public Long lastDeviceCompletion() {
        return lastDeviceCompletion;
    }

    void take(Event e) {
        switch (e) {
            case CallEnd c when c.call() == Call.RUN_JOB -> {
                Job j = job(c.job());
                j.runs++;
                j.ranAt = ++clock;
            }
            case FenceSignal f when f.role() == FenceRole.FINISHED && !f.again() -> {
                Job j = job(f.job());
                if (j.finishes++ == 0) {
                    j.result = f.error();
                    completionOrder.add(j.id);
                }
            }
            case FenceSignal f when f.role() == FenceRole.HW && !f.again() && irqThread.test(f.ctx()) ->
                job(f.job()).irqSignals++;
            case CallStart c when c.call() == Call.FREE_JOB -> job(c.job()).frees++;
            case ethosu.bench.event.Reset r when r.error() == 0 -> resets++;
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
            case NpuEvent n when n.kind() == NpuEvent.Kind.ENDED && n.job().outcome() == JobRecord.Outcome.COMPLETED -> {
                Job j = job(n.job().qbase());
                j.deviceCompletions++;
                if (j.completedAt < 0) j.completedAt = ++clock;
                lastDeviceCompletion = n.job().qbase();
            }
            default -> { }
        }
    }
}
