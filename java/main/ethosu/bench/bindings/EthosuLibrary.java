// One variant library (build/<variant>/libethosu.so) with its entry points bound: every signature
// comes from the generated function types (bindings.gen), every symbol from this library's own
// lookup, since all variants export the same names and several load into one JVM.
package ethosu.bench.bindings;

import ethosu.bench.input.BadInputException;
import ethosu.bench.bindings.gen.drm_ethosu_job;
import ethosu.bench.bindings.gen.drm_ethosu_submit;
import ethosu.bench.bindings.gen.ebench_bo_close_fn;
import ethosu.bench.bindings.gen.ebench_bo_create_fn;
import ethosu.bench.bindings.gen.ebench_bo_dma_addr_fn;
import ethosu.bench.bindings.gen.ebench_break_step_fn;
import ethosu.bench.bindings.gen.ebench_cmd_bo_create_fn;
import ethosu.bench.bindings.gen.ebench_cmdstream_info;
import ethosu.bench.bindings.gen.ebench_config;
import ethosu.bench.bindings.gen.ebench_counters;
import ethosu.bench.bindings.gen.ebench_ctx_bind_fn;
import ethosu.bench.bindings.gen.ebench_ctx_exiting_fn;
import ethosu.bench.bindings.gen.ebench_ctx_loop_fn;
import ethosu.bench.bindings.gen.ebench_ctx_unbind_fn;
import ethosu.bench.bindings.gen.ebench_dev_check_leaks_fn;
import ethosu.bench.bindings.gen.ebench_dev_counters_fn;
import ethosu.bench.bindings.gen.ebench_dev_create_fn;
import ethosu.bench.bindings.gen.ebench_dev_destroy_fn;
import ethosu.bench.bindings.gen.ebench_dev_reset_fn;
import ethosu.bench.bindings.gen.ebench_dev_sched_fn;
import ethosu.bench.bindings.gen.ebench_dev_fail_alloc_fn;
import ethosu.bench.bindings.gen.ebench_dev_probe_fn;
import ethosu.bench.bindings.gen.ebench_dev_regs_fn;
import ethosu.bench.bindings.gen.ebench_dev_regs_path_fn;
import ethosu.bench.bindings.gen.ebench_dev_remove_fn;
import ethosu.bench.bindings.gen.ebench_event;
import ethosu.bench.bindings.gen.ebench_file_close_fn;
import ethosu.bench.bindings.gen.ebench_file_open_fn;
import ethosu.bench.bindings.gen.ebench_hardirq_fn;
import ethosu.bench.bindings.gen.ebench_hooks;
import ethosu.bench.bindings.gen.ebench_label_text_fn;
import ethosu.bench.bindings.gen.ebench_sizes;
import ethosu.bench.bindings.gen.ebench_layout_fn;
import ethosu.bench.bindings.gen.ebench_probe_points_fn;
import ethosu.bench.bindings.gen.ebench_probe_writel_fn;
import ethosu.bench.bindings.gen.ebench_selftest_lock_order_fn;
import ethosu.bench.bindings.gen.ebench_submit_fn;
import ethosu.bench.bindings.gen.ebench_thread_frames_fn;
import ethosu.bench.bindings.gen.ebench_variant_fn;
import ethosu.bench.bindings.gen.ethosu_bench_h;
import ethosu.bench.event.Label;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

public final class EthosuLibrary {
    /** EBENCH_ABI_VERSION of the header the bindings were generated from. */
    public static final int ABI_VERSION = ethosu_bench_h.EBENCH_ABI_VERSION();

    // enum ebench_ctx_kind
    public static final int CTX_MAIN = ethosu_bench_h.EBENCH_CTX_MAIN(), CTX_CLIENT = ethosu_bench_h.EBENCH_CTX_CLIENT(),
            CTX_SUBMIT_WQ = ethosu_bench_h.EBENCH_CTX_SUBMIT_WQ(), CTX_TIMEOUT_WQ = ethosu_bench_h.EBENCH_CTX_TIMEOUT_WQ(),
            CTX_SYSTEM_WQ = ethosu_bench_h.EBENCH_CTX_SYSTEM_WQ(), CTX_HARDIRQ = ethosu_bench_h.EBENCH_CTX_HARDIRQ(),
            CTX_IRQ_THREAD = ethosu_bench_h.EBENCH_CTX_IRQ_THREAD(), CTX_NPU = ethosu_bench_h.EBENCH_CTX_NPU();
    // enum ebench_platform
    public static final int FREE_RUNNING = ethosu_bench_h.EBENCH_FREE_RUNNING(),
            CONTROLLED = ethosu_bench_h.EBENCH_CONTROLLED();

