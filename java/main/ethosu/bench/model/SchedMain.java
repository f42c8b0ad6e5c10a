// The model's sched_main.c (mainline v7.2): jobs, the run-job and free-job work on the ordered
// submit queue (no pause checks in them, 440aaf479c9a; free-job work frees every finished job and
// charges its time to its entity), the TDR on the timeout queue, stop/start for resets, teardown;
// as native/kshim/sched_main.c. The run queues are SchedRq's (sched_rq.c).
// Contexts and locks: run-job and free-job work run on submit_wq, one at a time; the TDR runs on
// timeout_wq concurrently with them until the driver calls drm_sched_stop(); hardware-fence
// callbacks run in whoever signals the fence. job_list_lock guards pending_list; an rq's lock its
// entity lists; an entity's lock its rq and stopped flag (entity lock, then rq lock).
package ethosu.bench.model;

import ethosu.bench.event.Call;
import ethosu.bench.event.JobArmed;
import ethosu.bench.event.KernelReport;
import ethosu.bench.model.GpuScheduler.DrmGpuScheduler;
import ethosu.bench.model.GpuScheduler.DrmSchedEntity;
import ethosu.bench.model.GpuScheduler.DrmSchedFence;
import ethosu.bench.model.GpuScheduler.DrmSchedJob;
import ethosu.bench.model.GpuScheduler.DrmSchedRq;
import ethosu.bench.model.GpuScheduler.ErrPtr;
import ethosu.bench.model.GpuScheduler.InitArgs;

import java.util.ArrayList;
import java.util.List;

import static ethosu.bench.model.GpuScheduler.*;

public final class SchedMain {
    private SchedMain() {}

    /** sizeof(struct drm_sched_rq), sizeof a pointer (leak reports). */
    static final int SIZEOF_DRM_SCHED_RQ = 80, SIZEOF_PTR = 8;

    // ---------------------------------------------------------------- bench naming

    /** drm_sched_job_kid: the job's id in traces, computed at arm and cached. */
    static long drm_sched_job_kid(DrmSchedJob job) {
        if (job.kshim_id == 0) job.kshim_id = Drv.kshim_job_id(job);
        return job.kshim_id;
    }

    /** Every ops->free_job call goes through here, to trace it. */
    static void drm_sched_call_free_job(DrmGpuScheduler sched, DrmSchedJob job) {
        long kid = drm_sched_job_kid(job);
        Kshim.call_start(Call.FREE_JOB, null, kid, job);
        sched.ops.free_job(job);
        Kshim.call_end(Call.FREE_JOB, null, kid, job, 0);
    }

    // ---------------------------------------------------------------- credits and the work items

    private static int drm_sched_available_credits(DrmGpuScheduler sched) {
        long credits = (sched.credit_limit & 0xffffffffL) - (sched.credit_count & 0xffffffffL);
        Kshim.WARN_ON(credits < 0, "sched_main.c", 160, "drm_sched_available_credits",
                "__builtin_sub_overflow(sched->credit_limit, (u32)atomic_read(&sched->credit_count), &credits)");
        return (int) credits;
    }

    /** Whether the entity's head job fits in the free credits; a job above the limit is truncated. */
    static boolean drm_sched_can_queue(DrmGpuScheduler sched, DrmSchedEntity entity) {
        DrmSchedJob s_job = entity.job_queue.peek();
        if (s_job == null) return false;
        if (Integer.compareUnsigned(s_job.credits, sched.credit_limit) > 0) {
            Kshim.finding(KernelReport.Kind.WARN, "drm_sched_can_queue", String.format(
                    "WARNING: %s: Jobs may not exceed the credit limit, truncate (%d > %d)", sched.dev.name,
                    s_job.credits, sched.credit_limit));
            s_job.credits = sched.credit_limit;
        }
        return Integer.compareUnsigned(drm_sched_available_credits(sched), s_job.credits) >= 0;
    }

    /** The entity to run from, highest priority first; null if none can run. */
    private static DrmSchedEntity drm_sched_select_entity(DrmGpuScheduler sched) {
        DrmSchedEntity entity = null;
        // an error pointer also stops the scan: lower priorities wait too
        for (int i = DRM_SCHED_PRIORITY_KERNEL; i < sched.num_rqs; i++) {
            entity = SchedRq.drm_sched_rq_select_entity(sched, sched.sched_rq[i]);
            if (entity != null) break;
        }
        return entity == SchedRq.ENOSPC ? null : entity;
    }

    private static boolean drm_sched_is_stopped(DrmGpuScheduler sched) {
        return sched.pause_submit;
    }

    /** Queue run-job work unless submission is paused. */
    private static void drm_sched_run_job_queue(DrmGpuScheduler sched) {
        if (!drm_sched_is_stopped(sched)) Workqueue.queue_work(sched.submit_wq, sched.work_run_job);
    }

