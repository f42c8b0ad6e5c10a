// The trace export opens in Perfetto and chrome://tracing: every event has the fields the Trace Event
// Format requires for its phase, slices on one track nest, and the lockless use after free shows as
// a track per context plus the NPU, slices for callbacks, work, IRQ handlers, locks and the device,
// instants for MMIO, fence signals and the finding. The ftrace-like dump numbers every step.
package ethosu.bench.report;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.Runs;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.strategy.Replay;
import ethosu.bench.event.Call;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Point;
import ethosu.bench.event.Trace;
import ethosu.bench.kernel.KernelContext;
import ethosu.bench.kernel.RunResult;
import ethosu.bench.scenario.Catalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class TraceEventFormatTest {
    static final Path SCHEDULE = Path.of("baseline/lockless-irq-thread-signals-freed-job.schedule");
    static RunResult run;

    @BeforeAll
    static void replay() throws Exception {
        Replay r = new Replay(Schedule.read(SCHEDULE));
        r.nextSchedule();
        run = Runs.run(EthosuLibrary.load("lockless"), Catalog.get("two-jobs"), r).result();
        assertTrue(run.findings().stream().anyMatch(f -> f.text().contains("slab-use-after-free")),
                "the baseline schedule shows its use after free: " + run.findings());
    }

    /** The fields the format requires of each phase used here (X complete, i instant, M metadata). */
    static void validate(Map<String, Object> e, int i) {
        String where = "traceEvents[" + i + "] " + e;
        for (String k : List.of("name", "ph", "pid", "tid"))
            assertTrue(e.containsKey(k), where + ": no '" + k + "'");
        assertInstanceOf(String.class, e.get("name"), where);
        assertInstanceOf(Long.class, e.get("pid"), where);
        assertInstanceOf(Long.class, e.get("tid"), where);
        String ph = (String) e.get("ph");
        assertTrue(Set.of("X", "i", "M").contains(ph), where + ": phase " + ph);
        if (!ph.equals("M")) {
            assertInstanceOf(Long.class, e.get("ts"), where + ": ts in microseconds");
            assertTrue((Long) e.get("ts") >= 0, where);
        }
        if (ph.equals("X")) {
            assertInstanceOf(Long.class, e.get("dur"), where + ": a complete event needs dur");
            assertTrue((Long) e.get("dur") >= 0, where);
        }
        if (ph.equals("i")) assertTrue(Set.of("g", "p", "t").contains(e.get("s")), where + ": instant scope");
        if (ph.equals("M")) {
            assertTrue(Set.of("process_name", "thread_name", "thread_sort_index").contains(e.get("name")), where);
            assertInstanceOf(Map.class, e.get("args"), where);
        }
        if (e.containsKey("args")) assertInstanceOf(Map.class, e.get("args"), where);
    }

    @Test
    @SuppressWarnings("unchecked")
    void exportValidatesAndShowsTheRace() {
        String text = TraceEventFormat.json(run.trace(), run.names(), "lockless x two-jobs", run.findings());
        Map<String, Object> doc = Json.object(Json.parse("export", text), "export");
        List<Object> events = Json.list(doc, "traceEvents", "export");
        assertFalse(events.isEmpty());
        Map<Long, String> tracks = new HashMap<>();
        Map<Long, List<long[]>> slices = new HashMap<>();
        Set<String> sliceCats = new HashSet<>(), instantCats = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> e = (Map<String, Object>) events.get(i);
            validate(e, i);
            long tid = (Long) e.get("tid");
            switch ((String) e.get("ph")) {
                case "M" -> {
                    if (e.get("name").equals("thread_name")) tracks.put(tid, (String) ((Map<String, Object>) e.get("args")).get("name"));
                }
                case "X" -> {
                    slices.computeIfAbsent(tid, k -> new ArrayList<>()).add(new long[]{(Long) e.get("ts"),
                            (Long) e.get("ts") + (Long) e.get("dur")});
                    sliceCats.add((String) e.get("cat"));
                    names.add((String) e.get("name"));
                }
                case "i" -> {
                    instantCats.add((String) e.get("cat"));
                    names.add((String) e.get("name"));
                }
                default -> {}
            }
        }
        for (String ctx : List.of("client-0", "submit_wq", "timeout_wq", "hardirq", "irq/ethosu", "npu"))
            assertTrue(tracks.containsValue(ctx), "a track for " + ctx + ": " + tracks);
        for (long tid : slices.keySet()) assertTrue(tracks.containsKey(tid), "every slice's track is named: " + tid);
        assertEquals(Set.of("callback", "work", "irq", "pm", "lock", "npu"), sliceCats);
        assertTrue(instantCats.containsAll(Set.of("mmio", "fence", "finding", "report")), instantCats.toString());
        assertTrue(names.contains("run_job(jobA)") && names.contains("timedout_job(jobA)") && names.contains("free_job(jobA)"),
                names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("[no use after free] BUG: KASAN: slab-use-after-free")), names.toString());
        // slices of one track nest or follow each other: viewers draw them as a stack
        slices.forEach((tid, ss) -> {
            ss.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(b[1], a[1]));
            List<long[]> open = new ArrayList<>();
            for (long[] s : ss) {
                while (!open.isEmpty() && open.getLast()[1] <= s[0]) open.removeLast();
                if (!open.isEmpty())
                    assertTrue(s[1] <= open.getLast()[1], tracks.get(tid) + ": slice " + s[0] + ".." + s[1]
                            + " crosses " + open.getLast()[0] + ".." + open.getLast()[1]);
                open.add(s);
            }
        });
        Map<String, Object> other = Json.object(doc.get("otherData"), "otherData");
        assertEquals("lockless x two-jobs", other.get("title"));
    }

    /**
     * The IRQ thread's READ_ONCE(dev->in_flight_job) that timedout_job(jobA) overtakes: the last one
     * before timedout_job(jobA) starts. Found in the typed trace, so a re-recorded schedule moves it.
     */
    static Trace.Entry overtakenRead() {
        Trace.Entry read = null;
        for (Trace.Entry en : run.trace().entries()) {
            if (en.event() instanceof CallStart c && c.call() == Call.TIMEDOUT_JOB
                    && c.render(run.names()).equals("timedout_job(jobA)")) {
                assertNotNull(read, "the IRQ thread reads in_flight_job before timedout_job(jobA) starts");
                return read;
            }
            if (en.event() instanceof Point p && p.ctx() == KernelContext.IRQ_THREAD.id
                    && p.render(run.names()).equals("READ_ONCE(dev->in_flight_job)"))
                read = en;
        }
        return fail("timedout_job(jobA) never starts in " + SCHEDULE);
    }

    @Test
    void ftraceDumpNumbersEveryStep() {
        String dump = FtraceText.dump(run.trace(), run.names(), "lockless x two-jobs");
        String[] lines = dump.split("\n");
        assertEquals("# tracer: ethosu-bench", lines[0]);
        List<String> body = java.util.Arrays.stream(lines).filter(l -> !l.startsWith("#")).toList();
        assertEquals(run.trace().entries().size(), body.size(), "one line per event");
        for (String l : body)
            assertTrue(l.matches(" *\\S+-\\d+ +\\[\\d{4}\\] +\\d+\\.\\d{6}: [a-z_]+: .*"), "ftrace-shaped: '" + l + "'");
        Trace.Entry read = overtakenRead();
        String line = String.format("irq/ethosu-5    [%04d] %12.6f: point: READ_ONCE(dev->in_flight_job)",
                read.step(), read.time() / 1e9);
        assertTrue(dump.contains(line), "the IRQ thread's read that timedout_job overtakes is numbered with its step "
                + read.step() + " (docs/DEBUGGING.md): '" + line + "'\n" + dump);
        assertTrue(dump.contains(": call_entry: timedout_job(jobA)"));
        assertTrue(dump.contains(": report: BUG: KASAN: slab-use-after-free in dma_fence_signal(done_fence)"));
    }
}
