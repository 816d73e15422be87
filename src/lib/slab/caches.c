/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The caches on the kernel's slab_caches list, for every allocator model:
 * a bounded, cycle-checked walk; an unreadable kmem_cache or name is an
 * anomaly, not the end of the analysis.
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

struct ss_error *ss_model_load_caches(struct ss_model *m,
				     const struct ss_cache_reader *r,
				     struct ss_addrmap *by_addr)
{
	struct common_layout cl;
	memset(&cl, 0, sizeof(cl));
	struct ss_error *err = ss_fields_resolve(
		m->t->dbg, common_members,
		sizeof(common_members) / sizeof(common_members[0]), NULL, &cl);
	if (err)
		return err;
	uint64_t head;
	err = ss_target_symbol(m->t, "slab_caches", &head);
	if (err)
		return ss_error_prepend(err, "finding slab_caches");
	struct cache_collect cc = { .list_off = cl.list.off };
	struct ss_error *walk_err = ss_list_walk(m->mem, head, MAX_CACHES, true,
						 collect_cache, &cc, NULL);
	if (walk_err && walk_err->code == SS_ERR_NOMEM) {
		free(cc.addrs);
		return walk_err;
	}
	m->caches = calloc(cc.n ? cc.n : 1, sizeof(*m->caches));
	if (!m->caches) {
		free(cc.addrs);
		ss_error_destroy(walk_err);
		return &ss_error_nomem;
	}
	size_t kc_len = r->len;
	unsigned char *kc = malloc(kc_len);
	if (!kc) {
		free(cc.addrs);
		ss_error_destroy(walk_err);
		return &ss_error_nomem;
	}
	for (size_t i = 0; i < cc.n; i++) {
		err = ss_mem_read(m->mem, cc.addrs[i], kc, kc_len);
		if (err) {
			err = ss_model_record_unreadable(
				m, err,
				(struct ss_anomaly_at){ .object = cc.addrs[i],
							.address =
								cc.addrs[i] },
				"kmem_cache at 0x%" PRIx64
				" on slab_caches is unreadable",
				cc.addrs[i]);
			if (err)
				goto fail;
			continue;
		}
		struct ss_cache *c = &m->caches[m->ncaches];
		memset(c, 0, sizeof(*c));
		c->addr = cc.addrs[i];
		c->ops = m->ops;
		c->fp_encoding = SS_FP_UNDECIDED;
		c->flags = ss_flag_map_apply(&m->flag_map,
					     ss_field_get(&cl.flags, kc));
		c->size = (uint32_t)ss_field_get(&cl.size, kc);
		c->object_size = (uint32_t)ss_field_get(&cl.object_size, kc);
		if (cl.align.present)
			c->align = (uint32_t)ss_field_get(&cl.align, kc);
		if (cl.refcount.present)
			c->refcount = (int32_t)ss_field_get(&cl.refcount, kc);
		if (cl.ctor.present)
			c->ctor = ss_field_get(&cl.ctor, kc);
		r->fill(r->arg, kc, c);
		uint64_t name_ptr;
		memcpy(&name_ptr, kc + cl.name.off, 8);
		err = ss_model_read_name(m, name_ptr, &c->name);
		if (err && err->code == SS_ERR_NOMEM)
			goto fail;
		if (err) {
			c->name = NULL;
			ss_error_destroy(err);
			err = NULL;
		}
		m->ncaches++;
		if (!c->name) {
			/* Recorded while the cache has no name, so that the
			 * message does not start with one. */
			err = ss_model_record(
				m,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_UNREADABLE,
					.cache = c,
					.address = cc.addrs[i] + cl.name.off,
					.found = name_ptr },
				"kmem_cache at 0x%" PRIx64
				": its name pointer 0x%" PRIx64
				" is unreadable (the cache is shown as ?)",
				cc.addrs[i], name_ptr);
			c->name = strdup("?");
			if (!err && !c->name)
				err = &ss_error_nomem;
			if (err)
				goto fail;
		}
		if (ss_addrmap_put(by_addr, c->addr,
				   (uint32_t)(m->ncaches - 1)) < 0) {
			err = &ss_error_nomem;
			goto fail;
		}
	}
	if (walk_err) {
		err = ss_model_record(m,
				      &(struct ss_anomaly_at){
					      .kind = SS_FINDING_LIST_CORRUPT,
					      .address = walk_err->address },
				      "slab_caches list: %s",
				      walk_err->message);
		ss_error_destroy(walk_err);
		walk_err = NULL;
		if (err)
			goto fail;
	}
	free(kc);
	free(cc.addrs);
	return NULL;
fail:
	ss_error_destroy(walk_err);
	free(kc);
	free(cc.addrs);
	return err;
}

