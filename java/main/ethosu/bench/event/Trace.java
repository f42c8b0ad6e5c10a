// The events of one run in order, each stamped with the decision step and kernel time it happened at.
// Bounded: a long free-running run keeps its latest entries and counts what it dropped. Reports,
// checks and exports read it; nothing re-parses text.
package ethosu.bench.event;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Thread-safe: the contexts of a free-running device append concurrently. */
public final class Trace {
    /**
     * @param index position in the whole run (dropped entries included): findings point at it
     * @param step  the decision step it happened at (controlled platform; 0 when free-running)
     * @param time  kernel time in ns
     */
    public record Entry(long index, int step, long time, Event event) {}

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long next;

    public Trace(int capacity) {
        this.capacity = capacity;
    }

    /** Appends an event; returns its index. */
    public synchronized long add(int step, long time, Event e) {
        if (entries.size() == capacity) entries.removeFirst();
        Entry en = new Entry(next++, step, time, e);
        entries.addLast(en);
        return en.index();
    }

    /** The index the next event will get: where a finding raised now points. */
    public synchronized long next() {
        return next;
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public synchronized long dropped() {
        return next - entries.size();
    }

    public synchronized boolean any(Predicate<Event> p) {
        for (Entry e : entries) if (p.test(e.event())) return true;
        return false;
    }

    /** True if a kernel log line contains text. */
    public boolean logged(String text) {
        return any(e -> e instanceof Printk p && p.text().contains(text));
    }
}
