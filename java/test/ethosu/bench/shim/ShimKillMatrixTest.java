// The shim kill matrix: every shim mutant (native/kshim-mutants/*.patch, built into
// build/kshim-mutants/<name>/) is a deliberate deviation from mainline, and the controlled shim test
// named in its row must fail on it. A mutant no test kills stays in the matrix as a survivor, with why.
package ethosu.bench.shim;

import ethosu.bench.bindings.EthosuLibrary;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class ShimKillMatrixTest {
    /**
     * A mutant and the controlled shim test that kills it (null: no test does; why is the reason);
     * mark: what the killing failure's message says, so the kill is by the check that tells the
     * mutant's difference, not by any failure of the test.
     */
    record Row(String mutant, String killer, Runnable test, String mark, String why) {
        Row(String mutant, String killer, Runnable test, String why) {
            this(mutant, killer, test, null, why);
        }
    }

    static final List<Row> MATRIX = List.of(
            new Row("pause-checks-restored", "ControlledSchedulerTest.runJobWorkDuringTheResetOnlyIfQueuedAfterTheCancel",
                    () -> new ControlledSchedulerTest().runJobWorkDuringTheResetOnlyIfQueuedAfterTheCancel(), "no run_job or free_job between drm_sched_stop and drm_sched_start", null),
            new Row("cancel-without-disable", "ControlledWorkqueuePmTest.workQueuedAgainWhileItsCancelWaitsNeverRuns",
                    () -> new ControlledWorkqueuePmTest().workQueuedAgainWhileItsCancelWaitsNeverRuns(),
                    "cancel_work_sync let the item", null),
            new Row("timeout-on-submit-queue", "ControlledSchedulerTest.runJobOfTheNextJobOverlapsTheTimeoutHandlerBeforeStop",
                    () -> new ControlledSchedulerTest().runJobOfTheNextJobOverlapsTheTimeoutHandlerBeforeStop(), "run_job(B) never started inside timedout_job(A) before drm_sched_stop", null),
            new Row("hw-fence-cancels-timeout", "ControlledSchedulerTest.timeoutOfACompletedJobNotYetFreed",
                    () -> new ControlledSchedulerTest().timeoutOfACompletedJobNotYetFreed(), "the TDR never took B", null),
            new Row("one-worker-per-queue", "ControlledWorkqueuePmTest.aSystemWqItemRunsWhileAnotherBlocks",
                    () -> new ControlledWorkqueuePmTest().aSystemWqItemRunsWhileAnotherBlocks(),
                    "item 1 did not run while item 0 blocked on system_wq", null),
            new Row("irq-thread-not-coalescing", "ControlledIrqTest.threadWakesCoalesce",
                    () -> new ControlledIrqTest().threadWakesCoalesce(), "wakes never coalesced", null),
            new Row("edge-triggered-line", "ControlledIrqTest.aLineNobodyClearsIsAStorm",
                    () -> new ControlledIrqTest().aLineNobodyClearsIsAStorm(), "no interrupt storm reported on a line nobody clears", null),
            new Row("free-irq-does-not-wait", "ControlledIrqTest.freeIrqWaitsForTheRunningHandlers",
                    () -> new ControlledIrqTest().freeIrqWaitsForTheRunningHandlers(), "after free_irq returned", null),
            new Row("force-suspend-keeps-runtime-pm", "ControlledWorkqueuePmTest.aResumeDuringAForcedSuspendIsRefused",
                    () -> new ControlledWorkqueuePmTest().aResumeDuringAForcedSuspendIsRefused(),
                    "did not fail with -EACCES", null));

    static Path library(String mutant) {
        return EthosuLibrary.buildDir().resolve("kshim-mutants").resolve(mutant).resolve("libethosu.so");
    }

    /** Every patch in native/kshim-mutants has a row, and every row a patch: none is left out unnoticed. */
    @Test
    void everyShimMutantHasARow() throws IOException {
        TreeSet<String> patches;
        try (Stream<Path> s = Files.list(Path.of("native/kshim-mutants"))) {
            patches = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".patch"))
                    .map(n -> n.substring(0, n.length() - ".patch".length())).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(patches, MATRIX.stream().map(Row::mutant).collect(Collectors.toCollection(TreeSet::new)));
    }

    /** Each killer fails on its mutant (and passes on the real shims: it is in the default suite). */
    @TestFactory
    Stream<DynamicTest> everyShimMutantIsKilledByItsTest() {
        return MATRIX.stream().filter(r -> r.killer() != null).map(row -> DynamicTest.dynamicTest(row.mutant() + " by " + row.killer(), () -> {
            Path lib = library(row.mutant());
            assertTrue(Files.isRegularFile(lib), "no shim mutant library at " + lib + ": run `make libs`");
            String before = System.getProperty("ethosu.kshim.lib");
            AssertionFailedError killed = null;
            System.setProperty("ethosu.kshim.lib", lib.toString());
            try {
                row.test().run();
            } catch (AssertionFailedError e) {
                killed = e;
            } finally {
                if (before == null) System.clearProperty("ethosu.kshim.lib");
                else System.setProperty("ethosu.kshim.lib", before);
            }
            assertNotNull(killed, "shim mutant " + row.mutant() + " survives " + row.killer());
            String msg = String.valueOf(killed.getMessage()).strip();
            if (row.mark() != null)
                assertTrue(msg.contains(row.mark()), "shim mutant " + row.mutant() + " fails " + row.killer()
                        + " but not by the check that tells it (\"" + row.mark() + "\"): " + msg);
            int eol = msg.indexOf('\n');
            System.out.println("shim kill matrix: " + row.mutant() + " killed by " + row.killer() + ": "
                    + msg.substring(0, Math.min(200, eol < 0 ? msg.length() : eol)));
        }));
    }

    /** The survivors, stated: each has its reason, and is printed so a run of the suite shows it. */
    @Test
    void survivorsAreNamedWithTheirReason() {
        Map<String, String> survivors = MATRIX.stream().filter(r -> r.killer() == null)
                .collect(Collectors.toMap(Row::mutant, Row::why));
        survivors.forEach((m, why) -> {
            assertNotNull(why, m + " has neither a killer nor a reason");
            System.out.println("shim kill matrix: SURVIVOR " + m + ": " + why);
        });
    }
}
