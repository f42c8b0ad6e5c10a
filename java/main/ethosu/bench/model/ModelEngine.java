// The model of a variant as an Engine: what explorers, replays and differential runs drive when
// they run the Java model instead of (or beside) the C.
package ethosu.bench.model;

import ethosu.bench.check.Checker;
import ethosu.bench.control.Engine;
import ethosu.bench.control.Runtime;
import ethosu.bench.control.Strategy;
import ethosu.bench.event.Event;
import ethosu.bench.event.Names;
import ethosu.bench.hw.FakeNpu;
import ethosu.bench.scenario.Scenario;

import java.util.List;
import java.util.function.Consumer;

public final class ModelEngine implements Engine {
    private final String variant;
    private final ModelRun.Threads threads;

    /**
     * @throws IllegalArgumentException if the model has no counterpart for the variant
     */
    public ModelEngine(String variant, ModelRun.Threads threads) {
        if (!EthosuJobVariants.has(variant))
            throw new IllegalArgumentException("the model has no counterpart for variant " + variant
                    + " (it models: " + String.join(", ", EthosuJobVariants.modelled()) + ")");
        this.variant = variant;
        this.threads = threads;
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
    public Run newRun(Scenario sc, Strategy strategy, int maxSteps) {
        ModelRun r = ModelRun.of(variant, strategy, sc, maxSteps, threads);
        return new Run() {
            @Override
            public boolean run(long timeoutMs) throws InterruptedException {
                return r.run(ModelRun.scripts(sc), timeoutMs);
            }

            @Override
            public Runtime runtime() {
                return r.runtime;
            }

            @Override
            public Checker checker() {
                return r.checker;
            }

            @Override
            public List<String> log() {
                return r.log();
            }

            @Override
            public Names names() {
                return r.names();
            }

            @Override
            public FakeNpu npu() {
                return r.npu();
            }

            @Override
            public void observe(Consumer<Event> events, Consumer<String> wakes) {
                r.observe(events, wakes);
            }

            @Override
            public void destroy() {
                r.destroy();
            }
        };
    }
}
