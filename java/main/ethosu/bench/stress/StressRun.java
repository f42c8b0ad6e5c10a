// Stress mode: N clients x M jobs with a mix of device behaviours against one free-running device
// per variant, real time scaled; reports jobs/s, results per kind and the checks that failed.
package ethosu.bench.stress;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.hw.JobBehaviour;
import ethosu.bench.kernel.Client;
import ethosu.bench.kernel.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

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

    public record Options(int clients, int jobsPerClient, Mix mix, long seed, Device.Options device,
                          long horizonKernelNs) {
        public static Options defaults() {
            return new Options(4, 50, Mix.DEFAULT, 1, Device.Options.defaults().withTimeScale(20), 20_000_000_000L);
        }

        public Options withJobs(int clients, int perClient) {
            return new Options(clients, perClient, mix, seed, device, horizonKernelNs);
        }

        public Options withMix(Mix m) {
            return new Options(clients, jobsPerClient, m, seed, device, horizonKernelNs);
        }

        public Options withSeed(long s) {
            return new Options(clients, jobsPerClient, mix, s, device, horizonKernelNs);
        }

        public Options withDevice(Device.Options d) {
            return new Options(clients, jobsPerClient, mix, seed, d, horizonKernelNs);
        }
    }

    public record Result(String variant, int jobs, double seconds, Map<String, Integer> results,
                         List<Finding> findings, long resets, long irqs, long spurious,
                         ethosu.bench.kernel.Trace trace) {
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

    private StressRun() {}

    public static Result run(String variant, Options o) {
        EthosuLibrary lib = EthosuLibrary.load(variant);
        long t0 = System.nanoTime();
        Device dev = new Device(lib, o.device());
        List<Thread> threads = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(o.clients());
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < o.clients(); c++) {
            final int cl = c;
            Thread t = Thread.ofPlatform().name(variant + "-client-" + c).unstarted(() -> {
                SplittableRandom r = new SplittableRandom(o.seed() * 1_000_003L + cl);
                try (Client client = dev.openClient()) {
                    int[] bos = new int[o.jobsPerClient()];
                    for (int j = 0; j < bos.length; j++) {
                        bos[j] = client.createCmdBo(Client.Stream.simple(4 + r.nextInt(12)));
                        if (bos[j] <= 0) throw new IllegalStateException("cmd BO create failed: " + bos[j]);
                        dev.npu().setBehaviour(client.dmaAddr(bos[j]), o.mix().pick(r, TIMEOUT_NS));
                    }
                    ready.countDown();
                    ready.await();
                    for (int j = 0; j < bos.length; j++) {
                        int ret = client.submit(Client.JobArgs.of(bos[j]));
                        if (ret != 0) throw new IllegalStateException("submit failed: " + ret);
                        if (r.nextInt(4) == 0) Thread.onSpinWait();
                    }
                    // the client waits for its jobs before closing, as a real one would
                    dev.awaitJobs(o.horizonKernelNs());
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        dev.awaitJobs(o.horizonKernelNs());
        double secs = (System.nanoTime() - t0) / 1e9;
        dev.checker.checkLiveness(String.format("%.1f s of kernel time", o.horizonKernelNs() / 1e9));
        dev.checker.checkCompletionsReported();
        for (Throwable e : errors) dev.checker.add(Finding.Check.BENCH, "client failed: " + e, "");
        var counters = dev.counters();
        dev.close();
        return new Result(variant, dev.checker.expectedCount(), secs, dev.checker.resultCounts(),
                dev.checker.findings(), counters.resets(), counters.irqs(), counters.spuriousIrqs(), dev.trace);
    }
}
