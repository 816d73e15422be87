/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which allocated slab objects does nothing in memory point to?  The
 * conservative reference scan behind `slabscope leaks --unreferenced`:
 * Solaris ::findleaks, or the kernel's kmemleak, done on a dump.
 *
 * Candidates are the allocated objects of the chosen caches.  Every
 * 8-byte aligned word of every page frame the dump holds is a possible
 * reference, except where the allocator says there is no live data: free
 * pages (the buddy allocator's), free slab objects, slab metadata (red
 * zones, tracks, padding, free pointers outside the payload) and the
 * allocator's own arrays of free-object pointers (SLAB array caches, SLUB
 * sheaves).  A word refers to a candidate when it points anywhere into
 * its payload: interior pointers count (a list_head or rb_node member, an
 * xarray node pointer with its tag bits, ptr|1 flags), as in kmemleak.  A
 * candidate's pointer into itself does not.
 *
 * Then the closure: a candidate reached from memory outside the candidates
 * (kernel data, stacks, per-CPU areas, page tables, other objects) is
 * referenced, and so is whatever a referenced candidate points to.  What
 * is left is unreferenced (no pointer at all) or referenced only by
 * unreferenced objects (a leaked structure's children, a leaked cycle).
 *
 * Conservative means one way only: any word that looks like a pointer
 * counts, so stale data (a dead stack, a freed page on a per-CPU free
 * list, a recycled object's old bytes) can hide a leak, never invent one.
 */
#ifndef SLABSCOPE_REFSCAN_H
#define SLABSCOPE_REFSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>
#include <slabscope/slab.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ss_ref_class {
	SS_REF_NONE, /* not a candidate: not allocated, or not chosen */
	SS_REF_REFERENCED,
	SS_REF_UNREFERENCED, /* no word anywhere points into it */
	SS_REF_ONLY_BY_UNREFERENCED, /* pointed to only by objects that
					nothing reaches */
};
/* "referenced", "unreferenced", "only-by-unreferenced", "none" */
const char *ss_ref_class_name(enum ss_ref_class c);

struct ss_refscan_options {
	/* The candidate caches: ss_model_ncaches() entries, true for
	 * each; NULL: every cache. */
	const bool *caches;
	/* Called now and then (NULL: none); done/total are page frames. */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
	/* Objects (allocator addresses) whose references to keep, for
	 * ss_refscan_references(): why is it referenced? */
	const uint64_t *watch;
	size_t nwatch;
	/* Memory for the references between candidates that the closure
	 * needs, at most (0: 256 MiB).  Beyond it the closure is not
	 * computed: stats.closure_complete is false and the candidates
	 * referenced only by other candidates count as referenced. */
	uint64_t max_edge_bytes;
};

struct ss_refscan_stats {
	uint64_t frames; /* page frames of memory: [0, max_pfn) */
	uint64_t frames_absent; /* not in the dump (makedumpfile) */
	uint64_t frames_unreadable; /* in the dump, but a read failed */
	uint64_t frames_free; /* free pages of the buddy allocator */
	/* Free pages on the CPUs' lists (not the buddy allocator's yet):
	 * left out of the scan, counted among frames_scanned's reads. */
	uint64_t frames_pcp_free;
	bool pcp_lists_known; /* the per-CPU page lists were found */
	uint64_t frames_slab; /* slab pages: their live objects scanned */
	uint64_t frames_scanned; /* every other page: scanned whole */
	uint64_t bytes_scanned; /* words looked at, in bytes */
	uint64_t objects_scanned; /* live slab objects whose payload was */
	uint64_t arrays_skipped; /* allocator bookkeeping: bytes left out */
	/* Dead stack: below sleeping tasks' stack pointers, and the stacks
	 * cached after their task exited (bytes left out). */
	uint64_t stack_bytes_skipped;
	uint64_t candidates;
	uint64_t referenced, unreferenced, only_by_unreferenced;
	uint64_t edges; /* references between candidates kept */
	/* False when the edges outgrew max_edge_bytes: see the option. */
	bool closure_complete;
	/* The kernel's buddy marker was found (PGTY_buddy, or VMCOREINFO's
	 * PAGE_BUDDY_MAPCOUNT_VALUE): free pages were skipped. */
	bool free_pages_known;
};

/* A cache's share of the candidates. */
struct ss_refscan_cache {
	uint64_t candidates;
	uint64_t unreferenced, only_by_unreferenced;
};

struct ss_refscan;

/* Run the scan over the model's dump.  Errors: out of memory, the struct
 * page layout missing from the debug info; an unreadable page is counted,
 * not an error. */
struct ss_error *ss_refscan_run(const struct ss_model *m,
				const struct ss_refscan_options *opts,
				struct ss_refscan **ret);
void ss_refscan_destroy(struct ss_refscan *r);

const struct ss_refscan_stats *ss_refscan_stats(const struct ss_refscan *r);
/* Cache ci's counts (zeroes for a cache that was not a candidate). */
const struct ss_refscan_cache *ss_refscan_cache(const struct ss_refscan *r,
						uint32_t ci);
/* The class of the object at addr (the allocator's address). */
enum ss_ref_class ss_refscan_class(const struct ss_refscan *r, uint64_t obj);
/* Call fn for every candidate of cache ci, slab by slab in the model's
 * order, objects in address order, with its class and its slab's slots
 * [slots, slots + slots_len); fn returning non-NULL stops the walk and
 * that error is returned. */
struct ss_error *ss_refscan_for_each_candidate(
	const struct ss_refscan *r, uint32_t ci,
	struct ss_error *(*fn)(void *arg, uint64_t obj, enum ss_ref_class cls,
			       uint64_t slots, uint64_t slots_len),
	void *arg);
/* Where the words pointing into a watched object are (at) and, when in
 * another candidate object, which (object, else 0: kernel data, a stack,
 * a non-candidate object...); the object's own words are left out.  At
 * most SS_REFSCAN_WATCH_MAX are kept; returns how many, out gets up to
 * max of them. */
#define SS_REFSCAN_WATCH_MAX 64
struct ss_ref_location {
	uint64_t at;
	uint64_t object;
};
size_t ss_refscan_references(const struct ss_refscan *r, uint64_t obj,
			     struct ss_ref_location *out, size_t max);

/* The kernel stack whose page holds the direct-map address at (the
 * pass reads stacks through their pages' direct-map aliases): its task,
 * pid, comm and the offset from the stack's base.  False when at is in no
 * task's stack. */
struct ss_refscan_stack {
	uint64_t task;
	int32_t pid;
	char comm[17];
	uint64_t offset;
};
bool ss_refscan_stack_at(const struct ss_refscan *r, uint64_t at,
			 struct ss_refscan_stack *ret);

/* The printable tag at a candidate's start, taken while the scan read it
 * (the first choice of a content signature, slabscope/leaks.h): 1 and
 * *tag set, 0 when it has none, -1 when not known (not read). */
int ss_refscan_tag(const struct ss_refscan *r, uint64_t obj, const char **tag);

/* An object that points to obj (SS_REF_ONLY_BY_UNREFERENCED objects have
 * one; the first kept), or 0. */
uint64_t ss_refscan_referrer(const struct ss_refscan *r, uint64_t obj);

#ifdef __cplusplus
}
#endif

#endif
