// Shrinks a failing schedule: first drops preemptions one at a time while the same finding still
// occurs, then cuts the tail (past the shortest prefix that still fails, every decision is the
// default), so what is left is the fewest preemptions and forced steps that reproduce it.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.control.strategy.Guided;
import ethosu.bench.scenario.Scenario;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

public final class Minimizer {
    /** needs: the stalls the minimised schedule's run needed for the finding (Explorer.Found#needs). */
    public record Result(Schedule schedule, List<String> trace, int runs, int preemptionsBefore, int preemptionsAfter,
                         int stepsBefore, int stepsAfter, String needs) {}

    private Minimizer() {}

    /** One probe run; returns its schedule and trace if it reproduces the signature, else null. */
    private static Explorer.Found probe(EthosuLibrary lib, Scenario sc, Strategy st, String signature) {
        st.nextSchedule();
        ControlledRun run = ControlledRun.of(lib, st, sc, Explorer.MAX_STEPS);
        try {
            if (!run.run(ControlledRun.scripts(sc), Explorer.RUN_TIMEOUT_MS)) return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        var names = run.checker.names();
        Explorer.Found hit = null;
        for (Finding f : run.checker.findings()) {
            if (Explorer.signature(f, names).equals(signature)) {
                hit = new Explorer.Found(f, signature, run.runtime.schedule(), List.copyOf(run.runtime.trace()),
                        List.copyOf(run.log()), names, 0, 0, run.needs(f));
                break;
            }
        }
        run.destroy();
        return hit;
    }

    public static Result minimize(EthosuLibrary lib, Scenario sc, Explorer.Found found, int maxRuns) {
        Schedule best = found.schedule();
        List<String> trace = found.trace();
        String needs = found.needs();
        int runs = 0;
        int p0 = best.preemptions(), s0 = best.size();
        // 1. drop preemptions, latest first (late ones are often incidental)
        boolean progress = true;
        while (progress && runs < maxRuns) {
            progress = false;
            List<Schedule.Decision> ds = best.decisions();
            for (int i = ds.size() - 1; i >= 0 && runs < maxRuns; i--) {
                if (!ds.get(i).preemption()) continue;
                runs++;
                Explorer.Found f = probe(lib, sc, new Guided(best, Set.of(i), Integer.MAX_VALUE), found.signature());
                if (f != null && f.schedule().preemptions() < best.preemptions()) {
                    best = f.schedule();
                    trace = f.trace();
                    needs = f.needs();
                    progress = true;
                    break;
                }
            }
        }
        // 2. the shortest prefix of decisions that still fails (binary search; past it, defaults)
        int lo = 0, hi = best.size();
        Schedule bestPrefix = best;
        List<String> bestTrace = trace;
        String bestNeeds = needs;
        while (lo < hi && runs < maxRuns) {
            int mid = (lo + hi) / 2;
            runs++;
            Explorer.Found f = probe(lib, sc, new Guided(best, new HashSet<>(), mid), found.signature());
            if (f != null && f.schedule().preemptions() <= best.preemptions()) {
                hi = mid;
                bestPrefix = f.schedule();
                bestTrace = f.trace();
                bestNeeds = f.needs();
            } else {
                lo = mid + 1;
            }
        }
        return new Result(bestPrefix, bestTrace, runs, p0, bestPrefix.preemptions(), s0, hi, bestNeeds);
    }
}
