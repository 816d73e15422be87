/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SLAB model (CONFIG_SLAB, mm/slab.c): caches from slab_caches, every
 * slab from the page scan, the node lists (partial, full, free), the
 * per-CPU, shared and alien array caches, and each slab's freelist index
 * array: entries [active, num) name its free objects.  Objects in array
 * caches are free too (cpu-free), though their slab counts them active.
 *
 * Every index, count and pointer may be garbage: walks are bounded, and
 * what does not fit is an anomaly.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/readahead.h>

#include "model_priv.h"
#include "mm_slab_layout.h"
#include "slot_priv.h"

#define MAX_AC_ENTRIES 65536

/* Where an object in an array cache was found: in_ac maps the raw slot
 * to cache index << AC_SHIFT | AC_*, so that an object of one cache in
 * another's array cache is not taken for free (found by
 * tests/unit/test_slab.c). */
enum { AC_CPU = 1, AC_SHARED, AC_ALIEN };
#define AC_SHIFT 2
#define AC_OWNER(v) ((v) >> AC_SHIFT)

/* Scratch for classifying one slab: the load keeps one; a query of a
 * loaded (const) model brings its own. */
struct slab_work {
	uint8_t *idx;
	size_t idxcap;
	uint8_t *state;
	size_t statecap;
};

struct slabm_priv {
	struct slab_layout l;
	/* raw object address (slot start) -> owner << AC_SHIFT | AC_* for
	 * objects in array caches */
	struct ss_addrmap in_ac;
	struct slab_work work; /* the load's scratch */
	/* per cache: a node list walk broke off, so the node counters and
	 * "on no list" say nothing new (the list-corrupt finding does) */
	bool *lists_broken;
};

static struct slabm_priv *priv(struct ss_model *m) { return m->priv; }
static const struct slabm_priv *cpriv(const struct ss_model *m)
{
	return m->priv;
}

static void fill_cache(void *arg, const unsigned char *kc, struct ss_cache *c)
{
	const struct slab_layout *l = arg;
	c->objects_per_slab = (uint32_t)ss_field_get(&l->kc_num, kc);
	c->order = (uint32_t)ss_field_get(&l->kc_gfporder, kc);
	/* DEBUG_SLAB: the object starts obj_offset into its slot, after a
	 * red zone word; the generic code calls that the left pad. */
	if (l->kc_obj_offset.present)
		c->red_left_pad = (uint32_t)ss_field_get(&l->kc_obj_offset, kc);
	c->offset = UINT32_MAX; /* no free pointer in objects */
	c->inuse = c->size;
	c->fp_encoding = SS_FP_PLAIN;
}

/* ---- the page scan ---- */

/* A slab head page's SLAB fields: its objects start at s_mem. */
static void slab_scan_slab(struct ss_model *m, const unsigned char *pg,
			   struct ss_scanned_slab *e)
{
	const struct slab_layout *l = &priv(m)->l;
	e->s.base = ss_field_get(&l->sl_s_mem, pg);
	e->s.freelist = ss_field_get(&l->sl_freelist, pg);
	uint64_t active = ss_field_get(&l->sl_active, pg);
	e->s.inuse = active > UINT16_MAX ? UINT16_MAX : (uint16_t)active;
	e->cache_ptr = ss_field_get(&l->sl_slab_cache, pg);
}

/* mm/slab.c: freelist placement flags kept in kmem_cache.flags */
#define CFLGS_OBJFREELIST_SLAB 0x40000000ULL
#define CFLGS_OFF_SLAB 0x80000000ULL

/*
 * SLAB keeps no per-slab object count: kmem_cache.num is every slab's.  A
 * garbage num (0, or more than a slab holds) is one finding at the cache,
 * and the slabs are analysed with what cache_estimate() gives for the
 * cache's order, size and freelist placement, instead of one finding per
 * slab and nothing counted.
 */
static struct ss_error *check_num(struct ss_model *m, uint32_t ci)
{
	const struct slab_layout *l = &priv(m)->l;
	struct ss_cache *c = &m->caches[ci];
	if (!c->size || c->order > MAX_SLAB_ORDER)
		return NULL;
	uint64_t span = m->mm.page_size << c->order;
	uint64_t max = span / c->size;
	if (c->objects_per_slab && c->objects_per_slab <= max)
		return NULL;
	uint64_t est = c->flags & (CFLGS_OBJFREELIST_SLAB | CFLGS_OFF_SLAB)
			       ? span / c->size
			       : span / (c->size + l->idx_size);
	if (est > UINT16_MAX)
		est = 0;
	struct ss_error *err = ss_model_record(
		m,
		&(struct ss_anomaly_at){ .kind = SS_FINDING_COUNTER_MISMATCH,
					 .cache = &m->caches[ci],
					 .address = c->addr + l->kc_num.off,
					 .found = c->objects_per_slab },
		"kmem_cache.num is %u, but an order-%u slab holds at most "
		"%" PRIu64 " objects of %u bytes: analysed as %" PRIu64
		" (cache_estimate)",
		c->objects_per_slab, c->order, max, c->size, est);
	c->objects_per_slab = (uint32_t)est;
	return err;
}

