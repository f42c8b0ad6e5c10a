// Every command contains what the driver does: a driver that crashes, one that deadlocks and one that
// spins (the test variants of native/variants/test) are each reported as a finding of the driver by
// run, check, explore, replay and stress, with their schedule (or seed), signal and C frames; the
// process that ran the driver is replaced and the session goes on. The watchdog's budget is short
// here (--watchdog 1 or 0.5): it is CPU time without a scheduling point, which a spinning context uses
// up however busy the machine is. Budgets are small: each crash and each lockup costs a worker process.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.control.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class ContainmentTest {
    @TempDir
    Path dir;

    static final String CRASH = "test-crash", DEADLOCK = "test-deadlock", SPIN = "test-spin";
    /** Where each test variant's driver goes wrong: the IRQ thread's handler. */
    static final String SITE = "ethosu_job_handle_irq";

    private static List<Path> files(Path d, String glob) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> d.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName())).sorted().toList();
        }
    }

    /** The worker pool's scratch directories of this JVM (removed when a command ends). */
    private static List<Path> scratch() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("ethosu-bench-workers-" + ProcessHandle.current().pid() + "-"))
                    .toList();
        }
    }

    @Test
    void theTestVariantsAreBuiltButRunOnlyWhenNamed() {
        for (String v : List.of(CRASH, DEADLOCK, SPIN)) {
            assertTrue(EthosuLibrary.builtVariants().contains(v), v + " is built (make libs)");
            assertTrue(EthosuLibrary.testVariant(v), v + " is marked a test variant");
            assertFalse(EthosuLibrary.defaultVariants().contains(v), v + " is not in the default session");
        }
        assertTrue(EthosuLibrary.defaultVariants().contains("locked"));
    }

    /**
     * run: each test variant's finding, a crash counted at every schedule while the exploration goes
     * on (no limit on crashes: six, past the five after which a task was once given up), and nothing
     * left behind but each distinct finding's files. Small budgets: every crash and every lockup
     * costs a worker process, which is what is pinned here.
     */
    @Test
    void runReportsACrashADeadlockAndASoftLockupAsFindingsOfTheDriverAndGoesOn() throws Exception {
        Path save = dir.resolve("findings");
        Main.Run o = new Main.Run();
        new CommandLine(o).parseArgs("--variant", CRASH + "," + DEADLOCK, "--scenario", "two-jobs",
                "--plan", "dfs:1", "--budget", "6", "--time", "600", "--watchdog", "1", "--save", save.toString());
        List<Verdicts.Task> tasks = new java.util.ArrayList<>(Verdicts.explore(o, o.variants, o.scenarios));
        // a spin costs a worker and a watchdog budget per schedule: two schedules show it goes on
        Main.Run p = new Main.Run();
        new CommandLine(p).parseArgs("--variant", SPIN, "--scenario", "two-jobs", "--plan", "dfs:1", "--budget", "2",
                "--time", "600", "--watchdog", "1", "--save", save.toString());
        tasks.addAll(Verdicts.explore(p, p.variants, p.scenarios));
        Verdicts.Task crash = tasks.get(0), deadlock = tasks.get(1), spin = tasks.get(2);
        String seen = tasks.stream().map(t -> t.variant + ": " + t.found.stream().map(f -> f.finding().toString()).toList()
                + " problem " + t.problem + " schedules " + t.schedules + " crashes " + t.crashes).toList().toString();

        // a crash at every schedule: each is counted against the first, and the exploration went on
        // past main's old limit of 5 crashes per task
        Finding c = only(crash, Finding.Check.CRASH, seen);
        assertEquals("SIGSEGV", c.kind(), c.toString());
        assertEquals(SITE, c.site(), "the driver function it died in: " + c);
        assertTrue(c.text().contains("at " + SITE + " (ethosu_job.c:"), "its C frames, in the source: " + c);
        assertEquals(6, crash.crashes, seen);
        assertEquals(6, crash.schedules, "every schedule of the budget explored: " + seen);
        assertNull(crash.problem, seen);
        WorkerProtocol.Found first = crash.found.stream().filter(f -> f.finding().check() == Finding.Check.CRASH).findFirst().orElseThrow();
        assertEquals(1, first.index(), "the first crash, in the first schedule: " + seen);
        assertTrue(Schedule.read(Path.of(first.schedule())).size() > 50, "the crashed schedule, replayable: " + first.schedule());
        String report = Files.readString(Path.of(first.report()));
        assertTrue(report.contains("seen 6 times in this exploration, the last in schedule 6"), report);
        assertTrue(report.contains("its last decisions:"), report);

        // under control a deadlock is seen as it happens: every context left waits, none can run
        Finding d = only(deadlock, Finding.Check.DEADLOCK, seen);
        assertTrue(d.text().contains("waits forever"), d.toString());
        assertEquals(0, deadlock.crashes, seen);
        assertNull(deadlock.problem, seen);
        assertEquals(6, deadlock.schedules, seen);

        // a soft lockup: the spinning context, its C frames, the last point it reached
        Finding s = only(spin, Finding.Check.SOFT_LOCKUP, seen);
        assertEquals(SITE, s.site(), s.toString());
        assertTrue(s.text().startsWith("watchdog: BUG: soft lockup - stuck for "), s.toString());
        assertTrue(s.text().contains("[irq/ethosu]") && s.text().contains(SITE + " (ethosu_job.c:"), s.toString());
        assertTrue(s.text().contains("its last scheduling point: step "), s.toString());
        assertEquals(2, spin.schedules, "the exploration went on after the lockup, in a fresh worker: " + seen);
        assertNull(spin.problem, seen);
        String spinReport = Files.readString(Path.of(spin.found.get(0).report()));
        assertTrue(spinReport.contains("probes watched for 0.5 s"), "the minimiser's probes of a known lockup have "
                + "a shorter budget: " + spinReport);

        // what is left: each distinct finding's schedule, report and (for the crash) the JVM's log;
        // no flight or resume records, no scratch directory
        assertEquals(1, files(save, CRASH + "--*.hs_err.log").size(), files(save, "*").toString());
        assertEquals(List.of(), files(save, "*.rec"));
        assertEquals(List.of(), scratch());
    }

    private static Finding only(Verdicts.Task t, Finding.Check check, String seen) {
        return t.found.stream().map(WorkerProtocol.Found::finding).filter(f -> f.check() == check).findFirst()
                .orElseThrow(() -> new AssertionError("no [" + check.title + "] finding for " + t.variant + ": " + seen));
    }

    /** explore, then replay of the schedule it saved: the same finding from each command. */
    @Test
    void exploreAndReplayReportEachTestVariantsFinding() throws Exception {
        for (String v : List.of(CRASH, DEADLOCK, SPIN)) {
            Path save = dir.resolve(v);
            // two schedules for the crash: explore goes on past it (run's case pins the others going on)
            String budget = v.equals(CRASH) ? "2" : "1";
            CliRun e = CliRun.of("explore", "--variant", v, "--scenario", "two-jobs", "--budget", budget, "--time", "600",
                    "--watchdog", "0.5", "--no-minimize", "--save", save.toString());
            String what = v.equals(CRASH) ? "[no native crash] native crash: SIGSEGV"
                    : v.equals(DEADLOCK) ? "[no deadlock] " : "[no soft lockup] watchdog: BUG: soft lockup";
            assertEquals(Main.FINDINGS, e.status(), e.toString());
            assertTrue(e.out().contains(what), v + ": " + e);
            assertTrue(e.out().contains(": " + budget + " schedules in "), v + ": every schedule explored: " + e);

            Path schedule = files(save, v + "--two-jobs--*.schedule").stream()
                    .filter(p -> !p.toString().contains("outcome")).findFirst().orElseThrow();
            CliRun r = CliRun.of("replay", "--schedule", schedule.toString(), "--watchdog", "0.5");
            assertEquals(Main.FINDINGS, r.status(), r.toString());
            assertTrue(r.out().contains("finding: " + what), v + ": " + r);
            if (v.equals(CRASH))
                assertTrue(r.out().contains("the process running the replay died in replay 1, at step "), r.toString());
        }
        assertEquals(List.of(), scratch());
    }

    /**
     * stress (free-running): a crash is its variant's finding and the other variants go on; a
     * deadlock's contexts asleep in the driver are hung tasks; a spinning context a soft lockup.
     */
    @Test
    void stressReportsEachTestVariantAndTheOthersGoOn() {
        CliRun r = CliRun.of("stress", "--variant", CRASH + "," + DEADLOCK + "," + SPIN + ",locked", "--clients", "1",
                "--jobs", "3", "--normal", "--time-scale", "1", "--watchdog", "1");
        assertEquals(Main.FINDINGS, r.status(), r.toString());
        assertTrue(r.out().matches("(?s).*\ntest-crash +crashed .*"), r.toString());
        assertTrue(r.out().contains("NEW [no native crash] native crash: SIGSEGV"), r.toString());
        assertTrue(r.out().contains("during the stress run of test-crash (seed 1"), r.toString());
        assertTrue(r.out().contains("at " + SITE + " (ethosu_job.c:"), r.toString());
        assertTrue(r.out().contains("NEW [no deadlock] INFO: task irq/ethosu blocked for more than 1 seconds."), r.toString());
        assertTrue(r.out().contains("NEW [no soft lockup] watchdog: BUG: soft lockup - stuck for "), r.toString());
        assertTrue(r.out().matches("(?s).*\nlocked +3 .*"), "locked ran all its jobs after the others: " + r);
    }

    /**
     * check: a finding of the patched side that the other lacks is NEW, whatever kind it is. Its budget
     * deals dfs:0 (one schedule) into two parts: the second part's run that lays out its points (the
     * first part's schedule) crashes or locks up too, and that part goes on from the run's record to
     * the end of the bound, the finding the first part's alone.
     */
    @Test
    void checkReportsTheTestVariantsFindingsAsNew() {
        assertEquals(2, Verdicts.dfsParts(16));
        CliRun r = CliRun.of("check", "--before", "locked", "--after", CRASH, "--scenario", "two-jobs", "--plan", "dfs:0",
                "--budget", "16", "--time", "600", "--no-minimize", "--save", dir.resolve("c1").toString());
        assertEquals(Main.FINDINGS, r.status(), r.toString());
        assertTrue(r.out().contains("  NEW  [no native crash] native crash: SIGSEGV"), r.toString());
        assertTrue(r.out().contains("  " + CRASH + ": 1 schedules, DFS bound exhausted in 1 of 1 scenarios"), r.toString());
        assertFalse(r.out().contains("  problem: "), r.toString());
        CliRun s = CliRun.of("check", "--before", DEADLOCK, "--after", SPIN, "--scenario", "two-jobs", "--plan", "dfs:0",
                "--budget", "16", "--time", "600", "--watchdog", "0.5", "--no-minimize", "--save", dir.resolve("c2").toString());
        assertEquals(Main.FINDINGS, s.status(), s.toString());
        assertTrue(s.out().contains("  NEW  [no soft lockup] watchdog: BUG: soft lockup"), s.toString());
        assertTrue(s.out().contains("  GONE [no deadlock] "), s.toString());
        assertTrue(s.out().contains("  " + SPIN + ": 1 schedules, DFS bound exhausted in 1 of 1 scenarios"), s.toString());
        assertFalse(s.out().contains("  problem: "), s.toString());
    }

    @Test
    void theWatchdogOptionIsChecked() {
        for (String bad : List.of("0", "-1", "0.01", "3601", "soon", "NaN")) {
            CliRun r = CliRun.of("explore", "--variant", "locked", "--scenario", "two-jobs", "--watchdog", bad);
            assertTrue(r.isOneLineError(), bad + ": " + r);
            assertTrue(r.err().contains("--watchdog"), r.toString());
        }
    }
}
