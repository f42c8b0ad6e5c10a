// The controlled platform's runtime: one context runs at a time; at every scheduling point the
// running context asks the strategy what happens next and hands control over. Waits tell it what a
// context waits for (typed: WaitKind); time is virtual and moves only when the strategy chooses to
// advance it. Points, waits, resumptions and time go into the run's typed trace.
package ethosu.bench.control;

import ethosu.bench.event.Names;
import ethosu.bench.event.Point;
import ethosu.bench.event.PointKind;
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
import java.util.function.Consumer;

/**
 * Contexts are registered, then started on a carrier thread each ({@link #started}); a context's
 * thread sleeps until the context is first given the baton, then calls {@link #point}, {@link #await},
 * {@link #wake} as it runs (from C through the hooks, or from Java), and leaves when its body returns. The decision logic runs on
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
        final Runtime runtime;
        volatile State state = State.NEW;
        /** The platform thread carrying it, and its side of the baton; known before the run starts. */
        volatile Thread thread;
        /** How its thread sleeps and wakes: BATON on a carrier thread, park on a virtual thread. */
        Baton baton = BATON;
        Baton.Word word;
        long chan;
        long deadline = Long.MAX_VALUE;
        boolean timedOut;
        /** Where it stands: START, a Point, a Wait, a Resumed, EXIT. */
        Object at = START;
        Wait waiting;
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
        /** This context as an option of a decision (its label: where it stands then). */
        final Choice choice;

        Ctx(Runtime runtime, int id, String name) {
            this.runtime = runtime;
            this.id = id;
            this.name = name;
            this.choice = Choice.context(id, name, () -> label(at, runtime.names));
        }

        Runtime runtime() {
            return runtime;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Where the running context's scheduling points go while they are no choice: the library
     * records them in memory the controller reads (struct ebench_sched) instead of calling up, and
     * the controller takes them at the next upcall, as the decisions they would have been.
     */
    public interface PointLog {
        /** The running context's next points are no choice (true), or may be one (false). */
        void skip(boolean on);

        /** Virtual time moved to t (the library reads it without an upcall). */
        void now(long t);

        /**
         * Hands the points recorded since the last call to sink, in order, each with the device's
         * count of frees when it was reached; cheap when there are none.
         */
        void drain(RecordedPoints sink);

        /** The device's count of frees so far. */
        long frees();

        /** A stable name for the object at an address (Footprint): by where it lies in the device. */
        long objectId(long address);
    }

    /** Takes recorded points. */
    public interface RecordedPoints {
        void point(Point p, long frees);
    }

    /** How context threads hand over (ethosu.handoff=futex|park). */
    static final Baton BATON = Baton.DEFAULT;

    /** Channel a context waits on for quiescence (main, before teardown). */
    public static final long QUIESCENT = -100;

    private final Strategy strategy;
    private final Environment env;
    private final Trace trace;
    private final Names names;
    private long horizon;
    private final int maxSteps;
    private long maxStall = -1;
    private final Map<Integer, Ctx> contexts = new TreeMap<>();
    /** The contexts by id, for the upcalls' lookups; and in id order, the order options are offered in. */
    private Ctx[] byId = new Ctx[0];
    private Ctx[] ordered = new Ctx[0];
    /** The options of the decision being taken (reused: a strategy may not keep the list). */
    private final List<Choice> enabled = new ArrayList<>();
    private final java.util.function.Supplier<String> deviceLabel;
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
    private PointLog log;
    private boolean recordPoints;
    /** Points the library recorded without an upcall. */
    private int recorded;
    private final RecordedPoints skippedPoint = this::skipped;
    /** Partial-order reduction: the footprint of the running context's step, and where observations go. */
    private final boolean footprints;
    private final Footprint stepFp = new Footprint(), deviceStep = new Footprint(), timeStep = new Footprint();
    private Footprint observing = stepFp;
    private long freesAtStart;
    /** The context holding the baton. */
    private Ctx running;
    /** What the log was last told (skip or not). */
    private boolean skipping;

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
        this.deviceLabel = env::nextDeviceEvent;
        this.footprints = strategy.wantsFootprints();
        timeStep.global();
    }

    /**
     * The library's side: virtual time goes there; with recordPoints, points that are no choice are
     * recorded by the library (see PointLog) instead of calling up.
     */
    public void setPointLog(PointLog log, boolean recordPoints) {
        this.log = log;
        this.recordPoints = recordPoints;
        log.skip(false);
        log.now(vtime);
    }

    /** Sees every decision as it is taken (the worker's flight recorder: a crash keeps them). */
    public void setRecorder(Consumer<Schedule.Decision> recorder) {
        this.recorder = recorder;
    }

    /** Declares a context before the run starts. */
    public synchronized Ctx register(int id, String name) {
        return register(id, name, false);
    }

    /**
     * As above; for a kernel context (a worker, the IRQ thread, the hard IRQ) virtual time that
     * passes while it is runnable counts as a stall it needs (clients and main are user space).
     */
    public synchronized Ctx register(int id, String name, boolean kernel) {
        Ctx c = new Ctx(this, id, name);
        c.stallCounts = kernel;
        contexts.put(id, c);
        if (id >= byId.length) byId = java.util.Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
        byId[id] = c;
        ordered = contexts.values().toArray(new Ctx[0]);
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
        Ctx c = ctx(id);
        if (c != null) c.held.add(lock);
    }

    public void lockReleased(int id, String lock) {
        Ctx c = ctx(id);
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
        for (Ctx c : ordered)
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
        return ctx(id);
    }

    /**
     * The context will run on thread, from its first turn on: it is an option of every decision
     * from the first (at START), whether or not its thread has got there yet.
     */
    void started(Ctx c, Thread thread, Baton baton, Baton.Word word) {
        c.thread = thread;
        c.baton = baton;
        c.word = word;
        c.state = State.RUNNABLE;
        c.runnableSince = vtime;
    }

    /**
     * Starts a registered context on a platform thread of its own, for drivers of the runtime other
     * than a platform (the shim tests' mock harness): body runs from the context's first turn, then
     * the context exits.
     */
    public void start(int id, String threadName, Runnable body) {
        Ctx c = ctx(id);
        Baton.Word word = Baton.PARK.newWord();
        Thread t = new Thread(() -> {
            Baton.PARK.await(word);
            runContext(c, body, () -> {});
        }, threadName);
        t.setDaemon(true);
        started(c, t, Baton.PARK, word);
        t.start();
    }

    /** A registered context, null if there is none with that id. */
    Ctx ctx(int id) {
        return id >= 0 && id < byId.length ? byId[id] : null;
    }

    /**
     * On the context's own thread once it has the baton: runs its body, then leaves the run. leaving
     * runs first (the thread is free for another run: nothing of this one touches it after its last
     * hand-off).
     */
    void runContext(Ctx c, Runnable body, Runnable leaving) {
        refreshSkip();
        breakIfPending(c);
        try {
            body.run();
        } catch (Throwable t) {
            // the harness's bodies catch what they run; this is a bench bug, not the driver's
            System.err.println("ethosu-bench: context " + c.name + " failed: " + t);
            t.printStackTrace();
        }
        leaving.run();
        exit(c.id);
    }

    private void breakIfPending(Ctx c) {
        if (!c.breakPending) return;
        c.breakPending = false;
        breakHook.stop(breakStep, c.name, label(c.at, names));
    }

    /** From the harness: start the run with the first context and wait for its end. */
    public boolean run(int firstId, long timeoutMs) throws InterruptedException {
        start(firstId);
        return awaitEnd(timeoutMs);
    }

    /** From the harness: start the run with the first context (each thread is waiting for its baton). */
    public void start(int firstId) {
        Ctx first = contexts.get(firstId);
        running = first;
        if (footprints) beginStep(first);
        first.baton.give(first.word, first.thread);
    }

    /** Waits at most ms for the run's end; true once it has ended. */
    public boolean awaitEnd(long ms) throws InterruptedException {
        return done.await(ms, TimeUnit.MILLISECONDS);
    }

    /** The context that holds the baton now (from another thread: the watchdog's), or null. */
    public Ctx running() {
        Ctx c = (Ctx) RUNNING.getOpaque(this);
        return c != null && c.state != State.DONE ? c : null;
    }

    /** The decision step, read from another thread (the watchdog's measure of progress). */
    public int stepSeen() {
        return (int) STEP.getOpaque(this);
    }

    /** Where a context last stood (its scheduling point, wait or resumption), as schedules print it. */
    public String where(Ctx c) {
        return label(c.at, names);
    }

    private static final java.lang.invoke.VarHandle STEP, RUNNING;

    static {
        try {
            var l = java.lang.invoke.MethodHandles.lookup();
            STEP = l.findVarHandle(Runtime.class, "step", int.class);
            RUNNING = l.findVarHandle(Runtime.class, "running", Ctx.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public long now() {
        return vtime;
    }

    /** The decision step the run is at (what trace entries are stamped with); points recorded by the library count. */
    public int step() {
        sync();
        return step;
    }

    /**
     * The scenario is over (its horizon reached or nothing left to do): from now on time runs
     * without bound and every decision is the default one (the running context goes on, else the
     * first that can), so what is in flight settles before teardown without multiplying schedules.
     */
    public void beginTeardown() {
        sync();
        horizon = Long.MAX_VALUE;
        settling = true;
    }

    public Schedule schedule() {
        return schedule;
    }

    /** Points the library recorded without an upcall (they were no choice). */
    public int pointsRecorded() {
        return recorded;
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
        sync();
        Ctx me = ctx(p.ctx());
        if (me == null || ended) return;
        if (footprints) endStep(me, log == null ? 0 : log.frees());
        me.at = p;
        trace.add(step, vtime, p);
        schedule(me);
        passed(me, p);
    }

    /** The point is passed: a lock taken there is now held (a trylock's outcome is not known here). */
    private void passed(Ctx me, Point p) {
        var k = p.kind();
        if (k == null || !k.lock()) return;
        String l = p.render(names);
        if (l.startsWith("mutex_trylock")) return;
        String lock = lockName(l);
        if (k == ethosu.bench.event.PointKind.MUTEX_LOCK || k == ethosu.bench.event.PointKind.SPIN_LOCK)
            me.held.add(lock);
        else
            me.held.remove(lock);
    }

    /** "spin_lock(sched->job_list_lock)": the lock's name. */
    private static String lockName(String label) {
        int a = label.indexOf('('), b = label.lastIndexOf(')');
        return a >= 0 && b > a ? label.substring(a + 1, b) : label;
    }

    /** The running context waits (until woken on w's channel or virtual time reaches its deadline); true if the deadline ended it. */
    public boolean await(Wait w) {
        sync();
        Ctx me = ctx(w.ctx());
        if (me == null) return true;
        if (w.deadline() != Long.MAX_VALUE && w.deadline() <= vtime) {
            if (footprints) observing.read(Footprint.TIME);
            return true;
        }
        if (footprints) {
            stepFp.write(chanId(w.chan()));
            if (w.deadline() != Long.MAX_VALUE) stepFp.read(Footprint.TIME);
            endStep(me, log == null ? 0 : log.frees());
        }
        me.state = State.BLOCKED;
        me.chan = w.chan();
        me.deadline = w.deadline();
        me.timedOut = false;
        me.waiting = w;
        me.at = w;
        trace.add(step, vtime, w);
        // contended: the lock its lock point counted as taken is not held until the wait ends
        String lock = w.kind() == ethosu.bench.event.WaitKind.LOCK ? lockName(w.label().text()) : null;
        if (lock != null) me.held.remove(lock);
        schedule(me);
        if (lock != null) me.held.add(lock);
        return me.timedOut;
    }

    /** Every context waiting on chan becomes runnable. */
    public void wake(long chan) {
        sync();
        if (footprints) observing.write(chanId(chan));
        for (Ctx c : ordered) {
            if (c.state == State.BLOCKED && c.chan == chan) resume(c, Resumed.How.WOKEN);
        }
        refreshSkip();
    }

    /**
     * The device's next event may have changed outside a decision (a register write from the running
     * context): whether its next points are a choice may have too.
     */
    public void deviceChanged() {
        if (footprints) observing.write(Footprint.REGISTERS);
        refreshSkip();
    }

    /** The running step reported something the checks see (an event). */
    public void observed() {
        if (footprints) observing.observed();
    }

    // ---------------------------------------------------------------- footprints (partial-order reduction)

    private long chanId(long chan) {
        return chan < 0 || log == null ? Footprint.harness(chan) : log.objectId(chan);
    }

    /** A context's step begins where it stands: at a point, its object; anywhere else, unknown. */
    private void beginStep(Ctx c) {
        stepFp.clear();
        freesAtStart = log == null ? 0 : log.frees();
        if (!(c.at instanceof Point p)) {
            stepFp.global();
            return;
        }
        PointKind k = p.kind();
        if (k == null || k == PointKind.OTHER) stepFp.global();
        else if (k == PointKind.READ_ONCE) stepFp.read(chanId(p.obj()));
        else if (k == PointKind.READL) stepFp.read(Footprint.REGISTERS);
        else if (k == PointKind.WRITEL) stepFp.write(Footprint.REGISTERS);
        else if (k == PointKind.TIME) stepFp.read(Footprint.TIME);
        else stepFp.write(chanId(p.obj()));
    }

    /** me's step ended (at a point, a wait or its end): the strategy sees what it touched. */
    private void endStep(Ctx me, long frees) {
        // what memory was freed is not named: a step that frees conflicts with every other; without
        // the library's log (the model) neither frees nor objects are known: every step is dependent
        if (log == null || frees != freesAtStart) stepFp.global();
        strategy.stepped(me.id, stepFp);
    }

    /** Takes the points the library recorded (PointLog) into the trace and schedule. */
    public void sync() {
        if (log != null) log.drain(skippedPoint);
    }

    /**
     * A point the library recorded because it was no choice: what point() and the decision loop
     * would have made of it (the running context goes on), minus the upcall.
     */
    private void skipped(Point p, long frees) {
        recorded++;
        Ctx me = ctx(p.ctx());
        if (footprints) endStep(me, frees);
        me.at = p;
        trace.add(step, vtime, p);
        int options = 0, current = -1;
        for (Ctx c : ordered) {
            if (c.state == State.RUNNABLE) {
                if (c == me) current = options;
                options++;
            }
        }
        if (env.nextDeviceEventTime() != Long.MAX_VALUE) options++;
        long next = nextDeadline();
        if (next != Long.MAX_VALUE && next <= horizon && !stallsPast(next)) options++;
        if (!settling && step >= maxSteps) stepLimitHit = true;
        Schedule.Decision d = Schedule.Decision.at(step, me.name, p, names, false, options, current, current, false);
        schedule.add(d);
        if (recorder != null) recorder.accept(d);
        step++;
        me.runnableSince = vtime;
        passed(me, p);
        if (footprints) {
            beginStep(me);
            freesAtStart = frees;
        }
    }

    /** Tells the library whether the running context's next points are a choice. */
    private void refreshSkip() {
        if (!recordPoints) return;
        boolean on = running != null && noChoiceAhead(running);
        if (on != skipping) {
            skipping = on;
            log.skip(on);
        }
    }

    /**
     * True if every decision at me's next points takes me: the teardown's and the step limit's
     * defaults, a strategy that takes the default from here on, or nothing but me enabled (no other
     * context, no device event, no timer within the horizon). A break step or live printing sees
     * every decision.
     */
    private boolean noChoiceAhead(Ctx me) {
        if (breakHook != null || LIVE || me.state != State.RUNNABLE) return false;
        if (settling || step >= maxSteps || strategy.defaultsOnly()) return true;
        for (Ctx c : ordered) if (c != me && c.state == State.RUNNABLE) return false;
        if (env.nextDeviceEventTime() != Long.MAX_VALUE) return false;
        long next = nextDeadline();
        return next == Long.MAX_VALUE || next > horizon;
    }

    private void resume(Ctx c, Resumed.How how) {
        c.state = State.RUNNABLE;
        c.runnableSince = vtime;
        c.timedOut = how == Resumed.How.TIMED_OUT;
        Resumed r = new Resumed(c.id, how, c.waiting);
        c.at = r;
        trace.add(step, vtime, r);
    }

    /** The running context is finished; control goes to another one. */
    public void exit(int id) {
        sync();
        Ctx me = ctx(id);
        if (footprints) endStep(me, log == null ? 0 : log.frees());
        // its carrier waits for the baton again (a later run's context); until it hands off, it decides
        me.baton.drop(me.word);
        me.state = State.DONE;
        me.at = EXIT;
        schedule(me);
    }

    /** Where a context stands (at: START, a Point, a Wait, a Resumed, EXIT), as schedules print it. */
    static String label(Object at, Names names) {
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
        List<Choice> enabled = this.enabled;
        for (;;) {
            enabled.clear();
            int current = -1;
            for (Ctx c : ordered) {
                if (c.state == State.RUNNABLE) {
                    if (c == me) current = enabled.size();
                    enabled.add(c.choice);
                }
            }
            long dev = env.nextDeviceEventTime();
            if (dev != Long.MAX_VALUE) enabled.add(Choice.device(deviceLabel, dev));
            long next = nextDeadline();
            if (next != Long.MAX_VALUE && next <= horizon && !stallsPast(next)) enabled.add(Choice.time(next));

            int options = enabled.size();
            if (options == 0) {
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
            } else if (options == 1) {
                pick = 0;
            } else if (strategy.defaultsOnly()) {
                pick = current >= 0 ? current : 0;
            } else {
                pick = strategy.choose(step, enabled, current);
                chose = true;
            }
            Choice ch = enabled.get(pick);
            Ctx target = ch.kind() == Choice.Kind.CONTEXT ? ctx(ch.context()) : null;
            boolean preempt = current >= 0 && pick != current;
            Schedule.Decision d = target != null
                    ? Schedule.Decision.at(step, ch.name(), target.at, names, preempt, options, pick, current, chose)
                    : new Schedule.Decision(step, ch.name(), ch.label(), preempt, options, pick, current, chose);
            schedule.add(d);
            if (recorder != null) recorder.accept(d);
            if (LIVE) System.err.println("[" + vtime + "] " + d);
            boolean breakHere = breakHook != null && step == breakStep;
            step++;
            if (breakHere && target == null) breakHook.stop(breakStep, ch.name(), ch.label());
            if (target == null) {
                if (ch.kind() == Choice.Kind.DEVICE) {
                    if (footprints) {
                        // the device's step changes registers and reports its jobs
                        deviceStep.clear();
                        deviceStep.write(Footprint.REGISTERS);
                        deviceStep.observed();
                        observing = deviceStep;
                    }
                    env.stepDevice();
                    if (footprints) {
                        observing = stepFp;
                        strategy.stepped(Choice.DEVICE_ID, deviceStep);
                    }
                } else {
                    advance(next);
                    if (footprints) strategy.stepped(Choice.TIME_ID, timeStep);
                }
                continue;
            }
            if (footprints) beginStep(target);
            target.runnableSince = vtime;
            if (breakHere) target.breakPending = true;
            running = target;
            if (target == me) {
                refreshSkip();
                breakIfPending(me);
                return;
            }
            handOff(me, target);
            refreshSkip();
            breakIfPending(me);
            return;
        }
    }

    private int runnableKernel() {
        int n = 0;
        for (Ctx c : ordered)
            if (c.state == State.RUNNABLE && c.stallCounts) n++;
        return n;
    }

    /** Advancing time to t would stall a runnable kernel context past the bound. */
    private boolean stallsPast(long t) {
        if (maxStall < 0) return false;
        for (Ctx c : ordered)
            if (c.state == State.RUNNABLE && c.stallCounts && t - c.runnableSince > maxStall) return true;
        return false;
    }

    private long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Ctx c : ordered)
            if (c.state == State.BLOCKED && c.deadline < next) next = c.deadline;
        return next;
    }

    private void advance(long t) {
        for (long d; (d = env.nextDeviceEventTime()) <= t; ) {
            if (d > vtime) {
                setTime(d);
                env.timeAdvanced(d);
            }
            int before = runnableKernel();
            env.stepDevice();
            // under a stall bound time stops where the device woke a kernel context (the IRQ):
            // going on to t would stall it by t - d unchecked
            if (maxStall >= 0 && runnableKernel() > before) {
                t = d;
                break;
            }
        }
        setTime(t);
        trace.add(step, vtime, new TimeAdvanced(t));
        env.timeAdvanced(t);
        for (Ctx c : ordered) {
            if (c.state != State.RUNNABLE || !c.stallCounts) continue;
            long stall = t - c.runnableSince;
            if (stall > c.maxStall) {
                c.maxStall = stall;
                c.stallAt = label(c.at, names);
                c.stallHeld = String.join(", ", c.held);
            }
        }
        for (Ctx c : ordered) {
            if (c.state == State.BLOCKED && c.deadline <= t) resume(c, Resumed.How.TIMED_OUT);
        }
    }

    private void setTime(long t) {
        vtime = t;
        if (log != null) log.now(t);
        else if (clock != null) clock.accept(t);
    }

    /** Without a point log: where the library reads virtual time (the shim tests' mock harness). */
    private java.util.function.LongConsumer clock;

    public void setClock(java.util.function.LongConsumer clock) {
        this.clock = clock;
        clock.accept(vtime);
    }

    /** Nothing can happen: wake whoever waits for quiescence (main, to tear down). */
    private boolean quiesce() {
        boolean any = false;
        for (Ctx c : ordered) {
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
        for (Ctx c : ordered) {
            if (c.state == State.BLOCKED && !c.waiting.kind().idle) deadlocks.add(c.waiting);
        }
        done.countDown();
    }

    private void handOff(Ctx me, Ctx target) {
        if (me.state == State.DONE) {
            target.baton.give(target.word, target.thread);
            return;
        }
        me.baton.drop(me.word);
        target.baton.give(target.word, target.thread);
        me.baton.await(me.word);
    }

    /** A context that can never run again stays asleep; its thread is abandoned with the run. */
    private static void parkForever(Ctx me) {
        me.baton.drop(me.word);
        while (true) me.baton.await(me.word);
    }
}
