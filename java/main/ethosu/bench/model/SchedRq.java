// The model's sched_rq.c (mainline v7.2 drivers/gpu/drm/scheduler/sched_rq.c): one run queue per
// priority, each a tree of the entities that have a job, keyed by submit time (FIFO, the default),
// a fake timestamp (round robin) or virtual runtime (the fair policy, one queue); an entity leaves
// the tree when its queue empties and joins again when a job is pushed. Locks: entity, then rq.
package ethosu.bench.model;

import ethosu.bench.event.KernelReport;
import ethosu.bench.model.GpuScheduler.DrmGpuScheduler;
import ethosu.bench.model.GpuScheduler.DrmSchedEntity;
import ethosu.bench.model.GpuScheduler.DrmSchedJob;
import ethosu.bench.model.GpuScheduler.DrmSchedRq;
import ethosu.bench.model.SchedEntity.DrmSchedEntityStats;

import static ethosu.bench.model.GpuScheduler.*;

public final class SchedRq {
    private SchedRq() {}

    /** Marks "the head entity lacks the credits" (ERR_PTR(-ENOSPC)). */
    static final DrmSchedEntity ENOSPC = new DrmSchedEntity();

    /** drm.sched_policy of the calling context's device (FIFO without one). */
    static int kshim_sched_policy() {
        Kdev d = Kshim.dev();
        return d != null ? d.sched_policy : DRM_SCHED_POLICY_FIFO;
    }

    /** The priority of the entity at the head of the tree. */
    private static void drm_sched_rq_update_prio(DrmSchedRq rq) {
        int prio = DRM_SCHED_PRIORITY_INVALID;
        if (!rq.tree.isEmpty()) prio = rq.tree.get(0).priority;
        rq.head_prio = prio;
    }

    private static void drm_sched_rq_remove_tree_locked(DrmSchedEntity entity, DrmSchedRq rq) {
        Locking.lockdep_assert_held_spin(entity.lock, "&entity->lock");
        Locking.lockdep_assert_held_spin(rq.lock, "&rq->lock");
        if (entity.in_tree) {
            rq.tree.remove(entity);
            entity.in_tree = false;
            drm_sched_rq_update_prio(rq);
        }
    }

    /** (Re)position the entity under key ts; equal keys go after the ones there, as rb_add_cached(). */
    private static void drm_sched_rq_update_tree_locked(DrmSchedEntity entity, DrmSchedRq rq, long ts) {
        Locking.lockdep_assert_held_spin(entity.lock, "&entity->lock");
        Locking.lockdep_assert_held_spin(rq.lock, "&rq->lock");
        drm_sched_rq_remove_tree_locked(entity, rq);
        entity.oldest_job_waiting = ts;
        int at = rq.tree.size();
        for (int i = 0; i < rq.tree.size(); i++) {
            DrmSchedEntity pos = rq.tree.get(i);
            // the rb-tree walk of mainline reads a freed entity's node
            if (pos != entity && Slab.poisoned_ptr(pos.rq)) {
                Kshim.finding(KernelReport.Kind.UAF, "drm_sched_rq_update_tree_locked",
                        "BUG: KASAN: slab-use-after-free in drm_sched_rq_update_tree_locked: a freed entity is still on the run queue");
                // the C links the entity at the head and drops the freed node from its walk
                rq.tree.add(0, entity);
                entity.in_tree = true;
                return;
            }
            // ktime_before: signed
            if (ts < pos.oldest_job_waiting) {
                at = i;
                break;
            }
        }
        rq.tree.add(at, entity);
        entity.in_tree = true;
        drm_sched_rq_update_prio(rq);
    }

    static void drm_sched_rq_init(DrmGpuScheduler sched, DrmSchedRq rq) {
        rq.kshim_magic = DRM_SCHED_RQ_MAGIC;
        // named for the trace: "spin_lock(rq_lock)"
        Locking.__spin_lock_init(rq.lock, "rq_lock");
        rq.entities.clear();
        rq.tree.clear();
        rq.rr_ts = 0;
        rq.head_prio = DRM_SCHED_PRIORITY_INVALID;
        rq.sched = sched;
    }

