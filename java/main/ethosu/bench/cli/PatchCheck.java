// `check`: a variant before and after a patch, explored with the same plan and bounds, compared:
// findings new and gone, outcomes reachable on one side only; plain text to paste into a reply.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Outcome;
import ethosu.bench.check.OutcomeSet;
import ethosu.bench.input.BadInputException;
import ethosu.bench.patch.PatchIntake;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

final class PatchCheck {
    private PatchCheck() {}

    /** The order new findings are listed in: what a reviewer must see first. */
    private static final List<Finding.Check> SEVERITY = List.of(Finding.Check.USE_AFTER_FREE, Finding.Check.MEMORY_SAFETY,
            Finding.Check.OOPS, Finding.Check.CRASH, Finding.Check.UNDEFINED_BEHAVIOUR, Finding.Check.DEADLOCK, Finding.Check.SOFT_LOCKUP, Finding.Check.ATOMIC_SLEEP, Finding.Check.FENCE_ONCE,
            Finding.Check.IRQ_COMPLETES_RAN_JOB, Finding.Check.IRQ_SIGNALS_COMPLETION, Finding.Check.COMPLETION_REPORTED,
            Finding.Check.LIVENESS, Finding.Check.KERNEL_WARNING, Finding.Check.LEAK, Finding.Check.DEVICE_PROTOCOL,
            Finding.Check.BENCH);

    /** One distinct finding of a side: its first sighting and every scenario that showed it. */
    record Seen(WorkerProtocol.Found first, TreeSet<String> scenarios) {}

