/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SLUB model: caches from slab_caches, every slab from one pass over
 * the struct page array, per-CPU and per-node lists; the objects of each
 * slab are classified in slub_objects.c.
 *
 * Every pointer comes from a possibly broken kernel: walks are bounded and
 * cycle-checked, and what does not fit becomes an anomaly, not an error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slot_priv.h"
#include "slub_priv.h"

/* ---- caches ---- */

/* SLUB's kmem_cache fields into the model's cache. */
static void slub_fill_cache(void *arg, const unsigned char *kc,
			    struct ss_cache *c)
{
	const struct slub_layout *l = arg;
	c->flags = ss_field_get(&l->kc_flags, kc);
	c->size = (uint32_t)ss_field_get(&l->kc_size, kc);
	c->object_size = (uint32_t)ss_field_get(&l->kc_object_size, kc);
	c->offset = (uint32_t)ss_field_get(&l->kc_offset, kc);
	c->inuse = (uint32_t)ss_field_get(&l->kc_inuse, kc);
	if (l->kc_align.present)
		c->align = (uint32_t)ss_field_get(&l->kc_align, kc);
	if (l->kc_red_left_pad.present)
		c->red_left_pad = (uint32_t)ss_field_get(&l->kc_red_left_pad, kc);
	uint32_t oo = (uint32_t)ss_field_get(&l->kc_oo, kc);
	/* struct kmem_cache_order_objects: order in the high 16 bits. */
	c->order = oo >> 16;
	c->objects_per_slab = oo & 0xffff;
	if (l->kc_min_partial.present)
		c->min_partial = ss_field_get(&l->kc_min_partial, kc);
	if (l->kc_cpu_partial.present)
		c->cpu_partial = (uint32_t)ss_field_get(&l->kc_cpu_partial, kc);
	if (l->kc_refcount.present)
		c->refcount = (int32_t)ss_field_get(&l->kc_refcount, kc);
	if (l->kc_ctor.present)
		c->ctor = ss_field_get(&l->kc_ctor, kc);
	c->has_random = l->kc_random.present;
	if (c->has_random)
		c->random = ss_field_get(&l->kc_random, kc);
}

/* ---- the page scan ---- */

struct scan_slab {
	struct ss_slab s;
	uint64_t cache_ptr;
	uint64_t next; /* cpu-partial link */
	uint64_t list_next, list_prev; /* slab_list */
	int order; /* the compound page's own order, -1 if unknown */
};

struct scan {
	struct scan_slab *v;
	size_t n, cap;
};

static struct ss_error *scan_push(struct scan *sc, const struct scan_slab *e)
{
	if (sc->n == sc->cap) {
		size_t ncap = sc->cap ? sc->cap * 2 : 4096;
		struct scan_slab *v = realloc(sc->v, ncap * sizeof(*v));
		if (!v)
			return &ss_error_nomem;
		sc->v = v;
		sc->cap = ncap;
	}
	sc->v[sc->n++] = *e;
	return NULL;
}

static uint8_t order_for(uint64_t bytes, uint64_t page_size)
{
	uint8_t order = 0;
	while ((page_size << order) < bytes && order < MAX_SLAB_ORDER)
		order++;
	return order;
}

struct scan_ctx {
	struct ss_model *m;
	struct scan *sc;
};

/* A slab head page found by the page scan: SLUB's struct slab fields. */
static struct ss_error *scan_page(void *arg, uint64_t pfn,
				  const unsigned char *pg, int order)
{
	struct scan_ctx *ctx = arg;
	struct ss_model *m = ctx->m;
	struct scan *sc = ctx->sc;
	const struct slub_layout *l = &priv(m)->l;
	struct scan_slab e;
	memset(&e, 0, sizeof(e));
	e.s.page = m->mm.vmemmap + pfn * m->mm.struct_page_size;
	e.s.base = m->mm.page_offset + (pfn << m->mm.page_shift);
	e.s.freelist = ss_field_get(&l->sl_freelist, pg);
	e.s.inuse = (uint16_t)ss_field_get(&l->sl_inuse, pg);
	e.s.objects = (uint16_t)ss_field_get(&l->sl_objects, pg);
	e.s.frozen = ss_field_get(&l->sl_frozen, pg) != 0;
	e.s.cpu = -1;
	e.s.list = SS_LIST_NONE;
	e.s.cache = SS_NO_CACHE;
	e.cache_ptr = ss_field_get(&l->sl_slab_cache, pg);
	if (l->sl_next.present)
		e.next = ss_field_get(&l->sl_next, pg);
	e.order = order;
	memcpy(&e.list_next, pg + l->sl_list.off, 8);
	memcpy(&e.list_prev, pg + l->sl_list.off + 8, 8);
	return scan_push(sc, &e);
}

