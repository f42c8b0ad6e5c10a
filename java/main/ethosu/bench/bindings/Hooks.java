// The upcalls every library gets (struct ebench_hooks): static entry points that find the device by
// cookie and decode what C passes into typed events (ethosu.bench.event), once, here.
// Every body catches everything: an exception escaping an upcall would kill the JVM.
package ethosu.bench.bindings;

import ethosu.bench.bindings.gen.ebench_config;
import ethosu.bench.bindings.gen.ebench_event;
import ethosu.bench.bindings.gen.ebench_hooks;
import ethosu.bench.bindings.gen.ethosu_bench_h;
import ethosu.bench.event.Call;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FaultInjected;
import ethosu.bench.event.FenceRole;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.JobArmed;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Label;
import ethosu.bench.event.PmStatus;
import ethosu.bench.event.Point;
import ethosu.bench.event.Printk;
import ethosu.bench.event.Reset;
import ethosu.bench.event.Sanitizer;
import ethosu.bench.event.Wait;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

public final class Hooks {
    /** What a device does with the library's upcalls. */
    public interface Target {
        /**
         * Called first in every upcall, before the state it reports changes anything: a controller
         * takes the points the library recorded without calling up (struct ebench_sched).
         */
        default void sync() {}

        void mmioWrite(int offset, int value);

        /** One event (not a scheduling point or a wait: those come through point and await). */
        void event(Event e);

        /** Controlled platform: a scheduling point of the calling context. */
        default void point(Point p) {}

        /** Controlled platform: wait until woken or the deadline; true if the deadline ended it. */
        default boolean await(Wait w) {
            return false;
        }

        default void wake(int ctx, long chan) {}

        default long now() {
            return 0;
        }

        /** An exception escaped one of the methods above, or C passed what cannot be decoded; never rethrow. */
        void upcallFailed(String hook, Throwable t);
    }

    /** A registered target and the library whose labels its events carry. */
    private record Registration(Target target, EthosuLibrary lib) {}

    private static final ConcurrentHashMap<Long, Registration> TARGETS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong(1);
    private static final int EV_POINT = ethosu_bench_h.EBENCH_EV_POINT(), EV_PRINTK = ethosu_bench_h.EBENCH_EV_PRINTK(),
            EV_FINDING = ethosu_bench_h.EBENCH_EV_FINDING(), EV_JOB_ARMED = ethosu_bench_h.EBENCH_EV_JOB_ARMED(),
            EV_CALL_START = ethosu_bench_h.EBENCH_EV_CALL_START(), EV_CALL_END = ethosu_bench_h.EBENCH_EV_CALL_END(),
            EV_FENCE_SIGNAL = ethosu_bench_h.EBENCH_EV_FENCE_SIGNAL(),
            EV_FENCE_RESIGNAL = ethosu_bench_h.EBENCH_EV_FENCE_RESIGNAL(), EV_RESET = ethosu_bench_h.EBENCH_EV_RESET(),
            EV_SANITIZER = ethosu_bench_h.EBENCH_EV_SANITIZER(), EV_FAULT = ethosu_bench_h.EBENCH_EV_FAULT(),
            EV_PM = ethosu_bench_h.EBENCH_EV_PM();
    private static final long EVENT_SIZE = ebench_event.sizeof();

    static final MemorySegment MMIO_WRITE, EVENT, POINT, WAIT, WAKE, NOW;

    static {
        Arena global = Arena.global();
        MMIO_WRITE = ebench_hooks.mmio_write.allocate(Hooks::mmioWrite, global);
        EVENT = ebench_hooks.event.allocate(Hooks::event, global);
        POINT = ebench_hooks.point.allocate(Hooks::point, global);
        WAIT = ebench_hooks.wait.allocate(Hooks::await, global);
        WAKE = ebench_hooks.wake.allocate(Hooks::wake, global);
        NOW = ebench_hooks.now.allocate(Hooks::now, global);
    }

    private Hooks() {}

    /** A cookie for target, whose events carry labels of lib. */
    public static long register(Target t, EthosuLibrary lib) {
        long cookie = NEXT.getAndIncrement();
        TARGETS.put(cookie, new Registration(t, lib));
        return cookie;
    }

    /** A cookie registered earlier now stands for target (a device reused for another run). */
    public static void retarget(long cookie, Target t, EthosuLibrary lib) {
        TARGETS.put(cookie, new Registration(t, lib));
    }

    public static void unregister(long cookie) {
        TARGETS.remove(cookie);
    }

    /** Every hook of struct ebench_config, written through the generated layout. */
    static void install(MemorySegment config) {
        MemorySegment h = ebench_config.hooks(config);
        ebench_hooks.mmio_write(h, MMIO_WRITE);
        ebench_hooks.event(h, EVENT);
        ebench_hooks.point(h, POINT);
        ebench_hooks.wait(h, WAIT);
        ebench_hooks.wake(h, WAKE);
        ebench_hooks.now(h, NOW);
    }