/*
 * DEBUG_SLAB's obj_offset (the generic red_left_pad) puts the object
 * inside its slot: [obj_offset, obj_offset + object_size) within size.  A
 * garbage one put object addresses past their slot and even past their
 * slab's pages (found by tests/unit/test_slab.c): one finding at the
 * cache, and objects taken at their slot start.
 */
static struct ss_error *check_obj_offset(struct ss_model *m, uint32_t ci)
{
	const struct slab_layout *l = &priv(m)->l;
	struct ss_cache *c = &m->caches[ci];
	if (!l->kc_obj_offset.present || !c->size ||
	    (c->red_left_pad < c->size &&
	     c->object_size <= c->size - c->red_left_pad))
		return NULL;
	struct ss_error *err = ss_model_record(
		m,
		&(struct ss_anomaly_at){ .kind = SS_FINDING_COUNTER_MISMATCH,
					 .cache = &m->caches[ci],
					 .address =
						 c->addr + l->kc_obj_offset.off,
					 .found = c->red_left_pad },
		"kmem_cache.obj_offset %u and object_size %u do not fit "
		"its %u-byte objects",
		c->red_left_pad, c->object_size, c->size);
	if (c->red_left_pad >= c->size)
		c->red_left_pad = 0;
	return err;
}

static struct ss_error *slab_check_cache(struct ss_model *m, uint32_t ci)
{
	struct ss_error *err = check_num(m, ci);
	return err ? err : check_obj_offset(m, ci);
}

/* A slab's geometry from its cache: SLAB keeps no per-slab object count. */
static struct ss_error *slab_place_slab(struct ss_model *m, struct ss_slab *s)
{
	const struct slab_layout *l = &priv(m)->l;
	uint32_t ci = s->cache;
	struct ss_error *err = NULL;
	const struct ss_cache *c = &m->caches[ci];
	/* The compound page's order, else the cache's. */
	uint64_t order = s->order != UINT8_MAX ? s->order : c->order;
	if (order > MAX_SLAB_ORDER)
		order = MAX_SLAB_ORDER;
	s->order = (uint8_t)order;
	/* SLAB keeps no per-slab object count: the cache's num. */
	uint64_t num = c->objects_per_slab;
	uint64_t page_start =
		m->mm.page_offset +
		(((s->page - m->mm.vmemmap) / m->mm.struct_page_size)
		 << m->mm.page_shift);
	uint64_t span = m->mm.page_size << order;
	/* Without wrapping: a garbage s_mem near 2^64 plus the
	 * objects' bytes must not come out inside the pages (found
	 * by tests/unit/test_slab.c). */
	if (c->size == 0 || num > UINT16_MAX || s->base < page_start ||
	    s->base - page_start > span ||
	    num * c->size > span - (s->base - page_start)) {
		err = ss_model_record(
			m,
			&(struct ss_anomaly_at){
				.kind = SS_FINDING_COUNTER_MISMATCH,
				.cache = &m->caches[ci],
				.slab = s->page,
				.address = s->page + l->sl_s_mem.off,
				.found = s->base },
			"slab 0x%" PRIx64 " has s_mem 0x%" PRIx64
			", but %" PRIu64 " objects of %u bytes do not "
			"fit in its %" PRIu64 " bytes from 0x%" PRIx64,
			s->page, s->base, num, c->size, span, page_start);
		s->objects = 0;
		return err;
	}
	s->objects = (uint16_t)num;
	if (s->inuse > s->objects)
		err = ss_model_record(
			m,
			&(struct ss_anomaly_at){
				.kind = SS_FINDING_COUNTER_MISMATCH,
				.cache = &m->caches[ci],
				.slab = s->page,
				.address = s->page + l->sl_active.off,
				.found = s->inuse },
			"slab 0x%" PRIx64 " has active %u, more than "
			"its %u objects",
			s->page, s->inuse, s->objects);
	return err;
}

/* ---- node lists ---- */

/* What one node list holds, as its walk adds it up. */
struct list_walk {
	struct ss_model *m;
	uint32_t ci;
	enum ss_slab_list list;
	const char *where;
	uint64_t free_objects; /* num - active over the list's slabs */
	size_t slabs;
	bool broken; /* the walk stopped early */
};

