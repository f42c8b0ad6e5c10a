// The live line of long commands (schedules explored, rate, bound or budget, findings, time left),
// redrawn in place on a terminal and never written anywhere else: piped output and CI logs stay clean.
package ethosu.bench.cli;

import java.io.Console;
import java.io.PrintStream;

final class Progress implements AutoCloseable {
    /** Redraws at most this often: a terminal needs no more, and each redraw is a write. */
    private static final long PERIOD_NS = 200_000_000L;

    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private long lastDraw;
    private int drawnWidth;

    private Progress(PrintStream out) {
        this.out = out;
    }

    /** True when the JVM's standard input and output are a terminal (Console.isTerminal). */
    static boolean onTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** A progress line on standard output if it is a terminal; otherwise one that draws nothing. */
    static Progress forConsole() {
        return new Progress(onTerminal() ? System.out : null);
    }

    /** A progress line drawn on out, or nowhere when out is null (tests). */
    static Progress to(PrintStream out) {
        return new Progress(out);
    }

    boolean enabled() {
        return out != null;
    }

    double seconds() {
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Redraws the line, at most every 200 ms.
     *
     * @param schedules  explored so far
     * @param of         what they are out of ("of 12000 at most", "task 3 of 18"), or null
     * @param findings   distinct findings so far
     * @param dfsDone    the running bounded search's estimated share done (0..1), or -1
     * @param dfsSeconds seconds that search has run, for its time left
     */
    synchronized void update(long schedules, String of, long findings, double dfsDone, double dfsSeconds) {
        if (out == null) return;
        long now = System.nanoTime();
        if (now - lastDraw < PERIOD_NS) return;
        lastDraw = now;
        double s = seconds();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%d schedules", schedules));
        if (of != null) sb.append(' ').append(of);
        sb.append(String.format(", %.0f/s, %d finding%s, %.0f s", s > 0 ? schedules / s : 0, findings,
                findings == 1 ? "" : "s", s));
        if (dfsDone > 0.01 && dfsDone < 1)
            sb.append(String.format("; bound ~%.0f%% exhausted, ~%.0f s left", dfsDone * 100,
                    dfsSeconds * (1 - dfsDone) / dfsDone));
        draw(sb.toString());
    }

    private void draw(String line) {
        int pad = Math.max(0, drawnWidth - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        drawnWidth = line.length();
    }

    /** Clears the line, so what follows prints from the start of an empty line. */
    @Override
    public synchronized void close() {
        if (out == null || drawnWidth == 0) return;
        out.print("\r" + " ".repeat(drawnWidth) + "\r");
        out.flush();
        drawnWidth = 0;
    }
}
