/* SPDX-License-Identifier: MIT */
/*
 * drm/gpu_scheduler.h - the DRM GPU scheduler as of mainline v7.2 (after the
 * drm-misc-fixes-2026-08-13 reverts): an ordered submit workqueue running
 * run-job and free-job work, the TDR on a separate (unordered) timeout queue,
 * credits, the pending list under job_list_lock, hardware-fence callbacks that
 * signal the finished fence and queue free-job work, stop/start for resets,
 * per-priority run queues ordered by a tree (FIFO by default; round robin and
 * the experimental fair policy selectable per device), refcounted entity
 * stats, and entity teardown that kills queued jobs from a work item.
 *
 * Implemented in native/kshim/sched_main.c (scheduler, jobs), sched_rq.c
 * (run queues), sched_entity.c (entities) and sched_fence.c (fences).
 * docs/KERNEL-SEMANTICS.md lists where the shim deviates, and why.
 *
 * Where the shim's data structures differ from mainline's (xarray, rb-tree),
 * the substitute keeps the observable order and allocation behaviour and a
 * comment names what it stands for.
 */
#ifndef _DRM_GPU_SCHEDULER_H_
#define _DRM_GPU_SCHEDULER_H_

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <drm/spsc_queue.h>

#define MAX_WAIT_SCHED_ENTITY_Q_EMPTY msecs_to_jiffies(1000)

/* The job's finished fence may not be pipelined on the scheduled fence. */
#define DRM_SCHED_FENCE_DONT_PIPELINE		DMA_FENCE_FLAG_USER_BITS
#define DRM_SCHED_FENCE_FLAG_HAS_DEADLINE_BIT	(DMA_FENCE_FLAG_USER_BITS + 1)

struct device;
struct drm_gem_object;
struct drm_gpu_scheduler;
struct drm_sched_rq;

/* Highest priority first: run queues are scanned from KERNEL to LOW. */
enum drm_sched_priority {
	DRM_SCHED_PRIORITY_INVALID = -1,	/* an empty run queue's head priority (fair) */
	DRM_SCHED_PRIORITY_KERNEL,
	DRM_SCHED_PRIORITY_HIGH,
	DRM_SCHED_PRIORITY_NORMAL,
	DRM_SCHED_PRIORITY_LOW,

	DRM_SCHED_PRIORITY_COUNT
};

struct drm_sched_entity_stats;

/**
 * struct drm_sched_entity - a submission queue feeding one run queue
 * @list: node in the run queue's entity list; empty while not on a run queue
 * @lock: guards @rq, @stopped, @priority, @sched_list changes and @rr_ts
 * @rq: the run queue this entity submits to
 * @stats: the entity's share of the stats object (jobs hold references too)
 * @sched_list: schedulers to load-balance over (NULL: a single one, fixed)
 * @num_sched_list: entries in @sched_list
 * @priority: the entity's priority
 * @rq_priority: the run queue it uses (the fair policy has one, KERNEL)
 * @rr_ts: round robin: fake timestamp of its last popped job
 * @job_queue: jobs pushed and not yet picked by run-job work
 * @fence_seq: seqno of the last job armed on this entity
 * @fence_context: the entity's two fence contexts (scheduled, finished = +1)
 * @dependency: the fence the head job waits for now (callback @cb queued)
 * @cb: callback on @dependency
 * @guilty: set when a job of this entity hung; later jobs get -ECANCELED
 * @last_scheduled: finished fence of the last job picked (reference held)
 * @last_user: the process that pushed last ("current->group_leader"); only
 *	that process's exit may kill the queued jobs (drm_sched_entity_flush)
 * @stopped: entity killed or scheduler torn down: no more pushes
 * @entity_idle: completed while run-job work is not using the entity
 * @oldest_job_waiting: the entity's key in the tree (submit time, fake time
 *	or virtual runtime, by policy)
 * @tree_node: position in &drm_sched_rq.tree (stands for the rb-tree node)
 * @in_tree: @tree_node is linked (stands for !RB_EMPTY_NODE)
 */
