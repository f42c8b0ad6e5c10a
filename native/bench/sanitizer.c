// SPDX-License-Identifier: GPL-2.0-only
/*
 * sanitizer.c - under SANITIZE=address, an AddressSanitizer report raised
 * inside a run becomes an event of that run (the Java side words it as KASAN
 * would), and the run goes on: the libraries are built to recover.
 */
#include "glue.h"

#if defined(__SANITIZE_ADDRESS__)
#include <string.h>
#include <sanitizer/asan_interface.h>

/* The report's head (error, access, first frames) fits; the allocation stacks may not. */
#define REPORT_HEAD	3072

static void glue_sanitizer_report(const char *report)
{
	char head[REPORT_HEAD];
	size_t n = strlen(report);

	if (n >= sizeof(head))
		n = sizeof(head) - 1;
	memcpy(head, report, n);
	head[n] = '\0';
	/* on the thread that made the access: its context (none: only the log file has it) */
	kshim_event(EBENCH_EV_SANITIZER, head, 0, 0, 0);
}

/*
 * The runtime keeps one callback per process and every variant library has
 * its own copy of this file: a context binding makes its library's the one
 * called, so the report reaches the device that is running.
 */
void glue_sanitizer_attach(void)
{
	__asan_set_error_report_callback(glue_sanitizer_report);
}
#else
void glue_sanitizer_attach(void)
{
}
#endif