static struct ss_error *list_slab(void *arg, uint32_t idx, enum ss_claim claim)
{
	struct list_walk *w = arg;
	struct ss_model *m = w->m;
	const struct ss_cache *c = &m->caches[w->ci];
	const struct ss_slab *s = &m->slabs[idx];
	w->slabs++;
	if (claim == SS_CLAIM_ORPHAN) {
		/* Its slab_cache is garbage, but it is on this cache's
		 * list: it counts for this node as the kernel counts it. */
		if (c->objects_per_slab >= s->inuse)
			w->free_objects += c->objects_per_slab - s->inuse;
		return NULL;
	}
	if (s->objects >= s->inuse)
		w->free_objects += (uint64_t)s->objects - s->inuse;
	/* The list says how full the slab is: partial strictly between,
	 * full all active, free none. */
	bool ok = w->list == SS_LIST_PARTIAL ? s->inuse > 0 &&
						       s->inuse < s->objects
		  : w->list == SS_LIST_FULL ? s->inuse == s->objects
					     : s->inuse == 0;
	if (ok || !s->objects)
		return NULL;
	return ss_model_record(
		m,
		&(struct ss_anomaly_at){ .kind = SS_FINDING_COUNTER_MISMATCH,
					 .cache = c,
					 .slab = s->page,
					 .address = s->page +
						    priv(m)->l.sl_active.off,
					 .found = s->inuse },
		"slab 0x%" PRIx64 " on the %s has active %u of %u", s->page,
		w->where, s->inuse, s->objects);
}

static struct ss_error *walk_list(struct ss_model *m, uint32_t ci,
				  uint64_t head, enum ss_slab_list list,
				  const char *where, struct list_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->m = m;
	w->ci = ci;
	w->list = list;
	w->where = where;
	return ss_model_walk_slab_list(
		m,
		&(struct ss_slab_list_walk){ .ci = ci,
					     .head = head,
					     .list = list,
					     .where = where,
					     .on_slab = list_slab,
					     .arg = w },
		NULL, &w->broken);
}

/* ---- array caches ---- */

/* Note the entries of the array_cache at ac (kind AC_*). */
static struct ss_error *load_array_cache(struct ss_model *m, uint32_t ci,
					 uint64_t ac, int kind,
					 const char *where)
{
	struct slabm_priv *p = priv(m);
	const struct ss_cache *c = &m->caches[ci];
	uint32_t avail, limit;
	struct ss_error *err = ss_mem_read(m->mem, ac + p->l.ac_avail.off,
					   &avail, 4);
	if (!err)
		err = ss_mem_read(m->mem, ac + p->l.ac_limit.off, &limit, 4);
	if (err)
		return ss_model_record_unreadable(
			m, err,
			(struct ss_anomaly_at){ .cache = c, .address = ac },
			"%s array cache at 0x%" PRIx64 " unreadable", where,
			ac);
	if (avail > limit || avail > MAX_AC_ENTRIES)
		return ss_model_record(
			m,
			&(struct ss_anomaly_at){
				.kind = SS_FINDING_COUNTER_MISMATCH,
				.cache = &m->caches[ci],
				.address = ac + p->l.ac_avail.off,
				.found = avail },
			"%s array cache at 0x%" PRIx64 " has avail %u, limit "
			"%u",
			where, ac, avail, limit);
	/* entry[avail..limit) keeps the pointers of objects handed out
	 * since: stale, and leaks --unreferenced must not take them for
	 * references. */
	err = ss_model_note_array(m, ac + p->l.ac_entry.off,
				  limit <= MAX_AC_ENTRIES ? limit : avail);
	if (err || !avail)
		return err;
	uint64_t *e = malloc(avail * sizeof(*e));
	if (!e)
		return &ss_error_nomem;
	err = ss_mem_read(m->mem, ac + p->l.ac_entry.off, e, avail * 8);
	if (err && err->code != SS_ERR_NOMEM) {
		/* A garbage avail (within a garbage limit) runs entry[] off
		 * the dump: an anomaly like an unreadable header, not the
		 * end of the load (found by fuzz_slab_slab). */
		free(e);
		return ss_model_record_unreadable(
			m, err,
			(struct ss_anomaly_at){
				.cache = c,
				.address = err->address
						   ? err->address
						   : ac + p->l.ac_entry.off,
				.found = avail },
			"%s array cache at 0x%" PRIx64 ": its %u entries "
			"are unreadable",
			where, ac, avail);
	}
	for (uint32_t i = 0; !err && i < avail; i++) {
		uint32_t old;
		int added = ss_addrmap_add(&p->in_ac, e[i] ? e[i] : 1,
					   ci << AC_SHIFT | (uint32_t)kind,
					   &old);
		if (added < 0)
			err = &ss_error_nomem;
		else if (added == 0)
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_DOUBLE_FREE,
					.cache = &m->caches[ci],
					.object = e[i] + c->red_left_pad,
					.address = ac + p->l.ac_entry.off +
						   8ULL * i,
					.found = e[i] },
				"object 0x%" PRIx64 " is in two array "
				"caches (%s and another): freed twice",
				e[i] + c->red_left_pad, where);
	}
	free(e);
	return err;
}