    private static String cstring(MemorySegment s) {
        return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(4096).getString(0);
    }

    /** A label the library must know; a bench bug (reported by the caller) if it does not. */
    private static Label label(EthosuLibrary lib, int id) {
        Label l = lib.label(id);
        if (l == null) throw new IllegalStateException(lib.variant + ": unknown label id " + id);
        return l;
    }

    /** Decodes one struct ebench_event. */
    static Event decode(EthosuLibrary lib, MemorySegment ev) {
        int type = ebench_event.type(ev), ctx = ebench_event.ctx(ev), kind = ebench_event.kind(ev);
        int labelId = ebench_event.label(ev);
        long job = ebench_event.job(ev), obj = ebench_event.obj(ev), arg = ebench_event.arg(ev);
        if (type == EV_POINT) return new Point(ctx, label(lib, labelId), obj, arg);
        if (type == EV_PRINTK) return new Printk(ctx, kind, cstring(ebench_event.text(ev)));
        if (type == EV_FINDING)
            return new KernelReport(ctx, KernelReport.Kind.of(kind), labelId == 0 ? "?" : label(lib, labelId).text(), job,
                    cstring(ebench_event.text(ev)));
        if (type == EV_JOB_ARMED) return new JobArmed(ctx, job, arg);
        if (type == EV_CALL_START || type == EV_CALL_END) {
            Call call = Call.of(kind);
            if (call == null) throw new IllegalStateException(lib.variant + ": unknown call kind " + kind);
            String name = labelId == 0 ? null : label(lib, labelId).text();
            return type == EV_CALL_START ? new CallStart(ctx, call, name, job, obj)
                    : new CallEnd(ctx, call, name, job, obj, arg);
        }
        if (type == EV_FENCE_SIGNAL || type == EV_FENCE_RESIGNAL)
            return new FenceSignal(ctx, FenceRole.of(kind), job, obj, (int) arg, ebench_event.arg2(ev),
                    type == EV_FENCE_RESIGNAL);
        if (type == EV_RESET) return new Reset(ctx, (int) arg);
        if (type == EV_SANITIZER) return new Sanitizer(ctx, job, cstring(ebench_event.text(ev)));
        if (type == EV_FAULT) return new FaultInjected(ctx, kind, labelId == 0 ? "?" : label(lib, labelId).text());
        if (type == EV_PM) return new PmStatus(ctx, kind);
        throw new IllegalStateException(lib.variant + ": unknown event type " + type);
    }

    private static void mmioWrite(long cookie, int off, int value) {
        Registration r = TARGETS.get(cookie);
        if (r == null) return;
        try {
            r.target.sync();
            r.target.mmioWrite(off, value);
        } catch (Throwable e) {
            failed(r.target, "mmio_write", e);
        }
    }

    private static void event(long cookie, MemorySegment ev) {
        Registration r = TARGETS.get(cookie);
        if (r == null) return;
        try {
            r.target.sync();
            r.target.event(decode(r.lib, ev.reinterpret(EVENT_SIZE)));
        } catch (Throwable e) {
            failed(r.target, "event", e);
        }
    }

    private static void point(long cookie, int ctx, int label, long obj, long arg) {
        Registration r = TARGETS.get(cookie);
        if (r == null) return;
        try {
            r.target.sync();
            r.target.point(new Point(ctx, label(r.lib, label), obj, arg));
        } catch (Throwable e) {
            failed(r.target, "point", e);
        }
    }

    private static int await(long cookie, int ctx, int label, long chan, long deadline) {
        Registration r = TARGETS.get(cookie);
        if (r == null) return 1;
        try {
            r.target.sync();
            Label l = label(r.lib, label);
            if (l.waitKind() == null) throw new IllegalStateException("wait with the non-wait label '" + l + "'");
            // C's UINT64_MAX (no deadline) is negative as a Java long
            return r.target.await(new Wait(ctx, l.waitKind(), l, chan,
                    deadline < 0 ? Long.MAX_VALUE : deadline)) ? 1 : 0;
        } catch (Throwable e) {
            failed(r.target, "wait", e);
            return 1;
        }
    }

    private static void wake(long cookie, int ctx, long chan) {
        Registration r = TARGETS.get(cookie);
        if (r == null) return;
        try {
            r.target.sync();
            r.target.wake(ctx, chan);
        } catch (Throwable e) {
            failed(r.target, "wake", e);
        }
    }

    private static long now(long cookie) {
        Registration r = TARGETS.get(cookie);
        if (r == null) return 0;
        try {
            return r.target.now();
        } catch (Throwable e) {
            failed(r.target, "now", e);
            return 0;
        }
    }

    private static void failed(Target t, String hook, Throwable e) {
        try {
            t.upcallFailed(hook, e);
        } catch (Throwable ignored) {
            // nothing more can be done from inside an upcall
        }
    }
}
