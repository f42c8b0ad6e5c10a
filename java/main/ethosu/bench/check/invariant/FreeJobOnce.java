// free_job runs once per job: a second call frees a job that is already gone.
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;
import ethosu.bench.check.JobLedger;
import ethosu.bench.event.Call;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;

import java.util.List;

public final class FreeJobOnce implements Invariant {
    @Override
    public Finding.Check check() {
        return Finding.Check.USE_AFTER_FREE;
    }

    @Override
    public String meaning() {
        return "the scheduler calls free_job once per job";
    }

    @Override
    public void on(Event e, Checks run) {
        if (!(e instanceof CallStart c) || c.call() != Call.FREE_JOB) return;
        JobLedger.Job j = run.ledger().job(c.job());
        if (j.frees == 2)
            run.report(check(), "double-free_job", "free_job", List.of("job"),
                    run.jobLabel(j.id) + " freed a second time by free_job", run.context(c.ctx()));
    }
}