static struct ss_error *load_cache_state(struct ss_model *m, uint32_t ci)
{
	struct slabm_priv *p = priv(m);
	const struct slab_layout *l = &p->l;
	struct ss_cache *c = &m->caches[ci];
	char where[64];
	uint64_t cpu_cache;
	struct ss_error *err = ss_mem_read_u64(
		m->mem, c->addr + l->kc_cpu_cache.off, &cpu_cache);
	for (uint32_t cpu = 0; !err && cpu < m->mm.nr_cpu_ids; cpu++) {
		if (!m->mm.cpu_possible[cpu])
			continue;
		snprintf(where, sizeof(where), "CPU %u", cpu);
		err = load_array_cache(m, ci, cpu_cache + m->mm.cpu_offset[cpu],
				       AC_CPU, where);
	}
	if (err)
		return err;
	/* node[] has MAX_NUMNODES entries: a garbage nr_node_ids must not
	 * read past kmem_cache into whatever follows it. */
	uint32_t nn = m->mm.nr_node_ids;
	if (l->kc_sizeof > l->kc_node.off &&
	    nn > (l->kc_sizeof - l->kc_node.off) / 8)
		nn = (uint32_t)((l->kc_sizeof - l->kc_node.off) / 8);
	uint64_t *nodes = calloc(nn ? nn : 1, sizeof(*nodes));
	if (!nodes)
		return &ss_error_nomem;
	err = ss_mem_read(m->mem, c->addr + l->kc_node.off, nodes, nn * 8);
	if (err && err->code != SS_ERR_NOMEM) {
		/* The kmem_cache itself was read: a fault here is the dump's,
		 * not a reason to give up on every other cache. */
		free(nodes);
		p->lists_broken[ci] = true;
		c->has_node_counts = false;
		return ss_model_record_unreadable(
			m, err,
			(struct ss_anomaly_at){ .cache = c,
						.address = c->addr +
							   l->kc_node.off },
			"kmem_cache node[] unreadable");
	}
	c->has_node_counts = l->kcn_total_slabs.present;
	for (uint32_t n = 0; !err && n < nn; n++) {
		if (!nodes[n])
			continue;
		uint64_t node = nodes[n];
		uint64_t fo, shared, alien, ts = 0, fs = 0;
		err = ss_mem_read_u64(m->mem, node + l->kcn_free_objects.off,
				      &fo);
		if (!err)
			err = ss_mem_read_u64(m->mem, node + l->kcn_shared.off,
					      &shared);
		if (!err && l->kcn_total_slabs.present)
			err = ss_mem_read_u64(m->mem,
					      node + l->kcn_total_slabs.off, &ts);
		if (!err && l->kcn_free_slabs.present)
			err = ss_mem_read_u64(m->mem,
					      node + l->kcn_free_slabs.off, &fs);
		if (err) {
			err = ss_model_record_unreadable(
				m, err,
				(struct ss_anomaly_at){ .cache = c,
							.address = node },
				"kmem_cache_node %u at 0x%" PRIx64
				" unreadable",
				n, node);
			c->has_node_counts = false;
			/* Its lists are unknown: that its slabs are on none
			 * is no news (found by tests/unit/test_slab.c). */
			p->lists_broken[ci] = true;
			continue;
		}
		c->node_nr_slabs += ts;
		uint64_t node_free = 0, node_slabs = 0, node_free_slabs = 0;
		bool node_broken = false;
		static const struct {
			enum ss_slab_list list;
			const char *name;
			size_t off;
		} lists[] = {
			{ SS_LIST_PARTIAL, "partial list",
			  offsetof(struct slab_layout, kcn_slabs_partial) },
			{ SS_LIST_FULL, "full list",
			  offsetof(struct slab_layout, kcn_slabs_full) },
			{ SS_LIST_FREE, "free list",
			  offsetof(struct slab_layout, kcn_slabs_free) },
		};
		for (size_t k = 0; !err && k < 3; k++) {
			const struct ss_field *f =
				(const struct ss_field *)((const char *)l +
							  lists[k].off);
			struct list_walk w;
			snprintf(where, sizeof(where), "node %u %s", n,
				 lists[k].name);
			err = walk_list(m, ci, node + f->off, lists[k].list,
					where, &w);
			node_free += w.free_objects;
			node_slabs += w.slabs;
			if (lists[k].list == SS_LIST_FREE)
				node_free_slabs = w.slabs;
			if (w.broken) {
				p->lists_broken[ci] = true;
				node_broken = true;
			}
			if (lists[k].list == SS_LIST_PARTIAL)
				c->node_nr_partial += w.slabs;
		}
		/* The kernel keeps these per node over that node's lists
		 * (cache_grow_end(), fixup_slab_list(), free_block()):
		 * compared per node, at the counter, so that two nodes'
		 * errors do not cancel out and the finding names the word.
		 * After a broken walk they cannot agree: the list-corrupt
		 * finding is the news, not its consequences. */
		if (!err && !node_broken && fo != node_free)
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_COUNTER_MISMATCH,
					.cache = &m->caches[ci],
					.address =
						node + l->kcn_free_objects.off,
					.found = fo },
				"node %u counts %" PRIu64 " free objects "
				"(free_objects) but its slabs' index arrays "
				"hold %" PRIu64,
				n, fo, node_free);
		if (!err && !node_broken && l->kcn_total_slabs.present &&
		    ts != node_slabs)
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_COUNTER_MISMATCH,
					.cache = &m->caches[ci],
					.address =
						node + l->kcn_total_slabs.off,
					.found = ts },
				"node %u counts %" PRIu64 " slabs "
				"(total_slabs) but its lists hold %" PRIu64,
				n, ts, node_slabs);
		if (!err && !node_broken && l->kcn_free_slabs.present &&
		    fs != node_free_slabs)
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_COUNTER_MISMATCH,
					.cache = &m->caches[ci],
					.address = node + l->kcn_free_slabs.off,
					.found = fs },
				"node %u counts %" PRIu64 " free slabs "
				"(free_slabs) but its free list holds %" PRIu64,
				n, fs, node_free_slabs);
		snprintf(where, sizeof(where), "node %u shared", n);
		if (!err && shared)
			err = load_array_cache(m, ci, shared, AC_SHARED, where);
		if (!err && l->kcn_alien.present && l->alien_ac.present &&
		    nn > 1 &&
		    !(err = ss_mem_read_u64(m->mem, node + l->kcn_alien.off,
					    &alien)) &&
		    alien) {
			for (uint32_t o = 0; !err && o < nn; o++) {
				uint64_t a;
				err = ss_mem_read_u64(m->mem, alien + 8ULL * o,
						      &a);
				snprintf(where, sizeof(where),
					 "node %u alien (node %u)", n, o);
				if (!err && a)
					err = load_array_cache(
						m, ci, a + l->alien_ac.off,
						AC_ALIEN, where);
			}
		}
		if (err)
			err = ss_model_record_unreadable(
				m, err,
				(struct ss_anomaly_at){ .cache = c,
							.address = node },
				"node %u state unreadable", n);
	}
	free(nodes);
	return err;
}

