// Stress mode: N clients x M jobs with a mix of device behaviours against one free-running device
// per variant, real time scaled; reports jobs/s, results per kind and the checks that failed.
package ethosu.bench.stress;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.hw.JobBehaviour;
import ethosu.bench.kernel.Client;
import ethosu.bench.kernel.FreeRunning;
import ethosu.bench.kernel.Harness;
import ethosu.bench.kernel.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

public final class StressRun {
    /** Percentages of each device behaviour; the rest complete quickly. */
    public record Mix(int slowPct, int hangPct, int busErrorPct, int parseErrorPct, int spuriousPct) {
        public static final Mix NORMAL = new Mix(0, 0, 0, 0, 0);
        public static final Mix DEFAULT = new Mix(3, 2, 1, 1, 2);

        JobBehaviour pick(SplittableRandom r, long timeoutNs) {
            int x = r.nextInt(100);
            long quick = 20_000 + r.nextLong(2_000_000);
            if ((x -= slowPct) < 0) return JobBehaviour.slowProgress(timeoutNs / 20, timeoutNs * 3 / 2);
            if ((x -= hangPct) < 0) return JobBehaviour.hang();
            if ((x -= busErrorPct) < 0) return JobBehaviour.busError(quick);
            if ((x -= parseErrorPct) < 0) return JobBehaviour.parseError(quick);
            if ((x -= spuriousPct) < 0) return JobBehaviour.spuriousIrq(quick / 2, JobBehaviour.complete(quick));
            return JobBehaviour.complete(quick);
        }
    }

    /**
     * @param timeScale kernel ns per real ns (20 makes the 500 ms timeout 25 ms of real time)
     * @param chaos     per-mille chance to yield at each scheduling point
     */
    public record Options(int clients, int jobsPerClient, Mix mix, long seed, Harness.Setup setup, int timeScale,
                          int chaos) {
        public static Options defaults() {
            return new Options(4, 50, Mix.DEFAULT, 1, Harness.Setup.defaults().withHorizon(20_000_000_000L), 20, 0);
        }

        public Options withJobs(int clients, int perClient) {
            return new Options(clients, perClient, mix, seed, setup, timeScale, chaos);
        }

        public Options withMix(Mix m) {
            return new Options(clients, jobsPerClient, m, seed, setup, timeScale, chaos);
        }

        public Options withSeed(long s) {
            return new Options(clients, jobsPerClient, mix, s, setup, timeScale, chaos);
        }

        public Options withSetup(Harness.Setup s) {
            return new Options(clients, jobsPerClient, mix, seed, s, timeScale, chaos);
        }

        public Options withTimeScale(int t) {
            return new Options(clients, jobsPerClient, mix, seed, setup, t, chaos);
        }

        public Options withChaos(int c) {
            return new Options(clients, jobsPerClient, mix, seed, setup, timeScale, c);
        }
    }

    public record Result(String variant, int jobs, double seconds, Map<String, Integer> results,
                         List<Finding> findings, long resets, long irqs, long spurious, RunResult run) {
        public double jobsPerSecond() {
            return seconds > 0 ? jobs / seconds : 0;
        }

        /** Findings grouped by check, in check order. */
        public Map<Finding.Check, Long> byCheck() {
            Map<Finding.Check, Long> m = new java.util.EnumMap<>(Finding.Check.class);
            for (Finding f : findings) m.merge(f.check(), 1L, Long::sum);
            return m;
        }
    }

    private static final long TIMEOUT_NS = 500_000_000L;
    /** Real time a stress run may take before it counts as a bench failure. */
    private static final long RUN_TIMEOUT_MS = 600_000;

    private StressRun() {}

    /** One client's script: make its jobs' streams and choose what the device does with each, then submit them. */
    private static Harness.ClientScript client(Options o, int cl) {
        return (h, ctx) -> {
            SplittableRandom r = new SplittableRandom(o.seed() * 1_000_003L + cl);
            Client client = ctx.file();
            int[] bos = new int[o.jobsPerClient()];
            for (int j = 0; j < bos.length; j++) {
                bos[j] = client.createCmdBo(Client.Stream.simple(4 + r.nextInt(12)));
                if (bos[j] <= 0) throw new IllegalStateException("cmd BO create failed: " + bos[j]);
                h.npu().setBehaviour(client.dmaAddr(bos[j]), o.mix().pick(r, TIMEOUT_NS));
            }
            for (int bo : bos) {
                int ret = client.submit(Client.JobArgs.of(bo));
                if (ret != 0) throw new IllegalStateException("submit failed: " + ret);
                if (r.nextInt(4) == 0) Thread.onSpinWait();
            }
        };
    }

    public static Result run(String variant, Options o) {
        EthosuLibrary lib = EthosuLibrary.load(variant);
        Harness h = new Harness(lib, o.setup(), new FreeRunning(o.timeScale(), o.chaos()));
        List<Harness.ClientScript> clients = new ArrayList<>();
        for (int c = 0; c < o.clients(); c++) clients.add(client(o, c));
        RunResult r = h.run(null, clients, RUN_TIMEOUT_MS);
        var counters = r.counters();
        return new Result(variant, r.expected(), r.seconds(), r.resultCounts(), r.findings(),
                counters == null ? 0 : counters.resets(), counters == null ? 0 : counters.irqs(),
                counters == null ? 0 : counters.spuriousIrqs(), r);
    }
}
