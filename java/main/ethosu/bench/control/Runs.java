// The one run loop: one schedule of a scenario on a variant under the controlled platform (make the
// harness, run the scenario's scripts, collect, free). Exploration, minimisation, replay and the
// tests all run schedules through here.
package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Errno;
import ethosu.bench.check.Checks;
import ethosu.bench.kernel.Client;
import ethosu.bench.kernel.Engine;
import ethosu.bench.kernel.Harness;
import ethosu.bench.kernel.RunResult;
import ethosu.bench.check.Finding;
import ethosu.bench.scenario.FaultSpec;
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
    public record Run(RunResult result, Schedule schedule) {
        /** Which kernel context the run had stalled how long when it made finding f. */
        public String needs(ethosu.bench.check.Finding f) {
            return result.names() instanceof Harness h ? h.needs(f) : "";
        }
    }

    private Runs() {}

    /** The harness of a scenario: its NPU, SRAM and horizon; the driver probed. */
    public static Harness.Setup setup(Scenario sc) {
        return Harness.Setup.defaults().withNpu(sc.npu()).withSram(sc.sramSize()).withHorizon(sc.horizonNs());
    }

    /**
     * The client scripts of a scenario: create each job's command BO, submit them in order. A bad
     * submit must be refused with its errno (else a finding: the driver took a path it must not);
     * a good one must be accepted, unless the scenario forces a failure and the ioctl says -ENOMEM.
     */
    public static List<Harness.ClientScript> scripts(Scenario sc) {
        List<Harness.ClientScript> out = new ArrayList<>();
        boolean failing = !sc.faults().isEmpty();
        for (Scenario.ClientScript cs : sc.clients()) {
            out.add((h, ctx) -> {
                Client c = ctx.file();
                int[] bos = new int[cs.jobs().size()];
                for (int i = 0; i < bos.length; i++) {
                    var job = cs.jobs().get(i);
                    int mark = h.faultMark(ctx.id);
                    bos[i] = job.bad() != null ? job.bad().commandBo(c, sc.sramSize()) : c.createCmdBo(Client.Stream.simple(4));
                    // expected to fail only when a forced failure hit the BO's allocation
                    if (!h.returned(ctx.id, "creating job " + job.name() + "'s command BO", Math.min(bos[i], 0), mark,
                            Finding.Check.BENCH)) continue;
                    if (bos[i] == 0) continue; // a bad submit with no command stream of its own
                    long id = c.dmaAddr(bos[i]);
                    h.npu().setBehaviour(id, job.behaviour());
                    h.nameJob(id, job.name());
                }
                for (int i = 0; i < bos.length; i++) {
                    var job = cs.jobs().get(i);
                    if (bos[i] < 0) continue;
                    if (job.bad() != null) {
                        int ret = job.bad().submit(c, bos[i], sc.sramSize());
                        // a forced failure may end it earlier, with -ENOMEM
                        int expected = failing && ret == -Errno.ENOMEM ? ret : job.bad().errno;
                        h.checks.badSubmit(new Checks.BadSubmit(job.name(), job.bad().word + ": " + job.bad().about,
                                expected, ret, ctx.name));
                        continue;
                    }
                    int mark = h.faultMark(ctx.id);
                    int ret = c.submit(Client.JobArgs.of(bos[i]));
                    // a valid job the driver refuses (e.g. -EACCES while a reset has runtime PM disabled)
                    h.returned(ctx.id, "the submit of job " + job.name(), ret, mark, Finding.Check.SUBMIT_ACCEPTED);
                }
                if (cs.killed()) c.killed();
            });
        }
        return out;
    }

    /**
     * Arms the scenario's forced failures on a harness before it runs: counted from device creation,
     * so the probe's allocations count too (the shims here keep one allocation failure armed).
     */
    public static Consumer<Harness> faults(Scenario sc) {
        return h -> arm(h, sc);
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
        return run(engine, setup(sc), platform(engine, strategy).recordTo(recorder), null, scripts(sc), h -> arm(h, sc));
    }

    /** Arms the scenario's forced failures and the command line's (--fail) on a harness, before it runs. */
    public static void arm(Harness h, Scenario sc) {
        h.arm(sc.faults());
        h.arm(FaultSpec.fromCommandLine());
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
