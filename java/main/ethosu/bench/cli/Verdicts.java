// `run`: every variant x scenario explored by worker processes (one per CPU, so a native crash
// costs one worker, not the session), the queries' witnesses shrunk, then the verdicts first
// (RunScreen), the details after, the same text in a report file, and JSON and JUnit XML on request.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.check.SanitizerReport;
import ethosu.bench.control.FlightRecorder;
import ethosu.bench.query.Claims;
import ethosu.bench.query.Query;
import ethosu.bench.query.QuerySearch;
import ethosu.bench.report.Baseline;
import ethosu.bench.report.SessionResult;
import ethosu.bench.report.Table;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

final class Verdicts {
    private Verdicts() {}

    /**
     * The findings that ended workers in one exploration (all the parts of one variant x scenario x
     * strategy): each kind's first report, where later ones are counted. Parts run on several workers
     * at once, so every method holds the lock.
     */
    static final class Deaths {
        private final Map<String, Integer> counts = new LinkedHashMap<>();
        private final Map<String, Path> reports = new java.util.HashMap<>();

        /** Counts one more of this kind; true for the first of it (whose files the caller writes). */
        synchronized boolean first(String identity) {
            return counts.merge(identity, 1, Integer::sum) == 1;
        }

        /** The first of a kind's report, which later ones are counted in. */
        synchronized void report(String identity, Path report) {
            reports.putIfAbsent(identity, report);
        }

        /** A repeat, where it was seen: its first report says how often, and where the last was. */
        synchronized void seenAgain(String identity, String where) throws IOException {
            Path p = reports.get(identity);
            if (p == null || !Files.exists(p)) return;
            String text = Files.readString(p).replaceAll("(?m)^  seen \\d+ times in this exploration.*\\n", "");
            Files.writeString(p, text + "  seen " + counts.get(identity) + " times in this exploration, the last in "
                    + where + " (each time its process was replaced and the exploration went on)\n");
        }

        synchronized List<String> known() {
            return new ArrayList<>(counts.keySet());
        }
    }

    /**
     * An exploration of variant x scenario with one strategy, as the worker pool runs it: sent again
     * from where it stopped when its worker died or retired, within what is left of its budget of
     * schedules and time. A death is a finding (its schedule kept); repeats of one kind are counted
     * against the first (across the parts of one exploration), and the exploration goes on after each.
     */
    static final class Task implements Workers.Job {
        final int id;
        final String variant, scenario, strategy;
        /** Part `part` of `parts` of its variant x scenario x strategy on this machine (see explore). */
        final int part, parts;
        long first;
        String resume;
        long schedules, stepLimited;
        boolean exhausted;
        double seconds;
        final List<WorkerProtocol.Found> found = Collections.synchronizedList(new ArrayList<>());
        String problem;
        int crashes;
        /** Distinct outcomes of the task's runs (`check` compares them across variants). */
        final ethosu.bench.check.OutcomeSet outcomes = new ethosu.bench.check.OutcomeSet();
        /** How often each finding (by identity) ended a worker: a crash or a lockup; shared by the parts. */
        Deaths deaths = new Deaths();
        /** A bounded DFS's reduction, summed over its workers (WorkerProtocol.Done). */
        long pruned, redundant;
        /** A worker ended in the run that lays out this part's points, and the part went on from its record. */
        private boolean laidOutAgain;
        /** What the plan asks (budget, time, seed, where files go); explore's stop and scenario file. */
        Main.Run plan;
        String stopAt, baseline, scenarioFile;
        private long deadline;
        private boolean started, over;
        /** Each query's first match in the task, as explored. */
        final List<WorkerProtocol.Hit> hits = Collections.synchronizedList(new ArrayList<>());
        /** A shrink task: the hit to shrink (null for an exploration), and what it gave. */
        WorkerProtocol.Shrink shrink;
        volatile WorkerProtocol.Matched matched;
        /** How far it is (the worker's last Progress). */
        volatile long liveSchedules;
        volatile int liveFindings;
        volatile double dfsDone = -1, liveSeconds;
        volatile boolean done;
        /** A differential task: the C against its Java model (its strategy starts with Worker.DIFF). */
        final boolean diff;
        /** The variant whose model a differential task compares with (null: its own). */
        String model;
        long divergences;
        final List<WorkerProtocol.Diverged> diverged = Collections.synchronizedList(new ArrayList<>());

