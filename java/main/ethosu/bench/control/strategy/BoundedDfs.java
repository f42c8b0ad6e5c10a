// Bounded-preemption depth-first search: every schedule with at most `bound` preemptions, each
// once, by replaying a prefix and taking the next untried choice at the deepest point that still
// has one. The default scheduler lets the running context go on, and when it blocks picks the
// lowest-numbered context that can run (then the device, then time); a preemption is any other
// choice, including which context runs after a block (otherwise the free choices at every block
// multiply beyond any budget). Says when the space within the bound is exhausted.
package ethosu.bench.control.strategy;

import ethosu.bench.control.Choice;
import ethosu.bench.control.Strategy;

import java.util.ArrayList;
import java.util.List;

public final class BoundedDfs implements Strategy {
    /** One decision point: the order its options are tried in, and which is being tried. */
    private static final class Node {
        final int options;
        final int current;
        final int[] order;
        int pos;

        Node(int options, int current) {
            this.options = options;
            this.current = current;
            order = new int[options];
            int k = 0;
            int first = current >= 0 ? current : 0;
            order[k++] = first;
            for (int i = 0; i < options; i++) if (i != first) order[k++] = i;
        }

        int choice() {
            return order[pos];
        }

        /** Every choice but the default one costs a preemption. */
        boolean preempts(int idx) {
            return idx != 0;
        }
    }

    private final int bound;
    private final List<Node> path = new ArrayList<>();
    private int calls;
    private boolean started, exhausted;
    private long schedules;
    private String nondeterminism;
    /** Decisions of the first (all-default) schedule: the depth progress is measured against. */
    private int firstLength = -1;

    public BoundedDfs(int bound) {
        this.bound = bound;
    }

    @Override
    public boolean nextSchedule() {
        calls = 0;
        if (started && firstLength < 0) firstLength = path.size();
        if (!started) {
            started = true;
            schedules = 1;
            return true;
        }
        // backtrack: deepest node with an untried option within the bound
        for (int i = path.size() - 1; i >= 0; i--) {
            int used = 0;
            for (int j = 0; j < i; j++) if (path.get(j).preempts(path.get(j).pos)) used++;
            Node n = path.get(i);
            while (n.pos + 1 < n.options) {
                n.pos++;
                if (used + (n.preempts(n.pos) ? 1 : 0) <= bound) {
                    path.subList(i + 1, path.size()).clear();
                    schedules++;
                    return true;
                }
            }
            path.remove(i);
        }
        exhausted = true;
        return false;
    }

    @Override
    public int choose(int step, List<Choice> enabled, int current) {
        int k = calls++;
        if (k < path.size()) {
            Node n = path.get(k);
            if (n.options != enabled.size() || n.current != current) {
                if (nondeterminism == null)
                    nondeterminism = "decision " + k + ": replay saw " + enabled.size() + " options (current " + current
                            + "), first run " + n.options + " (current " + n.current + ")";
                return Math.min(n.choice(), enabled.size() - 1);
            }
            return n.choice();
        }
        Node n = new Node(enabled.size(), current);
        path.add(n);
        return n.choice();
    }

    /**
     * Continues after a schedule that was cut short (its process crashed): the path is rebuilt from
     * its strategy decisions, so the next schedule backtracks from it as if it had completed.
     */
    public void resume(java.util.List<ethosu.bench.control.Schedule.Decision> crashed, long schedulesSoFar) {
        path.clear();
        for (var d : crashed) {
            if (!d.strategy()) continue;
            Node n = new Node(d.options(), d.current());
            for (int i = 0; i < n.order.length; i++) if (n.order[i] == d.chosen()) n.pos = i;
            path.add(n);
        }
        started = true;
        schedules = schedulesSoFar;
    }

    @Override
    public boolean exhausted() {
        return exhausted;
    }

    /** Non-null if a replayed prefix did not offer the same choices: the run is not deterministic. */
    public String nondeterminism() {
        return nondeterminism;
    }

    public long schedules() {
        return schedules;
    }

    /**
     * A rough share of the space within the bound explored so far, for a progress line: the search
     * backtracks from the deepest decisions up, and under a preemption at depth d lie about
     * (L - d)^(bound - 1) schedules, so what is left above the shallowest preemption d is about
     * 1 - ((L - d) / L)^bound of the whole. -1 before the first schedule has ended.
     */
    public double progress() {
        if (exhausted) return 1;
        if (firstLength <= 0 || bound == 0) return -1;
        int d = path.size();
        for (int i = 0; i < path.size(); i++) if (path.get(i).pos > 0) { d = i; break; }
        double above = Math.min(1, Math.max(0, (double) (firstLength - Math.min(d, firstLength)) / firstLength));
        return Math.pow(above, bound);
    }

    @Override
    public String describe() {
        return "dfs(preemptions<=" + bound + ")";
    }
}
