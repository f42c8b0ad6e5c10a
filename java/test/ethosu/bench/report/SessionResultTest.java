// The machine-readable result: every member a consumer needs is there, it reads back as written,
// shards of one plan merge into the same verdicts and answers, and what a variant adds over locked
// is counted by identity and by check.
package ethosu.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

public class SessionResultTest {
    static SessionResult.Found found(String id, String check, String known) {
        return new SessionResult.Found(check.toUpperCase().replace(' ', '_'), check, id, "text of " + id, "irq/ethosu", known,
                3, 0.5, "target/x.schedule", "  report of " + id + "\n");
    }

    static SessionResult.Task task(String variant, String scenario, String strategy, boolean exhausted,
                                   List<SessionResult.Found> fs, List<SessionResult.Matched> ms) {
        Integer bound = strategy.startsWith("dfs") ? 1 : null;
        return new SessionResult.Task(variant, scenario, strategy, bound, 1, 1000, 230, exhausted, 0, 1.5, null, fs,
                List.of(new SessionResult.Reached("A=0 B=0; 1 reset", 1, "target/o.schedule")), ms);
    }

    static final List<SessionResult.Query> QUERIES = List.of(
            new SessionResult.Query("claim-1", "never run_job during timedout_job", "built in", "about", null),
            new SessionResult.Query("s:1", "never hold(job_lock) during hold(job_lock)", "s.txt:3", null, "two-jobs"));

    public static SessionResult.Plan plan(List<String> variants) {
        return new SessionResult.Plan(variants, List.of("two-jobs"), List.of("dfs:1", "pct:3"), 1000, 20, 1, 2,
                "baseline/known-findings.txt", QUERIES);
    }

    public static List<SessionResult.Task> tasks() {
        SessionResult.Matched m = new SessionResult.Matched("claim-1", 7, "run_job(jobB) ... during timedout_job(jobA)",
                "target/w.schedule", "  diagram\n");
        return List.of(
                task("locked", "two-jobs", "dfs:1", true, List.of(found("lost", "a job the device completed finishes with 0", "k1")), List.of()),
                task("locked", "two-jobs", "pct:3", false, List.of(), List.of(m)),
                task("lockless", "two-jobs", "dfs:1", true, List.of(found("lost", "a job the device completed finishes with 0", "k1"),
                        found("uaf", "no use after free", "k2"), found("uaf2", "no use after free", null)), List.of()),
                task("lockless", "two-jobs", "pct:3", false, List.of(), List.of(m)));
    }

