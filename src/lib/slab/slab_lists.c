/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lists that hold slabs (a CPU's slab, CPU partial lists, a node's
 * partial, full and free lists), for every allocator: which slab is on
 * which list, with the checks each list entry needs whatever the
 * allocator (not a slab, a slab of another cache, a slab on two lists, a
 * slab whose slab_cache is garbage), and the walk of a node's list_head
 * lists over the page scan's copy of the links.
 */
#include <inttypes.h>
#include <stdio.h>

#include "model_priv.h"

/* Bound on a node list: beyond it the list is garbage. */
#define MAX_LIST 10000000

enum ss_claim ss_model_claim_slab(struct ss_model *m, uint32_t ci,
				  uint64_t slab_addr, enum ss_slab_list list,
				  int cpu,
				  const char *where, uint32_t *idx_ret,
				  struct ss_error **err)
{
	const struct ss_cache *c = &m->caches[ci];
	uint32_t idx = ss_model_slab_index(m, slab_addr);
	*idx_ret = idx;
	*err = NULL;
	if (idx == SS_NO_CACHE) {
		*err = ss_model_record(m,
				       &(struct ss_anomaly_at){
					       .kind = SS_FINDING_LIST_CORRUPT,
					       .cache = c,
					       .slab = slab_addr,
					       .address = slab_addr,
					       .found = slab_addr },
				       "%s holds 0x%" PRIx64
				       ", which is not a slab",
				       where, slab_addr);
		return SS_CLAIM_REJECTED;
	}
	struct ss_slab *s = &m->slabs[idx];
	if (s->cache == SS_NO_CACHE && s->list == SS_LIST_NONE) {
		/* Its slab_cache is garbage (slab-cache-invalid, reported
		 * once); on this cache's list its links are still the
		 * list's, so a walk goes on through it. */
		s->list = (uint8_t)list;
		s->cpu = (int16_t)cpu;
		*err = ss_model_orphan_seen(m, slab_addr, ci, where);
		return SS_CLAIM_ORPHAN;
	}
	if (s->cache != ci) {
		*err = ss_model_record(
			m,
			&(struct ss_anomaly_at){
				.kind = SS_FINDING_LIST_CORRUPT,
				.cache = c,
				.slab = slab_addr,
				.address = slab_addr },
			"%s holds slab 0x%" PRIx64 " of %s", where, slab_addr,
			s->cache == SS_NO_CACHE ? "no known cache"
						: m->caches[s->cache].name);
		return SS_CLAIM_REJECTED;
	}
	if (s->list != SS_LIST_NONE) {
		*err = ss_model_record(
			m,
			&(struct ss_anomaly_at){
				.kind = SS_FINDING_LIST_CORRUPT,
				.cache = c,
				.slab = slab_addr,
				.address = slab_addr },
			"slab 0x%" PRIx64 " is on two lists: %s and %s",
			slab_addr, ss_slab_list_name(s->list), where);
		return SS_CLAIM_REJECTED;
	}
	s->list = (uint8_t)list;
	s->cpu = (int16_t)cpu;
	return SS_CLAIM_OK;
}

struct list_walk {
	struct ss_model *m;
	const struct ss_slab_list_walk *w;
	struct ss_error *fatal; /* out of memory while recording */
};

static struct ss_error *list_entry(void *arg, uint64_t entry)
{
	struct list_walk *lw = arg;
	const struct ss_slab_list_walk *w = lw->w;
	uint64_t slab = entry - lw->m->list_off;
	uint32_t idx;
	enum ss_claim claim =
		ss_model_claim_slab(lw->m, w->ci, slab, w->list, -1,
				    w->where, &idx, &lw->fatal);
	if (lw->fatal)
		return lw->fatal;
	/* Not a slab of ours: following its links would wander. */
	if (claim == SS_CLAIM_REJECTED)
		return &ss_walk_stop;
	if (w->on_slab)
		lw->fatal = w->on_slab(w->arg, idx, claim);
	return lw->fatal;
}

struct ss_error *ss_model_walk_slab_list(struct ss_model *m,
					 const struct ss_slab_list_walk *w,
					 size_t *count, bool *broken)
{
	struct list_walk lw = { .m = m, .w = w };
	struct ss_memory links = ss_model_links_memory(m);
	struct ss_error *err = ss_list_walk(&links, w->head, MAX_LIST, true,
					    list_entry, &lw, count);
	*broken = err != NULL;
	if (!err)
		return NULL;
	if (lw.fatal)
		return lw.fatal;
	if (err == &ss_walk_stop)
		return NULL; /* the entry that stopped it is the finding */
	if (err->code == SS_ERR_NOMEM)
		return err;
	struct ss_error *e2 = ss_model_record(
		m,
		&(struct ss_anomaly_at){ .kind = SS_FINDING_LIST_CORRUPT,
					 .cache = &m->caches[w->ci],
					 .address = err->address },
		"%s: %s", w->where, err->message);
	ss_error_destroy(err);
	return e2;
}
