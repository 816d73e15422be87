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

/* mm/slab.h SLAB_DEBUG_FLAGS: what kmem_cache_debug_flags() can test. */
#define SLUB_DEBUG_FLAGS                                                       \
	(SS_SLAB_RED_ZONE | SS_SLAB_POISON | SS_SLAB_STORE_USER |              \
	 SS_SLAB_TRACE | SS_SLAB_CONSISTENCY_CHECKS)

/* SLUB's kmem_cache fields into the model's cache. */
static void slub_fill_cache(void *arg, const unsigned char *kc,
			    struct ss_cache *c)
{
	const struct slub_priv *p = arg;
	const struct slub_layout *l = &p->l;
	c->track_size = (uint32_t)p->track_size;
	if (!p->debug_active)
		c->flags &= ~SLUB_DEBUG_FLAGS;
	c->offset = (uint32_t)ss_field_get(&l->kc_offset, kc);
	c->inuse = (uint32_t)ss_field_get(&l->kc_inuse, kc);
	/* fixup_red_left(): objects start red_left_pad into their slot
	 * only while red zones are in effect. */
	if (l->kc_red_left_pad.present && (c->flags & SS_SLAB_RED_ZONE))
		c->red_left_pad = (uint32_t)ss_field_get(&l->kc_red_left_pad, kc);
	uint32_t oo = (uint32_t)ss_field_get(&l->kc_oo, kc);
	/* struct kmem_cache_order_objects: order in the high 16 bits. */
	c->order = oo >> 16;
	c->objects_per_slab = oo & 0xffff;
	if (l->kc_min_partial.present)
		c->min_partial = ss_field_get(&l->kc_min_partial, kc);
	if (l->kc_cpu_partial.present)
		c->cpu_partial = (uint32_t)ss_field_get(&l->kc_cpu_partial, kc);
	if (l->kc_sheaf_capacity.present)
		c->sheaf_capacity =
			(uint32_t)ss_field_get(&l->kc_sheaf_capacity, kc);
	c->has_random = l->kc_random.present;
	if (c->has_random)
		c->random = ss_field_get(&l->kc_random, kc);
}

/* ---- slabs ---- */

/* A slab head page's SLUB fields (struct slab, or struct page before
 * 5.17). */
static void slub_scan_slab(struct ss_model *m, const unsigned char *pg,
			   struct ss_scanned_slab *e)
{
	const struct slub_layout *l = &priv(m)->l;
	e->s.freelist = ss_field_get(&l->sl_freelist, pg);
	e->s.inuse = (uint16_t)ss_field_get(&l->sl_inuse, pg);
	e->s.objects = (uint16_t)ss_field_get(&l->sl_objects, pg);
	e->s.frozen = ss_field_get(&l->sl_frozen, pg) != 0;
	e->cache_ptr = ss_field_get(&l->sl_slab_cache, pg);
	if (l->sl_next.present)
		e->next = ss_field_get(&l->sl_next, pg);
}

static uint8_t order_for(uint64_t bytes, uint64_t page_size)
{
	uint8_t order = 0;
	while ((page_size << order) < bytes && order < MAX_SLAB_ORDER)
		order++;
	return order;
}

/* A slab's objects against what its order can hold. */
static struct ss_error *slub_place_slab(struct ss_model *m, struct ss_slab *s)
{
	struct slub_priv *p = priv(m);
	struct ss_error *err = NULL;
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
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_COUNTER_MISMATCH,
					.cache = &m->caches[s->cache],
					.slab = s->page,
					.address = s->page +
						   p->l.sl_objects.bit_off / 8,
					.found = s->objects },
				"slab 0x%" PRIx64 " claims %u "
				"objects (inuse %u), but its order-%u "
				"pages hold %" PRIu64 " objects of %u "
				"bytes: analysed as %" PRIu64,
				s->page, s->objects, s->inuse, true_order, fit,
				c->size, fit);
		if (s->objects != fit) {
			s->objects = (uint16_t)fit;
			s->counters_bad = true;
		}
		s->order = true_order;
		return err;
	}
	if (bytes > (m->mm.page_size << MAX_SLAB_ORDER)) {
		err = ss_model_record(
			m,
			&(struct ss_anomaly_at){
				.kind = SS_FINDING_COUNTER_MISMATCH,
				.cache = &m->caches[s->cache],
				.slab = s->page,
				.address =
					s->page + p->l.sl_objects.bit_off / 8,
				.found = s->objects },
			"slab 0x%" PRIx64 " claims %u objects of %u "
			"bytes, more than a slab can hold",
			s->page, s->objects, c->size);
		s->objects = 0;
		s->counters_bad = true;
	}
	return err;
}

