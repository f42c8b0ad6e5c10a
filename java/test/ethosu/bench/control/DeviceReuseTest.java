// A device reset for another run (NativeDevice.acquire/release) behaves as a new one: over the
// catalog, a schedule replayed on a device that served another scenario gives the identical trace,
// decisions, findings and outcome as on a new device. Nothing of one run leaks into the next.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.NativeDevice;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.control.strategy.Pct;
import ethosu.bench.control.strategy.Replay;
import ethosu.bench.kernel.Harness;
import ethosu.bench.report.TraceText;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class DeviceReuseTest {
    /** What a run shows: its decisions with their labels, its trace, findings and outcome. */
    record Seen(List<String> decisions, List<String> trace, List<String> findings, String outcome, int uses) {}

    static Seen run(EthosuLibrary lib, Scenario sc, Strategy st) {
        int[] uses = new int[1];
        Runs.Run r = Runs.run(lib, Runs.setup(sc), st, null, Runs.scripts(sc), null,
                (Harness h) -> uses[0] = h.device().uses());
        List<String> ds = new ArrayList<>();
        for (Schedule.Decision d : r.schedule().decisions()) ds.add(d.toString());
        return new Seen(ds, TraceText.lines(r.result().trace(), r.result().names()),
                r.result().findings().stream().map(Object::toString).toList(), String.valueOf(r.result().outcome()),
                uses[0]);
    }

    /** Fails at the first line where a reused device's run (b) differs from a new one's (a). */
    static void sameLines(String what, List<String> a, List<String> b, String where) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "(end)", y = i < b.size() ? b.get(i) : "(end)";
            if (!x.equals(y))
                fail(what + " line " + i + " differs on a reused device: new '" + x + "', reused '" + y + "'; " + where);
        }
    }

    static Replay replay(Schedule s) {
        Replay r = new Replay(s);
        r.nextSchedule();
        return r;
    }

    @TestFactory
    Stream<DynamicTest> aReusedDeviceRunsAsANewOne() {
        List<Scenario> catalog = Catalog.builtIn();
        List<DynamicTest> tests = new ArrayList<>();
        for (String v : List.of("locked", "lockless"))
            for (int i = 0; i < catalog.size(); i++) {
                Scenario sc = catalog.get(i), other = catalog.get((i + 1) % catalog.size());
                tests.add(DynamicTest.dynamicTest(v + " x " + sc.name(), () -> {
                    EthosuLibrary lib = EthosuLibrary.load(v);
                    // schedules with preemptions: a few of PCT's, and a bound-1 DFS's
                    List<Strategy> picks = new ArrayList<>();
                    Pct pct = new Pct(1, 3, 400, 3);
                    BoundedDfs dfs = new BoundedDfs(1);
                    for (int k = 0; k < 3; k++) picks.add(pct);
                    for (int k = 0; k < 3; k++) picks.add(dfs);
                    for (Strategy st : picks) {
                        st.nextSchedule();
                        Runs.Run explored = Runs.run(lib, sc, st);
                        Schedule s = explored.schedule();
                        st.scheduleDone(s, !explored.result().findings().isEmpty());
                        NativeDevice.destroyKept();
                        Seen a = run(lib, sc, replay(s));
                        // the device now served `a`; let another scenario use it before the replay
                        run(lib, other, new ethosu.bench.control.strategy.DefaultScheduler());
                        Seen b = run(lib, sc, replay(s));
                        assertEquals(1, a.uses(), "the first replay must run on a new device");
                        assertTrue(b.uses() > 2, "the second replay must run on a reused device: " + b.uses());
                        String where = v + " x " + sc.name() + ", schedule:\n" + s.format("schedule");
                        sameLines("decisions", a.decisions(), b.decisions(), where);
                        sameLines("trace", a.trace(), b.trace(), where);
                        assertEquals(a.findings(), b.findings(), where);
                        assertEquals(a.outcome(), b.outcome(), where);
                    }
                }));
            }
        return tests.stream();
    }
}
