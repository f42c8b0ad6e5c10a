// `explore --json` says what was explored whichever engine ran it: the model's session result
// carries its task (schedules, bound, findings, outcomes) and the differential one its comparison.
package ethosu.bench.cli;

import ethosu.bench.control.ShardTest;
import ethosu.bench.report.SessionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ModelJsonTest {
    static List<String> explore(Path dir, String json, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("explore", "--variant", "lockless", "--scenario", "two-jobs",
                "--strategy", "dfs:1", "--budget", "100000", "--no-minimize", "--cpu", "-1",
                "--save", dir.resolve("findings").toString(), "--json", dir.resolve(json).toString()));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void theModelsExplorationIsWrittenAsTheCsIs(@TempDir Path dir) throws Exception {
        ShardTest.cli(explore(dir, "c.json").toArray(String[]::new));
        ShardTest.cli(explore(dir, "model.json", "--engine", "model").toArray(String[]::new));
        SessionResult.Task c = SessionResult.read(dir.resolve("c.json")).tasks().get(0);
        SessionResult.Task m = SessionResult.read(dir.resolve("model.json")).tasks().get(0);
        assertEquals("lockless", m.variant());
        assertEquals("two-jobs", m.scenario());
        assertEquals(Integer.valueOf(1), m.bound());
        assertTrue(m.exhausted(), "the model exhausts bound 1");
        assertTrue(m.schedules() > 0);
        assertFalse(m.outcomes().isEmpty());
        assertEquals(ShardTest.outcomes(c), ShardTest.outcomes(m), "the model reaches the outcomes the C reaches");
        assertEquals(ShardTest.ids(c), ShardTest.ids(m), "and finds what the C finds");
        for (var f : m.findings()) assertTrue(Files.isRegularFile(Path.of(f.schedule())), f.schedule());
    }

    @Test
    void theDifferentialExplorationIsWrittenAsAComparison(@TempDir Path dir) throws Exception {
        int status = ShardTest.cli(explore(dir, "diff.json", "--differential").toArray(String[]::new));
        SessionResult r = SessionResult.read(dir.resolve("diff.json"));
        assertEquals(1, r.differential().size(), "one comparison");
        SessionResult.Compared d = r.differential().get(0);
        assertEquals("lockless", d.variant());
        assertTrue(d.exhausted());
        assertTrue(d.schedules() > 0);
        assertEquals(0, d.divergences(), "C and model agree at bound 1");
        assertEquals(0, status);
    }
}
