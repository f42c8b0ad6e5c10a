// How a run names what events refer to by number: jobs by their scenario name (or their order of
// appearance), registers by the register map, contexts by their title. Never by address, so the
// traces of two implementations compare exactly.
package ethosu.bench.event;

import ethosu.bench.hw.Regs;

public interface Names {
    /**
     * A job by its id (its command BO's DMA address; the mock's own number): its scenario name
     * ("A"), else its order of first appearance ("#1", "#2", ...).
     */
    String jobName(long id);

    /** A job as traces and labels name it: "jobA", "job#1". */
    default String job(long id) {
        return "job" + jobName(id);
    }

    /** A context by its id. */
    String context(int id);

    /** A register by its offset. */
    default String register(int offset) {
        return Regs.name(offset);
    }

    /** An object that has no role name. */
    default String object(long address) {
        return "object";
    }
}
