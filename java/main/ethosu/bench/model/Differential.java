// Differential runs: one schedule drives the C of a variant and its model; the two normalised traces
// (every scheduling point, wait, resumption, time advance, device event and typed event of the run,
// objects named by role and job, never by address), the decisions and the findings must be
// identical. The first place they part is a divergence: a finding of the bench, with the step, the
// context, both sides' last events and a schedule file that replays it on each side.
package ethosu.bench.model;

import ethosu.bench.check.Finding;
import ethosu.bench.control.Choice;
import ethosu.bench.control.Runs;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.Strategy;
import ethosu.bench.event.Call;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.JobArmed;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Names;
import ethosu.bench.event.NpuEvent;
import ethosu.bench.event.Point;
import ethosu.bench.event.Printk;
import ethosu.bench.event.Reset;
import ethosu.bench.event.Resumed;
import ethosu.bench.event.TimeAdvanced;
import ethosu.bench.event.Trace;
import ethosu.bench.event.Wait;
import ethosu.bench.kernel.Engine;
import ethosu.bench.kernel.RunResult;
import ethosu.bench.scenario.Scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

public final class Differential {
    private Differential() {}

    /** How many entries up to the divergence a report shows of each side. */
    static final int CONTEXT_ENTRIES = 8;

    /** One entry of a normalised trace: at a decision step and kernel time, in a context, what happened. */
    public record Entry(int step, long time, String context, String text) {
        @Override
        public String toString() {
            return step + "\t" + time + "\t" + context + "\t" + text;
        }
    }

    /** What one side did under the schedule. */
    public record Side(String kind, RunResult result, Schedule schedule, List<Entry> trace) {
        public List<Finding> findings() {
            return result.findings();
        }

        public boolean ended() {
            return result.end() != RunResult.End.TIMED_OUT;
        }
    }

