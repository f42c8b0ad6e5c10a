// How a worker process died: the signal that killed it and the C function it died in, read from the
// JVM's error log (hs_err) when it wrote one, else from the exit status.
package ethosu.bench.cli;

import ethosu.bench.check.Finding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * @param signal   "SIGSEGV", "SIGBUS", ...; "exit N" when no signal is known
 * @param function the C function of the crashing frame ("drm_sched_entity_is_ready"), "" if unknown
 * @param frame    the frame as hs_err prints it ("[libethosu.so+0xb100]  drm_sched_entity_is_ready+0x0")
 */
record Crash(String signal, String function, String frame) {
    /** "#  SIGSEGV (0xb) at pc=0x00007f..., pid=123, tid=456" */
    private static final Pattern SIGNAL = Pattern.compile("^#\\s+(SIG[A-Z0-9]+) \\(0x[0-9a-f]+\\)");
    /** "# C  [libethosu.so+0xb100]  drm_sched_entity_is_ready+0x0" */
    private static final Pattern C_FRAME = Pattern.compile("^# C\\s+(\\[[^]]*\\])\\s*(\\w*)");

    /** Linux signal numbers, for a process that died without an hs_err (killed from outside). */
    private static final List<String> SIGNALS = List.of("", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
            "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM");

    /** The crash of a worker whose JVM error log would be hsErr, that exited with exitValue. */
    static Crash of(Path hsErr, int exitValue) {
        String signal = null, function = "", frame = "";
        if (Files.isRegularFile(hsErr)) {
            try {
                for (String l : Files.readAllLines(hsErr)) {
                    Matcher s = SIGNAL.matcher(l), c = C_FRAME.matcher(l);
                    if (signal == null && s.find()) signal = s.group(1);
                    if (frame.isEmpty() && c.find()) {
                        frame = l.substring(l.indexOf('[')).strip();
                        function = c.group(2);
                    }
                }
            } catch (IOException e) {
                // fall back on the exit status
            }
        }
        if (signal == null) {
            int sig = exitValue > 128 ? exitValue - 128 : 0;
            signal = sig > 0 && sig < SIGNALS.size() ? SIGNALS.get(sig) : "exit " + exitValue;
        }
        return new Crash(signal, function, frame);
    }

    /** The finding a crash in schedule index is. */
    Finding finding(long index) {
        String text = "native crash: " + signal + (frame.isEmpty() ? "" : " in " + frame) + " in schedule " + index;
        return new Finding(Finding.Check.CRASH, signal, function, List.of(), text, "", -1);
    }

    @Override
    public String toString() {
        return signal + (frame.isEmpty() ? "" : " in " + frame);
    }
}