        Task(int id, String variant, String scenario, String strategy) {
            this(id, variant, scenario, strategy, 0, 1);
        }

        Task(int id, String variant, String scenario, String strategy, int part, int parts) {
            this.id = id;
            this.variant = variant;
            this.scenario = scenario;
            this.strategy = strategy;
            this.part = part;
            this.parts = parts;
            this.diff = strategy.startsWith(Worker.DIFF);
        }

        @Override
        public WorkerProtocol.Message next() {
            if (over) {
                done = true;
                return null;
            }
            if (shrink != null) {
                // a shrink is sent once: a worker that dies in it leaves the witness as explored
                over = true;
                return shrink;
            }
            long now = System.nanoTime();
            if (!started) {
                started = true;
                deadline = now + plan.seconds * 1_000_000_000L;
                if (budget() == 0) {
                    over = done = true;
                    return null;
                }
            } else if (first >= budget() || now - deadline >= 0) {
                // what was left of its budget went on the schedules before the worker died
                over = done = true;
                return null;
            }
            long millis = Math.max(1, (deadline - now) / 1_000_000);
            return new WorkerProtocol.Task(id, variant, scenario, strategy, plan.seed, budget(), millis,
                    !plan.noMinimize, first, resume, plan.save.toString(), stopAt, baseline, scenarioFile,
                    deaths.known(), !plan.noClaims, model, shard(plan), shards(plan));
        }

        @Override
        public boolean reply(WorkerProtocol.Message m) throws IOException {
            switch (m) {
                case WorkerProtocol.Found f -> {
                    // a lockup ends its worker: counted as a crash is; found again, it has no files
                    Finding.Check c = f.finding().check();
                    boolean ends = c == Finding.Check.SOFT_LOCKUP || c == Finding.Check.DEADLOCK && f.finding().kind().equals("hung-task");
                    if (!ends || !counted(f.finding(), f.index(), f.report())) found.add(f);
                }
                case WorkerProtocol.Reached r -> outcomes.add(scenario, r.outcome(),
                        new ethosu.bench.check.OutcomeSet.Witness(scenario, r.index(), r.schedule() == null ? "-" : r.schedule()));
                case WorkerProtocol.Done d -> {
                    schedules += d.schedules();
                    stepLimited += d.stepLimited();
                    exhausted = d.exhausted();
                    seconds += d.seconds();
                    pruned += d.pruned();
                    redundant += d.redundant();
                    if (d.problem() != null) problem = d.problem();
                    if (d.lockedUp() && shrink == null) {
                        // a run locked up: its worker retires, a fresh one goes on after it (after the
                        // schedules it explored, the locked one the last, or after the layout run)
                        if (d.schedules() == 0 && !goOnAfterLayout()) return true;
                        first += d.schedules();
                        resume = d.resume();
                    } else {
                        over = true;
                        done = true;
                    }
                    return true;
                }
                case WorkerProtocol.Diverged d -> diverged.add(d);
                case WorkerProtocol.Compared c -> divergences += c.divergences();
                case WorkerProtocol.Hit h -> hits.add(h);
                case WorkerProtocol.Matched x -> matched = x;
                case WorkerProtocol.Progress p -> {
                    liveSchedules = schedules + p.schedules();
                    liveFindings = p.findings();
                    dfsDone = p.dfsDone();
                    liveSeconds = seconds + p.seconds();
                }
                default -> throw new IOException("a worker sent " + m.getClass().getSimpleName() + " for an exploration");
            }
            return false;
        }

        @Override
        public Path library() {
            return EthosuLibrary.buildDir().resolve(variant).resolve("libethosu.so").toAbsolutePath();
        }

        @Override
        public void died(Workers.Death d) {
            if (shrink != null) {
                problem = "the worker died while shrinking a witness: " + (d.crash() != null ? d.crash() : d.fatal());
                over = done = true;
                return;
            }
            if (d.layout()) {
                // the run that lays out this part's points is another part's schedule, which that part
                // reports: nothing is counted here; the part goes on from its record
                if (d.resume() == null || !goOnAfterLayout()) {
                    if (problem == null)
                        problem = "a worker died in the run that lays out this part of the search: "
                                + (d.crash() != null ? d.crash() : d.fatal());
                    over = true;
                    return;
                }
                resume = d.resume().toString();
                return;
            }
            long index = d.schedule();
            if (index < 0) {
                // not inside a schedule: nothing the driver did explains it, nothing to resume from
                problem = "a worker died outside any schedule: " + (d.crash() != null ? d.crash() : d.fatal());
                over = true;
                return;
            }
            try {
                recordDeath(d, index);
            } catch (IOException e) {
                problem = "a worker crashed and its record could not be written: " + e;
                over = true;
                return;
            }
            // the worker explored schedules first+1 .. index before it died; go on after index
            schedules += index - first;
            first = index;
            resume = d.resume() == null ? null : d.resume().toString();
        }

