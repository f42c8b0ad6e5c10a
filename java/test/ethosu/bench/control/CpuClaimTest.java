// Explorations started together take different CPUs: a claim skips the CPUs other claims hold, in
// this process or another, shares one only when every CPU is taken, and a CPU comes back when its
// claim closes or its process ends. Lock files in a directory of the test's own; no timing.
package ethosu.bench.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CpuClaimTest {
    static final int[] CPUS = {0, 1};

    @Test
    void claimsInOneProcessTakeDifferentCpusAndGiveThemBack(@TempDir Path dir) {
        try (CpuPinning.Claim a = CpuPinning.claim(dir, CPUS); CpuPinning.Claim b = CpuPinning.claim(dir, CPUS)) {
            assertTrue(a.exclusive() && b.exclusive());
            assertNotEquals(a.cpu, b.cpu, "two claims on one CPU");
            try (CpuPinning.Claim c = CpuPinning.claim(dir, CPUS)) {
                assertFalse(c.exclusive(), "a third claim on two CPUs shares one");
                assertTrue(c.cpu == 0 || c.cpu == 1);
            }
            a.close();
            try (CpuPinning.Claim d = CpuPinning.claim(dir, CPUS)) {
                assertTrue(d.exclusive());
                assertEquals(a.cpu, d.cpu, "a closed claim's CPU is free again");
            }
        }
    }

    /** Holds a claim in its own process until its stdin closes; prints the CPU. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            CpuPinning.Claim c = CpuPinning.claim(Path.of(args[0]), CPUS);
            System.out.println(c.cpu + " " + c.exclusive());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the claim
            }
        }
    }

    @Test
    void aCpuClaimedByAnotherProcessIsSkippedUntilThatProcessEnds(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Holder.class.getName(), dir.toString())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int theirs;
        try {
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertNotNull(line, "the holder process said nothing");
            assertTrue(line.endsWith(" true"), line);
            theirs = Integer.parseInt(line.split(" ")[0]);
            try (CpuPinning.Claim mine = CpuPinning.claim(dir, CPUS)) {
                assertTrue(mine.exclusive());
                assertNotEquals(theirs, mine.cpu, "this process took the CPU the other holds");
            }
            try (CpuPinning.Claim a = CpuPinning.claim(dir, CPUS); CpuPinning.Claim b = CpuPinning.claim(dir, CPUS)) {
                assertTrue(a.exclusive());
                assertFalse(b.exclusive(), "with the other process holding one CPU, two claims here share");
            }
        } finally {
            p.getOutputStream().close();
            p.waitFor();
        }
        // the holder ended (its locks went with it): its CPU is free
        try (CpuPinning.Claim a = CpuPinning.claim(dir, CPUS); CpuPinning.Claim b = CpuPinning.claim(dir, CPUS)) {
            assertTrue(a.exclusive() && b.exclusive());
            assertTrue(a.cpu == theirs || b.cpu == theirs);
        }
    }
}
