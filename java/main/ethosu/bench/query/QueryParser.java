// Reads the query language (docs/QUERIES.md) from a scenario file's `witness`/`never` line or the
// command line; every error names the file, the line, the column and what was expected.
package ethosu.bench.query;

import ethosu.bench.input.BadInputException;

import java.util.Map;

public final class QueryParser {
    /** A bad query: "file:line:column: expected X, got Y". */
    public static final class QueryFormatException extends BadInputException {
        public QueryFormatException(String where, String what) {
            super(where + ": " + what);
        }
    }

    private static final Map<String, Query.SpanKind> SPANS = Map.ofEntries(
            Map.entry("run_job", Query.SpanKind.RUN_JOB), Map.entry("timedout_job", Query.SpanKind.TIMEDOUT_JOB),
            Map.entry("free_job", Query.SpanKind.FREE_JOB), Map.entry("cancel_job", Query.SpanKind.CANCEL_JOB),
            Map.entry("irq_handler", Query.SpanKind.IRQ_HANDLER), Map.entry("irq_thread", Query.SpanKind.IRQ_THREAD),
            Map.entry("runtime_resume", Query.SpanKind.RUNTIME_RESUME),
            // the driver resets the NPU in its runtime resume callback
            Map.entry("reset", Query.SpanKind.RUNTIME_RESUME),
            Map.entry("runtime_suspend", Query.SpanKind.RUNTIME_SUSPEND), Map.entry("work", Query.SpanKind.WORK),
            Map.entry("hold", Query.SpanKind.HOLD));
    private static final Map<String, Query.EventKind> EVENTS = Map.ofEntries(
            Map.entry("start", Query.EventKind.START), Map.entry("return", Query.EventKind.RETURN),
            Map.entry("signal", Query.EventKind.SIGNAL), Map.entry("readl", Query.EventKind.READL),
            Map.entry("writel", Query.EventKind.WRITEL), Map.entry("READ_ONCE", Query.EventKind.READ_ONCE),
            Map.entry("WRITE_ONCE", Query.EventKind.WRITE_ONCE), Map.entry("lock", Query.EventKind.LOCK),
            Map.entry("unlock", Query.EventKind.UNLOCK), Map.entry("report", Query.EventKind.REPORT));
    private static final String SPAN_WORDS = "run_job, timedout_job, free_job, cancel_job, irq_handler, irq_thread, "
            + "runtime_resume, runtime_suspend, reset, work(F), hold(LOCK)";
    private static final String EVENT_WORDS = "start(..), return(..), signal(JOB.ROLE), readl(REG), writel(REG), "
            + "READ_ONCE(FIELD), WRITE_ONCE(FIELD), lock(L), unlock(L), report, \"label\"";

    private final String source, text, name;
    private final int line;
    private int pos;

    private QueryParser(String source, int line, String text, String name) {
        this.source = source;
        this.line = line;
        this.text = text;
        this.name = name;
    }

    /**
     * @param source the file (or "the command line")
     * @param line   the line in the file; 0 for the command line
     * @param name   what reports call the query
     */
    public static Query parse(String text, String source, int line, String name) {
        return new QueryParser(source, line, text, name).query();
    }

    private QueryFormatException error(String what) {
        String got = pos >= text.length() ? "the end of the query" : "'" + word() + "'";
        String where = line > 0 ? source + ":" + line + ":" + (pos + 1) : source + ", column " + (pos + 1);
        return new QueryFormatException(where, what + ", got " + got);
    }

    /** The token at pos (without consuming it), for error messages. */
    private String word() {
        int p = pos;
        if (p < text.length() && !ident(text.charAt(p))) return text.substring(p, p + 1);
        while (p < text.length() && ident(text.charAt(p))) p++;
        return text.substring(pos, p);
    }

    private static boolean ident(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '/' || c == '*';
    }

    private void space() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private String ident() {
        space();
        int p = pos;
        while (pos < text.length() && ident(text.charAt(pos))) pos++;
        return text.substring(p, pos);
    }

    private boolean peekWord(String w) {
        space();
        return text.startsWith(w, pos) && (pos + w.length() == text.length() || !ident(text.charAt(pos + w.length())));
    }