/* ---- objects ---- */

static struct ss_error *ensure(struct slab_work *p, size_t idx_bytes,
			       size_t objects)
{
	if (idx_bytes > p->idxcap) {
		uint8_t *n = realloc(p->idx, idx_bytes);
		if (!n)
			return &ss_error_nomem;
		p->idx = n;
		p->idxcap = idx_bytes;
	}
	if (objects > p->statecap) {
		uint8_t *n = realloc(p->state, objects);
		if (!n)
			return &ss_error_nomem;
		p->state = n;
		p->statecap = objects;
	}
	return NULL;
}

/*
 * The states come from the index array, which may live off the slab (or
 * not be read at all for a full slab), so the slab's own pages may be
 * missing from the dump without the load noticing; the byte checks then
 * skip the slab silently, trusting that the model said so.  Probe a byte
 * of each page the objects span (dumps lose memory by pages) and say so
 * (found by tests/unit/test_slab.c).
 */
static struct ss_error *probe_slab_memory(struct ss_model *m,
					  const struct ss_slab *s,
					  const struct ss_cache *c,
					  struct ss_slab_counts *cnt)
{
	uint64_t len = (uint64_t)s->objects * c->size;
	uint64_t ps = m->mm.page_size ? m->mm.page_size : 4096;
	for (uint64_t at = s->base; len && at < s->base + len;
	     at = (at | (ps - 1)) + 1) {
		uint8_t b;
		struct ss_error *err = ss_mem_read(m->mem, at, &b, 1);
		if (err)
			cnt->unreadable = true;
		if (err)
			return ss_model_record_unreadable(
				m, err,
				(struct ss_anomaly_at){ .cache = c,
							.slab = s->page,
							.address = at },
				"slab 0x%" PRIx64 " memory unreadable",
				s->page);
	}
	return NULL;
}

