// A schedule: the controller's decisions, one per line (step, context, label), as written to and
// read from schedule files; replaying it reproduces the run exactly.
package ethosu.bench.control;

import ethosu.bench.input.BadInputException;
import ethosu.bench.input.TextFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public final class Schedule {
    /**
     * One decision: at step, the chosen context (by name) and the label where it was paused; how
     * many options there were, which index was chosen and which was the running context (-1: none),
     * and whether the strategy chose (false: a forced or default step). The label is rendered when
     * first asked for: most decisions of an exploration are never printed.
     */
    public static final class Decision {
        private final int step, options, chosen, current;
        private final String context;
        private final boolean preemption, strategy;
        private String label;
        private Object at;
        private ethosu.bench.event.Names names;

        public Decision(int step, String context, String label, boolean preemption, int options, int chosen,
                        int current, boolean strategy) {
            this.step = step;
            this.context = context;
            this.label = label;
            this.preemption = preemption;
            this.options = options;
            this.chosen = chosen;
            this.current = current;
            this.strategy = strategy;
        }

        /** A decision whose label is where the chosen context stands (at), rendered with names when asked. */
        static Decision at(int step, String context, Object at, ethosu.bench.event.Names names, boolean preemption,
                           int options, int chosen, int current, boolean strategy) {
            Decision d = new Decision(step, context, null, preemption, options, chosen, current, strategy);
            d.at = at;
            d.names = names;
            return d;
        }

        public int step() {
            return step;
        }

        public String context() {
            return context;
        }

        public synchronized String label() {
            if (label == null) {
                label = Runtime.label(at, names);
                at = null;
                names = null;
            }
            return label;
        }

        public boolean preemption() {
            return preemption;
        }

        public int options() {
            return options;
        }

        public int chosen() {
            return chosen;
        }

        public int current() {
            return current;
        }

        public boolean strategy() {
            return strategy;
        }

        @Override
        public String toString() {
            return step + " " + context + " " + label();
        }
    }

    private final List<Decision> decisions = new ArrayList<>();

    public void add(Decision d) {
        decisions.add(d);
    }

    public List<Decision> decisions() {
        return decisions;
    }

    public int size() {
        return decisions.size();
    }

    public int preemptions() {
        int n = 0;
        for (Decision d : decisions) if (d.preemption()) n++;
        return n;
    }

    /** The file format: a header comment, then "step<TAB>context<TAB>label" per line. */
    public String format(String header) {
        StringBuilder sb = new StringBuilder();
        for (String h : header.split("\n")) sb.append("# ").append(h).append('\n');
        for (Decision d : decisions) sb.append(d.step()).append('\t').append(d.context()).append('\t').append(d.label()).append('\n');
        return sb.toString();
    }

    public void write(Path p, String header) throws IOException {
        Files.writeString(p, format(header));
    }

    /** Parses a schedule file; errors name the file, the line and what was expected. */
    public static Schedule parse(Path file, String text) {
        Schedule s = new Schedule();
        String[] lines = text.split("\n", -1);
        int expect = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = lines[i].split("\t", 3);
            if (f.length < 3)
                throw new ScheduleFormatException(file, i + 1, "expected 'step<TAB>context<TAB>label', got '" + line + "'");
            int step;
            try {
                step = Integer.parseInt(f[0].strip());
            } catch (NumberFormatException e) {
                throw new ScheduleFormatException(file, i + 1, "expected a step number, got '" + f[0] + "'");
            }
            if (step != expect)
                throw new ScheduleFormatException(file, i + 1, "expected step " + expect + ", got " + step);
            expect++;
            if (f[1].isBlank())
                throw new ScheduleFormatException(file, i + 1, "expected a context name (client-0, submit_wq, npu, time, ...), got nothing");
            s.add(new Decision(step, f[1].strip(), f[2].strip(), false, 0, -1, -1, false));
        }
        // an empty schedule would replay as the default scheduler: not what the file promised
        if (s.decisions.isEmpty())
            throw new ScheduleFormatException(file, Math.max(1, lines.length - (text.endsWith("\n") ? 1 : 0)),
                    "expected at least one decision 'step<TAB>context<TAB>label' after the header, got none");
        return s;
    }

    public static Schedule read(Path p) {
        return parse(p, TextFile.read(p, "a schedule file (docs/SCENARIOS.md)"));
    }

    /** A bad schedule file: file, line and what was expected. */
    public static final class ScheduleFormatException extends BadInputException {
        public ScheduleFormatException(Path file, int line, String what) {
            super(file.toString(), line, what);
        }
    }
}
