// Patch intake: takes a plain diff, `git format-patch` output, an mbox or a public-inbox thread,
// finds the patch (the first message with a diff; quoted replies are never applied), maps its paths
// onto a kernel-shaped tree and applies it there all or nothing. JDK only: the Makefile runs it
// before Maven has built anything (java PatchIntake.java name|subject|extract|apply ...).
package ethosu.bench.patch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class PatchIntake {
    /** The driver's directory in a kernel tree; the bench builds the same layout for its own copy. */
    public static final String DRIVER_DIR = "drivers/accel/ethosu/";
    public static final String UAPI_HEADER = "include/uapi/drm/ethosu_accel.h";
    /** The in-tree copy's directory in this repository (native/variants/*.patch may use it). */
    public static final String IN_TREE_DIR = "native/driver/";

    /** A patch file that is not a patch: file, line, what was expected. */
    public static final class PatchFormatException extends IllegalArgumentException {
        public PatchFormatException(String file, int line, String what) {
            super(file + (line > 0 ? ":" + line : "") + ": " + what);
        }
    }

    /** One hunk: its header line as written and its line in the input. */
    public record Hunk(String header, int line) {}

    /**
     * The changes to one file. target: the path in a kernel-shaped tree, or null when the file is
     * outside what the bench builds (then skip says why).
     */
    public record FileDiff(String oldPath, String newPath, String target, boolean created, boolean deleted,
                           List<String> lines, List<Hunk> hunks, int line, String skip) {}

    /** A patch as read: where it came from, its subject and its file diffs. */
    public record Patch(String source, String subject, List<FileDiff> files) {
        /** The variant name a patch gets: its subject without tags and subsystem prefixes, as a slug. */
        public String variantName() {
            return slug(subject);
        }

        /** The file diffs that apply to the tree, as one unified diff with tree paths (patch -p1). */
        public String normalised() {
            StringBuilder sb = new StringBuilder();
            for (FileDiff f : files) {
                if (f.target() == null) continue;
                for (String l : f.lines()) sb.append(l).append('\n');
            }
            return sb.toString();
        }
    }

    /** What applying did: fuzz and skipped files (notes), or why nothing was applied (errors). */
    public record Result(boolean applied, List<String> notes, List<String> errors) {}

    private PatchIntake() {}

    // ------------------------------------------------------------------ reading

    public static Patch read(Path file) throws IOException {
        return parse(file.toString(), decode(Files.readAllBytes(file)));
    }

    /** UTF-8, else Latin-1 (an mbox may hold either); line ends normalised. */
    static String decode(byte[] bytes) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            s = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return s.replace("\r\n", "\n");
    }

    private static final Pattern MBOX_FROM = Pattern.compile(
            "^From \\S+\\s+\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d( [+-]\\d{4})? \\d{4}\\s*$");
    private static final Pattern INBOX_END = Pattern.compile("^\\^ permalink raw reply.*");
    private static final Pattern INBOX_TITLE = Pattern.compile("^\\* (\\S.*)$");
    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");

    public static Patch parse(String file, String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int start = firstDiff(lines, 0, lines.size());
        if (start < 0)
            throw new PatchFormatException(file, 0, "expected a unified diff (a 'diff --git' or '--- a/' + '+++ b/' "
                    + "line, outside quoted replies); found none");
        int msgStart = messageStart(lines, start);
        int msgEnd = messageEnd(lines, start);
        List<String> headers = headers(lines, msgStart, start);
        String subject = subject(lines, headers, msgStart, start, file);

        // a quoted-printable or base64 body is decoded before its diff is read
        String cte = header(headers, "Content-Transfer-Encoding");
        int offset = 0;
        if (cte != null && !cte.isBlank() && !cte.matches("(?i)\\s*(7bit|8bit|binary)\\s*")) {
            int bodyStart = bodyStart(lines, msgStart, start);
            List<String> body = decodeBody(cte.strip().toLowerCase(Locale.ROOT), lines.subList(bodyStart, msgEnd), file,
                    bodyStart + 1);
            lines = body;
            offset = bodyStart;
            start = firstDiff(lines, 0, lines.size());
            msgEnd = lines.size();
            if (start < 0)
                throw new PatchFormatException(file, bodyStart + 1, "expected a diff in the " + cte.strip() + " body");
        }
        List<FileDiff> files = readDiff(file, lines, start, msgEnd, offset);
        return new Patch(file, subject, files);
    }

    /** The first line that starts a diff, outside quoted text; -1 if none. */
    static int firstDiff(List<String> lines, int from, int to) {
        for (int i = from; i < to; i++) {
            String l = lines.get(i);
            if (l.startsWith("diff --git ")) return i;
            if (l.startsWith("--- ") && i + 2 < to && lines.get(i + 1).startsWith("+++ ")
                    && HUNK.matcher(lines.get(i + 2)).matches())
                return i;
        }
        return -1;
    }

    private static boolean startsMessage(String l) {
        return MBOX_FROM.matcher(l).matches();
    }

    /** The first line of the message holding line i (mbox "From " line, public-inbox title, or 0). */
    static int messageStart(List<String> lines, int i) {
        for (int k = i; k >= 0; k--) {
            String l = lines.get(k);
            if (startsMessage(l)) return k;
            if (INBOX_END.matcher(l).matches()) return k + 1;
        }
        return 0;
    }

    /** One past the last line of the message holding line i. */
    static int messageEnd(List<String> lines, int i) {
        for (int k = i + 1; k < lines.size(); k++) {
            String l = lines.get(k);
            if (startsMessage(l) || INBOX_END.matcher(l).matches()) return k;
        }
        return lines.size();
    }

    /** Mail headers of the message (with folded lines joined), when it starts with some. */
    static List<String> headers(List<String> lines, int msgStart, int limit) {
        List<String> out = new ArrayList<>();
        int k = msgStart;
        if (k < limit && startsMessage(lines.get(k))) k++;
        for (; k < limit; k++) {
            String l = lines.get(k);
            if (l.isEmpty()) break;
            if ((l.startsWith(" ") || l.startsWith("\t")) && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + " " + l.strip());
            } else if (l.matches("^[A-Za-z][A-Za-z0-9-]*:.*")) {
                out.add(l);
            } else if (out.isEmpty()) {
                // not a mail message: a public-inbox page or a plain diff
                return out;
            }
        }
        return out;
    }

    static int bodyStart(List<String> lines, int msgStart, int limit) {
        for (int k = msgStart; k < limit; k++) if (lines.get(k).isEmpty()) return k + 1;
        return msgStart;
    }

    static String header(List<String> headers, String name) {
        for (String h : headers)
            if (h.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                return h.substring(name.length() + 1).strip();
        return null;
    }

    /** The message's Subject header, else the public-inbox title of the message, else the file name. */
    static String subject(List<String> lines, List<String> headers, int msgStart, int diffStart, String file) {
        String s = header(headers, "Subject");
        if (s == null) {
            for (int k = msgStart; k < diffStart; k++) {
                Matcher m = INBOX_TITLE.matcher(lines.get(k));
                // a public-inbox page gives each message a "* title" line at its top
                if (m.matches() && k < msgStart + 5) {
                    s = m.group(1);
                    break;
                }
            }
        }
        if (s == null) {
            for (int k = 0; k < diffStart; k++) {
                String l = lines.get(k);
                int p = l.indexOf("[PATCH");
                if (p >= 0 && !l.startsWith(">")) {
                    s = l.substring(p);
                    break;
                }
            }
        }
        if (s == null) {
            String name = Path.of(file).getFileName().toString();
            name = name.replaceFirst("\\.(patch|diff|mbox|eml|txt)$", "").replaceFirst("^\\d{4}-", "");
            s = name.replace('-', ' ');
        }
        return cleanSubject(decodeWords(s));
    }

    /** "Re: [PATCH v2 1/3] accel: ethosu: Remove x" -> "accel: ethosu: Remove x". */
    static String cleanSubject(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        for (String prev = null; !t.equals(prev); ) {
            prev = t;
            t = t.replaceFirst("^(?i)(re|fwd?):\\s*", "").replaceFirst("^\\[[^]]*\\]\\s*", "");
        }
        return t;
    }

    /** A variant name from a subject: tags and "subsystem: " prefixes dropped, lower case, dashes. */
    public static String slug(String subject) {
        String t = cleanSubject(subject);
        for (String prev = null; !t.equals(prev); ) {
            prev = t;
            String stripped = t.replaceFirst("^[A-Za-z0-9_./-]+:\\s+", "");
            if (!stripped.isBlank()) t = stripped;
        }
        t = t.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (t.length() > 48) {
            t = t.substring(0, 48);
            int dash = t.lastIndexOf('-');
            if (dash > 16) t = t.substring(0, dash);
        }
        return t.isEmpty() ? "patch" : t;
    }

    /** RFC 2047 encoded words in a header (=?UTF-8?q?...?= and =?UTF-8?b?...?=). */
    static String decodeWords(String s) {
        Matcher m = Pattern.compile("=\\?([^?]+)\\?([qQbB])\\?([^?]*)\\?=").matcher(s);
        StringBuilder sb = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String between = s.substring(last, m.start());
            // whitespace between two encoded words is not part of the text
            if (!(last > 0 && between.isBlank())) sb.append(between);
            byte[] raw;
            if (m.group(2).equalsIgnoreCase("b")) {
                raw = Base64.getMimeDecoder().decode(m.group(3));
            } else {
                raw = qp(m.group(3).replace('_', ' '));
            }
            try {
                sb.append(new String(raw, m.group(1)));
            } catch (java.io.UnsupportedEncodingException e) {
                sb.append(new String(raw, StandardCharsets.ISO_8859_1));
            }
            last = m.end();
        }
        sb.append(s.substring(last));
        return sb.toString();
    }

    private static byte[] qp(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '=' && i + 2 < b.length
                    && Character.digit(b[i + 1], 16) >= 0 && Character.digit(b[i + 2], 16) >= 0) {
                out.write(Character.digit(b[i + 1], 16) * 16 + Character.digit(b[i + 2], 16));
                i += 2;
            } else {
                out.write(b[i]);
            }
        }
        return out.toByteArray();
    }

    static List<String> decodeBody(String cte, List<String> body, String file, int line) {
        byte[] bytes;
        if (cte.equals("quoted-printable")) {
            StringBuilder joined = new StringBuilder();
            for (String l : body) {
                if (l.endsWith("=")) joined.append(l, 0, l.length() - 1);
                else joined.append(l).append('\n');
            }
            bytes = qp(new String(joined.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        } else if (cte.equals("base64")) {
            try {
                bytes = Base64.getMimeDecoder().decode(String.join("", body).strip());
            } catch (IllegalArgumentException e) {
                throw new PatchFormatException(file, line, "expected a base64 body: " + e.getMessage());
            }
        } else {
            throw new PatchFormatException(file, line, "expected Content-Transfer-Encoding 7bit, 8bit, "
                    + "quoted-printable or base64, got " + cte);
        }
        return List.of(decode(bytes).split("\n", -1));
    }

    private static final Pattern GIT_HEADER = Pattern.compile("^diff --git (\\S+) (\\S+)\\s*$");
    private static final Pattern GIT_EXTENDED = Pattern.compile(
            "^(index |old mode |new mode |deleted file mode |new file mode |similarity index |dissimilarity index "
                    + "|rename from |rename to |copy from |copy to ).*");

    /** Reads file diffs from start until a line that cannot continue the diff (a signature, a reply). */
    static List<FileDiff> readDiff(String file, List<String> lines, int start, int end, int offset) {
        List<FileDiff> out = new ArrayList<>();
        int i = start;
        while (i < end) {
            String l = lines.get(i);
            int fileLine = offset + i + 1;
            String gitA = null, gitB = null;
            List<String> ext = new ArrayList<>();
            boolean created = false, deleted = false;
            if (l.startsWith("diff --git ")) {
                Matcher m = GIT_HEADER.matcher(l);
                if (!m.matches())
                    throw new PatchFormatException(file, fileLine, "expected 'diff --git a/<path> b/<path>', got '" + l + "'");
                gitA = m.group(1);
                gitB = m.group(2);
                i++;
                while (i < end && GIT_EXTENDED.matcher(lines.get(i)).matches()) {
                    String x = lines.get(i);
                    if (x.startsWith("new file mode")) created = true;
                    if (x.startsWith("deleted file mode")) deleted = true;
                    if (!x.startsWith("index ")) ext.add(x);
                    i++;
                }
                if (i < end && lines.get(i).startsWith("Binary files") || i < end && lines.get(i).startsWith("GIT binary patch"))
                    throw new PatchFormatException(file, offset + i + 1, "a binary diff: expected text hunks");
                if (i >= end || !lines.get(i).startsWith("--- ")) {
                    // a mode change or a pure rename: nothing the bench compiles changes
                    continue;
                }
            } else if (!(l.startsWith("--- ") && i + 1 < end && lines.get(i + 1).startsWith("+++ "))) {
                break;
            }
            String oldPath = pathOf(lines.get(i).substring(4)), newPath = pathOf(lines.get(i + 1).substring(4));
            if (oldPath.equals("/dev/null")) created = true;
            if (newPath.equals("/dev/null")) deleted = true;
            String logical = stripPrefix(deleted ? oldPath : newPath, gitB != null || gitA != null);
            i += 2;
            List<Hunk> hunks = new ArrayList<>();
            List<String> body = new ArrayList<>();
            while (i < end) {
                Matcher h = HUNK.matcher(lines.get(i));
                if (!h.matches()) break;
                int hunkLine = offset + i + 1;
                int oldLeft = h.group(2) == null ? 1 : Integer.parseInt(h.group(2));
                int newLeft = h.group(4) == null ? 1 : Integer.parseInt(h.group(4));
                hunks.add(new Hunk(lines.get(i), hunkLine));
                body.add(lines.get(i));
                i++;
                while (oldLeft > 0 || newLeft > 0) {
                    if (i >= end)
                        throw new PatchFormatException(file, hunkLine, "hunk '" + lines.get(hunkLine - offset - 1)
                                + "' ends early: expected " + oldLeft + " old and " + newLeft + " new line(s) more");
                    String b = lines.get(i);
                    char c = b.isEmpty() ? ' ' : b.charAt(0);
                    switch (c) {
                        case ' ' -> { oldLeft--; newLeft--; body.add(b.isEmpty() ? " " : b); }
                        case '-' -> { oldLeft--; body.add(b); }
                        case '+' -> { newLeft--; body.add(b); }
                        case '\\' -> body.add(b);
                        default -> throw new PatchFormatException(file, offset + i + 1, "expected a hunk line (' ', '-', "
                                + "'+'), got '" + b + "': the hunk '" + lines.get(hunkLine - offset - 1) + "' has "
                                + oldLeft + " old and " + newLeft + " new line(s) left");
                    }
                    if (oldLeft < 0 || newLeft < 0)
                        throw new PatchFormatException(file, offset + i + 1, "hunk '" + lines.get(hunkLine - offset - 1)
                                + "' has more lines than its header counts");
                    i++;
                }
                if (i < end && lines.get(i).startsWith("\\")) body.add(lines.get(i++));
            }
            if (hunks.isEmpty())
                throw new PatchFormatException(file, fileLine, "expected '@@ -l,n +l,n @@' after the header of " + logical);
            String target = target(logical);
            String skip = target == null ? "outside " + DRIVER_DIR + " and " + UAPI_HEADER + ": not part of what the bench builds"
                    : null;
            List<String> norm = new ArrayList<>();
            if (target != null) {
                norm.add("diff --git a/" + target + " b/" + target);
                for (String x : ext) if (!x.startsWith("rename") && !x.startsWith("copy") && !x.startsWith("similarity")
                        && !x.startsWith("dissimilarity")) norm.add(x);
                norm.add("--- " + (created ? "/dev/null" : "a/" + target));
                norm.add("+++ " + (deleted ? "/dev/null" : "b/" + target));
                norm.addAll(body);
            }
            out.add(new FileDiff(oldPath, newPath, target, created, deleted, norm, hunks, fileLine, skip));
        }
        if (out.isEmpty())
            throw new PatchFormatException(file, offset + start + 1, "expected file diffs with hunks after this line");
        return out;
    }

    /** "a/drivers/x.c\t2026-01-01 ..." -> "a/drivers/x.c". */
    private static String pathOf(String s) {
        int tab = s.indexOf('\t');
        String p = (tab >= 0 ? s.substring(0, tab) : s).strip();
        if (p.startsWith("\"") && p.endsWith("\"") && p.length() > 1) p = p.substring(1, p.length() - 1);
        return p;
    }

    /** git's a/ and b/ prefixes (and those of diff -u run from a directory above) dropped. */
    private static String stripPrefix(String p, boolean git) {
        if (p.startsWith("a/") || p.startsWith("b/")) return p.substring(2);
        if (!git) {
            // "linux/drivers/accel/ethosu/x.c", "ethosu-bench/native/driver/x.c": the known part decides
            int k = p.indexOf(DRIVER_DIR);
            if (k > 0) return p.substring(k);
            k = p.indexOf(IN_TREE_DIR);
            if (k > 0) return p.substring(k);
            k = p.indexOf(UAPI_HEADER);
            if (k > 0) return p.substring(k);
        }
        return p;
    }

    /** Where a patched path lives in a kernel-shaped tree; null if the bench does not build it. */
    public static String target(String path) {
        if (path.startsWith(DRIVER_DIR)) return path;
        if (path.startsWith(IN_TREE_DIR)) return DRIVER_DIR + path.substring(IN_TREE_DIR.length());
        if (path.equals(UAPI_HEADER)) return path;
        if (!path.contains("/") && path.startsWith("ethosu_")) return DRIVER_DIR + path;
        return null;
    }

    /** Files of the driver the bench does not compile: its glue stands in for them. */
    public static boolean standIn(String target) {
        String name = target.substring(target.lastIndexOf('/') + 1);
        return name.equals("ethosu_drv.c") || name.equals("ethosu_gem.c") || name.equals("Makefile")
                || name.equals("Kconfig");
    }

    // ------------------------------------------------------------------ applying

    private static final Pattern PATCHING = Pattern.compile("^(?:patching|checking) file '?([^']+)'?\\s*$");
    private static final Pattern FAILED = Pattern.compile("^Hunk #(\\d+) FAILED at (\\d+).*");
    private static final Pattern FUZZ = Pattern.compile("^Hunk #(\\d+) succeeded at (\\d+) with fuzz (\\d+)(?: \\(offset (-?\\d+) lines?\\))?.*");

    /**
     * Applies the patch to a kernel-shaped tree (drivers/accel/ethosu/, include/uapi/drm/): to a copy
     * first, which replaces the tree only when every hunk applied. treeName is what messages call it.
     */
    public static Result apply(Patch p, Path tree, String treeName) throws IOException {
        List<String> notes = new ArrayList<>(), errors = new ArrayList<>();
        List<FileDiff> applied = new ArrayList<>();
        for (FileDiff f : p.files()) {
            if (f.target() == null) {
                notes.add("skipped " + display(f) + ": " + f.skip());
                continue;
            }
            boolean exists = Files.exists(tree.resolve(f.target()));
            if (standIn(f.target()) && !exists) {
                notes.add("skipped " + f.target() + ": " + treeName + " has no such file (the bench's glue stands in for it)");
                continue;
            }
            if (!f.created() && !exists) {
                errors.add(p.source() + ": " + f.target() + ": " + treeName + " has no such file (line " + f.line()
                        + " of the patch)");
                continue;
            }
            if (standIn(f.target()))
                notes.add(f.target() + " is patched but not compiled: the bench's glue stands in for it");
            applied.add(f);
        }
        if (!errors.isEmpty()) return new Result(false, notes, errors);
        if (applied.isEmpty()) {
            errors.add(p.source() + ": nothing in the patch touches " + DRIVER_DIR + " or " + UAPI_HEADER);
            return new Result(false, notes, errors);
        }
        StringBuilder diff = new StringBuilder();
        for (FileDiff f : applied) for (String l : f.lines()) diff.append(l).append('\n');

        Path parent = tree.toAbsolutePath().getParent();
        Path stage = Files.createTempDirectory(parent, ".stage-");
        Path diffFile = Files.createTempFile(parent, ".patch-", ".diff");
        try {
            copyTree(tree, stage);
            Files.writeString(diffFile, diff.toString());
            ProcessBuilder pb = new ProcessBuilder("patch", "-p1", "--batch", "--forward", "--no-backup-if-mismatch",
                    "--reject-file=-", "-d", stage.toString(), "-i", diffFile.toString());
            pb.environment().put("LC_ALL", "C");
            pb.redirectErrorStream(true);
            Process proc;
            try {
                proc = pb.start();
            } catch (IOException e) {
                errors.add("cannot run GNU patch (" + e.getMessage() + "): install it (e.g. apt-get install patch)");
                return new Result(false, notes, errors);
            }
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc;
            try {
                rc = proc.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            String current = null;
            for (String l : out.split("\n")) {
                Matcher m;
                if ((m = PATCHING.matcher(l)).matches()) {
                    current = m.group(1);
                } else if ((m = FAILED.matcher(l)).matches()) {
                    errors.add(p.source() + ": " + current + ": hunk #" + m.group(1) + " "
                            + hunkHeader(applied, current, Integer.parseInt(m.group(1)))
                            + " does not apply to " + treeName + " (tried at line " + m.group(2) + ")");
                } else if ((m = FUZZ.matcher(l)).matches()) {
                    notes.add(current + ": hunk #" + m.group(1) + " " + hunkHeader(applied, current, Integer.parseInt(m.group(1)))
                            + " applied with fuzz " + m.group(3) + " at line " + m.group(2));
                } else if (l.startsWith("Reversed (or previously applied) patch detected")) {
                    errors.add(p.source() + ": " + current + ": already applied to " + treeName + " (or reversed)");
                } else if (l.contains("malformed patch") || l.startsWith("patch: ****")) {
                    errors.add(p.source() + ": " + l.replaceFirst("^patch: \\*\\*\\*\\* ", "GNU patch: "));
                }
            }
            if (rc != 0 && errors.isEmpty())
                errors.add(p.source() + ": GNU patch failed (exit " + rc + "): " + out.strip().replace('\n', ' '));
            if (!errors.isEmpty()) return new Result(false, notes, errors);
            // every hunk applied: the staged copy becomes the tree
            deleteTree(tree);
            Files.move(stage, tree, StandardCopyOption.ATOMIC_MOVE);
            return new Result(true, notes, errors);
        } finally {
            Files.deleteIfExists(diffFile);
            if (Files.exists(stage)) deleteTree(stage);
        }
    }

    private static String display(FileDiff f) {
        return f.deleted() ? f.oldPath() : f.newPath();
    }

    private static String hunkHeader(List<FileDiff> files, String target, int n) {
        for (FileDiff f : files) {
            if (f.target().equals(target) && n >= 1 && n <= f.hunks().size()) {
                Hunk h = f.hunks().get(n - 1);
                return "at patch line " + h.line() + " \"" + h.header().strip() + "\"";
            }
        }
        return "";
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    // ------------------------------------------------------------------ command line

    /**
     * name FILE: the variant name; subject FILE: the subject; extract FILE: the diff with tree paths;
     * apply FILE TREE [NAME]: apply to the tree, all or nothing. Errors: one line each, exit 1.
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: PatchIntake name|subject|extract FILE | apply FILE TREE [TREE-NAME]");
            System.exit(2);
        }
        try {
            Patch p = read(Path.of(args[1]));
            switch (args[0]) {
                case "name" -> System.out.println(p.variantName());
                case "subject" -> System.out.println(p.subject());
                case "extract" -> System.out.print(p.normalised());
                case "apply" -> {
                    if (args.length < 3) throw new IllegalArgumentException("apply needs FILE and TREE");
                    Result r = apply(p, Path.of(args[2]), args.length > 3 ? args[3] : args[2]);
                    for (String n : r.notes()) System.out.println("  PATCH   " + n);
                    for (String e : r.errors()) System.err.println(e);
                    if (!r.applied()) {
                        System.err.println(args[1] + ": not applied; " + (args.length > 3 ? args[3] : args[2]) + " is unchanged");
                        System.exit(1);
                    }
                }
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "': expected name, subject, extract or apply");
            }
        } catch (java.nio.file.NoSuchFileException e) {
            System.err.println(e.getFile() + ": no such file: PATCH= takes a diff, a git format-patch file, an mbox or a public-inbox thread");
            System.exit(1);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
