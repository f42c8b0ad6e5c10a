// A submit a scenario makes wrong on purpose (submit <job> bad <kind>) is refused with the errno mainline
// returns on that error exit: any other result means the driver took a path it must not.
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Errno;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;

import java.util.List;

public final class BadSubmitRefused implements Invariant {
    @Override
    public Finding.Check check() {
        return Finding.Check.SUBMIT_REFUSED;
    }

    @Override
    public String meaning() {
        return "a bad submit returns the errno of its error exit (0 would queue a job userspace never made)";
    }

    @Override
    public void at(Checks.Stage stage, Checks run) {
        if (stage != Checks.Stage.HORIZON) return;
        for (Checks.BadSubmit b : run.badSubmits()) {
            if (b.ret() == b.expected()) continue;
            run.report(check(), "errno", "ethosu_ioctl_submit", List.of(), "bad submit " + b.job() + " (" + b.what()
                    + ") returned " + Errno.name(b.ret()) + ", expected " + Errno.name(b.expected()), b.context());
        }
    }
}
