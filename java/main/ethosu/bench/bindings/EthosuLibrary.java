// Raw FFM bindings of include/ethosu_bench.h, one instance per variant library.
// Layouts are checked against what the library reports (ebench_layout) at load.
package ethosu.bench.bindings;

import ethosu.bench.input.BadInputException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

public final class EthosuLibrary {
    public static final int ABI_VERSION = 3;

    // enum ebench_ctx_kind
    public static final int CTX_MAIN = 0, CTX_CLIENT = 1, CTX_SUBMIT_WQ = 2, CTX_TIMEOUT_WQ = 3,
            CTX_SYSTEM_WQ = 4, CTX_HARDIRQ = 5, CTX_IRQ_THREAD = 6, CTX_NPU = 7;
    // enum ebench_platform
    public static final int FREE_RUNNING = 0, CONTROLLED = 1;
    // enum ebench_event
    public static final int EV_PRINTK = 1, EV_FINDING = 2, EV_JOB_INIT = 3, EV_JOB_RUN = 4,
            EV_JOB_DONE = 5, EV_JOB_FREE = 6, EV_HW_SIGNAL = 7, EV_TIMEDOUT = 8, EV_IRQ = 9,
            EV_RESET = 10, EV_TRACE = 11, EV_IRQ_THREAD_START = 12, EV_IRQ_THREAD_END = 13, EV_TIMEOUT_START = 14,
            EV_SANITIZER = 15;

    /** struct ebench_hooks: six function pointers. */
    public static final StructLayout HOOKS = MemoryLayout.structLayout(
            ADDRESS.withName("mmio_write"), ADDRESS.withName("event"), ADDRESS.withName("point"),
            ADDRESS.withName("wait"), ADDRESS.withName("wake"), ADDRESS.withName("now"));

    /** struct ebench_config. */
    public static final StructLayout CONFIG = MemoryLayout.structLayout(
            JAVA_INT.withName("abi"), JAVA_INT.withName("platform"), JAVA_INT.withName("npu_id"),
            JAVA_INT.withName("npu_config"), JAVA_INT.withName("sram_size"),
            JAVA_INT.withName("time_scale"), JAVA_INT.withName("trace_level"),
            JAVA_INT.withName("chaos"), JAVA_LONG.withName("cookie"),
            ADDRESS.withName("regs_path"), HOOKS.withName("hooks"));

    /** struct drm_ethosu_job. */
    public static final StructLayout JOB = MemoryLayout.structLayout(
            JAVA_INT.withName("cmd_bo"), JAVA_INT.withName("sram_size"),
            MemoryLayout.sequenceLayout(8, JAVA_INT).withName("region_bo_handles"));

    /** struct drm_ethosu_submit. */
    public static final StructLayout SUBMIT = MemoryLayout.structLayout(
            JAVA_LONG.withName("jobs"), JAVA_INT.withName("job_count"), JAVA_INT.withName("pad"));

