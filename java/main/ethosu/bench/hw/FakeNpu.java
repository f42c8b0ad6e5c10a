// The fake Ethos-U: one state object and one MMIO write handler in the QEMU edu-device shape, with a
// virtual-time event queue that the caller drives (NpuThread when free-running, a controller otherwise).
package ethosu.bench.hw;

import static ethosu.bench.hw.Regs.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The device model. C reads go straight to the {@link RegisterFile}, which this class keeps current;
 * C writes arrive through {@link #mmioWrite} (synchronously, from any context's thread). The model
 * creates no threads: time passes only through {@link #step}, which performs the events due by then
 * (job progress, completion, errors, reset completion, spurious interrupts) and raises the IRQ line.
 *
 * <p>One lock guards all device state; listeners, wake-ups and the IRQ line are called after it is
 * released, so they may call back into the model (a hard-IRQ handler writing CMD, say).
 *
 * <p>The model stores every write's effect into the file itself and rewrites a register it ignores,
 * so it is correct whether the C writel stores the value before the upcall or leaves it to the model.
 * mmioWrite never performs events that are due: only whoever calls step() decides when the device acts.
 *
 * <p>Device-protocol violations are recorded (never thrown, as writes arrive through upcalls): a CMD
 * start while running or with error bits set (ignored); programming QBASE, QBASE_HI, QCONFIG, QSIZE or
 * BASEP while running (the write lands, the running job keeps the stream it started with); any write
 * during reset (ignored); writes to read-only (ID, STATUS, QREAD, CONFIG, PROT), absent or unaligned
 * registers (ignored).
 */
public final class FakeNpu {

    /** Observes the device; every method runs outside the model's lock. */
    public interface Listener {
        /** The driver broke the device protocol; the same text is appended to {@link #violations()}. */
        default void violation(long now, String what) {}

        default void jobStarted(JobRecord job) {}

        default void jobEnded(JobRecord job) {}

        default void resetStarted(long now) {}

        default void resetDone(long now) {}

        /** Just before the line is raised; spurious: STATUS irq-raised is not set. */
        default void irqRaised(long now, boolean spurious) {}
    }

    /** How long a reset keeps STATUS reset-in-progress set, unless changed by {@link #setResetDuration}. */
    public static final long DEFAULT_RESET_NS = 20_000;

    private final RegisterFile regs;
    private final NpuVariant variant;
    private final int id;
    private final int config;
    private final DeviceClock clock;
    private final IrqLine irq;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> wakeups = new CopyOnWriteArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();

    // ---- device state, guarded by lock ----
    /** STATUS as the device holds it (Regs.STATUS_*); the file can differ only by CorruptRegister. */
    private int status;
    /** PROT after the last reset (Regs.PROT_ACTIVE_CSL). */
    private int prot;
    /** Writable registers as last written, indexed by offset / 4; what a job start latches. */
    private final int[] latched = new int[WINDOW_SIZE / 4];
    /** What the file shows at each offset / 4: every store goes through show(), so an ignored write is undone from here. */
    private final int[] shown = new int[WINDOW_SIZE / 4];
    /** The job on the device; non-null exactly when STATUS running is set. */
    private Job running;
    /** The reset in progress asked for CSL (PROT active CSL when it completes). */
    private boolean resetCsl;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long eventSeq;
    private int jobSerial;
    private final Map<Long, JobBehaviour> behaviours = new HashMap<>();
    private JobBehaviour defaultBehaviour = JobBehaviour.DEFAULT;
    private long resetNs = DEFAULT_RESET_NS;
    private final List<JobRecord> jobs = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private int resets;
    /** Callouts of the current locked operation, run after unlocking; non-null only while locked. */
    private List<Runnable> out;
    private long headBefore;

    /** A device of the variant with its reset ID and CONFIG. */
    public FakeNpu(RegisterFile regs, NpuVariant variant, DeviceClock clock, IrqLine irq) {
        this(regs, variant, variant.resetId(), variant.resetConfig(), clock, irq);
    }

    /** A device presenting the given ID and CONFIG (as ebench_config's npu_id/npu_config); variant from ID. */
    public FakeNpu(RegisterFile regs, int id, int config, DeviceClock clock, IrqLine irq) {
        this(regs, NpuVariant.fromId(id), id, config, clock, irq);
    }

    private FakeNpu(RegisterFile regs, NpuVariant variant, int id, int config, DeviceClock clock, IrqLine irq) {
        this.regs = Objects.requireNonNull(regs, "regs");
        this.variant = Objects.requireNonNull(variant, "variant");
        this.id = id;
        this.config = config;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.irq = Objects.requireNonNull(irq, "irq");
        // Power-on: the state a completed reset without CSL leaves (the driver resets before use anyway).
        for (int off = 0; off < WINDOW_SIZE; off += 4)
            show(off, 0);
        publishIdle();
    }

    // ------------------------------------------------------------------ configuration

    /** What the job whose stream is at qbase does; replaces an earlier choice for the same qbase. */
    public void setBehaviour(long qbase, JobBehaviour b) {
        Objects.requireNonNull(b, "behaviour");
        lock.lock();
        try {
            behaviours.put(qbase, b);
        } finally {
            lock.unlock();
        }
    }

    /** What jobs at a QBASE with no behaviour of their own do (initially JobBehaviour.DEFAULT). */
    public void setDefaultBehaviour(JobBehaviour b) {
        Objects.requireNonNull(b, "behaviour");
        lock.lock();
        try {
            defaultBehaviour = b;
        } finally {
            lock.unlock();
        }
    }

    public void setResetDuration(long ns) {
        if (ns < 0)
            throw new IllegalArgumentException("reset duration must be >= 0, got " + ns);
        lock.lock();
        try {
            resetNs = ns;
        } finally {
            lock.unlock();
        }
    }

    public void addListener(Listener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    /**
     * Called (outside the lock) whenever {@link #nextEventTime()} moved earlier, so a thread waiting
     * for the next event can wait less. Must not block.
     */
    public void addWakeup(Runnable r) {
        wakeups.add(Objects.requireNonNull(r));
    }

    public void removeWakeup(Runnable r) {
        wakeups.remove(r);
    }

    // ------------------------------------------------------------------ MMIO

    /**
     * A 32-bit write reaching the device (the C writel's upcall), at the clock's now. Never throws
     * for any offset or value: a bad access is a violation. It rethrows only what a listener threw.
     */
    public void mmioWrite(int off, int value) {
        List<Runnable> calls;
        lock.lock();
        try {
            begin();
            write(off, value, clock.now());
        } finally {
            calls = end();
        }
        runOutside(calls);
    }

    /** What C reads at off right now (the file, including any corrupted value). */
    public int read(int off) {
        return regs.read(off);
    }

    private void write(int off, int v, long now) {
        if (!inWindow(off)) {
            violation(now, String.format("write of 0x%x at offset 0x%x, not a 4-aligned register offset (ignored)", v, off));
            return;
        }
        // While resetting, the device ignores writes and reads 0 except STATUS.
        if ((status & STATUS_RESET_STATUS) != 0) {
            violation(now, String.format("%s=0x%x written during reset (ignored)", variant.regName(off), v));
            undo(off);
            return;
        }
        switch (off) {
            case CMD -> cmd(v, now);
            case RESET -> reset(v, now);
            case QBASE, QBASE_HI, QCONFIG, QSIZE -> queueRegister(off, v, now);
            case ID, STATUS, QREAD, CONFIG, PROT -> {
                violation(now, String.format("%s is read-only (write of 0x%x ignored)", variant.regName(off), v));
                undo(off);
            }
            case REGIONCFG -> land(off, v);
            default -> {
                if (isBasep(off))
                    queueRegister(off, v, now);
                else if (variant.hasRegister(off))
                    land(off, v); // AXILIMITn / MEM_ATTRn / AXI_SRAM / AXI_EXT: configuration only
                else {
                    violation(now, String.format("%s: no such register on %s (write of 0x%x ignored)",
                            variant.regName(off), variant, v));
                    undo(off);
                }
            }
        }
    }

    /** CMD is an action register: it reads 0. Clear-IRQ is done before a start written with it. */
    private void cmd(int v, long now) {
        show(CMD, 0);
        if ((v & CMD_CLEAR_IRQ) != 0)
            clearIrq();
        if ((v & CMD_TRANSITION_TO_RUN) == 0)
            return;
        if (running != null) {
            violation(now, String.format("CMD transition-to-run while job 0x%x is running (ignored)", running.qbase));
            return;
        }
        int errors = status & (STATUS_BUS_STATUS | STATUS_CMD_PARSE_ERR);
        if (errors != 0) {
            violation(now, String.format(
                    "CMD transition-to-run with STATUS error bits 0x%x set; only a reset clears them (ignored)", errors));
            return;
        }
        start(now);
    }

    /**
     * Queue registers (QBASE, QBASE_HI, QCONFIG, QSIZE, BASEP) are latched at start; programming them
     * while running is a protocol violation. The write still lands, so C reads back what it wrote
     * and the next start uses it, but the running job keeps the stream it started with.
     */
    private void queueRegister(int off, int v, long now) {
        if (running != null)
            violation(now, String.format("%s=0x%x written while job 0x%x is running (lands; the running job is unchanged)",
                    variant.regName(off), v, running.qbase));
        land(off, v);
    }

    private void land(int off, int v) {
        latched[off / 4] = v;
        show(off, v);
    }

    /** Stores v in the file, remembering it as what the device shows there. */
    private void show(int off, int v) {
        shown[off / 4] = v;
        regs.write(off, v);
    }

    /** Puts back what the device showed at off, in case the C writel stored an ignored value itself. */
    private void undo(int off) {
        regs.write(off, shown[off / 4]);
    }

    // ------------------------------------------------------------------ side effects

    private void start(long now) {
        long qbase = Integer.toUnsignedLong(latched[QBASE / 4]) | (long) latched[QBASE_HI / 4] << 32;
        int qsize = latched[QSIZE / 4];
        JobBehaviour b = behaviours.getOrDefault(qbase, defaultBehaviour);
        Job j = new Job(++jobSerial, qbase, qsize, b, jobs.size());
        JobRecord rec = new JobRecord(j.serial, qbase, qsize, b, now, -1, JobRecord.Outcome.RUNNING);
        jobs.add(rec);
        running = j;
        status = (status | STATUS_STATE_RUNNING) & ~STATUS_CMD_END_REACHED;
        show(QREAD, 0);
        show(STATUS, status); // last: a reader that sees running also sees QREAD = 0
        schedule(j, b, now);
        out.add(() -> listeners.forEach(l -> l.jobStarted(rec)));
    }

    /** Turns a behaviour into events on the queue, relative to the job's start. */
    private void schedule(Job j, JobBehaviour b, long start) {
        switch (b) {
            case JobBehaviour.Complete c -> add(at(start, c.afterNs()), Kind.COMPLETE, j.serial, 0, 0);
            case JobBehaviour.Hang _ -> {}
            case JobBehaviour.SlowProgress s -> {
                j.stepNs = s.stepNs();
                j.endAt = at(start, s.totalNs());
                if (s.stepNs() < s.totalNs())
                    add(at(start, s.stepNs()), Kind.PROGRESS, j.serial, 0, 0);
                add(j.endAt, Kind.COMPLETE, j.serial, 0, 0);
            }
            case JobBehaviour.BusError e -> add(at(start, e.afterNs()), Kind.BUS_ERROR, j.serial, 0, 0);
            case JobBehaviour.ParseError e -> add(at(start, e.afterNs()), Kind.PARSE_ERROR, j.serial, 0, 0);
            case JobBehaviour.SpuriousIrq s -> {
                add(at(start, s.atNs()), Kind.SPURIOUS_IRQ, j.serial, 0, 0);
                schedule(j, s.then(), start);
            }
            case JobBehaviour.CorruptRegister c -> {
                add(at(start, c.atNs()), Kind.CORRUPT, j.serial, c.offset(), c.value());
                schedule(j, c.then(), start);
            }
        }
    }

    /** Ends the running job: running cleared, the given STATUS bits and irq raised, line raised. */
    private void finish(long now, JobRecord.Outcome how, int bits) {
        Job j = running;
        running = null;
        drop(j.serial);
        status = (status & ~STATUS_STATE_RUNNING) | bits | STATUS_IRQ_RAISED;
        if (how == JobRecord.Outcome.COMPLETED)
            show(QREAD, j.qsize);
        show(STATUS, status); // last: the hard-IRQ handler reads STATUS first
        JobRecord rec = jobs.get(j.index).end(now, how);
        jobs.set(j.index, rec);
        out.add(() -> listeners.forEach(l -> l.jobEnded(rec)));
        raiseLine(now, false);
    }

    private void clearIrq() {
        if ((status & STATUS_IRQ_RAISED) == 0)
            return;
        status &= ~STATUS_IRQ_RAISED;
        show(STATUS, status);
        out.add(irq::lower);
    }

    /** RESET with pending CSL or CPL: abort any job, STATUS = reset only, everything else reads 0. */
    private void reset(int v, long now) {
        show(RESET, 0);
        if ((v & (RESET_PENDING_CSL | RESET_PENDING_CPL)) == 0)
            return;
        if (running != null) {
            Job j = running;
            running = null;
            drop(j.serial);
            JobRecord.Outcome how = j.behaviour.hangs() ? JobRecord.Outcome.HUNG : JobRecord.Outcome.ABORTED_BY_RESET;
            JobRecord rec = jobs.get(j.index).end(now, how);
            jobs.set(j.index, rec);
            out.add(() -> listeners.forEach(l -> l.jobEnded(rec)));
        }
        boolean wasRaised = (status & STATUS_IRQ_RAISED) != 0;
        resetCsl = (v & RESET_PENDING_CSL) != 0;
        resets++;
        status = STATUS_RESET_STATUS;
        prot = 0;
        show(STATUS, status); // first: a reader that sees the zeros below also sees the reset bit
        for (int off = 0; off < WINDOW_SIZE; off += 4) {
            if (off != STATUS)
                show(off, 0);
        }
        java.util.Arrays.fill(latched, 0);
        if (resetNs == 0)
            resetDone(now); // an instant reset: done before the writel returns
        else
            add(at(now, resetNs), Kind.RESET_DONE, 0, 0, 0);
        if (wasRaised)
            out.add(irq::lower);
        out.add(() -> listeners.forEach(l -> l.resetStarted(now)));
    }

    private void resetDone(long now) {
        prot = resetCsl ? PROT_ACTIVE_CSL : 0;
        status = 0;
        publishIdle();
        out.add(() -> listeners.forEach(l -> l.resetDone(now)));
    }

    /** ID, CONFIG, PROT, then STATUS last: the driver polls STATUS, then reads PROT. */
    private void publishIdle() {
        show(ID, id);
        show(CONFIG, config);
        show(PROT, prot);
        show(STATUS, status);
    }

    private void progress(Event e, long now) {
        Job j = running;
        // All steps due by now at once, so a late or coarse step() sees the same QREAD as many small ones.
        long n = (now - e.at) / j.stepNs + 1;
        j.words += n;
        long span = Integer.toUnsignedLong(j.qsize) & ~3L;
        show(QREAD, span < 8 ? 0 : (int) ((j.words * 4) % span));
        long next = e.at + n * j.stepNs;
        if (next < j.endAt)
            add(next, Kind.PROGRESS, j.serial, 0, 0);
    }

    private void raiseLine(long now, boolean spurious) {
        out.add(() -> {
            listeners.forEach(l -> l.irqRaised(now, spurious));
            irq.raise();
        });
    }

    private void violation(long now, String what) {
        violations.add(what);
        out.add(() -> listeners.forEach(l -> l.violation(now, what)));
    }

    // ------------------------------------------------------------------ time

    /** Absolute device time of the next pending event, Long.MAX_VALUE if none. */
    public long nextEventTime() {
        lock.lock();
        try {
            return headTime();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Performs every event due at now (including ones that those schedule at or before now), in
     * time order; raises the IRQ line for each completion, error and spurious pulse.
     *
     * @return whether any event happened
     */
    public boolean step(long now) {
        List<Runnable> calls;
        boolean did = false;
        lock.lock();
        try {
            begin();
            for (Event e = events.peek(); e != null && e.at <= now; e = events.peek()) {
                events.poll();
                did = true;
                perform(e, now);
            }
        } finally {
            calls = end();
        }
        runOutside(calls);
        return did;
    }

    /** A spurious pulse on the IRQ line at device time at (absolute), STATUS untouched. */
    public void raiseSpurious(long at) {
        List<Runnable> calls;
        lock.lock();
        try {
            begin();
            add(at, Kind.SPURIOUS_IRQ, 0, 0, 0);
        } finally {
            calls = end();
        }
        runOutside(calls);
    }

    private void perform(Event e, long now) {
        switch (e.kind) {
            case COMPLETE -> finish(now, JobRecord.Outcome.COMPLETED, STATUS_CMD_END_REACHED);
            case BUS_ERROR -> finish(now, JobRecord.Outcome.BUS_ERROR, STATUS_BUS_STATUS);
            case PARSE_ERROR -> finish(now, JobRecord.Outcome.PARSE_ERROR, STATUS_CMD_PARSE_ERR);
            case PROGRESS -> progress(e, now);
            case CORRUPT -> show(e.off, e.value); // the file only: the model's own state is intact
            case SPURIOUS_IRQ -> raiseLine(now, true);
            case RESET_DONE -> resetDone(now);
        }
    }

    private void add(long at, Kind kind, int job, int off, int value) {
        events.add(new Event(at, eventSeq++, kind, job, off, value));
    }

    /** Drops the pending events of a job that ended: what it would still have done does not happen. */
    private void drop(int serial) {
        events.removeIf(e -> e.job == serial);
    }

    /**
     * What the device does next, for traces and schedules: "complete 0x80000000", "reset done",
     * ...; null if nothing is pending.
     */
    public String nextEventDescription() {
        lock.lock();
        try {
            Event e = events.peek();
            if (e == null) return null;
            String what = e.kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            if (e.kind == Kind.RESET_DONE) return "reset done";
            long q = running != null && running.serial == e.job ? running.qbase : 0;
            return q != 0 ? String.format("%s 0x%x", what, q) : what;
        } finally {
            lock.unlock();
        }
    }

    private long headTime() {
        Event e = events.peek();
        return e == null ? Long.MAX_VALUE : e.at;
    }

    private static long at(long start, long after) {
        long t = start + after;
        return t < start ? Long.MAX_VALUE : t; // saturate: "never" rather than the past
    }

    // ------------------------------------------------------------------ locking helpers

    private void begin() {
        out = new ArrayList<>();
        headBefore = headTime();
    }

    /** Ends a locked operation: collects its callouts (plus wake-ups if the next event moved earlier) and unlocks. */
    private List<Runnable> end() {
        List<Runnable> calls = out;
        out = null;
        if (calls != null && headTime() < headBefore)
            calls.addAll(wakeups);
        lock.unlock();
        return calls == null ? List.of() : calls;
    }

    /** Runs every callout even if one throws, then rethrows the first failure. */
    private static void runOutside(List<Runnable> calls) {
        RuntimeException first = null;
        for (Runnable r : calls) {
            try {
                r.run();
            } catch (RuntimeException ex) {
                if (first == null)
                    first = ex;
                else
                    first.addSuppressed(ex);
            }
        }
        if (first != null)
            throw first;
    }

    // ------------------------------------------------------------------ observation (for checks)

    /** Device-protocol violations so far, in order (also given to listeners with their time). */
    public List<String> violations() {
        lock.lock();
        try {
            return List.copyOf(violations);
        } finally {
            lock.unlock();
        }
    }

    /** Every job the device started, in start order (one at a time, so also end order). */
    public List<JobRecord> jobs() {
        lock.lock();
        try {
            return List.copyOf(jobs);
        } finally {
            lock.unlock();
        }
    }

    /** The job on the device, or null. */
    public JobRecord runningJob() {
        lock.lock();
        try {
            return running == null ? null : jobs.get(running.index);
        } finally {
            lock.unlock();
        }
    }

    /** QBASEs of the jobs that completed (end of stream reached), in completion order. */
    public List<Long> completions() {
        return jobs().stream().filter(r -> r.outcome() == JobRecord.Outcome.COMPLETED).map(JobRecord::qbase).toList();
    }

    /** QBASE of the last job that completed, or null if none has. */
    public Long lastCompletedQbase() {
        List<Long> c = completions();
        return c.isEmpty() ? null : c.getLast();
    }

    /** Resets started (RESET written with a pending bit, outside a reset). */
    public int resets() {
        lock.lock();
        try {
            return resets;
        } finally {
            lock.unlock();
        }
    }

    /** STATUS as the device holds it (the file shows the same unless a register was corrupted). */
    public int status() {
        lock.lock();
        try {
            return status;
        } finally {
            lock.unlock();
        }
    }

    public NpuVariant variant() {
        return variant;
    }

    public RegisterFile registers() {
        return regs;
    }

    public DeviceClock clock() {
        return clock;
    }

    // ------------------------------------------------------------------ internal types

    private enum Kind { COMPLETE, BUS_ERROR, PARSE_ERROR, PROGRESS, CORRUPT, SPURIOUS_IRQ, RESET_DONE }

    /** A pending event; job 0 is the device's own (reset completion, a scenario's spurious IRQ). */
    private record Event(long at, long seq, Kind kind, int job, int off, int value) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** The running job's mutable state; its JobRecord lives in jobs at index. */
    private static final class Job {
        final int serial;
        final long qbase;
        final int qsize;
        final JobBehaviour behaviour;
        final int index;
        long stepNs;
        long endAt;
        long words;

        Job(int serial, long qbase, int qsize, JobBehaviour behaviour, int index) {
            this.serial = serial;
            this.qbase = qbase;
            this.qsize = qsize;
            this.behaviour = behaviour;
            this.index = index;
        }
    }
}
