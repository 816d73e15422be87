/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The reference scan's state, shared by its index, stream and closure. */
#ifndef SS_REFSCAN_PRIV_H
#define SS_REFSCAN_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <slabscope/refscan.h>

#include "lib/util/addrmap.h"
#include "lib/util/strindex.h"
#include "leaks_priv.h"

/* Per object: what it is and what pointed to it. */
enum {
	OBJ_SCAN = 1u << 0, /* live (or unknown): its payload is scanned */
	OBJ_CANDIDATE = 1u << 1, /* allocated, of a chosen cache */
	OBJ_ROOT = 1u << 2, /* referenced from outside the candidates */
	OBJ_CAND = 1u << 3, /* referenced by another candidate */
	OBJ_REACHED = 1u << 4, /* the closure reached it */
	OBJ_WATCH = 1u << 5, /* ss_refscan_options.watch: say who points */
};

struct rs_stack_page {
	uint64_t pfn;
	uint64_t task;
	uint64_t offset; /* of the page from the stack's base */
	int32_t pid;
	char comm[17];
};

/* A word pointing into a watched object. */
struct rs_watch_ref {
	uint32_t target, src;
	uint64_t at;
};
#define RS_WATCH_MAX SS_REFSCAN_WATCH_MAX

/* A model slab as the scan sees it; indices are the model's. */
struct rs_slab {
	uint64_t base; /* first slot */
	uint64_t first_pfn;
	uint32_t first; /* its first object's index in obj[] */
	uint32_t size, left, payload; /* slot, left red zone, payload */
	uint32_t npages;
	uint16_t nobj;
	bool indexed; /* its objects are in obj[] (states were read) */
	bool candidate; /* its cache was chosen */
	bool scanned; /* the pass has done it */
	bool states; /* its objects' states are in obj[] */
	uint32_t cache;
};

#define RS_ROOT UINT32_MAX /* the source of a word outside candidates */

struct ss_refscan {
	const struct ss_model *m;
	struct ss_refscan_stats st;
	struct ss_refscan_cache *per_cache; /* ss_model_ncaches() */
	size_t ncaches;

	struct rs_slab *slabs;
	size_t nslabs;
	uint8_t *obj; /* OBJ_* per object of the indexed slabs */
	struct ss_object *objs; /* one slab's states (the most objects) */
	uint32_t nobj;
	uint32_t *pfn_slab; /* per frame < npfn: slab index + 1, or 0 */
	uint64_t npfn;
	uint64_t dm_base, dm_span; /* the direct map: [base, base + span) */
	unsigned shift;

	/* What the pass leaves out (the allocator's bookkeeping, dead
	 * stacks), as direct-map ranges: sorted by start, not overlapping
	 * once rs_skip_add() is done. */
	struct ss_addr_range *skip;
	size_t nskip, skip_cap;

	/* References between candidates: (source << 32 | target). */
	uint64_t *edges;
	size_t nedges, edges_cap, edges_max;
	bool edges_full;
	/* Every task stack's pages, by frame: for naming the places of
	 * references (ss_refscan_stack_at). */
	struct rs_stack_page *stack_pages;
	size_t nstack_pages;
	/* Per object: 0 tag not taken, 1 none, k + 2: tags[k]. */
	uint32_t *tag_id;
	char (*tags)[SS_LEAKS_TAG_MAX + 1];
	size_t ntags, tags_cap;
	struct ss_strindex tag_index; /* tags[] by string */
	struct rs_watch_ref *watch_refs;
	size_t nwatch_refs, watch_cap;
	/* Target -> one source, for the only-by-unreferenced ones. */
	struct ss_addrmap referrer;
};

/* Leave [start, start + len) (direct-map addresses) out of the pass. */
struct ss_error *rs_skip_add(struct ss_refscan *r, uint64_t start,
			     uint64_t len);
/* The free pages on the CPUs' page lists (refscan_pcp.c). */
struct ss_error *rs_pcp_free_pages(struct ss_refscan *r);
/* The dead parts of kernel stacks (refscan_stacks.c). */
struct ss_error *rs_dead_stacks(struct ss_refscan *r);

/* The closure over the edges, then every candidate's class and the
 * counts (refgraph.c). */
struct ss_error *rs_closure(struct ss_refscan *r);

/* Object index -> its allocator address (0 if out of range). */
uint64_t rs_object_addr(const struct ss_refscan *r, uint32_t gid);

#endif
