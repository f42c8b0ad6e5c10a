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
    /** Crashes a task may take (each costs a worker's restart) before its exploration stops. */
    static final int MAX_CRASHES = 5;

    private Verdicts() {}

    static final class Task {
        final int id;
        final String variant, scenario, strategy;
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
            this.id = id;
            this.variant = variant;
            this.scenario = scenario;
            this.strategy = strategy;
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
        return report(tasks, variants, scenarios, baseline, o, secs);
    }

    /** Every variant x scenario x strategy of the plan, explored by the worker processes. */
    static List<Task> explore(Main.Run o, List<String> variants, List<String> scenarios) throws Exception {
        Files.createDirectories(o.save);
        List<Task> tasks = new ArrayList<>();
        for (String v : variants)
            for (String s : scenarios)
                for (String st : o.plan) tasks.add(new Task(tasks.size(), v, s, st));
        ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>(tasks);
        List<Thread> drivers = new ArrayList<>();
        for (int w = 0; w < Math.max(1, o.workers); w++) {
            final int idx = w;
            Thread t = Thread.ofPlatform().name("worker-driver-" + w).start(() -> drive(idx, queue, o));
            drivers.add(t);
        }
        for (Thread t : drivers) t.join();
        return tasks;
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
                    to.send(new WorkerProtocol.Task(task.id, task.variant, task.scenario, task.strategy, o.seed,
                            o.budget, o.seconds * 1000, !o.noMinimize, task.first, task.resume));
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
        // the worker explored schedules first+1 .. index (1-based) before it died; go on after index
        task.schedules += index - task.first;
        task.first = index;
        Path resume = o.save.resolve("resume-" + task.id + ".rec");
        Files.copy(rec, resume, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        task.resume = resume.toString();
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
