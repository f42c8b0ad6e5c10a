// The run's trace: kernel log lines and findings, each with device time and context, bounded.
package ethosu.bench.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

public final class Trace {
    public record Line(long timeNs, String context, String text) {
        @Override
        public String toString() {
            return String.format("[%10.6f] %-12s %s", timeNs / 1e9, context, text);
        }
    }

    private final int capacity;
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private long dropped;

    public Trace(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(long timeNs, String context, String text) {
        if (lines.size() == capacity) {
            lines.removeFirst();
            dropped++;
        }
        lines.addLast(new Line(timeNs, context, text));
    }

    public synchronized List<Line> lines() {
        return new ArrayList<>(lines);
    }

    public synchronized boolean contains(String text) {
        for (Line l : lines) if (l.text().contains(text)) return true;
        return false;
    }

    public synchronized long dropped() {
        return dropped;
    }
}
