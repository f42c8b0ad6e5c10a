// Stress mode on every variant: the real variants stay clean, and the mutants that free-running
// stress can catch are caught, each by the check its patch names. Mutants it cannot catch (their
// window needs a schedule that stress almost never produces) are left to the explorer, and said so.
package ethosu.bench.stress;

import ethosu.bench.check.Finding;
import ethosu.bench.kernel.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StressTest {
    static String describe(StressRun.Result r) {
        StringBuilder sb = new StringBuilder(r.variant() + ": " + r.jobs() + " jobs, results " + r.results() + "\n");
        r.findings().stream().limit(20).forEach(f -> sb.append("  ").append(f).append('\n'));
        return sb.toString();
    }

    /**
     * Normal completions at time scale 2 (the 500 ms timeout lasts 250 ms of real time, far above
     * any JVM pause): nothing may break. Hangs and errors are covered by DriverTest; at aggressive
     * time scales a pause of the JVM is a pause of the "kernel" and reaches the timeout boundary,
     * where both real variants cancel completed jobs (a behaviour of the driver, not of the patch).
     */
    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "control-kick-then-publish-locked"})
    void realVariantsAreCleanUnderStress(String variant) {
        StressRun.Options o = StressRun.Options.defaults().withJobs(4, 60).withMix(StressRun.Mix.NORMAL)
                .withDevice(Device.Options.defaults().withTimeScale(2));
        StressRun.Result r = StressRun.run(variant, o);
        assertEquals(240, r.jobs(), describe(r));
        assertEquals(240, r.results().getOrDefault("0", 0), describe(r));
        assertEquals(List.of(), r.findings(), describe(r));
    }

    /** Errors, hangs, slow progress and spurious interrupts mixed in: every job still finishes. */
    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless"})
    void mixedBehavioursAllFinish(String variant) {
        StressRun.Options o = StressRun.Options.defaults().withJobs(2, 30)
                .withMix(new StressRun.Mix(5, 5, 5, 5, 5)).withDevice(Device.Options.defaults().withTimeScale(2));
        StressRun.Result r = StressRun.run(variant, o);
        assertEquals(60, r.jobs(), describe(r));
        assertFalse(r.results().containsKey("lost"), describe(r));
        assertTrue(r.byCheck().getOrDefault(Finding.Check.LIVENESS, 0L) == 0, describe(r));
        assertTrue(r.byCheck().getOrDefault(Finding.Check.USE_AFTER_FREE, 0L) == 0, describe(r));
        assertTrue(r.byCheck().getOrDefault(Finding.Check.LEAK, 0L) == 0, describe(r));
    }

    /** The mutants stress catches, each by the check its patch header names, within 4 x 60 jobs. */
    @ParameterizedTest
    @CsvSource({
        "mutant-signal-before-clear, COMPLETION_REPORTED",
        "mutant-irq-no-lock, COMPLETION_REPORTED",
        "mutant-hardirq-signals, ATOMIC_SLEEP",
    })
    void stressCatchesMutant(String variant, Finding.Check check) {
        StressRun.Options o = StressRun.Options.defaults().withJobs(4, 60).withMix(StressRun.Mix.NORMAL)
                .withDevice(Device.Options.defaults().withTimeScale(20).withChaos(20));
        StressRun.Result r = StressRun.run(variant, o);
        System.out.printf("stress: %s caught by [%s] in %.2f s (%d findings)%n", variant, check.title,
                r.seconds(), r.byCheck().getOrDefault(check, 0L));
        assertTrue(r.byCheck().getOrDefault(check, 0L) > 0, describe(r));
    }

    /**
     * Reported, not asserted: the mutants whose window stress reaches rarely if ever
     * (publish-after-kick: a completion between the kick and a store a few instructions later;
     * timedout-keeps-inflight: an IRQ thread run between reset and the next run_job). The
     * controlled explorer is what catches them.
     */
    @Test
    void stressOnHardMutantsIsReported() {
        for (String v : List.of("mutant-publish-after-kick", "mutant-timedout-keeps-inflight")) {
            StressRun.Result r = StressRun.run(v, StressRun.Options.defaults().withJobs(2, 30)
                    .withDevice(Device.Options.defaults().withTimeScale(20).withChaos(20)));
            System.out.printf("stress: %s -> %s in %.2f s%n", v, r.findings().isEmpty() ? "not caught" : r.byCheck(), r.seconds());
            assertEquals(60, r.jobs(), describe(r));
        }
    }
}