    @Test
    void derivedVerdictsCountWhatAVariantAddsOverLocked() {
        SessionResult r = SessionResult.derive("run", plan(List.of("locked", "lockless")), tasks());
        SessionResult.Verdict lockless = r.verdicts().get(1);
        assertEquals("lockless", lockless.variant());
        assertEquals(Map.of("no use after free", 2), lockless.added());
        assertEquals(1, lockless.fresh());
        assertEquals(1, r.exit().status());
        assertEquals("1 finding(s) outside the baseline (lockless 1)", r.exit().reason());
        SessionResult.Answer claim = r.answers().stream().filter(a -> a.variant().equals("lockless")
                && a.query().equals("claim-1")).findFirst().orElseThrow();
        assertFalse(claim.holds());
        assertEquals("refuted: witness in two-jobs (pct:3, schedule 7)", claim.line());
        SessionResult.Answer holds = r.answers().stream().filter(a -> a.query().equals("s:1")).findFirst().orElseThrow();
        assertEquals("holds: none up to bound 1 (exhausted)", holds.line());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasEveryTaskFindingAnswerAndBoundAndReadsBack() {
        SessionResult r = SessionResult.derive("run", plan(List.of("locked", "lockless")), tasks());
        String json = r.toJson();
        Map<String, Object> doc = Json.object(Json.parse("result", json), "result");
        assertEquals((long) SessionResult.FORMAT, doc.get("format"));
        for (String k : List.of("command", "plan", "tasks", "verdicts", "answers", "exit")) assertTrue(doc.containsKey(k), k);
        List<Object> tasks = Json.list(doc, "tasks", "result");
        assertEquals(4, tasks.size());
        Map<String, Object> t = (Map<String, Object>) tasks.get(2);
        for (String k : List.of("variant", "scenario", "strategy", "bound", "schedules", "exhausted", "findings", "outcomes",
                "matches")) assertTrue(t.containsKey(k), "task member " + k + ": " + t);
        assertEquals(1L, t.get("bound"));
        Map<String, Object> f = (Map<String, Object>) Json.list(t, "findings", "t").get(1);
        for (String k : List.of("check", "title", "identity", "text", "known", "schedule", "report"))
            assertTrue(f.containsKey(k), "finding member " + k);
        Map<String, Object> a = (Map<String, Object>) Json.list(doc, "answers", "result").get(0);
        for (String k : List.of("variant", "query", "kind", "answer", "holds", "exhausted", "bound", "schedules", "witness", "line"))
            assertTrue(a.containsKey(k), "answer member " + k);
        SessionResult back = SessionResult.fromJson("result", json);
        assertEquals(r, back, "what was written reads back the same");
    }

    @Test
    void shardsMergeIntoTheSameResult() {
        List<SessionResult.Task> all = tasks();
        SessionResult whole = SessionResult.derive("run", plan(List.of("locked", "lockless")), all);
        SessionResult a = SessionResult.derive("run", plan(List.of("locked")), all.subList(0, 2));
        SessionResult b = SessionResult.derive("run", plan(List.of("lockless")), all.subList(2, 4));
        assertEquals(whole, SessionResult.merge(List.of(a, b)));
    }

    @Test
    void badJsonSaysWhereAndWhat() {
        var e = assertThrows(Json.JsonException.class, () -> SessionResult.fromJson("r.json", "{\"format\": 1,\n \"plan\" 3}"));
        assertEquals("r.json:2:9: expected ':' after a member name, got '3'", e.getMessage());
        var f = assertThrows(Json.JsonException.class, () -> SessionResult.fromJson("r.json", "{\"format\": 99}"));
        assertEquals("r.json: expected a session result of format 1, got 99", f.getMessage());
    }

    /** The differential pass reads back as written, and shards merge it with their tasks. */
    @Test
    void theDifferentialPassReadsBackAndMerges() {
        SessionResult.Divergence d = new SessionResult.Divergence(153, "submit_wq", "C: a; model: b", "target/d.schedule",
                "DIVERGENCE\n");
        SessionResult.Compared locked = new SessionResult.Compared("locked", "locked", "two-jobs", "dfs:1", 40, true, 1.0,
                null, 0, List.of(), List.of());
        SessionResult.Compared lockless = new SessionResult.Compared("lockless", "lockless", "two-jobs", "dfs:1", 38, true,
                1.0, null, 2, List.of(d), List.of(found("crash", "no native crash", null)));
        List<SessionResult.Task> all = tasks();
        SessionResult whole = SessionResult.derive("run", plan(List.of("locked", "lockless")), all, List.of(locked, lockless));
        assertEquals(whole, SessionResult.fromJson("x.json", whole.toJson()));
        SessionResult a = SessionResult.derive("run", plan(List.of("locked")), all.subList(0, 2), List.of(locked));
        SessionResult b = SessionResult.derive("run", plan(List.of("lockless")), all.subList(2, 4), List.of(lockless));
        assertEquals(whole, SessionResult.merge(List.of(a, b)));
        SessionResult.Differential v = whole.verdicts().get(1).differential();
        assertEquals(new SessionResult.Differential("lockless", 38, 2, "two-jobs", d, 1, List.of()), v);
        assertNull(whole.verdicts().get(0).differential().first());
        assertTrue(whole.exit().reason().contains("the C and its model diverge (lockless 2 schedule(s))"), whole.exit().reason());
        assertTrue(whole.exit().reason().contains("crashes outside the baseline in the differential pass (lockless 1)"),
                whole.exit().reason());
        assertTrue(whole.toJson().contains("\"divergences\": 2"), whole.toJson());
    }
}
