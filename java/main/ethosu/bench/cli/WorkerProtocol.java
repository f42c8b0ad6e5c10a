// What `run` and its worker processes say to each other, typed: a task goes down, findings and the
// task's end come back, as serialised records over the worker's stdin and stdout (a filter admits
// only these classes). A worker that dies mid-task leaves its flight recorder instead.
package ethosu.bench.cli;

import ethosu.bench.check.Finding;
import ethosu.bench.check.Outcome;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;

final class WorkerProtocol {
    private WorkerProtocol() {}

    sealed interface Message extends Serializable
            permits Task, Shrink, Replay, Stress, Soak, Found, Reached, Hit, Matched, Progress, Done, Output, Stressed,
            Sampled, Retire, Diverged, Compared {}

    /**
     * Explore variant x scenario with a strategy, part shard of shards of it, within budget
     * schedules and millis; first: index of the first schedule (after a crash, the one after it);
     * resume: the record (FlightRecorder) from which a bounded DFS rebuilds its path, or null;
     * save: where finding files go; stopAt: null, "first" (the first finding) or "distinct" (the
     * first the baseline file does not attribute to locked); scenarioFile: the file the scenario is
     * from, null for a built-in one; known: identities of findings the task reported already (found
     * again, they are only counted: not minimised again, no files written); claims: evaluate the
     * built-in claims on every schedule (the scenario's own queries always are); model: the other
     * side of a differential task (its strategy starts with Worker.DIFF), a variant's model (null:
     * the variant's own).
     */
    record Task(int id, String variant, String scenario, String strategy, long seed, long budget, long millis,
                boolean minimize, long first, String resume, String save, String stopAt, String baseline,
                String scenarioFile, java.util.List<String> known, boolean claims, String model, int shard,
                int shards) implements Message {}

    /** Shrink a query's match: the schedule file of a Hit, minimised in at most maxRuns runs. */
    record Shrink(int id, String variant, String scenario, String query, String schedule, int maxRuns)
            implements Message {}

    /**
     * Replay a schedule file (times runs); the worker answers with the command's Output; baseline:
     * the file its findings are judged against (null: none, every finding is new); traceJson,
     * ftrace: files the trace is written to, or null; query: the query whose match the replay draws
     * and is judged by (null: none), read from querySource.
     */
    record Replay(int id, String variant, String scenario, String scenarioFile, String schedule, int times,
                  boolean trace, String finding, boolean update, String baseline, String traceJson, String ftrace,
                  String query, String querySource) implements Message {}

    /** One stress run of a variant on the free-running platform; answered by Stressed. */
    record Stress(int id, String variant, int clients, int jobs, long seed, boolean normal, int timeScale, int chaos,
                  int traceLevel, String regs) implements Message {}

    /**
     * A soak: the same run again and again for seconds (or count times, if count > 0), sampling the
     * worker every `every` seconds; lifecycles: each run is one device's life with one job (create,
     * probe, the job, remove, destroy), else a stress run as Stress's.
     */
    record Soak(int id, String variant, boolean lifecycles, long count, long seconds, long every, Stress stress)
            implements Message {}

    /** A soak's sample: what the worker held after runs runs (jobs jobs, findings findings) at t seconds; last: the final one. */
    record Sampled(int task, double t, long runs, long jobs, long findings, ethosu.bench.stress.ProcessSample sample,
                   boolean last) implements Message {}

    /**
     * A distinct finding of a task: its schedule file and its report (with the race) beside it; both
     * null for a finding the task had reported already (Task.known).
     */
    record Found(int task, Finding finding, long index, double seconds, String schedule, String report)
            implements Message {}

    /** A distinct outcome a task's runs reached (`check`), with the first schedule that reached it. */
    record Reached(int task, Outcome outcome, long index, String schedule) implements Message {}

    /** A query's first match in a task: the schedule as explored (file), and the match in words. */
    record Hit(int task, String query, long index, String match, String schedule) implements Message {}

    /** A shrunk match: its minimised schedule and the report with its race. */
    record Matched(int task, String query, long index, String match, String schedule, String report)
            implements Message {}

    /** How far a task is: schedules so far, distinct findings, a bounded search's estimated share done (-1: none). */
    record Progress(int task, long schedules, int findings, double dfsDone, double seconds) implements Message {}

    /** A distinct divergence of a differential task (the C against its model): where, what, its files. */
    record Diverged(int task, int step, String context, String what, String schedule, String report)
            implements Message {}

    /** A differential task compared its schedules: how many diverged (sent before its Done). */
    record Compared(int task, long divergences) implements Message {}

    /**
     * The task's end. lockedUp: its last run locked up (the last of its schedules, or the run that laid
     * out its part's points), after which the task goes on in a fresh worker, its DFS path rebuilt
     * from resume. pruned, redundant: a bounded DFS's reduction in this worker (options not run as
     * asleep or repeating an explored schedule, runs that went on redundant); 0 for other strategies.
     */
    record Done(int task, long schedules, boolean exhausted, double seconds, long steps, long stepLimited,
                String problem, boolean lockedUp, String resume, long pruned, long redundant) implements Message {}

    /** What a command run in the worker printed, and its exit status. */
    record Output(int task, String text, int status) implements Message {}

    /** A stress run's result; lockedUp: the watchdog stopped it (its findings say what was stuck). */
    record Stressed(int task, String variant, int jobs, double seconds, java.util.Map<String, Integer> results,
                    java.util.List<Finding> findings, long resets, long irqs, long spurious, boolean lockedUp)
            implements Message {}

    /**
     * Sent before a task's last message: the worker exits after it (a context of the driver is
     * stopped inside it for good), and a fresh one takes the next task.
     */
    record Retire(String why) implements Message {}

    private static final ObjectInputFilter ONLY_MESSAGES = ObjectInputFilter.Config.createFilter(
            "ethosu.bench.cli.WorkerProtocol$*;ethosu.bench.check.Finding;ethosu.bench.check.Finding$Check;"
                    + "ethosu.bench.stress.ProcessSample;"
                    + "ethosu.bench.check.Outcome;"
                    + "java.lang.*;java.util.*;!*");

    /** The sending end; one per stream. */
    static final class Writer {
        private final ObjectOutputStream out;

        Writer(OutputStream os) throws IOException {
            out = new ObjectOutputStream(os);
            out.flush();
        }

        synchronized void send(Message m) throws IOException {
            out.writeObject(m);
            out.reset(); // each message on its own: no back-references to earlier ones
            out.flush();
        }
    }

    /** The receiving end; null from next() when the other side has gone. */
    static final class Reader {
        private final ObjectInputStream in;

        Reader(InputStream is) throws IOException {
            in = new ObjectInputStream(is);
            in.setObjectInputFilter(ONLY_MESSAGES);
        }

        Message next() throws IOException {
            try {
                return (Message) in.readObject();
            } catch (EOFException e) {
                return null;
            } catch (ClassNotFoundException | ClassCastException e) {
                throw new IOException("not a worker message: " + e.getMessage(), e);
            }
        }
    }
}
