// A DRM client of a model device: its file, BOs and submits, the same calls in the same order as
// kernel/Client makes into a variant library, so a scenario script does the same on either side.
package ethosu.bench.model;

import ethosu.bench.check.Checker;
import ethosu.bench.kernel.Client;

public final class ModelClient implements AutoCloseable {
    private final ModelDevice dev;
    private final Kshim.Ctx ctx;
    private final Checker checker;
    private final Gem.EbenchFile file;

    /** Opens a file on a bound client context. */
    public ModelClient(ModelDevice dev, Kshim.Ctx ctx, Checker checker) {
        this.dev = dev;
        this.ctx = ctx;
        this.checker = checker;
        int[] ret = new int[1];
        Gem.EbenchFile f = dev.fileOpen(ctx, ret);
        if (f == null) throw new IllegalStateException("open failed: " + ret[0]);
        this.file = f;
    }

    public int createBo(long size) {
        return dev.boCreate(ctx, file, size);
    }

    public int createCmdBo(Client.Stream s) {
        return dev.cmdBoCreate(ctx, file, s.words().clone(),
                new Gem.Info(s.cmdSize(), s.regionSize().clone(), s.outputRegion().clone()));
    }

    public long dmaAddr(int handle) {
        return dev.boDmaAddr(ctx, file, handle);
    }

    public int closeBo(int handle) {
        return dev.boClose(ctx, file, handle);
    }

    public int submit(Client.JobArgs... jobs) {
        return submitRaw(jobs, jobs.length, 0, false);
    }

    /** As Client.submitRaw: the ids first (a fast job may finish before the ioctl returns), then the ioctl. */
    public int submitRaw(Client.JobArgs[] jobs, int jobCount, int pad, boolean badPointer) {
        EthosuJob.DrmEthosuJob[] user = new EthosuJob.DrmEthosuJob[Math.max(1, jobs.length)];
        for (int i = 0; i < user.length; i++)
            user[i] = i < jobs.length ? new EthosuJob.DrmEthosuJob(jobs[i].cmdBo(), jobs[i].sramSize(),
                    jobs[i].regionHandles().clone()) : new EthosuJob.DrmEthosuJob(0, 0, new int[Client.REGIONS]);
        long[] ids = new long[jobs.length];
        for (int i = 0; i < jobs.length; i++) ids[i] = dmaAddr(jobs[i].cmdBo());
        int ret = dev.submit(ctx, file, badPointer ? null : user, jobCount, pad);
        if (ret == 0)
            for (long id : ids) if (id != 0) checker.expect(id, String.format("job 0x%x", id));
        return ret;
    }

    public void selftestLockOrder(int order) {
        dev.selftestLockOrder(ctx, order);
    }

    /** The process is killed (SIGKILL): the close that follows kills the jobs still queued. */
    public void killed() {
        dev.exiting(ctx, 9);
    }

    @Override
    public void close() {
        dev.fileClose(ctx, file);
    }
}
