// The outcomes one engine reaches over scenarios (each job's result in completion order, the NPU
// resets) and the distinct findings, explored on its own; the C and the model of a variant are
// compared with OutcomeSet, the comparison `make check` makes between a variant before and after a patch.
package ethosu.bench.model;

import ethosu.bench.check.Finding;
import ethosu.bench.check.OutcomeSet;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.Strategy;
import ethosu.bench.kernel.Engine;
import ethosu.bench.scenario.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

public final class Outcomes {
    private Outcomes() {}

    /**
     * What one engine reached.
     *
     * @param findings     per scenario, the identities of the distinct findings
     * @param notExhausted scenarios whose bound the budget did not exhaust (their sets prove nothing)
     */
    public record Reached(String engine, OutcomeSet outcomes, SortedMap<String, SortedSet<String>> findings,
                          long schedules, List<String> notExhausted, double seconds) {}

    /** Explores every scenario with a fresh strategy from strategies, within budget each. */
    public static Reached explore(Engine engine, List<Scenario> scenarios, Supplier<Strategy> strategies,
                                  Explorer.Budget budget) {
        long t0 = System.nanoTime();
        OutcomeSet set = new OutcomeSet();
        SortedMap<String, SortedSet<String>> findings = new TreeMap<>();
        List<String> notExhausted = new ArrayList<>();
        long n = 0;
        for (Scenario sc : scenarios) {
            SortedSet<String> fs = findings.computeIfAbsent(sc.name(), k -> new TreeSet<>());
            Strategy st = strategies.get();
            Explorer.Result r = Explorer.explore(engine, sc, st, budget, f -> false, null, 0, (index, run, schedule) -> {
                set.add(sc.name(), run.outcome(), new OutcomeSet.Witness(sc.name(), index,
                        engine.kind() + " schedule " + index + " of " + st.describe()));
                for (Finding f : run.findings()) fs.add(f.identity());
            });
            n += r.schedules();
            if (!r.exhausted()) notExhausted.add(sc.name());
        }
        return new Reached(engine.kind(), set, findings, n, notExhausted, (System.nanoTime() - t0) / 1e9);
    }

    /** Outcomes and findings one side reaches that the other does not, per scenario. */
    public record Comparison(OutcomeSet.Difference outcomes, SortedMap<String, SortedSet<String>> findingsOnlyC,
                             SortedMap<String, SortedSet<String>> findingsOnlyModel) {
        public boolean same() {
            return outcomes.isEmpty() && findingsOnlyC.isEmpty() && findingsOnlyModel.isEmpty();
        }

        public String describe() {
            StringBuilder sb = new StringBuilder();
            outcomes.onlyLeft().forEach((sc, m) -> m.forEach((o, w) -> sb.append("  ").append(sc).append(": C only: ")
                    .append(o).append("   (").append(w.schedule()).append(")\n")));
            outcomes.onlyRight().forEach((sc, m) -> m.forEach((o, w) -> sb.append("  ").append(sc).append(": model only: ")
                    .append(o).append("   (").append(w.schedule()).append(")\n")));
            findingsOnlyC.forEach((sc, s) -> s.forEach(f -> sb.append("  ").append(sc).append(": finding C only: ")
                    .append(f).append('\n')));
            findingsOnlyModel.forEach((sc, s) -> s.forEach(f -> sb.append("  ").append(sc)
                    .append(": finding model only: ").append(f).append('\n')));
            return sb.toString();
        }
    }

    public static Comparison compare(Reached c, Reached model) {
        SortedMap<String, SortedSet<String>> onlyC = new TreeMap<>(), onlyM = new TreeMap<>();
        for (String sc : c.findings().keySet()) {
            if (!model.findings().containsKey(sc)) continue;
            SortedSet<String> a = new TreeSet<>(c.findings().get(sc)), b = new TreeSet<>(model.findings().get(sc));
            a.removeAll(model.findings().get(sc));
            b.removeAll(c.findings().get(sc));
            if (!a.isEmpty()) onlyC.put(sc, a);
            if (!b.isEmpty()) onlyM.put(sc, b);
        }
        return new Comparison(OutcomeSet.compare(c.outcomes(), model.outcomes()), onlyC, onlyM);
    }
}