    /** Queue free-job work unless submission is paused. */
    private static void __drm_sched_run_free_queue(DrmGpuScheduler sched) {
        if (!drm_sched_is_stopped(sched)) Workqueue.queue_work(sched.submit_wq, sched.work_free_job);
    }

    /** Wake up the scheduler if it is ready to queue. */
    static void drm_sched_wakeup(DrmGpuScheduler sched) {
        drm_sched_run_job_queue(sched);
    }

    /** (Re)arm the TDR for the full period when jobs are pending; job_list_lock held. */
    private static void drm_sched_start_timeout(DrmGpuScheduler sched) {
        Locking.lockdep_assert_held_spin(sched.job_list_lock, "&sched->job_list_lock");
        if (sched.timeout != Kshim.MAX_SCHEDULE_TIMEOUT && !sched.pending_list.isEmpty())
            Workqueue.mod_delayed_work(sched.timeout_wq, sched.work_tdr, sched.timeout);
    }

    private static void drm_sched_start_timeout_unlocked(DrmGpuScheduler sched) {
        Locking.spin_lock(sched.job_list_lock);
        drm_sched_start_timeout(sched);
        Locking.spin_unlock(sched.job_list_lock);
    }

    /**
     * The job is done with, by the hardware or otherwise: release its credits, signal its finished
     * fence, queue free-job work. Runs in the signaller's context; no driver callback runs.
     */
    private static void drm_sched_job_done(DrmSchedJob s_job, int result) {
        DrmSchedFence s_fence = s_job.s_fence;
        // bench: what the kernel would dereference (a job freed or cleaned up under its caller)
        if (Slab.poisoned_ptr(s_fence) || Kshim.poisoned_u32(s_job.credits)) {
            Kshim.finding(KernelReport.Kind.UAF, "drm_sched_job_done",
                    "BUG: KASAN: slab-use-after-free in drm_sched_job_done: the job was freed");
            return;
        }
        if (s_fence == null) {
            Kshim.finding(KernelReport.Kind.OOPS, "drm_sched_job_done",
                    "BUG: kernel NULL pointer dereference in drm_sched_job_done: the job was cleaned up (its s_fence is NULL)");
            return;
        }
        DrmGpuScheduler sched = s_fence.sched;
        sched.credit_count -= s_job.credits;
        sched.score[0]--;
        DmaFence.dma_fence_get(s_fence.finished, "&s_fence->finished");
        SchedFence.drm_sched_fence_finished(s_fence, result);
        DmaFence.dma_fence_put(s_fence.finished, "&s_fence->finished");
        __drm_sched_run_free_queue(sched);
    }

    /** The callback on the hardware fence. */
    private static void drm_sched_job_done_cb(DmaFence f, DmaFence.Cb cb, DrmSchedJob s_job) {
        if (Slab.poisoned_ptr(s_job.s_fence)) {
            Kshim.finding(KernelReport.Kind.UAF, "drm_sched_job_done_cb",
                    "BUG: KASAN: slab-use-after-free in drm_sched_job_done_cb: the job was freed with its hardware-fence callback queued");
            return;
        }
        if (s_job.s_fence == null) {
            Kshim.finding(KernelReport.Kind.OOPS, "drm_sched_job_done_cb",
                    "BUG: kernel NULL pointer dereference in drm_sched_job_done_cb: job cleaned up with its hardware-fence callback queued");
            return;
        }
        drm_sched_job_done(s_job, f.error);
    }

    /** container_of(cb, struct drm_sched_job, cb): the callback knows its job. */
    private static DmaFence.Func job_done_cb(DrmSchedJob job) {
        return (f, cb) -> drm_sched_job_done_cb(f, cb, job);
    }

    /** Append the job to the pending list and (re)arm the timeout. */
    private static void drm_sched_job_begin(DrmSchedJob s_job) {
        DrmGpuScheduler sched = s_job.sched;
        Locking.spin_lock(sched.job_list_lock);
        sched.pending_list.add(s_job);
        s_job.list = true;
        drm_sched_start_timeout(sched);
        Locking.spin_unlock(sched.job_list_lock);
    }

