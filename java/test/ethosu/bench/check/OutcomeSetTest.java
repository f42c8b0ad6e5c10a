// Outcome sets: an outcome one side reaches and the other does not is reported on its side, with
// the witness that reached it; scenarios only one side ran are not compared; outcomes survive text.
package ethosu.bench.check;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class OutcomeSetTest {
    static Outcome o(int resets, String... finished) {
        return new Outcome(List.of(finished), List.of(), resets);
    }

    @Test
    void outcomeOnOneSideOnlyIsReportedWithItsWitness() {
        OutcomeSet before = new OutcomeSet(), after = new OutcomeSet();
        before.add("two-jobs", o(1, "A=0", "B=0"), new OutcomeSet.Witness("two-jobs", 1, "b1.schedule"));
        after.add("two-jobs", o(1, "A=0", "B=0"), new OutcomeSet.Witness("two-jobs", 1, "a1.schedule"));
        after.add("two-jobs", o(2, "A=-ECANCELED", "B=0"), new OutcomeSet.Witness("two-jobs", 7, "a7.schedule"));
        after.add("two-jobs", o(2, "A=-ECANCELED", "B=0"), new OutcomeSet.Witness("two-jobs", 9, "a9.schedule"));
        OutcomeSet.Difference d = OutcomeSet.compare(before, after);
        assertTrue(d.onlyLeft().isEmpty(), d.toString());
        var only = d.onlyRight().get("two-jobs");
        assertEquals(1, only.size(), d.toString());
        assertEquals("a7.schedule", only.get(o(2, "A=-ECANCELED", "B=0")).schedule(), "the first witness is kept");
        assertFalse(d.isEmpty());
    }

    @Test
    void completionOrderTellsOutcomesApart() {
        OutcomeSet a = new OutcomeSet(), b = new OutcomeSet();
        a.add("s", o(1, "A=0", "B=0"), null);
        b.add("s", o(1, "B=0", "A=0"), null);
        OutcomeSet.Difference d = OutcomeSet.compare(a, b);
        assertEquals(1, d.onlyLeft().get("s").size());
        assertEquals(1, d.onlyRight().get("s").size());
    }

    @Test
    void scenarioOnlyOneSideExploredIsNotCompared() {
        OutcomeSet a = new OutcomeSet(), b = new OutcomeSet();
        a.add("s", o(1, "A=0"), null);
        a.add("t", o(1, "A=0"), null);
        b.add("s", o(1, "A=0"), null);
        assertTrue(OutcomeSet.compare(a, b).isEmpty());
    }

    @Test
    void outcomeTextRoundTrips() {
        Outcome x = new Outcome(List.of("A=0", "B=-ECANCELED"), List.of("C"), 3);
        assertEquals("A=0 B=-ECANCELED; unfinished C; 3 resets", x.toString());
        assertEquals(x, Outcome.parse(x.toString()));
        Outcome none = new Outcome(List.of(), List.of("A"), 1);
        assertEquals(none, Outcome.parse(none.toString()));
    }
}
