// The scheduler shim's job flow through the mock backend, after the kernel's drm_sched_basic and
// drm_sched_credits KUnit suites: submit, dependencies, entity teardown, concurrent submitters, credits.
// Each runs under the controlled platform in virtual time: the same every time, whatever the load.
package ethosu.bench.shim;

import ethosu.bench.bindings.MockScheduler;
import ethosu.bench.bindings.MockScheduler.Counts;
import ethosu.bench.bindings.MockScheduler.Entity;
import ethosu.bench.bindings.MockScheduler.Job;
import ethosu.bench.check.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static ethosu.bench.bindings.MockScheduler.State.*;
import static ethosu.bench.shim.MockDevice.LONG_MS;
import static org.junit.jupiter.api.Assertions.*;

class SchedulerBasicTest {
    @Test
    void oneJobRunsAndCompletesWhenTheHardwareAdvances() {
        MockDevice.run(MockDevice.Setup.defaults(), dev -> {
            Entity entity = dev.sched.entity();

            Job job = entity.submit();
            assertTrue(dev.await(() -> job.state() == RUNNING, LONG_MS), dev.why("run_job never called"));
            assertFalse(job.waitFinished(10), dev.why("finished before the hardware completed it"));

            assertEquals(1, dev.sched.advance(1), dev.why("one job on the hardware"));
            assertTrue(job.waitFinished(LONG_MS), dev.why("not finished after advance"));
            assertEquals(0, job.error(), dev.why());
            assertTrue(dev.await(() -> job.state() == FREED, LONG_MS), dev.why("free_job never called"));
            assertEquals(new Counts(1, 0, 1, 0), job.counts(), dev.why());
            assertEquals(0, dev.sched.advance(1), dev.why("nothing left on the hardware"));
        }).assertClean();
    }

    @ParameterizedTest(name = "{0} entities, dependency chain: {1}")
    @CsvSource({"1, false", "1, true", "4, false", "4, true"})
    void hundredTimedJobsAllCompleteInOrder(int entities, boolean chain) {
        MockDevice.run(MockDevice.Setup.defaults(), dev -> {
            List<Entity> es = new ArrayList<>();
            for (int i = 0; i < entities; i++) es.add(dev.sched.entity());

            List<Job> jobs = new ArrayList<>();
            Job prev = null;
            for (int i = 0; i < 100; i++) {
                Job job = es.get(i % entities).submit(1, 1, chain ? prev : null);
                jobs.add(job);
                prev = job;
            }
            for (Job job : jobs) assertTrue(job.waitFinished(LONG_MS), dev.why(job + " not finished"));

            for (Job job : jobs) {
                assertEquals(0, job.error(), dev.why(job));
                assertEquals(1, job.counts().run(), dev.why(job + " run_job calls"));
            }
            assertTrue(dev.await(() -> jobs.stream().allMatch(dev::freed), LONG_MS), dev.why("not all freed"));
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
        }).assertClean();
    }

    @Test
    void freeingEntitiesMidQueueLetsTheirQueuedJobsDrain() {
        // the kernel's drm_sched_basic_entity_cleanup: entities destroyed with half the chain still queued
        MockDevice.run(MockDevice.Setup.defaults(), dev -> {
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
            assertTrue(mid.waitFinished(LONG_MS), dev.why("middle job not finished"));
            // (a dependency on a job of the same scheduler waits only for it to be scheduled: the rest
            // of the chain is on the hardware already, finishing in order)
            assertTrue(jobs.stream().anyMatch(j -> j.state() == QUEUED || j.state() == RUNNING),
                    dev.why("nothing was left unfinished when the entities went"));

            for (Entity e : es) e.destroy(false);

            for (Job job : jobs) assertTrue(job.waitFinished(LONG_MS), dev.why(job + " not finished"));
            for (Job job : jobs) {
                assertEquals(0, job.error(), dev.why(job + " (not killed: it must run)"));
                assertEquals(1, job.counts().run(), dev.why(job + " run_job calls"));
            }
            assertTrue(dev.await(() -> jobs.stream().allMatch(dev::freed), LONG_MS), dev.why("not all freed"));
        }).assertClean();
    }

