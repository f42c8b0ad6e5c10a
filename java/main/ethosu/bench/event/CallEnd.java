// A call returns. result: run_job: its hardware fence's seqno (0: none; obj is the fence);
// timedout_job: enum drm_gpu_sched_stat; IRQ handlers: irqreturn_t; PM callbacks: their result.
package ethosu.bench.event;

public record CallEnd(int ctx, Call call, String name, long job, long obj, long result) implements Event {}
