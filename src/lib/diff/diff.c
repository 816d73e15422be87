/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Per-cache deltas between two snapshots. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/diff.h>

int ss_diff_sort_parse(const char *s)
{
	static const char *const names[] = {
		[SS_DIFF_SORT_MEMORY] = "memory", [SS_DIFF_SORT_DELTA] = "delta",
		[SS_DIFF_SORT_RATIO] = "ratio",   [SS_DIFF_SORT_NAME] = "name",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

/*
 * Two caches may share a name (two whose name pointers are unreadable are
 * both "?"; modules create caches of one name): the k-th cache of a name
 * in one snapshot pairs with the k-th of that name in the other, so none
 * is merged into another or dropped.
 */
static size_t nth_of_name(const struct ss_snapshot *s, size_t i)
{
	size_t k = 0;
	for (size_t j = 0; j < i; j++)
		k += strcmp(s->caches[j].name, s->caches[i].name) == 0;
	return k;
}

static const struct ss_snapshot_cache *find_nth(const struct ss_snapshot *s,
						const char *name, size_t k)
{
	for (size_t i = 0; i < s->ncaches; i++)
		if (strcmp(s->caches[i].name, name) == 0 && k-- == 0)
			return &s->caches[i];
	return NULL;
}

/* A ratio for sorting: new caches grow without bound. */
static double sort_ratio(const struct ss_diff_entry *e)
{
	if (e->status == SS_DIFF_NEW)
		return 1e300;
	return e->ratio;
}

static int cmp(const void *a, const void *b, void *arg)
{
	const struct ss_diff_entry *x = a, *y = b;
	switch (*(const enum ss_diff_sort *)arg) {
	case SS_DIFF_SORT_MEMORY:
		if (x->memory_delta != y->memory_delta)
			return x->memory_delta < y->memory_delta ? 1 : -1;
		break;
	case SS_DIFF_SORT_DELTA:
		if (x->delta != y->delta)
			return x->delta < y->delta ? 1 : -1;
		break;
	case SS_DIFF_SORT_RATIO:
		if (sort_ratio(x) != sort_ratio(y))
			return sort_ratio(x) < sort_ratio(y) ? 1 : -1;
		break;
	case SS_DIFF_SORT_NAME:
		break;
	}
	return strcmp(x->name, y->name);
}

/*
 * after - before as a signed count, saturated: the counts come from files
 * (a snapshot's "allocated": -9223372036854775808, a slabinfo count of
 * 2^64-1), and int64_t arithmetic on them overflowed (UBSan; found by
 * tests/fuzz/fuzz_snapshot.c).
 */
static int64_t difference(uint64_t after, uint64_t before)
{
	if (after >= before)
		return after - before > (uint64_t)INT64_MAX
			       ? INT64_MAX
			       : (int64_t)(after - before);
	return before - after > (uint64_t)INT64_MAX
		       ? INT64_MIN
		       : -(int64_t)(before - after);
}

struct ss_error *ss_diff_compute(const struct ss_snapshot *before,
				 const struct ss_snapshot *after,
				 enum ss_diff_sort sort,
				 struct ss_diff_entry **ret, size_t *n_ret)
{
	size_t cap = before->ncaches + after->ncaches;
	struct ss_diff_entry *v = calloc(cap ? cap : 1, sizeof(*v));
	if (!v)
		return &ss_error_nomem;
	size_t n = 0;
	for (size_t i = 0; i < after->ncaches; i++) {
		const struct ss_snapshot_cache *a = &after->caches[i];
		const struct ss_snapshot_cache *b =
			find_nth(before, a->name, nth_of_name(after, i));
		struct ss_diff_entry *e = &v[n++];
		e->name = a->name;
		e->status = b ? SS_DIFF_BOTH : SS_DIFF_NEW;
		e->allocated_before = b ? b->allocated : 0;
		e->memory_before = b ? b->memory_bytes : 0;
		e->allocated_after = a->allocated;
		e->memory_after = a->memory_bytes;
	}
	for (size_t i = 0; i < before->ncaches; i++) {
		const struct ss_snapshot_cache *b = &before->caches[i];
		if (find_nth(after, b->name, nth_of_name(before, i)))
			continue;
		struct ss_diff_entry *e = &v[n++];
		e->name = b->name;
		e->status = SS_DIFF_GONE;
		e->allocated_before = b->allocated;
		e->memory_before = b->memory_bytes;
	}
	for (size_t i = 0; i < n; i++) {
		struct ss_diff_entry *e = &v[i];
		e->delta = difference(e->allocated_after, e->allocated_before);
		e->memory_delta =
			difference(e->memory_after, e->memory_before);
		e->ratio = e->allocated_before
				   ? (double)e->allocated_after /
					     (double)e->allocated_before
				   : 0;
	}
	qsort_r(v, n, sizeof(*v), cmp, &sort);
	*ret = v;
	*n_ret = n;
	return NULL;
}