struct drm_sched_entity {
	struct list_head		list;
	spinlock_t			lock;
	struct drm_sched_rq		*rq;
	struct drm_sched_entity_stats	*stats;
	struct drm_gpu_scheduler	**sched_list;
	unsigned int			num_sched_list;
	enum drm_sched_priority		priority;
	enum drm_sched_priority		rq_priority;
	ktime_t				rr_ts;
	struct spsc_queue		job_queue;
	atomic_t			fence_seq;
	u64				fence_context;
	struct dma_fence		*dependency;
	struct dma_fence_cb		cb;
	atomic_t			*guilty;
	struct dma_fence		*last_scheduled;
	u64				last_user;
	bool				stopped;
	struct completion		entity_idle;
	ktime_t				oldest_job_waiting;
	struct list_head		tree_node;
	bool				in_tree;
};

/**
 * struct drm_sched_rq - queue of entities to be scheduled, one per priority
 * @kshim_magic: bench: lets an entity notice its run queue was freed by
 *	drm_sched_fini() (a use after free in mainline too)
 * @sched: the scheduler this rq belongs to
 * @lock: guards @entities, @tree, @rr_ts and @head_prio
 * @rr_ts: round robin: monotonically increasing fake timestamp
 * @entities: entities on this run queue
 * @tree: entities with a job, by &drm_sched_entity.oldest_job_waiting, equal
 *	keys in insertion order (stands for mainline's rb-tree)
 * @head_prio: fair policy: priority of the entity at the head of @tree
 */
struct drm_sched_rq {
	u32				kshim_magic;
	struct drm_gpu_scheduler	*sched;
	spinlock_t			lock;
	ktime_t				rr_ts;
	struct list_head		entities;
	struct list_head		tree;
	enum drm_sched_priority		head_prio;
};

/**
 * struct drm_sched_fence - fences of one job
 * @scheduled: signalled when the job is picked and run_job returned
 * @finished: signalled when the job completed (with its error, if any)
 * @deadline: deadline hint (unused by the shim)
 * @parent: the hardware fence run_job returned (reference held)
 * @sched: the scheduler; set when armed (NULL: never armed)
 * @lock: lock of @scheduled and @finished
 * @owner: job owner, for debugging
 * @drm_client_id: the submitting DRM client
 *
 * The finished fence holds the initial reference of the scheduled fence;
 * the structure is freed when the scheduled fence is released.
 */
struct drm_sched_fence {
	struct dma_fence		scheduled;
	struct dma_fence		finished;
	ktime_t				deadline;
	struct dma_fence		*parent;
	struct drm_gpu_scheduler	*sched;
	spinlock_t			lock;
	void				*owner;
	u64				drm_client_id;
};

struct drm_sched_fence *to_drm_sched_fence(struct dma_fence *f);

/*
 * The job's dependencies: stands for mainline's xarray with XA_FLAGS_ALLOC.
 * Index 0 lives in @head (an xarray keeps a lone entry in its head without
 * allocating); higher indexes need the allocated array @more, as the xarray
 * needs a node. Erased entries read NULL.
 */
struct drm_sched_deps {
	struct dma_fence	*head;
	struct dma_fence	**more;		/* index i >= 1 at more[i - 1] */
	u32			count;		/* next index to allocate */
	u32			cap;		/* entries in @more */
};

/**
 * struct drm_sched_job - a job to be run by an entity
 * @id: unique id of the job on its scheduler, set by drm_sched_job_arm()
 * @submit_ts: when the job was pushed
 * @sched: the scheduler this job runs on; set when armed
 * @s_fence: the scheduled and finished fences; NULL before init and after cleanup
 * @entity: the entity the job was initialised on; NULL once picked
 * @entity_stats: the job's reference to its entity's stats, from arm to cleanup
 * @s_priority: priority of the job
 * @credits: credits this job takes on the scheduler
 * @last_dependency: next index of @dependencies to wait for
 * @karma: hang count (mainline's deprecated guilty tracking)
 * @queue_node: node in the entity's job queue
 * @list: node in the scheduler's pending list
 * @finish_cb: callback on the previous job's finished fence when killed
 * @work: the kill work, once the job's dependencies are done
 * @cb: callback on the hardware fence (@s_fence->parent)
 * @dependencies: fences the job waits for before run_job (references held)
 * @kshim_id: bench: the job's id in traces, 0 until known. Computed lazily
 *	with kshim_job_id() when the job is armed; a backend that is not the
 *	bench's driver (the mock) sets it between init and arm instead.
 */
