// SPDX-License-Identifier: GPL-2.0-only
/*
 * watchdog.c - where a thread is that does not come back: the bench's watchdog
 * interrupts it with a signal whose handler records its C frames, and may keep
 * it parked there (a context spinning in the driver is stopped, not left
 * burning a CPU, when its process cannot simply go on).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "ethosu_bench.h"

/* Neither the JVM nor the sanitizer runtimes use the real-time signals. */
#define SAMPLE_SIGNAL	(SIGRTMIN + 6)
#define FRAMES_MAX	64

/*
 * One sample at a time per library (the Java side serialises them); every
 * variant library has its own copy, and installs its own handler before it
 * signals, so the handler that runs is the one whose buffer is read.
 */
static struct {
	int tid;
	int stop;
	int depth;
	int done;
	void *pc;
	void *frames[FRAMES_MAX];
} sample;

static void *interrupted_pc(void *uc)
{
	ucontext_t *u = uc;

#if defined(__x86_64__)
	return (void *)u->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
	return (void *)u->uc_mcontext.pc;
#else
	(void)u;
	return NULL;
#endif
}

static void on_sample(int sig, siginfo_t *si, void *uc)
{
	int saved = errno, stop;

	(void)sig;
	(void)si;
	if (syscall(SYS_gettid) != __atomic_load_n(&sample.tid, __ATOMIC_ACQUIRE)) {
		errno = saved;
		return;
	}
	stop = sample.stop;	/* read before done: the next sample reuses the buffer */
	sample.pc = interrupted_pc(uc);
	sample.depth = backtrace(sample.frames, FRAMES_MAX);
	__atomic_store_n(&sample.done, 1, __ATOMIC_RELEASE);
	/* this thread holds whatever the driver held: it stays here, using no CPU */
	if (stop)
		for (;;)
			pause();
	errno = saved;
}

int32_t ebench_thread_frames(int32_t tid, int32_t stop, uint64_t *pcs, int32_t max, int32_t timeout_ms)
{
	static int warmed;
	struct sigaction sa;
	struct timespec tick = { 0, 1000000 };
	int i, n = 0, from = -1;

	if (!__atomic_exchange_n(&warmed, 1, __ATOMIC_ACQ_REL)) {
		/* backtrace() loads the unwinder on first use: never inside the handler */
		void *warm[2];

		backtrace(warm, 2);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sample;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SAMPLE_SIGNAL, &sa, NULL))
		return -errno;
	memset(&sample, 0, sizeof(sample));
	sample.stop = stop;
	__atomic_store_n(&sample.tid, tid, __ATOMIC_RELEASE);
	if (syscall(SYS_tgkill, getpid(), tid, SAMPLE_SIGNAL))
		return -errno;
	for (i = 0; !__atomic_load_n(&sample.done, __ATOMIC_ACQUIRE); i++) {
		if (i >= timeout_ms)
			return -ETIMEDOUT;
		nanosleep(&tick, NULL);
	}
	/* the frames the unwinder found past the signal frame, from the interrupted one on */
	for (i = 0; i < sample.depth; i++) {
		if (sample.frames[i] == sample.pc) {
			from = i + 1;
			break;
		}
	}
	if (sample.pc && n < max)
		pcs[n++] = (uint64_t)(uintptr_t)sample.pc;
	/* not found: skip the handler and the signal trampoline */
	for (i = from >= 0 ? from : 2; i < sample.depth && n < max; i++)
		pcs[n++] = (uint64_t)(uintptr_t)sample.frames[i];
	return n;
}
