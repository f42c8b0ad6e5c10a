// A native crash is a finding with its schedule, never a dead run: the worker that died is replaced,
// the crash names the signal the JVM's error log reports and the C function it died in, and the
// exploration goes on after the crashed schedule.
package ethosu.bench.cli;

import ethosu.bench.check.Finding;
import ethosu.bench.control.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CrashTest {
    @TempDir
    Path tmp;

    /**
     * mutant-irq-thread-unchecked dereferences in_flight_job without testing it: an IRQ thread
     * overtaken by the timeout handler finds NULL (within the first 400 schedules of dfs:1 on hang-reset-next;
     * under the v7.2 shims dfs:1 on two-jobs no longer reaches it early).
     */
    @Test
    void aNativeCrashIsAFindingWithItsSignalAndItsScheduleAndTheRunGoesOn() throws Exception {
        Main.Run o = new Main.Run();
        new CommandLine(o).parseArgs("--variant", "mutant-irq-thread-unchecked", "--scenario", "hang-reset-next",
                "--plan", "dfs:1", "--budget", "400", "--jobs", "1", "--no-minimize", "--save", tmp.toString());
        Verdicts.Task t = Verdicts.explore(o, o.variants, o.scenarios).get(0);
        List<WorkerProtocol.Found> crashes = t.found.stream()
                .filter(f -> f.finding().check() == Finding.Check.CRASH).toList();
        String seen = t.found.stream().map(f -> f.finding().toString()).toList() + "; problem: " + t.problem;
        assertFalse(crashes.isEmpty(), "no crash in " + t.schedules + " schedules: " + seen);
        Finding f = crashes.get(0).finding();
        assertEquals("SIGSEGV", f.kind(), f.toString());
        assertTrue(f.site().startsWith("ethosu_job_"), "the driver function it died in: " + f.site());
        assertTrue(f.text().startsWith("native crash: SIGSEGV in [libethosu.so+0x"), f.text());
        // its schedule, as the flight recorder kept it: replayable under gdb (make gdb)
        Path schedule = Path.of(crashes.get(0).schedule());
        assertTrue(Schedule.read(schedule).size() > 50, "the crashed schedule's decisions: " + schedule);
        assertTrue(Files.readString(schedule).contains("# identity: CRASH/SIGSEGV at " + f.site()));
        assertTrue(Files.readString(Path.of(crashes.get(0).report())).contains("its last decisions:"));
        // the exploration went on past the crash
        assertTrue(t.schedules > crashes.get(0).index(), "explored " + t.schedules + " schedules; crashed in "
                + crashes.get(0).index() + "; " + seen);
    }

    @Test
    void aCrashWithoutAnErrorLogIsNamedByItsExitStatus() throws Exception {
        Crash killed = Crash.of(tmp.resolve("none.log"), 137);
        assertEquals("SIGKILL", killed.signal());
        assertEquals("", killed.function());
        assertEquals("exit 3", Crash.of(tmp.resolve("none.log"), 3).signal());

        Path log = Files.writeString(tmp.resolve("hs_err.log"), """
                #
                # A fatal error has been detected by the Java Runtime Environment:
                #
                #  SIGBUS (0x7) at pc=0x00007f1335d3b3e7, pid=1992, tid=2058
                #
                # Problematic frame:
                # C  [libethosu.so+0x53e7]  drm_sched_entity_is_ready+0x17
                """);
        Crash c = Crash.of(log, 134);
        assertEquals("SIGBUS", c.signal(), "the signal hs_err names, not the SIGABRT the JVM exits with");
        assertEquals("drm_sched_entity_is_ready", c.function());
        assertEquals("[libethosu.so+0x53e7]  drm_sched_entity_is_ready+0x17", c.frame());
    }
}
