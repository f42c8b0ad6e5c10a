// drm_sched_fini with a job still on the hardware, through the mock backend, after the kernel's
// drm_sched_cancel KUnit suite: with ops->cancel_job the job is cancelled and freed; without (ethosu), left.
package ethosu.bench.shim;

import ethosu.bench.bindings.MockScheduler.Entity;
import ethosu.bench.bindings.MockScheduler.Job;
import ethosu.bench.check.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static ethosu.bench.bindings.MockScheduler.State.*;
import static org.junit.jupiter.api.Assertions.*;

class SchedulerTeardownTest {
    private MockDevice dev;
    private boolean leaksExpected;

    @AfterEach
    void tearDown() {
        if (dev == null) return;
        dev.close();
        if (!leaksExpected)
            assertEquals(List.of(), dev.findings(), dev.why("findings"));
    }

    @Test
    void teardownWithJobInFlightCancelsItThroughCancelJob() {
        dev = MockDevice.start(MockDevice.Setup.defaults());
        Entity entity = dev.sched.entity();
        Job job = entity.submit();
        assertTrue(MockDevice.await(() -> job.state() == RUNNING, 1000), dev.why("never ran"));

        entity.destroy(false);	// its queue is empty: the job is on the hardware
        dev.sched.fini();

        // the mock's jobs are gone with it: what happened is in the events
        assertEquals(-Errno.ECANCELED, dev.hwResult(job), dev.why("cancel_job fails the hardware fence"));
        assertEquals(-Errno.ECANCELED, dev.result(job), dev.why());
        assertTrue(dev.freed(job), dev.why("drm_sched_fini frees a cancelled job"));
        assertFalse(dev.logContains("Tearing down scheduler while jobs are pending"), dev.why());
        // teardown: no leak
    }

    @Test
    void teardownWithJobInFlightAndNoCancelJobWarnsAndLeaksIt() {
        dev = MockDevice.start(MockDevice.Setup.defaults().withoutCancelJob());
        Entity entity = dev.sched.entity();
        Job job = entity.submit();
        assertTrue(MockDevice.await(() -> job.state() == RUNNING, 1000), dev.why("never ran"));

        dev.sched.fini();
        dev.close();
        leaksExpected = true;

        assertTrue(dev.logContains("Tearing down scheduler while jobs are pending!"), dev.why());
        assertNull(dev.result(job), dev.why("nothing completes a job left pending"));
        assertNull(dev.hwResult(job), dev.why());
        assertFalse(dev.freed(job), dev.why());
        assertFalse(dev.findings("LEAK").isEmpty(), dev.why("the pending job's fences and memory leak"));
        assertEquals(List.of(), dev.findings().stream().filter(f -> !f.kind().equals("LEAK")).toList(),
                dev.why("nothing but leaks"));
    }
}
