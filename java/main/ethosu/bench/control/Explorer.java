// Explores the schedules of one scenario on one variant with one strategy, within a budget: one run
// per schedule through Runs; the first schedule of each distinct finding (by identity) is kept.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.event.Names;
import ethosu.bench.event.Trace;
import ethosu.bench.kernel.Engine;
import ethosu.bench.kernel.RunResult;
import ethosu.bench.scenario.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

public final class Explorer {
    /**
     * A finding with the schedule that produced it (replayable) and that run's trace and names;
     * needs: which kernel context that run had stalled how long when it made the finding.
     */
    public record Found(Finding finding, Schedule schedule, Trace trace, Names names, long scheduleIndex,
                        double secondsToFind, String needs) {
        /** One race found by many schedules is one finding. */
        public String identity() {
            return finding.identity();
        }
    }

    /**
     * @param stepLimited schedules that reached the step limit (explored less deep than asked)
     * @param problem     why the exploration stopped early (a run that did not end), null if it did not
     * @param lockedUp    the last run locked up (a context stopped for good inside the library): the
     *                    exploration stopped after it, and goes on in a fresh process after its
     *                    `schedules` (the run that locked up is the last of them, or a run that only
     *                    laid out the points of the strategy's part, which counts none)
     */
    public record Result(String variant, String scenario, String strategy, long schedules, boolean exhausted,
                         List<Found> found, double seconds, long steps, long stepLimited, String problem,
                         boolean lockedUp) {
        public double schedulesPerSecond() {
            return seconds > 0 ? schedules / seconds : 0;
        }
    }

    /** Budget: at most this many schedules and this much real time. */
    public record Budget(long schedules, long millis) {}

    private Explorer() {}

    public static Result explore(EthosuLibrary lib, Scenario sc, Strategy strategy, Budget budget, boolean stopAtFirst) {
        return explore(lib, sc, strategy, budget, f -> stopAtFirst, null, 0);
    }

    public static Result explore(EthosuLibrary lib, Scenario sc, Strategy strategy, Budget budget,
                                 Predicate<Finding> stopAt) {
        return explore(lib, sc, strategy, budget, stopAt, null, 0);
    }

    /**
     * @param recorder if non-null, sees every decision as it is taken; told of each new schedule
     *                 with its index first (a worker's flight recorder)
     * @param first    index of the first schedule (schedules before it were explored elsewhere)
     */
    public static Result explore(EthosuLibrary lib, Scenario sc, Strategy strategy, Budget budget,
                                 Predicate<Finding> stopAt, FlightRecorder recorder, long first) {
        return explore(lib, sc, strategy, budget, stopAt, recorder, first, null);
    }

    /** Sees every run that ended, with its schedule index (a worker keeps each distinct outcome). */
    public interface RunObserver {
        void ran(long scheduleIndex, RunResult run, Schedule schedule);

        /** Asked after each run it saw: true ends the exploration (a query has its witness). */
        default boolean stop() {
            return false;
        }
    }

    /** As above; eachRun (if non-null) sees every run that ended. */
    public static Result explore(EthosuLibrary lib, Scenario sc, Strategy strategy, Budget budget,
                                 Predicate<Finding> stopAt, FlightRecorder recorder, long first, RunObserver eachRun) {
        return explore(Engine.of(lib), sc, strategy, budget, stopAt, recorder, first, eachRun);
    }

    /** As above, on either engine: the C of a variant or its model. */
    public static Result explore(Engine engine, Scenario sc, Strategy strategy, Budget budget,
                                 Predicate<Finding> stopAt, FlightRecorder recorder, long first, RunObserver eachRun) {
        long t0 = System.nanoTime();
        long deadline = t0 + budget.millis() * 1_000_000L;
        Map<String, Found> found = new LinkedHashMap<>();
        long n = first, steps = 0, stepLimited = 0, layout = 0;
        String problem = null;
        boolean lockedUp = false;
        Consumer<Schedule.Decision> rec = recorder == null ? null : recorder::record;
        while (n < budget.schedules() && System.nanoTime() < deadline && strategy.nextSchedule()) {
            boolean own = strategy.owns();
            if (own) n++;
            else layout++;
            // a worker that dies in a layout run goes on from its record, with nothing counted
            if (recorder != null) recorder.begin(own ? "schedule " + n : FlightRecorder.LAYOUT + " " + n);
            Runs.Run run = Runs.run(engine, sc, strategy, rec);
            RunResult r = run.result();
            strategy.scheduleDone(run.schedule(), !r.findings().isEmpty());
            if (!own) {
                // a run that only lays out the points a part of the search starts from: another part owns it
                // (and reports what it finds); one that locked up leaves a context stopped here all the same
                if (r.end() == RunResult.End.TIMED_OUT) {
                    problem = "a layout run did not end (its threads are abandoned)";
                    break;
                }
                if (r.end() == RunResult.End.LOCKUP) {
                    lockedUp = true;
                    break;
                }
                continue;
            }
            steps += run.schedule().size();
            if (r.end() == RunResult.End.STEP_LIMIT) stepLimited++;
            for (Finding f : r.findings())
                found.putIfAbsent(f.identity(), new Found(f, run.schedule(), r.trace(), r.names(), n,
                        (System.nanoTime() - t0) / 1e9, run.needs(f)));
            if (r.end() == RunResult.End.TIMED_OUT) {
                problem = "schedule " + n + " did not end (its threads are abandoned)";
                break;
            }
            // a context stuck in the driver is a finding; its thread stays stopped in this process,
            // so the exploration stops here and goes on elsewhere (a worker is replaced)
            if (r.end() == RunResult.End.LOCKUP) {
                lockedUp = true;
                break;
            }
            if (eachRun != null) eachRun.ran(n, r, run.schedule());
            if (r.findings().stream().anyMatch(stopAt) || (eachRun != null && eachRun.stop())) break;
        }
        return new Result(engine.variant(), sc.name(), strategy.describe(), n - first, strategy.exhausted(),
                new ArrayList<>(found.values()), (System.nanoTime() - t0) / 1e9, steps, stepLimited, problem, lockedUp);
    }
}
