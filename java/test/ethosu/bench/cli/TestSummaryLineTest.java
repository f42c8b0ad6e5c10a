// The last line of `make test` (tools/test-summary.sh) agrees with surefire when a test JVM
// crashes: a crashed test class counts as failed, never as "0 failed".
package ethosu.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class TestSummaryLineTest {
    @TempDir
    Path dir;

    String summary(String mavenLog, int status) throws Exception {
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Files.writeString(reports.resolve("TEST-a.xml"), "<?xml version=\"1.0\"?>\n<testsuite xmlns:xsi=\"x\" name=\"a\" "
                + "time=\"1\" tests=\"7\" errors=\"1\" skipped=\"1\" failures=\"0\">\n</testsuite>\n");
        Files.writeString(reports.resolve("TEST-b.xml"), "<testsuite name=\"b\" tests=\"3\" failures=\"1\" errors=\"0\" "
                + "skipped=\"0\">\n");
        Path log = Files.writeString(dir.resolve("maven.log"), mavenLog);
        Process p = new ProcessBuilder("sh", "tools/test-summary.sh", reports.toString(), log.toString(),
                Integer.toString(status)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void countsReportsOfBothAttributeOrders() throws Exception {
        assertEquals("tests: 7 passed, 2 failed, 1 skipped", summary("", 1));
    }

    @Test
    void aCrashedTestJvmCountsItsClassesAsFailed() throws Exception {
        String log = """
                [ERROR] The forked VM terminated without properly saying goodbye. VM crash or System.exit called?
                [ERROR] Process Exit Code: 134
                [ERROR] Crashed tests:
                [ERROR] ethosu.bench.control.ExplorationTest
                [ERROR] org.apache.maven.surefire.booter.SurefireBooterForkException: The forked VM terminated
                [ERROR] Crashed tests:
                [ERROR] ethosu.bench.control.ExplorationTest
                """;
        assertEquals("tests: 7 passed, 3 failed, 1 skipped (1 test class(es) crashed their JVM and count as failed: "
                + "ethosu.bench.control.ExplorationTest)", summary(log, 1));
    }

    @Test
    void mavenFailingOutsideTheTestsIsSaid() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("none"));
        Path log = Files.writeString(dir.resolve("m.log"), "[ERROR] COMPILATION ERROR\n");
        Process p = new ProcessBuilder("sh", "tools/test-summary.sh", empty.toString(), log.toString(), "1")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        assertEquals("tests: 0 passed, 0 failed, 0 skipped (maven failed before or outside the tests: see above)", out);
    }
}
