// The controlled platform's promises, per variant x scenario: small scenarios explored exhaustively
// within a bound; every finding a real variant shows is in the reviewed baseline; schedules replay
// to identical traces; the minimiser shrinks; the deadlock detector fires.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.control.strategy.Pct;
import ethosu.bench.control.strategy.Replay;
import ethosu.bench.kernel.Harness;
import ethosu.bench.kernel.RunResult;
import ethosu.bench.report.TraceText;
import ethosu.bench.report.Baseline;
import ethosu.bench.scenario.Catalog;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class ExplorationTest {
    static final Path BASELINE = Path.of("baseline/known-findings.txt");

    static String describe(Explorer.Result r) {
        StringBuilder sb = new StringBuilder(r.variant() + " x " + r.scenario() + " " + r.strategy() + ": " + r.schedules()
                + " schedules, exhausted " + r.exhausted() + "\n");
        for (Explorer.Found f : r.found()) {
            sb.append("  ").append(f.finding()).append('\n');
            sb.append(f.schedule().format("schedule")).append('\n');
        }
        return sb.toString();
    }

    /**
     * Exhaustive within preemption bound 1 for the small scenarios, on both real variants: the
     * bound is exhausted within the budget, and every finding is a known one of the driver.
     */
    @TestFactory
    Stream<DynamicTest> realVariantsExhaustedAtBoundOne() throws Exception {
        Baseline baseline = Baseline.load(BASELINE);
        List<DynamicTest> tests = new ArrayList<>();
        for (String v : List.of("locked", "lockless"))
            for (String sc : List.of("two-jobs", "spurious-irq", "two-clients"))
                tests.add(DynamicTest.dynamicTest(v + " x " + sc, () -> {
                    Explorer.Result r = Explorer.explore(EthosuLibrary.load(v), Catalog.get(sc), new BoundedDfs(1),
                            new Explorer.Budget(5_000, 120_000), false);
                    assertTrue(r.exhausted(), "bound 1 not exhausted: " + describe(r));
                    assertNull(r.problem(), describe(r));
                    for (Explorer.Found f : r.found())
                        assertNotNull(baseline.match(v, f.finding()), "not in the baseline: " + f.finding() + "\n" + describe(r));
                }));
        return tests.stream();
    }

    /**
     * Every baseline schedule replays five times to the same trace, and shows its finding. An entry
     * that needs a sanitizer is replayed on a sanitizer build by SanitizerTest instead.
     */
    @TestFactory
    Stream<DynamicTest> baselineSchedulesReplayIdentically() throws Exception {
        Baseline baseline = Baseline.load(BASELINE);
        List<DynamicTest> tests = new ArrayList<>();
        for (Baseline.Entry e : baseline.entries()) {
            if (e.schedule() == null || e.sanitizer() != null) continue;
            tests.add(DynamicTest.dynamicTest(e.id(), () -> {
                Path p = Path.of(e.schedule());
                Schedule s = Schedule.read(p);
                String variant = header(p, "variant"), scenario = header(p, "scenario");
                List<List<String>> traces = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    var replay = new Replay(s);
                    replay.nextSchedule();
                    RunResult r = Runs.run(EthosuLibrary.load(variant), Catalog.get(scenario), replay).result();
                    assertEquals(RunResult.End.ENDED, r.end(), e.id() + ": replay of " + p);
                    assertNull(replay.divergence(), e.id() + ": the replay left the schedule " + p);
                    assertTrue(r.findings().stream().anyMatch(f -> e.matches(variant, f)),
                            e.id() + ": finding not reproduced by " + p + "; got " + r.findings());
                    traces.add(TraceText.lines(r.trace(), r.names()));
                }
                for (List<String> t : traces) assertEquals(traces.get(0), t, e.id() + ": replays of " + p + " differ");
            }));
        }
        assertFalse(tests.isEmpty(), "the baseline has no schedules");
        return tests.stream();
    }

    static String header(Path p, String key) throws Exception {
        for (String l : Files.readAllLines(p))
            if (l.startsWith("# " + key + ":")) return l.substring(l.indexOf(':') + 1).strip();
        throw new AssertionError(p + " has no '" + key + "' header");
    }

    /** The lockless use after free found by PCT shrinks to fewer preemptions and still fails. */
    @Test
    void minimiserShrinksAFoundRace() {
        EthosuLibrary lib = EthosuLibrary.load("lockless");
        var sc = Catalog.get("two-jobs");
        Explorer.Result r = Explorer.explore(lib, sc, new Pct(1, 3, 400, 5000), new Explorer.Budget(5000, 120_000),
                f -> f.site().equals("dma_fence_signal(done_fence)"));
        Explorer.Found uaf = r.found().stream().filter(f -> f.finding().check() == Finding.Check.USE_AFTER_FREE
                        && f.finding().site().equals("dma_fence_signal(done_fence)"))
                .findFirst().orElseThrow(() -> new AssertionError("no use after free found: " + describe(r)));
        Minimizer.Result m = Minimizer.minimize(lib, sc, uaf, 60);
        assertTrue(m.preemptionsAfter() < m.preemptionsBefore(),
                "preemptions " + m.preemptionsBefore() + " -> " + m.preemptionsAfter() + "\n" + uaf.schedule().format("found"));
        assertTrue(m.stepsAfter() <= m.stepsBefore());
        // the shrunk schedule still fails the same way
        var replay = new Replay(m.schedule());
        replay.nextSchedule();
        RunResult again = Runs.run(lib, sc, replay).result();
        assertTrue(again.findings().stream().anyMatch(f -> f.identity().equals(uaf.identity())),
                "minimised schedule no longer fails: " + again.findings() + "\n" + m.schedule().format("minimised"));
    }

    /** Two contexts taking two (test-only) mutexes in opposite orders: the controller reports the deadlock. */
    @Test
    void deadlockDetectorFiresOnLockOrderInversion() {
        BoundedDfs dfs = new BoundedDfs(1);
        List<Finding> deadlocks = new ArrayList<>();
        long schedules = 0;
        List<Harness.ClientScript> clients = List.of((h, c) -> c.file().selftestLockOrder(0),
                (h, c) -> c.file().selftestLockOrder(1));
        while (deadlocks.isEmpty() && dfs.nextSchedule() && schedules < 500) {
            schedules++;
            RunResult r = Runs.run(EthosuLibrary.load("locked"), Harness.Setup.defaults().withHorizon(1_000_000_000L), dfs,
                    null, clients, null, null).result();
            boolean deadlocked = r.findings().stream().anyMatch(f -> f.check() == Finding.Check.DEADLOCK);
            // clients deadlocked in the library are not torn down under: the run is abandoned as it stands
            assertEquals(deadlocked ? RunResult.End.ABANDONED : RunResult.End.ENDED, r.end(), r.findings().toString());
            r.findings().stream().filter(f -> f.check() == Finding.Check.DEADLOCK).forEach(deadlocks::add);
        }
        assertFalse(deadlocks.isEmpty(), "no deadlock found in " + schedules + " schedules");
        assertTrue(deadlocks.stream().anyMatch(d -> d.text().contains("mutex_lock(selftest_")), deadlocks.toString());
    }
}
