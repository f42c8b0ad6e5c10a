// A call starts: a driver callback (for job), a work item (name: its function), an IRQ handler.
package ethosu.bench.event;

/** @param name the work item's function, the IRQ line's name; null for backend ops */
public record CallStart(int ctx, Call call, String name, long job, long obj) implements Event {
    /** "run_job(A)", "drm_sched_run_job_work", "irq/ethosu". */
    public String render(Names names) {
        if (call.backendOp()) return call.title + "(" + names.job(job) + ")";
        return name != null ? name : call.title;
    }
}
