// `run`'s differential pass end to end, through the worker processes: against each variant's own
// model it compares and stays green; against a model known to differ (the C of locked against the
// model of mutant-publish-after-kick) the verdict shows the first divergence with its schedule, the
// session JSON carries it and the run exits 1.
package ethosu.bench.cli;

import ethosu.bench.report.SessionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class DifferentialPassTest {
    @TempDir
    Path dir;

    /** One schedule per task (bound 0): the pass's plumbing, not its reach, is under test here. */
    CliRun run(String... extra) {
        String[] base = {"run", "--variant", "locked", "--scenario", "two-jobs", "--plan", "dfs:0", "--differential",
                "dfs:0", "--differential-variants", "locked", "--jobs", "1", "--no-minimize", "--no-claims",
                "--save", dir.resolve("findings").toString(), "--report", dir.resolve("report.txt").toString(),
                "--json", dir.resolve("session.json").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void theDifferentialPassOnTheVariantsOwnModelIsShownAndGreen() throws Exception {
        CliRun r = run();
        assertEquals(Main.OK, r.status(), r.toString());
        assertTrue(r.out().contains("\n  locked  1 schedule compared, 0 divergences\n"), r.toString());
        SessionResult s = SessionResult.read(dir.resolve("session.json"));
        SessionResult.Differential d = s.verdicts().get(0).differential();
        assertEquals(1, d.schedules(), s.toJson());
        assertEquals(0, d.divergences(), s.toJson());
        assertEquals("locked", d.model());
    }

    @Test
    void aModelThatDivergesIsShownOnTheVerdictScreenAndFailsTheRun() throws Exception {
        CliRun r = run("--differential-model", "mutant-publish-after-kick");
        assertEquals(Main.FINDINGS, r.status(), r.toString());
        assertTrue(r.out().contains("\n  locked  1 schedule compared with the model of mutant-publish-after-kick, "
                + "1 divergence\n"), r.toString());
        // where the two part: the C takes job_lock in run_job, the model kicks the NPU first
        assertTrue(r.out().contains("first: two-jobs at step "), r.toString());
        assertTrue(r.out().contains(" in submit_wq: C: submit_wq point mutex_lock(job_lock); model: submit_wq point "
                + "writel_relaxed(QBASE, 0x80000000)\n"), r.toString());
        assertTrue(r.out().contains("\nexit 1: the C and its model diverge (locked 1 schedule(s))\n"), r.toString());
        SessionResult s = SessionResult.read(dir.resolve("session.json"));
        SessionResult.Differential d = s.verdicts().get(0).differential();
        assertEquals(1, d.divergences(), s.toJson());
        assertEquals("submit_wq", d.first().context());
        // the schedule file replays the divergence: it names the variant and scenario
        Path schedule = Path.of(d.first().schedule());
        assertTrue(Files.isRegularFile(schedule), schedule.toString());
        String text = Files.readString(schedule);
        assertTrue(text.contains("# variant: locked") && text.contains("# scenario: two-jobs"), text);
        assertEquals(1, s.exit().status());
    }

    @Test
    void aDifferentialModelTheModelDoesNotHaveIsOneLine() {
        CliRun r = run("--differential-model", "no-such-variant");
        assertTrue(r.isOneLineError(), r.toString());
        assertTrue(r.err().contains("--differential-model no-such-variant: the Java model has no counterpart"), r.toString());
    }
}
