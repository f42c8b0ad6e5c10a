// What `run` prints, from its SessionResult alone: the verdicts first (one line per variant: what it
// adds over locked, what is outside the baseline, the claims' answers; then the claims, the exit
// status and why), the details after (the table, the claims' witnesses, each finding's race).
package ethosu.bench.cli;

import ethosu.bench.report.Baseline;
import ethosu.bench.report.SessionResult;
import ethosu.bench.report.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

final class RunScreen {
    private final SessionResult r;
    private final Baseline baseline;
    private final double seconds;
    private final int workers;

    RunScreen(SessionResult r, Baseline baseline, double seconds, int workers) {
        this.r = r;
        this.baseline = baseline;
        this.seconds = seconds;
        this.workers = workers;
    }

    /** The whole text: the verdicts, then the details; reportFile is named where the text is also written. */
    String render(Path reportFile) {
        StringBuilder sb = new StringBuilder();
        verdicts(sb, reportFile);
        sb.append('\n');
        details(sb);
        return sb.toString();
    }

    // ---------------------------------------------------------------- the first screen

    void verdicts(StringBuilder sb, Path reportFile) {
        SessionResult.Plan p = r.plan();
        long total = r.tasks().stream().mapToLong(SessionResult.Task::schedules).sum();
        sb.append(String.format("ethosu-bench run: %d variant%s x %d scenario%s, plan %s (at most %d schedules and %d s "
                        + "per strategy, seed %d)%n", p.variants().size(), p.variants().size() == 1 ? "" : "s",
                p.scenarios().size(), p.scenarios().size() == 1 ? "" : "s", String.join(", ", p.strategies()), p.budget(),
                p.seconds(), p.seed()));
        boolean base = r.tasks().stream().anyMatch(t -> t.variant().equals(SessionResult.BASE_VARIANT));
        sb.append(base ? "verdict per variant: what it adds over " + SessionResult.BASE_VARIANT
                + " (findings by check, outcomes), what is outside the baseline, the claims\n"
                : "verdict per variant (" + SessionResult.BASE_VARIANT + " was not run: nothing to compare with)\n");
        int width = p.variants().stream().mapToInt(String::length).max().orElse(8);
        for (SessionResult.Verdict v : r.verdicts()) {
            sb.append("  ").append(pad(v.variant(), width)).append("  ").append(adds(v, base)).append("; ")
                    .append(outside(v));
            String answers = answers(v.variant());
            if (!answers.isEmpty()) sb.append("; ").append(answers);
            sb.append('\n');
        }
        List<SessionResult.Query> queries = p.queries();
        if (!queries.isEmpty()) {
            sb.append("queries (the seed patch's claims first; `make query ARGS=--claims` asks them alone):\n");
            for (SessionResult.Query q : queries) sb.append("  ").append(q.name()).append("  ").append(q.text())
                    .append(": ").append(acrossVariants(q)).append('\n');
        }
        differential(sb);
        sb.append("exit ").append(r.exit().status()).append(": ").append(r.exit().reason()).append('\n');
        // the differential pass's schedules ran in the same seconds: the rate counts them too
        long compared = r.differential().stream().mapToLong(SessionResult.Compared::schedules).sum();
        sb.append(String.format("explored %d schedules%s in %.1f s (%.0f/s over %d worker%s)%s%n", total,
                compared == 0 ? "" : " and compared " + compared + " on the C and the model", seconds,
                seconds > 0 ? (total + compared) / seconds : 0, workers, workers == 1 ? "" : "s",
                reportFile == null ? "" : "; the whole report: " + reportFile));
    }

    /**
     * The differential pass, a line per variant: schedules compared and divergences, the first one
     * (where, both sides' events, the schedule that replays it on either side) if any.
     */
    private void differential(StringBuilder sb) {
        List<SessionResult.Verdict> vs = r.verdicts().stream().filter(v -> v.differential() != null).toList();
        if (vs.isEmpty()) return;
        List<String> plans = r.differential().stream().map(SessionResult.Compared::strategy).distinct().toList();
        sb.append("differential (").append(String.join(", ", plans))
                .append("): every schedule on the C and on its Java model, traces and findings compared\n");
        int width = vs.stream().mapToInt(v -> v.variant().length()).max().orElse(8);
        for (SessionResult.Verdict v : vs) {
            SessionResult.Differential d = v.differential();
            sb.append("  ").append(pad(v.variant(), width)).append("  ").append(d.schedules()).append(" schedule")
                    .append(d.schedules() == 1 ? "" : "s").append(" compared");
            if (!d.model().equals(v.variant())) sb.append(" with the model of ").append(d.model());
            sb.append(", ").append(d.divergences()).append(" divergence").append(d.divergences() == 1 ? "" : "s");
            if (d.crashes() > 0) sb.append(", ").append(d.crashes()).append(" crash(es) of the C outside the baseline");
            if (!d.empty().isEmpty()) sb.append(", nothing compared in ").append(String.join(", ", d.empty()));
            sb.append('\n');
            SessionResult.Divergence f = d.first();
            if (f != null) {
                String indent = "  " + " ".repeat(width) + "  ";
                sb.append(indent).append("first: ").append(d.scenario()).append(" at step ").append(f.step()).append(" in ")
                        .append(f.context()).append(": ").append(f.what()).append('\n');
                if (f.schedule() != null)
                    sb.append(indent).append("schedule: ").append(f.schedule()).append('\n');
            }
        }
    }

