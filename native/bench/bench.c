// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench.c - the C API of a variant library (include/ethosu_bench.h): device
 * lifetime and register file, context binding and loops, files, BOs, submit.
 * Every entry point binds the calling thread's context first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <linux/io.h>
#include <drm/drm_gem.h>

#include "glue.h"

#define REGS_LEN	4096

void kshim_sched_set_current_exit(int exit_code);
#define EBENCH_IRQ	42

#ifndef EBENCH_VARIANT
#define EBENCH_VARIANT "unknown"
#endif

static const char *const ctx_names[EBENCH_CTX_KINDS] = {
	[EBENCH_CTX_MAIN] = "main",
	[EBENCH_CTX_CLIENT] = "client",
	[EBENCH_CTX_SUBMIT_WQ] = "submit_wq",
	[EBENCH_CTX_TIMEOUT_WQ] = "timeout_wq",
	[EBENCH_CTX_SYSTEM_WQ] = "system_wq",
	[EBENCH_CTX_HARDIRQ] = "hardirq",
	[EBENCH_CTX_IRQ_THREAD] = "irq/ethosu",
	[EBENCH_CTX_NPU] = "npu",
};

const char *ebench_variant(void)
{
	return EBENCH_VARIANT;
}

/*
 * Called by the controller on the thread of the context chosen at scheduling
 * step `step` (make gdb ... --break-step N breaks here): that context is about
 * to go on from `label`, so `up` in gdb reaches the driver line it is paused at.
 * Does nothing; noinline and the empty asm keep the call for the breakpoint.
 */
__attribute__((noinline, used)) void ebench_break_step(int32_t step, const char *context, const char *label)
{
	/* the context's C frames at its scheduling point: kshim_cur->point_bt (gdb: ctxbt) */
	__asm__ __volatile__("" : : "r"(step), "r"(context), "r"(label) : "memory");
}

void ebench_layout(struct ebench_sizes *l)
{
	memset(l, 0, sizeof(*l));
	l->abi = EBENCH_ABI_VERSION;
	l->config_size = sizeof(struct ebench_config);
	l->hooks_size = sizeof(struct ebench_hooks);
	l->event_size = sizeof(struct ebench_event);
	l->cmdstream_info_size = sizeof(struct ebench_cmdstream_info);
	l->counters_size = sizeof(struct ebench_counters);
	glue_layout(l);
}

