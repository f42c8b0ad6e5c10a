// The IRQ thread signals only the hardware fence of a job the device completed: an interrupt
// completes the job that raised it, not the one the driver happens to hold.
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;
import ethosu.bench.check.JobLedger;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;

import java.util.List;

public final class IrqCompletesRanJob implements Invariant {
    @Override
    public Finding.Check check() {
        return Finding.Check.IRQ_COMPLETES_RAN_JOB;
    }

    @Override
    public String meaning() {
        return "the IRQ thread signals only the hardware fence of a job the NPU completed";
    }

    @Override
    public void on(Event e, Checks run) {
        if (!(e instanceof FenceSignal f) || f.again() || !run.isIrqThread(f.ctx())) return;
        if (f.role() == FenceRole.OTHER && f.job() == 0) {
            run.report(check(), "unmade-fence", run.site(f.ctx()), List.of("fence"),
                    "the IRQ thread signalled a hardware fence that no run_job made", run.context(f.ctx()));
        } else if (f.role() == FenceRole.HW) {
            JobLedger.Job j = run.ledger().job(f.job());
            if (j.irqSignals <= j.deviceCompletions) return;
            Long last = run.ledger().lastDeviceCompletion();
            run.report(check(), "wrong-job", run.site(f.ctx()), List.of("job.hw_fence"), String.format(
                    "the IRQ thread completed %s, which the device has not completed (device's last completion: %s)",
                    run.jobLabel(j.id), last == null ? "none" : run.jobLabel(last)), run.context(f.ctx()));
        }
    }
}
