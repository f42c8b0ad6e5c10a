// `soak`: the same run again and again in one worker process, sampled as it goes (resident memory,
// open files, mappings, threads, the bench's files in /dev/shm and the temporary directory): device
// lifecycles (--lifecycles N) or stress runs for a while (--minutes M), per variant. A benchmark of
// the bench itself: what it prints goes to docs/PERFORMANCE.md.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.report.Table;
import ethosu.bench.stress.ProcessSample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Runs again and again in one worker process per variant, sampling its memory, files, "
                + "mappings and threads: --lifecycles N devices (create, probe, one job, remove, destroy) or "
                + "stress runs for --minutes M.")
final class Soak implements Callable<Integer> {
    @Option(names = "--variant", split = ",", description = "variants (default: every built one but the test variants)",
            converter = Args.Variant.class) List<String> variants;
    @Option(names = "--lifecycles", description = "device lifecycles per variant (instead of --minutes)",
            converter = Args.AtLeastOne.class) Long lifecycles;
    @Option(names = "--minutes", defaultValue = "1", description = "minutes of stress runs per variant",
            converter = Args.AtLeastOne.class) long minutes;
    @Option(names = "--every", defaultValue = "10", description = "seconds between samples",
            converter = Args.Seconds.class) long every;
    @Option(names = "--clients", defaultValue = "4", converter = Args.Clients.class) int clients;
    @Option(names = "--jobs", defaultValue = "50", description = "jobs per client of each stress run",
            converter = Args.AtLeastOneInt.class) int jobs;
    @Option(names = "--time-scale", defaultValue = "20", converter = Args.TimeScale.class) int timeScale;
    @Option(names = "--chaos", defaultValue = "0", converter = Args.PerMille.class) int chaos;
    @Option(names = "--watchdog", description = Main.WATCHDOG, converter = Args.WatchdogSeconds.class) Long watchdog;

    /** One variant's soak as the pool runs it. */
    static final class Job extends Workers.OneShot {
        final WorkerProtocol.Soak task;
        final List<WorkerProtocol.Sampled> samples = new ArrayList<>();
        String died;

        Job(WorkerProtocol.Soak task) {
            super(task, task.variant());
            this.task = task;
        }

        @Override
        public boolean reply(WorkerProtocol.Message m) throws java.io.IOException {
            if (!(m instanceof WorkerProtocol.Sampled s)) throw new java.io.IOException("a worker sent " + m + " for a soak");
            samples.add(s);
            System.err.printf("  %s: %.0f s, %d runs, RSS %d MiB, %d fds, %d maps, %d threads%n", task.variant(), s.t(),
                    s.runs(), s.sample().rssKiB() / 1024, s.sample().fds(), s.sample().maps(), s.sample().threads());
            return s.last();
        }

        @Override
        public void died(Workers.Death d) {
            died = String.valueOf(d.finding("during the soak of " + task.variant()));
        }
    }

    @Override
    public Integer call() throws Exception {
        List<String> vs = Args.variantsOrBuilt(variants);
        List<Job> jobsToRun = new ArrayList<>();
        for (String v : vs) {
            WorkerProtocol.Stress st = new WorkerProtocol.Stress(jobsToRun.size(), v, clients, jobs, 1, false, timeScale,
                    chaos, 1, null);
            jobsToRun.add(new Job(new WorkerProtocol.Soak(jobsToRun.size(), v, lifecycles != null,
                    lifecycles == null ? 0 : lifecycles, minutes * 60, every, st)));
        }
        ProcessSample before = ProcessSample.now();
        long t0 = System.nanoTime();
        // one worker: the variants take turns, so one never measures another's load
        try (Workers w = new Workers(1, -1, Args.watchdog(watchdog))) {
            w.run(jobsToRun);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        ProcessSample after = ProcessSample.now();
        boolean bad = false;
        for (Job j : jobsToRun) {
            System.out.println(j.task.variant() + (lifecycles != null ? ": " + lifecycles + " device lifecycles"
                    : ": stress runs for " + minutes + " min (" + clients + " clients x " + jobs + " jobs each)"));
            Table t = new Table("t s", "runs", "jobs", "findings", "RSS MiB", "heap live MiB", "heap held MiB", "fds",
                    "maps", "threads", "/dev/shm", "tmp");
            for (WorkerProtocol.Sampled s : j.samples)
                t.row(String.format("%.0f", s.t()), s.runs(), s.jobs(), s.findings(), s.sample().rssKiB() / 1024,
                        s.sample().heapKiB() / 1024, s.sample().heapCommittedKiB() / 1024, s.sample().fds(), s.sample().maps(), s.sample().threads(), s.sample().shmFiles(), s.sample().tmpFiles());
            System.out.print(t);
            if (j.died != null) {
                System.out.println("  the worker died: " + j.died);
                bad = true;
            } else if (j.samples.size() >= 3) {
                System.out.println("  " + growth(j.samples));
            }
            System.out.println();
        }
        System.out.printf("session: %.0f s; this process before and after: %d and %d fds, %d and %d files in /dev/shm, "
                + "%d and %d in the temporary directory%n", secs, before.fds(), after.fds(), before.shmFiles(), after.shmFiles(),
                before.tmpFiles(), after.tmpFiles());
        return bad ? Main.FINDINGS : Main.OK;
    }

    /**
     * From the sample after warm-up (the second: class loading and the JIT are done by then) to the
     * last: what grew.
     */
    static String growth(List<WorkerProtocol.Sampled> s) {
        ProcessSample a = s.get(1).sample(), b = s.get(s.size() - 1).sample();
        long max = s.stream().skip(1).mapToLong(x -> x.sample().rssKiB()).max().orElse(0);
        return String.format("after warm-up (%.0f s) to the end (%.0f s): RSS %d -> %d MiB (%+.1f%%, max %d), "
                        + "heap live %d -> %d MiB, fds %d -> %d, "
                        + "maps %d -> %d, threads %d -> %d, /dev/shm %d -> %d, tmp %d -> %d",
                s.get(1).t(), s.get(s.size() - 1).t(), a.rssKiB() / 1024, b.rssKiB() / 1024,
                a.rssKiB() == 0 ? 0 : 100.0 * (b.rssKiB() - a.rssKiB()) / a.rssKiB(), max / 1024,
                a.heapKiB() / 1024, b.heapKiB() / 1024, a.fds(), b.fds(),
                a.maps(), b.maps(), a.threads(), b.threads(), a.shmFiles(), b.shmFiles(), a.tmpFiles(), b.tmpFiles());
    }
}
