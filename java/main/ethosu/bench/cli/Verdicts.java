// `run`: every variant x scenario explored by worker processes (one per CPU, so a native crash
// costs one worker, not the session), then the verdict table and each finding's race.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.check.SanitizerReport;
import ethosu.bench.control.FlightRecorder;
import ethosu.bench.report.Baseline;
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
     * An exploration of variant x scenario with one strategy, as the worker pool runs it: sent again
     * from where it stopped when its worker died or retired, within what is left of its budget of
     * schedules and time. A death is a finding (its schedule kept); repeats of one kind are counted
     * against the first, and the exploration goes on after each.
     */
    static final class Task implements Workers.Job {
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
        /** How often each finding (by identity) ended a worker: a crash or a lockup, counted once each. */
        final Map<String, Integer> deaths = new LinkedHashMap<>();
        /** What the plan asks (budget, time, seed, where files go); explore's stop and scenario file. */
        Main.Run plan;
        String stopAt, baseline, scenarioFile;
        private long deadline;
        private boolean started, over;

        Task(int id, String variant, String scenario, String strategy) {
            this.id = id;
            this.variant = variant;
            this.scenario = scenario;
            this.strategy = strategy;
        }

        @Override
        public WorkerProtocol.Message next() {
            if (over) return null;
            long now = System.nanoTime();
            if (!started) {
                started = true;
                deadline = now + plan.seconds * 1_000_000_000L;
            } else if (first >= plan.budget || now - deadline >= 0) {
                // what was left of its budget went on the schedules before the worker died
                over = true;
                return null;
            }
            long millis = Math.max(1, (deadline - now) / 1_000_000);
            return new WorkerProtocol.Task(id, variant, scenario, strategy, plan.seed, plan.budget, millis,
                    !plan.noMinimize, first, resume, plan.save.toString(), stopAt, baseline, scenarioFile,
                    new ArrayList<>(deaths.keySet()));
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
                    if (d.problem() != null) problem = d.problem();
                    if (d.lockedUp() > 0) {
                        // a run locked up: its worker retires, a fresh one goes on after that schedule
                        first = d.lockedUp();
                        resume = d.resume();
                    } else {
                        over = true;
                    }
                    return true;
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

        /** The death's finding, its schedule and report written the first time its kind is seen, else counted. */
        private void recordDeath(Workers.Death d, long index) throws IOException {
            Finding f = d.finding(index);
            crashes++;
            if (counted(f, index, null)) return;
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
            found.add(new WorkerProtocol.Found(id, f, index, 0, schedule.toString(), report.toString()));
            deaths.put(f.identity(), 1);
        }

        /**
         * Counts a finding that ended a worker; true if its kind was seen before (its first report
         * then says how often and in which schedules), false for the first.
         */
        private boolean counted(Finding f, long index, String report) throws IOException {
            Integer n = deaths.get(f.identity());
            if (n == null) {
                if (report != null) deaths.put(f.identity(), 1);
                return false;
            }
            deaths.put(f.identity(), n + 1);
            WorkerProtocol.Found firstSeen = null;
            for (WorkerProtocol.Found x : found) if (x.finding().identity().equals(f.identity())) {
                firstSeen = x;
                break;
            }
            if (firstSeen != null && firstSeen.report() != null) {
                Path p = Path.of(firstSeen.report());
                String text = Files.readString(p).replaceAll("(?m)^  seen \\d+ times in this exploration.*\\n", "");
                Files.writeString(p, text + "  seen " + (n + 1) + " times in this exploration, the last in schedule " + index
                        + " (each time its process was replaced and the exploration went on)\n");
            }
            return true;
        }
    }

    static int run(Main.Run o) throws Exception {
        // every name and file checked here, before a worker starts: a typo is one line, not 21 crashed workers
        List<String> variants = Args.variantsOrBuilt(o.variants);
        List<String> scenarios = o.scenarios == null || o.scenarios.isEmpty()
                ? Catalog.builtIn().stream().map(Scenario::name).toList() : o.scenarios;
        for (String s : scenarios) Catalog.get(s);
        Baseline baseline = Args.baseline(o.baseline);
        long t0 = System.nanoTime();
        List<Task> tasks = explore(o, variants, scenarios);
        double secs = (System.nanoTime() - t0) / 1e9;
        return report(tasks, variants, scenarios, baseline, o, secs);
    }

    /** Every variant x scenario x strategy of the plan, explored by the worker processes. */
    static List<Task> explore(Main.Run o, List<String> variants, List<String> scenarios) throws Exception {
        // a --save that is a file is one line, before any worker starts
        Args.outputDir("--save", o.save);
        List<Task> tasks = new ArrayList<>();
        for (String v : variants)
            for (String s : scenarios)
                for (String st : o.plan) tasks.add(new Task(tasks.size(), v, s, st));
        for (Task t : tasks) t.plan = o;
        try (Workers w = new Workers(o.workers, -1, Args.watchdog(o.watchdog))) {
            w.run(tasks);
        }
        return tasks;
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

    static int report(List<Task> tasks, List<String> variants, List<String> scenarios, Baseline baseline,
                              Main.Run o, double secs) throws IOException {
        Table t = new Table("variant", "scenario", "schedules", "exhausted", "step limit", "findings", "new", "time s");
        boolean anyNew = false;
        List<String> empty = new ArrayList<>();
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
                if (n == 0) empty.add(v + " x " + s);
                total += n;
                t.row(v, s, n, ex.length() == 0 ? "-" : ex, limited, distinct.size(), fresh, String.format("%.1f", time));
                for (String p : problems) System.err.println(v + " x " + s + ": " + p);
            }
        }
        System.out.print(t);
        System.out.printf("%n%d schedules in %.1f s (%.0f/s over %d worker(s)); baseline %s (%d known findings)%n",
                total, secs, total / secs, o.workers, Args.baselineShown(o.baseline), baseline.entries().size());
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
        // a run that explored nothing checked nothing: it is not green
        if (!empty.isEmpty())
            System.out.println("verdict: nothing explored for " + String.join(", ", empty)
                    + (anyNew ? "; findings outside the baseline (see NEW above)" : ""));
        else
            System.out.println(anyNew ? "verdict: findings outside the baseline (see NEW above)" : "verdict: every finding is in the baseline");
        return anyNew || !empty.isEmpty() ? Main.FINDINGS : Main.OK;
    }
}
