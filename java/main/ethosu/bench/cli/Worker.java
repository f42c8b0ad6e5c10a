// A worker process of `run`: explores the tasks its parent sends, one line each, pinned to one CPU,
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

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
        pin(index % Runtime.getRuntime().availableProcessors());
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
        try (FlightRecorder rec = new FlightRecorder(save.resolve("flight-" + index + ".rec"));
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) continue;
                String[] f = line.split("\t", -1);
                if (!f[0].equals("task")) continue;
                runTask(f, rec, save, out);
            }
        }
    }

    private static void runTask(String[] f, FlightRecorder rec, Path save, PrintStream out) throws Exception {
        String id = f[1], variant = f[2], scenario = f[3], strategySpec = f[4];
        long seed = Long.parseLong(f[5]), budget = Long.parseLong(f[6]), millis = Long.parseLong(f[7]);
        boolean minimize = f[8].equals("1");
        long first = Long.parseLong(f[9]);
        String resume = f[10];
        EthosuLibrary lib = EthosuLibrary.load(variant);
        Scenario sc = Catalog.get(scenario);
        Strategy st = Explore.strategy(strategySpec, seed, budget);
        if (first > 0) {
            if (st instanceof BoundedDfs dfs && !resume.equals("-"))
                dfs.resume(FlightRecorder.read(Path.of(resume)).decisions(), first);
            else
                for (long i = 0; i < first; i++) st.nextSchedule();
        }
        // the distinct outcomes of this task's runs, each with the first schedule that reached it
        java.util.Map<ethosu.bench.check.Outcome, String> outcomes = new java.util.LinkedHashMap<>();
        Explorer.Result r = Explorer.explore(lib, sc, st, new Explorer.Budget(budget, millis), x -> false, rec, first,
                (index, run, schedule) -> {
                    var o = ethosu.bench.check.Outcome.of(run.checker);
                    if (outcomes.containsKey(o)) return;
                    Path file = save.resolve(variant + "--" + sc.name() + "--outcome-" + id + "-" + (outcomes.size() + 1)
                            + ".schedule");
                    try {
                        schedule.write(file, "ethosu-bench schedule\nvariant: " + variant + "\nscenario: " + sc.name()
                                + "\noutcome: " + o);
                    } catch (java.io.IOException e) {
                        file = null;
                    }
                    outcomes.put(o, index + "\t" + (file == null ? "-" : file.toString()));
                });
        for (var e : outcomes.entrySet())
            out.println(String.join("\t", "outcome", id, e.getKey().toString(), e.getValue()));
        int n = 0;
        for (Explorer.Found fd : r.found()) {
            n++;
            Minimizer.Result m = minimize ? Minimizer.minimize(lib, sc, fd, 40) : null;
            Path schedule = Explore.save(save, variant, sc, fd, m,
                    (int) (first * 100 + n));
            Path report = Path.of(schedule.toString().replace(".schedule", ".txt"));
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            PrintStream old = System.out;
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            try {
                Explore.printFinding(variant, sc, fd, m, schedule);
            } finally {
                System.setOut(old);
            }
            Files.writeString(report, buf.toString(StandardCharsets.UTF_8));
            out.println(String.join("\t", "found", id, fd.finding().check().name(), fd.signature(),
                    Long.toString(fd.scheduleIndex()), String.format("%.3f", fd.secondsToFind()), schedule.toString(),
                    report.toString(), fd.finding().text().replace('\t', ' ').replace('\n', ' ')));
        }
        out.println(String.join("\t", "done", id, Long.toString(r.schedules()), r.exhausted() ? "1" : "0",
                String.format("%.3f", r.seconds()), Long.toString(r.steps()), r.problem() == null ? "-" : r.problem()));
    }
}
