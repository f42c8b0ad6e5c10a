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

    @Test
    void aDifferentialPassHasItsLine() {
        SessionResult r = result();
        List<SessionResult.Verdict> vs = r.verdicts().stream().map(v -> new SessionResult.Verdict(v.variant(), v.schedules(),
                v.findings(), v.added(), v.gone(), v.outcomesAdded(), v.outcomesGone(), v.fresh(),
                new SessionResult.Differential(500, 0))).toList();
        SessionResult d = new SessionResult(r.format(), r.command(), r.plan(), r.tasks(), vs, r.answers(), r.exit());
        String text = new RunScreen(d, Baseline.empty(), 1, 1).render(Path.of("r.txt"));
        assertTrue(text.contains("\ndifferential: 1000 schedules compared, 0 divergences\nexit 1:"), text);
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
