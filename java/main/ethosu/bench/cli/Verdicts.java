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
import java.util.concurrent.ConcurrentLinkedQueue;

final class Verdicts {
    /** Crashes a task may take (each costs a worker's restart) before its exploration stops. */
    static final int MAX_CRASHES = 5;

    private Verdicts() {}

    static final class Task {
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

        /** Which part of the whole exploration (every machine's, --shard K/N) this task is. */
        int shard(Main.Run o) {
            return o.shard() * parts + part;
        }

        int shards(Main.Run o) {
            return o.shards() * parts;
        }
    }

    /** Evaluate the seed's claims on every schedule (off for `check`, which compares findings). */
    private static boolean claims(Main.Run o) {
        return !o.noClaims;
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
     * parts is fixed (DFS_PARTS), not taken from --jobs: machines of one --shard K/N split deal the
     * same subtrees whatever their worker counts.
     */
    static List<Task> explore(Main.Run o, List<String> variants, List<String> scenarios) throws Exception {
        return explore(o, variants, scenarios, Progress.to(null));
    }

    /** Parts a bounded DFS task is split into (each part replays only the default schedule beyond its share). */
    static final int DFS_PARTS = 4;

    static List<Task> explore(Main.Run o, List<String> variants, List<String> scenarios, Progress progress)
            throws Exception {
        // a --save that is a file is one line, before any worker starts
        Args.outputDir("--save", o.save);
        List<Task> parts = new ArrayList<>();
        for (String v : variants)
            for (String s : scenarios)
                for (String st : o.plan) {
                    int n = st.startsWith("dfs") ? DFS_PARTS : 1;
                    for (int k = 0; k < n; k++) parts.add(new Task(parts.size(), v, s, st, k, n));
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
            if (p.problem != null) w.problem = w.problem == null ? p.problem : w.problem + "; " + p.problem;
            for (WorkerProtocol.Found f : p.found)
                if (w.found.stream().noneMatch(x -> x.finding().identity().equals(f.finding().identity()))) w.found.add(f);
            w.outcomes.addAll(p.outcomes);
            for (WorkerProtocol.Hit h : p.hits)
                if (w.hits.stream().noneMatch(x -> x.query().equals(h.query()))) w.hits.add(h);
        }
        return new ArrayList<>(whole.values());
    }

    /** Runs tasks on the worker processes, redrawing the progress line while they go. */
    private static void run(Main.Run o, List<Task> tasks, Progress progress) throws Exception {
        ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>(tasks);
        List<Thread> drivers = new ArrayList<>();
        for (int w = 0; w < Math.max(1, o.workers); w++) {
            final int idx = w;
            Thread t = Thread.ofPlatform().name("worker-driver-" + w).start(() -> drive(idx, queue, o));
            drivers.add(t);
        }
        while (drivers.stream().anyMatch(Thread::isAlive)) {
            drivers.getFirst().join(200);
            if (progress.enabled()) showProgress(tasks, progress);
        }
        for (Thread t : drivers) t.join();
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

    /** Feeds one worker process; restarts it after a crash, with the crash recorded as a finding. */
    private static void drive(int idx, ConcurrentLinkedQueue<Task> queue, Main.Run o) {
        Path rec = o.save.resolve("flight-" + idx + ".rec");
        Task task = null;
        while (true) {
            if (task == null) task = queue.poll();
            if (task == null) return;
            Process p;
            try {
                p = start(idx, o);
            } catch (IOException e) {
                task.problem = "cannot start a worker: " + e.getMessage();
                task = null;
                continue;
            }
            try {
                WorkerProtocol.Writer to = new WorkerProtocol.Writer(p.getOutputStream());
                WorkerProtocol.Reader from = new WorkerProtocol.Reader(p.getInputStream());
                while (task != null) {
                    if (task.shrink != null)
                        to.send(task.shrink);
                    else
                        // a part explores its share of the schedule budget
                        to.send(new WorkerProtocol.Task(task.id, task.variant, task.scenario, task.strategy, o.seed,
                                (o.budget + task.parts - 1) / task.parts, o.seconds * 1000, !o.noMinimize, task.first,
                                task.resume, claims(o), task.model, task.shard(o), task.shards(o)));
                    if (!follow(task, from)) break; // the worker died
                    task.done = true;
                    task = queue.poll();
                }
            } catch (IOException e) {
                // the worker died or spoke nonsense: treated as a crash below
            }
            if (task == null) {
                p.destroy();
                return;
            }
            // a shrink that crashed leaves its witness as explored
            if (task.shrink != null) {
                task.problem = "the worker crashed while shrinking a witness";
                task.done = true;
                task = null;
                continue;
            }
            // the worker died inside task: its flight recorder holds the schedule that did it
            try {
                p.waitFor();
                recordCrash(task, rec, o, idx, p);
            } catch (Exception e) {
                task.problem = "worker crashed and its record could not be read: " + e;
                task = null;
            }
            if (task != null && task.crashes >= MAX_CRASHES) {
                task.problem = task.crashes + " crashes: its exploration stopped there";
                task = null;
            }
        }
    }

    /** Takes a worker's messages for task until its Done; false if the worker died first. */
    private static boolean follow(Task task, WorkerProtocol.Reader from) throws IOException {
        for (WorkerProtocol.Message m; (m = from.next()) != null; ) {
            switch (m) {
                case WorkerProtocol.Found f -> task.found.add(f);
                case WorkerProtocol.Diverged d -> task.diverged.add(d);
                case WorkerProtocol.Compared c -> task.divergences += c.divergences();
                case WorkerProtocol.Reached r -> task.outcomes.add(task.scenario, r.outcome(),
                        new ethosu.bench.check.OutcomeSet.Witness(task.scenario, r.index(), r.schedule() == null ? "-"
                                : r.schedule()));
                case WorkerProtocol.Done d -> {
                    task.schedules += d.schedules();
                    task.stepLimited += d.stepLimited();
                    task.exhausted = d.exhausted();
                    task.seconds += d.seconds();
                    if (d.problem() != null) task.problem = d.problem();
                    return true;
                }
                case WorkerProtocol.Hit h -> task.hits.add(h);
                case WorkerProtocol.Matched x -> task.matched = x;
                case WorkerProtocol.Progress p -> {
                    task.liveSchedules = p.schedules();
                    task.liveFindings = p.findings();
                    task.dfsDone = p.dfsDone();
                    task.liveSeconds = p.seconds();
                }
                case WorkerProtocol.Task t -> throw new IOException("a worker sent a task");
                case WorkerProtocol.Shrink t -> throw new IOException("a worker sent a task");
            }
        }
        return false;
    }

    private static Process start(int idx, Main.Run o) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:ErrorFile=" + o.save.resolve("hs_err_worker" + idx + "_%p.log"),
                "-Dethosu.build=" + EthosuLibrary.buildDir().toAbsolutePath(),
                "-Dethosu.maxStallNs=" + ethosu.bench.control.Controlled.defaultMaxStallNs(),
                "-Dethosu.fail=" + System.getProperty("ethosu.fail", ""),
                "-cp", System.getProperty("java.class.path"), Worker.class.getName(), Integer.toString(idx),
                o.save.toString());
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** A worker died inside task: the crash, with the schedule its flight recorder kept, is a finding. */
    private static void recordCrash(Task task, Path rec, Main.Run o, int idx, Process p) throws IOException {
        FlightRecorder.Contents c = FlightRecorder.read(rec);
        long index = c.header().startsWith("schedule ") ? Long.parseLong(c.header().substring(9).trim()) : task.first;
        // a sanitizer that stopped the worker (UBSan, a fatal ASan report) left its report behind: that
        // report is the finding; else the signal and frame of the JVM's error log
        Finding f = sanitizerFinding(SanitizerReport.logFile(System.getenv(), p.pid()));
        if (f == null) f = Crash.of(o.save.resolve("hs_err_worker" + idx + "_" + p.pid() + ".log"), p.exitValue()).finding(index);
        int n = ++task.crashes;
        Path schedule = o.save.resolve(task.variant + "--" + task.scenario + "--t" + task.id + "-crash" + n + ".schedule");
        c.schedule().write(schedule, "ethosu-bench schedule\nvariant: " + task.variant + "\nscenario: " + task.scenario
                + "\nfinding: " + f + "\nidentity: " + f.identity());
        Path report = Path.of(schedule.toString().replace(".schedule", ".txt"));
        StringBuilder r = new StringBuilder("  " + f + "\n  schedule: " + schedule + "\n\n  its last decisions:\n");
        var ds = c.decisions();
        for (var d : ds.subList(Math.max(0, ds.size() - 24), ds.size())) r.append("    ").append(d).append('\n');
        Files.writeString(report, r.toString());
        task.found.add(new WorkerProtocol.Found(task.id, f, index, 0, schedule.toString(), report.toString()));
        // the worker explored schedules first+1 .. index (1-based) before it died; go on after index
        task.schedules += index - task.first;
        task.first = index;
        Path resume = o.save.resolve("resume-" + task.id + ".rec");
        Files.copy(rec, resume, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        task.resume = resume.toString();
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
