// What an idle machine would do, as one schedule: the running context goes on; when it blocks, the
// lowest-numbered context that can run; when none can, whatever comes first in virtual time (the
// device's next event, or the next timer). The tests run it when they want the driver's ordinary
// behaviour, deterministically and in virtual time. (The explorers' default order is index 0 first,
// which takes a device event as soon as nothing else can run: see BoundedDfs.)
package ethosu.bench.control.strategy;

import ethosu.bench.control.Choice;
import ethosu.bench.control.Strategy;

import java.util.List;

public final class DefaultScheduler implements Strategy {
    @Override
    public int choose(int step, List<Choice> enabled, int current) {
        if (current >= 0) return current;
        int best = -1;
        for (int i = 0; i < enabled.size(); i++) {
            Choice c = enabled.get(i);
            if (c.kind() == Choice.Kind.CONTEXT) return i;
            if (best < 0 || c.at() < enabled.get(best).at()) best = i;
        }
        return best;
    }

    @Override
    public boolean nextSchedule() {
        return true;
    }

    @Override
    public String describe() {
        return "default";
    }
}
