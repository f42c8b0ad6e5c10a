// SPDX-License-Identifier: GPL-2.0-only
/*
 * label.c - interned labels: the text of every scheduling point, wait and
 * name the library reports, kept once per library and handed out as small
 * ids, so a point costs no string. The Java side asks for a new id's text
 * once (ebench_label_text) and caches it.
 *
 * Lookups run lock-free: entries are only ever added, each one published by
 * the release store of its id; additions take one mutex.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kshim.h"
#include "ethosu_bench.h"

#define LABELS_MAX	4096		/* distinct labels of one library */
#define TABLE_SIZE	8192		/* open addressing: at most half full */

struct label {
	int kind;
	const char *text;
};

/* (kind, format, argument) of a label built from a format: its cache key */
struct keyed {
	const char *fmt;
	const void *arg;
	int kind;
	u32 id;				/* 0: empty slot; stored last */
};

static pthread_mutex_t label_lock = PTHREAD_MUTEX_INITIALIZER;
static struct label labels[LABELS_MAX + 1];	/* by id; 0 unused */
static u32 nlabels;
static u32 by_text[TABLE_SIZE];			/* ids, hashed by (kind, text) */
static struct keyed by_key[TABLE_SIZE];

static u32 hash_text(int kind, const char *s)
{
	u32 h = 2166136261u ^ (u32)kind;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static u32 hash_key(int kind, const char *fmt, const void *arg)
{
	u64 x = (u64)(uintptr_t)fmt * 0x9e3779b97f4a7c15ULL ^ (u64)(uintptr_t)arg ^ (u64)kind << 56;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	return (u32)(x ^ (x >> 32));
}

/* Caller holds label_lock. */
static u32 intern_locked(int kind, const char *text)
{
	u32 i = hash_text(kind, text) & (TABLE_SIZE - 1);
	u32 id;

	for (;; i = (i + 1) & (TABLE_SIZE - 1)) {
		id = by_text[i];
		if (!id)
			break;
		if (labels[id].kind == kind && !strcmp(labels[id].text, text))
			return id;
	}
	if (nlabels == LABELS_MAX) {
		fprintf(stderr, "ethosu-bench: more than %d labels; raise LABELS_MAX in %s\n",
			LABELS_MAX, __FILE__);
		return 0;
	}
	id = nlabels + 1;
	labels[id].kind = kind;
	labels[id].text = strdup(text);
	if (!labels[id].text)
		return 0;
	__atomic_store_n(&nlabels, id, __ATOMIC_RELEASE);
	by_text[i] = id;
	return id;
}

/**
 * kshim_label - intern a label
 * @kind: enum ebench_point_kind, ebench_wait_kind or EBENCH_LABEL_NAME
 * @text: its text (copied)
 *
 * Return: the label's id; the same (kind, text) always gets the same id.
 */
u32 kshim_label(int kind, const char *text)
{
	u32 id;

	pthread_mutex_lock(&label_lock);
	id = intern_locked(kind, text);
	pthread_mutex_unlock(&label_lock);
	return id;
}

u32 kshim_labelf(int kind, const char *fmt, ...)
{
	char text[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return kshim_label(kind, text);
}

static u32 keyed_label(int kind, const char *fmt, const void *arg, bool is_str)
{
	u32 i = hash_key(kind, fmt, arg) & (TABLE_SIZE - 1);
	struct keyed *k;
	char text[160];
	u32 id;

	for (;; i = (i + 1) & (TABLE_SIZE - 1)) {
		k = &by_key[i];
		id = __atomic_load_n(&k->id, __ATOMIC_ACQUIRE);
		if (!id)
			break;
		if (k->fmt == fmt && k->arg == arg && k->kind == kind)
			return id;
	}
	if (is_str)
		snprintf(text, sizeof(text), fmt, arg ? (const char *)arg : "?");
	else
		snprintf(text, sizeof(text), fmt, (unsigned long long)(uintptr_t)arg);
	pthread_mutex_lock(&label_lock);
	id = intern_locked(kind, text);
	/* another thread may have added this key meanwhile: probe again under the lock */
	for (i = hash_key(kind, fmt, arg) & (TABLE_SIZE - 1);; i = (i + 1) & (TABLE_SIZE - 1)) {
		k = &by_key[i];
		if (!k->id)
			break;
		if (k->fmt == fmt && k->arg == arg && k->kind == kind)
			goto out;
	}
	if (id) {
		k->fmt = fmt;
		k->arg = arg;
		k->kind = kind;
		__atomic_store_n(&k->id, id, __ATOMIC_RELEASE);
	}
out:
	pthread_mutex_unlock(&label_lock);
	return id;
}

/**
 * kshim_label_s - the label of fmt filled in with one string
 * @kind: the label's kind
 * @fmt: a format with one %s, a string literal
 * @s: a string that stays unchanged at this address for the life of the
 *     library (a literal, or a role name derived from one)
 *
 * Formats and interns once per (kind, fmt, s); later calls cost a lookup.
 */
u32 kshim_label_s(int kind, const char *fmt, const char *s)
{
	return keyed_label(kind, fmt, s, true);
}

/* As kshim_label_s, with one integer (%llx, %llu) instead. */
u32 kshim_label_u(int kind, const char *fmt, u64 v)
{
	return keyed_label(kind, fmt, (const void *)(uintptr_t)v, false);
}

const char *ebench_label_text(uint32_t id, int32_t *kind)
{
	if (!id || id > __atomic_load_n(&nlabels, __ATOMIC_ACQUIRE))
		return NULL;
	if (kind)
		*kind = labels[id].kind;
	return labels[id].text;
}
