// A forced failure at a kernel interface (enum ebench_fault): which interface, which of its calls,
// optionally only calls from one function. From a scenario's `fail` line or the command line's --fail.
package ethosu.bench.scenario;

import ethosu.bench.bindings.gen.ethosu_bench_h;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * @param fault the interface (enum ebench_fault)
 * @param nth   the nth call from device creation on fails (1 = the first)
 * @param site  only calls made from this function count (an allocation's caller); null: any
 */
public record FaultSpec(Fault fault, int nth, String site) {
    /** The interfaces, by the names scenarios and the command line use. */
    public enum Fault {
        ALLOC("alloc", ethosu_bench_h.EBENCH_FAULT_ALLOC(), "kmalloc and friends return NULL"),
        ENTITY_INIT("entity-init", ethosu_bench_h.EBENCH_FAULT_ENTITY_INIT(), "drm_sched_entity_init: -ENOMEM"),
        SCHED_INIT("sched-init", ethosu_bench_h.EBENCH_FAULT_SCHED_INIT(), "drm_sched_init: -ENOMEM"),
        IRQ_REQUEST("irq-request", ethosu_bench_h.EBENCH_FAULT_IRQ_REQUEST(), "request_threaded_irq: -ENOMEM"),
        PM_GET("pm-get", ethosu_bench_h.EBENCH_FAULT_PM_GET(), "a runtime resume: the resume callback fails, -EIO");

        public final String word;
        public final int value;
        public final String about;

        Fault(String word, int value, String about) {
            this.word = word;
            this.value = value;
            this.about = about;
        }

        public static Fault of(String word) {
            for (Fault f : values()) if (f.word.equals(word.toLowerCase(Locale.ROOT))) return f;
            List<String> words = new ArrayList<>();
            for (Fault f : values()) words.add(f.word);
            throw new IllegalArgumentException("expected a fault (" + String.join(", ", words) + "), got '" + word + "'");
        }

        /** The enum ebench_fault value's name in reports. */
        public static String name(int value) {
            for (Fault f : values()) if (f.value == value) return f.word;
            return "fault " + value;
        }
    }

    public FaultSpec {
        if (nth < 1) throw new IllegalArgumentException("expected a call number >= 1, got " + nth);
        if (site != null && !site.matches("[A-Za-z_][A-Za-z0-9_]*"))
            throw new IllegalArgumentException("expected a C function name as the site, got '" + site + "'");
    }

    /** The command line's form: KIND[:N][@SITE], e.g. alloc:3@ethosu_job_open, pm-get. */
    public static FaultSpec parse(String spec) {
        String s = spec.strip(), site = null;
        int at = s.indexOf('@');
        if (at >= 0) {
            site = s.substring(at + 1);
            s = s.substring(0, at);
        }
        String[] p = s.split(":", -1);
        if (p.length > 2) throw new IllegalArgumentException("'" + spec + "': expected KIND[:N][@SITE]");
        int nth;
        try {
            nth = p.length > 1 ? Integer.parseInt(p[1]) : 1;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + spec + "': expected a call number after ':', got '" + p[1] + "'");
        }
        return new FaultSpec(Fault.of(p[0]), nth, site);
    }

    /** Every --fail the command line set (the system property ethosu.fail, ';'-separated: worker processes inherit it). */
    public static List<FaultSpec> fromCommandLine() {
        String v = System.getProperty("ethosu.fail", "");
        List<FaultSpec> out = new ArrayList<>();
        for (String s : v.split(";")) if (!s.isBlank()) out.add(parse(s));
        return out;
    }

    @Override
    public String toString() {
        return fault.word + ":" + nth + (site == null ? "" : "@" + site);
    }
}
