// `query`: answers queries (docs/QUERIES.md) on variants: a minimised witness schedule and its race,
// or "none up to bound k"; the seed's claims with --claims, a scenario file's own with --scenario-file.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.Explorer;
import ethosu.bench.control.strategy.BoundedDfs;
import ethosu.bench.query.Claims;
import ethosu.bench.query.Query;
import ethosu.bench.query.QueryParser;
import ethosu.bench.query.QuerySearch;
import ethosu.bench.query.QueryWatch;
import ethosu.bench.report.Baseline;
import ethosu.bench.report.FtraceText;
import ethosu.bench.report.SessionResult;
import ethosu.bench.report.TraceEventFormat;
import ethosu.bench.scenario.Catalog;
import ethosu.bench.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "query", mixinStandardHelpOptions = true, description = "Answer queries over the traces of every explored schedule: a minimised "
        + "witness schedule and its race, or none up to the bound (docs/QUERIES.md). Exit 1 if a query does not "
        + "hold as written (a `never` with a witness, a `witness` without one).")
final class QueryCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "QUERY", description = "e.g. 'run_job(B) during timedout_job(A)'; "
            + "'witness' is implied, 'never P' claims no schedule matches P")
    List<String> queries;
    @Option(names = "--claims", description = "the seed's three claims (built in)") boolean claims;
    @Option(names = "--variant", split = ",", description = "variants (default: every built one but the mutants)",
            converter = Args.Variant.class) List<String> variants;
    @Option(names = "--scenario", split = ",", description = "scenarios (default: the built-in catalog, or every one "
            + "of --scenario-file)") List<String> scenarios;
    @Option(names = "--scenario-file", description = "a scenario file; its witness/never lines are asked when no "
            + "QUERY is given") Path scenarioFile;
    @Option(names = "--plan", split = ",", defaultValue = "dfs:1,pct:3", converter = Args.StrategySpec.class,
            description = "strategies per scenario, in order, until a witness (default: ${DEFAULT-VALUE})") List<String> plan;
    @Option(names = "--budget", defaultValue = "1000", description = "schedules per strategy",
            converter = Args.AtLeastOne.class) long budget;
    @Option(names = "--time", defaultValue = "20", description = "seconds per strategy at most",
            converter = Args.Seconds.class) long seconds;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--no-minimize", description = "keep the witness schedule as found") boolean noMinimize;
    @Option(names = "--save", defaultValue = "target/queries", description = "where witness schedules go") Path save;
    @Option(names = "--trace-json", description = "write the witness's trace as Trace Event Format JSON (Perfetto, "
            + "chrome://tracing); with several witnesses, one file each, named after the variant and query")
    Path traceJson;
    @Option(names = "--ftrace", description = "write the witness's trace as ftrace-like text") Path ftrace;
    @Option(names = "--json", description = "write every answer, task and bound as JSON (SessionResult)") Path json;
    @Option(names = "--cpu", defaultValue = "0", description = "pin the exploration to this CPU (-1: no pinning)",
            converter = Args.Cpu.class) int cpu;

    @Override
    public Integer call() throws Exception {
        List<Scenario> pool = scenarioFile != null ? Catalog.fromFile(scenarioFile) : Catalog.builtIn();
        List<Scenario> chosen = new ArrayList<>();
        if (scenarios == null || scenarios.isEmpty()) {
            chosen.addAll(pool);
        } else {
            for (String s : scenarios) {
                Scenario sc = pool.stream().filter(x -> x.name().equals(s)).findFirst().orElse(null);
                if (sc == null)
                    throw new ethosu.bench.input.BadInputException((scenarioFile != null ? scenarioFile + " has" : "the built-in catalog has")
                            + " no scenario '" + s + "' (make list)");
                chosen.add(sc);
            }
        }
        List<Query> asked = new ArrayList<>();
        int n = 0;
        for (String q : queries == null ? List.<String>of() : queries)
            asked.add(QueryParser.parse(q, "the command line", 0, "query-" + ++n));
        if (claims) for (Claims.Claim c : Claims.SEED) asked.add(c.query());
        if (asked.isEmpty() && scenarioFile != null) for (Scenario sc : chosen) asked.addAll(sc.queries());
        if (asked.isEmpty())
            throw new ethosu.bench.input.BadInputException("query: expected a QUERY (e.g. 'run_job(B) during timedout_job(A)'), --claims, "
                    + "or a --scenario-file with witness/never lines");
        for (String p : plan) Explore.strategy(p, seed, budget); // a bad strategy fails before any work
        List<String> vs = variants == null || variants.isEmpty()
                ? Args.variantsOrBuilt(null).stream().filter(v -> !v.startsWith("mutant")).toList() : variants;
        if (traceJson != null) Args.outputFile("--trace-json", traceJson);
        if (ftrace != null) Args.outputFile("--ftrace", ftrace);
        if (json != null) Args.outputFile("--json", json);
        Args.outputDir("--save", save);
        if (cpu >= 0) Worker.pin(cpu);
        Baseline baseline = Files.exists(Args.DEFAULT_BASELINE) ? Baseline.load(Args.DEFAULT_BASELINE) : Baseline.empty();

        List<SessionResult.Task> tasks = new ArrayList<>();
        List<Witnessed> witnesses = new ArrayList<>();
        boolean allHold = true;
        try (Progress progress = Progress.forConsole()) {
            for (String v : vs) {
                EthosuLibrary lib = EthosuLibrary.load(v);
                for (Query q : asked) {
                    // a scenario file's query is asked of its own scenario only
                    List<Scenario> where = chosen.stream().filter(sc -> appliesTo(q, sc)).toList();
                    QuerySearch.Answer a = QuerySearch.search(lib, where, q, plan, p -> Explore.strategy(p, seed, budget),
                            new Explorer.Budget(budget, seconds * 1000), noMinimize ? 0 : 60,
                            (k, st, secs) -> progress.update(k, v + " " + q.name(), 0,
                                    st instanceof BoundedDfs d ? d.progress() : -1, secs));
                    progress.close(); // the answer prints from the start of a clean line
                    allHold &= a.holds();
                    Path file = print(a, q, witnesses);
                    tasks.addAll(tasks(a, baseline, file));
                }
            }
        }
        for (Witnessed w : witnesses) exportTraces(w, witnesses.size() > 1);
        if (json != null) {
            List<SessionResult.Query> qs = asked.stream()
                    .map(q -> new SessionResult.Query(q.name(), q.text(), q.source(), null,
                            q.name().contains(":") ? q.name().substring(0, q.name().lastIndexOf(':')) : null)).toList();
            SessionResult r = SessionResult.derive("query", new SessionResult.Plan(vs,
                    chosen.stream().map(Scenario::name).toList(), plan, budget, seconds, seed, 1,
                    "baseline/known-findings.txt", qs), tasks);
            r.write(json);
            System.out.println("json: " + json);
        }
        return allHold ? Main.OK : Main.FINDINGS;
    }

    /** A scenario file's query is asked of its own scenario; the others of every scenario chosen. */
    private static boolean appliesTo(Query q, Scenario sc) {
        return sc.queries().contains(q) || !q.name().contains(":");
    }

    /** A witness, and its schedule file. */
    private record Witnessed(String variant, Query query, QuerySearch.Answer answer, Path schedule) {}

    /** Prints an answer; returns its witness's schedule file, null if none. */
    private Path print(QuerySearch.Answer a, Query q, List<Witnessed> witnesses) throws java.io.IOException {
        System.out.println(a.variant() + ": " + q.text() + (q.source().equals("the command line") ? "" : "   (" + q.name()
                + ", " + q.source() + ")"));
        System.out.println("  " + a.line());
        QueryWatch.Witness w = a.witness();
        if (w == null) {
            System.out.println("  explored: " + explored(a));
            System.out.println();
            return null;
        }
        Files.createDirectories(save);
        Path file = save.resolve(a.variant() + "--" + a.scenario() + "--" + q.name().replaceAll("[^A-Za-z0-9_-]+", "-")
                + ".schedule");
        w.schedule().write(file, QueryWatch.header(a.variant(), scenario(a.scenario()), q, w.match()));
        System.out.println("  match: " + w.match().text());
        if (w.shrunk() != null && w.shrunk().run() != null)
            System.out.printf("  schedule: %s (%d decisions, %d preemptions; minimised from %d preemptions in %d runs)%n",
                    file, w.shrunk().stepsAfter(), w.shrunk().preemptionsAfter(), w.shrunk().preemptionsBefore(),
                    w.shrunk().runs());
        else
            System.out.println("  schedule: " + file);
        System.out.println("  replay: make replay ARGS=\"--schedule " + file + "\"");
        System.out.println();
        System.out.print(w.diagram());
        System.out.println();
        witnesses.add(new Witnessed(a.variant(), q, a, file));
        return file;
    }

    private Scenario scenario(String name) throws java.io.IOException {
        List<Scenario> pool = scenarioFile != null ? Catalog.fromFile(scenarioFile) : Catalog.builtIn();
        return pool.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static String explored(QuerySearch.Answer a) {
        StringBuilder sb = new StringBuilder();
        for (Explorer.Result r : a.explored()) {
            if (sb.length() > 0) sb.append("; ");
            sb.append(r.scenario()).append(' ').append(r.strategy()).append(' ').append(r.schedules())
                    .append(r.strategy().startsWith("dfs") ? (r.exhausted() ? " exhausted" : " not exhausted") : "");
        }
        return sb.toString();
    }

    private void exportTraces(Witnessed w, boolean several) throws java.io.IOException {
        String title = w.variant() + " x " + w.answer().scenario() + ": " + w.query().text();
        var run = w.answer().witness().run();
        if (traceJson != null) {
            Path p = several ? suffixed(traceJson, w) : traceJson;
            TraceEventFormat.write(p, run.trace(), run.names(), title, run.findings());
            System.out.println("trace-json: " + p + " (open in ui.perfetto.dev or chrome://tracing)");
        }
        if (ftrace != null) {
            Path p = several ? suffixed(ftrace, w) : ftrace;
            FtraceText.write(p, run.trace(), run.names(), title);
            System.out.println("ftrace: " + p);
        }
    }

    private static Path suffixed(Path p, Witnessed w) {
        String f = p.getFileName().toString();
        int dot = f.lastIndexOf('.');
        String tag = "-" + w.variant() + "-" + w.query().name().replaceAll("[^A-Za-z0-9_-]+", "-");
        String name = dot > 0 ? f.substring(0, dot) + tag + f.substring(dot) : f + tag;
        return p.resolveSibling(name);
    }

    /** The explorations of an answer as session tasks (with the witness as the match of its task). */
    private List<SessionResult.Task> tasks(QuerySearch.Answer a, Baseline baseline, Path witness) {
        List<SessionResult.Task> out = new ArrayList<>();
        List<Explorer.Result> rs = a.explored();
        for (int i = 0; i < rs.size(); i++) {
            Explorer.Result r = rs.get(i);
            String spec = r.strategy().startsWith("dfs") ? "dfs:" + QuerySearch.bound(specOf(r)) : specOf(r);
            List<SessionResult.Found> fs = new ArrayList<>();
            for (Explorer.Found f : r.found()) {
                Baseline.Entry e = baseline.match(a.variant(), f.finding());
                fs.add(new SessionResult.Found(f.finding().check().name(), f.finding().check().title, f.identity(),
                        f.finding().text(), f.finding().context(), e == null ? null : e.id(), f.scheduleIndex(),
                        f.secondsToFind(), null, null));
            }
            List<SessionResult.Matched> ms = new ArrayList<>();
            if (i == rs.size() - 1 && a.witness() != null)
                ms.add(new SessionResult.Matched(a.query().name(), a.witness().hit().scheduleIndex(),
                        a.witness().match().text(), witness == null ? null : witness.toString(), a.witness().diagram()));
            out.add(new SessionResult.Task(a.variant(), r.scenario(), spec,
                    r.strategy().startsWith("dfs") ? QuerySearch.bound(specOf(r)) : null, seed, budget, r.schedules(),
                    r.exhausted(), r.stepLimited(), r.seconds(), r.problem(), fs, List.of(), ms));
        }
        return out;
    }

    /** "dfs(preemptions<=1)" -> "dfs:1"; other strategies describe themselves as the plan names them. */
    private String specOf(Explorer.Result r) {
        String s = r.strategy();
        if (s.startsWith("dfs(preemptions<=")) return "dfs:" + s.replaceAll("\\D+", "");
        for (String p : plan) if (s.startsWith(p.split(":")[0])) return p;
        return s;
    }
}
