// A scenario: what the clients submit and what the device does with each job. The same scenario
// runs free-running or under the controller; under control, when things happen is the schedule's.
package ethosu.bench.scenario;

import ethosu.bench.hw.JobBehaviour;
import ethosu.bench.hw.NpuVariant;
import ethosu.bench.query.Query;

import java.util.List;

/**
 * @param queries the properties its `witness` and `never` lines ask of every schedule (docs/QUERIES.md)
 * @param faults  the kernel interface calls it makes fail (its `fail` lines)
 */
public record Scenario(String name, String about, NpuVariant npu, int sramSize, long horizonNs,
                       List<ClientScript> clients, String source, List<Query> queries, List<FaultSpec> faults) {
    public Scenario {
        queries = List.copyOf(queries);
        faults = List.copyOf(faults);
    }

    /** A scenario without queries that makes no kernel interface fail. */
    public Scenario(String name, String about, NpuVariant npu, int sramSize, long horizonNs, List<ClientScript> clients,
                    String source) {
        this(name, about, npu, sramSize, horizonNs, clients, source, List.of(), List.of());
    }

    /** A scenario with queries that makes no kernel interface fail. */
    public Scenario(String name, String about, NpuVariant npu, int sramSize, long horizonNs, List<ClientScript> clients,
                    String source, List<Query> queries) {
        this(name, about, npu, sramSize, horizonNs, clients, source, queries, List.of());
    }

    /** The same scenario with more forced failures (the command line's --fail). */
    public Scenario withFaults(List<FaultSpec> more) {
        if (more.isEmpty()) return this;
        List<FaultSpec> all = new java.util.ArrayList<>(faults);
        all.addAll(more);
        return new Scenario(name, about, npu, sramSize, horizonNs, clients, source, queries, all);
    }

    /**
     * One submit: its job's name in reports and what the device does with it; bad: null, or how the
     * submit is wrong (the driver must refuse it with that errno, and the job never runs).
     */
    public record Job(String name, JobBehaviour behaviour, BadSubmit bad) {
        public Job(String name, JobBehaviour behaviour) {
            this(name, behaviour, null);
        }
    }

    /** One client's script: submits in order (one ioctl each), optionally killed before its file closes. */
    public record ClientScript(List<Job> jobs, boolean killed) {}

    public int jobCount() {
        return clients.stream().mapToInt(c -> c.jobs().size()).sum();
    }
}
