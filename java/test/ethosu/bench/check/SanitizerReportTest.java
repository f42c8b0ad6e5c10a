// Sanitizer reports become findings worded as the kernel's checkers word theirs, with their first
// frames and without addresses (so one bug found by many schedules is one finding).
package ethosu.bench.check;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SanitizerReportTest {
    static final String ASAN = """
            =================================================================
            ==23897==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x603000382824 at pc 0x7fe276510a02 bp 0x7fe2 sp 0x7fe2
            READ of size 4 at 0x603000382824 thread T22
                #0 0x7fe276510a01 in ethosu_job_timedout build/san-address/locked/src/drivers/accel/ethosu/ethosu_job.c:275
                #1 0x7fe27652cf88 in drm_sched_job_timedout native/kshim/sched_main.c:532
                #2 0x7fe27653b8a4 in kshim_wq_loop native/kshim/workqueue.c:446
                #3 0x7fe4064a3b1d  (<unknown module>)

            0x603000382824 is located 0 bytes to the right of 20-byte region [0x603000382810,0x603000382824)
            allocated by thread T26 here:
                #0 0x7fe419cb83b7 in __interceptor_calloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:77
                #1 0x7fe276540209 in ethosu_gem_create_object native/bench/gem.c:58
            """;

    @Test
    void heapOverflowIsASlabOutOfBoundsInItsFunction() {
        Finding f = SanitizerReport.finding(ASAN, "timeout_wq");
        assertEquals(Finding.Check.MEMORY_SAFETY, f.check());
        assertEquals("BUG: KASAN: slab-out-of-bounds in ethosu_job_timedout: Read of size 4, 0 bytes to the right of "
                + "20-byte region; at ethosu_job_timedout ethosu_job.c:275 < drm_sched_job_timedout sched_main.c:532 "
                + "< kshim_wq_loop workqueue.c:446", f.text());
        assertEquals("timeout_wq", f.context());
    }

    @Test
    void reportsOfOneBugAtOtherAddressesAreOneFinding() {
        String other = ASAN.replace("0x603000382824", "0x6030000b10b4").replace("T22", "T24");
        Finding a = SanitizerReport.finding(ASAN, "x"), b = SanitizerReport.finding(other, "x");
        assertEquals(a.identity(), b.identity());
        assertEquals("MEMORY_SAFETY/slab-out-of-bounds Read at ethosu_job_timedout", a.identity());
    }

    @Test
    void useAfterFreeAndWritesAreWordedAsKasan() {
        String uaf = ASAN.replace("heap-buffer-overflow", "heap-use-after-free").replace("READ of size 4", "WRITE of size 8");
        assertTrue(SanitizerReport.finding(uaf, "x").text().startsWith(
                "BUG: KASAN: slab-use-after-free in ethosu_job_timedout: Write of size 8"), uaf);
    }

    @Test
    void theLastReportOfSeveralIsTheOne() {
        String two = ASAN + ASAN.replace("ethosu_job_timedout", "ethosu_job_run");
        assertTrue(SanitizerReport.finding(two, "x").text().startsWith("BUG: KASAN: slab-out-of-bounds in ethosu_job_run"));
    }

    @Test
    void unsymbolizedFramesAreAskedOfAddr2lineOrLeftOut() {
        String raw = """
                ==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1 at pc 0x2 bp 0x3 sp 0x4
                READ of size 4 at 0x1 thread T1
                    #0 0x7f5e2ba1665d  (/nonexistent/lib/libethosu.so+0x4f65d)
                """;
        Finding f = SanitizerReport.finding(raw, "x");
        assertEquals("BUG: KASAN: slab-out-of-bounds in an unknown function: Read of size 4", f.text());
    }

    @Test
    void ubsanReportIsWordedAsTheKernelsUbsan() {
        String ub = """
                native/kshim/slab.c:176:2: runtime error: member access within misaligned address 0x7f8938247d38 for type 'struct kshim_obj', which requires 16 byte alignment
                0x7f8938247d38: note: pointer points here
                    #0 0x7f893a54a48b in kshim_rcu_quiescent native/kshim/slab.c:176
                    #1 0x7f893a5545c8 in drm_gem_handle_create native/bench/gem.c:81
                """;
        Finding f = SanitizerReport.finding(ub, "client-0");
        assertEquals(Finding.Check.UNDEFINED_BEHAVIOUR, f.check());
        assertEquals("UBSAN: misaligned-access in kshim_rcu_quiescent (slab.c:176): member access within misaligned "
                + "address # for type 'struct kshim_obj', which requires 16 byte alignment; at kshim_rcu_quiescent slab.c:176 "
                + "< drm_gem_handle_create gem.c:81", f.text());
        assertEquals("shift-out-of-bounds", SanitizerReport.ubsanKind("shift exponent 40 is too large for 32-bit type 'int'"));
        assertEquals("array-index-out-of-bounds", SanitizerReport.ubsanKind("index 9 out of bounds for type 'u32 [8]'"));
    }

    @Test
    void onlyAReportThatStoppedTheProcessIsItsCrash() {
        // recovered ASan reports stay in the log; a later fatal UBSan report is what stopped the worker
        String ub = "native/driver/ethosu_job.c:90:3: runtime error: shift exponent 40 is too large for 32-bit type 'int'\n"
                + "    #0 0x7f in ethosu_job_hw_submit native/driver/ethosu_job.c:90\n";
        assertNull(SanitizerReport.fatalFinding(ASAN));
        assertEquals(Finding.Check.UNDEFINED_BEHAVIOUR, SanitizerReport.fatalFinding(ASAN + ub).check());
        assertTrue(SanitizerReport.fatalFinding(ASAN + ub).text().startsWith(
                "UBSAN: shift-out-of-bounds in ethosu_job_hw_submit (ethosu_job.c:90)"));
        Finding segv = SanitizerReport.fatalFinding(ub + ASAN.replace("heap-buffer-overflow", "SEGV") + "==23897==ABORTING\n");
        assertTrue(segv.text().startsWith("BUG: KASAN: wild-memory-access in ethosu_job_timedout:"), segv.text());
    }

    @Test
    void logFileIsTheRuntimesLogPathWithThePid() {
        assertEquals(java.nio.file.Path.of("/t/report.42"), SanitizerReport.logFile(
                Map.of("ASAN_OPTIONS", "detect_leaks=0:log_path=/t/report"), 42));
        assertEquals(java.nio.file.Path.of("/u.7"), SanitizerReport.logFile(Map.of("UBSAN_OPTIONS", "log_path=/u"), 7));
        assertNull(SanitizerReport.logFile(Map.of(), 1));
    }

    @Test
    void unsymbolizedFramesOfABuiltLibraryAreSymbolized() throws Exception {
        // the sanitizer builds live in build/san-address+undefined/: a '+' in the path
        java.nio.file.Path lib = java.nio.file.Path.of(System.getProperty("ethosu.build", "build"), "locked", "libethosu.so");
        assertTrue(java.nio.file.Files.isRegularFile(lib), "no " + lib + ": run through make");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("san-a+b");
        java.nio.file.Path copy = java.nio.file.Files.copy(lib, dir.resolve("libethosu.so"));
        String nm = new String(new ProcessBuilder("nm", "-D", "--defined-only", copy.toString()).start().getInputStream()
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String off = nm.lines().filter(l -> l.endsWith(" ebench_layout")).findFirst().orElseThrow().split(" ")[0];
        String raw = "==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1 at pc 0x2 bp 0x3 sp 0x4\n"
                + "READ of size 4 at 0x1 thread T1\n"
                + "    #0 0x7f5e2ba1665d  (" + copy + "+0x" + off.replaceFirst("^0+", "") + ")\n";
        assertTrue(SanitizerReport.finding(raw, "x").text().startsWith("BUG: KASAN: slab-out-of-bounds in ebench_layout:"),
                SanitizerReport.finding(raw, "x").text());
        java.nio.file.Files.delete(copy);
        java.nio.file.Files.delete(dir);
    }

    @Test
    void textWithoutAReportIsNone() {
        assertNull(SanitizerReport.finding("hs_err: SIGSEGV", "x"));
        assertFalse(SanitizerReport.isReport("nothing here"));
    }
}
