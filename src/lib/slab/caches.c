/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The caches on the kernel's slab_caches list, for every allocator model:
 * a bounded, cycle-checked walk; an unreadable kmem_cache or name is an
 * anomaly, not the end of the analysis.  Where the walk breaks off (a
 * filtered dump lacks the page of a kmem_cache: makedumpfile 1.7.8 on
 * 7.x), the entries behind the gap are reached from the list's other end
 * and the caches the slab pages name are read directly.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "model_priv.h"

#define MAX_CACHES 100000

struct cache_collect {
	uint64_t list_off;
	uint64_t *addrs;
	size_t n, cap;
};

static struct ss_error *collect_cache(void *arg, uint64_t entry)
{
	struct cache_collect *cc = arg;
	if (cc->n == cc->cap) {
		size_t ncap = cc->cap ? cc->cap * 2 : 256;
		uint64_t *a = realloc(cc->addrs, ncap * sizeof(*a));
		if (!a)
			return &ss_error_nomem;
		cc->addrs = a;
		cc->cap = ncap;
	}
	cc->addrs[cc->n++] = entry - cc->list_off;
	return NULL;
}

struct ss_error *ss_model_read_name(struct ss_model *m, uint64_t addr,
				  char **ret)
{
	char buf[128];
	size_t len = 0;
	/* Page-bounded chunks: a name ending just before an unmapped page
	 * still reads. */
	while (len < sizeof(buf) - 1) {
		uint64_t a = addr + len;
		size_t chunk = 4096 - (size_t)(a & 4095);
		if (chunk > sizeof(buf) - 1 - len)
			chunk = sizeof(buf) - 1 - len;
		struct ss_error *err = ss_mem_read(m->mem, a, buf + len, chunk);
		if (err)
			return err;
		if (memchr(buf + len, '\0', chunk))
			break;
		len += chunk;
	}
	buf[sizeof(buf) - 1] = '\0';
	/* Cache names are ASCII; a garbage name pointer gives any bytes,
	 * which made the JSON reports fail (json_string() takes only
	 * UTF-8: NULL, "out of memory"; found by tests/fuzz/fuzz_slab.c)
	 * and would send control characters to the terminal. */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	*ret = strdup(buf);
	return *ret ? NULL : &ss_error_nomem;
}

/* The members every allocator's struct kmem_cache has, under the same
 * names: read here, once, for SLUB and SLAB alike. */
struct common_layout {
	struct ss_field list, name, flags, size, object_size, align, refcount,
		ctor;
};

#define C(name) offsetof(struct common_layout, name)
static const struct ss_field_spec common_members[] = {
	{ "kmem_cache", "list", true, C(list) },
	{ "kmem_cache", "name", true, C(name) },
	{ "kmem_cache", "flags", true, C(flags) },
	{ "kmem_cache", "size", true, C(size) },
	{ "kmem_cache", "object_size", true, C(object_size) },
	{ "kmem_cache", "align", false, C(align) },
	{ "kmem_cache", "refcount", false, C(refcount) },
	{ "kmem_cache", "ctor", false, C(ctor) },
};

/* What loading one kmem_cache needs: the common members, the allocator's
 * reader and a buffer of its size. */
struct cache_loader {
	struct common_layout cl;
	const struct ss_cache_reader *r;
	unsigned char *kc;
	size_t cap; /* of m->caches */
};

static struct ss_error *loader_init(struct ss_model *m,
				    const struct ss_cache_reader *r,
				    struct cache_loader *ld)
{
	memset(ld, 0, sizeof(*ld));
	ld->r = r;
	ld->cap = m->ncaches;
	struct ss_error *err = ss_fields_resolve(
		m->t->dbg, common_members,
		sizeof(common_members) / sizeof(common_members[0]), NULL,
		&ld->cl);
	if (err)
		return err;
	ld->kc = malloc(r->len ? r->len : 1);
	return ld->kc ? NULL : &ss_error_nomem;
}

static struct ss_error *grow_caches(struct ss_model *m, struct cache_loader *ld)
{
	if (m->ncaches < ld->cap)
		return NULL;
	size_t ncap = ld->cap ? ld->cap * 2 : 64;
	struct ss_cache *c = realloc(m->caches, ncap * sizeof(*c));
	if (!c)
		return &ss_error_nomem;
	m->caches = c;
	ld->cap = ncap;
	return NULL;
}

/* Add the kmem_cache whose bytes are in ld->kc, at addr, as the next
 * cache. */
