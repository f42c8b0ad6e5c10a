// Controlled shim tests of workqueue.c and pm.c with the test items and callbacks of
// ebench_selftest_kshim: what cancel_work_sync, system_wq's workers and a forced suspend let happen.
// Each story is small and explored up to a bound, so the default suite pays milliseconds for it.
package ethosu.bench.shim;

import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.shim.ControlledMock.Exploration;
import ethosu.bench.shim.ControlledMock.Run;
import ethosu.bench.shim.ControlledMock.Story;
import org.junit.jupiter.api.Test;

import static ethosu.bench.bindings.gen.ethosu_bench_h.*;
import static org.junit.jupiter.api.Assertions.*;

class ControlledWorkqueuePmTest {
    static final int EACCES = -13;

    static Exploration explore(Story s, int bound) {
        Exploration x = ControlledMock.explore(s, new BoundedDfs(bound), 2000, ControlledSchedulerTest.MAX_STALL);
        System.out.println(s.name() + ", bound " + bound + ": " + x);
        assertTrue(x.exhausted(), s.name() + " not exhausted: " + x);
        for (Run r : x.runs()) assertTrue(r.findings().isEmpty(), "findings" + r.describe());
        return x;
    }

    static int note(ControlledMock m, String key, int value) {
        m.note(key, value);
        return value;
    }

    static int num(Run r, String key) {
        return ((Number) r.notes().get(key)).intValue();
    }

    /**
     * cancel_work_sync on an item that is running and queues itself again before it returns: the
     * kernel disables the item for the wait (WORK_CANCEL_DISABLE, v6.10+), so that queue_work is
     * refused, and on return the item is neither pending nor running and never runs again. A cancel
     * that only waits lets the re-queued instance run after (or, on a second worker, while) it waits.
     * (A queue_work before the cancel has disabled the item, e.g. preempted at the cancel's first
     * point, is accepted, and the cancel grabs or waits for that run: legal, so not asserted against.)
     */
    @Test
    void workQueuedAgainWhileItsCancelWaitsNeverRuns() {
        Exploration x = explore(Story.of("cancel-vs-requeue", m -> {
            m.kshim(EBENCH_SELFTEST_WORK_SETUP(), EBENCH_SELFTEST_WORKF_REQUEUE());
            m.kshim(EBENCH_SELFTEST_WORK_QUEUE(), 0);
            if (!m.until(() -> m.kshim(EBENCH_SELFTEST_WORK_RUNS(), 0) > 0, 10)) throw new AssertionError("the item never ran");
            note(m, "running at cancel", m.kshim(EBENCH_SELFTEST_WORK_RUNNING(), 0));
            m.kshim(EBENCH_SELFTEST_WORK_CANCEL_SYNC(), 0);
            note(m, "runs at return", m.kshim(EBENCH_SELFTEST_WORK_RUNS(), 0));
            note(m, "pending at return", m.kshim(EBENCH_SELFTEST_WORK_PENDING(), 0));
            note(m, "running at return", m.kshim(EBENCH_SELFTEST_WORK_RUNNING(), 0));
            note(m, "requeued", m.kshim(EBENCH_SELFTEST_WORK_REQUEUED(), 0));
            m.sleepMs(5);
            note(m, "runs later", m.kshim(EBENCH_SELFTEST_WORK_RUNS(), 0));
            m.kshim(EBENCH_SELFTEST_WORK_CANCEL_SYNC(), 0); // the mutant's re-queued run, before the items go
            m.kshim(EBENCH_SELFTEST_WORK_FINI(), 0);
        }), 1);
        // on return: neither pending nor running, and it never runs again (every schedule)
        for (Run r : x.runs()) {
            assertEquals(0, num(r, "pending at return"), "cancel_work_sync let the item stay pending after it returned" + r.describe());
            assertEquals(0, num(r, "running at return"), "cancel_work_sync let the item run after it returned" + r.describe());
            assertEquals(num(r, "runs at return"), num(r, "runs later"), "cancel_work_sync let the item run after it returned" + r.describe());
        }
        // the item's own queue_work while the cancel waited was refused: nothing else makes it fail
        // (the item is running, not pending), so a refusal is the disable at work
        assertTrue(x.any(r -> num(r, "running at cancel") == 1 && num(r, "requeued") == 0),
                "cancel_work_sync let the item be queued again while it waited: no schedule refused it, in " + x);
    }

