// Pins exploration threads to one CPU: one context runs at a time, and on one CPU a hand-off
// between two threads costs ~5 us instead of 20-30 us across CPUs (toolchain-notes).
package ethosu.bench.control;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

public final class CpuPinning {
    private CpuPinning() {}

    /** CPU the explorations of this process are pinned to, -1 for none; context threads follow it. */
    private static volatile int pinned = -1;
    /** Bumped at each pin/unpin: a carrier thread re-pins only when it changed (a system call). */
    private static volatile int generation;

    /** The calling thread back on every CPU (threads it made meanwhile keep their pinning). */
    public static synchronized void unpin() {
        pinned = -1;
        generation++;
        pinMask(-1);
    }

    /** All threads this process makes from now on run on one CPU: a context switch stays on-core (~5 us). */
    public static synchronized void pin(int cpu) {
        pinned = cpu;
        generation++;
        pinMask(cpu);
    }

    /** Changes with every pin/unpin. */
    static int generation() {
        return generation;
    }

    /** A reused context thread takes the current pinning (set by pin/unpin) before it runs a context. */
    public static void follow() {
        pinMask(pinned);
    }

    private static final java.lang.invoke.MethodHandle SETAFFINITY = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("sched_setaffinity").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

    private static void pinMask(int cpu) {
        try {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment mask = a.allocate(128);
                if (cpu < 0)
                    mask.fill((byte) 0xff);
                else
                    mask.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
                int rc = (int) SETAFFINITY.invokeExact(0, 128L, mask);
                if (rc != 0) System.err.println("ethosu-bench: could not pin to CPU " + cpu);
            }
        } catch (Throwable t) {
            System.err.println("ethosu-bench: could not pin to CPU " + cpu + ": " + t);
        }
    }
}
