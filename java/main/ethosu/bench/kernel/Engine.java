// What runs the driver in a run: the C of a variant (its library) or the Java model of it. An engine
// makes each run's device under test; everything else (harness, platform, NPU, checks) is shared.
package ethosu.bench.kernel;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.Hooks;

public interface Engine {
    /** The variant whose driver runs. */
    String variant();

    /** "c" or "model": how reports name the side. */
    String kind();

    /** Its contexts run as virtual threads (cheap switches under control); the model's do. */
    default boolean virtualThreads() {
        return false;
    }

    /** The device of one run, reporting to target (the harness), on platform. */
    DeviceUnderTest create(Harness.Setup setup, Platform platform, Hooks.Target target);

    /** The C of a variant library. */
    static Engine of(EthosuLibrary lib) {
        return new NativeDut.NativeEngine(lib);
    }
}
