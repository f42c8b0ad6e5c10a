// The one run loop: one schedule of a scenario on a variant under the controlled platform (make the
// harness, run the scenario's scripts, collect, free). Exploration, minimisation, replay and the
// tests all run schedules through here.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.kernel.Client;
import ethosu.bench.kernel.Engine;
import ethosu.bench.kernel.Harness;
import ethosu.bench.kernel.RunResult;
import ethosu.bench.scenario.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

public final class Runs {
    /** Decisions a schedule explores before the default scheduler takes over (Outcome.STEP_LIMIT). */
    public static final int MAX_STEPS = 20_000;
    /** Real time one schedule may take before it counts as a bench failure. */
    public static final long RUN_TIMEOUT_MS = 60_000;

    /**
     * One schedule's run: its result (findings, trace, outcome) and the decisions taken.
     *
     * @param schedule what the strategy chose, replayable
     */
    public record Run(RunResult result, Schedule schedule) {}

    private Runs() {}

    /** The harness of a scenario: its NPU, SRAM and horizon; the driver probed. */
    public static Harness.Setup setup(Scenario sc) {
        return Harness.Setup.defaults().withNpu(sc.npu()).withSram(sc.sramSize()).withHorizon(sc.horizonNs());
    }

    /** The client scripts of a scenario: create each job's command BO, submit them in order. */
    public static List<Harness.ClientScript> scripts(Scenario sc) {
        List<Harness.ClientScript> out = new ArrayList<>();
        for (Scenario.ClientScript cs : sc.clients()) {
            out.add((h, ctx) -> {
                Client c = ctx.file();
                int[] bos = new int[cs.jobs().size()];
                for (int i = 0; i < bos.length; i++) {
                    var job = cs.jobs().get(i);
                    bos[i] = c.createCmdBo(Client.Stream.simple(4));
                    long id = c.dmaAddr(bos[i]);
                    h.npu().setBehaviour(id, job.behaviour());
                    h.nameJob(id, job.name());
                }
                for (int bo : bos) {
                    int ret = c.submit(Client.JobArgs.of(bo));
                    if (ret != 0) h.checks.bench("submit failed: " + ret, ctx.name);
                }
                if (cs.killed()) c.killed();
            });
        }
        return out;
    }

    /** One schedule of sc on lib, chosen by strategy (whose nextSchedule() the caller has called). */
    public static Run run(EthosuLibrary lib, Scenario sc, Strategy strategy) {
        return run(lib, sc, strategy, null);
    }

    /** As above; recorder sees every decision as it is taken (a worker's flight recorder). */
    public static Run run(EthosuLibrary lib, Scenario sc, Strategy strategy, Consumer<Schedule.Decision> recorder) {
        return run(Engine.of(lib), sc, strategy, recorder);
    }

    /** One schedule of sc on whatever engine runs the driver: the C of a variant or its model. */
    public static Run run(Engine engine, Scenario sc, Strategy strategy, Consumer<Schedule.Decision> recorder) {
        return run(engine, setup(sc), platform(engine, strategy).recordTo(recorder), null, scripts(sc), null);
    }

    /** The controlled platform an engine's runs take: the model's contexts are virtual threads. */
    public static Controlled platform(Engine engine, Strategy strategy) {
        Controlled c = new Controlled(strategy, MAX_STEPS);
        return engine.virtualThreads() ? c.onVirtualThreads() : c;
    }

    /**
     * Any scripts under control: a main script (the shim tests' body) and clients.
     *
     * @param prepare if non-null, sees the harness before it runs (to listen to its events)
     */
    public static Run run(EthosuLibrary lib, Harness.Setup setup, Strategy strategy, Harness.MainScript main,
                          List<Harness.ClientScript> clients, Consumer<Schedule.Decision> recorder,
                          Consumer<Harness> prepare) {
        return run(Engine.of(lib), setup, strategy, main, clients, recorder, prepare);
    }

    /** As above, on either engine. */
    public static Run run(Engine engine, Harness.Setup setup, Strategy strategy, Harness.MainScript main,
                          List<Harness.ClientScript> clients, Consumer<Schedule.Decision> recorder,
                          Consumer<Harness> prepare) {
        return run(engine, setup, platform(engine, strategy).recordTo(recorder), main, clients, prepare);
    }

    /** The run loop itself, on a platform made by the caller (a replay that breaks at a step). */
    public static Run run(EthosuLibrary lib, Harness.Setup setup, Controlled platform, Harness.MainScript main,
                          List<Harness.ClientScript> clients, Consumer<Harness> prepare) {
        return run(Engine.of(lib), setup, platform, main, clients, prepare);
    }

    /** As above, on either engine. */
    public static Run run(Engine engine, Harness.Setup setup, Controlled platform, Harness.MainScript main,
                          List<Harness.ClientScript> clients, Consumer<Harness> prepare) {
        Harness h = new Harness(engine, setup, platform);
        if (prepare != null) prepare.accept(h);
        RunResult r = h.run(main, clients, RUN_TIMEOUT_MS);
        return new Run(r, platform.schedule());
    }
}
