// The model of a variant as an engine: each run's device under test is a ModelDevice, its register
// window in plain memory, its contexts virtual threads. Runs only under the controlled platform: the
// model's kernel side assumes one context at a time, as the controller guarantees.
package ethosu.bench.model;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.Hooks;
import ethosu.bench.hw.RegisterFile;
import ethosu.bench.hw.Regs;
import ethosu.bench.kernel.DeviceUnderTest;
import ethosu.bench.kernel.Engine;
import ethosu.bench.kernel.Harness;
import ethosu.bench.kernel.Platform;

import java.lang.foreign.Arena;
import java.nio.file.Path;

public final class ModelEngine implements Engine {
    private final String variant;

    /**
     * @throws IllegalArgumentException if the model has no counterpart for the variant
     */
    public ModelEngine(String variant) {
        if (!EthosuJobVariants.has(variant))
            throw new IllegalArgumentException("the model has no counterpart for variant " + variant
                    + " (it models: " + String.join(", ", EthosuJobVariants.modelled()) + ")");
        this.variant = variant;
    }

    @Override
    public String variant() {
        return variant;
    }

    @Override
    public String kind() {
        return "model";
    }

    @Override
    public boolean virtualThreads() {
        return !Boolean.getBoolean("ethosu.model.platformThreads");
    }

    @Override
    public DeviceUnderTest create(Harness.Setup setup, Platform platform, Hooks.Target target) {
        if (platform.nativePlatform() != EthosuLibrary.CONTROLLED)
            throw new IllegalArgumentException("the model runs only under the controlled platform");
        // the register window in plain memory: no file, nothing to unmap
        RegisterFile regs = RegisterFile.wrap(Arena.ofAuto().allocate(Regs.WINDOW_SIZE, 8), Path.of("(model)"));
        return new ModelDevice(new ModelDevice.Config(variant, setup.npu().resetId(), setup.npu().resetConfig(),
                setup.sramSize(), setup.traceLevel()), target, regs);
    }
}
