// Differential runs: one schedule drives the C of a variant and its model; the two normalised traces
// (decisions, scheduling points, waits, wakes and typed events, objects named by role and job, never
// by address) and the two sets of findings must be identical. The first place they part is a
// divergence: a finding of the bench, with the step, the context, both sides' last events and a
// schedule file that replays it on each side.
package ethosu.bench.model;

import ethosu.bench.check.Finding;
import ethosu.bench.control.Choice;
import ethosu.bench.control.Engine;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.Strategy;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.JobArmed;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Names;
import ethosu.bench.event.Point;
import ethosu.bench.event.Printk;
import ethosu.bench.event.Reset;
import ethosu.bench.event.Wait;
import ethosu.bench.scenario.Scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

public final class Differential {
    private Differential() {}

    /** How many entries before the divergence a report shows of each side. */
    static final int CONTEXT_ENTRIES = 8;

    /** One entry of a normalised trace: at a decision step, in a context, what happened. */
    public record Entry(int step, String context, String text) {
        @Override
        public String toString() {
            return step + "\t" + context + "\t" + text;
        }
    }

    /** What one side did under the schedule. */
    public record Side(String kind, boolean ended, List<Entry> trace, List<Finding> findings, Map<Long, String> jobNames,
                       Schedule schedule, List<String> runtimeTrace, List<String> log) {}

    /**
     * The first place the two sides part.
     *
     * @param step     the decision step it happened at
     * @param context  the context whose event differs (or "-" for the end of a trace, the findings)
     * @param what     one line: what each side did there
     * @param cLast    the C's last entries up to and including the divergence
     * @param modelLast the model's, likewise
     * @param schedule the decisions that lead there (the C's), replayable on either side
     */
    public record Divergence(String variant, String scenario, int step, String context, String what, List<Entry> cLast,
                             List<Entry> modelLast, Schedule schedule) {
        /** A report for people: where, what, both sides' last events. */
        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("DIVERGENCE %s x %s at step %d in %s: %s%n", variant, scenario, step, context, what));
            sb.append("  C, last events:\n");
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

    /** file.c:123 in a warning: line numbers differ between the C and the model's record of them. */
    static String normaliseText(String s) {
        return s.replaceAll("(\\w[\\w.-]*\\.[ch]):\\d+", "$1:#");
    }

    /** One event as a trace line: objects by role and job, never by address. */
    static String render(Event e, Names names) {
        return switch (e) {
            case Point p -> "point " + p.render(names);
            case Wait w -> "wait " + w.kind() + " " + w.label().text()
                    + (w.deadline() == Long.MAX_VALUE ? "" : " until " + w.deadline());
            case Printk p -> "printk<" + p.level() + "> " + p.text();
            case KernelReport r -> "report " + r.kind() + " at " + r.site()
                    + (r.job() != 0 ? " in " + names.job(r.job()) : "") + ": " + normaliseText(r.text());
            case JobArmed a -> "armed " + names.job(a.job()) + " #" + a.seq();
            case CallStart c -> "start " + c.call().title + " " + c.render(names);
            case CallEnd c -> "end " + c.call().title + " " + (c.call().backendOp() ? names.job(c.job()) : c.name())
                    + " = " + c.result() + (c.call() == ethosu.bench.event.Call.RUN_JOB
                    ? (c.obj() != 0 ? " (a fence)" : " (no fence)") : "");
            case FenceSignal f -> (f.again() ? "resignal " : "signal ") + f.role().title + " of " + names.job(f.job())
                    + " error " + f.error() + " seqno " + f.seqno();
            case Reset r -> "reset " + r.error();
            default -> e.toString();
        };
    }

    /** Collects one side's normalised trace as its run goes. */
    static final class Recorder {
        final List<Entry> entries = new ArrayList<>();
        final Engine.Run run;
        final IntFunction<String> contextName;

        Recorder(Engine.Run run, java.util.function.Consumer<Schedule.Decision> also) {
            this.run = run;
            this.contextName = id -> run.names().context(id);
            run.observe(this::event, who -> add(who, "wake"));
            run.runtime().setRecorder(d -> {
                if (also != null) also.accept(d);
                add(d.context(), "decide at '" + d.label() + "' (" + d.options() + " options"
                        + (d.preemption() ? ", preempting)" : ")"));
            });
        }

        private int step() {
            return run.runtime().schedule().size();
        }

        private void add(String ctx, String text) {
            synchronized (entries) {
                entries.add(new Entry(step(), ctx, text));
            }
        }

        void event(Event e) {
            add(e.ctx() == Event.NO_CONTEXT ? "-" : contextName.apply(e.ctx()), render(e, run.names()));
        }
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
     */
    public static Result run(Engine cEngine, Engine modelEngine, Scenario sc, Strategy strategy) {
        return run(cEngine, modelEngine, sc, strategy, null);
    }

    /** As above; cDecisions sees every decision of the C run as it is taken (a worker's flight recorder). */
    public static Result run(Engine cEngine, Engine modelEngine, Scenario sc, Strategy strategy,
                             java.util.function.Consumer<Schedule.Decision> cDecisions) {
        Recording rec = new Recording(strategy);
        Engine.Run c = cEngine.newRun(sc, rec, Explorer.MAX_STEPS);
        Side cSide = side(cEngine.kind(), c, new Recorder(c, cDecisions));
        Follow follow = new Follow(rec.chosen);
        Engine.Run m = modelEngine.newRun(sc, follow, Explorer.MAX_STEPS);
        Side mSide = side(modelEngine.kind(), m, new Recorder(m, null));
        Divergence d = compare(cEngine.variant(), sc.name(), cSide, mSide, follow);
        return new Result(cSide, mSide, d);
    }

    private static Side side(String kind, Engine.Run run, Recorder rec) {
        boolean ended;
        try {
            ended = run.run(Explorer.RUN_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        Side s = new Side(kind, ended, List.copyOf(rec.entries), run.checker().findings(), run.checker().names(),
                run.runtime().schedule(), List.copyOf(run.runtime().trace()), List.copyOf(run.log()));
        if (ended) run.destroy();
        return s;
    }

    private static String findingKey(Finding f) {
        return f.check() + " " + normaliseText(f.text()) + " (" + f.context() + ")";
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
        List<String> fa = c.findings().stream().map(Differential::findingKey).toList();
        List<String> fb = m.findings().stream().map(Differential::findingKey).toList();
        if (!fa.equals(fb)) {
            int step = a.isEmpty() ? 0 : a.get(a.size() - 1).step();
            return new Divergence(variant, scenario, step, "-", "findings differ: C " + fa + "; model " + fb,
                    last(a, a.size() - 1), last(b, b.size() - 1), c.schedule());
        }
        if (c.ended() != m.ended())
            return new Divergence(variant, scenario, a.isEmpty() ? 0 : a.get(a.size() - 1).step(), "-",
                    "C run " + (c.ended() ? "ended" : "did not end") + ", model run " + (m.ended() ? "ended" : "did not end"),
                    last(a, a.size() - 1), last(b, b.size() - 1), c.schedule());
        return null;
    }

    private static List<Entry> last(List<Entry> l, int upTo) {
        int to = Math.min(upTo + 1, l.size());
        return List.copyOf(l.subList(Math.max(0, to - CONTEXT_ENTRIES), to));
    }
}
