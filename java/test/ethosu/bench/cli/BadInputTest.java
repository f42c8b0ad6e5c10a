// Every bad option and file a person can give is one line naming the option or file:line and what
// was expected, with exit status 2 and no trace; a bench bug prints its trace, labelled as such.
package ethosu.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class BadInputTest {
    @TempDir
    static Path dir;

    static void assertOneLine(CliRun r, String... fragments) {
        assertTrue(r.isOneLineError(), "expected one line on stderr and exit 2, got " + r);
        for (String f : fragments) assertTrue(r.err().contains(f), "expected '" + f + "' in the message, got " + r);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "run --variant typo                                 | '--variant' | 'typo': no such variant",
        "run --variant ../../x                              | '--variant' | not a path",
        "run --scenario nope --budget 1                     | --scenario 'nope' | expected one of",
        "run --plan typo                                    | '--plan' | expected dfs[:bound[:plain]], pct[:depth] or random",
        "run --plan pct:-1                                  | '--plan' | got 'pct:-1'",
        "run --plan pct:0                                   | '--plan' | expected a PCT depth from 1",
        "run --plan dfs:101                                 | '--plan' | expected a DFS bound from 0 to 100",
        "run --plan random:3                                | '--plan' | got 'random:3'",
        "run --plan pct:3:plain                             | '--plan' | got 'pct:3:plain'",
        "run --plan dfs:2:fast                              | '--plan' | got 'dfs:2:fast'",
        "run --shard 3/3                                    | '--shard' | expected K/N with 0 <= K < N",
        "run --shard 1/0                                    | '--shard' | got '1/0'",
        "explore --variant locked --scenario two-jobs --shard half | '--shard' | got 'half'",
        "merge nope.json                                    | nope.json | NoSuchFile",
        "run --budget 0                                     | '--budget' | expected a whole number >= 1, got 0",
        "run --budget -1                                    | '--budget' | got -1",
        "run --budget many                                  | '--budget' | got 'many'",
        "run --time 0                                       | '--time' | expected a number of seconds >= 1",
        "run --jobs 0                                       | '--jobs' | expected a number of worker processes",
        "run --jobs 65                                      | '--jobs' | from 1 to 64",
        "run --bogus                                        | Unknown option: '--bogus' | run --help",
        "explore --variant locked --scenario two-jobs --cpu 1023 | '--cpu' | a CPU this process may run on",
        "explore --variant locked --scenario two-jobs --cpu -2   | '--cpu' | got -2",
        "explore --variant locked                           | Missing required option | --scenario",
        "replay --schedule x.schedule --times 0             | '--times' | expected a whole number >= 1",
        "bench --repeat 0                                   | '--repeat' | expected a whole number >= 1",
        "stress --clients 0                                 | '--clients' | from 1 to 256",
        "stress --jobs 0                                    | '--jobs' | >= 1",
        "stress --chaos 1001                                | '--chaos' | from 0 to 1000",
        "stress --time-scale 0                              | '--time-scale' | from 1 to 1000000",
        "check --before typo --after locked                 | '--before' | 'typo': no such variant",
        "check --before locked --after ../../x              | '--after' | not a path",
        "check --before locked --after lockless --plan pct:0 | '--plan' | expected a PCT depth from 1",
        "check --before locked --after lockless --budget 0  | '--budget' | expected a whole number >= 1",
        "check --before locked --after lockless --time 0    | '--time' | expected a number of seconds >= 1",
        "check --before locked --after lockless --jobs 0    | '--jobs' | expected a number of worker processes",
        "check --before locked                              | Missing required option | --after",
        "check --before locked --after lockless --scenario nope | --scenario 'nope' | expected one of",
        "replay --schedule x.schedule --break-step -1       | '--break-step' | expected a scheduling step >= 0, got -1",
        "replay --schedule x.schedule --break-step next     | '--break-step' | got 'next'",
    })
    void badOptionIsOneLineNamingIt(String line, String fragment1, String fragment2) {
        assertOneLine(CliRun.of(line.strip().split("\\s+")), fragment1.strip(), fragment2.strip());
    }

    @Test
    void missingNamedBaselineIsRefusedNotEmpty() {
        Path missing = dir.resolve("no-such-baseline.txt");
        assertOneLine(CliRun.of("run", "--variant", "locked", "--scenario", "two-jobs", "--budget", "1",
                "--baseline", missing.toString()), missing + ": no such file, expected a baseline file");
        assertOneLine(CliRun.of("stress", "--variant", "locked", "--jobs", "1", "--baseline", missing.toString()),
                missing + ": no such file");
    }

    static Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static CliRun replay(Path schedule) {
        return CliRun.of("replay", "--schedule", schedule.toString());
    }

    @Test
    void scheduleHeaderVariantIsNeverAPath() throws Exception {
        // the header is text from a file: it must not choose a library outside build/
        Path p = file("escape.schedule", "# variant: ../../x\n# scenario: two-jobs\n0\tmain\tstart\n");
        assertOneLine(replay(p), p + ": variant '../../x' in its header", "not a path");
        p = file("absolute.schedule", "# variant: /tmp\n# scenario: two-jobs\n0\tmain\tstart\n");
        assertOneLine(replay(p), "variant '/tmp' in its header");
        p = file("dotdot.schedule", "# variant: ..\n# scenario: two-jobs\n0\tmain\tstart\n");
        assertOneLine(replay(p), "variant '..' in its header");
    }

    @Test
    void scheduleWithoutDecisionsIsRefused() throws Exception {
        Path p = file("header-only.schedule", "# variant: locked\n# scenario: two-jobs\n");
        assertOneLine(replay(p), p + ":2: expected at least one decision");
    }

    @Test
    void scheduleHeaderGivenTwiceIsRefused() throws Exception {
        Path p = file("twice.schedule", "# variant: locked\n# variant: lockless\n# scenario: two-jobs\n0\tmain\tstart\n");
        assertOneLine(replay(p), p + ":2: expected one '# variant:' header line");
    }

    @Test
    void directoryBinaryAndNonUtf8FilesAreNamed() throws Exception {
        assertOneLine(replay(dir), dir + ": is a directory, expected a schedule file");
        Path bin = dir.resolve("binary.schedule");
        Files.write(bin, new byte[] {'#', ' ', 'x', '\n', 0x7f, 'E', 'L', 'F', 0, 0, 1});
        assertOneLine(replay(bin), bin + ":2: a NUL byte: a binary file");
        Path latin = dir.resolve("latin1.schedule");
        Files.write(latin, "# variant: locked\n# scenario: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertOneLine(replay(latin), latin + ":2: byte 0xe9 is not UTF-8 text");
        assertOneLine(replay(dir.resolve("missing.schedule")), "missing.schedule: no such file");
    }

    static CliRun explore(Path scenarios, String name) {
        return CliRun.of("explore", "--variant", "locked", "--scenario", name, "--scenario-file", scenarios.toString(),
                "--budget", "1", "--no-minimize", "--save", dir.resolve("findings").toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "horizon 0s           | :2: expected a horizon from 1ns to 3600s, got '0s'",
        "horizon -3s          | :2: expected a duration like 500ms",
        "horizon 3601s        | :2: expected a horizon from 1ns to 3600s",
        "horizon 99999999999999999999s | :2: expected a duration like 500ms",
        "sram 0xffffffffff    | :2: expected an SRAM size from 0 to 0x7fffffff bytes",
        "sram -1              | :2: expected a size in bytes",
        "npu u65\\n npu u85   | :3: expected one 'npu' line in scenario a, got a second (the first is line 2)",
        "horizon 1s\\n horizon 2s | :3: expected one 'horizon' line",
        "sram 1\\n sram 2     | :3: expected one 'sram' line",
        "about x\\n about y   | :3: expected one 'about' line",
    })
    void badScenarioValueIsOneLine(String settings, String message) throws Exception {
        Path p = file("bad.scenario", "scenario a\n " + settings.strip().replace("\\n", "\n") + "\n client\n  submit A complete\n");
        assertOneLine(explore(p, "a"), p + message.strip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "submit A slow 1ns 1000s   | :3: expected 'slow <step> <total>' with at most 10000 steps",
        "submit A slow 0ns 1ms     | :3: expected 'slow <step> <total>' with 0 < step <= total",
        "submit A complete -1ms    | :3: expected a duration like 500ms",
        "submit A complete\\n kill\\n kill | :5: expected one 'kill' per client",
    })
    void badBehaviourIsOneLine(String job, String message) throws Exception {
        Path p = file("bad-job.scenario", "scenario a\n client\n " + job.strip().replace("\\n", "\n") + "\n");
        assertOneLine(explore(p, "a"), p + message.strip());
    }

    @Test
    void scenarioNameIsNeverAPath() throws Exception {
        // scenario names become file names of saved schedules
        Path p = file("path.scenario", "scenario ../../escape\n client\n  submit A complete\n");
        assertOneLine(explore(p, "../../escape"), p + ":1: expected a scenario name");
    }

    static CliRun withBaseline(Path baseline) {
        return CliRun.of("stress", "--variant", "locked", "--jobs", "1", "--clients", "1", "--baseline", baseline.toString());
    }

    @Test
    void baselineDuplicatesAreRefused() throws Exception {
        String entry = "known a\n variants *\n check LEAK\n match x\n";
        Path p = file("dup-key.txt", entry + " match y\n");
        assertOneLine(withBaseline(p), p + ":5: expected one 'match' line in entry a, got a second (the first is line 4)");
        p = file("dup-id.txt", entry + entry);
        assertOneLine(withBaseline(p), p + ":5: expected a new entry id, got 'a' a second time");
        p = file("bad-glob.txt", "known a\n variants mutant-[\n check LEAK\n match x\n");
        assertOneLine(withBaseline(p), p + ":2: expected variant names or globs");
        p = file("bad-id.txt", "known a b\n variants *\n check LEAK\n match x\n");
        assertOneLine(withBaseline(p), p + ":1: expected 'known <id>' with an id of letters");
    }

    @Test
    void checkPatchFileThatIsNotAPatchIsOneLine() throws Exception {
        Path notPatch = file("notes.txt", "Some notes\nabout a change\n");
        assertOneLine(CliRun.of("check", "--before", "locked", "--after", "lockless", "--patch", notPatch.toString()),
                notPatch + ": expected a unified diff");
        Path missing = dir.resolve("missing.patch");
        assertOneLine(CliRun.of("check", "--before", "locked", "--after", "lockless", "--patch", missing.toString()),
                "--patch " + missing + ": no such file, expected a patch file");
        assertOneLine(CliRun.of("check", "--before", "locked", "--after", "lockless", "--patch", dir.toString()),
                "--patch " + dir + ": is a directory");
    }

    @Test
    void checkSaveThatIsAFileIsOneLine() throws Exception {
        Path f = file("a-file", "x\n");
        assertOneLine(CliRun.of("check", "--before", "locked", "--after", "lockless", "--scenario", "two-jobs",
                "--budget", "1", "--save", f.toString()), "--save " + f + ": not a directory");
    }

    @Test
    void replayBreakStepPastTheScheduleIsOneLine() throws Exception {
        Path p = file("short.schedule", "# variant: locked\n# scenario: two-jobs\n0\tmain\tstart\n");
        assertOneLine(CliRun.of("replay", "--schedule", p.toString(), "--break-step", "5"),
                "--break-step 5: expected a step from 0 to 0, the steps of " + p);
    }

    @Test
    void replayDryRunChecksAndPrintsTheLibraryOnly() throws Exception {
        Path p = file("dry.schedule", "# variant: locked\n# scenario: two-jobs\n0\tmain\tstart\n");
        CliRun r = CliRun.of("replay", "--schedule", p.toString(), "--break-step", "0", "--dry-run");
        assertEquals(Main.OK, r.status(), r.toString());
        assertEquals(ethosu.bench.bindings.EthosuLibrary.buildDir().resolve("locked/libethosu.so").toAbsolutePath().normalize()
                + "\n", r.out(), r.toString());
    }

    @Test
    void helpWorksForEveryCommand() {
        for (String c : new String[] {"run", "check", "explore", "query", "replay", "list", "stress", "bench", "variants"}) {
            CliRun r = CliRun.of(c, "--help");
            assertEquals(0, r.status(), r.toString());
            assertTrue(r.out().startsWith("Usage: ethosu-bench " + c), r.toString());
        }
    }

    @Test
    void benchBugPrintsItsTraceLabelled() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.handleFailure(new NullPointerException("a bench bug"), "ethosu-bench run");
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(Main.BENCH_BUG, status, text);
        assertTrue(text.startsWith("ethosu-bench bug: java.lang.NullPointerException: a bench bug"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\s+at .*BadInputTest.*")), text);
    }

    @Test
    void badInputNeverCountsAsABug() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.handleFailure(new ethosu.bench.input.BadInputException("f.txt", 3, "expected x\ngot y"),
                    "ethosu-bench run");
        } finally {
            System.setErr(old);
        }
        assertEquals(Main.BAD_INPUT, status);
        assertEquals("ethosu-bench run: f.txt:3: expected x\\ngot y\n", err.toString(StandardCharsets.UTF_8));
    }
}
