// One run's typed trace as Trace Event Format JSON, the format Perfetto (ui.perfetto.dev) and
// chrome://tracing open: a track per kernel context and one for the NPU, slices for callbacks, work
// items, IRQ handlers, PM callbacks and lock holds, instants for MMIO, fence signals and findings.
package ethosu.bench.report;

import ethosu.bench.check.Finding;
import ethosu.bench.event.Call;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Names;
import ethosu.bench.event.NpuEvent;
import ethosu.bench.event.Point;
import ethosu.bench.event.TimeAdvanced;
import ethosu.bench.event.Trace;
import ethosu.bench.event.TraceIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Time: one microsecond per trace entry, so every event has its own place and a context's slices
 * nest by construction; virtual kernel time is not spread out enough to draw (a whole race can
 * happen at one nanosecond), so each event carries it in args.time_ns, with its decision step.
 */
public final class TraceEventFormat {
    private static final int PID = 1;
    /** The NPU's track, and the lock tracks of each context (locks need not nest with calls). */
    private static final int NPU_TID = ethosu.bench.kernel.KernelContext.NPU.id, LOCKS_TID = 1000;

    private TraceEventFormat() {}

    /**
     * @param title    what the trace is ("lockless x two-jobs, schedule ...")
     * @param findings the run's findings: an instant each, where it was raised
     */
    public static String json(Trace trace, Names names, String title, List<Finding> findings) {
        List<Trace.Entry> entries = trace.entries();
        long base = entries.isEmpty() ? 0 : entries.get(0).index();
        long last = entries.isEmpty() ? 0 : entries.getLast().index() - base + 1;
        List<Object> events = new ArrayList<>();
        Map<Integer, String> tracks = new TreeMap<>();
        TraceIndex index = TraceIndex.of(entries, names);

        for (TraceIndex.Interval i : index.intervals()) {
            boolean hold = i.kind() == TraceIndex.Kind.HOLD;
            int tid = hold ? LOCKS_TID + i.ctx() : i.ctx();
            tracks.put(tid, hold ? names.context(i.ctx()) + " locks" : names.context(i.ctx()));
            long ts = i.start() - base;
            long end = i.end() == TraceIndex.OPEN ? last : i.end() - base;
            Map<String, Object> args = args(i.startEntry());
            if (i.endEntry() != null && i.endEntry().event() instanceof CallEnd c) args.put("result", c.result());
            if (i.end() == TraceIndex.OPEN) args.put("open", "never " + (hold ? "released" : "returned") + " in this run");
            String name = hold ? i.name() : index.describe(i).replaceFirst(" on .*", "");
            events.add(slice(name, hold ? "lock" : category(i.call()), ts, Math.max(0, end - ts), tid, args));
        }
        Map<Long, Trace.Entry> npuStarts = new LinkedHashMap<>();
        for (Trace.Entry en : entries) {
            Event e = en.event();
            long ts = en.index() - base;
            // every context of the run has its track, even one that only takes locks and waits (a
            // client whose submit finds the device resumed): its lock track is drawn under it
            if (e.ctx() != Event.NO_CONTEXT) tracks.putIfAbsent(e.ctx(), names.context(e.ctx()));
            switch (e) {
                case Point p when p.kind() != null && p.kind().mmio() -> {
                    tracks.put(p.ctx(), names.context(p.ctx()));
                    events.add(instant(p.render(names), "mmio", ts, p.ctx(), "t", args(en)));
                }
                case FenceSignal f -> {
                    tracks.put(f.ctx(), names.context(f.ctx()));
                    Map<String, Object> a = args(en);
                    if (f.error() != 0) a.put("error", ethosu.bench.check.Errno.name(f.error()));
                    events.add(instant((f.again() ? "signalled again " : "signal ")
                            + (f.job() != 0 ? names.job(f.job()) + "." : "") + f.role().title, "fence", ts, f.ctx(), "t", a));
                }
                case KernelReport r -> {
                    tracks.put(r.ctx(), names.context(r.ctx()));
                    events.add(instant(r.text(), "report", ts, r.ctx(), "t", args(en)));
                }
                case NpuEvent n -> {
                    tracks.put(NPU_TID, "npu");
                    switch (n.kind()) {
                        case STARTED -> npuStarts.put(n.job().qbase(), en);
                        case ENDED -> {
                            Trace.Entry s = npuStarts.remove(n.job().qbase());
                            long from = s == null ? ts : s.index() - base;
                            Map<String, Object> a = args(s == null ? en : s);
                            a.put("outcome", n.job().outcome().name().toLowerCase(java.util.Locale.ROOT));
                            events.add(slice(names.job(n.job().qbase()), "npu", from, ts - from, NPU_TID, a));
                        }
                        case IRQ_RAISED, SPURIOUS_IRQ -> events.add(instant(n.kind() == NpuEvent.Kind.IRQ_RAISED
                                ? "IRQ raised" : "spurious IRQ", "npu", ts, NPU_TID, "t", args(en)));
                        case VIOLATION -> events.add(instant(n.text(), "npu", ts, NPU_TID, "t", args(en)));
                    }
                }
                case TimeAdvanced t -> events.add(instant(String.format("time advances to %.3f ms", t.to() / 1e6), "time",
                        ts, NPU_TID, "g", args(en)));
                default -> {}
            }
        }
        // a job still on the device at the end: its slice runs to the end
        for (Trace.Entry s : npuStarts.values()) {
            NpuEvent n = (NpuEvent) s.event();
            Map<String, Object> a = args(s);
            a.put("outcome", "running at the end of the run");
            events.add(slice(names.job(n.job().qbase()), "npu", s.index() - base, last - (s.index() - base), NPU_TID, a));
        }
        for (Finding f : findings) {
            int tid = -1;
            for (var t : tracks.entrySet()) if (t.getKey() < LOCKS_TID && t.getValue().equals(f.context())) tid = t.getKey();
            long ts = f.at() >= 0 ? Math.min(f.at() - base, last) : last;
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("check", f.check().title);
            a.put("identity", f.identity());
            events.add(instant("[" + f.check().title + "] " + f.text(), "finding", ts, tid < 0 ? NPU_TID : tid,
                    tid < 0 ? "g" : "t", a));
        }
        tracks.putIfAbsent(NPU_TID, "npu");
        List<Object> out = new ArrayList<>();
        out.add(meta("process_name", PID, 0, Map.of("name", title)));
        for (var t : tracks.entrySet()) {
            out.add(meta("thread_name", PID, t.getKey(), Map.of("name", t.getValue())));
            // each context's lock track right under it; the NPU last
            int order = t.getKey() >= LOCKS_TID ? 2 * (t.getKey() - LOCKS_TID) + 1
                    : t.getKey() == NPU_TID ? 100_000 : 2 * t.getKey();
            out.add(meta("thread_sort_index", PID, t.getKey(), Map.of("sort_index", order)));
        }
        out.addAll(events);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("traceEvents", out);
        doc.put("displayTimeUnit", "ns");
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("title", title);
        other.put("timeline", "one microsecond per trace entry; kernel time in args.time_ns, decision step in args.step");
        doc.put("otherData", other);
        return Json.write(doc, 0) + "\n";
    }

