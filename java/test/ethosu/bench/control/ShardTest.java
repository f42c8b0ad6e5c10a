// An exploration split into N parts (--shard K/N) and put together again (`merge`) is the exploration
// one machine does: the same schedules (each in exactly one part), the bound exhausted, the same
// findings and outcomes; a part missing or given twice makes the merge say so and fail.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.cli.Main;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.control.strategy.Pct;
import ethosu.bench.report.SessionResult;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

public class ShardTest {
    static Set<String> identities(Explorer.Result r) {
        Set<String> s = new TreeSet<>();
        r.found().forEach(f -> s.add(f.identity()));
        return s;
    }

    /** Bounded DFS (with and without reduction) in 3 parts: every schedule in exactly one, the same findings. */
    @Test
    void dfsPartsTogetherAreTheWholeSearch() {
        EthosuLibrary lib = EthosuLibrary.load("lockless");
        for (String name : List.of("two-jobs", "spurious-irq"))
            for (boolean reduce : new boolean[] {false, true}) {
                Scenario sc = Catalog.get(name);
                Explorer.Budget budget = new Explorer.Budget(100_000, 300_000);
                Set<String> wholeOutcomes = new TreeSet<>(), partOutcomes = new TreeSet<>();
                Explorer.Result whole = Explorer.explore(lib, sc, new BoundedDfs(1, reduce, 0, 1), budget, f -> false, null,
                        0, (i, run, s) -> wholeOutcomes.add(String.valueOf(run.outcome())));
                long schedules = 0;
                Set<String> found = new TreeSet<>();
                for (int k = 0; k < 3; k++) {
                    Explorer.Result part = Explorer.explore(lib, sc, new BoundedDfs(1, reduce, k, 3), budget, f -> false,
                            null, 0, (i, run, s) -> partOutcomes.add(String.valueOf(run.outcome())));
                    assertTrue(part.exhausted(), name + " part " + k + " of 3 not exhausted");
                    assertTrue(part.schedules() > 0, name + " part " + k + " of 3 explored nothing");
                    schedules += part.schedules();
                    found.addAll(identities(part));
                }
                String what = name + (reduce ? " (reduced)" : " (plain)");
                assertTrue(whole.exhausted(), what);
                assertEquals(whole.schedules(), schedules, what + ": the parts' schedules add up to the whole's");
                assertEquals(identities(whole), found, what + ": the parts find what the whole finds");
                assertEquals(wholeOutcomes, partOutcomes, what + ": the parts reach the outcomes the whole reaches");
            }
    }

    /** PCT in 3 parts runs schedules 0..budget-1 between them, each once: the same schedules, the same findings. */
    @Test
    void pctPartsTogetherAreTheWholeSample() {
        EthosuLibrary lib = EthosuLibrary.load("lockless");
        Scenario sc = Catalog.get("two-jobs");
        Explorer.Budget budget = new Explorer.Budget(40, 300_000);
        Explorer.Result whole = Explorer.explore(lib, sc, new Pct(1, 3, 400, 40), budget, false);
        long schedules = 0;
        Set<String> found = new TreeSet<>();
        for (int k = 0; k < 3; k++) {
            Explorer.Result part = Explorer.explore(lib, sc, new Pct(1, 3, 400, 40, k, 3), budget, false);
            schedules += part.schedules();
            found.addAll(identities(part));
        }
        assertEquals(40, whole.schedules());
        assertEquals(whole.schedules(), schedules);
        assertEquals(identities(whole), found);
    }

    public static int cli(String... args) {
        return cli(new ByteArrayOutputStream(), args);
    }

    /** As above, what the command printed kept in out. */
    public static int cli(ByteArrayOutputStream out, String... args) {
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return Main.execute(args);
        } finally {
            System.setOut(old);
        }
    }

    /** The command line: `explore --shard K/3 --json` three times, `merge` of the three, against one `explore --json`. */
    @Test
    void mergedShardFilesEqualOneRun(@TempDir Path dir) throws Exception {
        List<String> common = List.of("explore", "--variant", "lockless", "--scenario", "two-jobs", "--strategy", "dfs:1",
                "--budget", "100000", "--no-minimize", "--cpu", "-1", "--save", dir.resolve("findings").toString());
        List<String> whole = new ArrayList<>(common);
        whole.addAll(List.of("--json", dir.resolve("whole.json").toString()));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        cli(printed, whole.toArray(String[]::new));
        // what the sleep sets saved, as the worker counted it
        assertTrue(printed.toString(StandardCharsets.UTF_8).matches("(?s).*\n  reduction: [1-9]\\d* option\\(s\\) not run .*"),
                printed.toString(StandardCharsets.UTF_8));
        List<String> merge = new ArrayList<>(List.of("merge", "--json", dir.resolve("merged.json").toString()));
        for (int k = 0; k < 3; k++) {
            List<String> part = new ArrayList<>(common);
            part.addAll(List.of("--shard", k + "/3", "--json", dir.resolve("part" + k + ".json").toString()));
            cli(part.toArray(String[]::new));
            merge.add(dir.resolve("part" + k + ".json").toString());
        }
        int status = cli(merge.toArray(String[]::new));
        SessionResult.Task a = SessionResult.read(dir.resolve("whole.json")).tasks().get(0);
        SessionResult.Task b = SessionResult.read(dir.resolve("merged.json")).tasks().get(0);
        assertNull(b.problem());
        assertEquals(a.schedules(), b.schedules());
        assertTrue(a.exhausted());
        assertTrue(b.exhausted());
        assertEquals(ids(a), ids(b));
        assertFalse(a.outcomes().isEmpty());
        assertEquals(outcomes(a), outcomes(b), "the merged parts reach the outcomes the whole run reaches");
        assertEquals(1, b.shards(), "the merged task is whole");
        // lockless's findings at bound 1 are known ones: a complete merge is green
        assertEquals(0, status);

        // one part missing: the merge is incomplete, not exhausted, and fails
        int missing = cli("merge", "--json", dir.resolve("two.json").toString(), dir.resolve("part0.json").toString(),
                dir.resolve("part2.json").toString());
        SessionResult.Task c = SessionResult.read(dir.resolve("two.json")).tasks().get(0);
        assertEquals(1, missing);
        assertFalse(c.exhausted());
        assertTrue(c.problem().contains("[1]"), c.problem());

        // one part twice: as bad
        int twice = cli("merge", "--json", dir.resolve("dup.json").toString(), dir.resolve("part0.json").toString(),
                dir.resolve("part1.json").toString(), dir.resolve("part1.json").toString(),
                dir.resolve("part2.json").toString());
        SessionResult.Task d = SessionResult.read(dir.resolve("dup.json")).tasks().get(0);
        assertEquals(1, twice);
        assertFalse(d.exhausted());
        assertTrue(d.problem().contains("twice"), d.problem());
    }

    public static Set<String> outcomes(SessionResult.Task t) {
        Set<String> s = new TreeSet<>();
        t.outcomes().forEach(o -> s.add(o.outcome()));
        return s;
    }

    public static Set<String> ids(SessionResult.Task t) {
        Set<String> s = new TreeSet<>();
        t.findings().forEach(f -> s.add(f.identity()));
        return s;
    }
}
