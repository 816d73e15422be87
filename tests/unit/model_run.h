/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Run the model and the checks on a synthetic target and assert on the
 * result: what test_slub.c (synth.h) and test_slab.c (synth_slab.h) both
 * need, kept here once so the two suites assert the same way and a fix
 * to one helper reaches both.  The allocator-specific parts (building the
 * kernel, SLUB's culprit and byte asserts, SLAB's slab findings) stay in
 * their suites.
 *
 * Also the suite set-up both suites and test_regress.c share: a temporary
 * directory and the types .so compiled from tests/unit/data.
 *
 * The asserting helpers take the caller's file and line (the macros below
 * pass them), so a failure points at the test, not at this file.
 * SS_TEST_VERBOSE=1 prints every finding of every run.
 */
#ifndef SS_TESTS_MODEL_RUN_H
#define SS_TESTS_MODEL_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/check.h>
#include <slabscope/slab.h>

#include "synth.h"

/* ---- suite set-up ---- */

/*
 * Make $TMPDIR/ss-test-<suite>-XXXXXX (TMPDIR unset: /tmp) into dir;
 * false, and dir emptied, if it cannot.
 */
bool model_run_mkdtemp(char *dir, size_t size, const char *suite);

/*
 * Compile tests/unit/data/<src> (SS_TEST_DATADIR) into the types .so at
 * out, with $SS_TEST_CC (default gcc) and the extra flags ("" for none).
 * 0 on success; otherwise the failed command is printed.
 */
int model_run_build_types(const char *src, const char *flags,
			  const char *out);

/*
 * Remove the files (paths, up to a NULL; empty ones skipped), then the
 * directory dir (if not empty), and empty every path: a suite's clean-up.
 */
void model_run_rmtemp(char *dir, ...) __attribute__((sentinel));

/* ---- one run ---- */

/*
 * A synthetic kernel and what the model and the checks made of it.  s is
 * the target the model reads; kernel is the suite's own builder when it
 * has one over s (SLAB's struct synth_slabk), else NULL.  The suite
 * creates and destroys s and kernel; model_run_check and
 * model_run_release look after m and r.
 */
struct model_run {
	struct synth *s;
	void *kernel;
	struct ss_model *m;
	struct ss_check_result r;
	bool checked;
};

/* ANY: an object or address that is not checked. */
#define ANY UINT64_MAX

/* Start a run on s (asserted non-NULL); false if s is NULL. */
bool model_run_init(struct model_run *run, struct synth *s, void *kernel);

/*
 * Load the model from run->s and run every check; false (asserted) on an
 * error.  With SS_TEST_VERBOSE, prints the findings under title.
 */
bool model_run_check(struct model_run *run, const char *title);

/* Free the check result and the model (not s or kernel). */
void model_run_release(struct model_run *run);

/* SS_TEST_VERBOSE is set (and not 0). */
bool model_run_verbose(void);

/* Print the anomaly count and every finding under title, to stderr. */
void model_run_print_findings(const char *title, const struct model_run *run);

/* How many findings have this id. */
size_t model_run_count(const struct model_run *run, const char *id);

/* The model's slab whose struct page/slab is at page, or NULL. */
const struct ss_slab *model_run_slab(const struct model_run *run,
				     uint64_t page);

/*
 * model_run_check for round `round` of a garbage test (titled "garbage
 * round <round>"); on an error, says which round and returns false.
 */
bool model_run_check_round(struct model_run *run, int round);

/* ---- asserting on a run ---- */

/* A CUnit assert with a printf message, counted at file:line. */
void model_run_assert(bool ok, const char *file, unsigned line,
		      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define ASSERT_AT(ok, line, ...)                                           \
	model_run_assert((ok), __FILE__, (line), __VA_ARGS__)

/* The cache called name, asserted to be in the model. */
const struct ss_cache *model_run_cache(const struct model_run *run,
				       const char *name, const char *file,
				       unsigned line);
#define CACHE(run, name) model_run_cache((run), (name), __FILE__, __LINE__)

/* The object counts of a cache, asserted in one go. */
void model_run_counts(const struct model_run *run, const char *name,
		      uint64_t allocated, uint64_t free, uint64_t cpu_free,
		      uint64_t unknown, const char *file, unsigned line);
#define COUNTS(run, name, a, f, cf, u)                                     \
	model_run_counts((run), (name), (a), (f), (cf), (u), __FILE__,      \
			 __LINE__)

/* The number of findings with this id (NULL: of all), asserted. */
void model_run_nfindings(const struct model_run *run, const char *id,
			 size_t want, const char *file, unsigned line);
#define NFINDINGS(run, id, want)                                           \
	model_run_nfindings((run), (id), (want), __FILE__, __LINE__)

/*
 * Every cache's allocated + free + cpu_free + unknown is its
 * total_objects: one assert a cache.
 */
void model_run_totals(const struct model_run *run, const char *file,
		      unsigned line);
#define TOTALS(run) model_run_totals((run), __FILE__, __LINE__)

/*
 * The first finding with this id and cache (NULL: no cache) on object
 * (ANY: any) at address (ANY: any), asserted to be there.  Each suite
 * defines its FINDING on it.
 */
const struct ss_finding *model_run_finding(const struct model_run *run,
					   const char *id, const char *cache,
					   uint64_t object, uint64_t address,
					   const char *file, unsigned line);

#endif
