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
 */
#ifndef ETHOSU_BENCH_H
#define ETHOSU_BENCH_H

#include <stddef.h>
#include <stdint.h>

#define EBENCH_ABI_VERSION	3

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

/* Kinds of scheduling point (controlled platform); labels name the object. */
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
};

/* Events the library reports through hooks.event (the trace). */
enum ebench_event {
	EBENCH_EV_PRINTK = 1,	/* text: one kernel log line ("ethosu: ...") */
	EBENCH_EV_FINDING,	/* text: a kernel warning, oops, UAF, leak, ... ; a: enum ebench_finding */
	EBENCH_EV_JOB_INIT,	/* a: job id (QBASE of its command BO) */
	EBENCH_EV_JOB_RUN,	/* a: job id, b: hw fence seqno (0: run_job returned NULL), c: hw fence addr */
	EBENCH_EV_JOB_DONE,	/* a: job id, c: error of its finished fence (0, -ECANCELED, ...) */
	EBENCH_EV_JOB_FREE,	/* a: job id */
	EBENCH_EV_HW_SIGNAL,	/* a: job id of the fence (made in its run_job), b: seqno, c: error; ctx: who signalled */
	EBENCH_EV_TIMEDOUT,	/* a: job id, b: status returned by timedout_job */
	EBENCH_EV_IRQ,		/* a: irqreturn of the hard handler, b: STATUS read */
	EBENCH_EV_RESET,	/* runtime-resume reset done; c: 0 or error */
	EBENCH_EV_TRACE,	/* text: a scheduling point or other detail (trace level 2) */
	EBENCH_EV_IRQ_THREAD_START,	/* the IRQ thread function starts a run */
	EBENCH_EV_IRQ_THREAD_END,	/* ... and returns */
	EBENCH_EV_TIMEOUT_START,	/* a: job id: the scheduler calls timedout_job for it */
	EBENCH_EV_FAULT,	/* text: the call made to fail; a: enum ebench_fault */
	EBENCH_EV_IRQ_STORM,	/* text: what stormed; a: hard-handler runs with the line asserted */
	EBENCH_EV_PM,		/* text: runtime-PM transition ("suspended", "resumed"); c: error */
};

