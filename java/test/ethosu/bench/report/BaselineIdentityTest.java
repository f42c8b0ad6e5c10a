// A baseline entry matches a finding by what it is (check, pattern, the functions it happened in,
// the cause reported before a follow-on), whatever the variant is called; `variants` still limits
// the entries that are a variant's own; bad entries are refused in one line.
package ethosu.bench.report;

import ethosu.bench.check.Finding;
import ethosu.bench.check.Finding.Check;
import ethosu.bench.input.BadInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BaselineIdentityTest {
    static final Baseline BASELINE = Baseline.load(Path.of("baseline/known-findings.txt"));

    static Finding finding(Check check, String text, List<String> where, List<String> earlier) {
        return new Finding(check, check.name(), where.isEmpty() ? "" : where.get(0), List.of(), text, "irq/ethosu", 0,
                where, earlier);
    }

    static final String UAF = "BUG: KASAN: slab-use-after-free in dma_fence_signal(done_fence): fence pointer read from freed memory";

    @Test
    void locklessFindingUnderAnyNameMatchesTheLocklessEntry() {
        Finding f = finding(Check.USE_AFTER_FREE, UAF, List.of("dma_fence_signal", "irq_thread"), List.of());
        for (String variant : List.of("lockless", "tree-1304f33d+drop-job_lock-publish-in_flight_job-with", "v7.2-rc1-12-gabc"))
            assertEquals("lockless-irq-thread-signals-freed-job", idOf(BASELINE.match(variant, f)), variant);
        assertNull(BASELINE.matchDriver(f), "known, but not the driver's own: it is the job_lock removal's (change lockless)");
    }

    @Test
    void sameCheckAndTextInAnotherFunctionIsNew() {
        Finding f = finding(Check.USE_AFTER_FREE, UAF, List.of("dma_fence_signal", "timedout_job", "drm_sched_job_timedout"),
                List.of());
        assertNull(BASELINE.match("lockless", f), "a use after free in timedout_job is another finding");
        Finding lock = finding(Check.USE_AFTER_FREE, "BUG: use-after-free: spin_lock on a freed lock",
                List.of("spin_lock", "free_job", "drm_sched_free_job_work"), List.of());
        assertNull(BASELINE.match("lockless", lock), "a freed lock taken in free_job is another finding");
    }

    @Test
    void followOnIsKnownOnlyAfterItsCause() {
        Finding hang = finding(Check.LIVENESS, "job C never finished within the horizon (ran, its finished fence never signalled)",
                List.of(), List.of());
        assertNull(BASELINE.match("lockless", hang), "a lost job with no cause before it is new");
        Finding after = finding(Check.LIVENESS, hang.text(), List.of(),
                List.of("USE_AFTER_FREE BUG: use-after-free: spin_lock on a freed lock"));
        assertEquals("lockless-consequences-of-freed-fence-lock", idOf(BASELINE.match("tree-x+y", after)));
        Finding erased = finding(Check.LIVENESS, hang.text(), List.of(), List.of("IRQ_SIGNALS_COMPLETION the IRQ thread ran "
                + "after job B completed, before its timeout, and did not signal it: the completion is lost"));
        assertEquals("lockless-consequences-of-freed-fence-lock", idOf(BASELINE.match("tree-x+y", erased)), "any of its causes");
    }

    @Test
    void variantsLineStillScopesAnEntry() {
        Baseline b = Baseline.parse("b.txt", """
                known planted
                  variants mutant-*
                  check *
                  match .
                """);
        Finding f = finding(Check.LEAK, "anything", List.of(), List.of());
        assertNotNull(b.match("mutant-x", f));
        assertNull(b.match("locked", f));
    }

    @Test
    void badEntriesAreOneLineWithFileAndLine() {
        var e = assertThrows(BadInputException.class, () -> Baseline.parse("b.txt", "known a\n  check LEAK\n  match x\n  in irq/ethosu\n"));
        assertEquals("b.txt:4: expected 'in' and function names such as irq_thread or ethosu_job_timedout, got 'irq/ethosu'",
                e.getMessage());
        e = assertThrows(BadInputException.class, () -> Baseline.parse("b.txt", "known a\n  check LEAK\n  match x\n  after b\n"));
        assertEquals("b.txt:4: expected 'after' and ids of entries above, got 'b'", e.getMessage());
        e = assertThrows(BadInputException.class, () -> Baseline.parse("b.txt", "\nknown a\n  check LEAK\n"));
        assertEquals("b.txt:2: entry a: expected 'check' and 'match' lines", e.getMessage());
        e = assertThrows(BadInputException.class, () -> Baseline.parse("b.txt", "known a\n  check LEAK\n  match x\n  in f\n  in g\n"));
        assertTrue(e.getMessage().startsWith("b.txt:5: expected one 'in' line in entry a"), e.getMessage());
    }

    static String idOf(Baseline.Entry e) {
        return e == null ? null : e.id();
    }
}
