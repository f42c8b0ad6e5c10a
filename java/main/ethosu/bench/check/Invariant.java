// One invariant every run must keep, as jcstress states its outcomes: a name, what it means, and the
// event that breaks it. Each is a small class of its own (check/invariant); Checks feeds them.
package ethosu.bench.check;

import ethosu.bench.event.Event;

public interface Invariant {
    /** The check it is (its title is what reports print). */
    Finding.Check check();

    /** Its name on the command line (ethosu.checks.disable): the class, and a kind where one class serves several. */
    default String id() {
        return getClass().getSimpleName();
    }

    /** One line: what holding it means. */
    String meaning();

    /** Every event of the run, in order, after the ledger has taken it in. */
    default void on(Event e, Checks run) {}

    /** The run reached a stage (the scenario's horizon, teardown, the end of the platform's run). */
    default void at(Checks.Stage stage, Checks run) {}
}