    /**
     * drm_sched_run_job_work: pick one job and hand it to the driver. No pause_submit test
     * (440aaf479c9a): an instance queued before drm_sched_wqueue_stop() cancelled it runs during the
     * reset. Picks an entity with a ready job and enough credits, pops the job, takes its
     * credits, puts it on the pending list with the timeout (re)armed, calls ops->run_job, signals
     * the scheduled fence, arranges for the hardware fence to complete the job; queues itself again.
     */
    static void drm_sched_run_job_work(DrmGpuScheduler sched) {
        DrmSchedEntity entity = drm_sched_select_entity(sched);
        if (entity == null) return; // no more work

        DrmSchedJob sched_job = SchedEntity.drm_sched_entity_pop_job(entity);
        if (sched_job == null) {
            WaitQueue.complete_all(entity.entity_idle, "&entity->entity_idle");
            drm_sched_run_job_queue(sched);
            return;
        }

        DrmSchedFence s_fence = sched_job.s_fence;
        long kid = drm_sched_job_kid(sched_job);

        sched.credit_count += sched_job.credits;
        drm_sched_job_begin(sched_job);

        // the run_job() callback must return a fence whose refcount was taken for the scheduler
        Kshim.call_start(Call.RUN_JOB, null, kid, sched_job);
        Kshim.Ctx cur = Kshim.cur();
        cur.running_job = kid;
        Object fence = sched.ops.run_job(sched_job);
        cur.running_job = 0;
        Kshim.count(Kdev.C_JOBS_RUN, 1);
        DmaFence hw = fence instanceof DmaFence f ? f : null;
        Kshim.call_end(Call.RUN_JOB, null, kid, hw, hw != null ? hw.seqno : 0);
        WaitQueue.complete_all(entity.entity_idle, "&entity->entity_idle");
        SchedFence.drm_sched_fence_scheduled(s_fence, fence);

        if (hw != null) {
            int r = DmaFence.dma_fence_add_callback(hw, sched_job.cb, job_done_cb(sched_job), "fence");
            if (r == -Kshim.ENOENT) drm_sched_job_done(sched_job, hw.error);
            else if (r != 0) Printk.dev_err(sched.dev, String.format("fence add callback failed (%d)", r));
            DmaFence.dma_fence_put(hw, "fence");
        } else {
            drm_sched_job_done(sched_job, fence instanceof ErrPtr e ? e.err() : 0);
        }

        WaitQueue.wake_up_all(sched.job_scheduled, "&sched->job_scheduled");
        drm_sched_run_job_queue(sched);
    }

    /**
     * Takes the head job off the pending list if its finished fence signalled; cancels the timeout
     * (not synchronously) and re-arms it for the next pending job, if any.
     */
    private static DrmSchedJob drm_sched_get_finished_job(DrmGpuScheduler sched) {
        Locking.spin_lock(sched.job_list_lock);
        DrmSchedJob job = sched.pending_list.isEmpty() ? null : sched.pending_list.get(0);
        if (job != null && DmaFence.dma_fence_is_signaled(job.s_fence.finished, "&job->s_fence->finished")) {
            // remove job from pending_list
            sched.pending_list.remove(job);
            job.list = false;
            // cancel this job's TO timer
            Workqueue.cancel_delayed_work(sched.work_tdr);
            DrmSchedJob next = sched.pending_list.isEmpty() ? null : sched.pending_list.get(0);
            if (next != null) {
                // make the scheduled timestamp more accurate
                if (DmaFence.test_bit(DmaFence.DMA_FENCE_FLAG_TIMESTAMP_BIT, next.s_fence.scheduled.flags))
                    next.s_fence.scheduled.timestamp = dma_fence_timestamp(job.s_fence.finished);
                // start TO timer for next job
                drm_sched_start_timeout(sched);
            }
        } else {
            job = null;
        }
        Locking.spin_unlock(sched.job_list_lock);
        return job;
    }

    static long dma_fence_timestamp(DmaFence fence) {
        if (DmaFence.test_bit(DmaFence.DMA_FENCE_FLAG_TIMESTAMP_BIT, fence.flags)) return fence.timestamp;
        return Kshim.ktime_get();
    }

    /**
     * drm_sched_free_job_work: free every finished job at the head of the pending list, charging
     * each job's hardware time to its entity (and the scheduler's average) before ops->free_job.
     * With credit_limit 1 the next run_job normally starts from the run-job work queued at the end.
     * No pause_submit test (440aaf479c9a), as in run-job work.
     */
    static void drm_sched_free_job_work(DrmGpuScheduler sched) {
        DrmSchedJob job;
        while ((job = drm_sched_get_finished_job(sched)) != null) {
            long duration = SchedEntity.drm_sched_entity_stats_job_add_gpu_time(job);
            // serialised by the (ordered) submit queue
            sched.avg_job_us = SchedEntity.drm_sched_avgtime_add(sched.avg_job_us, duration / 1000);
            drm_sched_call_free_job(sched, job);
        }
        drm_sched_run_job_queue(sched);
    }

