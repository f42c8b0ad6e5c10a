// Every error exit of DRM_IOCTL_ETHOSU_SUBMIT (ethosu-job-spec.md, sections 21 and 22) through the full
// ioctl path on both real variants, in C and in the Java model: the exact errno, the device still runs a
// good job afterwards, the bench itself stays clean, and each flaw the in-tree (mainline) driver has on
// these paths is reported.
package ethosu.bench.kernel;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.Runs;
import ethosu.bench.control.strategy.DefaultScheduler;
import ethosu.bench.check.Errno;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Finding.Check;
import ethosu.bench.hw.JobBehaviour;
import ethosu.bench.hw.JobRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntBiFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class SubmitErrorsTest {
    /** Default NPU SRAM of Harness.Setup (bytes). */
    static final int SRAM = Harness.Setup.defaults().sramSize();
    /** -EALREADY: what ww_mutex_lock returns for a lock its acquire context already holds (not in Errno). */
    static final int EALREADY = 114;

    /** A finding the run must report: its check and a distinctive part of its text (a regex). */
    record Expect(Check check, Pattern text, String why) {
        static Expect of(Check check, String regex, String why) {
            return new Expect(check, Pattern.compile(regex), why);
        }

        boolean matches(Finding f) {
            return f.check() == check && text.matcher(f.text()).find();
        }
    }

    // ---- the driver's findings on these paths ----

    /*
     * (a) done_fence leaks on every error exit after its allocation. ethosu_ioctl_submit_job allocates
     * ejob->done_fence right after the job, but only ethosu_job_cleanup (the kref release, reached after a
     * successful push) puts it; both error labels end in ethosu_job_err_cleanup, which puts the BOs and
     * frees the job but never frees done_fence. Mainline has the same two labels and the same err_cleanup,
     * so any user can leak one fence-sized object per bad submit, without bound.
     * The one object left is the done_fence, not the job: a failed done_fence allocation (alloc 3 below)
     * leaves nothing, a failure one allocation later (alloc 4) leaves this object.
     */
    static final Expect DONE_FENCE_LEAK = Expect.of(Check.LEAK,
            "^unreferenced object: 1 object\\(s\\) of \\d+ bytes allocated in ethosu_ioctl_submit_job never freed$",
            "(a) ethosu_job_err_cleanup does not free done_fence");

    /*
     * (b) A failed done_fence allocation jumps to out_cleanup_job, the label that calls
     * drm_sched_job_cleanup(&ejob->base) on a job drm_sched_job_init never saw: base.s_fence is NULL
     * (kzalloc'd job) and mainline's drm_sched_job_cleanup dereferences it (kref_read(&s_fence->finished
     * .refcount)): a user-triggerable oops under memory pressure. It should jump to out_put_job.
     */
    static final Expect CLEANUP_OOPS = Expect.of(Check.OOPS,
            "^BUG: kernel NULL pointer dereference in drm_sched_job_cleanup$",
            "(b) done_fence allocation failure cleans up an uninitialised scheduler job");

    /*
     * (c) ethosu_ioctl_submit passes the user's job_count straight to kvmalloc_objs: any count whose array
     * exceeds INT_MAX bytes (job_count > 53687091) hits kvmalloc's WARN_ON_ONCE for crazy sizes, a kernel
     * warning any user of the device node can trigger (and a panic with panic_on_warn). The ioctl should
     * bound job_count (or pass __GFP_NOWARN) before allocating.
     */
    static Expect kvmallocWarn(long jobCount) {
        long bytes = jobCount * ethosu.bench.bindings.gen.drm_ethosu_job.sizeof();
        return Expect.of(Check.KERNEL_WARNING,
                "^WARNING: kvmalloc of " + bytes + " bytes \\(> INT_MAX\\) from ethosu_ioctl_submit$",
                "(c) unbounded job_count reaches kvmalloc's WARN");
    }

    // ---- the harness ----

    /** What one scenario left: the bad submit's result and the torn-down device. */
    record Result(int ret, RunResult d, long goodId) {}

    static String describe(RunResult r) {
        return DriverTest.describe(r);
    }

    /** "locked": the variant's library; "model:locked": the Java model of it, which must give the same errno and findings. */
    static Engine engine(String variant) {
        return variant.startsWith("model:") ? new ethosu.bench.model.ModelEngine(variant.substring(6))
                : Engine.of(EthosuLibrary.load(variant));
    }

    static Result run(String variant, ToIntBiFunction<Harness, Client> bad) {
        return run(variant, Harness.Setup.defaults(), bad, c -> Client.JobArgs.of(c.createCmdBo(Client.Stream.simple(4))));
    }

    /**
     * A fresh device and one client: the bad submit, then (failAlloc disarmed) a good job on the same
     * client, which must be accepted and complete with 0; then teardown with its leak checks. Under
     * the controlled platform with the default scheduler: the client's calls run uninterrupted, as
     * they would on an idle machine, and every wait is in virtual time.
     */
    static Result run(String variant, Harness.Setup setup, ToIntBiFunction<Harness, Client> bad,
                      Function<Client, Client.JobArgs> good) {
        int[] ret = new int[1];
        long[] goodId = new long[1];
        Harness.ClientScript script = (h, ctx) -> {
            Client c = ctx.file();
            ret[0] = bad.applyAsInt(h, c);
            h.dut().failAlloc(0);
            Client.JobArgs g = good.apply(c);
            goodId[0] = c.dmaAddr(g.cmdBo());
            h.npu().setBehaviour(goodId[0], JobBehaviour.complete(10_000));
            assertEquals(0, c.submit(g), "good submit after the bad one (" + Errno.name(ret[0]) + ")");
        };
        RunResult r = Runs.run(engine(variant), setup, new DefaultScheduler(), null, List.of(script), null, null).result();
        r.rethrowFailures();
        assertEquals(0, r.results().get(goodId[0]), "good job's result\n" + describe(r));
        return new Result(ret[0], r, goodId[0]);
    }

    /** The run reported exactly these findings (each expectation matched by exactly one finding). */
    static void assertFindings(RunResult d, Expect... expected) {
        List<Finding> left = new ArrayList<>(d.findings());
        for (Expect e : expected) {
            Finding hit = left.stream().filter(e::matches).findFirst().orElse(null);
            assertNotNull(hit, "missing finding " + e.check() + " /" + e.text() + "/ (" + e.why() + ")\n" + describe(d));
            left.remove(hit);
        }
        assertEquals(List.of(), left, "unexpected findings (bench bugs unless the driver is at fault)\n" + describe(d));
    }

    /** The NPU ran exactly these jobs (QBASE), in order, all to completion. */
    static void assertRan(Result r, long... ids) {
        List<JobRecord> jobs = r.d().npu().jobs();
        assertEquals(java.util.Arrays.stream(ids).boxed().toList(),
                jobs.stream().map(JobRecord::qbase).toList(), "jobs the NPU ran\n" + describe(r.d()));
        assertEquals(jobs.size(), r.d().npu().completions().size(), "every job the NPU ran completed");
    }

    static void assertLogged(Result r, String line) {
        assertTrue(r.d().logged(line), "kernel log lacks \"" + line + "\"\n" + describe(r.d()));
    }

    static Client.JobArgs[] one(Client.JobArgs j) {
        return new Client.JobArgs[]{j};
    }

    // ---- section 22: ethosu_ioctl_submit ----

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void nonZeroPadIsEinval(String variant) {
        Result r = run(variant, (d, c) -> c.submitRaw(one(Client.JobArgs.of(c.createCmdBo(Client.Stream.simple(1)))), 1, 1, false));
        assertEquals(-Errno.EINVAL, r.ret());
        assertRan(r, r.goodId());
        assertFindings(r.d());
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void unreadableJobArrayIsEfault(String variant) {
        Result r = run(variant, (d, c) -> c.submitRaw(one(Client.JobArgs.of(c.createCmdBo(Client.Stream.simple(1)))), 1, 0, true));
        assertEquals(-Errno.EFAULT, r.ret());
        assertRan(r, r.goodId());
        // the job array is freed by __free(kvfree) on this exit: nothing left
        assertFindings(r.d());
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void hugeJobCountIsEnomemAndWarns(String variant) {
        Result r = run(variant, (d, c) -> c.submitRaw(new Client.JobArgs[0], 0x7fffffff, 0, false));
        assertEquals(-Errno.ENOMEM, r.ret());
        assertRan(r, r.goodId());
        assertFindings(r.d(), kvmallocWarn(0x7fffffffL));
        assertEquals("client-0", r.d().findings().get(0).context(), "warned in the ioctl's context");

        Result max = run(variant, (d, c) -> c.submitRaw(new Client.JobArgs[0], 0xffffffff, 0, false));
        assertEquals(-Errno.ENOMEM, max.ret());
        assertRan(max, max.goodId());
        assertFindings(max.d(), kvmallocWarn(0xffffffffL));
    }

    // ---- section 21: ethosu_ioctl_submit_job, checks before anything is allocated ----

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void sramRegionHandleWithSramSizeIsEinval(String variant) {
        Result r = run(variant, (d, c) -> {
            int cmd = c.createCmdBo(Client.Stream.simple(1).withRegion(2, 256, true));
            return c.submit(Client.JobArgs.of(cmd).withRegion(2, c.createBo(4096)).withSram(256));
        });
        assertEquals(-Errno.EINVAL, r.ret());
        assertRan(r, r.goodId());
        assertFindings(r.d()); // returns before the job is allocated: nothing leaks
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void sramSizeBeyondNpuSramIsEinval(String variant) {
        int sram = 0x1000;
        Result r = run(variant, Harness.Setup.defaults().withSram(sram),
                (d, c) -> c.submit(Client.JobArgs.of(c.createCmdBo(Client.Stream.simple(1))).withSram(sram + 1)),
                // the boundary: exactly the NPU's SRAM is accepted
                c -> Client.JobArgs.of(c.createCmdBo(Client.Stream.simple(4))).withSram(sram));
        assertEquals(-Errno.EINVAL, r.ret());
        assertRan(r, r.goodId());
        assertFindings(r.d());
    }

    // ---- section 21: after the job and done_fence are allocated (each leaks done_fence) ----

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void unknownCmdBoIsEnoent(String variant) {
        Result r = run(variant, (d, c) -> {
            int stale = c.createCmdBo(Client.Stream.simple(1));
            assertEquals(0, c.closeBo(stale));
            return c.submit(Client.JobArgs.of(stale));
        });
        assertEquals(-Errno.ENOENT, r.ret());
        assertRan(r, r.goodId());
        assertFindings(r.d(), DONE_FENCE_LEAK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void plainBoAsCmdBoIsEinval(String variant) {
        Result r = run(variant, (d, c) -> c.submit(Client.JobArgs.of(c.createBo(4096))));
        assertEquals(-Errno.EINVAL, r.ret());
        assertRan(r, r.goodId());
        assertFindings(r.d(), DONE_FENCE_LEAK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void handleForUnusedRegionIsEinval(String variant) {
        int[] bo = new int[1];
        Result r = run(variant, (d, c) -> {
            bo[0] = c.createBo(4096);
            return c.submit(Client.JobArgs.of(c.createCmdBo(Client.Stream.simple(1))).withRegion(3, bo[0]));
        });
        assertEquals(-Errno.EINVAL, r.ret());
        assertLogged(r, "Cmdstream BO handle " + bo[0] + " set for unused region 3");
        assertRan(r, r.goodId());
        assertFindings(r.d(), DONE_FENCE_LEAK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void unknownRegionHandleIsEnoent(String variant) {
        Result r = run(variant, (d, c) -> {
            int cmd = c.createCmdBo(Client.Stream.simple(1).withRegion(0, 256, false));
            return c.submit(Client.JobArgs.of(cmd).withRegion(0, 4242));
        });
        assertEquals(-Errno.ENOENT, r.ret());
        assertLogged(r, "Invalid BO handle 4242 for region 0");
        assertRan(r, r.goodId());
        assertFindings(r.d(), DONE_FENCE_LEAK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void cmdBoAsRegionIsEinval(String variant) {
        int[] h = new int[2];
        Result r = run(variant, Harness.Setup.defaults(), (d, c) -> {
            h[0] = c.createCmdBo(Client.Stream.simple(1).withRegion(1, 16, false));
            h[1] = c.createCmdBo(Client.Stream.simple(15));
            return c.submit(Client.JobArgs.of(h[0]).withRegion(1, h[1]));
        }, c -> {
            // the BO recorded before the check was put exactly once: both BOs still work
            int region = c.createBo(4096);
            assertEquals(0, c.submit(Client.JobArgs.of(h[1])));
            return Client.JobArgs.of(h[0]).withRegion(1, region);
        });
        assertEquals(-Errno.EINVAL, r.ret());
        assertLogged(r, "Cmdstream BO handle " + h[1] + " used for region 1");
        assertEquals(2, r.d().npu().completions().size(), describe(r.d()));
        assertFindings(r.d(), DONE_FENCE_LEAK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void regionBeyondBoSizeIsEoverflow(String variant) {
        int[] bo = new int[1];
        Result r = run(variant, Harness.Setup.defaults(), (d, c) -> {
            bo[0] = c.createBo(4096);
            int cmd = c.createCmdBo(Client.Stream.simple(1).withRegion(0, 4097, true));
            return c.submit(Client.JobArgs.of(cmd).withRegion(0, bo[0]));
        }, c -> Client.JobArgs.of(c.createCmdBo(Client.Stream.simple(4).withRegion(0, 4096, true))).withRegion(0, bo[0]));
        assertEquals(-Errno.EOVERFLOW, r.ret());
        assertLogged(r, "cmd stream region 0 size greater than BO size (4097 > 4096)");
        assertRan(r, r.goodId());
        assertFindings(r.d(), DONE_FENCE_LEAK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void sramNeedBeyondNpuSramIsEinval(String variant) {
        Result r = run(variant, Harness.Setup.defaults(),
                (d, c) -> c.submit(Client.JobArgs.of(c.createCmdBo(Client.Stream.simple(1).withRegion(2, SRAM + 1L, true)))),
                // the boundary: a need of exactly the NPU's SRAM runs without a region-2 handle
                c -> Client.JobArgs.of(c.createCmdBo(Client.Stream.simple(4).withRegion(2, SRAM, true))));
        assertEquals(-Errno.EINVAL, r.ret());
        assertLogged(r, "cmd stream region 2 size greater than SRAM size (" + (SRAM + 1) + " > " + SRAM + ")");
        assertRan(r, r.goodId());
        assertFindings(r.d(), DONE_FENCE_LEAK);
    }

    // ---- failed allocations inside the ioctl ----

    /**
     * The ioctl's allocations, in order, for a job with two region BOs: 1 the job array (kvmalloc_objs),
     * 2 the job, 3 done_fence, 4 the scheduler fence (drm_sched_job_init), 5 and 6 the fence slot of region
     * 0 and 1 (dma_resv_reserve_fences in ethosu_job_push). A seventh would succeed: the submit goes through.
     */
    static Stream<Arguments> allocFailures() {
        List<Arguments> a = new ArrayList<>();
        for (String v : List.of("locked", "lockless", "model:locked", "model:lockless")) {
            a.add(Arguments.of(v, 1, -Errno.ENOMEM, new Expect[0]));   // job array: returns at once
            a.add(Arguments.of(v, 2, -Errno.ENOMEM, new Expect[0]));   // job: returns at once
            a.add(Arguments.of(v, 3, -Errno.ENOMEM, new Expect[]{CLEANUP_OOPS}));
            a.add(Arguments.of(v, 4, -Errno.ENOMEM, new Expect[]{DONE_FENCE_LEAK})); // out_put_job
            a.add(Arguments.of(v, 5, -Errno.ENOMEM, new Expect[]{DONE_FENCE_LEAK})); // push fails
            a.add(Arguments.of(v, 6, -Errno.ENOMEM, new Expect[]{DONE_FENCE_LEAK}));
            a.add(Arguments.of(v, 7, 0, new Expect[0]));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0}: allocation {1} fails")
    @MethodSource("allocFailures")
    void failedAllocationInIoctl(String variant, int nth, int errno, Expect[] findings) {
        long[] bad = new long[1];
        Result r = run(variant, (d, c) -> {
            int cmd = c.createCmdBo(Client.Stream.simple(1).withRegion(0, 4096, true).withRegion(1, 4096, false));
            int r0 = c.createBo(4096), r1 = c.createBo(4096);
            bad[0] = c.dmaAddr(cmd);
            d.dut().failAlloc(nth);
            return c.submit(Client.JobArgs.of(cmd).withRegion(0, r0).withRegion(1, r1));
        });
        assertEquals(errno, r.ret(), describe(r.d()));
        if (errno == 0) {
            assertRan(r, bad[0], r.goodId());
            assertEquals(0, r.d().results().get(bad[0]));
        } else {
            assertRan(r, r.goodId());
        }
        assertFindings(r.d(), findings);
        if (nth == 3)
            assertEquals("client-0", r.d().findings().get(0).context(), "oops in the ioctl's context");
    }

    // ---- (d) other inputs the driver mishandles ----

    /*
     * The same BO for two regions: the driver does not reject duplicate handles, so ethosu_job_push's
     * drm_gem_lock_reservations locks that BO's reservation twice in one acquire context and ww_mutex
     * answers -EALREADY, an errno outside the ioctl's contract (mainline behaves the same). It is an error
     * exit after done_fence's allocation, so done_fence leaks too (a).
     */
    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void sameBoForTwoRegionsIsEalreadyAndLeaks(String variant) {
        Result r = run(variant, (d, c) -> {
            int cmd = c.createCmdBo(Client.Stream.simple(1).withRegion(0, 4096, true).withRegion(1, 4096, false));
            int bo = c.createBo(4096);
            return c.submit(Client.JobArgs.of(cmd).withRegion(0, bo).withRegion(1, bo));
        });
        assertEquals(-EALREADY, r.ret());
        assertRan(r, r.goodId());
        assertFindings(r.d(), DONE_FENCE_LEAK);
    }

    /*
     * Several jobs, the second bad: ethosu_ioctl_submit stops at the first error and returns it, but the
     * first job was already pushed and runs; userspace gets an error and cannot tell which jobs were queued
     * (mainline's contract, per the spec). The second job's exit leaks its done_fence (a).
     */
    @ParameterizedTest
    @ValueSource(strings = {"locked", "lockless", "model:locked", "model:lockless"})
    void errorInSecondJobKeepsTheFirst(String variant) {
        long[] first = new long[1];
        Result r = run(variant, (d, c) -> {
            int a = c.createCmdBo(Client.Stream.simple(1));
            first[0] = c.dmaAddr(a);
            return c.submit(Client.JobArgs.of(a), Client.JobArgs.of(c.createBo(4096)));
        });
        assertEquals(-Errno.EINVAL, r.ret());
        assertRan(r, first[0], r.goodId());
        assertFindings(r.d(), DONE_FENCE_LEAK);
    }
}