    /** struct ethosu_validated_cmdstream_info. */
    public static final StructLayout INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("cmd_size"), MemoryLayout.paddingLayout(4),
            MemoryLayout.sequenceLayout(8, JAVA_LONG).withName("region_size"),
            MemoryLayout.sequenceLayout(8, java.lang.foreign.ValueLayout.JAVA_BOOLEAN).withName("output_region"));

    /** struct ebench_counters: twelve int64. */
    public static final StructLayout COUNTERS = MemoryLayout.structLayout(
            JAVA_LONG.withName("jobs_live"), JAVA_LONG.withName("fences_live"),
            JAVA_LONG.withName("bos_live"), JAVA_LONG.withName("pm_usage"),
            JAVA_LONG.withName("slab_live"), JAVA_LONG.withName("findings"),
            JAVA_LONG.withName("irqs"), JAVA_LONG.withName("spurious_irqs"),
            JAVA_LONG.withName("resets"), JAVA_LONG.withName("jobs_run"),
            JAVA_LONG.withName("jobs_done"), JAVA_LONG.withName("points"));

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("abi"), JAVA_INT.withName("config_size"), JAVA_INT.withName("off_platform"),
            JAVA_INT.withName("off_time_scale"), JAVA_INT.withName("off_cookie"),
            JAVA_INT.withName("off_regs_path"), JAVA_INT.withName("off_hooks"),
            JAVA_INT.withName("hooks_size"), JAVA_INT.withName("job_size"),
            JAVA_INT.withName("submit_size"), JAVA_INT.withName("off_submit_job_count"),
            JAVA_INT.withName("off_submit_pad"), JAVA_INT.withName("info_size"),
            JAVA_INT.withName("off_info_region_size"), JAVA_INT.withName("off_info_output_region"),
            JAVA_INT.withName("counters_size"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Map<Path, EthosuLibrary> LOADED = new ConcurrentHashMap<>();

    public final String variant;
    public final Path path;
    final MethodHandle devCreate, devRegsPath, devRegs, devProbe, devRemove, devCheckLeaks,
            devCounters, devDestroy, devFailAlloc, ctxBind, ctxUnbind, ctxLoop, hardirq,
            fileOpen, fileClose, boCreate, cmdBoCreate, boDmaAddr, boClose, submit, probeWritel, probePoints, ctxExiting, selftestLockOrder;

    private EthosuLibrary(Path path) {
        this.path = path;
        // Libraries stay loaded for the life of the process: upcalls may still be in flight.
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(path + " is not a loadable shared library (" + e.getMessage()
                    + "): rebuild it with `make`");
        }
        MethodHandle layoutFn = fn(lookup, "ebench_layout", FunctionDescriptor.ofVoid(ADDRESS));
        MethodHandle variantFn = fn(lookup, "ebench_variant", FunctionDescriptor.of(ADDRESS));
        checkLayout(layoutFn);
        try {
            MemorySegment v = (MemorySegment) variantFn.invokeExact();
            variant = v.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        devCreate = fn(lookup, "ebench_dev_create", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        devRegsPath = fn(lookup, "ebench_dev_regs_path", FunctionDescriptor.of(ADDRESS, ADDRESS));
        devRegs = fn(lookup, "ebench_dev_regs", FunctionDescriptor.of(ADDRESS, ADDRESS));
        devProbe = fn(lookup, "ebench_dev_probe", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        devRemove = fn(lookup, "ebench_dev_remove", FunctionDescriptor.ofVoid(ADDRESS));
        devCheckLeaks = fn(lookup, "ebench_dev_check_leaks", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        devCounters = fn(lookup, "ebench_dev_counters", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        devDestroy = fn(lookup, "ebench_dev_destroy", FunctionDescriptor.ofVoid(ADDRESS));
        devFailAlloc = fn(lookup, "ebench_dev_fail_alloc", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        ctxBind = fn(lookup, "ebench_ctx_bind", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
        ctxUnbind = fn(lookup, "ebench_ctx_unbind", FunctionDescriptor.ofVoid(ADDRESS));
        ctxLoop = fn(lookup, "ebench_ctx_loop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        hardirq = fn(lookup, "ebench_hardirq", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        fileOpen = fn(lookup, "ebench_file_open", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        fileClose = fn(lookup, "ebench_file_close", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        boCreate = fn(lookup, "ebench_bo_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        cmdBoCreate = fn(lookup, "ebench_cmd_bo_create",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        boDmaAddr = fn(lookup, "ebench_bo_dma_addr", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT));
        boClose = fn(lookup, "ebench_bo_close", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        submit = fn(lookup, "ebench_submit", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        ctxExiting = fn(lookup, "ebench_ctx_exiting", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        selftestLockOrder = fn(lookup, "ebench_selftest_lock_order", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        probeWritel = fn(lookup, "ebench_probe_writel", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        probePoints = fn(lookup, "ebench_probe_points", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** The library of a variant under the build directory (build/<variant>/libethosu.so). */
    public static EthosuLibrary load(String variant) {
        String problem = variantProblem(variant);
        if (problem != null) throw new BadInputException("variant '" + variant + "': " + problem);
        return load(buildDir().resolve(variant).resolve("libethosu.so"));
    }

    /** What a variant name may be: a directory name under build/, never a path. */
    public static final java.util.regex.Pattern VARIANT_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._+-]+");

    /**
     * Why a variant name cannot be loaded, or null: it must name a directory of build/ holding a
     * built library. Checked before anything is loaded, since loading runs the library's constructors.
     */
    public static String variantProblem(String variant) {
        if (variant == null || !VARIANT_NAME.matcher(variant).matches() || variant.equals(".") || variant.equals(".."))
            return "expected a variant name (letters, digits and . _ + -, not a path), built under build/: "
                    + String.join(", ", builtVariantsOrNone());
        if (!Files.isRegularFile(buildDir().resolve(variant).resolve("libethosu.so")))
            return "no such variant built under " + buildDir() + ", expected one of " + String.join(", ", builtVariantsOrNone())
                    + " (or add native/variants/" + variant + ".patch and run `make`)";
        return null;
    }

    private static java.util.List<String> builtVariantsOrNone() {
        try {
            java.util.List<String> b = builtVariants();
            return b.isEmpty() ? java.util.List.of("none yet: run `make`") : b;
        } catch (BadInputException e) {
            return java.util.List.of("none yet: run `make`");
        }
    }

    public static EthosuLibrary load(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new BadInputException("no variant library at " + abs + ": run `make` first");
        }
        return LOADED.computeIfAbsent(abs, EthosuLibrary::new);
    }

    /** build/ as the Makefile passes it (-Dethosu.build), else ./build. */
    public static Path buildDir() {
        String b = System.getProperty("ethosu.build");
        return Path.of(b == null || b.isBlank() ? "build" : b);
    }

    /** Variants built under build/, in a stable order (locked first). */
    public static java.util.List<String> builtVariants() {
        try (var s = Files.list(buildDir())) {
            return s.filter(p -> Files.isRegularFile(p.resolve("libethosu.so")))
                    .map(p -> p.getFileName().toString())
                    .sorted((a, b) -> rank(a) != rank(b) ? Integer.compare(rank(a), rank(b)) : a.compareTo(b))
                    .toList();
        } catch (java.io.IOException e) {
            throw new BadInputException("no variant libraries under " + buildDir().toAbsolutePath() + ": run `make` first");
        }
    }

    private static int rank(String v) {
        return v.equals("locked") ? 0 : v.equals("lockless") ? 1 : v.startsWith("mutant") ? 3 : 2;
    }

    private MethodHandle fn(SymbolLookup lookup, String name, FunctionDescriptor fd) {
        MemorySegment sym = lookup.find(name).orElseThrow(() -> new BadInputException(
                path + " has no symbol " + name + ": it is from another version of the bench, rebuild with `make`"));
        return LINKER.downcallHandle(sym, fd);
    }

    private void checkLayout(MethodHandle layoutFn) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment l = a.allocate(LAYOUT);
            layoutFn.invokeExact(l);
            int[] got = l.toArray(JAVA_INT);
            long[] want = {
                ABI_VERSION, CONFIG.byteSize(), off(CONFIG, "platform"), off(CONFIG, "time_scale"),
                off(CONFIG, "cookie"), off(CONFIG, "regs_path"), off(CONFIG, "hooks"), HOOKS.byteSize(),
                JOB.byteSize(), SUBMIT.byteSize(), off(SUBMIT, "job_count"), off(SUBMIT, "pad"),
                INFO.byteSize(), off(INFO, "region_size"), off(INFO, "output_region"), COUNTERS.byteSize(),
            };
            String[] names = {"abi", "config_size", "off_platform", "off_time_scale", "off_cookie",
                "off_regs_path", "off_hooks", "hooks_size", "job_size", "submit_size",
                "off_submit_job_count", "off_submit_pad", "info_size", "off_info_region_size",
                "off_info_output_region", "counters_size"};
            for (int i = 0; i < want.length; i++) {
                if (got[i] != want[i]) {
                    throw new BadInputException(path + ": " + names[i] + " is " + got[i] + " in the library, "
                            + want[i] + " in the Java bindings: rebuild both with `make` (mismatched versions)");
                }
            }
        } catch (BadInputException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long off(StructLayout s, String field) {
        return s.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
