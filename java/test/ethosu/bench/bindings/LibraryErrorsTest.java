// A bad environment gets one clear line naming the fix: a missing variant library, an unusable register
// file path, a library from another version of the bench.
package ethosu.bench.bindings;

import ethosu.bench.input.BadInputException;
import ethosu.bench.control.Runs;
import ethosu.bench.control.strategy.DefaultScheduler;
import ethosu.bench.kernel.FreeRunning;
import ethosu.bench.kernel.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class LibraryErrorsTest {
    @TempDir
    Path tmp;

    static void assertOneLine(String msg) {
        assertNotNull(msg);
        assertFalse(msg.isBlank(), "empty message");
        assertFalse(msg.contains("\n"), "one line: " + msg);
    }

    // ---- the variant library ----

    @Test
    void missingLibraryPathSaysRunMake() {
        Path lib = tmp.resolve("nowhere").resolve("libethosu.so");
        BadInputException e = assertThrows(BadInputException.class, () -> EthosuLibrary.load(lib));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains(lib.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("run `make`"), e.getMessage());
    }

    @Test
    void unbuiltVariantSaysRunMake() {
        BadInputException e = assertThrows(BadInputException.class, () -> EthosuLibrary.load("no-such-variant"));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains("'no-such-variant': no such variant built under"), e.getMessage());
        assertTrue(e.getMessage().contains("run `make`"), e.getMessage());
    }

    @Test
    void directoryAsLibrarySaysRunMake() throws IOException {
        Path lib = Files.createDirectory(tmp.resolve("libethosu.so"));
        BadInputException e = assertThrows(BadInputException.class, () -> EthosuLibrary.load(lib));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains(lib.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("run `make`"), e.getMessage());
    }

    /** Builds a small shared library from C source with the toolchain `make` uses (it built the variants, so it is there). */
    private Path compile(String name, String source) throws Exception {
        Path src = tmp.resolve(name + ".c"), out = tmp.resolve(name + ".so");
        Files.writeString(src, source);
        Process p;
        try {
            p = new ProcessBuilder(List.of("gcc", "-shared", "-fPIC", "-Wl,-z,noexecstack", "-o", out.toString(),
                    src.toString())).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("gcc, which make used for the variants, cannot be started: " + e.getMessage(), e);
        }
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gcc did not finish");
        assertEquals(0, p.exitValue(), "gcc could not build a test library: " + log);
        return out;
    }

    @Test
    void libraryOfAnotherAbiSaysRebuild() throws Exception {
        // ebench_layout reporting another ABI version, all else zero: the first field checked is the ABI
        Path lib = compile("wrongabi", """
                #include <string.h>
                void ebench_layout(int *l) { memset(l, 0, %d); l[0] = %d; }
                const char *ebench_variant(void) { return "wrong-abi"; }
                """.formatted(ethosu.bench.bindings.gen.ebench_sizes.sizeof(), EthosuLibrary.ABI_VERSION + 1));
        BadInputException e = assertThrows(BadInputException.class, () -> EthosuLibrary.load(lib));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains(lib.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("abi is " + (EthosuLibrary.ABI_VERSION + 1) + " in the library, "
                + EthosuLibrary.ABI_VERSION + " in the Java bindings"), e.getMessage());
        assertTrue(e.getMessage().contains("rebuild both with `make`"), e.getMessage());
    }

    @Test
    void libraryWithoutTheBenchApiSaysRebuild() throws Exception {
        Path lib = compile("notbench", "int unrelated(void) { return 0; }\n");
        BadInputException e = assertThrows(BadInputException.class, () -> EthosuLibrary.load(lib));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains(lib.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("has no symbol ebench_layout"), e.getMessage());
        assertTrue(e.getMessage().contains("rebuild with `make`"), e.getMessage());
    }

    // ---- the register file ----

    private void assertRegsPathRejected(Path regs) {
        EthosuLibrary lib = EthosuLibrary.load("locked");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Harness(lib, Harness.Setup.defaults().withRegsPath(regs), new FreeRunning(1, 0)));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains(regs.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("pass a writable path"), e.getMessage());
        // nothing half-made is left behind: the library still makes a working device
        var r = Runs.run(lib, Harness.Setup.defaults(), new DefaultScheduler(), null, List.of(), null, null).result();
        assertEquals(List.of(), r.findings());
    }

    @Test
    void registerFileInMissingDirectoryNamesPathAndFix() {
        Path regs = tmp.resolve("missing").resolve("regs");
        assertRegsPathRejected(regs);
        assertFalse(Files.exists(regs.getParent()), "no directory was created");
    }

    @Test
    void registerFileThatIsADirectoryNamesPathAndFix() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("regs.d"));
        assertRegsPathRejected(dir);
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "the directory was left untouched");
        }
    }
}
