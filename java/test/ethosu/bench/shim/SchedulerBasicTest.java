// The scheduler shim's job flow through the mock backend, after the kernel's drm_sched_basic and
// drm_sched_credits KUnit suites: submit, dependencies, entity teardown, concurrent submitters, credits.
package ethosu.bench.shim;

import ethosu.bench.bindings.MockScheduler;
import ethosu.bench.bindings.MockScheduler.Counts;
import ethosu.bench.bindings.MockScheduler.Entity;
import ethosu.bench.bindings.MockScheduler.Job;
import ethosu.bench.check.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;

import static ethosu.bench.bindings.MockScheduler.State.*;
import static org.junit.jupiter.api.Assertions.*;

class SchedulerBasicTest {
    private MockDevice dev;

    @AfterEach
    void tearDown() {
        if (dev == null) return;
        dev.close();
        assertEquals(List.of(), dev.findings(), dev.why("findings"));
    }

    @Test
    void oneJobRunsAndCompletesWhenTheHardwareAdvances() {
        dev = MockDevice.start(MockDevice.Setup.defaults());
        Entity entity = dev.sched.entity();

        Job job = entity.submit();
        assertTrue(MockDevice.await(() -> job.state() == RUNNING, 1000), dev.why("run_job never called"));
        assertFalse(job.waitFinished(10), dev.why("finished before the hardware completed it"));

        assertEquals(1, dev.sched.advance(1), dev.why("one job on the hardware"));
        assertTrue(job.waitFinished(1000), dev.why("not finished after advance"));
        assertEquals(0, job.error(), dev.why());
        assertTrue(MockDevice.await(() -> job.state() == FREED, 1000), dev.why("free_job never called"));
        assertEquals(new Counts(1, 0, 1, 0), job.counts(), dev.why());
        assertEquals(0, dev.sched.advance(1), dev.why("nothing left on the hardware"));
    }

    @ParameterizedTest(name = "{0} entities, dependency chain: {1}")
    @CsvSource({"1, false", "1, true", "4, false", "4, true"})
    void hundredTimedJobsAllCompleteInOrder(int entities, boolean chain) {
        dev = MockDevice.start(MockDevice.Setup.defaults());
        List<Entity> es = new ArrayList<>();
        for (int i = 0; i < entities; i++) es.add(dev.sched.entity());

        List<Job> jobs = new ArrayList<>();
        Job prev = null;
        for (int i = 0; i < 100; i++) {
            Job job = es.get(i % entities).submit(1, 1, chain ? prev : null);
            jobs.add(job);
            prev = job;
        }
        for (Job job : jobs) assertTrue(job.waitFinished(5000), dev.why(job + " not finished"));

        for (Job job : jobs) {
            assertEquals(0, job.error(), dev.why(job));
            assertEquals(1, job.counts().run(), dev.why(job + " run_job calls"));
        }
        assertTrue(MockDevice.await(() -> jobs.stream().allMatch(dev::freed), 2000), dev.why("not all freed"));
        // An entity runs its jobs in order, and a dependency runs before its dependent: the hardware
        // completes in run order, so finished fences signal in that order too.
        for (int e = 0; e < entities; e++) {
            List<Long> submitted = new ArrayList<>();
            for (int i = e; i < jobs.size(); i += entities) submitted.add((long) jobs.get(i).id());
            List<Long> done = dev.doneOrder().stream().filter(submitted::contains).toList();
            assertEquals(submitted, done, dev.why("entity " + e + " finished out of order"));
        }
        if (chain) {
            List<Long> submitted = jobs.stream().map(j -> (long) j.id()).toList();
            assertEquals(submitted, dev.doneOrder(), dev.why("dependency chain finished out of order"));
        }
    }

    @Test
    void freeingEntitiesMidQueueLetsTheirQueuedJobsDrain() {
        // the kernel's drm_sched_basic_entity_cleanup: entities destroyed with half the chain still queued
        dev = MockDevice.start(MockDevice.Setup.defaults());
        List<Entity> es = new ArrayList<>();
        for (int i = 0; i < 4; i++) es.add(dev.sched.entity());
        List<Job> jobs = new ArrayList<>();
        Job prev = null;
        for (int i = 0; i < 100; i++) {
            Job job = es.get(i % 4).submit(1, 1, prev);
            jobs.add(job);
            prev = job;
        }
        Job mid = jobs.get(50);
        assertTrue(mid.waitFinished(5000), dev.why("middle job not finished"));

        for (Entity e : es) e.destroy(false);

        for (Job job : jobs) assertTrue(job.waitFinished(5000), dev.why(job + " not finished"));
        for (Job job : jobs) {
            assertEquals(0, job.error(), dev.why(job + " (not killed: it must run)"));
            assertEquals(1, job.counts().run(), dev.why(job + " run_job calls"));
        }
        assertTrue(MockDevice.await(() -> jobs.stream().allMatch(dev::freed), 2000), dev.why("not all freed"));
    }

