// Explores the schedules of one scenario on one variant with one strategy, within a budget:
// a fresh controlled run per schedule; the first schedule of each distinct finding is kept.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.scenario.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class Explorer {
    /**
     * A finding with the schedule that produced it (replayable) and that run's trace and log;
     * needs: which kernel context that run had stalled how long when it made the finding.
     */
    public record Found(Finding finding, String signature, Schedule schedule, List<String> trace, List<String> log,
                        Map<Long, String> jobNames, long scheduleIndex, double secondsToFind, String needs) {}

    public record Result(String variant, String scenario, String strategy, long schedules, boolean exhausted,
                         List<Found> found, double seconds, long steps, String problem) {
        public double schedulesPerSecond() {
            return seconds > 0 ? schedules / seconds : 0;
        }
    }

    /** Budget: at most this many schedules and this much real time. */
    public record Budget(long schedules, long millis) {}

    public static final int MAX_STEPS = 20_000;
    static final long RUN_TIMEOUT_MS = 60_000;

    private Explorer() {}

    /**
     * The identity of a finding across schedules: its check and text with addresses and numbers
     * blanked, so one race found by many schedules is reported once.
     */
    public static String signature(Finding f, Map<Long, String> names) {
        String t = f.text();
        for (var e : names.entrySet()) t = t.replace(String.format("0x%x", e.getKey()), e.getValue());
        t = t.replaceAll("0x[0-9a-f]+", "#").replaceAll("\\d+", "#");
        for (String n : names.values()) t = t.replace("job " + n + " ", "job * ").replace("job " + n + ",", "job *,");
        return f.check() + ": " + t;
    }

    public static Result explore(EthosuLibrary lib, Scenario sc, Strategy strategy, Budget budget, boolean stopAtFirst) {
        return explore(lib, sc, strategy, budget, stopAtFirst ? f -> true : f -> false, null, 0);
    }

    public static Result explore(EthosuLibrary lib, Scenario sc, Strategy strategy, Budget budget,
                                 java.util.function.Predicate<Finding> stopAt) {
        return explore(lib, sc, strategy, budget, stopAt, null, 0);
    }

    /**
     * @param recorder if non-null, every decision is kept there as it is taken (worker processes)
     * @param first    index of the first schedule (schedules before it were explored elsewhere)
     */
    public static Result explore(EthosuLibrary lib, Scenario sc, Strategy strategy, Budget budget,
                                 java.util.function.Predicate<Finding> stopAt, FlightRecorder recorder, long first) {
        return explore(lib, sc, strategy, budget, stopAt, recorder, first, null);
    }

    /** A finished run, before it is destroyed: its schedule index, checker and schedule (outcomes). */
    public interface RunObserver {
        void ran(long scheduleIndex, ControlledRun run, Schedule schedule);
    }

    /** As above; eachRun (if non-null) sees every run that ended. */
    public static Result explore(EthosuLibrary lib, Scenario sc, Strategy strategy, Budget budget,
                                 java.util.function.Predicate<Finding> stopAt, FlightRecorder recorder, long first,
                                 RunObserver eachRun) {
        long t0 = System.nanoTime();
        long deadline = t0 + budget.millis() * 1_000_000L;
        Map<String, Found> found = new LinkedHashMap<>();
        long n = first, steps = 0;
        String problem = null;
        while (n < budget.schedules() && System.nanoTime() < deadline && strategy.nextSchedule()) {
            n++;
            ControlledRun run = ControlledRun.of(lib, strategy, sc, MAX_STEPS);
            if (recorder != null) {
                recorder.begin("schedule " + n);
                run.runtime.setRecorder(recorder::record);
            }
            boolean ended;
            try {
                ended = run.run(ControlledRun.scripts(sc), RUN_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problem = "interrupted";
                break;
            }
            Schedule s = run.runtime.schedule();
            steps += s.size();
            List<Finding> fs = run.checker.findings();
            strategy.scheduleDone(s, !fs.isEmpty());
            Map<Long, String> names = run.checker.names();
            for (Finding f : fs) {
                String sig = signature(f, names);
                if (!found.containsKey(sig))
                    found.put(sig, new Found(f, sig, s, List.copyOf(run.runtime.trace()), List.copyOf(run.log()), names, n,
                            (System.nanoTime() - t0) / 1e9, run.needs(f)));
            }
            if (!ended) {
                problem = "a run did not end (its threads are abandoned)";
                break;
            }
            if (eachRun != null) eachRun.ran(n, run, s);
            run.destroy();
            if (fs.stream().anyMatch(stopAt)) break;
        }
        return new Result(lib.variant, sc.name(), strategy.describe(), n - first, strategy.exhausted(),
                new ArrayList<>(found.values()), (System.nanoTime() - t0) / 1e9, steps, problem);
    }
}
