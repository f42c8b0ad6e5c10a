// The register file as C will see it: little-endian words in a shared file, coherent across mappings,
// and a one-line error naming the fix when the path cannot be used.
package ethosu.bench.hw;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisterFileTest {
    @TempDir
    Path tmp;

    @Test
    void registersAreLittleEndianWordsAtTheirOffsets() throws Exception {
        try (RegisterFile rf = RegisterFile.createTemp()) {
            rf.write(Regs.QBASE, 0x11223344);
            rf.write(Regs.BASEP_HI(7), 0xcafef00d);
            byte[] bytes = Files.readAllBytes(rf.path());
            assertEquals(Regs.WINDOW_SIZE, bytes.length);
            assertArrayEquals(new byte[] {0x44, 0x33, 0x22, 0x11}, java.util.Arrays.copyOfRange(bytes, 0x10, 0x14));
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0xcafef00d, bb.getInt(Regs.BASEP_HI(7)));
            assertEquals(0x11223344, rf.read(Regs.QBASE));
        }
    }

    @Test
    void secondMappingOfTheSameFileSeesWritesBothWays() {
        try (RegisterFile a = RegisterFile.createTemp()) {
            RegisterFile b = new RegisterFile(a.path());
            try {
                a.write(Regs.STATUS, Regs.STATUS_STATE_RUNNING);
                assertEquals(Regs.STATUS_STATE_RUNNING, b.read(Regs.STATUS));
                b.write(Regs.CMD, Regs.CMD_CLEAR_IRQ);
                assertEquals(Regs.CMD_CLEAR_IRQ, a.read(Regs.CMD));
            } finally {
                b.close();
            }
            assertEquals(Regs.CMD_CLEAR_IRQ, a.read(Regs.CMD), "closing one mapping leaves the other");
        }
    }

    @Test
    void tempFileIsDeletedOnCloseAndCloseIsIdempotent() {
        RegisterFile rf = RegisterFile.createTemp();
        Path p = rf.path();
        assertTrue(Files.exists(p));
        rf.close();
        rf.close();
        assertFalse(Files.exists(p));
    }

    @Test
    void fileGivenByPathIsKeptOnClose() throws Exception {
        Path p = Files.write(tmp.resolve("regs"), new byte[Regs.WINDOW_SIZE]);
        new RegisterFile(p).close();
        assertTrue(Files.exists(p));
    }

    @Test
    void badPathGivesOneLineError() throws Exception {
        Path missingDir = tmp.resolve("nope/regs");
        assertOneLineError(missingDir, "does not exist; create it");
        assertOneLineError(tmp.resolve("absent"), "does not exist; let the C library create it");
        assertOneLineError(tmp, "is not a regular file");
        Path small = Files.write(tmp.resolve("small"), new byte[100]);
        assertOneLineError(small, "is 100 bytes, expected 4096; truncate it to 4096");
    }

    @Test
    void unwritableFileGivesOneLineError() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write any file");
        Path ro = Files.write(tmp.resolve("ro"), new byte[Regs.WINDOW_SIZE]);
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r--r--r--"));
        assertOneLineError(ro, "chmod u+rw");
    }

    @Test
    void misalignedOrOutOfWindowOffsetIsRejected() {
        try (RegisterFile rf = RegisterFile.createTemp()) {
            assertThrows(IllegalArgumentException.class, () -> rf.read(2));
            assertThrows(IllegalArgumentException.class, () -> rf.write(Regs.WINDOW_SIZE, 0));
            assertThrows(IllegalArgumentException.class, () -> rf.read(-4));
            rf.write(Regs.WINDOW_SIZE - 4, 7);
            assertEquals(7, rf.read(Regs.WINDOW_SIZE - 4));
        }
    }

    private static void assertOneLineError(Path p, String fix) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RegisterFile(p));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.startsWith("register file " + p + ": "), m);
        assertTrue(m.contains(fix), m);
    }
}
