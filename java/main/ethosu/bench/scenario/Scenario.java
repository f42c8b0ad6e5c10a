// A scenario: what the clients submit and what the device does with each job. The same scenario
// runs free-running or under the controller; under control, when things happen is the schedule's.
package ethosu.bench.scenario;

import ethosu.bench.hw.JobBehaviour;
import ethosu.bench.hw.NpuVariant;
import ethosu.bench.query.Query;

import java.util.List;

/** @param queries the properties its `witness` and `never` lines ask of every schedule (docs/QUERIES.md) */
public record Scenario(String name, String about, NpuVariant npu, int sramSize, long horizonNs,
                       List<ClientScript> clients, String source, List<Query> queries) {
    public Scenario {
        queries = List.copyOf(queries);
    }

    /** A scenario without queries. */
    public Scenario(String name, String about, NpuVariant npu, int sramSize, long horizonNs, List<ClientScript> clients,
                    String source) {
        this(name, about, npu, sramSize, horizonNs, clients, source, List.of());
    }

    /** One job: its name in reports and what the device does with it. */
    public record Job(String name, JobBehaviour behaviour) {}

    /** One client's script: submits in order (one ioctl each), optionally killed before its file closes. */
    public record ClientScript(List<Job> jobs, boolean killed) {}

    public int jobCount() {
        return clients.stream().mapToInt(c -> c.jobs().size()).sum();
    }
}
