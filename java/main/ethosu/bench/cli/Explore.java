// The exploration commands: run (every variant x scenario, verdicts and diagrams), explore (one
// variant, scenario and strategy), replay (a schedule file), list.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.ControlledRun;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.Minimizer;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.Strategy;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.control.strategy.Pct;
import ethosu.bench.control.strategy.RandomWalk;
import ethosu.bench.control.strategy.Replay;
import ethosu.bench.report.RaceDiagram;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class Explore {
    private Explore() {}

    /** "dfs:2", "pct:3", "random": a fresh strategy for one exploration. */
    static Strategy strategy(String spec, long seed, long schedules) {
        String[] p = spec.split(":");
        int arg = p.length > 1 ? Integer.parseInt(p[1]) : -1;
        return switch (p[0]) {
            case "dfs" -> new BoundedDfs(arg < 0 ? 2 : arg);
            case "pct" -> new Pct(seed, arg < 0 ? 3 : arg, 400, (int) Math.min(Integer.MAX_VALUE, schedules));
            case "random" -> new RandomWalk(seed, (int) Math.min(Integer.MAX_VALUE, schedules));
            default -> throw new IllegalArgumentException("strategy '" + spec + "': expected dfs[:bound], pct[:depth] or random");
        };
    }

    static Scenario scenario(String name, Path file) throws IOException {
        if (file != null) {
            for (Scenario s : Catalog.fromFile(file)) if (name == null || s.name().equals(name)) return s;
            throw new IllegalArgumentException(file + " has no scenario " + name);
        }
        return Catalog.get(name);
    }

    /** Job labels in traces (job0x80000000, 0x80000000) to the scenario's job names. */
    static Map<String, String> labelNames(Map<Long, String> ids) {
        Map<String, String> m = new LinkedHashMap<>();
        for (var e : ids.entrySet()) m.put(String.format("job0x%x", e.getKey()), "job" + e.getValue());
        for (var e : ids.entrySet()) m.put(String.format("0x%x", e.getKey()), "<" + e.getValue() + ">");
        return m;
    }

    static String header(String variant, Scenario sc, Explorer.Found f, String needs) {
        long max = ControlledRun.defaultMaxStallNs();
        return "ethosu-bench schedule\nvariant: " + variant + "\nscenario: " + sc.name() + "\nfinding: " + f.finding()
                + "\nneeds: " + needs
                + (max >= 0 ? "\nmax-stall: " + max + "ns" : "")
                + (ethosu.bench.scenario.FaultSpec.fromCommandLine().isEmpty() ? "" : "\nfail: "
                        + String.join(" ", ethosu.bench.scenario.FaultSpec.fromCommandLine().stream().map(Object::toString).toList()))
                + "\nreplay: make replay ARGS=\"--schedule <this file>\"";
    }

    /** Writes a finding's schedule file; returns its path. */
    static Path save(Path dir, String variant, Scenario sc, Explorer.Found f, Minimizer.Result m, int index)
            throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(variant + "--" + sc.name() + "--" + index + ".schedule");
        Schedule s = m == null ? f.schedule() : m.schedule();
        s.write(p, header(variant, sc, f, m == null ? f.needs() : m.needs()));
        return p;
    }

    static void printFinding(String variant, Scenario sc, Explorer.Found f, Minimizer.Result m, Path file) {
        List<String> trace = m != null ? m.trace() : f.trace();
        System.out.println("  " + f.finding());
        if (m != null)
            System.out.printf("  schedule: %s (%d decisions, %d preemptions; minimised from %d preemptions in %d runs)%n",
                    file, m.stepsAfter(), m.preemptionsAfter(), m.preemptionsBefore(), m.runs());
        else if (file != null)
            System.out.println("  schedule: " + file);
        System.out.println("  needs: " + (m != null ? m.needs() : f.needs()));
        System.out.println();
        System.out.print(RaceDiagram.draw(trace, labelNames(f.jobNames()), f.finding().text()));
        System.out.println();
    }

    /**
     * Rewrites a schedule file with the labels its replay saw, keeping its header, when the replay
     * still shows the header's finding (the same line, numbers aside); says what it did.
     */
    static boolean update(Path file, ReplayResult r) throws IOException {
        String want = scheduleHeader(file).getOrDefault("finding", "");
        boolean shown = r.findings().get(0).stream().anyMatch(f -> blank(f).equals(blank(want)));
        if (!shown) {
            System.out.println(file + ": not updated: the replay no longer shows '" + want + "'");
            return false;
        }
        StringBuilder header = new StringBuilder();
        for (String l : Files.readAllLines(file)) {
            if (!l.startsWith("#")) break;
            header.append(header.length() == 0 ? "" : "\n").append(l.replaceFirst("^# ?", ""));
        }
        r.schedule().write(file, header.toString());
        System.out.println(file + ": updated (" + r.schedule().size() + " decisions)");
        return true;
    }

    private static String blank(String finding) {
        return finding.replaceAll("0x[0-9a-f]+|\\d+", "#");
    }

    /** Reads "# key: value" header lines of a schedule file. */
    static Map<String, String> scheduleHeader(Path p) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : Files.readAllLines(p)) {
            if (!l.startsWith("#")) break;
            int c = l.indexOf(':');
            if (c > 2) m.put(l.substring(2, c).strip(), l.substring(c + 1).strip());
        }
        return m;
    }

    /** Replays a schedule times times; returns the runs' traces (identical if deterministic) and findings. */
    record ReplayResult(List<List<String>> traces, List<List<String>> findings, String divergence, Map<Long, String> names,
                        Schedule schedule) {}

    static ReplayResult replay(EthosuLibrary lib, Scenario sc, Schedule s, int times) {
        return replay(lib, sc, s, times, -1);
    }

    /** As above; with breakStep >= 0 the first replay calls ebench_break_step at that step (make gdb). */
    static ReplayResult replay(EthosuLibrary lib, Scenario sc, Schedule s, int times, int breakStep) {
        List<List<String>> traces = new java.util.ArrayList<>(), findings = new java.util.ArrayList<>();
        String divergence = null;
        Map<Long, String> names = Map.of();
        Schedule first = null;
        for (int i = 0; i < times; i++) {
            Replay r = new Replay(s);
            r.nextSchedule();
            ControlledRun run = ControlledRun.of(lib, r, sc, Explorer.MAX_STEPS);
            if (breakStep >= 0 && i == 0)
                run.runtime.breakAt(breakStep, (step, ctx, label) -> {
                    System.err.println("break step " + step + ": " + ctx + " goes on from " + label);
                    lib.breakAtStep(step, ctx, label);
                });
            try {
                if (!run.run(ControlledRun.scripts(sc), 60_000)) throw new IllegalStateException("replay did not end");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            traces.add(List.copyOf(run.runtime.trace()));
            findings.add(run.checker.findings().stream().map(Object::toString).toList());
            if (divergence == null) divergence = r.divergence();
            names = run.checker.names();
            if (first == null) first = run.runtime.schedule();
            run.destroy();
        }
        return new ReplayResult(traces, findings, divergence, names, first);
    }
}
