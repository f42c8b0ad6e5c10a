// A forced failure at a kernel interface: which interface, which of its calls, optionally only calls
// from one function. From a scenario's `fail` line (docs/SCENARIOS.md).
package ethosu.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * @param fault the interface
 * @param nth   the nth call from device creation on fails (1 = the first)
 * @param site  only calls made from this function count (an allocation's caller); null: any
 */
public record FaultSpec(Fault fault, int nth, String site) {
    /** The interfaces, by the names scenarios use; the shims here can fail allocations. */
    public enum Fault {
        ALLOC("alloc", "kmalloc and friends return NULL");

        public final String word;
        public final String about;

        Fault(String word, String about) {
            this.word = word;
            this.about = about;
        }

        public static Fault of(String word) {
            for (Fault f : values()) if (f.word.equals(word.toLowerCase(Locale.ROOT))) return f;
            List<String> words = new ArrayList<>();
            for (Fault f : values()) words.add(f.word);
            throw new IllegalArgumentException("expected a fault (" + String.join(", ", words) + "), got '" + word + "'");
        }
    }

    public FaultSpec {
        if (nth < 1) throw new IllegalArgumentException("expected a call number >= 1, got " + nth);
        if (site != null && !site.matches("[A-Za-z_][A-Za-z0-9_]*"))
            throw new IllegalArgumentException("expected a C function name as the site, got '" + site + "'");
    }

    @Override
    public String toString() {
        return fault.word + ":" + nth + (site == null ? "" : "@" + site);
    }
}
