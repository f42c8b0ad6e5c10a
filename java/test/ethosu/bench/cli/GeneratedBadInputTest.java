// The generated bad-input suite: the project's own valid scenario, schedule and baseline files,
// mutated (truncated, unknown words, wrong types, extreme numbers, binary bytes, duplicated and
// dropped lines), each give a one-line error or a valid run: never a trace, a hang or a crash.
// Every case has its own seed; a failure prints the mutated file and the command that reruns it.
// Longer runs: -Dethosu.badinput.tries=2000 (per property) and -Dethosu.badinput.seed=N.
package ethosu.bench.cli;

import ethosu.bench.control.Schedule;
import ethosu.bench.input.BadInputException;
import ethosu.bench.input.TextFile;
import ethosu.bench.report.Baseline;
import ethosu.bench.scenario.ScenarioParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class GeneratedBadInputTest {
    /** Cases per property in `make test` (short: it runs on a busy 2-core machine); more with -D. */
    static final int RUN_TRIES = Integer.getInteger("ethosu.badinput.tries", 30);
    static final int PARSE_TRIES = Integer.getInteger("ethosu.badinput.tries", 30) * 15;
    static final long SEED = Long.getLong("ethosu.badinput.seed", 20261201L);
    /** One case alone (its seed, as a failure prints it). */
    static final Long CASE = Long.getLong("ethosu.badinput.case");

    /** Words that break each format: unknown keywords, wrong types, extreme and negative numbers. */
    static final String[] WORDS = {
        "frobnicate", "scenario", "client", "submit", "kill", "known", "variants", "check", "match", "horizon", "sram",
        "npu", "about", "schedule", "sanitizer", "#", "\t", "0\tmain\tstart", "submit A complete", "complete", "hang",
        "slow", "spurious", "bus-error", "u85", "u99", "*", "[", "(?", "LEAK", "BENCH", "USE_AFTER_FREE", "../../x", "/tmp",
        "..", "0", "-1", "-3s", "0s", "1ns", "3600s", "3601s", "99999999999999999999", "9223372036854775807",
        "0xffffffffff", "0x", "0x7fffffff", "1e9", "NaN", "1.5ms", "\u0663ms", "00000000000000000001ms", "2147483648",
        "-2147483649", "65536", "slow 1ns 3600s", "spurious 0ns spurious 0ns hang", "client\nclient\nclient",
    };

    /** One edit of a valid file. */
    record Mutation(String kind, int at, int other, String word, byte[] bytes) {
        static Mutation random(SplittableRandom r) {
            int at = r.nextInt(100_000), other = r.nextInt(100_000);
            return switch (r.nextInt(7)) {
                case 0 -> new Mutation("truncate", at, 0, null, null);
                case 1 -> {
                    byte[] b = new byte[1 + r.nextInt(8)];
                    r.nextBytes(b);
                    if (r.nextInt(3) == 0) b[0] = 0;
                    yield new Mutation("binary", at, 0, null, b);
                }
                case 2 -> new Mutation("duplicate", at, 0, null, null);
                case 3 -> new Mutation("drop", at, 0, null, null);
                case 4 -> new Mutation("swap", at, other, null, null);
                case 5 -> new Mutation("insert", at, 0, word(r), null);
                default -> new Mutation("replace-word", at, other, word(r), null);
            };
        }

        static String word(SplittableRandom r) {
            if (r.nextInt(4) > 0) return WORDS[r.nextInt(WORDS.length)];
            StringBuilder sb = new StringBuilder();
            for (int i = r.nextInt(12); i > 0; i--)
                sb.appendCodePoint(r.nextInt(5) == 0 ? r.nextInt(0x20, 0x3000) : r.nextInt(' ', '~' + 1));
            return sb.toString();
        }

        byte[] apply(byte[] in) {
            String text = new String(in, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            int n = lines.size(), i = Math.floorMod(at, n), j = Math.floorMod(other, n);
            switch (kind) {
                case "truncate" -> {
                    return Arrays.copyOf(in, Math.floorMod(at, in.length + 1));
                }
                case "binary" -> {
                    int pos = Math.floorMod(at, in.length + 1);
                    byte[] out = new byte[in.length + bytes.length];
                    System.arraycopy(in, 0, out, 0, pos);
                    System.arraycopy(bytes, 0, out, pos, bytes.length);
                    System.arraycopy(in, pos, out, pos + bytes.length, in.length - pos);
                    return out;
                }
                case "duplicate" -> lines.add(i, lines.get(i));
                case "drop" -> lines.remove(i);
                case "swap" -> {
                    String t = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, t);
                }
                case "insert" -> lines.add(i, word);
                case "replace-word" -> lines.set(i, replaceWord(lines.get(i), other, word));
                default -> throw new IllegalStateException(kind);
            }
            return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        }

        static String replaceWord(String line, int which, String word) {
            String[] w = line.split("((?<=\\s)|(?=\\s))");
            List<Integer> words = new ArrayList<>();
            for (int k = 0; k < w.length; k++) if (!w[k].isBlank()) words.add(k);
            if (words.isEmpty()) return word;
            w[words.get(Math.floorMod(which, words.size()))] = word;
            return String.join("", w);
        }
    }

    /** One to three edits, all from the case's seed. */
    static byte[] mutate(byte[] seed, long caseSeed) {
        SplittableRandom r = new SplittableRandom(caseSeed);
        byte[] b = seed;
        for (int k = 1 + r.nextInt(3); k > 0; k--) b = Mutation.random(r).apply(b);
        return b;
    }

    static byte[] scenarios, schedule, baseline;
    static Path dir;
    static ExecutorService runner;

    @BeforeAll
    static void seeds() throws IOException {
        try (InputStream in = ScenarioParser.class.getResourceAsStream("scenarios.txt")) {
            scenarios = in.readAllBytes();
        }
        schedule = Files.readAllBytes(Path.of("baseline/lockless-irq-thread-signals-freed-job.schedule"));
        baseline = Files.readAllBytes(Path.of("baseline/known-findings.txt"));
        dir = Files.createTempDirectory("ethosu-bad-input");
        runner = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("bad-input-run").unstarted(r));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        runner.shutdownNow();
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    static Stream<Long> cases(String property, int tries) {
        if (CASE != null) return Stream.of(CASE);
        long base = SEED * 31 + property.hashCode();
        return LongStream.range(0, tries).mapToObj(i -> base + i);
    }

    static String show(byte[] b, String property, long caseSeed) {
        String s = new String(b, StandardCharsets.UTF_8);
        return (s.length() > 3000 ? s.substring(0, 3000) + "\n..." : s) + "\n--- rerun this case: mvn test -Dtest="
                + GeneratedBadInputTest.class.getSimpleName() + " -Dethosu.badinput.case=" + caseSeed
                + " (property " + property + ")";
    }

    /** A run of the command line with a bound: a hang is a failure with the input, not a stuck suite. */
    static CliRun run(String shown, String... args) throws Exception {
        Future<CliRun> f = runner.submit(() -> CliRun.of(args));
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail("did not end within 120 s on this input:\n" + shown);
            throw e;
        }
    }

    /** Outcomes per property: a suite whose edits never run, or never fail, tests nothing. */
    static final java.util.Map<String, java.util.Set<String>> OUTCOMES = new java.util.concurrent.ConcurrentHashMap<>();

    static void tally(String property, boolean refused) {
        OUTCOMES.computeIfAbsent(property, k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(refused ? "refused" : "ran");
    }

    /** After the cases of a property: both outcomes were seen (not when one case is rerun alone). */
    static Stream<DynamicTest> withBothOutcomes(String property, Stream<DynamicTest> cases) {
        if (CASE != null) return cases;
        return Stream.concat(cases, Stream.of(DynamicTest.dynamicTest("edits both run and are refused", () ->
                assertEquals(java.util.Set.of("ran", "refused"), OUTCOMES.getOrDefault(property, java.util.Set.of()),
                        property + ": the generated edits gave only " + OUTCOMES.get(property)))));
    }

    static void assertCleanOutcome(CliRun r, String shown) {
        String context = "on this input:\n" + shown + "\n--- it gave " + r;
        assertNotEquals(Main.BENCH_BUG, r.status(), "a bench bug " + context);
        assertFalse(r.err().lines().anyMatch(l -> l.matches("\\s+at .*")), "a stack trace " + context);
        if (r.status() == Main.BAD_INPUT) assertTrue(r.isOneLineError(), "not one line " + context);
        else assertTrue(r.status() == Main.OK || r.status() == Main.FINDINGS, "unexpected exit status " + context);
    }

    /** The parsers alone, many inputs: a result, or one line naming the file and line. */
    @TestFactory
    Stream<DynamicTest> parsersGiveOneLineErrorsOrAResult() {
        return withBothOutcomes("parse", cases("parse", PARSE_TRIES).map(c -> DynamicTest.dynamicTest("case " + c, () -> {
            for (Object[] seed : new Object[][] {{"s.txt", scenarios}, {"s.schedule", schedule}, {"b.txt", baseline}}) {
                String name = (String) seed[0];
                byte[] input = mutate((byte[]) seed[1], c);
                try {
                    String text = TextFile.decode(name, input, "a test file");
                    switch (name) {
                        case "s.txt" -> ScenarioParser.parse(name, text);
                        case "s.schedule" -> Schedule.parse(Path.of(name), text);
                        default -> Baseline.parse(name, text);
                    }
                    tally("parse", false);
                } catch (BadInputException e) {
                    tally("parse", true);
                    assertTrue(e.getMessage().startsWith(name + ":"), "the error does not name the file: " + e.getMessage()
                            + "\non:\n" + show(input, "parse", c));
                    assertFalse(e.getMessage().contains("\n"), "the error is not one line: " + e.getMessage());
                } catch (RuntimeException e) {
                    fail("not a bad-input error but " + e + " on " + name + ":\n" + show(input, "parse", c), e);
                }
            }
        })));
    }

    @TestFactory
    Stream<DynamicTest> mutatedScenarioFileRunsOrIsRefusedInOneLine() {
        return withBothOutcomes("scenario", cases("scenario", RUN_TRIES).map(c -> DynamicTest.dynamicTest("case " + c, () -> {
            byte[] input = mutate(scenarios, c);
            Path f = Files.write(dir.resolve("mutated.scenarios"), input);
            String shown = show(input, "scenario", c);
            CliRun r = run(shown, "explore", "--variant", "locked", "--scenario-file", f.toString(),
                    "--scenario", firstScenarioName(input), "--strategy", "pct:2", "--budget", "2", "--time", "30",
                    "--no-minimize", "--cpu", "-1", "--save", dir.resolve("findings").toString());
            assertCleanOutcome(r, shown);
            tally("scenario", r.status() == Main.BAD_INPUT);
        })));
    }

    /** The first scenario's name, whatever the edits made of it. */
    static String firstScenarioName(byte[] input) {
        for (String l : new String(input, StandardCharsets.UTF_8).split("\n")) {
            String[] w = l.strip().split("\\s+");
            if (w.length >= 2 && w[0].equals("scenario")) return w[1];
        }
        return "two-jobs";
    }

    @TestFactory
    Stream<DynamicTest> mutatedScheduleReplaysOrIsRefusedInOneLine() {
        return withBothOutcomes("schedule", cases("schedule", RUN_TRIES).map(c -> DynamicTest.dynamicTest("case " + c, () -> {
            byte[] input = mutate(schedule, c);
            Path f = Files.write(dir.resolve("mutated.schedule"), input);
            String shown = show(input, "schedule", c);
            CliRun r = run(shown, "replay", "--schedule", f.toString());
            assertCleanOutcome(r, shown);
            tally("schedule", r.status() == Main.BAD_INPUT);
        })));
    }

    @TestFactory
    Stream<DynamicTest> mutatedBaselineIsUsedOrRefusedInOneLine() {
        return withBothOutcomes("baseline", cases("baseline", RUN_TRIES).map(c -> DynamicTest.dynamicTest("case " + c, () -> {
            byte[] input = mutate(baseline, c);
            Path f = Files.write(dir.resolve("mutated-baseline.txt"), input);
            String shown = show(input, "baseline", c);
            CliRun r = run(shown, "explore", "--variant", "lockless", "--scenario", "two-jobs", "--strategy", "pct:3",
                    "--budget", "1", "--time", "30", "--no-minimize", "--cpu", "-1", "--baseline", f.toString(),
                    "--save", dir.resolve("findings").toString());
            assertCleanOutcome(r, shown);
            tally("baseline", r.status() == Main.BAD_INPUT);
        })));
    }
}
