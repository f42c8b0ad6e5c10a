// A worker process of `run`: explores the tasks its parent sends (WorkerProtocol), pinned to one CPU,
// with a flight recorder so that a native crash leaves the schedule that caused it behind.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.FlightRecorder;
import ethosu.bench.control.CpuPinning;
import ethosu.bench.control.Minimizer;
import ethosu.bench.control.Strategy;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;

import ethosu.bench.check.Outcome;
import ethosu.bench.control.Schedule;
import ethosu.bench.query.Claims;
import ethosu.bench.query.Query;
import ethosu.bench.query.QueryWatch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class Worker {
    private Worker() {}

    /** See {@link CpuPinning#pin}. */
    public static void pin(int cpu) {
        CpuPinning.pin(cpu);
    }

    public static void unpin() {
        CpuPinning.unpin();
    }

    public static void main(String[] args) throws Exception {
        Main.oneCarrier();
        int index = Integer.parseInt(args[0]);
        Path save = Path.of(args[1]);
        Files.createDirectories(save);
        // a CPU no other exploration on the machine holds (another `run` started alongside included)
        CpuPinning.claimFree();
        // the protocol owns stdout: nothing else may write there
        WorkerProtocol.Writer out = new WorkerProtocol.Writer(new FileOutputStream(FileDescriptor.out));
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        WorkerProtocol.Reader in = new WorkerProtocol.Reader(System.in);
        try (FlightRecorder rec = new FlightRecorder(save.resolve("flight-" + index + ".rec"))) {
            for (WorkerProtocol.Message m; (m = in.next()) != null; ) {
                if (m instanceof WorkerProtocol.Task t) runTask(t, rec, save, out);
                if (m instanceof WorkerProtocol.Shrink s) shrink(s, rec, save, out);
            }
        }
    }

    /** How often a task tells its parent how far it is. */
    private static final long PROGRESS_NS = 500_000_000L;

    /** The queries a task asks of every schedule: the seed's claims (if asked), then the scenario's own. */
    static List<Query> queries(Scenario sc, boolean claims) {
        List<Query> qs = new ArrayList<>();
        if (claims) for (Claims.Claim c : Claims.SEED) qs.add(c.query());
        qs.addAll(sc.queries());
        return qs;
    }

    /** The query a Shrink names: a built-in claim, or one of the scenario's own. */
    static Query query(Scenario sc, String name) {
        for (Query q : queries(sc, true)) if (q.name().equals(name)) return q;
        throw new IllegalArgumentException("scenario " + sc.name() + " has no query " + name);
    }

    /** Shrinks a Hit's schedule to the witness `run` shows: its file and its race, then Done. */
    private static void shrink(WorkerProtocol.Shrink s, FlightRecorder rec, Path save, WorkerProtocol.Writer out)
            throws Exception {
        long t0 = System.nanoTime();
        EthosuLibrary lib = EthosuLibrary.load(s.variant());
        Scenario sc = Catalog.get(s.scenario());
        Query q = query(sc, s.query());
        rec.begin("shrink " + s.query());
        String problem = null;
        try {
            // replayed first: a schedule read from a file does not say which of its decisions preempt
            var replay = new ethosu.bench.control.strategy.Replay(Schedule.read(Path.of(s.schedule())));
            replay.nextSchedule();
            Schedule found = ethosu.bench.control.Runs.run(lib, sc, replay).schedule();
            QueryWatch.Witness w = QueryWatch.witness(lib, sc, new QueryWatch.Hit(q, 0, found, null), s.maxRuns());
            Path file = Path.of(s.schedule().replace(".schedule", "-min.schedule"));
            w.schedule().write(file, QueryWatch.header(s.variant(), sc, q, w.match()));
            Path report = Path.of(file.toString().replace(".schedule", ".txt"));
            StringBuilder sb = new StringBuilder();
            sb.append("  match: ").append(w.match().text()).append('\n');
            if (w.shrunk() != null && w.shrunk().run() != null)
                sb.append(String.format("  schedule: %s (%d decisions, %d preemptions; minimised from %d preemptions in %d runs)%n",
                        file, w.shrunk().stepsAfter(), w.shrunk().preemptionsAfter(), w.shrunk().preemptionsBefore(),
                        w.shrunk().runs()));
            else
                sb.append("  schedule: ").append(file).append('\n');
            sb.append('\n').append(w.diagram());
            Files.writeString(report, sb.toString());
            out.send(new WorkerProtocol.Matched(s.id(), s.query(), 0, w.match().text(), file.toString(), report.toString()));
        } catch (IllegalStateException e) {
            problem = e.getMessage();
        }
        out.send(new WorkerProtocol.Done(s.id(), 0, false, (System.nanoTime() - t0) / 1e9, 0, 0, problem));
    }

    /** A task whose strategy starts with this compares the C with its model under that strategy. */
    static final String DIFF = "diff:";

    /** A differential task: each distinct divergence, how many schedules diverged, then Done. */
    private static void runDifferential(WorkerProtocol.Task t, Scenario sc, FlightRecorder rec, Path save,
                                        WorkerProtocol.Writer out) throws Exception {
        Strategy st = Explore.strategy(t.strategy().substring(DIFF.length()), t.seed(), t.budget(), t.shard(),
                t.shards());
        var r = ethosu.bench.model.DifferentialExplorer.explore(ModelCommands.engine("c", t.variant()),
                ModelCommands.engine("model", t.model() == null ? t.variant() : t.model()), sc, st, new Explorer.Budget(t.budget(), t.millis()), rec);
        int n = 0;
        for (var d : r.first()) {
            Path schedule = ModelCommands.saveDivergence(save, d, "t" + t.id() + "-" + (++n));
            Path report = Path.of(schedule.toString().replace(".schedule", ".txt"));
            Files.writeString(report, d.format() + "  schedule: " + schedule + "\n");
            out.send(new WorkerProtocol.Diverged(t.id(), d.step(), d.context(), d.what(), schedule.toString(),
                    report.toString()));
        }
        out.send(new WorkerProtocol.Compared(t.id(), r.divergences()));
        out.send(new WorkerProtocol.Done(t.id(), r.schedules(), r.exhausted(), r.seconds(), 0, 0, null));
    }

    private static void runTask(WorkerProtocol.Task t, FlightRecorder rec, Path save, WorkerProtocol.Writer out)
            throws Exception {
        Scenario sc = Catalog.get(t.scenario());
        if (t.strategy().startsWith(DIFF)) {
            runDifferential(t, sc, rec, save, out);
            return;
        }
        EthosuLibrary lib = EthosuLibrary.load(t.variant());
        Strategy st = Explore.strategy(t.strategy(), t.seed(), t.budget(), t.shard(), t.shards());
        if (t.first() > 0) {
            if (st instanceof BoundedDfs dfs && t.resume() != null)
                dfs.resume(FlightRecorder.read(Path.of(t.resume())).decisions(), t.first());
            else
                for (long i = 0; i < t.first(); i++) st.nextSchedule();
        }
        // the distinct outcomes of this task's runs, each with the first schedule that reached it
        Map<Outcome, WorkerProtocol.Reached> outcomes = new LinkedHashMap<>();
        // the queries asked of every schedule: the built-in claims, the scenario's own
        QueryWatch watch = new QueryWatch(queries(sc, t.claims()), false);
        java.util.Set<String> findings = new java.util.HashSet<>();
        long t0 = System.nanoTime();
        long[] lastProgress = {t0};
        Explorer.Result r = Explorer.explore(lib, sc, st, new Explorer.Budget(t.budget(), t.millis()), x -> false, rec,
                t.first(), (index, run, schedule) -> {
                    watch.ran(index, run, schedule);
                    for (var f : run.findings()) findings.add(f.identity());
                    long now = System.nanoTime();
                    if (now - lastProgress[0] > PROGRESS_NS) {
                        lastProgress[0] = now;
                        try {
                            out.send(new WorkerProtocol.Progress(t.id(), index - t.first(), findings.size(),
                                    st instanceof BoundedDfs d ? d.progress() : -1, (now - t0) / 1e9));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                    if (outcomes.containsKey(run.outcome())) return;
                    Path file = save.resolve(t.variant() + "--" + sc.name() + "--outcome-t" + t.id() + "-"
                            + (outcomes.size() + 1) + ".schedule");
                    try {
                        schedule.write(file, "ethosu-bench schedule\nvariant: " + t.variant() + "\nscenario: "
                                + sc.name() + "\noutcome: " + run.outcome());
                    } catch (IOException e) {
                        file = null;
                    }
                    outcomes.put(run.outcome(), new WorkerProtocol.Reached(t.id(), run.outcome(), index,
                            file == null ? null : file.toString()));
                });
        for (WorkerProtocol.Reached o : outcomes.values()) out.send(o);
        // each query's first match, as explored: the parent shrinks the one it shows (Shrink)
        for (QueryWatch.Hit h : watch.hits().values()) {
            Path file = save.resolve(t.variant() + "--" + sc.name() + "--t" + t.id() + "-" + t.first() + "-"
                    + h.query().name().replaceAll("[^A-Za-z0-9_-]+", "-") + ".schedule");
            h.schedule().write(file, QueryWatch.header(t.variant(), sc, h.query(), h.match()));
            out.send(new WorkerProtocol.Hit(t.id(), h.query().name(), h.scheduleIndex(), h.match().text(), file.toString()));
        }
        int n = 0;
        for (Explorer.Found fd : r.found()) {
            n++;
            Minimizer.Result m = t.minimize() ? Minimizer.minimize(lib, sc, fd, 40) : null;
            // unique per task: two tasks of one variant x scenario never share a file
            Path schedule = Explore.save(save, t.variant(), sc, fd.finding(), m == null ? fd.schedule() : m.schedule(),
                    "t" + t.id() + "-" + t.first() + "-" + n, (m == null ? fd : m.found()).needs());
            Path report = Path.of(schedule.toString().replace(".schedule", ".txt"));
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream old = System.out;
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            try {
                Explore.printFinding(fd, m, schedule);
            } finally {
                System.setOut(old);
            }
            Files.writeString(report, buf.toString(StandardCharsets.UTF_8));
            out.send(new WorkerProtocol.Found(t.id(), fd.finding(), fd.scheduleIndex(), fd.secondsToFind(),
                    schedule.toString(), report.toString()));
        }
        out.send(new WorkerProtocol.Done(t.id(), r.schedules(), r.exhausted(), r.seconds(), r.steps(), r.stepLimited(),
                r.problem()));
    }
}
