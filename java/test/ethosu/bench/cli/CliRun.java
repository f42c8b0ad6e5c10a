// Runs one command line in this JVM with stdout and stderr captured: what a person would see.
package ethosu.bench.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

record CliRun(int status, String out, String err) {
    interface Command {
        int run() throws Exception;
    }

    static CliRun of(String... args) {
        return capture(() -> Main.execute(args));
    }

    static synchronized CliRun capture(Command c) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = c.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    List<String> errLines() {
        return Arrays.stream(err.split("\n")).filter(l -> !l.isBlank()).toList();
    }

    /** Bad input: exit status 2, one line on stderr, no trace, no bug label. */
    boolean isOneLineError() {
        return status == Main.BAD_INPUT && errLines().size() == 1 && !err.contains("ethosu-bench bug")
                && errLines().stream().noneMatch(l -> l.matches("\\s+at .*"));
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stderr:\n" + err + "--- stdout:\n" + out;
    }
}