/* ---- per-CPU and per-node state ---- */

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
	/* NULL plus each CPU's offset is that CPU's per-CPU area, not a
	 * kmem_cache_cpu: its words would be taken for slabs and free
	 * pointers. */
	if (!cpu_slab)
		return ss_model_record(
			m,
			&(struct ss_anomaly_at){
				.kind = SS_FINDING_CACHE_FIELD_INVALID,
				.cache = c,
				.address = c->addr + l->kc_cpu_slab.off,
				.found = 0 },
			"cpu_slab is NULL: no CPU's slab or freelist is known");
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
			err = ss_model_record_unreadable(
				m, err,
				(struct ss_anomaly_at){ .cache = c,
							.address = addr },
				"kmem_cache_cpu of CPU %u at 0x%" PRIx64
				" is unreadable",
				cpu, addr);
			if (err)
				return err;
			continue;
		}
		uint64_t freelist = ss_field_get(&l->kcc_freelist, buf);
		uint64_t slab = ss_field_get(&l->kcc_slab, buf);
		char where[64];
		if (slab) {
			uint32_t idx;
			snprintf(where, sizeof(where), "CPU %u's slab", cpu);
			enum ss_claim cl =
				ss_model_claim_slab(m, ci, slab, SS_LIST_CPU,
						    (int)cpu, where, &idx,
						    &err);
			if (err)
				return err;
			if (cl != SS_CLAIM_REJECTED) {
				p->cpu_freelist[idx] = freelist;
				p->cpu_freelist_at[idx] =
					addr + l->kcc_freelist.off;
			}
		} else if (freelist) {
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_LIST_CORRUPT,
					.cache = &m->caches[ci],
					.object = freelist,
					.address = addr + l->kcc_freelist.off,
					.found = freelist },
				"CPU %u has a freelist 0x%" PRIx64
				" but no slab",
				cpu, freelist);
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
				err = ss_model_record(
					m,
					&(struct ss_anomaly_at){
						.kind = SS_FINDING_LIST_CORRUPT,
						.cache = &m->caches[ci],
						.slab = sp,
						.address = sp },
					"%s is longer than %d slabs", where,
					MAX_CPU_PARTIAL);
				break;
			}
			uint32_t prev_idx = ss_model_slab_index(m, sp);
			if (prev_idx != SS_NO_CACHE &&
			    m->slabs[prev_idx].list == SS_LIST_CPU_PARTIAL &&
			    m->slabs[prev_idx].cache == ci) {
				err = ss_model_record(
					m,
					&(struct ss_anomaly_at){
						.kind = SS_FINDING_LIST_CORRUPT,
						.cache = &m->caches[ci],
						.slab = sp,
						.address = sp },
					"%s loops back to slab 0x%" PRIx64,
					where, sp);
				break;
			}
			enum ss_claim cl = ss_model_claim_slab(
				m, ci, sp, SS_LIST_CPU_PARTIAL, (int)cpu, where,
				&idx, &err);
			if (err || cl == SS_CLAIM_REJECTED)
				break;
			sp = m->slab_next[idx];
		}
		if (err)
			return err;
	}
	return NULL;
}

struct ss_error *slub_node_ptrs(struct ss_model *m, const struct ss_cache *c,
				const struct ss_field *which, uint64_t **ret,
				uint32_t *n_ret)
{
	const struct slub_layout *l = &priv(m)->l;
	uint64_t stride = l->node_stride, off = l->node_array.off;
	uint32_t nn = m->mm.nr_node_ids;
	/* The array has MAX_NUMNODES entries: a garbage nr_node_ids must
	 * not read past kmem_cache into whatever follows it. */
	if (l->kc_sizeof > off && nn > (l->kc_sizeof - off) / stride)
		nn = (uint32_t)((l->kc_sizeof - off) / stride);
	unsigned char *raw = malloc(nn * stride + 1);
	uint64_t *ptrs = calloc(nn + 1, sizeof(*ptrs));
	struct ss_error *err = raw && ptrs ? NULL : &ss_error_nomem;
	if (!err)
		err = ss_mem_read(m->mem, c->addr + off, raw, nn * stride);
	for (uint32_t n = 0; !err && n < nn; n++)
		memcpy(&ptrs[n], raw + n * stride + which->off, 8);
	free(raw);
	if (err) {
		free(ptrs);
		return err;
	}
	*ret = ptrs;
	*n_ret = nn;
	return NULL;
}

