// The scheduler shim's TDR through the mock backend, after the kernel's drm_sched_timeout KUnit suite:
// when the timeout fires, and what each answer of timedout_job does to the job (RESET, NO_HANG,
// stop/start). In virtual time: "after the period and not before" is exact, whatever the load.
package ethosu.bench.shim;

import ethosu.bench.bindings.MockScheduler;
import ethosu.bench.bindings.MockScheduler.Counts;
import ethosu.bench.bindings.MockScheduler.Entity;
import ethosu.bench.bindings.MockScheduler.Job;
import ethosu.bench.check.Errno;
import org.junit.jupiter.api.Test;

import static ethosu.bench.bindings.MockScheduler.State.*;
import static ethosu.bench.shim.MockDevice.LONG_MS;
import static org.junit.jupiter.api.Assertions.*;

class SchedulerTimeoutTest {
    /** The timeout, in ms of kernel time. */
    static final int TIMEOUT_MS = 100;
    static final long PERIOD_NS = TIMEOUT_MS * 1_000_000L;

    @Test
    void timeoutFiresAfterThePeriodAndNotBefore() {
        MockDevice.run(MockDevice.Setup.defaults().withTimeoutMs(TIMEOUT_MS), dev -> {
            Entity entity = dev.sched.entity();

            long submitted = dev.now();	// the TDR is armed later, in run-job work
            Job job = entity.submit();	// never completed by the hardware; the default answer is RESET

            assertFalse(job.waitFinished(TIMEOUT_MS / 2), dev.why("finished half a period after submit"));
            assertEquals(0, dev.sched.counts().timedout(), dev.why("timedout_job called within the period"));

            assertTrue(job.waitFinished(LONG_MS), dev.why("the timeout never fired"));
            // the handler fails the job itself; the TIMEDOUT event follows once it returns
            assertTrue(dev.await(() -> dev.timedOutAt(job) != null, LONG_MS), dev.why("timedout_job never returned"));
            long firedAt = dev.timedOutAt(job);
            assertTrue(firedAt - submitted >= PERIOD_NS, dev.why("timedout_job returned "
                    + (firedAt - submitted) / 1000 + " us after submit, before the " + TIMEOUT_MS + " ms period"));
            assertTrue(firedAt - submitted < 2 * PERIOD_NS,
                    dev.why("timedout_job returned " + (firedAt - submitted) / 1000 + " us after submit: a period late"));
            // the mock's RESET: hardware fence failed with -ETIMEDOUT, job cleaned up by the handler itself
            assertEquals(-Errno.ETIMEDOUT, job.error(), dev.why());
            assertEquals(-Errno.ETIMEDOUT, dev.hwResult(job), dev.why());
            assertTrue(dev.await(() -> job.state() == FREED, LONG_MS), dev.why("not cleaned up"));
            assertEquals(new Counts(1, 1, 0, 0), job.counts(), dev.why("no free_job for a job the handler cleaned up"));
        }).assertClean();
    }

    @Test
    void timeoutAnsweredNoHangLeavesTheJobPendingUntilItCompletes() {
        MockDevice.run(MockDevice.Setup.defaults().withTimeoutMs(TIMEOUT_MS), dev -> {
            Entity entity = dev.sched.entity();
            Job job = entity.submit();
            job.setTimedoutAnswer(MockScheduler.ANSWER_NO_HANG);	// before any time passes

            assertFalse(job.waitFinished(2 * TIMEOUT_MS), dev.why("finished without the hardware"));
            assertTrue(job.counts().timedout() >= 1, dev.why("the timeout never fired in two periods"));
            assertEquals(RUNNING, job.state(), dev.why("a false alarm leaves the job on the hardware"));

            assertEquals(1, dev.sched.advance(1), dev.why("the job is still on the hardware"));
            assertTrue(job.waitFinished(LONG_MS), dev.why());
            assertEquals(0, job.error(), dev.why());
            assertTrue(dev.await(() -> job.state() == FREED, LONG_MS), dev.why("free_job never called"));
            Counts c = job.counts();
            assertEquals(1, c.run(), dev.why());
            assertEquals(1, c.freed(), dev.why());
        }).assertClean();
    }

    @Test
    void timeoutAnsweredStopStartCancelsTheDroppedJobAndRunsTheNext() {
        // as ethosu: one credit; timedout_job stops the scheduler, the reset drops the running job
        // without signalling it, then drm_sched_start(sched, 0)
        MockDevice.run(MockDevice.Setup.defaults().withTimeoutMs(TIMEOUT_MS).withCreditLimit(1), dev -> {
            Entity entity = dev.sched.entity();
            Job hung = entity.submit(), next = entity.submit();
            hung.setTimedoutAnswer(MockScheduler.ANSWER_STOP_START);
            next.setTimedoutAnswer(MockScheduler.ANSWER_NO_HANG);	// the test, not its timeout, completes it

            assertTrue(hung.waitFinished(LONG_MS), dev.why("the timeout never fired"));
            assertEquals(-Errno.ECANCELED, hung.error(), dev.why("a job dropped by the reset finishes with -ECANCELED"));
            assertNull(dev.hwResult(hung), dev.why("its hardware fence stays unsignalled"));

            assertTrue(dev.await(() -> next.state() == RUNNING, LONG_MS),
                    dev.why("the next job did not run after drm_sched_start"));
            assertEquals(1, dev.sched.advance(1), dev.why("only the next job is on the hardware"));
            assertTrue(next.waitFinished(LONG_MS), dev.why());
            assertEquals(0, next.error(), dev.why());

            assertTrue(dev.await(() -> hung.state() == FREED && next.state() == FREED, LONG_MS), dev.why("not freed"));
            assertEquals(new Counts(1, 1, 1, 0), hung.counts(), dev.why());
            assertEquals(1, next.counts().run(), dev.why());
            assertEquals(1, next.counts().freed(), dev.why());
        }).assertClean();
    }
}
