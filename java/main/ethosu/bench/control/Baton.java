// The hand-off between two context threads under control: one runs at a time, and the one that runs
// gives the baton to the next and sleeps until it gets it back. On one CPU a hand-off is a context
// switch; how it sleeps and wakes is what it costs (docs/PERFORMANCE.md, "Hand-offs"): a futex word
// per thread, woken through the libc system call, costs less than LockSupport's park and unpark
// (a mutex and a condition variable per thread). Both are deterministic: which context runs next is
// decided before the hand-off, never by who wakes first.
package ethosu.bench.control;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

abstract class Baton {
    /** A thread's side of the baton: set when it may run. */
    abstract static class Word {
        abstract boolean held();
    }

    abstract Word newWord();

    /** Gives the baton to `to` (running on thread t). */
    abstract void give(Word to, Thread t);

    /** The caller lets go of its baton (it gave it away, or never held it). */
    abstract void drop(Word mine);

    /** Sleeps until the baton is given to mine. */
    abstract void await(Word mine);

    /** Gives the baton to `to` and sleeps until it comes back. */
    final void pass(Word mine, Word to, Thread t) {
        drop(mine);
        give(to, t);
        await(mine);
    }

    /** ethosu.handoff=park|futex; futex where the system call is known (Linux on x86-64 and AArch64). */
    static final Baton DEFAULT = choose(System.getProperty("ethosu.handoff", "futex"));

    /** Park and unpark: what a virtual thread sleeps by (it unmounts from its carrier). */
    static final Baton PARK = new Park();

    static Baton choose(String kind) {
        if (kind.equals("futex")) {
            Baton f = Futex.create();
            if (f != null) return f;
        }
        return new Park();
    }

    abstract String describe();

    /** LockSupport: a flag, and park/unpark (a pthread mutex and condition variable per thread). */
    static final class Park extends Baton {
        static final class Flag extends Word {
            volatile boolean go;

            @Override
            boolean held() {
                return go;
            }
        }

        @Override
        Word newWord() {
            return new Flag();
        }

        @Override
        void give(Word to, Thread t) {
            ((Flag) to).go = true;
            LockSupport.unpark(t);
        }

        @Override
        void drop(Word mine) {
            ((Flag) mine).go = false;
        }

        @Override
        void await(Word mine) {
            Flag f = (Flag) mine;
            while (!f.go) LockSupport.park(this);
        }

        @Override
        String describe() {
            return "park";
        }
    }

    /** A futex word per thread in native memory: FUTEX_WAKE to give, FUTEX_WAIT to sleep. */
    static final class Futex extends Baton {
        private static final int FUTEX_WAIT_PRIVATE = 128, FUTEX_WAKE_PRIVATE = 129;
        private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
        private final MethodHandle syscall;
        private final long sysFutex;

        private Futex(MethodHandle syscall, long sysFutex) {
            this.syscall = syscall;
            this.sysFutex = sysFutex;
        }

        static Futex create() {
            if (!System.getProperty("os.name", "").equals("Linux")) return null;
            long nr = switch (System.getProperty("os.arch", "")) {
                case "amd64", "x86_64" -> 202;
                case "aarch64" -> 98;
                default -> -1;
            };
            if (nr < 0) return null;
            try {
                Linker l = Linker.nativeLinker();
                MethodHandle h = l.downcallHandle(l.defaultLookup().find("syscall").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
                        Linker.Option.firstVariadicArg(1));
                return new Futex(h, nr);
            } catch (RuntimeException | Error e) {
                return null;
            }
        }

        static final class Cell extends Word {
            /** Its own cache line: words of threads on one CPU need not share, but cost nothing apart. */
            final MemorySegment word = Arena.global().allocate(64, 64).asSlice(0, 4);

            @Override
            boolean held() {
                return (int) INT.getVolatile(word, 0L) != 0;
            }
        }

        @Override
        Word newWord() {
            return new Cell();
        }

        @Override
        void give(Word to, Thread t) {
            MemorySegment w = ((Cell) to).word;
            INT.setVolatile(w, 0L, 1);
            futex(w, FUTEX_WAKE_PRIVATE, 1);
        }

        @Override
        void drop(Word mine) {
            INT.setVolatile(((Cell) mine).word, 0L, 0);
        }

        @Override
        void await(Word mine) {
            MemorySegment w = ((Cell) mine).word;
            while ((int) INT.getVolatile(w, 0L) == 0) futex(w, FUTEX_WAIT_PRIVATE, 0);
        }

        private void futex(MemorySegment w, int op, int val) {
            try {
                long r = (long) syscall.invokeExact(sysFutex, w, op, val, MemorySegment.NULL);
            } catch (Throwable t) {
                throw new IllegalStateException("futex: " + t, t);
            }
        }

        @Override
        String describe() {
            return "futex";
        }
    }
}