    /**
     * A job on the pending list that reads as poison was freed under the walker (by free-job work
     * running meanwhile): report it as KASAN would, instead of following its poisoned pointers.
     */
    private static boolean drm_sched_job_freed(DrmSchedJob job, String where) {
        if (!Slab.poisoned_ptr(job) && !Slab.poisoned_ptr(job.s_fence) && !Kshim.poisoned_u32(job.credits)
                && job.s_fence != null)
            return false;
        if (!Slab.poisoned_ptr(job) && job.s_fence == null) {
            // drm_sched_job_cleanup() ran, the memory is not freed yet
            Kshim.finding(KernelReport.Kind.OOPS, "drm_sched_job_freed", "BUG: kernel NULL pointer dereference in " + where
                    + ": a job on the pending list was cleaned up under it (its s_fence is NULL: free_job ran concurrently)");
            return true;
        }
        Kshim.finding(KernelReport.Kind.UAF, "drm_sched_job_freed",
                "BUG: KASAN: slab-use-after-free in " + where + ": a job on the pending list was freed under it");
        return true;
    }

    /** NO_HANG: the job goes back at the head; free work picks it up if it is done. */
    private static void drm_sched_job_reinsert_on_false_timeout(DrmGpuScheduler sched, DrmSchedJob job) {
        Locking.spin_lock(sched.job_list_lock);
        sched.pending_list.add(0, job);
        job.list = true;
        // enqueue the free-job work again, or a signaled job could stay pending, never freed
        __drm_sched_run_free_queue(sched);
        Locking.spin_unlock(sched.job_list_lock);
    }

    /**
     * drm_sched_job_timedout: the TDR, on the timeout queue, concurrent with run-job and free-job
     * work. The job leaves the pending list under job_list_lock so free-job work cannot free it
     * while the driver looks at it; its hardware fence may have signalled already.
     */
    static void drm_sched_job_timedout(DrmGpuScheduler sched) {
        int status = DRM_GPU_SCHED_STAT_RESET;
        // protects against concurrent deletion in drm_sched_get_finished_job
        Locking.spin_lock(sched.job_list_lock);
        DrmSchedJob job = sched.pending_list.isEmpty() ? null : sched.pending_list.get(0);
        if (job != null) {
            long kid = drm_sched_job_kid(job);
            // remove the bad job so a concurrent free_job cannot free it; reinserted once the
            // scheduler's work items have been cancelled
            sched.pending_list.remove(job);
            job.list = false;
            Locking.spin_unlock(sched.job_list_lock);

            Kshim.call_start(Call.TIMEDOUT_JOB, null, kid, job);
            status = job.sched.ops.timedout_job(job);
            Kshim.call_end(Call.TIMEDOUT_JOB, null, kid, job, status);

            // the guilty job did complete and hence needs to be removed by hand (drm_sched_stop)
            if (sched.free_guilty) {
                drm_sched_call_free_job(sched, job);
                sched.free_guilty = false;
            }
            if (status == DRM_GPU_SCHED_STAT_NO_HANG) drm_sched_job_reinsert_on_false_timeout(sched, job);
        } else {
            Locking.spin_unlock(sched.job_list_lock);
        }
        if (status != DRM_GPU_SCHED_STAT_ENODEV) drm_sched_start_timeout_unlocked(sched);
    }

    // ---------------------------------------------------------------- stop, start, fault

    /**
     * drm_sched_stop: pauses submission and cancels run-job and free-job work synchronously. Puts
     * bad back at the head of the pending list, then walks the list from the newest job: a job whose
     * hardware-fence callback could still be removed loses its parent and credits and stays
     * pending; any other job leaves the list, its finished fence is waited for, and it is freed,
     * except bad, which is only marked for the TDR to free. Finally cancels the timeout.
     */
    public static void drm_sched_stop(DrmGpuScheduler sched, DrmSchedJob bad) {
        drm_sched_wqueue_stop(sched);

        // reinsert the bad job here: now it's safe as drm_sched_get_finished_job() cannot race
        if (bad != null && bad.sched == sched) {
            sched.pending_list.add(0, bad);
            bad.list = true;
        }

        // from later to earlier: deactivate HW callbacks, or drop jobs that already signalled
        List<DrmSchedJob> snapshot = new ArrayList<>(sched.pending_list);
        for (int i = snapshot.size() - 1; i >= 0; i--) {
            DrmSchedJob s_job = snapshot.get(i);
            if (drm_sched_job_freed(s_job, "drm_sched_stop")) break;
            if (s_job.s_fence.parent != null
                    && DmaFence.dma_fence_remove_callback(s_job.s_fence.parent, s_job.cb, "s_job->s_fence->parent")) {
                DmaFence.dma_fence_put(s_job.s_fence.parent, "s_job->s_fence->parent");
                s_job.s_fence.parent = null;
                sched.credit_count -= s_job.credits;
            } else {
                // freed while remove_callback waited for the fence lock?
                if (drm_sched_job_freed(s_job, "drm_sched_stop")) break;
                // remove job from pending_list; locking for a concurrent timeout re-arm
                Locking.spin_lock(sched.job_list_lock);
                if (drm_sched_job_freed(s_job, "drm_sched_stop")) {
                    Locking.spin_unlock(sched.job_list_lock);
                    break;
                }
                sched.pending_list.remove(s_job);
                s_job.list = false;
                Locking.spin_unlock(sched.job_list_lock);
                if (drm_sched_job_freed(s_job, "drm_sched_stop")) break;

                // wait for the job's HW fence callback to finish using s_job before releasing it
                DmaFence.dma_fence_wait(s_job.s_fence.finished, false, "&s_job->s_fence->finished");

                // keep the bad job alive for recovery, with a hint that it must be released
                if (bad != s_job) drm_sched_call_free_job(sched, s_job);
                else sched.free_guilty = true;
            }
        }

        // stop the pending timer: drm_sched_start re-arms it
        Workqueue.cancel_delayed_work(sched.work_tdr);
    }