/*
 * A slab between cache_grow_begin() and cache_grow_end() (mm/slab.c): its
 * page is a slab of the cache with active 0 and its index array being
 * written (cache_init_objs(), with interrupts on when the allocation may
 * block), and it joins a node list, and the node's counters, only in
 * cache_grow_end().  A dump taken meanwhile (seen in a regenerated
 * slab-corrupt fixture: a radix_tree_node slab whose array was still all
 * zeros) holds it on no list: that is the allocator at work, not a lost
 * slab nor objects freed twice.
 */
static bool growing(const struct ss_slab *s)
{
	return s->list == SS_LIST_NONE && s->inuse == 0;
}

/* Whether analyse() reads slab s's index array: a full slab has no free
 * entries to read; with OBJFREELIST_SLAB (the index array kept in a free
 * object) its freelist is NULL. */
static bool reads_index(const struct ss_slab *s)
{
	return s->objects && s->inuse < s->objects;
}

/* Classify the objects of slab si into p->state; rec: the model to add
 * anomalies to (the load), NULL on re-reads; idx: the index array if the
 * caller read it, else NULL. */
static struct ss_error *analyse(const struct ss_model *m, struct slab_work *p,
				struct ss_model *rec, size_t si,
				const unsigned char *idx,
				struct ss_slab_counts *cnt)
{
	const struct slabm_priv *sp = cpriv(m);
	const struct ss_slab *s = &m->slabs[si];
	const struct ss_cache *c = &m->caches[s->cache];
	memset(cnt, 0, sizeof(*cnt));
	uint32_t num = s->objects;
	struct ss_error *err =
		ensure(p, (size_t)num * sp->l.idx_size + 1, num + 1);
	if (err || !num)
		return err;
	memset(p->state, SS_OBJ_ALLOCATED, num);
	if (idx)
		memcpy(p->idx, idx, num * sp->l.idx_size);
	else if (reads_index(s))
		err = ss_mem_read(m->mem, s->freelist, p->idx,
				  num * sp->l.idx_size);
	if (err) {
		memset(p->state, SS_OBJ_UNKNOWN, num);
		cnt->nunknown = num;
		/* Filtered out of the dump, not a garbage pointer: the
		 * dump's gap (gaps.c). */
		cnt->unreadable = err->code == SS_ERR_EXCLUDED;
		return ss_model_record_unreadable(
			rec, err,
			(struct ss_anomaly_at){ .cache = c,
						.slab = s->page,
						.address = s->freelist },
			"slab 0x%" PRIx64 " freelist index array at 0x%" PRIx64
			" unreadable",
			s->page, s->freelist);
	}
	bool broken = false;
	uint32_t active = s->inuse < num ? s->inuse : num;
	/* A slab being grown (growing(): no object handed out, on no list
	 * yet): every object is free, whatever cache_init_objs() has written
	 * of the index array so far (all zeros before it runs). */
	if (growing(s)) {
		memset(p->state, SS_OBJ_FREE, num);
		cnt->nfree = num;
		active = num;
	}
	for (uint32_t k = active; k < num && !err; k++) {
		uint32_t v = sp->l.idx_size == 1
				     ? p->idx[k]
				     : (uint32_t)(p->idx[2 * k] |
						  (p->idx[2 * k + 1] << 8));
		uint64_t at = s->freelist + (uint64_t)k * sp->l.idx_size;
		if (v >= num) {
			broken = true;
			if (rec)
				err = ss_model_record(
					rec,
					&(struct ss_anomaly_at){
						.kind = SS_FINDING_FREEPTR_INVALID,
						.cache = &m->caches[s->cache],
						.slab = s->page,
						.address = at,
						.found = v },
					"slab 0x%" PRIx64 " freelist entry %u "
					"is %u, beyond its %u objects",
					s->page, k, v, num);
			continue;
		}
		if (p->state[v] == SS_OBJ_FREE) {
			broken = true;
			if (rec)
				err = ss_model_record(
					rec,
					&(struct ss_anomaly_at){
						.kind = SS_FINDING_DOUBLE_FREE,
						.cache = &m->caches[s->cache],
						.slab = s->page,
						.object =
							s->base +
							(uint64_t)v * c->size +
							c->red_left_pad,
						.address = at,
						.found = v },
					"slab 0x%" PRIx64 " freelist holds "
					"index %u twice (entry %u): freed twice",
					s->page, v, k);
			continue;
		}
		p->state[v] = SS_OBJ_FREE;
		cnt->nfree++;
	}
	/* Objects in array caches: free to the user, active to the slab.
	 * Only this cache's array caches free its objects: another cache's
	 * holding one is check_ac_entries()' finding. */
	for (uint32_t i = 0; i < num && !err; i++) {
		uint64_t raw = s->base + (uint64_t)i * c->size;
		uint32_t v;
		if (!ss_addrmap_get(&sp->in_ac, raw, &v) ||
		    AC_OWNER(v) != s->cache)
			continue;
		if (p->state[i] == SS_OBJ_FREE) {
			if (rec)
				err = ss_model_record(
					rec,
					&(struct ss_anomaly_at){
						.kind = SS_FINDING_DOUBLE_FREE,
						.cache = &m->caches[s->cache],
						.slab = s->page,
						.object = raw + c->red_left_pad,
						.address = raw,
						.found = raw },
					"object 0x%" PRIx64 " is both free in "
					"its slab and in an array cache: freed "
					"twice",
					raw + c->red_left_pad);
			continue;
		}
		p->state[i] = SS_OBJ_CPU_FREE;
		cnt->ncpu_free++;
	}
	if (err)
		return err;
	/* A bad index leaves one free object unnamed: which is unknown. */
	for (uint32_t i = 0; i < num; i++) {
		if (p->state[i] != SS_OBJ_ALLOCATED)
			continue;
		if (broken) {
			p->state[i] = SS_OBJ_UNKNOWN;
			cnt->nunknown++;
		} else {
			cnt->nallocated++;
		}
	}
	return rec ? probe_slab_memory(rec, s, c, cnt) : NULL;
}

