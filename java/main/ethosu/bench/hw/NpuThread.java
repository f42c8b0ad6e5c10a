// The free-running "npu" context: a platform thread that sleeps until the device's next event on a
// scaled real clock, then steps the FakeNpu. The controlled platform steps the model itself instead.
package ethosu.bench.hw;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/** Drives one FakeNpu whose clock is a {@link DeviceClock.Scaled}; start() once, stop() once. */
public final class NpuThread implements AutoCloseable {
    private final FakeNpu npu;
    private final DeviceClock.Scaled clock;
    private final Runnable onStart;
    private final Runnable onExit;
    private final Thread thread;
    private final Runnable wakeup;
    private volatile boolean stopping;
    private volatile Throwable failure;

    public NpuThread(FakeNpu npu) {
        this(npu, () -> {}, () -> {});
    }

    /**
     * @param onStart runs first on the npu thread (e.g. ebench_ctx_bind as EBENCH_CTX_NPU)
     * @param onExit  runs last on the npu thread (e.g. ebench_ctx_unbind)
     */
    public NpuThread(FakeNpu npu, Runnable onStart, Runnable onExit) {
        this.npu = Objects.requireNonNull(npu, "npu");
        if (!(npu.clock() instanceof DeviceClock.Scaled s))
            throw new IllegalArgumentException(
                    "NpuThread needs a FakeNpu on a DeviceClock.Scaled; with another clock, call step() from its controller");
        this.clock = s;
        this.onStart = Objects.requireNonNull(onStart, "onStart");
        this.onExit = Objects.requireNonNull(onExit, "onExit");
        this.thread = Thread.ofPlatform().name("npu").daemon(true).unstarted(this::loop);
        // An MMIO write that schedules an earlier event cuts the current sleep short.
        this.wakeup = () -> LockSupport.unpark(thread);
    }

    public NpuThread start() {
        npu.addWakeup(wakeup);
        thread.start();
        return this;
    }

    public Thread thread() {
        return thread;
    }

    /** What ended the loop early (an IRQ line or listener that threw), or null. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Stops the loop and waits for the thread to end.
     *
     * @throws IllegalStateException if the loop had failed, with that failure as the cause
     */
    public void stop() {
        stopping = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        npu.removeWakeup(wakeup);
        if (interrupted)
            Thread.currentThread().interrupt();
        if (failure != null)
            throw new IllegalStateException("npu thread failed: " + failure, failure);
    }

    @Override
    public void close() {
        stop();
    }

    private void loop() {
        try {
            onStart.run();
            while (!stopping) {
                long next = npu.nextEventTime();
                // park returns at once if a wake-up came since nextEventTime(): no lost wake-up.
                if (next == Long.MAX_VALUE) {
                    LockSupport.park(this);
                    continue;
                }
                long wait = clock.realNanosUntil(next);
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                    continue;
                }
                npu.step(clock.now());
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            try {
                onExit.run();
            } catch (Throwable t) {
                if (failure == null)
                    failure = t;
            }
        }
    }
}
