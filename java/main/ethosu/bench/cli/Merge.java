// `merge`: the --json results of the parts of one exploration (`run`/`explore --shard K/N` on N
// machines) as one verdict, as if one machine had explored it all: per task the schedules of its
// parts added up, the bound exhausted only if every part exhausted its share, the findings of all
// parts by identity; a part missing or given twice is a problem that fails the merge.
package ethosu.bench.cli;

import ethosu.bench.check.Finding;
import ethosu.bench.report.Baseline;
import ethosu.bench.report.ExplorationResult;
import ethosu.bench.report.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class Merge {
    private Merge() {}

    static int run(List<Path> files, Path baselineFile, Path json) throws IOException {
        List<ExplorationResult> parts = new ArrayList<>();
        for (Path f : files) parts.add(ExplorationResult.read(f));
        ExplorationResult merged = ExplorationResult.merge(parts);
        Baseline baseline = Files.exists(baselineFile) ? Baseline.load(baselineFile) : Baseline.empty();
        Table t = new Table("variant", "scenario", "strategy", "schedules", "exhausted", "findings", "new");
        Map<String, ExplorationResult.Found> fresh = new LinkedHashMap<>();
        boolean problems = false;
        long total = 0;
        for (ExplorationResult.Task k : merged.tasks()) {
            int n = 0;
            for (ExplorationResult.Found f : k.findings()) {
                Finding probe = Finding.of(Finding.Check.valueOf(f.check()), f.text(), f.context());
                if (baseline.match(k.variant(), probe) == null) {
                    n++;
                    fresh.putIfAbsent(k.variant() + " " + f.identity(), f);
                }
            }
            total += k.schedules();
            t.row(k.variant(), k.scenario(), k.strategy(), k.schedules(), k.exhausted() ? "yes" : "no", k.findings().size(), n);
            problems |= k.problem() != null;
        }
        System.out.print(t);
        System.out.printf("%n%d schedules in %d task(s) from %d file(s)%n", total, merged.tasks().size(), files.size());
        for (ExplorationResult.Task k : merged.tasks())
            if (k.problem() != null)
                System.out.println("problem: " + k.variant() + " x " + k.scenario() + " " + k.strategy() + ": " + k.problem());
        for (var e : fresh.entrySet()) {
            ExplorationResult.Found f = e.getValue();
            System.out.println();
            System.out.println("  NEW finding, not in the baseline: [" + Finding.Check.valueOf(f.check()).title + "] " + f.text());
            if (f.schedule() != null) System.out.println("  schedule: " + f.schedule());
        }
        if (json != null) merged.write(json);
        System.out.println();
        System.out.println(!fresh.isEmpty() ? "verdict: findings outside the baseline (see NEW above)"
                : problems ? "verdict: incomplete (see the problems above)" : "verdict: every finding is in the baseline");
        return fresh.isEmpty() && !problems ? 0 : 1;
    }
}