/* Array cache entries that are objects of no slab of their cache. */
static struct ss_error *check_ac_entries(struct ss_model *m)
{
	struct slabm_priv *p = priv(m);
	struct ss_addrmap *map = &p->in_ac;
	struct ss_error *err = NULL;
	for (size_t k = 0; k < map->cap && !err; k++) {
		uint64_t raw = map->keys[k];
		if (!raw)
			continue;
		uint32_t owner = AC_OWNER(map->vals[k]);
		struct ss_whatis w;
		err = ss_model_whatis(m, raw, &w);
		if (err)
			break;
		bool slot = w.in_slab && w.cache != SS_NO_CACHE && w.object &&
			    w.slot == raw;
		if (slot && w.cache == owner)
			continue;
		/* Filed under the cache whose array cache it is (not the
		 * cache of whatever the address hits), so that `check
		 * --cache` of that cache shows it. */
		if (slot)
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_LIST_CORRUPT,
					.cache = &m->caches[owner],
					.slab = w.slab->page,
					.address = raw,
					.found = raw },
				"an array cache holds 0x%" PRIx64
				", an object of %s",
				raw, m->caches[w.cache].name);
		else
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_LIST_CORRUPT,
					.cache = &m->caches[owner],
					.slab = w.slab ? w.slab->page : 0,
					.address = raw,
					.found = raw },
				"an array cache holds %s0x%" PRIx64
				", which is not an object of a slab",
				raw == 1 ? "NULL, " : "", raw == 1 ? 0 : raw);
	}
	return err;
}

static struct ss_error *slab_init(struct ss_model *m,
				  struct ss_cache_reader *cr)
{
	struct slabm_priv *p = calloc(1, sizeof(*p));
	if (!p)
		return &ss_error_nomem;
	m->priv = p;
	struct ss_error *err = slab_layout_resolve(m->t->dbg, &p->l);
	if (err)
		return err;
	m->list_off = p->l.sl_list.off;
	m->slab_cache_off = p->l.sl_slab_cache.off;
	/* s_mem: the first slot, not a reference to its object */
	m->has_self_ptr = p->l.sl_s_mem.present;
	m->self_ptr_off = p->l.sl_s_mem.off;
	*cr = (struct ss_cache_reader){
		.len = p->l.kc_node.off + 8 * (size_t)m->mm.nr_node_ids,
		.fill = fill_cache,
		.arg = &p->l,
	};
	if (cr->len > p->l.kc_sizeof)
		cr->len = p->l.kc_sizeof;
	return NULL;
}

static struct ss_error *slab_load_cache(struct ss_model *m, uint32_t ci)
{
	struct slabm_priv *p = priv(m);
	if (!p->lists_broken) {
		p->lists_broken = calloc(m->ncaches ? m->ncaches : 1, 1);
		if (!p->lists_broken)
			return &ss_error_nomem;
	}
	return load_cache_state(m, ci);
}

