// Seeded random walk: at each point, any enabled choice with equal probability. Schedule i of a
// session uses seed + i, so any schedule it finds can be regenerated from its seed alone.
package ethosu.bench.control.strategy;

import ethosu.bench.control.Choice;
import ethosu.bench.control.Strategy;

import java.util.List;
import java.util.SplittableRandom;

public final class RandomWalk implements Strategy {
    private final long seed;
    private final int schedules;
    private final int shard, shards;
    private int done = -1;
    private SplittableRandom random;

    public RandomWalk(long seed, int schedules) {
        this(seed, schedules, 0, 1);
    }

    /** Part of a split exploration: schedule i belongs to shard i mod shards. */
    public RandomWalk(long seed, int schedules, int shard, int shards) {
        if (shards < 1 || shard < 0 || shard >= shards)
            throw new IllegalArgumentException("shard " + shard + " of " + shards);
        this.shard = shard;
        this.shards = shards;
        this.seed = seed;
        this.schedules = schedules;
    }

    @Override
    public boolean nextSchedule() {
        do done++;
        while (done % shards != shard);
        random = new SplittableRandom(seed + done);
        return done < schedules;
    }

    @Override
    public int choose(int step, List<Choice> enabled, int current) {
        return random.nextInt(enabled.size());
    }

    @Override
    public String describe() {
        return "random(seed=" + seed + (shards > 1 ? ", shard " + shard + "/" + shards : "") + ")";
    }
}
