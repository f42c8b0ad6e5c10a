// The C frames of a thread the watchdog must describe (a context spinning in the driver, or blocked in
// it), its kernel thread id and the CPU time it used: what a soft lockup or a hung task reports.
package ethosu.bench.bindings;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

public final class NativeFrames {
    private NativeFrames() {}

    /**
     * One C frame: its function, source file (base name) and line when addr2line can tell, else the
     * library and offset.
     */
    /** @param driver code of the driver under test (its tree's drivers/), not the shims or the glue */
    public record Frame(String function, String file, int line, boolean driver, String library, long offset)
            implements java.io.Serializable {
        @Override
        public String toString() {
            if (function == null) return library + "+0x" + Long.toHexString(offset);
            return file == null ? function : function + " (" + file + ":" + line + ")";
        }
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GETTID = LINKER.downcallHandle(
            LINKER.defaultLookup().find("gettid").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle DLADDR = LINKER.downcallHandle(LINKER.defaultLookup().find("dladdr").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));

    /** The calling thread's kernel thread id. */
    public static int threadId() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw EthosuLibrary.rethrow(t);
        }
    }

    /** CPU time thread tid of this process has used, in ns; -1 if it cannot be read (the thread is gone). */
    public static long cpuNanos(int tid) {
        try {
            String s = Files.readString(Path.of("/proc/self/task/" + tid + "/schedstat"));
            int sp = s.indexOf(' ');
            return Long.parseLong(sp < 0 ? s.strip() : s.substring(0, sp));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Samples thread tid's C frames through lib's sampler, innermost first, symbolized; with stop
     * the thread stays parked in the sampler for good. Empty when it could not be sampled.
     */
    public static synchronized List<Frame> sample(EthosuLibrary lib, int tid, boolean stop) {
        long[] pcs = new long[64];
        int n = lib.threadFrames(tid, stop, pcs, 2000);
        if (n <= 0) return List.of();
        return symbolize(java.util.Arrays.copyOf(pcs, n));
    }

    /** Frames for instruction addresses of this process (past the first, return addresses). */
    static List<Frame> symbolize(long[] pcs) {
        // each address to its library and offset (dladdr), then addr2line once per library
        String[] libs = new String[pcs.length];
        long[] offs = new long[pcs.length];
        String[] syms = new String[pcs.length];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = a.allocate(32);
            for (int i = 0; i < pcs.length; i++) {
                // a return address is past its call: look up the call itself
                long pc = i == 0 ? pcs[i] : pcs[i] - 1;
                int ok = (int) DLADDR.invokeExact(MemorySegment.ofAddress(pc), info);
                if (ok == 0) continue;
                MemorySegment fname = info.get(ValueLayout.ADDRESS, 0), base = info.get(ValueLayout.ADDRESS, 8),
                        sname = info.get(ValueLayout.ADDRESS, 16);
                if (!fname.equals(MemorySegment.NULL)) libs[i] = fname.reinterpret(4096).getString(0);
                offs[i] = pc - base.address();
                if (!sname.equals(MemorySegment.NULL)) syms[i] = sname.reinterpret(4096).getString(0);
            }
        } catch (Throwable t) {
            throw EthosuLibrary.rethrow(t);
        }
        Map<String, List<Integer>> byLib = new LinkedHashMap<>();
        for (int i = 0; i < pcs.length; i++)
            if (libs[i] != null && libs[i].endsWith(".so")) byLib.computeIfAbsent(libs[i], k -> new ArrayList<>()).add(i);
        List<List<Frame>> out = new ArrayList<>();
        for (int i = 0; i < pcs.length; i++) out.add(null);
        for (var e : byLib.entrySet()) {
            List<Integer> idx = e.getValue();
            long[] o = idx.stream().mapToLong(i -> offs[i]).toArray();
            List<List<Frame>> f = addr2line(e.getKey(), o);
            for (int k = 0; k < idx.size(); k++) out.set(idx.get(k), f.get(k));
        }
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < pcs.length; i++) {
            String lib = libs[i] == null ? "?" : Path.of(libs[i]).getFileName().toString();
            if (out.get(i) == null) frames.add(new Frame(syms[i], null, 0, false, lib, offs[i]));
            else frames.addAll(out.get(i));
        }
        return frames;
    }

    /**
     * Frames for offsets into a library (a return address's offset already moved back into its
     * call), each expanded into the functions inlined there; an offset addr2line cannot place keeps
     * fn, or its offset.
     */
    public static List<Frame> symbolize(String library, long[] offsets, String[] fn) {
        List<List<Frame>> f = addr2line(library, offsets);
        String lib = Path.of(library).getFileName().toString();
        List<Frame> out = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            if (f.get(i) != null) out.addAll(f.get(i));
            else out.add(new Frame(fn == null ? null : fn[i], null, 0, false, lib, offsets[i]));
        }
        return out;
    }

    private static final Map<String, List<Frame>> SYMBOLS = new ConcurrentHashMap<>();

    /**
     * addr2line's functions and lines of each offset of a library: the function the code is in and,
     * innermost first, those inlined into it there (a null entry: it could not say).
     */
    private static List<List<Frame>> addr2line(String library, long[] offsets) {
        List<List<Frame>> out = new ArrayList<>();
        String lib = Path.of(library).getFileName().toString();
        if (!Files.isRegularFile(Path.of(library))) {
            for (long o : offsets) out.add(null);
            return out;
        }
        List<String> args = new ArrayList<>(List.of("addr2line", "-a", "-f", "-i", "-e", library));
        List<Integer> asked = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            out.add(SYMBOLS.get(library + "+" + offsets[i]));
            if (out.get(i) != null) continue;
            args.add("0x" + Long.toHexString(offsets[i]));
            asked.add(i);
        }
        if (asked.isEmpty()) return out;
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            p.waitFor();
            // "0x<address>" opens each address's group of function / file:line pairs
            int k = -1;
            List<Frame> group = null;
            for (int n = 0; n < lines.size(); n++) {
                String l = lines.get(n);
                if (l.startsWith("0x")) {
                    k++;
                    group = new ArrayList<>();
                    if (k < asked.size()) {
                        out.set(asked.get(k), group);
                        SYMBOLS.put(library + "+" + offsets[asked.get(k)], group);
                    }
                    continue;
                }
                if (group == null || n + 1 >= lines.size()) break;
                String fn = l, where = lines.get(++n).replaceAll(" \\(discriminator \\d+\\)", "");
                if (fn.equals("??")) continue;
                int colon = where.lastIndexOf(':');
                String file = colon < 0 || where.startsWith("??") ? null : Path.of(where.substring(0, colon)).getFileName().toString();
                int line = 0;
                try {
                    line = colon < 0 ? 0 : Integer.parseInt(where.substring(colon + 1));
                } catch (NumberFormatException e) {
                    file = null;
                }
                group.add(new Frame(fn, file, line, where.contains("/drivers/"), lib, offsets[asked.get(k)]));
            }
        } catch (IOException e) {
            // no addr2line: the frames keep their library and offset
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < out.size(); i++) if (out.get(i) != null && out.get(i).isEmpty()) out.set(i, null);
        return out;
    }

    /**
     * The frames a report shows: those in the libraries' code (the sampler and libc below them left
     * out), innermost first, at least max of them and down to two past the innermost in the driver's
     * own code, stopping at the entry the Java side called; an inlined function's repeated lines once.
     */
    public static List<Frame> shown(List<Frame> frames, int max) {
        int from = 0;
        while (from < frames.size() && !frames.get(from).library().startsWith("libethosu")) from++;
        if (from == frames.size()) return List.of();
        int driver = -1;
        for (int i = from; i < frames.size() && driver < 0; i++) if (frames.get(i).driver()) driver = i;
        int until = Math.max(from + max, driver < 0 ? 0 : driver + 3);
        List<Frame> out = new ArrayList<>();
        for (int i = from; i < frames.size() && i < until; i++) {
            Frame f = frames.get(i);
            if (!f.library().startsWith("libethosu")) break;
            Frame prev = out.isEmpty() ? null : out.get(out.size() - 1);
            if (prev != null && prev.function() != null && prev.function().equals(f.function())) continue;
            out.add(f);
        }
        return out;
    }

    /** The driver function a report is about: the innermost frame in driver code, else the innermost shown. */
    public static String site(List<Frame> shown) {
        for (Frame f : shown) if (f.driver() && f.function() != null) return f.function();
        return shown.isEmpty() || shown.get(0).function() == null ? "" : shown.get(0).function();
    }

    /** "f (file:line) < g (file:line) < ...", innermost first. */
    public static String describe(List<Frame> shown) {
        return String.join(" < ", shown.stream().map(Frame::toString).toList());
    }
}
