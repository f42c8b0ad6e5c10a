// The free-running npu context: a real thread on a scaled clock completes jobs and wakes early for new ones.
package ethosu.bench.hw;

import static ethosu.bench.hw.Regs.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class NpuThreadTest {
    @Test
    void npuThreadCompletesJobsOnAScaledClockAndWakesEarly() throws Exception {
        // 1000 kernel ns per real ns: the 500 ms job below takes 0.5 ms of wall time.
        DeviceClock.Scaled clock = new DeviceClock.Scaled(1000);
        Semaphore irq = new Semaphore(0);
        AtomicReference<String> raisedOn = new AtomicReference<>();
        try (RegisterFile regs = RegisterFile.createTemp()) {
            FakeNpu npu = new FakeNpu(regs, NpuVariant.U85, clock, () -> {
                raisedOn.set(Thread.currentThread().getName());
                irq.release();
            });
            // A spurious pulse an hour of device time away: the thread goes to sleep for ~3.6 s real...
            npu.raiseSpurious(3_600_000_000_000L);
            try (NpuThread t = new NpuThread(npu).start()) {
                Thread.sleep(20);
                // ...and a job that completes far sooner must cut that sleep short.
                npu.setBehaviour(0x4000, JobBehaviour.complete(500_000_000));
                npu.mmioWrite(QBASE, 0x4000);
                npu.mmioWrite(QSIZE, 32);
                npu.mmioWrite(CMD, CMD_TRANSITION_TO_RUN);
                assertTrue(irq.tryAcquire(2, TimeUnit.SECONDS), "job did not complete");
                assertEquals(0x4000L, npu.lastCompletedQbase());
                assertEquals("npu", raisedOn.get());
                assertEquals(STATUS_IRQ_RAISED | STATUS_CMD_END_REACHED, regs.read(STATUS));
                JobRecord r = npu.jobs().getFirst();
                assertTrue(r.endNs() - r.startNs() >= 500_000_000, r.toString());

                // A second job right after: the thread is again asleep towards the spurious pulse.
                npu.mmioWrite(CMD, CMD_CLEAR_IRQ);
                npu.mmioWrite(QBASE, 0x5000);
                npu.mmioWrite(CMD, CMD_TRANSITION_TO_RUN);
                assertTrue(irq.tryAcquire(2, TimeUnit.SECONDS), "second job did not complete");
                assertEquals(2, npu.completions().size());
                assertEquals("npu", t.thread().getName());
                assertFalse(t.thread().isVirtual());
            }
        }
    }

    @Test
    void npuThreadNeedsAScaledClock() {
        try (RegisterFile regs = RegisterFile.createTemp()) {
            FakeNpu npu = new FakeNpu(regs, NpuVariant.U65, new DeviceClock.Manual(), () -> {});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NpuThread(npu));
            assertTrue(e.getMessage().contains("DeviceClock.Scaled"));
        }
    }

    @Test
    void aFailingIrqLineStopsTheThreadAndStopReportsIt() throws Exception {
        try (RegisterFile regs = RegisterFile.createTemp()) {
            FakeNpu npu = new FakeNpu(regs, NpuVariant.U65, new DeviceClock.Scaled(1000), () -> {
                throw new IllegalStateException("hardirq gone");
            });
            NpuThread t = new NpuThread(npu).start();
            npu.raiseSpurious(0);
            assertTrue(waitFor(() -> !t.thread().isAlive(), 2000));
            IllegalStateException e = assertThrows(IllegalStateException.class, t::stop);
            assertEquals("hardirq gone", e.getCause().getMessage());
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier cond, long ms) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end)
                return false;
            Thread.sleep(1);
        }
        return true;
    }
}
