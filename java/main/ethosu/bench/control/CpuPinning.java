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

    /** A CPU this process has claimed (see claimFree); closing it gives the CPU back. */
    public static final class Claim implements AutoCloseable {
        public final int cpu;
        private final java.nio.channels.FileChannel channel;
        private final java.nio.channels.FileLock lock;

        Claim(int cpu, java.nio.channels.FileChannel channel, java.nio.channels.FileLock lock) {
            this.cpu = cpu;
            this.channel = channel;
            this.lock = lock;
        }

        /** True if no other claim holds this CPU; false: every CPU was taken and this one is shared. */
        public boolean exclusive() {
            return lock != null;
        }

        @Override
        public void close() {
            try {
                if (lock != null) lock.release();
                if (channel != null) channel.close();
            } catch (java.io.IOException ignored) {
                // the lock goes with the process anyway
            }
        }
    }

    /** Where the claims' lock files are: one per CPU, shared by every process of the machine. */
    static java.nio.file.Path claimDir() {
        String d = System.getProperty("ethosu.cpu.claims");
        return d != null ? java.nio.file.Path.of(d)
                : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "ethosu-bench-cpus");
    }

    /**
     * Pins this process's explorations to a CPU no other exploration on the machine holds (claim),
     * so two explorations started together do not share one CPU. Returns the claim (cpu -1: nothing
     * to pin).
     */
    public static Claim claimFree() {
        Claim c = claim(claimDir(), allowedSet().stream().toArray());
        if (c.cpu >= 0) pin(c.cpu);
        return c;
    }

    /**
     * The first of cpus whose lock file in dir no other claim holds (a file lock, held for as long as
     * the claim: the kernel drops it when the process ends, however it ends; a second claim in the
     * same process skips it too). When every one is taken, a shared one, picked by the process id.
     */
    static Claim claim(java.nio.file.Path dir, int[] cpus) {
        if (cpus.length == 0) return new Claim(-1, null, null);
        try {
            java.nio.file.Files.createDirectories(dir);
            for (int cpu : cpus) {
                var ch = java.nio.channels.FileChannel.open(dir.resolve("cpu" + cpu + ".lock"),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    lock = null; // this process holds it already
                }
                if (lock != null) return new Claim(cpu, ch, lock);
                ch.close();
            }
        } catch (java.io.IOException e) {
            // no lock files here: fall through to sharing
        }
        return new Claim(cpus[(int) (ProcessHandle.current().pid() % cpus.length)], null, null);
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
