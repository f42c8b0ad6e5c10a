// A job's finished fence signals once: a second signal means two paths completed the job (in 7.x the
// second is a no-op the shim still reports, so the double completion is seen).
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;

import java.util.List;

public final class FinishedFenceOnce implements Invariant {
    @Override
    public Finding.Check check() {
        return Finding.Check.FENCE_ONCE;
    }

    @Override
    public String meaning() {
        return "no job completes twice: its finished fence is signalled once";
    }

    @Override
    public void on(Event e, Checks run) {
        if (e instanceof FenceSignal f && f.role() == FenceRole.FINISHED && f.again())
            run.report(check(), "double-signal", run.site(f.ctx()), List.of("job.finished"),
                    run.jobLabel(f.job()) + "'s finished fence signalled a second time (error " + f.error() + ")",
                    run.context(f.ctx()));
    }
}
