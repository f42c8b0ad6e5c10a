// No context keeps its CPU without reaching a scheduling point for longer than the watchdog's budget:
// a loop that spins without sleeping, yielding or touching anything the scheduler sees is the
// kernel's soft lockup. The platform's watchdog finds it, stops the thread and says where it spins.
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;
import ethosu.bench.check.Lockup;

import java.util.List;

public final class NoSoftLockup implements Invariant {
    @Override
    public Finding.Check check() {
        return Finding.Check.SOFT_LOCKUP;
    }

    @Override
    public String meaning() {
        return "no context spins for longer than the watchdog's budget without reaching a scheduling point";
    }

    @Override
    public void at(Checks.Stage stage, Checks run) {
        if (stage != Checks.Stage.ENDED) return;
        for (Lockup l : run.lockups())
            if (l.kind() == Lockup.Kind.SOFT_LOCKUP)
                run.report(check(), "soft-lockup", l.site(), List.of(), l.text(), l.context());
    }
}