    /** "adds 10 findings (no use after free 4, ...), 2 outcomes", or what the base variant has. */
    private String adds(SessionResult.Verdict v, boolean base) {
        if (v.variant().equals(SessionResult.BASE_VARIANT))
            return "the base: " + v.findings() + " finding" + (v.findings() == 1 ? "" : "s");
        if (!base) return v.findings() + " finding" + (v.findings() == 1 ? "" : "s");
        int added = v.added().values().stream().mapToInt(Integer::intValue).sum();
        int gone = v.gone().values().stream().mapToInt(Integer::intValue).sum();
        int oAdded = v.outcomesAdded().values().stream().mapToInt(Integer::intValue).sum();
        int oGone = v.outcomesGone().values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder sb = new StringBuilder(added == 0 ? "adds no finding" : "adds " + added + " finding"
                + (added == 1 ? "" : "s") + " (" + byCheck(v.added()) + ")");
        if (gone > 0) sb.append(", loses ").append(gone).append(" (").append(byCheck(v.gone())).append(')');
        if (oAdded > 0) sb.append(", ").append(oAdded).append(" outcome").append(oAdded == 1 ? "" : "s").append(" only here");
        if (oGone > 0) sb.append(", ").append(oGone).append(" outcome").append(oGone == 1 ? "" : "s").append(" only on ")
                .append(SessionResult.BASE_VARIANT);
        return sb.toString();
    }

