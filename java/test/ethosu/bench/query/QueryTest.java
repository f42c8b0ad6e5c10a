// The query language on hand-made traces: each relation matches what docs/QUERIES.md says it does and
// nothing else (another context, the same context, the first end after a start, a lock taken only
// once a waiter resumes), and the match names the steps it found.
package ethosu.bench.query;

import ethosu.bench.event.Call;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.Label;
import ethosu.bench.event.Names;
import ethosu.bench.event.Point;
import ethosu.bench.event.PointKind;
import ethosu.bench.event.Resumed;
import ethosu.bench.event.Trace;
import ethosu.bench.event.Wait;
import ethosu.bench.event.WaitKind;
import ethosu.bench.hw.Regs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class QueryTest {
    static final int SUBMIT = 1, TIMEOUT = 2, HARDIRQ = 4, IRQT = 5, CLIENT = 10;
    static final long A = 0xA000, B = 0xB000;

    static final Names NAMES = new Names() {
        @Override
        public String jobName(long id) {
            return id == A ? "A" : id == B ? "B" : "?";
        }

        @Override
        public String context(int id) {
            return Map.of(SUBMIT, "submit_wq", TIMEOUT, "timeout_wq", HARDIRQ, "hardirq", IRQT, "irq/ethosu",
                    CLIENT, "client-0").getOrDefault(id, "ctx" + id);
        }
    };

    /** A trace of these events, one step each. */
    static Trace trace(Event... events) {
        Trace t = new Trace(1000);
        for (int i = 0; i < events.length; i++) t.add(i, 0, events[i]);
        return t;
    }

    static Event start(int ctx, Call c, long job) {
        return new CallStart(ctx, c, c.backendOp() ? null : c.title, job, 0);
    }

    static Event end(int ctx, Call c, long job) {
        return new CallEnd(ctx, c, c.backendOp() ? null : c.title, job, 0, 0);
    }

    static Event point(int ctx, PointKind k, String text, long obj) {
        return new Point(ctx, new Label(1, k.value, text), obj, 0);
    }

    static Query.Match match(String q, Trace t) {
        return Query.parse(q).match(t, NAMES);
    }

    @Test
    void duringIsAStartWhileTheOtherIsActiveOnAnotherContext() {
        Trace t = trace(start(TIMEOUT, Call.TIMEDOUT_JOB, A),          // 0
                point(TIMEOUT, PointKind.READL, "readl_relaxed(%o)", Regs.QREAD), // 1
                start(SUBMIT, Call.RUN_JOB, B),                         // 2
                end(SUBMIT, Call.RUN_JOB, B),                           // 3
                end(TIMEOUT, Call.TIMEDOUT_JOB, A));                    // 4
        Query.Match m = match("run_job(B) during timedout_job(A)", t);
        assertNotNull(m);
        assertEquals(2, m.step());
        assertEquals("run_job(jobB) on submit_wq at step 2 during timedout_job(jobA) on timeout_wq (steps 0 to 4)", m.text());
        assertNull(match("run_job(A) during timedout_job(A)", t), "no run_job(A) in the trace");
        assertNull(match("timedout_job during run_job", t), "timedout_job started first: not during run_job");
        assertNotNull(match("timedout_job overlaps run_job", t), "overlap is symmetric");
        assertNotNull(match("run_job overlaps timedout_job", t));
        assertNull(match("run_job(B) on timeout_wq during timedout_job", t), "'on' restricts the context");
        assertNotNull(match("readl(QREAD) within timedout_job(A)", t), "within: the same context");
        assertNull(match("readl(QREAD) during timedout_job(A)", t), "during: another context only");
        assertNull(match("readl(STATUS) within timedout_job(A)", t), "another register");
    }

    @Test
    void anIntervalThatNeverEndedLastsToTheEnd() {
        Trace t = trace(start(IRQT, Call.IRQ_THREAD, 0), start(TIMEOUT, Call.TIMEDOUT_JOB, A));
        assertNotNull(match("timedout_job during irq_thread", t));
        assertNull(match("return(irq_thread)", t));
        assertNotNull(match("start(irq_thread)", t));
    }

    @Test
    void betweenEndsAtTheFirstEndEventAfterTheStart() {
        Trace t = trace(start(IRQT, Call.IRQ_THREAD, 0),                                       // 0
                new FenceSignal(IRQT, FenceRole.HW, A, 1, 0, 1, false),                         // 1
                start(SUBMIT, Call.RUN_JOB, B),                                                 // 2
                end(SUBMIT, Call.RUN_JOB, B),                                                   // 3
                end(IRQT, Call.IRQ_THREAD, 0),                                                  // 4
                start(IRQT, Call.IRQ_THREAD, 0),                                                // 5
                start(SUBMIT, Call.RUN_JOB, A),                                                 // 6
                end(IRQT, Call.IRQ_THREAD, 0));                                                 // 7
        Query.Match m = match("run_job(B) between signal(A.done_fence) and return(irq_thread)", t);
        assertNotNull(m);
        assertTrue(m.text().contains("between signal(jobA.hw_fence) on irq/ethosu at step 1 and return of irq_thread on "
                + "irq/ethosu at step 4"), m.text());
        assertEquals(4, m.at(), "the diagram ends at the window's end");
        assertNull(match("run_job(A) between signal(A.done_fence) and return(irq_thread)", t),
                "run_job(A) starts after the first return that follows the signal");
        assertNull(match("run_job between signal(A.finished) and return(irq_thread)", t), "no finished fence signalled");
        assertNotNull(match("run_job between signal(hw_fence) and return(irq_thread)", t), "any job's fence");
    }

    @Test
    void aLockIsHeldFromWhenItsWaiterResumes() {
        Label lock = new Label(1, PointKind.MUTEX_LOCK.value, "mutex_lock(job_lock)");
        Label unlock = new Label(2, PointKind.MUTEX_UNLOCK.value, "mutex_unlock(job_lock)");
        Wait w = new Wait(SUBMIT, WaitKind.LOCK, new Label(3, WaitKind.LOCK.value, "mutex_lock(job_lock)"), 7, Long.MAX_VALUE);
        Trace t = trace(new Point(IRQT, lock, 7, 0),        // 0 the IRQ thread takes it
                new Point(SUBMIT, lock, 7, 0),              // 1 run_job's point: it will wait
                w,                                          // 2
                new Point(IRQT, unlock, 7, 0),              // 3
                new Resumed(SUBMIT, Resumed.How.WOKEN, w),  // 4 taken here
                new Point(SUBMIT, unlock, 7, 0));           // 5
        assertNull(match("hold(job_lock) during hold(job_lock)", t), "a mutex is held by one context at a time");
        assertNotNull(match("lock(job_lock) on submit_wq during hold(job_lock)", t), "the attempt happens while held");
        assertNull(match("hold(pm_lock)", t));
    }

    @Test
    void parsedQueriesKeepTheirKindAndText() {
        Query q = Query.parse("never run_job during timedout_job");
        assertTrue(q.isNever());
        assertEquals("never run_job during timedout_job", q.text());
        assertFalse(Query.parse("readl(STATUS) during reset").isNever(), "witness is implied");
        assertEquals(Query.SpanKind.RUNTIME_RESUME, ((Query.Span) Query.parse("readl(STATUS) during reset").object()).kind(),
                "the driver resets the NPU in its runtime resume callback");
        Query f = Query.parse("WRITE_ONCE(dev->in_flight_job) on timeout_wq during irq_thread");
        assertEquals("dev->in_flight_job", ((Query.Happening) f.subject()).arg());
        assertEquals(List.of(), List.of());
    }
}
