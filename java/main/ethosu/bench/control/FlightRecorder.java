// Keeps the decisions of the schedule in progress in a memory-mapped file, so that when native code
// crashes the worker process, its parent still reads the schedule that caused it.
package ethosu.bench.control;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

public final class FlightRecorder implements AutoCloseable {
    private static final long SIZE = 32L << 20;
    private static final long DATA = 8;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment map;
    private long pos = DATA;
    /**
     * The header of a run that only lays out the points of a part of a bounded search (the part
     * that owns its schedule reports what it finds), followed by the part's schedules so far.
     */
    public static final String LAYOUT = "layout after schedule";

    public FlightRecorder(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            map = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
        }
        begin("none");
    }

    /** A new schedule starts: what came before is forgotten. */
    public void begin(String header) {
        pos = DATA;
        append("# " + header + "\n");
    }

    public void record(Schedule.Decision d) {
        append(d.step() + "\t" + d.context() + "\t" + d.label().replace('\t', ' ').replace('\n', ' ') + "\t"
                + (d.preemption() ? 1 : 0) + "\t" + d.options() + "\t" + d.chosen() + "\t" + d.current() + "\t"
                + (d.strategy() ? 1 : 0) + "\n");
    }

    private void append(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (pos + b.length > SIZE) return; // full: the schedule is cut here
        MemorySegment.copy(b, 0, map, ValueLayout.JAVA_BYTE, pos, b.length);
        pos += b.length;
        // the length last: a reader never sees a half-written line
        map.set(ValueLayout.JAVA_LONG.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, pos);
    }

    @Override
    public void close() {
        arena.close();
    }

    /**
     * Copies the used part of a record (kilobytes, not the whole mapping): what a resumed exploration
     * rebuilds its path from, read back with {@link #read}.
     */
    public static void copyUsed(Path from, Path to) throws IOException {
        byte[] all = Files.readAllBytes(from);
        long len = all.length < DATA ? 0
                : java.nio.ByteBuffer.wrap(all, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        Files.write(to, java.util.Arrays.copyOf(all, (int) Math.max(DATA, Math.min(all.length, len))));
    }

    /** What a crashed process left: its header line and the decisions taken before the crash. */
    public record Contents(String header, List<Schedule.Decision> decisions) {
        public Schedule schedule() {
            Schedule s = new Schedule();
            decisions.forEach(s::add);
            return s;
        }

        /** "context: label" lines, as a run's trace (for the race diagram of a crash). */
        public List<String> trace() {
            List<String> t = new ArrayList<>();
            for (Schedule.Decision d : decisions) t.add(d.context() + ": " + d.label());
            return t;
        }
    }

    public static Contents read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < DATA) return new Contents("", List.of());
        long len = java.nio.ByteBuffer.wrap(all, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String text = new String(all, (int) DATA, (int) Math.max(0, Math.min(all.length, len) - DATA), StandardCharsets.UTF_8);
        String header = "";
        List<Schedule.Decision> ds = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (l.startsWith("# ")) {
                header = l.substring(2);
                continue;
            }
            String[] f = l.split("\t");
            if (f.length < 8) continue;
            ds.add(new Schedule.Decision(Integer.parseInt(f[0]), f[1], f[2], f[3].equals("1"), Integer.parseInt(f[4]),
                    Integer.parseInt(f[5]), Integer.parseInt(f[6]), f[7].equals("1")));
        }
        return new Contents(header, ds);
    }
}
