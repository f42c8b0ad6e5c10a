// `merge`: the --json session results of the parts of one session (`run`/`explore --shard K/N` on N
// machines, or sessions of different variants) as one verdict, as if one machine had explored it
// all (SessionResult.merge): printed as `run` prints it; a part missing or given twice fails it.
package ethosu.bench.cli;

import ethosu.bench.report.Baseline;
import ethosu.bench.report.SessionResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

final class Merge {
    private Merge() {}

    static int run(List<Path> files, Path baselineFile, Path json) throws IOException {
        Args.outputFile("--json", json);
        Baseline baseline = Args.baseline(baselineFile);
        List<SessionResult> parts = new ArrayList<>();
        for (Path f : files) parts.add(SessionResult.read(f));
        List<String> incomplete = SessionResult.partProblems(parts);
        SessionResult merged = SessionResult.merge(parts);
        double seconds = merged.tasks().stream().mapToDouble(SessionResult.Task::seconds).sum();
        System.out.print(new RunScreen(merged, baseline, seconds, files.size()).render(null));
        System.out.printf("%nmerged %d file(s) into %d task(s)%n", files.size(), merged.tasks().size());
        for (String p : incomplete) System.out.println("incomplete: " + p);
        if (json != null) merged.write(json);
        return incomplete.isEmpty() ? merged.exit().status() : Main.FINDINGS;
    }
}
