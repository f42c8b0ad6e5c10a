// SPDX-License-Identifier: GPL-2.0-only
/*
 * printk.c - kernel log lines into the run's trace. Understands the kernel's
 * format extensions the driver uses (%pad for a dma_addr_t *, %pe for an
 * error pointer, %pK and friends for plain pointers).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/errno.h>

#include "kdev.h"

static const char *errname(long err)
{
	switch (-err) {
	case EPERM: return "-EPERM";
	case ENOENT: return "-ENOENT";
	case ESRCH: return "-ESRCH";
	case EINTR: return "-EINTR";
	case EIO: return "-EIO";
	case ENOMEM: return "-ENOMEM";
	case EFAULT: return "-EFAULT";
	case EBUSY: return "-EBUSY";
	case EINVAL: return "-EINVAL";
	case ENODEV: return "-ENODEV";
	case ETIMEDOUT: return "-ETIMEDOUT";
	case ECANCELED: return "-ECANCELED";
	case EOVERFLOW: return "-EOVERFLOW";
	case EDEADLK: return "-EDEADLK";
	case EAGAIN: return "-EAGAIN";
	default: return NULL;
	}
}

/* Append at most what fits; always NUL-terminates; returns chars wanted. */
static size_t put(char *buf, size_t size, size_t pos, const char *s, size_t n)
{
	if (pos < size) {
		size_t room = size - pos - 1;

		memcpy(buf + pos, s, n < room ? n : room);
		buf[pos + (n < room ? n : room)] = '\0';
	}
	return pos + n;
}

int kshim_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t pos = 0;
	const char *p = fmt;
	char spec[32], tmp[128];

	if (size)
		buf[0] = '\0';
	while (*p) {
		const char *start = p;
		int len_l = 0, len_h = 0, len_z = 0, len_j = 0, len_t = 0, n;
		size_t sl;

		if (*p != '%') {
			while (*p && *p != '%')
				p++;
			pos = put(buf, size, pos, start, p - start);
			continue;
		}
		p++;
		if (*p == '%') {
			pos = put(buf, size, pos, "%", 1);
			p++;
			continue;
		}
		/* flags, width, precision (with * taken from the arguments) */
		sl = 0;
		spec[sl++] = '%';
		while (*p && strchr("-+ #0", *p) && sl < 8)
			spec[sl++] = *p++;
		if (*p == '*') {
			sl += snprintf(spec + sl, sizeof(spec) - sl, "%d", va_arg(ap, int));
			p++;
		} else {
			while (*p >= '0' && *p <= '9' && sl < 16)
				spec[sl++] = *p++;
		}
		if (*p == '.') {
			spec[sl++] = *p++;
			if (*p == '*') {
				sl += snprintf(spec + sl, sizeof(spec) - sl, "%d", va_arg(ap, int));
				p++;
			} else {
				while (*p >= '0' && *p <= '9' && sl < 24)
					spec[sl++] = *p++;
			}
		}
		for (;;) {
			if (*p == 'l')
				len_l++;
			else if (*p == 'h')
				len_h++;
			else if (*p == 'z')
				len_z++;
			else if (*p == 'j')
				len_j++;
			else if (*p == 't')
				len_t++;
			else
				break;
			spec[sl++] = *p++;
		}
		if (*p == 'p') {
			void *ptr = va_arg(ap, void *);

			p++;
			if (p[0] == 'a' && p[1] == 'd') {
				p += 2;
				n = snprintf(tmp, sizeof(tmp), "0x%016llx",
					     ptr ? (unsigned long long)*(dma_addr_t *)ptr : 0ULL);
			} else if (p[0] == 'a' && p[1] == 'p') {
				p += 2;
				n = snprintf(tmp, sizeof(tmp), "0x%016llx",
					     ptr ? (unsigned long long)*(phys_addr_t *)ptr : 0ULL);
			} else if (p[0] == 'e') {
				const char *name = errname(PTR_ERR(ptr));

				p++;
				n = name ? snprintf(tmp, sizeof(tmp), "%s", name) :
					   snprintf(tmp, sizeof(tmp), "%ld", PTR_ERR(ptr));
			} else {
				while (*p && strchr("KSsFfBbxX", *p))
					p++;
				n = snprintf(tmp, sizeof(tmp), "%p", ptr);
			}
			pos = put(buf, size, pos, tmp, n);
			continue;
		}
		if (!*p)
			break;
		spec[sl++] = *p;
		spec[sl] = '\0';
		switch (*p++) {
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'c':
			if (len_l >= 2 || len_j)
				n = snprintf(tmp, sizeof(tmp), spec, va_arg(ap, long long));
			else if (len_l || len_z || len_t)
				n = snprintf(tmp, sizeof(tmp), spec, va_arg(ap, long));
			else
				n = snprintf(tmp, sizeof(tmp), spec, va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			char big[512];

			n = snprintf(big, sizeof(big), spec, s ? s : "(null)");
			pos = put(buf, size, pos, big, n < (int)sizeof(big) ? n : (int)sizeof(big) - 1);
			continue;
		}
		case 'f': case 'g': case 'e':
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(ap, double));
			break;
		default:
			n = snprintf(tmp, sizeof(tmp), "%s", spec);
			break;
		}
		if (n >= (int)sizeof(tmp))
			n = sizeof(tmp) - 1;
		pos = put(buf, size, pos, tmp, n);
	}
	return (int)pos;
}

void kshim_printk(const char *level, const char *prefix, const char *fmt, ...)
{
	struct ebench_dev *d = kshim_dev();
	char msg[512], line[600];
	int lvl = level ? level[0] - '0' : 6;
	size_t n;
	va_list ap;

	/* dev_dbg is compiled out of a kernel without DEBUG: only traced when asked */
	if (lvl >= 7 && (!d || d->cfg.trace_level < 2))
		return;
	va_start(ap, fmt);
	kshim_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = strlen(msg);
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	if (prefix)
		snprintf(line, sizeof(line), "%s: %s", prefix, msg);
	else
		snprintf(line, sizeof(line), "%s", msg);
	if (d && d->cfg.hooks.event) {
		struct ebench_event ev = {
			.type = EBENCH_EV_PRINTK, .ctx = kshim_cur->id, .kind = lvl, .text = line,
		};

		d->cfg.hooks.event(d->cfg.cookie, &ev);
	} else {
		fprintf(stderr, "%s\n", line);
	}
}
