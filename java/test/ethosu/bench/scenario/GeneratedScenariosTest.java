// Generated scenarios, explored briefly: on the driver as it is, every finding is one the baseline
// explains; a failing scenario is shrunk to a minimal scenario file, printed with the seed that
// reproduces it. On JUnit 5 alone (no property-testing library: docs/SCENARIOS.md says why).
// More cases: -Dethosu.gen.tries=200; one case: -Dethosu.gen.seed=N (as a failure prints it).
package ethosu.bench.scenario;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.strategy.Pct;
import ethosu.bench.report.Baseline;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

class GeneratedScenariosTest {
    static final int TRIES = Integer.getInteger("ethosu.gen.tries", 20);
    static final long SEED = Long.getLong("ethosu.gen.seed", 20261202L);
    /** Schedules per generated scenario: brief, a busy 2-core machine runs the suite. */
    static final int SCHEDULES = Integer.getInteger("ethosu.gen.schedules", 25);

    /** The findings of a brief PCT exploration of spec on variant that the baseline does not explain. */
    static List<Finding> unexplained(String variant, ScenarioGenerator.Spec spec, Baseline baseline) {
        Explorer.Result r = Explorer.explore(EthosuLibrary.load(variant), spec.scenario(), new Pct(1, 3, 400, SCHEDULES),
                new Explorer.Budget(SCHEDULES, 60_000), f -> baseline.match(variant, f) == null);
        List<Finding> out = new ArrayList<>();
        for (Explorer.Found f : r.found()) if (baseline.match(variant, f.finding()) == null) out.add(f.finding());
        if (r.problem() != null) out.add(Finding.of(Finding.Check.BENCH, r.problem(), ""));
        return out;
    }

    /** Whether a brief PCT exploration of spec on variant shows a finding of check (it stops at the first). */
    static boolean shows(String variant, ScenarioGenerator.Spec spec, Finding.Check check) {
        Explorer.Result r = Explorer.explore(EthosuLibrary.load(variant), spec.scenario(), new Pct(1, 3, 400, SCHEDULES),
                new Explorer.Budget(SCHEDULES, 60_000), f -> f.check() == check);
        return r.found().stream().anyMatch(f -> f.finding().check() == check);
    }

    /**
     * Checks the property on TRIES generated scenarios; the first that fails is shrunk, and the
     * failure says its seed, the minimal scenario file and what it showed.
     */
    static void forAll(String what, Predicate<ScenarioGenerator.Spec> fails, java.util.function.Function<ScenarioGenerator.Spec, String> why) {
        SplittableRandom seeds = new SplittableRandom(SEED);
        for (int i = 0; i < TRIES; i++) {
            long seed = System.getProperty("ethosu.gen.seed") != null && i == 0 ? SEED : seeds.nextLong();
            ScenarioGenerator.Spec spec = ScenarioGenerator.generate(seed);
            if (!fails.test(spec)) continue;
            ScenarioGenerator.Spec min = ScenarioGenerator.shrink(spec, fails, 40);
            fail(what + " does not hold for the scenario of seed " + seed + " (rerun: -Dethosu.gen.seed=" + seed
                    + " -Dethosu.gen.tries=1)\n--- generated:\n" + spec.text() + "--- minimal:\n" + min.text()
                    + "--- it shows:\n" + why.apply(min));
        }
    }

    @Test
    void onTheDriverAsItIsEveryFindingOfAGeneratedScenarioIsExplained() throws Exception {
        Baseline baseline = Baseline.load(Path.of("baseline/known-findings.txt"));
        forAll("every finding of locked is in the baseline", s -> !unexplained("locked", s, baseline).isEmpty(),
                s -> unexplained("locked", s, baseline).toString());
    }

    @Test
    void generationIsReproducibleAndEveryScenarioParses() {
        for (long seed = 0; seed < 500; seed++) {
            ScenarioGenerator.Spec a = ScenarioGenerator.generate(seed), b = ScenarioGenerator.generate(seed);
            assertEquals(a, b, "seed " + seed);
            Scenario sc = a.scenario();
            assertEquals(a.jobs(), sc.jobCount(), a.text());
            assertTrue(a.jobs() <= ScenarioGenerator.MAX_JOBS, a.text());
            for (ScenarioGenerator.Spec s : ScenarioGenerator.shrinks(a)) {
                assertTrue(s.jobs() >= 1, "a shrink keeps a job\n" + s.text());
                s.scenario(); // every shrink is a valid file
            }
        }
    }

    @Test
    void aFailingScenarioShrinksToAMinimalFile() {
        // the mutant takes a mutex in the hard IRQ handler: any completed job shows it
        ScenarioGenerator.Spec big = new ScenarioGenerator.Spec("big", List.of(
                new ScenarioGenerator.Client(List.of(new ScenarioGenerator.Job("A", "spurious 100us complete 1ms"),
                        new ScenarioGenerator.Job("B", "hang")), true),
                new ScenarioGenerator.Client(List.of(new ScenarioGenerator.Job("C", "bus-error 10us")), false)));
        // explored until the planted bug shows, not until the first finding: under the kernel's
        // work-based kill path the big scenario's first schedule shows the driver's killed-job
        // done_fence underflow (a finding of locked too) before any job completes
        Predicate<ScenarioGenerator.Spec> fails = s -> shows("mutant-hardirq-signals", s, Finding.Check.ATOMIC_SLEEP);
        assertTrue(fails.test(big), big.text());
        ScenarioGenerator.Spec min = ScenarioGenerator.shrink(big, fails, 40);
        assertEquals("scenario big\n  horizon 3s\n  client\n    submit A complete\n", min.text(),
                "one client, one job that completes: the least that shows the planted bug");
    }
}
