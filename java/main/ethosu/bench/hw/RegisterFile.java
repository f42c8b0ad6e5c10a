// The 4 KiB register window as a shared file mapping: C maps the same file as dev->regs, so what one side
// stores the other sees (DESIGN.md, "Fake register file and device"). Only FakeNpu should write it.
package ethosu.bench.hw;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * 32-bit little-endian registers at byte offsets of a mapped file. Reads are acquire and writes are
 * release, so a register the model stores after others (STATUS last) publishes those others to a C
 * reader that loads it first, as readl/writel order device accesses.
 */
public final class RegisterFile implements AutoCloseable {
    // Registers are little-endian; native order is what C's plain loads see, so the two must agree.
    private static final ValueLayout.OfInt REG = ValueLayout.JAVA_INT.withOrder(ByteOrder.nativeOrder());
    private static final VarHandle INT = REG.varHandle();

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN)
            throw new ExceptionInInitializerError("register file needs a little-endian host");
    }

    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;
    private final boolean deleteOnClose;
    private boolean closed;

    /**
     * Maps an existing register file, the one the C library created (ebench_dev_regs_path).
     *
     * @throws IllegalArgumentException with a one-line message naming the fix if the path is unusable
     */
    public RegisterFile(Path path) {
        this(checkUsable(path), false);
    }

    /**
     * The window as the C library maps it (same process, same memory, same file): no second
     * mapping, nothing to unmap at close. The controlled platform makes one per schedule.
     */
    public static RegisterFile wrap(MemorySegment window, Path path) {
        return new RegisterFile(window.reinterpret(Regs.WINDOW_SIZE), path);
    }

    private RegisterFile(MemorySegment window, Path path) {
        this.path = path;
        this.deleteOnClose = false;
        this.segment = window;
        this.arena = null;
    }

    private RegisterFile(Path path, boolean deleteOnClose) {
        this.path = path;
        this.deleteOnClose = deleteOnClose;
        // Shared: the model writes from the npu thread and from every context that makes an MMIO upcall.
        Arena a = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            this.segment = ch.map(FileChannel.MapMode.READ_WRITE, 0, Regs.WINDOW_SIZE, a);
        } catch (IOException e) {
            a.close();
            throw new IllegalArgumentException(prefix(path) + "cannot be mapped (" + e.getMessage()
                    + "); pass a file on a local or tmpfs file system", e);
        }
        this.arena = a;
    }

    /**
     * A fresh zeroed register file in a temporary file (on /dev/shm when there is one, as the
     * bench's default is tmpfs), deleted on close. For tests and Java-only runs.
     */
    public static RegisterFile createTemp() {
        Path dir = Path.of("/dev/shm");
        try {
            Path f = Files.isDirectory(dir) && Files.isWritable(dir)
                    ? Files.createTempFile(dir, "ethosu-regs-", ".bin")
                    : Files.createTempFile("ethosu-regs-", ".bin");
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                // A sparse file of the window's size: reads as zero, as the window does before the model sets it.
                ch.truncate(0);
                ch.write(java.nio.ByteBuffer.allocate(1), Regs.WINDOW_SIZE - 1);
            }
            return new RegisterFile(f, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary register file", e);
        }
    }

    public Path path() {
        return path;
    }

    /** The mapping itself, 4096 bytes; for bindings and viewers. Prefer read/write. */
    public MemorySegment segment() {
        return segment;
    }

    /** Acquire load of the register at byte offset off. */
    public int read(int off) {
        return (int) INT.getAcquire(segment, (long) checkOffset(off));
    }

    /** Release store of v to the register at byte offset off. */
    public void write(int off, int v) {
        INT.setRelease(segment, (long) checkOffset(off), v);
    }

    /** Unmaps the file, and deletes it if this object created it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed)
            return;
        closed = true;
        if (arena != null) arena.close();
        if (deleteOnClose) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete temporary register file " + path, e);
            }
        }
    }

    private static int checkOffset(int off) {
        if (!Regs.inWindow(off))
            throw new IllegalArgumentException(String.format(
                    "register offset 0x%x is not a 4-aligned offset inside the 4 KiB window", off));
        return off;
    }

    private static String prefix(Path p) {
        return "register file " + p + ": ";
    }

    private static Path checkUsable(Path path) {
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir))
            throw new IllegalArgumentException(prefix(path) + "directory " + dir
                    + " does not exist; create it or pass a path in an existing directory");
        if (!Files.exists(abs))
            throw new IllegalArgumentException(prefix(path)
                    + "does not exist; let the C library create it (ebench_dev_create) or use RegisterFile.createTemp()");
        if (!Files.isRegularFile(abs))
            throw new IllegalArgumentException(prefix(path) + "is not a regular file; pass the file the C library created");
        if (!Files.isReadable(abs) || !Files.isWritable(abs))
            throw new IllegalArgumentException(prefix(path)
                    + "is not readable and writable by this user; fix its permissions (chmod u+rw) or choose another path");
        long size;
        try {
            size = Files.size(abs);
        } catch (IOException e) {
            throw new IllegalArgumentException(prefix(path) + "cannot read its size (" + e.getMessage() + ")", e);
        }
        if (size != Regs.WINDOW_SIZE)
            throw new IllegalArgumentException(prefix(path) + "is " + size + " bytes, expected " + Regs.WINDOW_SIZE
                    + "; truncate it to " + Regs.WINDOW_SIZE + " bytes or let the C library create it");
        return path;
    }
}
