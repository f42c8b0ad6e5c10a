// The driver's behaviour through the full pipeline (ioctl, scheduler, fake NPU, IRQ thread) on both
// real variants, in C and in the Java model: completions in order, hang and reset, error IRQ, slow
// progress, spurious IRQs. Each runs under the controlled platform with the default scheduler, in
// virtual time: a 500 ms timeout is 500 ms of the device's clock however busy the machine is.
package ethosu.bench.kernel;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Errno;
import ethosu.bench.control.Runs;
import ethosu.bench.control.strategy.DefaultScheduler;
import ethosu.bench.hw.JobBehaviour;
import ethosu.bench.report.TraceText;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DriverTest {
    /** A run and the ids of its jobs, in submit order. */
    record Jobs(RunResult run, long[] ids) {
        Integer result(int i) {
            return run.results().get(ids[i]);
        }
    }

    static String describe(RunResult r) {
        StringBuilder sb = new StringBuilder("\nfindings:\n");
        r.findings().forEach(f -> sb.append("  ").append(f).append('\n'));
        sb.append("trace:\n");
        List<String> lines = TraceText.lines(r.trace(), r.names());
        lines.subList(Math.max(0, lines.size() - 300), lines.size()).forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.toString();
    }

    /** One client submits one job per behaviour (jobs A, B, ...), in order; the run goes to its end. */
    static Jobs runJobs(String variant, JobBehaviour... behaviours) {
        return runJobs(variant, Harness.Setup.defaults(), behaviours);
    }

    static Jobs runJobs(String variant, Harness.Setup setup, JobBehaviour... behaviours) {
        long[] ids = new long[behaviours.length];
        Harness.ClientScript client = (h, c) -> {
            int[] bos = new int[behaviours.length];
            for (int i = 0; i < behaviours.length; i++) {
                bos[i] = c.file().createCmdBo(Client.Stream.simple(8));
                ids[i] = c.file().dmaAddr(bos[i]);
                h.npu().setBehaviour(ids[i], behaviours[i]);
                h.nameJob(ids[i], String.valueOf((char) ('A' + i)));
            }
            for (int i = 0; i < behaviours.length; i++)
                assertEquals(0, c.file().submit(Client.JobArgs.of(bos[i])), "submit " + i);
        };
        RunResult r = Runs.run(SubmitErrorsTest.engine(variant), setup, new DefaultScheduler(), null,
                List.of(client), null, null).result();
        r.rethrowFailures();
        assertEquals(RunResult.End.ENDED, r.end(), describe(r));
        return new Jobs(r, ids);
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void jobsCompleteInOrder(String variant) {
        Jobs j = runJobs(variant, JobBehaviour.complete(100_000), JobBehaviour.complete(50_000), JobBehaviour.complete(10_000));
        for (int i = 0; i < 3; i++) assertEquals(0, j.result(i), describe(j.run()));
        assertEquals(List.of(), j.run().findings(), describe(j.run()));
        assertEquals(List.of(j.ids()[0], j.ids()[1], j.ids()[2]), j.run().npu().completions(), describe(j.run()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void hangResetsAndNextJobRuns(String variant) {
        Jobs j = runJobs(variant, JobBehaviour.hang(), JobBehaviour.complete(100_000));
        assertEquals(-Errno.ECANCELED, j.result(0), describe(j.run()));
        assertEquals(0, j.result(1), describe(j.run()));
        assertTrue(j.run().logged("NPU sched timed out: NPU running"), describe(j.run()));
        assertTrue(j.run().npu().resets() >= 2, "first power-up reset plus the timeout's");
        assertEquals(List.of(), j.run().findings(), describe(j.run()));
    }

    /**
     * A scenario whose horizon (100 ms) ends before the hung job's 500 ms timeout: the job has not
     * finished when the scenario is over, which is the liveness check's finding; the teardown then
     * lets the timeout cancel and free it, so nothing else is reported.
     */
    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless"})
    void hungJobUnfinishedAtTheHorizonIsALivenessFinding(String variant) {
        Jobs j = runJobs(variant, Harness.Setup.defaults().withHorizon(100_000_000L), JobBehaviour.hang());
        assertEquals(1, j.run().findings().size(), describe(j.run()));
        var f = j.run().findings().get(0);
        assertEquals(ethosu.bench.check.Finding.Check.LIVENESS, f.check(), describe(j.run()));
        assertEquals("job A never finished within the horizon (ran, its finished fence never signalled)", f.text());
        assertEquals(-Errno.ECANCELED, j.result(0), "the teardown's timeout cancelled it\n" + describe(j.run()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void errorIrqFaultsAndResets(String variant) {
        Jobs j = runJobs(variant, JobBehaviour.busError(100_000), JobBehaviour.parseError(100_000),
                JobBehaviour.complete(100_000));
        assertEquals(-Errno.ECANCELED, j.result(0), describe(j.run()));
        assertEquals(-Errno.ECANCELED, j.result(1), describe(j.run()));
        assertEquals(0, j.result(2), describe(j.run()));
        assertTrue(j.run().logged("Error IRQ - "), describe(j.run()));
        assertEquals(List.of(), j.run().findings(), describe(j.run()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void slowProgressIsNoHangAndCompletes(String variant) {
        // QREAD moves every 10 ms; the job takes 1.2 s, longer than two 500 ms timeouts
        Jobs j = runJobs(variant, JobBehaviour.slowProgress(10_000_000, 1_200_000_000));
        assertEquals(0, j.result(0), describe(j.run()));
        assertFalse(j.run().logged("NPU sched timed out"), describe(j.run()));
        assertTrue(j.run().trace().any(e -> e instanceof ethosu.bench.event.CallEnd c
                && c.call() == ethosu.bench.event.Call.TIMEDOUT_JOB), "the timeout fired and found progress");
        assertEquals(List.of(), j.run().findings(), describe(j.run()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void spuriousIrqIsHarmless(String variant) {
        // the spurious pulse comes 1 ms into a job that then hangs: far from any other interrupt
        Jobs j = runJobs(variant, JobBehaviour.spuriousIrq(1_000_000, JobBehaviour.hang()), JobBehaviour.complete(10_000));
        assertEquals(-Errno.ECANCELED, j.result(0), describe(j.run()));
        assertEquals(0, j.result(1), describe(j.run()));
        assertTrue(j.run().counters().spuriousIrqs() >= 1, "the spurious IRQ was answered IRQ_NONE");
        assertEquals(List.of(), j.run().findings(), describe(j.run()));
    }

    @org.junit.jupiter.api.Test
    void twoDevicesRunInParallel() throws Exception {
        Jobs[] out = new Jobs[2];
        Thread ta = new Thread(() -> out[0] = runJobs("locked", JobBehaviour.complete(10_000), JobBehaviour.complete(10_000),
                JobBehaviour.hang(), JobBehaviour.complete(10_000)));
        Thread tb = new Thread(() -> out[1] = runJobs("lockless", JobBehaviour.complete(10_000), JobBehaviour.busError(10_000),
                JobBehaviour.complete(10_000)));
        ta.start();
        tb.start();
        ta.join();
        tb.join();
        assertNotNull(out[0], "the locked run failed");
        assertNotNull(out[1], "the lockless run failed");
        assertEquals(4, out[0].run().results().size());
        assertEquals(3, out[1].run().results().size());
        assertEquals(List.of(), out[0].run().findings(), describe(out[0].run()));
        assertEquals(List.of(), out[1].run().findings(), describe(out[1].run()));
        assertNotEquals(out[0].run().npu().registers().path(), out[1].run().npu().registers().path());
    }
}
