// SPDX-License-Identifier: GPL-2.0-only
/*
 * sanitizer.c - KASAN's part: under SANITIZE=address, an AddressSanitizer
 * report raised inside a run becomes an EBENCH_EV_SANITIZER event of that run
 * (the Java side words it as KASAN would), and the run goes on: the libraries
 * are built to recover.
 */
#include "kdev.h"

#if defined(__SANITIZE_ADDRESS__)
#include <string.h>
#include <sanitizer/asan_interface.h>

/* The report's head (error, access, first frames) fits; the allocation stacks may not. */
#define REPORT_HEAD	3072

static void kshim_sanitizer_report(const char *report)
{
	struct kshim_ctx *x = kshim_cur;
	struct ebench_event ev = { .type = EBENCH_EV_SANITIZER };
	char head[REPORT_HEAD];
	size_t n = strlen(report);

	/* on a thread bound to no context only the runtime's log file has it */
	if (!x || !x->kd->cfg.hooks.event)
		return;
	if (n >= sizeof(head))
		n = sizeof(head) - 1;
	memcpy(head, report, n);
	head[n] = '\0';
	ev.ctx = x->id;
	ev.job = x->running_job;
	ev.text = head;
	x->kd->cfg.hooks.event(x->kd->cfg.cookie, &ev);
}

/*
 * The runtime keeps one callback per process and every variant library links
 * its own copy of this file: a context binding makes its library's the one
 * called, so the report reaches the device that is running.
 */
void kshim_sanitizer_attach(void)
{
	__asan_set_error_report_callback(kshim_sanitizer_report);
}
#else
void kshim_sanitizer_attach(void)
{
}
#endif
