// Shrinks a schedule while a property of its run still holds (a finding of the same identity, or a
// query's match): first drops preemptions one at a time, then cuts the tail (past the shortest
// prefix that still holds, every decision is the default), so what is left is the fewest
// preemptions and forced steps that reproduce it.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.control.strategy.Guided;
import ethosu.bench.kernel.Engine;
import ethosu.bench.scenario.Scenario;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

public final class Minimizer {
    /**
     * The smallest schedule found, and the run that reproduced it (its trace and finding);
     * probeBudgetMs: the watchdog budget its probes ran with, when shorter than the session's (a
     * soft lockup's), else 0.
     */
    public record Result(Schedule schedule, Explorer.Found found, int runs, int preemptionsBefore,
                         int preemptionsAfter, int stepsBefore, int stepsAfter, long probeBudgetMs) {}

    /**
     * The smallest schedule found for any property: its run and what the property saw in it.
     *
     * @param <M> what the property gives for a run where it holds (a finding, a query's match)
     */
    public record Shrunk<M>(Schedule schedule, Runs.Run run, M seen, int runs, int preemptionsBefore,
                            int preemptionsAfter, int stepsBefore, int stepsAfter) {}

    private Minimizer() {}

    /**
     * Shrinks a finding's schedule: the same finding (by identity) must still occur. A soft lockup's
     * probes run with a shorter watchdog budget: the spin is known to be endless, so a probe that
     * reproduces it is told within a fraction of the budget, not the whole.
     */
    public static Result minimize(EthosuLibrary lib, Scenario sc, Explorer.Found found, int maxRuns) {
        return minimize(Engine.of(lib), sc, found, maxRuns);
    }

    /** As above, on either engine (a model finding is minimised on the model). */
    public static Result minimize(Engine lib, Scenario sc, Explorer.Found found, int maxRuns) {
        if (found.finding().check() != Finding.Check.SOFT_LOCKUP) return shrink(lib, sc, found, maxRuns, 0);
        long probe = ethosu.bench.kernel.Watchdog.probeBudgetMs();
        return ethosu.bench.kernel.Watchdog.withBudget(probe, () -> shrink(lib, sc, found, maxRuns, probe));
    }

    private static Result shrink(Engine lib, Scenario sc, Explorer.Found found, int maxRuns, long probeBudgetMs) {
        String identity = found.identity();
        Shrunk<Finding> s = minimize(lib, sc, found.schedule(), run -> {
            for (Finding f : run.result().findings()) if (f.identity().equals(identity)) return f;
            return null;
        }, maxRuns);
        Explorer.Found best = s.run() == null ? found
                : new Explorer.Found(s.seen(), s.schedule(), s.run().result().trace(), s.run().result().names(), 0, 0,
                        s.run().needs(s.seen()));
        return new Result(s.schedule(), best, s.runs(), s.preemptionsBefore(), s.preemptionsAfter(), s.stepsBefore(),
                s.stepsAfter(), probeBudgetMs);
    }

    /**
     * Shrinks schedule while holds(run) is non-null for the runs it probes. The result's run is null
     * when nothing smaller held (the schedule is returned as it was).
     */
    public static <M> Shrunk<M> minimize(EthosuLibrary lib, Scenario sc, Schedule schedule,
                                         Function<Runs.Run, M> holds, int maxRuns) {
        return minimize(Engine.of(lib), sc, schedule, holds, maxRuns);
    }

    /** As above, on either engine. */
    public static <M> Shrunk<M> minimize(Engine lib, Scenario sc, Schedule schedule, Function<Runs.Run, M> holds,
                                         int maxRuns) {
        Schedule best = schedule;
        Runs.Run bestRun = null;
        M seen = null;
        int runs = 0;
        int p0 = schedule.preemptions(), s0 = schedule.size();
        // 1. drop preemptions, latest first (late ones are often incidental)
        boolean progress = true;
        while (progress && runs < maxRuns) {
            progress = false;
            List<Schedule.Decision> ds = best.decisions();
            for (int i = ds.size() - 1; i >= 0 && runs < maxRuns; i--) {
                if (!ds.get(i).preemption()) continue;
                runs++;
                Runs.Run run = probe(lib, sc, new Guided(best, Set.of(i), Integer.MAX_VALUE));
                M m = holds.apply(run);
                if (m != null && run.schedule().preemptions() < best.preemptions()) {
                    best = run.schedule();
                    bestRun = run;
                    seen = m;
                    progress = true;
                    break;
                }
            }
        }
        // 2. the shortest prefix of decisions that still holds (binary search; past it, defaults)
        int lo = 0, hi = best.size();
        Schedule prefixBest = best;
        while (lo < hi && runs < maxRuns) {
            int mid = (lo + hi) / 2;
            runs++;
            Runs.Run run = probe(lib, sc, new Guided(best, new HashSet<>(), mid));
            M m = holds.apply(run);
            if (m != null && run.schedule().preemptions() <= best.preemptions()) {
                hi = mid;
                prefixBest = run.schedule();
                bestRun = run;
                seen = m;
            } else {
                lo = mid + 1;
            }
        }
        return new Shrunk<>(prefixBest, bestRun, seen, runs, p0, prefixBest.preemptions(), s0, hi);
    }

    private static Runs.Run probe(Engine lib, Scenario sc, Strategy st) {
        st.nextSchedule();
        return Runs.run(lib, sc, st, null);
    }
}
