// A sanitizer's report (AddressSanitizer, UBSan) worded as the kernel's own checkers word theirs:
// "BUG: KASAN: slab-out-of-bounds in ethosu_job_timedout", "UBSAN: shift-out-of-bounds in ...",
// with the access and the report's first frames, and no addresses (findings compare by text).
package ethosu.bench.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class SanitizerReport {
    private SanitizerReport() {}

    /** Frames kept in a finding: where it happened and the two calls that led there. */
    static final int FRAMES = 3;

    private static final Pattern ASAN = Pattern.compile("ERROR: AddressSanitizer: ([A-Za-z-]+)");
    private static final Pattern ACCESS = Pattern.compile("^(READ|WRITE) of size (\\d+)", Pattern.MULTILINE);
    private static final Pattern FRAME = Pattern.compile(
            "^\\s*#(\\d+) 0x[0-9a-f]+ +(?:in (\\S+)(?: (\\S+))?|\\((/[^()]+)\\+0x([0-9a-f]+)\\))", Pattern.MULTILINE);
    private static final Pattern REGION = Pattern.compile("is located (\\d+ bytes (?:to the right|to the left|inside) of "
            + "\\d+-byte region)");
    private static final Pattern UBSAN = Pattern.compile("(\\S+?):(\\d+):\\d+: runtime error: (.*)");

    /** ASan's names for what went wrong, as KASAN names them (the bench's memory is the kernel's slab). */
    private static final Map<String, String> KASAN = Map.of(
            "heap-buffer-overflow", "slab-out-of-bounds",
            "heap-use-after-free", "slab-use-after-free",
            "stack-buffer-overflow", "stack-out-of-bounds",
            "stack-buffer-underflow", "stack-out-of-bounds",
            "global-buffer-overflow", "global-out-of-bounds",
            "double-free", "double-free",
            "attempting", "invalid-free",
            "SEGV", "wild-memory-access");

    /**
     * Where a process's sanitizer reports go: log_path in ASAN_OPTIONS or UBSAN_OPTIONS, with the
     * process id appended by the runtime; null when they go to stderr.
     */
    public static java.nio.file.Path logFile(Map<String, String> env, long pid) {
        for (String var : List.of("ASAN_OPTIONS", "UBSAN_OPTIONS")) {
            String opts = env.get(var);
            if (opts == null) continue;
            for (String o : opts.split(":"))
                if (o.startsWith("log_path=") && o.length() > 9) return java.nio.file.Path.of(o.substring(9) + "." + pid);
        }
        return null;
    }

    /** True if the text holds a report of either sanitizer. */
    public static boolean isReport(String text) {
        return ASAN.matcher(text).find() || UBSAN.matcher(text).find();
    }

    /** The finding of one report (the last one if the text holds several); null if there is none. */
    public static Finding finding(String text, String context) {
        int asan = lastIndex(ASAN, text), ubsan = lastIndex(UBSAN, text);
        if (asan < 0 && ubsan < 0) return null;
        return asan > ubsan ? kasan(text.substring(asan), context) : ubsan(text.substring(ubsan), context);
    }

    /**
     * The finding of the report that ended a process, or null: the last report, if it is UBSan's
     * (built not to recover) or a fatal ASan one (which ends "ABORTING"); an ASan report the run
     * recovered from is a finding of its run already.
     */
    public static Finding fatalFinding(String log) {
        int asan = lastIndex(ASAN, log), ubsan = lastIndex(UBSAN, log);
        if (asan < 0 && ubsan < 0) return null;
        if (asan > ubsan && !log.substring(asan).contains("ABORTING")) return null;
        return finding(log, "");
    }

    private static int lastIndex(Pattern p, String text) {
        Matcher m = p.matcher(text);
        int at = -1;
        while (m.find()) at = m.start();
        return at;
    }

    private static Finding kasan(String report, String context) {
        Matcher m = ASAN.matcher(report);
        m.find();
        String kind = KASAN.getOrDefault(m.group(1), m.group(1));
        List<String> frames = frames(report);
        StringBuilder sb = new StringBuilder("BUG: KASAN: ").append(kind).append(" in ")
                .append(frames.isEmpty() ? "an unknown function" : function(frames.get(0)));
        Matcher a = ACCESS.matcher(report);
        String access = null;
        if (a.find()) {
            access = a.group(1).equals("READ") ? "Read" : "Write";
            sb.append(": ").append(access).append(" of size ").append(a.group(2));
        }
        Matcher r = REGION.matcher(report);
        if (r.find()) sb.append(", ").append(r.group(1));
        if (!frames.isEmpty()) sb.append("; at ").append(String.join(" < ", frames));
        // identity as syzbot titles KASAN reports: the kind, the access and the function
        return new Finding(Finding.Check.MEMORY_SAFETY, kind + (access == null ? "" : " " + access),
                frames.isEmpty() ? "" : function(frames.get(0)), List.of(), sb.toString(), context, -1);
    }

    private static Finding ubsan(String report, String context) {
        Matcher m = UBSAN.matcher(report);
        m.find();
        String where = basename(m.group(1)) + ":" + m.group(2), what = m.group(3).strip();
        List<String> frames = frames(report);
        String fn = frames.isEmpty() ? where : function(frames.get(0));
        // addresses differ from run to run; the kind and the type are what identify it
        what = what.replaceAll("0x[0-9a-f]+", "#");
        return new Finding(Finding.Check.UNDEFINED_BEHAVIOUR, ubsanKind(what), fn, List.of(), "UBSAN: " + ubsanKind(what)
                + " in " + fn + " (" + where + "): " + what + (frames.size() > 1 ? "; at " + String.join(" < ", frames) : ""),
                context, -1);
    }

    static String ubsanKind(String what) {
        if (what.contains("misaligned address")) return "misaligned-access";
        if (what.startsWith("shift exponent") || what.startsWith("left shift")) return "shift-out-of-bounds";
        if (what.startsWith("index ") && what.contains("out of bounds")) return "array-index-out-of-bounds";
        if (what.startsWith("signed integer overflow") || what.startsWith("negation of")) return "signed-integer-overflow";
        if (what.contains("null pointer")) return "null-ptr-deref";
        if (what.startsWith("load of value")) return "invalid-load";
        if (what.startsWith("division by zero")) return "division-by-zero";
        return "undefined-behaviour";
    }

    /** "ethosu_job_timedout ethosu_job.c:275" for the first frames that are the libraries' code. */
    static List<String> frames(String report) {
        List<String> out = new ArrayList<>();
        Matcher f = FRAME.matcher(report);
        int last = -1;
        while (f.find() && out.size() < FRAMES) {
            int n = Integer.parseInt(f.group(1));
            if (n <= last) break; // the next stack (allocation, free) starts
            last = n;
            String fn = f.group(2), file = f.group(3);
            if (fn == null) {
                // the runtime could not symbolize this frame (it happens for libraries loaded after its
                // first report): ask addr2line, once per address
                String[] s = symbolize(f.group(4), f.group(5));
                if (s == null) continue;
                fn = s[0];
                file = s[1];
            }
            if (fn.startsWith("__interceptor_") || fn.startsWith("__asan") || fn.startsWith("__ubsan")) continue;
            out.add(file == null || file.startsWith("(") ? fn : fn + " " + basename(file));
        }
        return out;
    }

    private static final Map<String, String[]> SYMBOLS = new java.util.concurrent.ConcurrentHashMap<>();

    /** {function, file:line} of an offset in a library, by addr2line; null if it cannot say. */
    static String[] symbolize(String library, String offset) {
        if (!library.endsWith(".so") || !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(library))) return null;
        String[] s = SYMBOLS.computeIfAbsent(library + "+" + offset, k -> {
            try {
                Process p = new ProcessBuilder("addr2line", "-f", "-e", library, "0x" + offset).redirectErrorStream(true).start();
                List<String> out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .lines().toList();
                p.waitFor();
                if (out.size() < 2 || out.get(0).equals("??")) return new String[0];
                return new String[] {out.get(0), out.get(1).replaceAll(" \\(discriminator \\d+\\)", "")};
            } catch (java.io.IOException e) {
                return new String[0];
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new String[0];
            }
        });
        return s.length == 0 ? null : s;
    }

    private static String function(String frame) {
        int sp = frame.indexOf(' ');
        return sp < 0 ? frame : frame.substring(0, sp);
    }

    private static String basename(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