    /**
     * system_wq is unordered: while one item blocks (sleeps), another item runs on a second worker and
     * completes. With one worker per queue the second item waits for the first to return.
     */
    @Test
    void aSystemWqItemRunsWhileAnotherBlocks() {
        Exploration x = explore(Story.of("system-wq-two-items", m -> {
            m.kshim(EBENCH_SELFTEST_WORK_SETUP(), EBENCH_SELFTEST_WORKF_BLOCK());
            m.kshim(EBENCH_SELFTEST_WORK_QUEUE(), 0);
            if (!m.until(() -> m.kshim(EBENCH_SELFTEST_WORK_RUNNING(), 0) == 1, 10)) throw new AssertionError("item 0 never ran");
            m.kshim(EBENCH_SELFTEST_WORK_QUEUE(), 1);
            boolean done = m.until(() -> m.kshim(EBENCH_SELFTEST_WORK_RUNS(), 1) == 1
                    && m.kshim(EBENCH_SELFTEST_WORK_RUNNING(), 1) == 0, 20);
            note(m, "item 1 done", done ? 1 : 0);
            note(m, "item 0 running", m.kshim(EBENCH_SELFTEST_WORK_RUNNING(), 0));
            note(m, "overlap", m.kshim(EBENCH_SELFTEST_WORK_OVERLAP(), 0));
            m.kshim(EBENCH_SELFTEST_WORK_RELEASE(), 0);
            m.kshim(EBENCH_SELFTEST_WORK_CANCEL_SYNC(), 0);
            m.kshim(EBENCH_SELFTEST_WORK_CANCEL_SYNC(), 1);
            m.kshim(EBENCH_SELFTEST_WORK_FINI(), 0);
        }), 1);
        for (Run r : x.runs()) {
            assertEquals(1, num(r, "item 1 done"), "item 1 did not run while item 0 blocked on system_wq" + r.describe());
            assertEquals(1, num(r, "item 0 running"), "item 0 returned before its release" + r.describe());
            assertEquals(1, num(r, "overlap"), "item 1 never ran while item 0 was running" + r.describe());
        }
    }

    /**
     * pm_runtime_force_suspend disables runtime PM until pm_runtime_force_resume: on a device with no
     * other user (it becomes SUSPENDED) a pm_runtime_resume_and_get meanwhile fails with -EACCES and
     * does not resume it; after the force resume the next one resumes it. (A device with other users
     * keeps ACTIVE status, and a get meanwhile returns 0 either way: that is ethosu's reset, whose hung
     * job holds a reference, so only this story tells the disable apart.)
     */
    @Test
    void aResumeDuringAForcedSuspendIsRefused() {
        Exploration x = explore(Story.of("pm-force-suspend", m -> {
            m.kshim(EBENCH_SELFTEST_PM_SETUP(), 0);
            note(m, "get", m.kshim(EBENCH_SELFTEST_PM_GET(), 0));
            note(m, "force suspend", m.kshim(EBENCH_SELFTEST_PM_FORCE_SUSPEND(), 0));
            m.startClients();
        }, m -> {
            int r = note(m, "get during", m.kshim(EBENCH_SELFTEST_PM_GET(), 0));
            note(m, "resumes during", m.kshim(EBENCH_SELFTEST_PM_RESUMES(), 0));
            if (r == 0) m.kshim(EBENCH_SELFTEST_PM_PUT(), 0);
            note(m, "force resume", m.kshim(EBENCH_SELFTEST_PM_FORCE_RESUME(), 0));
            note(m, "get after", m.kshim(EBENCH_SELFTEST_PM_GET(), 0));
            note(m, "resumes after", m.kshim(EBENCH_SELFTEST_PM_RESUMES(), 0));
            m.kshim(EBENCH_SELFTEST_PM_PUT(), 0);
            m.kshim(EBENCH_SELFTEST_PM_PUT(), 0); // main's reference
            m.kshim(EBENCH_SELFTEST_WORK_FINI(), 0);
        }), 1);
        for (Run r : x.runs()) {
            assertEquals(0, num(r, "get"), "pm_runtime_resume_and_get" + r.describe());
            assertEquals(0, num(r, "force suspend"), "pm_runtime_force_suspend" + r.describe());
            assertEquals(EACCES, num(r, "get during"),
                    "pm_runtime_resume_and_get between force suspend and force resume did not fail with -EACCES" + r.describe());
            assertEquals(0, num(r, "resumes during"), "resumed during the forced suspend" + r.describe());
            assertEquals(0, num(r, "force resume"), "pm_runtime_force_resume" + r.describe());
            assertEquals(0, num(r, "get after"), "pm_runtime_resume_and_get after the force resume" + r.describe());
            assertEquals(1, num(r, "resumes after"), "not resumed by the get after the force resume" + r.describe());
        }
    }
}