static struct ss_error *add_cache(struct ss_model *m, struct cache_loader *ld,
				  uint64_t addr, bool recovered,
				  struct ss_addrmap *by_addr)
{
	const struct common_layout *cl = &ld->cl;
	const unsigned char *kc = ld->kc;
	struct ss_error *err = grow_caches(m, ld);
	if (err)
		return err;
	struct ss_cache *c = &m->caches[m->ncaches];
	memset(c, 0, sizeof(*c));
	c->addr = addr;
	c->ops = m->ops;
	c->recovered = recovered;
	c->bucket_of = SS_NO_CACHE;
	c->fp_encoding = SS_FP_UNDECIDED;
	c->flags =
		ss_flag_map_apply(&m->flag_map, ss_field_get(&cl->flags, kc));
	c->size = (uint32_t)ss_field_get(&cl->size, kc);
	c->object_size = (uint32_t)ss_field_get(&cl->object_size, kc);
	if (cl->align.present)
		c->align = (uint32_t)ss_field_get(&cl->align, kc);
	if (cl->refcount.present)
		c->refcount = (int32_t)ss_field_get(&cl->refcount, kc);
	if (cl->ctor.present)
		c->ctor = ss_field_get(&cl->ctor, kc);
	ld->r->fill(ld->r->arg, kc, c);
	uint64_t name_ptr;
	memcpy(&name_ptr, kc + cl->name.off, 8);
	err = ss_model_read_name(m, name_ptr, &c->name);
	if (err && err->code == SS_ERR_NOMEM)
		return err;
	if (err) {
		c->name = NULL;
		ss_error_destroy(err);
	}
	m->ncaches++;
	if (!c->name) {
		/* Recorded while the cache has no name, so that the message
		 * does not start with one. */
		err = ss_model_record(
			m,
			&(struct ss_anomaly_at){ .kind = SS_FINDING_UNREADABLE,
						 .cache = c,
						 .address = addr + cl->name.off,
						 .found = name_ptr },
			"kmem_cache at 0x%" PRIx64
			": its name pointer 0x%" PRIx64
			" is unreadable (the cache is shown as ?)",
			addr, name_ptr);
		c->name = strdup("?");
		if (!err && !c->name)
			err = &ss_error_nomem;
		if (err)
			return err;
	}
	if (ss_addrmap_put(by_addr, addr, (uint32_t)(m->ncaches - 1)) < 0)
		return &ss_error_nomem;
	return NULL;
}

/* A page the dump filtered out: the list went on in memory the dump
 * lacks (a garbage pointer gives SS_ERR_FAULT or a corrupt link). */
static bool is_gap(const struct ss_error *err)
{
	return err && err->code == SS_ERR_EXCLUDED;
}

struct ss_error *ss_model_load_caches(struct ss_model *m,
				      const struct ss_cache_reader *r,
				      struct ss_addrmap *by_addr)
{
	struct cache_loader ld;
	struct ss_error *err = loader_init(m, r, &ld);
	if (err) {
		free(ld.kc);
		return err;
	}
	uint64_t head;
	err = ss_target_symbol(m->t, "slab_caches", &head);
	if (err) {
		free(ld.kc);
		return ss_error_prepend(err, "finding slab_caches");
	}
	struct cache_collect cc = { .list_off = ld.cl.list.off };
	struct ss_error *walk_err = ss_list_walk(m->mem, head, MAX_CACHES, true,
						 collect_cache, &cc, NULL);
	if (walk_err && walk_err->code != SS_ERR_NOMEM) {
		/* The caches behind the gap or the damage, from the other
		 * end, up to it or an entry the forward walk saw. */
		size_t forward = cc.n;
		struct ss_error *back =
			ss_list_walk_backward(m->mem, head, MAX_CACHES, true,
					      collect_cache, &cc, NULL);
		if (back && back->code == SS_ERR_NOMEM) {
			ss_error_destroy(walk_err);
			walk_err = back;
		} else {
			ss_error_destroy(back);
			for (size_t i = forward; i < cc.n; i++)
				for (size_t j = 0; j < forward; j++)
					if (cc.addrs[j] == cc.addrs[i]) {
						cc.n = i; /* met the front */
						break;
					}
		}
	}
	if (walk_err && walk_err->code == SS_ERR_NOMEM) {
		free(cc.addrs);
		free(ld.kc);
		return walk_err;
	}
	m->gaps.cache_list_incomplete = walk_err != NULL;
	m->caches = calloc(cc.n ? cc.n : 1, sizeof(*m->caches));
	ld.cap = cc.n ? cc.n : 1;
	if (!m->caches)
		err = &ss_error_nomem;
	for (size_t i = 0; i < cc.n && !err; i++) {
		err = ss_mem_read(m->mem, cc.addrs[i], ld.kc, r->len);
		if (err) {
			err = ss_model_record_unreadable(
				m, err,
				(struct ss_anomaly_at){ .object = cc.addrs[i],
							.address =
								cc.addrs[i] },
				"kmem_cache at 0x%" PRIx64
				" on slab_caches is unreadable",
				cc.addrs[i]);
			continue;
		}
		err = add_cache(m, &ld, cc.addrs[i], false, by_addr);
	}
	if (walk_err && !err)
		err = ss_model_record(m,
				      &(struct ss_anomaly_at){
					      .kind = SS_FINDING_LIST_CORRUPT,
					      .address = walk_err->address },
				      "slab_caches list: %s (walked from both "
				      "ends; the caches the slab pages name "
				      "are read directly)",
				      walk_err->message);
	ss_error_destroy(walk_err);
	free(ld.kc);
	free(cc.addrs);
	return err;
}