    /**
     * drm_sched_start: gives each pending job its credits back. A job without a parent completes
     * with errnum, or -ECANCELED when it is 0; a job whose parent already signalled completes with
     * the fence's error, or errnum; the others get their callback back. Then re-arms the timeout and
     * resumes submission.
     */
    public static void drm_sched_start(DrmGpuScheduler sched, int errnum) {
        for (DrmSchedJob s_job : new ArrayList<>(sched.pending_list)) {
            if (drm_sched_job_freed(s_job, "drm_sched_start")) break;
            DmaFence fence = s_job.s_fence.parent;
            sched.credit_count += s_job.credits;
            if (fence == null) {
                drm_sched_job_done(s_job, errnum != 0 ? errnum : -Kshim.ECANCELED);
                continue;
            }
            if (DmaFence.dma_fence_add_callback(fence, s_job.cb, job_done_cb(s_job), "fence") != 0)
                drm_sched_job_done(s_job, fence.error != 0 ? fence.error : errnum);
        }
        drm_sched_start_timeout_unlocked(sched);
        drm_sched_wqueue_start(sched);
    }

    /** drm_sched_fault: make the timeout fire now; safe from IRQ context. */
    public static void drm_sched_fault(DrmGpuScheduler sched) {
        if (sched.timeout_wq != null) Workqueue.mod_delayed_work(sched.timeout_wq, sched.work_tdr, 0);
    }

    public static boolean drm_sched_wqueue_ready(DrmGpuScheduler sched) {
        return sched.ready;
    }

    /** Pauses submission and cancels run-job and free-job work, waiting for one that is running. */
    public static void drm_sched_wqueue_stop(DrmGpuScheduler sched) {
        sched.pause_submit = true;
        Workqueue.cancel_work_sync(sched.work_run_job);
        Workqueue.cancel_work_sync(sched.work_free_job);
    }

    /** Resume submission: queue run-job and free-job work. */
    public static void drm_sched_wqueue_start(DrmGpuScheduler sched) {
        sched.pause_submit = false;
        Workqueue.queue_work(sched.submit_wq, sched.work_run_job);
        Workqueue.queue_work(sched.submit_wq, sched.work_free_job);
    }

    // ---------------------------------------------------------------- init and teardown

