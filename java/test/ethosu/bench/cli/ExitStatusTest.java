// Exit statuses mean something: stress fails on a finding outside the baseline and passes on one
// inside it; a session that explored nothing is not green.
package ethosu.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ExitStatusTest {
    @TempDir
    Path dir;

    /** mutant-hardirq-signals takes a mutex in the hard IRQ handler: every completion shows it. */
    static final String MUTANT = "mutant-hardirq-signals";

    CliRun stress(String baseline) {
        return CliRun.of("stress", "--variant", MUTANT, "--clients", "2", "--jobs", "5", "--normal", "--baseline", baseline);
    }

    @Test
    void stressFailsOnAFindingOutsideTheBaseline() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty-baseline.txt"), "# nothing reviewed yet\n");
        CliRun r = stress(empty.toString());
        assertEquals(Main.FINDINGS, r.status(), r.toString());
        assertTrue(r.out().contains("  NEW [no sleeping in atomic context]"), r.toString());
        assertTrue(r.out().contains("verdict: findings outside the baseline"), r.toString());
    }

    @Test
    void stressPassesWhenEveryFindingIsKnown() {
        CliRun r = stress("baseline/known-findings.txt");
        assertEquals(Main.OK, r.status(), r.toString());
        assertTrue(r.out().contains("known (" + MUTANT + ") [no sleeping in atomic context]"), r.toString());
        assertTrue(r.out().contains("verdict: every finding is in the baseline"), r.toString());
    }

    @Test
    void aSessionThatExploredNothingIsNotGreen() throws Exception {
        Main.Run o = new Main.Run();
        o.baseline = Path.of("baseline/known-findings.txt");
        o.workers = 1;
        Verdicts.Task t = new Verdicts.Task(0, "locked", "two-jobs", "dfs:1");
        t.problem = "the worker stopped before its first schedule";
        CliRun r = CliRun.capture(() -> Verdicts.report(List.of(t), List.of("locked"), List.of("two-jobs"),
                ethosu.bench.report.Baseline.load(o.baseline), o, 1.0));
        assertEquals(Main.FINDINGS, r.status(), r.toString());
        assertTrue(r.out().contains("\nexit 1: nothing explored for locked x two-jobs\n"), r.toString());
        t.schedules = 1;
        r = CliRun.capture(() -> Verdicts.report(List.of(t), List.of("locked"), List.of("two-jobs"),
                ethosu.bench.report.Baseline.load(o.baseline), o, 1.0));
        assertEquals(Main.OK, r.status(), r.toString());
    }

    @Test
    void aCheckWhereASideExploredNothingIsNotGreen() throws Exception {
        Main.CheckCmd c = new Main.CheckCmd();
        c.before = "locked";
        c.after = "lockless";
        c.plan = List.of("dfs:1");
        c.workers = 1;
        Verdicts.Task before = new Verdicts.Task(0, "locked", "two-jobs", "dfs:1");
        Verdicts.Task after = new Verdicts.Task(1, "lockless", "two-jobs", "dfs:1");
        before.schedules = 10;
        after.problem = "the worker stopped before its first schedule";
        CliRun r = CliRun.capture(() -> PatchCheck.report(c, List.of(before, after), List.of("two-jobs"), "a patch", 1.0));
        assertEquals(Main.FINDINGS, r.status(), r.toString());
        assertTrue(r.out().contains("verdict: nothing explored for lockless x two-jobs, so nothing compared there"), r.toString());
        after.schedules = 10;
        r = CliRun.capture(() -> PatchCheck.report(c, List.of(before, after), List.of("two-jobs"), "a patch", 1.0));
        assertEquals(Main.OK, r.status(), r.toString());
        assertTrue(r.out().contains("verdict: no new finding"), r.toString());
    }

    @Test
    void tracesThatDifferSayWhereFirst() {
        List<String> a = List.of("0 main start", "1 client-0 open", "2 submit_wq run_job");
        List<String> b = List.of("0 main start", "1 client-0 open", "2 timeout_wq timedout_job");
        assertEquals("every trace is the first's", Main.firstDifference(List.of(a, a)));
        assertEquals("replay 3 differs from replay 1 at trace line 3: '2 timeout_wq timedout_job' where replay 1 has "
                + "'2 submit_wq run_job'", Main.firstDifference(List.of(a, a, b)));
        assertEquals("replay 2 differs from replay 1 at trace line 3: '(end)' where replay 1 has '2 submit_wq run_job'",
                Main.firstDifference(List.of(a, a.subList(0, 2))));
    }
}
