// The scheduler shim's TDR through the mock backend, after the kernel's drm_sched_timeout KUnit suite:
// when the timeout fires, and what each answer of timedout_job does to the job (RESET, NO_HANG, stop/start).
package ethosu.bench.shim;

import ethosu.bench.bindings.MockScheduler;
import ethosu.bench.bindings.MockScheduler.Counts;
import ethosu.bench.bindings.MockScheduler.Entity;
import ethosu.bench.bindings.MockScheduler.Job;
import ethosu.bench.check.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static ethosu.bench.bindings.MockScheduler.State.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SchedulerTimeoutTest {
    /** The timeout, in ms; time scale 1, so kernel and real time agree. */
    static final int TIMEOUT_MS = 100;
    static final long PERIOD_NS = TIMEOUT_MS * 1_000_000L;

    private MockDevice dev;

    @AfterEach
    void tearDown() {
        if (dev == null) return;
        dev.close();
        assertEquals(List.of(), dev.findings(), dev.why("findings"));
    }

    /*
     * A job's answer can be set only once it is submitted, and the TDR may be armed right away: the
     * scenario holds only if the answer was set within the period. A test thread stalled for that long
     * makes the run inconclusive (aborted), not failed.
     */
    private static void answeredInTime(long submitted) {
        long elapsed = System.nanoTime() - submitted;
        assumeTrue(elapsed < PERIOD_NS, () -> "answer set " + elapsed / 1000 + " us after submit, after the period");
    }

    @Test
    void timeoutFiresAfterThePeriodAndNotBefore() {
        dev = MockDevice.start(MockDevice.Setup.defaults().withTimeoutMs(TIMEOUT_MS));
        Entity entity = dev.sched.entity();

        long submitted = System.nanoTime();	// the TDR is armed later, in run-job work
        Job job = entity.submit();	// never completed by the hardware; the default answer is RESET

        boolean finishedEarly = job.waitFinished(TIMEOUT_MS / 2);
        int early = dev.sched.counts().timedout();
        long elapsed = System.nanoTime() - submitted;
        // conclusive only if this thread got here within the period (it may have been descheduled)
        if (elapsed < PERIOD_NS) {
            assertFalse(finishedEarly, dev.why("finished " + elapsed / 1000 + " us after submit"));
            assertEquals(0, early, dev.why("timedout_job called " + elapsed / 1000 + " us after submit"));
        }

        assertTrue(job.waitFinished(10 * TIMEOUT_MS), dev.why("the timeout never fired"));
        // the handler fails the job itself; the TIMEDOUT event follows once it returns
        assertTrue(MockDevice.await(() -> dev.timedOutAt(job) != null, 1000), dev.why("no TIMEDOUT event"));
        long firedAt = dev.timedOutAt(job);
        assertTrue(firedAt - submitted >= PERIOD_NS,
                dev.why("timedout_job returned " + (firedAt - submitted) / 1000 + " us after submit, before the "
                        + TIMEOUT_MS + " ms period"));
        // the mock's RESET: hardware fence failed with -ETIMEDOUT, job cleaned up by the handler itself
        assertEquals(-Errno.ETIMEDOUT, job.error(), dev.why());
        assertEquals(-Errno.ETIMEDOUT, dev.hwResult(job), dev.why());
        assertTrue(MockDevice.await(() -> job.state() == FREED, 1000), dev.why("not cleaned up"));
        assertEquals(new Counts(1, 1, 0, 0), job.counts(), dev.why("no free_job for a job the handler cleaned up"));
    }

    @Test
    void timeoutAnsweredNoHangLeavesTheJobPendingUntilItCompletes() {
        dev = MockDevice.start(MockDevice.Setup.defaults().withTimeoutMs(TIMEOUT_MS));
        Entity entity = dev.sched.entity();
        long submitted = System.nanoTime();
        Job job = entity.submit();
        job.setTimedoutAnswer(MockScheduler.ANSWER_NO_HANG);
        answeredInTime(submitted);

        assertFalse(job.waitFinished(2 * TIMEOUT_MS), dev.why("finished without the hardware"));
        assertTrue(MockDevice.await(() -> job.counts().timedout() >= 1, 10 * TIMEOUT_MS),
                dev.why("the timeout never fired"));
        assertEquals(RUNNING, job.state(), dev.why("a false alarm leaves the job on the hardware"));

        assertEquals(1, dev.sched.advance(1), dev.why("the job is still on the hardware"));
        assertTrue(job.waitFinished(1000), dev.why());
        assertEquals(0, job.error(), dev.why());
        assertTrue(MockDevice.await(() -> job.state() == FREED, 1000), dev.why("free_job never called"));
        Counts c = job.counts();
        assertEquals(1, c.run(), dev.why());
        assertEquals(1, c.freed(), dev.why());
    }

    @Test
    void timeoutAnsweredStopStartCancelsTheDroppedJobAndRunsTheNext() {
        // as ethosu: one credit; timedout_job stops the scheduler, the reset drops the running job
        // without signalling it, then drm_sched_start(sched, 0)
        dev = MockDevice.start(MockDevice.Setup.defaults().withTimeoutMs(TIMEOUT_MS).withCreditLimit(1));
        Entity entity = dev.sched.entity();
        long submitted = System.nanoTime();
        Job hung = entity.submit(), next = entity.submit();
        hung.setTimedoutAnswer(MockScheduler.ANSWER_STOP_START);
        next.setTimedoutAnswer(MockScheduler.ANSWER_NO_HANG);	// the test, not its timeout, completes it
        answeredInTime(submitted);

        assertTrue(hung.waitFinished(10 * TIMEOUT_MS), dev.why("the timeout never fired"));
        assertEquals(-Errno.ECANCELED, hung.error(), dev.why("a job dropped by the reset finishes with -ECANCELED"));
        assertNull(dev.hwResult(hung), dev.why("its hardware fence stays unsignalled"));

        assertTrue(MockDevice.await(() -> next.state() == RUNNING, 1000),
                dev.why("the next job did not run after drm_sched_start"));
        assertEquals(1, dev.sched.advance(1), dev.why("only the next job is on the hardware"));
        assertTrue(next.waitFinished(1000), dev.why());
        assertEquals(0, next.error(), dev.why());

        assertTrue(MockDevice.await(() -> hung.state() == FREED && next.state() == FREED, 1000),
                dev.why("not freed"));
        assertEquals(new Counts(1, 1, 1, 0), hung.counts(), dev.why());
        assertEquals(1, next.counts().run(), dev.why());
        assertEquals(1, next.counts().freed(), dev.why());
    }
}
