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

    /**
     * The current schedule is this exploration's own. A part of a split exploration (a shard) may
     * run schedules that only lay out the points its own subtrees start from; those are not counted
     * and their findings belong to the part that owns them.
     */
    default boolean owns() {
        return true;
    }

    /** Partial-order reduction: the controller reports what each step of the run touched (stepped). */
    default boolean wantsFootprints() {
        return false;
    }

    /**
     * A step just ran: option id (a context's id, Choice.DEVICE_ID, Choice.TIME_ID) went from where
     * it stood to its next scheduling point, wait or end, touching f (valid only during the call).
     * Every step is reported, those of forced and default decisions too, in the order they ran.
     */
    default void stepped(int id, Footprint f) {}

    /** True once the strategy has explored every schedule within its bound (exhaustive strategies). */
    default boolean exhausted() {
        return false;
    }

    String describe();
}
