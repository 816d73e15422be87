/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reports: the text and JSON renderings of what the library found.  They
 * write to a stream the caller gives; the library itself never picks
 * stdout or stderr.
 */
#ifndef SLABSCOPE_REPORT_H
#define SLABSCOPE_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include <slabscope/error.h>
#include <slabscope/info.h>
#include <slabscope/batch.h>
#include <slabscope/check.h>
#include <slabscope/diff.h>
#include <slabscope/identify.h>
#include <slabscope/leaks.h>
#include <slabscope/slab.h>
#include <slabscope/source.h>
#include <slabscope/tasks.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A kernel address as JSON: the string "0x..." (JSON numbers lose 64-bit
 * precision in many readers). */
json_t *ss_json_addr(uint64_t addr);

/* A file name as JSON: a string (bytes of a name that is not UTF-8 as
 * '?'), null for NULL; NULL only when out of memory. */
json_t *ss_json_path(const char *path);

/* What the dump lacks: the model's totals (with "complete"), and one
 * cache's (null when it lacks nothing). */
json_t *ss_json_dump_gaps(const struct ss_dump_gaps *g);
json_t *ss_json_cache_gaps(const struct ss_cache *c);
/* One line saying what the dump lacks; nothing when it lacks nothing. */
void ss_report_gaps_text(const struct ss_dump_gaps *g, FILE *out);

/* A track (null when not valid): caller, symbol, pid, cpu, when, age_s,
 * stack. */
json_t *ss_json_track(const struct ss_track *t);
/* "WHAT by CALLER, pid P, cpu C, N s before the dump" and the stack below
 * it, indented by indent spaces; nothing when not valid. */
void ss_report_track_text(FILE *out, int indent, const char *what,
			  const struct ss_track *t);
/* An array of strings (symbol warnings: debug files passed over), and
 * the same as "warning: ..." lines of text (nothing when there are none). */
json_t *ss_json_strings(char *const *v, size_t n);
void ss_report_symbol_warnings_text(char *const *v, size_t n, FILE *out);

/* Write a JSON document followed by a newline; steals doc. */
struct ss_error *ss_json_dump(json_t *doc, FILE *out);

/*
 * Documents (schema/README.md): what a command prints with --json is
 * {"schema": {"name": "slabscope-KIND", "version": N}, "source": what was
 * analysed (slabscope/source.h), then the report's members}, described by
 * schema/KIND.schema.json.  The version of KIND's shape, 0 for a kind
 * without a schema.
 */
int ss_json_schema_version(const char *kind);
/* The document of kind made of body's members (a report's object),
 * "source" left out when NULL; steals source and body.  NULL when out of
 * memory, when body is NULL or when kind has no schema. */
json_t *ss_json_document(const char *kind, json_t *source, json_t *body);

json_t *ss_report_info_json(const struct ss_info *info);
struct ss_error *ss_report_info_text(const struct ss_info *info, FILE *out);

/* ---- caches ---- */

enum ss_cache_sort {
	SS_SORT_NAME,
	SS_SORT_ALLOCATED,
	SS_SORT_TOTAL,
	SS_SORT_SLABS,
	SS_SORT_SIZE,
	SS_SORT_MEMORY,
};
/* Parse "name", "allocated", ...; -1 if unknown. */
int ss_cache_sort_parse(const char *s);
/* Cache indices in report order (name ascending, the others descending,
 * ties by name); *order_ret is malloc'd with ss_model_ncaches() entries. */
struct ss_error *ss_caches_sorted(const struct ss_model *m,
				  enum ss_cache_sort key, uint32_t **order_ret);

/* The caches in order[0..n) as {"caches":[...]} (see slabscope-caches(1));
 * problems (per cache index; NULL: the model's anomalies) is what the
 * PROBLEMS column counts: every finding of `check`. */
json_t *ss_report_caches_json(const struct ss_model *m, const uint32_t *order,
			      size_t n, const uint32_t *problems);
struct ss_error *ss_report_caches_text(const struct ss_model *m,
				       const uint32_t *order, size_t n,
				       const uint32_t *problems, FILE *out);
/* ---- slabs ---- */

/* Which slabs `slabscope slabs` shows. */
struct ss_slabs_filter {
	int cpu; /* only this CPU's lists; -1: all */
	int node; /* only slabs on this node; -1: all */
	unsigned lists; /* 1 << enum ss_slab_list per list; 0: all */
	bool objects; /* each slab's objects too */
};
/* slabs' defaults: every CPU, node and list, with objects. */
extern const struct ss_slabs_filter ss_slabs_filter_default;
/* A list name (ss_slab_list_name(), or "none"): its enum value, or -1. */
int ss_slab_list_parse(const char *s);
/* crash's kmem -S: {"cache", "address", "slabs": [{"slab", "memory",
 * "list", "cpu", "node", "total", "allocated", "free", "cpu_free",
 * "sheaf", "unknown", "inuse", "frozen", "objects": [{"address",
 * "state"}]}], "node_counters"}; text grouped by CPU and node lists. */
struct ss_error *ss_report_slabs_json(const struct ss_model *m, uint32_t ci,
				      const struct ss_slabs_filter *f,
				      json_t **ret);
struct ss_error *ss_report_slabs_text(const struct ss_model *m, uint32_t ci,
				      const struct ss_slabs_filter *f,
				      FILE *out);

/* ---- objects ---- */

