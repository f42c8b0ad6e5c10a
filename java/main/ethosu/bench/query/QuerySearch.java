// Answers one query on one variant: explores each scenario with the plan's strategies, evaluating
// the query on every schedule's trace, until a schedule matches (then shrinks it to a witness) or
// the plan is done: "none up to bound k" when every scenario's bounded search was exhausted.
package ethosu.bench.query;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.Strategy;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.scenario.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

public final class QuerySearch {
    private QuerySearch() {}

    /**
     * @param witness   the shrunk match, null if no schedule matched
     * @param scenario  the witness's scenario
     * @param strategy  the strategy that found it
     * @param schedules explored in all
     * @param exhausted no match, and every scenario's bounded search was exhausted
     * @param bound     the bound exhausted in every scenario (the smallest), null if not
     * @param explored  each exploration made, in order
     */
    public record Answer(Query query, String variant, QueryWatch.Witness witness, String scenario, String strategy,
                         long schedules, boolean exhausted, Integer bound, List<Explorer.Result> explored) {
        /** What the query claims holds: a `never` with no match, a `witness` with one. */
        public boolean holds() {
            return query.isNever() == (witness == null);
        }

        /** "refuted: witness in two-jobs (pct:3, schedule 98)", "holds: none up to bound 1 (exhausted)". */
        public String line() {
            String verdict = query.isNever() ? (holds() ? "holds" : "refuted") : (holds() ? "witnessed" : "no witness");
            if (witness != null)
                return verdict + ": witness in " + scenario + " (" + strategy + ", schedule "
                        + witness.hit().scheduleIndex() + ")";
            return verdict + ": none " + (exhausted ? "up to bound " + bound + " (exhausted)"
                    : "in " + schedules + " schedules (not exhausted)");
        }
    }

    /** Told after every schedule, for a progress line. */
    public interface Progress {
        void explored(long schedules, Strategy running, double runningSeconds);
    }

    /**
     * @param plan        strategy names, each tried per scenario in order ("dfs:1", "pct:3")
     * @param strategies  makes a fresh strategy from a name
     * @param minimizeRuns runs the minimiser may make (0: keep the witness as found)
     */
    public static Answer search(EthosuLibrary lib, List<Scenario> scenarios, Query q, List<String> plan,
                                Function<String, Strategy> strategies, Explorer.Budget budget, int minimizeRuns,
                                Progress progress) {
        List<Explorer.Result> explored = new ArrayList<>();
        Map<String, Integer> exhaustedAt = new LinkedHashMap<>();
        long total = 0;
        for (Scenario sc : scenarios) {
            for (String spec : plan) {
                Strategy st = strategies.apply(spec);
                long before = total;
                long t0 = System.nanoTime();
                QueryWatch watch = new QueryWatch(List.of(q), true) {
                    @Override
                    public void ran(long scheduleIndex, ethosu.bench.kernel.RunResult run,
                                    ethosu.bench.control.Schedule schedule) {
                        super.ran(scheduleIndex, run, schedule);
                        if (progress != null) progress.explored(before + scheduleIndex, st, (System.nanoTime() - t0) / 1e9);
                    }
                };
                Explorer.Result r = Explorer.explore(lib, sc, st, budget, f -> false, null, 0, watch);
                explored.add(r);
                total += r.schedules();
                if (st instanceof BoundedDfs && r.exhausted()) exhaustedAt.merge(sc.name(), bound(spec), Math::max);
                QueryWatch.Hit hit = watch.hits().get(q);
                if (hit != null) {
                    QueryWatch.Witness w = QueryWatch.witness(lib, sc, hit, minimizeRuns);
                    return new Answer(q, lib.variant, w, sc.name(), spec, total, false, null, explored);
                }
            }
        }
        boolean all = !scenarios.isEmpty() && exhaustedAt.size() == scenarios.size();
        Integer bound = all ? exhaustedAt.values().stream().min(Integer::compare).orElse(null) : null;
        return new Answer(q, lib.variant, null, null, null, total, all, bound, explored);
    }

    /** The preemption bound of "dfs:k" (dfs alone is 2, as the command line reads it). */
    public static int bound(String spec) {
        String[] p = spec.split(":");
        return p.length > 1 ? Integer.parseInt(p[1]) : 2;
    }
}