        /**
         * A worker ended in the run that lays out this part's points: the first time, the part goes on
         * from that run's record (false, with a problem and the part over, when it happens again:
         * the record did not take it past the run).
         */
        private boolean goOnAfterLayout() {
            if (laidOutAgain) {
                problem = "the run that lays out this part of the search ended its worker again after a resume";
                over = done = true;
                return false;
            }
            laidOutAgain = true;
            return true;
        }

        /** The death's finding, its schedule and report written the first time its kind is seen, else counted. */
        private void recordDeath(Workers.Death d, long index) throws IOException {
            Finding f = d.finding(index);
            crashes++;
            if (!deaths.first(f.identity())) {
                deaths.seenAgain(f.identity(), where(index));
                return;
            }
            Path save = plan.save;
            Path schedule = save.resolve(variant + "--" + scenario + "--t" + id + "-crash" + crashes + ".schedule");
            d.record().schedule().write(schedule, "ethosu-bench schedule\nvariant: " + variant + "\nscenario: " + scenario
                    + "\nfinding: " + f + "\nidentity: " + f.identity());
            Path log = Workers.keepEvidence(d, schedule);
            Path report = Path.of(schedule.toString().replace(".schedule", ".txt"));
            StringBuilder r = new StringBuilder("  " + f + "\n  schedule: " + schedule + "\n");
            if (log != null) r.append("  the process's own report: ").append(log).append('\n');
            r.append("\n  its last decisions:\n");
            var ds = d.record().decisions();
            for (var x : ds.subList(Math.max(0, ds.size() - 24), ds.size())) r.append("    ").append(x).append('\n');
            Files.writeString(report, r.toString());
            deaths.report(f.identity(), report);
            found.add(new WorkerProtocol.Found(id, f, index, 0, schedule.toString(), report.toString()));
        }

        /**
         * Counts a finding that ended a worker (a lockup, reported by the worker); true if its kind was
         * seen before (its first report then says how often and where), false for the first.
         */
        private boolean counted(Finding f, long index, String report) throws IOException {
            if (deaths.first(f.identity())) {
                if (report != null) deaths.report(f.identity(), Path.of(report));
                return false;
            }
            deaths.seenAgain(f.identity(), where(index));
            return true;
        }

        /** Schedule index of this part, in words. */
        private String where(long index) {
            return "schedule " + index + (parts > 1 ? " of part " + (part + 1) + " of " + parts : "");
        }

        /** A part explores its share of the schedule budget: the parts' shares add up to the budget. */
        private long budget() {
            return plan.budget / parts + (part < plan.budget % parts ? 1 : 0);
        }

        /** Which part of the whole exploration (every machine's, --shard K/N) this task is. */
        int shard(Main.Run o) {
            return o.shard() * parts + part;
        }

        int shards(Main.Run o) {
            return o.shards() * parts;
        }
    }

