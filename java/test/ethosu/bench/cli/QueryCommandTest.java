// `query` as a person runs it: the README's example answers with a minimised witness, its replay
// command and its race; the witness's traces are written as Trace Event Format JSON and ftrace text;
// --json has the answer; a scenario file's own queries are asked of its scenario; bad queries and
// bad files are one line naming where and what was expected.
package ethosu.bench.cli;

import ethosu.bench.report.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class QueryCommandTest {
    static final Path DIR = Path.of("target/query-test");

    @Test
    @SuppressWarnings("unchecked")
    void readmeExampleAnswersWithAMinimisedWitnessAndItsTraces() throws Exception {
        Files.createDirectories(DIR);
        Path tj = DIR.resolve("witness.json"), ft = DIR.resolve("witness.txt"), js = DIR.resolve("answers.json");
        CliRun r = CliRun.of("query", "--variant", "lockless", "--scenario", "two-jobs", "--save", DIR.toString(),
                "--trace-json", tj.toString(), "--ftrace", ft.toString(), "--json", js.toString(),
                "run_job(B) during timedout_job(A)");
        assertEquals(Main.OK, r.status(), r.toString());
        String[] l = r.out().split("\n");
        assertEquals("lockless: run_job(B) during timedout_job(A)", l[0], r.toString());
        assertTrue(l[1].startsWith("  witnessed: witness in two-jobs ("), r.toString());
        assertTrue(l[2].matches("  match: run_job\\(jobB\\) on submit_wq at step \\d+ during timedout_job\\(jobA\\) on timeout_wq .*"),
                r.toString());
        assertTrue(l[3].matches("  schedule: target/query-test/lockless--two-jobs--query-1.schedule \\(\\d+ decisions, \\d+ "
                + "preemptions; minimised from \\d+ preemptions in \\d+ runs\\)"), r.toString());
        assertTrue(r.out().contains("<-- run_job(B) during timedout_job(A)"), r.toString());
        Map<String, Object> doc = Json.object(Json.parse(tj.toString(), Files.readString(tj)), "trace");
        assertFalse(Json.list(doc, "traceEvents", "trace").isEmpty());
        assertTrue(Files.readString(ft).startsWith("# tracer: ethosu-bench\n"));
        Map<String, Object> res = Json.object(Json.parse(js.toString(), Files.readString(js)), "json");
        Map<String, Object> a = (Map<String, Object>) Json.list(res, "answers", "json").get(0);
        assertEquals("witness", a.get("answer"));
        assertEquals(Boolean.TRUE, a.get("holds"));
        // the witness's file replays to its match
        CliRun replay = CliRun.of("replay", "--schedule", DIR.resolve("lockless--two-jobs--query-1.schedule").toString());
        assertEquals(Main.OK, replay.status(), replay.toString());
        assertTrue(replay.out().contains("query: run_job(jobB) on submit_wq at step "), replay.toString());
    }

    @Test
    void aScenarioFilesQueriesAreAskedOfItsScenario() throws Exception {
        Files.createDirectories(DIR);
        Path f = DIR.resolve("lock.txt");
        Files.writeString(f, """
                scenario one-job
                  client
                    submit A complete
                  never hold(job_lock) during hold(job_lock)
                """);
        CliRun r = CliRun.of("query", "--variant", "locked", "--scenario-file", f.toString(), "--plan", "dfs:1",
                "--save", DIR.toString());
        assertEquals(Main.OK, r.status(), r.toString());
        assertEquals(List.of("locked: never hold(job_lock) during hold(job_lock)   (one-job:1, " + f + ":4)",
                "  holds: none up to bound 1 (exhausted)"), List.of(r.out().split("\n")).subList(0, 2), r.toString());
    }

    @Test
    void badQueriesAndFilesAreOneLine() throws Exception {
        CliRun r = CliRun.of("query", "--variant", "locked", "run_job(B) durnig timedout_job(A)");
        assertTrue(r.isOneLineError(), r.toString());
        assertEquals("ethosu-bench query: the command line, column 12: expected 'during', 'within', 'overlaps', 'between' "
                + "or the end of the query, got 'durnig'", r.errLines().get(0));
        CliRun none = CliRun.of("query", "--variant", "locked");
        assertTrue(none.isOneLineError(), none.toString());
        assertTrue(none.errLines().get(0).contains("expected a QUERY"), none.toString());
        Files.createDirectories(DIR);
        Path f = DIR.resolve("bad.txt");
        Files.writeString(f, "scenario s\n  client\n    submit A complete\n  never run_job(A) during\n");
        CliRun file = CliRun.of("query", "--variant", "locked", "--scenario-file", f.toString());
        assertTrue(file.isOneLineError(), file.toString());
        assertTrue(file.errLines().get(0).endsWith(f + ":4: column 26: expected a callback after 'during' (run_job, "
                + "timedout_job, free_job, cancel_job, irq_handler, irq_thread, runtime_resume, runtime_suspend, reset, "
                + "work(F), hold(LOCK)), got the end of the query"), file.toString());
        CliRun plan = CliRun.of("query", "--variant", "locked", "--plan", "bfs", "run_job");
        assertTrue(plan.isOneLineError(), plan.toString());
    }
}
