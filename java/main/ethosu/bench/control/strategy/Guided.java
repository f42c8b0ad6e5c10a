// Follows a schedule by context name for its first `follow` steps, except that at the steps in
// `skip` it takes the default (the running context goes on); past the prefix, or where the named
// context cannot run, it takes the default too. The minimiser's probe: a schedule with some of
// its preemptions, or its tail, taken away.
package ethosu.bench.control.strategy;

import ethosu.bench.control.Choice;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.Strategy;

import java.util.List;
import java.util.Set;

public final class Guided implements Strategy {
    private final Schedule schedule;
    private final Set<Integer> skip;
    private final int follow;
    private boolean started;

    public Guided(Schedule schedule, Set<Integer> skip, int follow) {
        this.schedule = schedule;
        this.skip = skip;
        this.follow = follow;
    }

    @Override
    public boolean nextSchedule() {
        if (started) return false;
        started = true;
        return true;
    }

    @Override
    public int choose(int step, List<Choice> enabled, int current) {
        int dflt = current >= 0 ? current : 0;
        if (step >= follow || step >= schedule.size() || skip.contains(step)) return dflt;
        String want = schedule.decisions().get(step).context();
        for (int i = 0; i < enabled.size(); i++) if (enabled.get(i).name().equals(want)) return i;
        return dflt;
    }

    @Override
    public String describe() {
        return "guided";
    }
}
