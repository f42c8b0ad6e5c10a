// FFM bindings of include/ethosu_mock.h (the mock GPU on the scheduler shims, native/bench/sched_mock.c)
// and a small wrapper over them for the shim tests: a MockScheduler, its Entity objects, their Jobs.
package ethosu.bench.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static ethosu.bench.bindings.EthosuLibrary.rethrow;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A mock scheduler on one device (ebench_mock_sched_create). Every call must come from a thread bound
 * to that device as a context (NativeDevice.bind); mock jobs stay readable until {@link #fini()}.
 */
public final class MockScheduler {
    public static final int ABI_VERSION = 1;

    // enum ebench_mock_answer
    public static final int ANSWER_RESET = 0, ANSWER_NO_HANG = 1, ANSWER_STOP_START = 2;
    // ebench_mock_sched_create() flags
    public static final int NO_CANCEL_JOB = 0x1;
    // enum drm_sched_priority
    public static final int PRIORITY_KERNEL = 0, PRIORITY_HIGH = 1, PRIORITY_NORMAL = 2, PRIORITY_LOW = 3;

    /** enum ebench_mock_job_state, in its order. */
    public enum State { QUEUED, RUNNING, HW_DONE, FINISHED, FREED }

    /** struct ebench_mock_counts: calls of the backend ops. */
    public record Counts(int run, int timedout, int freed, int cancelled) {}

    public static final StructLayout COUNTS = MemoryLayout.structLayout(
            JAVA_INT.withName("run"), JAVA_INT.withName("timedout"),
            JAVA_INT.withName("freed"), JAVA_INT.withName("cancelled"));

    /** A mock call returned a negative errno. */
    public static final class Failed extends RuntimeException {
        public final int errno;

        Failed(String call, int errno) {
            super(call + " failed: " + errno);
            this.errno = errno;
        }
    }

    /**
     * The raw handles of one variant library, named after the C symbols. Per library, not static: each
     * variant is its own .so with the same symbols, as in EthosuLibrary.
     */
    static final class Bindings {
        private static final Linker LINKER = Linker.nativeLinker();

        final Path path;
        final MethodHandle ebench_mock_abi, ebench_mock_sched_create, ebench_mock_sched_fini,
                ebench_mock_entity_create, ebench_mock_entity_destroy, ebench_mock_job_submit,
                ebench_mock_advance, ebench_mock_job_set_timedout_answer, ebench_mock_job_state,
                ebench_mock_job_error, ebench_mock_job_id, ebench_mock_job_wait_finished,
                ebench_mock_job_counts, ebench_mock_sched_counts;

        Bindings(Path path) {
            this.path = path;
            SymbolLookup lookup = SymbolLookup.libraryLookup(path, Arena.global());
            ebench_mock_abi = fn(lookup, "ebench_mock_abi", FunctionDescriptor.of(JAVA_INT));
            checkAbi();
            ebench_mock_sched_create = fn(lookup, "ebench_mock_sched_create",
                    FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
            ebench_mock_sched_fini = fn(lookup, "ebench_mock_sched_fini", FunctionDescriptor.ofVoid(ADDRESS));
            ebench_mock_entity_create = fn(lookup, "ebench_mock_entity_create",
                    FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
            ebench_mock_entity_destroy = fn(lookup, "ebench_mock_entity_destroy",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
            ebench_mock_job_submit = fn(lookup, "ebench_mock_job_submit",
                    FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
            ebench_mock_advance = fn(lookup, "ebench_mock_advance", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            ebench_mock_job_set_timedout_answer = fn(lookup, "ebench_mock_job_set_timedout_answer",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
            ebench_mock_job_state = fn(lookup, "ebench_mock_job_state", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            ebench_mock_job_error = fn(lookup, "ebench_mock_job_error", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            ebench_mock_job_id = fn(lookup, "ebench_mock_job_id", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            ebench_mock_job_wait_finished = fn(lookup, "ebench_mock_job_wait_finished",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            ebench_mock_job_counts = fn(lookup, "ebench_mock_job_counts", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
            ebench_mock_sched_counts = fn(lookup, "ebench_mock_sched_counts", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        }

        private MethodHandle fn(SymbolLookup lookup, String name, FunctionDescriptor fd) {
            MemorySegment sym = lookup.find(name).orElseThrow(() -> new IllegalStateException(
                    path + " has no symbol " + name + ": it is from another version of the bench, rebuild with `make`"));
            return LINKER.downcallHandle(sym, fd);
        }

        private void checkAbi() {
            int abi;
            try {
                abi = (int) ebench_mock_abi.invokeExact();
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (abi != ABI_VERSION) {
                throw new IllegalStateException(path + ": mock ABI " + abi + " in the library, " + ABI_VERSION
                        + " in the Java bindings: rebuild both with `make` (mismatched versions)");
            }
        }
    }

    private static final Map<Path, Bindings> BINDINGS = new ConcurrentHashMap<>();

    private final Bindings b;
    private final MemorySegment m;
    private volatile boolean finished;

    private MockScheduler(Bindings b, MemorySegment m) {
        this.b = b;
        this.m = m;
    }

    /**
     * ebench_mock_sched_create on a device whose driver was not probed (the mock takes the device's one
     * ordered workqueue). timeoutMs 0: no timeout. Throws {@link Failed} with the errno.
     */
    public static MockScheduler create(NativeDevice dev, int creditLimit, int timeoutMs, int flags) {
        Bindings b = BINDINGS.computeIfAbsent(dev.lib.path, Bindings::new);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ret = a.allocate(JAVA_INT);
            MemorySegment m = (MemorySegment) b.ebench_mock_sched_create.invokeExact(devHandle(dev), creditLimit,
                    timeoutMs, flags, ret);
            int err = ret.get(JAVA_INT, 0);
            if (m.equals(MemorySegment.NULL) || err != 0)
                throw new Failed("ebench_mock_sched_create", err);
            return new MockScheduler(b, m);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MemorySegment devHandle(NativeDevice dev) {
        return dev.handle();
    }

    private void live() {
        if (finished)
            throw new IllegalStateException("mock scheduler torn down: its jobs and entities are gone");
    }

    /** An entity at the given priority (PRIORITY_*). */
    public Entity entity(int priority) {
        live();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ret = a.allocate(JAVA_INT);
            MemorySegment e = (MemorySegment) b.ebench_mock_entity_create.invokeExact(m, priority, ret);
            int err = ret.get(JAVA_INT, 0);
            if (e.equals(MemorySegment.NULL) || err != 0)
                throw new Failed("ebench_mock_entity_create", err);
            return new Entity(e);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** An entity at normal priority. */
    public Entity entity() {
        return entity(PRIORITY_NORMAL);
    }

    /** Completes the next n running jobs in run order; returns how many were running. */
    public int advance(int n) {
        live();
        try {
            return (int) b.ebench_mock_advance.invokeExact(m, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Backend-op calls of the whole mock. */
    public Counts counts() {
        live();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = a.allocate(COUNTS);
            b.ebench_mock_sched_counts.invokeExact(m, c);
            return counts(c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * ebench_mock_sched_fini: destroys the entities left, drm_sched_fini(), frees every mock job.
     * Idempotent; afterwards no entity or job of this mock may be used.
     */
    public synchronized void fini() {
        if (finished)
            return;
        finished = true;
        try {
            b.ebench_mock_sched_fini.invokeExact(m);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public boolean isFinished() {
        return finished;
    }

    private static Counts counts(MemorySegment c) {
        return new Counts(c.get(JAVA_INT, 0), c.get(JAVA_INT, 4), c.get(JAVA_INT, 8), c.get(JAVA_INT, 12));
    }

    /** A scheduler entity: a submission queue. */
    public final class Entity {
        private final MemorySegment e;
        private volatile boolean destroyed;

        private Entity(MemorySegment e) {
            this.e = e;
        }

        private void usable() {
            live();
            if (destroyed)
                throw new IllegalStateException("entity destroyed");
        }

        /**
         * Init, arm and push a job of the given credits. durationMs 0: it completes only through
         * {@link MockScheduler#advance}. dep: null, or a job whose finished fence this one waits for.
         */
        public Job submit(int credits, int durationMs, Job dep) {
            usable();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment ret = a.allocate(JAVA_INT);
                MemorySegment d = dep == null ? MemorySegment.NULL : dep.j;
                MemorySegment j = (MemorySegment) b.ebench_mock_job_submit.invokeExact(e, credits, durationMs, d, ret);
                int err = ret.get(JAVA_INT, 0);
                if (j.equals(MemorySegment.NULL) || err != 0)
                    throw new Failed("ebench_mock_job_submit", err);
                return new Job(j);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /** One credit, completed by advance(). */
        public Job submit() {
            return submit(1, 0, null);
        }

        /**
         * drm_sched_entity_destroy. Not killed: waits until the queue is empty (forever, if it never
         * empties). Killed (as on SIGKILL): waits at most 1 s of kernel time, then kills what is left.
         */
        public void destroy(boolean killed) {
            usable();
            destroyed = true;
            try {
                b.ebench_mock_entity_destroy.invokeExact(e, killed ? 1 : 0);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }
    }

    /** A submitted job; readable until the mock's fini. */
    public final class Job {
        private final MemorySegment j;
        private final int id;

        private Job(MemorySegment j) {
            this.j = j;
            try {
                this.id = (int) b.ebench_mock_job_id.invokeExact(j);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /** Its id in traces and events ("job<id>.finished"): 1, 2, ... per mock. */
        public int id() {
            return id;
        }

        public State state() {
            live();
            try {
                return State.values()[(int) b.ebench_mock_job_state.invokeExact(j)];
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /** Error of the finished fence: 0 while unsignalled or without error. */
        public int error() {
            live();
            try {
                return (int) b.ebench_mock_job_error.invokeExact(j);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /** What the mock's timedout_job answers for this job from now on (ANSWER_*). */
        public void setTimedoutAnswer(int answer) {
            live();
            try {
                b.ebench_mock_job_set_timedout_answer.invokeExact(j, answer);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /** Waits for the finished fence, at most timeoutMs of kernel time; true if it signalled. */
        public boolean waitFinished(int timeoutMs) {
            live();
            int r;
            try {
                r = (int) b.ebench_mock_job_wait_finished.invokeExact(j, timeoutMs);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (r < 0)
                throw new Failed("ebench_mock_job_wait_finished", r);
            return r == 1;
        }

        /** Backend-op calls for this job. */
        public Counts counts() {
            live();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment c = a.allocate(COUNTS);
                b.ebench_mock_job_counts.invokeExact(j, c);
                return MockScheduler.counts(c);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override
        public String toString() {
            return "job" + id;
        }
    }
}
