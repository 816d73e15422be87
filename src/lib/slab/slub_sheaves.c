/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SLUB's sheaves (7.x, kmem_cache.cpu_sheaves): each CPU keeps arrays of
 * free objects (the main, spare and rcu_free sheaves of its struct
 * slub_percpu_sheaves), and each node a barn of full and empty sheaves.
 * An object in a sheaf is free to its users but still counted in its
 * slab's inuse: it is a state of its own (SS_OBJ_SHEAF).  This file
 * collects them; slub_objects.c classifies.
 *
 * Every pointer and size may be garbage: sizes are bounded by the cache's
 * sheaf_capacity, lists by MAX_BARN, and an entry that is not an object of
 * the cache, or one that is in two sheaves, is a finding.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slub_priv.h"

/* Beyond these a sheaf or a barn is garbage. */
#define MAX_SHEAF 65536
#define MAX_BARN 100000

/* One sheaf at addr (where: "CPU 0's main sheaf", for messages). */
static struct ss_error *load_sheaf(struct ss_model *m, uint32_t ci,
				   uint64_t sheaf, const char *where)
{
	struct slub_priv *p = priv(m);
	const struct slub_layout *l = &p->l;
	const struct ss_cache *c = &m->caches[ci];
	uint32_t size;
	struct ss_error *err =
		ss_mem_read(m->mem, sheaf + l->sh_size.off, &size, 4);
	if (err)
		return ss_model_record_unreadable(
			m, err, (struct ss_anomaly_at){ .cache = c, .address = sheaf },
			"%s at 0x%" PRIx64 " is unreadable", where, sheaf);
	/* objects[size..capacity) keeps the pointers of objects handed out
	 * since: stale, and leaks --unreferenced must not take them for
	 * references. */
	err = ss_model_note_array(m, sheaf + l->sh_objects.off,
				  c->sheaf_capacity &&
						  c->sheaf_capacity <= MAX_SHEAF
					  ? c->sheaf_capacity
				  : size <= MAX_SHEAF ? size
						      : 0);
	if (err || !size)
		return err;
	uint32_t cap = c->sheaf_capacity ? c->sheaf_capacity : MAX_SHEAF;
	uint32_t n = size;
	if (size > cap || size > MAX_SHEAF) {
		err = ss_model_record(
			m,
			&(struct ss_anomaly_at){
				.kind = SS_FINDING_COUNTER_MISMATCH,
				.cache = c,
				.address = sheaf + l->sh_size.off,
				.found = size },
			"%s at 0x%" PRIx64 " holds %u objects, more than its "
			"capacity %u",
			where, sheaf, size, cap);
		if (err)
			return err;
		n = cap < MAX_SHEAF ? cap : MAX_SHEAF;
	}
	uint64_t *objs = malloc((size_t)n * sizeof(*objs));
	if (!objs)
		return &ss_error_nomem;
	err = ss_mem_read(m->mem, sheaf + l->sh_objects.off, objs,
			  (size_t)n * sizeof(*objs));
	if (err) {
		free(objs);
		return ss_model_record_unreadable(
			m, err,
			(struct ss_anomaly_at){ .cache = c,
						.address = sheaf +
							   l->sh_objects.off },
			"%s at 0x%" PRIx64 ": its %u objects are unreadable",
			where, sheaf, n);
	}
	for (uint32_t i = 0; i < n && !err; i++) {
		uint64_t obj = objs[i];
		uint64_t at = sheaf + l->sh_objects.off + 8ULL * i;
		const struct ss_slab *s;
		if (ss_model_object_index(m, ci, obj, &s) < 0) {
			const char *other = s && s->cache != SS_NO_CACHE &&
							    s->cache != ci
						    ? m->caches[s->cache].name
						    : NULL;
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_LIST_CORRUPT,
					.cache = c,
					.slab = s ? s->page : 0,
					.address = at,
					.found = obj },
				"%s at 0x%" PRIx64 " holds 0x%" PRIx64
				" (entry %u), %s%s",
				where, sheaf, obj, i,
				other ? "an object of " : "which is not an "
							  "object of the cache",
				other ? other : "");
			continue;
		}
		uint32_t old;
		int added = ss_addrmap_add(&p->in_sheaf, obj, ci, &old);
		if (added < 0)
			err = &ss_error_nomem;
		else if (!added)
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_DOUBLE_FREE,
					.cache = c,
					.slab = s->page,
					.object = obj,
					.address = at,
					.found = obj },
				"object 0x%" PRIx64 " is in two sheaves (again "
				"in %s at 0x%" PRIx64 "): freed twice",
				obj, where, sheaf);
	}
	free(objs);
	return err;
}

struct barn_walk {
	struct ss_model *m;
	uint32_t ci;
	const char *where;
	struct ss_error *fatal;
};

