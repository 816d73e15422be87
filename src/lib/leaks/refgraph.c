/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The closure of the reference scan: from every candidate something
 * outside the candidates points to, follow the references between
 * candidates; what is not reached is unreferenced, or referenced only by
 * unreferenced objects.
 *
 * The edges are kept as (source, target) pairs during the pass, those
 * into targets referenced from outside dropped as the pass goes (the
 * closure needs only the others).  Here they become a compressed
 * adjacency array by source (a counting sort: two arrays of 32-bit
 * indices), walked breadth first.
 */
#include <stdlib.h>
#include <string.h>

#include "refscan_priv.h"

static struct ss_error *reach(struct ss_refscan *r)
{
	uint32_t n = r->nobj;
	size_t ne = r->nedges;
	uint32_t *start = calloc((size_t)n + 1, sizeof(*start));
	uint32_t *adj = malloc((ne ? ne : 1) * sizeof(*adj));
	uint32_t *queue = malloc((n ? n : 1) * sizeof(*queue));
	if (!start || !adj || !queue) {
		free(start);
		free(adj);
		free(queue);
		return &ss_error_nomem;
	}
	for (size_t i = 0; i < ne; i++)
		start[(r->edges[i] >> 32) + 1]++;
	for (uint32_t i = 0; i < n; i++)
		start[i + 1] += start[i];
	for (size_t i = 0; i < ne; i++)
		adj[start[r->edges[i] >> 32]++] = (uint32_t)r->edges[i];
	for (uint32_t i = n; i > 0; i--)
		start[i] = start[i - 1];
	start[0] = 0;

	size_t head = 0, tail = 0;
	for (uint32_t i = 0; i < n; i++)
		if ((r->obj[i] & (OBJ_CANDIDATE | OBJ_ROOT)) ==
		    (OBJ_CANDIDATE | OBJ_ROOT)) {
			r->obj[i] |= OBJ_REACHED;
			if (start[i + 1] > start[i])
				queue[tail++] = i;
		}
	while (head < tail) {
		uint32_t v = queue[head++];
		for (uint32_t e = start[v]; e < start[v + 1]; e++) {
			uint32_t w = adj[e];
			if (r->obj[w] & OBJ_REACHED)
				continue;
			r->obj[w] |= OBJ_REACHED;
			queue[tail++] = w;
		}
	}
	free(start);
	free(adj);
	free(queue);
	return NULL;
}

struct ss_error *rs_closure(struct ss_refscan *r)
{
	/* Edges into objects referenced from outside, or into slots that
	 * turned out free: of no use. */
	size_t k = 0;
	for (size_t i = 0; i < r->nedges; i++)
		if ((r->obj[(uint32_t)r->edges[i]] &
		     (OBJ_ROOT | OBJ_CANDIDATE)) == OBJ_CANDIDATE)
			r->edges[k++] = r->edges[i];
	r->nedges = k;
	r->st.edges = k;
	r->st.closure_complete = !r->edges_full;
	if (r->st.closure_complete) {
		struct ss_error *err = reach(r);
		if (err)
			return err;
	}
	for (size_t i = 0; i < r->nslabs; i++) {
		const struct rs_slab *s = &r->slabs[i];
		if (!s->indexed || !s->candidate)
			continue;
		for (uint32_t j = 0; j < s->nobj; j++) {
			uint8_t f = r->obj[s->first + j];
			if (!(f & OBJ_CANDIDATE))
				continue;
			if (f & (OBJ_ROOT | OBJ_REACHED)) {
				r->st.referenced++;
			} else if (!(f & OBJ_CAND)) {
				r->st.unreferenced++;
				r->per_cache[s->cache].unreferenced++;
			} else if (r->st.closure_complete) {
				r->st.only_by_unreferenced++;
				r->per_cache[s->cache].only_by_unreferenced++;
			} else {
				r->st.referenced++; /* cannot tell */
			}
		}
	}
	/* One referrer of each object referenced only by unreferenced ones:
	 * the report names it. */
	if (r->st.closure_complete && r->st.only_by_unreferenced) {
		for (size_t i = 0; i < r->nedges; i++) {
			uint32_t dst = (uint32_t)r->edges[i];
			if (r->obj[dst] & OBJ_REACHED)
				continue;
			if (ss_addrmap_add(&r->referrer, dst + 1ULL,
					   (uint32_t)(r->edges[i] >> 32),
					   NULL) < 0)
				return &ss_error_nomem;
		}
	}
	free(r->edges);
	r->edges = NULL;
	r->nedges = r->edges_cap = 0;
	return NULL;
}
