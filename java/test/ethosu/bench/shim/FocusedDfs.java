// Bounded-preemption DFS that preempts only where the running context's label matches a focus
// (e.g. queue_work, cancel_work_sync, a driver's hardware read); elsewhere the default order. Keeps
// a controlled shim test's bound-2 space small: the preemptions go where the race is.
package ethosu.bench.shim;

import ethosu.bench.control.Choice;
import ethosu.bench.control.Schedule;
import ethosu.bench.control.Strategy;
import ethosu.bench.control.strategy.BoundedDfs;

import java.util.List;
import java.util.regex.Pattern;

final class FocusedDfs implements Strategy {
    private final BoundedDfs inner;
    private final Pattern focus;

    FocusedDfs(int bound, String focusRegex) {
        inner = new BoundedDfs(bound);
        focus = Pattern.compile(focusRegex);
    }

    @Override
    public int choose(int step, List<Choice> enabled, int current) {
        if (current >= 0 && focus.matcher(enabled.get(current).label()).find()) return inner.choose(step, enabled, current);
        return current >= 0 ? current : 0;
    }

    @Override
    public boolean nextSchedule() {
        return inner.nextSchedule();
    }

    @Override
    public void scheduleDone(Schedule s, boolean failed) {
        inner.scheduleDone(s, failed);
    }

    @Override
    public boolean exhausted() {
        return inner.exhausted();
    }

    @Override
    public String describe() {
        return inner.describe() + " at /" + focus + "/";
    }
}
