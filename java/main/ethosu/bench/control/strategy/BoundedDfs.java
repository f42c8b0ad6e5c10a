// Bounded-preemption depth-first search: every schedule with at most `bound` preemptions, each
// once, by replaying a prefix and taking the next untried choice at the deepest point that still
// has one. The default scheduler lets the running context go on, and when it blocks picks the
// lowest-numbered context that can run (then the device, then time); a preemption is any other
// choice, including which context runs after a block (otherwise the free choices at every block
// multiply beyond any budget). Says when the space within the bound is exhausted.
//
// With reduction (the default), sleep sets prune schedules that only reorder steps that commute
// (Footprint): once the default option of a point has been explored, a sibling subtree need not run
// that same step first until something it depends on has run. Only the default is put to sleep: a
// schedule that runs it later is then the same as one that ran it first, at no more preemptions,
// so the reduced search still covers every schedule the plain one does, up to reordering of
// commuting steps (docs/PERFORMANCE.md, "Partial-order reduction").
//
// Shards: with `shard k of n`, the subtrees below each first preemption are dealt out by where that
// preemption is (owner()); shard 0 also takes the schedule without preemption. Every shard runs the
// default schedule first to learn the points, so n shards together explore what one search does,
// each schedule once.
package ethosu.bench.control.strategy;

import ethosu.bench.control.Choice;
import ethosu.bench.control.Footprint;
import ethosu.bench.control.Strategy;

import java.util.ArrayList;
import java.util.List;

public final class BoundedDfs implements Strategy {
    /** One decision point: the order its options are tried in, and which is being tried. */
    private static final class Node {
        final int options;
        final int current;
        final int[] order;
        /** Each option's id (a context's id, Choice.DEVICE_ID, Choice.TIME_ID). */
        final int[] ids;
        /** Options asleep here (reduction): their step would run as in a subtree already explored. */
        final boolean[] asleep;
        /** What the default option's step touched, once it ran from here. */
        Footprint defaultStep;
        int pos;

        Node(List<Choice> enabled, int current) {
            this.options = enabled.size();
            this.current = current;
            order = new int[options];
            ids = new int[options];
            asleep = new boolean[options];
            int k = 0;
            int first = current >= 0 ? current : 0;
            order[k++] = first;
            for (int i = 0; i < options; i++) if (i != first) order[k++] = i;
            for (int i = 0; i < options; i++) ids[i] = enabled.get(i).context();
        }

        int choice() {
            return order[pos];
        }

        /** Every choice but the default one costs a preemption. */
        boolean preempts(int idx) {
            return idx != 0;
        }
    }

    /** A step asleep: option id's next step, which touched footprint when it ran. */
    private record Asleep(int id, Footprint footprint) {}

    private final int bound;
    private final boolean reduce;
    private final int shard, shards;
    private final List<Node> path = new ArrayList<>();
    private int calls;
    /** Preemptions the current schedule has taken so far. */
    private int used;
    private boolean started, exhausted;
    private long schedules;
    private String nondeterminism;
    /** Decisions of the first (all-default) schedule: the depth progress is measured against. */
    private int firstLength = -1;

    // ---- the current run (reduction) ----
    private final List<Asleep> sleep = new ArrayList<>();
    /** The node whose choice's step runs next, and that choice's id. */
    private Node pending;
    private int pendingId;
    /** The run took a step that was asleep: what follows repeats explored schedules. */
    private boolean redundant;
    /** This run is not the shard's own (it only lays out the points for the shard's subtrees). */
    private boolean foreign;

    // ---- counts ----
    private long redundantRuns, prunedOptions;

    /** The plain search with reduction, in one piece. */
    public BoundedDfs(int bound) {
        this(bound, true, 0, 1);
    }

    /**
     * @param reduce skip schedules that only reorder commuting steps (sleep sets)
     * @param shard  which part of the search this is, 0 to shards-1
     */
    public BoundedDfs(int bound, boolean reduce, int shard, int shards) {
        if (shards < 1 || shard < 0 || shard >= shards)
            throw new IllegalArgumentException("shard " + shard + " of " + shards);
        this.bound = bound;
        this.reduce = reduce;
        this.shard = shard;
        this.shards = shards;
    }

    @Override
    public boolean nextSchedule() {
        calls = 0;
        if (started && firstLength < 0) firstLength = path.size();
        used = 0;
        sleep.clear();
        pending = null;
        redundant = false;
        if (!started) {
            started = true;
            // every shard runs the default schedule (it lays out the first points); shard 0 owns it
            foreign = shard != 0;
            if (!foreign) schedules = 1;
            return true;
        }
        // backtrack: deepest node with an untried option within the bound
        for (int i = path.size() - 1; i >= 0; i--) {
            int usedBefore = 0;
            for (int j = 0; j < i; j++) if (path.get(j).preempts(path.get(j).pos)) usedBefore++;
            Node n = path.get(i);
            while (n.pos + 1 < n.options) {
                n.pos++;
                if (usedBefore + (n.preempts(n.pos) ? 1 : 0) > bound) continue;
                if (n.asleep[n.order[n.pos]]) continue;
                if (lastPreemptionRepeats(n, usedBefore)) {
                    prunedOptions++;
                    continue;
                }
                // a first preemption: its subtree goes to one shard
                if (usedBefore == 0 && n.preempts(n.pos) && owner(i, n.pos) != shard) continue;
                path.subList(i + 1, path.size()).clear();
                foreign = false;
                schedules++;
                return true;
            }
            path.remove(i);
        }
        exhausted = true;
        return false;
    }

