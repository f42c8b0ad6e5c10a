// The command line: `run` (the default session on every variant), `stress`, `variants`.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.kernel.Harness;
import ethosu.bench.report.Baseline;
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

@Command(name = "ethosu-bench", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = Main.BAD_INPUT,
        description = "Runs the Ethos-U driver's job code against kernel shims and a fake NPU.",
        subcommands = {Main.Run.class, Main.CheckCmd.class, Main.ExploreCmd.class, QueryCommand.class, Main.ReplayCmd.class, Main.ListCmd.class,
                Main.Stress.class, Main.Bench.class, Main.Variants.class, Soak.class, Main.MergeCmd.class})
public final class Main implements Callable<Integer> {

    /** What --watchdog says, on every command that runs the driver. */
    static final String WATCHDOG = "seconds a context may keep its CPU without a scheduling point (a soft lockup), "
            + "or a free-running device go without progress while contexts sleep in the driver (hung tasks); "
            + "default 20, the kernel's";

    /** Exit statuses: 0 nothing outside the baseline, 1 findings (or nothing explored), 2 bad input, 3 a bench bug. */
    public static final int OK = 0, FINDINGS = 1, BAD_INPUT = 2, BENCH_BUG = 3;

    public static void main(String[] args) {
        oneCarrier();
        System.exit(execute(args));
    }

    /**
     * The model's contexts are virtual threads, one running at a time: on one carrier thread a
     * switch is a continuation yield and resume on the same CPU. Set before the first virtual thread.
     */
    static void oneCarrier() {
        if (System.getProperty("jdk.virtualThreadScheduler.parallelism") == null)
            System.setProperty("jdk.virtualThreadScheduler.parallelism", "1");
    }

    /** Runs one command line in this process; bad input is one line on stderr, never a trace. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            String name = c.getCommandSpec().qualifiedName();
            System.err.println(name + ": " + oneLine(e.getMessage()) + " (" + name + " --help lists the options)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> handleFailure(e, c.getCommandSpec().qualifiedName()));
        try {
            return cl.execute(args);
        } catch (Throwable t) {
            System.err.println("ethosu-bench bug: " + t);
            t.printStackTrace(System.err);
            return BENCH_BUG;
        }
    }

    /** What a command that threw prints: bad input in one line (exit 2), anything else as a bug with its trace. */
    static int handleFailure(Throwable e, String command) {
        String line = userError(e);
        if (line != null) {
            System.err.println(command + ": " + line);
            return BAD_INPUT;
        }
        System.err.println("ethosu-bench bug: " + e);
        e.printStackTrace(System.err);
        return BENCH_BUG;
    }

