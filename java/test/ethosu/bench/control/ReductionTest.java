// Partial-order reduction finds every finding the plain search finds, and ends in every outcome it
// ends in (each job's result in completion order, and the resets: a finer mark of the states
// reached): a bounded DFS with sleep sets (BoundedDfs's default) against the same DFS without, both
// to exhaustion, over the built-in catalog on both real variants and over the kill matrix's mutants,
// at bound 1 (and bound 2 where it stays small). The reduced search runs no more schedules. Longer: the same at bound 2
// over the whole catalog with -Dethosu.reduction.bound=2 (docs/PERFORMANCE.md). The comparison fires: a
// reduction told that every step commutes with every other loses outcomes.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class ReductionTest {
    static final int BOUND = Integer.getInteger("ethosu.reduction.bound", 1);

    /** A plain search's result and its outcomes, each with the first schedule that reached it. */
    record Plain(Explorer.Result result, Map<String, Schedule> outcomes) {}

    /** Plain searches already run (the negative control reuses the bound-2 one). */
    static final Map<String, Plain> PLAIN = new java.util.concurrent.ConcurrentHashMap<>();

    static Plain plain(String variant, Scenario sc, int bound) {
        return PLAIN.computeIfAbsent(variant + " " + sc.name() + " " + bound, k -> {
            Map<String, Schedule> outcomes = new TreeMap<>();
            Explorer.Result r = Explorer.explore(EthosuLibrary.load(variant), sc, new BoundedDfs(bound, false, 0, 1),
                    new Explorer.Budget(10_000_000, 3_600_000), f -> false, null, 0,
                    (i, run, s) -> outcomes.putIfAbsent(String.valueOf(run.outcome()), s));
            return new Plain(r, outcomes);
        });
    }

    static DynamicTest compare(String variant, Scenario sc, int bound) {
        return DynamicTest.dynamicTest(variant + " x " + sc.name() + " bound " + bound, () -> {
            EthosuLibrary lib = EthosuLibrary.load(variant);
            Explorer.Budget budget = new Explorer.Budget(10_000_000, 3_600_000);
            // every distinct outcome (each job's result in completion order, the resets) and the first schedule to reach it
            Map<String, Schedule> reducedOutcomes = new TreeMap<>();
            Plain p = plain(variant, sc, bound);
            Explorer.Result plain = p.result();
            Map<String, Schedule> plainOutcomes = p.outcomes();
            Explorer.Result reduced = Explorer.explore(lib, sc, new BoundedDfs(bound, true, 0, 1), budget, f -> false, null,
                    0, (i, run, s) -> reducedOutcomes.putIfAbsent(String.valueOf(run.outcome()), s));
            assertTrue(plain.exhausted() && reduced.exhausted(), "not exhausted");
            Set<String> a = new TreeSet<>(), b = new TreeSet<>();
            plain.found().forEach(f -> a.add(f.identity()));
            reduced.found().forEach(f -> b.add(f.identity()));
            Set<String> missed = new TreeSet<>(a);
            missed.removeAll(b);
            StringBuilder how = new StringBuilder();
            for (Explorer.Found f : plain.found())
                if (missed.contains(f.identity()))
                    how.append('\n').append(f.finding()).append('\n').append(f.schedule().format("plain schedule "
                            + f.scheduleIndex() + " of dfs:" + bound + ":plain"));
            assertTrue(missed.isEmpty(), "the reduced search missed " + missed + " (make explore ARGS=\"--variant " + variant
                    + " --scenario " + sc.name() + " --strategy dfs:" + bound + "\")" + how);
            // the finer test: every state the plain search ends in, the reduced one ends in too
            StringBuilder lost = new StringBuilder();
            for (var e : plainOutcomes.entrySet())
                if (!reducedOutcomes.containsKey(e.getKey()))
                    lost.append('\n').append(e.getKey()).append('\n').append(e.getValue().format("plain schedule"));
            assertTrue(lost.isEmpty(), "the reduced search never reached outcome(s) the plain one did:" + lost);
            assertTrue(reduced.schedules() <= plain.schedules(), reduced.schedules() + " > " + plain.schedules());
            System.out.printf("reduction: %s x %s bound %d: %d schedules plain, %d reduced, %d finding(s)%n", variant,
                    sc.name(), bound, plain.schedules(), reduced.schedules(), a.size());
        });
    }

    /** The reduced search, told that no two steps depend on each other (an unsound footprint). */
    static final class BlindReduction implements Strategy {
        final BoundedDfs dfs;
        final Footprint nothing = new Footprint();

        BlindReduction(int bound) {
            dfs = new BoundedDfs(bound, true, 0, 1);
        }

        @Override public int choose(int step, List<Choice> enabled, int current) { return dfs.choose(step, enabled, current); }
        @Override public boolean nextSchedule() { return dfs.nextSchedule(); }
        @Override public void scheduleDone(Schedule s, boolean failed) { dfs.scheduleDone(s, failed); }
        @Override public boolean defaultsOnly() { return dfs.defaultsOnly(); }
        @Override public boolean owns() { return dfs.owns(); }
        @Override public boolean wantsFootprints() { return true; }
        @Override public void stepped(int id, Footprint f) { dfs.stepped(id, nothing); }
        @Override public boolean exhausted() { return dfs.exhausted(); }
        @Override public String describe() { return "blind " + dfs.describe(); }
    }

    /**
     * The outcomes comparison catches an unsound reduction: with every step taken as independent,
     * an outcome goes missing at bound 2 (at bound 1 even the blind reduction reaches every outcome
     * and finding of the catalog: the bound-1 comparisons alone would not tell).
     */
    @org.junit.jupiter.api.Test
    void aReductionBlindToDependenciesLosesOutcomes() {
        EthosuLibrary lib = EthosuLibrary.load("lockless");
        Scenario sc = Catalog.get("slow-progress");
        Explorer.Budget budget = new Explorer.Budget(10_000_000, 3_600_000);
        Set<String> plain, blind = new TreeSet<>();
        Plain pr = plain("lockless", sc, 2);
        Explorer.Result p = pr.result();
        plain = pr.outcomes().keySet();
        Explorer.Result b = Explorer.explore(lib, sc, new BlindReduction(2), budget, f -> false, null, 0,
                (i, run, s) -> blind.add(String.valueOf(run.outcome())));
        assertTrue(p.exhausted() && b.exhausted());
        assertTrue(b.schedules() < p.schedules(), b.schedules() + " vs " + p.schedules());
        assertTrue(plain.containsAll(blind));
        assertTrue(blind.size() < plain.size(), "a blind reduction reached every outcome (" + blind.size()
                + "): the comparison would not catch an unsound one");
        System.out.printf("reduction: blind to dependencies, lockless x slow-progress bound 2: %d of %d schedules, %d of %d outcomes%n",
                b.schedules(), p.schedules(), blind.size(), plain.size());
    }

    @TestFactory
    Stream<DynamicTest> reducedSearchFindsWhatThePlainOneFinds() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String v : List.of("locked", "lockless"))
            for (Scenario sc : Catalog.builtIn()) tests.add(compare(v, sc, BOUND));
        // the kill matrix's variants on its scenario
        for (KillMatrixTest.Row row : KillMatrixTest.MATRIX)
            if (!row.variant().equals("lockless")) tests.add(compare(row.variant(), Catalog.get("two-jobs"), BOUND));
        // bound 2 where it stays small: the bound at which an unsound reduction shows (see above)
        if (BOUND < 2) tests.add(compare("lockless", Catalog.get("slow-progress"), 2));
        return tests.stream();
    }
}
