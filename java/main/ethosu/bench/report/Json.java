// A small JSON reader and writer for the bench's own files (session results, trace exports): values
// are Map (insertion-ordered), List, String, Long/Double, Boolean and null. No dependency for this.
package ethosu.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class Json {
    private Json() {}

    /** Bad JSON: where (line and column) and what was expected. */
    public static final class JsonException extends ethosu.bench.input.BadInputException {
        public JsonException(String what) {
            super(what);
        }
    }

    // ---------------------------------------------------------------- writing

    /** The value as JSON; with indent > 0, objects and lists one member per line. */
    public static String write(Object v, int indent) {
        StringBuilder sb = new StringBuilder();
        write(sb, v, indent, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int indent, int depth) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(d.isNaN() || d.isInfinite() ? "null" : number(d));
            case Float f -> sb.append(f.isNaN() || f.isInfinite() ? "null" : number(f.doubleValue()));
            case Number n -> sb.append(n.longValue());
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                sb.append('{');
                boolean first = true;
                for (var e : m.entrySet()) {
                    if (!first) sb.append(',');
                    first = false;
                    newline(sb, indent, depth + 1);
                    quote(sb, String.valueOf(e.getKey()));
                    sb.append(indent > 0 ? ": " : ":");
                    write(sb, e.getValue(), indent, depth + 1);
                }
                newline(sb, indent, depth);
                sb.append('}');
            }
            case Iterable<?> it -> {
                if (!it.iterator().hasNext()) {
                    sb.append("[]");
                    return;
                }
                sb.append('[');
                boolean first = true;
                for (Object o : it) {
                    if (!first) sb.append(',');
                    first = false;
                    newline(sb, indent, depth + 1);
                    write(sb, o, indent, depth + 1);
                }
                newline(sb, indent, depth);
                sb.append(']');
            }
            default -> quote(sb, v.toString());
        }
    }

    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return Double.toString(d);
    }

    private static void newline(StringBuilder sb, int indent, int depth) {
        if (indent <= 0) return;
        sb.append('\n').append(" ".repeat(indent * depth));
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    // ---------------------------------------------------------------- reading

    /** Parses one JSON value; errors name the source, line and column. */
    public static Object parse(String source, String text) {
        Reader r = new Reader(source, text);
        r.space();
        Object v = r.value();
        r.space();
        if (r.pos < text.length()) throw r.error("expected the end of the input");
        return v;
    }

    private static final class Reader {
        final String source, s;
        int pos;

        Reader(String source, String s) {
            this.source = source;
            this.s = s;
        }

        JsonException error(String what) {
            int line = 1, col = 1;
            for (int i = 0; i < Math.min(pos, s.length()); i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            String got = pos < s.length() ? "'" + s.charAt(pos) + "'" : "the end of the input";
            return new JsonException(source + ":" + line + ":" + col + ": " + what + ", got " + got);
        }

        void space() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        boolean eat(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        Object value() {
            if (pos >= s.length()) throw error("expected a value");
            char c = s.charAt(pos);
            if (c == '{') return object();
            if (c == '[') return list();
            if (c == '"') return string();
            if (c == '-' || (c >= '0' && c <= '9')) return number();
            if (s.startsWith("true", pos)) { pos += 4; return Boolean.TRUE; }
            if (s.startsWith("false", pos)) { pos += 5; return Boolean.FALSE; }
            if (s.startsWith("null", pos)) { pos += 4; return null; }
            throw error("expected a value (object, list, string, number, true, false or null)");
        }

        Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            space();
            if (eat('}')) return m;
            for (;;) {
                space();
                if (pos >= s.length() || s.charAt(pos) != '"') throw error("expected a member name in quotes");
                String k = string();
                space();
                if (!eat(':')) throw error("expected ':' after a member name");
                space();
                m.put(k, value());
                space();
                if (eat(',')) continue;
                if (eat('}')) return m;
                throw error("expected ',' or '}'");
            }
        }

        List<Object> list() {
            List<Object> l = new ArrayList<>();
            pos++;
            space();
            if (eat(']')) return l;
            for (;;) {
                space();
                l.add(value());
                space();
                if (eat(',')) continue;
                if (eat(']')) return l;
                throw error("expected ',' or ']'");
            }
        }

        String string() {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') return sb.toString();
                if (c != '\\') {
                    if (c < 0x20) {
                        pos--;
                        throw error("expected no control character inside a string");
                    }
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) break;
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("expected four hex digits after \\u");
                        try {
                            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("expected four hex digits after \\u");
                        }
                        pos += 4;
                    }
                    default -> {
                        pos--;
                        throw error("expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
                    }
                }
            }
            throw error("expected the closing quote of a string");
        }

        Object number() {
            int start = pos;
            if (eat('-')) {}
            while (pos < s.length() && "0123456789.eE+-".indexOf(s.charAt(pos)) >= 0) pos++;
            String t = s.substring(start, pos);
            try {
                if (t.contains(".") || t.contains("e") || t.contains("E")) return Double.parseDouble(t);
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                pos = start;
                throw error("expected a number");
            }
        }
    }

    // ---------------------------------------------------------------- reading helpers

    /** A member of an object that must be there, of type t; errors say which and where. */
    @SuppressWarnings("unchecked")
    public static <T> T get(Map<String, Object> m, String key, Class<T> t, String where) {
        Object v = m.get(key);
        if (v == null && !m.containsKey(key)) throw new JsonException(where + ": expected a member '" + key + "'");
        if (v == null) return null;
        if (t == Long.class && v instanceof Number n) return (T) Long.valueOf(n.longValue());
        if (t == Double.class && v instanceof Number n) return (T) Double.valueOf(n.doubleValue());
        if (!t.isInstance(v))
            throw new JsonException(where + ": expected '" + key + "' to be " + t.getSimpleName().toLowerCase() + ", got " + v);
        return (T) v;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object v, String where) {
        if (!(v instanceof Map<?, ?>)) throw new JsonException(where + ": expected an object");
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?>)) throw new JsonException(where + ": expected '" + key + "' to be a list");
        return (List<Object>) v;
    }
}
