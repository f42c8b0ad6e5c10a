/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ethosu_mock.h - a mock GPU on the DRM scheduler shims, for the shim tests
 * (called from Java through FFM), after the kernel's own scheduler test mock
 * (drivers/gpu/drm/scheduler/tests/mock_scheduler.c).
 *
 * The mock's hardware is a timeline: run_job puts a job on it with a fresh
 * hardware fence, and the fences complete in run order, either exactly when
 * the test calls ebench_mock_advance(), or, for a job submitted with a
 * duration, that long after the previous timed job finished (a delayed work
 * on system_wq, so on the virtual clock under the controlled platform).
 * A test reads as a story: submit, advance, expect.
 *
 * Every entry point is called from a context thread already bound to the
 * device with ebench_ctx_bind() (ethosu_bench.h). Mock jobs and their state
 * stay readable until ebench_mock_sched_fini(), also after free_job.
 *
 * The bench serves one ordered (submit) workqueue per device: create the mock
 * on a device whose driver was not probed.
 */
#ifndef ETHOSU_MOCK_H
#define ETHOSU_MOCK_H

#include <stdint.h>

/*
 * Entry points are declared through function types (ebench_mock_x_fn), as in
 * ethosu_bench.h: the Java bindings take each signature from the type and
 * bind the symbol per loaded library.
 */
#define EBENCH_MOCK_ABI_VERSION	3

struct ebench_dev;
struct ebench_mock_sched;
struct ebench_mock_entity;
struct ebench_mock_job;

/* What the mock's timedout_job does for a job (ebench_mock_job_set_timedout_answer). */
enum ebench_mock_answer {
	/*
	 * The kernel mock's reset (the default): a hardware fence still pending
	 * is signalled with -ETIMEDOUT, the job is cleaned up by the handler
	 * itself (the scheduler will not call free_job for it), RESET returned.
	 */
	EBENCH_MOCK_ANSWER_RESET = 0,
	/* False alarm: NO_HANG returned, the job stays pending. */
	EBENCH_MOCK_ANSWER_NO_HANG = 1,
	/*
	 * As ethosu does: drm_sched_stop(bad), the hardware drops every running
	 * job without signalling it, drm_sched_start(0), RESET returned.
	 */
	EBENCH_MOCK_ANSWER_STOP_START = 2,
};

enum ebench_mock_job_state {
	EBENCH_MOCK_JOB_QUEUED = 0,	/* pushed, run_job not called yet */
	EBENCH_MOCK_JOB_RUNNING = 1,	/* run_job called, hardware fence pending */
	EBENCH_MOCK_JOB_HW_DONE = 2,	/* hardware fence signalled, finished fence not yet */
	EBENCH_MOCK_JOB_FINISHED = 3,	/* finished fence signalled; see ebench_mock_job_error() */
	EBENCH_MOCK_JOB_FREED = 4,	/* free_job ran (or the RESET answer cleaned it up) */
};

/* ebench_mock_sched_create() flags */
#define EBENCH_MOCK_NO_CANCEL_JOB	0x1u	/* no ops->cancel_job, like ethosu */

/* Calls of the backend ops, for one job or the whole mock. */
struct ebench_mock_counts {
	int32_t run;		/* run_job */
	int32_t timedout;	/* timedout_job */
	int32_t freed;		/* free_job */
	int32_t cancelled;	/* cancel_job */
};

typedef uint32_t ebench_mock_abi_fn(void);
ebench_mock_abi_fn ebench_mock_abi;

/*
 * A mock scheduler on device d: credit_limit credits, a timeout of timeout_ms
 * (0: none). *ret receives 0 or a negative errno (NULL returned).
 */
typedef struct ebench_mock_sched *ebench_mock_sched_create_fn(struct ebench_dev *d,
							      uint32_t credit_limit,
							      uint32_t timeout_ms, uint32_t flags,
							      int32_t *ret);
ebench_mock_sched_create_fn ebench_mock_sched_create;
/* Destroy the entities left, drm_sched_fini(), then free every mock job. */
typedef void ebench_mock_sched_fini_fn(struct ebench_mock_sched *m);
ebench_mock_sched_fini_fn ebench_mock_sched_fini;

