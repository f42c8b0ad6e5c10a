// What the shims detect as the kernel would (KASAN, refcount_t, lockdep, might_sleep, WARN_ON,
// kmemleak): each report kind is the invariant of one check, and a report breaks it.
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;
import ethosu.bench.event.Event;
import ethosu.bench.event.KernelReport;

import java.util.Arrays;
import java.util.List;

public final class KernelReported implements Invariant {
    private final KernelReport.Kind kind;

    public KernelReported(KernelReport.Kind kind) {
        this.kind = kind;
    }

    @Override
    public String id() {
        return "KernelReported:" + kind;
    }

    /** One for every kind of kernel report. */
    public static List<Invariant> all() {
        return Arrays.stream(KernelReport.Kind.values()).map(k -> (Invariant) new KernelReported(k)).toList();
    }

    /** The check a kind of report breaks. */
    public static Finding.Check checkOf(KernelReport.Kind kind) {
        return switch (kind) {
            case WARN, REFCOUNT, FENCE -> Finding.Check.KERNEL_WARNING;
            case OOPS -> Finding.Check.OOPS;
            case UAF, DOUBLE_FREE -> Finding.Check.USE_AFTER_FREE;
            case LEAK -> Finding.Check.LEAK;
            case ATOMIC_SLEEP -> Finding.Check.ATOMIC_SLEEP;
            case DEADLOCK -> Finding.Check.DEADLOCK;
            case DEVICE -> Finding.Check.DEVICE_PROTOCOL;
            case JOB -> Finding.Check.LIVENESS;
            case CONVENTION -> Finding.Check.KERNEL_CONVENTION;
            case UNKNOWN -> Finding.Check.BENCH;
        };
    }

    public KernelReport.Kind kind() {
        return kind;
    }

    @Override
    public Finding.Check check() {
        return checkOf(kind);
    }

    @Override
    public String meaning() {
        return "no kernel report of kind " + kind + " (" + check().title + ")";
    }

    @Override
    public void on(Event e, Checks run) {
        if (e instanceof KernelReport r && r.kind() == kind)
            run.report(check(), kind.name(), r.site(), List.of(), r.text(), run.context(r.ctx()));
    }
}
