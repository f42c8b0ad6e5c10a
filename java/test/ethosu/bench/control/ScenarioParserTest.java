// Bad scenario, schedule and baseline files get the file, the line and what was expected.
package ethosu.bench.control;

import ethosu.bench.hw.JobBehaviour;
import ethosu.bench.report.Baseline;
import ethosu.bench.scenario.Scenario;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ScenarioParserTest {
    @Test
    void builtInCatalogHasTheIssuesScenarios() {
        for (String n : new String[] {"two-jobs", "completion-vs-timeout", "hang-reset-next", "error-irq", "spurious-irq",
                "irq-thread-delayed", "entity-destroyed", "two-clients", "slow-progress"})
            assertNotNull(Catalog.get(n));
    }

    @Test
    void parsesBehavioursAndClients() {
        var s = ScenarioParser.parse("t.txt", """
                scenario x
                  about two clients
                  horizon 2s
                  npu u85
                  client
                    submit A complete 3ms
                    submit B spurious 10us slow 1ms 7ms
                  client
                    submit C hang
                    kill
                """).get(0);
        assertEquals("x", s.name());
        assertEquals("two clients", s.about());
        assertEquals(2_000_000_000L, s.horizonNs());
        assertEquals(ethosu.bench.hw.NpuVariant.U85, s.npu());
        assertEquals(3, s.jobCount());
        assertEquals(List.of(new Scenario.Job("A", JobBehaviour.complete(3_000_000)),
                new Scenario.Job("B", JobBehaviour.spuriousIrq(10_000, JobBehaviour.slowProgress(1_000_000, 7_000_000)))),
                s.clients().get(0).jobs());
        assertFalse(s.clients().get(0).killed());
        assertEquals(List.of(new Scenario.Job("C", JobBehaviour.hang())), s.clients().get(1).jobs());
        assertTrue(s.clients().get(1).killed());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "client|t.txt:1: expected 'scenario <name>' first",
        "scenario a\\nsubmit A complete|t.txt:2: expected 'client' before 'submit'",
        "scenario a\\nclient\\nsubmit A fly|t.txt:3: expected a behaviour",
        "scenario a\\nclient\\nsubmit A complete 5parsecs|t.txt:3: expected a duration",
        "scenario a\\nhorizon soon|t.txt:2: expected a duration with a unit",
        "scenario a\\nclient\\nsubmit A hang\\nsubmit A hang|t.txt:4: expected a new job name",
        "scenario a\\nnpu u99|t.txt:2: expected 'u65' or 'u85'",
        "scenario a\\nfrobnicate|t.txt:2: expected one of scenario",
        "scenario a|t.txt:1: scenario a: expected at least one client",
    })
    void badScenarioNamesFileLineAndExpectation(String text, String message) {
        var e = assertThrows(ScenarioParser.ScenarioFormatException.class,
                () -> ScenarioParser.parse("t.txt", text.replace("\\n", "\n")));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void badScheduleNamesFileLineAndExpectation() {
        var e = assertThrows(Schedule.ScheduleFormatException.class,
                () -> Schedule.parse(Path.of("s.schedule"), "# h\n0\tmain\tstart\n2\tmain\tx\n"));
        assertEquals("s.schedule:3: expected step 1, got 2", e.getMessage());
        e = assertThrows(Schedule.ScheduleFormatException.class, () -> Schedule.parse(Path.of("s.schedule"), "zero main x\n"));
        assertTrue(e.getMessage().startsWith("s.schedule:1: expected 'step<TAB>context<TAB>label'"), e.getMessage());
    }

    @Test
    void badBaselineNamesFileLineAndExpectation() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Baseline.parse("b.txt", "known x\n  variants *\n  check NOPE\n  match y\n"));
        assertTrue(e.getMessage().startsWith("b.txt:3: expected a check name"), e.getMessage());
    }
}
