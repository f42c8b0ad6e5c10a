// The model's ethosu_device.h and ethosu_drv.h: the driver's device struct (the scheduler, the
// locks, in_flight_job) and its per-file private data (the scheduler entity).
package ethosu.bench.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

public final class EthosuDevice {
    /** struct drm_ethosu_npu_info */
    static final class NpuInfo {
        int id;
        int config;
        int sram_size;
    }

    /** base.dev: the platform device's struct device */
    Kdev.Device dev;
    long sramphys;
    int irq;
    final NpuInfo npu_info = new NpuInfo();

    /** The job the NPU is executing; READ_ONCE/WRITE_ONCE go through {@link #IN_FLIGHT_JOB}. */
    EthosuJob.Job in_flight_job;
    /** guards in_flight_job and programming the job into the hardware (absent after the lockless change) */
    final Locking.Mutex job_lock = new Locking.Mutex();
    /** lock of every done_fence */
    final Locking.Spinlock fence_lock = new Locking.Spinlock();
    final GpuScheduler.DrmGpuScheduler sched = new GpuScheduler.DrmGpuScheduler();
    /** serialises drm_sched_job_arm() and drm_sched_entity_push_job() */
    final Locking.Mutex sched_lock = new Locking.Mutex();
    long fence_context;
    long emit_seqno;

    /** The access READ_ONCE and WRITE_ONCE make of in_flight_job: one untorn load or store (opaque). */
    static final VarHandle IN_FLIGHT_JOB;

    static {
        try {
            IN_FLIGHT_JOB = MethodHandles.lookup().findVarHandle(EthosuDevice.class, "in_flight_job", EthosuJob.Job.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** ethosu_is_u65: ID bits 31:28 are 1. */
    static boolean ethosu_is_u65(EthosuDevice edev) {
        return ethosu.bench.hw.Regs.archMajor(edev.npu_info.id) == 1;
    }

    /** struct ethosu_file_priv */
    public static final class EthosuFilePriv extends Slab.Mem {
        static final int SIZEOF = 208;
        EthosuDevice edev;
        final GpuScheduler.DrmSchedEntity sched_entity = new GpuScheduler.DrmSchedEntity();

        @Override
        protected void poison() {
            edev = null;
            sched_entity.poison();
        }
    }
}
