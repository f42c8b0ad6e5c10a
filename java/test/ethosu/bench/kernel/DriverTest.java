// The driver's behaviour through the full pipeline (ioctl, scheduler, fake NPU, IRQ thread) on both
// real variants: submit errors, hang and reset, error IRQ, slow progress, spurious IRQs.
package ethosu.bench.kernel;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Errno;
import ethosu.bench.check.Finding;
import ethosu.bench.hw.JobBehaviour;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

class DriverTest {
    static final long HORIZON = 10_000_000_000L;

    static Device device(String variant) {
        return new Device(EthosuLibrary.load(variant), Device.Options.defaults().withTimeScale(10));
    }

    static List<Finding> findings(Device d, Finding.Check check) {
        return d.checker.findings().stream().filter(f -> f.check() == check).toList();
    }

    static String describe(Device d) {
        return d.report();
    }

    /** Submits one job per behaviour, in order, from one client; waits for all. */
    static long[] runJobs(Device d, JobBehaviour... behaviours) {
        long[] ids = new long[behaviours.length];
        try (Client c = d.openClient()) {
            for (int i = 0; i < behaviours.length; i++) {
                int bo = c.createCmdBo(Client.Stream.simple(8));
                ids[i] = c.dmaAddr(bo);
                d.npu().setBehaviour(ids[i], behaviours[i]);
            }
            for (int i = 0; i < behaviours.length; i++) {
                int bo = i + 1;
                assertEquals(0, c.submit(Client.JobArgs.of(bo)), "submit " + i);
            }
            assertTrue(d.awaitJobs(HORIZON), "jobs did not finish:\n" + describe(d));
        }
        return ids;
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless"})
    void jobsCompleteInOrder(String variant) {
        Device d = device(variant);
        long[] ids = runJobs(d, JobBehaviour.complete(100_000), JobBehaviour.complete(50_000), JobBehaviour.complete(10_000));
        d.close();
        for (long id : ids) assertEquals(0, d.checker.results().get(id), describe(d));
        assertEquals(List.of(), d.checker.findings(), describe(d));
        assertEquals(3, d.npu().completions().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless"})
    void hangResetsAndNextJobRuns(String variant) {
        Device d = device(variant);
        long[] ids = runJobs(d, JobBehaviour.hang(), JobBehaviour.complete(100_000));
        d.close();
        assertEquals(-Errno.ECANCELED, d.checker.results().get(ids[0]), describe(d));
        assertEquals(0, d.checker.results().get(ids[1]), describe(d));
        assertTrue(d.trace.contains("NPU sched timed out: NPU running"), describe(d));
        assertTrue(d.npu().resets() >= 2, "first power-up reset plus the timeout's");
        assertEquals(List.of(), d.checker.findings(), describe(d));
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless"})
    void errorIrqFaultsAndResets(String variant) {
        Device d = device(variant);
        long[] ids = runJobs(d, JobBehaviour.busError(100_000), JobBehaviour.parseError(100_000),
                JobBehaviour.complete(100_000));
        d.close();
        assertEquals(-Errno.ECANCELED, d.checker.results().get(ids[0]), describe(d));
        assertEquals(-Errno.ECANCELED, d.checker.results().get(ids[1]), describe(d));
        assertEquals(0, d.checker.results().get(ids[2]), describe(d));
        assertTrue(d.trace.contains("Error IRQ - "), describe(d));
        assertEquals(List.of(), d.checker.findings(), describe(d));
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless"})
    void slowProgressIsNoHangAndCompletes(String variant) {
        Device d = device(variant);
        // QREAD moves every 10 ms; the job takes 1.2 s, longer than two 500 ms timeouts
        long[] ids = runJobs(d, JobBehaviour.slowProgress(10_000_000, 1_200_000_000));
        d.close();
        assertEquals(0, d.checker.results().get(ids[0]), describe(d));
        assertFalse(d.trace.contains("NPU sched timed out"), describe(d));
        assertEquals(List.of(), d.checker.findings(), describe(d));
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless"})
    void spuriousIrqIsHarmless(String variant) {
        Device d = device(variant);
        // the spurious pulse comes 1 ms into a job that then hangs: far from any other interrupt
        long[] ids = runJobs(d, JobBehaviour.spuriousIrq(1_000_000, JobBehaviour.hang()),
                JobBehaviour.complete(10_000));
        var counters = d.counters();
        d.close();
        assertEquals(-Errno.ECANCELED, d.checker.results().get(ids[0]), describe(d));
        assertEquals(0, d.checker.results().get(ids[1]), describe(d));
        assertTrue(counters.spuriousIrqs() >= 1, "the spurious IRQ was answered IRQ_NONE");
        assertEquals(List.of(), d.checker.findings(), describe(d));
    }

    @org.junit.jupiter.api.Test
    void twoDevicesRunInParallel() throws Exception {
        Device a = device("locked"), b = device("lockless");
        Thread ta = new Thread(() -> runJobs(a, JobBehaviour.complete(10_000), JobBehaviour.complete(10_000),
                JobBehaviour.hang(), JobBehaviour.complete(10_000)));
        Thread tb = new Thread(() -> runJobs(b, JobBehaviour.complete(10_000), JobBehaviour.busError(10_000),
                JobBehaviour.complete(10_000)));
        ta.start();
        tb.start();
        ta.join();
        tb.join();
        a.close();
        b.close();
        assertEquals(4, a.checker.results().size());
        assertEquals(3, b.checker.results().size());
        assertEquals(List.of(), a.checker.findings(), describe(a));
        assertEquals(List.of(), b.checker.findings(), describe(b));
        assertNotEquals(a.registers().path(), b.registers().path());
    }
}
