// The machine-readable result of a session (`run --json FILE`, `query --json FILE`): every task
// (variant x scenario x strategy) with its bound, schedules, findings, outcomes and query matches,
// the differential pass (the C against its Java model), and what is derived from them: each
// variant's verdict and each query's answer. Results of several sessions merge into one by their
// tasks: sessions of different parts of a plan side by side, the parts of one task (--shard K/N on N
// machines) into the task one machine would have explored; the derived parts are recomputed.
package ethosu.bench.report;

import ethosu.bench.check.Outcome;
import ethosu.bench.check.OutcomeSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * @param format   FORMAT, the version of this layout
 * @param command  the command that made it ("run", "query")
 * @param plan     what was asked
 * @param tasks    what each task explored and found
 * @param differential what each task of the differential pass compared, empty when it did not run
 * @param verdicts per variant, derived from the tasks (see {@link #derive})
 * @param answers  per variant x query, derived from the tasks
 * @param exit     the command's exit status and why
 */
public record SessionResult(int format, String command, Plan plan, List<Task> tasks, List<Compared> differential,
                            List<Verdict> verdicts, List<Answer> answers, Exit exit) {
    /** Bumped whenever a member changes meaning or goes away (added members keep it). */
    public static final int FORMAT = 1;
    /** The variant every other is compared with: the driver as it is. */
    public static final String BASE_VARIANT = "locked";

    /**
     * @param strategies the plan's strategies, each run per variant x scenario ("dfs:1", "pct:3")
     * @param budget     schedules per strategy at most
     * @param seconds    real seconds per strategy at most
     * @param queries    the queries evaluated on every schedule, by name ("claim-1") and text
     */
    public record Plan(List<String> variants, List<String> scenarios, List<String> strategies, long budget,
                       long seconds, long seed, int workers, String baseline, List<Query> queries) {}

    /**
     * A query as asked: its name, its text, where it comes from (built in, a file and line, the
     * command line), what it stands for; scenario: the one scenario it is asked of (a scenario
     * file's own), null for every scenario.
     */
    public record Query(String name, String text, String source, String about, String scenario) {}

    /**
     * One variant x scenario x strategy.
     *
     * @param bound       the preemption bound of a bounded DFS, null for sampling strategies
     * @param exhausted   every schedule within the bound was explored (bounded DFS only)
     * @param stepLimited schedules that reached the step limit (explored less deep than asked)
     * @param problem     why the task stopped early, null if it did not
     * @param shard       which part of the task this is (--shard K/N: K), 0 for a whole task
     * @param shards      how many parts the task was split into (N), 1 for a whole task
     */
    public record Task(String variant, String scenario, String strategy, Integer bound, long seed, long budget,
                       long schedules, boolean exhausted, long stepLimited, double seconds, String problem,
                       List<Found> findings, List<Reached> outcomes, List<Matched> matches, int shard, int shards) {
        public Task {
            findings = List.copyOf(findings);
            outcomes = List.copyOf(outcomes);
            matches = List.copyOf(matches);
        }

        /** A whole task. */
        public Task(String variant, String scenario, String strategy, Integer bound, long seed, long budget,
                    long schedules, boolean exhausted, long stepLimited, double seconds, String problem,
                    List<Found> findings, List<Reached> outcomes, List<Matched> matches) {
            this(variant, scenario, strategy, bound, seed, budget, schedules, exhausted, stepLimited, seconds, problem,
                    findings, outcomes, matches, 0, 1);
        }

        /** What makes two parts parts of one task. */
        String key() {
            return variant + "\u0000" + scenario + "\u0000" + strategy + "\u0000" + seed + "\u0000" + budget;
        }
    }

    /**
     * A distinct finding of a task.
     *
     * @param check    the check's name (Finding.Check), title its title
     * @param identity the same race in any schedule is the same identity
     * @param known    the baseline entry it matches, null: new
     * @param index    the schedule (1-based, within its task) that first showed it
     * @param schedule its (minimised) schedule file, replayable
     * @param report   the finding, its schedule and its race as the text report prints them
     */
    public record Found(String check, String title, String identity, String text, String context, String known,
                        long index, double seconds, String schedule, String report) {}

    /** A distinct outcome a task reached, with the first schedule that reached it. */
    public record Reached(String outcome, long index, String schedule) {}

    /**
     * A query's first match in a task.
     *
     * @param match    what matched, in words ("run_job(jobB) at step 153 during timedout_job(jobA) on timeout_wq")
     * @param schedule the minimised witness schedule file
     * @param report   the witness's race diagram
     */
    public record Matched(String query, long index, String match, String schedule, String report) {}

    /**
     * A query's answer on one variant over all its tasks.
     *
     * @param answer     "witness" (a schedule matches) or "none"
     * @param holds      what the query claims holds: a `never` with no match, a `witness` with one
     * @param exhausted  no match and every scenario's DFS bound was exhausted: "none up to bound k"
     * @param bound      the bound k exhausted in every scenario, null if not
     * @param schedules  schedules the query was evaluated on
     * @param witness    the first match, null if none
     * @param scenario   the scenario of the witness
     */
    public record Answer(String variant, String query, String kind, String answer, boolean holds, boolean exhausted,
                         Integer bound, long schedules, Matched witness, String scenario, String strategy) {
        /** One line: "refuted: witness in two-jobs (pct:3, schedule 98)", "holds: none up to bound 1 (exhausted)". */
        public String line() {
            String verdict = kind.equals("never") ? (holds ? "holds" : "refuted") : (holds ? "witnessed" : "no witness");
            if (witness != null)
                return verdict + ": witness in " + scenario + " (" + strategy + ", schedule " + witness.index() + ")";
            return verdict + ": none " + (exhausted ? "up to bound " + bound + " (exhausted)"
                    : "in " + schedules + " schedules (not exhausted" + (bound != null ? "; bound " + bound + " was" : "") + ")");
        }
    }

    /**
     * What a variant adds over {@link #BASE_VARIANT}, and what the run made of it.
     *
     * @param added        findings it shows that the base variant does not, by identity, per check title
     * @param gone         findings of the base variant it does not show, per check title
     * @param outcomesAdded outcomes reachable here and not on the base variant (within exhausted DFS bounds), per scenario
     * @param outcomesGone  the other way round
     * @param fresh        its findings outside the baseline
     * @param differential the driver compared with its model, null when not run
     */
    public record Verdict(String variant, long schedules, int findings, Map<String, Integer> added,
                          Map<String, Integer> gone, Map<String, Integer> outcomesAdded,
                          Map<String, Integer> outcomesGone, int fresh, Differential differential) {}

    /**
     * One variant x scenario of the differential pass: every schedule of its strategy run on the C and
     * followed on the Java model, traces, decisions and findings compared.
     *
     * @param model       the variant whose model is the other side: the variant itself, but for the
     *                    pass's negative control (a model known to differ)
     * @param divergences schedules whose two sides differed
     * @param first       the first divergence of each distinct kind, as found
     * @param crashes     native crashes of the C side, each a finding with its schedule
     */
    public record Compared(String variant, String model, String scenario, String strategy, long schedules,
                           boolean exhausted, double seconds, String problem, long divergences, List<Divergence> first,
                           List<Found> crashes) {
        public Compared {
            first = List.copyOf(first);
            crashes = List.copyOf(crashes);
        }
    }

    /**
     * Where a schedule's two sides first differ.
     *
     * @param what     both sides' events at that step ("C: submit_wq point ...; model: submit_wq point ...")
     * @param schedule the schedule file that replays it on either side
     * @param report   both sides' last events, as the text report prints them
     */
    public record Divergence(int step, String context, String what, String schedule, String report) {}

    /**
     * The differential pass of a variant over its scenarios.
     *
     * @param first    the first divergence, null if none; scenario: where
     * @param crashes  native crashes of the C side outside the baseline
     * @param empty    scenarios where it compared nothing
     */
    public record Differential(String model, long schedules, long divergences, String scenario, Divergence first,
                               int crashes, List<String> empty) {
        public Differential {
            empty = List.copyOf(empty);
        }
    }

    public record Exit(int status, String reason) {}

    // ---------------------------------------------------------------- deriving

    /** The verdicts and answers of a plan's tasks, and the exit status `run` gives them. */
    public static SessionResult derive(String command, Plan plan, List<Task> tasks) {
        return derive(command, plan, tasks, List.of());
    }

    /** The same with a differential pass: a divergence, or a pass that compared nothing, fails the run. */
    public static SessionResult derive(String command, Plan plan, List<Task> tasks, List<Compared> differential) {
        List<String> variants = new ArrayList<>(plan.variants());
        for (Task t : tasks) if (!variants.contains(t.variant())) variants.add(t.variant());
        for (Compared c : differential) if (!variants.contains(c.variant())) variants.add(c.variant());
        List<Verdict> verdicts = new ArrayList<>();
        for (String v : variants) verdicts.add(verdict(v, tasks, differential));
        List<Answer> answers = new ArrayList<>();
        for (String v : variants)
            for (Query q : plan.queries()) answers.add(answer(v, q, tasks));
        int fresh = verdicts.stream().mapToInt(Verdict::fresh).sum();
        List<String> problems = new ArrayList<>();
        for (Task t : tasks) if (t.problem() != null) problems.add(t.variant() + " x " + t.scenario() + " " + t.strategy());
        // a variant x scenario of the plan that explored nothing checked nothing: the run is not green
        List<String> empty = new ArrayList<>();
        for (String v : plan.variants())
            for (String s : plan.scenarios())
                if (tasks.stream().noneMatch(t -> t.variant().equals(v) && t.scenario().equals(s) && t.schedules() > 0))
                    empty.add(v + " x " + s);
        // the differential pass: a divergence is a finding; a crash of its C side outside the baseline
        // too; a variant x scenario it compared nothing for checked nothing
        List<String> diverged = new ArrayList<>(), crashed = new ArrayList<>();
        for (Verdict d : verdicts) {
            if (d.differential() == null) continue;
            if (d.differential().divergences() > 0) diverged.add(d.variant() + " " + d.differential().divergences());
            if (d.differential().crashes() > 0) crashed.add(d.variant() + " " + d.differential().crashes());
            for (String s : d.differential().empty()) empty.add(d.variant() + " x " + s + " (differential)");
        }
        Exit exit;
        if (fresh > 0 || !empty.isEmpty() || !diverged.isEmpty() || !crashed.isEmpty()) {
            List<String> where = new ArrayList<>();
            for (Verdict d : verdicts) if (d.fresh() > 0) where.add(d.variant() + " " + d.fresh());
            List<String> reasons = new ArrayList<>();
            if (fresh > 0) reasons.add(fresh + " finding(s) outside the baseline (" + String.join(", ", where) + ")");
            if (!diverged.isEmpty())
                reasons.add("the C and its model diverge (" + String.join(", ", diverged) + " schedule(s))");
            if (!crashed.isEmpty())
                reasons.add("crashes outside the baseline in the differential pass (" + String.join(", ", crashed) + ")");
            if (!empty.isEmpty()) reasons.add("nothing explored for " + String.join(", ", empty));
            exit = new Exit(1, String.join("; ", reasons));
        } else {
            exit = new Exit(0, "every finding is in the baseline (" + plan.baseline() + ")"
                    + (problems.isEmpty() ? "" : "; " + problems.size() + " task(s) stopped early"));
        }
        return new SessionResult(FORMAT, command, plan, List.copyOf(tasks), List.copyOf(differential), verdicts, answers,
                exit);
    }

    private static Verdict verdict(String v, List<Task> tasks, List<Compared> differential) {
        Map<String, Found> mine = distinct(tasks, v), base = distinct(tasks, BASE_VARIANT);
        Map<String, Integer> added = new TreeMap<>(), gone = new TreeMap<>();
        boolean baseRan = tasks.stream().anyMatch(t -> t.variant().equals(BASE_VARIANT));
        if (baseRan && !v.equals(BASE_VARIANT)) {
            mine.forEach((id, f) -> { if (!base.containsKey(id)) added.merge(f.title(), 1, Integer::sum); });
            base.forEach((id, f) -> { if (!mine.containsKey(id)) gone.merge(f.title(), 1, Integer::sum); });
        }
        Map<String, Integer> oAdded = new TreeMap<>(), oGone = new TreeMap<>();
        if (baseRan && !v.equals(BASE_VARIANT)) {
            OutcomeSet.Difference d = OutcomeSet.compare(exhaustiveOutcomes(tasks, BASE_VARIANT), exhaustiveOutcomes(tasks, v));
            d.onlyRight().forEach((sc, m) -> oAdded.put(sc, m.size()));
            d.onlyLeft().forEach((sc, m) -> oGone.put(sc, m.size()));
        }
        int fresh = (int) mine.values().stream().filter(f -> f.known() == null).count();
        long n = tasks.stream().filter(t -> t.variant().equals(v)).mapToLong(Task::schedules).sum();
        return new Verdict(v, n, mine.size(), added, gone, oAdded, oGone, fresh, differential(v, differential));
    }

    /** A variant's differential pass over its scenarios, null if it had none. */
    private static Differential differential(String v, List<Compared> all) {
        long schedules = 0, divergences = 0;
        String model = null, scenario = null;
        Divergence first = null;
        Set<String> crashes = new LinkedHashSet<>();
        Set<String> compared = new LinkedHashSet<>(), scenarios = new LinkedHashSet<>();
        boolean any = false;
        for (Compared c : all) {
            if (!c.variant().equals(v)) continue;
            any = true;
            if (model == null || c.model().equals(v)) model = c.model();
            schedules += c.schedules();
            divergences += c.divergences();
            scenarios.add(c.scenario());
            if (c.schedules() > 0) compared.add(c.scenario());
            if (first == null && !c.first().isEmpty()) {
                first = c.first().get(0);
                scenario = c.scenario();
            }
            for (Found f : c.crashes()) if (f.known() == null) crashes.add(f.identity());
        }
        if (!any) return null;
        scenarios.removeAll(compared);
        return new Differential(model, schedules, divergences, scenario, first, crashes.size(), List.copyOf(scenarios));
    }

    /** A variant's distinct findings by identity, the first sighting of each. */
    public static Map<String, Found> distinct(List<Task> tasks, String variant) {
        Map<String, Found> m = new LinkedHashMap<>();
        for (Task t : tasks)
            if (t.variant().equals(variant))
                for (Found f : t.findings()) m.putIfAbsent(f.identity(), f);
        return m;
    }

    /** The outcomes of a variant's tasks whose DFS bound was exhausted: comparable across variants. */
    public static OutcomeSet exhaustiveOutcomes(List<Task> tasks, String variant) {
        OutcomeSet s = new OutcomeSet();
        for (Task t : tasks)
            if (t.variant().equals(variant) && t.bound() != null && t.exhausted())
                for (Reached r : t.outcomes())
                    s.add(t.scenario(), Outcome.parse(r.outcome()), new OutcomeSet.Witness(t.scenario(), r.index(),
                            r.schedule() == null ? "-" : r.schedule()));
        return s;
    }

    private static Answer answer(String v, Query q, List<Task> tasks) {
        String kind = q.text().strip().startsWith("never") ? "never" : "witness";
        Matched first = null;
        Task where = null;
        long schedules = 0;
        Map<String, Integer> exhaustedBound = new LinkedHashMap<>();
        Set<String> scenarios = new LinkedHashSet<>();
        for (Task t : tasks) {
            if (!t.variant().equals(v) || (q.scenario() != null && !q.scenario().equals(t.scenario()))) continue;
            scenarios.add(t.scenario());
            schedules += t.schedules();
            if (t.bound() != null && t.exhausted()) exhaustedBound.merge(t.scenario(), t.bound(), Math::max);
            for (Matched m : t.matches())
                if (m.query().equals(q.name()) && first == null) {
                    first = m;
                    where = t;
                }
        }
        boolean matched = first != null;
        boolean exhausted = !matched && !scenarios.isEmpty() && exhaustedBound.keySet().containsAll(scenarios);
        Integer bound = exhausted ? exhaustedBound.values().stream().min(Integer::compare).orElse(null) : null;
        boolean holds = kind.equals("never") != matched;
        return new Answer(v, q.name(), kind, matched ? "witness" : "none", holds, exhausted, bound, schedules, first,
                where == null ? null : where.scenario(), where == null ? null : where.strategy());
    }

    /**
     * Several sessions' results as one: their tasks together, the parts of a split task (shards > 1)
     * combined into the whole task, everything derived again.
     */
    public static SessionResult merge(List<SessionResult> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("nothing to merge");
        Plan p0 = parts.get(0).plan();
        List<String> variants = new ArrayList<>(), scenarios = new ArrayList<>();
        List<Query> queries = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        List<Compared> differential = new ArrayList<>();
        for (SessionResult r : parts) {
            for (String v : r.plan().variants()) if (!variants.contains(v)) variants.add(v);
            for (String s : r.plan().scenarios()) if (!scenarios.contains(s)) scenarios.add(s);
            for (Query q : r.plan().queries()) if (queries.stream().noneMatch(x -> x.name().equals(q.name()))) queries.add(q);
            tasks.addAll(r.tasks());
            differential.addAll(r.differential());
        }
        tasks = combineParts(tasks);
        Plan p = new Plan(variants, scenarios, p0.strategies(), p0.budget(), p0.seconds(), p0.seed(), p0.workers(),
                p0.baseline(), queries);
        return derive(parts.get(0).command(), p, tasks, differential);
    }

    /**
     * Split tasks' parts combined, each where its first part stood: schedules add up, the bound is
     * exhausted only if every part came once and exhausted its share, findings, outcomes and matches
     * are the union of the parts' (the first part to show each). A part missing, given twice or split
     * differently is the combined task's problem. Whole tasks stay as they are.
     */
    static List<Task> combineParts(List<Task> tasks) {
        Map<String, List<Task>> parts = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>();
        for (Task t : tasks) {
            if (t.shards() <= 1) {
                order.add(t);
                continue;
            }
            List<Task> ps = parts.get(t.key());
            if (ps == null) {
                parts.put(t.key(), ps = new ArrayList<>());
                order.add(ps);
            }
            ps.add(t);
        }
        List<Task> out = new ArrayList<>();
        for (Object o : order) {
            if (o instanceof Task t) out.add(t);
            else {
                @SuppressWarnings("unchecked") List<Task> ps = (List<Task>) o;
                out.add(combine(ps));
            }
        }
        return out;
    }

    /** What keeps the split tasks of these sessions from being whole: parts missing, twice, split differently. */
    public static List<String> partProblems(List<SessionResult> sessions) {
        Map<String, List<Task>> parts = new LinkedHashMap<>();
        for (SessionResult r : sessions)
            for (Task t : r.tasks()) if (t.shards() > 1) parts.computeIfAbsent(t.key(), k -> new ArrayList<>()).add(t);
        List<String> out = new ArrayList<>();
        for (List<Task> ps : parts.values()) {
            Task t = ps.get(0);
            for (String p : partsProblems(ps)) out.add(t.variant() + " x " + t.scenario() + " " + t.strategy() + ": " + p);
        }
        return out;
    }

    /** The parts of one task: which are missing, given twice, or of a different split. */
    private static List<String> partsProblems(List<Task> ps) {
        int shards = ps.get(0).shards();
        Set<Integer> seen = new java.util.TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Task p : ps) {
            if (p.shards() != shards) problems.add("parts of " + p.shards() + " and of " + shards + " shards");
            else if (!seen.add(p.shard())) problems.add("shard " + p.shard() + "/" + shards + " twice");
        }
        List<Integer> missing = new ArrayList<>();
        for (int k = 0; k < shards; k++) if (!seen.contains(k)) missing.add(k);
        if (!missing.isEmpty()) problems.add("shard(s) " + missing + " of " + shards + " missing");
        return problems;
    }

    private static Task combine(List<Task> ps) {
        Task first = ps.get(0);
        List<String> problems = partsProblems(ps);
        long schedules = 0, stepLimited = 0;
        double seconds = 0;
        boolean exhausted = true;
        Map<String, Found> findings = new LinkedHashMap<>();
        Map<String, Reached> outcomes = new LinkedHashMap<>();
        Map<String, Matched> matches = new LinkedHashMap<>();
        for (Task p : ps) {
            schedules += p.schedules();
            stepLimited += p.stepLimited();
            seconds += p.seconds();
            exhausted &= p.exhausted();
            if (p.problem() != null) problems.add("shard " + p.shard() + "/" + p.shards() + ": " + p.problem());
            for (Found f : p.findings()) findings.putIfAbsent(f.identity(), f);
            for (Reached r : p.outcomes()) outcomes.putIfAbsent(r.outcome(), r);
            for (Matched m : p.matches()) matches.putIfAbsent(m.query(), m);
        }
        return new Task(first.variant(), first.scenario(), first.strategy(), first.bound(), first.seed(), first.budget(),
                schedules, exhausted && problems.isEmpty(), stepLimited, seconds,
                problems.isEmpty() ? null : String.join("; ", problems), new ArrayList<>(findings.values()),
                new ArrayList<>(outcomes.values()), new ArrayList<>(matches.values()));
    }

    // ---------------------------------------------------------------- JSON

    public String toJson() {
        return Json.write(toMap(), 1) + "\n";
    }

    public void write(Path file) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        Files.writeString(file, toJson());
    }

    public static SessionResult read(Path file) throws IOException {
        return fromJson(file.toString(), Files.readString(file));
    }

    private Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", format);
        m.put("command", command);
        m.put("plan", plan(plan));
        List<Object> ts = new ArrayList<>();
        for (Task t : tasks) ts.add(task(t));
        m.put("tasks", ts);
        List<Object> ds = new ArrayList<>();
        for (Compared c : differential) ds.add(compared(c));
        m.put("differential", ds);
        List<Object> vs = new ArrayList<>();
        for (Verdict v : verdicts) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("variant", v.variant());
            o.put("schedules", v.schedules());
            o.put("findings", v.findings());
            o.put("added", v.added());
            o.put("gone", v.gone());
            o.put("outcomesAdded", v.outcomesAdded());
            o.put("outcomesGone", v.outcomesGone());
            o.put("fresh", v.fresh());
            if (v.differential() != null) {
                Differential d = v.differential();
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("model", d.model());
                x.put("schedules", d.schedules());
                x.put("divergences", d.divergences());
                x.put("scenario", d.scenario());
                x.put("first", d.first() == null ? null : divergence(d.first()));
                x.put("crashes", d.crashes());
                x.put("empty", d.empty());
                o.put("differential", x);
            }
            vs.add(o);
        }
        m.put("verdicts", vs);
        List<Object> as = new ArrayList<>();
        for (Answer a : answers) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("variant", a.variant());
            o.put("query", a.query());
            o.put("kind", a.kind());
            o.put("answer", a.answer());
            o.put("holds", a.holds());
            o.put("exhausted", a.exhausted());
            o.put("bound", a.bound());
            o.put("schedules", a.schedules());
            o.put("scenario", a.scenario());
            o.put("strategy", a.strategy());
            o.put("witness", a.witness() == null ? null : matched(a.witness()));
            o.put("line", a.line());
            as.add(o);
        }
        m.put("answers", as);
        m.put("exit", Map.of("status", exit.status(), "reason", exit.reason()));
        return m;
    }

    private static Map<String, Object> plan(Plan p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("variants", p.variants());
        o.put("scenarios", p.scenarios());
        o.put("strategies", p.strategies());
        o.put("budget", p.budget());
        o.put("seconds", p.seconds());
        o.put("seed", p.seed());
        o.put("workers", p.workers());
        o.put("baseline", p.baseline());
        List<Object> qs = new ArrayList<>();
        for (Query q : p.queries()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", q.name());
            x.put("text", q.text());
            x.put("source", q.source());
            x.put("about", q.about());
            x.put("scenario", q.scenario());
            qs.add(x);
        }
        o.put("queries", qs);
        return o;
    }

    private static Map<String, Object> task(Task t) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("variant", t.variant());
        o.put("scenario", t.scenario());
        o.put("strategy", t.strategy());
        o.put("bound", t.bound());
        o.put("seed", t.seed());
        o.put("budget", t.budget());
        o.put("schedules", t.schedules());
        o.put("exhausted", t.exhausted());
        o.put("stepLimited", t.stepLimited());
        o.put("seconds", t.seconds());
        o.put("problem", t.problem());
        if (t.shards() > 1) {
            o.put("shard", t.shard());
            o.put("shards", t.shards());
        }
        List<Object> fs = new ArrayList<>();
        for (Found f : t.findings()) fs.add(found(f));
        o.put("findings", fs);
        List<Object> os = new ArrayList<>();
        for (Reached r : t.outcomes()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("outcome", r.outcome());
            x.put("index", r.index());
            x.put("schedule", r.schedule());
            os.add(x);
        }
        o.put("outcomes", os);
        List<Object> ms = new ArrayList<>();
        for (Matched m : t.matches()) ms.add(matched(m));
        o.put("matches", ms);
        return o;
    }

    private static Map<String, Object> found(Found f) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("check", f.check());
        x.put("title", f.title());
        x.put("identity", f.identity());
        x.put("text", f.text());
        x.put("context", f.context());
        x.put("known", f.known());
        x.put("index", f.index());
        x.put("seconds", f.seconds());
        x.put("schedule", f.schedule());
        x.put("report", f.report());
        return x;
    }

    private static Map<String, Object> compared(Compared c) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("variant", c.variant());
        o.put("model", c.model());
        o.put("scenario", c.scenario());
        o.put("strategy", c.strategy());
        o.put("schedules", c.schedules());
        o.put("exhausted", c.exhausted());
        o.put("seconds", c.seconds());
        o.put("problem", c.problem());
        o.put("divergences", c.divergences());
        List<Object> ds = new ArrayList<>();
        for (Divergence d : c.first()) ds.add(divergence(d));
        o.put("first", ds);
        List<Object> fs = new ArrayList<>();
        for (Found f : c.crashes()) fs.add(found(f));
        o.put("crashes", fs);
        return o;
    }

    private static Map<String, Object> divergence(Divergence d) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("step", d.step());
        x.put("context", d.context());
        x.put("what", d.what());
        x.put("schedule", d.schedule());
        x.put("report", d.report());
        return x;
    }

    private static Map<String, Object> matched(Matched m) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("query", m.query());
        x.put("index", m.index());
        x.put("match", m.match());
        x.put("schedule", m.schedule());
        x.put("report", m.report());
        return x;
    }

    /** Reads what toJson wrote; the derived parts are computed again from the tasks. */
    public static SessionResult fromJson(String source, String text) {
        Map<String, Object> m = Json.object(Json.parse(source, text), source);
        long format = Json.get(m, "format", Long.class, source);
        if (format != FORMAT)
            throw new Json.JsonException(source + ": expected a session result of format " + FORMAT + ", got " + format);
        Map<String, Object> p = Json.object(m.get("plan"), source + ": plan");
        List<Query> queries = new ArrayList<>();
        for (Object o : Json.list(p, "queries", source)) {
            Map<String, Object> q = Json.object(o, source + ": plan.queries");
            queries.add(new Query(Json.get(q, "name", String.class, source), Json.get(q, "text", String.class, source),
                    (String) q.get("source"), (String) q.get("about"), (String) q.get("scenario")));
        }
        Plan plan = new Plan(strings(p, "variants", source), strings(p, "scenarios", source),
                strings(p, "strategies", source), Json.get(p, "budget", Long.class, source),
                Json.get(p, "seconds", Long.class, source), Json.get(p, "seed", Long.class, source),
                Json.get(p, "workers", Long.class, source).intValue(), (String) p.get("baseline"), queries);
        List<Task> tasks = new ArrayList<>();
        int i = 0;
        for (Object o : Json.list(m, "tasks", source)) {
            String w = source + ": tasks[" + i++ + "]";
            Map<String, Object> t = Json.object(o, w);
            List<Found> fs = new ArrayList<>();
            for (Object f : Json.list(t, "findings", w)) fs.add(found(Json.object(f, w + ".findings"), w));
            List<Reached> rs = new ArrayList<>();
            for (Object r : Json.list(t, "outcomes", w)) {
                Map<String, Object> x = Json.object(r, w + ".outcomes");
                rs.add(new Reached(Json.get(x, "outcome", String.class, w), Json.get(x, "index", Long.class, w),
                        (String) x.get("schedule")));
            }
            List<Matched> ms = new ArrayList<>();
            for (Object r : Json.list(t, "matches", w)) ms.add(matched(Json.object(r, w + ".matches"), w));
            Long bound = Json.get(t, "bound", Long.class, w);
            // a part of a split task says which (added members: older files are whole tasks)
            Long shard = t.containsKey("shard") ? Json.get(t, "shard", Long.class, w) : null;
            Long shards = t.containsKey("shards") ? Json.get(t, "shards", Long.class, w) : null;
            if ((shard == null) != (shards == null) || shards != null && (shards < 1 || shard < 0 || shard >= shards
                    || shards > Integer.MAX_VALUE))
                throw new Json.JsonException(w + ": expected 'shard' K and 'shards' N with 0 <= K < N, got " + shard
                        + " and " + shards);
            tasks.add(new Task(Json.get(t, "variant", String.class, w), Json.get(t, "scenario", String.class, w),
                    Json.get(t, "strategy", String.class, w), bound == null ? null : bound.intValue(),
                    Json.get(t, "seed", Long.class, w), Json.get(t, "budget", Long.class, w),
                    Json.get(t, "schedules", Long.class, w), Json.get(t, "exhausted", Boolean.class, w),
                    Json.get(t, "stepLimited", Long.class, w), Json.get(t, "seconds", Double.class, w),
                    (String) t.get("problem"), fs, rs, ms, shard == null ? 0 : shard.intValue(),
                    shards == null ? 1 : shards.intValue()));
        }
        // a session without a differential pass, or written before it had one, has none
        List<Compared> differential = new ArrayList<>();
        i = 0;
        for (Object o : Json.list(m, "differential", source)) {
            String w = source + ": differential[" + i++ + "]";
            Map<String, Object> c = Json.object(o, w);
            List<Divergence> first = new ArrayList<>();
            for (Object d : Json.list(c, "first", w)) first.add(divergence(Json.object(d, w + ".first"), w));
            List<Found> crashes = new ArrayList<>();
            for (Object f : Json.list(c, "crashes", w)) crashes.add(found(Json.object(f, w + ".crashes"), w));
            differential.add(new Compared(Json.get(c, "variant", String.class, w), Json.get(c, "model", String.class, w),
                    Json.get(c, "scenario", String.class, w), Json.get(c, "strategy", String.class, w),
                    Json.get(c, "schedules", Long.class, w), Json.get(c, "exhausted", Boolean.class, w),
                    Json.get(c, "seconds", Double.class, w), (String) c.get("problem"),
                    Json.get(c, "divergences", Long.class, w), first, crashes));
        }
        return derive(Json.get(m, "command", String.class, source), plan, tasks, differential);
    }

    private static Found found(Map<String, Object> x, String w) {
        return new Found(Json.get(x, "check", String.class, w), Json.get(x, "title", String.class, w),
                Json.get(x, "identity", String.class, w), Json.get(x, "text", String.class, w),
                (String) x.get("context"), (String) x.get("known"), Json.get(x, "index", Long.class, w),
                Json.get(x, "seconds", Double.class, w), (String) x.get("schedule"), (String) x.get("report"));
    }

    private static Divergence divergence(Map<String, Object> x, String w) {
        return new Divergence(Json.get(x, "step", Long.class, w).intValue(), Json.get(x, "context", String.class, w),
                Json.get(x, "what", String.class, w), (String) x.get("schedule"), (String) x.get("report"));
    }

    private static Matched matched(Map<String, Object> x, String w) {
        return new Matched(Json.get(x, "query", String.class, w), Json.get(x, "index", Long.class, w),
                Json.get(x, "match", String.class, w), (String) x.get("schedule"), (String) x.get("report"));
    }

    private static List<String> strings(Map<String, Object> m, String key, String where) {
        List<String> out = new ArrayList<>();
        for (Object o : Json.list(m, key, where)) out.add(String.valueOf(o));
        return out;
    }
}
