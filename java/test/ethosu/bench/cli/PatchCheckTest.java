// `check` on the job_lock removal (the lockless variant, whose patch is the project's own): its
// findings are reported as new, the use after free first, and the exit status says so; the negative
// control (a reordering inside job_lock) gets "no new finding" and exit 0.
package ethosu.bench.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class PatchCheckTest {
    record Run(int status, String out) {}

    static Run check(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = new CommandLine(new Main()).execute(args);
        } finally {
            System.setOut(old);
        }
        return new Run(rc, buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void locklessChangeReportsItsFindingsAsNew() {
        Run r = check("check", "--before", "locked", "--after", "lockless", "--patch", "native/variants/lockless.patch",
                "--scenario", "two-jobs", "--plan", "pct:3", "--budget", "150", "--jobs", "1",
                "--save", "target/check-test");
        String[] lines = r.out().split("\n");
        assertEquals(1, r.status(), "the patch adds findings: exit 1\n" + r.out());
        assertTrue(lines[0].contains("drop job_lock"), "the subject first: " + lines[0]);
        assertTrue(lines[1].startsWith("verdict: the patch adds") && lines[1].contains("[no use after free]")
                && lines[1].contains("use-after-free"), "the use after free in the first lines:\n" + r.out());
        assertTrue(r.out().contains("  NEW  [no use after free]"), r.out());
        assertTrue(r.out().contains("replay: make replay ARGS=\"--schedule target/check-test/lockless--two-jobs--"), r.out());
        assertFalse(r.out().contains("  GONE "), "locked's own findings are lockless's too:\n" + r.out());
    }

    @Test
    void negativeControlGetsNoNewFinding() {
        Run r = check("check", "--before", "locked", "--after", "control-kick-then-publish-locked",
                // the bound is what must be exhausted on both sides, not a time: a busy machine gets time enough
                "--scenario", "two-jobs", "--plan", "dfs:1", "--budget", "400", "--time", "600", "--jobs", "1",
                "--save", "target/check-test");
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().split("\n")[1].startsWith("verdict: no new finding"), r.out());
    }
}
