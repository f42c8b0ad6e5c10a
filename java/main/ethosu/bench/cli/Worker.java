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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
            for (WorkerProtocol.Message m; (m = in.next()) != null; )
                if (m instanceof WorkerProtocol.Task t) runTask(t, rec, save, out);
        }
    }

    private static void runTask(WorkerProtocol.Task t, FlightRecorder rec, Path save, WorkerProtocol.Writer out)
            throws Exception {
        EthosuLibrary lib = EthosuLibrary.load(t.variant());
        Scenario sc = Catalog.get(t.scenario());
        Strategy st = Explore.strategy(t.strategy(), t.seed(), t.budget(), t.shard(), t.shards());
        if (t.first() > 0) {
            if (st instanceof BoundedDfs dfs && t.resume() != null)
                dfs.resume(FlightRecorder.read(Path.of(t.resume())).decisions(), t.first());
            else
                for (long i = 0; i < t.first(); i++) st.nextSchedule();
        }
        // the distinct outcomes of this task's runs, each with the first schedule that reached it
        Map<Outcome, WorkerProtocol.Reached> outcomes = new LinkedHashMap<>();
        Explorer.Result r = Explorer.explore(lib, sc, st, new Explorer.Budget(t.budget(), t.millis()), x -> false, rec,
                t.first(), (index, run, schedule) -> {
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
        int n = 0;
        for (Explorer.Found fd : r.found()) {
            n++;
            Minimizer.Result m = t.minimize() ? Minimizer.minimize(lib, sc, fd, 40) : null;
            // unique per task: two tasks of one variant x scenario never share a file
            Path schedule = Explore.save(save, t.variant(), sc, fd.finding(), m == null ? fd.schedule() : m.schedule(),
                    "t" + t.id() + "-" + t.first() + "-" + n);
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