/* Kernel interfaces a call of which can be made to fail (ebench_dev_fail). */
enum ebench_fault {
	EBENCH_FAULT_ALLOC = 0,		/* kmalloc and friends: NULL */
	EBENCH_FAULT_ENTITY_INIT,	/* drm_sched_entity_init: its stats allocation, -ENOMEM */
	EBENCH_FAULT_SCHED_INIT,	/* drm_sched_init: its submit queue allocation, -ENOMEM */
	EBENCH_FAULT_IRQ_REQUEST,	/* request_threaded_irq: its irqaction allocation, -ENOMEM */
	EBENCH_FAULT_PM_GET,		/* runtime resume: the clocks fail to enable, -EIO */
	EBENCH_FAULTS,
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

/* Upcalls into the caller. cookie is the caller's own number for the device. */
struct ebench_hooks {
	/* A writel() reaching the device model, synchronously (MMIO side effects). */
	void (*mmio_write)(int64_t cookie, uint32_t offset, uint32_t value);
	/* One trace event; ctx is the context id given to ebench_ctx_bind(). */
	void (*event)(int64_t cookie, int32_t ctx, int32_t type, const char *text,
		      uint64_t a, uint64_t b, int64_t c);
	/* Controlled platform only: a scheduling point before the operation. */
	void (*point)(int64_t cookie, int32_t ctx, int32_t kind, const char *label);
	/*
	 * Controlled platform only: the context waits on chan until woken or until
	 * virtual time reaches deadline (UINT64_MAX: none). Returns 1 if woken by
	 * the deadline, 0 otherwise; the caller re-checks its condition.
	 */
	int32_t (*wait)(int64_t cookie, int32_t ctx, uint64_t chan, uint64_t deadline,
			const char *what);
	/* Controlled platform only: make every context waiting on chan runnable. */
	void (*wake)(int64_t cookie, int32_t ctx, uint64_t chan);
	/* Controlled platform only: virtual time in ns. */
	uint64_t (*now)(int64_t cookie);
};

struct ebench_config {
	uint32_t abi;			/* EBENCH_ABI_VERSION */
	uint32_t platform;		/* enum ebench_platform */
	uint32_t npu_id;		/* ID register: bits 31:28 arch major (1: U65) */
	uint32_t npu_config;		/* CONFIG register */
	uint32_t sram_size;		/* bytes of SRAM (0: none) */
	uint32_t time_scale;		/* free-running: kernel ns per real ns (>= 1) */
	uint32_t trace_level;		/* 0: findings+printk, 1: + job events, 2: + points */
	uint32_t chaos;			/* free-running: per-mille chance to yield at a point */
	int64_t cookie;
	const char *regs_path;		/* register file; NULL: a temp file, removed at close */
	struct ebench_hooks hooks;
};

struct ebench_dev;
struct ebench_ctx;
struct ebench_file;

/* Size and offsets the Java bindings check at start-up. */
struct ebench_layout {
	uint32_t abi;
	uint32_t config_size;
	uint32_t off_platform, off_time_scale, off_cookie, off_regs_path, off_hooks;
	uint32_t hooks_size;
	uint32_t job_size;			/* struct drm_ethosu_job */
	uint32_t submit_size;			/* struct drm_ethosu_submit */
	uint32_t off_submit_job_count, off_submit_pad;
	uint32_t info_size;			/* struct ethosu_validated_cmdstream_info */
	uint32_t off_info_region_size, off_info_output_region;
	uint32_t counters_size;
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

void ebench_layout(struct ebench_layout *out);
const char *ebench_variant(void);

/* Device lifetime. err receives one line on failure. */
struct ebench_dev *ebench_dev_create(const struct ebench_config *cfg, char *err, size_t errlen);
const char *ebench_dev_regs_path(struct ebench_dev *d);
void *ebench_dev_regs(struct ebench_dev *d);
/* ethosu_job_init() in the calling context; returns its result. */
int ebench_dev_probe(struct ebench_dev *d);
/* ethosu_job_fini(), then stop every context loop. */
void ebench_dev_remove(struct ebench_dev *d);
/* Report leaks (each a finding); returns the number found. */
int ebench_dev_check_leaks(struct ebench_dev *d);
void ebench_dev_counters(struct ebench_dev *d, struct ebench_counters *out);
/* Unmap and free everything; the device must be removed and its loops returned. */
void ebench_dev_destroy(struct ebench_dev *d);
/* Make the nth allocation from now on (1 = the next) fail; 0: none. */
void ebench_dev_fail_alloc(struct ebench_dev *d, int32_t nth);
/*
 * Arm a fault (enum ebench_fault): the nth call from now on (1 = the next)
 * fails, counting only calls made from the function named site (NULL or "":
 * any). nth 0 disarms. Returns 0, or -EINVAL for an unknown fault.
 */
int32_t ebench_dev_fail(struct ebench_dev *d, int32_t fault, const char *site, int32_t nth);
/*
 * drm.sched_policy for this device's schedulers: 0 round robin, 1 FIFO (the
 * default), 2 fair (experimental in v7.2). Before probe; -EINVAL otherwise.
 */
int32_t ebench_dev_sched_policy(struct ebench_dev *d, int32_t policy);

/* Bind the calling thread as a context; id is the caller's number for it. */
struct ebench_ctx *ebench_ctx_bind(struct ebench_dev *d, int32_t kind, int32_t id);
void ebench_ctx_unbind(struct ebench_ctx *c);
/*
 * The loop of a workqueue or IRQ-thread context: returns once the device is
 * removed. Kind must be SUBMIT_WQ, TIMEOUT_WQ, SYSTEM_WQ or IRQ_THREAD.
 */
int ebench_ctx_loop(struct ebench_ctx *c);
/* Hard-IRQ context: the IRQ line is raised; runs the primary handler. */
int ebench_hardirq(struct ebench_ctx *c);

/* Client context: a DRM file, its BOs and its submits. */
struct ebench_file *ebench_file_open(struct ebench_ctx *c, int32_t *ret);
void ebench_file_close(struct ebench_ctx *c, struct ebench_file *f);
/* A plain BO; returns its handle (> 0) or a negative errno. */
int32_t ebench_bo_create(struct ebench_ctx *c, struct ebench_file *f, uint64_t size);
/*
 * A command-stream BO holding words; info is a struct
 * ethosu_validated_cmdstream_info (see ebench_layout). Returns the handle.
 */
int32_t ebench_cmd_bo_create(struct ebench_ctx *c, struct ebench_file *f, const uint32_t *words,
			     uint32_t nwords, const void *info);
/* DMA address of a BO (the job id when the BO is a command stream), 0 if unknown. */
uint64_t ebench_bo_dma_addr(struct ebench_ctx *c, struct ebench_file *f, int32_t handle);
/*
 * The client's process is exiting with exit_code (9: killed by SIGKILL): an
 * ebench_file_close() then kills the jobs still queued, as the kernel does.
 */
void ebench_ctx_exiting(struct ebench_ctx *c, int32_t exit_code);
/* Drop the file's handle to a BO, as DRM_IOCTL_GEM_CLOSE does. */
int32_t ebench_bo_close(struct ebench_ctx *c, struct ebench_file *f, int32_t handle);
/* DRM_IOCTL_ETHOSU_SUBMIT with a struct drm_ethosu_submit; returns the ioctl's result. */
int32_t ebench_submit(struct ebench_ctx *c, struct ebench_file *f, void *args);

/*
 * Hot-path probes for benchmarks (docs/PERFORMANCE.md): n writel()s to QCONFIG
 * from a bound context (each one upcall to the device model), and n scheduling
 * points. Return n.
 */
int32_t ebench_probe_writel(struct ebench_ctx *c, int32_t n);
int32_t ebench_probe_points(struct ebench_ctx *c, int32_t n);
/* Test-only: takes two bench mutexes in the given order (0: a then b; 1: b then a). */
int32_t ebench_selftest_lock_order(struct ebench_ctx *c, int32_t order);

#endif /* ETHOSU_BENCH_H */
