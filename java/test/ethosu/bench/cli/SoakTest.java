// soak: the same device lifecycle again and again in one worker process, sampled; each sample is the
// worker's own (memory, files, mappings, threads, the bench's files in /dev/shm and the temporary
// directory), and a driver that crashes ends the variant's soak as a finding, not the session.
package ethosu.bench.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SoakTest {
    @Test
    void samplesTheWorkerOverDeviceLifecycles() {
        CliRun r = CliRun.of("soak", "--variant", "locked", "--lifecycles", "30", "--every", "1");
        assertEquals(Main.OK, r.status(), r.toString());
        assertTrue(r.out().startsWith("locked: 30 device lifecycles\n"), r.toString());
        List<String> rows = r.out().lines().filter(l -> l.matches(" *\\d+ +\\d+ +\\d+ +\\d+ .*")).toList();
        assertTrue(rows.size() >= 2, "a first sample and a last: " + r);
        String[] first = rows.get(0).trim().split(" +"), last = rows.get(rows.size() - 1).trim().split(" +");
        assertEquals("0", first[1], "the first sample is before any run: " + r);
        assertEquals("30", last[1], "the last after every lifecycle: " + r);
        assertEquals("30", last[2], "one job each: " + r);
        assertTrue(Long.parseLong(last[4]) > 0 && Long.parseLong(last[7]) > 0 && Long.parseLong(last[9]) > 0,
                "RSS, fds and threads read from /proc: " + r);
        // /dev/shm and the temporary directory are counted for the whole machine (another process's
        // files show too): flat over a long soak is what docs/PERFORMANCE.md records, not asserted here
    }

    @Test
    void aCrashingDriverEndsItsSoakAsAFinding() {
        CliRun r = CliRun.of("soak", "--variant", ContainmentTest.CRASH, "--lifecycles", "5", "--every", "1");
        assertEquals(Main.FINDINGS, r.status(), r.toString());
        assertTrue(r.out().contains("the worker died: [no native crash] native crash: SIGSEGV"), r.toString());
        assertTrue(r.out().contains("during the soak of " + ContainmentTest.CRASH), r.toString());
    }
}
