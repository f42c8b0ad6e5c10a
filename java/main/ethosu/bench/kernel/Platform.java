// How a device's contexts run (DESIGN.md, "The platform seam"): free on real threads with a scaled
// clock, or one at a time under a controller with virtual time. The Harness is the same for both;
// only this differs.
package ethosu.bench.kernel;

import ethosu.bench.event.Point;
import ethosu.bench.event.Wait;
import ethosu.bench.hw.DeviceClock;

import java.util.function.BooleanSupplier;

public interface Platform {
    /** enum ebench_platform. */
    int nativePlatform();

    /** Free-running: kernel ns per real ns; 1 under control. */
    default int timeScale() {
        return 1;
    }

    /** Free-running: per-mille chance to yield at a scheduling point. */
    default int chaos() {
        return 0;
    }

    /** The kernel clock the device model keeps (virtual or scaled real time). */
    DeviceClock clock();

    /** The harness made its device and NPU; the platform may start driving the NPU. */
    void attach(Harness h);

    /** Declares a context before it starts. */
    void context(int id, String name);

    /** Runs body on the context's own thread; under control it first waits to be scheduled. */
    void start(int id, String name, Runnable body);

    /**
     * Runs the device until main's body returns, at most timeoutMs of real time, under the
     * watchdog (Watchdog): false if it did not end, because a context is stuck in the driver
     * ({@link #lockups}) or in time (its threads are abandoned, a bench failure).
     */
    boolean run(int mainId, long timeoutMs) throws InterruptedException;

    /**
     * The calling context blocks until until holds or the wait's deadline passes (kernel time);
     * woken by {@link #wake} on its channel. True if the deadline ended it. Java-side waits only
     * (the IRQ line, the probe, a poll); C waits come through the hooks.
     */
    boolean block(Wait w, BooleanSupplier until);

    /** Every context blocked on chan re-checks its condition. */
    void wake(long chan);

    /** Kernel time now, in ns. */
    long now();

    /** The decision step the run is at (0 when free-running). */
    default int step() {
        return 0;
    }

    /** An upcall begins: the controlled platform takes the points the library recorded without one. */
    default void sync() {}

    /** The running context (or the device) reported an event the checks see. */
    default void observed() {}

    /** A register write changed the device (it may have an event to offer now). */
    default void deviceChanged() {}

    /** Controlled: a scheduling point from C. Free-running: C never calls it. */
    default void point(Point p) {}

    /** Controlled: a wait from C. */
    default boolean await(Wait w) {
        throw new IllegalStateException("a C wait on the free-running platform");
    }

    /**
     * Main, until the scenario is over (stage SCENARIO), what is in flight settled (SETTLED), or the
     * contexts left their loops (STOPPED). False if it cannot get there: a context is blocked in the
     * library for good (free-running), so the device must be left as it is, not torn down.
     */
    boolean quiesce(Harness h, Stage stage);

    enum Stage { SCENARIO, SETTLED, STOPPED }

    /**
     * A device whose run ended with every context gone may be reset and used for the next run
     * (NativeDevice.acquire): the controlled platform runs many short runs.
     */
    default boolean reusesDevices() {
        return false;
    }

    /** The run reached its step limit (controlled). */
    default boolean stepLimitHit() {
        return false;
    }

    /** After a run that did not end: the contexts its watchdog found stuck in the driver (none: it just timed out). */
    default java.util.List<ethosu.bench.check.Lockup> lockups() {
        return java.util.List.of();
    }

    /**
     * Contexts left blocked at the end of a run never run again (controlled: they stay parked), so
     * the device can be freed under them; free-running threads could still wake.
     */
    default boolean stuckNeverRun() {
        return false;
    }

    /** Waits contexts were left blocked in (deadlocks), described. */
    java.util.List<String> stuck();

    /**
     * A context's thread still runs after the device's teardown (it did not return in time): the
     * device must not be freed under it, as its process may go on to run other devices.
     */
    default boolean contextsLeftRunning() {
        return false;
    }

    /**
     * What the run so far needed of the machine: which kernel context was kept runnable how long
     * while time advanced. Empty where the platform does not measure it (free-running).
     */
    default String needs() {
        return "";
    }
}
