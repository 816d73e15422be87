/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which NUMA node a slab's memory is on, for `slabs --node` and crash's
 * "NODE" column: the node whose page frame range (pglist_data's
 * node_start_pfn, node_spanned_pages) holds the slab's first frame.  A
 * kernel without node_data (no NUMA) has one node; an unreadable or
 * garbage range is skipped, and a frame no range holds is on node -1.
 */
#include <stdlib.h>

#include "model_priv.h"

/* MAX_NUMNODES is at most 1 << 10 (NODES_SHIFT 10). */
#define MAX_NODES 1024

struct ss_node_map {
	struct node_range {
		uint64_t first_pfn, end_pfn;
		int nid;
	} * nodes; /* NULL: no NUMA, all node 0 */
	size_t nnodes;
};

/* Read on demand (only `slabs` asks), not at every load: pglist_data's
 * definition is not in the allocator's units. */
struct ss_error *ss_node_map_read(const struct ss_model *m,
				  struct ss_node_map **ret)
{
	*ret = calloc(1, sizeof(**ret));
	if (!*ret)
		return &ss_error_nomem;
	struct ss_node_map *map = *ret;
	uint64_t node_data;
	struct ss_error *err = ss_target_symbol(m->t, "node_data", &node_data);
	if (err) {
		/* no NUMA: every frame is node 0's */
		ss_error_destroy(err);
		return NULL;
	}
	struct ss_member start, spanned;
	err = ss_dbg_member(m->t->dbg, SS_TYPE_STRUCT, "pglist_data",
			    "node_start_pfn", &start);
	if (!err)
		err = ss_dbg_member(m->t->dbg, SS_TYPE_STRUCT, "pglist_data",
				    "node_spanned_pages", &spanned);
	if (err) {
		ss_error_destroy(err);
		return NULL;
	}
	uint32_t n = m->mm.nr_node_ids;
	if (n == 0 || n > MAX_NODES)
		return NULL;
	map->nodes = calloc(n, sizeof(*map->nodes));
	if (!map->nodes)
		return &ss_error_nomem;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t pgdat, first, len;
		err = ss_mem_read_u64(m->mem, node_data + 8ULL * i, &pgdat);
		if (!err && pgdat)
			err = ss_mem_read_u64(m->mem, pgdat + start.offset,
					      &first);
		if (!err && pgdat)
			err = ss_mem_read_u64(m->mem, pgdat + spanned.offset,
					      &len);
		if (err) {
			ss_error_destroy(err);
			continue;
		}
		if (!pgdat || len == 0 || first + len < first)
			continue;
		map->nodes[map->nnodes].first_pfn = first;
		map->nodes[map->nnodes].end_pfn = first + len;
		map->nodes[map->nnodes].nid = (int)i;
		map->nnodes++;
	}
	return NULL;
}

void ss_node_map_destroy(struct ss_node_map *map)
{
	if (map)
		free(map->nodes);
	free(map);
}

int ss_node_map_slab_node(const struct ss_node_map *map,
			  const struct ss_model *m, const struct ss_slab *s)
{
	if (!m->mm.struct_page_size || s->page < m->mm.vmemmap)
		return -1;
	uint64_t pfn = (s->page - m->mm.vmemmap) / m->mm.struct_page_size;
	if (!map->nodes)
		return 0;
	for (size_t i = 0; i < map->nnodes; i++)
		if (pfn >= map->nodes[i].first_pfn &&
		    pfn < map->nodes[i].end_pfn)
			return map->nodes[i].nid;
	return -1;
}

uint32_t ss_model_kfence_cache(const struct ss_model *m,
			       const struct ss_slab *s)
{
	uint32_t ci;
	if (s->list != SS_LIST_KFENCE ||
	    !ss_addrmap_get(&m->kfence_cache, s->page, &ci))
		return SS_NO_CACHE;
	return ci;
}
