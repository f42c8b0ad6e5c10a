// How a worker process died: the signal that killed it and the C frames it died in, read from the
// JVM's error log (hs_err, whose native frames the libraries' frame pointers make whole) and placed
// in the source by addr2line; else the exit status alone.
package ethosu.bench.cli;

import ethosu.bench.bindings.NativeFrames;
import ethosu.bench.check.Finding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * @param signal   "SIGSEGV", "SIGBUS", ...; "exit N" when no signal is known
 * @param function the C function of the crash: the innermost in the driver's code, else the
 *                 crashing frame's ("drm_sched_entity_is_ready"); "" if unknown
 * @param frame    the crashing frame as hs_err prints it ("[libethosu.so+0xb100]  drm_sched_entity_is_ready+0x0")
 * @param frames   the C frames, innermost first, placed in the source where addr2line can
 */
record Crash(String signal, String function, String frame, List<String> frames) {
    /** "#  SIGSEGV (0xb) at pc=0x00007f..., pid=123, tid=456" */
    private static final Pattern SIGNAL = Pattern.compile("^#\\s+(SIG[A-Z0-9]+) \\(0x[0-9a-f]+\\)(?: at pc=0x([0-9a-f]+))?");
    /** "# C  [libethosu.so+0xb100]  drm_sched_entity_is_ready+0x0" */
    private static final Pattern C_FRAME = Pattern.compile("^# C\\s+(\\[[^]]*\\])\\s*(\\w*)");
    /** "C  [libethosu.so+0x545e]  ethosu_job_irq_handler_thread+0xae" under "Native frames:" */
    private static final Pattern NATIVE = Pattern.compile("^C\\s+\\[([^]+]+)\\+0x([0-9a-f]+)\\]\\s*(\\w*)");
    /** "7fc1fc009000-7fc1fc018000 r-xp 00005000 fe:00 5357593   /path/libethosu.so" */
    private static final Pattern MAP = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) \\S+ \\S+ \\S+ \\S+\\s+(/\\S+)$");

    /** Linux signal numbers, for a process that died without an hs_err (killed from outside). */
    private static final List<String> SIGNALS = List.of("", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
            "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM");

    /** C frames a finding shows. */
    private static final int FRAMES = 6;

    /** The crash of a worker whose JVM error log would be hsErr, that exited with exitValue. */
    static Crash of(Path hsErr, int exitValue) {
        return of(hsErr, exitValue, null);
    }

    /**
     * As above; library: the variant library the worker ran when it died (several may be loaded),
     * or null to find it by the crashing pc in the log's memory map.
     */
    static Crash of(Path hsErr, int exitValue, Path library) {
        String signal = null, function = "", frame = "";
        List<String> frames = List.of();
        if (Files.isRegularFile(hsErr)) {
            try {
                List<String> lines = Files.readAllLines(hsErr);
                long pc = 0;
                for (String l : lines) {
                    Matcher s = SIGNAL.matcher(l), c = C_FRAME.matcher(l);
                    if (signal == null && s.find()) {
                        signal = s.group(1);
                        if (s.group(2) != null) pc = Long.parseUnsignedLong(s.group(2), 16);
                    }
                    if (frame.isEmpty() && c.find()) {
                        frame = l.substring(l.indexOf('[')).strip();
                        function = c.group(2);
                    }
                }
                String lib = library != null ? library.toString() : mappedAt(lines, pc);
                List<NativeFrames.Frame> fs = nativeFrames(lines, lib);
                if (!fs.isEmpty()) {
                    List<NativeFrames.Frame> shown = NativeFrames.shown(fs, FRAMES);
                    if (shown.isEmpty()) shown = fs.subList(0, Math.min(FRAMES, fs.size()));
                    frames = shown.stream().map(NativeFrames.Frame::toString).toList();
                    for (NativeFrames.Frame f : shown)
                        if (f.driver() && f.function() != null) {
                            function = f.function();
                            break;
                        }
                }
            } catch (IOException | RuntimeException e) {
                // fall back on what was read, or on the exit status
            }
        }
        if (signal == null) {
            int sig = exitValue > 128 ? exitValue - 128 : 0;
            signal = sig > 0 && sig < SIGNALS.size() ? SIGNALS.get(sig) : "exit " + exitValue;
        }
        return new Crash(signal, function, frame, frames);
    }

    /** The file mapped at pc in the log's memory map, or null. */
    private static String mappedAt(List<String> lines, long pc) {
        for (String l : lines) {
            Matcher m = MAP.matcher(l);
            if (!m.find()) continue;
            long a = Long.parseUnsignedLong(m.group(1), 16), b = Long.parseUnsignedLong(m.group(2), 16);
            if (Long.compareUnsigned(pc, a) >= 0 && Long.compareUnsigned(pc, b) < 0) return m.group(3);
        }
        return null;
    }

    /** The log's C frames, those of the variant library placed in its source (inlined calls included). */
    private static List<NativeFrames.Frame> nativeFrames(List<String> lines, String library) {
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("Native frames:")).findFirst().orElse(""));
        if (at < 0) return List.of();
        List<NativeFrames.Frame> out = new ArrayList<>();
        for (int i = at + 1; i < lines.size(); i++) {
            Matcher m = NATIVE.matcher(lines.get(i));
            if (!m.find()) {
                if (lines.get(i).isBlank() || lines.get(i).startsWith("Java frames")) break;
                continue;
            }
            long off = Long.parseUnsignedLong(m.group(2), 16);
            // past the first, a frame's address is its call's return address: look up the call
            if (!out.isEmpty()) off--;
            String lib = m.group(1);
            if (library != null && lib.equals(Path.of(library).getFileName().toString()))
                out.addAll(NativeFrames.symbolize(library, new long[] {off}, new String[] {m.group(3)}));
            else
                out.add(new NativeFrames.Frame(m.group(3).isEmpty() ? null : m.group(3), null, 0, false, lib, off));
        }
        return out;
    }

    /** The finding a crash in schedule index is. */
    Finding finding(long index) {
        String text = "native crash: " + signal + (frame.isEmpty() ? "" : " in " + frame) + " in schedule " + index
                + (frames.isEmpty() ? "" : "; at " + String.join(" < ", frames));
        return new Finding(Finding.Check.CRASH, signal, function, List.of(), text, "", -1);
    }

    /** The finding of a crash outside any schedule (free-running: the seed and variant reproduce it). */
    Finding finding(String where) {
        String text = "native crash: " + signal + (frame.isEmpty() ? "" : " in " + frame) + " " + where
                + (frames.isEmpty() ? "" : "; at " + String.join(" < ", frames));
        return new Finding(Finding.Check.CRASH, signal, function, List.of(), text, "", -1);
    }

    @Override
    public String toString() {
        return signal + (frame.isEmpty() ? "" : " in " + frame);
    }
}
