// Forced failures at kernel interfaces (scenario `fail` lines, --fail) and the check of what the
// driver's entry points return: an error after a forced failure is expected, any other is a finding.
package ethosu.bench.kernel;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.control.Runs;
import ethosu.bench.control.strategy.DefaultScheduler;
import ethosu.bench.event.FaultInjected;
import ethosu.bench.scenario.FaultSpec;
import ethosu.bench.scenario.Scenario;
import ethosu.bench.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ForcedFailureTest {
    private static Scenario oneJob(String failLine) {
        return ScenarioParser.parse("ForcedFailureTest", "scenario one-job\n  client\n    submit A complete\n"
                + (failLine.isEmpty() ? "" : "  " + failLine + "\n")).get(0);
    }

    private static Runs.Run run(Scenario sc) {
        DefaultScheduler d = new DefaultScheduler();
        d.nextSchedule();
        return Runs.run(EthosuLibrary.load("locked"), sc, d);
    }

    @Test
    void aScenarioFailLineIsParsedAndArmed() {
        Scenario sc = oneJob("fail alloc");
        assertEquals(List.of(new FaultSpec(FaultSpec.Fault.ALLOC, 1, null)), sc.faults());
        Runs.Run r = run(sc);
        assertTrue(r.result().trace().any(e -> e instanceof FaultInjected f
                        && f.fault() == FaultSpec.Fault.ALLOC.value),
                () -> "the armed allocation failure fired:\n" + DriverTest.describe(r.result()) + "\n"
                        + r.schedule().format("schedule"));
    }

    @Test
    void anErrorAfterAForcedFailureIsExpectedNotAFinding() {
        Runs.Run r = run(oneJob("fail alloc"));
        for (Finding f : r.result().findings())
            assertFalse(f.check() == Finding.Check.BENCH || f.check() == Finding.Check.SUBMIT_ACCEPTED
                            || f.check() == Finding.Check.KERNEL_CONVENTION,
                    f + "\n" + r.schedule().format("schedule"));
    }

    @Test
    void aRefusedCallWithoutAForcedFailureAndANonErrnoReturnAreFindings() {
        DefaultScheduler d = new DefaultScheduler();
        d.nextSchedule();
        RunResult r = Runs.run(EthosuLibrary.load("locked"), Harness.Setup.defaults(), d, h -> {
            int id = KernelContext.MAIN.id;
            assertFalse(h.returned(id, "a submit", -13, h.faultMark(id), Finding.Check.SUBMIT_ACCEPTED));
            assertFalse(h.returned(id, "an ioctl", 1, h.faultMark(id), Finding.Check.SUBMIT_ACCEPTED));
            assertTrue(h.returned(id, "a call", 0, h.faultMark(id), Finding.Check.SUBMIT_ACCEPTED));
        }, List.of(), null, null).result();
        r.rethrowFailures();
        List<Finding.Check> checks = r.findings().stream().map(Finding::check).toList();
        assertEquals(List.of(Finding.Check.SUBMIT_ACCEPTED, Finding.Check.KERNEL_CONVENTION), checks,
                DriverTest.describe(r));
        assertTrue(r.findings().get(0).text().contains("-EACCES"), r.findings().get(0).text());
    }
}