    /**
     * drm_sched_init: without a submit_wq the scheduler allocates an ordered one (the submit_wq
     * context); without a timeout_wq it uses the system one (the timeout_wq context, unordered).
     */
    public static int drm_sched_init(DrmGpuScheduler sched, InitArgs args) {
        sched.ops = args.ops();
        sched.credit_limit = args.credit_limit();
        sched.name = args.name();
        sched.timeout = args.timeout();
        sched.hang_limit = args.hang_limit();
        sched.timeout_wq = args.timeout_wq() != null ? args.timeout_wq() : Workqueue.kshim_timeout_wq();
        sched.score = args.score() != null ? args.score() : sched._score;
        sched.dev = args.dev();

        if (args.num_rqs() > DRM_SCHED_PRIORITY_COUNT) {
            // this is a gross violation--tell drivers what the problem is
            Printk.dev_err(sched.dev, "drm_sched_init: num_rqs cannot be greater than DRM_SCHED_PRIORITY_COUNT");
            return -Kshim.EINVAL;
        } else if (sched.sched_rq != null) {
            // not an error, but warn anyway so drivers can fine-tune their DRM calling order
            Printk.dev_warn(sched.dev, "drm_sched_init: scheduler already initialized!");
            return 0;
        }

        if (args.submit_wq() != null) {
            sched.submit_wq = args.submit_wq();
            sched.own_submit_wq = false;
        } else {
            // bench: the "sched-init" fault makes this allocation fail
            if (Kshim.fault(Kshim.FAULT_SCHED_INIT, "drm_sched_init"))
                sched.submit_wq = null;
            else
                sched.submit_wq = Workqueue.alloc_ordered_workqueue(args.name(), Workqueue.WQ_MEM_RECLAIM);
            if (sched.submit_wq == null) return -Kshim.ENOMEM;
            sched.own_submit_wq = true;
        }

        int i = DRM_SCHED_PRIORITY_KERNEL;
        out_check_own:
        {
            // the fair policy keeps every entity on one run queue
            sched.num_user_rqs = args.num_rqs();
            sched.num_rqs = SchedRq.kshim_sched_policy() != DRM_SCHED_POLICY_FAIR ? args.num_rqs() : 1;
            sched.sched_rq_mem = Slab.kshim_alloc((long) sched.num_rqs * SIZEOF_PTR, Slab.GFP_KERNEL | Slab.__GFP_ZERO,
                    "drm_sched_init", Slab.Buf::new);
            if (sched.sched_rq_mem == null) break out_check_own;
            sched.sched_rq = new DrmSchedRq[sched.num_rqs];
            boolean unroll = false;
            for (; i < sched.num_rqs; i++) {
                sched.sched_rq[i] = Slab.kzalloc(SIZEOF_DRM_SCHED_RQ, Slab.GFP_KERNEL, "drm_sched_init", DrmSchedRq::new);
                if (sched.sched_rq[i] == null) {
                    unroll = true;
                    break;
                }
                SchedRq.drm_sched_rq_init(sched, sched.sched_rq[i]);
            }
            if (unroll) {
                while (i-- > DRM_SCHED_PRIORITY_KERNEL) Slab.kfree(sched.sched_rq[i], "drm_sched_init");
                Slab.kfree(sched.sched_rq_mem, "drm_sched_init");
                sched.sched_rq = null;
                sched.sched_rq_mem = null;
                break out_check_own;
            }

            WaitQueue.init_waitqueue_head(sched.job_scheduled);
            sched.pending_list.clear();
            sched.lists_initialised = true;
            Locking.__spin_lock_init(sched.job_list_lock, "job_list_lock");
            sched.credit_count = 0;
            Workqueue.INIT_DELAYED_WORK(sched.work_tdr, w -> drm_sched_job_timedout(sched), "drm_sched_job_timedout");
            Workqueue.INIT_WORK(sched.work_run_job, w -> drm_sched_run_job_work(sched), "drm_sched_run_job_work");
            Workqueue.INIT_WORK(sched.work_free_job, w -> drm_sched_free_job_work(sched), "drm_sched_free_job_work");
            sched._score[0] = 0;
            sched.job_id_count = 0;
            sched.pause_submit = false;
            sched.avg_job_us = 0;
            sched.ready = true;
            return 0;
        }
        // own_submit_wq stays set, as in mainline: a later fini destroys it again
        if (sched.own_submit_wq) Workqueue.destroy_workqueue(sched.submit_wq);
        Printk.dev_err(sched.dev, "drm_sched_init: Failed to setup GPU scheduler--out of memory");
        return -Kshim.ENOMEM;
    }

    /** Teardown with ops->cancel_job: cancel, then free, every pending job. */
    private static void drm_sched_cancel_remaining_jobs(DrmGpuScheduler sched) {
        // all other accessors are stopped: no locking necessary
        List<DrmSchedJob> snapshot = new ArrayList<>(sched.pending_list);
        for (int i = snapshot.size() - 1; i >= 0; i--) {
            DrmSchedJob job = snapshot.get(i);
            long kid = drm_sched_job_kid(job);
            Kshim.call_start(Call.CANCEL_JOB, null, kid, job);
            sched.ops.cancel_job(job);
            Kshim.call_end(Call.CANCEL_JOB, null, kid, job, 0);
            sched.pending_list.remove(job);
            job.list = false;
            drm_sched_call_free_job(sched, job);
        }
    }

    /**
     * drm_sched_fini: stops submission, marks the entities still on its run queues stopped and frees
     * the run queues, cancels the timeout synchronously, cancels pending jobs through
     * ops->cancel_job when the driver has one (else they are left, with a warning), and destroys its
     * own workqueue.
     */
    public static void drm_sched_fini(DrmGpuScheduler sched) {
        drm_sched_wqueue_stop(sched);

        for (int i = DRM_SCHED_PRIORITY_KERNEL; i < sched.num_rqs; i++) {
            DrmSchedRq rq = sched.sched_rq[i];
            Locking.spin_lock(rq.lock);
            // prevents reinsertion and marks job_queue as idle (mainline's FIXME: lacks the entity's lock)
            for (DrmSchedEntity s_entity : rq.entities) s_entity.stopped = true;
            Locking.spin_unlock(rq.lock);
            Slab.kfree(sched.sched_rq[i], "drm_sched_fini");
        }

        // bench: a scheduler whose drm_sched_init() failed before it set up its lists: the
        // kernel's __wake_up_common() follows the wait queue's NULL list head and oopses
        if (!sched.lists_initialised) {
            Kshim.finding(KernelReport.Kind.OOPS, "drm_sched_fini",
                    "BUG: kernel NULL pointer dereference in drm_sched_fini: wake_up_all(&sched->job_scheduled) on a wait queue drm_sched_init() never initialised (it failed)");
            return;
        }

        // wake up everyone stuck in drm_sched_entity_flush for this scheduler
        WaitQueue.wake_up_all(sched.job_scheduled, "&sched->job_scheduled");

        // confirm no work left behind accessing device structures
        Workqueue.cancel_delayed_work_sync(sched.work_tdr);

        if (sched.ops.hasCancelJob()) drm_sched_cancel_remaining_jobs(sched);

        if (sched.own_submit_wq) Workqueue.destroy_workqueue(sched.submit_wq);
        sched.ready = false;
        Slab.kfree(sched.sched_rq_mem, "drm_sched_fini");
        sched.sched_rq = null;
        sched.sched_rq_mem = null;

        if (!sched.pending_list.isEmpty()) Printk.dev_warn(sched.dev, "Tearing down scheduler while jobs are pending!");
    }