    /**
     * The first place the two sides part.
     *
     * @param step      the decision step it happened at
     * @param context   the context whose event differs ("-" for the device, time, or the findings)
     * @param what      one line: what each side did there
     * @param cLast     the C's last entries up to and including the divergence
     * @param modelLast the model's, likewise
     * @param schedule  the decisions that lead there (the C's), replayable on either side
     */
    public record Divergence(String variant, String scenario, int step, String context, String what, List<Entry> cLast,
                             List<Entry> modelLast, Schedule schedule) {
        /** A report for people: where, what, both sides' last events. */
        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("DIVERGENCE %s x %s at step %d in %s: %s%n", variant, scenario, step, context, what));
            sb.append("  C, last events (step, time, context, event):\n");
            for (Entry e : cLast) sb.append("    ").append(e).append('\n');
            sb.append("  model, last events:\n");
            for (Entry e : modelLast) sb.append("    ").append(e).append('\n');
            return sb.toString();
        }

        /** The schedule file: replays the run on the C and, with --engine model, on the model. */
        public String scheduleFile(String path) {
            return schedule.format("ethosu-bench schedule\nvariant: " + variant + "\nscenario: " + scenario
                    + "\nfinding: [C and model diverge] step " + step + " in " + context + ": " + what
                    + "\nreplay: make replay ARGS=\"--schedule " + path + "\" (the C), "
                    + "make replay ARGS=\"--schedule " + path + " --engine model\" (the model)");
        }
    }

    public record Result(Side c, Side model, Divergence divergence) {}

    // ---------------------------------------------------------------- normalisation

    /** file.c:123 in a warning: the model names the C's file, not always its current line. */
    static String normaliseText(String s) {
        return s.replaceAll("(\\w[\\w.-]*\\.[ch]):\\d+", "$1:#");
    }

    /** One event as a trace line: objects by role and job, never by address. */
    static String render(Event e, Names names) {
        return switch (e) {
            case Point p -> "point " + p.render(names);
            case Wait w -> "wait " + w.kind() + " " + w.label().text()
                    + (w.deadline() == Long.MAX_VALUE ? "" : " until " + w.deadline());
            case Resumed r -> r.render();
            case TimeAdvanced t -> "time advances to " + t.to();
            case NpuEvent n -> "npu " + n.kind() + (n.job() == null ? "" : " " + names.job(n.job().qbase()) + " "
                    + n.job().outcome()) + (n.text() == null ? "" : ": " + n.text());
            case Printk p -> "printk<" + p.level() + "> " + p.text();
            case KernelReport r -> "report " + r.kind() + " at " + r.site()
                    + (r.job() != 0 ? " in " + names.job(r.job()) : "") + ": " + normaliseText(r.text());
            case JobArmed a -> "armed " + names.job(a.job()) + " #" + a.seq();
            case CallStart c -> "start " + c.call().title + " " + c.render(names);
            case CallEnd c -> "end " + c.call().title + " " + (c.call().backendOp() ? names.job(c.job()) : c.name())
                    + " = " + c.result() + (c.call() == Call.RUN_JOB ? (c.obj() != 0 ? " (a fence)" : " (no fence)") : "");
            case FenceSignal f -> (f.again() ? "resignal " : "signal ") + f.role().title + " of " + names.job(f.job())
                    + " error " + f.error() + " seqno " + f.seqno();
            case Reset r -> "reset " + r.error();
            // a sanitizer's report is the C's alone (the model has no native memory): a difference by design
            case ethosu.bench.event.Sanitizer z -> "sanitizer " + z;
            case ethosu.bench.event.FaultInjected f -> "fault " + ethosu.bench.scenario.FaultSpec.Fault.name(f.fault())
                    + " in " + f.site();
            case ethosu.bench.event.PmStatus p -> "runtime pm " + p.statusName();
        };
    }

    /** A run's typed trace as normalised entries. */
    static List<Entry> normalise(RunResult r) {
        List<Entry> out = new ArrayList<>();
        for (Trace.Entry t : r.trace().entries()) {
            Event e = t.event();
            String ctx = e.ctx() == Event.NO_CONTEXT ? "-" : r.names().context(e.ctx());
            out.add(new Entry(t.step(), t.time(), ctx, render(e, r.names())));
        }
        return out;
    }

    // ---------------------------------------------------------------- the decisions

    /** A decision the strategy took on the C side: what was enabled, which was chosen. */
    record Choose(List<String> enabled, int chosen, int current) {}

    private static List<String> render(List<Choice> enabled) {
        List<String> out = new ArrayList<>(enabled.size());
        for (Choice c : enabled) out.add(c.name() + " @ " + c.label());
        return out;
    }

    /** The strategy of the C side, recording what it chose among what, step by step. */
    static final class Recording implements Strategy {
        final Strategy inner;
        final Map<Integer, Choose> chosen = new HashMap<>();

        Recording(Strategy inner) {
            this.inner = inner;
        }

        @Override
        public int choose(int step, List<Choice> enabled, int current) {
            int pick = inner.choose(step, enabled, current);
            chosen.put(step, new Choose(render(enabled), pick, current));
            return pick;
        }

        @Override
        public boolean nextSchedule() {
            return inner.nextSchedule();
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }

    /**
     * The model side's strategy: at every step the C's strategy chose, the same choice among the
     * same options; a step where the options differ, or where only one side asks, is noted.
     */
    static final class Follow implements Strategy {
        final Map<Integer, Choose> c;
        int firstMismatch = -1;
        String mismatch;

        Follow(Map<Integer, Choose> c) {
            this.c = c;
        }

        @Override
        public int choose(int step, List<Choice> enabled, int current) {
            Choose want = c.get(step);
            List<String> have = render(enabled);
            if (want == null) {
                note(step, "the model has a choice among " + have + " where the C had none");
                return current >= 0 ? current : 0;
            }
            if (!want.enabled().equals(have)) note(step, "options differ: C " + want.enabled() + ", model " + have);
            if (want.chosen() < enabled.size() && want.enabled().get(want.chosen()).equals(have.get(want.chosen())))
                return want.chosen();
            String name = want.enabled().get(want.chosen()).split(" @ ")[0];
            for (int i = 0; i < enabled.size(); i++) if (enabled.get(i).name().equals(name)) return i;
            return current >= 0 ? current : 0;
        }

        private void note(int step, String what) {
            if (firstMismatch < 0) {
                firstMismatch = step;
                mismatch = what;
            }
        }

        @Override
        public boolean nextSchedule() {
            return true;
        }

        @Override
        public String describe() {
            return "follow";
        }
    }

    // ---------------------------------------------------------------- one schedule on both sides

    /**
     * Runs one schedule of strategy (its nextSchedule() already called) on the C, then the same
     * decisions on the model, and compares. The caller reports the C's schedule to the strategy.
     *
     * @param cDecisions if non-null, sees every decision of the C run as it is taken (a flight recorder)
     */
    public static Result run(Engine cEngine, Engine modelEngine, Scenario sc, Strategy strategy,
                             Consumer<Schedule.Decision> cDecisions) {
        Recording rec = new Recording(strategy);
        Runs.Run c = Runs.run(cEngine, sc, rec, cDecisions);
        Follow follow = new Follow(rec.chosen);
        Runs.Run m = Runs.run(modelEngine, sc, follow, null);
        Side cSide = new Side(cEngine.kind(), c.result(), c.schedule(), normalise(c.result()));
        Side mSide = new Side(modelEngine.kind(), m.result(), m.schedule(), normalise(m.result()));
        return new Result(cSide, mSide, compare(cEngine.variant(), sc.name(), cSide, mSide, follow));
    }

    public static Result run(Engine cEngine, Engine modelEngine, Scenario sc, Strategy strategy) {
        return run(cEngine, modelEngine, sc, strategy, null);
    }

    /** A finding as the two sides must agree on it: identity, text (numbers of C lines aside), context. */
    static String findingKey(Finding f) {
        return f.identity() + ": " + normaliseText(f.text()) + " (" + f.context() + ")";
    }

    private static String decisionKey(Schedule.Decision d) {
        return d.step() + " " + d.context() + " @ " + d.label() + " of " + d.options() + " -> " + d.chosen();
    }

    static Divergence compare(String variant, String scenario, Side c, Side m, Follow follow) {
        List<Entry> a = c.trace(), b = m.trace();
        int n = Math.min(a.size(), b.size());
        int i = 0;
        while (i < n && a.get(i).equals(b.get(i))) i++;
        if (i < n || a.size() != b.size()) {
            Entry ea = i < a.size() ? a.get(i) : null, eb = i < b.size() ? b.get(i) : null;
            int step = ea != null && eb != null ? Math.min(ea.step(), eb.step()) : ea != null ? ea.step() : eb.step();
            if (follow.firstMismatch >= 0 && follow.firstMismatch < step) step = follow.firstMismatch;
            String ctx = ea != null ? ea.context() : eb.context();
            String what = "C: " + (ea == null ? "(trace ends)" : ea.context() + " " + ea.text()) + "; model: "
                    + (eb == null ? "(trace ends)" : eb.context() + " " + eb.text());
            return new Divergence(variant, scenario, step, ctx, what, last(a, i), last(b, i), c.schedule());
        }
        int lastStep = a.isEmpty() ? 0 : a.get(a.size() - 1).step();
        List<Schedule.Decision> da = c.schedule().decisions(), db = m.schedule().decisions();
        for (int k = 0; k < Math.max(da.size(), db.size()); k++) {
            String x = k < da.size() ? decisionKey(da.get(k)) : "(none)", y = k < db.size() ? decisionKey(db.get(k)) : "(none)";
            if (!x.equals(y))
                return new Divergence(variant, scenario, k, "-", "decisions differ: C " + x + "; model " + y,
                        last(a, a.size() - 1), last(b, b.size() - 1), c.schedule());
        }
        List<String> fa = c.findings().stream().map(Differential::findingKey).toList();
        List<String> fb = m.findings().stream().map(Differential::findingKey).toList();
        if (!fa.equals(fb))
            return new Divergence(variant, scenario, lastStep, "-", "findings differ: C " + fa + "; model " + fb,
                    last(a, a.size() - 1), last(b, b.size() - 1), c.schedule());
        if (c.result().end() != m.result().end())
            return new Divergence(variant, scenario, lastStep, "-", "C run " + c.result().end() + ", model run "
                    + m.result().end(), last(a, a.size() - 1), last(b, b.size() - 1), c.schedule());
        return null;
    }

    private static List<Entry> last(List<Entry> l, int upTo) {
        int to = Math.min(upTo + 1, l.size());
        return List.copyOf(l.subList(Math.max(0, to - CONTEXT_ENTRIES), to));
    }
}