    /** The fair policy: virtual runtime grows faster for lower priorities (a shift per priority). */
    private static final int[] vruntime_shift = {1, 2, 4, 7};

    private static long drm_sched_rq_get_min_vruntime(DrmSchedRq rq) {
        long vruntime = 0;
        Locking.lockdep_assert_held_spin(rq.lock, "&rq->lock");
        if (!rq.tree.isEmpty()) {
            DrmSchedEntityStats stats = rq.tree.get(0).stats;
            Locking.spin_lock(stats.lock);
            vruntime = stats.vruntime;
            Locking.spin_unlock(stats.lock);
        }
        return vruntime;
    }

    /** Leaving the tree: keep the entity's lead over the head, relative to it. */
    private static void drm_sched_entity_save_vruntime(DrmSchedEntity entity, long min_vruntime) {
        DrmSchedEntityStats stats = entity.stats;
        Locking.spin_lock(stats.lock);
        if (min_vruntime != 0 && stats.vruntime > min_vruntime)
            stats.vruntime = stats.vruntime - min_vruntime;
        else
            stats.vruntime = 0;
        Locking.spin_unlock(stats.lock);
    }

    /** Joining the tree again: its saved lead over the current head, or a place by priority. */
    private static long drm_sched_entity_restore_vruntime(DrmSchedEntity entity, long min_vruntime, int rq_prio) {
        DrmSchedEntityStats stats = entity.stats;
        DrmGpuScheduler sched = entity.rq.sched;
        int prio = entity.priority;
        Locking.spin_lock(stats.lock);
        long vruntime = stats.vruntime;
        long avg_us = SchedEntity.drm_sched_avgtime_read(stats.avg_job_us);
        // the scheduler's average is a heuristic: read without its writer's exclusion
        long sched_avg_us = SchedEntity.drm_sched_avgtime_read(sched.avg_job_us);
        if (vruntime == 0 && rq_prio != DRM_SCHED_PRIORITY_INVALID) {
            if (prio > rq_prio)
                vruntime = ((1 + avg_us + sched_avg_us) << vruntime_shift[prio]) * 1000L;
            else if (prio < rq_prio)
                vruntime = -(long) (rq_prio - prio);
            else
                vruntime = Long.compareUnsigned(avg_us, sched_avg_us) <= 0 ? -1 : 1;
        }
        vruntime = min_vruntime + vruntime;
        stats.vruntime = vruntime;
        Locking.spin_unlock(stats.lock);
        return vruntime;
    }

    /** Charge the runtime accounted since the last charge, scaled by priority. */
    private static long drm_sched_entity_update_vruntime(DrmSchedEntity entity) {
        DrmSchedEntityStats stats = entity.stats;
        Locking.spin_lock(stats.lock);
        long prev = stats.prev_runtime;
        long runtime = stats.runtime;
        stats.prev_runtime = runtime;
        runtime = stats.vruntime + ((runtime - prev) << vruntime_shift[entity.priority]);
        stats.vruntime = runtime;
        Locking.spin_unlock(stats.lock);
        return runtime;
    }

    /** Round robin: the next fake timestamp, which puts the entity last. */
    private static long drm_sched_rq_next_rr_ts(DrmSchedRq rq, DrmSchedEntity entity) {
        Locking.lockdep_assert_held_spin(entity.lock, "&entity->lock");
        Locking.lockdep_assert_held_spin(rq.lock, "&rq->lock");
        long ts = rq.rr_ts + 1;
        entity.rr_ts = ts;
        rq.rr_ts = ts;
        return ts;
    }

