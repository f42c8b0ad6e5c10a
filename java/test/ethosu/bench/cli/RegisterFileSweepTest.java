// The sweep of register files left by dead processes: only files nobody holds and old enough to be
// past their creator's mapping go; another process's live file, a young one and other names stay.
package ethosu.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

class RegisterFileSweepTest {
    @TempDir
    Path dir;

    private Path file(String name, boolean old) throws Exception {
        Path p = Files.write(dir.resolve(name), new byte[4096]);
        if (old) Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Workers.ORPHAN_AGE).minusSeconds(60)));
        return p;
    }

    @Test
    void removesOnlyOldRegisterFilesThatNoProcessHolds() throws Exception {
        Path orphan = file("ethosu-regs-orphan", true), young = file("ethosu-regs-young", false),
                held = file("ethosu-regs-held", true), other = file("other-old", true);
        try (FileChannel ch = FileChannel.open(held, StandardOpenOption.READ)) {
            assertEquals(1, Workers.sweepRegisterFiles(dir), "one file removed");
            assertFalse(Files.exists(orphan), "an old file nobody holds: a dead process's");
            assertTrue(Files.exists(young), "a young file may be between creation and mapping");
            assertTrue(Files.exists(held), "a file a live process has open is in use");
            assertTrue(Files.exists(other), "only the bench's register files");
        }
        assertEquals(1, Workers.sweepRegisterFiles(dir), "once closed, the held one is an orphan too");
        assertFalse(Files.exists(held));
    }
}