/* The index arrays analyse() reads, in slab order, read ahead on the
 * other cores (*ret NULL: read them here). */
static struct ss_error *start_readahead(struct ss_model *m,
					struct ss_readahead **ret)
{
	*ret = NULL;
	if (ss_model_jobs(m) < 2 || !m->mem->fork)
		return NULL;
	struct ss_range *ranges =
		malloc((m->nslabs ? m->nslabs : 1) * sizeof(*ranges));
	if (!ranges)
		return &ss_error_nomem;
	size_t n = 0;
	for (size_t si = 0; si < m->nslabs; si++) {
		const struct ss_slab *s = &m->slabs[si];
		if (s->cache != SS_NO_CACHE && reads_index(s))
			ranges[n++] = (struct ss_range){
				s->freelist,
				(size_t)s->objects * cpriv(m)->l.idx_size
			};
	}
	struct ss_error *err = ss_readahead_start(
		m->mem, ss_model_jobs(m), ranges, n, SS_READAHEAD_WINDOW, ret);
	free(ranges);
	return err;
}

/* Every slab's objects, the slabs on no list, and array cache entries
 * that are no object of their cache. */
static struct ss_error *slab_analyse(struct ss_model *m)
{
	struct ss_readahead *ra = NULL;
	struct ss_error *err = start_readahead(m, &ra);
	for (size_t si = 0; !err && si < m->nslabs; si++) {
		struct ss_slab *s = &m->slabs[si];
		if (s->cache == SS_NO_CACHE)
			continue;
		const unsigned char *idx = NULL;
		if (ra && reads_index(s)) {
			/* A failed read is read again by analyse(), which
			 * reports it: the same error either way. */
			struct ss_error *rerr;
			ss_readahead_next(ra, &idx, &rerr);
			if (rerr) {
				idx = NULL;
				ss_error_destroy(rerr);
			}
		}
		struct ss_slab_counts cnt;
		err = analyse(m, &priv(m)->work, m, si, idx, &cnt);
		if (err)
			break;
		ss_model_account_slab(m, s, &cnt);
		if (s->list == SS_LIST_NONE && !growing(s) &&
		    !priv(m)->lists_broken[s->cache])
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_LIST_CORRUPT,
					.cache = &m->caches[s->cache],
					.slab = s->page,
					.address = s->page },
				"slab 0x%" PRIx64 " is on none of its node's "
				"lists",
				s->page);
	}
	ss_readahead_stop(ra);
	if (!err)
		err = check_ac_entries(m);
	return err;
}

static struct ss_error *slab_slab_objects(const struct ss_model *m, size_t idx,
					  const unsigned char *bytes,
					  struct ss_object *out)
{
	(void)bytes; /* SLAB reads its freelist index array itself */
	struct slab_work w = { 0 };
	struct ss_slab_counts cnt;
	struct ss_error *err = analyse(m, &w, NULL, idx, NULL, &cnt);
	for (uint32_t i = 0; !err && i < m->slabs[idx].objects; i++)
		out[i].state = w.state[i];
	free(w.idx);
	free(w.state);
	return err;
}

static void slab_destroy(struct ss_model *m)
{
	struct slabm_priv *p = m->priv;
	if (!p)
		return;
	ss_addrmap_free(&p->in_ac);
	free(p->lists_broken);
	free(p->work.idx);
	free(p->work.state);
	free(p);
	m->priv = NULL;
}

/* SLAB: per-CPU array caches (cpu_cache, or array[] before 3.x), and
 * kmem_cache_node keeps slabs_partial. */
static bool slab_probe(struct ss_dbg *dbg)
{
	return ss_dbg_has_member(dbg, SS_TYPE_STRUCT, "kmem_cache",
				 "cpu_cache") ||
	       ss_dbg_has_member(dbg, SS_TYPE_STRUCT, "kmem_cache", "array") ||
	       ss_dbg_has_member(dbg, SS_TYPE_STRUCT, "kmem_cache_node",
				 "slabs_partial");
}

const struct ss_alloc_ops ss_slab_ops = {
	.name = "SLAB",
	.id = SS_ALLOC_SLAB,
	.probe = slab_probe,
	.init = slab_init,
	.scan_slab = slab_scan_slab,
	.check_cache = slab_check_cache,
	.place_slab = slab_place_slab,
	.load_cache = slab_load_cache,
	.analyse = slab_analyse,
	.slab_objects = slab_slab_objects,
	.destroy = slab_destroy,
	.region = ss_mm_slab_region,
	.track_place = ss_mm_slab_track_place,
	.verify_bytes = ss_mm_slab_verify_bytes,
	.objects_have_next = false,
};
