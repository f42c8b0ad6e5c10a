// Controlled shim tests of irq.c: a test handler on the device's
// level-triggered line (ebench_selftest_irq), the story raising it, every schedule up to a bound.
// What kernel/irq/manage.c and chip.c do: the line is taken again while it stays asserted (a storm
// when nothing clears it), IRQ_WAKE_THREAD wakes coalesce, IRQF_ONESHOT masks the line until the
// thread returns, synchronize_irq/free_irq/disable_irq wait for both handlers and sleep.
package ethosu.bench.shim;

import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.shim.ControlledMock.Exploration;
import ethosu.bench.shim.ControlledMock.Run;
import ethosu.bench.shim.ControlledMock.Story;
import org.junit.jupiter.api.Test;

import static ethosu.bench.bindings.gen.ethosu_bench_h.*;
import static org.junit.jupiter.api.Assertions.*;

class ControlledIrqTest {
    static final String HARD = "selftest", THREAD = "irq/selftest";

    static Story irqStory(String name, ControlledMock.Body main) {
        return Story.of(name, main).withIrq();
    }

    static Exploration explore(Story s, int bound) {
        Exploration x = ControlledMock.explore(s, new BoundedDfs(bound), 5000, ControlledSchedulerTest.MAX_STALL);
        System.out.println(s.name() + ", bound " + bound + ": " + x);
        assertTrue(x.exhausted(), s.name() + " not exhausted");
        return x;
    }

    static int request(ControlledMock m, int flags) {
        int r = m.irq(EBENCH_SELFTEST_IRQ_REQUEST(), flags);
        assertEquals(0, r, "request_threaded_irq");
        return r;
    }

    /** A handler that never lets the line drop: the storm is reported with its count, and the line disabled. */
    @Test
    void aLineNobodyClearsIsAStorm() {
        Run r = ControlledMock.once(irqStory("storm", m -> {
            request(m, EBENCH_SELFTEST_IRQF_NO_THREAD());
            m.raiseIrq();
            m.point("raised");
            m.sleepMs(1);
            m.irq(EBENCH_SELFTEST_IRQ_FREE(), 0);
        }));
        assertTrue(r.finding("interrupt storm: the hard handler ran 64 times in a row"), r.describe());
        assertEquals(64, r.intervals(HARD, 0).size(), r.describe());
    }

    /** The level line is taken again at once when the handler returns with it still asserted. */
    @Test
    void aLevelLineIsTakenAgainWhileAsserted() {
        // the thread clears, but without IRQF_ONESHOT the line is not masked meanwhile: the hard
        // handler runs again and again until the thread gets to run (or a storm is declared)
        Exploration x = explore(irqStory("level-no-oneshot", m -> {
            request(m, EBENCH_SELFTEST_IRQF_CLEAR_THREAD());
            m.raiseIrq();
            m.point("raised");
            m.sleepMs(1);
            m.irq(EBENCH_SELFTEST_IRQ_SYNC(), 0);
            m.irq(EBENCH_SELFTEST_IRQ_FREE(), 0);
        }), 1);
        assertTrue(x.any(r -> r.intervals(HARD, 0).size() >= 2 && !r.finding("storm")),
                "the hard handler never re-ran on the asserted line, in " + x);
        assertTrue(x.any(r -> r.finding("interrupt storm")), "no storm while the thread is kept from running, in " + x);
    }

    /** IRQF_ONESHOT: the line stays masked until the thread has cleared it: one hard run per raise, never a storm. */
    @Test
    void oneshotMasksTheLineUntilTheThreadReturns() {
        Exploration x = explore(irqStory("oneshot", m -> {
            request(m, EBENCH_SELFTEST_IRQF_ONESHOT() | EBENCH_SELFTEST_IRQF_CLEAR_THREAD());
            m.raiseIrq();
            m.point("raised");
            m.sleepMs(1);
            m.irq(EBENCH_SELFTEST_IRQ_SYNC(), 0);
            m.irq(EBENCH_SELFTEST_IRQ_FREE(), 0);
        }), 1);
        for (Run r : x.runs()) {
            // none when the hard IRQ context is kept from running until free_irq (a stall within the bound)
            assertTrue(r.intervals(HARD, 0).size() <= 1, "hard handler runs" + r.describe());
            assertEquals(r.intervals(HARD, 0).size(), r.intervals(THREAD, 0).size(), "thread runs" + r.describe());
            assertFalse(r.finding("storm"), r.describe());
        }
        assertTrue(x.any(r -> r.intervals(HARD, 0).size() == 1), "the interrupt was never handled, in " + x);
    }

    /**
     * IRQ_WAKE_THREAD wakes coalesce (IRQTF_RUNTHREAD is a bit): three interrupts may give fewer
     * thread runs, never more, and at least one.
     */
    @Test
    void threadWakesCoalesce() {
        Exploration x = explore(irqStory("coalesce", m -> {
            request(m, EBENCH_SELFTEST_IRQF_CLEAR_HARD());
            for (int i = 0; i < 3; i++) {
                m.raiseIrq();
                m.point("raised " + i);
            }
            m.sleepMs(1);
            m.irq(EBENCH_SELFTEST_IRQ_SYNC(), 0);
            m.irq(EBENCH_SELFTEST_IRQ_FREE(), 0);
        }), 1);
        for (Run r : x.runs()) {
            long woke = r.events().stream().filter(e -> e.kind().equals("end") && e.what().equals(HARD) && e.value() == 2).count();
            int runs = r.intervals(THREAD, 0).size();
            assertTrue(runs <= woke && (woke == 0 || runs >= 1), runs + " thread runs for " + woke + " wakes" + r.describe());
        }
        assertTrue(x.any(r -> r.intervals(THREAD, 0).size() < r.events().stream()
                        .filter(e -> e.kind().equals("end") && e.what().equals(HARD) && e.value() == 2).count()),
                "wakes never coalesced, in " + x);
    }

