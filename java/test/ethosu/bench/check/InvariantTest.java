// Each invariant fires on the event sequence that breaks it, and stays quiet on the one that keeps it:
// synthetic sequences fed straight to the checks, no device needed. (The runs that break them for
// real are in DriverTest, SubmitErrorsTest, ExplorationTest's baseline replays and the kill matrix.)
package ethosu.bench.check;

import ethosu.bench.event.Call;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Names;
import ethosu.bench.event.NpuEvent;
import ethosu.bench.event.Sanitizer;
import ethosu.bench.hw.JobBehaviour;
import ethosu.bench.hw.JobRecord;
import ethosu.bench.kernel.KernelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class InvariantTest {
    static final long A = 0x8000_0000L, B = 0x8001_0000L;
    static final int IRQ = KernelContext.IRQ_THREAD.id, SUBMIT = KernelContext.SUBMIT_WQ.id,
            TIMEOUT = KernelContext.TIMEOUT_WQ.id;
    static final int ECANCELED = -125;

    /** A run's checks fed by hand; what was fed is printed when a test fails. */
    static final class Feed {
        final List<Event> fed = new ArrayList<>();
        final Checks checks = new Checks(new Names() {
            @Override
            public String jobName(long id) {
                return id == A ? "A" : "B";
            }

            @Override
            public String context(int id) {
                return "ctx" + id;
            }
        }, ctx -> ctx == IRQ, () -> fed.size());

        Feed() {
            checks.name(A, "A");
            checks.name(B, "B");
        }

        Feed on(Event... es) {
            for (Event e : es) {
                fed.add(e);
                checks.event(e);
            }
            return this;
        }

        Feed expect(long job) {
            checks.expect(job);
            return this;
        }

        Feed at(Checks.Stage... stages) {
            for (Checks.Stage s : stages) checks.at(s);
            return this;
        }

        List<Finding> findings(Finding.Check check) {
            return checks.findings().stream().filter(f -> f.check() == check).toList();
        }

        String why() {
            StringBuilder sb = new StringBuilder("fed:\n");
            fed.forEach(e -> sb.append("  ").append(e).append('\n'));
            sb.append("findings: ").append(checks.findings());
            return sb.toString();
        }

        /** Exactly one finding, of this check; returns it. */
        Finding one(Finding.Check check) {
            assertEquals(1, checks.findings().size(), why());
            assertEquals(check, checks.findings().get(0).check(), why());
            return checks.findings().get(0);
        }

        void none() {
            assertEquals(List.of(), checks.findings(), why());
        }
    }

    static FenceSignal finished(int ctx, long job, int error, boolean again) {
        return new FenceSignal(ctx, FenceRole.FINISHED, job, 0x1000 + job, error, 1, again);
    }

    static FenceSignal hw(int ctx, long job) {
        return new FenceSignal(ctx, FenceRole.HW, job, 0x2000 + job, 0, 1, false);
    }

    static NpuEvent completed(long job) {
        return new NpuEvent(NpuEvent.Kind.ENDED, new JobRecord(1, job, 20, JobBehaviour.DEFAULT, 0, 1_000_000,
                JobRecord.Outcome.COMPLETED), null);
    }

    static CallEnd ran(long job) {
        return new CallEnd(SUBMIT, Call.RUN_JOB, null, job, 0x2000 + job, 1);
    }

    /** A job's whole life as the driver should live it: run, completed, IRQ, finished, freed. */
    static Event[] normalLife(long job) {
        return new Event[] {
            new CallStart(SUBMIT, Call.RUN_JOB, null, job, 0), ran(job), completed(job),
            new CallStart(IRQ, Call.IRQ_THREAD, "irq/ethosu", 0, 0), hw(IRQ, job), finished(IRQ, job, 0, false),
            new CallEnd(IRQ, Call.IRQ_THREAD, "irq/ethosu", 0, 0, 1),
            new CallStart(SUBMIT, Call.FREE_JOB, null, job, 0), new CallEnd(SUBMIT, Call.FREE_JOB, null, job, 0, 0),
        };
    }

    @Test
    void aJobLivedNormallyBreaksNothing() {
        new Feed().expect(A).on(normalLife(A)).at(Checks.Stage.values()).none();
    }

    @Test
    void finishedFenceSignalledTwiceIsAFinding() {
        Feed f = new Feed().expect(A).on(normalLife(A)).on(finished(TIMEOUT, A, ECANCELED, true));
        Finding x = f.one(Finding.Check.FENCE_ONCE);
        assertEquals("double-signal", x.kind());
        assertEquals(List.of("job.finished"), x.objects());
        assertEquals(f.fed.size(), x.at(), "raised at the second signal");
    }

    @Test
    void irqThreadCompletingAJobTheDeviceDidNotCompleteIsAFinding() {
        Feed f = new Feed().expect(A).expect(B).on(ran(A), completed(A), ran(B),
                new CallStart(IRQ, Call.IRQ_THREAD, "irq/ethosu", 0, 0), hw(IRQ, B));
        Finding x = f.one(Finding.Check.IRQ_COMPLETES_RAN_JOB);
        assertEquals("wrong-job", x.kind());
        assertEquals("irq_thread", x.site(), "seen inside the IRQ thread's run");
        assertTrue(x.text().contains("completed job B") && x.text().contains("last completion: job A"), x.text());
    }

    @Test
    void irqThreadSignallingAFenceNoRunJobMadeIsAFinding() {
        new Feed().on(new FenceSignal(IRQ, FenceRole.OTHER, 0, 0x3000, 0, 7, false))
                .one(Finding.Check.IRQ_COMPLETES_RAN_JOB);
    }

    @Test
    void irqThreadRunThatMissesACompletionIsAFinding() {
        Feed f = new Feed().expect(A).on(ran(A), completed(A), new CallStart(IRQ, Call.IRQ_THREAD, "irq/ethosu", 0, 0),
                new CallEnd(IRQ, Call.IRQ_THREAD, "irq/ethosu", 0, 0, 1));
        Finding x = f.one(Finding.Check.IRQ_SIGNALS_COMPLETION);
        assertEquals("lost-completion", x.kind());
    }

    @Test
    void irqThreadRunAfterATimeoutIsNotJudged() {
        // the timeout handler ran since the job did: what the IRQ thread finds is the driver's business
        new Feed().expect(A).on(ran(A), completed(A), new CallStart(TIMEOUT, Call.TIMEDOUT_JOB, null, A, 0),
                new CallEnd(TIMEOUT, Call.TIMEDOUT_JOB, null, A, 0, 1),
                new CallStart(IRQ, Call.IRQ_THREAD, "irq/ethosu", 0, 0), new CallEnd(IRQ, Call.IRQ_THREAD, "irq/ethosu", 0, 0, 1))
                .none();
    }

    @Test
    void acceptedJobThatNeverFinishesIsALivenessFinding() {
        Feed f = new Feed().expect(A).on(ran(A)).at(Checks.Stage.HORIZON);
        Finding x = f.one(Finding.Check.LIVENESS);
        assertEquals("never-finished", x.kind());
        assertTrue(x.text().startsWith("job A never finished"), x.text());
    }

    @Test
    void completedJobThatFinishesWithAnErrorIsAFinding() {
        Feed f = new Feed().expect(A).on(ran(A), completed(A), new CallStart(TIMEOUT, Call.TIMEDOUT_JOB, null, A, 0),
                finished(TIMEOUT, A, ECANCELED, false));
        Finding x = f.one(Finding.Check.COMPLETION_REPORTED);
        assertEquals("timedout_job", x.site(), "finished inside the timeout handler");
        assertEquals("ctx" + TIMEOUT, x.context());
        assertTrue(x.text().contains("signalled -ECANCELED"), x.text());
    }

    @Test
    void completionSeenAfterTheErrorIsJudgedToo() {
        // the result first, the device's completion after (a late device event): still one finding
        new Feed().expect(A).on(ran(A), finished(TIMEOUT, A, ECANCELED, false), completed(A))
                .one(Finding.Check.COMPLETION_REPORTED);
    }

    @Test
    void secondFreeJobOfAJobIsAFinding() {
        Feed f = new Feed().expect(A).on(normalLife(A)).on(new CallStart(SUBMIT, Call.FREE_JOB, null, A, 0));
        Finding x = f.one(Finding.Check.USE_AFTER_FREE);
        assertEquals("double-free_job", x.kind());
        assertEquals(f.fed.size(), x.at());
    }

    @Test
    void finishedJobNeverFreedIsALeakAtTeardown() {
        Feed f = new Feed().expect(A).on(ran(A), completed(A), hw(IRQ, A), finished(IRQ, A, 0, false))
                .at(Checks.Stage.HORIZON);
        f.none();
        f.at(Checks.Stage.TEARDOWN);
        assertEquals("never-freed", f.one(Finding.Check.LEAK).kind());
    }

    @Test
    void deviceProtocolViolationIsAFinding() {
        new Feed().on(new NpuEvent(NpuEvent.Kind.VIOLATION, null, "CMD=0x2 written during reset (ignored)"))
                .one(Finding.Check.DEVICE_PROTOCOL);
    }

    @Test
    void contextsLeftBlockedAreDeadlocks() {
        Feed f = new Feed();
        f.checks.stuck(List.of("client-0 waits forever: mutex_lock(selftest_b)"));
        f.at(Checks.Stage.ENDED).one(Finding.Check.DEADLOCK);
    }

    @ParameterizedTest
    @EnumSource(KernelReport.Kind.class)
    void everyKindOfKernelReportBreaksItsCheck(KernelReport.Kind kind) {
        Finding x = new Feed().on(new KernelReport(SUBMIT, kind, "ethosu_job_run", 0, "report of " + kind))
                .one(ethosu.bench.check.invariant.KernelReported.checkOf(kind));
        assertEquals(kind.name(), x.kind());
        assertEquals("ethosu_job_run", x.site(), "a report keeps its site");
        assertEquals("report of " + kind, x.text());
    }

    @Test
    void sanitizerReportBreaksMemorySafety() {
        String report = "==7==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000054 at pc 0x1 bp 0x2 sp 0x3\n"
                + "READ of size 4 at 0x602000000054 thread T3\n"
                + "    #0 0x7f0000001000 in ethosu_job_timedout drivers/accel/ethosu/ethosu_job.c:310\n";
        Finding x = new Feed().on(new Sanitizer(SUBMIT, 0, report)).one(Finding.Check.MEMORY_SAFETY);
        assertTrue(x.text().startsWith("BUG: KASAN: slab-out-of-bounds in ethosu_job_timedout"), x.text());
    }

    @Test
    void unreadableSanitizerReportIsABenchFindingNotDropped() {
        new Feed().on(new Sanitizer(SUBMIT, 0, "something the runtime never prints\n")).one(Finding.Check.BENCH);
    }

    @Test
    void identityLeavesOutJobsNumbersAndText() {
        Finding a = new Feed().expect(A).on(ran(A), completed(A), finished(TIMEOUT, A, ECANCELED, false)).one(Finding.Check.COMPLETION_REPORTED);
        Finding b = new Feed().expect(B).on(ran(B), completed(B), finished(TIMEOUT, B, ECANCELED, false)).one(Finding.Check.COMPLETION_REPORTED);
        assertNotEquals(a.text(), b.text());
        assertEquals(a.identity(), b.identity(), "one race, whichever job it hits");
    }
}
