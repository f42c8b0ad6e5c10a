// Shrinks a failing schedule: first drops preemptions one at a time while the same finding (by
// identity) still occurs, then cuts the tail (past the shortest prefix that still fails, every
// decision is the default), so what is left is the fewest preemptions and forced steps that
// reproduce it.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.control.strategy.Guided;
import ethosu.bench.scenario.Scenario;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

public final class Minimizer {
    /**
     * The smallest schedule found, and the run that reproduced it (its trace and finding);
     * probeBudgetMs: the watchdog budget its probes ran with, when shorter than the session's (a
     * soft lockup's), else 0.
     */
    public record Result(Schedule schedule, Explorer.Found found, int runs, int preemptionsBefore,
                         int preemptionsAfter, int stepsBefore, int stepsAfter, long probeBudgetMs) {}

    private Minimizer() {}

    /** One probe run; the finding it reproduces (same identity), or null. */
    private static Explorer.Found probe(EthosuLibrary lib, Scenario sc, Strategy st, String identity) {
        st.nextSchedule();
        Runs.Run run = Runs.run(lib, sc, st);
        for (Finding f : run.result().findings())
            if (f.identity().equals(identity))
                return new Explorer.Found(f, run.schedule(), run.result().trace(), run.result().names(), 0, 0);
        return null;
    }

    /**
     * As below. A soft lockup's probes run with a shorter watchdog budget: the spin is known to be
     * endless, so a probe that reproduces it is told within a fraction of the budget, not the whole.
     */
    public static Result minimize(EthosuLibrary lib, Scenario sc, Explorer.Found found, int maxRuns) {
        if (found.finding().check() != ethosu.bench.check.Finding.Check.SOFT_LOCKUP) return shrink(lib, sc, found, maxRuns, 0);
        long probe = ethosu.bench.kernel.Watchdog.probeBudgetMs();
        return ethosu.bench.kernel.Watchdog.withBudget(probe, () -> shrink(lib, sc, found, maxRuns, probe));
    }

    private static Result shrink(EthosuLibrary lib, Scenario sc, Explorer.Found found, int maxRuns, long probeBudgetMs) {
        Explorer.Found best = found;
        int runs = 0;
        int p0 = found.schedule().preemptions(), s0 = found.schedule().size();
        // 1. drop preemptions, latest first (late ones are often incidental)
        boolean progress = true;
        while (progress && runs < maxRuns) {
            progress = false;
            List<Schedule.Decision> ds = best.schedule().decisions();
            for (int i = ds.size() - 1; i >= 0 && runs < maxRuns; i--) {
                if (!ds.get(i).preemption()) continue;
                runs++;
                Explorer.Found f = probe(lib, sc, new Guided(best.schedule(), Set.of(i), Integer.MAX_VALUE),
                        found.identity());
                if (f != null && f.schedule().preemptions() < best.schedule().preemptions()) {
                    best = f;
                    progress = true;
                    break;
                }
            }
        }
        // 2. the shortest prefix of decisions that still fails (binary search; past it, defaults)
        int lo = 0, hi = best.schedule().size();
        Explorer.Found bestPrefix = best;
        while (lo < hi && runs < maxRuns) {
            int mid = (lo + hi) / 2;
            runs++;
            Explorer.Found f = probe(lib, sc, new Guided(best.schedule(), new HashSet<>(), mid), found.identity());
            if (f != null && f.schedule().preemptions() <= best.schedule().preemptions()) {
                hi = mid;
                bestPrefix = f;
            } else {
                lo = mid + 1;
            }
        }
        return new Result(bestPrefix.schedule(), bestPrefix, runs, p0, bestPrefix.schedule().preemptions(), s0, hi,
                probeBudgetMs);
    }
}
