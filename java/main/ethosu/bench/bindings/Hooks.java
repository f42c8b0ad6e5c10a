// The upcall stubs handed to every library: static entry points that find the device by cookie.
// Every body catches everything: an exception escaping an upcall would kill the JVM.
package ethosu.bench.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

public final class Hooks {
    /** What a device does with the library's upcalls. */
    public interface Target {
        void mmioWrite(int offset, int value);

        void event(int ctx, int type, String text, long a, long b, long c);

        /** Controlled platform: a scheduling point. */
        default void point(int ctx, int kind, String label) {}

        /** Controlled platform: wait on chan until woken or deadline; true if the deadline ended it. */
        default boolean await(int ctx, long chan, long deadline, String what) {
            return false;
        }

        default void wake(int ctx, long chan) {}

        default long now() {
            return 0;
        }

        /** An exception escaped one of the methods above; report it, never rethrow. */
        void upcallFailed(String hook, Throwable t);
    }

    private static final ConcurrentHashMap<Long, Target> TARGETS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong(1);
    static final MemorySegment MMIO_WRITE, EVENT, POINT, WAIT, WAKE, NOW;

    static {
        Linker linker = Linker.nativeLinker();
        Arena global = Arena.global();
        var lookup = MethodHandles.lookup();
        try {
            MMIO_WRITE = linker.upcallStub(lookup.findStatic(Hooks.class, "mmioWrite",
                    MethodType.methodType(void.class, long.class, int.class, int.class)),
                    FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_INT), global);
            EVENT = linker.upcallStub(lookup.findStatic(Hooks.class, "event",
                    MethodType.methodType(void.class, long.class, int.class, int.class, MemorySegment.class,
                            long.class, long.class, long.class)),
                    FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                    global);
            POINT = linker.upcallStub(lookup.findStatic(Hooks.class, "point",
                    MethodType.methodType(void.class, long.class, int.class, int.class, MemorySegment.class)),
                    FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS), global);
            WAIT = linker.upcallStub(lookup.findStatic(Hooks.class, "await",
                    MethodType.methodType(int.class, long.class, int.class, long.class, long.class, MemorySegment.class)),
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS), global);
            WAKE = linker.upcallStub(lookup.findStatic(Hooks.class, "wake",
                    MethodType.methodType(void.class, long.class, int.class, long.class)),
                    FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_LONG), global);
            NOW = linker.upcallStub(lookup.findStatic(Hooks.class, "now",
                    MethodType.methodType(long.class, long.class)),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), global);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Hooks() {}

    public static long register(Target t) {
        long cookie = NEXT.getAndIncrement();
        TARGETS.put(cookie, t);
        return cookie;
    }

    public static void unregister(long cookie) {
        TARGETS.remove(cookie);
    }

    static String cstring(MemorySegment s) {
        return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(4096).getString(0);
    }

    private static void mmioWrite(long cookie, int off, int value) {
        Target t = TARGETS.get(cookie);
        if (t == null) return;
        try {
            t.mmioWrite(off, value);
        } catch (Throwable e) {
            failed(t, "mmio_write", e);
        }
    }

    private static void event(long cookie, int ctx, int type, MemorySegment text, long a, long b, long c) {
        Target t = TARGETS.get(cookie);
        if (t == null) return;
        try {
            t.event(ctx, type, cstring(text), a, b, c);
        } catch (Throwable e) {
            failed(t, "event", e);
        }
    }

    private static void point(long cookie, int ctx, int kind, MemorySegment label) {
        Target t = TARGETS.get(cookie);
        if (t == null) return;
        try {
            t.point(ctx, kind, cstring(label));
        } catch (Throwable e) {
            failed(t, "point", e);
        }
    }

    private static int await(long cookie, int ctx, long chan, long deadline, MemorySegment what) {
        Target t = TARGETS.get(cookie);
        if (t == null) return 1;
        try {
            return t.await(ctx, chan, deadline, cstring(what)) ? 1 : 0;
        } catch (Throwable e) {
            failed(t, "wait", e);
            return 1;
        }
    }

    private static void wake(long cookie, int ctx, long chan) {
        Target t = TARGETS.get(cookie);
        if (t == null) return;
        try {
            t.wake(ctx, chan);
        } catch (Throwable e) {
            failed(t, "wake", e);
        }
    }

    private static long now(long cookie) {
        Target t = TARGETS.get(cookie);
        if (t == null) return 0;
        try {
            return t.now();
        } catch (Throwable e) {
            failed(t, "now", e);
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
