// drm_sched_fini with a job still on the hardware, through the mock backend, after the kernel's
// drm_sched_cancel KUnit suite: with ops->cancel_job the job is cancelled and freed; without (ethosu), left.
package ethosu.bench.shim;

import ethosu.bench.bindings.MockScheduler.Entity;
import ethosu.bench.bindings.MockScheduler.Job;
import ethosu.bench.check.Errno;
import ethosu.bench.check.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static ethosu.bench.bindings.MockScheduler.State.*;
import static ethosu.bench.shim.MockDevice.LONG_MS;
import static org.junit.jupiter.api.Assertions.*;

class SchedulerTeardownTest {
    @Test
    void teardownWithJobInFlightCancelsItThroughCancelJob() {
        Job[] job = new Job[1];
        MockDevice dev = MockDevice.run(MockDevice.Setup.defaults(), d -> {
            Entity entity = d.sched.entity();
            job[0] = entity.submit();
            assertTrue(d.await(() -> job[0].state() == RUNNING, LONG_MS), d.why("never ran"));

            entity.destroy(false);	// its queue is empty: the job is on the hardware
            d.fini();
        });
        dev.assertClean();	// teardown: no leak
        // the mock's jobs are gone with it: what happened is in the events
        assertEquals(-Errno.ECANCELED, dev.hwResult(job[0]), dev.why("cancel_job fails the hardware fence"));
        assertEquals(-Errno.ECANCELED, dev.result(job[0]), dev.why());
        assertTrue(dev.freed(job[0]), dev.why("drm_sched_fini frees a cancelled job"));
        assertFalse(dev.logged("Tearing down scheduler while jobs are pending"), dev.why());
    }

    @Test
    void teardownWithJobInFlightAndNoCancelJobWarnsAndLeaksIt() {
        Job[] job = new Job[1];
        MockDevice dev = MockDevice.run(MockDevice.Setup.defaults().withoutCancelJob(), d -> {
            Entity entity = d.sched.entity();
            job[0] = entity.submit();
            assertTrue(d.await(() -> job[0].state() == RUNNING, LONG_MS), d.why("never ran"));
            d.fini();
        });
        dev.rethrow();
        assertTrue(dev.logged("Tearing down scheduler while jobs are pending!"), dev.why());
        assertNull(dev.result(job[0]), dev.why("nothing completes a job left pending"));
        assertNull(dev.hwResult(job[0]), dev.why());
        assertFalse(dev.freed(job[0]), dev.why());
        assertFalse(dev.findings(Finding.Check.LEAK).isEmpty(), dev.why("the pending job's fences and memory leak"));
        assertEquals(List.of(), dev.findings().stream().filter(f -> f.check() != Finding.Check.LEAK).toList(),
                dev.why("nothing but leaks"));
    }
}
