// The model's kdev.h: struct ebench_dev, the whole state of one simulated device (its register
// file, workqueues, IRQ line, runtime PM, slab and counters), as native/kshim/kdev.h.
package ethosu.bench.model;

import ethosu.bench.bindings.Hooks;
import ethosu.bench.hw.RegisterFile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

public final class Kdev {
    // counter indexes: the fields of struct ebench_counters, in its order
    public static final int C_JOBS_LIVE = 0, C_FENCES_LIVE = 1, C_BOS_LIVE = 2, C_PM_USAGE = 3, C_SLAB_LIVE = 4,
            C_FINDINGS = 5, C_IRQS = 6, C_SPURIOUS = 7, C_RESETS = 8, C_JOBS_RUN = 9, C_JOBS_DONE = 10, C_POINTS = 11,
            C_NR = 12;

    /** struct kshim_irq: the one threaded interrupt line of the device. */
    static final class KshimIrq {
        Irq.Handler handler;
        Irq.Handler thread_fn;
        Object data;
        long flags;
        String name;
        boolean registered;
        /** disable_irq() nesting: masked while > 0 */
        int depth;
        /** IRQF_ONESHOT: masked until the thread returns */
        int oneshot_masked;
        /** the primary handler runs now */
        boolean hardirq_running;
        /** the thread function runs now */
        boolean thread_running;
        /** IRQ_WAKE_THREAD seen, the thread not yet run */
        int thread_pending;
        /** wake channel of the IRQ thread */
        final Kshim.Word seq = new Kshim.Word();
        /** bumped when the line is unmasked */
        final Kshim.Word enable_seq = new Kshim.Word();
        /** bumped when a handler returns: synchronize_irq waits here */
        final Kshim.Word sync_seq = new Kshim.Word();
    }

    /** struct device: its name, driver data and runtime-PM state. */
    public static final class Device {
        public final String name;
        final Kdev kd;
        Object driver_data;
        RuntimePm.DevPmOps pm_ops;
        final RuntimePm.DevPmInfo power = new RuntimePm.DevPmInfo();

        Device(String name, Kdev kd) {
            this.name = name;
            this.kd = kd;
        }
    }

    /** struct platform_device */
    static final class PlatformDevice {
        final String name = "ethosu";
        int irq;
        Device dev;
    }

    final Hooks.Target target;
    final int trace_level;
    final RegisterFile regs;
    boolean stopping;

    final PlatformDevice pdev = new PlatformDevice();
    /** the driver's device struct (the glue's) */
    Object drvdata;
    boolean probed;

    /** workqueues by serving context kind */
    final Workqueue.WorkqueueStruct[] wq = new Workqueue.WorkqueueStruct[8];
    /** bumped when a workqueue is registered */
    final Kshim.Word wq_seq = new Kshim.Word();
    /** struct kshim_worker, until the device is destroyed */
    final List<Workqueue.KshimWorker> workers = new ArrayList<>();
    /** bumped after each item: cancel_sync and flush wait here */
    final Kshim.Word work_done_seq = new Kshim.Word();
    final KshimIrq irq = new KshimIrq();
    final Locking.Mutex pm_lock = new Locking.Mutex("pm_lock");
    final Locking.Mutex selftest_a = new Locking.Mutex("selftest_a"), selftest_b = new Locking.Mutex("selftest_b");
    long fence_context;
    /** drm.sched_policy: GpuScheduler.DRM_SCHED_POLICY_*, FIFO by default (mainline's) */
    int sched_policy = GpuScheduler.DRM_SCHED_POLICY_FIFO;

    // slab
    final LinkedHashSet<Slab.Obj> slab_live = new LinkedHashSet<>();
    final List<Slab.Obj> slab_quarantine = new ArrayList<>();
    final List<Slab.Obj> slab_rcu = new ArrayList<>();
    /** contexts in an RCU read-side section (an atomic one) */
    int rcu_readers;
    /** fault injection: per enum ebench_fault, the countdown and the site it counts */
    final FaultArm[] faults = {new FaultArm(), new FaultArm(), new FaultArm(), new FaultArm(), new FaultArm()};

    /** faults that fired, runtime-PM status changes (the event stream carries each) */
    int faults_fired, pm_status_changes;
    /** the driver owns the clocks: gated access is a finding */
    boolean clk_managed;
    /** the NPU's clocks run */
    boolean clk_on;
    /** one finding per gated period */
    boolean clk_gated_reported;

    /** struct kshim_fault_arm */
    static final class FaultArm {
        /** 0: disarmed; 1: the next matching call fails */
        int nth;
        /** "": any caller */
        String site = "";
    }

    final long[] counters = new long[C_NR];
    long next_client_id;
    long next_dma;

    Kdev(Hooks.Target target, int traceLevel, RegisterFile regs) {
        this.target = target;
        this.trace_level = traceLevel;
        this.regs = regs;
        pdev.dev = new Device("ethosu", this);
    }
}
