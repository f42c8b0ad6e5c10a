// The machine-readable result of an exploration, or of one part of one (`explore`/`run --shard K/N
// --json FILE`): per task (variant x scenario x strategy), what was explored and found. Parts of the
// same task from different machines merge into the task as one machine would have explored it
// (`merge`): schedules add up, the bound is exhausted only if every part exhausted its share, and
// findings and outcomes are the union of the parts' by identity.
package ethosu.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

public record ExplorationResult(int format, List<Task> tasks) {
    /** Bumped whenever a member changes meaning or goes away. */
    public static final int FORMAT = 1;

    /**
     * One task, or part `shard` of `shards` of it.
     *
     * @param schedules   schedules this part explored (its own: not the runs that only laid out its points)
     * @param exhausted   every schedule of this part within the bound was explored (bounded DFS)
     * @param stepLimited schedules that reached the step limit
     * @param problem     why it stopped early, null if it did not
     */
    public record Task(String variant, String scenario, String strategy, long seed, long budget, int shard, int shards,
                       long schedules, boolean exhausted, long stepLimited, double seconds, String problem,
                       List<Found> findings, List<Reached> outcomes) {
        public Task {
            findings = List.copyOf(findings);
            outcomes = List.copyOf(outcomes);
        }

        /** What makes two parts parts of one task. */
        String key() {
            return variant + "\u0000" + scenario + "\u0000" + strategy + "\u0000" + seed + "\u0000" + budget;
        }
    }

    /**
     * A distinct finding: its check (Finding.Check's name), identity (the same race in any schedule),
     * text, the context it was seen in, the baseline entry it matches (null: new), the schedule index
     * within its part that first showed it, and its schedule and report files.
     */
    public record Found(String check, String identity, String text, String context, String known, long index,
                        String schedule, String report) {}

    /** A distinct outcome, with the first schedule that reached it. */
    public record Reached(String outcome, long index, String schedule) {}

    public ExplorationResult {
        tasks = List.copyOf(tasks);
    }

    public static ExplorationResult of(List<Task> tasks) {
        return new ExplorationResult(FORMAT, tasks);
    }

    /**
     * Parts as one: the parts of each task combined (in the order tasks first appear). A task whose
     * parts do not all come (or come twice) is kept, not exhausted, with a problem saying which.
     */
    public static ExplorationResult merge(List<ExplorationResult> results) {
        Map<String, List<Task>> parts = new LinkedHashMap<>();
        for (ExplorationResult r : results)
            for (Task t : r.tasks()) parts.computeIfAbsent(t.key(), k -> new ArrayList<>()).add(t);
        List<Task> out = new ArrayList<>();
        for (List<Task> ps : parts.values()) out.add(combine(ps));
        return of(out);
    }

    private static Task combine(List<Task> ps) {
        Task first = ps.get(0);
        int shards = first.shards();
        TreeSet<Integer> seen = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        long schedules = 0, stepLimited = 0;
        double seconds = 0;
        boolean exhausted = true;
        Map<String, Found> findings = new LinkedHashMap<>();
        Map<String, Reached> outcomes = new LinkedHashMap<>();
        for (Task p : ps) {
            if (p.shards() != shards) problems.add("parts of " + p.shards() + " and of " + shards + " shards");
            else if (!seen.add(p.shard())) problems.add("shard " + p.shard() + "/" + shards + " twice");
            schedules += p.schedules();
            stepLimited += p.stepLimited();
            seconds += p.seconds();
            exhausted &= p.exhausted();
            if (p.problem() != null) problems.add("shard " + p.shard() + "/" + shards + ": " + p.problem());
            for (Found f : p.findings()) findings.putIfAbsent(f.identity(), f);
            for (Reached r : p.outcomes()) outcomes.putIfAbsent(r.outcome(), r);
        }
        List<Integer> missing = new ArrayList<>();
        for (int k = 0; k < shards; k++) if (!seen.contains(k)) missing.add(k);
        if (!missing.isEmpty()) {
            problems.add("shard(s) " + missing + " of " + shards + " missing");
            exhausted = false;
        }
        return new Task(first.variant(), first.scenario(), first.strategy(), first.seed(), first.budget(), 0, 1,
                schedules, exhausted && problems.isEmpty(), stepLimited, seconds,
                problems.isEmpty() ? null : String.join("; ", problems), new ArrayList<>(findings.values()),
                new ArrayList<>(outcomes.values()));
    }

    // ---------------------------------------------------------------- JSON

