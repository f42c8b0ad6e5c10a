// The controlled platform's runtime: one context runs at a time; at every scheduling point the
// running context asks the strategy what happens next and hands control over. Waits tell it what a
// context waits for (typed: WaitKind); time is virtual and moves only when the strategy chooses to
// advance it. Points, waits, resumptions and time go into the run's typed trace.
package ethosu.bench.control;

import ethosu.bench.event.Names;
import ethosu.bench.event.Point;
import ethosu.bench.event.Resumed;
import ethosu.bench.event.TimeAdvanced;
import ethosu.bench.event.Trace;
import ethosu.bench.event.Wait;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Context threads call {@link #enter}, then {@link #point}, {@link #await}, {@link #wake} as they run
 * (from C through the hooks, or from Java), and {@link #exit} when done. The decision logic runs on
 * the thread of the context that reached the point, so a step without a switch costs no handoff.
 */
public final class Runtime {
    /** The device side the controller can step: the fake NPU in controlled mode. */
    public interface Environment {
        /** Description of the device's next event, null if it has none. */
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

    private static final String START = "start", EXIT = "exit";

    /** A context under control. */
    public static final class Ctx {
        public final int id;
        public final String name;
        volatile boolean go;
        volatile State state = State.NEW;
        Thread thread;
        long chan;
        long deadline = Long.MAX_VALUE;
        boolean timedOut;
        /** Where it stands: START, a Point, a Wait, a Resumed, EXIT. */
        Object at = START;
        Wait waiting;
        /** The break step's decision chose this context: it breaks (breakHook) as it resumes. */
        boolean breakPending;

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
    private final Trace trace;
    private final Names names;
    private long horizon;
    private final int maxSteps;
    private final Map<Integer, Ctx> contexts = new TreeMap<>();
    private final Schedule schedule = new Schedule();
    /** ETHOSU_TRACE_LIVE=1 prints every decision as it is taken (a run that crashes keeps its trace). */
    private static final boolean LIVE = System.getenv("ETHOSU_TRACE_LIVE") != null;
    private final List<Wait> deadlocks = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private long vtime;
    private int step;
    private boolean ended;
    private boolean stepLimitHit;
    private boolean settling;
    private Consumer<Schedule.Decision> recorder;

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

    public Runtime(Strategy strategy, Environment env, long horizonNs, int maxSteps, Trace trace, Names names) {
        this.strategy = strategy;
        this.env = env;
        this.horizon = horizonNs;
        this.maxSteps = maxSteps;
        this.trace = trace;
        this.names = names;
    }

    /** Sees every decision as it is taken (the worker's flight recorder: a crash keeps them). */
    public void setRecorder(Consumer<Schedule.Decision> recorder) {
        this.recorder = recorder;
    }

    /** Declares a context before any runs; its thread must call {@link #enter} first. */
    public synchronized Ctx register(int id, String name) {
        Ctx c = new Ctx(id, name);
        contexts.put(id, c);
        return c;
    }

    /** On the context's own thread: wait until it is first scheduled. */
    public void enter(int id) {
        Ctx c = contexts.get(id);
        c.thread = Thread.currentThread();
        synchronized (this) {
            c.state = State.RUNNABLE;
            notifyAll();
        }
        parkUntilGo(c);
        breakIfPending(c);
    }

    private void breakIfPending(Ctx c) {
        if (!c.breakPending) return;
        c.breakPending = false;
        breakHook.stop(breakStep, c.name, label(c.at));
    }

    /** From the harness: start the run with the first context and wait for its end. */
    public boolean run(int firstId, long timeoutMs) throws InterruptedException {
        start(firstId);
        return awaitEnd(timeoutMs);
    }

    /** From the harness: start the run with the first context. */
    public void start(int firstId) throws InterruptedException {
        // every context thread must have entered before the first decision; waiting, not spinning,
        // leaves the CPU to the contexts (on one CPU, or one carrier of virtual threads)
        synchronized (this) {
            for (Ctx c : contexts.values())
                while (c.state == State.NEW) wait();
        }
        Ctx first = contexts.get(firstId);
        first.go = true;
        LockSupport.unpark(first.thread);
    }

    /** Waits at most ms for the run's end; true once it has ended. */
    public boolean awaitEnd(long ms) throws InterruptedException {
        return done.await(ms, TimeUnit.MILLISECONDS);
    }

    /** The context that holds the baton now (from another thread: the watchdog's), or null. */
    public Ctx running() {
        for (Ctx c : contexts.values())
            if (c.go && c.state != State.DONE) return c;
        return null;
    }

    /** The decision step, read from another thread (the watchdog's measure of progress). */
    public int stepSeen() {
        return (int) STEP.getOpaque(this);
    }

    /** Where a context last stood (its scheduling point, wait or resumption), as schedules print it. */
    public String where(Ctx c) {
        return label(c.at);
    }

    private static final java.lang.invoke.VarHandle STEP;

    static {
        try {
            STEP = java.lang.invoke.MethodHandles.lookup().findVarHandle(Runtime.class, "step", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public long now() {
        return vtime;
    }

    /** The decision step the run is at (what trace entries are stamped with). */
    public int step() {
        return step;
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

    /** The non-idle waits contexts were left in when nothing could run any more. */
    public List<Wait> deadlocks() {
        return deadlocks;
    }

    /** The run reached its step limit: past it, decisions were the default ones (no exploration). */
    public boolean stepLimitHit() {
        return stepLimitHit;
    }

    // ---------------------------------------------------------------- called by contexts

    /** A scheduling point of the running context. */
    public void point(Point p) {
        Ctx me = contexts.get(p.ctx());
        if (me == null || ended) return;
        me.at = p;
        trace.add(step, vtime, p);
        schedule(me);
    }

    /** The running context waits (until woken on w's channel or virtual time reaches its deadline); true if the deadline ended it. */
    public boolean await(Wait w) {
        Ctx me = contexts.get(w.ctx());
        if (me == null) return true;
        if (w.deadline() != Long.MAX_VALUE && w.deadline() <= vtime) return true;
        me.state = State.BLOCKED;
        me.chan = w.chan();
        me.deadline = w.deadline();
        me.timedOut = false;
        me.waiting = w;
        me.at = w;
        trace.add(step, vtime, w);
        schedule(me);
        return me.timedOut;
    }

    /** Every context waiting on chan becomes runnable. */
    public void wake(long chan) {
        for (Ctx c : contexts.values()) {
            if (c.state == State.BLOCKED && c.chan == chan) resume(c, Resumed.How.WOKEN);
        }
    }

    private void resume(Ctx c, Resumed.How how) {
        c.state = State.RUNNABLE;
        c.timedOut = how == Resumed.How.TIMED_OUT;
        Resumed r = new Resumed(c.id, how, c.waiting);
        c.at = r;
        trace.add(step, vtime, r);
    }

    /** The running context is finished; control goes to another one. */
    public void exit(int id) {
        Ctx me = contexts.get(id);
        me.state = State.DONE;
        me.at = EXIT;
        schedule(me);
    }

    /** Where c stands, as schedules print it. */
    private String label(Object at) {
        return switch (at) {
            case Point p -> p.render(names);
            case Wait w -> "wait: " + w.render();
            case Resumed r -> r.render();
            default -> at.toString();
        };
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
                    Object at = c.at;
                    enabled.add(Choice.context(c.id, c.name, () -> label(at)));
                }
            }
            long dev = env.nextDeviceEventTime();
            if (dev != Long.MAX_VALUE) enabled.add(Choice.device(env::nextDeviceEvent, dev));
            long next = nextDeadline();
            if (next != Long.MAX_VALUE && next <= horizon) enabled.add(Choice.time(next));

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
            if (LIVE) System.err.println("[" + vtime + "] " + d);
            boolean breakHere = breakHook != null && step == breakStep;
            step++;
            if (breakHere && ch.kind() != Choice.Kind.CONTEXT) breakHook.stop(breakStep, ch.name(), ch.label());
            switch (ch.kind()) {
                case DEVICE -> {
                    env.stepDevice();
                    continue;
                }
                case TIME -> {
                    advance(next);
                    continue;
                }
                case CONTEXT -> {
                    Ctx target = contexts.get(ch.context());
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
            env.stepDevice();
        }
        vtime = t;
        trace.add(step, vtime, new TimeAdvanced(t));
        env.timeAdvanced(t);
        for (Ctx c : contexts.values()) {
            if (c.state == State.BLOCKED && c.deadline <= t) resume(c, Resumed.How.TIMED_OUT);
        }
    }

    /** Nothing can happen: wake whoever waits for quiescence (main, to tear down). */
    private boolean quiesce() {
        boolean any = false;
        for (Ctx c : contexts.values()) {
            if (c.state == State.BLOCKED && c.chan == QUIESCENT) {
                resume(c, Resumed.How.QUIESCENT);
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
            if (c.state == State.BLOCKED && !c.waiting.kind().idle) deadlocks.add(c.waiting);
        }
        done.countDown();
    }

    private void handOff(Ctx me, Ctx target) {
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
