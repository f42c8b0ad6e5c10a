// The patch intake on the project's own fixtures (built from native/variants/lockless.patch): a mail
// thread applies its first message's diff and never a quoted reply; a patch that does not apply
// names the file and hunk and leaves the tree as it was; subjects become variant names.
package ethosu.bench.patch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class PatchIntakeTest {
    static final Path LOCKLESS = Path.of("native/variants/lockless.patch");

    @TempDir
    Path tmp;

    /** A kernel-shaped tree of the in-tree copy, as the build makes one. */
    static Path inTreeCopy(Path dir) throws IOException {
        Path drv = Files.createDirectories(dir.resolve("drivers/accel/ethosu"));
        try (Stream<Path> s = Files.list(Path.of("native/driver"))) {
            for (Path f : s.toList()) Files.copy(f, drv.resolve(f.getFileName()));
        }
        Path uapi = Files.createDirectories(dir.resolve("include/uapi/drm"));
        Files.copy(Path.of("include/uapi/drm/ethosu_accel.h"), uapi.resolve("ethosu_accel.h"));
        return dir;
    }

    /** The diff part of a variant patch (from its first "diff --git" line). */
    static String diffOf(Path patch) throws IOException {
        String s = Files.readString(patch);
        return s.substring(s.indexOf("diff --git "), s.lastIndexOf("\n-- \n") + 1);
    }

    /** An mbox thread: the patch (format-patch style, encoded subject), a quoting reply, an unquoted reply. */
    static String mboxThread(String diff) {
        StringBuilder quoted = new StringBuilder();
        for (String l : diff.split("\n")) quoted.append("> ").append(l).append('\n');
        return "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n"
                + "From: A Developer <dev@example.org>\n"
                + "Subject: [PATCH v2 1/1] accel: ethosu: =?UTF-8?q?Drop=20job=5Flock?=\n"
                + "Date: Sat, 16 May 2026 14:40:00 +0000\n"
                + "\n"
                + "Publish in_flight_job with READ_ONCE/WRITE_ONCE instead.\n"
                + "\n"
                + "---\n"
                + diff
                + "-- \n2.54.0\n\n"
                + "From reviewer@example.org Mon May 18 06:46:00 2026\n"
                + "From: A Reviewer <rev@example.org>\n"
                + "Subject: Re: [PATCH v2 1/1] accel: ethosu: Drop job_lock\n"
                + "\n"
                + "On Sat, A Developer wrote:\n"
                + quoted.toString().replace("READ_ONCE(dev->in_flight_job)", "READ_ONCE(dev->other_job)")
                + "\nLooks fine, but consider:\n"
                + "-\tthis line is not a patch\n"
                + "+\tnor is this one\n";
    }

    static List<String> snapshot(Path tree) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(tree)) {
            for (Path p : s.sorted().toList())
                if (Files.isRegularFile(p)) out.add(tree.relativize(p) + "\n" + Files.readString(p));
        }
        return out;
    }

    @Test
    void mboxThreadAppliesItsFirstDiffAndNoQuotedReply() throws Exception {
        Path mbox = tmp.resolve("thread.mbox");
        Files.writeString(mbox, mboxThread(diffOf(LOCKLESS)));
        PatchIntake.Patch p = PatchIntake.read(mbox);
        assertEquals("accel: ethosu: Drop job_lock", p.subject());
        assertEquals("drop-job_lock", p.variantName());

        Path viaMail = inTreeCopy(tmp.resolve("a")), viaFile = inTreeCopy(tmp.resolve("b"));
        PatchIntake.Result r = PatchIntake.apply(p, viaMail, "the in-tree copy");
        assertTrue(r.applied(), "errors: " + r.errors());
        assertTrue(r.notes().isEmpty(), "the in-tree copy takes the patch without fuzz: " + r.notes());
        assertTrue(PatchIntake.apply(PatchIntake.read(LOCKLESS), viaFile, "the in-tree copy").applied());
        // the reply's altered quote and its -/+ lines changed nothing: the same tree as the patch file gives
        assertEquals(snapshot(viaFile), snapshot(viaMail));
        String job = Files.readString(viaMail.resolve("drivers/accel/ethosu/ethosu_job.c"));
        assertTrue(job.contains("job = READ_ONCE(dev->in_flight_job);"), "the patch's own lines");
        assertFalse(job.contains("other_job") || job.contains("this line is not a patch"), "a reply's lines were applied");
    }

    @Test
    void patchThatDoesNotApplyNamesFileAndHunkAndChangesNothing() throws Exception {
        // the third hunk of ethosu_job.c (the IRQ thread body) removes a line the tree does not have
        String diff = diffOf(LOCKLESS).replace("-\t\t\tdev->in_flight_job = NULL;\n", "-\t\t\tdev->in_flight_job = NULL; /* x */\n");
        Path bad = tmp.resolve("bad.patch");
        Files.writeString(bad, "Subject: [PATCH] accel: ethosu: a stale patch\n\n" + diff);
        Path tree = inTreeCopy(tmp.resolve("t"));
        List<String> before = snapshot(tree);

        PatchIntake.Result r = PatchIntake.apply(PatchIntake.read(bad), tree, "the in-tree copy");
        assertFalse(r.applied());
        assertEquals(1, r.errors().size(), "one line per failing hunk: " + r.errors());
        String e = r.errors().get(0);
        assertTrue(e.contains("drivers/accel/ethosu/ethosu_job.c") && e.contains("hunk #3")
                && e.contains("ethosu_job_handle_irq") && e.contains("does not apply to the in-tree copy"), e);
        assertFalse(e.contains("\n"), e);
        // the hunks of ethosu_device.h and the other hunks of ethosu_job.c did apply to the staging copy: none reached the tree
        assertEquals(before, snapshot(tree));
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(x -> x.getFileName().toString().startsWith(".stage-")), "a staging copy was left");
        }
    }

    @Test
    void notADiffIsOneLineNamingTheFile() throws Exception {
        Path f = tmp.resolve("notes.txt");
        Files.writeString(f, "Subject: thoughts\n\n> --- a/x.c\n> +++ b/x.c\n> @@ -1 +1 @@\nno diff here\n");
        var e = assertThrows(PatchIntake.PatchFormatException.class, () -> PatchIntake.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("expected a unified diff"), e.getMessage());
    }

    @Test
    void truncatedHunkNamesTheLine() throws Exception {
        String diff = diffOf(LOCKLESS);
        Path f = tmp.resolve("cut.patch");
        Files.writeString(f, diff.substring(0, diff.indexOf("-\tscoped_guard(mutex, &dev->job_lock) {")));
        var e = assertThrows(PatchIntake.PatchFormatException.class, () -> PatchIntake.read(f));
        assertTrue(e.getMessage().matches(".*cut\\.patch:\\d+: hunk '@@ .*' ends early: expected \\d+ old and \\d+ new line\\(s\\) more"),
                e.getMessage());
    }

    @Test
    void publicInboxPageGivesTitleAsSubjectAndStopsAtPermalink() throws Exception {
        String diff = diffOf(LOCKLESS);
        String page = "Public inbox for list@example.org\n help / color / mirror / Atom feed\n"
                + "* [PATCH] accel: ethosu: Remove redundant job_lock\n"
                + "@ 2026-05-16 14:40 A Developer\n\n"
                + "From: A Developer @ 2026-05-16 14:40 UTC (permalink / raw)\n\nWhy it is safe.\n\n---\n"
                + diff + "-- \n2.54.0\n\n\n^ permalink raw reply related\t[flat|nested] 2+ messages in thread\n\n"
                + "* Re: [PATCH] accel: ethosu: Remove redundant job_lock\n"
                + "From: A Reviewer @ 2026-05-18 (permalink / raw)\n\n```c\n-\tstruct mutex job_lock;\n```\n";
        Path f = tmp.resolve("thread.txt");
        Files.writeString(f, page);
        PatchIntake.Patch p = PatchIntake.read(f);
        assertEquals("accel: ethosu: Remove redundant job_lock", p.subject());
        assertEquals("remove-redundant-job_lock", p.variantName());
        assertEquals(PatchIntake.read(LOCKLESS).normalised(), p.normalised());
    }

    @Test
    void inTreePathsMapToTheTreeAndOtherFilesAreSkippedWithANote() throws Exception {
        String diff = diffOf(LOCKLESS).replace("a/drivers/accel/ethosu/", "a/native/driver/")
                .replace("b/drivers/accel/ethosu/", "b/native/driver/");
        String doc = "diff --git a/Documentation/accel/ethosu.rst b/Documentation/accel/ethosu.rst\n"
                + "--- a/Documentation/accel/ethosu.rst\n+++ b/Documentation/accel/ethosu.rst\n@@ -1 +1 @@\n-old\n+new\n";
        Path f = tmp.resolve("mixed.diff");
        Files.writeString(f, diff + doc);
        Path tree = inTreeCopy(tmp.resolve("t"));
        PatchIntake.Result r = PatchIntake.apply(PatchIntake.read(f), tree, "the in-tree copy");
        assertTrue(r.applied(), r.errors().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("Documentation/accel/ethosu.rst")
                && n.contains("not part of what the bench builds")), r.notes().toString());
        assertEquals("mixed", PatchIntake.read(f).subject(), "a plain diff is named after its file");
    }
}
