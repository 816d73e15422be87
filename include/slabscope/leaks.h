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
};

struct ss_leaks_result {
	enum ss_leak_method method;
	uint64_t objects; /* objects grouped */
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

#ifdef __cplusplus
}
#endif

#endif
