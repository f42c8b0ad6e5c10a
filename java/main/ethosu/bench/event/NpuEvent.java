// What the fake NPU did: a job started or ended (with its outcome), the IRQ line went up, the
// driver broke the device protocol. The device is not a kernel context: ctx is NO_CONTEXT.
package ethosu.bench.event;

import ethosu.bench.hw.JobRecord;

/** @param job the job concerned, null for line and protocol events; text: a violation's description */
public record NpuEvent(Kind kind, JobRecord job, String text) implements Event {
    public enum Kind { STARTED, ENDED, IRQ_RAISED, SPURIOUS_IRQ, VIOLATION }

    @Override
    public int ctx() {
        return NO_CONTEXT;
    }
}
