// `run` opens with its verdicts: one line per variant saying what it adds over locked (by check),
// what is outside the baseline and the claims' answers; then the claims, the exit status and why.
// JUnit XML gives a test case per scenario, failed by what is outside the baseline.
package ethosu.bench.cli;

import ethosu.bench.report.Baseline;
import ethosu.bench.report.SessionResult;
import ethosu.bench.report.SessionResultTest;
import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RunScreenTest {
    static SessionResult result() {
        return SessionResult.derive("run", SessionResultTest.plan(List.of("locked", "lockless")), SessionResultTest.tasks());
    }

    @Test
    void theFirstLinesAreTheVerdicts() {
        String text = new RunScreen(result(), Baseline.empty(), 12.5, 2).render(Path.of("target/run-report.txt"));
        String[] l = text.split("\n");
        assertTrue(l[0].startsWith("ethosu-bench run: 2 variants x 1 scenario, plan dfs:1, pct:3"), l[0]);
        assertTrue(l[2].startsWith("  locked    the base: 1 finding; all in the baseline; claims: 1 refuted"), l[2]);
        assertEquals("  lockless  adds 2 findings (no use after free 2); 1 NEW (outside the baseline); claims: 1 refuted; "
                + "s:1 holds", l[3]);
        assertTrue(l[4].startsWith("queries"), l[4]);
        assertEquals("  claim-1  never run_job during timedout_job: refuted on every variant", l[5]);
        assertEquals("exit 1: 1 finding(s) outside the baseline (lockless 1)", l[7]);
        assertTrue(l[8].startsWith("explored 920 schedules in 12.5 s"), l[8]);
        assertTrue(text.contains("\n== details\n"), text);
        assertTrue(text.contains("  NEW finding, not in the baseline:\n  report of uaf2\n"), text);
        assertFalse(text.contains("differential:"), "no differential pass ran");
    }

    static final SessionResult.Divergence DIVERGENCE = new SessionResult.Divergence(153, "submit_wq",
            "C: submit_wq point writel_relaxed(QBASE, 0x80000000); model: submit_wq point mutex_lock(job_lock)",
            "target/findings/locked--two-jobs--divergence-t0-1.schedule", "DIVERGENCE locked x two-jobs at step 153\n");

    static SessionResult.Compared compared(String variant, String model, long schedules, long divergences) {
        return new SessionResult.Compared(variant, model, "two-jobs", "dfs:1", schedules, true, 2.0, null, divergences,
                divergences == 0 ? List.of() : List.of(DIVERGENCE), List.of());
    }

    /** locked alone, its one finding in the baseline: green unless the differential pass says otherwise. */
    static SessionResult locked(List<SessionResult.Compared> differential) {
        return SessionResult.derive("run", SessionResultTest.plan(List.of("locked")),
                SessionResultTest.tasks().subList(0, 2), differential);
    }

    @Test
    void aDifferentialPassWithoutDivergenceSaysSoPerVariantAndStaysGreen() {
        SessionResult r = locked(List.of(compared("locked", "locked", 500, 0)));
        assertEquals(0, r.exit().status(), r.exit().reason());
        String text = new RunScreen(r, Baseline.empty(), 1, 1).render(Path.of("r.txt"));
        assertTrue(text.contains("\ndifferential (dfs:1): every schedule on the C and on its Java model, traces and "
                + "findings compared\n  locked  500 schedules compared, 0 divergences\nexit 0:"), text);
        assertTrue(text.contains("\n== differential pass:"), text);
    }

    @Test
    void aDivergenceIsShownWithItsScheduleAndFailsTheRun() {
        SessionResult r = locked(List.of(compared("locked", "mutant-publish-after-kick", 500, 3)));
        assertEquals(1, r.exit().status());
        assertEquals("the C and its model diverge (locked 3 schedule(s))", r.exit().reason());
        String text = new RunScreen(r, Baseline.empty(), 1, 1).render(Path.of("r.txt"));
        assertTrue(text.contains("\n  locked  500 schedules compared with the model of mutant-publish-after-kick, "
                + "3 divergences\n          first: two-jobs at step 153 in submit_wq: C: submit_wq point "
                + "writel_relaxed(QBASE, 0x80000000); model: submit_wq point mutex_lock(job_lock)\n"
                + "          schedule: target/findings/locked--two-jobs--divergence-t0-1.schedule\nexit 1: "), text);
        assertTrue(text.contains("\nexplored 460 schedules and compared 500 on the C and the model in 1.0 s (960/s over 1 worker)"),
                text);
        // the details carry each divergence's report
        assertTrue(text.contains("\nDIVERGENCE locked x two-jobs at step 153\n"), text);
        // and the JUnit XML a failed case for it
        String xml = JUnitXml.suite(r, "locked");
        assertTrue(xml.contains("classname=\"ethosu-bench.locked.differential\" name=\"two-jobs\"")
                && xml.contains("<failure message=\"3 of 500 schedules diverge, first at step 153"), xml);
    }

    @Test
    void aDifferentialTaskThatComparedNothingIsNotGreen() {
        SessionResult.Compared none = new SessionResult.Compared("locked", "locked", "two-jobs", "dfs:1", 0, false, 0.1,
                "the worker stopped before its first schedule", 0, List.of(), List.of());
        SessionResult r = locked(List.of(none));
        assertEquals(1, r.exit().status());
        assertEquals("nothing explored for locked x two-jobs (differential)", r.exit().reason());
    }

    @Test
    void junitXmlHasACasePerScenarioFailedByNewFindings() throws Exception {
        String xml = JUnitXml.suite(result(), "lockless");
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        var suite = doc.getDocumentElement();
        assertEquals("testsuite", suite.getTagName());
        assertEquals("1", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        var c = (org.w3c.dom.Element) suite.getElementsByTagName("testcase").item(0);
        assertEquals("two-jobs", c.getAttribute("name"));
        assertTrue(c.getElementsByTagName("failure").item(0).getTextContent().contains("text of uaf2"), xml);
        String locked = JUnitXml.suite(result(), "locked");
        assertTrue(locked.contains("failures=\"0\""), locked);
    }
}
