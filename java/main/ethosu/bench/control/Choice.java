// One thing the controller can do at a scheduling point: let a context run, let the device take
// its next step, or advance virtual time to the next deadline. Its label is rendered only when a
// strategy or a schedule asks for it: a decision costs no string unless it is kept.
package ethosu.bench.control;

import java.util.function.Supplier;

public final class Choice {
    public enum Kind { CONTEXT, DEVICE, TIME }

    public static final int DEVICE_ID = -1, TIME_ID = -2;

    private final Kind kind;
    private final int context;
    private final String name;
    private final Supplier<String> label;
    private final long at;

    private Choice(Kind kind, int context, String name, Supplier<String> label, long at) {
        this.kind = kind;
        this.context = context;
        this.name = name;
        this.label = label;
        this.at = at;
    }

    /** A context; label: where it stands (the point it is at, the wait it left). */
    public static Choice context(int id, String name, Supplier<String> label) {
        return new Choice(Kind.CONTEXT, id, name, label, Long.MIN_VALUE);
    }

    public static Choice context(int id, String name, String label) {
        return context(id, name, () -> label);
    }

    /** The device's next event, due at virtual time at (it may be chosen earlier). */
    public static Choice device(Supplier<String> label, long at) {
        return new Choice(Kind.DEVICE, DEVICE_ID, "npu", label, at);
    }

    public static Choice time(long to) {
        return new Choice(Kind.TIME, TIME_ID, "time", () -> "advance to " + to + " ns", to);
    }

    public Kind kind() {
        return kind;
    }

    public int context() {
        return context;
    }

    public String name() {
        return name;
    }

    public String label() {
        return label.get();
    }

    /** Virtual time the choice is due at: the device event's, the advance's target; MIN_VALUE for a context. */
    public long at() {
        return at;
    }

    /** Same choice across runs: what a schedule file records. */
    public String key() {
        return name;
    }

    @Override
    public String toString() {
        return name + ": " + label();
    }
}
