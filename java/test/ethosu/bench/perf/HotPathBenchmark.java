// JMH microbenchmarks of the FFM hot path: a downcall into a variant library, an upcall from C
// into the device model (writel), and a scheduling point, free-running and controlled.
// Run with `make bench-jmh`; numbers go to docs/PERFORMANCE.md.
package ethosu.bench.perf;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.Hooks;
import ethosu.bench.bindings.NativeDevice;
import org.openjdk.jmh.annotations.*;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HotPathBenchmark {
    static final class Sink implements Hooks.Target {
        long writes, points;

        @Override
        public void mmioWrite(int offset, int value) {
            writes++;
        }

        @Override
        public void event(ethosu.bench.event.Event e) {}

        @Override
        public void point(ethosu.bench.event.Point p) {
            points++;
        }

        @Override
        public long now() {
            return 0;
        }

        @Override
        public void upcallFailed(String hook, Throwable t) {}
    }

    NativeDevice free, controlled;
    MemorySegment freeCtx, controlledCtx;

    @Setup
    public void setup() {
        EthosuLibrary lib = EthosuLibrary.load("locked");
        free = new NativeDevice(lib, new NativeDevice.Config(EthosuLibrary.FREE_RUNNING, 0x10000000, 0, 0, 1, 0, 0, null), new Sink());
        controlled = new NativeDevice(lib, new NativeDevice.Config(EthosuLibrary.CONTROLLED, 0x10000000, 0, 0, 1, 0, 0, null), new Sink());
        freeCtx = free.bind(EthosuLibrary.CTX_CLIENT, 1);
        controlledCtx = controlled.bind(EthosuLibrary.CTX_CLIENT, 2);
    }

    @TearDown
    public void tearDown() {
        free.unbind(freeCtx);
        controlled.unbind(controlledCtx);
        free.destroy();
        controlled.destroy();
    }

    /** One downcall that does nothing but bind the context. */
    @Benchmark
    public int downcall() {
        return free.probePoints(freeCtx, 0);
    }

    /** One writel: a scheduling point (free: no-op) and the upcall to the device model. */
    @Benchmark
    @OperationsPerInvocation(100)
    public int writelUpcall() {
        return free.probeWritel(freeCtx, 100);
    }

    /** A scheduling point on the free-running platform: no upcall. */
    @Benchmark
    @OperationsPerInvocation(1000)
    public int pointFreeRunning() {
        return free.probePoints(freeCtx, 1000);
    }

    /** A scheduling point on the controlled platform: one upcall to the controller (which returns at once). */
    @Benchmark
    @OperationsPerInvocation(100)
    public int pointControlled() {
        return controlled.probePoints(controlledCtx, 100);
    }
}
