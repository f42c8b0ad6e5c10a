// FFM bindings of include/ethosu_mock.h (the mock GPU on the scheduler shims, native/bench/sched_mock.c)
// and a small wrapper over them for the shim tests: a MockScheduler, its Entity objects, their Jobs.
package ethosu.bench.bindings;

import ethosu.bench.bindings.gen.ebench_mock_abi_fn;
import ethosu.bench.bindings.gen.ebench_mock_advance_fn;
import ethosu.bench.bindings.gen.ebench_mock_counts;
import ethosu.bench.bindings.gen.ebench_mock_entity_create_fn;
import ethosu.bench.bindings.gen.ebench_mock_entity_destroy_fn;
import ethosu.bench.bindings.gen.ebench_mock_job_counts_fn;
import ethosu.bench.bindings.gen.ebench_mock_job_error_fn;
import ethosu.bench.bindings.gen.ebench_mock_job_id_fn;
import ethosu.bench.bindings.gen.ebench_mock_job_set_timedout_answer_fn;
import ethosu.bench.bindings.gen.ebench_mock_job_state_fn;
import ethosu.bench.bindings.gen.ebench_mock_job_submit_fn;
import ethosu.bench.bindings.gen.ebench_mock_job_wait_finished_fn;
import ethosu.bench.bindings.gen.ebench_mock_sched_counts_fn;
import ethosu.bench.bindings.gen.ebench_mock_sched_create_fn;
import ethosu.bench.bindings.gen.ebench_mock_sched_fini_fn;
import ethosu.bench.bindings.gen.ethosu_mock_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static ethosu.bench.bindings.EthosuLibrary.rethrow;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A mock scheduler on one device (ebench_mock_sched_create). Every call must come from a thread bound
 * to that device as a context (NativeDevice.bind); mock jobs stay readable until {@link #fini()}.
 */
public final class MockScheduler {
    public static final int ABI_VERSION = ethosu_mock_h.EBENCH_MOCK_ABI_VERSION();

    // enum ebench_mock_answer
    public static final int ANSWER_RESET = ethosu_mock_h.EBENCH_MOCK_ANSWER_RESET(),
            ANSWER_NO_HANG = ethosu_mock_h.EBENCH_MOCK_ANSWER_NO_HANG(),
            ANSWER_STOP_START = ethosu_mock_h.EBENCH_MOCK_ANSWER_STOP_START();
    // ebench_mock_sched_create() flags
    public static final int NO_CANCEL_JOB = ethosu_mock_h.EBENCH_MOCK_NO_CANCEL_JOB();
    // enum ebench_mock_priority
    public static final int PRIORITY_KERNEL = ethosu_mock_h.EBENCH_MOCK_PRIORITY_KERNEL(),
            PRIORITY_HIGH = ethosu_mock_h.EBENCH_MOCK_PRIORITY_HIGH(),
            PRIORITY_NORMAL = ethosu_mock_h.EBENCH_MOCK_PRIORITY_NORMAL(),
            PRIORITY_LOW = ethosu_mock_h.EBENCH_MOCK_PRIORITY_LOW();

    /** enum ebench_mock_job_state. */
    public enum State {
        QUEUED(ethosu_mock_h.EBENCH_MOCK_JOB_QUEUED()),
        RUNNING(ethosu_mock_h.EBENCH_MOCK_JOB_RUNNING()),
        HW_DONE(ethosu_mock_h.EBENCH_MOCK_JOB_HW_DONE()),
        FINISHED(ethosu_mock_h.EBENCH_MOCK_JOB_FINISHED()),
        FREED(ethosu_mock_h.EBENCH_MOCK_JOB_FREED());

        final int value;

        State(int value) {
            this.value = value;
        }

        static State of(int value) {
            for (State s : values()) if (s.value == value) return s;
            throw new IllegalStateException("unknown mock job state " + value);
        }
    }

    /** struct ebench_mock_counts: calls of the backend ops. */
    public record Counts(int run, int timedout, int freed, int cancelled) {}

    /** A mock call returned a negative errno. */
    public static final class Failed extends RuntimeException {
        public final int errno;

        Failed(String call, int errno) {
            super(call + " failed: " + errno);
            this.errno = errno;
        }
    }

    /**
     * The handles of one variant library, named after the C symbols, bound with the generated function
     * types. Per library, not static: each variant is its own .so with the same symbols.
     */
    static final class Bindings {
        final Path path;
        final MethodHandle ebench_mock_sched_create, ebench_mock_sched_fini, ebench_mock_entity_create,
                ebench_mock_entity_destroy, ebench_mock_entity_flush, ebench_mock_job_submit, ebench_mock_advance,
                ebench_mock_job_set_timedout_answer, ebench_mock_job_state, ebench_mock_job_error, ebench_mock_job_id,
                ebench_mock_job_wait_finished, ebench_mock_job_counts, ebench_mock_sched_counts;

        Bindings(EthosuLibrary lib) {
            this.path = lib.path;
            checkAbi(lib.bind("ebench_mock_abi", ebench_mock_abi_fn.descriptor()));
            ebench_mock_sched_create = lib.bind("ebench_mock_sched_create", ebench_mock_sched_create_fn.descriptor());
            ebench_mock_sched_fini = lib.bind("ebench_mock_sched_fini", ebench_mock_sched_fini_fn.descriptor());
            ebench_mock_entity_create = lib.bind("ebench_mock_entity_create", ebench_mock_entity_create_fn.descriptor());
            ebench_mock_entity_destroy = lib.bind("ebench_mock_entity_destroy", ebench_mock_entity_destroy_fn.descriptor());
            ebench_mock_entity_flush = lib.bind("ebench_mock_entity_flush",
                    ethosu.bench.bindings.gen.ebench_mock_entity_flush_fn.descriptor());
            ebench_mock_job_submit = lib.bind("ebench_mock_job_submit", ebench_mock_job_submit_fn.descriptor());
            ebench_mock_advance = lib.bind("ebench_mock_advance", ebench_mock_advance_fn.descriptor());
            ebench_mock_job_set_timedout_answer = lib.bind("ebench_mock_job_set_timedout_answer",
                    ebench_mock_job_set_timedout_answer_fn.descriptor());
            ebench_mock_job_state = lib.bind("ebench_mock_job_state", ebench_mock_job_state_fn.descriptor());
            ebench_mock_job_error = lib.bind("ebench_mock_job_error", ebench_mock_job_error_fn.descriptor());
            ebench_mock_job_id = lib.bind("ebench_mock_job_id", ebench_mock_job_id_fn.descriptor());
            ebench_mock_job_wait_finished = lib.bind("ebench_mock_job_wait_finished",
                    ebench_mock_job_wait_finished_fn.descriptor());
            ebench_mock_job_counts = lib.bind("ebench_mock_job_counts", ebench_mock_job_counts_fn.descriptor());
            ebench_mock_sched_counts = lib.bind("ebench_mock_sched_counts", ebench_mock_sched_counts_fn.descriptor());
        }

        private void checkAbi(MethodHandle abiFn) {
            int abi;
            try {
                abi = (int) abiFn.invokeExact();
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
        Bindings b = BINDINGS.computeIfAbsent(dev.lib.path, p -> new Bindings(dev.lib));
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
            MemorySegment c = ebench_mock_counts.allocate(a);
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
        return new Counts(ebench_mock_counts.run(c), ebench_mock_counts.timedout(c), ebench_mock_counts.freed(c),
                ebench_mock_counts.cancelled(c));
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

        /**
         * drm_sched_entity_flush alone, from the calling context (its process). Killed (as on SIGKILL):
         * waits at most 1 s, then kills the queued jobs only if this process pushed last. Returns the
         * jiffies left of the 1 s.
         */
        public long flush(boolean killed) {
            usable();
            try {
                return (long) b.ebench_mock_entity_flush.invokeExact(e, killed ? 1 : 0);
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
                return State.of((int) b.ebench_mock_job_state.invokeExact(j));
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
                MemorySegment c = ebench_mock_counts.allocate(a);
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
