// The progress line is for terminals only: under a test (output piped, as in CI and `make run | tee`)
// nothing is drawn, and a command run with its output piped prints no carriage return.
package ethosu.bench.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ProgressTest {
    @Test
    void offWhenOutputIsNotATerminal() {
        assertFalse(Progress.onTerminal(), "the test JVM's output is a pipe, not a terminal");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try (Progress p = Progress.forConsole()) {
            assertFalse(p.enabled());
            p.update(100, "of 1000", 2, 0.5, 3);
        } finally {
            System.setOut(old);
        }
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void drawnInPlaceAndClearedWhenItIsOn() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Progress p = Progress.to(new PrintStream(buf, true, StandardCharsets.UTF_8))) {
            p.update(100, "(task 1 of 4 done)", 2, 0.5, 3);
        }
        String s = buf.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("\r100 schedules (task 1 of 4 done), "), s);
        assertTrue(s.contains(", 2 findings, ") && s.contains("; bound ~50% exhausted, ~3 s left"), s);
        assertTrue(s.endsWith("\r"), "closing clears the line: " + s);
    }

    @Test
    void aPipedCommandPrintsNoProgress() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dethosu.build=" + System.getProperty("ethosu.build"), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "query", "--variant", "locked", "--scenario", "two-jobs", "--plan", "dfs:0",
                "--cpu", "-1", "--save", "target/progress-test", "never run_job on client"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertFalse(out.contains("\r"), "no progress line in piped output:\n" + out);
        assertTrue(out.contains("holds: none up to bound 0 (exhausted)"), out);
    }
}
