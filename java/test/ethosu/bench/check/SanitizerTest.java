// The baseline's sanitizer findings on a sanitizer build of the driver: each entry's schedule,
// replayed in a JVM with the ASan runtime preloaded, reports its finding in KASAN wording. The
// Makefile builds build/san-address/locked for it (`make test`).
package ethosu.bench.check;

import ethosu.bench.report.Baseline;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class SanitizerTest {
    static Path asanBuild() {
        String b = System.getProperty("ethosu.asan.build", "");
        assertFalse(b.isBlank(), "no ethosu.asan.build: run the tests through `make test`, which builds build/san-address/locked");
        Path p = Path.of(b);
        assertTrue(Files.isRegularFile(p.resolve("locked/libethosu.so")), "no ASan build of locked under " + p + ": `make test` builds it");
        return p;
    }

    static String asanRuntime() {
        String r = System.getProperty("ethosu.asan.runtime", "");
        assertTrue(!r.isBlank() && Files.isRegularFile(Path.of(r)), "no ASan runtime (ethosu.asan.runtime='" + r + "'): "
                + "`make test` finds it with gcc -print-file-name=libasan.so");
        return r;
    }

    /** Runs the command line in a JVM under ASan, as `make replay SANITIZE=address` does. */
    static String underAsan(Path build, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dethosu.build=" + build, "-cp", System.getProperty("java.class.path"),
                "ethosu.bench.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LD_PRELOAD", asanRuntime());
        pb.environment().put("ASAN_OPTIONS", "detect_leaks=0:halt_on_error=0:suppress_equal_pcs=0:allow_user_segv_handler=1"
                + ":malloc_context_size=4");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the ASan replay did not end");
        return "exit " + p.exitValue() + "\n" + new String(out, StandardCharsets.UTF_8);
    }

    @TestFactory
    Stream<DynamicTest> baselineSanitizerFindingsReplayUnderAsan() throws Exception {
        Baseline baseline = Baseline.load(Path.of("baseline/known-findings.txt"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Baseline.Entry e : baseline.entries()) {
            if (e.sanitizer() == null) continue;
            assertEquals("address", e.sanitizer(), e.id() + ": only ASan findings are replayed here");
            tests.add(DynamicTest.dynamicTest(e.id(), () -> {
                String out = underAsan(asanBuild(), "replay", "--schedule", e.schedule());
                String line = out.lines().filter(l -> l.startsWith("finding: ") && e.match().matcher(l).find())
                        .findFirst().orElse(null);
                assertNotNull(line, e.id() + ": finding not reproduced under ASan; replay said:\n" + out);
                assertTrue(line.contains("BUG: KASAN: "), line);
                assertTrue(out.contains("traces identical"), out);
            }));
        }
        assertFalse(tests.isEmpty(), "the baseline has no sanitizer finding (the driver's read past the command stream)");
        return tests.stream();
    }
}
