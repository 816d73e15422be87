/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Free pages the buddy allocator does not hold yet: each CPU's lists of
 * each zone (struct per_cpu_pages, zone->per_cpu_pageset; 5.10: the pcp
 * of zone->pageset).  A page freed a moment ago waits there without
 * PageBuddy, its old content intact: a vfree()d array of pointers to the
 * objects it leaked, a freed stack.  The reference scan leaves them out.
 *
 * Only a list entry's own page is left out: the order of a high-order
 * entry is its list's (pindex_to_order()), not in the page, and a page
 * too many scanned is only conservative.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/slab/field.h"
#include "refscan_priv.h"

/* Past these a count read from the dump is garbage. */
#define MAX_NODES 1024
#define MAX_ZONES 16
#define MAX_LISTS 64
#define MAX_LIST_PAGES (1u << 22)

struct pcp_walk {
	struct ss_refscan *r;
	uint64_t link_off; /* page.pcp_list or page.lru */
	uint64_t vmemmap, sps;
	struct ss_error *err;
};

static struct ss_error *pcp_page(void *arg, uint64_t entry)
{
	struct pcp_walk *w = arg;
	struct ss_refscan *r = w->r;
	uint64_t page = entry - w->link_off;
	if (page < w->vmemmap || (page - w->vmemmap) % w->sps)
		return NULL; /* not a struct page: the walk says so if bad */
	uint64_t pfn = (page - w->vmemmap) / w->sps;
	if (pfn >= r->npfn)
		return NULL;
	r->st.frames_pcp_free++;
	return rs_skip_add(r, r->dm_base + (pfn << r->shift), 1ULL << r->shift);
}

struct pcp_layout {
	struct ss_field zone_pcp; /* the __percpu pointer in struct zone */
	struct ss_field lists; /* in what it points to */
	struct ss_field link; /* in struct page */
	struct ss_field node_zones;
	uint64_t zone_size;
};

static struct ss_error *pcp_resolve(struct ss_dbg *dbg, struct pcp_layout *l)
{
	memset(l, 0, sizeof(*l));
	/* 5.10: zone.pageset -> struct per_cpu_pageset { pcp.lists }; 6.x:
	 * zone.per_cpu_pageset -> struct per_cpu_pages { lists } */
	struct ss_error *err = ss_field_resolve(dbg, "per_cpu_pageset",
						"pcp.lists", false, &l->lists);
	if (!err && l->lists.present)
		err = ss_field_resolve(dbg, "zone", "pageset", false,
				       &l->zone_pcp);
	else if (!err) {
		err = ss_field_resolve(dbg, "per_cpu_pages", "lists", false,
				       &l->lists);
		if (!err)
			err = ss_field_resolve(dbg, "zone", "per_cpu_pageset",
					       false, &l->zone_pcp);
	}
	if (!err)
		err = ss_field_resolve(dbg, "page", "pcp_list|lru", false,
				       &l->link);
	if (!err)
		err = ss_field_resolve(dbg, "pglist_data", "node_zones", false,
				       &l->node_zones);
	if (!err)
		err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "zone",
				       &l->zone_size);
	return err;
}

static struct ss_error *zone_lists(struct pcp_walk *w,
				   const struct pcp_layout *l, uint64_t zone)
{
	const struct ss_target *t = ss_model_target(w->r->m);
	const struct ss_mm_facts *mm = ss_model_mm(w->r->m);
	uint64_t pcp;
	struct ss_error *err =
		ss_mem_read_u64(t->mem, zone + l->zone_pcp.off, &pcp);
	if (err || !pcp) {
		ss_error_destroy(err);
		return NULL;
	}
	uint64_t nlists = l->lists.size / 16;
	if (nlists > MAX_LISTS)
		nlists = MAX_LISTS;
	for (uint32_t cpu = 0; cpu < mm->nr_cpu_ids; cpu++) {
		if (!mm->cpu_possible[cpu])
			continue;
		uint64_t base = pcp + mm->cpu_offset[cpu] + l->lists.off;
		for (uint64_t k = 0; k < nlists; k++) {
			err = ss_list_walk(t->mem, base + 16 * k, MAX_LIST_PAGES,
					   false, pcp_page, w, NULL);
			if (err && err->code == SS_ERR_NOMEM)
				return err;
			/* a broken list: the pages before the break count */
			ss_error_destroy(err);
		}
	}
	return NULL;
}

struct ss_error *rs_pcp_free_pages(struct ss_refscan *r)
{
	const struct ss_target *t = ss_model_target(r->m);
	const struct ss_mm_facts *mm = ss_model_mm(r->m);
	struct pcp_layout l;
	struct ss_error *err = pcp_resolve(t->dbg, &l);
	if (err && err->code != SS_ERR_NOMEM) {
		ss_error_destroy(err); /* a layout this file does not know */
		return NULL;
	}
	if (err || !l.lists.present || !l.zone_pcp.present ||
	    !l.link.present || !l.node_zones.present || !l.zone_size ||
	    !mm->struct_page_size)
		return err;
	uint64_t nzones = l.node_zones.size / l.zone_size;
	if (nzones > MAX_ZONES)
		nzones = MAX_ZONES;
	/* the nodes: node_data[] (NUMA), else contig_page_data itself */
	uint64_t node_data, pgdats[MAX_NODES];
	size_t nn = 0;
	err = ss_target_symbol(t, "node_data", &node_data);
	if (!err) {
		uint32_t n = mm->nr_node_ids < MAX_NODES ? mm->nr_node_ids
							 : MAX_NODES;
		for (uint32_t i = 0; i < n; i++) {
			struct ss_error *rerr = ss_mem_read_u64(
				t->mem, node_data + 8ULL * i, &pgdats[nn]);
			if (!rerr && pgdats[nn])
				nn++;
			ss_error_destroy(rerr);
		}
	} else {
		ss_error_destroy(err);
		err = ss_target_symbol(t, "contig_page_data", &pgdats[0]);
		if (err) {
			ss_error_destroy(err);
			return NULL;
		}
		nn = 1;
	}
	struct pcp_walk w = { .r = r,
			      .link_off = l.link.off,
			      .vmemmap = mm->vmemmap,
			      .sps = mm->struct_page_size };
	r->st.pcp_lists_known = true;
	for (size_t i = 0; i < nn; i++)
		for (uint64_t z = 0; z < nzones; z++) {
			err = zone_lists(&w, &l,
					 pgdats[i] + l.node_zones.off +
						 z * l.zone_size);
			if (err)
				return err;
		}
	return NULL;
}
