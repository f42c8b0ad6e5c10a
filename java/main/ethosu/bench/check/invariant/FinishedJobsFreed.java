// Nothing left at teardown, as the scheduler sees it: every job that finished was freed (free_job
// ran). The library's own leak checks (slab, fences, BOs, runtime PM) come as kernel reports.
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;
import ethosu.bench.check.JobLedger;

import java.util.List;

public final class FinishedJobsFreed implements Invariant {
    @Override
    public Finding.Check check() {
        return Finding.Check.LEAK;
    }

    @Override
    public String meaning() {
        return "every job that finished is freed by teardown";
    }

    @Override
    public void at(Checks.Stage stage, Checks run) {
        if (stage != Checks.Stage.TEARDOWN) return;
        for (JobLedger.Job j : run.ledger().jobs())
            if (j.expected && j.finishes > 0 && j.frees == 0)
                run.report(check(), "never-freed", "free_job", List.of("job"),
                        run.jobLabel(j.id) + " finished but free_job never ran", "");
    }
}
