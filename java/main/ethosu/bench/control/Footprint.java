// What one step of a run touched, as far as the controller can tell, and so which two steps commute
// (partial-order reduction). A step is what an option does when chosen: a context running from one
// scheduling point to its next (or to a wait, or to its end), the device's next event, an advance of
// virtual time. Two steps commute when neither writes what the other reads or writes; what a step
// touches is its point's object, the channels it waits on and wakes, and the register file; a step
// whose effects the controller cannot see whole (one that frees memory, starts or resumes a context,
// advances time, or does something unnamed) is dependent on every other, and steps that report to
// the checks (fence signals, driver callbacks, the device's jobs) are dependent on each other, since
// the checks compare their order.
package ethosu.bench.control;

import java.util.Arrays;

public final class Footprint {
    /** Dependent on every step. */
    static final int GLOBAL = 1;
    /** Reported something the checks compare the order of. */
    static final int OBSERVED = 2;

    // Object names: a region in the top bits, an offset or value below. Stable across runs that take
    // the same steps (the device's arena and struct; registers; the harness's own channels).
    private static final long REGION = 60, OFFSET = (1L << REGION) - 1;
    static final long REGISTERS = 1L << REGION;
    static final long TIME = 2L << REGION;
    static final long UNNAMED = 3L << REGION;

    /** An object in the device's arena, by offset. */
    static long arena(long offset) {
        return (4L << REGION) | (offset & OFFSET);
    }

    /** A field of the device's struct, by offset. */
    static long device(long offset) {
        return (5L << REGION) | (offset & OFFSET);
    }

    /** A channel of the harness (its own numbers). */
    static long harness(long chan) {
        return (6L << REGION) | (chan & OFFSET);
    }

    private long[] accesses = new long[8];
    private int n;
    private int flags;

    /** Forgets everything: a new step begins. */
    void clear() {
        n = 0;
        flags = 0;
    }

    void global() {
        flags |= GLOBAL;
    }

    void observed() {
        flags |= OBSERVED;
    }

    void read(long object) {
        add(object << 1);
    }

    void write(long object) {
        add((object << 1) | 1);
    }

    private void add(long access) {
        for (int i = 0; i < n; i++) {
            if (accesses[i] == access) return;
        }
        if (n == accesses.length) accesses = Arrays.copyOf(accesses, n * 2);
        accesses[n++] = access;
    }

    public boolean isGlobal() {
        return (flags & GLOBAL) != 0;
    }

    /** True if the two steps may not commute. */
    public boolean dependent(Footprint o) {
        if (((flags | o.flags) & GLOBAL) != 0) return true;
        if ((flags & o.flags & OBSERVED) != 0) return true;
        for (int i = 0; i < n; i++) {
            long a = accesses[i];
            for (int j = 0; j < o.n; j++) {
                long b = o.accesses[j];
                // the same object, one of them writing
                if ((a >>> 1) == (b >>> 1) && ((a | b) & 1) != 0) return true;
            }
        }
        return false;
    }

    /**
     * True if this step commutes with any step of the device: the device's steps change registers,
     * report to the checks and wake the harness's channels (the IRQ line), nothing else.
     */
    public boolean commutesWithDevice() {
        if ((flags & (GLOBAL | OBSERVED)) != 0) return false;
        for (int i = 0; i < n; i++) {
            long o = accesses[i] >>> 1;
            if (o == REGISTERS || (o >>> REGION) == 6) return false;
        }
        return true;
    }

    /** A copy that keeps this step's footprint after the accumulator moves on. */
    public Footprint copy() {
        Footprint f = new Footprint();
        f.accesses = Arrays.copyOf(accesses, Math.max(1, n));
        f.n = n;
        f.flags = flags;
        return f;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (isGlobal()) sb.append("global ");
        if ((flags & OBSERVED) != 0) sb.append("observed ");
        for (int i = 0; i < n; i++)
            sb.append((accesses[i] & 1) != 0 ? "W" : "R").append(Long.toHexString(accesses[i] >>> 1)).append(' ');
        return sb.toString().strip();
    }
}