static struct ss_error *scan_pages(struct ss_model *m, struct scan *sc)
{
	const struct slub_layout *l = &priv(m)->l;
	struct scan_ctx ctx = { .m = m, .sc = sc };
	struct ss_page_scan ps = {
		.flags = &l->pg_flags,
		.compound_head = &l->pg_compound_head,
		.compound_order = &l->pg_compound_order,
		.pg_slab_bit = l->pg_slab_bit,
		.pg_head_bit = l->pg_head_bit,
		.slab_page = scan_page,
		.arg = &ctx,
	};
	return ss_model_scan_pages(m, &ps);
}

/*
 * Attribute scanned slabs to caches and lay them out grouped by cache
 * (counting sort), slabs of no known cache last.
 */
static struct ss_error *group_slabs(struct ss_model *m, struct scan *sc,
				    const struct ss_addrmap *by_addr)
{
	struct slub_priv *p = priv(m);
	size_t nc = m->ncaches;
	size_t *count = calloc(nc + 1, sizeof(*count));
	if (!count)
		return &ss_error_nomem;
	struct ss_error *err = NULL;
	for (size_t i = 0; i < sc->n; i++) {
		uint32_t ci;
		if (!ss_addrmap_get(by_addr, sc->v[i].cache_ptr, &ci))
			ci = SS_NO_CACHE;
		sc->v[i].s.cache = ci;
		count[ci == SS_NO_CACHE ? nc : ci]++;
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
	m->slabs = calloc(sc->n ? sc->n : 1, sizeof(*m->slabs));
	p->cpu_freelist = calloc(sc->n ? sc->n : 1, sizeof(*p->cpu_freelist));
	p->cpu_freelist_at =
		calloc(sc->n ? sc->n : 1, sizeof(*p->cpu_freelist_at));
	p->next = calloc(sc->n ? sc->n : 1, sizeof(*p->next));
	m->list_next = calloc(sc->n ? sc->n : 1, sizeof(*m->list_next));
	m->list_prev = calloc(sc->n ? sc->n : 1, sizeof(*m->list_prev));
	m->list_off = p->l.sl_list.off;
	if (!m->slabs || !p->cpu_freelist || !p->cpu_freelist_at || !p->next ||
	    !m->list_next || !m->list_prev) {
		free(count);
		return &ss_error_nomem;
	}
	for (size_t i = 0; i < sc->n; i++) {
		uint32_t ci = sc->v[i].s.cache;
		size_t at = count[ci == SS_NO_CACHE ? nc : ci]++;
		m->slabs[at] = sc->v[i].s;
		p->next[at] = sc->v[i].next;
		m->list_next[at] = sc->v[i].list_next;
		m->slabs[at].order = sc->v[i].order < 0
					     ? UINT8_MAX
					     : (uint8_t)sc->v[i].order;
		m->list_prev[at] = sc->v[i].list_prev;
		if (ss_addrmap_put(&m->slab_by_page, sc->v[i].s.page,
				   (uint32_t)at) < 0) {
			free(count);
			return &ss_error_nomem;
		}
	}
	m->nslabs = sc->n;
	free(count);

	/* Slab geometry, and slabs whose cache pointer is not a cache. */
	for (size_t i = 0; i < m->nslabs && !err; i++) {
		struct ss_slab *s = &m->slabs[i];
		if (s->cache == SS_NO_CACHE) {
			/* The bad pointer itself, for the message and the
			 * value: the message used to print 0 (found by
			 * tests/unit/test_slub.c). */
			uint64_t bad = 0;
			for (size_t j = 0; j < sc->n; j++)
				if (sc->v[j].s.page == s->page) {
					bad = sc->v[j].cache_ptr;
					break;
				}
			err = ss_model_anomaly_add(
				m, SS_ANOM_SLAB_CACHE, SS_NO_CACHE, s->page, 0,
				s->page + p->l.sl_slab_cache.off, bad,
				"slab 0x%" PRIx64 " (PG_slab set) names 0x%" PRIx64
				" as its cache, which is not on slab_caches",
				s->page, bad);
			continue;
		}
		const struct ss_cache *c = &m->caches[s->cache];
		uint64_t bytes = (uint64_t)s->objects * c->size;
		uint8_t true_order = s->order;
		s->order = order_for(bytes ? bytes : 1, m->mm.page_size);
		/*
		 * objects vs the slab's real size (oo for its order): the
		 * page allocator's order is the authority.  A slab whose
		 * counters word is garbage (objects 0, or all ones) is
		 * analysed with the objects its pages hold, so that the
		 * rest of the cache still adds up; its inuse is not trusted
		 * either (one finding for the word, not one per field).
		 */
		uint64_t fit = true_order != UINT8_MAX && c->size
				       ? (m->mm.page_size << true_order) / c->size
				       : 0;
		if (fit && fit <= UINT16_MAX) {
			if (s->objects != fit)
				err = ss_model_anomaly_add(
					m, SS_ANOM_COUNTER, s->cache, s->page, 0,
					s->page + p->l.sl_objects.bit_off / 8,
					s->objects,
					"slab 0x%" PRIx64 " of %s claims %u "
					"objects (inuse %u), but its order-%u "
					"pages hold %" PRIu64 " objects of %u "
					"bytes: analysed as %" PRIu64,
					s->page, c->name, s->objects, s->inuse,
					true_order, fit, c->size, fit);
			if (s->objects != fit) {
				s->objects = (uint16_t)fit;
				s->counters_bad = true;
			}
			s->order = true_order;
			continue;
		}
		if (bytes > (m->mm.page_size << MAX_SLAB_ORDER)) {
			err = ss_model_anomaly_add(
				m, SS_ANOM_COUNTER, s->cache, s->page, 0,
				s->page + p->l.sl_objects.bit_off / 8,
				s->objects,
				"slab 0x%" PRIx64 " of %s claims %u objects of %u "
				"bytes, more than a slab can hold",
				s->page, c->name, s->objects, c->size);
			s->objects = 0;
			s->counters_bad = true;
		}
	}
	return err;
}

/* ---- per-CPU and per-node state ---- */

static struct ss_error *mark_slab(struct ss_model *m, uint32_t ci,
				  uint64_t slab_addr, enum ss_slab_list list,
				  int cpu, const char *where, uint32_t *idx_ret)
{
	uint32_t idx = ss_model_slab_index(m, slab_addr);
	const struct ss_cache *c = &m->caches[ci];
	*idx_ret = SS_NO_CACHE;
	if (idx == SS_NO_CACHE)
		return ss_model_anomaly_add(
			m, SS_ANOM_LIST, ci, slab_addr, 0, slab_addr, slab_addr,
			"%s of %s holds 0x%" PRIx64 ", which is not a slab",
			where, c->name, slab_addr);
	struct ss_slab *s = &m->slabs[idx];
	if (s->cache == SS_NO_CACHE && s->list == SS_LIST_NONE) {
		/* Its slab_cache is garbage (slab-cache-invalid, reported
		 * once); on this cache's list its links are still the
		 * list's, so a walk goes on through it. */
		s->list = (uint8_t)list;
		s->cpu = (int16_t)cpu;
		*idx_ret = idx;
		return ss_model_orphan_seen(m, slab_addr, ci, where);
	}
	if (s->cache != ci)
		return ss_model_anomaly_add(
			m, SS_ANOM_LIST, ci, slab_addr, 0, slab_addr, 0,
			"%s of %s holds slab 0x%" PRIx64 " of %s", where,
			c->name, slab_addr,
			s->cache == SS_NO_CACHE ? "no known cache"
						: m->caches[s->cache].name);
	if (s->list != SS_LIST_NONE)
		return ss_model_anomaly_add(
			m, SS_ANOM_LIST, ci, slab_addr, 0, slab_addr, 0,
			"slab 0x%" PRIx64 " of %s is on two lists: %s and %s",
			slab_addr, c->name, ss_slab_list_name(s->list), where);
	s->list = (uint8_t)list;
	s->cpu = (int16_t)cpu;
	*idx_ret = idx;
	return NULL;
}

static struct ss_error *load_cpu(struct ss_model *m, uint32_t ci)
{
	struct slub_priv *p = priv(m);
	const struct slub_layout *l = &p->l;
	struct ss_cache *c = &m->caches[ci];
	unsigned char kc[16];
	uint64_t cpu_slab;
	struct ss_error *err = ss_mem_read(m->mem, c->addr + l->kc_cpu_slab.off,
					   kc, 8);
	if (err)
		return err;
	memcpy(&cpu_slab, kc, 8);
	size_t kcc_len = l->kcc_slab.off + 8;
	if (l->kcc_partial.present && l->kcc_partial.off + 8 > kcc_len)
		kcc_len = l->kcc_partial.off + 8;
	if (l->kcc_freelist.off + 8 > kcc_len)
		kcc_len = l->kcc_freelist.off + 8;
	unsigned char buf[128];
	if (kcc_len > sizeof(buf))
		return ss_error_create(SS_ERR_CORRUPT,
				       "struct kmem_cache_cpu is too large");

	for (uint32_t cpu = 0; cpu < m->mm.nr_cpu_ids; cpu++) {
		if (!m->mm.cpu_possible[cpu])
			continue;
		uint64_t addr = cpu_slab + m->mm.cpu_offset[cpu];
		err = ss_mem_read(m->mem, addr, buf, kcc_len);
		if (err) {
			struct ss_error *e2 = ss_model_anomaly_add(
				m, SS_ANOM_UNREADABLE, ci, 0, 0, addr, 0,
				"%s: kmem_cache_cpu of CPU %u at 0x%" PRIx64
				" is unreadable: %s",
				c->name, cpu, addr, err->message);
			ss_error_destroy(err);
			if (e2)
				return e2;
			continue;
		}
		uint64_t freelist = ss_field_get(&l->kcc_freelist, buf);
		uint64_t slab = ss_field_get(&l->kcc_slab, buf);
		char where[64];
		if (slab) {
			uint32_t idx;
			snprintf(where, sizeof(where), "CPU %u's slab", cpu);
			err = mark_slab(m, ci, slab, SS_LIST_CPU, (int)cpu,
					where, &idx);
			if (err)
				return err;
			if (idx != SS_NO_CACHE) {
				p->cpu_freelist[idx] = freelist;
				p->cpu_freelist_at[idx] =
					addr + l->kcc_freelist.off;
			}
		} else if (freelist) {
			err = ss_model_anomaly_add(
				m, SS_ANOM_LIST, ci, 0, freelist,
				addr + l->kcc_freelist.off, freelist,
				"%s: CPU %u has a freelist 0x%" PRIx64
				" but no slab",
				c->name, cpu, freelist);
			if (err)
				return err;
		}
		if (!l->kcc_partial.present)
			continue;
		/* The CPU partial list: singly linked through slab->next. */
		uint64_t sp = ss_field_get(&l->kcc_partial, buf);
		snprintf(where, sizeof(where), "CPU %u's partial list", cpu);
		for (size_t steps = 0; sp; steps++) {
			uint32_t idx;
			if (steps >= MAX_CPU_PARTIAL) {
				err = ss_model_anomaly_add(
					m, SS_ANOM_LIST, ci, sp, 0, sp, 0,
					"%s: %s is longer than %d slabs",
					c->name, where, MAX_CPU_PARTIAL);
				break;
			}
			uint32_t prev_idx = ss_model_slab_index(m, sp);
			if (prev_idx != SS_NO_CACHE &&
			    m->slabs[prev_idx].list == SS_LIST_CPU_PARTIAL &&
			    m->slabs[prev_idx].cache == ci) {
				err = ss_model_anomaly_add(
					m, SS_ANOM_LIST, ci, sp, 0, sp, 0,
					"%s: %s loops back to slab 0x%" PRIx64,
					c->name, where, sp);
				break;
			}
			err = mark_slab(m, ci, sp, SS_LIST_CPU_PARTIAL,
					(int)cpu, where, &idx);
			if (err || idx == SS_NO_CACHE)
				break;
			sp = p->next[idx];
		}
		if (err)
			return err;
	}
	return NULL;
}

struct node_walk {
	struct ss_model *m;
	uint32_t ci;
	enum ss_slab_list list;
	const char *where;
	struct ss_error *fatal;
};

static struct ss_error *node_entry(void *arg, uint64_t entry)
{
	struct node_walk *w = arg;
	uint32_t idx;
	uint64_t slab = entry - priv(w->m)->l.sl_list.off;
	w->fatal = mark_slab(w->m, w->ci, slab, w->list, -1, w->where, &idx);
	if (w->fatal)
		return w->fatal;
	if (idx == SS_NO_CACHE)
		/* Not a slab of ours: following its links would wander. */
		return ss_error_create(SS_ERR_CORRUPT, "stopped");
	return NULL;
}

static struct ss_error *walk_node_list(struct ss_model *m, uint32_t ci,
				       uint64_t head, enum ss_slab_list list,
				       const char *where, size_t *count,
				       bool *broken)
{
	struct node_walk w = { .m = m, .ci = ci, .list = list, .where = where };
	struct ss_memory links = ss_model_links_memory(m);
	struct ss_error *err = ss_list_walk(&links, head, MAX_LIST, true,
					    node_entry, &w, count);
	*broken = err != NULL;
	if (!err)
		return NULL;
	if (w.fatal) /* out of memory while recording */
		return w.fatal;
	if (err->code == SS_ERR_NOMEM)
		return err;
	struct ss_error *e2 = NULL;
	if (strcmp(err->message, "stopped") != 0)
		e2 = ss_model_anomaly_add(m, SS_ANOM_LIST, ci, 0, 0,
					  err->address, 0, "%s: %s: %s",
					  m->caches[ci].name, where,
					  err->message);
	ss_error_destroy(err);
	return e2;
}

static struct ss_error *load_nodes(struct ss_model *m, uint32_t ci)
{
	const struct slub_layout *l = &priv(m)->l;
	struct ss_cache *c = &m->caches[ci];
	uint32_t nn = m->mm.nr_node_ids;
	uint64_t *nodes = calloc(nn, sizeof(*nodes));
	if (!nodes)
		return &ss_error_nomem;
	struct ss_error *err = ss_mem_read(m->mem, c->addr + l->kc_node.off,
					   nodes, nn * sizeof(*nodes));
	if (err) {
		free(nodes);
		return err;
	}
	size_t kcn_len = l->kcn_partial.off + 16;
	if (l->kcn_full.present && l->kcn_full.off + 16 > kcn_len)
		kcn_len = l->kcn_full.off + 16;
	if (l->kcn_total_objects.present &&
	    l->kcn_total_objects.off + 8 > kcn_len)
		kcn_len = l->kcn_total_objects.off + 8;
	unsigned char buf[256];
	c->has_node_counts = l->kcn_nr_slabs.present &&
			     l->kcn_total_objects.present;
	for (uint32_t n = 0; n < nn && !err; n++) {
		if (!nodes[n])
			continue;
		if (kcn_len > sizeof(buf)) {
			err = ss_error_create(SS_ERR_CORRUPT,
					      "struct kmem_cache_node too large");
			break;
		}
		err = ss_mem_read(m->mem, nodes[n], buf, kcn_len);
		if (err) {
			struct ss_error *e2 = ss_model_anomaly_add(
				m, SS_ANOM_UNREADABLE, ci, 0, 0, nodes[n], 0,
				"%s: kmem_cache_node %u at 0x%" PRIx64
				" is unreadable: %s",
				c->name, n, nodes[n], err->message);
			ss_error_destroy(err);
			err = e2;
			/* Without this node the sums are not the kernel's:
			 * comparing them with the slabs found would report a
			 * counter-mismatch that is only the unreadable node
			 * (found by tests/unit/test_slub.c). */
			c->has_node_counts = false;
			continue;
		}
		uint64_t nr_partial = ss_field_get(&l->kcn_nr_partial, buf);
		c->node_nr_partial += nr_partial;
		if (c->has_node_counts) {
			c->node_nr_slabs += ss_field_get(&l->kcn_nr_slabs, buf);
			c->node_total_objects +=
				ss_field_get(&l->kcn_total_objects, buf);
		}
		char where[64];
		size_t count = 0;
		bool broken = false;
		snprintf(where, sizeof(where), "node %u partial list", n);
		err = walk_node_list(m, ci, nodes[n] + l->kcn_partial.off,
				     SS_LIST_PARTIAL, where, &count, &broken);
		/* A walk that stopped at a corrupt entry (already a
		 * list-corrupt finding) did not count the whole list: no
		 * second finding from it (found by tests/unit/test_slub.c). */
		if (!err && !broken && count != nr_partial)
			err = ss_model_anomaly_add(
				m, SS_ANOM_COUNTER, ci, 0, 0,
				nodes[n] + l->kcn_nr_partial.off, nr_partial,
				"%s: node %u nr_partial is %" PRIu64
				" but its partial list holds %zu slabs",
				c->name, n, nr_partial, count);
		if (!err && l->kcn_full.present) {
			snprintf(where, sizeof(where), "node %u full list", n);
			err = walk_node_list(m, ci, nodes[n] + l->kcn_full.off,
					     SS_LIST_FULL, where, &count,
					     &broken);
		}
	}
	free(nodes);
	return err;
}

static struct ss_error *slub_load(struct ss_model *m)
{
	struct slub_priv *p = calloc(1, sizeof(*p));
	if (!p)
		return &ss_error_nomem;
	m->priv = p;
	struct ss_dbg *dbg = m->t->dbg;
	struct ss_error *err = slub_layout_resolve(dbg, &p->l);
	if (err)
		return err;
	uint64_t track_size = 0;
	struct ss_error *terr =
		ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "track", &track_size);
	ss_error_destroy(terr);

	struct ss_addrmap by_addr = { 0 };
	/* Read only up to the node pointers that exist: node[] is sized for
	 * MAX_NUMNODES (1024 on distro kernels). */
	struct ss_cache_reader cr = {
		.list_off = p->l.kc_list.off,
		.name_off = p->l.kc_name.off,
		.len = p->l.kc_node.off + 8 * (size_t)m->mm.nr_node_ids,
		.fill = slub_fill_cache,
		.arg = &p->l,
	};
	if (cr.len > p->l.kc_sizeof)
		cr.len = p->l.kc_sizeof;
	err = ss_model_load_caches(m, &cr, &by_addr);
	if (err) {
		ss_addrmap_free(&by_addr);
		return err;
	}
	for (size_t i = 0; i < m->ncaches; i++)
		m->caches[i].track_size = (uint32_t)track_size;

	struct scan sc = { 0 };
	err = scan_pages(m, &sc);
	if (!err)
		err = group_slabs(m, &sc, &by_addr);
	free(sc.v);
	ss_addrmap_free(&by_addr);
	if (err)
		return err;

	for (uint32_t ci = 0; ci < m->ncaches && !err; ci++) {
		struct ss_cache *c = &m->caches[ci];
		if (!slub_layout_sane(c)) {
			err = ss_model_anomaly_add(
				m, SS_ANOM_COUNTER, ci, 0, 0, c->addr, c->size,
				"%s: impossible layout (size %u, object_size "
				"%u, offset %u, red_left_pad %u)",
				c->name, c->size, c->object_size, c->offset,
				c->red_left_pad);
			if (err)
				break;
		}
		err = load_cpu(m, ci);
		if (err && err->code != SS_ERR_NOMEM && err->code != SS_ERR_CORRUPT) {
			/* cpu_slab itself unreadable */
			struct ss_error *e2 = ss_model_anomaly_add(
				m, SS_ANOM_UNREADABLE, ci, 0, 0, c->addr, 0,
				"%s: per-CPU state unreadable: %s", c->name,
				err->message);
			ss_error_destroy(err);
			err = e2;
		}
		if (!err)
			err = load_nodes(m, ci);
		if (err && err->code != SS_ERR_NOMEM && err->code != SS_ERR_CORRUPT) {
			struct ss_error *e2 = ss_model_anomaly_add(
				m, SS_ANOM_UNREADABLE, ci, 0, 0, c->addr, 0,
				"%s: node state unreadable: %s", c->name,
				err->message);
			ss_error_destroy(err);
			err = e2;
		}
		if (!err)
			slub_decide_encoding(m, ci);
	}
	if (err)
		return err;
	slub_infer_encodings(m);

	err = slub_analyse_all(m);
	/* Slabs whose slab_cache is garbage (slab-cache-invalid) belong to
	 * some cache that now counts more slabs than it has: say so there. */
	size_t orphans = 0;
	for (size_t i = 0; i < m->nslabs; i++)
		orphans += m->slabs[i].cache == SS_NO_CACHE;
	/* The allocator's own counters against what the walk found. */
	for (uint32_t ci = 0; ci < m->ncaches && !err; ci++) {
		struct ss_cache *c = &m->caches[ci];
		if (!c->has_node_counts)
			continue;
		bool short_by_orphans = c->node_nr_slabs > c->nslabs &&
					c->node_nr_slabs - c->nslabs <= orphans;
		if (c->node_nr_slabs != c->nslabs)
			err = ss_model_anomaly_add(
				m, SS_ANOM_COUNTER, ci, 0, 0, c->addr,
				c->node_nr_slabs,
				"%s: nodes count %" PRIu64
				" slabs (nr_slabs) but %" PRIu64
				" slab pages belong to the cache%s",
				c->name, c->node_nr_slabs, c->nslabs,
				short_by_orphans
					? "; slabs whose slab_cache is not a "
					  "cache (slab-cache-invalid) may be "
					  "the missing ones"
					: "");
		else if (c->node_total_objects != c->total_objects)
			err = ss_model_anomaly_add(
				m, SS_ANOM_COUNTER, ci, 0, 0, c->addr,
				c->node_total_objects,
				"%s: nodes count %" PRIu64
				" objects (total_objects) but its slabs hold "
				"%" PRIu64,
				c->name, c->node_total_objects,
				c->total_objects);
	}
	return err;
}

