// The command line: `run` (the default session on every variant), `stress`, `variants`.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.kernel.Harness;
import ethosu.bench.report.Table;
import ethosu.bench.stress.StressRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

@Command(name = "ethosu-bench", mixinStandardHelpOptions = true,
        description = "Runs the Ethos-U driver's job code against kernel shims and a fake NPU.",
        subcommands = {Main.Run.class, Main.CheckCmd.class, Main.ExploreCmd.class, Main.ReplayCmd.class, Main.ListCmd.class,
                Main.Stress.class, Main.Bench.class, Main.Variants.class, Main.MergeCmd.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        int rc;
        try {
            rc = new CommandLine(new Main()).execute(args);
        } catch (Throwable t) {
            System.err.println("ethosu-bench: " + t.getMessage());
            rc = 2;
        }
        System.exit(rc);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    static class StressOptions {
        @Option(names = "--variant", description = "variant(s) to run (default: every built one)", split = ",")
        List<String> variants;
        @Option(names = "--clients", defaultValue = "4") int clients;
        @Option(names = "--jobs", defaultValue = "50", description = "jobs per client") int jobs;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--time-scale", defaultValue = "20", description = "kernel ns per real ns") int timeScale;
        @Option(names = "--chaos", defaultValue = "0", description = "per-mille chance to yield at each scheduling point")
        int chaos;
        @Option(names = "--normal", description = "only normal completions (no hangs, errors, spurious IRQs)")
        boolean normal;
        @Option(names = "--verbose", description = "print every finding and the kernel log of variants with findings")
        boolean verbose;
        @Option(names = "--baseline", defaultValue = "baseline/known-findings.txt",
                description = "findings it lists do not fail the run") Path baseline;
        @Option(names = "--regs", description = "register file path (default: a temp file on tmpfs, removed at the end); "
                + "watch it live with e.g. watch -n0.1 xxd -l 64 FILE") Path regs;

        List<String> variants() {
            return variants == null || variants.isEmpty() ? EthosuLibrary.builtVariants() : variants;
        }

        StressRun.Options options() {
            StressRun.Options o = StressRun.Options.defaults();
            return o.withJobs(clients, jobs).withSeed(seed).withMix(normal ? StressRun.Mix.NORMAL : StressRun.Mix.DEFAULT)
                    .withTimeScale(timeScale).withChaos(chaos).withSetup(o.setup().withRegsPath(regs));
        }
    }

    /**
     * Stress every variant and print one table; exit status 1 when a finding is outside the baseline
     * (the driver's reviewed findings, and each mutant's planted bug, are in it), 0 otherwise.
     */
    static int stressTable(StressOptions so) throws java.io.IOException {
        ethosu.bench.report.Baseline baseline = java.nio.file.Files.exists(so.baseline)
                ? ethosu.bench.report.Baseline.load(so.baseline) : ethosu.bench.report.Baseline.empty();
        List<StressRun.Result> results = new ArrayList<>();
        TreeSet<String> resultNames = new TreeSet<>();
        for (String v : so.variants()) {
            StressRun.Result r = StressRun.run(v, so.options());
            results.add(r);
            resultNames.addAll(r.results().keySet());
        }
        List<String> head = new ArrayList<>(List.of("variant", "jobs", "jobs/s", "resets"));
        head.addAll(resultNames);
        head.add("findings");
        Table t = new Table(head.toArray(String[]::new));
        for (StressRun.Result r : results) {
            List<Object> row = new ArrayList<>(List.of(r.variant(), r.jobs(), String.format("%.0f", r.jobsPerSecond()), r.resets()));
            for (String n : resultNames) row.add(r.results().getOrDefault(n, 0));
            row.add(summary(r.byCheck()));
            t.row(row.toArray());
        }
        System.out.print(t);
        boolean broke = false;
        for (StressRun.Result r : results) {
            if (r.findings().isEmpty()) continue;
            System.out.println();
            System.out.println(r.variant() + ":");
            List<Finding> fs = r.findings();
            long fresh = fs.stream().filter(f -> baseline.match(r.variant(), f) == null).count();
            if (fresh > 0) {
                broke = true;
                System.out.println("  " + fresh + " finding(s) outside the baseline");
            }
            int shown = 0;
            for (Finding f : fs) {
                if (!so.verbose && shown++ >= 5) {
                    System.out.println("  ... " + (fs.size() - 5) + " more (--verbose shows all)");
                    break;
                }
                System.out.println("  " + f);
            }
        }
        return broke ? 1 : 0;
    }

    static String summary(Map<Finding.Check, Long> byCheck) {
        if (byCheck.isEmpty()) return "none";
        StringBuilder sb = new StringBuilder();
        byCheck.forEach((c, n) -> sb.append(sb.length() == 0 ? "" : "; ").append(c.title).append(" x").append(n));
        return sb.toString();
    }

    @Command(name = "run", description = "The default session: explore every variant x built-in scenario, "
            + "print the verdicts and each finding's race; exit 1 if a finding is not in the baseline.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--variant", split = ",", description = "variants (default: every built one)") List<String> variants;
        @Option(names = "--scenario", split = ",", description = "scenarios (default: the built-in catalog)") List<String> scenarios;
        @Option(names = "--plan", split = ",", defaultValue = "dfs:1,pct:3",
                description = "strategies per variant x scenario (default: ${DEFAULT-VALUE})") List<String> plan;
        @Option(names = "--budget", defaultValue = "1000", description = "schedules per strategy") long budget;
        @Option(names = "--time", defaultValue = "20", description = "seconds per strategy at most") long seconds;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--jobs", defaultValue = "2", description = "worker processes (each pinned to a CPU)") int workers;
        @Option(names = "--baseline", defaultValue = "baseline/known-findings.txt") Path baseline;
        @Option(names = "--save", defaultValue = "target/findings", description = "where finding schedules go") Path save;
        @Option(names = "--no-minimize", description = "keep found schedules as they are") boolean noMinimize;
        @Option(names = "--shard", description = "explore only part K of N of every task (K from 0): N machines "
                + "with K = 0..N-1 explore it all, each schedule once; `merge` puts their --json results together")
        String shard;
        @Option(names = "--json", description = "write what each task explored and found (for `merge`)") Path json;

        int shard() {
            return Explore.shard(shard)[0];
        }

        int shards() {
            return Explore.shard(shard)[1];
        }

        @Override
        public Integer call() throws Exception {
            return Verdicts.run(this);
        }
    }

    @Command(name = "check", description = "A variant before and after a patch, explored with the same plan and bounds: "
            + "findings new and gone, outcomes reachable on one side only; exit 1 if the patch adds a finding.")
    static final class CheckCmd implements Callable<Integer> {
        @Option(names = "--before", required = true, description = "the variant without the patch") String before;
        @Option(names = "--after", required = true, description = "the variant with it") String after;
        @Option(names = "--patch", description = "the patch file (for its subject)") Path patch;
        @Option(names = "--scenario", split = ",", description = "scenarios (default: the built-in catalog)") List<String> scenarios;
        @Option(names = "--plan", split = ",", defaultValue = "dfs:1,pct:3",
                description = "strategies per variant x scenario (default: ${DEFAULT-VALUE})") List<String> plan;
        @Option(names = "--budget", defaultValue = "1000", description = "schedules per strategy") long budget;
        @Option(names = "--time", defaultValue = "20", description = "seconds per strategy at most") long seconds;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--jobs", defaultValue = "2", description = "worker processes (each pinned to a CPU)") int workers;
        @Option(names = "--save", defaultValue = "target/check", description = "where schedules go") Path save;
        @Option(names = "--no-minimize", description = "keep found schedules as they are") boolean noMinimize;

        @Override
        public Integer call() throws Exception {
            return PatchCheck.run(this);
        }
    }

    @Command(name = "explore", description = "Explore one variant x scenario with one strategy.")
    static final class ExploreCmd implements Callable<Integer> {
        @Option(names = "--variant", required = true) String variant;
        @Option(names = "--scenario", required = true, description = "a built-in scenario, or one in --scenario-file") String scenario;
        @Option(names = "--scenario-file", description = "a scenario file (docs/SCENARIOS.md)") Path scenarioFile;
        @Option(names = "--strategy", defaultValue = "dfs:2", description = "dfs[:bound], pct[:depth], random") String strategy;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--budget", defaultValue = "1000", description = "schedules at most") long budget;
        @Option(names = "--time", defaultValue = "60", description = "seconds at most") long seconds;
        @Option(names = "--first", description = "stop at the first finding") boolean first;
        @Option(names = "--until-distinct", description = "stop at the first finding the baseline does not "
                + "attribute to the driver itself (what tells this variant from locked)") boolean untilDistinct;
        @Option(names = "--baseline", defaultValue = "baseline/known-findings.txt") Path baseline;
        @Option(names = "--save", defaultValue = "target/findings") Path save;
        @Option(names = "--no-minimize") boolean noMinimize;

        @Option(names = "--cpu", defaultValue = "-2", description = "pin the exploration to this CPU (-1: no pinning; "
                + "default: a CPU no other exploration has taken)")
        int cpu;
        @Option(names = "--shard", description = "explore only part K of N (K from 0); `merge` puts the parts' --json together")
        String shard;
        @Option(names = "--json", description = "write what was explored and found (for `merge`)") Path json;

        @Override
        public Integer call() throws Exception {
            // one context runs at a time: on one CPU a hand-off costs ~5 us instead of 20-30 us across CPUs
            int[] part = Explore.shard(shard);
            var claim = cpu == -2 ? ethosu.bench.control.CpuPinning.claimFree() : null;
            if (cpu >= 0) Worker.pin(cpu);
            EthosuLibrary lib = EthosuLibrary.load(variant);
            ethosu.bench.scenario.Scenario sc = Explore.scenario(scenario, scenarioFile);
            var base = java.nio.file.Files.exists(baseline) ? ethosu.bench.report.Baseline.load(baseline)
                    : ethosu.bench.report.Baseline.empty();
            java.util.function.Predicate<ethosu.bench.check.Finding> stop = untilDistinct
                    ? f -> base.match("locked", f) == null : f -> first;
            var st = Explore.strategy(strategy, seed, budget, part[0], part[1]);
            var r = ethosu.bench.control.Explorer.explore(lib, sc, st,
                    new ethosu.bench.control.Explorer.Budget(budget, seconds * 1000), stop);
            if (claim != null) claim.close();
            System.out.printf("%s x %s, %s: %d schedules in %.1f s (%.0f/s), %s, %d finding(s)%n", variant, sc.name(),
                    r.strategy(), r.schedules(), r.seconds(), r.schedulesPerSecond(),
                    r.exhausted() ? "bound exhausted" : "bound not exhausted", r.found().size());
            if (r.stepLimited() > 0)
                System.out.printf("  %d schedule(s) reached the step limit (%d decisions): explored less deep than asked%n",
                        r.stepLimited(), ethosu.bench.control.Runs.MAX_STEPS);
            for (var f : r.found())
                System.out.printf("  first seen in schedule %d after %.2f s: %s%n", f.scheduleIndex(), f.secondsToFind(), f.finding());
            if (st instanceof ethosu.bench.control.strategy.BoundedDfs dfs && dfs.prunedOptions() + dfs.redundantRuns() > 0)
                System.out.printf("  reduction: %d option(s) not run (asleep, or repeating an explored schedule), "
                        + "%d run(s) went on redundant%n", dfs.prunedOptions(), dfs.redundantRuns());
            if (r.problem() != null) System.out.println("problem: " + r.problem());
            int i = 0;
            List<ethosu.bench.report.ExplorationResult.Found> found = new ArrayList<>();
            for (var f : r.found()) {
                var m = noMinimize ? null : ethosu.bench.control.Minimizer.minimize(lib, sc, f, 60);
                var file = Explore.save(save, variant, sc, f.finding(), m == null ? f.schedule() : m.schedule(),
                        r.strategy().replaceAll("[^a-z0-9]+", "-") + "-" + (++i));
                System.out.println();
                Explore.printFinding(f, m, file);
                var known = base.match(variant, f.finding());
                found.add(new ethosu.bench.report.ExplorationResult.Found(f.finding().check().name(), f.identity(),
                        f.finding().text(), f.finding().context(), known == null ? null : known.id(), f.scheduleIndex(),
                        file.toString(), null));
            }
            if (json != null)
                ethosu.bench.report.ExplorationResult.of(List.of(new ethosu.bench.report.ExplorationResult.Task(variant,
                        sc.name(), strategy, seed, budget, part[0], part[1], r.schedules(), r.exhausted(), r.stepLimited(),
                        r.seconds(), r.problem(), found, List.of()))).write(json);
            return r.found().isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "replay", description = "Replay a schedule file; with --times, check every run's trace is identical.")
    static final class ReplayCmd implements Callable<Integer> {
        @Option(names = "--schedule", required = true) Path schedule;
        @Option(names = "--variant", description = "default: the file's header") String variant;
        @Option(names = "--scenario", description = "default: the file's header") String scenario;
        @Option(names = "--scenario-file") Path scenarioFile;
        @Option(names = "--times", defaultValue = "1") int times;
        @Option(names = "--trace", description = "print the full trace") boolean trace;
        @Option(names = "--finding", description = "draw the race of the finding whose text contains this") String finding;
        @Option(names = "--break-step", defaultValue = "-1", description = "call ebench_break_step at this scheduling "
                + "step, on the thread of the context chosen there (make gdb stops on it)") int breakStep;
        @Option(names = "--update", description = "rewrite the file with the replay's labels when it still shows "
                + "its header's finding (after the shims' labels changed; the decisions stay)") boolean update;

        @Override
        public Integer call() throws Exception {
            var head = Explore.scheduleHeader(schedule);
            String v = variant != null ? variant : head.get("variant");
            String scn = scenario != null ? scenario : head.get("scenario");
            if (v == null || scn == null)
                throw new IllegalArgumentException(schedule + ": no variant/scenario in its header: pass --variant and --scenario");
            var sc = Explore.scenario(scn, scenarioFile);
            var sched = ethosu.bench.control.Schedule.read(schedule);
            if (breakStep >= sched.size())
                throw new IllegalArgumentException(schedule + " has steps 0 to " + (sched.size() - 1) + ": no step " + breakStep);
            var r = Explore.replay(EthosuLibrary.load(v), sc, sched, times, breakStep);
            List<String> t = r.traces().get(0);
            if (trace) t.forEach(System.out::println);
            r.findings().get(0).forEach(f -> System.out.println("finding: " + f));
            if (r.divergence() != null) System.out.println("the run left the schedule: " + r.divergence());
            boolean same = r.traces().stream().allMatch(x -> x.equals(t));
            System.out.printf("%d replay(s): traces %s%n", times, same ? "identical" : "DIFFER");
            System.out.println();
            var fs = r.findings().get(0);
            var shown = finding != null ? fs.stream().filter(f -> f.toString().contains(finding)).findFirst().orElse(null)
                    : Explore.headerFinding(head, fs);
            if (shown == null && !fs.isEmpty()) shown = fs.get(0);
            var res = r.first().result();
            System.out.print(ethosu.bench.report.RaceDiagram.draw(res.trace(), res.names(), shown));
            if (update) return Explore.update(schedule, r) ? 0 : 1;
            return same && r.divergence() == null ? 0 : 1;
        }
    }

    @Command(name = "list", description = "List variants, built-in scenarios and strategies.")
    static final class ListCmd implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("variants:");
            EthosuLibrary.builtVariants().forEach(v -> System.out.println("  " + v));
            System.out.println("scenarios:");
            for (var s : ethosu.bench.scenario.Catalog.builtIn())
                System.out.printf("  %-24s %s%n", s.name(), s.about());
            System.out.println("strategies:");
            System.out.println("  dfs[:bound]   bounded-preemption depth-first search (exhaustive within the bound)");
            System.out.println("  pct[:depth]   probabilistic concurrency testing, --seed");
            System.out.println("  random        seeded random walk, --seed");
            return 0;
        }
    }

    @Command(name = "stress", description = "N clients x M jobs with a mix of device behaviours, per variant.")
    static final class Stress implements Callable<Integer> {
        @CommandLine.Mixin StressOptions so = new StressOptions();

        @Override
        public Integer call() throws Exception {
            return stressTable(so);
        }
    }

    @Command(name = "bench", description = "Jobs/s through the full pipeline per variant: normal completions, "
            + "median of --repeat stress runs (docs/PERFORMANCE.md).")
    static final class Bench implements Callable<Integer> {
        @Option(names = "--variant", split = ",") List<String> variants;
        @Option(names = "--clients", defaultValue = "4") int clients;
        @Option(names = "--jobs", defaultValue = "250", description = "jobs per client") int jobs;
        @Option(names = "--repeat", defaultValue = "3") int repeat;
        @Option(names = "--time-scale", defaultValue = "20") int timeScale;

        @Override
        public Integer call() {
            List<String> vs = variants == null || variants.isEmpty() ? EthosuLibrary.builtVariants() : variants;
            Table t = new Table("variant", "jobs", "median jobs/s", "min", "max", "findings");
            for (String v : vs) {
                double[] rates = new double[repeat];
                int jobsRun = 0;
                long findings = 0;
                for (int i = 0; i < repeat; i++) {
                    StressRun.Options so = StressRun.Options.defaults();
                    StressRun.Result r = StressRun.run(v, so.withJobs(clients, jobs).withMix(StressRun.Mix.NORMAL)
                            .withSeed(i + 1).withTimeScale(timeScale).withSetup(so.setup().withTraceLevel(0)));
                    rates[i] = r.jobsPerSecond();
                    jobsRun = r.jobs();
                    findings += r.findings().size();
                }
                java.util.Arrays.sort(rates);
                t.row(v, jobsRun, String.format("%.0f", rates[repeat / 2]), String.format("%.0f", rates[0]),
                        String.format("%.0f", rates[repeat - 1]), findings);
            }
            System.out.print(t);
            return 0;
        }
    }

    @Command(name = "merge", description = "Put together the --json results of the parts of an exploration (--shard "
            + "K/N on N machines): one verdict, as if one machine had explored it all; exit 1 if a finding is not in "
            + "the baseline or a part is missing.")
    static final class MergeCmd implements Callable<Integer> {
        @CommandLine.Parameters(arity = "1..*", paramLabel = "FILE", description = "the parts' --json files") List<Path> files;
        @Option(names = "--baseline", defaultValue = "baseline/known-findings.txt") Path baseline;
        @Option(names = "--json", description = "write the merged result") Path json;

        @Override
        public Integer call() throws Exception {
            return Merge.run(files, baseline, json);
        }
    }

    @Command(name = "variants", description = "List the variants built under build/.")
    static final class Variants implements Callable<Integer> {
        @Override
        public Integer call() {
            EthosuLibrary.builtVariants().forEach(System.out::println);
            return 0;
        }
    }
}
