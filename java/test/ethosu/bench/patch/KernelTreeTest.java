// KERNEL_DIR and PATCH through make, on kernel-shaped trees made from the in-tree copy: such a tree
// builds and replays the baseline exactly as `locked` does; trees sit side by side under their own
// names; a changed tree is rebuilt; a patch that does not apply builds nothing.
package ethosu.bench.patch;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.Runs;
import ethosu.bench.kernel.RunResult;
import ethosu.bench.report.TraceText;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.strategy.Replay;
import ethosu.bench.report.Baseline;
import ethosu.bench.scenario.Catalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class KernelTreeTest {
    /** A build directory of its own: the tests' trees never join the variants of build/. */
    @TempDir
    static Path tmp;
    static Path build;

    record Make(int status, String output) {
        String lastLine() {
            String[] l = output.strip().split("\n");
            return l[l.length - 1].strip();
        }
    }

    static Make make(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("make", "-j2", "--no-print-directory", "BUILD=" + build));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "make did not finish: " + cmd);
        return new Make(p.exitValue(), out);
    }

    @BeforeAll
    static void buildDir() throws IOException {
        build = Files.createDirectories(tmp.resolve("build"));
    }

    /** Replays a schedule on a library; returns the trace followed by the findings. */
    static List<String> replay(EthosuLibrary lib, Path schedule, String scenario) throws Exception {
        Replay r = new Replay(Schedule.read(schedule));
        r.nextSchedule();
        RunResult run = Runs.run(lib, Catalog.get(scenario), r).result();
        assertEquals(RunResult.End.ENDED, run.end(), "replay did not end: " + schedule);
        List<String> out = new ArrayList<>(TraceText.lines(run.trace(), run.names()));
        run.findings().forEach(f -> out.add("finding: " + f));
        if (r.divergence() != null) out.add("divergence: " + r.divergence());
        return out;
    }

    static String scheduleVariant(Path schedule) throws IOException {
        for (String l : Files.readAllLines(schedule))
            if (l.startsWith("# variant:")) return l.substring(l.indexOf(':') + 1).strip();
        throw new AssertionError(schedule + " has no variant header");
    }

    @Test
    void kernelShapedTreeOfTheInTreeCopyReplaysTheBaselineAsLockedDoes() throws Exception {
        Path tree = PatchIntakeTest.inTreeCopy(tmp.resolve("linux-a"));
        Make m = make("tree", "KERNEL_DIR=" + tree);
        assertEquals(0, m.status(), m.output());
        String name = m.lastLine();
        assertTrue(name.matches("tree-[0-9a-f]{8}"), "a tree outside git is named after a hash of its files: " + name);
        assertEquals("kernel tree " + tree.toAbsolutePath() + " (" + name + ")",
                Files.readString(build.resolve(name).resolve("origin")).strip());

        EthosuLibrary mainline = EthosuLibrary.load(build.resolve(name).resolve("libethosu.so"));
        EthosuLibrary locked = EthosuLibrary.load("locked");
        assertEquals(name, mainline.variant, "the library reports the tree's name");
        Baseline baseline = Baseline.load(Path.of("baseline/known-findings.txt"));
        int replayed = 0;
        for (Baseline.Entry e : baseline.entries()) {
            if (e.schedule() == null) continue;
            Path s = Path.of(e.schedule());
            if (!scheduleVariant(s).equals("locked")) continue;
            assertEquals(replay(locked, s, e.scenario()), replay(mainline, s, e.scenario()),
                    e.id() + ": the tree's replay differs from locked's (schedule " + s + ")");
            replayed++;
        }
        assertTrue(replayed >= 4, "the baseline has the driver's own schedules: " + replayed);
    }

    @Test
    void treesSitSideBySideAndAChangedTreeIsRebuilt() throws Exception {
        Path a = PatchIntakeTest.inTreeCopy(tmp.resolve("linux-b")), b = PatchIntakeTest.inTreeCopy(tmp.resolve("linux-c"));
        Path job = b.resolve("drivers/accel/ethosu/ethosu_job.c");
        Files.writeString(job, Files.readString(job).replace("#define JOB_TIMEOUT_MS 500", "#define JOB_TIMEOUT_MS 250"));
        Make ma = make("tree", "KERNEL_DIR=" + a), mb = make("tree", "KERNEL_DIR=" + b);
        assertEquals(0, ma.status(), ma.output());
        assertEquals(0, mb.status(), mb.output());
        assertNotEquals(ma.lastLine(), mb.lastLine(), "two trees, two variants");
        assertTrue(Files.isRegularFile(build.resolve(ma.lastLine()).resolve("libethosu.so")), "the first tree's library stays");
        assertTrue(mb.output().contains("CC"), "the second tree was compiled: " + mb.output());

        // the same tree again: nothing to do
        Make again = make("tree", "KERNEL_DIR=" + a);
        assertEquals(ma.lastLine(), again.lastLine());
        assertFalse(again.output().contains("CC "), "an unchanged tree was rebuilt: " + again.output());

        // the tree changes: a new state, built; the old state of that tree goes
        Path aj = a.resolve("drivers/accel/ethosu/ethosu_job.c");
        Files.writeString(aj, Files.readString(aj).replace("#define JOB_TIMEOUT_MS 500", "#define JOB_TIMEOUT_MS 400"));
        Make changed = make("tree", "KERNEL_DIR=" + a);
        assertEquals(0, changed.status(), changed.output());
        assertNotEquals(ma.lastLine(), changed.lastLine());
        assertTrue(Files.isRegularFile(build.resolve(changed.lastLine()).resolve("libethosu.so")));
        assertTrue(Files.readString(build.resolve(changed.lastLine()).resolve("src/drivers/accel/ethosu/ethosu_job.c"))
                .contains("JOB_TIMEOUT_MS 400"), "built from the changed file");
        assertFalse(Files.exists(build.resolve(ma.lastLine())), "the older state of the same tree is left behind");
        assertTrue(Files.exists(build.resolve(mb.lastLine()).resolve("libethosu.so")), "another tree was removed");
    }

    @Test
    void patchThatDoesNotApplyBuildsNothing() throws Exception {
        Path tree = PatchIntakeTest.inTreeCopy(tmp.resolve("linux-d"));
        String diff = PatchIntakeTest.diffOf(PatchIntakeTest.LOCKLESS).replace("-\tstruct mutex job_lock;\n", "-\tstruct mutex job_lock2;\n");
        Path bad = tmp.resolve("stale.patch");
        Files.writeString(bad, "Subject: [PATCH] accel: ethosu: stale\n\n" + diff);
        Make m = make("tree", "KERNEL_DIR=" + tree, "PATCH=" + bad);
        assertNotEquals(0, m.status(), m.output());
        assertTrue(m.output().contains("drivers/accel/ethosu/ethosu_device.h: hunk #1"), m.output());
        assertTrue(m.output().contains("not applied"), m.output());
        try (var s = Files.list(build)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith("+stale")), "a half-made variant was left");
        }
        // the same patch, fixed, applies to the tree and builds under the tree's name and the subject's
        Files.writeString(bad, "Subject: [PATCH] accel: ethosu: stale\n\n" + PatchIntakeTest.diffOf(PatchIntakeTest.LOCKLESS));
        Make ok = make("tree", "KERNEL_DIR=" + tree, "PATCH=" + bad);
        assertEquals(0, ok.status(), ok.output());
        assertTrue(ok.lastLine().matches("tree-[0-9a-f]{8}\\+stale"), ok.lastLine());
        assertTrue(Files.isRegularFile(build.resolve(ok.lastLine()).resolve("libethosu.so")));

        // the job_lock removal under another name: its findings are the lockless entries' by what they are
        EthosuLibrary renamed = EthosuLibrary.load(build.resolve(ok.lastLine()).resolve("libethosu.so"));
        Baseline baseline = Baseline.load(Path.of("baseline/known-findings.txt"));
        int matched = 0;
        for (Baseline.Entry e : baseline.entries()) {
            if (e.schedule() == null || !scheduleVariant(Path.of(e.schedule())).equals("lockless")) continue;
            Replay r = new Replay(Schedule.read(Path.of(e.schedule())));
            r.nextSchedule();
            RunResult run = Runs.run(renamed, Catalog.get(e.scenario()), r).result();
            assertTrue(run.findings().stream().anyMatch(f -> baseline.match(ok.lastLine(), f) == e),
                    e.id() + " on " + ok.lastLine() + ": " + run.findings());
            for (var f : run.findings())
                assertNotNull(baseline.match(ok.lastLine(), f), "NEW on " + ok.lastLine() + ": " + f + " (" + e.schedule() + ")");
            matched++;
        }
        assertEquals(4, matched, "the lockless entries with schedules");
    }
}
