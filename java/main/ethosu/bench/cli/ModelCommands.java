// The command line's model side: explore on the model (every finding then replayed on the C to
// confirm it, or the divergence reported), differential exploration (every schedule on both sides),
// and the choice of engine for a replay.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.Minimizer;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.Strategy;
import ethosu.bench.control.strategy.Replay;
import ethosu.bench.kernel.Engine;
import ethosu.bench.model.Differential;
import ethosu.bench.model.DifferentialExplorer;
import ethosu.bench.model.ModelEngine;
import ethosu.bench.scenario.Scenario;

import ethosu.bench.report.Baseline;
import ethosu.bench.report.SessionResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

final class ModelCommands {
    private ModelCommands() {}

    /** "c": the variant's library; "model": its Java model. */
    static Engine engine(String kind, String variant) {
        return switch (kind) {
            case "c" -> Engine.of(EthosuLibrary.load(variant));
            case "model" -> new ModelEngine(variant);
            default -> throw new IllegalArgumentException("--engine " + kind + ": expected c or model");
        };
    }

    /**
     * Where and how `explore --json` writes its session result: the options that made the
     * exploration, so the file says what was explored as the C engine's does (and `merge` takes it).
     */
    record JsonOut(Path file, String strategy, long seed, long budget, long seconds, Args.Part part,
                   String baselineShown, Baseline known) {
        SessionResult.Plan plan(String variant, Scenario sc) {
            return new SessionResult.Plan(List.of(variant), List.of(sc.name()), List.of(strategy), budget, seconds, seed,
                    1, baselineShown, List.of());
        }

        Integer bound() {
            return strategy.startsWith("dfs") ? ethosu.bench.query.QuerySearch.bound(strategy) : null;
        }
    }

    /** What replaying a model finding's schedule on the C showed. */
    record Confirmation(boolean confirmed, Differential.Divergence divergence) {}

    /**
     * Replays a schedule found on the model on the C: confirmed when the C shows the same finding
     * (same identity); the differential run of that schedule says where the two part, if they do.
     */
    static Confirmation confirmOnC(String variant, Scenario sc, Schedule s, String identity) {
        Replay replay = new Replay(s);
        replay.nextSchedule();
        Differential.Result r = Differential.run(engine("c", variant), engine("model", variant), sc, replay);
        boolean shown = r.c().findings().stream().anyMatch(f -> f.identity().equals(identity));
        return new Confirmation(shown, r.divergence());
    }

    static int exploreModel(String variant, Scenario sc, Strategy st, long budget, long seconds,
                            Predicate<Finding> stop, Path save, boolean noMinimize, JsonOut json) throws IOException {
        Engine model = engine("model", variant);
        // the distinct outcomes reached, each with the first schedule that reached it (for --json)
        Map<String, SessionResult.Reached> outcomes = new LinkedHashMap<>();
        Explorer.Result r = Explorer.explore(model, sc, st, new Explorer.Budget(budget, seconds * 1000), stop, null, 0,
                (index, run, schedule) -> outcomes.putIfAbsent(String.valueOf(run.outcome()),
                        new SessionResult.Reached(String.valueOf(run.outcome()), index, null)));
        System.out.printf("%s x %s, %s on the model: %d schedules in %.1f s (%.0f/s), %s, %d finding(s)%n", variant,
                sc.name(), r.strategy(), r.schedules(), r.seconds(), r.schedulesPerSecond(),
                r.exhausted() ? "bound exhausted" : "bound not exhausted", r.found().size());
        for (var f : r.found())
            System.out.printf("  first seen in schedule %d after %.2f s: %s%n", f.scheduleIndex(), f.secondsToFind(), f.finding());
        if (r.problem() != null) System.out.println("problem: " + r.problem());
        int i = 0, unconfirmed = 0;
        List<SessionResult.Found> found = new ArrayList<>();
        for (var f : r.found()) {
            var m = noMinimize ? null : Minimizer.minimize(model, sc, f, 60);
            Schedule s = m == null ? f.schedule() : m.schedule();
            Path file = Explore.save(save, variant, sc, f.finding(), s, "model-" + (++i), f.needs());
            System.out.println();
            Explore.printFinding(f, m, file);
            Confirmation c = confirmOnC(variant, sc, s, f.finding().identity());
            if (c.confirmed()) {
                System.out.println("  confirmed on the C: the same schedule shows the same finding there");
            } else {
                unconfirmed++;
                System.out.println("  NOT confirmed on the C: the same schedule does not show it there");
            }
            if (c.divergence() != null) {
                Path d = saveDivergence(save, c.divergence(), "model-" + i);
                System.out.print(indent(c.divergence().format()));
                System.out.println("  divergence schedule: " + d);
            }
            if (json != null) {
                var known = json.known().match(variant, f.finding());
                found.add(new SessionResult.Found(f.finding().check().name(), f.finding().check().title, f.identity(),
                        f.finding().text(), f.finding().context(), known == null ? null : known.id(), f.scheduleIndex(),
                        f.secondsToFind(), file.toString(), null));
            }
        }
        if (unconfirmed > 0) System.out.println(unconfirmed + " model finding(s) not confirmed on the C");
        if (json != null) {
            var task = new SessionResult.Task(variant, sc.name(), json.strategy(), json.bound(), json.seed(), budget,
                    r.schedules(), r.exhausted(), r.stepLimited(), r.seconds(), r.problem(), found,
                    new ArrayList<>(outcomes.values()), List.of(), json.part().shard(), json.part().shards());
            SessionResult.derive("explore", json.plan(variant, sc), List.of(task)).write(json.file());
        }
        return r.found().isEmpty() ? 0 : 1;
    }

    static int exploreDifferential(String variant, Scenario sc, Strategy st, long budget, long seconds, Path save,
                                   JsonOut json) throws IOException {
        DifferentialExplorer.Result r = DifferentialExplorer.explore(engine("c", variant), engine("model", variant), sc, st,
                new Explorer.Budget(budget, seconds * 1000));
        System.out.printf("%s x %s, %s, C and model: %d schedules compared in %.1f s (%.0f/s), %s, %d divergence(s)%n",
                variant, sc.name(), r.strategy(), r.schedules(), r.seconds(), r.schedulesPerSecond(),
                r.exhausted() ? "bound exhausted" : "bound not exhausted", r.divergences());
        int i = 0;
        List<SessionResult.Divergence> first = new ArrayList<>();
        for (Differential.Divergence d : r.first()) {
            Path file = saveDivergence(save, d, Integer.toString(++i));
            System.out.println();
            System.out.print(indent(d.format()));
            System.out.println("  schedule: " + file);
            first.add(new SessionResult.Divergence(d.step(), d.context(), d.what(), file.toString(), d.format()));
        }
        if (json != null) {
            var compared = new SessionResult.Compared(variant, variant, sc.name(), json.strategy(), r.schedules(),
                    r.exhausted(), r.seconds(), null, r.divergences(), first, List.of());
            SessionResult.derive("explore", json.plan(variant, sc), List.of(), List.of(compared)).write(json.file());
        }
        return r.divergences() == 0 ? 0 : 1;
    }

    /** Writes a divergence's schedule file as dir/variant--scenario--divergence-name.schedule. */
    static Path saveDivergence(Path dir, Differential.Divergence d, String name) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(d.variant() + "--" + d.scenario() + "--divergence-" + name + ".schedule");
        Files.writeString(p, d.scheduleFile(p.toString()));
        return p;
    }

    private static String indent(String s) {
        return s.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
    }
}
