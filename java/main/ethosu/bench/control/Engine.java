// What runs a scenario's schedules: the C of a variant (its library under the controlled platform)
// or the Java model of it. Both sit under the same Runtime, strategies, fake NPU and checks, so an
// explorer, a replay or a differential run drives either the same way.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Checker;
import ethosu.bench.event.Event;
import ethosu.bench.event.Names;
import ethosu.bench.hw.FakeNpu;
import ethosu.bench.scenario.Scenario;

import java.util.List;
import java.util.function.Consumer;

public interface Engine {
    /** The variant whose driver runs. */
    String variant();

    /** "c" or "model": how reports name the side. */
    String kind();

    /** A fresh run of sc under strategy (whose nextSchedule() the caller has called). */
    Run newRun(Scenario sc, Strategy strategy, int maxSteps);

    /** One schedule's run. */
    interface Run {
        /** Runs the scenario's scripts; false if it did not end within timeoutMs of real time. */
        boolean run(long timeoutMs) throws InterruptedException;

        Runtime runtime();

        Checker checker();

        /** The kernel log lines of the run. */
        List<String> log();

        /** How the run names jobs and contexts. */
        Names names();

        FakeNpu npu();

        /** Sees every event as it happens (points and waits included) and who wakes. */
        void observe(Consumer<Event> events, Consumer<String> wakes);

        /** Frees what the run holds; only after a run that ended. */
        void destroy();
    }

    /** The C of a variant library. */
    static Engine of(EthosuLibrary lib) {
        return new Engine() {
            @Override
            public String variant() {
                return lib.variant;
            }

            @Override
            public String kind() {
                return "c";
            }

            @Override
            public Run newRun(Scenario sc, Strategy strategy, int maxSteps) {
                ControlledRun r = ControlledRun.of(lib, strategy, sc, maxSteps);
                return new Run() {
                    @Override
                    public boolean run(long timeoutMs) throws InterruptedException {
                        return r.run(ControlledRun.scripts(sc), timeoutMs);
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
        };
    }
}