    /** The least loaded ready scheduler of a list; null if none is ready. */
    static DrmGpuScheduler drm_sched_pick_best(DrmGpuScheduler[] sched_list, int num_sched_list) {
        DrmGpuScheduler picked_sched = null;
        long min_score = 0xffffffffL;
        for (int i = 0; i < num_sched_list; ++i) {
            DrmGpuScheduler sched = sched_list[i];
            if (!sched.ready) {
                Printk.pr_warn("[drm] scheduler " + sched.name + " is not ready, skipping");
                continue;
            }
            long num_score = sched.score[0] & 0xffffffffL;
            if (num_score < min_score) {
                min_score = num_score;
                picked_sched = sched;
            }
        }
        return picked_sched;
    }

    // ---------------------------------------------------------------- jobs

    /**
     * drm_sched_job_init: zeroes job, then allocates its (not yet initialised) fences. Pairs with
     * drm_sched_job_cleanup(). Returns 0, -ENOENT if entity has no run queue, -EINVAL for zero
     * credits, -ENOMEM.
     */
    public static int drm_sched_job_init(DrmSchedJob job, DrmSchedEntity entity, int credits, Object owner,
                                         long drm_client_id) {
        if (Kshim.poisoned_u32((int) job.id)) {
            Kshim.finding(KernelReport.Kind.UAF, "drm_sched_job_init",
                    "BUG: KASAN: slab-use-after-free in drm_sched_job_init: the job was freed");
            return -Kshim.EINVAL;
        }
        if (entity.rq == null) {
            if (job.sched == null) {
                Kshim.finding(KernelReport.Kind.OOPS, "drm_sched_job_init",
                        "BUG: kernel NULL pointer dereference in drm_sched_job_init: entity has no rq, and dev_err(job->sched->dev) reads an unset job->sched");
                return -Kshim.ENOENT;
            }
            Printk.dev_err(job.sched.dev, "drm_sched_job_init: entity has no rq!");
            return -Kshim.ENOENT;
        }
        if (credits == 0) {
            Printk.pr_err("*ERROR* drm_sched_job_init: credits cannot be 0!");
            return -Kshim.EINVAL;
        }
        // zero the struct so that too early use of pointers this function does not set is a NULL deref
        job.zero();
        job.entity = entity;
        job.credits = credits;
        job.s_fence = SchedFence.drm_sched_fence_alloc(entity, owner, drm_client_id);
        if (job.s_fence == null) return -Kshim.ENOMEM;
        job.list = false;
        return 0;
    }

    /**
     * drm_sched_job_arm: the point of no return (the job must be pushed after this). Selects the
     * run queue, gives the job its id and initialises its fences.
     */
    public static void drm_sched_job_arm(DrmSchedJob job) {
        DrmSchedEntity entity = job.entity;
        if (entity == null) {
            Kshim.BUG_ON(true, "sched_main.c", 999, "drm_sched_job_arm", "!entity");
            return;
        }
        if (job.s_fence == null || Slab.poisoned_ptr(job.s_fence)) {
            Kshim.finding(KernelReport.Kind.OOPS, "drm_sched_job_arm",
                    "BUG: kernel NULL pointer dereference in drm_sched_job_arm: job not initialised");
            return;
        }
        SchedEntity.drm_sched_entity_select_rq(entity);
        if (entity.rq == null) {
            Kshim.finding(KernelReport.Kind.OOPS, "drm_sched_job_arm",
                    "BUG: kernel NULL pointer dereference in drm_sched_job_arm: entity has no rq");
            return;
        }
        DrmGpuScheduler sched = entity.rq.sched;
        job.sched = sched;
        job.s_priority = entity.priority;
        job.entity_stats = SchedEntity.drm_sched_entity_stats_get(entity.stats);
        job.id = ++sched.job_id_count;

        SchedFence.drm_sched_fence_init(job.s_fence, job.entity);

        long kid = drm_sched_job_kid(job);
        DmaFence.kshim_fence_set_role(job.s_fence.scheduled, DmaFence.KSHIM_FENCE_SCHEDULED, kid);
        DmaFence.kshim_fence_set_role(job.s_fence.finished, DmaFence.KSHIM_FENCE_FINISHED, kid);
        Kshim.event(new JobArmed(Kshim.ctxId(), kid, job.id));
    }

