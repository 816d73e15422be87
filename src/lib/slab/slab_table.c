/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model's table of slabs, for every allocator: the page scan's slabs
 * grouped by cache (a counting sort, slabs of no known cache last), found
 * by their struct page, with their list links kept for the list walks;
 * and what each slab's classification adds to its cache.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model_priv.h"

static struct ss_error *alloc_table(struct ss_model *m, size_t n)
{
	size_t k = n ? n : 1;
	m->slabs = ss_hugemem_calloc(k, sizeof(*m->slabs));
	m->list_next = ss_hugemem_calloc(k, sizeof(*m->list_next));
	m->list_prev = ss_hugemem_calloc(k, sizeof(*m->list_prev));
	m->slab_next = ss_hugemem_calloc(k, sizeof(*m->slab_next));
	if (!m->slabs || !m->list_next || !m->list_prev || !m->slab_next)
		return &ss_error_nomem;
	return NULL;
}

/*
 * KFENCE's object pages are slabs of one object (kfence sets
 * slab->objects = 1) inside its pool, which the cache's node counters do
 * not count: kept apart, as SS_LIST_KFENCE.  The pool's size is a config
 * value, not in the debug info: bounded by its largest (65535 objects, two
 * pages each).
 */
#define KFENCE_MAX_POOL (65536ULL * 2 * 4096)

static bool in_kfence_pool(const struct ss_model *m, const struct ss_slab *s)
{
	return m->kfence_pool &&
	       s->base - m->kfence_pool <
		       KFENCE_MAX_POOL / 4096 * m->mm.page_size;
}

static bool is_kfence(const struct ss_model *m, const struct ss_slab *s,
		      uint32_t ci)
{
	return in_kfence_pool(m, s) && s->objects == 1 &&
	       m->caches[ci].objects_per_slab != 1;
}

/*
 * A KFENCE object page no allocation has used yet: kfence_init_pool()
 * gives every object page the slab type, but slab_cache is set only by
 * an allocation; until then that word holds the list_head INIT_LIST_HEAD()
 * left there, pointing at itself (seen on 6.12.117's trixie-kfence
 * fixture: 85 pages).  A pointer to itself is that, not garbage.
 */
static bool is_unused_kfence(const struct ss_model *m,
			     const struct ss_scanned_slab *e)
{
	return in_kfence_pool(m, &e->s) &&
	       e->cache_ptr == e->s.page + m->slab_cache_off;
}

/* A slab whose slab_cache is not a cache on slab_caches. */
static struct ss_error *uncached(struct ss_model *m, const struct ss_slab *s,
				 uint64_t cache_ptr)
{
	return ss_model_record(m,
			       &(struct ss_anomaly_at){
				       .kind = SS_FINDING_SLAB_CACHE_INVALID,
				       .slab = s->page,
				       .address = s->page + m->slab_cache_off,
				       .found = cache_ptr },
			       "slab 0x%" PRIx64 " (PG_slab set) names 0x%" PRIx64
			       " as its cache, which is not on slab_caches",
			       s->page, cache_ptr);
}

struct ss_error *ss_model_group_slabs(struct ss_model *m, struct ss_scan *sc,
				      const struct ss_addrmap *by_addr)
{
	size_t nc = m->ncaches, n = sc->n;
	size_t *count = calloc(nc + 1, sizeof(*count));
	struct ss_error *err = count ? alloc_table(m, n) : &ss_error_nomem;
	if (err) {
		free(count);
		return err;
	}
	for (size_t i = 0; i < n && !err; i++) {
		uint32_t ci;
		if (!ss_addrmap_get(by_addr, sc->v[i].cache_ptr, &ci))
			ci = SS_NO_CACHE;
		if (ci != SS_NO_CACHE && is_kfence(m, &sc->v[i].s, ci)) {
			if (ss_addrmap_put(&m->kfence_cache, sc->v[i].s.page,
					   ci) < 0)
				err = &ss_error_nomem;
			sc->v[i].s.list = SS_LIST_KFENCE;
			ci = SS_NO_CACHE;
		} else if (ci == SS_NO_CACHE &&
			   is_unused_kfence(m, &sc->v[i])) {
			sc->v[i].s.list = SS_LIST_KFENCE; /* of no cache */
		}
		sc->v[i].s.cache = ci;
		count[ci == SS_NO_CACHE ? nc : ci]++;
	}
	if (err) {
		free(count);
		return err;
	}
	size_t pos = 0;
	for (size_t c = 0; c <= nc; c++) {
		size_t k = count[c];
		count[c] = pos;
		if (c < nc) {
			m->caches[c].first_slab = pos;
			m->caches[c].nslabs = k;
		}
		pos += k;
	}
	m->nslabs = n;
	size_t first_uncached = count[nc];
	uint64_t *bad_ptr = calloc(n - first_uncached + 1, sizeof(*bad_ptr));
	if (!bad_ptr)
		err = &ss_error_nomem;
	for (size_t i = 0; i < n && !err; i++) {
		const struct ss_scanned_slab *e = &sc->v[i];
		uint32_t ci = e->s.cache;
		size_t at = count[ci == SS_NO_CACHE ? nc : ci]++;
		struct ss_slab *s = &m->slabs[at];
		*s = e->s;
		s->order = e->order < 0 ? UINT8_MAX : (uint8_t)e->order;
		m->list_next[at] = e->list_next;
		m->list_prev[at] = e->list_prev;
		m->slab_next[at] = e->next;
		if (ci == SS_NO_CACHE)
			bad_ptr[at - first_uncached] = e->cache_ptr;
		if (ss_addrmap_put(&m->slab_by_page, s->page, (uint32_t)at) < 0)
			err = &ss_error_nomem;
	}
	/* Then, cache by cache, what each slab can be. */
	for (size_t ci = 0; ci < nc && !err && m->ops->check_cache; ci++)
		err = m->ops->check_cache(m, (uint32_t)ci);
	for (size_t at = 0; at < n && !err; at++) {
		struct ss_slab *s = &m->slabs[at];
		if (at >= first_uncached && s->list != SS_LIST_KFENCE &&
		    !ss_addrmap_get(&sc->lost, bad_ptr[at - first_uncached],
				    &(uint32_t){ 0 }))
			err = uncached(m, s, bad_ptr[at - first_uncached]);
		else if (at >= first_uncached)
			continue;
		else
			err = m->ops->place_slab(m, s);
	}
	free(bad_ptr);
	free(count);
	return err;
}

void ss_model_account_slab(struct ss_model *m, struct ss_slab *s,
			   const struct ss_slab_counts *cnt)
{
	s->nfree = cnt->nfree;
	s->ncpu_free = cnt->ncpu_free;
	s->nsheaf = cnt->nsheaf;
	s->nunknown = cnt->nunknown;
	struct ss_cache *c = &m->caches[s->cache];
	c->total_objects += s->objects;
	c->allocated += cnt->nallocated;
	c->free += cnt->nfree;
	c->cpu_free += cnt->ncpu_free;
	c->sheaf += cnt->nsheaf;
	c->unknown += cnt->nunknown;
	c->memory_bytes += m->mm.page_size << s->order;
	if (cnt->unreadable) {
		c->unreadable_slabs++;
		c->unreadable_unknown += cnt->nunknown;
	}
}