    private boolean eat(char c) {
        space();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private Query query() {
        Query.Kind kind = Query.Kind.WITNESS;
        if (peekWord("witness")) {
            ident();
        } else if (peekWord("never")) {
            ident();
            kind = Query.Kind.NEVER;
        }
        space();
        if (pos >= text.length()) throw error("expected a callback (" + SPAN_WORDS + ") or an event (" + EVENT_WORDS + ")");
        Query.Term subject = term();
        Query.Relation rel = Query.Relation.NONE;
        Query.Term object = null, until = null;
        space();
        if (pos < text.length()) {
            int at = pos;
            String w = ident();
            switch (w) {
                case "during" -> {
                    rel = Query.Relation.DURING;
                    object = span("after 'during'");
                }
                case "within" -> {
                    rel = Query.Relation.WITHIN;
                    object = span("after 'within'");
                }
                case "overlaps" -> {
                    if (!(subject instanceof Query.Span)) {
                        pos = at;
                        throw error("expected 'during', 'within' or 'between' after an event ('overlaps' relates two callbacks)");
                    }
                    rel = Query.Relation.OVERLAPS;
                    object = span("after 'overlaps'");
                }
                case "between" -> {
                    rel = Query.Relation.BETWEEN;
                    object = event("after 'between'");
                    if (!peekWord("and")) throw error("expected 'and' after the first event of 'between'");
                    ident();
                    until = event("after 'and'");
                }
                default -> {
                    pos = at;
                    throw error("expected 'during', 'within', 'overlaps', 'between' or the end of the query");
                }
            }
        }
        space();
        if (pos < text.length()) throw error("expected the end of the query");
        return new Query(kind, subject, rel, object, until, text.strip(), name, line > 0 ? source + ":" + line : source);
    }

    private Query.Term term() {
        space();
        int at = pos;
        if (pos < text.length() && text.charAt(pos) == '"') return event("");
        String w = ident();
        pos = at;
        if (SPANS.containsKey(w)) return span("");
        if (EVENTS.containsKey(w) || w.equals("readl_relaxed") || w.equals("writel_relaxed")) return event("");
        throw error("expected a callback (" + SPAN_WORDS + ") or an event (" + EVENT_WORDS + ")");
    }

    private Query.Span span(String after) {
        space();
        int at = pos;
        String w = ident();
        Query.SpanKind k = SPANS.get(w);
        if (k == null) {
            pos = at;
            throw error("expected a callback " + (after.isEmpty() ? "" : after + " ") + "(" + SPAN_WORDS + ")");
        }
        String arg = "*";
        if (eat('(')) {
            arg = argument();
            if (arg.isEmpty()) throw error("expected " + what(k) + " or * inside the parentheses");
            if (!eat(')')) throw error("expected ')'");
        } else if (k == Query.SpanKind.WORK || k == Query.SpanKind.HOLD) {
            throw error("expected '(' and " + what(k) + " after '" + w + "'");
        }
        return new Query.Span(k, arg, context());
    }

    private static String what(Query.SpanKind k) {
        return switch (k) {
            case WORK -> "a work item's function (drm_sched_run_job_work)";
            case HOLD -> "a lock's name (job_lock)";
            default -> "a job's name (A)";
        };
    }

    private Query.Happening event(String after) {
        space();
        int at = pos;
        if (eat('"')) {
            int end = text.indexOf('"', pos);
            if (end < 0) throw error("expected the closing '\"' of a label");
            String label = text.substring(pos, end);
            pos = end + 1;
            return new Query.Happening(Query.EventKind.LABEL, label, "*", null, context());
        }
        String w = ident();
        Query.EventKind k = EVENTS.get(w.replace("_relaxed", ""));
        if (k == null) {
            pos = at;
            throw error("expected an event " + (after.isEmpty() ? "" : after + " ") + "(" + EVENT_WORDS + ")");
        }
        String arg = "*", job = "*";
        Query.Span span = null;
        switch (k) {
            case START, RETURN -> {
                if (!eat('(')) throw error("expected '(' and a callback after '" + w + "'");
                span = span("inside " + w + "(..)");
                if (!eat(')')) throw error("expected ')'");
            }
            case REPORT -> {
                if (eat('(')) {
                    arg = argument();
                    if (!eat(')')) throw error("expected ')'");
                }
            }
            default -> {
                if (!eat('(')) throw error("expected '(' after '" + w + "'");
                int argAt = pos;
                arg = argument();
                if (!eat(')')) throw error("expected ')'");
                if (arg.isEmpty()) {
                    pos = argAt;
                    throw error("expected an argument inside " + w + "(..)");
                }
                if (k == Query.EventKind.SIGNAL) {
                    int dot = arg.lastIndexOf('.');
                    String role = dot >= 0 ? arg.substring(dot + 1) : arg;
                    if (dot >= 0) job = arg.substring(0, dot);
                    if (Query.role(role) == null && !role.equals("*")) {
                        if (dot >= 0) {
                            pos = argAt + dot + 1;
                            throw error("expected a fence role (done_fence, hw_fence, finished, scheduled)");
                        }
                        job = role; // signal(A): any fence of job A
                        role = "*";
                    }
                    arg = role;
                }
            }
        }
        return new Query.Happening(k, arg, job, span, context());
    }

    /** The raw text up to the matching ')' (fields like dev->in_flight_job, registers, names). */
    private String argument() {
        space();
        int p = pos, depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '(') depth++;
            if (c == ')' && depth-- == 0) break;
            pos++;
        }
        return text.substring(p, pos).strip();
    }

    /** An optional "on CONTEXT". */
    private String context() {
        if (!peekWord("on")) return null;
        ident();
        space();
        String c = ident();
        if (c.isEmpty()) throw error("expected a context after 'on' (submit_wq, timeout_wq, irq/ethosu, hardirq, client ...)");
        return c;
    }
}