static struct ss_error *load_nodes(struct ss_model *m, uint32_t ci)
{
	const struct slub_layout *l = &priv(m)->l;
	struct ss_cache *c = &m->caches[ci];
	uint32_t nn;
	uint64_t *nodes;
	struct ss_error *err = slub_node_ptrs(m, c, &l->pn_node, &nodes, &nn);
	if (err)
		return err;
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
			err = ss_model_record_unreadable(
				m, err,
				(struct ss_anomaly_at){ .cache = c,
							.address = nodes[n] },
				"kmem_cache_node %u at 0x%" PRIx64
				" is unreadable",
				n, nodes[n]);
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
		err = ss_model_walk_slab_list(
			m,
			&(struct ss_slab_list_walk){ .ci = ci,
						     .head = nodes[n] +
							     l->kcn_partial.off,
						     .list = SS_LIST_PARTIAL,
						     .where = where },
			&count, &broken);
		/* A walk that stopped at a corrupt entry (already a
		 * list-corrupt finding) did not count the whole list: no
		 * second finding from it (found by tests/unit/test_slub.c). */
		if (!err && !broken && count != nr_partial)
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_COUNTER_MISMATCH,
					.cache = &m->caches[ci],
					.address = nodes[n] +
						   l->kcn_nr_partial.off,
					.found = nr_partial },
				"node %u nr_partial is %" PRIu64
				" but its partial list holds %zu slabs",
				n, nr_partial, count);
		if (!err && l->kcn_full.present) {
			snprintf(where, sizeof(where), "node %u full list", n);
			err = ss_model_walk_slab_list(
				m,
				&(struct ss_slab_list_walk){
					.ci = ci,
					.head = nodes[n] + l->kcn_full.off,
					.list = SS_LIST_FULL,
					.where = where },
				&count, &broken);
		}
	}
	free(nodes);
	return err;
}

/*
 * Do the caches' debug flags take effect?  Only with CONFIG_SLUB_DEBUG
 * (kmem_cache_node.nr_slabs), and, where the kernel has the static key
 * slub_debug_enabled, only while it is on: kmem_cache_debug_flags() tests
 * it.  Kernels that enable it only for slub_debug= on the command line
 * (5.10) leave a cache created with SLAB_RED_ZONE by a module without red
 * zones, tracks or the left pad that shifts its objects: read from the
 * dump, not assumed (found on the bullseye fixture).
 */
static struct ss_error *debug_in_effect(struct ss_model *m, bool *ret)
{
	*ret = priv(m)->l.kcn_nr_slabs.present;
	uint64_t key;
	struct ss_error *err =
		ss_target_symbol(m->t, "slub_debug_enabled", &key);
	if (err && err->code == SS_ERR_NOTFOUND) {
		ss_error_destroy(err);
		return NULL; /* before the static key: the flags decide */
	}
	struct ss_field enabled;
	if (!err)
		err = ss_field_resolve(m->t->dbg, "static_key", "enabled", true,
				       &enabled);
	int32_t on = 0;
	if (!err)
		err = ss_mem_read(m->mem, key + enabled.off, &on, 4);
	if (!err)
		*ret = *ret && on > 0;
	return err ? ss_error_prepend(err, "reading slub_debug_enabled") : NULL;
}

static struct ss_error *slub_init(struct ss_model *m,
				  struct ss_cache_reader *cr)
{
	struct slub_priv *p = calloc(1, sizeof(*p));
	if (!p)
		return &ss_error_nomem;
	m->priv = p;
	struct ss_dbg *dbg = m->t->dbg;
	struct ss_error *err = slub_layout_resolve(dbg, &p->l);
	if (err)
		return err;
	struct ss_error *terr =
		ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "track", &p->track_size);
	ss_error_destroy(terr);
	err = debug_in_effect(m, &p->debug_active);
	if (err)
		return err;
	m->list_off = p->l.sl_list.off;
	m->slab_cache_off = p->l.sl_slab_cache.off;
	/* Read only up to the node pointers that exist: node[] is sized for
	 * MAX_NUMNODES (1024 on distro kernels). */
	*cr = (struct ss_cache_reader){
		.len = p->l.node_array.off +
		       p->l.node_stride * (size_t)m->mm.nr_node_ids,
		.fill = slub_fill_cache,
		.arg = p,
	};
	if (cr->len > p->l.kc_sizeof)
		cr->len = p->l.kc_sizeof;
	return NULL;
}