    public static void write(Path file, Trace trace, Names names, String title, List<Finding> findings) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        Files.writeString(file, json(trace, names, title, findings));
    }

    private static String category(Call c) {
        return switch (c) {
            case RUN_JOB, TIMEDOUT_JOB, FREE_JOB, CANCEL_JOB -> "callback";
            case WORK -> "work";
            case IRQ_HANDLER, IRQ_THREAD -> "irq";
            case RUNTIME_RESUME, RUNTIME_SUSPEND -> "pm";
        };
    }

    private static Map<String, Object> args(Trace.Entry en) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("step", en.step());
        a.put("time_ns", en.time());
        return a;
    }

    private static Map<String, Object> slice(String name, String cat, long ts, long dur, int tid, Map<String, Object> args) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("cat", cat);
        e.put("ph", "X");
        e.put("ts", ts);
        e.put("dur", dur);
        e.put("pid", PID);
        e.put("tid", tid);
        e.put("args", args);
        return e;
    }

    private static Map<String, Object> instant(String name, String cat, long ts, int tid, String scope, Map<String, Object> args) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("cat", cat);
        e.put("ph", "i");
        e.put("ts", ts);
        e.put("s", scope);
        e.put("pid", PID);
        e.put("tid", tid);
        e.put("args", args);
        return e;
    }

    private static Map<String, Object> meta(String name, int pid, int tid, Map<String, Object> args) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("ph", "M");
        e.put("ts", 0);
        e.put("pid", pid);
        e.put("tid", tid);
        e.put("args", args);
        return e;
    }
}
