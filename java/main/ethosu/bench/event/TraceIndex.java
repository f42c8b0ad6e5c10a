// One run's typed trace seen as what queries talk about: intervals (a driver callback, work item,
// IRQ handler or PM callback from its start to its return, a lock from its acquisition to its
// release) and the entries themselves (points, fence signals, kernel reports). Built once per trace,
// read by every query evaluated on it.
package ethosu.bench.event;


import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public final class TraceIndex {
    /** What an interval is: a call (its Call), or a lock held. */
    public enum Kind { CALL, HOLD }

    /**
     * One interval on one context.
     *
     * @param call  the call (null for a lock hold)
     * @param name  a work item's function, an IRQ line's name, a lock's name; null for backend ops
     * @param job   the job of a backend op, 0 otherwise
     * @param start the trace position of its start (the CallStart; for a hold, where the lock was taken)
     * @param end   the position of its return or release; {@link #OPEN} if it never came
     * @param endEntry the entry of its end, null if open
     */
    public record Interval(Kind kind, int ctx, Call call, String name, long job, long start, long end,
                           Trace.Entry startEntry, Trace.Entry endEntry) {
        public boolean contains(long index) {
            return start < index && index < end;
        }
    }

    /** An interval that never ended lasts to the end of the trace. */
    public static final long OPEN = Long.MAX_VALUE;

    private final List<Trace.Entry> entries;
    private final Names names;
    private final List<Interval> intervals = new ArrayList<>();

    private TraceIndex(List<Trace.Entry> entries, Names names) {
        this.entries = entries;
        this.names = names;
        build();
    }

    public static TraceIndex of(Trace trace, Names names) {
        return new TraceIndex(trace.entries(), names);
    }

    public static TraceIndex of(List<Trace.Entry> entries, Names names) {
        return new TraceIndex(entries, names);
    }

    public List<Trace.Entry> entries() {
        return entries;
    }

    public List<Interval> intervals() {
        return intervals;
    }

    public Names names() {
        return names;
    }

    private record Open(CallStart call, Trace.Entry entry) {}

    private record Held(long lock, String name, Trace.Entry entry, boolean waiting) {}

    private void build() {
        Map<Integer, Deque<Open>> calls = new HashMap<>();
        Map<Integer, List<Held>> held = new HashMap<>();
        for (Trace.Entry en : entries) {
            Event e = en.event();
            switch (e) {
                case CallStart c -> calls.computeIfAbsent(c.ctx(), k -> new ArrayDeque<>()).push(new Open(c, en));
                case CallEnd c -> {
                    Deque<Open> st = calls.get(c.ctx());
                    if (st == null) break;
                    // the innermost open call of the same kind (and name) is the one returning
                    for (var it = st.iterator(); it.hasNext(); ) {
                        Open o = it.next();
                        if (o.call().call() == c.call() && java.util.Objects.equals(o.call().name(), c.name())) {
                            it.remove();
                            intervals.add(new Interval(Kind.CALL, c.ctx(), c.call(), c.name(), o.call().job(),
                                    o.entry().index(), en.index(), o.entry(), en));
                            break;
                        }
                    }
                }
                case Point p when p.kind() == PointKind.MUTEX_LOCK || p.kind() == PointKind.SPIN_LOCK ->
                        held.computeIfAbsent(p.ctx(), k -> new ArrayList<>())
                                .add(new Held(p.obj(), lockName(p), en, false));
                case Point p when p.kind() == PointKind.MUTEX_UNLOCK || p.kind() == PointKind.SPIN_UNLOCK -> {
                    List<Held> hs = held.get(p.ctx());
                    if (hs == null) break;
                    for (int i = hs.size() - 1; i >= 0; i--) {
                        if (hs.get(i).lock() != p.obj()) continue;
                        Held h = hs.remove(i);
                        intervals.add(new Interval(Kind.HOLD, p.ctx(), null, h.name(), 0, h.entry().index(),
                                en.index(), h.entry(), en));
                        break;
                    }
                }
                // a lock point followed by a wait for the lock: it is taken when the context resumes
                case Wait w when w.kind() == WaitKind.LOCK -> {
                    List<Held> hs = held.get(w.ctx());
                    if (hs != null && !hs.isEmpty()) {
                        Held h = hs.removeLast();
                        hs.add(new Held(h.lock(), h.name(), h.entry(), true));
                    }
                }
                case Resumed r -> {
                    List<Held> hs = held.get(r.ctx());
                    if (hs != null && !hs.isEmpty() && hs.getLast().waiting()) {
                        Held h = hs.removeLast();
                        hs.add(new Held(h.lock(), h.name(), en, false));
                    }
                }
                default -> {}
            }
        }
        // what never returned or was never released lasts to the end
        calls.forEach((ctx, st) -> {
            for (Open o : st)
                intervals.add(new Interval(Kind.CALL, ctx, o.call().call(), o.call().name(), o.call().job(),
                        o.entry().index(), OPEN, o.entry(), null));
        });
        held.forEach((ctx, hs) -> {
            for (Held h : hs)
                intervals.add(new Interval(Kind.HOLD, ctx, null, h.name(), 0, h.entry().index(), OPEN, h.entry(), null));
        });
        intervals.sort(java.util.Comparator.comparingLong(Interval::start));
    }

    /** "mutex_lock(job_lock)" -> "job_lock". */
    public static String lockName(Point p) {
        String t = p.label().text();
        int a = t.indexOf('('), b = t.lastIndexOf(')');
        return a >= 0 && b > a ? t.substring(a + 1, b).replace("&", "").strip() : t;
    }

    /** How an interval reads in a match: "run_job(jobB) on submit_wq", "hold(pm_lock) on timeout_wq". */
    public String describe(Interval i) {
        String what = switch (i.kind()) {
            case HOLD -> "hold(" + i.name() + ")";
            case CALL -> i.call().backendOp() ? i.call().title + "(" + names.job(i.job()) + ")"
                    : i.call() == Call.WORK ? "work(" + i.name() + ")" : i.call().title;
        };
        return what + " on " + names.context(i.ctx());
    }
}