    public void write(Path file) throws IOException {
        if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toJson());
    }

    public static ExplorationResult read(Path file) throws IOException {
        return fromJson(file.toString(), Files.readString(file));
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"format\": ").append(format).append(",\n  \"tasks\": [");
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("    {");
            field(sb, "variant", t.variant(), true);
            field(sb, "scenario", t.scenario(), false);
            field(sb, "strategy", t.strategy(), false);
            field(sb, "seed", t.seed(), false);
            field(sb, "budget", t.budget(), false);
            field(sb, "shard", t.shard(), false);
            field(sb, "shards", t.shards(), false);
            field(sb, "schedules", t.schedules(), false);
            field(sb, "exhausted", t.exhausted(), false);
            field(sb, "stepLimited", t.stepLimited(), false);
            field(sb, "seconds", t.seconds(), false);
            field(sb, "problem", t.problem(), false);
            sb.append(", \"findings\": [");
            for (int j = 0; j < t.findings().size(); j++) {
                Found f = t.findings().get(j);
                sb.append(j == 0 ? "\n" : ",\n").append("      {");
                field(sb, "check", f.check(), true);
                field(sb, "identity", f.identity(), false);
                field(sb, "text", f.text(), false);
                field(sb, "context", f.context(), false);
                field(sb, "known", f.known(), false);
                field(sb, "index", f.index(), false);
                field(sb, "schedule", f.schedule(), false);
                field(sb, "report", f.report(), false);
                sb.append('}');
            }
            sb.append(t.findings().isEmpty() ? "]" : "\n    ]").append(", \"outcomes\": [");
            for (int j = 0; j < t.outcomes().size(); j++) {
                Reached r = t.outcomes().get(j);
                sb.append(j == 0 ? "\n" : ",\n").append("      {");
                field(sb, "outcome", r.outcome(), true);
                field(sb, "index", r.index(), false);
                field(sb, "schedule", r.schedule(), false);
                sb.append('}');
            }
            sb.append(t.outcomes().isEmpty() ? "]" : "\n    ]").append('}');
        }
        return sb.append(tasks.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
    }

    private static void field(StringBuilder sb, String name, Object v, boolean first) {
        if (!first) sb.append(", ");
        sb.append('"').append(name).append("\": ");
        if (v == null) sb.append("null");
        else if (v instanceof String s) quote(sb, s);
        else sb.append(v);
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** Reads what toJson wrote; a file that is not one names itself, the line and what was expected. */
    public static ExplorationResult fromJson(String source, String text) {
        Parser p = new Parser(source, text);
        Map<String, Object> m = p.object(p.value());
        p.end();
        long format = p.number(m, "format");
        if (format != FORMAT)
            throw p.error("expected an exploration result of format " + FORMAT + ", got " + format);
        List<Task> tasks = new ArrayList<>();
        for (Object o : p.array(m, "tasks")) {
            Map<String, Object> t = p.object(o);
            List<Found> fs = new ArrayList<>();
            for (Object x : p.array(t, "findings")) {
                Map<String, Object> f = p.object(x);
                fs.add(new Found(p.string(f, "check"), p.string(f, "identity"), p.string(f, "text"),
                        p.stringOrNull(f, "context"), p.stringOrNull(f, "known"), p.number(f, "index"),
                        p.stringOrNull(f, "schedule"), p.stringOrNull(f, "report")));
            }
            List<Reached> os = new ArrayList<>();
            for (Object x : p.array(t, "outcomes")) {
                Map<String, Object> r = p.object(x);
                os.add(new Reached(p.string(r, "outcome"), p.number(r, "index"), p.stringOrNull(r, "schedule")));
            }
            tasks.add(new Task(p.string(t, "variant"), p.string(t, "scenario"), p.string(t, "strategy"),
                    p.number(t, "seed"), p.number(t, "budget"), (int) p.number(t, "shard"), (int) p.number(t, "shards"),
                    p.number(t, "schedules"), p.bool(t, "exhausted"), p.number(t, "stepLimited"),
                    ((Number) p.get(t, "seconds", Number.class)).doubleValue(), p.stringOrNull(t, "problem"), fs, os));
        }
        return of(tasks);
    }

    /** A small JSON reader: objects, arrays, strings, numbers, true, false, null. */
    private static final class Parser {
        private final String source, s;
        private int i;

        Parser(String source, String s) {
            this.source = source;
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            int line = 1;
            for (int k = 0; k < Math.min(i, s.length()); k++) if (s.charAt(k) == '\n') line++;
            return new IllegalArgumentException(source + ":" + line + ": " + what);
        }

        private void blank() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        void end() {
            blank();
            if (i < s.length()) throw error("expected the end of the file, got '" + s.charAt(i) + "'");
        }

        Object value() {
            blank();
            if (i >= s.length()) throw error("expected a value, got the end of the file");
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                blank();
                if (i < s.length() && s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                for (;;) {
                    blank();
                    if (i >= s.length() || s.charAt(i) != '"') throw error("expected a member name in quotes");
                    String k = string();
                    blank();
                    expect(':');
                    m.put(k, value());
                    blank();
                    if (i < s.length() && s.charAt(i) == ',') {
                        i++;
                        continue;
                    }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                blank();
                if (i < s.length() && s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                for (;;) {
                    l.add(value());
                    blank();
                    if (i < s.length() && s.charAt(i) == ',') {
                        i++;
                        continue;
                    }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') return string();
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int from = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            String num = s.substring(from, i);
            if (num.isEmpty()) throw error("expected a value, got '" + c + "'");
            try {
                if (num.contains(".") || num.contains("e") || num.contains("E")) return Double.parseDouble(num);
                return Long.parseLong(num);
            } catch (NumberFormatException e) {
                throw error("expected a number, got '" + num + "'");
            }
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c)
                throw error("expected '" + c + "', got " + (i >= s.length() ? "the end of the file" : "'" + s.charAt(i) + "'"));
            i++;
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (i >= s.length()) break;
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) throw error("expected four hex digits after \\u");
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(e);
                }
            }
            expect('"');
            return sb.toString();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object(Object o) {
            if (!(o instanceof Map)) throw error("expected an object");
            return (Map<String, Object>) o;
        }

        <T> T get(Map<String, Object> m, String k, Class<T> type) {
            Object v = m.get(k);
            if (!type.isInstance(v)) throw error("expected member \"" + k + "\" (" + type.getSimpleName().toLowerCase() + ")");
            return type.cast(v);
        }

        @SuppressWarnings("unchecked")
        List<Object> array(Map<String, Object> m, String k) {
            return get(m, k, List.class);
        }

        String string(Map<String, Object> m, String k) {
            return get(m, k, String.class);
        }

        String stringOrNull(Map<String, Object> m, String k) {
            return m.get(k) == null ? null : string(m, k);
        }

        long number(Map<String, Object> m, String k) {
            return get(m, k, Long.class);
        }

        boolean bool(Map<String, Object> m, String k) {
            return get(m, k, Boolean.class);
        }
    }
}
