// Points that are no choice are recorded by the library instead of calling up (struct ebench_sched),
// and the controller takes them at the next upcall: a run gives the same decisions (steps, labels,
// options, choices), trace, findings and outcome with the recording as without it, over the catalog,
// for a bounded search (which takes only defaults once its preemptions are spent) and for PCT.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.control.strategy.Pct;
import ethosu.bench.report.TraceText;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class NoChoicePointsTest {
    record Seen(List<String> decisions, List<String> trace, List<String> findings, String outcome, int recorded) {}

    static Seen run(EthosuLibrary lib, Scenario sc, Strategy st, boolean record) {
        Controlled platform = new Controlled(st, Runs.MAX_STEPS).recordingNoChoicePoints(record);
        Runs.Run r = Runs.run(lib, Runs.setup(sc), platform, null, Runs.scripts(sc), null);
        st.scheduleDone(r.schedule(), !r.result().findings().isEmpty());
        List<String> ds = new ArrayList<>();
        for (Schedule.Decision d : r.schedule().decisions())
            ds.add(d.step() + " " + d.context() + " " + d.label() + " preempt=" + d.preemption() + " options=" + d.options()
                    + " chosen=" + d.chosen() + " current=" + d.current() + " strategy=" + d.strategy());
        return new Seen(ds, TraceText.lines(r.result().trace(), r.result().names()),
                r.result().findings().stream().map(Object::toString).toList(), String.valueOf(r.result().outcome()),
                platform.pointsRecorded());
    }

    static void sameLines(String what, List<String> a, List<String> b, String where) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "(end)", y = i < b.size() ? b.get(i) : "(end)";
            if (!x.equals(y))
                fail(what + " line " + i + " differs: with every point an upcall '" + x + "', with recorded points '" + y
                        + "'; " + where);
        }
    }

    @TestFactory
    Stream<DynamicTest> recordedPointsGiveTheSameRun() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String v : List.of("locked", "lockless"))
            for (Scenario sc : Catalog.builtIn())
                tests.add(DynamicTest.dynamicTest(v + " x " + sc.name(), () -> {
                    EthosuLibrary lib = EthosuLibrary.load(v);
                    int recorded = 0;
                    List<Supplier<Strategy>> kinds = List.of(() -> new BoundedDfs(1), () -> new Pct(1, 3, 400, 1000));
                    for (Supplier<Strategy> kind : kinds) {
                        // the same strategy twice, in lockstep: one run of each per schedule
                        Strategy upcalls = kind.get(), recording = kind.get();
                        for (int k = 0; k < 4 && upcalls.nextSchedule(); k++) {
                            assertTrue(recording.nextSchedule());
                            Seen a = run(lib, sc, upcalls, false), b = run(lib, sc, recording, true);
                            String where = v + " x " + sc.name() + ", " + upcalls.describe() + " schedule " + k;
                            assertEquals(0, a.recorded(), where);
                            sameLines("decision", a.decisions(), b.decisions(), where);
                            sameLines("trace", a.trace(), b.trace(), where);
                            assertEquals(a.findings(), b.findings(), where);
                            assertEquals(a.outcome(), b.outcome(), where);
                            recorded += b.recorded();
                        }
                    }
                    // not vacuous: the library did record points
                    assertTrue(recorded > 0, v + " x " + sc.name() + ": no point was recorded without an upcall");
                }));
        return tests.stream();
    }
}