/*
 * kmem_cache fields checked before they are used, each by what the
 * allocator makes of it (calculate_sizes(), oo_make()), with a finding
 * that names the field: object_size 0, an oo whose objects do not fit its
 * order (or none), an inuse outside [object_size, size].  size, offset
 * and red_left_pad are slub_layout_sane()'s.
 */
static struct ss_error *slub_check_fields(struct ss_model *m, uint32_t ci)
{
	struct ss_cache *c = &m->caches[ci];
	const struct slub_layout *l = &priv(m)->l;
	struct ss_anomaly_at at = { .kind = SS_FINDING_CACHE_FIELD_INVALID,
				    .cache = c };
	struct ss_error *err = NULL;
	if (c->object_size == 0) {
		at.address = c->addr;
		at.found = 0;
		err = ss_model_record(m, &at, "object_size is 0");
	}
	uint64_t slab_bytes =
		c->order <= MAX_SLAB_ORDER ? m->mm.page_size << c->order : 0;
	if (!err && (c->objects_per_slab == 0 || !slab_bytes ||
		     (c->size &&
		      (uint64_t)c->objects_per_slab * c->size > slab_bytes))) {
		at.address = c->addr + l->kc_oo.off;
		at.found = ((uint64_t)c->order << 16) | c->objects_per_slab;
		err = ss_model_record(
			m, &at,
			"oo is 0x%" PRIx64 " (order %u, %u objects): %s",
			at.found, c->order, c->objects_per_slab,
			c->objects_per_slab == 0 ? "no objects"
			: !slab_bytes		 ? "no slab has that order"
				      : "more objects than its pages hold");
	}
	if (!err && l->kc_inuse.present &&
	    (c->inuse < c->object_size || c->inuse > c->size)) {
		at.address = c->addr + l->kc_inuse.off;
		at.found = c->inuse;
		err = ss_model_record(m, &at,
				      "inuse is %u, outside object_size %u "
				      "and size %u",
				      c->inuse, c->object_size, c->size);
	}
	return err;
}

static struct ss_error *slub_load_cache(struct ss_model *m, uint32_t ci)
{
	struct slub_priv *p = priv(m);
	struct ss_cache *c = &m->caches[ci];
	struct ss_error *err = NULL;
	if (!p->cpu_freelist) {
		size_t n = m->nslabs ? m->nslabs : 1;
		p->cpu_freelist = calloc(n, sizeof(*p->cpu_freelist));
		p->cpu_freelist_at = calloc(n, sizeof(*p->cpu_freelist_at));
		if (!p->cpu_freelist || !p->cpu_freelist_at)
			return &ss_error_nomem;
	}
	err = slub_check_fields(m, ci);
	if (err)
		return err;
	if (!slub_layout_sane(c)) {
		err = ss_model_record(
			m,
			&(struct ss_anomaly_at){
				.kind = SS_FINDING_CACHE_FIELD_INVALID,
				.cache = &m->caches[ci],
				.address = c->addr,
				.found = c->size },
			"impossible layout (size %u, object_size "
			"%u, offset %u, red_left_pad %u)",
			c->size, c->object_size, c->offset, c->red_left_pad);
		if (err)
			return err;
	}
	/* A read that failed here (cpu_slab itself, node[]) is the dump's,
	 * not a reason to give up on every other cache. */
	err = p->l.kc_cpu_slab.present ? load_cpu(m, ci)
				       : slub_load_sheaves(m, ci);
	if (err && err->code != SS_ERR_CORRUPT)
		err = ss_model_record_unreadable(
			m, err,
			(struct ss_anomaly_at){ .cache = c,
						.address = c->addr },
			"per-CPU state unreadable");
	if (!err)
		err = load_nodes(m, ci);
	if (err && err->code != SS_ERR_CORRUPT)
		err = ss_model_record_unreadable(
			m, err,
			(struct ss_anomaly_at){ .cache = c,
						.address = c->addr },
			"node state unreadable");
	if (!err)
		slub_decide_encoding(m, ci);
	return err;
}

