// A job the device completed finishes with 0: the driver never loses a completion or turns it into a
// cancel. Judged as soon as both are known (the device's completion and the job's result).
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Errno;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;
import ethosu.bench.check.JobLedger;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.NpuEvent;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class CompletionReported implements Invariant {
    private final Set<Long> reported = new HashSet<>();
    /** Where each job's finished fence signalled (the call that finished it), with the context. */
    private final Map<Long, String[]> finishedAt = new HashMap<>();

    @Override
    public Finding.Check check() {
        return Finding.Check.COMPLETION_REPORTED;
    }

    @Override
    public String meaning() {
        return "a job the NPU completed finishes with 0";
    }

    @Override
    public void on(Event e, Checks run) {
        if (e instanceof FenceSignal f && f.role() == FenceRole.FINISHED && !f.again()) {
            finishedAt.putIfAbsent(f.job(), new String[] {run.site(f.ctx()), run.context(f.ctx())});
            judge(run, run.ledger().job(f.job()));
        } else if (e instanceof NpuEvent n && n.kind() == NpuEvent.Kind.ENDED) {
            judge(run, run.ledger().job(n.job().qbase()));
        }
    }

    @Override
    public void at(Checks.Stage stage, Checks run) {
        if (stage == Checks.Stage.HORIZON)
            for (JobLedger.Job j : run.ledger().jobs()) judge(run, j);
    }

    private void judge(Checks run, JobLedger.Job j) {
        if (!j.expected || j.deviceCompletions == 0 || j.result == null || j.result == 0 || !reported.add(j.id)) return;
        String[] where = finishedAt.getOrDefault(j.id, new String[] {"", ""});
        run.report(check(), "completion-" + Errno.name(j.result), where[0], List.of("job.finished"), String.format(
                "the device completed %s but its finished fence signalled %s", run.jobLabel(j.id),
                Errno.name(j.result)), where[1]);
    }
}