struct drm_sched_job {
	u64				id;
	ktime_t				submit_ts;
	struct drm_gpu_scheduler	*sched;
	struct drm_sched_fence		*s_fence;
	struct drm_sched_entity		*entity;
	struct drm_sched_entity_stats	*entity_stats;
	enum drm_sched_priority		s_priority;
	u32				credits;
	unsigned int			last_dependency;
	atomic_t			karma;
	struct spsc_node		queue_node;
	struct list_head		list;
	union {
		struct dma_fence_cb	finish_cb;
		struct work_struct	work;
	};
	struct dma_fence_cb		cb;
	struct drm_sched_deps		dependencies;
	u64				kshim_id;
};

/**
 * enum drm_gpu_sched_stat - the scheduler's status after a timeout
 * @DRM_GPU_SCHED_STAT_NONE: reserved, do not use
 * @DRM_GPU_SCHED_STAT_RESET: the GPU hung and was reset successfully
 * @DRM_GPU_SCHED_STAT_ENODEV: the device is gone; the timeout is not re-armed
 * @DRM_GPU_SCHED_STAT_NO_HANG: false alarm; the job is put back at the head
 *	of the pending list (the driver must not have called stop/start)
 */
enum drm_gpu_sched_stat {
	DRM_GPU_SCHED_STAT_NONE,
	DRM_GPU_SCHED_STAT_RESET,
	DRM_GPU_SCHED_STAT_ENODEV,
	DRM_GPU_SCHED_STAT_NO_HANG,
};

/**
 * struct drm_sched_backend_ops - the driver's side
 * @prepare_job: optional; called when all dependencies are met, may return
 *	one more fence to wait for
 * @run_job: push the job to the hardware; return its hardware fence with a
 *	reference for the scheduler, NULL (done, success) or an ERR_PTR
 * @timedout_job: the job at the head of the pending list timed out
 * @free_job: the job is done with; runs on the submit queue (and from
 *	stop, teardown and the kill work on system_wq)
 * @cancel_job: optional; drm_sched_fini() cancels still pending jobs with it
 */
struct drm_sched_backend_ops {
	struct dma_fence *(*prepare_job)(struct drm_sched_job *sched_job,
					 struct drm_sched_entity *s_entity);
	struct dma_fence *(*run_job)(struct drm_sched_job *sched_job);
	enum drm_gpu_sched_stat (*timedout_job)(struct drm_sched_job *sched_job);
	void (*free_job)(struct drm_sched_job *sched_job);
	void (*cancel_job)(struct drm_sched_job *sched_job);
};

/**
 * struct drm_gpu_scheduler - scheduler instance-specific data
 * @ops: backend operations provided by the driver
 * @credit_limit: the credit limit of this scheduler
 * @credit_count: the current credit count of this scheduler
 * @timeout: the time after which a job is removed from the scheduler
 * @name: name of the ring for which this scheduler is being used
 * @num_rqs: number of run-queues (1 under the fair policy)
 * @num_user_rqs: number of run-queues the driver asked for
 * @sched_rq: run queues, by priority
 * @job_scheduled: woken each time a job is picked (entity flush waits here)
 * @job_id_count: used to assign unique ids to jobs
 * @submit_wq: workqueue of run-job and free-job work (ordered)
 * @timeout_wq: workqueue of the TDR
 * @avg_job_us: fair policy: average job duration (ewma), for interactivity
 * @work_run_job: picks and runs the next job
 * @work_free_job: frees the head of the pending list once finished
 * @work_tdr: the timeout handler (drm_sched_job_timedout)
 * @pending_list: jobs handed to the hardware, oldest first
 * @job_list_lock: guards @pending_list
 * @hang_limit: deprecated
 * @score: score to help the load balancer pick an idle scheduler
 * @_score: score used when the driver does not provide one
 * @ready: marks if the underlying hardware is ready to work
 * @free_guilty: a reset freed the bad job's slot: the TDR frees it afterwards
 * @pause_submit: submission paused (drm_sched_wqueue_stop)
 * @own_submit_wq: the scheduler allocated @submit_wq
 * @dev: system &struct device
 */
struct drm_gpu_scheduler {
	const struct drm_sched_backend_ops	*ops;
	u32				credit_limit;
	atomic_t			credit_count;
	long				timeout;
	const char			*name;
	u32				num_rqs;
	u32				num_user_rqs;
	struct drm_sched_rq		**sched_rq;
	wait_queue_head_t		job_scheduled;
	atomic64_t			job_id_count;
	struct workqueue_struct		*submit_wq;
	struct workqueue_struct		*timeout_wq;
	unsigned long			avg_job_us;
	struct work_struct		work_run_job;
	struct work_struct		work_free_job;
	struct delayed_work		work_tdr;
	struct list_head		pending_list;
	spinlock_t			job_list_lock;
	int				hang_limit;
	atomic_t			*score;
	atomic_t			_score;
	bool				ready;
	bool				free_guilty;
	bool				pause_submit;
	bool				own_submit_wq;
	struct device			*dev;
};

