// Lookup tables from C enum values (generated constants) to Java enums.
package ethosu.bench.event;

import java.util.function.ToIntFunction;

final class Enums {
    private Enums() {}

    /** An array indexed by each constant's C value; two constants with one value are a bindings bug. */
    static <E extends Enum<E>> E[] index(E[] values, ToIntFunction<E> value) {
        int max = 0;
        for (E e : values) max = Math.max(max, value.applyAsInt(e));
        E[] by = java.util.Arrays.copyOf(values, max + 1);
        java.util.Arrays.fill(by, null);
        for (E e : values) {
            int v = value.applyAsInt(e);
            if (v < 0) throw new IllegalStateException(e + " has the negative C value " + v);
            if (by[v] != null) throw new IllegalStateException(e + " and " + by[v] + " share the C value " + v);
            by[v] = e;
        }
        return by;
    }
}
