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
            permits Task, Shrink, Found, Reached, Hit, Matched, Progress, Diverged, Compared, Done {}

    /**
     * Explore variant x scenario with a strategy, part shard of shards of it, within budget
     * schedules and millis; first: index of the first schedule (after a crash, the one after it);
     * resume: the crashed worker's flight record, from which a bounded DFS rebuilds its path, or null.
     * claims: evaluate the built-in claims on every schedule (the scenario's own queries always are).
     * model: the other side of a differential task, a variant's model (null: the variant's own).
     */
    record Task(int id, String variant, String scenario, String strategy, long seed, long budget, long millis,
                boolean minimize, long first, String resume, boolean claims, String model, int shard, int shards)
            implements Message {}

    /** Shrink a query's match: the schedule file of a Hit, minimised in at most maxRuns runs. */
    record Shrink(int id, String variant, String scenario, String query, String schedule, int maxRuns)
            implements Message {}

    /** A distinct finding of a task: its schedule file and its report (with the race) beside it. */
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

    /** The task's end. */
    record Done(int task, long schedules, boolean exhausted, double seconds, long steps, long stepLimited,
                String problem) implements Message {}

    private static final ObjectInputFilter ONLY_MESSAGES = ObjectInputFilter.Config.createFilter(
            "ethosu.bench.cli.WorkerProtocol$*;ethosu.bench.check.Finding;ethosu.bench.check.Finding$Check;"
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
