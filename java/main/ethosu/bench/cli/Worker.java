// A worker process: runs the driver for the commands (explorations, replays, stress runs its parent
// sends, WorkerProtocol), pinned to one CPU, with a flight recorder so that a native crash leaves the
// schedule that caused it behind. After a run the watchdog stopped (a context stuck for good in the
// driver), it says so and exits: its parent starts a fresh one.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Outcome;
import ethosu.bench.control.CpuPinning;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.FlightRecorder;
import ethosu.bench.control.Minimizer;
import ethosu.bench.control.Strategy;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.report.Baseline;
import ethosu.bench.scenario.Scenario;
import ethosu.bench.stress.StressRun;

import ethosu.bench.check.Outcome;
import ethosu.bench.control.Schedule;
import ethosu.bench.query.Claims;
import ethosu.bench.query.Query;
import ethosu.bench.query.QueryWatch;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

public final class Worker {
    private Worker() {}

    /** See {@link CpuPinning#pin}. */
    public static void pin(int cpu) {
        CpuPinning.pin(cpu);
    }

    public static void unpin() {
        CpuPinning.unpin();
    }

    /** Arguments: its slot, the scratch directory (flight recorder, resume records), the CPU to pin to (-1: none). */
    public static void main(String[] args) throws Exception {
        Main.oneCarrier();
        int index = Integer.parseInt(args[0]);
        Path scratch = Path.of(args[1]);
        int cpu = args.length > 2 ? Integer.parseInt(args[2]) : Workers.CLAIM;
        // CLAIM: a CPU no other exploration on the machine holds (another `run` started alongside included)
        if (cpu == Workers.CLAIM) CpuPinning.claimFree();
        else if (cpu >= 0) pin(cpu);
        // the protocol owns stdout: nothing else may write there
        WorkerProtocol.Writer out = new WorkerProtocol.Writer(new FileOutputStream(FileDescriptor.out));
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        WorkerProtocol.Reader in = new WorkerProtocol.Reader(System.in);
        Path flight = scratch.resolve("flight-" + index + ".rec");
        try (FlightRecorder rec = new FlightRecorder(flight)) {
            for (WorkerProtocol.Message m; (m = in.next()) != null; ) {
                boolean retire = switch (m) {
                    case WorkerProtocol.Task t -> explore(t, rec, flight, scratch.resolve("resume-" + index + ".rec"), out);
                    case WorkerProtocol.Replay r -> replay(r, rec, out);
                    case WorkerProtocol.Stress s -> stress(s, rec, out);
                    case WorkerProtocol.Soak s -> soak(s, rec, out);
                    case WorkerProtocol.Shrink s -> shrink(s, rec, out);
                    default -> throw new IOException("not a task: " + m);
                };
                if (retire) break;
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // the parent went away (it stopped at a finding, or was killed): nobody to tell, no trace
            if (!parentGone(e)) throw e;
        }
        System.exit(0);
    }

    /** A write to a parent that closed its end of the pipe. */
    static boolean parentGone(Throwable e) {
        for (; e != null; e = e.getCause())
            if (e instanceof IOException && String.valueOf(e.getMessage()).matches("(?i).*(broken pipe|stream closed).*"))
                return true;
        return false;
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
    private static boolean shrink(WorkerProtocol.Shrink s, FlightRecorder rec, WorkerProtocol.Writer out)
            throws Exception {
        long t0 = System.nanoTime();
        EthosuLibrary lib = EthosuLibrary.load(s.variant());
        Scenario sc = ethosu.bench.scenario.Catalog.get(s.scenario());
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
        out.send(new WorkerProtocol.Done(s.id(), 0, false, (System.nanoTime() - t0) / 1e9, 0, 0, problem, false, null, 0, 0));
        return false;
    }

    /** A task whose strategy starts with this compares the C with its model under that strategy. */
    static final String DIFF = "diff:";

    /**
     * The strategy t explores, already past the schedules before t.first() (explored by a worker that
     * died or retired). A bounded DFS rebuilds its path from the record of the run that ended its last
     * worker, which may be the run that only laid out its part's points (t.first() still 0): replaying
     * from the start would run it, and end the worker, again. Another strategy draws its schedules again.
     */
    private static Strategy strategyFrom(WorkerProtocol.Task t, String name) throws IOException {
        Strategy st = Explore.strategy(name, t.seed(), t.budget(), t.shard(), t.shards());
        if (st instanceof BoundedDfs dfs) {
            if (t.resume() != null) dfs.resume(FlightRecorder.read(Path.of(t.resume())).decisions(), t.first());
            else if (t.first() > 0)
                throw new IllegalStateException("a bounded DFS cannot go on after schedule " + t.first()
                        + " without the record of its path");
        } else {
            for (long i = 0; i < t.first(); i++) st.nextSchedule();
        }
        return st;
    }

    /** A differential task: each distinct divergence, how many schedules diverged, then Done. */
    private static boolean differential(WorkerProtocol.Task t, Scenario sc, FlightRecorder rec, WorkerProtocol.Writer out)
            throws Exception {
        Path save = Path.of(t.save());
        Files.createDirectories(save);
        Strategy st = strategyFrom(t, t.strategy().substring(DIFF.length()));
        var r = ethosu.bench.model.DifferentialExplorer.explore(ModelCommands.engine("c", t.variant()),
                ModelCommands.engine("model", t.model() == null ? t.variant() : t.model()), sc, st,
                new Explorer.Budget(t.budget(), t.millis()), rec, t.first());
        int n = 0;
        for (var d : r.first()) {
            Path schedule = ModelCommands.saveDivergence(save, d, "t" + t.id() + "-" + t.first() + "-" + (++n));
            Path report = Path.of(schedule.toString().replace(".schedule", ".txt"));
            Files.writeString(report, d.format() + "  schedule: " + schedule + "\n");
            out.send(new WorkerProtocol.Diverged(t.id(), d.step(), d.context(), d.what(), schedule.toString(),
                    report.toString()));
        }
        out.send(new WorkerProtocol.Compared(t.id(), r.divergences()));
        out.send(new WorkerProtocol.Done(t.id(), r.schedules(), r.exhausted(), r.seconds(), 0, 0, null, false, null, 0, 0));
        return false;
    }

    /** An exploration; true if the worker must retire after it (a run locked up). */
    private static boolean explore(WorkerProtocol.Task t, FlightRecorder rec, Path flight, Path resumeFile,
                                   WorkerProtocol.Writer out) throws Exception {
        Scenario sc = Explore.scenario(t.scenario(), t.scenarioFile() == null ? null : Path.of(t.scenarioFile()));
        if (t.strategy().startsWith(DIFF)) return differential(t, sc, rec, out);
        EthosuLibrary lib = EthosuLibrary.load(t.variant());
        Strategy st = strategyFrom(t, t.strategy());
        Path save = Path.of(t.save());
        Files.createDirectories(save);
        Predicate<Finding> stop = f -> false;
        if ("first".equals(t.stopAt())) stop = f -> true;
        if ("distinct".equals(t.stopAt())) {
            Baseline base = t.baseline() == null ? Baseline.empty() : Baseline.load(Path.of(t.baseline()));
            stop = f -> base.matchDriver(f) == null;
        }
        // the distinct outcomes of this task's runs, each with the first schedule that reached it
        Map<Outcome, WorkerProtocol.Reached> outcomes = new LinkedHashMap<>();
        // the queries asked of every schedule: the built-in claims, the scenario's own
        QueryWatch watch = new QueryWatch(queries(sc, t.claims()), false);
        java.util.Set<String> findings = new java.util.HashSet<>();
        long t0 = System.nanoTime();
        long[] lastProgress = {t0};
        Explorer.Result r = Explorer.explore(lib, sc, st, new Explorer.Budget(t.budget(), t.millis()), stop, rec,
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
        String resume = null;
        if (r.lockedUp()) {
            // the record holds the run that locked up: a fresh worker rebuilds its DFS path from it
            FlightRecorder.copyUsed(flight, resumeFile);
            resume = resumeFile.toString();
        }
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
            if (t.known() != null && t.known().contains(fd.identity())) {
                // reported already by this task (a lockup found again after its worker was replaced): counted only
                out.send(new WorkerProtocol.Found(t.id(), fd.finding(), fd.scheduleIndex(), fd.secondsToFind(), null, null));
                continue;
            }
            n++;
            Minimizer.Result m = t.minimize() ? Minimizer.minimize(lib, sc, fd, 40) : null;
            // unique per task: two tasks of one variant x scenario never share a file
            Path schedule = Explore.save(save, t.variant(), sc, fd.finding(), m == null ? fd.schedule() : m.schedule(),
                    "t" + t.id() + "-" + t.first() + "-" + n, (m == null ? fd : m.found()).needs());
            Path report = Path.of(schedule.toString().replace(".schedule", ".txt"));
            Files.writeString(report, captured(() -> Explore.printFinding(fd, m, schedule)));
            out.send(new WorkerProtocol.Found(t.id(), fd.finding(), fd.scheduleIndex(), fd.secondsToFind(),
                    schedule.toString(), report.toString()));
        }
        if (r.lockedUp())
            out.send(new WorkerProtocol.Retire("a run locked up after " + (t.first() + r.schedules())
                    + " schedule(s): a context is stopped in this process"));
        BoundedDfs dfs = st instanceof BoundedDfs d ? d : null;
        out.send(new WorkerProtocol.Done(t.id(), r.schedules(), r.exhausted(), r.seconds(), r.steps(), r.stepLimited(),
                r.problem(), r.lockedUp(), resume, dfs == null ? 0 : dfs.prunedOptions(),
                dfs == null ? 0 : dfs.redundantRuns()));
        return r.lockedUp();
    }

    /** A replay, printed as the command prints it; true if the worker must retire after it. */
    private static boolean replay(WorkerProtocol.Replay t, FlightRecorder rec, WorkerProtocol.Writer out)
            throws Exception {
        int[] status = new int[1];
        boolean[] lockedUp = new boolean[1];
        String text = captured(() -> {
            Main.ReplayCmd.Outcome o = Main.ReplayCmd.replayHere(t, rec);
            status[0] = o.status();
            lockedUp[0] = o.lockedUp();
        });
        if (lockedUp[0]) out.send(new WorkerProtocol.Retire("the replay locked up: a context is stopped in this process"));
        out.send(new WorkerProtocol.Output(t.id(), text, status[0]));
        return lockedUp[0];
    }

    /** A stress run; true if the worker must retire after it (its watchdog stopped it). */
    private static boolean stress(WorkerProtocol.Stress s, FlightRecorder rec, WorkerProtocol.Writer out)
            throws IOException {
        rec.begin("stress " + s.variant() + " seed " + s.seed());
        StressRun.Options o = StressRun.Options.defaults();
        o = o.withJobs(s.clients(), s.jobs()).withSeed(s.seed())
                .withMix(s.normal() ? StressRun.Mix.NORMAL : StressRun.Mix.DEFAULT).withTimeScale(s.timeScale())
                .withChaos(s.chaos()).withSetup(o.setup().withTraceLevel(s.traceLevel())
                        .withRegsPath(s.regs() == null ? null : Path.of(s.regs())));
        StressRun.Result r = StressRun.run(s.variant(), o);
        boolean locked = r.run().end() == ethosu.bench.kernel.RunResult.End.LOCKUP;
        // a device abandoned with a client blocked in it keeps its threads here for good, as a lockup does
        boolean retire = locked || r.run().end() == ethosu.bench.kernel.RunResult.End.ABANDONED;
        if (retire) out.send(new WorkerProtocol.Retire("the stress run left contexts stuck or blocked in this process"));
        out.send(new WorkerProtocol.Stressed(s.id(), r.variant(), r.jobs(), r.seconds(), new LinkedHashMap<>(r.results()),
                new java.util.ArrayList<>(r.findings()), r.resets(), r.irqs(), r.spurious(), locked));
        return retire;
    }

    /** A soak: runs again and again, sampled; true if the worker must retire after it (a run locked up). */
    private static boolean soak(WorkerProtocol.Soak s, FlightRecorder rec, WorkerProtocol.Writer out) throws IOException {
        WorkerProtocol.Stress st = s.stress();
        StressRun.Options o = StressRun.Options.defaults();
        o = s.lifecycles() ? o.withJobs(1, 1).withMix(StressRun.Mix.NORMAL)
                : o.withJobs(st.clients(), st.jobs()).withMix(st.normal() ? StressRun.Mix.NORMAL : StressRun.Mix.DEFAULT)
                        .withTimeScale(st.timeScale()).withChaos(st.chaos());
        o = o.withSetup(o.setup().withTraceLevel(st.traceLevel()));
        long t0 = System.nanoTime(), end = t0 + s.seconds() * 1_000_000_000L, next = t0;
        long runs = 0, jobs = 0, findings = 0;
        boolean locked = false;
        while (s.count() > 0 ? runs < s.count() : System.nanoTime() - end < 0) {
            if (System.nanoTime() - next >= 0) {
                out.send(new WorkerProtocol.Sampled(s.id(), (System.nanoTime() - t0) / 1e9, runs, jobs, findings,
                        ethosu.bench.stress.ProcessSample.now(), false));
                next += s.every() * 1_000_000_000L;
            }
            rec.begin("soak " + s.variant() + " run " + (runs + 1));
            StressRun.Result r = StressRun.run(s.variant(), o.withSeed(st.seed() + runs));
            runs++;
            jobs += r.jobs();
            findings += r.findings().size();
            if (r.run().end() == ethosu.bench.kernel.RunResult.End.LOCKUP
                    || r.run().end() == ethosu.bench.kernel.RunResult.End.ABANDONED) {
                locked = true;
                break;
            }
        }
        if (locked) out.send(new WorkerProtocol.Retire("a soak run locked up"));
        out.send(new WorkerProtocol.Sampled(s.id(), (System.nanoTime() - t0) / 1e9, runs, jobs, findings,
                ethosu.bench.stress.ProcessSample.now(), true));
        return locked;
    }

    interface Body {
        void run() throws Exception;
    }

    /** What body prints on System.out, as text. */
    static String captured(Body body) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
