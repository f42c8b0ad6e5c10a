// PCT (probabilistic concurrency testing, Burckhardt et al.): random distinct priorities per
// choice (contexts, the device, time), the highest enabled one runs; at d-1 random steps the
// running one drops to the lowest priority. Finds a bug of depth d with probability >= 1/(n k^(d-1)).
package ethosu.bench.control.strategy;

import ethosu.bench.control.Choice;
import ethosu.bench.control.Strategy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

public final class Pct implements Strategy {
    private final long seed;
    private final int depth;
    private final int steps;
    private final int schedules;
    private final int shard, shards;
    private int done = -1;
    private SplittableRandom random;
    private final Map<String, Integer> priority = new HashMap<>();
    private int[] changeAt;
    private int calls;
    private int low;

    /**
     * @param depth     d: the bug depth targeted (d-1 priority change points)
     * @param steps     k: the expected number of decisions in a schedule
     */
    public Pct(long seed, int depth, int steps, int schedules) {
        this(seed, depth, steps, schedules, 0, 1);
    }

    /**
     * Part of a split exploration: schedule i (its seed) belongs to shard i mod shards, so the
     * shards together run schedules 0 to schedules-1, each once.
     */
    public Pct(long seed, int depth, int steps, int schedules, int shard, int shards) {
        if (shards < 1 || shard < 0 || shard >= shards)
            throw new IllegalArgumentException("shard " + shard + " of " + shards);
        this.shard = shard;
        this.shards = shards;
        this.seed = seed;
        this.depth = depth;
        this.steps = Math.max(1, steps);
        this.schedules = schedules;
    }

    @Override
    public boolean nextSchedule() {
        do done++;
        while (done % shards != shard);
        random = new SplittableRandom(seed * 31 + done);
        priority.clear();
        changeAt = new int[Math.max(0, depth - 1)];
        for (int i = 0; i < changeAt.length; i++) changeAt[i] = 1 + random.nextInt(steps);
        calls = 0;
        low = 0;
        return done < schedules;
    }

    private int priorityOf(String name) {
        // new names get a random priority above every change-point priority
        return priority.computeIfAbsent(name, n -> depth + random.nextInt(1_000_000));
    }

    @Override
    public int choose(int step, List<Choice> enabled, int current) {
        int k = ++calls;
        for (int i = 0; i < changeAt.length; i++) {
            if (changeAt[i] == k && current >= 0) priority.put(enabled.get(current).name(), --low);
        }
        int best = 0;
        for (int i = 1; i < enabled.size(); i++)
            if (priorityOf(enabled.get(i).name()) > priorityOf(enabled.get(best).name())) best = i;
        return best;
    }

    @Override
    public String describe() {
        return "pct(d=" + depth + ", seed=" + seed + (shards > 1 ? ", shard " + shard + "/" + shards : "") + ")";
    }
}
