// The C of a variant and its Java model, schedule by schedule: the same normalised trace and the same
// findings under every schedule explored; and a difference planted on one side only is reported at
// the step where the two sides part.
package ethosu.bench.model;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.control.strategy.Replay;
import ethosu.bench.kernel.Engine;
import ethosu.bench.report.Baseline;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class DifferentialTest {
    static final Path BASELINE = Path.of("baseline/known-findings.txt");

    static Engine c(String variant) {
        return Engine.of(EthosuLibrary.load(variant));
    }

    static Engine model(String variant) {
        return new ModelEngine(variant);
    }

    static String header(Path p, String key) throws Exception {
        for (String l : Files.readAllLines(p))
            if (l.startsWith("# " + key + ":")) return l.substring(l.indexOf(':') + 1).strip();
        throw new AssertionError(p + " has no '" + key + "' header");
    }

    /**
     * Every baseline schedule: the model follows it to the same trace and shows the same finding. A
     * finding only a sanitizer build shows (ASan reading past a buffer) is the C's memory alone: its
     * schedule still runs identically on both sides, without the finding.
     */
    @TestFactory
    Stream<DynamicTest> baselineSchedulesRunIdenticallyOnTheModel() throws Exception {
        Baseline baseline = Baseline.load(BASELINE);
        List<DynamicTest> tests = new ArrayList<>();
        for (Baseline.Entry e : baseline.entries()) {
            if (e.schedule() == null) continue;
            tests.add(DynamicTest.dynamicTest(e.id(), () -> {
                Path p = Path.of(e.schedule());
                String variant = header(p, "variant");
                Scenario sc = Catalog.get(header(p, "scenario"));
                Replay replay = new Replay(Schedule.read(p));
                replay.nextSchedule();
                Differential.Result r = Differential.run(c(variant), model(variant), sc, replay);
                assertNull(r.divergence(), () -> r.divergence().format() + "\n" + r.divergence().scheduleFile(e.schedule()));
                if (e.sanitizer() == null)
                    assertTrue(r.model().findings().stream().anyMatch(f -> e.matches(variant, f)),
                            e.id() + ": the model does not show the finding; it has " + r.model().findings());
                assertTrue(r.c().trace().size() > 100, "a trace of " + r.c().trace().size() + " entries compares little");
                // the entries compared are every kind of event: points, waits, calls, fences, the device
                boolean ran = r.c().trace().stream().anyMatch(x -> x.text().startsWith("start run_job"));
                for (String kind : ran ? List.of("point ", "wait ", "start ", "end ", "signal ", "npu ", "woken")
                        : List.of("point ", "wait ", "start ", "end ", "signal ", "woken"))
                    assertTrue(r.c().trace().stream().anyMatch(x -> x.text().startsWith(kind)), "no '" + kind + "' entry");
            }));
        }
        assertFalse(tests.isEmpty(), "the baseline has no schedules");
        return tests.stream();
    }

    /**
     * A differential DFS dealt into parts (--shard K/N): the parts' schedules add up to the whole's,
     * each counted once (a part's run that only lays out its points is another part's schedule).
     */
    @Test
    void differentialPartsTogetherAreTheWholeSearch() {
        Scenario sc = Catalog.get("two-jobs");
        Explorer.Budget budget = new Explorer.Budget(5_000, 300_000);
        DifferentialExplorer.Result whole = DifferentialExplorer.explore(c("locked"), model("locked"), sc,
                new BoundedDfs(1, false, 0, 1), budget);
        long schedules = 0;
        for (int k = 0; k < 3; k++) {
            DifferentialExplorer.Result part = DifferentialExplorer.explore(c("locked"), model("locked"), sc,
                    new BoundedDfs(1, false, k, 3), budget);
            assertTrue(part.exhausted(), "part " + k + " of 3 not exhausted");
            schedules += part.schedules();
        }
        assertTrue(whole.exhausted());
        assertEquals(whole.schedules(), schedules, "the parts' schedules add up to the whole's");
    }

    /** Zero divergences for the two real variants over the whole catalog, bound 1 exhausted. */
    @TestFactory
    Stream<DynamicTest> realVariantsAgreeOverTheCatalogAtBoundOne() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String v : List.of("locked", "lockless"))
            for (Scenario sc : Catalog.builtIn())
                tests.add(DynamicTest.dynamicTest(v + " x " + sc.name(), () -> {
                    DifferentialExplorer.Result r = DifferentialExplorer.explore(c(v), model(v), sc, new BoundedDfs(1),
                            new Explorer.Budget(5_000, 300_000));
                    assertTrue(r.exhausted(), v + " x " + sc.name() + ": bound 1 not exhausted after " + r.schedules());
                    assertEquals(0, r.divergences(), () -> r.divergences() + " of " + r.schedules()
                            + " schedules diverge; first:\n" + r.first().get(0).format()
                            + r.first().get(0).scheduleFile("target/divergence.schedule"));
                }));
        return tests.stream();
    }

    /**
     * Every mutant and control too, on the scenarios where they act: the model's checks fire where
     * the C's do (a sleeping call in hard IRQ, a completion lost, a freed job signalled).
     */
    @TestFactory
    Stream<DynamicTest> everyVariantAgreesAtBoundOne() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String v : EthosuJobVariants.modelled()) {
            // its C dies of a NULL load inside this JVM: compared below up to the schedule that does it
            if (v.equals(CRASHES)) continue;
            for (String scn : List.of("two-jobs", "hang-reset-next"))
                tests.add(DynamicTest.dynamicTest(v + " x " + scn, () -> {
                    DifferentialExplorer.Result r = DifferentialExplorer.explore(c(v), model(v), Catalog.get(scn),
                            new BoundedDfs(1), new Explorer.Budget(5_000, 300_000));
                    assertTrue(r.exhausted(), v + " x " + scn + ": bound 1 not exhausted after " + r.schedules());
                    assertEquals(0, r.divergences(), () -> r.divergences() + " of " + r.schedules()
                            + " schedules diverge; first:\n" + r.first().get(0).format());
                }));
        }
        return tests.stream();
    }

    /** The variant whose C kills its process (a load through NULL in the IRQ thread): cli/CrashTest's. */
    static final String CRASHES = "mutant-irq-thread-unchecked";

    /**
     * mutant-irq-thread-unchecked on two-jobs under the v7.2 shims: no schedule of dfs:1 reaches the
     * NULL dereference (all 421 agree on both sides, and the C survives them); with two preemptions
     * the model reports it first in schedule 2013 of dfs:2, the IRQ thread stalled while the
     * timeout handler clears in_flight_job.
     */
    @Test
    void theModelReportsTheOopsInTheScheduleWhereTheCCrashes() {
        Scenario sc = Catalog.get("two-jobs");
        DifferentialExplorer.Result r = DifferentialExplorer.explore(c(CRASHES), model(CRASHES), sc, new BoundedDfs(1),
                new Explorer.Budget(5_000, 300_000));
        assertTrue(r.exhausted(), "bound 1 not exhausted after " + r.schedules());
        assertEquals(0, r.divergences(), () -> r.first().get(0).format());
        Explorer.Result m = Explorer.explore(model(CRASHES), sc, new BoundedDfs(2), new Explorer.Budget(2_013, 300_000),
                f -> f.text().startsWith("BUG: kernel NULL pointer dereference"), null, 0, null);
        var f = m.found().stream().filter(x -> x.finding().text().startsWith("BUG: kernel NULL pointer dereference"))
                .findFirst().orElseThrow(() -> new AssertionError("the model does not report the NULL dereference in "
                        + m.schedules() + " schedules: " + m.found()));
        assertEquals(2013, f.scheduleIndex(), f.finding() + "\n" + f.schedule());
        assertTrue(f.finding().text().startsWith("BUG: kernel NULL pointer dereference in ethosu_job_handle_irq"),
                f.finding().toString());
    }

    /**
     * A mutant applied to the C only (publish-after-kick: run_job kicks the NPU before taking
     * job_lock) against the model of locked: the first schedule diverges inside the first run_job,
     * where the C writes QBASE and the model takes job_lock, and nowhere before.
     */
    @Test
    void aChangeOnOneSideOnlyIsReportedAtTheStepWhereItActs() {
        Scenario sc = Catalog.get("two-jobs");
        BoundedDfs dfs = new BoundedDfs(0);
        dfs.nextSchedule();
        Differential.Result r = Differential.run(c("mutant-publish-after-kick"), model("locked"), sc, dfs);
        Differential.Divergence d = r.divergence();
        assertNotNull(d, "no divergence reported");
        // the step: the first decision after run_job(A) starts on the C side
        Differential.Entry runJob = r.c().trace().stream().filter(e -> e.text().equals("start run_job run_job(jobA)"))
                .findFirst().orElseThrow();
        assertEquals(runJob.step(), d.step(), d.format());
        assertEquals("submit_wq", d.context(), d.format());
        assertTrue(d.what().contains("C: submit_wq point writel_relaxed(QBASE, 0x80000000)"), d.format());
        assertTrue(d.what().contains("model: submit_wq point mutex_lock(job_lock)"), d.format());
        // both sides' last events end at the divergence, after an identical prefix
        assertEquals(d.cLast().subList(0, d.cLast().size() - 1), d.modelLast().subList(0, d.modelLast().size() - 1));
        // the schedule file names the variant and scenario and replays on either side
        String file = d.scheduleFile("x.schedule");
        assertTrue(file.contains("# variant: mutant-publish-after-kick") && file.contains("# scenario: two-jobs")
                && file.contains("--engine model"), file);
        Schedule parsed = Schedule.parse(Path.of("x.schedule"), file);
        assertEquals(r.c().schedule().size(), parsed.size());
    }

    /** The planted difference is caught by every schedule, not only the default one. */
    @Test
    void everyScheduleOfAOneSidedChangeDiverges() {
        DifferentialExplorer.Result r = DifferentialExplorer.explore(c("mutant-timedout-keeps-inflight"), model("locked"),
                Catalog.get("hang-reset-next"), new BoundedDfs(1), new Explorer.Budget(50, 120_000));
        assertEquals(r.schedules(), r.divergences(), "schedules that hide the change: " + (r.schedules() - r.divergences()));
        assertTrue(r.first().get(0).what().contains("mutex_lock(job_lock)"), r.first().get(0).format());
    }

    /** Every variant the C side builds (native/variants/*.patch) has a model counterpart. */
    @Test
    void everyVariantHasAModelCounterpart() throws Exception {
        List<String> missing = new ArrayList<>();
        try (var patches = Files.list(Path.of("native/variants"))) {
            for (Path p : patches.filter(f -> f.toString().endsWith(".patch")).toList()) {
                String v = p.getFileName().toString().replace(".patch", "");
                if (!EthosuJobVariants.has(v)) missing.add(v);
            }
        }
        assertEquals(List.of(), missing, "variants without a model counterpart");
        assertTrue(EthosuJobVariants.has("locked"));
    }
}
