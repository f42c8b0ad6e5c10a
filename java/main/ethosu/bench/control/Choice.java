// One thing the controller can do at a scheduling point: let a context run, let the device take
// its next step, or advance virtual time to the next deadline.
package ethosu.bench.control;

public record Choice(Kind kind, int context, String name, String label) {
    public enum Kind { CONTEXT, DEVICE, TIME }

    public static final int DEVICE_ID = -1, TIME_ID = -2;

    public static Choice context(int id, String name, String label) {
        return new Choice(Kind.CONTEXT, id, name, label);
    }

    public static Choice device(String label) {
        return new Choice(Kind.DEVICE, DEVICE_ID, "npu", label);
    }

    public static Choice time(long to) {
        return new Choice(Kind.TIME, TIME_ID, "time", "advance to " + to + " ns");
    }

    /** Same choice across runs: what a schedule file records. */
    public String key() {
        return name;
    }
}
