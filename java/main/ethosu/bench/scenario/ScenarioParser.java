// Reads scenarios in the bench's text format (docs/SCENARIOS.md); every error names the file,
// the line and what was expected.
package ethosu.bench.scenario;

import ethosu.bench.hw.JobBehaviour;
import ethosu.bench.hw.NpuVariant;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

public final class ScenarioParser {
    /** A bad scenario file: "file:line: expected X, got Y". */
    public static final class ScenarioFormatException extends IllegalArgumentException {
        public ScenarioFormatException(String file, int line, String what) {
            super(file + ":" + line + ": " + what);
        }
    }

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
        List<Scenario.Job> jobs;
        boolean killed;
        final List<FaultSpec> faults = new ArrayList<>();
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
                if (!names.add(w[1])) throw error("expected a new scenario name, got '" + w[1] + "' a second time");
                b = new Builder();
                b.name = w[1];
                b.source.append(raw).append('\n');
                jobNames.clear();
                continue;
            }
            if (b == null) throw error("expected 'scenario <name>' first, got '" + l + "'");
            switch (key) {
                case "about" -> b.about = l.substring(w[0].length()).strip();
                case "horizon" -> {
                    need(w, 2, "horizon <duration>");
                    b.horizon = duration(w[1]);
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
                    b.sram = (int) number(w[1], "a size in bytes");
                }
                case "client" -> {
                    if (w.length != 1) throw error("expected 'client' alone on its line, got '" + l + "'");
                    b.endClient();
                    b.jobs = new ArrayList<>();
                }
                case "submit" -> {
                    if (b.jobs == null) throw error("expected 'client' before 'submit'");
                    if (w.length < 3) throw error("expected 'submit <job> <behaviour>', got '" + l + "'");
                    if (!jobNames.add(w[1])) throw error("expected a new job name, got '" + w[1] + "' a second time");
                    int[] at = {2};
                    JobBehaviour jb = behaviour(w, at);
                    if (at[0] != w.length) throw error("expected the end of the line after the behaviour, got '" + w[at[0]] + "'");
                    b.jobs.add(new Scenario.Job(w[1], jb));
                }
                case "kill" -> {
                    if (b.jobs == null) throw error("expected 'client' before 'kill'");
                    b.killed = true;
                }
                case "fail" -> b.faults.add(fault(w, l));
                default -> throw error("expected one of scenario, about, horizon, npu, sram, client, submit, kill, fail; got '" + w[0] + "'");
            }
        }
        line = lines.length;
        if (b != null) out.add(finish(b));
        return out;
    }

    private Scenario finish(Builder b) {
        b.endClient();
        if (b.clients.isEmpty()) throw error("scenario " + b.name + ": expected at least one client with a submit");
        return new Scenario(b.name, b.about, b.npu, b.sram, b.horizon, List.copyOf(b.clients), b.source.toString(),
                List.copyOf(b.faults));
    }

    /** fail <fault> [<n>] [in <function>]: the nth call (default 1) of that kernel interface fails. */
    private FaultSpec fault(String[] w, String l) {
        String form = "fail alloc|entity-init|sched-init|irq-request|pm-get [<n>] [in <function>]";
        if (w.length < 2 || w.length > 5) throw error("expected '" + form + "', got '" + l + "'");
        int at = 2, nth = 1;
        String site = null;
        if (at < w.length && !w[at].equals("in")) nth = (int) number(w[at++], "a call number (1 = the first)");
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
        if (at[0] < w.length && Character.isDigit(w[at[0]].charAt(0))) return duration(w[at[0]++]);
        return dflt;
    }

    private long reqDuration(String[] w, int[] at, String form) {
        if (at[0] >= w.length) throw error("expected '" + form + "' with durations like 1ms");
        return duration(w[at[0]++]);
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
        try {
            return Math.multiplyExact(Long.parseLong(num), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw error("expected a duration like 500ms, got '" + s + "'");
        }
    }

    private long number(String s, String what) {
        try {
            return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw error("expected " + what + ", got '" + s + "'");
        }
    }
}
