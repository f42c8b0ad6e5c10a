// An IRQ thread run that starts after a job's completion signals that job, when no timeout handler
// ran since the job was run: the interrupt was handled in time and nothing else touched
// in_flight_job, so a completion lost then is lost by the IRQ path. (Completions a timeout overtakes,
// or a timeout handler that clears in_flight_job late, are the driver's own findings: the baseline's,
// and CompletionReported's.)
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;
import ethosu.bench.check.JobLedger;
import ethosu.bench.event.Call;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.Event;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

public final class IrqSignalsCompletion implements Invariant {
    private final Set<Long> reported = new HashSet<>();

    @Override
    public Finding.Check check() {
        return Finding.Check.IRQ_SIGNALS_COMPLETION;
    }

    @Override
    public String meaning() {
        return "an IRQ thread run after a job's completion, with no timeout since it ran, signals that job";
    }

    @Override
    public void on(Event e, Checks run) {
        if (!(e instanceof CallEnd c) || c.call() != Call.IRQ_THREAD) return;
        JobLedger l = run.ledger();
        for (JobLedger.Job j : l.jobs()) {
            if (j.completedAt < 0 || j.completedAt >= l.threadRunStart() || j.irqSignals > 0 || j.timeoutStarted
                    || l.timeoutsActive() > 0 || l.lastTimeoutActivity() > j.ranAt || !reported.add(j.id)) continue;
            run.report(check(), "lost-completion", "irq_thread", List.of("job", "in_flight_job"), String.format(
                    "the IRQ thread ran after %s completed, before its timeout, and did not signal it: the completion is lost",
                    run.jobLabel(j.id)), run.context(c.ctx()));
        }
    }
}
