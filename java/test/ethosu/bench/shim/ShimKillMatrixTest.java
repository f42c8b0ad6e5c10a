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
    /** A mutant and the controlled shim test that kills it (null: no test does; why is the reason). */
    record Row(String mutant, String killer, Runnable test, String why) {}

    static final List<Row> MATRIX = List.of(
            new Row("pause-checks-restored", "ControlledSchedulerTest.runJobWorkDuringTheResetOnlyIfQueuedAfterTheCancel",
                    () -> new ControlledSchedulerTest().runJobWorkDuringTheResetOnlyIfQueuedAfterTheCancel(), null),
            new Row("cancel-without-disable", null, null,
                    "ControlledSchedulerTest.noRunJobWorkStartsWhileItsCancelWaits (which asserts what the mutant breaks)"
                            + " passes on it: in the racing-timeout story at FocusedDfs(2) no schedule has the run-job work"
                            + " queued while a cancel_work_sync waits for it, so a story that makes the cancel wait on a"
                            + " running instance that re-queues itself is still to be written"),
            new Row("timeout-on-submit-queue", "ControlledSchedulerTest.runJobOfTheNextJobOverlapsTheTimeoutHandlerBeforeStop",
                    () -> new ControlledSchedulerTest().runJobOfTheNextJobOverlapsTheTimeoutHandlerBeforeStop(), null),
            new Row("hw-fence-cancels-timeout", "ControlledSchedulerTest.timeoutOfACompletedJobNotYetFreed",
                    () -> new ControlledSchedulerTest().timeoutOfACompletedJobNotYetFreed(), null),
            new Row("one-worker-per-queue", null, null,
                    "no controlled story yet shows two system_wq items running at once: two schedulers whose 1 ms"
                            + " timers expire together never overlapped in 185 schedules at bound 1 (nor two timers of one"
                            + " scheduler with 10 ms stalls), so either the stories or the shim's kick of a second worker"
                            + " under the controlled platform needs a look"),
            new Row("irq-thread-not-coalescing", "ControlledIrqTest.threadWakesCoalesce",
                    () -> new ControlledIrqTest().threadWakesCoalesce(), null),
            new Row("edge-triggered-line", "ControlledIrqTest.aLineNobodyClearsIsAStorm",
                    () -> new ControlledIrqTest().aLineNobodyClearsIsAStorm(), null),
            new Row("free-irq-does-not-wait", "ControlledIrqTest.freeIrqWaitsForTheRunningHandlers",
                    () -> new ControlledIrqTest().freeIrqWaitsForTheRunningHandlers(), null),
            new Row("force-suspend-keeps-runtime-pm", null, null,
                    "no controlled shim test drives runtime PM (the mock has no PM callbacks), and on the driver the"
                            + " reset's force suspend keeps ACTIVE status while the hung job holds its reference, so a"
                            + " resume during the reset succeeds with or without the disable: nothing observable differs"));

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
