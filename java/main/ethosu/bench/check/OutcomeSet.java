// The outcomes one side of a comparison reached, per scenario, each with a run that reached it;
// compare() gives what only one side can reach. `check` compares a variant before and after a
// patch; a differential run compares the driver with its model the same way.
package ethosu.bench.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

public final class OutcomeSet {
    /** Where an outcome was first reached: a replayable schedule, or a description. */
    public record Witness(String scenario, long scheduleIndex, String schedule) {}

    /** Outcomes reached on one side only, per scenario, with the witness of each. */
    public record Difference(SortedMap<String, SortedMap<Outcome, Witness>> onlyLeft,
                             SortedMap<String, SortedMap<Outcome, Witness>> onlyRight) {
        public boolean isEmpty() {
            return onlyLeft.isEmpty() && onlyRight.isEmpty();
        }
    }

    private final Map<String, SortedMap<Outcome, Witness>> byScenario = new LinkedHashMap<>();

    /** Records an outcome of a scenario; the first witness of each outcome is kept. */
    public synchronized void add(String scenario, Outcome o, Witness w) {
        byScenario.computeIfAbsent(scenario, k -> new TreeMap<>()).putIfAbsent(o, w);
    }

    public synchronized void addAll(OutcomeSet other) {
        for (var e : other.byScenario.entrySet())
            for (var o : e.getValue().entrySet()) add(e.getKey(), o.getKey(), o.getValue());
    }

    public synchronized SortedMap<Outcome, Witness> outcomes(String scenario) {
        return Collections.unmodifiableSortedMap(byScenario.getOrDefault(scenario, new TreeMap<>()));
    }

    public synchronized List<String> scenarios() {
        return List.copyOf(byScenario.keySet());
    }

    /**
     * What each side reaches that the other does not, scenario by scenario. Only scenarios both
     * sides explored are compared: a scenario one side never ran says nothing.
     */
    public static Difference compare(OutcomeSet left, OutcomeSet right) {
        SortedMap<String, SortedMap<Outcome, Witness>> l = new TreeMap<>(), r = new TreeMap<>();
        for (String sc : left.scenarios()) {
            if (!right.byScenario.containsKey(sc)) continue;
            SortedMap<Outcome, Witness> a = left.outcomes(sc), b = right.outcomes(sc);
            SortedMap<Outcome, Witness> onlyA = new TreeMap<>(), onlyB = new TreeMap<>();
            a.forEach((o, w) -> { if (!b.containsKey(o)) onlyA.put(o, w); });
            b.forEach((o, w) -> { if (!a.containsKey(o)) onlyB.put(o, w); });
            if (!onlyA.isEmpty()) l.put(sc, onlyA);
            if (!onlyB.isEmpty()) r.put(sc, onlyB);
        }
        return new Difference(l, r);
    }
}
