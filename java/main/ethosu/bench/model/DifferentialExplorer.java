// Differential exploration: every schedule a strategy explores on the C of a variant is followed on
// its model and the two compared (Differential); the divergences are findings of the bench.
package ethosu.bench.model;

import ethosu.bench.control.Explorer;
import ethosu.bench.control.FlightRecorder;
import ethosu.bench.control.Strategy;
import ethosu.bench.kernel.Engine;
import ethosu.bench.scenario.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class DifferentialExplorer {
    private DifferentialExplorer() {}

    /**
     * @param schedules   schedules compared
     * @param divergences schedules whose two sides diverged
     * @param first       the first divergence of each distinct kind (its step's context and what), in order found
     */
    public record Result(String variant, String scenario, String strategy, long schedules, boolean exhausted,
                         long divergences, List<Differential.Divergence> first, double seconds) {
        public double schedulesPerSecond() {
            return seconds > 0 ? schedules / seconds : 0;
        }
    }

    /** At most this many distinct divergences are kept per exploration. */
    static final int KEEP = 10;

    public static Result explore(Engine c, Engine model, Scenario sc, Strategy strategy, Explorer.Budget budget) {
        return explore(c, model, sc, strategy, budget, null);
    }

    /** As above; recorder, if non-null, keeps every C decision as it is taken (a worker's flight recorder). */
    public static Result explore(Engine c, Engine model, Scenario sc, Strategy strategy, Explorer.Budget budget,
                                 FlightRecorder recorder) {
        return explore(c, model, sc, strategy, budget, recorder, 0);
    }

    /**
     * As above, the first schedule numbered firstIndex + 1 (the strategy already past the first ones: a
     * worker that died in the C goes on after the schedule that killed it); budget counts from 0.
     */
    public static Result explore(Engine c, Engine model, Scenario sc, Strategy strategy, Explorer.Budget budget,
                                 FlightRecorder recorder, long firstIndex) {
        long t0 = System.nanoTime(), deadline = t0 + budget.millis() * 1_000_000L;
        long n = firstIndex, diverged = 0;
        Map<String, Differential.Divergence> first = new LinkedHashMap<>();
        while (n < budget.schedules() && System.nanoTime() < deadline && strategy.nextSchedule()) {
            // a run that only lays out the points of the strategy's part (--shard): another part owns it
            boolean own = strategy.owns();
            if (own) n++;
            if (recorder != null) recorder.begin(own ? "schedule " + n : FlightRecorder.LAYOUT + " " + n);
            Differential.Result r = Differential.run(c, model, sc, strategy, recorder == null ? null : recorder::record);
            strategy.scheduleDone(r.c().schedule(), !r.c().findings().isEmpty());
            Differential.Divergence d = r.divergence();
            if (d == null || !own) continue;
            diverged++;
            String key = d.context() + " " + d.what().replaceAll("\\d+", "#");
            if (first.size() < KEEP) first.putIfAbsent(key, d);
        }
        return new Result(c.variant(), sc.name(), strategy.describe(), n - firstIndex, strategy.exhausted(), diverged,
                new ArrayList<>(first.values()), (System.nanoTime() - t0) / 1e9);
    }
}
