// SPDX-License-Identifier: MIT
/*
 * sched_rq.c - the scheduler's run queues, after mainline v7.2's
 * drivers/gpu/drm/scheduler/sched_rq.c: one queue per priority, each a tree
 * of the entities that have a job, keyed by the job's submit time (FIFO, the
 * default), by a fake timestamp (round robin) or by virtual runtime (the
 * experimental fair policy, which uses one queue); an entity leaves the tree
 * when its queue empties, and joins it again when a job is pushed.
 *
 * Locks: entity->lock, then rq->lock (both held to change an entity's place).
 */
#include <linux/kernel.h>
#include <linux/slab.h>

#include "sched_internal.h"

/* The priority of the entity at the head of the tree, read without its lock. */
static void drm_sched_rq_update_prio(struct drm_sched_rq *rq)
{
	enum drm_sched_priority prio = DRM_SCHED_PRIORITY_INVALID;

	lockdep_assert_held_spin(&rq->lock);

	if (!list_empty(&rq->tree)) {
		struct drm_sched_entity *head =
			list_first_entry(&rq->tree, struct drm_sched_entity, tree_node);

		prio = __atomic_load_n(&head->priority, __ATOMIC_RELAXED);
	}
	rq->head_prio = prio;
}

static void drm_sched_rq_remove_tree_locked(struct drm_sched_entity *entity,
					    struct drm_sched_rq *rq)
{
	lockdep_assert_held_spin(&entity->lock);
	lockdep_assert_held_spin(&rq->lock);

	if (entity->in_tree) {
		list_del_init(&entity->tree_node);
		entity->in_tree = false;
		drm_sched_rq_update_prio(rq);
	}
}

/*
 * (Re)position the entity under key @ts. Equal keys go after the ones already
 * there, as rb_add_cached() places them.
 */
static void drm_sched_rq_update_tree_locked(struct drm_sched_entity *entity,
					    struct drm_sched_rq *rq, ktime_t ts)
{
	struct drm_sched_entity *pos;

	lockdep_assert_held_spin(&entity->lock);
	lockdep_assert_held_spin(&rq->lock);

	drm_sched_rq_remove_tree_locked(entity, rq);

	entity->oldest_job_waiting = ts;

	list_for_each_entry(pos, &rq->tree, tree_node) {
		/* bench: the rb-tree walk of mainline reads a freed entity's node */
		if (pos != entity && (kshim_poisoned_ptr(pos->rq) || kshim_poisoned_ptr(pos->tree_node.next))) {
			kshim_finding(EBENCH_F_UAF,
				      "BUG: KASAN: slab-use-after-free in drm_sched_rq_update_tree_locked: a freed entity is still on the run queue");
			/* the freed node is dropped from the walk so the run can go on */
			list_add(&entity->tree_node, &rq->tree);
			entity->in_tree = true;
			return;
		}
		if (ktime_before(ts, pos->oldest_job_waiting))
			break;
	}
	list_add_tail(&entity->tree_node, &pos->tree_node);
	entity->in_tree = true;
	drm_sched_rq_update_prio(rq);
}

/**
 * drm_sched_rq_init - initialise a run queue
 * @sched: the scheduler it belongs to
 * @rq: the run queue
 */
void drm_sched_rq_init(struct drm_gpu_scheduler *sched, struct drm_sched_rq *rq)
{
	rq->kshim_magic = DRM_SCHED_RQ_MAGIC;
	/* named for the trace: "spin_lock(rq_lock)" */
	__spin_lock_init(&rq->lock, "rq_lock");
	INIT_LIST_HEAD(&rq->entities);
	INIT_LIST_HEAD(&rq->tree);
	rq->rr_ts = 0;
	rq->head_prio = DRM_SCHED_PRIORITY_INVALID;
	rq->sched = sched;
}

/*
 * The fair policy: virtual runtime grows faster for lower priorities (a shift
 * per priority), so keeping it balanced shares the hardware out by priority.
 */
static const unsigned int vruntime_shift[DRM_SCHED_PRIORITY_COUNT] = {
	[DRM_SCHED_PRIORITY_KERNEL] = 1,
	[DRM_SCHED_PRIORITY_HIGH] = 2,
	[DRM_SCHED_PRIORITY_NORMAL] = 4,
	[DRM_SCHED_PRIORITY_LOW] = 7,
};

static ktime_t drm_sched_rq_get_min_vruntime(struct drm_sched_rq *rq)
{
	struct drm_sched_entity_stats *stats;
	ktime_t vruntime = 0;

	lockdep_assert_held_spin(&rq->lock);

	if (!list_empty(&rq->tree)) {
		stats = list_first_entry(&rq->tree, struct drm_sched_entity, tree_node)->stats;
		spin_lock(&stats->lock);
		vruntime = stats->vruntime;
		spin_unlock(&stats->lock);
	}
	return vruntime;
}

