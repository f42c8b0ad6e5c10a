// `run`: every variant x scenario explored by worker processes (one per CPU, so a native crash
// costs one worker, not the session), then the verdict table and each finding's race.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.control.FlightRecorder;
import ethosu.bench.report.Baseline;
import ethosu.bench.report.RaceDiagram;
import ethosu.bench.report.Table;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
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
    private Verdicts() {}

    static final class Task {
        final int id;
        final String variant, scenario, strategy;
        long first;
        String resume = "-";
        long schedules;
        boolean exhausted;
        double seconds;
        final List<Found> found = Collections.synchronizedList(new ArrayList<>());
        String problem;
        /** Distinct outcomes of the task's runs (the worker's "outcome" lines). */
        final ethosu.bench.check.OutcomeSet outcomes = new ethosu.bench.check.OutcomeSet();

        Task(int id, String variant, String scenario, String strategy) {
            this.id = id;
            this.variant = variant;
            this.scenario = scenario;
            this.strategy = strategy;
        }
    }

    record Found(Finding.Check check, String signature, long index, double seconds, Path schedule, Path report,
                 String text) {}

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
    static void drive(int idx, ConcurrentLinkedQueue<Task> queue, Main.Run o) {
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
            try (PrintWriter to = new PrintWriter(p.outputWriter(StandardCharsets.UTF_8), true);
                 BufferedReader from = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                while (task != null) {
                    to.println(String.join("\t", "task", Integer.toString(task.id), task.variant, task.scenario, task.strategy,
                            Long.toString(o.seed), Long.toString(o.budget), Long.toString(o.seconds * 1000),
                            o.noMinimize ? "0" : "1", Long.toString(task.first), task.resume));
                    boolean done = false;
                    for (String line; !done && (line = from.readLine()) != null; ) {
                        String[] f = line.split("\t", -1);
                        if (f[0].equals("found")) {
                            task.found.add(new Found(Finding.Check.valueOf(f[2]), f[3], Long.parseLong(f[4]),
                                    Double.parseDouble(f[5]), Path.of(f[6]), Path.of(f[7]), f[8]));
                        } else if (f[0].equals("outcome")) {
                            task.outcomes.add(task.scenario, ethosu.bench.check.Outcome.parse(f[2]),
                                    new ethosu.bench.check.OutcomeSet.Witness(task.scenario, Long.parseLong(f[3]), f[4]));
                        } else if (f[0].equals("done")) {
                            task.schedules += Long.parseLong(f[2]);
                            task.exhausted = f[3].equals("1");
                            task.seconds += Double.parseDouble(f[4]);
                            if (!f[6].equals("-")) task.problem = f[6];
                            done = true;
                        }
                    }
                    if (!done) break; // the worker died
                    task = queue.poll();
                }
            } catch (IOException e) {
                // treated as a crash below
            }
            if (task == null) {
                p.destroy();
                return;
            }
            // the worker died inside task: its flight recorder holds the schedule that did it
            try {
                p.waitFor();
                recordCrash(task, rec, o, p.exitValue(), ++crashes);
            } catch (Exception e) {
                task.problem = "worker crashed and its record could not be read: " + e;
                task = null;
            }
            if (crashes > 20) {
                if (task != null) task.problem = "more than 20 crashes: stopped";
                task = null;
            }
        }
    }

    static Process start(int idx, Main.Run o) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:ErrorFile=" + o.save.resolve("hs_err_worker" + idx + "_%p.log"),
                "-Dethosu.build=" + EthosuLibrary.buildDir().toAbsolutePath(),
                "-Dethosu.maxStallNs=" + ethosu.bench.control.ControlledRun.defaultMaxStallNs(),
                "-Dethosu.fail=" + System.getProperty("ethosu.fail", ""),
                "-cp", System.getProperty("java.class.path"), Worker.class.getName(), Integer.toString(idx),
                o.save.toString());
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void recordCrash(Task task, Path rec, Main.Run o, int exit, int n) throws IOException {
        FlightRecorder.Contents c = FlightRecorder.read(rec);
        long index = c.header().startsWith("schedule ") ? Long.parseLong(c.header().substring(9).trim()) : task.first;
        String frame = problematicFrame(o.save);
        String text = "native crash (exit " + exit + ")" + (frame == null ? "" : ": " + frame)
                + " in schedule " + index;
        Path schedule = o.save.resolve(task.variant + "--" + task.scenario + "--crash" + n + ".schedule");
        c.schedule().write(schedule, "ethosu-bench schedule\nvariant: " + task.variant + "\nscenario: " + task.scenario
                + "\nfinding: [no native crash] " + text);
        Path report = Path.of(schedule.toString().replace(".schedule", ".txt"));
        Files.writeString(report, "  [" + Finding.Check.CRASH.title + "] " + text + "\n  schedule: " + schedule
                + "\n\n" + RaceDiagram.draw(c.trace(), Map.of()) + "\n");
        task.found.add(new Found(Finding.Check.CRASH, "CRASH: " + (frame == null ? "native" : frame.replaceAll("\\+0x[0-9a-f]+", "")),
                index, 0, schedule, report, text));
        // go on after the crashed schedule
        task.first = index + 1;
        Path resume = o.save.resolve("resume-" + task.id + ".rec");
        Files.copy(rec, resume, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        task.resume = resume.toString();
    }

    /** "C  [libethosu.so+0xb100]  drm_sched_entity_is_ready+0x0" from the newest hs_err log. */
    private static String problematicFrame(Path dir) {
        try (var s = Files.list(dir)) {
            Path log = s.filter(p -> p.getFileName().toString().startsWith("hs_err_worker"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())).orElse(null);
            if (log == null) return null;
            for (String l : Files.readAllLines(log)) {
                if (l.startsWith("# C  [")) {
                    String fr = l.substring(l.indexOf(']') + 1).strip();
                    String sig = "SIGSEGV";
                    return sig + " in " + fr;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static int report(List<Task> tasks, List<String> variants, List<String> scenarios, Baseline baseline,
                              Main.Run o, double secs) throws IOException {
        Table t = new Table("variant", "scenario", "schedules", "exhausted", "findings", "new", "time s");
        boolean anyNew = false;
        long total = 0;
        Map<String, List<Found>> byVariant = new LinkedHashMap<>();
        Set<String> shownKnown = new HashSet<>();
        for (String v : variants) {
            for (String s : scenarios) {
                long n = 0;
                double time = 0;
                StringBuilder ex = new StringBuilder();
                Map<String, Found> distinct = new LinkedHashMap<>();
                List<String> problems = new ArrayList<>();
                for (Task k : tasks) {
                    if (!k.variant.equals(v) || !k.scenario.equals(s)) continue;
                    n += k.schedules;
                    time += k.seconds;
                    if (k.strategy.startsWith("dfs")) ex.append(k.exhausted ? "yes (" + k.strategy + ")" : "no (" + k.strategy + ")");
                    for (Found f : k.found) distinct.putIfAbsent(f.signature(), f);
                    if (k.problem != null) problems.add(k.problem);
                }
                int fresh = 0;
                for (Found f : distinct.values()) {
                    if (baseline.match(v, new Finding(f.check(), f.text(), "")) == null) fresh++;
                    byVariant.computeIfAbsent(v, x -> new ArrayList<>()).add(f);
                }
                anyNew |= fresh > 0;
                total += n;
                t.row(v, s, n, ex.length() == 0 ? "-" : ex, distinct.size(), fresh, String.format("%.1f", time));
                for (String p : problems) System.err.println(v + " x " + s + ": " + p);
            }
        }
        System.out.print(t);
        System.out.printf("%n%d schedules in %.1f s (%.0f/s over %d worker(s)); baseline %s (%d known findings)%n",
                total, secs, total / secs, o.workers, o.baseline, baseline.entries().size());
        for (String v : variants) {
            List<Found> fs = byVariant.getOrDefault(v, List.of());
            if (fs.isEmpty()) continue;
            Map<String, Found> once = new LinkedHashMap<>();
            for (Found f : fs) once.putIfAbsent(f.signature(), f);
            System.out.println();
            System.out.println("== " + v + ": " + once.size() + " distinct finding(s)");
            for (Found f : once.values()) {
                Baseline.Entry e = baseline.match(v, new Finding(f.check(), f.text(), ""));
                System.out.println();
                if (e != null && !shownKnown.add(e.id())) {
                    System.out.println("  known (" + e.id() + "): [" + f.check().title + "] " + f.text());
                    continue;
                }
                System.out.println(e == null ? "  NEW finding, not in the baseline:" : "  known (" + e.id() + "): " + e.about());
                System.out.print(Files.readString(f.report()));
            }
        }
        System.out.println();
        System.out.println(anyNew ? "verdict: findings outside the baseline (see NEW above)" : "verdict: every finding is in the baseline");
        return anyNew ? 1 : 0;
    }
}
