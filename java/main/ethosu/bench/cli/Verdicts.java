// `run`: every variant x scenario explored by worker processes (one per CPU, so a native crash
// costs one worker, not the session), then the verdict table and each finding's race.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.control.FlightRecorder;
import ethosu.bench.report.Baseline;
import ethosu.bench.report.Table;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;

import java.io.IOException;
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
        }

        /** Which part of the whole exploration (every machine's, --shard) this task is. */
        int shard(Main.Run o) {
            return o.shard() * parts + part;
        }

        int shards(Main.Run o) {
            return o.shards() * parts;
        }
    }

    static int run(Main.Run o) throws Exception {
        List<String> variants = o.variants == null || o.variants.isEmpty() ? EthosuLibrary.builtVariants() : o.variants;
        List<String> scenarios = o.scenarios == null || o.scenarios.isEmpty()
                ? Catalog.builtIn().stream().map(Scenario::name).toList() : o.scenarios;
        for (String s : scenarios) Catalog.get(s);
        Baseline baseline = Files.exists(o.baseline) ? Baseline.load(o.baseline) : Baseline.empty();
        long t0 = System.nanoTime();
        List<Task> tasks = explore(o, variants, scenarios);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (o.json != null) result(tasks, baseline, o).write(o.json);
        return report(tasks, variants, scenarios, baseline, o, secs);
    }

    /**
     * Every variant x scenario x strategy of the plan, explored by the worker processes; one task per
     * variant x scenario x strategy comes back. A bounded DFS is explored in parts, the subtrees of
     * its search dealt out (BoundedDfs shards) and queued with the rest, so one long search keeps
     * every worker busy; the parts are put together again before anything reads them.
     */
    static List<Task> explore(Main.Run o, List<String> variants, List<String> scenarios) throws Exception {
        Files.createDirectories(o.save);
        List<Task> parts = new ArrayList<>();
        int workers = Math.max(1, o.workers);
        for (String v : variants)
            for (String s : scenarios)
                for (String st : o.plan) {
                    int n = st.startsWith("dfs") && workers > 1 ? 2 * workers : 1;
                    for (int k = 0; k < n; k++) parts.add(new Task(parts.size(), v, s, st, k, n));
                }
        ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>(parts);
        List<Thread> drivers = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            final int idx = w;
            Thread t = Thread.ofPlatform().name("worker-driver-" + w).start(() -> drive(idx, queue, o));
            drivers.add(t);
        }
        for (Thread t : drivers) t.join();
        return whole(parts);
    }

    /** The parts of each variant x scenario x strategy as one task (in plan order). */
    static List<Task> whole(List<Task> parts) {
        Map<String, Task> whole = new LinkedHashMap<>();
        for (Task p : parts) {
            Task w = whole.computeIfAbsent(p.variant + "\u0000" + p.scenario + "\u0000" + p.strategy, k -> {
                Task t = new Task(whole.size(), p.variant, p.scenario, p.strategy);
                t.exhausted = true;
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
        }
        return new ArrayList<>(whole.values());
    }

    /** Feeds one worker process; restarts it after a crash, with the crash recorded as a finding. */
    private static void drive(int idx, ConcurrentLinkedQueue<Task> queue, Main.Run o) {
        Path rec = o.save.resolve("flight-" + idx + ".rec");
        Task task = null;
        int crashes = 0;
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
                    // a part explores its share of the schedule budget
                    to.send(new WorkerProtocol.Task(task.id, task.variant, task.scenario, task.strategy, o.seed,
                            (o.budget + task.parts - 1) / task.parts, o.seconds * 1000, !o.noMinimize, task.first,
                            task.resume, task.shard(o), task.shards(o)));
                    if (!follow(task, from)) break; // the worker died
                    task = queue.poll();
                }
            } catch (IOException e) {
                // the worker died or spoke nonsense: treated as a crash below
            }
            if (task == null) {
                p.destroy();
                return;
            }
            // the worker died inside task: its flight recorder holds the schedule that did it
            try {
                p.waitFor();
                recordCrash(task, rec, o, idx, p);
            } catch (Exception e) {
                task.problem = "worker crashed and its record could not be read: " + e;
                task = null;
            }
            if (++crashes > 20) {
                if (task != null) task.problem = "more than 20 crashes: stopped";
                task = null;
            }
        }
    }

    /** Takes a worker's messages for task until its Done; false if the worker died first. */
    private static boolean follow(Task task, WorkerProtocol.Reader from) throws IOException {
        for (WorkerProtocol.Message m; (m = from.next()) != null; ) {
            switch (m) {
                case WorkerProtocol.Found f -> task.found.add(f);
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
                case WorkerProtocol.Task t -> throw new IOException("a worker sent a task");
            }
        }
        return false;
    }

    private static Process start(int idx, Main.Run o) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:ErrorFile=" + o.save.resolve("hs_err_worker" + idx + "_%p.log"),
                "-Dethosu.build=" + EthosuLibrary.buildDir().toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), Worker.class.getName(), Integer.toString(idx),
                o.save.toString());
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** A worker died inside task: the crash, with the schedule its flight recorder kept, is a finding. */
    private static void recordCrash(Task task, Path rec, Main.Run o, int idx, Process p) throws IOException {
        FlightRecorder.Contents c = FlightRecorder.read(rec);
        long index = c.header().startsWith("schedule ") ? Long.parseLong(c.header().substring(9).trim()) : task.first;
        Crash crash = Crash.of(o.save.resolve("hs_err_worker" + idx + "_" + p.pid() + ".log"), p.exitValue());
        Finding f = crash.finding(index);
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
        // go on after the crashed schedule
        task.first = index + 1;
        Path resume = o.save.resolve("resume-" + task.id + ".rec");
        Files.copy(rec, resume, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        task.resume = resume.toString();
    }

    /** What each task explored and found, as `merge` reads it (this machine's part, --shard K/N). */
    static ethosu.bench.report.ExplorationResult result(List<Task> tasks, Baseline baseline, Main.Run o) {
        List<ethosu.bench.report.ExplorationResult.Task> out = new ArrayList<>();
        for (Task k : tasks) {
            List<ethosu.bench.report.ExplorationResult.Found> fs = new ArrayList<>();
            for (WorkerProtocol.Found f : k.found) {
                Baseline.Entry e = baseline.match(k.variant, f.finding());
                fs.add(new ethosu.bench.report.ExplorationResult.Found(f.finding().check().name(), f.finding().identity(),
                        f.finding().text(), f.finding().context(), e == null ? null : e.id(), f.index(), f.schedule(),
                        f.report()));
            }
            List<ethosu.bench.report.ExplorationResult.Reached> os = new ArrayList<>();
            for (String sc : k.outcomes.scenarios())
                k.outcomes.outcomes(sc).forEach((outcome, w) -> os.add(new ethosu.bench.report.ExplorationResult.Reached(
                        outcome.toString(), w.scheduleIndex(), w.schedule())));
            out.add(new ethosu.bench.report.ExplorationResult.Task(k.variant, k.scenario, k.strategy, o.seed, o.budget,
                    o.shard(), o.shards(), k.schedules, k.exhausted, k.stepLimited, k.seconds, k.problem, fs, os));
        }
        return ethosu.bench.report.ExplorationResult.of(out);
    }

    private static int report(List<Task> tasks, List<String> variants, List<String> scenarios, Baseline baseline,
                              Main.Run o, double secs) throws IOException {
        Table t = new Table("variant", "scenario", "schedules", "exhausted", "step limit", "findings", "new", "time s");
        boolean anyNew = false;
        long total = 0;
        Map<String, List<WorkerProtocol.Found>> byVariant = new LinkedHashMap<>();
        Set<String> shownKnown = new HashSet<>();
        for (String v : variants) {
            for (String s : scenarios) {
                long n = 0, limited = 0;
                double time = 0;
                StringBuilder ex = new StringBuilder();
                Map<String, WorkerProtocol.Found> distinct = new LinkedHashMap<>();
                List<String> problems = new ArrayList<>();
                for (Task k : tasks) {
                    if (!k.variant.equals(v) || !k.scenario.equals(s)) continue;
                    n += k.schedules;
                    limited += k.stepLimited;
                    time += k.seconds;
                    if (k.strategy.startsWith("dfs")) ex.append(k.exhausted ? "yes (" + k.strategy + ")" : "no (" + k.strategy + ")");
                    for (WorkerProtocol.Found f : k.found) distinct.putIfAbsent(f.finding().identity(), f);
                    if (k.problem != null) problems.add(k.problem);
                }
                int fresh = 0;
                for (WorkerProtocol.Found f : distinct.values()) {
                    if (baseline.match(v, f.finding()) == null) fresh++;
                    byVariant.computeIfAbsent(v, x -> new ArrayList<>()).add(f);
                }
                anyNew |= fresh > 0;
                total += n;
                t.row(v, s, n, ex.length() == 0 ? "-" : ex, limited, distinct.size(), fresh, String.format("%.1f", time));
                for (String p : problems) System.err.println(v + " x " + s + ": " + p);
            }
        }
        System.out.print(t);
        System.out.printf("%n%d schedules in %.1f s (%.0f/s over %d worker(s)); baseline %s (%d known findings)%n",
                total, secs, total / secs, o.workers, o.baseline, baseline.entries().size());
        for (String v : variants) {
            List<WorkerProtocol.Found> fs = byVariant.getOrDefault(v, List.of());
            if (fs.isEmpty()) continue;
            Map<String, WorkerProtocol.Found> once = new LinkedHashMap<>();
            for (WorkerProtocol.Found f : fs) once.putIfAbsent(f.finding().identity(), f);
            System.out.println();
            System.out.println("== " + v + ": " + once.size() + " distinct finding(s)");
            for (WorkerProtocol.Found f : once.values()) {
                Baseline.Entry e = baseline.match(v, f.finding());
                System.out.println();
                if (e != null && !shownKnown.add(e.id())) {
                    System.out.println("  known (" + e.id() + "): " + f.finding());
                    continue;
                }
                System.out.println(e == null ? "  NEW finding, not in the baseline:" : "  known (" + e.id() + "): " + e.about());
                System.out.print(Files.readString(Path.of(f.report())));
            }
        }
        System.out.println();
        System.out.println(anyNew ? "verdict: findings outside the baseline (see NEW above)" : "verdict: every finding is in the baseline");
        return anyNew ? 1 : 0;
    }
}