/* Leaving the tree: keep the entity's lead over the head, relative to it. */
static void drm_sched_entity_save_vruntime(struct drm_sched_entity *entity, ktime_t min_vruntime)
{
	struct drm_sched_entity_stats *stats = entity->stats;

	spin_lock(&stats->lock);
	if (min_vruntime && stats->vruntime > min_vruntime)
		stats->vruntime = ktime_sub(stats->vruntime, min_vruntime);
	else
		stats->vruntime = 0;
	spin_unlock(&stats->lock);
}

/*
 * Joining the tree again: its saved lead over the current head; an entity
 * that left at the head rejoins behind a higher priority head, ahead of a
 * lower one, and, between equals, ahead when its jobs are the shorter ones.
 */
static ktime_t drm_sched_entity_restore_vruntime(struct drm_sched_entity *entity,
						 ktime_t min_vruntime,
						 enum drm_sched_priority rq_prio)
{
	struct drm_sched_entity_stats *stats = entity->stats;
	struct drm_gpu_scheduler *sched = entity->rq->sched;
	enum drm_sched_priority prio = entity->priority;
	unsigned long avg_us, sched_avg_us;
	ktime_t vruntime;

	spin_lock(&stats->lock);
	vruntime = stats->vruntime;
	avg_us = drm_sched_avgtime_read(&stats->avg_job_us);
	/* the scheduler's average is a heuristic: read without its writer's exclusion */
	sched_avg_us = drm_sched_avgtime_read(&sched->avg_job_us);

	if (!vruntime && rq_prio != DRM_SCHED_PRIORITY_INVALID) {
		if (prio > rq_prio)
			vruntime = us_to_ktime((1 + avg_us + sched_avg_us) << vruntime_shift[prio]);
		else if (prio < rq_prio)
			vruntime = -ns_to_ktime(rq_prio - prio);
		else
			vruntime = avg_us <= sched_avg_us ? -ns_to_ktime(1) : ns_to_ktime(1);
	}

	vruntime = ktime_add(min_vruntime, vruntime);
	stats->vruntime = vruntime;
	spin_unlock(&stats->lock);

	return vruntime;
}

/* Charge the runtime accounted since the last charge, scaled by priority. */
static ktime_t drm_sched_entity_update_vruntime(struct drm_sched_entity *entity)
{
	struct drm_sched_entity_stats *stats = entity->stats;
	ktime_t runtime, prev;

	spin_lock(&stats->lock);
	prev = stats->prev_runtime;
	runtime = stats->runtime;
	stats->prev_runtime = runtime;
	runtime = ktime_add_ns(stats->vruntime,
			       (u64)ktime_to_ns(ktime_sub(runtime, prev)) <<
			       vruntime_shift[entity->priority]);
	stats->vruntime = runtime;
	spin_unlock(&stats->lock);

	return runtime;
}

/* Round robin: the next fake timestamp, which puts the entity last. */
static ktime_t drm_sched_rq_next_rr_ts(struct drm_sched_rq *rq, struct drm_sched_entity *entity)
{
	ktime_t ts;

	lockdep_assert_held_spin(&entity->lock);
	lockdep_assert_held_spin(&rq->lock);

	ts = ktime_add_ns(rq->rr_ts, 1);
	entity->rr_ts = ts;
	rq->rr_ts = ts;

	return ts;
}

/**
 * drm_sched_rq_add_entity - put an entity that got its first job on its run queue
 * @entity: the entity
 * @ts: the job's submit time
 *
 * Returns the scheduler to wake, or NULL if the entity was stopped (killed,
 * or its scheduler torn down): then the job stays queued and never runs.
 */
struct drm_gpu_scheduler *drm_sched_rq_add_entity(struct drm_sched_entity *entity, ktime_t ts)
{
	struct drm_gpu_scheduler *sched;
	struct drm_sched_rq *rq;
	int policy = kshim_sched_policy();

	spin_lock(&entity->lock);
	if (entity->stopped) {
		spin_unlock(&entity->lock);

		pr_err("[drm] *ERROR* Trying to push to a killed entity\n");
		return NULL;
	}

	rq = entity->rq;
	sched = rq->sched;
	spin_lock(&rq->lock);

	if (list_empty(&entity->list)) {
		atomic_inc(sched->score);
		list_add_tail(&entity->list, &rq->entities);
	}

	if (policy == DRM_SCHED_POLICY_FAIR) {
		ts = drm_sched_rq_get_min_vruntime(rq);
		ts = drm_sched_entity_restore_vruntime(entity, ts, rq->head_prio);
	} else if (policy == DRM_SCHED_POLICY_RR) {
		ts = entity->rr_ts;
	}

