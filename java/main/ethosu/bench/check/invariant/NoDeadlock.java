// No context waits for ever: when nothing can run any more, every context still blocked is idle (a
// worker without work, the IRQ thread without an interrupt). The shims report lock recursion and
// self-cancelling work as kernel reports.
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;

import java.util.List;

public final class NoDeadlock implements Invariant {
    @Override
    public Finding.Check check() {
        return Finding.Check.DEADLOCK;
    }

    @Override
    public String meaning() {
        return "no context is left waiting for ever (an idle worker or IRQ thread is not waiting)";
    }

    @Override
    public void at(Checks.Stage stage, Checks run) {
        if (stage != Checks.Stage.ENDED) return;
        for (String s : run.stuckContexts()) run.report(check(), "blocked-forever", "", List.of(), s, "");
    }
}
