// Evaluates queries on every run an exploration makes and keeps each query's first match; then
// shrinks a match to a witness: the smallest schedule whose run still matches, with its diagram.
package ethosu.bench.query;

import ethosu.bench.event.TraceIndex;
import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.Minimizer;
import ethosu.bench.control.Runs;
import ethosu.bench.control.Schedule;
import ethosu.bench.kernel.RunResult;
import ethosu.bench.report.RaceDiagram;
import ethosu.bench.scenario.Scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class QueryWatch implements Explorer.RunObserver {
    /** A query's first match in an exploration: the schedule (its index, its decisions) and the match. */
    public record Hit(Query query, long scheduleIndex, Schedule schedule, Query.Match match) {}

    /**
     * A match made small: the schedule, the run it replays to, the match in that run, its race
     * diagram; shrunk is null when the schedule was kept as found.
     */
    public record Witness(Hit hit, Schedule schedule, RunResult run, Query.Match match, String diagram,
                          Minimizer.Shrunk<Query.Match> shrunk) {}

    private final List<Query> queries;
    private final boolean stopWhenAllMatched;
    private final Map<Query, Hit> first = new LinkedHashMap<>();
    private long evaluated;

    /** @param stopWhenAllMatched end the exploration once every query has a match */
    public QueryWatch(List<Query> queries, boolean stopWhenAllMatched) {
        this.queries = List.copyOf(queries);
        this.stopWhenAllMatched = stopWhenAllMatched;
    }

    @Override
    public void ran(long scheduleIndex, RunResult run, Schedule schedule) {
        evaluated++;
        if (first.size() == queries.size()) return;
        TraceIndex t = TraceIndex.of(run.trace(), run.names());
        for (Query q : queries) {
            if (first.containsKey(q)) continue;
            Query.Match m = q.match(t);
            if (m != null) first.put(q, new Hit(q, scheduleIndex, schedule, m));
        }
    }

    @Override
    public boolean stop() {
        return stopWhenAllMatched && first.size() == queries.size();
    }

    /** Each matched query's first match, in the order they matched. */
    public Map<Query, Hit> hits() {
        return first;
    }

    /** Runs whose trace the queries were evaluated on. */
    public long evaluated() {
        return evaluated;
    }

    /**
     * The witness of a hit: with maxRuns > 0, the smallest schedule that still matches (the match is
     * the property the minimiser keeps); the schedule as found otherwise (replayed for its trace).
     */
    public static Witness witness(EthosuLibrary lib, Scenario sc, Hit hit, int maxRuns) {
        Minimizer.Shrunk<Query.Match> s = null;
        Runs.Run run;
        Query.Match m;
        if (maxRuns > 0) {
            s = Minimizer.minimize(lib, sc, hit.schedule(), r -> hit.query().match(r.result().trace(), r.result().names()),
                    maxRuns);
        }
        if (s != null && s.run() != null) {
            run = s.run();
            m = s.seen();
        } else {
            var replay = new ethosu.bench.control.strategy.Replay(hit.schedule());
            replay.nextSchedule();
            run = Runs.run(lib, sc, replay);
            m = hit.query().match(run.result().trace(), run.result().names());
            if (m == null) throw new IllegalStateException("the schedule of " + hit.query().name()
                    + " no longer matches on replay: the run is not deterministic");
        }
        String diagram = RaceDiagram.draw(run.result().trace(), run.result().names(), m.at(), m.entries(),
                hit.query().text().replaceFirst("^(witness|never)\\s+", ""));
        return new Witness(hit, run.schedule(), run.result(), m, diagram, s);
    }

    /** The header of a witness's schedule file: what it answers, and how to replay it. */
    public static String header(String variant, Scenario sc, Query q, Query.Match m) {
        return "ethosu-bench schedule\nvariant: " + variant + "\nscenario: " + sc.name() + "\nquery: " + q.text()
                + "\nmatch: " + m.text() + "\nreplay: make replay ARGS=\"--schedule <this file>\"";
    }
}