	drm_sched_rq_update_tree_locked(entity, rq, ts);

	spin_unlock(&rq->lock);
	spin_unlock(&entity->lock);

	return sched;
}

/**
 * drm_sched_rq_remove_entity - take an entity off its run queue
 * @rq: the run queue
 * @entity: the entity, its lock held
 *
 * An entity no longer on the run queue's list is left alone, whether or not
 * it is still in the tree (see drm_sched_rq_pop_entity()).
 */
void drm_sched_rq_remove_entity(struct drm_sched_rq *rq, struct drm_sched_entity *entity)
{
	lockdep_assert_held_spin(&entity->lock);

	if (list_empty(&entity->list))
		return;

	spin_lock(&rq->lock);

	atomic_dec(rq->sched->score);
	list_del_init(&entity->list);

	drm_sched_rq_remove_tree_locked(entity, rq);

	spin_unlock(&rq->lock);
}

/**
 * drm_sched_rq_pop_entity - re-key an entity after run-job work took a job
 * @entity: the entity
 *
 * With a next job the entity takes its place for it in the tree; without one
 * it leaves the tree. Neither looks at @entity->stopped: an entity killed
 * since run-job work selected it is put back in the tree here.
 */
void drm_sched_rq_pop_entity(struct drm_sched_entity *entity)
{
	struct drm_sched_job *next_job;
	struct drm_sched_rq *rq;
	int policy = kshim_sched_policy();

	spin_lock(&entity->lock);
	rq = entity->rq;
	spin_lock(&rq->lock);
	next_job = drm_sched_entity_queue_peek(entity);
	if (next_job) {
		ktime_t ts;

		if (policy == DRM_SCHED_POLICY_FAIR)
			ts = drm_sched_entity_update_vruntime(entity);
		else if (policy == DRM_SCHED_POLICY_FIFO)
			ts = next_job->submit_ts;
		else
			ts = drm_sched_rq_next_rr_ts(rq, entity);

		drm_sched_rq_update_tree_locked(entity, rq, ts);
	} else {
		drm_sched_rq_remove_tree_locked(entity, rq);

		if (policy == DRM_SCHED_POLICY_FAIR)
			drm_sched_entity_save_vruntime(entity, drm_sched_rq_get_min_vruntime(rq));
	}
	spin_unlock(&rq->lock);
	spin_unlock(&entity->lock);
}

/**
 * drm_sched_rq_select_entity - the entity whose job runs next on this queue
 * @sched: the scheduler
 * @rq: one of its run queues
 *
 * The first ready entity in tree order. Returns it (marked busy: entity_idle
 * re-armed), ERR_PTR(-ENOSPC) if it lacks the credits (the others then wait
 * too, for fairness), or NULL if none is ready.
 */
struct drm_sched_entity *drm_sched_rq_select_entity(struct drm_gpu_scheduler *sched,
						    struct drm_sched_rq *rq)
{
	struct drm_sched_entity *entity, *found = NULL;
	struct list_head *pos;

	spin_lock(&rq->lock);
	/*
	 * The walk reads each link once and checks it before following it: an
	 * entity freed while still in the tree reads as poison, and with
	 * free-running contexts it can be freed between the check and the step
	 * to the next entity. Report it (KASAN would) instead of following a
	 * poisoned link. Plain loads: READ_ONCE is a scheduling point here.
	 */
	for (pos = __atomic_load_n(&rq->tree.next, __ATOMIC_RELAXED); pos != &rq->tree;
	     pos = __atomic_load_n(&entity->tree_node.next, __ATOMIC_RELAXED)) {
		if (kshim_poisoned_ptr(pos))
			goto freed;
		entity = list_entry(pos, struct drm_sched_entity, tree_node);
		if (kshim_poisoned_ptr(__atomic_load_n(&entity->rq, __ATOMIC_RELAXED)) ||
		    kshim_poisoned_ptr(spsc_queue_peek(&entity->job_queue)))
			goto freed;
		if (drm_sched_entity_is_ready(entity)) {
			if (!drm_sched_can_queue(sched, entity)) {
				spin_unlock(&rq->lock);
				return ERR_PTR(-ENOSPC);
			}
			/* the run-job work uses it from now until complete_all() */
			reinit_completion(&entity->entity_idle);
			found = entity;
			break;
		}
	}
	spin_unlock(&rq->lock);

	return found;

freed:
	kshim_finding(EBENCH_F_UAF,
		      "BUG: KASAN: slab-use-after-free in drm_sched_rq_select_entity: a freed entity is still on the run queue");
	spin_unlock(&rq->lock);

	return found;
}
