// The model's core.c and kshim.h: per-device state, the calling context, and the seam every
// scheduling point, wait, wake, clock read, event and finding goes through, as native/kshim/core.c.
package ethosu.bench.model;

import ethosu.bench.event.Call;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Label;
import ethosu.bench.event.Point;
import ethosu.bench.event.PointKind;
import ethosu.bench.event.Wait;
import ethosu.bench.event.WaitKind;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The C shims keep their state in struct ebench_dev and find the calling context through the
 * thread-local kshim_cur; the model does the same ({@link Kdev}, {@link #cur()}). Kernel functions
 * are static methods named after the C ones, so the model reads next to the C line by line.
 *
 * <p>The model runs only on the controlled platform: one context at a time. The atomics of the C
 * (READ_ONCE, __atomic_*) are therefore plain reads and writes here, except where VarHandles make a
 * field's C access kind explicit.
 */
public final class Kshim {
    private Kshim() {}

    // ---------------------------------------------------------------- errno, poison

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, ENOMEM = 12,
            EFAULT = 14, EBUSY = 16, EINVAL = 22, EDEADLK = 35, EOVERFLOW = 75, EALREADY = 114, ETIMEDOUT = 110,
            ECANCELED = 125, EAGAIN = 11, EACCES = 13, EINPROGRESS = 115, MAX_ERRNO = 4095;

    /** What a 32-bit field of freed memory reads as (slab poison 0x6b in every byte). */
    public static final int POISON_U32 = 0x6b6b6b6b;
    /** ... a 64-bit field. */
    public static final long POISON_U64 = 0x6b6b6b6b6b6b6b6bL;
    /** ... a pointer: its address, as the trace shows it. */
    public static final long POISON_PTR = POISON_U64;

    /** kshim_poisoned_u32: the 4 bytes read as poison, the memory was freed. */
    public static boolean poisoned_u32(int v) {
        return v == POISON_U32;
    }

    // ---------------------------------------------------------------- contexts and devices

    /** struct kshim_ctx: one kernel execution context, bound to one thread. */
    public static final class Ctx {
        public final Kdev kd;
        public final int kind;
        public final int id;
        public final String name;
        /** spinlocks held / IRQs off depth */
        int atomic;
        /** running the primary IRQ handler */
        int hardirq;
        int in_work;
        /** the job inside ops->run_job: fences it creates belong to it */
        long running_job;
        /** "current"'s exit code, which drm_sched_entity_flush reads (9: SIGKILL) */
        int exit_code;
        /** the per-thread word kshim_sleep_until waits on (nobody wakes it) */
        final Word sleep_word = new Word();
        /** a workqueue context: the worker it is */
        Workqueue.KshimWorker worker;
        /** "current->group_leader": the client process it acts for (the C never sets it: 0) */
        long task;

        Ctx(Kdev kd, int kind, int id, String name) {
            this.kd = kd;
            this.kind = kind;
            this.id = id;
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final ThreadLocal<Ctx> CUR = new ThreadLocal<>();

    /** kshim_cur */
    public static Ctx cur() {
        return CUR.get();
    }

    static void bind(Ctx c) {
        CUR.set(c);
    }

    /** kshim_dev: the device of the calling context. */
    public static Kdev dev() {
        Ctx c = CUR.get();
        return c == null ? null : c.kd;
    }

    // ---------------------------------------------------------------- words: what waits wait on

    private static final AtomicLong CHANNELS = new AtomicLong(1);

    /**
     * A u32 a context can wait on (kshim_wait): a lock word, a wait queue's sequence, a completion.
     * Its channel stands for the word's address: what the controller matches a wake with.
     */
    public static final class Word {
        public int value;
        public final long chan = CHANNELS.getAndIncrement();
    }

    // ---------------------------------------------------------------- labels

    private static final ConcurrentHashMap<String, Label> LABELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LABEL_IDS = new AtomicInteger(1);

    /** kshim_label: the model's own interned labels; the same (kind, text) is one label. */
    public static Label label(int kind, String text) {
        String key = kind + "\u0000" + text;
        Label l = LABELS.get(key);
        if (l != null) return l;
        return LABELS.computeIfAbsent(key, k -> new Label(LABEL_IDS.getAndIncrement(), kind, text));
    }

    public static Label label(PointKind kind, String text) {
        return label(kind.value, text);
    }

    public static Label label(WaitKind kind, String text) {
        return label(kind.value, text);
    }

    /** A name label (a work item's function, the site of a finding). */
    public static Label name(String text) {
        return label(ethosu.bench.bindings.gen.ethosu_bench_h.EBENCH_LABEL_NAME(), text);
    }

    // ---------------------------------------------------------------- the seam

    /** An object's stand-in for its address in a point (MMIO: the register offset, passed as a Long). */
    static long obj(Object o) {
        if (o == null) return 0;
        if (o instanceof Long l) return l;
        return System.identityHashCode(o) & 0xffffffffL;
    }

    /** kshim_point: a scheduling point of the calling context, before the operation. */
    public static void point(Label label, Object obj, long arg) {
        Ctx c = CUR.get();
        if (c == null) return;
        Kdev d = c.kd;
        d.counters[Kdev.C_POINTS]++;
        d.target.point(new Point(c.id, label, obj(obj), arg));
    }

    /**
     * kshim_wait: sleeps only while word == expected, until woken or until virtual time reaches
     * deadline (Long.MAX_VALUE: none). Returns -ETIMEDOUT when the deadline ended it, else 0.
     */
    public static int wait(Word word, int expected, long deadline, Label label) {
        Ctx c = CUR.get();
        if (word.value != expected) return 0;
        // a u64 deadline beyond the signed range is none, as the bindings read C's
        return c.kd.target.await(new Wait(c.id, label.waitKind(), label, word.chan, deadline < 0 ? Long.MAX_VALUE : deadline))
                ? -ETIMEDOUT : 0;
    }

    /** kshim_wake: every context waiting on word can run again. */
    public static void wake(Word word) {
        Ctx c = CUR.get();
        if (c == null) return;
        c.kd.target.wake(c.id, word.chan);
    }

    /** kshim_waitq_wake / __wake_up_all: bump the sequence, wake its waiters. */
    public static void waitq_wake(Word seq) {
        seq.value++;
        wake(seq);
    }

    /** kshim_clock: the kernel clock in ns, without a scheduling point. */
    public static long clock() {
        Kdev d = dev();
        return d == null ? 0 : d.target.now();
    }

    private static final Label KTIME_GET = label(PointKind.TIME, "ktime_get()"), JIFFIES = label(PointKind.TIME, "jiffies");

    /** kshim_now: ktime_get(), a scheduling point. */
    public static long ktime_get() {
        point(KTIME_GET, null, 0);
        return clock();
    }

    /** kshim_jiffies: HZ is 1000. */
    public static long jiffies() {
        point(JIFFIES, null, 0);
        return clock() / 1_000_000L;
    }

    /** kshim_sleep_until: only the controller's clock ends the wait. */
    public static void sleep_until(long deadline, Label label) {
        Ctx c = CUR.get();
        while (Long.compareUnsigned(clock(), deadline) < 0)
            c.kd.target.await(new Wait(c.id, label.waitKind(), label, c.sleep_word.chan, deadline < 0 ? Long.MAX_VALUE : deadline));
    }

    // ---------------------------------------------------------------- jiffies.h

    public static final long MAX_SCHEDULE_TIMEOUT = Long.MAX_VALUE;
    static final long MAX_JIFFY_OFFSET = (Long.MAX_VALUE >> 1) - 1;

    public static long jiffies_to_nsecs(long j) {
        // u64: a negative long is a huge unsigned value
        if (j < 0 || j >= MAX_JIFFY_OFFSET) return Long.MAX_VALUE; // U64_MAX / 2
        return j * 1_000_000L;
    }

    public static long nsecs_to_jiffies(long n) {
        return Long.divideUnsigned(n, 1_000_000L);
    }

    // ---------------------------------------------------------------- events and findings

    public static boolean trace(int level) {
        Ctx c = CUR.get();
        return c != null && c.kd.trace_level >= level;
    }

    static void count(int which, long delta) {
        Kdev d = dev();
        if (d != null) d.counters[which] += delta;
    }

    /** kshim_event: one typed event of the calling context. */
    static void event(Event e) {
        Ctx c = CUR.get();
        if (c == null) return;
        c.kd.target.event(e);
    }

    static int ctxId() {
        Ctx c = CUR.get();
        return c == null ? Event.NO_CONTEXT : c.id;
    }

    /** Driver callbacks are always reported (the checks follow them); the rest from trace level 1. */
    private static boolean call_traced(Call call) {
        return switch (call) {
            case WORK, IRQ_HANDLER, RUNTIME_RESUME, RUNTIME_SUSPEND -> trace(1);
            default -> true;
        };
    }

    /** kshim_call_start: name is the label's text (a work item's function), null for none. */
    public static void call_start(Call call, String name, long job, Object obj) {
        if (call_traced(call)) event(new CallStart(ctxId(), call, name, job, obj(obj)));
    }

    public static void call_end(Call call, String name, long job, Object obj, long ret) {
        if (call_traced(call)) event(new CallEnd(ctxId(), call, name, job, obj(obj), ret));
    }

    /** kshim_finding_at: a finding at site (a function, or an operation and its object). */
    public static void finding_at(KernelReport.Kind kind, String site, String text) {
        Ctx x = CUR.get();
        count(Kdev.C_FINDINGS, 1);
        if (x == null) {
            System.err.println("ethosu-bench model: finding: " + text);
            return;
        }
        x.kd.target.event(new KernelReport(x.id, kind, site == null || site.isEmpty() ? "?" : site, x.running_job, text));
    }

    /** kshim_finding: the site is the calling function (named by the caller). */
    public static void finding(KernelReport.Kind kind, String func, String text) {
        finding_at(kind, func, text);
    }

    /**
     * WARN_ON(cond) at file:line in func, as the C reports it; returns cond, as WARN_ON does. The
     * model names the C file and line the same warning comes from.
     */
    public static boolean WARN_ON(boolean cond, String file, int line, String func, String condText) {
        if (cond) finding_at(KernelReport.Kind.WARN, func,
                String.format("WARNING: %s:%d at %s: WARN_ON(%s)", file, line, func, condText));
        return cond;
    }

    /** BUG_ON(cond): the kernel would die; the shims report it and go on. */
    public static boolean BUG_ON(boolean cond, String file, int line, String func, String condText) {
        if (cond) finding_at(KernelReport.Kind.OOPS, func,
                String.format("kernel BUG at %s:%d in %s: %s", file, line, func, condText));
        return cond;
    }

    // ---------------------------------------------------------------- atomic sections

    /** kshim_atomic_enter: a spinlock or IRQs off; also an RCU read-side section. */
    public static void atomic_enter() {
        Ctx c = CUR.get();
        if (c != null && c.atomic++ == 0) c.kd.rcu_readers++;
    }

    public static void atomic_exit() {
        Ctx c = CUR.get();
        if (c == null || c.atomic <= 0) return;
        if (--c.atomic == 0 && --c.kd.rcu_readers == 0) Slab.rcu_quiescent(c.kd);
    }

    /** kshim_might_sleep: a sleeping call in hard IRQ or atomic context is a finding. */
    public static void might_sleep(String what) {
        Ctx c = CUR.get();
        if (c == null) return;
        if (c.hardirq != 0)
            finding_at(KernelReport.Kind.ATOMIC_SLEEP, what, String.format(
                    "BUG: sleeping function called from invalid context: %s in hard IRQ context (%s)", what, c.name));
        else if (c.atomic > 0)
            finding_at(KernelReport.Kind.ATOMIC_SLEEP, what, String.format(
                    "BUG: sleeping function called from invalid context: %s in atomic context (%s, %d spinlock(s) held)",
                    what, c.name, c.atomic));
    }

    /** kshim_fence_context_counter: contexts count up from 1 per device. */
    static long fence_context_alloc(int num) {
        Kdev d = dev();
        long r = d.fence_context + 1;
        d.fence_context += num;
        return r;
    }

    // enum ebench_fault: the kernel interfaces a run can make fail
    public static final int FAULT_ALLOC = 0, FAULT_ENTITY_INIT = 1, FAULT_SCHED_INIT = 2, FAULT_IRQ_REQUEST = 3,
            FAULT_PM_GET = 4, FAULTS = 5;
    private static final String[] FAULT_NAMES = {"allocation", "drm_sched_entity_init", "drm_sched_init",
            "request_threaded_irq", "runtime resume"};

    /**
     * kshim_fault: true when this call is the one armed to fail. site is the calling function,
     * matched against the site the fault was armed for (any, when armed without one).
     */
    static boolean fault(int fault, String site) {
        Kdev d = dev();
        if (d == null || fault < 0 || fault >= FAULTS) return false;
        Kdev.FaultArm f = d.faults[fault];
        if (f.nth == 0) return false;
        boolean fire = false;
        if (f.nth > 0 && (f.site.isEmpty() || (site != null && site.equals(f.site)))) fire = --f.nth == 0;
        if (!fire) return false;
        // as the kernel's fault injection announces itself
        Printk.kshim_printk(Printk.KERN_WARNING, "FAULT_INJECTION",
                "forcing a failure: " + FAULT_NAMES[fault] + " in " + (site != null ? site : "?") + "\n");
        faultInjected(fault, site);
        return true;
    }

    /** The PmStatus event (EBENCH_EV_PM): the runtime-PM status a device entered. */
    static void pmStatus(int status, Kdev.Device dev) {
        Kdev d = dev();
        if (d != null) d.pm_status_changes++;
        event(new ethosu.bench.event.PmStatus(ctxId(), status));
    }

    /** The FaultInjected event (EBENCH_EV_FAULT): its kind and the calling site. */
    static void faultInjected(int fault, String site) {
        Kdev d = dev();
        if (d != null) d.faults_fired++;
        event(new ethosu.bench.event.FaultInjected(ctxId(), fault, site != null ? site : "?"));
    }
}