    /**
     * The shard that explores the subtree below a first preemption: option pos of the point at depth
     * i. Neighbouring points go to different shards, so each gets early (large) and late (small)
     * subtrees alike; it depends on nothing else, so a shard resumed after a crash deals the same.
     */
    private int owner(int depth, int pos) {
        return Math.floorMod(depth * 31 + pos, shards);
    }

    /**
     * The device's event as the last preemption, where the running context's step (the default)
     * commutes with it: after the event that same step is the default again and asleep, with no
     * preemption left to go elsewhere, so the run could only repeat one already explored.
     */
    private boolean lastPreemptionRepeats(Node n, int usedBefore) {
        return reduce && usedBefore + 1 == bound && n.current >= 0 && n.ids[n.order[n.pos]] == Choice.DEVICE_ID
                && n.defaultStep != null && !n.asleep[n.order[0]] && n.defaultStep.commutesWithDevice();
    }

    @Override
    public int choose(int step, List<Choice> enabled, int current) {
        int k = calls++;
        Node n;
        if (k < path.size()) {
            n = path.get(k);
            if (n.options != enabled.size() || n.current != current) {
                if (nondeterminism == null)
                    nondeterminism = "decision " + k + ": replay saw " + enabled.size() + " options (current " + current
                            + "), first run " + n.options + " (current " + n.current + ")";
                return Math.min(n.choice(), enabled.size() - 1);
            }
        } else {
            n = new Node(enabled, current);
            if (reduce) {
                for (Asleep a : sleep)
                    for (int i = 0; i < n.options; i++) if (n.ids[i] == a.id()) n.asleep[i] = true;
                if (n.asleep[n.order[0]]) wakeAlternative(n);
            }
            path.add(n);
        }
        if (n.preempts(n.pos)) used++;
        pending = n;
        pendingId = n.ids[n.choice()];
        return n.choice();
    }

    /**
     * The default of a new node is asleep: running it would repeat an explored schedule. Take the
     * first option awake instead, if the bound allows one; else the run goes on redundant.
     */
    private void wakeAlternative(Node n) {
        for (int p = 1; p < n.options; p++) {
            if (n.asleep[n.order[p]]) {
                prunedOptions++;
                continue;
            }
            if (used + 1 > bound) break;
            n.pos = p;
            return;
        }
        redundant = true;
        redundantRuns++;
    }

    @Override
    public boolean wantsFootprints() {
        return reduce;
    }

    @Override
    public void stepped(int id, Footprint f) {
        if (redundant) return;
        Node n = pending;
        pending = null;
        boolean asleepStep = false;
        for (int i = sleep.size() - 1; i >= 0; i--) {
            Asleep a = sleep.get(i);
            if (a.id() == id) asleepStep = true;
            if (a.id() == id || a.footprint().dependent(f)) sleep.remove(i);
        }
        if (n != null && pendingId == id) {
            if (n.pos == 0) {
                if (n.defaultStep == null) n.defaultStep = f.copy();
            } else if (n.defaultStep != null && !n.asleep[n.order[0]] && !n.defaultStep.dependent(f)) {
                // the default ran first in an earlier subtree: here it waits until something it depends on runs
                sleep.add(new Asleep(n.ids[n.order[0]], n.defaultStep));
            }
        } else if (asleepStep) {
            // a forced step that was asleep: the rest of the run repeats what was explored
            redundant = true;
            redundantRuns++;
        }
    }

    /** With its preemptions spent, or its run redundant, the schedule's every later choice is the default. */
    @Override
    public boolean defaultsOnly() {
        return used >= bound || redundant;
    }

    /**
     * Continues after a schedule that was cut short (its process crashed): the path is rebuilt from
     * its strategy decisions, so the next schedule backtracks from it as if it had completed. (The
     * sleep sets of the rebuilt points are lost: the search goes on without reduction above them.)
     */
    public void resume(java.util.List<ethosu.bench.control.Schedule.Decision> crashed, long schedulesSoFar) {
        path.clear();
        for (var d : crashed) {
            if (!d.strategy()) continue;
            Node n = new Node(java.util.Collections.nCopies(d.options(), Choice.time(0)), d.current());
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

    /** Schedules this search (this shard) owns so far; runs that only lay out points are not counted. */
    public long schedules() {
        return schedules;
    }

    /** The current schedule is this shard's own (not a run that only lays out its points). */
    @Override
    public boolean owns() {
        return !foreign;
    }

    /** Runs that took a step asleep and went on with defaults (reduction). */
    public long redundantRuns() {
        return redundantRuns;
    }

    /** Options not run because they were asleep, or would only have repeated a schedule (reduction). */
    public long prunedOptions() {
        return prunedOptions;
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
        return "dfs(preemptions<=" + bound + (reduce ? ", sleep sets" : "") + (shards > 1 ? ", shard " + shard + "/"
                + shards : "") + ")";
    }
}
