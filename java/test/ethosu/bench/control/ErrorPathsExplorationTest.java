// Error paths reached by exploration from scenarios: every bad submit kind is refused with mainline's
// errno; a failed allocation inside a submit is reported (the driver's oops on that exit); a mutant
// that breaks a submit error path is caught by exploring the built-in bad-submits scenario.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Finding.Check;
import ethosu.bench.control.strategy.DefaultScheduler;
import ethosu.bench.control.strategy.Pct;
import ethosu.bench.input.BadInputException;
import ethosu.bench.kernel.RunResult;
import ethosu.bench.report.Baseline;
import ethosu.bench.scenario.BadSubmit;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;
import ethosu.bench.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ErrorPathsExplorationTest {
    static final Baseline BASELINE = Baseline.load(Path.of("baseline/known-findings.txt"));

    static Scenario scenario(String text) {
        return ScenarioParser.parse("test.scenario", text).get(0);
    }

    static String describe(Explorer.Result r) {
        return ExplorationTest.describe(r);
    }

    /** Under the default scheduler, each kind comes back with its errno and leaves the next job running. */
    @ParameterizedTest
    @EnumSource(BadSubmit.class)
    void eachBadSubmitIsRefusedWithMainlinesErrno(BadSubmit kind) {
        Scenario sc = scenario("scenario one-bad\n  client\n    submit A bad " + kind.word + "\n    submit B complete\n");
        RunResult r = Runs.run(EthosuLibrary.load("locked"), sc, new DefaultScheduler()).result();
        assertEquals(RunResult.End.ENDED, r.end());
        assertTrue(r.findings().stream().noneMatch(f -> f.check() == Check.SUBMIT_REFUSED || f.check() == Check.BENCH),
                kind + ": " + r.findings());
        assertEquals(List.of(0), List.copyOf(r.results().values()), kind + ": only B was accepted, and it completed");
        for (Finding f : r.findings())
            assertNotNull(BASELINE.match("locked", f), kind + ": a driver finding outside the baseline: " + f);
    }

    @Test
    void failedAllocationInASubmitExploredFromAScenarioIsReported() {
        Scenario sc = Catalog.get("failed-allocation");
        Explorer.Result r = Explorer.explore(EthosuLibrary.load("locked"), sc, new Pct(1, 3, 400, 20),
                new Explorer.Budget(20, 600_000), false);
        assertNull(r.problem(), describe(r));
        Finding oops = r.found().stream().map(Explorer.Found::finding)
                .filter(f -> f.check() == Check.OOPS && f.text().contains("NULL pointer dereference in drm_sched_job_cleanup"))
                .findFirst().orElseThrow(() -> new AssertionError("the failed done_fence allocation was not reported\n" + describe(r)));
        assertEquals("client-0", oops.context(), "in the submitting client's ioctl");
        assertEquals("submit-done-fence-alloc-failure-oops", BASELINE.match("locked", oops).id());
        for (Explorer.Found f : r.found())
            assertNotNull(BASELINE.match("locked", f.finding()), "outside the baseline: " + f.finding() + "\n" + describe(r));
        assertTrue(r.found().stream().noneMatch(f -> f.finding().check() == Check.BENCH), describe(r));
    }

    @Test
    void mutantWhoseSubmitErrorPathIsBrokenIsCaughtByExploration() {
        Scenario sc = Catalog.get("bad-submits");
        Explorer.Budget budget = new Explorer.Budget(20, 600_000);
        Explorer.Result mutant = Explorer.explore(EthosuLibrary.load("mutant-submit-lost-errno"), sc, new Pct(1, 3, 400, 20),
                budget, false);
        Finding refused = mutant.found().stream().map(Explorer.Found::finding).filter(f -> f.check() == Check.SUBMIT_REFUSED)
                .findFirst().orElseThrow(() -> new AssertionError("the broken error path passed\n" + describe(mutant)));
        assertTrue(refused.text().startsWith("bad submit B (region-handle:") && refused.text().contains("returned 0, expected -ENOENT"),
                refused.text());
        assertTrue(mutant.found().stream().anyMatch(f -> f.finding().check() == Check.LIVENESS
                && f.finding().text().startsWith("job B never finished")), "the job reported queued never runs\n" + describe(mutant));
        // by what they are, these are no driver finding: only the mutant's own entry knows them
        for (Finding f : List.of(refused))
            assertNull(BASELINE.match("some-tree+some-patch", f), "known by identity: " + f);
        assertNull(BASELINE.matchDriver(refused), "a driver finding: " + refused);
        assertEquals("mutant-submit-lost-errno", BASELINE.match("mutant-submit-lost-errno", refused).id());

        // the driver itself refuses every bad submit of the scenario, and all it shows is known
        Explorer.Result locked = Explorer.explore(EthosuLibrary.load("locked"), sc, new Pct(1, 3, 400, 20), budget, false);
        assertTrue(locked.found().stream().noneMatch(f -> f.finding().check() == Check.SUBMIT_REFUSED), describe(locked));
        for (Explorer.Found f : locked.found())
            assertNotNull(BASELINE.match("locked", f.finding()), "outside the baseline: " + f.finding() + "\n" + describe(locked));
    }

    @Test
    void badFailAndBadSubmitLinesAreOneLine() {
        var e = assertThrows(BadInputException.class, () -> scenario("scenario x\n  client\n    submit A bad nope\n"));
        assertTrue(e.getMessage().startsWith("test.scenario:3: expected 'submit <job> bad <kind>' with a kind of pad, "),
                e.getMessage());
        e = assertThrows(BadInputException.class, () -> scenario("scenario x\n  fail alloc 0\n  client\n    submit A complete\n"));
        assertEquals("test.scenario:2: expected a call number from 1 to 1000000, got '0'", e.getMessage());
        e = assertThrows(BadInputException.class, () -> scenario("scenario x\n  fail disk\n  client\n    submit A complete\n"));
        assertEquals("test.scenario:2: expected a fault (alloc, entity-init, sched-init, irq-request, pm-get), got 'disk'",
                e.getMessage());
        // the shims count calls per function and keep one countdown per interface: both forms parse
        assertEquals("alloc:2@ethosu_job_open",
                scenario("scenario x\n  fail alloc 2 in ethosu_job_open\n  client\n    submit A complete\n").faults().get(0).toString());
        assertEquals(2, scenario("scenario x\n  fail alloc 20\n  fail pm-get\n  client\n    submit A complete\n").faults().size());
    }
}
