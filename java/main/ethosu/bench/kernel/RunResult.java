// What one run of a harness left: how it ended, its findings, its typed trace, each job's result,
// the device's record of what it ran, and what failed in the scripts themselves.
package ethosu.bench.kernel;

import ethosu.bench.bindings.NativeDevice;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Outcome;
import ethosu.bench.event.Names;
import ethosu.bench.event.Trace;
import ethosu.bench.hw.FakeNpu;

import java.util.List;
import java.util.Map;

/**
 * @param results    each expected job's result by id (0, -ECANCELED, ...; null: never finished)
 * @param outcome    what the jobs ended with, in the order they finished, and the resets: what
 *                   `check` compares between two variants
 * @param counters   the library's counters at the end; null if the run did not end
 * @param failures   exceptions the scripts threw (a test's failed assertion among them)
 * @param npu        the fake device, for what it ran (its register file is gone)
 */
public record RunResult(End end, List<Finding> findings, Trace trace, Names names, Map<Long, Integer> results,
                        Map<String, Integer> resultCounts, int expected, Outcome outcome, NativeDevice.Counters counters,
                        List<Throwable> failures, FakeNpu npu, double seconds) {
    /** How the run ended. */
    public enum End {
        /** The run went to its end. */
        ENDED,
        /** It reached its step limit: past it, decisions were the default ones; explored less than asked. */
        STEP_LIMIT,
        /** It did not end within its real-time budget: a bench failure, its threads abandoned. */
        TIMED_OUT,
        /**
         * The watchdog found a context stuck in the driver (a soft lockup or a hung task: findings):
         * its thread is stopped or blocked for good inside the device, which is abandoned; the
         * process that ran it should be replaced before it runs many more.
         */
        LOCKUP,
        /**
         * A client stayed blocked in the library for good (free-running: with nothing progressing
         * for the horizon; controlled: still in its script once everything settled), or a context's
         * thread still ran after the device's teardown (free-running): the device is not torn down
         * under it (the deadlock check says which wait).
         */
        ABANDONED
    }

    public boolean logged(String text) {
        return trace.logged(text);
    }

    /** The first script failure rethrown (a test's failed assertion), after the run's own report. */
    public void rethrowFailures() {
        if (failures.isEmpty()) return;
        Throwable t = failures.get(0);
        if (t instanceof Error e) throw e;
        if (t instanceof RuntimeException r) throw r;
        throw new IllegalStateException(t);
    }
}
