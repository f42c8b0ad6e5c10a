// What one run of a scenario ended with, whatever the interleaving that got there: each job's
// result in the order the jobs finished, the jobs that never finished, and the NPU resets.
package ethosu.bench.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * @param finished "A=0", "B=-ECANCELED" in completion order
 * @param unfinished names of jobs whose finished fence never signalled, sorted
 * @param resets NPU reset sequences (the first power-up included)
 */
public record Outcome(List<String> finished, List<String> unfinished, int resets)
        implements Comparable<Outcome>, java.io.Serializable {
    public Outcome {
        finished = List.copyOf(finished);
        unfinished = List.copyOf(unfinished);
    }

    /** The outcome a run's checks saw; jobs by their scenario names where they have one. */
    public static Outcome of(Checks c) {
        Map<Long, String> names = c.jobNames();
        Map<Long, Integer> results = c.results();
        List<String> done = new ArrayList<>();
        for (long id : c.completionOrder()) {
            if (!results.containsKey(id)) continue; // not a job a submit returned 0 for
            done.add(name(names, id) + "=" + Errno.name(results.get(id)));
        }
        TreeSet<String> never = new TreeSet<>();
        for (var e : results.entrySet()) if (e.getValue() == null) never.add(name(names, e.getKey()));
        return new Outcome(done, new ArrayList<>(never), c.resets());
    }

    private static String name(Map<Long, String> names, long id) {
        String n = names.get(id);
        return n != null ? n : String.format("0x%x", id);
    }

    /** One line: "A=0 B=-ECANCELED; unfinished C; 2 resets". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(finished.isEmpty() ? "no job finished" : String.join(" ", finished));
        if (!unfinished.isEmpty()) sb.append("; unfinished ").append(String.join(" ", unfinished));
        sb.append("; ").append(resets).append(resets == 1 ? " reset" : " resets");
        return sb.toString();
    }

    /** Parses what toString() wrote (outcomes cross process boundaries as text). */
    public static Outcome parse(String s) {
        String[] parts = s.split("; ");
        List<String> done = parts[0].equals("no job finished") ? List.of() : List.of(parts[0].split(" "));
        List<String> never = List.of();
        int resets = 0;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("unfinished ")) never = List.of(parts[i].substring(11).split(" "));
            else resets = Integer.parseInt(parts[i].split(" ")[0]);
        }
        return new Outcome(done, never, resets);
    }

    @Override
    public int compareTo(Outcome o) {
        return toString().compareTo(o.toString());
    }
}
