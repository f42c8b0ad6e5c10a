// No context waits for ever: when nothing can run any more, every context still blocked is idle (a
// worker without work, the IRQ thread without an interrupt); on the free-running platform, no context
// stays blocked inside the driver while the device makes no progress (the watchdog's hung tasks). The
// shims report lock recursion and self-cancelling work as kernel reports.
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;
import ethosu.bench.check.Lockup;

import java.util.List;

public final class NoDeadlock implements Invariant {
    @Override
    public Finding.Check check() {
        return Finding.Check.DEADLOCK;
    }

    @Override
    public String meaning() {
        return "no context is left waiting for ever (an idle worker or IRQ thread is not waiting), "
                + "nor blocked in the driver past the watchdog's budget";
    }

    @Override
    public void at(Checks.Stage stage, Checks run) {
        if (stage != Checks.Stage.ENDED) return;
        for (String s : run.stuckContexts()) run.report(check(), "blocked-forever", "", List.of(), s, "");
        for (Lockup l : run.lockups())
            if (l.kind() == Lockup.Kind.HUNG_TASK) run.report(check(), "hung-task", l.site(), List.of(), l.text(), l.context());
    }
}
