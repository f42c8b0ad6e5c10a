// How the controller picks among the enabled choices at each scheduling point. A strategy is one
// class; it never touches the runtime. One instance explores many schedules of one scenario.
package ethosu.bench.control;

import java.util.List;

public interface Strategy {
    /**
     * @param step     0-based index of this decision in the schedule
     * @param enabled  what can happen now, in a stable order (contexts by id, then device, then time)
     * @param current  index in enabled of the context that was running, -1 if it cannot go on
     * @return index into enabled
     */
    int choose(int step, List<Choice> enabled, int current);

    /** Called before each schedule; false when the strategy has nothing more to explore. */
    boolean nextSchedule();

    /** Called after each schedule with what happened (for strategies that learn or backtrack). */
    default void scheduleDone(Schedule s, boolean failed) {}

    /**
     * True when, for the rest of the current schedule, every choice would be the default (the
     * running context goes on; after a block, the first option): the controller then stops asking,
     * and the library stops calling up at points where the running context could be preempted. A
     * bounded search whose preemptions are spent says so.
     */
    default boolean defaultsOnly() {
        return false;
    }

    /** True once the strategy has explored every schedule within its bound (exhaustive strategies). */
    default boolean exhausted() {
        return false;
    }

    String describe();
}