    /** The one line a user error prints, or null: not the user's doing (a bench bug, with its trace). */
    static String userError(Throwable e) {
        if (e instanceof ethosu.bench.input.BadInputException) return oneLine(e.getMessage());
        if (e instanceof java.io.UncheckedIOException u) e = u.getCause();
        if (e instanceof java.nio.file.FileSystemException f)
            return oneLine(f.getFile() + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName()));
        if (e instanceof java.io.IOException) return oneLine("input/output error: " + e.getMessage());
        return null;
    }

    /** Messages may quote input; a line break in them would break the one-line rule. */
    static String oneLine(String s) {
        return s == null ? "" : s.replace("\r", "\\r").replace("\n", "\\n");
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    static class StressOptions {
        @Option(names = "--variant", description = "variant(s) to run (default: every built one)", split = ",",
                converter = Args.Variant.class)
        List<String> variants;
        @Option(names = "--clients", defaultValue = "4", converter = Args.Clients.class) int clients;
        @Option(names = "--jobs", defaultValue = "50", description = "jobs per client", converter = Args.AtLeastOneInt.class)
        int jobs;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--time-scale", defaultValue = "20", description = "kernel ns per real ns",
                converter = Args.TimeScale.class) int timeScale;
        @Option(names = "--chaos", defaultValue = "0", description = "per-mille chance to yield at each scheduling point",
                converter = Args.PerMille.class)
        int chaos;
        @Option(names = "--normal", description = "only normal completions (no hangs, errors, spurious IRQs)")
        boolean normal;
        @Option(names = "--verbose", description = "print every finding and the kernel log of variants with findings")
        boolean verbose;
        @Option(names = "--regs", description = "register file path (default: a temp file on tmpfs, removed at the end); "
                + "watch it live with e.g. watch -n0.1 xxd -l 64 FILE") Path regs;

        @Option(names = "--baseline", description = "known findings (default: baseline/known-findings.txt); "
                + "a finding outside it makes the exit status 1") Path baseline;
        @Option(names = "--watchdog", description = WATCHDOG, converter = Args.WatchdogSeconds.class) Long watchdog;

        List<String> variants() {
            return Args.variantsOrBuilt(variants);
        }

        /** A stress run of variant v, as a worker's task. */
        WorkerProtocol.Stress task(int id, String v) {
            Path r = Args.outputFile("--regs", regs);
            return new WorkerProtocol.Stress(id, v, clients, jobs, seed, normal, timeScale, chaos, 1,
                    r == null ? null : r.toAbsolutePath().toString());
        }
    }

    /**
     * Stress runs as the worker pool runs them, one per variant: a crash of the worker is that
     * variant's finding (free-running: the variant and the seed reproduce it), and the others go on.
     */
    static final class StressJob extends Workers.OneShot {
        final WorkerProtocol.Stress task;
        WorkerProtocol.Stressed result;

        StressJob(WorkerProtocol.Stress task) {
            super(task, task.variant());
            this.task = task;
        }

        @Override
        public boolean reply(WorkerProtocol.Message m) throws java.io.IOException {
            if (!(m instanceof WorkerProtocol.Stressed r)) throw new java.io.IOException("a worker sent " + m + " for a stress run");
            result = r;
            return true;
        }

        @Override
        public void died(Workers.Death d) {
            Finding f = d.finding("during the stress run of " + task.variant() + " (seed " + task.seed() + ", "
                    + task.clients() + " clients x " + task.jobs() + " jobs: the same command reproduces it, "
                    + "as free-running runs do, not always)");
            result = new WorkerProtocol.Stressed(task.id(), task.variant(), 0, 0, Map.of(), List.of(f), 0, 0, 0, false);
        }

        double jobsPerSecond() {
            return result.seconds() > 0 ? result.jobs() / result.seconds() : 0;
        }

        Map<Finding.Check, Long> byCheck() {
            Map<Finding.Check, Long> m = new java.util.EnumMap<>(Finding.Check.class);
            for (Finding f : result.findings()) m.merge(f.check(), 1L, Long::sum);
            return m;
        }

        /** The worker died: nothing of the run but its death is known. */
        boolean crashed() {
            return result.findings().stream().anyMatch(f -> f.check() == Finding.Check.CRASH) && result.jobs() == 0;
        }
    }

    /**
     * Stress every variant (each in a worker process) and print one table; exit status 1 when a
     * finding is outside the baseline (or a variant ran no job), as for `run`.
     */
    static int stressTable(StressOptions so) throws Exception {
        List<String> variants = so.variants();
        Baseline baseline = Args.baseline(so.baseline);
        List<StressJob> jobs = new ArrayList<>();
        for (String v : variants) jobs.add(new StressJob(so.task(jobs.size(), v)));
        try (Workers w = new Workers(1, -1, Args.watchdog(so.watchdog))) {
            w.run(jobs);
        }
        TreeSet<String> resultNames = new TreeSet<>();
        for (StressJob j : jobs) resultNames.addAll(j.result.results().keySet());
        List<String> head = new ArrayList<>(List.of("variant", "jobs", "jobs/s", "resets"));
        head.addAll(resultNames);
        head.add("findings");
        head.add("new");
        Table t = new Table(head.toArray(String[]::new));
        boolean anyNew = false, anyEmpty = false;
        for (StressJob j : jobs) {
            WorkerProtocol.Stressed r = j.result;
            List<Object> row = new ArrayList<>(List.of(r.variant(), j.crashed() ? "crashed" : r.jobs(),
                    String.format("%.0f", j.jobsPerSecond()), r.resets()));
            for (String n : resultNames) row.add(r.results().getOrDefault(n, 0));
            row.add(summary(j.byCheck()));
            long fresh = r.findings().stream().filter(f -> baseline.match(r.variant(), f) == null).count();
            row.add(fresh);
            anyNew |= fresh > 0;
            anyEmpty |= r.jobs() == 0 && !j.crashed();
            t.row(row.toArray());
        }
        System.out.print(t);
        for (StressJob j : jobs) {
            WorkerProtocol.Stressed r = j.result;
            if (r.findings().isEmpty()) continue;
            System.out.println();
            System.out.println(r.variant() + ":");
            // the new ones first: they are what the exit status is about
            List<Finding> fresh = r.findings().stream().filter(f -> baseline.match(r.variant(), f) == null).toList();
            List<Finding> known = r.findings().stream().filter(f -> baseline.match(r.variant(), f) != null).toList();
            printSome(fresh, so.verbose ? Integer.MAX_VALUE : 20, f -> "NEW " + f);
            printSome(known, so.verbose ? Integer.MAX_VALUE : 5,
                    f -> "known (" + baseline.match(r.variant(), f).id() + ") " + f);
            if (r.lockedUp())
                System.out.println("  the watchdog stopped the run: contexts were stuck in the driver (above); "
                        + "its process was replaced");
        }
        System.out.println();
        if (anyEmpty) System.out.println("verdict: a variant ran no job: nothing was checked");
        else System.out.println(anyNew ? "verdict: findings outside the baseline " + Args.baselineShown(so.baseline)
                + " (NEW above)" : "verdict: every finding is in the baseline " + Args.baselineShown(so.baseline));
        return anyNew || anyEmpty ? FINDINGS : OK;
    }

    private static void printSome(List<Finding> fs, int max, java.util.function.Function<Finding, String> line) {
        for (int i = 0; i < fs.size(); i++) {
            if (i == max) {
                System.out.println("  ... " + (fs.size() - max) + " more (--verbose shows all)");
                break;
            }
            System.out.println("  " + line.apply(fs.get(i)));
        }
    }

    static String summary(Map<Finding.Check, Long> byCheck) {
        if (byCheck.isEmpty()) return "none";
        StringBuilder sb = new StringBuilder();
        byCheck.forEach((c, n) -> sb.append(sb.length() == 0 ? "" : "; ").append(c.title).append(" x").append(n));
        return sb.toString();
    }

    /** A schedule file's header value read with an option's converter: a bad one is bad input, naming the file. */
    static <T> T headerValue(Path file, String key, String value, java.util.function.Function<String, T> convert) {
        try {
            return convert.apply(value);
        } catch (CommandLine.TypeConversionException e) {
            throw new ethosu.bench.input.BadInputException(file + ": header '" + key + "': " + e.getMessage());
        }
    }

    /** --max-stall: a system property, so that Controlled sees it and worker processes inherit it. */
    static final class MaxStall {
        static void set(long ns) {
            System.setProperty("ethosu.maxStallNs", Long.toString(ns));
        }
    }

    /** --fail: a system property, so that the run loop sees it and worker processes inherit it. */
    static final class Faults {
        static void add(ethosu.bench.scenario.FaultSpec spec) {
            String old = System.getProperty("ethosu.fail", "");
            System.setProperty("ethosu.fail", old.isEmpty() ? spec.toString() : old + ";" + spec);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "The default session: explore every variant x built-in scenario, "
            + "print the verdicts and each finding's race; exit 1 if a finding is not in the baseline.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--variant", split = ",", description = "variants (default: every built one)",
                converter = Args.Variant.class) List<String> variants;
        @Option(names = "--scenario", split = ",", description = "scenarios (default: the built-in catalog)") List<String> scenarios;
        @Option(names = "--plan", split = ",", defaultValue = "dfs:1,pct:3", converter = Args.StrategySpec.class,
                description = "strategies per variant x scenario (default: ${DEFAULT-VALUE})") List<String> plan;
        @Option(names = "--budget", defaultValue = "1000", description = "schedules per strategy",
                converter = Args.AtLeastOne.class) long budget;
        @Option(names = "--time", defaultValue = "20", description = "seconds per strategy at most",
                converter = Args.Seconds.class) long seconds;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--jobs", defaultValue = "2", description = "worker processes (each pinned to a CPU)",
                converter = Args.Workers.class) int workers;
        @Option(names = "--baseline", description = "known findings (default: baseline/known-findings.txt)") Path baseline;
        @Option(names = "--save", defaultValue = "target/findings", description = "where finding schedules go") Path save;
        @Option(names = "--no-minimize", description = "keep found schedules as they are") boolean noMinimize;
        @Option(names = "--watchdog", description = WATCHDOG, converter = Args.WatchdogSeconds.class) Long watchdog;
        @Option(names = "--no-claims", description = "do not ask the seed's claims of every schedule") boolean noClaims;
        @Option(names = "--report", defaultValue = "target/run-report.txt",
                description = "where the whole report is written as well (default: ${DEFAULT-VALUE})") Path report;
        @Option(names = "--json", description = "write every task, finding, outcome, query answer and bound as JSON")
        Path json;
        @Option(names = "--junit", description = "write JUnit XML, one file per variant, a test case per scenario, "
                + "into this directory") Path junit;
        @Option(names = "--shard", converter = Args.Shard.class, paramLabel = "K/N", description = "explore only "
                + "part K of N of every task (K from 0): N machines with K = 0..N-1 explore it all, each schedule once; "
                + "`merge` puts their --json results together")
        Args.Part shard;

        int shard() {
            return shard == null ? 0 : shard.shard();
        }

        int shards() {
            return shard == null ? 1 : shard.shards();
        }
        @Option(names = "--differential", defaultValue = "dfs:1", converter = Args.StrategySpec.class,
                description = "the strategy of the differential pass: every scenario's schedules on the C and on its Java "
                        + "model, compared (default: ${DEFAULT-VALUE})") String differentialPlan;
        @Option(names = "--differential-variants", split = ",", defaultValue = "locked,lockless", converter = Args.Variant.class,
                description = "variants of the differential pass (default: ${DEFAULT-VALUE})") List<String> differentialVariants;
        @Option(names = "--no-differential", description = "skip the differential pass") boolean noDifferential;
        /** The pass's negative control: every variant's C against this one variant's model, which differs. */
        @Option(names = "--differential-model", hidden = true,
                description = "the model of this variant, not each variant's own, is the other side of the differential pass")
        String differentialModel;
        @Option(names = "--max-stall", converter = Args.MaxStall.class, description = "explore only schedules in "
                + "which no kernel context is kept runnable longer than this while virtual time advances (500us, 1ms; "
                + "default: no bound)")
        void maxStall(long ns) {
            MaxStall.set(ns);
        }
        @Option(names = "--fail", converter = Args.Fault.class, description = "make a kernel interface fail: "
                + "KIND[:N][@FUNCTION], KIND one of alloc, entity-init, sched-init, irq-request, pm-get; the Nth call "
                + "(default 1), counting only calls from FUNCTION if given (repeatable)")
        void fail(ethosu.bench.scenario.FaultSpec spec) {
            Faults.add(spec);
        }

        @Override
        public Integer call() throws Exception {
            if (!noDifferential)
                for (String v : differentialVariants) {
                    String problem = Args.modelledProblem(v);
                    if (problem != null)
                        throw new ethosu.bench.input.BadInputException("--differential-variants " + v + ": " + problem);
                }
            if (differentialModel != null && Args.modelledProblem(differentialModel) != null)
                throw new ethosu.bench.input.BadInputException("--differential-model " + differentialModel + ": "
                        + Args.modelledProblem(differentialModel));
            return Verdicts.run(this);
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "A variant before and after a patch, explored with the same plan and bounds: "
            + "findings new and gone, outcomes reachable on one side only; exit 1 if the patch adds a finding.")
    static final class CheckCmd implements Callable<Integer> {
        @Option(names = "--before", required = true, description = "the variant without the patch",
                converter = Args.Variant.class) String before;
        @Option(names = "--after", required = true, description = "the variant with it", converter = Args.Variant.class)
        String after;
        @Option(names = "--patch", description = "the patch file (for its subject)") Path patch;
        @Option(names = "--scenario", split = ",", description = "scenarios (default: the built-in catalog)") List<String> scenarios;
        @Option(names = "--plan", split = ",", defaultValue = "dfs:1,pct:3", converter = Args.StrategySpec.class,
                description = "strategies per variant x scenario (default: ${DEFAULT-VALUE})") List<String> plan;
        @Option(names = "--budget", defaultValue = "1000", description = "schedules per strategy",
                converter = Args.AtLeastOne.class) long budget;
        @Option(names = "--time", defaultValue = "20", description = "seconds per strategy at most",
                converter = Args.Seconds.class) long seconds;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--jobs", defaultValue = "2", description = "worker processes (each pinned to a CPU)",
                converter = Args.Workers.class) int workers;
        @Option(names = "--save", defaultValue = "target/check", description = "where schedules go") Path save;
        @Option(names = "--no-minimize", description = "keep found schedules as they are") boolean noMinimize;
        @Option(names = "--watchdog", description = WATCHDOG, converter = Args.WatchdogSeconds.class) Long watchdog;
        @Option(names = "--max-stall", converter = Args.MaxStall.class, description = "explore only schedules in "
                + "which no kernel context is kept runnable longer than this while virtual time advances (500us, 1ms; "
                + "default: no bound)")
        void maxStall(long ns) {
            MaxStall.set(ns);
        }
        @Option(names = "--fail", converter = Args.Fault.class, description = "make a kernel interface fail: "
                + "KIND[:N][@FUNCTION], KIND one of alloc, entity-init, sched-init, irq-request, pm-get; the Nth call "
                + "(default 1), counting only calls from FUNCTION if given (repeatable)")
        void fail(ethosu.bench.scenario.FaultSpec spec) {
            Faults.add(spec);
        }

        @Override
        public Integer call() throws Exception {
            return PatchCheck.run(this);
        }
    }

    @Command(name = "explore", mixinStandardHelpOptions = true, description = "Explore one variant x scenario with one strategy.")
    static final class ExploreCmd implements Callable<Integer> {
        @Option(names = "--variant", required = true, converter = Args.Variant.class) String variant;
        @Option(names = "--scenario", required = true, description = "a built-in scenario, or one in --scenario-file") String scenario;
        @Option(names = "--scenario-file", description = "a scenario file (docs/SCENARIOS.md)") Path scenarioFile;
        @Option(names = "--strategy", defaultValue = "dfs:2", description = "dfs[:bound], pct[:depth], random",
                converter = Args.StrategySpec.class) String strategy;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--budget", defaultValue = "1000", description = "schedules at most",
                converter = Args.AtLeastOne.class) long budget;
        @Option(names = "--time", defaultValue = "60", description = "seconds at most", converter = Args.Seconds.class)
        long seconds;
        @Option(names = "--first", description = "stop at the first finding") boolean first;
        @Option(names = "--until-distinct", description = "stop at the first finding the baseline does not "
                + "attribute to the driver itself (what tells this variant from locked)") boolean untilDistinct;
        @Option(names = "--baseline", description = "known findings (default: baseline/known-findings.txt)") Path baseline;
        @Option(names = "--save", defaultValue = "target/findings") Path save;
        @Option(names = "--no-minimize") boolean noMinimize;
        @Option(names = "--max-stall", converter = Args.MaxStall.class, description = "explore only schedules in "
                + "which no kernel context is kept runnable longer than this while virtual time advances (500us, 1ms; "
                + "default: no bound)")
        void maxStall(long ns) {
            MaxStall.set(ns);
        }
        @Option(names = "--fail", converter = Args.Fault.class, description = "make a kernel interface fail: "
                + "KIND[:N][@FUNCTION], KIND one of alloc, entity-init, sched-init, irq-request, pm-get; the Nth call "
                + "(default 1), counting only calls from FUNCTION if given (repeatable)")
        void fail(ethosu.bench.scenario.FaultSpec spec) {
            Faults.add(spec);
        }

        @Option(names = "--cpu", description = "pin the exploration to this CPU (-1: no pinning; default: a CPU no "
                + "other exploration holds)", converter = Args.Cpu.class)
        Integer cpu;
        @Option(names = "--shard", converter = Args.Shard.class, paramLabel = "K/N",
                description = "explore only part K of N (K from 0); `merge` puts the parts' --json together")
        Args.Part shard;
        @Option(names = "--json", description = "write what was explored and found as a session result (for `merge`)")
        Path json;
        @Option(names = "--engine", defaultValue = "c", converter = Args.EngineKind.class, description = "what runs the "
                + "schedules: c (the variant's library) or model (its Java model; every finding is then replayed on the C)")
        String engine;
        @Option(names = "--differential", description = "run every schedule on the C and on the Java model and compare "
                + "them; a divergence is a finding") boolean differential;

        @Option(names = "--watchdog", description = WATCHDOG, converter = Args.WatchdogSeconds.class) Long watchdog;

        @Override
        public Integer call() throws Exception {
            // everything read and checked before a worker starts and anything runs
            ethosu.bench.scenario.Scenario sc = Explore.scenario(scenario, scenarioFile);
            Path base = baseline != null ? baseline : Args.baselineShown(null);
            var known = Args.baseline(baseline);
            Args.outputDir("--save", save);
            Args.outputFile("--json", json);
            Args.Part part = shard == null ? Args.Part.WHOLE : shard;
            var strat = Explore.strategy(strategy, seed, budget, part.shard(), part.shards());
            if ((differential || engine.equals("model")) && Args.modelledProblem(variant) != null)
                throw new ethosu.bench.input.BadInputException("--variant " + variant + ": " + Args.modelledProblem(variant));
            java.util.function.Predicate<ethosu.bench.check.Finding> stop = untilDistinct
                    ? f -> known.matchDriver(f) == null : f -> first;
            if (differential || engine.equals("model")) {
                var claim = cpu == null ? ethosu.bench.control.CpuPinning.claimFree() : null;
                if (cpu != null && cpu >= 0) Worker.pin(cpu);
                try {
                    var out = json == null ? null : new ModelCommands.JsonOut(json, strategy, seed, budget, seconds, part,
                            Args.baselineShown(baseline).toString(), known);
                    return differential ? ModelCommands.exploreDifferential(variant, sc, strat, budget, seconds, save, out)
                            : ModelCommands.exploreModel(variant, sc, strat, budget, seconds, stop, save, noMinimize, out);
                } finally {
                    if (claim != null) claim.close();
                    if (claim != null || cpu >= 0) Worker.unpin();
                }
            }
            EthosuLibrary.load(variant);
            Run plan = new Run();
            plan.seed = seed;
            plan.budget = budget;
            plan.seconds = seconds;
            plan.noMinimize = noMinimize;
            plan.save = save;
            plan.shard = shard;
            Verdicts.Task t = new Verdicts.Task(0, variant, sc.name(), strategy);
            t.plan = plan;
            t.stopAt = untilDistinct ? "distinct" : first ? "first" : null;
            t.baseline = java.nio.file.Files.exists(base) ? base.toAbsolutePath().toString() : null;
            t.scenarioFile = scenarioFile == null ? null : scenarioFile.toAbsolutePath().toString();
            // the driver runs in a worker process: a crash or a lockup is a finding, and it goes on
            // one context at a time: on one CPU a hand-off costs ~5 us instead of 20-30 us across CPUs
            try (Workers w = new Workers(1, cpu == null ? Workers.CLAIM : cpu, Args.watchdog(watchdog))) {
                w.run(List.of(t));
            }
            System.out.printf("%s x %s, %s: %d schedules in %.1f s (%.0f/s), %s, %d finding(s)%n", variant, sc.name(),
                    strategy, t.schedules, t.seconds, t.seconds > 0 ? t.schedules / t.seconds : 0,
                    t.exhausted ? "bound exhausted" : "bound not exhausted", t.found.size());
            if (t.stepLimited > 0)
                System.out.printf("  %d schedule(s) reached the step limit (%d decisions): explored less deep than asked%n",
                        t.stepLimited, ethosu.bench.control.Runs.MAX_STEPS);
            if (t.crashes > 0)
                System.out.printf("  %d worker process(es) died in the driver and were replaced; the exploration went on%n",
                        t.crashes);
            for (var f : t.found)
                System.out.printf("  first seen in schedule %d after %.2f s: %s%n", f.index(), f.seconds(), f.finding());
            if (t.pruned + t.redundant > 0)
                System.out.printf("  reduction: %d option(s) not run (asleep, or repeating an explored schedule), "
                        + "%d run(s) went on redundant%n", t.pruned, t.redundant);
            if (t.problem != null) System.out.println("problem: " + t.problem);
            List<ethosu.bench.report.SessionResult.Found> found = new ArrayList<>();
            for (var f : t.found) {
                System.out.println();
                String report = Workers.read(Path.of(f.report()));
                System.out.print(report);
                var e = known.match(variant, f.finding());
                found.add(new ethosu.bench.report.SessionResult.Found(f.finding().check().name(), f.finding().check().title,
                        f.finding().identity(), f.finding().text(), f.finding().context(), e == null ? null : e.id(),
                        f.index(), f.seconds(), f.schedule(), report));
            }
            if (json != null) {
                List<ethosu.bench.report.SessionResult.Reached> outcomes = new ArrayList<>();
                for (var e : t.outcomes.outcomes(t.scenario).entrySet())
                    outcomes.add(new ethosu.bench.report.SessionResult.Reached(e.getKey().toString(),
                            e.getValue().scheduleIndex(), e.getValue().schedule()));
                var task = new ethosu.bench.report.SessionResult.Task(variant, sc.name(), strategy,
                        strategy.startsWith("dfs") ? ethosu.bench.query.QuerySearch.bound(strategy) : null, seed, budget,
                        t.schedules, t.exhausted, t.stepLimited, t.seconds, t.problem, found, outcomes, List.of(),
                        part.shard(), part.shards());
                var sp = new ethosu.bench.report.SessionResult.Plan(List.of(variant), List.of(sc.name()),
                        List.of(strategy), budget, seconds, seed, 1, Args.baselineShown(baseline).toString(), List.of());
                ethosu.bench.report.SessionResult.derive("explore", sp, List.of(task)).write(json);
            }
            if (t.schedules == 0 && t.found.isEmpty()) {
                System.out.println("nothing explored: no schedule ran within the budget");
                return FINDINGS;
            }
            return t.found.isEmpty() && t.problem == null ? OK : FINDINGS;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Replay a schedule file; with --times, check every run's trace is identical.")
    static final class ReplayCmd implements Callable<Integer> {
        @Option(names = "--schedule", required = true) Path schedule;
        @Option(names = "--variant", description = "default: the file's header", converter = Args.Variant.class) String variant;
        @Option(names = "--scenario", description = "default: the file's header") String scenario;
        @Option(names = "--scenario-file") Path scenarioFile;
        @Option(names = "--times", defaultValue = "1", converter = Args.AtLeastOneInt.class) int times;
        @Option(names = "--trace", description = "print the full trace (ftrace-like: context, step, kernel time, event)")
        boolean trace;
        @Option(names = "--trace-json", description = "write the trace as Trace Event Format JSON (ui.perfetto.dev, "
                + "chrome://tracing)") Path traceJson;
        @Option(names = "--ftrace", description = "write the trace as ftrace-like text") Path ftrace;
        @Option(names = "--query", description = "draw the match of this query (default: the file's header query, if any)")
        String query;
        @Option(names = "--finding", description = "draw the race of the finding whose text contains this") String finding;
        @Option(names = "--break-step", description = "call ebench_break_step at this scheduling step, on the thread "
                + "of the context chosen there (make gdb stops on it)", converter = Args.Step.class) Integer breakStep;
        @Option(names = "--update", description = "rewrite the file with the replay's labels when it still shows "
                + "its header's finding (after the shims' labels changed; the decisions stay)") boolean update;
        @Option(names = "--dry-run", description = "check the schedule, the variant, the scenario and --break-step, "
                + "print the variant's library and run nothing (make gdb does this before it starts gdb)") boolean dryRun;
        @Option(names = "--in-process", description = "run the driver in this JVM, not in a worker process "
                + "(make gdb: the debugger is what contains a crash)") boolean inProcess;
        @Option(names = "--watchdog", description = WATCHDOG, converter = Args.WatchdogSeconds.class) Long watchdog;
        @Option(names = "--baseline", description = "known findings (default: baseline/known-findings.txt): the "
                + "replay exits 1 when it shows a finding outside them") Path baseline;
        @Option(names = "--engine", defaultValue = "c", converter = Args.EngineKind.class,
                description = "c (the variant's library) or model (its Java model)") String engine;
        @Option(names = "--max-stall", converter = Args.MaxStall.class,
                description = "as the exploration had it (default: the file's max-stall header)")
        Long maxStall;
        @Option(names = "--fail", converter = Args.Fault.class,
                description = "as the exploration had it (default: the file's fail header)")
        List<ethosu.bench.scenario.FaultSpec> fail;

        @Override
        public Integer call() throws Exception {
            var head = Explore.scheduleHeader(schedule);
            String v = variant != null ? variant : head.get("variant");
            String scn = scenario != null ? scenario : head.get("scenario");
            if (v == null || scn == null)
                throw new ethosu.bench.input.BadInputException(schedule + ": no '# variant:' or '# scenario:' line in its header, "
                        + "expected both (or pass --variant and --scenario)");
            // a header is text from a file: its variant names a directory of build/, never a path
            String problem = EthosuLibrary.variantProblem(v);
            if (problem != null)
                throw new ethosu.bench.input.BadInputException(schedule + ": variant '" + v + "' in its header: " + problem);
            var sc = Explore.scenario(scn, scenarioFile);
            if (maxStall != null) MaxStall.set(maxStall);
            else if (head.containsKey("max-stall")) MaxStall.set(headerValue(schedule, "max-stall", head.get("max-stall"),
                    x -> new Args.MaxStall().convert(x)));
            if (fail != null) fail.forEach(Faults::add);
            else if (head.containsKey("fail"))
                for (String f : head.get("fail").split("\\s+"))
                    Faults.add(headerValue(schedule, "fail", f, x -> new Args.Fault().convert(x)));
            var sched = ethosu.bench.control.Schedule.read(schedule);
            if (breakStep != null && breakStep >= sched.size())
                throw new ethosu.bench.input.BadInputException("--break-step " + breakStep + ": expected a step from 0 to "
                        + (sched.size() - 1) + ", the steps of " + schedule);
            // a query (the option's or the header's) is parsed here: a bad one is a line, before any worker
            String qtext = query != null ? query : head.get("query");
            String qsource = query != null ? "the command line" : schedule.toString();
            if (qtext != null) ethosu.bench.query.QueryParser.parse(qtext, qsource, 0, "query");
            if (dryRun) {
                System.out.println(EthosuLibrary.buildDir().resolve(v).resolve("libethosu.so").toAbsolutePath().normalize());
                return OK;
            }
            if (engine.equals("model") && Args.modelledProblem(v) != null)
                throw new ethosu.bench.input.BadInputException("variant " + v + ": " + Args.modelledProblem(v));
            if (engine.equals("model") && breakStep != null)
                throw new ethosu.bench.input.BadInputException("--break-step stops the C under gdb: not with --engine model");
            WorkerProtocol.Replay task = new WorkerProtocol.Replay(0, v, sc.name(),
                    scenarioFile == null ? null : scenarioFile.toAbsolutePath().toString(),
                    schedule.toAbsolutePath().toString(), times, trace, finding, update, baselineFile(baseline),
                    traceJson == null ? null : traceJson.toAbsolutePath().toString(),
                    ftrace == null ? null : ftrace.toAbsolutePath().toString(), qtext, qsource);
            // the model is Java: nothing native to contain, it runs here
            if (engine.equals("model"))
                return ethosu.bench.kernel.Watchdog.callWithBudget(Args.watchdog(watchdog),
                        () -> replayHere(task, null, -1, true).status());
            if (inProcess || breakStep != null)
                return ethosu.bench.kernel.Watchdog.callWithBudget(Args.watchdog(watchdog),
                        () -> replayHere(task, null, breakStep == null ? -1 : breakStep, false).status());
            // the driver runs in a worker: a crash there is this replay's finding, not the end of this JVM
            ReplayJob job = new ReplayJob(task, sched.size());
            try (Workers w = new Workers(1, -1, Args.watchdog(watchdog))) {
                w.run(List.of(job));
            }
            return job.status;
        }

        /** The baseline file a replay is judged against (checked here, before any worker starts), or null. */
        private static String baselineFile(Path named) {
            Args.baseline(named);
            Path p = named != null ? named : Args.DEFAULT_BASELINE;
            return java.nio.file.Files.exists(p) ? p.toAbsolutePath().toString() : null;
        }

        /** What a replay in this process ended with: its exit status; lockedUp: a context is stopped in it. */
        record Outcome(int status, boolean lockedUp) {}

        /** Replays t in this process and prints what the command prints (a worker's, or --in-process). */
        static Outcome replayHere(WorkerProtocol.Replay t, ethosu.bench.control.FlightRecorder rec) throws Exception {
            return replayHere(t, rec, -1, false);
        }

        /** As above; model: the variant's Java model runs the schedule, not its library. */
        private static Outcome replayHere(WorkerProtocol.Replay t, ethosu.bench.control.FlightRecorder rec, int breakStep,
                                          boolean model) throws Exception {
            Path schedule = Path.of(t.schedule());
            var head = Explore.scheduleHeader(schedule);
            var sc = Explore.scenario(t.scenario(), t.scenarioFile() == null ? null : Path.of(t.scenarioFile()));
            var sched = ethosu.bench.control.Schedule.read(schedule);
            var r = model ? Explore.replay(ModelCommands.engine("model", t.variant()), null, sc, sched, t.times(), -1, rec)
                    : Explore.replay(EthosuLibrary.load(t.variant()), sc, sched, t.times(), breakStep, rec);
            List<String> tr = r.traces().get(0);
            var res = r.first().result();
            String title = t.variant() + " x " + sc.name() + ", schedule " + schedule;
            if (t.trace()) System.out.print(ethosu.bench.report.FtraceText.dump(res.trace(), res.names(), title));
            if (t.traceJson() != null) {
                ethosu.bench.report.TraceEventFormat.write(Path.of(t.traceJson()), res.trace(), res.names(), title, res.findings());
                System.out.println("trace-json: " + t.traceJson() + " (open in ui.perfetto.dev or chrome://tracing)");
            }
            if (t.ftrace() != null) {
                ethosu.bench.report.FtraceText.write(Path.of(t.ftrace()), res.trace(), res.names(), title);
                System.out.println("ftrace: " + t.ftrace());
            }
            r.findings().get(0).forEach(f -> System.out.println("finding: " + f));
            if (r.divergence() != null) System.out.println("the run left the schedule: " + r.divergence());
            if (r.lockedUp())
                System.out.println("replay " + r.traces().size() + " locked up (a context is stuck in the driver): "
                        + "the replays stopped there");
            boolean same = r.traces().stream().allMatch(x -> x.equals(tr));
            System.out.printf("%d replay(s): traces %s%n", r.traces().size(), same ? "identical" : "DIFFER");
            if (!same) System.out.println("  " + firstDifference(r.traces()));
            System.out.println();
            var fs = r.findings().get(0);
            var shown = t.finding() != null ? fs.stream().filter(f -> f.toString().contains(t.finding())).findFirst().orElse(null)
                    : Explore.headerFinding(head, fs);
            if (shown == null && !fs.isEmpty()) shown = fs.get(0);
            if (t.query() != null) {
                var q = ethosu.bench.query.QueryParser.parse(t.query(), t.querySource(), 0, "query");
                var m = q.match(res.trace(), res.names());
                System.out.println(m == null ? "query: no match in this run: " + q.text() : "query: " + m.text());
                if (m != null) {
                    System.out.println();
                    System.out.print(ethosu.bench.report.RaceDiagram.draw(res.trace(), res.names(), m.at(), m.entries(),
                            q.text().replaceFirst("^(witness|never)\\s+", "")));
                }
                if (t.update()) return new Outcome(Explore.update(schedule, r) ? OK : FINDINGS, r.lockedUp());
                return new Outcome(same && r.divergence() == null && !r.lockedUp() && (m != null) != q.isNever() ? OK : FINDINGS,
                        r.lockedUp());
            }
            System.out.print(ethosu.bench.report.RaceDiagram.draw(res.trace(), res.names(), shown));
            if (t.update()) return new Outcome(Explore.update(schedule, r) ? OK : FINDINGS, r.lockedUp());
            // a finding the baseline does not know is the replay's news, as it is run's
            var base = t.baseline() == null ? ethosu.bench.report.Baseline.empty()
                    : ethosu.bench.report.Baseline.load(Path.of(t.baseline()));
            long fresh = fs.stream().filter(f -> base.match(t.variant(), f) == null).count();
            if (fresh > 0)
                System.out.println(fresh + " finding(s) outside the baseline" + (t.baseline() == null ? "" : " " + t.baseline()));
            return new Outcome(same && r.divergence() == null && !r.lockedUp() && fresh == 0 ? OK : FINDINGS, r.lockedUp());
        }
    }

    /** A replay as the worker pool runs it: its output printed here; a crash of its worker its finding. */
    static final class ReplayJob extends Workers.OneShot {
        private final WorkerProtocol.Replay task;
        private final int decisions;
        int status = FINDINGS;

        ReplayJob(WorkerProtocol.Replay task, int decisions) {
            super(task, task.variant());
            this.task = task;
            this.decisions = decisions;
        }

        @Override
        public boolean reply(WorkerProtocol.Message m) throws java.io.IOException {
            if (!(m instanceof WorkerProtocol.Output o)) throw new java.io.IOException("a worker sent " + m + " for a replay");
            System.out.print(o.text());
            status = o.status();
            return true;
        }

        @Override
        public void died(Workers.Death d) {
            String h = d.record().header();
            Finding f = d.finding(h.isEmpty() || h.equals("none") ? "before the replay's first run" : "in " + h);
            System.out.println("finding: " + f);
            int reached = d.record().decisions().size();
            System.out.println("the process running the replay died " + (h.startsWith("replay") ? "in " + h + ", at step "
                    + reached + " of the schedule's " + decisions : "before its first run") + "; its last decisions:");
            var ds = d.record().decisions();
            for (var x : ds.subList(Math.max(0, ds.size() - 12), ds.size())) System.out.println("    " + x);
            status = FINDINGS;
        }
    }

    /** Where the first trace that differs from the first run's leaves it: what a person looks at first. */
    static String firstDifference(List<List<String>> traces) {
        List<String> a = traces.get(0);
        for (int k = 1; k < traces.size(); k++) {
            List<String> b = traces.get(k);
            if (b.equals(a)) continue;
            int i = 0;
            while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) i++;
            return "replay " + (k + 1) + " differs from replay 1 at trace line " + (i + 1) + ": '"
                    + (i < b.size() ? b.get(i) : "(end)") + "' where replay 1 has '" + (i < a.size() ? a.get(i) : "(end)") + "'";
        }
        return "every trace is the first's";
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List variants, built-in scenarios and strategies.")
    static final class ListCmd implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("variants:");
            EthosuLibrary.builtVariants().forEach(v -> System.out.println("  " + v
                    + (EthosuLibrary.testVariant(v) ? "   (test variant: crashes, deadlocks or spins; runs only when named)" : "")));
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

    @Command(name = "stress", mixinStandardHelpOptions = true, description = "N clients x M jobs with a mix of device behaviours, per variant.")
    static final class Stress implements Callable<Integer> {
        @CommandLine.Mixin StressOptions so = new StressOptions();

        @Override
        public Integer call() throws Exception {
            return stressTable(so);
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true, description = "Jobs/s through the full pipeline per variant: normal completions, "
            + "median of --repeat stress runs (docs/PERFORMANCE.md).")
    static final class Bench implements Callable<Integer> {
        @Option(names = "--variant", split = ",", converter = Args.Variant.class) List<String> variants;
        @Option(names = "--clients", defaultValue = "4", converter = Args.Clients.class) int clients;
        @Option(names = "--jobs", defaultValue = "250", description = "jobs per client", converter = Args.AtLeastOneInt.class)
        int jobs;
        @Option(names = "--repeat", defaultValue = "3", converter = Args.AtLeastOneInt.class) int repeat;
        @Option(names = "--time-scale", defaultValue = "20", converter = Args.TimeScale.class) int timeScale;

        @Override
        public Integer call() throws Exception {
            List<String> vs = Args.variantsOrBuilt(variants);
            Table t = new Table("variant", "jobs", "median jobs/s", "min", "max", "findings");
            // one worker: the runs take turns, so one never measures another's load
            List<StressJob> jobs = new ArrayList<>();
            for (String v : vs)
                for (int i = 0; i < repeat; i++)
                    jobs.add(new StressJob(new WorkerProtocol.Stress(jobs.size(), v, clients, this.jobs, i + 1, true,
                            timeScale, 0, 0, null)));
            try (Workers w = new Workers(1, -1, Args.watchdog(null))) {
                w.run(jobs);
            }
            for (String v : vs) {
                List<StressJob> mine = jobs.stream().filter(j -> j.task.variant().equals(v)).toList();
                double[] rates = mine.stream().mapToDouble(StressJob::jobsPerSecond).sorted().toArray();
                long findings = mine.stream().mapToLong(j -> j.result.findings().size()).sum();
                int jobsRun = mine.get(mine.size() - 1).result.jobs();
                t.row(v, jobsRun, String.format("%.0f", rates[repeat / 2]), String.format("%.0f", rates[0]),
                        String.format("%.0f", rates[repeat - 1]), findings);
            }
            System.out.print(t);
            return 0;
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true, description = "Put together the --json session "
            + "results of the parts of a session (run/explore --shard K/N on N machines, or sessions of different "
            + "variants): one verdict, as if one machine had explored it all; exit 1 if a finding is not in the "
            + "baseline or a part is missing.")
    static final class MergeCmd implements Callable<Integer> {
        @CommandLine.Parameters(arity = "1..*", paramLabel = "FILE", description = "the parts' --json files") List<Path> files;
        @Option(names = "--baseline", description = "known findings (default: baseline/known-findings.txt)") Path baseline;
        @Option(names = "--json", description = "write the merged session result") Path json;

        @Override
        public Integer call() throws Exception {
            return Merge.run(files, baseline, json);
        }
    }

    @Command(name = "variants", mixinStandardHelpOptions = true, description = "List the variants built under build/.")
    static final class Variants implements Callable<Integer> {
        @Override
        public Integer call() {
            EthosuLibrary.builtVariants().forEach(System.out::println);
            return 0;
        }
    }
}