static struct ss_error *slub_slab_objects(struct ss_model *m,
					  const struct ss_slab *slab,
					  struct ss_object *out)
{
	size_t idx = (size_t)(slab - m->slabs);
	if (idx >= m->nslabs || slab->cache == SS_NO_CACHE)
		return ss_error_create(SS_ERR_INVALID,
				       "slab 0x%" PRIx64 " has no known cache",
				       slab->page);
	const struct ss_cache *c = &m->caches[slab->cache];
	uint64_t *next = calloc(slab->objects ? slab->objects : 1,
				sizeof(*next));
	if (!next)
		return &ss_error_nomem;
	struct slab_counts cnt;
	struct ss_error *err = slub_analyse_slab(m, idx, NULL, next, false, &cnt);
	if (!err) {
		for (uint32_t i = 0; i < slab->objects; i++) {
			out[i].addr = slab->base + (uint64_t)i * c->size +
				      c->red_left_pad;
			out[i].state = priv(m)->state[i];
			out[i].next = next[i];
		}
	}
	free(next);
	return err;
}

static void slub_destroy(struct ss_model *m)
{
	struct slub_priv *p = m->priv;
	if (!p)
		return;
	free(p->cpu_freelist);
	free(p->cpu_freelist_at);
	free(p->next);
	free(p->buf);
	free(p->state);
	free(p->next_tmp);
	free(p->cand);
	free(p->pointed);
	free(p);
	m->priv = NULL;
}

const struct ss_alloc_ops ss_slub_ops = {
	.name = "SLUB",
	.id = SS_ALLOC_SLUB,
	.load = slub_load,
	.slab_objects = slub_slab_objects,
	.destroy = slub_destroy,
	.region = ss_slub_region,
	.track_place = ss_slub_track_place,
	.verify_bytes = ss_slub_verify_bytes,
	.objects_have_next = true,
};
