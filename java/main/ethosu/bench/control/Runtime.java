// The controlled platform's runtime: one context runs at a time; at every scheduling point the
// running context asks the strategy what happens next and hands control over. Waits tell it what a
// context waits for; time is virtual and moves only when the strategy chooses to advance it.
package ethosu.bench.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Context threads call {@link #enter}, then {@link #point}, {@link #await}, {@link #wake} as they run
 * (from C through the hooks, or from Java), and {@link #exit} when done. The decision logic runs on
 * the thread of the context that reached the point, so a step without a switch costs no handoff.
 */
public final class Runtime {
    /** The device side the controller can step: the fake NPU in controlled mode. */
    public interface Environment {
        /** Label of the device's next event, null if it has none. */
        String nextDeviceEvent();

        /**
         * Device time of its next event (Long.MAX_VALUE: none). A device event may be chosen
         * early, but time never passes it: advancing time performs the events it overtakes.
         */
        long nextDeviceEventTime();

        /** Performs the device's next event (may raise the IRQ line: a wake of its channel). */
        void stepDevice();

        /** Virtual time moved forward to t. */
        default void timeAdvanced(long t) {}
    }

    public enum State { NEW, RUNNABLE, BLOCKED, DONE }

    /** A context under control. */
    public static final class Ctx {
        public final int id;
        public final String name;
        /** An idle wait (worker without work, IRQ thread without IRQ): not a deadlock at quiescence. */
        volatile boolean idle;
        volatile boolean go;
        volatile State state = State.NEW;
        Thread thread;
        long chan;
        long deadline = Long.MAX_VALUE;
        boolean timedOut;
        String label = "start";
        String waitWhat;
        /** The break step's decision chose this context: it breaks (breakHook) as it resumes. */
        boolean breakPending;
        /** A kernel context: virtual time passing while it is runnable but not running is a stall. */
        boolean stallCounts;
        /** Virtual time since which it is runnable without having run. */
        long runnableSince;
        /** Locks it holds (from its lock and unlock points). */
        final List<String> held = new ArrayList<>();
        /** Its longest stall so far: how long, at which point, holding what. */
        long maxStall;
        String stallAt, stallHeld;

        Ctx(int id, String name) {
            this.id = id;
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Channel a context waits on for quiescence (main, before teardown). */
    public static final long QUIESCENT = -100;

    private final Strategy strategy;
    private final Environment env;
    private long horizon;
    private final int maxSteps;
    private long maxStall = -1;
    private final Map<Integer, Ctx> contexts = new TreeMap<>();
    private final Schedule schedule = new Schedule();
    private final List<String> trace = new ArrayList<>() {
        @Override
        public boolean add(String line) {
            if (LIVE) System.err.println("[" + vtime + "] " + line);
            return super.add(line);
        }
    };
    /** ETHOSU_TRACE_LIVE=1 prints every scheduling point as it happens (a run that crashes keeps its trace). */
    private static final boolean LIVE = System.getenv("ETHOSU_TRACE_LIVE") != null;
    private final List<String> deadlocks = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Ctx running;
    private long vtime;
    private int step;
    private boolean ended;
    private boolean stepLimitHit;
    private boolean settling;
    private String divergence;

    private java.util.function.Consumer<Schedule.Decision> recorder;

    /** What happens at the break step: called on the thread of the context that goes on from it. */
    public interface BreakHook {
        void stop(int step, String context, String label);
    }

    private int breakStep = -1;
    private BreakHook breakHook;

    /**
     * At decision `step` (the step numbers of schedules, traces and diagrams), hook runs on the
     * thread of the chosen context as it resumes; for a device or time step, on the deciding one.
     */
    public void breakAt(int step, BreakHook hook) {
        this.breakStep = step;
        this.breakHook = hook;
    }

    /** Sees every decision as it is taken (the worker's flight recorder: a crash keeps them). */
    public void setRecorder(java.util.function.Consumer<Schedule.Decision> recorder) {
        this.recorder = recorder;
    }

    public Runtime(Strategy strategy, Environment env, long horizonNs, int maxSteps) {
        this.strategy = strategy;
        this.env = env;
        this.horizon = horizonNs;
        this.maxSteps = maxSteps;
    }

    /** Declares a context before any runs; its thread must call {@link #enter} first. */
    public synchronized Ctx register(int id, String name) {
        return register(id, name, false);
    }

    /**
     * As above; for a kernel context (a worker, the IRQ thread, the hard IRQ) virtual time that
     * passes while it is runnable counts as a stall it needs (clients and main are user space).
     */
    public synchronized Ctx register(int id, String name, boolean kernel) {
        Ctx c = new Ctx(id, name);
        c.stallCounts = kernel;
        contexts.put(id, c);
        return c;
    }

    /**
     * Time may advance only while no kernel context would then have been runnable without running
     * for longer than maxNs (negative: no bound). Explorations with a bound see only the schedules
     * that need no longer preemption of a kworker or an IRQ context.
     */
    public void setMaxStall(long maxNs) {
        this.maxStall = maxNs;
    }

    public long maxStall() {
        return maxStall;
    }

    /** The context (on its own thread, at its point) now holds lock / released it. */
    public void lockAcquired(int id, String lock) {
        Ctx c = contexts.get(id);
        if (c != null) c.held.add(lock);
    }

    public void lockReleased(int id, String lock) {
        Ctx c = contexts.get(id);
        if (c != null) c.held.remove(lock);
    }

    /** A kernel context stalled while virtual time advanced: who, how long, where, holding what. */
    public record Stall(String context, long ns, String at, String held) {
        @Override
        public String toString() {
            return context + " stalled " + Stall.duration(ns) + " at '" + at + "'"
                    + (held.isEmpty() ? "" : " holding " + held);
        }

        public static String duration(long ns) {
            if (ns >= 1_000_000) return String.format("%.1f ms", ns / 1e6);
            if (ns >= 1_000) return String.format("%.1f us", ns / 1e3);
            return ns + " ns";
        }
    }

    /** The longest stall of each kernel context so far, longest first. */
    public List<Stall> stalls() {
        List<Stall> out = new ArrayList<>();
        for (Ctx c : contexts.values())
            if (c.maxStall > 0) out.add(new Stall(c.name, c.maxStall, c.stallAt, c.stallHeld));
        out.sort((a, b) -> Long.compare(b.ns(), a.ns()));
        return out;
    }

    /** What the run so far needs of the machine: "no stall", or each kernel context's longest stall. */
    public String needs() {
        List<Stall> st = stalls();
        if (st.isEmpty()) return "no stall (no kernel context was runnable while virtual time advanced)";
        StringBuilder sb = new StringBuilder();
        for (Stall s : st) sb.append(sb.length() == 0 ? "" : "; ").append(s);
        return sb.toString();
    }

    public Ctx context(int id) {
        return contexts.get(id);
    }

    /** On the context's own thread: wait until it is first scheduled. */
    public void enter(int id) {
        Ctx c = contexts.get(id);
        c.thread = Thread.currentThread();
        c.runnableSince = vtime;
        c.state = State.RUNNABLE;
        parkUntilGo(c);
        breakIfPending(c);
    }

    private void breakIfPending(Ctx c) {
        if (!c.breakPending) return;
        c.breakPending = false;
        breakHook.stop(breakStep, c.name, c.label);
    }

    /** From the harness: start the run with the first context and wait for its end. */
    public boolean run(int firstId, long timeoutMs) throws InterruptedException {
        // every context thread must have entered before the first decision
        for (Ctx c : contexts.values()) {
            while (c.state == State.NEW) Thread.onSpinWait();
        }
        Ctx first = contexts.get(firstId);
        running = first;
        first.go = true;
        LockSupport.unpark(first.thread);
        return done.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public long now() {
        return vtime;
    }

    /**
     * The scenario is over (its horizon reached or nothing left to do): from now on time runs
     * without bound and every decision is the default one (the running context goes on, else the
     * first that can), so what is in flight settles before teardown without multiplying schedules.
     */
    public void beginTeardown() {
        horizon = Long.MAX_VALUE;
        settling = true;
    }

    public Schedule schedule() {
        return schedule;
    }

    public List<String> trace() {
        return trace;
    }

    public List<String> deadlocks() {
        return deadlocks;
    }

    public boolean stepLimitHit() {
        return stepLimitHit;
    }

    /** Non-null when a replayed schedule did not match the run. */
    public String divergence() {
        return divergence;
    }

    public void diverged(String why) {
        if (divergence == null) divergence = why;
    }

    // ---------------------------------------------------------------- called by contexts

    /** A scheduling point of the running context. */
    public void point(int id, String label) {
        Ctx me = contexts.get(id);
        if (me == null || ended) return;
        me.label = label;
        trace.add(me.name + ": " + label);
        schedule(me);
    }

    /**
     * The running context waits on chan (until woken or virtual time reaches deadline).
     * Returns true if the deadline ended the wait.
     */
    public boolean await(int id, long chan, long deadline, String what, boolean idle) {
        Ctx me = contexts.get(id);
        if (me == null) return true;
        if (deadline != Long.MAX_VALUE && deadline <= vtime) return true;
        me.state = State.BLOCKED;
        me.chan = chan;
        me.deadline = deadline;
        me.timedOut = false;
        me.waitWhat = what;
        me.idle = idle;
        me.label = "wait: " + what;
        schedule(me);
        return me.timedOut;
    }

    /** A line in the trace that is not a decision: a finding or a kernel log line, at the current step. */
    public void note(String context, String text) {
        trace.add(context + ": " + text);
    }

    /** Every context waiting on chan becomes runnable. */
    public void wake(long chan) {
        for (Ctx c : contexts.values()) {
            if (c.state == State.BLOCKED && c.chan == chan) {
                c.state = State.RUNNABLE;
                c.runnableSince = vtime;
                c.timedOut = false;
                c.label = "woken from: " + c.waitWhat;
            }
        }
    }

    /** The running context is finished; control goes to another one. */
    public void exit(int id) {
        Ctx me = contexts.get(id);
        me.state = State.DONE;
        me.label = "exit";
        schedule(me);
    }

    // ---------------------------------------------------------------- the decision loop

    /** Decide what happens next at me's point; returns when me is chosen to run again. */
    private void schedule(Ctx me) {
        for (;;) {
            List<Choice> enabled = new ArrayList<>();
            int current = -1;
            for (Ctx c : contexts.values()) {
                if (c.state == State.RUNNABLE) {
                    if (c == me) current = enabled.size();
                    enabled.add(Choice.context(c.id, c.name, c.label));
                }
            }
            String dev = env.nextDeviceEvent();
            if (dev != null) enabled.add(Choice.device(dev));
            long next = nextDeadline();
            if (next != Long.MAX_VALUE && next <= horizon && !stallsPast(next)) enabled.add(Choice.time(next));

            if (enabled.isEmpty()) {
                if (quiesce()) continue;
                finish();
                if (me.state == State.DONE) return;
                parkForever(me);
                return;
            }
            int pick;
            boolean chose = false;
            if (settling) {
                pick = current >= 0 ? current : 0;
            } else if (step >= maxSteps) {
                // past the bound: no more preemptions, the run goes on to its end in a fixed order
                stepLimitHit = true;
                pick = current >= 0 ? current : 0;
            } else if (enabled.size() == 1) {
                pick = 0;
            } else {
                pick = strategy.choose(step, enabled, current);
                chose = true;
            }
            Choice ch = enabled.get(pick);
            boolean preempt = current >= 0 && pick != current;
            Schedule.Decision d = new Schedule.Decision(step, ch.name(), ch.label(), preempt, enabled.size(), pick,
                    current, chose);
            schedule.add(d);
            if (recorder != null) recorder.accept(d);
            boolean breakHere = breakHook != null && step == breakStep;
            step++;
            if (breakHere && ch.kind() != Choice.Kind.CONTEXT) breakHook.stop(breakStep, ch.name(), ch.label());
            switch (ch.kind()) {
                case DEVICE -> {
                    trace.add("npu: " + ch.label());
                    env.stepDevice();
                    continue;
                }
                case TIME -> {
                    advance(next);
                    continue;
                }
                case CONTEXT -> {
                    Ctx target = contexts.get(ch.context());
                    target.runnableSince = vtime;
                    if (breakHere) target.breakPending = true;
                    if (target == me) {
                        breakIfPending(me);
                        return;
                    }
                    handOff(me, target);
                    breakIfPending(me);
                    return;
                }
            }
        }
    }

    private int runnableKernel() {
        int n = 0;
        for (Ctx c : contexts.values())
            if (c.state == State.RUNNABLE && c.stallCounts) n++;
        return n;
    }

    /** Advancing time to t would stall a runnable kernel context past the bound. */
    private boolean stallsPast(long t) {
        if (maxStall < 0) return false;
        for (Ctx c : contexts.values())
            if (c.state == State.RUNNABLE && c.stallCounts && t - c.runnableSince > maxStall) return true;
        return false;
    }

    private long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Ctx c : contexts.values())
            if (c.state == State.BLOCKED && c.deadline < next) next = c.deadline;
        return next;
    }

    private void advance(long t) {
        for (long d; (d = env.nextDeviceEventTime()) <= t; ) {
            if (d > vtime) {
                vtime = d;
                env.timeAdvanced(d);
            }
            trace.add("npu: " + env.nextDeviceEvent() + " (due)");
            int before = runnableKernel();
            env.stepDevice();
            // under a stall bound time stops where the device woke a kernel context (the IRQ):
            // going on to t would stall it by t - d unchecked
            if (maxStall >= 0 && runnableKernel() > before) {
                t = d;
                break;
            }
        }
        vtime = t;
        trace.add("time: " + t + " ns");
        env.timeAdvanced(t);
        for (Ctx c : contexts.values()) {
            if (c.state != State.RUNNABLE || !c.stallCounts) continue;
            long stall = t - c.runnableSince;
            if (stall > c.maxStall) {
                c.maxStall = stall;
                c.stallAt = c.label;
                c.stallHeld = String.join(", ", c.held);
            }
        }
        for (Ctx c : contexts.values()) {
            if (c.state == State.BLOCKED && c.deadline <= t) {
                c.state = State.RUNNABLE;
                c.runnableSince = t;
                c.timedOut = true;
                c.label = "timed out: " + c.waitWhat;
            }
        }
    }

    /** Nothing can happen: wake whoever waits for quiescence (main, to tear down). */
    private boolean quiesce() {
        boolean any = false;
        for (Ctx c : contexts.values()) {
            if (c.state == State.BLOCKED && c.chan == QUIESCENT) {
                c.state = State.RUNNABLE;
                c.label = "quiescent";
                any = true;
            }
        }
        return any;
    }

    /** The run is over: every context done, or the rest can never run again. */
    private void finish() {
        if (ended) return;
        ended = true;
        for (Ctx c : contexts.values()) {
            if (c.state == State.BLOCKED && !c.idle)
                deadlocks.add(c.name + " waits forever: " + c.waitWhat);
        }
        done.countDown();
    }

    private void handOff(Ctx me, Ctx target) {
        running = target;
        me.go = false;
        target.go = true;
        LockSupport.unpark(target.thread);
        if (me.state == State.DONE) return;
        parkUntilGo(me);
    }

    private static void parkUntilGo(Ctx me) {
        while (!me.go) LockSupport.park(me);
    }

    /** A context that can never run again stays parked; its thread is abandoned with the run. */
    private static void parkForever(Ctx me) {
        me.go = false;
        while (true) LockSupport.park(me);
    }
}