static u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static int map_regs(struct ebench_dev *d, const char *path, char *err, size_t errlen)
{
	const char *tmpdir = getenv("TMPDIR");
	int fd;

	if (path && *path) {
		snprintf(d->regs_path, sizeof(d->regs_path), "%s", path);
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	} else {
		/* tmpfs by default: creating one costs no disk */
		snprintf(d->regs_path, sizeof(d->regs_path), "%s/ethosu-regs-XXXXXX",
			 tmpdir && *tmpdir ? tmpdir :
			 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		fd = mkostemp(d->regs_path, O_CLOEXEC);
		d->regs_tmp = true;
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot open register file %s: %s (%s)", d->regs_path, strerror(errno),
			 d->regs_tmp ? "set TMPDIR to a writable directory" :
				       "pass a writable path in an existing directory");
		return -1;
	}
	if (ftruncate(fd, REGS_LEN)) {
		snprintf(err, errlen, "cannot size register file %s: %s (pass a path on a writable file system)",
			 d->regs_path, strerror(errno));
		close(fd);
		if (d->regs_tmp)
			unlink(d->regs_path);
		return -1;
	}
	d->regs = mmap(NULL, REGS_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (d->regs == MAP_FAILED) {
		snprintf(err, errlen, "cannot map register file %s: %s (pass a regular file on tmpfs or disk)",
			 d->regs_path, strerror(errno));
		d->regs = NULL;
		close(fd);
		if (d->regs_tmp)
			unlink(d->regs_path);
		return -1;
	}
	memset(d->regs, 0, REGS_LEN);
	/*
	 * Nobody watches a register file they did not name: unlinked now, it
	 * lives as long as its mapping, and a process that crashes leaves
	 * nothing in /dev/shm.
	 */
	if (d->regs_tmp)
		unlink(d->regs_path);
	d->regs_fd = fd;
	d->regs_len = REGS_LEN;
	return 0;
}

static void unmap_regs(struct ebench_dev *d)
{
	if (d->regs)
		munmap(d->regs, d->regs_len);
	if (d->regs_fd > 0)
		close(d->regs_fd);
	/* a register file the bench named itself was unlinked when it was mapped */
}

/* What a device is beyond its register file: made by create and by reset. */
static int dev_init(struct ebench_dev *d)
{
	d->controlled = d->cfg.platform == EBENCH_CONTROLLED;
	d->sched_policy = 1;	/* DRM_SCHED_POLICY_FIFO, mainline's default */
	d->t0_ns = mono_ns();
	d->sched.arena_base = (u64)(uintptr_t)d->arena;
	d->sched.arena_end = (u64)(uintptr_t)(d->arena + d->arena_len);
	d->sched.dev_base = (u64)(uintptr_t)d;
	d->sched.dev_end = (u64)(uintptr_t)(d + 1);
	kshim_slab_init(d);
	kshim_ilock_init(&d->wq_lock);
	kshim_ilock_init(&d->fault_lock);
	INIT_LIST_HEAD(&d->workers);
	__mutex_init(&d->pm_lock, "pm_lock");
	__mutex_init(&d->selftest_a, "selftest_a");
	__mutex_init(&d->selftest_b, "selftest_b");
	d->pdev.name = "ethosu";
	d->pdev.irq = EBENCH_IRQ;
	d->pdev.dev.name = "ethosu";
	d->pdev.dev.kd = d;
	d->wq[EBENCH_CTX_SYSTEM_WQ] = kshim_wq_create(d, EBENCH_CTX_SYSTEM_WQ, 0, "events");
	d->wq[EBENCH_CTX_TIMEOUT_WQ] = kshim_wq_create(d, EBENCH_CTX_TIMEOUT_WQ, 0, "events_tdr");
	if (!d->wq[EBENCH_CTX_SYSTEM_WQ] || !d->wq[EBENCH_CTX_TIMEOUT_WQ] || glue_alloc_device(d))
		return -ENOMEM;
	return 0;
}

/* Frees what dev_init and the run made; the register file stays. */
static void dev_fini(struct ebench_dev *d)
{
	int k;

	for (k = 0; k < EBENCH_CTX_KINDS; k++)
		if (d->wq[k])
			kshim_wq_destroy(d->wq[k]);
	kshim_workers_destroy(d);
	glue_free_device(d);
	kshim_slab_destroy(d);
	pthread_mutex_destroy(&d->wq_lock.m);
	pthread_mutex_destroy(&d->fault_lock.m);
}

struct ebench_dev *ebench_dev_create(const struct ebench_config *cfg, char *err, size_t errlen)
{
	const struct ebench_hooks *h = &cfg->hooks;
	struct ebench_dev *d;

	if (cfg->abi != EBENCH_ABI_VERSION) {
		snprintf(err, errlen, "library ABI %d, caller ABI %u: rebuild with `make`",
			 EBENCH_ABI_VERSION, cfg->abi);
		return NULL;
	}
	if (cfg->platform == EBENCH_CONTROLLED && (!h->point || !h->wait || !h->wake || !h->now)) {
		snprintf(err, errlen, "controlled platform needs the point, wait, wake and now hooks");
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	d->cfg = *cfg;
	d->cfg.regs_path = NULL;
	if (!d->cfg.time_scale)
		d->cfg.time_scale = 1;
	if (map_regs(d, cfg->regs_path, err, errlen)) {
		free(d);
		return NULL;
	}
	if (kshim_arena_map(d)) {
		snprintf(err, errlen, "cannot map the device's memory arena: %s", strerror(errno));
		unmap_regs(d);
		free(d);
		return NULL;
	}
	if (dev_init(d)) {
		snprintf(err, errlen, "out of memory");
		ebench_dev_destroy(d);
		return NULL;
	}
	return d;
}

/*
 * Everything but the register file's and the arena's mappings goes back to what create made:
 * the struct is cleared whole (a field added later is cleared too), then
 * initialised as create does, and the register file zeroed.
 */
int32_t ebench_dev_reset(struct ebench_dev *d)
{
	struct ebench_dev keep = *d;

	dev_fini(d);
	memset(d, 0, sizeof(*d));
	d->cfg = keep.cfg;
	d->regs = keep.regs;
	d->regs_len = keep.regs_len;
	d->regs_fd = keep.regs_fd;
	d->regs_tmp = keep.regs_tmp;
	memcpy(d->regs_path, keep.regs_path, sizeof(d->regs_path));
	d->arena = keep.arena;
	d->arena_len = keep.arena_len;
	memset(d->regs, 0, d->regs_len);
	return dev_init(d);
}

struct ebench_sched *ebench_dev_sched(struct ebench_dev *d)
{
	return &d->sched;
}

const char *ebench_dev_regs_path(struct ebench_dev *d)
{
	return d->regs_path;
}

void *ebench_dev_regs(struct ebench_dev *d)
{
	return d->regs;
}

struct ebench_ctx *ebench_ctx_bind(struct ebench_dev *d, int32_t kind, int32_t id)
{
	struct kshim_ctx *c;
	char *name;

	if (kind < 0 || kind >= EBENCH_CTX_KINDS)
		return NULL;
	c = calloc(1, sizeof(*c) + 32);
	if (!c)
		return NULL;
	name = (char *)(c + 1);
	if (kind == EBENCH_CTX_CLIENT)
		snprintf(name, 32, "client-%d", id);
	else
		snprintf(name, 32, "%s", ctx_names[kind]);
	c->kd = d;
	c->kind = kind;
	c->id = id;
	c->name = name;
	/*
	 * "current->group_leader": each context is its own process (a client)
	 * or kernel thread, told apart by kind and id, never 0 (no task).
	 */
	c->task = ((u64)(kind + 1) << 32) | (u32)id;
	kshim_cur = c;
	kshim_sanitizer_attach();
	/* a thread is reused for other contexts: nothing of the last one's "current" survives */
	kshim_sched_set_current_exit(0);
	return (struct ebench_ctx *)c;
}

void ebench_ctx_unbind(struct ebench_ctx *ec)
{
	struct kshim_ctx *c = (struct kshim_ctx *)ec;

	if (kshim_cur == c)
		kshim_cur = NULL;
	free(c);
}

static struct ebench_dev *enter(struct ebench_ctx *ec)
{
	struct kshim_ctx *c = (struct kshim_ctx *)ec;

	kshim_cur = c;
	return c->kd;
}

/* Called on a thread bound to d's main context, as remove and check_leaks are. */
int32_t ebench_dev_probe(struct ebench_dev *d)
{
	if (kshim_dev() != d)
		return -EINVAL;
	return glue_probe(d);
}

int32_t ebench_ctx_loop(struct ebench_ctx *ec)
{
	struct ebench_dev *d = enter(ec);
	int kind = ((struct kshim_ctx *)ec)->kind;

	switch (kind) {
	case EBENCH_CTX_SUBMIT_WQ:
	case EBENCH_CTX_TIMEOUT_WQ:
	case EBENCH_CTX_SYSTEM_WQ:
		return kshim_wq_loop(d, kind);
	case EBENCH_CTX_IRQ_THREAD:
		return kshim_irq_thread_loop(d);
	default:
		return -EINVAL;
	}
}

int32_t ebench_hardirq(struct ebench_ctx *ec)
{
	return kshim_hardirq(enter(ec));
}

void ebench_dev_remove(struct ebench_dev *d)
{
	int k;

	glue_remove(d);
	kshim_stop(d);
	for (k = 0; k < EBENCH_CTX_KINDS; k++)
		if (d->wq[k] && k != EBENCH_CTX_SUBMIT_WQ)
			kshim_wq_stop(d->wq[k]);
	if (d->wq[EBENCH_CTX_SUBMIT_WQ])
		kshim_wq_stop(d->wq[EBENCH_CTX_SUBMIT_WQ]);
	__atomic_add_fetch(&d->wq_seq, 1, __ATOMIC_SEQ_CST);
	kshim_wake(&d->wq_seq);
	__atomic_add_fetch(&d->irq.seq, 1, __ATOMIC_SEQ_CST);
	kshim_wake(&d->irq.seq);
}

int32_t ebench_dev_check_leaks(struct ebench_dev *d)
{
	int n = 0;

	if (d->pdev.dev.power.usage_count) {
		kshim_finding(EBENCH_F_LEAK, "runtime PM usage count is %d at teardown (expected 0)",
			      d->pdev.dev.power.usage_count);
		n++;
	}
	if (d->counters[KC_FENCES_LIVE] > 0) {
		kshim_finding(EBENCH_F_LEAK, "%lld dma_fence(s) never released",
			      (long long)d->counters[KC_FENCES_LIVE]);
		n++;
	}
	if (d->counters[KC_BOS_LIVE] > 0) {
		kshim_finding(EBENCH_F_LEAK, "%lld GEM object(s) never released",
			      (long long)d->counters[KC_BOS_LIVE]);
		n++;
	}
	return n + kshim_slab_report_leaks(d);
}

void ebench_dev_counters(struct ebench_dev *d, struct ebench_counters *out)
{
	int64_t *o = (int64_t *)out;
	int i;

	for (i = 0; i < KC_NR; i++)
		o[i] = __atomic_load_n(&d->counters[i], __ATOMIC_RELAXED);
	out->pm_usage = d->pdev.dev.power.usage_count;
}

void ebench_dev_fail_alloc(struct ebench_dev *d, int32_t nth)
{
	ebench_dev_fail(d, EBENCH_FAULT_ALLOC, NULL, nth);
}

int32_t ebench_dev_sched_policy(struct ebench_dev *d, int32_t policy)
{
	if (policy < 0 || policy > 2 || d->probed)
		return -EINVAL;
	d->sched_policy = policy;
	return 0;
}

int32_t ebench_dev_fail(struct ebench_dev *d, int32_t fault, const char *site, int32_t nth)
{
	struct kshim_fault_arm *f;

	if (fault < 0 || fault >= EBENCH_FAULTS || nth < 0)
		return -EINVAL;
	f = &d->faults[fault];
	kshim_ilock(&d->fault_lock);
	snprintf(f->site, sizeof(f->site), "%s", site ? site : "");
	__atomic_store_n(&f->nth, nth, __ATOMIC_RELEASE);
	kshim_iunlock(&d->fault_lock);
	return 0;
}

void ebench_dev_destroy(struct ebench_dev *d)
{
	if (!d)
		return;
	dev_fini(d);
	kshim_arena_unmap(d);
	unmap_regs(d);
	free(d);
}

struct ebench_file *ebench_file_open(struct ebench_ctx *ec, int32_t *ret)
{
	return glue_file_open(enter(ec), ret);
}

void ebench_file_close(struct ebench_ctx *ec, struct ebench_file *f)
{
	glue_file_close(enter(ec), f);
}

int32_t ebench_bo_create(struct ebench_ctx *ec, struct ebench_file *f, uint64_t size)
{
	return glue_bo_create(enter(ec), f, size, NULL, 0, NULL);
}

int32_t ebench_cmd_bo_create(struct ebench_ctx *ec, struct ebench_file *f, const uint32_t *words,
			     uint32_t nwords, const struct ebench_cmdstream_info *info)
{
	if (!words || !nwords)
		return -EINVAL;
	return glue_bo_create(enter(ec), f, (u64)nwords * 4, words, nwords, info);
}

uint64_t ebench_bo_dma_addr(struct ebench_ctx *ec, struct ebench_file *f, int32_t handle)
{
	enter(ec);
	return glue_bo_dma_addr(f, handle);
}

void ebench_ctx_exiting(struct ebench_ctx *ec, int32_t exit_code)
{
	enter(ec);
	kshim_sched_set_current_exit(exit_code);
}

int32_t ebench_bo_close(struct ebench_ctx *ec, struct ebench_file *f, int32_t handle)
{
	enter(ec);
	return drm_gem_handle_delete(&f->file, handle);
}

int32_t ebench_submit(struct ebench_ctx *ec, struct ebench_file *f, void *args)
{
	return glue_submit(enter(ec), f, args);
}

int32_t ebench_probe_writel(struct ebench_ctx *ec, int32_t n)
{
	struct ebench_dev *d = enter(ec);
	int32_t i;

	for (i = 0; i < n; i++)
		writel_relaxed(0, (u8 *)d->regs + glue_probe_reg());
	return n;
}

int32_t ebench_probe_points(struct ebench_ctx *ec, int32_t n)
{
	int32_t i;

	enter(ec);
	for (i = 0; i < n; i++)
		kshim_point(KSHIM_LABEL(EBENCH_PT_OTHER, "probe"), NULL, 0);
	return n;
}

/*
 * A test-only lock-order inversion (not driver code): order 0 takes selftest_a
 * then selftest_b, order 1 the reverse. Two contexts calling it with different
 * orders can deadlock, which the controller must report.
 */
int32_t ebench_selftest_lock_order(struct ebench_ctx *ec, int32_t order)
{
	struct ebench_dev *d = enter(ec);
	struct mutex *x = order ? &d->selftest_b : &d->selftest_a;
	struct mutex *y = order ? &d->selftest_a : &d->selftest_b;

	mutex_lock(x);
	mutex_lock(y);
	mutex_unlock(y);
	mutex_unlock(x);
	return 0;
}
