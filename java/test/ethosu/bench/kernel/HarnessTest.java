// The one harness keeps its promises on both platforms: the end-of-run checks run on the
// free-running path as on the controlled one, a script's own failure is a bench finding (and kept for
// the test that wrote it), and a run that reaches its step limit says so.
package ethosu.bench.kernel;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Errno;
import ethosu.bench.check.Finding;
import ethosu.bench.control.Controlled;
import ethosu.bench.control.Runs;
import ethosu.bench.control.strategy.DefaultScheduler;
import ethosu.bench.hw.JobBehaviour;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class HarnessTest {
    static Harness.ClientScript oneJob(JobBehaviour b) {
        return (h, c) -> {
            int bo = c.file().createCmdBo(Client.Stream.simple(4));
            assertTrue(bo > 0, "command BO: " + bo);
            long id = c.file().dmaAddr(bo);
            h.npu().setBehaviour(id, b);
            h.nameJob(id, "A");
            assertEquals(0, c.file().submit(Client.JobArgs.of(bo)));
        };
    }

    /**
     * Free-running, real time: the scenario's horizon (100 ms, counted from the client's return)
     * is over 400 ms before the hung job's timeout; the liveness check fires as under control, and
     * the teardown waits for the timeout to cancel and free the job.
     */
    @Test
    void endOfRunChecksRunOnTheFreeRunningPlatformToo() {
        Harness h = new Harness(EthosuLibrary.load("locked"), Harness.Setup.defaults().withHorizon(100_000_000L),
                new FreeRunning(1, 0));
        RunResult r = h.run(null, List.of(oneJob(JobBehaviour.hang())), 120_000);
        r.rethrowFailures();
        assertEquals(List.of(Finding.Check.LIVENESS), r.findings().stream().map(Finding::check).toList(),
                DriverTest.describe(r));
        assertEquals(-Errno.ECANCELED, r.results().values().iterator().next(), DriverTest.describe(r));
    }

    /**
     * Free-running, a client that does not return while nothing happens for the stall bound (here
     * 200 ms): the run is abandoned as it stands (the device is not torn down under the client) and
     * the context left blocked is reported. (The client here sleeps in Java; one blocked in the
     * library for good, as a freed lock's waiters are, ends the same way.)
     */
    @Test
    void aClientThatDoesNotReturnAbandonsTheFreeRunningRunWithoutTearingDown() {
        Harness h = new Harness(EthosuLibrary.load("locked"), Harness.Setup.defaults().withHorizon(1_000_000L),
                new FreeRunning(1, 0, 200));
        RunResult r = h.run(null, List.of((hh, c) -> Thread.sleep(2_000)), 120_000);
        assertEquals(RunResult.End.ABANDONED, r.end(), DriverTest.describe(r));
        assertEquals(List.of(Finding.Check.DEADLOCK), r.findings().stream().map(Finding::check).toList(),
                DriverTest.describe(r));
        assertTrue(r.findings().get(0).text().startsWith("a client did not return"), r.findings().get(0).text());
    }

    @Test
    void aClientScriptThatThrowsIsABenchFindingAndItsFailureIsKept() {
        RuntimeException boom = new IllegalStateException("the script's own bug");
        RunResult r = Runs.run(EthosuLibrary.load("locked"), Harness.Setup.defaults(), new DefaultScheduler(), null,
                List.of((h, c) -> {
                    throw boom;
                }), null, null).result();
        assertEquals(List.of(boom), r.failures());
        assertEquals(1, r.findings().size(), DriverTest.describe(r));
        Finding f = r.findings().get(0);
        assertEquals(Finding.Check.BENCH, f.check());
        assertEquals("client-0", f.context());
        assertThrows(IllegalStateException.class, r::rethrowFailures);
    }

    @Test
    void aRunThatReachesItsStepLimitSaysSoAndStillEnds() {
        Runs.Run run = Runs.run(EthosuLibrary.load("locked"), Harness.Setup.defaults(),
                new Controlled(new DefaultScheduler(), 50), null, List.of(oneJob(JobBehaviour.complete(10_000))), null);
        RunResult r = run.result();
        assertEquals(RunResult.End.STEP_LIMIT, r.end(), DriverTest.describe(r));
        assertTrue(run.schedule().size() > 50, "past the limit the run goes on with default decisions");
        assertEquals(List.of(), r.findings(), DriverTest.describe(r));
        assertEquals(0, r.results().values().iterator().next());
    }
}
