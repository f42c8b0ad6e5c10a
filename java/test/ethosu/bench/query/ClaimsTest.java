// The seed patch's three claims, answered on the driver as it is (locked) and with the patch
// (lockless): claim 1 (run_job and timedout_job never overlap) is refuted on both, with run_job(B)
// starting while timedout_job(A) runs; claims 2 and 3 have witnesses; every witness replays to its
// match. A `never` that holds says so with the bound it exhausted.
package ethosu.bench.query;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.Runs;
import ethosu.bench.control.Strategy;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.control.strategy.Pct;
import ethosu.bench.control.strategy.Replay;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ClaimsTest {
    static Strategy strategy(String spec) {
        return spec.startsWith("dfs") ? new BoundedDfs(QuerySearch.bound(spec)) : new Pct(1, 3, 400, 300);
    }

    static QuerySearch.Answer ask(String variant, String scenario, Query q, String plan, long budget) {
        return QuerySearch.search(EthosuLibrary.load(variant), List.of(Catalog.get(scenario)), q, List.of(plan),
                ClaimsTest::strategy, new Explorer.Budget(budget, 120_000), 40, null);
    }

    /** What a failing assertion prints: the answer, and where the witness's schedule is. */
    static String describe(QuerySearch.Answer a) {
        StringBuilder sb = new StringBuilder(a.variant() + ": " + a.query().text() + ": " + a.line() + "\n");
        if (a.witness() != null)
            sb.append(a.witness().match().text()).append('\n').append(a.witness().schedule().format("witness"))
                    .append(a.witness().diagram());
        for (Explorer.Result r : a.explored())
            sb.append(r.scenario()).append(' ').append(r.strategy()).append(": ").append(r.schedules()).append('\n');
        return sb.toString();
    }

    /** The witness's schedule, replayed, still matches (what `make replay` of its file shows). */
    static void replaysToItsMatch(QuerySearch.Answer a) {
        Scenario sc = Catalog.get(a.scenario());
        Replay r = new Replay(a.witness().schedule());
        r.nextSchedule();
        Runs.Run run = Runs.run(EthosuLibrary.load(a.variant()), sc, r);
        assertNull(r.divergence(), "the replay left the witness's schedule\n" + describe(a));
        assertNotNull(a.query().match(run.result().trace(), run.result().names()),
                "the witness no longer matches on replay\n" + describe(a));
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless"})
    void claimOneIsRefutedByRunJobStartingDuringTimedoutJob(String variant) {
        QuerySearch.Answer a = ask(variant, "two-jobs", Claims.get("claim-1").query(), "pct:3", 300);
        assertNotNull(a.witness(), describe(a));
        assertFalse(a.holds(), describe(a));
        assertTrue(a.line().startsWith("refuted: witness in two-jobs (pct:3, schedule "), describe(a));
        assertTrue(a.witness().match().text().matches("run_job\\(jobB\\) on submit_wq at step \\d+ during "
                + "timedout_job\\(jobA\\) on timeout_wq .*"), describe(a));
        assertTrue(a.witness().diagram().contains("*run_job(jobB)") && a.witness().diagram().contains("*timedout_job(jobA)"),
                "the diagram stars both callbacks\n" + describe(a));
        replaysToItsMatch(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless"})
    void claimTwoHasRunJobOfTheNextJobBeforeTheIrqThreadReturns(String variant) {
        QuerySearch.Answer a = ask(variant, "two-jobs", Claims.get("claim-2").query(), "pct:3", 300);
        assertTrue(a.holds(), describe(a));
        assertTrue(a.witness().match().text().matches("run_job\\(jobB\\) on submit_wq at step \\d+, between "
                + "signal\\(jobA.hw_fence\\) on irq/ethosu at step \\d+ and return of irq_thread on irq/ethosu at step \\d+"),
                describe(a));
        replaysToItsMatch(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless"})
    void claimThreeHasTheIrqThreadOverlappingTimedoutJob(String variant) {
        QuerySearch.Answer a = ask(variant, "two-jobs", Claims.get("claim-3").query(), "pct:3", 300);
        assertTrue(a.holds(), describe(a));
        assertTrue(a.witness().match().text().contains("overlaps timedout_job("), describe(a));
        replaysToItsMatch(a);
    }

    @Test
    void aNeverThatHoldsReportsTheBoundItExhausted() {
        QuerySearch.Answer a = ask("locked", "two-jobs", Query.parse("never hold(job_lock) during hold(job_lock)"),
                "dfs:1", 5_000);
        assertNull(a.witness(), describe(a));
        assertTrue(a.holds(), describe(a));
        assertTrue(a.exhausted(), describe(a));
        assertEquals(1, a.bound(), describe(a));
        assertEquals("holds: none up to bound 1 (exhausted)", a.line(), describe(a));
        assertTrue(a.schedules() > 100, "bound 1 of two-jobs is some hundreds of schedules\n" + describe(a));
    }

    @Test
    void aWitnessQueryWithoutMatchSaysTheBoundWasNotExhausted() {
        QuerySearch.Answer a = ask("locked", "two-jobs", Query.parse("run_job(C)"), "pct:3", 20);
        assertFalse(a.holds(), describe(a));
        assertEquals("no witness: none in 20 schedules (not exhausted)", a.line(), describe(a));
    }
}
