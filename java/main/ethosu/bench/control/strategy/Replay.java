// Replays a schedule: at each step, the choice the schedule names. A step whose context is not
// enabled, or whose label differs, is a divergence: the run no longer follows the file.
package ethosu.bench.control.strategy;

import ethosu.bench.control.Choice;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.Strategy;

import java.util.List;

public final class Replay implements Strategy {
    private final Schedule schedule;
    private final int times;
    private int done = -1;
    private String divergence;

    public Replay(Schedule schedule, int times) {
        this.schedule = schedule;
        this.times = times;
    }

    public Replay(Schedule schedule) {
        this(schedule, 1);
    }

    @Override
    public boolean nextSchedule() {
        done++;
        return done < times;
    }

    @Override
    public int choose(int step, List<Choice> enabled, int current) {
        List<Schedule.Decision> ds = schedule.decisions();
        if (step >= ds.size()) return current >= 0 ? current : 0;
        Schedule.Decision d = ds.get(step);
        for (int i = 0; i < enabled.size(); i++) {
            if (enabled.get(i).name().equals(d.context())) {
                if (!enabled.get(i).label().equals(d.label()) && divergence == null)
                    divergence = "step " + step + ": " + d.context() + " is at '" + enabled.get(i).label()
                            + "', the schedule says '" + d.label() + "'";
                return i;
            }
        }
        if (divergence == null)
            divergence = "step " + step + ": the schedule chooses " + d.context() + ", which cannot run here";
        return current >= 0 ? current : 0;
    }

    /** Null while the run follows the schedule exactly. */
    public String divergence() {
        return divergence;
    }

    @Override
    public String describe() {
        return "replay";
    }
}