    private static String byCheck(Map<String, Integer> m) {
        StringBuilder sb = new StringBuilder();
        m.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e ->
                sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue()));
        return sb.toString();
    }

    private static String outside(SessionResult.Verdict v) {
        if (v.findings() == 0) return "no finding";
        return v.fresh() == 0 ? "all in the baseline" : v.fresh() + " NEW (outside the baseline)";
    }

    /** "claims: 1 refuted, 2 witnessed, 3 witnessed" and the scenario queries' answers. */
    private String answers(String variant) {
        StringBuilder claims = new StringBuilder(), others = new StringBuilder();
        for (SessionResult.Answer a : r.answers()) {
            if (!a.variant().equals(variant)) continue;
            String word = a.line().substring(0, a.line().indexOf(':'));
            if (a.query().startsWith("claim-"))
                claims.append(claims.length() == 0 ? "claims: " : ", ").append(a.query().substring(6)).append(' ').append(word);
            else
                others.append(others.length() == 0 ? "" : ", ").append(a.query()).append(' ').append(word);
        }
        if (claims.length() > 0 && others.length() > 0) return claims + "; " + others;
        return claims.length() > 0 ? claims.toString() : others.toString();
    }

    /** "refuted on every variant", "witnessed on locked, lockless; none in 2000 schedules on ...". */
    private String acrossVariants(SessionResult.Query q) {
        Map<String, List<String>> byLine = new LinkedHashMap<>();
        for (SessionResult.Answer a : r.answers()) {
            if (!a.query().equals(q.name())) continue;
            String line = a.witness() != null ? a.line().substring(0, a.line().indexOf(':')) : a.line();
            byLine.computeIfAbsent(line, k -> new ArrayList<>()).add(a.variant());
        }
        if (byLine.size() == 1) {
            var e = byLine.entrySet().iterator().next();
            return e.getKey() + (e.getValue().size() > 1 ? " on every variant" : " on " + e.getValue().get(0));
        }
        StringBuilder sb = new StringBuilder();
        byLine.forEach((line, vs) -> sb.append(sb.length() == 0 ? "" : "; ").append(line).append(" on ")
                .append(String.join(", ", vs)));
        return sb.toString();
    }

    // ---------------------------------------------------------------- the details

    void details(StringBuilder sb) {
        sb.append("== details\n\n");
        Table t = new Table("variant", "scenario", "schedules", "exhausted", "step limit", "findings", "new", "time s");
        for (String v : r.plan().variants()) {
            for (String s : r.plan().scenarios()) {
                long n = 0, limited = 0;
                double time = 0;
                StringBuilder ex = new StringBuilder();
                Set<String> distinct = new HashSet<>(), fresh = new HashSet<>();
                for (SessionResult.Task k : r.tasks()) {
                    if (!k.variant().equals(v) || !k.scenario().equals(s)) continue;
                    n += k.schedules();
                    limited += k.stepLimited();
                    time += k.seconds();
                    if (k.bound() != null) ex.append(k.exhausted() ? "yes (" : "no (").append(k.strategy()).append(')');
                    for (SessionResult.Found f : k.findings()) {
                        distinct.add(f.identity());
                        if (f.known() == null) fresh.add(f.identity());
                    }
                }
                t.row(v, s, n, ex.length() == 0 ? "-" : ex, limited, distinct.size(), fresh.size(), String.format("%.1f", time));
            }
        }
        sb.append(t);
        for (SessionResult.Task k : r.tasks())
            if (k.problem() != null)
                sb.append("problem: ").append(k.variant()).append(" x ").append(k.scenario()).append(' ')
                        .append(k.strategy()).append(": ").append(k.problem()).append('\n');

        if (!r.answers().isEmpty()) {
            sb.append("\n== queries: the witnesses (variants that are not mutants)\n");
            for (SessionResult.Query q : r.plan().queries()) {
                sb.append('\n').append(q.name()).append(": ").append(q.text())
                        .append(q.about() == null ? "" : "\n  (" + q.about() + ")").append('\n');
                for (SessionResult.Answer a : r.answers()) {
                    if (!a.query().equals(q.name()) || a.variant().startsWith("mutant")) continue;
                    sb.append("\n  ").append(a.variant()).append(": ").append(a.line()).append('\n');
                    if (a.witness() == null) continue;
                    if (a.witness().report() != null) sb.append(a.witness().report());
                    else sb.append("  match: ").append(a.witness().match()).append('\n');
                    if (a.witness().schedule() != null)
                        sb.append("  replay: make replay ARGS=\"--schedule ").append(a.witness().schedule()).append("\"\n");
                }
            }
        }

        differentialDetails(sb);

        Set<String> shownKnown = new HashSet<>();
        for (String v : r.plan().variants()) {
            Map<String, SessionResult.Found> once = SessionResult.distinct(r.tasks(), v);
            if (once.isEmpty()) continue;
            sb.append("\n== ").append(v).append(": ").append(once.size()).append(" distinct finding(s)\n");
            for (SessionResult.Found f : once.values()) {
                sb.append('\n');
                String line = "[" + f.title() + "] " + f.text() + (f.context() == null || f.context().isEmpty() ? ""
                        : " (" + f.context() + ")");
                if (f.known() != null && !shownKnown.add(f.known())) {
                    sb.append("  known (").append(f.known()).append("): ").append(line).append('\n');
                    continue;
                }
                sb.append(f.known() == null ? "  NEW finding, not in the baseline:\n"
                        : "  known (" + f.known() + "): " + about(f.known()) + "\n");
                if (f.report() != null) sb.append(f.report());
                else sb.append("  ").append(line).append("\n  schedule: ").append(f.schedule()).append('\n');
            }
        }
        sb.append("\nexit ").append(r.exit().status()).append(": ").append(r.exit().reason()).append('\n');
    }

    /** The differential pass's table, then every divergence's report and every crash of its C side. */
    private void differentialDetails(StringBuilder sb) {
        if (r.differential().isEmpty()) return;
        sb.append("\n== differential pass: every schedule on the C and on its Java model; traces, decisions and "
                + "findings compared\n");
        Table t = new Table("variant", "model", "scenario", "schedules", "exhausted", "divergences", "time s");
        for (SessionResult.Compared c : r.differential())
            t.row(c.variant(), c.model(), c.scenario(), c.schedules(), (c.exhausted() ? "yes (" : "no (") + c.strategy() + ")",
                    c.divergences(), String.format("%.1f", c.seconds()));
        sb.append(t);
        for (SessionResult.Compared c : r.differential()) {
            if (c.problem() != null)
                sb.append("problem: ").append(c.variant()).append(" x ").append(c.scenario()).append(" (differential): ")
                        .append(c.problem()).append('\n');
            // a native crash inside a differential task is a finding of the C: shown, never lost
            for (SessionResult.Found f : c.crashes())
                sb.append(c.variant()).append(" x ").append(c.scenario()).append(" (differential): [").append(f.title())
                        .append("] ").append(f.text()).append(f.known() == null ? " NEW" : " known (" + f.known() + ")")
                        .append(", schedule ").append(f.schedule()).append('\n');
        }
        for (SessionResult.Compared c : r.differential())
            for (SessionResult.Divergence d : c.first()) {
                sb.append('\n');
                if (d.report() != null) sb.append(d.report());
                else sb.append("DIVERGENCE ").append(c.variant()).append(" x ").append(c.scenario()).append(" at step ")
                        .append(d.step()).append(" in ").append(d.context()).append(": ").append(d.what())
                        .append("\n  schedule: ").append(d.schedule()).append('\n');
            }
    }

    private String about(String id) {
        for (Baseline.Entry e : baseline.entries()) if (e.id().equals(id)) return e.about();
        return "";
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
