// What the exploration commands share: strategies and scenarios by name, finding files (schedule and
// header), a finding's report with its race, replay of a schedule file.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.control.Controlled;
import ethosu.bench.kernel.Engine;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.FlightRecorder;
import ethosu.bench.control.Minimizer;
import ethosu.bench.control.Runs;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.Strategy;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.control.strategy.Pct;
import ethosu.bench.control.strategy.RandomWalk;
import ethosu.bench.control.strategy.Replay;
import ethosu.bench.input.BadInputException;
import ethosu.bench.input.TextFile;
import ethosu.bench.kernel.RunResult;
import ethosu.bench.report.RaceDiagram;
import ethosu.bench.report.TraceText;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.FaultSpec;
import ethosu.bench.scenario.Scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class Explore {
    private Explore() {}

    /** "dfs:2", "dfs:2:plain", "pct:3", "random": a fresh strategy for one exploration (the spec as Args checks it). */
    static Strategy strategy(String spec, long seed, long schedules) {
        return strategy(spec, seed, schedules, 0, 1);
    }

    /**
     * As above, part shard of shards of it (--shard K/N): the parts together explore what the whole
     * does, each schedule once. dfs reduces by sleep sets unless the spec ends in ":plain".
     */
    static Strategy strategy(String spec, long seed, long schedules, int shard, int shards) {
        String problem = Args.strategyProblem(spec);
        if (problem != null) throw new BadInputException("strategy: " + problem);
        String[] p = spec.split(":");
        int arg = p.length > 1 ? Integer.parseInt(p[1]) : -1;
        boolean plain = p.length > 2 && p[2].equals("plain");
        int n = (int) Math.min(Integer.MAX_VALUE, schedules);
        return switch (p[0]) {
            case "dfs" -> new BoundedDfs(arg < 0 ? 2 : arg, !plain, shard, shards);
            case "pct" -> new Pct(seed, arg < 0 ? 3 : arg, 400, n, shard, shards);
            default -> new RandomWalk(seed, n, shard, shards);
        };
    }

    static Scenario scenario(String name, Path file) {
        if (file != null) {
            List<Scenario> all = Catalog.fromFile(file);
            for (Scenario s : all) if (name == null || s.name().equals(name)) return s;
            throw new BadInputException(file + ": no scenario '" + name + "', expected one of "
                    + String.join(", ", all.stream().map(Scenario::name).toList()));
        }
        return Catalog.get(name);
    }

    static String header(String variant, Scenario sc, Finding f) {
        return header(variant, sc, f, "");
    }

    /**
     * The header of a schedule file: what it shows, what its run needed of the machine (needs), and
     * the --max-stall and --fail it was explored with (a replay takes them from here).
     */
    static String header(String variant, Scenario sc, Finding f, String needs) {
        long max = Controlled.defaultMaxStallNs();
        List<String> fails = FaultSpec.fromCommandLine().stream().map(Object::toString).toList();
        return "ethosu-bench schedule\nvariant: " + variant + "\nscenario: " + sc.name() + "\nfinding: " + f
                + "\nidentity: " + f.identity()
                + (needs.isEmpty() ? "" : "\nneeds: " + needs)
                + (max >= 0 ? "\nmax-stall: " + max + "ns" : "")
                + (fails.isEmpty() ? "" : "\nfail: " + String.join(" ", fails))
                + "\nreplay: make replay ARGS=\"--schedule <this file>\"";
    }

    /**
     * Writes a finding's schedule file as dir/variant--scenario--name.schedule; name must be unique
     * among the files of one session (a task's id and the finding's number), so a report's heading
     * always shows its own schedule and race. needs: the stalls its run needed ("": not measured).
     */
    static Path save(Path dir, String variant, Scenario sc, Finding f, Schedule s, String name, String needs)
            throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(variant + "--" + sc.name() + "--" + name + ".schedule");
        s.write(p, header(variant, sc, f, needs));
        return p;
    }

    /** A finding's report: what it is, its (minimised) schedule file, and its race. */
    static void printFinding(Explorer.Found f, Minimizer.Result m, Path file) {
        Explorer.Found shown = m != null ? m.found() : f;
        System.out.println("  " + f.finding());
        if (m != null)
            System.out.printf("  schedule: %s (%d decisions, %d preemptions; minimised from %d preemptions in %d runs%s)%n",
                    file, m.stepsAfter(), m.preemptionsAfter(), m.preemptionsBefore(), m.runs(),
                    m.probeBudgetMs() > 0 ? String.format(", probes watched for %.1f s", m.probeBudgetMs() / 1000.0) : "");
        else if (file != null)
            System.out.println("  schedule: " + file);
        if (!shown.needs().isEmpty()) System.out.println("  needs: " + shown.needs());
        System.out.println();
        System.out.print(RaceDiagram.draw(shown.trace(), shown.names(), shown.finding()));
        System.out.println();
    }

    /** Reads "# key: value" header lines of a schedule file. */
    static Map<String, String> scheduleHeader(Path p) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] lines = TextFile.read(p, "a schedule file (docs/SCENARIOS.md)").split("\n", -1);
        for (int n = 1; n <= lines.length; n++) {
            String l = lines[n - 1];
            if (!l.startsWith("#")) break;
            int c = l.indexOf(':');
            if (c <= 2) continue;
            String key = l.substring(2, c).strip();
            if (m.putIfAbsent(key, l.substring(c + 1).strip()) != null && HEADER_ONCE.contains(key))
                throw new BadInputException(p.toString(), n, "expected one '# " + key + ":' header line, got a second");
        }
        return m;
    }

    /** Header keys that choose what a replay runs: a second one would silently win. */
    private static final java.util.Set<String> HEADER_ONCE = java.util.Set.of("variant", "scenario");

    /**
     * Replays of a schedule: each run's trace as text (identical if deterministic), and the first run;
     * lockedUp: the last replay locked up (a context stuck in the driver, its thread stopped): the
     * replays stopped there.
     */
    record ReplayResult(List<List<String>> traces, List<List<Finding>> findings, String divergence, Runs.Run first,
                        boolean lockedUp) {}

    static ReplayResult replay(EthosuLibrary lib, Scenario sc, Schedule s, int times) {
        return replay(lib, sc, s, times, -1, null);
    }

    /**
     * As above; with breakStep >= 0 the first replay calls ebench_break_step at that step (make gdb);
     * rec, if not null, records each replay's decisions (a worker's flight recorder).
     */
    static ReplayResult replay(EthosuLibrary lib, Scenario sc, Schedule s, int times, int breakStep, FlightRecorder rec) {
        return replay(Engine.of(lib), lib, sc, s, times, breakStep, rec);
    }

    /** As above, on either engine; lib (for make gdb's break step) only when the C runs. */
    static ReplayResult replay(Engine engine, EthosuLibrary lib, Scenario sc, Schedule s, int times, int breakStep,
                               FlightRecorder rec) {
        List<List<String>> traces = new ArrayList<>();
        List<List<Finding>> findings = new ArrayList<>();
        String divergence = null;
        Runs.Run first = null;
        boolean lockedUp = false;
        for (int i = 0; i < times && !lockedUp; i++) {
            Replay r = new Replay(s);
            r.nextSchedule();
            Controlled platform = Runs.platform(engine, r);
            if (rec != null) {
                rec.begin("replay " + (i + 1));
                platform.recordTo(rec::record);
            }
            if (breakStep >= 0 && i == 0 && lib != null)
                platform.breakAt(breakStep, (step, ctx, label) -> {
                    System.err.println("break step " + step + ": " + ctx + " goes on from " + label);
                    lib.breakAtStep(step, ctx, label);
                });
            Runs.Run run = Runs.run(engine, Runs.setup(sc), platform, null, Runs.scripts(sc), h -> Runs.arm(h, sc));
            if (run.result().end() == RunResult.End.TIMED_OUT)
                throw new IllegalStateException("the replay did not end within " + Runs.RUN_TIMEOUT_MS + " ms");
            lockedUp = run.result().end() == RunResult.End.LOCKUP;
            traces.add(TraceText.lines(run.result().trace(), run.result().names()));
            findings.add(run.result().findings());
            if (divergence == null) divergence = r.divergence();
            if (first == null) first = run;
        }
        return new ReplayResult(traces, findings, divergence, first, lockedUp);
    }

    /** The finding of a replay that a schedule file's header names (its identity, else its line), or null. */
    static Finding headerFinding(Map<String, String> head, List<Finding> found) {
        String identity = head.get("identity"), line = head.getOrDefault("finding", "");
        for (Finding f : found) if (f.identity().equals(identity)) return f;
        for (Finding f : found) if (blank(f.toString()).equals(blank(line))) return f;
        return null;
    }

    /**
     * Rewrites a schedule file with the labels its replay saw, keeping its header, when the replay
     * still shows the header's finding; says what it did.
     */
    static boolean update(Path file, ReplayResult r) throws IOException {
        Map<String, String> head = scheduleHeader(file);
        Finding f = headerFinding(head, r.findings().get(0));
        if (f == null) {
            System.out.println(file + ": not updated: the replay no longer shows '" + head.get("finding") + "'");
            return false;
        }
        StringBuilder header = new StringBuilder();
        for (String l : Files.readAllLines(file)) {
            if (!l.startsWith("#")) break;
            String h = l.replaceFirst("^# ?", "");
            if (h.startsWith("identity:")) continue;
            header.append(header.length() == 0 ? "" : "\n").append(h);
            if (h.startsWith("finding:")) header.append("\nidentity: ").append(f.identity());
        }
        r.first().schedule().write(file, header.toString());
        System.out.println(file + ": updated (" + r.first().schedule().size() + " decisions)");
        return true;
    }

    private static String blank(String finding) {
        return finding.replaceAll("0x[0-9a-f]+|\\d+", "#");
    }
}
