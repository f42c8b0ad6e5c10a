// `make gdb` in batch mode stops at the scheduling step asked, on the thread of the context the
// schedule chose there (named whole), and shows the driver line that context is paused at.
package ethosu.bench.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class GdbTest {
    static final Path SCHEDULE = Path.of("baseline/lockless-irq-thread-signals-freed-job.schedule");

    static boolean gdbPresent() {
        try {
            Process p = new ProcessBuilder("gdb", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void makeGdbStopsAtTheStepAskedOnTheChosenContext() throws Exception {
        Assumptions.assumeTrue(gdbPresent(), "gdb is not installed");
        // the step where the IRQ thread reads in_flight_job before timedout_job overtakes it
        String line = Files.readAllLines(SCHEDULE).stream().filter(l -> l.matches("\\d+\tirq/ethosu\tREAD_ONCE.*"))
                .findFirst().orElseThrow();
        int step = Integer.parseInt(line.split("\t")[0]);
        List<String> cmd = List.of("make", "--no-print-directory", "gdb", "GDB_DEPS=",
                "GDB_CP=" + System.getProperty("java.class.path"), "GDB_BATCH=info threads",
                "ARGS=--schedule " + SCHEDULE + " --break-step " + step);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "make gdb did not finish");
        assertTrue(out.contains("Thread") && out.contains("\"irq/ethosu\" hit Breakpoint 1, ebench_break_step (step=" + step + ","),
                "did not stop at step " + step + " on irq/ethosu:\n" + out);
        assertTrue(out.contains("label=") && out.contains("\"READ_ONCE(dev->in_flight_job)\""), out);
        // ctxbt: the context's own C frames, down to the driver's line
        assertTrue(out.matches("(?s).*Line \\d+ of \"[^\"]*lockless/src/drivers/accel/ethosu/ethosu_job.c\".*"), out);
        // every context thread is named whole
        for (String ctx : List.of("\"submit_wq\"", "\"timeout_wq\"", "\"irq/ethosu\"", "\"hardirq\"", "\"client-0\""))
            assertTrue(out.contains(ctx), ctx + " missing from info threads:\n" + out);
        assertEquals(1, out.split("hit Breakpoint", -1).length - 1, "stopped once:\n" + out);
    }

    static String makeGdb(String args) throws Exception {
        List<String> cmd = List.of("make", "--no-print-directory", "gdb", "GDB_DEPS=",
                "GDB_CP=" + System.getProperty("java.class.path"), "GDB_BATCH=info threads", "ARGS=" + args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "make gdb did not finish");
        assertNotEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void makeGdbRefusesABadStepOrFunctionInOneLineBeforeGdbStarts() throws Exception {
        Assumptions.assumeTrue(gdbPresent(), "gdb is not installed");
        String out = makeGdb("--schedule " + SCHEDULE + " --break-step 99999");
        assertTrue(out.lines().anyMatch(l -> l.startsWith("ethosu-bench replay: --break-step 99999: expected a step from 0 to ")),
                out);
        assertFalse(out.contains("Breakpoint"), "gdb ran:\n" + out);
        out = makeGdb("--schedule " + SCHEDULE + " --break-step 3 --break ethosu_job_timedot");
        assertTrue(out.lines().anyMatch(l -> l.startsWith("make gdb: --break ethosu_job_timedot: expected a C function or "
                + "FILE:LINE of ") && l.endsWith("(gdb: Function \"ethosu_job_timedot\" not defined.)")), out);
        assertFalse(out.contains("Breakpoint"), "gdb ran:\n" + out);
        out = makeGdb("--schedule " + SCHEDULE + " --break 'x;shell'");
        assertTrue(out.lines().anyMatch(l -> l.startsWith("make gdb: --break")), out);
        out = makeGdb("--schedule " + SCHEDULE + " --break-step");
        assertTrue(out.contains("make gdb: --break-step: expected a value after it"), out);
    }
}