    /**
     * drm_sched_rq_add_entity: put an entity that got its first job on its run queue. Returns the
     * scheduler to wake, or null if the entity was stopped (the job stays queued, never runs).
     */
    static DrmGpuScheduler drm_sched_rq_add_entity(DrmSchedEntity entity, long ts) {
        int policy = kshim_sched_policy();
        Locking.spin_lock(entity.lock);
        if (entity.stopped) {
            Locking.spin_unlock(entity.lock);
            Printk.pr_err("[drm] *ERROR* Trying to push to a killed entity\n");
            return null;
        }
        DrmSchedRq rq = entity.rq;
        DrmGpuScheduler sched = rq.sched;
        Locking.spin_lock(rq.lock);
        if (!entity.list) {
            sched.score[0]++;
            entity.list = true;
            rq.entities.add(entity);
        }
        if (policy == DRM_SCHED_POLICY_FAIR) {
            ts = drm_sched_rq_get_min_vruntime(rq);
            ts = drm_sched_entity_restore_vruntime(entity, ts, rq.head_prio);
        } else if (policy == DRM_SCHED_POLICY_RR) {
            ts = entity.rr_ts;
        }
        drm_sched_rq_update_tree_locked(entity, rq, ts);
        Locking.spin_unlock(rq.lock);
        Locking.spin_unlock(entity.lock);
        return sched;
    }

    /** Take an entity off its run queue; the entity's lock held. */
    static void drm_sched_rq_remove_entity(DrmSchedRq rq, DrmSchedEntity entity) {
        Locking.lockdep_assert_held_spin(entity.lock, "&entity->lock");
        if (!entity.list) return;
        Locking.spin_lock(rq.lock);
        rq.sched.score[0]--;
        rq.entities.remove(entity);
        entity.list = false;
        drm_sched_rq_remove_tree_locked(entity, rq);
        Locking.spin_unlock(rq.lock);
    }

    /**
     * drm_sched_rq_pop_entity: re-key an entity after run-job work took a job: with a next job it
     * takes its place for it in the tree, without one it leaves the tree. Neither looks at
     * entity.stopped: an entity killed since run-job work selected it is put back here.
     */
    static void drm_sched_rq_pop_entity(DrmSchedEntity entity) {
        int policy = kshim_sched_policy();
        Locking.spin_lock(entity.lock);
        DrmSchedRq rq = entity.rq;
        Locking.spin_lock(rq.lock);
        DrmSchedJob next_job = entity.job_queue.peek();
        if (next_job != null) {
            long ts;
            if (policy == DRM_SCHED_POLICY_FAIR) ts = drm_sched_entity_update_vruntime(entity);
            else if (policy == DRM_SCHED_POLICY_FIFO) ts = next_job.submit_ts;
            else ts = drm_sched_rq_next_rr_ts(rq, entity);
            drm_sched_rq_update_tree_locked(entity, rq, ts);
        } else {
            drm_sched_rq_remove_tree_locked(entity, rq);
            if (policy == DRM_SCHED_POLICY_FAIR)
                drm_sched_entity_save_vruntime(entity, drm_sched_rq_get_min_vruntime(rq));
        }
        Locking.spin_unlock(rq.lock);
        Locking.spin_unlock(entity.lock);
    }

    /**
     * drm_sched_rq_select_entity: the first ready entity in tree order, marked busy (entity_idle
     * re-armed); ENOSPC if it lacks the credits (the others wait too); null if none is ready.
     */
    static DrmSchedEntity drm_sched_rq_select_entity(DrmGpuScheduler sched, DrmSchedRq rq) {
        DrmSchedEntity found = null;
        Locking.spin_lock(rq.lock);
        for (DrmSchedEntity entity : new java.util.ArrayList<>(rq.tree)) {
            // an entity freed while still in the tree reads as poison: report it (KASAN would)
            if (Slab.poisoned_ptr(entity.rq)) {
                Kshim.finding(KernelReport.Kind.UAF, "drm_sched_rq_select_entity",
                        "BUG: KASAN: slab-use-after-free in drm_sched_rq_select_entity: a freed entity is still on the run queue");
                break;
            }
            if (SchedEntity.drm_sched_entity_is_ready(entity)) {
                if (!SchedMain.drm_sched_can_queue(sched, entity)) {
                    Locking.spin_unlock(rq.lock);
                    return ENOSPC;
                }
                // the run-job work uses it from now until complete_all()
                WaitQueue.reinit_completion(entity.entity_idle);
                found = entity;
                break;
            }
        }
        Locking.spin_unlock(rq.lock);
        return found;
    }
}
