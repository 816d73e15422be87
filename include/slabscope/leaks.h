/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who owns the live objects of one cache: grouped by allocation call site
 * (SLAB_STORE_USER tracks, like the kernel's debugfs alloc_traces), or,
 * without tracks, by a content signature so that a leak still stands out.
 */
#ifndef SLABSCOPE_LEAKS_H
#define SLABSCOPE_LEAKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>
#include <slabscope/refscan.h>
#include <slabscope/slab.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ss_leak_method { SS_LEAK_TRACK, SS_LEAK_CONTENT };

#define SS_LEAK_EXAMPLES 4
#define SS_LEAK_MAX_CPUS 64

struct ss_leak_group {
	/* The caller ("sym+0xoff [mod]"), the stack (one frame a line), or
	 * the content signature ("tag:...", "ptr@+OFF:sym", "bytes:..."). */
	char *key;
	uint64_t count;
	/* With ss_leaks_options.refs: of count, the unreachable ones (the
	 * examples, ages, pids and CPUs are theirs), and for each example
	 * referenced only by unreferenced objects, one of those (else 0). */
	uint64_t unreferenced, only_by_unreferenced;
	uint64_t referrers[SS_LEAK_EXAMPLES];
	bool has_age;
	double age_min_s, age_max_s, age_sum_s;
	int32_t pid_min, pid_max;
	uint64_t cpus; /* bit per CPU < 64 */
	uint64_t examples[SS_LEAK_EXAMPLES];
	size_t nexamples;
};

struct ss_leaks_options {
	bool by_stack;  /* group by the whole stack, not the caller */
	bool free_side; /* free objects by free track, not allocated by
			   alloc track */
	bool force_content; /* signatures even when tracks exist */
	/* A reference scan (slabscope/refscan.h): group the cache's
	 * candidates, count which are unreferenced and keep only the groups
	 * that have some, most unreachable first.  NULL: every allocated
	 * object. */
	const struct ss_refscan *refs;
};

/* Groups leaks shows unless told (--top). */
#define SS_LEAKS_TOP_DEFAULT 10

struct ss_leaks_result {
	enum ss_leak_method method;
	uint64_t objects; /* objects grouped */
	/* With refs: of objects, how many are unreferenced, and referenced
	 * only by unreferenced objects. */
	uint64_t unreferenced, only_by_unreferenced;
	struct ss_leak_group *groups; /* largest first */
	size_t ngroups;
	/* Debug files passed over while naming callers (slabscope/
	 * symbolize.h), one line each. */
	char **symbol_warnings;
	size_t nsymbol_warnings;
};

struct ss_error *ss_leaks_group(struct ss_model *m, uint32_t cache,
				const struct ss_leaks_options *opts,
				struct ss_leaks_result *ret);
void ss_leaks_result_deinit(struct ss_leaks_result *r);

/* `leaks --unreferenced`: every cache that has unreachable candidates in
 * a reference scan, with its groups. */
struct ss_unref_cache {
	uint32_t cache;
	uint64_t candidates, unreferenced, only_by_unreferenced;
	struct ss_leaks_result groups; /* grouped with opts->refs */
};

struct ss_unref_result {
	struct ss_unref_cache *caches; /* most unreachable first */
	size_t ncaches;
	/* The debug files passed over, once each, over all caches. */
	char **symbol_warnings;
	size_t nsymbol_warnings;
};

/* Group the unreachable objects of every cache that has some (opts->refs
 * must be set; its other options as for ss_leaks_group). */
struct ss_error *ss_leaks_unreferenced(struct ss_model *m,
				       const struct ss_leaks_options *opts,
				       struct ss_unref_result *ret);
void ss_unref_result_deinit(struct ss_unref_result *r);

/* The caches whose unreachable objects cross the level threshold t
 * (slabscope/diff.h: GLOB>N objects, GLOB>N% of the cache's candidates,
 * GLOB>SIZE of their object size): how many; their indices into
 * caches_ret when not NULL (room for ss_model_ncaches()). */
struct ss_threshold;
size_t ss_unref_crossing(const struct ss_model *m,
			 const struct ss_refscan *refs,
			 const struct ss_threshold *t, uint32_t *caches_ret);

#ifdef __cplusplus
}
#endif

#endif