    @Test
    void killedEntityFinishesQueuedJobsWithEsrchWithoutRunningThem() {
        MockDevice dev = MockDevice.run(MockDevice.Setup.defaults().withCreditLimit(1), d -> {
            Entity entity = d.sched.entity();
            Job running = entity.submit();
            List<Job> queued = new ArrayList<>();
            for (int i = 0; i < 4; i++) queued.add(entity.submit());
            assertTrue(d.await(() -> running.state() == RUNNING, LONG_MS), d.why("first job never ran"));
            for (Job job : queued) assertEquals(QUEUED, job.state(), d.why(job + " left the queue"));

            // waits its 1 s of kernel time for the queue to empty, then kills what is left
            entity.destroy(true);

            // killed jobs finish only after the entity's last scheduled job, which the hardware still holds
            for (Job job : queued) assertFalse(job.waitFinished(0), d.why(job + " finished before the running job"));
            assertEquals(1, d.sched.advance(1), d.why());
            assertTrue(running.waitFinished(LONG_MS), d.why());
            assertEquals(0, running.error(), d.why("the running job was not killed"));
            for (Job job : queued) {
                assertTrue(job.waitFinished(LONG_MS), d.why(job + " never finished"));
                assertEquals(-Errno.ESRCH, job.error(), d.why(job));
            }
            assertTrue(d.await(() -> queued.stream().allMatch(j -> j.state() == FREED), LONG_MS),
                    d.why("killed jobs not freed"));
            for (Job job : queued) assertEquals(new Counts(0, 0, 1, 0), job.counts(), d.why(job + " never runs"));
            assertEquals(1, d.sched.counts().run(), d.why());
            List<Long> order = new ArrayList<>(List.of((long) running.id()));
            queued.forEach(j -> order.add((long) j.id()));
            assertEquals(order, d.doneOrder(), d.why("killed jobs finish in queue order, after the running one"));
        });
        dev.assertClean();
    }

    @Test
    void sixteenSubmittersOfEightJobsEachAllComplete() {
        int submitters = 16, perSubmitter = 8;
        List<Job> jobs = Collections.synchronizedList(new ArrayList<>());
        List<MockDevice.ClientBody> clients = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            clients.add((dev, c) -> {
                Entity entity = dev.sched.entity();
                Job last = null;
                for (int i = 0; i < perSubmitter; i++) {
                    last = entity.submit(1, 1, null);
                    jobs.add(last);
                }
                assertTrue(last.waitFinished(LONG_MS), c.name + ": " + last + " not finished");
                entity.destroy(false);
            });
        }
        MockDevice.run(MockDevice.Setup.defaults(), dev -> {
            assertTrue(dev.await(() -> jobs.size() == submitters * perSubmitter
                    && jobs.stream().allMatch(dev::freed), LONG_MS), dev.why("not all submitted and freed"));
            assertEquals(jobs.size(), jobs.stream().map(Job::id).distinct().count(), "job ids unique");
            for (Job job : jobs) {
                assertTrue(job.waitFinished(LONG_MS), dev.why(job + " not finished"));
                assertEquals(0, job.error(), dev.why(job));
                assertEquals(1, job.counts().run(), dev.why(job + " run_job calls"));
            }
            assertEquals(new Counts(128, 0, 128, 0), dev.sched.counts(), dev.why());
        }, clients).assertClean();
    }

    @Test
    void creditLimitOneHoldsTheSecondJobBackUntilTheFirstCompletes() {
        MockDevice.run(MockDevice.Setup.defaults().withCreditLimit(1), dev -> {
            Entity entity = dev.sched.entity();
            Job first = entity.submit(), second = entity.submit();

            assertTrue(dev.await(() -> first.state() == RUNNING, LONG_MS), dev.why("first job never ran"));
            assertFalse(dev.await(() -> second.state() != QUEUED, 50),
                    dev.why("second job left the queue while the first held the only credit"));
            assertEquals(1, dev.sched.counts().run(), dev.why());

            assertEquals(1, dev.sched.advance(1), dev.why());
            assertTrue(dev.await(() -> second.state() == RUNNING, LONG_MS),
                    dev.why("second job did not run once the first completed"));
            assertEquals(0, first.error(), dev.why());
            assertEquals(1, dev.sched.advance(1), dev.why());
            assertTrue(second.waitFinished(LONG_MS), dev.why());
            assertEquals(0, second.error(), dev.why());
            assertTrue(dev.await(() -> first.state() == FREED && second.state() == FREED, LONG_MS), dev.why());
        }).assertClean();
    }

    @Test
    void jobWithZeroCreditsIsRejectedWithEinval() {
        MockDevice.run(MockDevice.Setup.defaults(), dev -> {
            Entity entity = dev.sched.entity();

            MockScheduler.Failed f = assertThrows(MockScheduler.Failed.class, () -> entity.submit(0, 0, null));
            assertEquals(-Errno.EINVAL, f.errno, dev.why());
            assertTrue(dev.logged("credits cannot be 0"), dev.why());
            assertEquals(new Counts(0, 0, 0, 0), dev.sched.counts(), dev.why());
        }).assertClean();
    }
}