    static int run(Main.Run o) throws Exception {
        // every name and file checked here, before a worker starts: a typo is one line, not 21 crashed workers
        List<String> variants = Args.variantsOrBuilt(o.variants);
        List<String> scenarios = o.scenarios == null || o.scenarios.isEmpty()
                ? Catalog.builtIn().stream().map(Scenario::name).toList() : o.scenarios;
        for (String s : scenarios) Catalog.get(s);
        Baseline baseline = Args.baseline(o.baseline);
        Args.outputFile("--report", o.report);
        if (o.json != null) Args.outputFile("--json", o.json);
        if (o.junit != null) Args.outputDir("--junit", o.junit);
        long t0 = System.nanoTime();
        List<Task> tasks;
        List<Task> diffs = new ArrayList<>();
        try (Progress progress = Progress.forConsole()) {
            tasks = explore(o, variants, scenarios, progress);
            shrinkWitnesses(o, tasks, progress);
        }
        // the differential pass: the real variants' C against their Java model, every scenario
        if (!o.noDifferential) {
            for (String v : o.differentialVariants)
                if (variants.contains(v))
                    for (String sc : scenarios) {
                        Task k = new Task(diffs.size(), v, sc, Worker.DIFF + o.differentialPlan);
                        k.model = o.differentialModel;
                        diffs.add(k);
                    }
            if (!diffs.isEmpty())
                try (Progress progress = Progress.forConsole()) {
                    run(o, diffs, progress);
                }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return report(tasks, diffs, variants, scenarios, baseline, o, secs);
    }

    /**
     * The differential pass's tasks as the session result keeps them: each divergence with its
     * report, a native crash of the C side as a finding (shown, never lost), matched to the baseline.
     */
    static List<SessionResult.Compared> compared(List<Task> diffs, Baseline baseline) throws IOException {
        List<SessionResult.Compared> out = new ArrayList<>();
        for (Task k : diffs) {
            List<SessionResult.Divergence> first = new ArrayList<>();
            for (WorkerProtocol.Diverged d : k.diverged)
                first.add(new SessionResult.Divergence(d.step(), d.context(), d.what(), d.schedule(), readIfThere(d.report())));
            List<SessionResult.Found> crashes = new ArrayList<>();
            for (WorkerProtocol.Found f : k.found) crashes.add(found(k, f, baseline));
            out.add(new SessionResult.Compared(k.variant, k.model == null ? k.variant : k.model, k.scenario,
                    k.strategy.substring(Worker.DIFF.length()), k.schedules, k.exhausted, k.seconds, k.problem,
                    k.divergences, first, crashes));
        }
        return out;
    }

    private static String readIfThere(String file) throws IOException {
        return file == null || !Files.exists(Path.of(file)) ? null : Files.readString(Path.of(file));
    }

    private static SessionResult.Found found(Task k, WorkerProtocol.Found f, Baseline baseline) throws IOException {
        Baseline.Entry e = baseline.match(k.variant, f.finding());
        return new SessionResult.Found(f.finding().check().name(), f.finding().check().title,
                f.finding().identity(), f.finding().text(), f.finding().context(), e == null ? null : e.id(),
                f.index(), f.seconds(), f.schedule(), readIfThere(f.report()));
    }

    static int report(List<Task> tasks, List<String> variants, List<String> scenarios, Baseline baseline, Main.Run o,
                      double secs) throws IOException {
        return report(tasks, List.of(), variants, scenarios, baseline, o, secs);
    }

    /**
     * The session's result from its tasks and its differential pass: printed (the verdicts first),
     * written to --report, and to --json and --junit when given; returns the exit status.
     */
    static int report(List<Task> tasks, List<Task> diffs, List<String> variants, List<String> scenarios,
                      Baseline baseline, Main.Run o, double secs) throws IOException {
        SessionResult result = result(o, tasks, diffs, variants, scenarios, baseline);
        String text = new RunScreen(result, baseline, secs, o.workers).render(o.report);
        System.out.print(text);
        if (o.report != null) {
            Path dir = o.report.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            Files.writeString(o.report, text);
        }
        if (o.json != null) result.write(o.json);
        if (o.junit != null) JUnitXml.write(o.junit, result);
        return result.exit().status();
    }

    /** The plan's queries: the seed's claims, then the chosen scenarios' own. */
    static List<SessionResult.Query> queries(Main.Run o, List<String> scenarios) {
        List<SessionResult.Query> qs = new ArrayList<>();
        if (!o.noClaims)
            for (Claims.Claim c : Claims.SEED)
                qs.add(new SessionResult.Query(c.name(), c.query().text(), "built in", c.about(), null));
        for (String s : scenarios)
            for (Query q : Catalog.get(s).queries())
                qs.add(new SessionResult.Query(q.name(), q.text(), q.source(), null, s));
        return qs;
    }

    /** Everything the tasks found, as the session's machine-readable result. */
    static SessionResult result(Main.Run o, List<Task> tasks, List<Task> diffs, List<String> variants,
                                List<String> scenarios, Baseline baseline) throws IOException {
        List<SessionResult.Task> out = new ArrayList<>();
        for (Task k : tasks) {
            if (k.shrink != null) continue;
            List<SessionResult.Found> fs = new ArrayList<>();
            Map<String, WorkerProtocol.Found> distinct = new LinkedHashMap<>();
            for (WorkerProtocol.Found f : k.found) distinct.putIfAbsent(f.finding().identity(), f);
            for (WorkerProtocol.Found f : distinct.values()) fs.add(found(k, f, baseline));
            List<SessionResult.Reached> rs = new ArrayList<>();
            for (var e : k.outcomes.outcomes(k.scenario).entrySet())
                rs.add(new SessionResult.Reached(e.getKey().toString(), e.getValue().scheduleIndex(), e.getValue().schedule()));
            List<SessionResult.Matched> ms = new ArrayList<>();
            for (WorkerProtocol.Hit h : k.hits) {
                WorkerProtocol.Matched m = shrunk(tasks, k, h);
                String report = m == null || m.report() == null || !Files.exists(Path.of(m.report())) ? null
                        : Files.readString(Path.of(m.report()));
                ms.add(m == null ? new SessionResult.Matched(h.query(), h.index(), h.match(), h.schedule(), null)
                        : new SessionResult.Matched(h.query(), h.index(), m.match(), m.schedule(), report));
            }
            out.add(new SessionResult.Task(k.variant, k.scenario, k.strategy,
                    k.strategy.startsWith("dfs") ? QuerySearch.bound(k.strategy) : null, o.seed, o.budget, k.schedules,
                    k.exhausted, k.stepLimited, k.seconds, k.problem, fs, rs, ms, o.shard(), o.shards()));
        }
        List<String> strategies = o.plan != null ? o.plan
                : tasks.stream().filter(k -> k.shrink == null).map(k -> k.strategy).distinct().toList();
        SessionResult.Plan plan = new SessionResult.Plan(variants, scenarios, strategies, o.budget, o.seconds, o.seed,
                o.workers, Args.baselineShown(o.baseline).toString(), queries(o, scenarios));
        return SessionResult.derive("run", plan, out, compared(diffs, baseline));
    }

    /** The shrunk version of a hit, if a shrink task made one. */
    private static WorkerProtocol.Matched shrunk(List<Task> tasks, Task k, WorkerProtocol.Hit h) {
        for (Task s : tasks)
            if (s.shrink != null && s.matched != null && s.shrink.schedule().equals(h.schedule())) return s.matched;
        return null;
    }

    /**
     * Each query's first match per variant (in task order, so the same run shows the same witness)
     * is shrunk by a worker: its schedule minimised with the match as the property kept.
     */
    private static void shrinkWitnesses(Main.Run o, List<Task> tasks, Progress progress) throws Exception {
        if (o.noMinimize) return;
        Map<String, Task> first = new LinkedHashMap<>();
        Map<String, WorkerProtocol.Hit> hit = new LinkedHashMap<>();
        for (Task k : tasks)
            for (WorkerProtocol.Hit h : k.hits)
                if (first.putIfAbsent(k.variant + "\0" + h.query(), k) == null) hit.put(k.variant + "\0" + h.query(), h);
        List<Task> shrinks = new ArrayList<>();
        for (var e : hit.entrySet()) {
            Task k = first.get(e.getKey());
            Task s = new Task(tasks.size() + shrinks.size(), k.variant, k.scenario, "shrink");
            s.shrink = new WorkerProtocol.Shrink(s.id, k.variant, k.scenario, e.getValue().query(), e.getValue().schedule(), 40);
            shrinks.add(s);
        }
        if (shrinks.isEmpty()) return;
        run(o, shrinks, progress);
        tasks.addAll(shrinks);
    }

    /**
     * Every variant x scenario x strategy of the plan, explored by the worker processes; one task per
     * variant x scenario x strategy comes back. A bounded DFS is explored in parts, the subtrees of
     * its search dealt out (BoundedDfs shards) and queued with the rest, so one long search keeps
     * every worker busy; the parts are put together again before anything reads them. The number of
     * parts depends on the budget alone (dfsParts), not on --jobs: machines of one --shard K/N split
     * deal the same subtrees whatever their worker counts.
     */
    static List<Task> explore(Main.Run o, List<String> variants, List<String> scenarios) throws Exception {
        return explore(o, variants, scenarios, Progress.to(null));
    }

    /** Parts a bounded DFS task is split into (each part replays only the default schedule beyond its share). */
    static final int DFS_PARTS = 4;

    /**
     * Schedules of the budget each part gets at least: a part costs a run that only lays out its
     * points, and a worker lost in it (a crash, a lockup) costs a process, so a small budget is one part.
     */
    static final int DFS_PART_MIN = 8;

    /** The parts a bounded DFS with this budget is dealt into (the budget alone decides: see explore). */
    static int dfsParts(long budget) {
        return (int) Math.max(1, Math.min(DFS_PARTS, budget / DFS_PART_MIN));
    }

    static List<Task> explore(Main.Run o, List<String> variants, List<String> scenarios, Progress progress)
            throws Exception {
        // a --save that is a file is one line, before any worker starts
        Args.outputDir("--save", o.save);
        List<Task> parts = new ArrayList<>();
        for (String v : variants)
            for (String s : scenarios)
                for (String st : o.plan) {
                    int n = st.startsWith("dfs") ? dfsParts(o.budget) : 1;
                    Deaths deaths = new Deaths();
                    for (int k = 0; k < n; k++) {
                        Task t = new Task(parts.size(), v, s, st, k, n);
                        t.deaths = deaths;
                        parts.add(t);
                    }
                }
        run(o, parts, progress);
        return whole(parts);
    }

    /** The parts of each variant x scenario x strategy as one task (in plan order). */
    static List<Task> whole(List<Task> parts) {
        Map<String, Task> whole = new LinkedHashMap<>();
        for (Task p : parts) {
            Task w = whole.computeIfAbsent(p.variant + "\u0000" + p.scenario + "\u0000" + p.strategy, k -> {
                Task t = new Task(whole.size(), p.variant, p.scenario, p.strategy);
                t.exhausted = true;
                t.done = true;
                return t;
            });
            w.schedules += p.schedules;
            w.stepLimited += p.stepLimited;
            w.seconds += p.seconds;
            w.exhausted &= p.exhausted;
            w.crashes += p.crashes;
            w.pruned += p.pruned;
            w.redundant += p.redundant;
            if (p.problem != null) w.problem = w.problem == null ? p.problem : w.problem + "; " + p.problem;
            for (WorkerProtocol.Found f : p.found)
                if (w.found.stream().noneMatch(x -> x.finding().identity().equals(f.finding().identity()))) w.found.add(f);
            w.outcomes.addAll(p.outcomes);
            for (WorkerProtocol.Hit h : p.hits)
                if (w.hits.stream().noneMatch(x -> x.query().equals(h.query()))) w.hits.add(h);
        }
        return new ArrayList<>(whole.values());
    }

    /**
     * Runs tasks on the worker pool (a crash or a lockup costs a worker, which is replaced), redrawing
     * the progress line while they go.
     */
    private static void run(Main.Run o, List<Task> tasks, Progress progress) throws Exception {
        for (Task t : tasks) t.plan = o;
        try (Workers w = new Workers(o.workers, -1, Args.watchdog(o.watchdog))) {
            w.run(tasks, () -> {
                if (progress.enabled()) showProgress(tasks, progress);
            });
        }
        progress.close();
    }

    private static void showProgress(List<Task> tasks, Progress progress) {
        long n = 0;
        int done = 0, findings = 0;
        double dfs = -1, dfsSecs = 0;
        boolean shrinking = false;
        for (Task k : tasks) {
            n += k.done ? k.schedules : k.liveSchedules;
            findings += k.done ? k.found.size() : k.liveFindings;
            if (k.done) done++;
            shrinking |= k.shrink != null;
            // the running bounded search with the most time left is what the line tells
            if (!k.done && k.dfsDone > 0 && (dfs < 0 || (1 - k.dfsDone) * k.liveSeconds / k.dfsDone
                    > (1 - dfs) * dfsSecs / dfs)) {
                dfs = k.dfsDone;
                dfsSecs = k.liveSeconds;
            }
        }
        progress.update(n, (shrinking ? "(shrinking witnesses: " : "(task ") + done + " of " + tasks.size()
                + (shrinking ? ")" : " done)"), findings, dfs, dfsSecs);
    }

    /**
     * The finding of the report that stopped a worker, from its sanitizer log, or null: none did
     * (ASan's recovered reports are findings of their runs already, and stay in the log).
     */
    static Finding sanitizerFinding(Path log) {
        if (log == null || !Files.isRegularFile(log)) return null;
        try {
            return SanitizerReport.fatalFinding(Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }
}
