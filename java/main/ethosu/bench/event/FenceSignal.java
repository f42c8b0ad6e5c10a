// A fence signals (again: it had already; a no-op in 7.x). For a finished fence, error is the job's
// result (0, -ECANCELED, -ESRCH ...); ctx is who signalled it.
package ethosu.bench.event;

public record FenceSignal(int ctx, FenceRole role, long job, long fence, int error, long seqno, boolean again)
        implements Event {}
