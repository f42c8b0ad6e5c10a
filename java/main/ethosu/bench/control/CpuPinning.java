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

    /** The calling thread back on every CPU (threads it made meanwhile keep their pinning). */
    public static void unpin() {
        pinned = -1;
        pinMask(-1);
    }

    /** All threads this process makes from now on run on one CPU: a context switch stays on-core (~5 us). */
    public static void pin(int cpu) {
        pinned = cpu;
        pinMask(cpu);
    }

    /** A reused context thread takes the current pinning (set by pin/unpin) before it runs a context. */
    public static void follow() {
        pinMask(pinned);
    }

    private static final java.lang.invoke.MethodHandle GETAFFINITY = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("sched_getaffinity").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

    /** The CPUs this process may run on (its affinity mask when it started pinning nothing). */
    public static java.util.BitSet allowedSet() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mask = a.allocate(128);
            int rc = (int) GETAFFINITY.invokeExact(0, 128L, mask);
            java.util.BitSet set = java.util.BitSet.valueOf(mask.toArray(ValueLayout.JAVA_BYTE));
            if (rc < 0 || set.isEmpty()) set.set(0, java.lang.Runtime.getRuntime().availableProcessors());
            return set;
        } catch (Throwable t) {
            java.util.BitSet set = new java.util.BitSet();
            set.set(0, java.lang.Runtime.getRuntime().availableProcessors());
            return set;
        }
    }

    public static boolean allowed(int cpu) {
        return cpu >= 0 && allowedSet().get(cpu);
    }

    /** "0-1" or "0,2,5": the allowed CPUs for messages. */
    public static String allowedCpus() {
        java.util.BitSet s = allowedSet();
        StringBuilder sb = new StringBuilder();
        for (int i = s.nextSetBit(0); i >= 0; ) {
            int j = s.nextClearBit(i) - 1;
            sb.append(sb.length() == 0 ? "" : ",").append(i == j ? i : i + "-" + j);
            i = s.nextSetBit(j + 1);
        }
        return sb.toString();
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