/* Entity priorities: enum drm_sched_priority's values. */
enum ebench_mock_priority {
	EBENCH_MOCK_PRIORITY_KERNEL = 0,
	EBENCH_MOCK_PRIORITY_HIGH = 1,
	EBENCH_MOCK_PRIORITY_NORMAL = 2,
	EBENCH_MOCK_PRIORITY_LOW = 3,
};

/* An entity at priority (enum ebench_mock_priority). */
typedef struct ebench_mock_entity *ebench_mock_entity_create_fn(struct ebench_mock_sched *m,
								int32_t priority, int32_t *ret);
ebench_mock_entity_create_fn ebench_mock_entity_create;
/*
 * drm_sched_entity_destroy(): waits until the queue is empty. killed != 0:
 * as for a process killed with SIGKILL: waits at most 1 s, then the jobs
 * still queued are killed (finished with -ESRCH, never run).
 */
typedef void ebench_mock_entity_destroy_fn(struct ebench_mock_entity *e, int32_t killed);
ebench_mock_entity_destroy_fn ebench_mock_entity_destroy;
/*
 * drm_sched_entity_flush() alone, from the calling context (its process:
 * the context, see ebench_ctx_bind()). killed != 0: as for a process killed
 * with SIGKILL: waits at most 1 s, then kills the jobs still queued only if
 * this process was the last to push to the entity (entity->last_user).
 * Returns what is left of the 1 s timeout, in jiffies.
 */
typedef int64_t ebench_mock_entity_flush_fn(struct ebench_mock_entity *e, int32_t killed);
ebench_mock_entity_flush_fn ebench_mock_entity_flush;

/*
 * Init, arm and push a job of credits credits; duration_ms 0: completes only
 * through ebench_mock_advance(). dep: NULL, or a job whose finished fence
 * this one depends on. *ret receives 0 or the negative errno of init.
 */
typedef struct ebench_mock_job *ebench_mock_job_submit_fn(struct ebench_mock_entity *e,
							  uint32_t credits, uint32_t duration_ms,
							  struct ebench_mock_job *dep, int32_t *ret);
ebench_mock_job_submit_fn ebench_mock_job_submit;

/* Signal the hardware fences of the next n running jobs, in run order; returns how many. */
typedef uint32_t ebench_mock_advance_fn(struct ebench_mock_sched *m, uint32_t n);
ebench_mock_advance_fn ebench_mock_advance;

/* enum ebench_mock_answer, for every timeout of this job from now on. */
typedef void ebench_mock_job_set_timedout_answer_fn(struct ebench_mock_job *j, int32_t answer);
ebench_mock_job_set_timedout_answer_fn ebench_mock_job_set_timedout_answer;

/* enum ebench_mock_job_state */
typedef int32_t ebench_mock_job_state_fn(const struct ebench_mock_job *j);
ebench_mock_job_state_fn ebench_mock_job_state;
/* Error of the finished fence (0 while unsignalled or without error). */
typedef int32_t ebench_mock_job_error_fn(const struct ebench_mock_job *j);
ebench_mock_job_error_fn ebench_mock_job_error;
/* The job's id in traces ("job<id>.finished"): 1, 2, ... per mock. */
typedef uint32_t ebench_mock_job_id_fn(const struct ebench_mock_job *j);
ebench_mock_job_id_fn ebench_mock_job_id;
/* Wait for the finished fence: 1 if signalled, 0 on timeout, <0 if never armed. */
typedef int32_t ebench_mock_job_wait_finished_fn(struct ebench_mock_job *j, uint32_t timeout_ms);
ebench_mock_job_wait_finished_fn ebench_mock_job_wait_finished;

typedef void ebench_mock_job_counts_fn(const struct ebench_mock_job *j, struct ebench_mock_counts *out);
ebench_mock_job_counts_fn ebench_mock_job_counts;
typedef void ebench_mock_sched_counts_fn(const struct ebench_mock_sched *m, struct ebench_mock_counts *out);
ebench_mock_sched_counts_fn ebench_mock_sched_counts;

#endif /* ETHOSU_MOCK_H */