static struct ss_error *slub_analyse(struct ss_model *m)
{
	slub_infer_encodings(m);
	struct ss_error *err = slub_analyse_all(m);
	/* Slabs whose slab_cache is garbage (slab-cache-invalid) belong to
	 * some cache that now counts more slabs than it has: say so there. */
	size_t orphans = 0;
	for (size_t i = 0; i < m->nslabs; i++)
		orphans += m->slabs[i].cache == SS_NO_CACHE &&
			   m->slabs[i].list != SS_LIST_KFENCE;
	/* The allocator's own counters against what the walk found. */
	for (uint32_t ci = 0; ci < m->ncaches && !err; ci++) {
		struct ss_cache *c = &m->caches[ci];
		if (!c->has_node_counts)
			continue;
		bool short_by_orphans = c->node_nr_slabs > c->nslabs &&
					c->node_nr_slabs - c->nslabs <= orphans;
		/* With struct pages missing from the dump, the slabs the
		 * scan could not see are the dump's gap (gaps.c says so). */
		if (c->node_nr_slabs > c->nslabs &&
		    m->gaps.struct_pages_missing) {
			c->missing_slabs = c->node_nr_slabs - c->nslabs;
			continue;
		}
		if (c->node_nr_slabs != c->nslabs)
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_COUNTER_MISMATCH,
					.cache = &m->caches[ci],
					.address = c->addr,
					.found = c->node_nr_slabs },
				"nodes count %" PRIu64
				" slabs (nr_slabs) but %" PRIu64
				" slab pages belong to the cache%s",
				c->node_nr_slabs, c->nslabs,
				short_by_orphans
					? "; slabs whose slab_cache is not a "
					  "cache (slab-cache-invalid) may be "
					  "the missing ones"
					: "");
		else if (c->node_total_objects != c->total_objects)
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_COUNTER_MISMATCH,
					.cache = &m->caches[ci],
					.address = c->addr,
					.found = c->node_total_objects },
				"nodes count %" PRIu64
				" objects (total_objects) but its slabs hold "
				"%" PRIu64,
				c->node_total_objects, c->total_objects);
	}
	return err;
}

static struct ss_error *slub_slab_objects(const struct ss_model *m, size_t idx,
					  const unsigned char *bytes,
					  struct ss_object *out)
{
	const struct ss_slab *slab = &m->slabs[idx];
	uint64_t *next = calloc(slab->objects ? slab->objects : 1,
				sizeof(*next));
	if (!next)
		return &ss_error_nomem;
	struct slub_work w = { 0 };
	struct ss_slab_counts cnt;
	struct ss_error *err =
		slub_analyse_slab(m, &w, NULL, idx, bytes, next, &cnt);
	for (uint32_t i = 0; !err && i < slab->objects; i++) {
		out[i].state = w.state[i];
		out[i].next = next[i];
	}
	slub_work_deinit(&w);
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
	slub_work_deinit(&p->work);
	ss_addrmap_free(&p->in_sheaf);
	free(p);
	m->priv = NULL;
}

/* SLUB: kmem_cache has per-CPU kmem_cache_cpu (cpu_slab) or, since 7.x,
 * per-CPU sheaves (cpu_sheaves). */
static bool slub_probe(struct ss_dbg *dbg)
{
	return ss_dbg_has_member(dbg, SS_TYPE_STRUCT, "kmem_cache",
				 "cpu_slab") ||
	       ss_dbg_has_member(dbg, SS_TYPE_STRUCT, "kmem_cache",
				 "cpu_sheaves");
}

static void slub_describe(struct ss_dbg *dbg, struct ss_info *info)
{
	info->slub_options = true;
	info->freelist_hardened =
		ss_dbg_has_member(dbg, SS_TYPE_STRUCT, "kmem_cache", "random");
	info->slub_debug = ss_dbg_has_member(dbg, SS_TYPE_STRUCT,
					     "kmem_cache_node", "nr_slabs");
}

const struct ss_alloc_ops ss_slub_ops = {
	.name = "SLUB",
	.id = SS_ALLOC_SLUB,
	.probe = slub_probe,
	.describe = slub_describe,
	.init = slub_init,
	.scan_slab = slub_scan_slab,
	.place_slab = slub_place_slab,
	.load_cache = slub_load_cache,
	.analyse = slub_analyse,
	.slab_objects = slub_slab_objects,
	.destroy = slub_destroy,
	.region = ss_slub_region,
	.track_place = ss_slub_track_place,
	.verify_bytes = ss_slub_verify_bytes,
	.objects_have_next = true,
};