    /** synchronize_irq returns only once no handler runs and no thread run is pending. */
    @Test
    void synchronizeIrqWaitsForBothHandlers() {
        Exploration x = explore(irqStory("sync", m -> {
            request(m, EBENCH_SELFTEST_IRQF_CLEAR_HARD() | EBENCH_SELFTEST_IRQF_SLEEP_IN_THREAD());
            m.raiseIrq();
            m.point("raised");
            m.sleepMs(1);
            m.point("synchronize_irq");
            m.irq(EBENCH_SELFTEST_IRQ_SYNC(), 0);
            m.point("synchronized");
            m.irq(EBENCH_SELFTEST_IRQ_FREE(), 0);
        }), 1);
        for (Run r : x.runs()) {
            int from = r.points("synchronize_irq").get(0), to = r.points("synchronized").get(0);
            boolean raisedHandled = !r.intervals(HARD, 0).isEmpty() && r.intervals(HARD, 0).get(0)[0] < from;
            for (String h : new String[] {HARD, THREAD})
                for (int[] iv : r.intervals(h, 0))
                    assertFalse(iv[0] < to && iv[1] > to, h + " still running when synchronize_irq returned" + r.describe());
            if (raisedHandled)
                assertTrue(r.intervals(THREAD, 0).stream().allMatch(iv -> iv[1] < to),
                        "a thread run woken before synchronize_irq ended after it" + r.describe());
        }
    }

    /**
     * free_irq waits for the handlers in flight (kernel/irq/manage.c, __free_irq: synchronize_irq, then
     * the thread is stopped): when it returns, neither handler runs, and no thread run starts later.
     */
    @Test
    void freeIrqWaitsForTheRunningHandlers() {
        Exploration x = explore(irqStory("free", m -> {
            request(m, EBENCH_SELFTEST_IRQF_CLEAR_HARD() | EBENCH_SELFTEST_IRQF_SLEEP_IN_THREAD());
            m.raiseIrq();
            m.point("raised");
            m.sleepMs(1);
            m.point("free_irq");
            m.irq(EBENCH_SELFTEST_IRQ_FREE(), 0);
            m.point("freed");
        }), 1);
        for (Run r : x.runs()) {
            int to = r.points("freed").get(0);
            assertFalse(r.finding("use-after-free"), r.describe());
            for (String h : new String[] {HARD, THREAD})
                for (int[] iv : r.intervals(h, 0))
                    assertFalse(iv[1] > to, h + " still running (or started) after free_irq returned" + r.describe());
        }
        assertTrue(x.any(r -> r.intervals(THREAD, 0).stream().anyMatch(iv -> iv[0] < r.points("free_irq").get(0)
                        && iv[1] > r.points("free_irq").get(0))),
                "free_irq never had to wait for a running thread, in " + x);
    }

    /** disable_irq masks the line and waits; the interrupt stays pending and is handled after enable_irq. */
    @Test
    void disableIrqHoldsThePendingInterruptUntilEnable() {
        Exploration x = explore(irqStory("disable", m -> {
            request(m, EBENCH_SELFTEST_IRQF_CLEAR_HARD());
            m.irq(EBENCH_SELFTEST_IRQ_DISABLE(), 0);
            m.point("disabled");
            m.raiseIrq();
            m.sleepMs(1);
            m.point("enable");
            m.irq(EBENCH_SELFTEST_IRQ_ENABLE(), 0);
            m.sleepMs(1);
            m.irq(EBENCH_SELFTEST_IRQ_SYNC(), 0);
            m.irq(EBENCH_SELFTEST_IRQ_FREE(), 0);
        }), 1);
        for (Run r : x.runs()) {
            int off = r.points("disabled").get(0), on = r.points("enable").get(0);
            assertFalse(r.startsBetween(HARD, 0, off, on), "the hard handler ran while the line was disabled" + r.describe());
        }
        // handled after enable_irq unless the hard IRQ context is kept from running until free_irq
        assertTrue(x.any(r -> r.intervals(HARD, 0).stream().anyMatch(iv -> iv[0] > r.points("enable").get(0))),
                "the pending interrupt was never handled after enable_irq, in " + x);
    }

    /** What the kernel reports: disable_irq in atomic context sleeps; synchronize_irq from the thread deadlocks. */
    @Test
    void waitingForTheLineFromTheWrongContextIsAFinding() {
        Run atomic = ControlledMock.once(irqStory("atomic", m -> {
            request(m, EBENCH_SELFTEST_IRQF_CLEAR_HARD());
            m.irq(EBENCH_SELFTEST_IRQ_DISABLE_ATOMIC(), 0);
            m.irq(EBENCH_SELFTEST_IRQ_FREE(), 0);
        }));
        assertTrue(atomic.finding("sleeping function called from invalid context: disable_irq"), atomic.describe());
        Run self = ControlledMock.once(irqStory("sync-in-thread", m -> {
            request(m, EBENCH_SELFTEST_IRQF_CLEAR_HARD() | EBENCH_SELFTEST_IRQF_SYNC_IN_THREAD());
            m.raiseIrq();
            m.point("raised");
            m.sleepMs(1);
            m.irq(EBENCH_SELFTEST_IRQ_FREE(), 0);
        }));
        assertTrue(self.finding("synchronize_irq") && self.finding("deadlock"), self.describe());
    }
}