    @Test
    void killedEntityFinishesQueuedJobsWithEsrchWithoutRunningThem() {
        // time scale 50: the killed flush's 1 s wait for the queue to empty lasts 20 ms
        dev = MockDevice.start(MockDevice.Setup.defaults().withCreditLimit(1).withTimeScale(50));
        Entity entity = dev.sched.entity();
        Job running = entity.submit();
        List<Job> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) queued.add(entity.submit());
        assertTrue(MockDevice.await(() -> running.state() == RUNNING, 1000), dev.why("first job never ran"));
        for (Job job : queued) assertEquals(QUEUED, job.state(), dev.why(job + " left the queue"));

        entity.destroy(true);

        // killed jobs finish only after the entity's last scheduled job, which the hardware still holds
        for (Job job : queued) assertFalse(job.waitFinished(0), dev.why(job + " finished before the running job"));
        assertEquals(1, dev.sched.advance(1), dev.why());
        assertTrue(running.waitFinished(1000), dev.why());
        assertEquals(0, running.error(), dev.why("the running job was not killed"));
        for (Job job : queued) {
            assertTrue(job.waitFinished(1000), dev.why(job + " never finished"));
            assertEquals(-Errno.ESRCH, job.error(), dev.why(job));
        }
        assertTrue(MockDevice.await(() -> queued.stream().allMatch(j -> j.state() == FREED), 1000),
                dev.why("killed jobs not freed"));
        for (Job job : queued) assertEquals(new Counts(0, 0, 1, 0), job.counts(), dev.why(job + " never runs"));
        assertEquals(1, dev.sched.counts().run(), dev.why());
        List<Long> order = new ArrayList<>(List.of((long) running.id()));
        queued.forEach(j -> order.add((long) j.id()));
        assertEquals(order, dev.doneOrder(), dev.why("killed jobs finish in queue order, after the running one"));
    }

    @Test
    void sixteenSubmittersOfEightJobsEachAllComplete() throws Exception {
        dev = MockDevice.start(MockDevice.Setup.defaults());
        int submitters = 16, perSubmitter = 8;
        List<Job> jobs = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        CyclicBarrier go = new CyclicBarrier(submitters);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            int n = s;
            threads.add(Thread.ofPlatform().name("client-" + n).start(() -> {
                MemorySegment ctx = dev.bindClient(n);
                try {
                    Entity entity = dev.sched.entity();
                    go.await();
                    Job last = null;
                    for (int i = 0; i < perSubmitter; i++) {
                        last = entity.submit(1, 1, null);
                        jobs.add(last);
                    }
                    if (!last.waitFinished(5000)) errors.add("client-" + n + ": " + last + " not finished");
                    entity.destroy(false);
                } catch (Throwable t) {
                    errors.add("client-" + n + ": " + t);
                } finally {
                    dev.unbind(ctx);
                }
            }));
        }
        for (Thread t : threads) t.join(10_000);
        for (Thread t : threads) assertFalse(t.isAlive(), dev.why(t.getName() + " still running"));
        assertEquals(List.of(), errors, dev.why());

        assertEquals(submitters * perSubmitter, jobs.size());
        assertEquals(jobs.size(), jobs.stream().map(Job::id).distinct().count(), "job ids unique");
        for (Job job : jobs) {
            assertTrue(job.waitFinished(1000), dev.why(job + " not finished"));
            assertEquals(0, job.error(), dev.why(job));
            assertEquals(1, job.counts().run(), dev.why(job + " run_job calls"));
        }
        assertTrue(MockDevice.await(() -> jobs.stream().allMatch(dev::freed), 2000), dev.why("not all freed"));
        assertEquals(new Counts(128, 0, 128, 0), dev.sched.counts(), dev.why());
    }

    @Test
    void creditLimitOneHoldsTheSecondJobBackUntilTheFirstCompletes() {
        dev = MockDevice.start(MockDevice.Setup.defaults().withCreditLimit(1));
        Entity entity = dev.sched.entity();
        Job first = entity.submit(), second = entity.submit();

        assertTrue(MockDevice.await(() -> first.state() == RUNNING, 1000), dev.why("first job never ran"));
        assertFalse(MockDevice.await(() -> second.state() != QUEUED, 50),
                dev.why("second job left the queue while the first held the only credit"));
        assertEquals(1, dev.sched.counts().run(), dev.why());

        assertEquals(1, dev.sched.advance(1), dev.why());
        assertTrue(MockDevice.await(() -> second.state() == RUNNING, 1000),
                dev.why("second job did not run once the first completed"));
        assertEquals(0, first.error(), dev.why());
        assertEquals(1, dev.sched.advance(1), dev.why());
        assertTrue(second.waitFinished(1000), dev.why());
        assertEquals(0, second.error(), dev.why());
        assertTrue(MockDevice.await(() -> first.state() == FREED && second.state() == FREED, 1000), dev.why());
    }

    @Test
    void jobWithZeroCreditsIsRejectedWithEinval() {
        dev = MockDevice.start(MockDevice.Setup.defaults());
        Entity entity = dev.sched.entity();

        MockScheduler.Failed f = assertThrows(MockScheduler.Failed.class, () -> entity.submit(0, 0, null));
        assertEquals(-Errno.EINVAL, f.errno, dev.why());
        assertTrue(dev.logContains("credits cannot be 0"), dev.why());
        assertEquals(new Counts(0, 0, 0, 0), dev.sched.counts(), dev.why());
    }
}
