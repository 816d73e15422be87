/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-cache growth between two points in time: dumps, snapshots saved with
 * `slabscope caches --json`, or /proc/slabinfo copies.
 */
#ifndef SLABSCOPE_DIFF_H
#define SLABSCOPE_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>
#include <slabscope/slab.h>
#include <slabscope/source.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ss_snapshot_cache {
	char *name;
	uint64_t allocated;
	uint64_t total;
	uint64_t object_size;
	uint64_t memory_bytes;
};

/* What a snapshot was read from (JSON "kind": "dump", "caches-json",
 * "slabinfo"). */
enum ss_snapshot_kind {
	SS_SNAPSHOT_DUMP,
	SS_SNAPSHOT_CACHES_JSON,
	SS_SNAPSHOT_SLABINFO,
};
const char *ss_snapshot_kind_name(enum ss_snapshot_kind k);

struct ss_snapshot {
	char *source; /* file name, for messages */
	struct ss_snapshot_cache *caches;
	size_t ncaches;
	enum ss_snapshot_kind kind;
	/* The dump the caches were counted in, when known: the dump itself,
	 * or what a caches document says ("source"); from.dump NULL: not
	 * known (a slabinfo copy, a document without it). */
	struct ss_dump_source from;
};

/* From a loaded model (kind dump; from is left for the caller, who has
 * the kernel: ss_dump_source_get()). */
struct ss_error *ss_snapshot_from_model(const struct ss_model *m,
					const char *source,
					struct ss_snapshot *ret);
/*
 * From a file that is not a dump: the JSON of `slabscope caches --json`
 * or a /proc/slabinfo copy (version 2.x).  SS_ERR_NOTFOUND if it is
 * neither (the caller then tries it as a dump); SS_ERR_FORMAT if it is one
 * but malformed.
 */
struct ss_error *ss_snapshot_load_file(const char *path,
				       struct ss_snapshot *ret);
void ss_snapshot_deinit(struct ss_snapshot *s);

enum ss_diff_status { SS_DIFF_BOTH, SS_DIFF_NEW, SS_DIFF_GONE };

struct ss_diff_entry {
	const char *name;
	enum ss_diff_status status;
	uint64_t allocated_before, allocated_after;
	int64_t delta;
	double ratio; /* after / before; 0 when before is 0 */
	uint64_t memory_before, memory_after;
	int64_t memory_delta;
};

enum ss_diff_sort { SS_DIFF_SORT_MEMORY, SS_DIFF_SORT_DELTA,
		    SS_DIFF_SORT_RATIO, SS_DIFF_SORT_NAME };
int ss_diff_sort_parse(const char *s);

/* Caches matched by name; strings point into the snapshots. */
struct ss_error *ss_diff_compute(const struct ss_snapshot *before,
				 const struct ss_snapshot *after,
				 enum ss_diff_sort sort,
				 struct ss_diff_entry **ret, size_t *n_ret);

/*
 * Growth thresholds, as given to --fail-if: "GLOB>+N%" (relative growth of
 * allocated objects above N percent), "GLOB>+N" (more than N objects
 * more), "GLOB>N" (more than N objects after); a size suffix K/M/G on N
 * (e.g. "kmalloc-*>+10M") compares memory bytes instead.  GLOB is an
 * fnmatch(3) pattern on cache names.  >= is accepted too.
 */
struct ss_threshold {
	char *text;
	char *glob;
	bool or_equal;
	bool relative;  /* +N% */
	bool growth;    /* +N: compare the delta, not the after value */
	bool memory;    /* N has a size suffix: bytes, not objects */
	double value;
};

struct ss_error *ss_threshold_parse(const char *text, struct ss_threshold *ret);
/* A threshold on a level, not on growth (leaks --unreferenced): "GLOB>N"
 * (more than N objects), "GLOB>N%" (more than N percent of a total),
 * "GLOB>N" with a K/M/G suffix (more than N bytes); >= too.  No '+'. */
struct ss_error *ss_threshold_parse_level(const char *text,
					  struct ss_threshold *ret);
/* Does cache name with count objects of of, count taking bytes, cross
 * the level threshold t? */
bool ss_threshold_level_crossed(const struct ss_threshold *t, const char *name,
				uint64_t count, uint64_t of, uint64_t bytes);
void ss_threshold_deinit(struct ss_threshold *t);
/* Does entry e cross t?  (New caches grow from 0: relative growth is
 * infinite.) */
bool ss_threshold_crossed(const struct ss_threshold *t,
			  const struct ss_diff_entry *e);

#ifdef __cplusplus
}
#endif

#endif
