// The C and the model of a variant, each explored on its own over the catalog within a bound: the
// same reachable outcomes (each job's result in completion order, the NPU resets) and the same
// distinct findings, compared as `make check` compares a variant before and after a patch.
package ethosu.bench.model;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Outcome;
import ethosu.bench.check.OutcomeSet;
import ethosu.bench.kernel.Engine;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.scenario.Catalog;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class OutcomeSetTest {
    static final Explorer.Budget BUDGET = new Explorer.Budget(5_000, 300_000);

    @TestFactory
    Stream<DynamicTest> cAndModelReachTheSameOutcomesAtBoundOne() {
        return Stream.of("locked", "lockless").map(v -> DynamicTest.dynamicTest(v, () -> {
            // plain DFS on both sides: the model has no footprints, so the reduction cannot prune its
            // search, and equal schedule counts say the two searches walked the same tree
            Outcomes.Reached c = Outcomes.explore(Engine.of(EthosuLibrary.load(v)), Catalog.builtIn(),
                    () -> new BoundedDfs(1, false, 0, 1), BUDGET);
            Outcomes.Reached m = Outcomes.explore(new ModelEngine(v), Catalog.builtIn(),
                    () -> new BoundedDfs(1, false, 0, 1), BUDGET);
            assertEquals(List.of(), c.notExhausted(), "C: bound 1 not exhausted");
            assertEquals(List.of(), m.notExhausted(), "model: bound 1 not exhausted");
            assertEquals(c.schedules(), m.schedules(), "the two explorations should see the same number of schedules");
            Outcomes.Comparison cmp = Outcomes.compare(c, m);
            assertTrue(cmp.same(), v + ": the sides reach different outcomes:\n" + cmp.describe());
            // not vacuous: every scenario reaches outcomes, some more than one
            int outcomes = 0;
            for (var sc : Catalog.builtIn()) {
                assertFalse(c.outcomes().outcomes(sc.name()).isEmpty(), sc.name() + ": no outcome");
                outcomes += c.outcomes().outcomes(sc.name()).size();
            }
            assertTrue(outcomes > Catalog.builtIn().size(), "only one outcome per scenario: " + outcomes);
        }));
    }

    /** The comparison is not blind: an outcome or a finding on one side only is reported. */
    @Test
    void aDifferenceInOutcomesOrFindingsIsReported() {
        OutcomeSet a = new OutcomeSet(), b = new OutcomeSet();
        Outcome both = new Outcome(List.of("A=0", "B=0"), List.of(), 1), onlyA = new Outcome(List.of("A=0", "B=-ECANCELED"),
                List.of(), 2);
        a.add("two-jobs", both, new OutcomeSet.Witness("two-jobs", 1, "1"));
        a.add("two-jobs", onlyA, new OutcomeSet.Witness("two-jobs", 2, "2"));
        b.add("two-jobs", both, new OutcomeSet.Witness("two-jobs", 1, "1"));
        java.util.SortedMap<String, java.util.SortedSet<String>> fa = new java.util.TreeMap<>(), fb = new java.util.TreeMap<>();
        fa.put("two-jobs", new java.util.TreeSet<>(List.of("USE_AFTER_FREE: x")));
        fb.put("two-jobs", new java.util.TreeSet<>());
        var cmp = Outcomes.compare(new Outcomes.Reached("c", a, fa, 2, List.of(), 0),
                new Outcomes.Reached("model", b, fb, 2, List.of(), 0));
        assertFalse(cmp.same());
        assertTrue(cmp.describe().contains("C only: A=0 B=-ECANCELED; 2 resets"), cmp.describe());
        assertTrue(cmp.describe().contains("finding C only: USE_AFTER_FREE: x"), cmp.describe());
    }
}