    /**
     * drm_sched_job_add_dependency: keeps at most one fence per context (the later one). The fence
     * reference is consumed, also on error.
     */
    public static int drm_sched_job_add_dependency(DrmSchedJob job, DmaFence fence) {
        if (fence == null) return 0;
        // deduplicate if we already depend on a fence from the same context
        var deps = job.dependencies;
        for (int index = 0; index < deps.count(); index++) {
            DmaFence entry = deps.entries.get(index);
            if (entry == null || entry.context != fence.context) continue;
            if (DmaFence.dma_fence_is_later(fence, entry)) {
                DmaFence.dma_fence_put(entry, "entry");
                deps.entries.set(index, fence);
            } else {
                DmaFence.dma_fence_put(fence, "fence");
            }
            return 0;
        }
        int ret = drm_sched_deps_alloc(deps, fence);
        if (ret != 0) DmaFence.dma_fence_put(fence, "fence");
        return ret;
    }

    /** xa_alloc(): the first entry needs no memory; later ones a node of 64 slots, as an xarray's. */
    private static int drm_sched_deps_alloc(GpuScheduler.DrmSchedDeps d, DmaFence f) {
        if (d.count() == 0) {
            d.entries.add(f);
            return 0;
        }
        if (d.count() - 1 >= d.cap) {
            int cap = d.cap != 0 ? d.cap * 2 : 64;
            Slab.Buf more = Slab.kzalloc((long) cap * SIZEOF_PTR, Slab.GFP_KERNEL, "drm_sched_deps_alloc", Slab.Buf::new);
            if (more == null) return -Kshim.ENOMEM;
            Slab.kfree(d.more, "drm_sched_deps_alloc");
            d.more = more;
            d.cap = cap;
        }
        d.entries.add(f);
        return 0;
    }

    /** All fences of a locked reservation object (usage at most usage) become dependencies. */
    public static int drm_sched_job_add_resv_dependencies(DrmSchedJob job, DmaResv resv, int usage) {
        DmaResv.dma_resv_assert_held(resv);
        for (DmaFence fence : DmaResv.fences(resv, usage)) {
            // add_dependency consumes a reference, the iterator holds none
            int ret = drm_sched_job_add_dependency(job, DmaFence.dma_fence_get(fence, "fence"));
            if (ret != 0) return ret;
        }
        return 0;
    }

    public static int drm_sched_job_add_implicit_dependencies(DrmSchedJob job, Gem.GemObject obj, boolean write) {
        return drm_sched_job_add_resv_dependencies(job, obj.resv, DmaResv.dma_resv_usage_rw(write));
    }

    /**
     * drm_sched_job_cleanup: pairs with init: drops the finished fence reference if the job was
     * armed, else frees the unarmed fences; drops the dependencies. On a job never initialised
     * mainline dereferences a NULL s_fence; the shim reports that oops and returns.
     */
    public static void drm_sched_job_cleanup(DrmSchedJob job) {
        if (Slab.poisoned_ptr(job.s_fence)) {
            Kshim.finding(KernelReport.Kind.UAF, "drm_sched_job_cleanup",
                    "BUG: KASAN: slab-use-after-free in drm_sched_job_cleanup: the job was freed");
            return;
        }
        if (job.s_fence == null) {
            Kshim.finding(KernelReport.Kind.OOPS, "drm_sched_job_cleanup",
                    "BUG: kernel NULL pointer dereference in drm_sched_job_cleanup");
            return;
        }
        if (Kshim.poisoned_u32(job.s_fence.finished.kshim_magic)) {
            Kshim.finding(KernelReport.Kind.UAF, "drm_sched_job_cleanup",
                    "BUG: KASAN: slab-use-after-free in drm_sched_job_cleanup: the job's fences were freed");
            return;
        }
        if (Locking.kref_read(job.s_fence.finished.refcount) != 0) {
            // the job has been armed
            DmaFence.dma_fence_put(job.s_fence.finished, "&job->s_fence->finished");
            SchedEntity.drm_sched_entity_stats_put(job.entity_stats);
        } else {
            // aborted job before arming
            SchedFence.drm_sched_fence_free(job.s_fence);
        }
        job.s_fence = null;
        for (DmaFence fence : new ArrayList<>(job.dependencies.entries))
            if (fence != null) DmaFence.dma_fence_put(fence, "fence");
        Slab.kfree(job.dependencies.more, "drm_sched_deps_destroy");
        job.dependencies = new GpuScheduler.DrmSchedDeps();
    }
}
