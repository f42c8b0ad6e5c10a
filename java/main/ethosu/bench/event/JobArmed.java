// drm_sched_job_arm: the job got its scheduler number and fences; from here it must finish.
package ethosu.bench.event;

public record JobArmed(int ctx, long job, long seq) implements Event {}
