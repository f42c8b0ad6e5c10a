// Checks of the command line's options before anything runs: picocli converters (a bad value is
// one line naming the option and what was expected) and the checks that need more than one value.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.CpuPinning;
import ethosu.bench.input.BadInputException;
import ethosu.bench.report.Baseline;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class Args {
    private Args() {}

    /** The baseline `run`, `explore` and `stress` use when none is named. */
    static final Path DEFAULT_BASELINE = Path.of("baseline", "known-findings.txt");

    /** Worker processes of `run` at most: each is a JVM, and they share the machine's CPUs. */
    static final int MAX_WORKERS = 64;

    static long number(String s, long min, long max, String what) {
        long v;
        try {
            v = Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("expected " + what + ", got '" + s + "'");
        }
        if (v < min || v > max) throw new TypeConversionException("expected " + what + ", got " + v);
        return v;
    }

    /** --max-stall: a duration (500us, 1ms, 2s; ns without a unit), in ns. */
    static final class MaxStall implements ITypeConverter<Long> {
        @Override
        public Long convert(String s) {
            try {
                return ethosu.bench.control.Controlled.parseDuration(s);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** --fail: KIND[:N][@FUNCTION]. */
    static final class Fault implements ITypeConverter<ethosu.bench.scenario.FaultSpec> {
        @Override
        public ethosu.bench.scenario.FaultSpec convert(String s) {
            try {
                return ethosu.bench.scenario.FaultSpec.parse(s);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A count of at least one: budgets, jobs, clients, repeats. */
    static final class AtLeastOne implements ITypeConverter<Long> {
        @Override
        public Long convert(String s) {
            return number(s, 1, Long.MAX_VALUE, "a whole number >= 1");
        }
    }

    static final class AtLeastOneInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return (int) number(s, 1, Integer.MAX_VALUE, "a whole number >= 1");
        }
    }

    /** A scheduling step of a schedule (replay --break-step); the schedule's length is checked once it is read. */
    static final class Step implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return (int) number(s, 0, Integer.MAX_VALUE, "a scheduling step >= 0");
        }
    }

    /** Clients of a stress run: each is a thread with its own DRM file. */
    static final class Clients implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return (int) number(s, 1, 256, "a number of clients from 1 to 256");
        }
    }

    static final class Seconds implements ITypeConverter<Long> {
        @Override
        public Long convert(String s) {
            // the budget is turned into milliseconds
            return number(s, 1, Long.MAX_VALUE / 1_000_000, "a number of seconds >= 1");
        }
    }

    /**
     * The watchdog's budget (--watchdog SECONDS, decimals allowed), in milliseconds: CPU time a
     * context may run without a scheduling point, and time a free-running device may go without
     * progress, before the context is stuck (ethosu.bench.kernel.Watchdog).
     */
    static final class WatchdogSeconds implements ITypeConverter<Long> {
        @Override
        public Long convert(String s) {
            String what = "a number of seconds from 0.1 to 3600 (the kernel's is 20)";
            double v;
            try {
                v = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected " + what + ", got '" + s + "'");
            }
            if (!(v >= 0.1 && v <= 3600)) throw new TypeConversionException("expected " + what + ", got " + s.strip());
            return Math.round(v * 1000);
        }
    }

    /** The watchdog budget in ms: the option's, else the default (ethosu.watchdog.ms or the kernel's 20 s). */
    static long watchdog(Long option) {
        return option != null ? option : ethosu.bench.kernel.Watchdog.budgetMs();
    }

    static final class Workers implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return (int) number(s, 1, MAX_WORKERS, "a number of worker processes from 1 to " + MAX_WORKERS);
        }
    }

    /** Kernel ns per real ns of the free-running platform. */
    static final class TimeScale implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return (int) number(s, 1, 1_000_000, "a time scale from 1 to 1000000 (kernel ns per real ns)");
        }
    }

    static final class PerMille implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return (int) number(s, 0, 1000, "a per-mille chance from 0 to 1000");
        }
    }

    /** A CPU this process may run on, or -1 for no pinning. */
    static final class Cpu implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            int cpu = (int) number(s, -1, 1023, "a CPU number or -1 (no pinning)");
            if (cpu >= 0 && !CpuPinning.allowed(cpu))
                throw new TypeConversionException("expected -1 or a CPU this process may run on (" + CpuPinning.allowedCpus()
                        + "), got " + cpu);
            return cpu;
        }
    }

    /** What runs the driver: the variant's library or its Java model. */
    static final class EngineKind implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            if (!s.equals("c") && !s.equals("model"))
                throw new TypeConversionException("expected c (the variant's library) or model (its Java model), got '" + s + "'");
            return s;
        }
    }

    /** A variant the Java model has a counterpart of (and whose library is built, for the C side). */
    static String modelledProblem(String variant) {
        if (ethosu.bench.model.EthosuJobVariants.has(variant)) return null;
        return "the Java model has no counterpart for it (it models " + String.join(", ",
                ethosu.bench.model.EthosuJobVariants.modelled()) + ")";
    }

    /** A variant built under build/: checked before anything is loaded (no path reaches dlopen). */
    static final class Variant implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            String problem = EthosuLibrary.variantProblem(s);
            if (problem != null) throw new TypeConversionException("'" + s + "': " + problem);
            return s;
        }
    }

    static final Pattern STRATEGY = Pattern.compile("dfs(?::(\\d{1,9})(?::plain)?)?|pct(?::(\\d{1,9}))?|random");
    static final int MAX_DFS_BOUND = 100, MAX_PCT_DEPTH = 100;

    /** dfs[:bound[:plain]], pct[:depth] or random; the problem with a spec, or null. */
    static String strategyProblem(String spec) {
        Matcher m = STRATEGY.matcher(spec);
        if (!m.matches())
            return "expected dfs[:bound[:plain]], pct[:depth] or random, got '" + spec + "'";
        if (m.group(1) != null && Integer.parseInt(m.group(1)) > MAX_DFS_BOUND)
            return "expected a DFS bound from 0 to " + MAX_DFS_BOUND + " preemptions, got '" + spec + "'";
        if (m.group(2) == null) return null;
        int arg = Integer.parseInt(m.group(2));
        if (arg < 1 || arg > MAX_PCT_DEPTH)
            return "expected a PCT depth from 1 to " + MAX_PCT_DEPTH + ", got '" + spec + "'";
        return null;
    }

    /** Part shard (from 0) of an exploration split into shards (--shard K/N). */
    record Part(int shard, int shards) {
        static final Part WHOLE = new Part(0, 1);
    }

    /** --shard K/N. */
    static final class Shard implements ITypeConverter<Part> {
        static final Pattern SHARD = Pattern.compile("(\\d{1,6})/(\\d{1,6})");

        @Override
        public Part convert(String s) {
            Matcher m = SHARD.matcher(s.strip());
            if (m.matches()) {
                int k = Integer.parseInt(m.group(1)), n = Integer.parseInt(m.group(2));
                if (n >= 1 && k < n) return new Part(k, n);
            }
            throw new TypeConversionException("expected K/N with 0 <= K < N (part K of N, e.g. 0/4), got '" + s + "'");
        }
    }

    static final class StrategySpec implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            String problem = strategyProblem(s);
            if (problem != null) throw new TypeConversionException(problem);
            return s;
        }
    }

    /** Variants named, or every built one; none built is an error, not an empty run. */
    static List<String> variantsOrBuilt(List<String> named) {
        if (named != null && !named.isEmpty()) return named;
        // the test variants (a driver that crashes, deadlocks or spins) only when named
        List<String> built = EthosuLibrary.defaultVariants();
        if (built.isEmpty())
            throw new BadInputException("no variant built under " + EthosuLibrary.buildDir().toAbsolutePath() + ": run `make` first");
        return built;
    }

    /**
     * The baseline: a file named with --baseline must exist; without one, the default file when it
     * is there (running from elsewhere than the repository), else none, said on stderr.
     */
    static Baseline baseline(Path named) {
        if (named != null) return Baseline.load(named);
        if (Files.exists(DEFAULT_BASELINE)) return Baseline.load(DEFAULT_BASELINE);
        System.err.println("ethosu-bench: no " + DEFAULT_BASELINE + " here and no --baseline: every finding counts as NEW");
        return Baseline.empty();
    }

    static Path baselineShown(Path named) {
        return named != null ? named : DEFAULT_BASELINE;
    }

    /** A directory results are written to: made if missing, refused if it is a file. */
    static Path outputDir(String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir))
            throw new BadInputException(option + " " + dir + ": not a directory, expected a directory for results");
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new BadInputException(option + " " + dir + ": cannot make it (" + e.getMessage() + ")");
        }
        return dir;
    }

    /** A file the bench creates (the register file): its directory must exist. */
    static Path outputFile(String option, Path file) {
        if (file == null) return null;
        if (Files.isDirectory(file))
            throw new BadInputException(option + " " + file + ": is a directory, expected a file path");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent))
            throw new BadInputException(option + " " + file + ": no directory " + parent + ", expected a file path in one");
        return file;
    }
}
