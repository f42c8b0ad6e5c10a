/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ethosu_bench.h - the C API of one variant library, as the Java side calls it.
 *
 * A library holds the driver under test (one variant of ethosu_job.c) built
 * against the kernel shims. It creates no threads: every kernel execution
 * context (client, submit_wq, timeout_wq, system_wq, hardirq, irq/ethosu,
 * npu) is a thread of the caller that binds itself to a device with
 * ebench_ctx_bind() and then calls the entry point of its role.
 *
 * All state lives in struct ebench_dev; several devices, of one variant or
 * several, run side by side in one process.
 *
 * Every entry point is declared through a function type (ebench_x_fn for
 * ebench_x): the Java bindings, generated from this header by jextract
 * (make bindings), take each signature from that type and bind the symbol
 * in each loaded library on its own, since every variant exports the same
 * names.
 *
 * What the library reports comes back typed: scheduling points carry an
 * interned label (ebench_label_text() gives its text once) and the address
 * of the object they touch; waits carry their kind; every driver callback,
 * work item and IRQ handler is bracketed by a CALL_START and a CALL_END
 * event. Addresses identify objects within one run; the Java side names
 * them by role (job A, A's finished fence, in_flight_job).
 */
#ifndef ETHOSU_BENCH_H
#define ETHOSU_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EBENCH_ABI_VERSION	7

/* Execution contexts, one thread each (DESIGN.md, "Execution contexts"). */
enum ebench_ctx_kind {
	EBENCH_CTX_MAIN = 0,		/* probe, remove, checks */
	EBENCH_CTX_CLIENT = 1,		/* userspace: open, submit, close */
	EBENCH_CTX_SUBMIT_WQ = 2,	/* the scheduler's ordered workqueue */
	EBENCH_CTX_TIMEOUT_WQ = 3,	/* TDR delayed work */
	EBENCH_CTX_SYSTEM_WQ = 4,	/* other system work */
	EBENCH_CTX_HARDIRQ = 5,		/* primary IRQ handler */
	EBENCH_CTX_IRQ_THREAD = 6,	/* threaded IRQ handler */
	EBENCH_CTX_NPU = 7,		/* the fake device (Java) */
	EBENCH_CTX_KINDS = 8,
};

enum ebench_platform {
	EBENCH_FREE_RUNNING = 0,	/* real threads, futexes, scaled clock */
	EBENCH_CONTROLLED = 1,		/* one context at a time, virtual time */
};

/*
 * Label kinds. A label is interned text with a kind: a scheduling point's
 * (what the point does), a wait's (what the context waits for), or a plain
 * name (a work item's function, the site of a finding).
 *
 * Point labels may hold one placeholder the Java side fills in: %o the
 * object (the register at that offset, for MMIO), %j the job the point's
 * argument names, %v the argument as hex (the value a writel stores).
 */
enum ebench_point_kind {
	EBENCH_PT_MUTEX_LOCK = 1,
	EBENCH_PT_MUTEX_UNLOCK,
	EBENCH_PT_SPIN_LOCK,
	EBENCH_PT_SPIN_UNLOCK,
	EBENCH_PT_READ_ONCE,
	EBENCH_PT_WRITE_ONCE,
	EBENCH_PT_READL,
	EBENCH_PT_WRITEL,
	EBENCH_PT_FENCE_SIGNAL,
	EBENCH_PT_FENCE_ADD_CB,
	EBENCH_PT_FENCE_REMOVE_CB,
	EBENCH_PT_QUEUE_WORK,
	EBENCH_PT_CANCEL_WORK,
	EBENCH_PT_FLUSH_WORK,
	EBENCH_PT_WORK_START,
	EBENCH_PT_WAKE,
	EBENCH_PT_TIME,
	EBENCH_PT_SLEEP,
	EBENCH_PT_IRQ,
	EBENCH_PT_OTHER,
	EBENCH_PT_CANCEL_WORK_SYNC,	/* cancel_*_sync: may wait for the item to finish */
};

/* What a context waits for (controlled platform: the wait hook). */
enum ebench_wait_kind {
	EBENCH_WAIT_IDLE_WORKER = 32,	/* a workqueue context with no work: not a deadlock */
	EBENCH_WAIT_IDLE_IRQ_THREAD,	/* the IRQ thread with no interrupt: not a deadlock */
	EBENCH_WAIT_LOCK,		/* a contended mutex or spinlock */
	EBENCH_WAIT_WORK,		/* cancel_*_sync or flush: a work item or queue to finish */
	EBENCH_WAIT_FENCE,		/* dma_fence_wait: a fence to signal */
	EBENCH_WAIT_EVENT,		/* wait_event or a completion: a condition to come true */
	EBENCH_WAIT_TIME,		/* msleep, usleep_range, a poll: time to pass */
};

/* A label that names something: a work item's function, the site of a finding. */
#define EBENCH_LABEL_NAME	64

/* Event types (hooks.event); see struct ebench_event for the fields. */
enum ebench_event_type {
	EBENCH_EV_POINT = 1,	/* free-running, trace level 2: a scheduling point (label, obj, arg) */
	EBENCH_EV_PRINTK,	/* kind: log level; text: one kernel log line ("ethosu: ...") */
	EBENCH_EV_FINDING,	/* kind: enum ebench_finding; label: where (a function or op); obj, job; text */
	EBENCH_EV_JOB_ARMED,	/* job; arg: the scheduler's job number */
	EBENCH_EV_CALL_START,	/* kind: enum ebench_call; label: its name; job; obj (see enum ebench_call) */
	EBENCH_EV_CALL_END,	/* as CALL_START, arg: what it returned */
	EBENCH_EV_FENCE_SIGNAL,	/* kind: enum ebench_fence_role; job; obj: the fence; arg: error; arg2: seqno */
	EBENCH_EV_FENCE_RESIGNAL, /* as FENCE_SIGNAL, on a fence already signalled: a no-op in 7.x */
	EBENCH_EV_RESET,	/* the runtime-resume reset of the NPU finished; arg: 0 or error */
	EBENCH_EV_SANITIZER,	/* SANITIZE=address builds: text: the head of an AddressSanitizer report; job */
	EBENCH_EV_FAULT,	/* kind: enum ebench_fault; label: the calling site; text: what failed */
	EBENCH_EV_PM,		/* kind: enum rpm_status entered (0 active, 1 resuming, 2 suspended, 3 suspending); arg: error */
};

/* Kernel interfaces a call of which can be made to fail (ebench_dev_fail). */
enum ebench_fault {
	EBENCH_FAULT_ALLOC = 0,		/* kmalloc and friends: NULL */
	EBENCH_FAULT_ENTITY_INIT,	/* drm_sched_entity_init: its stats allocation, -ENOMEM */
	EBENCH_FAULT_SCHED_INIT,	/* drm_sched_init: its submit queue allocation, -ENOMEM */
	EBENCH_FAULT_IRQ_REQUEST,	/* request_threaded_irq: its irqaction allocation, -ENOMEM */
	EBENCH_FAULT_PM_GET,		/* a runtime resume: the device's resume callback fails, -EIO */
	EBENCH_FAULTS,
};

/* The calls a CALL_START/CALL_END pair brackets. */
enum ebench_call {
	EBENCH_CALL_RUN_JOB = 1,	/* ops->run_job; end: obj the hw fence, arg its seqno (0: none) */
	EBENCH_CALL_TIMEDOUT_JOB,	/* ops->timedout_job; end: arg enum drm_gpu_sched_stat */
	EBENCH_CALL_FREE_JOB,		/* ops->free_job */
	EBENCH_CALL_CANCEL_JOB,		/* ops->cancel_job */
	EBENCH_CALL_WORK,		/* a work item's function; label: its name, obj: the work item */
	EBENCH_CALL_IRQ_HANDLER,	/* the primary IRQ handler; end: arg its irqreturn_t */
	EBENCH_CALL_IRQ_THREAD,		/* the threaded IRQ handler; end: arg its irqreturn_t */
	EBENCH_CALL_RUNTIME_RESUME,	/* dev_pm_ops.runtime_resume; end: arg its result */
	EBENCH_CALL_RUNTIME_SUSPEND,	/* dev_pm_ops.runtime_suspend; end: arg its result */
};

/* What a fence is to the scheduler. */
enum ebench_fence_role {
	EBENCH_FENCE_OTHER = 0,
	EBENCH_FENCE_SCHEDULED,		/* a job's scheduled fence */
	EBENCH_FENCE_FINISHED,		/* a job's finished fence: the job's result */
	EBENCH_FENCE_HW,		/* the hardware fence run_job returned for a job */
};

enum ebench_finding {
	EBENCH_F_WARN = 1,	/* WARN_ON and friends */
	EBENCH_F_OOPS,		/* a NULL dereference or BUG the kernel would oops on */
	EBENCH_F_UAF,		/* use after free (poisoned object touched) */
	EBENCH_F_DOUBLE_FREE,
	EBENCH_F_REFCOUNT,	/* refcount_t saturation: underflow or increment on 0 */
	EBENCH_F_LEAK,		/* object left at teardown */
	EBENCH_F_ATOMIC_SLEEP,	/* sleeping call in atomic or hard-IRQ context */
	EBENCH_F_FENCE,		/* fence misuse: double signal, error after signal, ... */
	EBENCH_F_DEADLOCK,	/* a context that can never run again */
	EBENCH_F_DEVICE,	/* device protocol (reported by the NPU model) */
	EBENCH_F_JOB,		/* job lifecycle (lost, wrong job completed, ...) */
	EBENCH_F_CONVENTION,	/* a kernel interface's convention broken (an ioctl returning 1, ...) */
};

/* One event; it and its text live only for the duration of the hook call. */
struct ebench_event {
	uint32_t type;		/* enum ebench_event_type */
	int32_t ctx;		/* the context's id (ebench_ctx_bind) */
	uint32_t label;		/* an interned label, 0: none */
	int32_t kind;		/* per type: see enum ebench_event_type */
	uint64_t job;		/* the job it concerns (its command BO's DMA address), 0: none */
	uint64_t obj;		/* the object it concerns (fence, work item), 0: none */
	int64_t arg;
	int64_t arg2;
	const char *text;	/* PRINTK, FINDING and SANITIZER; NULL otherwise */
};

/* Upcalls into the caller. cookie is the caller's own number for the device. */
struct ebench_hooks {
	/* A writel() reaching the device model, synchronously (MMIO side effects). */
	void (*mmio_write)(int64_t cookie, uint32_t offset, uint32_t value);
	/* One event (see enum ebench_event_type). */
	void (*event)(int64_t cookie, const struct ebench_event *ev);
	/*
	 * Controlled platform only: a scheduling point of context ctx before the
	 * operation. obj: the object it touches (lock, fence, field, work item;
	 * for MMIO the register's offset); arg: see the label's placeholders.
	 */
	void (*point)(int64_t cookie, int32_t ctx, uint32_t label, uint64_t obj, uint64_t arg);
	/*
	 * Controlled platform only: the context waits on chan until woken or until
	 * virtual time reaches deadline (UINT64_MAX: none); label is a wait label
	 * (its kind: enum ebench_wait_kind). Returns 1 if woken by the deadline, 0
	 * otherwise; the caller re-checks its condition.
	 */
	int32_t (*wait)(int64_t cookie, int32_t ctx, uint32_t label, uint64_t chan, uint64_t deadline);
	/* Controlled platform only: make every context waiting on chan runnable. */
	void (*wake)(int64_t cookie, int32_t ctx, uint64_t chan);
	/* Controlled platform only: virtual time in ns (the library reads struct ebench_sched's now). */
	uint64_t (*now)(int64_t cookie);
};

/*
 * Controlled platform: memory the controller and the library share
 * (ebench_dev_sched()). While skip is set, the running context's scheduling
 * points are no choice for the controller (nothing else can go first, or its
 * strategy takes the default from here on): the library records each one in
 * rec[] instead of calling hooks.point, and the controller takes them, in
 * order, at the next upcall; when rec[] is full the next point is an upcall.
 * now is virtual time, kept by the controller: reading it costs no upcall.
 *
 * What the controller needs to compare the steps of different runs (partial-
 * order reduction): frees counts the device's kfree()s so far (a point
 * records it too), and objects are named by where they lie: in the device's
 * arena (slab objects, the driver's device struct, workqueues: the same
 * offset whenever a run takes the same steps), in struct ebench_dev, or
 * elsewhere (no stable name).
 */
#define EBENCH_POINT_BATCH	256

struct ebench_point_rec {
	int32_t ctx;
	uint32_t label;
	uint64_t obj;
	uint64_t arg;
	uint64_t frees;			/* ebench_sched.frees when the point was reached */
};

struct ebench_sched {
	uint32_t skip;			/* written by the controller */
	uint32_t count;			/* points in rec[]; the controller sets it back to 0 */
	uint64_t now;			/* virtual time in ns, written by the controller */
	uint64_t frees;			/* kfree()s of objects since the device was made or reset */
	uint64_t arena_base, arena_end;	/* the device's arena */
	uint64_t dev_base, dev_end;	/* struct ebench_dev */
	struct ebench_point_rec rec[EBENCH_POINT_BATCH];
};

struct ebench_config {
	uint32_t abi;			/* EBENCH_ABI_VERSION */
	uint32_t platform;		/* enum ebench_platform */
	uint32_t npu_id;		/* ID register: bits 31:28 arch major (1: U65) */
	uint32_t npu_config;		/* CONFIG register */
	uint32_t sram_size;		/* bytes of SRAM (0: none) */
	uint32_t time_scale;		/* free-running: kernel ns per real ns (>= 1) */
	uint32_t trace_level;		/* 0: findings+printk, 1: + job and call events, 2: + points */
	uint32_t chaos;			/* free-running: per-mille chance to yield at a point */
	int64_t cookie;
	const char *regs_path;		/* register file; NULL: a temp file, removed at close */
	struct ebench_hooks hooks;
};

/*
 * What ebench_cmd_bo_create() records about a command stream, as the
 * driver's validation would (struct ethosu_validated_cmdstream_info).
 */
#define EBENCH_REGIONS	8
struct ebench_cmdstream_info {
	uint32_t cmd_size;			/* bytes of the stream */
	uint64_t region_size[EBENCH_REGIONS];	/* bytes the stream accesses in each region */
	bool output_region[EBENCH_REGIONS];	/* regions the stream writes */
};

struct ebench_dev;
struct ebench_ctx;
struct ebench_file;

/* Sizes the Java bindings compare with their own at load: a stale library is refused. */
struct ebench_sizes {
	uint32_t abi;
	uint32_t config_size;
	uint32_t hooks_size;
	uint32_t event_size;
	uint32_t cmdstream_info_size;
	uint32_t counters_size;
	uint32_t job_size;			/* struct drm_ethosu_job */
	uint32_t submit_size;			/* struct drm_ethosu_submit */
};

/* Live object counts, for leak checks and reports. */
struct ebench_counters {
	int64_t jobs_live;		/* struct ethosu_job allocated and not freed */
	int64_t fences_live;		/* dma_fence objects not released */
	int64_t bos_live;		/* GEM objects not released */
	int64_t pm_usage;		/* runtime-PM usage count */
	int64_t slab_live;		/* every kzalloc/kvmalloc not freed */
	int64_t findings;
	int64_t irqs;			/* hard IRQs taken */
	int64_t spurious_irqs;		/* IRQ_NONE from the handler */
	int64_t resets;			/* runtime-resume resets */
	int64_t jobs_run;		/* run_job calls */
	int64_t jobs_done;		/* finished fences signalled */
	int64_t points;			/* scheduling points passed */
};

typedef void ebench_layout_fn(struct ebench_sizes *out);
ebench_layout_fn ebench_layout;
typedef const char *ebench_variant_fn(void);
ebench_variant_fn ebench_variant;
/*
 * The text of an interned label (kept for the life of the library), and its
 * kind in *kind (enum ebench_point_kind, ebench_wait_kind or
 * EBENCH_LABEL_NAME); NULL if no label has that id. Labels are per library:
 * the same id means the same text on every device of one library.
 */
typedef const char *ebench_label_text_fn(uint32_t id, int32_t *kind);
ebench_label_text_fn ebench_label_text;
/*
 * No-op the controller calls at the scheduling step to stop at under gdb
 * (make gdb), on the thread of the context chosen there; context and label
 * are text for gdb's frame line.
 */
typedef void ebench_break_step_fn(int32_t step, const char *context, const char *label);
ebench_break_step_fn ebench_break_step;
/*
 * The watchdog's view of a thread that does not come back (native/bench/
 * watchdog.c). ebench_thread_frames() interrupts thread tid (a thread of this
 * process) with a signal whose handler records the thread's C frames (return
 * addresses, innermost first, the interrupted instruction first) into pcs, at
 * most max; with stop set the thread then stays parked in the handler for the
 * life of the process (a spinning context stopped, not left spinning).
 * Returns the number of frames, or -errno (-ESRCH: no such thread, -ETIMEDOUT:
 * its handler did not run within timeout_ms).
 */
typedef int32_t ebench_thread_frames_fn(int32_t tid, int32_t stop, uint64_t *pcs, int32_t max, int32_t timeout_ms);
ebench_thread_frames_fn ebench_thread_frames;

/* Device lifetime. err receives one line on failure. */
typedef struct ebench_dev *ebench_dev_create_fn(const struct ebench_config *cfg, char *err, size_t errlen);
ebench_dev_create_fn ebench_dev_create;
typedef const char *ebench_dev_regs_path_fn(struct ebench_dev *d);
ebench_dev_regs_path_fn ebench_dev_regs_path;
typedef void *ebench_dev_regs_fn(struct ebench_dev *d);
ebench_dev_regs_fn ebench_dev_regs;
/* ethosu_job_init() in the calling context; returns its result. */
typedef int32_t ebench_dev_probe_fn(struct ebench_dev *d);
ebench_dev_probe_fn ebench_dev_probe;
/* ethosu_job_fini(), then stop every context loop. */
typedef void ebench_dev_remove_fn(struct ebench_dev *d);
ebench_dev_remove_fn ebench_dev_remove;
/* Report leaks (each a finding); returns the number found. */
typedef int32_t ebench_dev_check_leaks_fn(struct ebench_dev *d);
ebench_dev_check_leaks_fn ebench_dev_check_leaks;
typedef void ebench_dev_counters_fn(struct ebench_dev *d, struct ebench_counters *out);
ebench_dev_counters_fn ebench_dev_counters;
/*
 * Back to the state ebench_dev_create() left, for another run on the same
 * register file (creating a device costs a file, a mapping and their system
 * calls): the device must be removed and its loops returned, as for destroy.
 * Returns 0, or -ENOMEM (the device is then only fit for destroy).
 */
typedef int32_t ebench_dev_reset_fn(struct ebench_dev *d);
ebench_dev_reset_fn ebench_dev_reset;
/* Controlled platform: the memory the library shares with the controller (struct ebench_sched). */
typedef struct ebench_sched *ebench_dev_sched_fn(struct ebench_dev *d);
ebench_dev_sched_fn ebench_dev_sched;
/* Unmap and free everything; the device must be removed and its loops returned. */
typedef void ebench_dev_destroy_fn(struct ebench_dev *d);
ebench_dev_destroy_fn ebench_dev_destroy;
/* Make the nth allocation from now on (1 = the next) fail; 0: none. */
typedef void ebench_dev_fail_alloc_fn(struct ebench_dev *d, int32_t nth);
ebench_dev_fail_alloc_fn ebench_dev_fail_alloc;
/*
 * Arm a fault (enum ebench_fault): the nth call from now on (1 = the next)
 * fails, counting only calls made from the function named site (NULL or "":
 * any). nth 0 disarms. Returns 0, or -EINVAL for an unknown fault.
 */
typedef int32_t ebench_dev_fail_fn(struct ebench_dev *d, int32_t fault, const char *site, int32_t nth);
ebench_dev_fail_fn ebench_dev_fail;
/*
 * drm.sched_policy for this device's schedulers: 0 round robin, 1 FIFO (the
 * default), 2 fair (experimental in v7.2). Before probe; -EINVAL otherwise.
 */
typedef int32_t ebench_dev_sched_policy_fn(struct ebench_dev *d, int32_t policy);
ebench_dev_sched_policy_fn ebench_dev_sched_policy;

/* Bind the calling thread as a context; id is the caller's number for it. */
typedef struct ebench_ctx *ebench_ctx_bind_fn(struct ebench_dev *d, int32_t kind, int32_t id);
ebench_ctx_bind_fn ebench_ctx_bind;
typedef void ebench_ctx_unbind_fn(struct ebench_ctx *c);
ebench_ctx_unbind_fn ebench_ctx_unbind;
/*
 * The loop of a workqueue or IRQ-thread context: returns once the device is
 * removed. Kind must be SUBMIT_WQ, TIMEOUT_WQ, SYSTEM_WQ or IRQ_THREAD.
 */
typedef int32_t ebench_ctx_loop_fn(struct ebench_ctx *c);
ebench_ctx_loop_fn ebench_ctx_loop;
/* Hard-IRQ context: the IRQ line is raised; runs the primary handler. */
typedef int32_t ebench_hardirq_fn(struct ebench_ctx *c);
ebench_hardirq_fn ebench_hardirq;

/* Client context: a DRM file, its BOs and its submits. */
typedef struct ebench_file *ebench_file_open_fn(struct ebench_ctx *c, int32_t *ret);
ebench_file_open_fn ebench_file_open;
typedef void ebench_file_close_fn(struct ebench_ctx *c, struct ebench_file *f);
ebench_file_close_fn ebench_file_close;
/* A plain BO; returns its handle (> 0) or a negative errno. */
typedef int32_t ebench_bo_create_fn(struct ebench_ctx *c, struct ebench_file *f, uint64_t size);
ebench_bo_create_fn ebench_bo_create;
/* A command-stream BO holding words, validated as info says. Returns the handle. */
typedef int32_t ebench_cmd_bo_create_fn(struct ebench_ctx *c, struct ebench_file *f, const uint32_t *words,
					uint32_t nwords, const struct ebench_cmdstream_info *info);
ebench_cmd_bo_create_fn ebench_cmd_bo_create;
/* DMA address of a BO (the job id when the BO is a command stream), 0 if unknown. */
typedef uint64_t ebench_bo_dma_addr_fn(struct ebench_ctx *c, struct ebench_file *f, int32_t handle);
ebench_bo_dma_addr_fn ebench_bo_dma_addr;
/*
 * The client's process is exiting with exit_code (9: killed by SIGKILL): an
 * ebench_file_close() then kills the jobs still queued, as the kernel does.
 */
typedef void ebench_ctx_exiting_fn(struct ebench_ctx *c, int32_t exit_code);
ebench_ctx_exiting_fn ebench_ctx_exiting;
/* Drop the file's handle to a BO, as DRM_IOCTL_GEM_CLOSE does. */
typedef int32_t ebench_bo_close_fn(struct ebench_ctx *c, struct ebench_file *f, int32_t handle);
ebench_bo_close_fn ebench_bo_close;
/* DRM_IOCTL_ETHOSU_SUBMIT with a struct drm_ethosu_submit; returns the ioctl's result. */
typedef int32_t ebench_submit_fn(struct ebench_ctx *c, struct ebench_file *f, void *args);
ebench_submit_fn ebench_submit;

/*
 * Hot-path probes for benchmarks (docs/PERFORMANCE.md): n writel()s to QCONFIG
 * from a bound context (each one upcall to the device model), and n scheduling
 * points. Return n.
 */
typedef int32_t ebench_probe_writel_fn(struct ebench_ctx *c, int32_t n);
ebench_probe_writel_fn ebench_probe_writel;
typedef int32_t ebench_probe_points_fn(struct ebench_ctx *c, int32_t n);
ebench_probe_points_fn ebench_probe_points;
/* Test-only: takes two bench mutexes in the given order (0: a then b; 1: b then a). */
typedef int32_t ebench_selftest_lock_order_fn(struct ebench_ctx *c, int32_t order);
ebench_selftest_lock_order_fn ebench_selftest_lock_order;

/*
 * Test-only: the device's interrupt line with a test handler instead of the
 * driver's (the shim tests of irq.c, on a device that was not probed). The
 * handlers read STATUS: the hard one returns IRQ_NONE unless IRQ raised is
 * set, else IRQ_WAKE_THREAD (or IRQ_HANDLED without a thread).
 */
enum ebench_selftest_irq_op {
	EBENCH_SELFTEST_IRQ_REQUEST = 0,	/* arg: EBENCH_SELFTEST_IRQF_* */
	EBENCH_SELFTEST_IRQ_FREE,		/* free_irq */
	EBENCH_SELFTEST_IRQ_DISABLE,		/* disable_irq */
	EBENCH_SELFTEST_IRQ_DISABLE_NOSYNC,	/* disable_irq_nosync */
	EBENCH_SELFTEST_IRQ_ENABLE,		/* enable_irq */
	EBENCH_SELFTEST_IRQ_SYNC,		/* synchronize_irq */
	EBENCH_SELFTEST_IRQ_DISABLE_ATOMIC,	/* disable_irq under a spinlock */
};
#define EBENCH_SELFTEST_IRQF_CLEAR_HARD		0x01	/* the hard handler writes CMD clear-IRQ */
#define EBENCH_SELFTEST_IRQF_CLEAR_THREAD	0x02	/* the thread writes it */
#define EBENCH_SELFTEST_IRQF_ONESHOT		0x04	/* IRQF_ONESHOT */
#define EBENCH_SELFTEST_IRQF_NO_THREAD		0x08	/* no thread_fn */
#define EBENCH_SELFTEST_IRQF_NO_PRIMARY		0x10	/* no primary handler (needs ONESHOT) */
#define EBENCH_SELFTEST_IRQF_SYNC_IN_THREAD	0x20	/* the thread calls synchronize_irq */
#define EBENCH_SELFTEST_IRQF_DISABLE_IN_HARD	0x40	/* the hard handler calls disable_irq */
#define EBENCH_SELFTEST_IRQF_SLEEP_IN_THREAD	0x80	/* the thread sleeps 1 ms */
/* Returns what the call returns (0 for the void ones), or -EINVAL for an unknown op. */
typedef int32_t ebench_selftest_irq_fn(struct ebench_ctx *c, int32_t op, int32_t arg);
ebench_selftest_irq_fn ebench_selftest_irq;

/*
 * Test-only: the shim tests of workqueue.c and pm.c, on a device that was not
 * probed. Two work items of system_wq whose functions count their runs; item
 * i is chosen by arg (0 or 1), flags by EBENCH_SELFTEST_WORKF_* at setup.
 * Runtime PM on the device with counting callbacks (no clocks, no driver).
 */
enum ebench_selftest_kshim_op {
	EBENCH_SELFTEST_WORK_SETUP = 0,		/* arg: flags of item 0 | flags of item 1 << 8 */
	EBENCH_SELFTEST_WORK_QUEUE,		/* queue_work(system_wq, item arg): its result */
	EBENCH_SELFTEST_WORK_CANCEL_SYNC,	/* cancel_work_sync(item arg): its result */
	EBENCH_SELFTEST_WORK_RUNS,		/* how many times item arg's function started */
	EBENCH_SELFTEST_WORK_RUNNING,		/* 1 while item arg's function runs */
	EBENCH_SELFTEST_WORK_PENDING,		/* 1 while item arg is queued */
	EBENCH_SELFTEST_WORK_REQUEUED,		/* what the item's own queue_work returned (-1: none yet) */
	EBENCH_SELFTEST_WORK_OVERLAP,		/* 1 once item 1 ran while item 0 was running */
	EBENCH_SELFTEST_WORK_RELEASE,		/* a blocking item 0 may return */
	EBENCH_SELFTEST_WORK_FINI,		/* frees the items (none may be queued or running) */
	EBENCH_SELFTEST_PM_SETUP,		/* pm_runtime_init, set_active, enable */
	EBENCH_SELFTEST_PM_GET,			/* pm_runtime_resume_and_get: its result */
	EBENCH_SELFTEST_PM_PUT,			/* pm_runtime_put_sync: its result */
	EBENCH_SELFTEST_PM_FORCE_SUSPEND,	/* pm_runtime_force_suspend: its result */
	EBENCH_SELFTEST_PM_FORCE_RESUME,	/* pm_runtime_force_resume: its result */
	EBENCH_SELFTEST_PM_RESUMES,		/* how many times the resume callback ran */
};
/* The item sleeps 1 ms, then queues itself again, once (its first run only). */
#define EBENCH_SELFTEST_WORKF_REQUEUE	0x01
/* The item sleeps in 1 ms steps until EBENCH_SELFTEST_WORK_RELEASE (at most 1 s). */
#define EBENCH_SELFTEST_WORKF_BLOCK	0x02
/* Returns what the op says, or -EINVAL for an unknown op, -ENOENT before setup. */
typedef int32_t ebench_selftest_kshim_fn(struct ebench_ctx *c, int32_t op, int32_t arg);
ebench_selftest_kshim_fn ebench_selftest_kshim;

#endif /* ETHOSU_BENCH_H */
