// Bounded liveness: every job a submit accepted finishes (with or without an error) within the
// scenario's horizon.
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;
import ethosu.bench.check.JobLedger;

import java.util.List;

public final class EveryJobFinishes implements Invariant {
    @Override
    public Finding.Check check() {
        return Finding.Check.LIVENESS;
    }

    @Override
    public String meaning() {
        return "every accepted job finishes, with its result recorded, within the scenario's horizon";
    }

    @Override
    public void at(Checks.Stage stage, Checks run) {
        if (stage != Checks.Stage.HORIZON) return;
        for (JobLedger.Job j : run.ledger().jobs()) {
            if (!j.expected || j.finishes > 0) continue;
            run.report(check(), j.runs == 0 ? "never-ran" : "never-finished", "horizon", List.of("job"),
                    run.jobLabel(j.id) + " never finished within the horizon"
                            + (j.runs == 0 ? " (never ran)" : " (ran, its finished fence never signalled)"), "");
        }
    }
}
