// One job as the device saw it: which stream it ran, when, and how it ended. Checks compare these
// with what the driver believes (e.g. the IRQ path completes only the job the device ran).
package ethosu.bench.hw;

/**
 * @param serial    1 for the first job the device started, then 2, ...
 * @param qbase     QBASE_HI:QBASE at the start (the job id: the command BO's DMA address)
 * @param qsize     QSIZE at the start, in bytes (unsigned)
 * @param behaviour what the scenario chose for this QBASE
 * @param startNs   device time of the CMD transition-to-running write
 * @param endNs     device time the job ended, -1 while it runs
 * @param outcome   how it ended
 */
public record JobRecord(int serial, long qbase, int qsize, JobBehaviour behaviour, long startNs, long endNs,
        Outcome outcome) {

    public enum Outcome {
        /** Still on the device. */
        RUNNING,
        /** Reached the end of its stream: end-reached and irq raised. */
        COMPLETED,
        BUS_ERROR,
        PARSE_ERROR,
        /** A reset ended a job that would have finished by itself (it was not hung). */
        ABORTED_BY_RESET,
        /** A reset ended a job whose behaviour never finishes (the reset was deserved). */
        HUNG
    }

    public boolean ended() {
        return outcome != Outcome.RUNNING;
    }

    JobRecord end(long now, Outcome how) {
        return new JobRecord(serial, qbase, qsize, behaviour, startNs, now, how);
    }

    @Override
    public String toString() {
        return String.format("job#%d qbase=0x%x qsize=%d %s start=%d end=%d %s", serial, qbase,
                Integer.toUnsignedLong(qsize), behaviour, startNs, endNs, outcome);
    }
}