/*
 * Does the kmem_cache read into kc at addr look like one?  Only asked of
 * caches that slab pages name while slab_caches could not be walked: a
 * garbage slab_cache must stay a slab-cache-invalid finding.  Its sizes
 * must be possible, its name readable, and its list links must point
 * back at it wherever the dump has them.
 */
static bool plausible_cache(struct ss_model *m, const struct cache_loader *ld,
			    uint64_t addr)
{
	const struct common_layout *cl = &ld->cl;
	uint64_t size = ss_field_get(&cl->size, ld->kc);
	uint64_t object_size = ss_field_get(&cl->object_size, ld->kc);
	if (object_size == 0 || object_size > size || size > (64u << 20))
		return false;
	uint64_t name_ptr;
	memcpy(&name_ptr, ld->kc + cl->name.off, 8);
	char *name = NULL;
	struct ss_error *err = ss_model_read_name(m, name_ptr, &name);
	/* A name the dump lacks is no sign of garbage; one that reads must
	 * be a name. */
	bool named = err ? is_gap(err) : name[0] && !strchr(name, '?');
	ss_error_destroy(err);
	free(name);
	if (!named)
		return false;
	uint64_t self = addr + cl->list.off, next, prev, back;
	memcpy(&next, ld->kc + cl->list.off, 8);
	memcpy(&prev, ld->kc + cl->list.off + 8, 8);
	int confirmed = 0, denied = 0;
	err = ss_mem_read(m->mem, next + 8, &back, 8); /* next->prev */
	if (!err)
		back == self ? confirmed++ : denied++;
	ss_error_destroy(err);
	err = ss_mem_read(m->mem, prev, &back, 8); /* prev->next */
	if (!err)
		back == self ? confirmed++ : denied++;
	ss_error_destroy(err);
	return confirmed > 0 || denied == 0;
}

struct ss_error *ss_model_recover_caches(struct ss_model *m,
					 const struct ss_cache_reader *r,
					 struct ss_scan *sc,
					 struct ss_addrmap *by_addr)
{
	if (!m->gaps.cache_list_incomplete)
		return NULL;
	struct cache_loader ld;
	struct ss_error *err = loader_init(m, r, &ld);
	/* Each cache pointer no walked cache has, once: its slab count. */
	struct ss_addrmap seen = { 0 };
	uint64_t *ptrs = NULL;
	uint32_t *nslabs = NULL;
	size_t n = 0;
	if (!err) {
		ptrs = malloc((sc->n ? sc->n : 1) * sizeof(*ptrs));
		nslabs = calloc(sc->n ? sc->n : 1, sizeof(*nslabs));
		if (!ptrs || !nslabs)
			err = &ss_error_nomem;
	}
	for (size_t i = 0; i < sc->n && !err; i++) {
		uint64_t p = sc->v[i].cache_ptr;
		uint32_t k;
		if (!p || ss_addrmap_get(by_addr, p, &k))
			continue;
		int added = ss_addrmap_add(&seen, p, (uint32_t)n, &k);
		if (added < 0)
			err = &ss_error_nomem;
		else if (added)
			ptrs[k = (uint32_t)n++] = p;
		if (!err)
			nslabs[k]++;
	}
	for (size_t i = 0; i < n && !err; i++) {
		struct ss_error *rd =
			ss_mem_read(m->mem, ptrs[i], ld.kc, r->len);
		if (is_gap(rd)) {
			/* Its slabs are the dump's gap, not garbage. */
			if (ss_addrmap_put(&sc->lost, ptrs[i], nslabs[i]) < 0) {
				ss_error_destroy(rd);
				err = &ss_error_nomem;
				break;
			}
			m->gaps.caches_lost++;
			m->gaps.lost_cache_slabs += nslabs[i];
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_DUMP_INCOMPLETE,
					.object = ptrs[i],
					.address = rd->address },
				"%" PRIu32
				" slabs name the kmem_cache at 0x%" PRIx64
				", which is not in the dump (%s): their "
				"objects are not counted",
				nslabs[i], ptrs[i], rd->message);
			ss_error_destroy(rd);
			continue;
		}
		if (rd) {
			ss_error_destroy(rd);
			continue;
		}
		if (plausible_cache(m, &ld, ptrs[i])) {
			err = add_cache(m, &ld, ptrs[i], true, by_addr);
			m->gaps.caches_recovered++;
		}
	}
	ss_addrmap_free(&seen);
	free(ptrs);
	free(nslabs);
	free(ld.kc);
	return err;
}
