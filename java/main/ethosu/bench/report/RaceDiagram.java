// Draws a finding's race the way kernel commit messages do: one column per context, time going
// down, ending at the finding. Reads the run's typed trace: what a row shows is decided by the kind
// of event and of point, never by its text.
package ethosu.bench.report;

import ethosu.bench.check.Finding;
import ethosu.bench.event.Call;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.Names;
import ethosu.bench.event.NpuEvent;
import ethosu.bench.event.Point;
import ethosu.bench.event.Resumed;
import ethosu.bench.event.TimeAdvanced;
import ethosu.bench.event.Trace;
import ethosu.bench.event.Wait;
import ethosu.bench.event.WaitKind;
import ethosu.bench.hw.Regs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class RaceDiagram {
    private static final int WIDTH = 34;
    private static final int MAX_ROWS = 32;
    /** Registers whose accesses say something about the race: the job's start and end, and resets. */
    private static final Set<Integer> TELLING_REGISTERS = Set.of(Regs.STATUS, Regs.CMD, Regs.RESET, Regs.QBASE, Regs.QREAD);
    /** Left to right, as a commit message tells it: who submits, who completes, who times out. */
    private static final String[] COLUMN_ORDER = {"client", "submit_wq", "irq/ethosu", "hardirq", "timeout_wq",
        "system_wq", "npu", "time", "main"};

    private RaceDiagram() {}

    /** One row: the column (a context's name) and what it shows; the last row is the finding. */
    record Row(String column, String text, boolean finding) {
        Row(String column, String text) {
            this(column, text, false);
        }
    }

    /** The row an event makes, or null if it does not tell the race. */
    static Row row(Event e, Names names) {
        return switch (e) {
            case Point p -> tells(p) ? new Row(names.context(p.ctx()), p.render(names)) : null;
            case Wait w -> w.kind().idle || w.kind() == WaitKind.TIME ? null
                    : new Row(names.context(w.ctx()), "wait: " + w.render());
            case Resumed r -> r.how() != Resumed.How.WOKEN || r.from() == null || r.from().kind().idle
                    || r.from().kind() == WaitKind.TIME ? null : new Row(names.context(r.ctx()), r.render());
            case CallStart c -> tells(c.call()) ? new Row(names.context(c.ctx()), c.render(names)) : null;
            case NpuEvent n -> switch (n.kind()) {
                case ENDED -> new Row("npu", n.job().outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + " " + names.job(n.job().qbase()));
                case VIOLATION -> new Row("npu", n.text());
                default -> null;
            };
            case TimeAdvanced t -> new Row("time", String.format("advance to %.3f ms", t.to() / 1e6));
            default -> null;
        };
    }

    /** Scheduling points that make the race: driver-visible state, not the shims' bookkeeping. */
    static boolean tells(Point p) {
        if (p.kind() == null) return false;
        return switch (p.kind()) {
            case MUTEX_LOCK, MUTEX_UNLOCK, READ_ONCE, WRITE_ONCE, FENCE_SIGNAL, CANCEL_WORK_SYNC, FLUSH_WORK, WAKE, IRQ
                    -> true;
            case READL, WRITEL -> TELLING_REGISTERS.contains((int) p.obj());
            default -> false;
        };
    }

    /** The calls a row stands for: the driver's callbacks and handlers (their work items are implied). */
    static boolean tells(Call c) {
        return c.backendOp() || c == Call.IRQ_THREAD || c == Call.RUNTIME_RESUME;
    }

    /**
     * The schedule leading to a query's match: rows up to and including entry end, the entries the
     * match names always shown and starred, and a last row saying what matched (in the subject's column).
     */
    public static String draw(Trace trace, Names names, long end, Set<Long> highlight, String marker) {
        List<Row> rows = new ArrayList<>();
        int firstMarked = -1;
        String lastColumn = null;
        for (Trace.Entry en : trace.entries()) {
            if (en.index() > end) break;
            boolean marked = highlight.contains(en.index());
            if (!marked && names.context(en.event().ctx()).equals("main") && !(en.event() instanceof TimeAdvanced)) continue;
            Row r = row(en.event(), names);
            if (marked) {
                if (r == null) r = new Row(column(en.event(), names), TraceText.what(en.event(), names));
                r = new Row(r.column(), "*" + r.text());
                if (firstMarked < 0) firstMarked = rows.size();
                if (en.index() == end || lastColumn == null) lastColumn = r.column();
            }
            if (r != null) rows.add(r);
        }
        // keep the rows from the first marked one on (with a little before it), at least the last MAX_ROWS
        int from = Math.max(0, rows.size() - MAX_ROWS);
        if (firstMarked >= 0) from = Math.min(from, Math.max(0, firstMarked - 3));
        rows = new ArrayList<>(rows.subList(from, rows.size()));
        rows.add(new Row(lastColumn != null ? lastColumn : rows.isEmpty() ? "main" : rows.getLast().column(), "<-- " + marker, true));
        return render(rows);
    }

    private static String column(Event e, Names names) {
        if (e.ctx() != Event.NO_CONTEXT) return names.context(e.ctx());
        return e instanceof NpuEvent ? "npu" : "time";
    }

    /** The race of finding f in trace, ending where f was raised (the whole trace if unknown). */
    public static String draw(Trace trace, Names names, Finding f) {
        List<Row> rows = new ArrayList<>();
        for (Trace.Entry en : trace.entries()) {
            if (f != null && f.at() >= 0 && en.index() >= f.at()) break;
            if (names.context(en.event().ctx()).equals("main") && !(en.event() instanceof TimeAdvanced)) continue;
            Row r = row(en.event(), names);
            if (r != null) rows.add(r);
        }
        if (rows.size() > MAX_ROWS) rows = new ArrayList<>(rows.subList(rows.size() - MAX_ROWS, rows.size()));
        if (f != null) {
            String col = f.context() == null || f.context().isEmpty() || f.context().equals("main")
                    ? (rows.isEmpty() ? "main" : rows.getLast().column()) : f.context();
            rows.add(new Row(col, "<-- " + f.text(), true));
        }
        return render(rows);
    }

    private static String render(List<Row> rows) {
        Map<String, Integer> cols = new LinkedHashMap<>();
        for (String order : COLUMN_ORDER)
            for (Row r : rows) if (r.column().startsWith(order) && !cols.containsKey(r.column())) cols.put(r.column(), cols.size());
        for (Row r : rows) cols.putIfAbsent(r.column(), cols.size());
        StringBuilder sb = new StringBuilder();
        StringBuilder head = new StringBuilder(), rule = new StringBuilder();
        for (String c : cols.keySet()) {
            head.append(pad(c));
            rule.append(pad("-".repeat(c.length())));
        }
        sb.append("    ").append(head.toString().stripTrailing()).append('\n');
        sb.append("    ").append(rule.toString().stripTrailing()).append('\n');
        for (Row r : rows) {
            String line = "    " + " ".repeat(cols.get(r.column()) * WIDTH) + (r.finding() ? r.text() : clip(r.text()));
            sb.append(line.stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s) {
        return s.length() >= WIDTH ? s.substring(0, WIDTH - 1) + " " : s + " ".repeat(WIDTH - s.length());
    }

    private static String clip(String s) {
        return s.length() > WIDTH - 2 ? s.substring(0, WIDTH - 3) + "…" : s;
    }
}