    static int run(Main.CheckCmd c) throws Exception {
        for (String v : List.of(c.before, c.after)) EthosuLibrary.load(v); // a clear error if one is not built
        List<String> scenarios = c.scenarios == null || c.scenarios.isEmpty()
                ? Catalog.builtIn().stream().map(Scenario::name).toList() : c.scenarios;
        for (String s : scenarios) Catalog.get(s);
        String subject = c.patch == null ? c.after : readPatch(c.patch).subject();

        Main.Run o = new Main.Run();
        o.plan = c.plan;
        o.budget = c.budget;
        o.seconds = c.seconds;
        o.seed = c.seed;
        o.workers = c.workers;
        o.save = c.save;
        o.noMinimize = c.noMinimize;
        o.watchdog = c.watchdog;
        o.noClaims = true; // check compares findings and outcomes; queries are run's and query's
        long t0 = System.nanoTime();
        List<Verdicts.Task> tasks;
        try (Progress progress = Progress.forConsole()) {
            tasks = Verdicts.explore(o, List.of(c.before, c.after), scenarios, progress);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return report(c, tasks, scenarios, subject, secs);
    }

    /** What check prints and its exit status, from the explored tasks of both sides. */
    static int report(Main.CheckCmd c, List<Verdicts.Task> tasks, List<String> scenarios, String subject, double secs)
            throws IOException {

        Map<String, Seen> before = distinct(tasks, c.before), after = distinct(tasks, c.after);
        // outcomes are compared where the search was exhaustive (a DFS bound exhausted on both
        // sides); what sampling (PCT, random) reached on one side only proves nothing
        OutcomeSet ob = outcomes(tasks, c.before, true), oa = outcomes(tasks, c.after, true);
        List<String> notExhaustive = new ArrayList<>();
        for (String sc : scenarios)
            if (!ob.scenarios().contains(sc) || !oa.scenarios().contains(sc)) notExhaustive.add(sc);
        List<Seen> added = new ArrayList<>(), gone = new ArrayList<>();
        after.forEach((sig, s) -> { if (!before.containsKey(sig)) added.add(s); });
        before.forEach((sig, s) -> { if (!after.containsKey(sig)) gone.add(s); });
        // the worst check first; within a check the primary report (KASAN's) before its follow-ons,
        // then what the most scenarios show
        Comparator<Seen> bySeverity = Comparator.<Seen>comparingInt(s -> SEVERITY.indexOf(s.first().finding().check()))
                .thenComparing(s -> !s.first().finding().text().startsWith("BUG: KASAN"))
                .thenComparing(s -> -s.scenarios().size());
        added.sort(bySeverity);
        gone.sort(bySeverity);

        // a side that explored nothing in a scenario compared nothing there: not a green verdict
        List<String> empty = new ArrayList<>();
        for (String v : List.of(c.before, c.after))
            for (String sc : scenarios)
                if (tasks.stream().noneMatch(k -> k.variant.equals(v) && k.scenario.equals(sc) && k.schedules > 0))
                    empty.add(v + " x " + sc);

        PrintStream out = System.out;
        out.println("ethosu-bench check: " + subject);
        if (!empty.isEmpty()) {
            out.println("verdict: nothing explored for " + String.join(", ", empty) + ", so nothing compared there"
                    + (added.isEmpty() ? "" : "; the patch adds " + added.size() + " finding" + (added.size() == 1 ? "" : "s")));
        } else if (added.isEmpty()) {
            out.println("verdict: no new finding" + (gone.isEmpty() ? "" : "; " + gone.size() + " gone"));
        } else {
            out.println("verdict: the patch adds " + added.size() + " finding" + (added.size() == 1 ? "" : "s")
                    + ", first: [" + added.get(0).first().finding().check().title + "] " + added.get(0).first().finding().text());
        }
        for (Seen s : added) out.println("  NEW  " + line(s));
        for (Seen s : gone) out.println("  GONE " + line(s));
        out.println();
        out.println("before: " + c.before + " (" + origin(c.before) + ")");
        out.println("after:  " + c.after + " (" + origin(c.after) + ")");
        out.println("explored: " + scenarios.size() + " scenarios (" + String.join(", ", scenarios) + ")");
        out.println("  plan " + String.join(", ", c.plan) + ", at most " + c.budget + " schedules and " + c.seconds
                + " s per strategy, seed " + c.seed + ": the same on both sides");
        for (String v : List.of(c.before, c.after)) out.println("  " + explored(tasks, v));
        out.printf("  %.1f s over %d worker(s)%n", secs, c.workers);
        for (Verdicts.Task k : tasks)
            if (k.problem != null) out.println("  problem: " + k.variant + " x " + k.scenario + " " + k.strategy + ": " + k.problem);

        OutcomeSet.Difference d = OutcomeSet.compare(ob, oa);
        out.println();
        String compared = notExhaustive.isEmpty() ? "every scenario"
                : "the scenarios whose DFS bound was exhausted on both sides (not: " + String.join(", ", notExhaustive) + ")";
        if (d.isEmpty()) {
            out.println("outcomes: the same reachable outcomes before and after, within the DFS bound, in " + compared);
        } else {
            out.println("outcomes reachable on one side only, within the DFS bound, in " + compared + ":");
            out.println("  (each job's result in completion order; NPU resets, the first power-up included)");
            TreeSet<String> scs = new TreeSet<>(d.onlyLeft().keySet());
            scs.addAll(d.onlyRight().keySet());
            for (String sc : scs) {
                out.println("  " + sc + ":");
                printOutcomes(out, "before only", d.onlyLeft().get(sc));
                printOutcomes(out, "after only ", d.onlyRight().get(sc));
            }
        }
        for (Seen s : added) {
            out.println();
            out.println("NEW in " + String.join(", ", s.scenarios()) + ":");
            out.print(Files.readString(Path.of(s.first().report())));
            out.println("  replay: make replay ARGS=\"--schedule " + s.first().schedule() + "\"");
        }
        return added.isEmpty() && empty.isEmpty() ? Main.OK : Main.FINDINGS;
    }

    /** --patch: a file the patch intake reads; what it cannot read is one line (file, line, what was expected). */
    static PatchIntake.Patch readPatch(Path p) {
        if (Files.isDirectory(p))
            throw new BadInputException("--patch " + p + ": is a directory, expected a patch file");
        if (!Files.isRegularFile(p))
            throw new BadInputException("--patch " + p + ": no such file, expected a patch file (a diff, git format-patch "
                    + "output, an mbox or a public-inbox thread)");
        try {
            return PatchIntake.read(p);
        } catch (PatchIntake.PatchFormatException e) {
            throw new BadInputException(e.getMessage());
        } catch (IOException e) {
            throw new BadInputException("--patch " + p + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    private static String line(Seen s) {
        return "[" + s.first().finding().check().title + "] " + s.first().finding().text() + " (" + String.join(", ", s.scenarios()) + ")";
    }

    private static void printOutcomes(PrintStream out, String side, SortedMap<Outcome, OutcomeSet.Witness> m) {
        if (m == null) return;
        for (var e : m.entrySet())
            out.println("    " + side + ": " + e.getKey() + "   (schedule " + e.getValue().schedule() + ")");
    }

    private static Map<String, Seen> distinct(List<Verdicts.Task> tasks, String variant) {
        Map<String, Seen> m = new LinkedHashMap<>();
        for (Verdicts.Task k : tasks) {
            if (!k.variant.equals(variant)) continue;
            for (WorkerProtocol.Found f : k.found)
                m.computeIfAbsent(f.finding().identity(), x -> new Seen(f, new TreeSet<>())).scenarios().add(k.scenario);
        }
        return m;
    }

    private static OutcomeSet outcomes(List<Verdicts.Task> tasks, String variant, boolean exhaustiveOnly) {
        OutcomeSet s = new OutcomeSet();
        for (Verdicts.Task k : tasks)
            if (k.variant.equals(variant) && (!exhaustiveOnly || k.strategy.startsWith("dfs") && k.exhausted))
                s.addAll(k.outcomes);
        return s;
    }

    private static String explored(List<Verdicts.Task> tasks, String variant) {
        long n = 0;
        int dfs = 0, exhausted = 0;
        for (Verdicts.Task k : tasks) {
            if (!k.variant.equals(variant)) continue;
            n += k.schedules;
            if (k.strategy.startsWith("dfs")) {
                dfs++;
                if (k.exhausted) exhausted++;
            }
        }
        return variant + ": " + n + " schedules" + (dfs > 0 ? ", DFS bound exhausted in " + exhausted + " of " + dfs + " scenarios" : "");
    }

    /** build/<variant>/origin: where the variant's tree came from. */
    static String origin(String variant) {
        try {
            return Files.readString(EthosuLibrary.buildDir().resolve(variant).resolve("origin")).strip();
        } catch (IOException e) {
            return "origin unknown";
        }
    }
}
