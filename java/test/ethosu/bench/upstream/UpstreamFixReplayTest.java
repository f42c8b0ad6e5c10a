// The candidate scheduler fixes of docs/upstream/ verified by replay: a baseline schedule of the race
// a fix addresses shows its finding on the unfixed shims (the locked variant) and, replayed on the
// shims with the fix (build/kshim-fixes/<name>/), runs to the end without it and with no finding the
// baseline does not know; the trace is identical to the unfixed one up to where the fix acts.
package ethosu.bench.upstream;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.Runs;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.strategy.Replay;
import ethosu.bench.kernel.RunResult;
import ethosu.bench.report.Baseline;
import ethosu.bench.report.TraceText;
import ethosu.bench.scenario.Catalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class UpstreamFixReplayTest {
    static final Path BASELINE = Path.of("baseline/known-findings.txt");

    record Replayed(RunResult result, List<String> trace, String divergence) {}

    static Replayed replay(EthosuLibrary lib, Path schedule) throws Exception {
        Replay r = new Replay(Schedule.read(schedule));
        r.nextSchedule();
        RunResult res = Runs.run(lib, Catalog.get(header(schedule, "scenario")), r).result();
        return new Replayed(res, TraceText.lines(res.trace(), res.names()), r.divergence());
    }

    static String header(Path p, String key) throws Exception {
        for (String l : Files.readAllLines(p))
            if (l.startsWith("# " + key + ":")) return l.substring(l.indexOf(':') + 1).strip();
        throw new AssertionError(p + " has no '" + key + "' header");
    }

    static int commonPrefix(List<String> a, List<String> b) {
        int n = 0;
        while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) n++;
        return n;
    }

    /**
     * Replays the entry's schedule on the unfixed variant (finding present) and on the fix's library
     * (ends; the entry and its follow-ons gone, every other finding a known one); prints how much of the trace the two share.
     */
    static void verify(String entryId, String fix) throws Exception {
        Baseline.Entry e = entry(entryId);
        assertNotNull(e.schedule(), entryId + " has no schedule");
        verify(e, Path.of(e.schedule()), fix);
    }

    static Baseline.Entry entry(String id) {
        return Baseline.load(BASELINE).entries().stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no baseline entry " + id));
    }

    static void verify(Baseline.Entry e, Path schedule, String fix) throws Exception {
        String entryId = e.id();
        String variant = header(schedule, "variant");
        Replayed before = replay(EthosuLibrary.load(variant), schedule);
        assertNull(before.divergence(), entryId + ": the replay left " + schedule + " on the unfixed shims");
        assertTrue(before.result().findings().stream().anyMatch(f -> e.matches(variant, f)),
                entryId + ": " + schedule + " does not show its finding on the unfixed shims: " + before.result().findings());

        Path lib = EthosuLibrary.buildDir().resolve("kshim-fixes").resolve(fix).resolve("libethosu.so");
        assertTrue(Files.isRegularFile(lib), "no fixed library at " + lib + ": run `make libs`");
        Replayed after = replay(EthosuLibrary.load(lib), schedule);
        assertEquals(RunResult.End.ENDED, after.result().end(), fix + ": the replay of " + schedule + " did not end");
        // gone: the entry and its follow-ons; anything else the fixed run shows must be a known finding
        // (a schedule that got further may reach the driver's own, e.g. the killed jobs' fence)
        Baseline baseline = Baseline.load(BASELINE);
        for (var f : after.result().findings()) {
            Baseline.Entry m = baseline.match(variant, f);
            assertNotNull(m, fix + ": a new finding on the fixed shims, replaying " + schedule + ": " + f);
            assertFalse(m.id().startsWith(entryId), fix + ": " + entryId + " is still there: " + f);
        }
        List<String> known = after.result().findings().stream().map(f -> baseline.match(variant, f).id()).distinct().toList();
        int same = commonPrefix(before.trace(), after.trace());
        System.out.println("upstream fix " + fix + ": " + schedule + " shows " + entryId + " unfixed ("
                + before.result().findings().size() + " findings, " + before.trace().size() + " trace lines); fixed: it is gone, "
                + after.trace().size() + " trace lines, the first " + same + " identical, known findings " + known
                + (after.divergence() != null ? "; the schedule diverges at " + after.divergence() : "; follows the schedule"));
        assertTrue(same > 0, fix + ": the fixed trace differs from the first line");
    }

    /** sched-rq-pop-skips-stopped-entity: the killed entity is no longer put back on the run queue. */
    @Test
    void rqPopSkipsStoppedEntityRemovesTheRunQueueUseAfterFree() throws Exception {
        verify("sched-killed-entity-left-on-run-queue", "sched-rq-pop-skips-stopped-entity");
    }

    /**
     * sched-wqueue-stop-disables-work: the free-job work queued by the IRQ thread after drm_sched_stop's
     * cancel no longer runs during the reset. The baseline entry has no schedule of its own (it is
     * found by exploration on every variant); this one, found by `make explore ARGS="--variant locked
     * --scenario completion-vs-timeout --strategy pct:3 --seed 1"`, sits next to the write-up.
     */
    @Test
    void wqueueStopDisablesWorkRemovesTheFreeJobWorkDuringStop() throws Exception {
        verify(entry("sched-free-job-work-during-stop"), Path.of("docs/upstream/sched-wqueue-stop-disables-work.schedule"),
                "sched-wqueue-stop-disables-work");
    }
}
