// The device's sense of time, in kernel nanoseconds, supplied by whoever drives the FakeNpu:
// a Manual clock for tests and the controlled platform, a Scaled real clock for free-running runs.
package ethosu.bench.hw;

/** Absolute time on the device clock, in ns; never goes backwards. */
@FunctionalInterface
public interface DeviceClock {
    long now();

    /** A clock that moves only when told to: tests and controllers call set/advance. Thread-safe. */
    final class Manual implements DeviceClock {
        private volatile long now;

        public Manual() {
            this(0);
        }

        public Manual(long start) {
            this.now = start;
        }

        @Override
        public long now() {
            return now;
        }

        /** Moves to t; time never goes backwards. */
        public synchronized void set(long t) {
            if (t < now)
                throw new IllegalArgumentException("device time " + t + " is before now " + now);
            now = t;
        }

        /** Moves forward by ns and returns the new time. */
        public synchronized long advance(long ns) {
            set(Math.addExact(now, ns));
            return now;
        }
    }

    /**
     * Real monotonic time scaled up: {@code scale} kernel ns pass per real ns, from 0 at
     * construction, so a 500 ms kernel timeout takes 5 ms of wall time at scale 100.
     */
    final class Scaled implements DeviceClock {
        private final long origin = System.nanoTime();
        private final long scale;

        public Scaled(long kernelNsPerRealNs) {
            if (kernelNsPerRealNs < 1)
                throw new IllegalArgumentException("time scale must be >= 1 kernel ns per real ns, got " + kernelNsPerRealNs);
            this.scale = kernelNsPerRealNs;
        }

        public long scale() {
            return scale;
        }

        @Override
        public long now() {
            return (System.nanoTime() - origin) * scale;
        }

        /** Real ns to wait until the device clock reads t (0 if already there); rounds up. */
        public long realNanosUntil(long t) {
            long d = t - now();
            return d <= 0 ? 0 : (d + scale - 1) / scale;
        }
    }
}