    /** Labels are ids from 1 up to this (label.c, LABELS_MAX is no larger). */
    private static final int LABELS = 4097;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Map<Path, EthosuLibrary> LOADED = new ConcurrentHashMap<>();

    public final String variant;
    public final Path path;
    private final SymbolLookup lookup;
    final MethodHandle devCreate, devRegsPath, devRegs, devProbe, devRemove, devCheckLeaks, devCounters,
            devDestroy, devReset, devSched, devFailAlloc, devFail, devSchedPolicy, ctxBind, ctxUnbind, ctxLoop, hardirq,
            fileOpen, fileClose, boCreate, cmdBoCreate, boDmaAddr, boClose, submit, ctxExiting, selftestLockOrder,
            selftestIrq, selftestKshim, probeWritel, probePoints, breakStep, threadFrames;
    private final MethodHandle labelText;
    private final AtomicReferenceArray<Label> labels = new AtomicReferenceArray<>(LABELS);

    private EthosuLibrary(Path path) {
        this.path = path;
        // Libraries stay loaded for the life of the process: upcalls may still be in flight.
        try {
            lookup = SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(path + " is not a loadable shared library (" + e.getMessage()
                    + "): rebuild it with `make`");
        }
        checkLayout(bind("ebench_layout", ebench_layout_fn.descriptor()));
        try {
            MemorySegment v = (MemorySegment) bind("ebench_variant", ebench_variant_fn.descriptor()).invokeExact();
            variant = v.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        labelText = bind("ebench_label_text", ebench_label_text_fn.descriptor());
        devCreate = bind("ebench_dev_create", ebench_dev_create_fn.descriptor());
        devRegsPath = bind("ebench_dev_regs_path", ebench_dev_regs_path_fn.descriptor());
        devRegs = bind("ebench_dev_regs", ebench_dev_regs_fn.descriptor());
        devProbe = bind("ebench_dev_probe", ebench_dev_probe_fn.descriptor());
        devRemove = bind("ebench_dev_remove", ebench_dev_remove_fn.descriptor());
        devCheckLeaks = bind("ebench_dev_check_leaks", ebench_dev_check_leaks_fn.descriptor());
        devCounters = bind("ebench_dev_counters", ebench_dev_counters_fn.descriptor());
        devDestroy = bind("ebench_dev_destroy", ebench_dev_destroy_fn.descriptor());
        devReset = bind("ebench_dev_reset", ebench_dev_reset_fn.descriptor());
        devSched = bind("ebench_dev_sched", ebench_dev_sched_fn.descriptor());
        devFailAlloc = bind("ebench_dev_fail_alloc", ebench_dev_fail_alloc_fn.descriptor());
        devFail = bind("ebench_dev_fail", ethosu.bench.bindings.gen.ebench_dev_fail_fn.descriptor());
        devSchedPolicy = bind("ebench_dev_sched_policy", ethosu.bench.bindings.gen.ebench_dev_sched_policy_fn.descriptor());
        ctxBind = bind("ebench_ctx_bind", ebench_ctx_bind_fn.descriptor());
        ctxUnbind = bind("ebench_ctx_unbind", ebench_ctx_unbind_fn.descriptor());
        ctxLoop = bind("ebench_ctx_loop", ebench_ctx_loop_fn.descriptor());
        hardirq = bind("ebench_hardirq", ebench_hardirq_fn.descriptor());
        fileOpen = bind("ebench_file_open", ebench_file_open_fn.descriptor());
        fileClose = bind("ebench_file_close", ebench_file_close_fn.descriptor());
        boCreate = bind("ebench_bo_create", ebench_bo_create_fn.descriptor());
        cmdBoCreate = bind("ebench_cmd_bo_create", ebench_cmd_bo_create_fn.descriptor());
        boDmaAddr = bind("ebench_bo_dma_addr", ebench_bo_dma_addr_fn.descriptor());
        boClose = bind("ebench_bo_close", ebench_bo_close_fn.descriptor());
        submit = bind("ebench_submit", ebench_submit_fn.descriptor());
        ctxExiting = bind("ebench_ctx_exiting", ebench_ctx_exiting_fn.descriptor());
        selftestLockOrder = bind("ebench_selftest_lock_order", ebench_selftest_lock_order_fn.descriptor());
        selftestIrq = bind("ebench_selftest_irq", ethosu.bench.bindings.gen.ebench_selftest_irq_fn.descriptor());
        selftestKshim = bind("ebench_selftest_kshim", ethosu.bench.bindings.gen.ebench_selftest_kshim_fn.descriptor());
        probeWritel = bind("ebench_probe_writel", ebench_probe_writel_fn.descriptor());
        probePoints = bind("ebench_probe_points", ebench_probe_points_fn.descriptor());
        breakStep = bind("ebench_break_step", ebench_break_step_fn.descriptor());
        threadFrames = bind("ebench_thread_frames", ebench_thread_frames_fn.descriptor());
    }

    /**
     * The C frames of thread tid of this process into pcs, innermost first (ebench_thread_frames):
     * the interrupted instruction, then return addresses; their number, or -errno when the thread
     * could not be sampled. With stop, the thread stays parked in the sampling signal's handler.
     */
    public int threadFrames(int tid, boolean stop, long[] pcs, int timeoutMs) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(ValueLayout.JAVA_LONG, pcs.length);
            int n = (int) threadFrames.invokeExact(tid, stop ? 1 : 0, buf, pcs.length, timeoutMs);
            for (int i = 0; i < n; i++) pcs[i] = buf.getAtIndex(ValueLayout.JAVA_LONG, i);
            return n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Calls ebench_break_step (a no-op gdb breaks on) with the step and what the chosen context does there. */
    public void breakAtStep(int step, String context, String label) {
        try (Arena a = Arena.ofConfined()) {
            breakStep.invokeExact(step, a.allocateFrom(context), a.allocateFrom(label));
        } catch (Throwable t) {
            throw rethrow(t);
        }
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
    public static List<String> builtVariants() {
        try (var s = Files.list(buildDir())) {
            return s.filter(p -> Files.isRegularFile(p.resolve("libethosu.so")))
                    .map(p -> p.getFileName().toString())
                    .sorted((a, b) -> rank(a) != rank(b) ? Integer.compare(rank(a), rank(b)) : a.compareTo(b))
                    .toList();
        } catch (java.io.IOException e) {
            throw new BadInputException("no variant libraries under " + buildDir().toAbsolutePath() + ": run `make` first");
        }
    }

    /**
     * A test variant (native/variants/test: a driver that crashes, deadlocks or spins, for the bench's
     * own containment tests): built with the others, run only when named.
     */
    public static boolean testVariant(String v) {
        return Files.exists(buildDir().resolve(v).resolve("test-variant"));
    }

    /** What a session runs when no variant is named: every built one but the test variants. */
    public static List<String> defaultVariants() {
        return builtVariants().stream().filter(v -> !testVariant(v)).toList();
    }

    private static int rank(String v) {
        return v.equals("locked") ? 0 : v.equals("lockless") ? 1 : v.startsWith("mutant") ? 3 : 2;
    }

    /** This library's symbol, bound with a generated descriptor; other C APIs of the library use it too. */
    MethodHandle bind(String name, FunctionDescriptor fd) {
        MemorySegment sym = lookup.find(name).orElseThrow(() -> new BadInputException(
                path + " has no symbol " + name + ": it is from another version of the bench, rebuild with `make`"));
        return LINKER.downcallHandle(sym, fd);
    }

    /**
     * A label of this library by id, its text fetched on first use. Null for id 0 (none) or an id the
     * library does not know (a bench bug the caller reports).
     */
    public Label label(int id) {
        if (id <= 0 || id >= LABELS) return null;
        Label l = labels.getPlain(id);
        if (l != null) return l;
        l = labels.get(id);
        if (l != null) return l;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment kind = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment text = (MemorySegment) labelText.invokeExact(id, kind);
            if (text.equals(MemorySegment.NULL)) return null;
            l = new Label(id, kind.get(ValueLayout.JAVA_INT, 0), text.reinterpret(4096).getString(0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        labels.compareAndSet(id, null, l);
        return labels.get(id);
    }

    /** The library was built from the header the bindings were generated from: same ABI and sizes. */
    private void checkLayout(MethodHandle layoutFn) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment l = a.allocate(ebench_sizes.layout());
            layoutFn.invokeExact(l);
            check("abi", ebench_sizes.abi(l), ABI_VERSION);
            check("config_size", ebench_sizes.config_size(l), ebench_config.sizeof());
            check("hooks_size", ebench_sizes.hooks_size(l), ebench_hooks.sizeof());
            check("event_size", ebench_sizes.event_size(l), ebench_event.sizeof());
            check("cmdstream_info_size", ebench_sizes.cmdstream_info_size(l), ebench_cmdstream_info.sizeof());
            check("counters_size", ebench_sizes.counters_size(l), ebench_counters.sizeof());
            check("job_size", ebench_sizes.job_size(l), drm_ethosu_job.sizeof());
            check("submit_size", ebench_sizes.submit_size(l), drm_ethosu_submit.sizeof());
        } catch (BadInputException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void check(String what, long inLibrary, long inBindings) {
        if (inLibrary != inBindings) {
            throw new BadInputException(path + ": " + what + " is " + inLibrary + " in the library, " + inBindings
                    + " in the Java bindings: rebuild both with `make` (mismatched versions)");
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