static struct ss_error *barn_entry(void *arg, uint64_t entry)
{
	struct barn_walk *w = arg;
	uint64_t sheaf = entry - priv(w->m)->l.sh_barn_list.off;
	w->fatal = load_sheaf(w->m, w->ci, sheaf, w->where);
	return w->fatal;
}

/* Node n's barn: its lists of full and of empty sheaves. */
static struct ss_error *load_barn(struct ss_model *m, uint32_t ci, uint32_t n,
				  uint64_t barn)
{
	const struct slub_layout *l = &priv(m)->l;
	const struct ss_field *lists[] = { &l->barn_full, &l->barn_empty };
	const char *names[] = { "full", "empty" };
	struct ss_error *err = NULL;
	for (int k = 0; k < 2 && !err; k++) {
		if (!lists[k]->present || !l->sh_barn_list.present)
			continue;
		char where[64];
		snprintf(where, sizeof(where), "node %u barn's %s sheaf", n,
			 names[k]);
		struct barn_walk w = { .m = m, .ci = ci, .where = where };
		err = ss_list_walk(m->mem, barn + lists[k]->off, MAX_BARN, true,
				   barn_entry, &w, NULL);
		if (!err || err == w.fatal)
			continue;
		err = err->code == SS_ERR_NOMEM
			      ? err
			      : ss_model_record_unreadable(
					m, err,
					(struct ss_anomaly_at){
						.cache = &m->caches[ci] },
					"node %u barn's %s sheaves list", n,
					names[k]);
	}
	return err;
}

struct ss_error *slub_load_sheaves(struct ss_model *m, uint32_t ci)
{
	const struct slub_layout *l = &priv(m)->l;
	struct ss_cache *c = &m->caches[ci];
	uint64_t pcs_ptr;
	struct ss_error *err = ss_mem_read_u64(
		m->mem, c->addr + l->kc_cpu_sheaves.off, &pcs_ptr);
	if (err)
		return err;
	const struct ss_field *kinds[] = { &l->pcs_main, &l->pcs_spare,
					   &l->pcs_rcu_free };
	const char *names[] = { "main", "spare", "rcu_free" };
	for (uint32_t cpu = 0; pcs_ptr && cpu < m->mm.nr_cpu_ids && !err;
	     cpu++) {
		if (!m->mm.cpu_possible[cpu])
			continue;
		uint64_t pcs = pcs_ptr + m->mm.cpu_offset[cpu];
		for (int k = 0; k < 3 && !err; k++) {
			if (!kinds[k]->present)
				continue;
			uint64_t sheaf;
			err = ss_mem_read_u64(m->mem, pcs + kinds[k]->off,
					      &sheaf);
			char where[64];
			snprintf(where, sizeof(where), "CPU %u's %s sheaf", cpu,
				 names[k]);
			if (err)
				err = ss_model_record_unreadable(
					m, err,
					(struct ss_anomaly_at){ .cache = c,
								.address = pcs },
					"%s pointer", where);
			else if (sheaf)
				err = load_sheaf(m, ci, sheaf, where);
		}
	}
	if (err || !l->pn_barn.present)
		return err;
	uint64_t *barns = NULL;
	uint32_t nn = 0;
	err = slub_node_ptrs(m, c, &l->pn_barn, &barns, &nn);
	for (uint32_t n = 0; !err && n < nn; n++)
		if (barns[n])
			err = load_barn(m, ci, n, barns[n]);
	free(barns);
	return err;
}

struct ss_error *slub_sheaf_objects(const struct ss_model *m,
				    struct slub_work *p, struct ss_model *rec,
				    size_t idx, struct ss_slab_counts *cnt)
{
	const struct slub_priv *sp = cpriv(m);
	if (!sp->in_sheaf.len)
		return NULL;
	const struct ss_slab *s = &m->slabs[idx];
	const struct ss_cache *c = &m->caches[s->cache];
	struct ss_error *err = NULL;
	for (uint32_t i = 0; i < s->objects && !err; i++) {
		uint64_t obj = s->base + c->red_left_pad + (uint64_t)i * c->size;
		uint32_t owner;
		if (!ss_addrmap_get(&sp->in_sheaf, obj, &owner) ||
		    owner != s->cache)
			continue;
		if (p->state[i] == ST_UNSET) {
			p->state[i] = SS_OBJ_SHEAF;
			cnt->nsheaf++;
			continue;
		}
		if (rec && (p->state[i] == SS_OBJ_FREE ||
			    p->state[i] == SS_OBJ_CPU_FREE))
			err = ss_model_record(
				rec,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_DOUBLE_FREE,
					.cache = c,
					.slab = s->page,
					.object = obj,
					.address = obj + c->offset,
					.found = obj },
				"object 0x%" PRIx64 " is both in a sheaf and on "
				"its slab's freelist: freed twice",
				obj);
	}
	return err;
}
