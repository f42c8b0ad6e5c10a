// What AddressSanitizer reports inside a run (SANITIZE=address libraries), as KASAN would report it
// in the kernel: an out-of-bounds or invalid access breaks memory safety.
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;
import ethosu.bench.check.SanitizerReport;
import ethosu.bench.event.Event;
import ethosu.bench.event.Sanitizer;

import java.util.List;

public final class SanitizerReported implements Invariant {
    @Override
    public Finding.Check check() {
        return Finding.Check.MEMORY_SAFETY;
    }

    @Override
    public String meaning() {
        return "no AddressSanitizer report (KASAN's words: no out-of-bounds, use-after-free or wild access)";
    }

    @Override
    public void on(Event e, Checks run) {
        if (!(e instanceof Sanitizer z)) return;
        Finding f = SanitizerReport.finding(z.report(), run.context(z.ctx()));
        if (f == null) {
            // a report the bench cannot read is its own failure, never dropped
            run.report(Finding.Check.BENCH, "unreadable-sanitizer-report", "", List.of(),
                    "a sanitizer report the bench cannot read: " + z.report().lines().findFirst().orElse(""),
                    run.context(z.ctx()));
            return;
        }
        run.report(f.check(), f.kind(), f.site(), f.objects(), f.text(), f.context());
    }
}
