// The kill matrix: every mutant is caught, by a finding the driver itself never produces (one the
// baseline does not attribute to `locked`), within the stated strategy and budget; the patch under
// review (lockless) is reported too. Every row runs on both engines, the C and its Java model: the
// model-only engine catches every mutant the C catches. Budgets are schedules, not seconds (timings
// go to PERFORMANCE.md).
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.control.strategy.Pct;
import ethosu.bench.kernel.Engine;
import ethosu.bench.report.Baseline;
import ethosu.bench.scenario.Catalog;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class KillMatrixTest {
    /** A mutant, the strategy and budget that must catch it, and the check its patch names. */
    record Row(String variant, String strategy, long budget, Finding.Check check) {
        /** The command that reproduces this row's exploration. */
        String command(String engine) {
            return "make explore ARGS=\"--variant " + variant + " --scenario two-jobs --strategy " + strategy
                    + " --seed 1 --budget " + budget + " --until-distinct --engine " + engine + "\"";
        }
    }

    static final List<Row> MATRIX = List.of(
            new Row("mutant-signal-before-clear", "dfs:1", 300, Finding.Check.IRQ_SIGNALS_COMPLETION),
            new Row("mutant-irq-no-lock", "dfs:1", 300, Finding.Check.IRQ_SIGNALS_COMPLETION),
            new Row("mutant-hardirq-signals", "dfs:1", 20, Finding.Check.ATOMIC_SLEEP),
            new Row("mutant-publish-after-kick", "pct:3", 300, Finding.Check.IRQ_SIGNALS_COMPLETION),
            new Row("mutant-timedout-keeps-inflight", "pct:3", 300, Finding.Check.USE_AFTER_FREE),
            new Row("lockless", "pct:3", 300, Finding.Check.USE_AFTER_FREE));

    static Strategy strategy(String spec) {
        return spec.startsWith("dfs") ? new BoundedDfs(Integer.parseInt(spec.substring(4)))
                : new Pct(1, Integer.parseInt(spec.substring(4)), 400, Integer.MAX_VALUE);
    }

    /** "c": the variant's library; "model": its Java model. */
    static Engine engine(String kind, String variant) {
        return kind.equals("c") ? Engine.of(EthosuLibrary.load(variant)) : new ethosu.bench.model.ModelEngine(variant);
    }

    @TestFactory
    Stream<DynamicTest> everyMutantIsCaught() throws Exception {
        Baseline baseline = Baseline.load(Path.of("baseline/known-findings.txt"));
        return MATRIX.stream().flatMap(row -> Stream.of("c", "model").map(kind -> DynamicTest.dynamicTest(
                row.variant() + " by " + row.strategy() + " on the " + kind, () -> {
            Explorer.Result r = Explorer.explore(engine(kind, row.variant()), Catalog.get("two-jobs"),
                    strategy(row.strategy()), new Explorer.Budget(row.budget(), 120_000),
                    f -> f.check() == row.check() && baseline.matchDriver(f) == null, null, 0, null);
            // a kill is a finding the driver itself never produces, by the check the patch names: a
            // bench failure is no kill
            List<Explorer.Found> distinct = r.found().stream()
                    .filter(f -> f.finding().check() != Finding.Check.BENCH && baseline.matchDriver(f.finding()) == null)
                    .toList();
            assertFalse(distinct.isEmpty(), row.variant() + " not caught by " + row.strategy() + " in " + r.schedules()
                    + " schedules (" + row.command(kind) + "); findings: " + r.found().stream().map(Explorer.Found::finding).toList());
            Explorer.Found kill = distinct.stream().filter(f -> f.finding().check() == row.check()).findFirst()
                    .orElseThrow(() -> new AssertionError(row.variant() + ": expected [" + row.check().title + "], got "
                            + distinct.stream().map(f -> f.finding() + "\n" + f.schedule().format("schedule "
                            + f.scheduleIndex())).toList() + "\n" + row.command(kind)));
            System.out.printf("kill matrix: %s caught by %s on the %s in schedule %d (%.2f s): %s%n", row.variant(),
                    row.strategy(), kind, kill.scheduleIndex(), kill.secondsToFind(), kill.finding());
        })));
    }

    /**
     * Both real variants up to preemption bound 2 on two back-to-back jobs, exhaustively: every
     * finding is a reviewed one. (locked: the driver's own; lockless: those plus the patch's.)
     */
    /**
     * The smallest scenario of the driver's whole path (probe, submit, run, IRQ, free, suspend): one job.
     * With the v7.2 contexts (two system_wq workers, the runtime-PM work items) two jobs no longer
     * exhaust bound 2 within a test's budget; one job does, in about 42,000 schedules on the C.
     */
    static final ethosu.bench.scenario.Scenario ONE_JOB = ethosu.bench.scenario.ScenarioParser.parse("KillMatrixTest",
            "scenario one-job\n  about One job that completes.\n  client\n    submit A complete\n").get(0);

    @TestFactory
    Stream<DynamicTest> realVariantsExhaustedAtBoundTwo() throws Exception {
        Baseline baseline = Baseline.load(Path.of("baseline/known-findings.txt"));
        return Stream.of("locked", "lockless").flatMap(v -> Stream.of("c", "model").map(kind -> DynamicTest.dynamicTest(
                v + " on the " + kind, () -> {
            // on one CPU, as the command line explores: a hand-off stays on-core
            ethosu.bench.cli.Worker.pin(0);
            Explorer.Result r;
            try {
                r = Explorer.explore(engine(kind, v), ONE_JOB, new BoundedDfs(2),
                        new Explorer.Budget(60_000, 300_000), f -> false, null, 0, null);
            } finally {
                ethosu.bench.cli.Worker.unpin();
            }
            assertTrue(r.exhausted(), v + ": bound 2 not exhausted after " + r.schedules() + " schedules");
            for (Explorer.Found f : r.found())
                assertNotNull(baseline.match(v, f.finding()), v + ": not in the baseline: " + f.finding() + "\n"
                        + f.schedule().format("schedule " + f.scheduleIndex() + " of dfs:2"));
            System.out.printf("bound 2: %s x one-job on the %s exhausted in %d schedules, %.1f s%n", v, kind,
                    r.schedules(), r.seconds());
        })));
    }
}
