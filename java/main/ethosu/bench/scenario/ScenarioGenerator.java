// Random scenarios from a seed (clients, jobs, device behaviours, kills, faults), written in the
// scenario file format and read back by its parser, and their shrinking: the simpler scenarios one
// edit away, so a failing scenario can be cut down to a minimal file a person reads at a glance.
// Property tests use it on JUnit 5 alone (docs/SCENARIOS.md, "Generated scenarios").
package ethosu.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

public final class ScenarioGenerator {
    private ScenarioGenerator() {}

    /** A job: its name and its behaviour as the file writes it ("complete 2ms", "spurious 100us hang"). */
    public record Job(String name, String behaviour) {}

    public record Client(List<Job> jobs, boolean killed) {
        public Client {
            jobs = List.copyOf(jobs);
        }
    }

    /**
     * A generated scenario: what its file says. Its horizon leaves every job two timeouts and a
     * second to spare: a job may time out, and a fault interrupt that arrives while the timeout
     * handler runs waits a whole timeout (the handler re-arms the timer over drm_sched_fault's
     * immediate one), so a shorter horizon would report that wait as a job that never finished.
     */
    public record Spec(String name, List<Client> clients) {
        public Spec {
            clients = List.copyOf(clients);
        }

        public int jobs() {
            return clients.stream().mapToInt(c -> c.jobs().size()).sum();
        }

        /** Kernel time the scenario may take: (2 x jobs + 1) s. */
        public String horizon() {
            return (2 * jobs() + 1) + "s";
        }

        /** The scenario file. */
        public String text() {
            StringBuilder sb = new StringBuilder("scenario " + name + "\n");
            sb.append("  horizon ").append(horizon()).append('\n');
            for (Client c : clients) {
                sb.append("  client\n");
                for (Job j : c.jobs()) sb.append("    submit ").append(j.name()).append(' ').append(j.behaviour()).append('\n');
                if (c.killed()) sb.append("    kill\n");
            }
            return sb.toString();
        }

        /** The same scenario with its jobs named A, B, C ... in the order the file lists them. */
        public Spec renamed() {
            List<Client> cs = new ArrayList<>();
            int k = 0;
            for (Client c : clients) {
                List<Job> js = new ArrayList<>();
                for (Job j : c.jobs()) js.add(new Job(String.valueOf((char) ('A' + k++)), j.behaviour()));
                cs.add(new Client(js, c.killed()));
            }
            return new Spec(name, cs);
        }

        /** The scenario itself, read by the parser from its file text. */
        public Scenario scenario() {
            return ScenarioParser.parse(name + ".scenario", text()).get(0);
        }
    }

    /** At most this many jobs: a few keep every schedule short and the space to explore small. */
    public static final int MAX_JOBS = 4;

    /** A scenario from seed; the same seed always gives the same scenario. */
    public static Spec generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int clients = 1 + (r.nextInt(4) == 0 ? 1 : 0);
        int jobs = clients + r.nextInt(MAX_JOBS - clients + 1);
        List<List<Job>> lists = new ArrayList<>();
        for (int i = 0; i < clients; i++) lists.add(new ArrayList<>());
        for (int k = 0; k < jobs; k++) {
            String b = behaviour(r, 0);
            // every client submits at least once
            lists.get(k < clients ? k : r.nextInt(clients)).add(new Job(String.valueOf((char) ('A' + k)), b));
        }
        List<Client> cs = new ArrayList<>();
        for (List<Job> l : lists) cs.add(new Client(l, r.nextInt(6) == 0));
        return new Spec("gen-" + Long.toUnsignedString(seed, 36), cs);
    }

    private static String behaviour(SplittableRandom r, int depth) {
        return switch (r.nextInt(depth == 0 ? 9 : 8)) {
            case 0, 1, 2 -> "complete";
            case 3 -> "complete " + duration(r);
            case 4 -> "hang";
            case 5 -> "bus-error" + (r.nextBoolean() ? "" : " " + duration(r));
            case 6 -> "parse-error" + (r.nextBoolean() ? "" : " " + duration(r));
            case 7 -> "slow 50ms 700ms";
            default -> "spurious 100us " + behaviour(r, depth + 1);
        };
    }

    private static String duration(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> "10us";
            case 1 -> "1ms";
            case 2 -> "100ms";
            default -> "499ms";
        };
    }

    /**
     * The scenarios one simplification away, simplest edits first: a client dropped, a job dropped,
     * a kill dropped, a behaviour made plainer (a spurious interrupt removed, a fault or a hang turned
     * into a completion, a duration dropped).
     */
    public static List<Spec> shrinks(Spec s) {
        List<Spec> out = new ArrayList<>();
        List<Client> cs = s.clients();
        for (int i = 0; i < cs.size() && cs.size() > 1; i++) {
            List<Client> less = new ArrayList<>(cs);
            less.remove(i);
            out.add(new Spec(s.name(), less));
        }
        for (int i = 0; i < cs.size(); i++) {
            Client c = cs.get(i);
            for (int j = 0; j < c.jobs().size() && c.jobs().size() > 1; j++) {
                List<Job> js = new ArrayList<>(c.jobs());
                js.remove(j);
                out.add(with(s, i, new Client(js, c.killed())));
            }
        }
        for (int i = 0; i < cs.size(); i++)
            if (cs.get(i).killed()) out.add(with(s, i, new Client(cs.get(i).jobs(), false)));
        for (int i = 0; i < cs.size(); i++) {
            Client c = cs.get(i);
            for (int j = 0; j < c.jobs().size(); j++) {
                for (String b : plainer(c.jobs().get(j).behaviour())) {
                    List<Job> js = new ArrayList<>(c.jobs());
                    js.set(j, new Job(js.get(j).name(), b));
                    out.add(with(s, i, new Client(js, c.killed())));
                }
            }
        }
        return out;
    }

    private static Spec with(Spec s, int i, Client c) {
        List<Client> cs = new ArrayList<>(s.clients());
        cs.set(i, c);
        return new Spec(s.name(), cs);
    }

    /** Plainer behaviours than b, plainest first. */
    static List<String> plainer(String b) {
        List<String> out = new ArrayList<>();
        if (b.equals("complete")) return out;
        out.add("complete");
        if (b.startsWith("spurious ")) out.add(b.substring(b.indexOf(' ', "spurious ".length()) + 1));
        String[] w = b.split(" ");
        if (w.length == 2 && !w[0].equals("spurious") && !w[0].equals("complete")) out.add(w[0]);
        return out;
    }

    /**
     * Shrinks a failing scenario: takes the first simpler scenario that still fails, until none
     * does (at most maxSteps edits). fails must be deterministic for the result to be minimal.
     */
    public static Spec shrink(Spec failing, java.util.function.Predicate<Spec> fails, int maxSteps) {
        Spec best = failing;
        for (int step = 0; step < maxSteps; step++) {
            Spec next = null;
            for (Spec c : shrinks(best)) {
                if (fails.test(c)) {
                    next = c;
                    break;
                }
            }
            if (next == null) break;
            best = next;
        }
        // names are labels: A, B ... read best, if the scenario still fails with them
        Spec renamed = best.renamed();
        return !renamed.equals(best) && fails.test(renamed) ? renamed : best;
    }
}