/* Which objects `slabscope objects --state` lists. */
enum ss_objects_filter {
	SS_OBJECTS_ALL,
	SS_OBJECTS_ALLOCATED,
	SS_OBJECTS_FREE, /* free to users: free, cpu-free and sheaf */
	SS_OBJECTS_UNKNOWN,
	SS_OBJECTS_CPU_FREE,
	SS_OBJECTS_SHEAF,
};
/* Parse "all", "allocated", "free", "unknown"; -1 if unknown. */
int ss_objects_filter_parse(const char *s);

/*
 * The objects of cache ci that pass filter, slab by slab (see
 * slabscope-objects(1)); has_next: free objects show their decoded next
 * free pointer.  The JSON form returns the walk's error, so the document
 * comes back in *ret ({"cache", "address", "objects": [...]}); the text
 * form writes rows as the walk goes, so an error can follow some rows.
 */
struct ss_error *ss_report_objects_json(struct ss_model *m, uint32_t ci,
					enum ss_objects_filter filter,
					bool has_next, json_t **ret);
struct ss_error *ss_report_objects_text(struct ss_model *m, uint32_t ci,
					enum ss_objects_filter filter,
					bool has_next, FILE *out);

/* ---- whatis ---- */

/* What an address is, from ss_identify() (see slabscope-whatis(1)): one
 * element of the document's "addresses", and its text (several lines). */
json_t *ss_report_whatis_json(const struct ss_model *m,
			      const struct ss_identity *r);
struct ss_error *ss_report_whatis_text(const struct ss_model *m,
				       const struct ss_identity *r, FILE *out);
/* What a non-slab address is, in one short phrase for a status line
 * ("init_task+0x0 (kernel)", "runqueues+0x8 of CPU 1", "stack of pid 1
 * (init) +0x3f00", ...); at most len - 1 bytes. */
void ss_report_whatis_brief(const struct ss_identity *r, char *buf, size_t len);

/* ---- check ---- */

json_t *ss_report_check_json(const struct ss_model *m,
			     const struct ss_check_result *r);
struct ss_error *ss_report_check_text(const struct ss_model *m,
				      const struct ss_check_result *r,
				      FILE *out);
/* Every finding kind (check --list-ids): {"finding_kinds": [{"id",
 * "severity", "explanation"}]}. */
json_t *ss_report_finding_kinds_json(void);

/* ---- batch ---- */

/* "PASS dump", "FAIL dump: reason; reason", "ERROR dump: message". */
struct ss_error *ss_report_batch_line(const struct ss_batch_result *r,
				      FILE *out);
/* The summary line of --json: {"summary": {"dumps", "passed", "failed",
 * "errors"}, "rules" (the file, or null), "baseline" (ss_json_snapshot, or
 * null)}. */
json_t *ss_report_batch_summary_json(const struct ss_batch_result *v, size_t n,
				     const char *rules,
				     const struct ss_snapshot *baseline);
/* JUnit XML: one testcase per dump, failures with their reasons. */
struct ss_error *ss_report_junit(const struct ss_batch_result *v, size_t n,
				 FILE *out);

/* ---- diff ---- */

/* What a snapshot was read from: {"path", "kind", "source" (null when
 * not known)}. */
json_t *ss_json_snapshot(const struct ss_snapshot *s);
/* {"before", "after" (ss_json_snapshot), "caches", "thresholds": [{"rule",
 * "crossed", "caches"}]}. */
json_t *ss_report_diff_json(const struct ss_snapshot *before,
			    const struct ss_snapshot *after,
			    const struct ss_diff_entry *v, size_t n,
			    const struct ss_threshold *th, size_t nth);
struct ss_error *ss_report_diff_text(const struct ss_diff_entry *v, size_t n,
				     const struct ss_threshold *th, size_t nth,
				     bool all, FILE *out);

/* ---- leaks ---- */

json_t *ss_report_leaks_json(const struct ss_cache *c,
			     const struct ss_leaks_result *r,
			     const struct ss_leaks_options *opts, size_t top);
struct ss_error *ss_report_leaks_text(const struct ss_cache *c,
				      const struct ss_leaks_result *r,
				      const struct ss_leaks_options *opts,
				      size_t top, FILE *out);

/* leaks --unreferenced: the scan's figures, every cache with unreachable
 * objects, the groups of the first top of them (top groups each), and
 * the --fail-if thresholds. */
struct ss_unref_report {
	const struct ss_model *m;
	const struct ss_refscan *refs;
	const struct ss_unref_result *res;
	const struct ss_leaks_options *opts;
	const struct ss_threshold *th;
	size_t nth;
	size_t top;
	/* Every unreachable object, one line each (JSON: each cache's
	 * "objects"), instead of the groups' examples only. */
	bool list;
	/* Objects whose references to show (the scan's watch list), each
	 * place named by id (NULL: by address only). */
	const uint64_t *why;
	size_t nwhy;
	struct ss_identifier *id;
};
json_t *ss_report_unreferenced_json(const struct ss_unref_report *rep);
struct ss_error *ss_report_unreferenced_text(const struct ss_unref_report *rep,
					     FILE *out);

/* ---- tasks ---- */

json_t *ss_report_tasks_json(const struct ss_tasks_result *r);
/* The text leaves r->warning out: the caller says it on stderr. */
struct ss_error *ss_report_tasks_text(const struct ss_tasks_result *r,
				      FILE *out);
/* "TASK_DEAD", "TASK_INTERRUPTIBLE|TASK_NOLOAD", ... into buf. */
void ss_task_state_name(uint32_t state, uint32_t exit_state, char *buf,
			size_t len);

/* JSON array of a cache's flag names. */
json_t *ss_json_cache_flags(uint64_t flags);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_REPORT_H */
