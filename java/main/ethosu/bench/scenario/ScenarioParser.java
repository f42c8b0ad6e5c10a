// Reads scenarios in the bench's text format (docs/SCENARIOS.md); every error names the file,
// the line and what was expected.
package ethosu.bench.scenario;

import ethosu.bench.hw.JobBehaviour;
import ethosu.bench.hw.NpuVariant;
import ethosu.bench.input.BadInputException;
import ethosu.bench.query.Query;
import ethosu.bench.query.QueryParser;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

public final class ScenarioParser {
    /** A bad scenario file: "file:line: expected X, got Y". */
    public static final class ScenarioFormatException extends BadInputException {
        public ScenarioFormatException(String file, int line, String what) {
            super(file, line, what);
        }
    }

    /** Scenario names go into file names (variant--scenario--n.schedule): no path characters. */
    public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._+-]+");
    /** Kernel time a scenario may take at most: virtual time, but a bound keeps runs finite. */
    public static final long MAX_HORIZON_NS = 3600L * 1_000_000_000L;
    /** The longest a device behaviour may take in device steps (slow: total / step). */
    public static final long MAX_SLOW_STEPS = 10_000;
    /** Clients and jobs a scenario may have: a controlled run has at most Explorer.MAX_STEPS decisions. */
    public static final int MAX_CLIENTS = 16, MAX_JOBS = 64;

    private final String file;
    private int line;

    private ScenarioParser(String file) {
        this.file = file;
    }

    public static List<Scenario> parse(String file, String text) {
        return new ScenarioParser(file).parseAll(text);
    }

    private ScenarioFormatException error(String what) {
        return new ScenarioFormatException(file, line, what);
    }

    private static final class Builder {
        String name, about = "";
        NpuVariant npu = NpuVariant.U65;
        int sram = 0x20000;
        long horizon = 3_000_000_000L;
        final List<Scenario.ClientScript> clients = new ArrayList<>();
        final List<Query> queries = new ArrayList<>();
        final List<FaultSpec> faults = new ArrayList<>();
        List<Scenario.Job> jobs;
        boolean killed;
        int jobCount, start;
        /** keys given once per scenario, with the line that gave them */
        final java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        final StringBuilder source = new StringBuilder();

        void endClient() {
            if (jobs != null) clients.add(new Scenario.ClientScript(List.copyOf(jobs), killed));
            jobs = null;
            killed = false;
        }
    }

    private List<Scenario> parseAll(String text) {
        List<Scenario> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> jobNames = new HashSet<>();
        Builder b = null;
        String[] lines = text.split("\n", -1);
        for (line = 1; line <= lines.length; line++) {
            String raw = lines[line - 1];
            int hash = raw.indexOf('#');
            String l = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (b != null) b.source.append(raw).append('\n');
            if (l.isEmpty()) continue;
            String[] w = l.split("\\s+");
            String key = w[0].toLowerCase(Locale.ROOT);
            if (key.equals("scenario")) {
                if (b != null) out.add(finish(b));
                if (w.length != 2) throw error("expected 'scenario <name>', got '" + l + "'");
                if (!NAME.matcher(w[1]).matches() || w[1].equals(".") || w[1].equals(".."))
                    throw error("expected a scenario name of letters, digits and . _ + -, got '" + w[1] + "'");
                if (!names.add(w[1])) throw error("expected a new scenario name, got '" + w[1] + "' a second time");
                b = new Builder();
                b.name = w[1];
                b.start = line;
                b.source.append(raw).append('\n');
                jobNames.clear();
                continue;
            }
            if (b == null) throw error("expected 'scenario <name>' first, got '" + l + "'");
            if (ONCE.contains(key)) {
                Integer before = b.seen.putIfAbsent(key, line);
                if (before != null)
                    throw error("expected one '" + key + "' line in scenario " + b.name + ", got a second (the first is line "
                            + before + ")");
            }
            switch (key) {
                case "about" -> b.about = l.substring(w[0].length()).strip();
                case "horizon" -> {
                    need(w, 2, "horizon <duration>");
                    b.horizon = duration(w[1]);
                    if (b.horizon <= 0 || b.horizon > MAX_HORIZON_NS)
                        throw error("expected a horizon from 1ns to 3600s, got '" + w[1] + "'");
                }
                case "npu" -> {
                    need(w, 2, "npu u65|u85");
                    try {
                        b.npu = NpuVariant.valueOf(w[1].toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw error("expected 'u65' or 'u85', got '" + w[1] + "'");
                    }
                }
                case "sram" -> {
                    need(w, 2, "sram <bytes>");
                    long sram = number(w[1], "a size in bytes");
                    if (sram < 0 || sram > Integer.MAX_VALUE)
                        throw error("expected an SRAM size from 0 to 0x7fffffff bytes, got '" + w[1] + "'");
                    b.sram = (int) sram;
                }
                case "client" -> {
                    if (w.length != 1) throw error("expected 'client' alone on its line, got '" + l + "'");
                    b.endClient();
                    if (b.clients.size() >= MAX_CLIENTS)
                        throw error("expected at most " + MAX_CLIENTS + " clients in a scenario");
                    b.jobs = new ArrayList<>();
                }
                case "submit" -> {
                    if (b.jobs == null) throw error("expected 'client' before 'submit'");
                    if (w.length < 3) throw error("expected 'submit <job> <behaviour>', got '" + l + "'");
                    if (!jobNames.add(w[1])) throw error("expected a new job name, got '" + w[1] + "' a second time");
                    if (++b.jobCount > MAX_JOBS) throw error("expected at most " + MAX_JOBS + " jobs in a scenario");
                    if (w[2].equalsIgnoreCase("bad")) {
                        BadSubmit bad = w.length == 4 ? BadSubmit.of(w[3]) : null;
                        if (bad == null)
                            throw error("expected 'submit <job> bad <kind>' with a kind of " + String.join(", ", BadSubmit.words())
                                    + ", got '" + l + "'");
                        // if a broken driver accepts it, the job completes like any other
                        b.jobs.add(new Scenario.Job(w[1], JobBehaviour.complete(1_000_000), bad));
                        break;
                    }
                    int[] at = {2};
                    JobBehaviour jb = behaviour(w, at);
                    if (at[0] != w.length) throw error("expected the end of the line after the behaviour, got '" + w[at[0]] + "'");
                    b.jobs.add(new Scenario.Job(w[1], jb));
                }
                case "witness", "never" -> {
                    // the query's columns count from the start of the line as written
                    int col = raw.indexOf(w[0]);
                    String q = (hash >= 0 ? raw.substring(0, hash) : raw).substring(col).stripTrailing();
                    String qname = b.name + ":" + (b.queries.size() + 1);
                    try {
                        b.queries.add(QueryParser.parse(q, file, line, qname));
                    } catch (QueryParser.QueryFormatException e) {
                        // columns in the message count within the query: shift them to the line's
                        throw new ScenarioFormatException(file, line, shiftColumn(e.getMessage(), col));
                    }
                }
                case "kill" -> {
                    if (b.jobs == null) throw error("expected 'client' before 'kill'");
                    if (w.length != 1) throw error("expected 'kill' alone on its line, got '" + l + "'");
                    if (b.killed) throw error("expected one 'kill' per client, got a second");
                    b.killed = true;
                }
                case "fail" -> b.faults.add(fault(w, l));
                default -> throw error("expected one of scenario, about, horizon, npu, sram, client, submit, kill, witness, never, fail; got '" + w[0] + "'");
            }
        }
        line = lines.length;
        if (b != null) out.add(finish(b));
        return out;
    }

    /** Keys a scenario gives at most once: a second would silently replace the first. */
    private static final Set<String> ONCE = Set.of("about", "horizon", "npu", "sram");

    private Scenario finish(Builder b) {
        b.endClient();
        if (b.jobCount == 0)
            throw new ScenarioFormatException(file, b.start, "scenario " + b.name + ": expected at least one client with a submit");
        return new Scenario(b.name, b.about, b.npu, b.sram, b.horizon, List.copyOf(b.clients), b.source.toString(),
                b.queries, b.faults);
    }

    /** "f:12:7: expected ..." from the query parser, as "column 13: expected ..." of the whole line. */
    private static String shiftColumn(String message, int col) {
        var m = java.util.regex.Pattern.compile("^.*?:\\d+:(\\d+): ").matcher(message);
        if (!m.find()) return message;
        return "column " + (Integer.parseInt(m.group(1)) + col) + ": " + message.substring(m.end());
    }

    /** fail <fault> [<n>] [in <function>]: the nth call (default 1) of that kernel interface fails. */
    private FaultSpec fault(String[] w, String l) {
        String form = "fail alloc|entity-init|sched-init|irq-request|pm-get [<n>] [in <function>]";
        if (w.length < 2 || w.length > 5) throw error("expected '" + form + "', got '" + l + "'");
        int at = 2, nth = 1;
        String site = null;
        if (at < w.length && !w[at].equals("in")) {
            long n = number(w[at++], "a call number (1 = the first)");
            if (n < 1 || n > 1_000_000) throw error("expected a call number from 1 to 1000000, got '" + w[at - 1] + "'");
            nth = (int) n;
        }
        if (at < w.length) {
            if (!w[at].equals("in") || at + 2 != w.length) throw error("expected '" + form + "', got '" + l + "'");
            site = w[at + 1];
        }
        try {
            return new FaultSpec(FaultSpec.Fault.of(w[1]), nth, site);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    private void need(String[] w, int n, String form) {
        if (w.length != n) throw error("expected '" + form + "', got '" + String.join(" ", w) + "'");
    }

    /** complete [d] | hang | slow <step> <total> | bus-error [d] | parse-error [d] | spurious <at> <behaviour> */
    private JobBehaviour behaviour(String[] w, int[] at) {
        if (at[0] >= w.length) throw error("expected a behaviour: complete, hang, slow, bus-error, parse-error or spurious");
        String k = w[at[0]++].toLowerCase(Locale.ROOT);
        return switch (k) {
            case "complete" -> JobBehaviour.complete(optDuration(w, at, 1_000_000));
            case "hang" -> JobBehaviour.hang();
            case "slow" -> {
                long step = reqDuration(w, at, "slow <step> <total>");
                long total = reqDuration(w, at, "slow <step> <total>");
                if (step <= 0 || total < step)
                    throw error("expected 'slow <step> <total>' with 0 < step <= total, got '" + w[at[0] - 2] + " "
                            + w[at[0] - 1] + "'");
                if (total / step > MAX_SLOW_STEPS)
                    throw error("expected 'slow <step> <total>' with at most " + MAX_SLOW_STEPS + " steps, got "
                            + total / step);
                yield JobBehaviour.slowProgress(step, total);
            }
            case "bus-error" -> JobBehaviour.busError(optDuration(w, at, 1_000_000));
            case "parse-error" -> JobBehaviour.parseError(optDuration(w, at, 1_000_000));
            case "spurious" -> {
                long t = reqDuration(w, at, "spurious <at> <behaviour>");
                yield JobBehaviour.spuriousIrq(t, behaviour(w, at));
            }
            default -> throw error("expected a behaviour: complete, hang, slow, bus-error, parse-error or spurious; got '" + k + "'");
        };
    }

    private long optDuration(String[] w, int[] at, long dflt) {
        if (at[0] < w.length && (isAsciiDigit(w[at[0]].charAt(0)) || w[at[0]].startsWith("-")))
            return duration(w[at[0]++]);
        return dflt;
    }

    private long reqDuration(String[] w, int[] at, String form) {
        if (at[0] >= w.length) throw error("expected '" + form + "' with durations like 1ms");
        return duration(w[at[0]++]);
    }

    private static boolean isAsciiDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** 100ns, 5us, 1ms, 2s */
    long duration(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        long mult;
        String num;
        if (t.endsWith("ns")) { mult = 1; num = t.substring(0, t.length() - 2); }
        else if (t.endsWith("us")) { mult = 1_000; num = t.substring(0, t.length() - 2); }
        else if (t.endsWith("ms")) { mult = 1_000_000; num = t.substring(0, t.length() - 2); }
        else if (t.endsWith("s")) { mult = 1_000_000_000; num = t.substring(0, t.length() - 1); }
        else throw error("expected a duration with a unit (ns, us, ms, s), got '" + s + "'");
        if (num.isEmpty() || !num.chars().allMatch(ScenarioParser::isAsciiDigit) || num.length() > 18)
            throw error("expected a duration like 500ms (a whole number, not negative, and a unit), got '" + s + "'");
        try {
            return Math.multiplyExact(Long.parseLong(num), mult);
        } catch (ArithmeticException e) {
            throw error("expected a duration like 500ms, got '" + s + "', too long");
        }
    }

    private long number(String s, String what) {
        String digits = s.startsWith("0x") ? s.substring(2) : s;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> Character.digit(c, s.startsWith("0x") ? 16 : 10) >= 0 && c < 128))
            throw error("expected " + what + ", got '" + s + "'");
        try {
            return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw error("expected " + what + ", got '" + s + "'");
        }
    }
}
