// A property of one run's trace, in the query language (docs/QUERIES.md): `witness P` asks for a
// schedule whose trace matches P, `never P` claims none does. P relates intervals (callbacks, work
// items, IRQ handlers, PM callbacks, lock holds) and events (register accesses, fence signals,
// READ_ONCE/WRITE_ONCE, kernel reports): `run_job(B) during timedout_job(A)`.
package ethosu.bench.query;

import ethosu.bench.event.Call;
import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Names;
import ethosu.bench.event.Point;
import ethosu.bench.event.PointKind;
import ethosu.bench.event.Trace;
import ethosu.bench.event.TraceIndex;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * @param subject  what must happen
 * @param relation how it relates to object (and until, for BETWEEN); NONE: it happens at all
 * @param text     the query as written
 * @param name     what reports call it ("claim-1", "two-jobs:2", "query")
 * @param source   where it was written ("built in", "scenarios.txt:12", "the command line")
 */
public record Query(Kind kind, Term subject, Relation relation, Term object, Term until, String text, String name,
                    String source) {
    public enum Kind { WITNESS, NEVER }

    public enum Relation {
        /** The subject happens. */
        NONE,
        /** The subject starts while the object (an interval) is active on another context. */
        DURING,
        /** The subject starts inside the object (an interval) on the same context. */
        WITHIN,
        /** The subject and the object, both intervals, are active at once on two contexts. */
        OVERLAPS,
        /** The subject starts after an object event and before the first until event that follows it. */
        BETWEEN
    }

    /** An interval or an event, optionally on one context ("on irq/ethosu", "on client"). */
    public sealed interface Term permits Span, Happening {
        String context();
    }

    /** What an interval can be. */
    public enum SpanKind {
        RUN_JOB(Call.RUN_JOB), TIMEDOUT_JOB(Call.TIMEDOUT_JOB), FREE_JOB(Call.FREE_JOB), CANCEL_JOB(Call.CANCEL_JOB),
        IRQ_HANDLER(Call.IRQ_HANDLER), IRQ_THREAD(Call.IRQ_THREAD), RUNTIME_RESUME(Call.RUNTIME_RESUME),
        RUNTIME_SUSPEND(Call.RUNTIME_SUSPEND), WORK(Call.WORK),
        /** A lock held: from its acquisition to its release. */
        HOLD(null);

        public final Call call;

        SpanKind(Call call) {
            this.call = call;
        }
    }

    /** @param arg a job name for backend ops, a work item's function, a lock's name; "*" for any */
    public record Span(SpanKind kind, String arg, String context) implements Term {}

    /** What an event can be. */
    public enum EventKind { START, RETURN, SIGNAL, READL, WRITEL, READ_ONCE, WRITE_ONCE, LOCK, UNLOCK, REPORT, LABEL }

    /**
     * @param arg  a register (READL, WRITEL), a field (READ_ONCE, WRITE_ONCE), a lock, a report kind,
     *             a fence role (SIGNAL), a label prefix (LABEL); "*" for any
     * @param job  the job of a SIGNAL, "*" for any
     * @param span the interval of START and RETURN
     */
    public record Happening(EventKind kind, String arg, String job, Span span, String context) implements Term {}

    /** A query's match in one trace: what matched, in words, and where (for the diagram and the minimiser). */
    public record Match(String text, long at, Set<Long> entries, int step) {}

    /** Parses one query (see {@link QueryParser}); "witness" is implied when neither word starts it. */
    public static Query parse(String text) {
        return QueryParser.parse(text, "the command line", 0, "query");
    }

    public boolean isNever() {
        return kind == Kind.NEVER;
    }

    /** The first match of the pattern in the trace (by where it happens), or null. */
    public Match match(TraceIndex t) {
        List<Occ> xs = occurrences(subject, t);
        if (xs.isEmpty()) return null;
        Match best = null;
        switch (relation) {
            case NONE -> {
                Occ x = xs.get(0);
                best = new Match(x.what + " at step " + x.entry.step(), x.at, Set.of(x.at), x.entry.step());
            }
            case DURING, WITHIN -> {
                boolean same = relation == Relation.WITHIN;
                for (Occ y : occurrences(object, t)) {
                    for (Occ x : xs) {
                        if (best != null && x.at >= best.at()) break;
                        if (x.interval == y.interval || (x.ctx == y.ctx) != same || !y.interval.contains(x.at)) continue;
                        best = new Match(x.what + " at step " + x.entry.step() + (same ? " within " : " during ")
                                + y.what + " (" + steps(y) + ")", x.at, ends(x, y), x.entry.step());
                    }
                }
            }
            case OVERLAPS -> {
                for (Occ y : occurrences(object, t)) {
                    for (Occ x : xs) {
                        if (x.ctx == y.ctx || x.interval == y.interval) continue;
                        if (!(x.interval.start() < y.interval.end() && y.interval.start() < x.interval.end())) continue;
                        long at = Math.max(x.at, y.at);
                        if (best != null && at >= best.at()) continue;
                        Occ later = x.at > y.at ? x : y, earlier = later == x ? y : x;
                        best = new Match(x.what + " (" + steps(x) + ") overlaps " + y.what + " (" + steps(y) + "): "
                                + later.what.replaceFirst(" on .*", "") + " starts at step " + later.entry.step()
                                + " while " + earlier.what.replaceFirst(" on .*", "") + " is active", at, ends(x, y),
                                later.entry.step());
                    }
                }
            }
            case BETWEEN -> {
                List<Occ> ends = occurrences(until, t);
                for (Occ a : occurrences(object, t)) {
                    Occ b = null;
                    for (Occ e : ends) if (e.at > a.at) { b = e; break; }
                    long limit = b == null ? TraceIndex.OPEN : b.at;
                    for (Occ x : xs) {
                        if (x.at <= a.at) continue;
                        if (x.at >= limit) break;
                        long at = b == null ? x.at : b.at;
                        if (best != null && at >= best.at()) break;
                        Set<Long> es = new LinkedHashSet<>(List.of(a.at, x.at));
                        if (b != null) es.add(b.at);
                        best = new Match(x.what + " at step " + x.entry.step() + ", between " + a.what + " at step "
                                + a.entry.step() + " and " + (b == null ? "the end of the run (it never came)"
                                : b.what + " at step " + b.entry.step()), at, es, x.entry.step());
                    }
                }
            }
        }
        return best;
    }

    /** Evaluates on a trace built by a run. */
    public Match match(Trace trace, Names names) {
        return match(TraceIndex.of(trace, names));
    }

    private static Set<Long> ends(Occ x, Occ y) {
        Set<Long> s = new LinkedHashSet<>();
        s.add(y.at);
        s.add(x.at);
        if (x.interval != null && x.interval.endEntry() != null) s.add(x.interval.end());
        if (y.interval != null && y.interval.endEntry() != null) s.add(y.interval.end());
        return s;
    }

    private static String steps(Occ o) {
        TraceIndex.Interval i = o.interval;
        return "steps " + i.startEntry().step() + " to " + (i.endEntry() == null ? "the end" : i.endEntry().step());
    }

    /** One occurrence of a term: where it happens (its start, for an interval), on which context. */
    private record Occ(long at, int ctx, Trace.Entry entry, TraceIndex.Interval interval, String what) {}

    private static List<Occ> occurrences(Term term, TraceIndex t) {
        List<Occ> out = new ArrayList<>();
        Names names = t.names();
        switch (term) {
            case Span s -> {
                for (TraceIndex.Interval i : t.intervals())
                    if (matches(s, i, names))
                        out.add(new Occ(i.start(), i.ctx(), i.startEntry(), i, t.describe(i)));
            }
            case Happening h when h.kind() == EventKind.START || h.kind() == EventKind.RETURN -> {
                for (TraceIndex.Interval i : t.intervals()) {
                    if (!matches(h.span(), i, names) || !onContext(h.context(), i.ctx(), names)) continue;
                    if (h.kind() == EventKind.START)
                        out.add(new Occ(i.start(), i.ctx(), i.startEntry(), null, "start of " + t.describe(i)));
                    else if (i.endEntry() != null)
                        out.add(new Occ(i.end(), i.ctx(), i.endEntry(), null, "return of " + t.describe(i)));
                }
                out.sort(java.util.Comparator.comparingLong(Occ::at));
            }
            case Happening h -> {
                for (Trace.Entry en : t.entries()) {
                    String what = happening(h, en, names);
                    if (what != null && onContext(h.context(), en.event().ctx(), names))
                        out.add(new Occ(en.index(), en.event().ctx(), en, null, what + " on " + names.context(en.event().ctx())));
                }
            }
        }
        return out;
    }

    static boolean matches(Span s, TraceIndex.Interval i, Names names) {
        if (!onContext(s.context(), i.ctx(), names)) return false;
        if (s.kind() == SpanKind.HOLD) return i.kind() == TraceIndex.Kind.HOLD && any(s.arg(), i.name());
        if (i.kind() != TraceIndex.Kind.CALL || i.call() != s.kind().call) return false;
        if (s.kind().call.backendOp()) return job(s.arg(), i.job(), names);
        if (s.kind() == SpanKind.WORK) return any(s.arg(), i.name());
        return true;
    }

    /** What a trace entry is as the happening h names it, or null if it is not one. */
    private static String happening(Happening h, Trace.Entry en, Names names) {
        switch (h.kind()) {
            case SIGNAL -> {
                if (!(en.event() instanceof FenceSignal f) || f.again()) return null;
                if (!h.arg().equals("*") && role(h.arg()) != f.role()) return null;
                if (!job(h.job(), f.job(), names)) return null;
                return "signal(" + (f.job() != 0 ? names.job(f.job()) + "." : "") + f.role().title + ")";
            }
            case REPORT -> {
                if (!(en.event() instanceof KernelReport r)) return null;
                if (!h.arg().equals("*") && !r.kind().name().equalsIgnoreCase(h.arg().replace('-', '_'))) return null;
                return "report(" + r.kind().name().toLowerCase(Locale.ROOT) + ": " + r.text() + ")";
            }
            default -> {}
        }
        if (!(en.event() instanceof Point p) || p.kind() == null) return null;
        String text = p.render(names);
        boolean hit = switch (h.kind()) {
            case READL -> p.kind() == PointKind.READL && register(h.arg(), p, names);
            case WRITEL -> p.kind() == PointKind.WRITEL && register(h.arg(), p, names);
            case READ_ONCE -> p.kind() == PointKind.READ_ONCE && field(h.arg(), text);
            case WRITE_ONCE -> p.kind() == PointKind.WRITE_ONCE && field(h.arg(), text);
            case LOCK -> (p.kind() == PointKind.MUTEX_LOCK || p.kind() == PointKind.SPIN_LOCK)
                    && any(h.arg(), TraceIndex.lockName(p));
            case UNLOCK -> (p.kind() == PointKind.MUTEX_UNLOCK || p.kind() == PointKind.SPIN_UNLOCK)
                    && any(h.arg(), TraceIndex.lockName(p));
            case LABEL -> text.startsWith(h.arg());
            default -> false;
        };
        return hit ? text : null;
    }

    /** The fence role a query names: done_fence (the driver's name) or hw_fence, finished, scheduled. */
    static FenceRole role(String name) {
        return switch (name) {
            case "done_fence", "hw_fence" -> FenceRole.HW;
            case "finished" -> FenceRole.FINISHED;
            case "scheduled" -> FenceRole.SCHEDULED;
            default -> null;
        };
    }

    private static boolean any(String want, String have) {
        return want.equals("*") || want.equals(have);
    }

    /** A job by its scenario name ("B") or as traces print it ("jobB"). */
    private static boolean job(String want, long id, Names names) {
        if (want.equals("*")) return true;
        String n = names.job(id);
        return n.equals(want) || n.equals("job" + want);
    }

    private static boolean register(String want, Point p, Names names) {
        return want.equals("*") || names.register((int) p.obj()).equalsIgnoreCase(want);
    }

    /** "in_flight_job" or "dev->in_flight_job" against "READ_ONCE(dev->in_flight_job)". */
    private static boolean field(String want, String text) {
        if (want.equals("*")) return true;
        int a = text.indexOf('('), b = text.lastIndexOf(')');
        String f = a >= 0 && b > a ? text.substring(a + 1, b) : text;
        return f.equals(want) || f.endsWith("->" + want) || f.endsWith("." + want);
    }

    /** "irq/ethosu", or a prefix up to a dash ("client" for client-0, client-1 ...). */
    static boolean onContext(String want, int ctx, Names names) {
        if (want == null) return true;
        String n = names.context(ctx);
        return n.equals(want) || n.startsWith(want + "-");
    }

    @Override
    public String toString() {
        return text;
    }
}
