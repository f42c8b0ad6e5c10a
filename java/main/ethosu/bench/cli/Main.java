// The command line: `run` (the default session on every variant), `stress`, `variants`.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.kernel.Device;
import ethosu.bench.report.Table;
import ethosu.bench.stress.StressRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

@Command(name = "ethosu-bench", mixinStandardHelpOptions = true,
        description = "Runs the Ethos-U driver's job code against kernel shims and a fake NPU.",
        subcommands = {Main.Run.class, Main.Stress.class, Main.Bench.class, Main.Variants.class})
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

        List<String> variants() {
            return variants == null || variants.isEmpty() ? EthosuLibrary.builtVariants() : variants;
        }

        StressRun.Options options() {
            return StressRun.Options.defaults().withJobs(clients, jobs).withSeed(seed)
                    .withMix(normal ? StressRun.Mix.NORMAL : StressRun.Mix.DEFAULT)
                    .withDevice(Device.Options.defaults().withTimeScale(timeScale).withChaos(chaos));
        }
    }

    /** Stress every variant and print one table; the exit status says whether anything broke. */
    static int stressTable(StressOptions so) {
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
        for (StressRun.Result r : results) {
            if (r.findings().isEmpty()) continue;
            System.out.println();
            System.out.println(r.variant() + ":");
            List<Finding> fs = r.findings();
            int shown = 0;
            for (Finding f : fs) {
                if (!so.verbose && shown++ >= 5) {
                    System.out.println("  ... " + (fs.size() - 5) + " more (--verbose shows all)");
                    break;
                }
                System.out.println("  " + f);
            }
        }
        return 0;
    }

    static String summary(Map<Finding.Check, Long> byCheck) {
        if (byCheck.isEmpty()) return "none";
        StringBuilder sb = new StringBuilder();
        byCheck.forEach((c, n) -> sb.append(sb.length() == 0 ? "" : "; ").append(c.title).append(" x").append(n));
        return sb.toString();
    }

    @Command(name = "run", description = "The default session: stress every built variant and print the table.")
    static final class Run implements Callable<Integer> {
        @CommandLine.Mixin StressOptions so = new StressOptions();

        @Override
        public Integer call() {
            return stressTable(so);
        }
    }

    @Command(name = "stress", description = "N clients x M jobs with a mix of device behaviours, per variant.")
    static final class Stress implements Callable<Integer> {
        @CommandLine.Mixin StressOptions so = new StressOptions();

        @Override
        public Integer call() {
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
                    StressRun.Result r = StressRun.run(v, StressRun.Options.defaults().withJobs(clients, jobs)
                            .withMix(StressRun.Mix.NORMAL).withSeed(i + 1)
                            .withDevice(Device.Options.defaults().withTimeScale(timeScale).withTraceLevel(0)));
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

    @Command(name = "variants", description = "List the variants built under build/.")
    static final class Variants implements Callable<Integer> {
        @Override
        public Integer call() {
            EthosuLibrary.builtVariants().forEach(System.out::println);
            return 0;
        }
    }
}