/**
 * struct drm_sched_init_args - parameters for initializing a DRM GPU scheduler
 * @ops: backend operations provided by the driver
 * @submit_wq: workqueue to use for submission; NULL: the scheduler allocates
 *	an ordered one
 * @timeout_wq: workqueue to use for timeout work; NULL: system_wq
 * @num_rqs: number of run-queues (at most DRM_SCHED_PRIORITY_COUNT)
 * @credit_limit: the number of credits this scheduler can hold from all jobs
 * @hang_limit: number of times to allow a job to hang before dropping it
 * @timeout: timeout value in jiffies, MAX_SCHEDULE_TIMEOUT for none
 * @score: score atomic shared with other schedulers; may be NULL
 * @name: name (typically the driver's) used for debugging
 * @dev: associated device, used for debugging
 */
struct drm_sched_init_args {
	const struct drm_sched_backend_ops *ops;
	struct workqueue_struct *submit_wq;
	struct workqueue_struct *timeout_wq;
	u32 num_rqs;
	u32 credit_limit;
	unsigned int hang_limit;
	long timeout;
	atomic_t *score;
	const char *name;
	struct device *dev;
};

/* Scheduler */
int drm_sched_init(struct drm_gpu_scheduler *sched, const struct drm_sched_init_args *args);
void drm_sched_fini(struct drm_gpu_scheduler *sched);
void drm_sched_wakeup(struct drm_gpu_scheduler *sched);
void drm_sched_stop(struct drm_gpu_scheduler *sched, struct drm_sched_job *bad);
void drm_sched_start(struct drm_gpu_scheduler *sched, int errnum);
void drm_sched_fault(struct drm_gpu_scheduler *sched);
bool drm_sched_wqueue_ready(struct drm_gpu_scheduler *sched);
void drm_sched_wqueue_stop(struct drm_gpu_scheduler *sched);
void drm_sched_wqueue_start(struct drm_gpu_scheduler *sched);

/* Jobs */
int drm_sched_job_init(struct drm_sched_job *job, struct drm_sched_entity *entity,
		       u32 credits, void *owner, u64 drm_client_id);
void drm_sched_job_arm(struct drm_sched_job *job);
int drm_sched_job_add_dependency(struct drm_sched_job *job, struct dma_fence *fence);
int drm_sched_job_add_resv_dependencies(struct drm_sched_job *job, struct dma_resv *resv,
					enum dma_resv_usage usage);
int drm_sched_job_add_implicit_dependencies(struct drm_sched_job *job,
					    struct drm_gem_object *obj, bool write);
bool drm_sched_job_has_dependency(struct drm_sched_job *job, struct dma_fence *fence);
void drm_sched_job_cleanup(struct drm_sched_job *job);
void drm_sched_entity_push_job(struct drm_sched_job *sched_job);

/* Entities */
int drm_sched_entity_init(struct drm_sched_entity *entity, enum drm_sched_priority priority,
			  struct drm_gpu_scheduler **sched_list, unsigned int num_sched_list,
			  atomic_t *guilty);
long drm_sched_entity_flush(struct drm_sched_entity *entity, long timeout);
void drm_sched_entity_fini(struct drm_sched_entity *entity);
void drm_sched_entity_destroy(struct drm_sched_entity *entity);
int drm_sched_entity_error(struct drm_sched_entity *entity);

/*
 * Bench: the exit state of "current" that drm_sched_entity_flush() reads
 * (PF_EXITING and the exit code): 0 for a task that is not exiting, SIGKILL
 * for one that was killed. Per context (thread); see sched_entity.c.
 */
void kshim_sched_set_current_exit(int exit_code);

/*
 * Bench: the drm.sched_policy module parameter, per device: which order a
 * run queue keeps its entities in. Read at drm_sched_init() and at entity init.
 */
enum kshim_sched_policy {
	DRM_SCHED_POLICY_RR = 0,
	DRM_SCHED_POLICY_FIFO = 1,	/* the default */
	DRM_SCHED_POLICY_FAIR = 2,	/* experimental in v7.2 */
};
int kshim_sched_policy(void);

#endif /* _DRM_GPU_SCHEDULER_H_ */
