/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The allocator-independent part of the slab model. */
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_priv.h"

const char *ss_obj_state_name(enum ss_obj_state s)
{
	switch (s) {
	case SS_OBJ_ALLOCATED: return "allocated";
	case SS_OBJ_FREE: return "free";
	case SS_OBJ_CPU_FREE: return "cpu-free";
	case SS_OBJ_UNKNOWN: return "unknown";
	case SS_OBJ_SHEAF: return "sheaf";
	}
	return "?";
}

bool ss_obj_state_is_free(enum ss_obj_state s)
{
	return s == SS_OBJ_FREE || s == SS_OBJ_CPU_FREE || s == SS_OBJ_SHEAF;
}

const char *ss_slab_list_name(enum ss_slab_list l)
{
	switch (l) {
	case SS_LIST_NONE: return "full-untracked";
	case SS_LIST_CPU: return "cpu";
	case SS_LIST_CPU_PARTIAL: return "cpu-partial";
	case SS_LIST_PARTIAL: return "partial";
	case SS_LIST_FULL: return "full";
	case SS_LIST_FREE: return "free";
	case SS_LIST_KFENCE: return "kfence";
	}
	return "?";
}

const char *ss_fp_encoding_name(enum ss_fp_encoding e)
{
	switch (e) {
	case SS_FP_PLAIN: return "plain";
	case SS_FP_XOR: return "xor";
	case SS_FP_XOR_SWAB: return "xor-swab";
	case SS_FP_UNDECIDED: return "undecided";
	}
	return "?";
}

const char *ss_region_name(enum ss_region r)
{
	switch (r) {
	case SS_REGION_NONE: return "none";
	case SS_REGION_LEFT_REDZONE: return "left-redzone";
	case SS_REGION_PAYLOAD: return "payload";
	case SS_REGION_RIGHT_REDZONE: return "right-redzone";
	case SS_REGION_FREEPTR: return "freeptr";
	case SS_REGION_TRACK: return "track";
	case SS_REGION_PADDING: return "padding";
	case SS_REGION_SLAB_TAIL: return "slab-tail";
	}
	return "?";
}

struct ss_error *ss_model_record(struct ss_model *m,
				 const struct ss_anomaly_at *at,
				 const char *fmt, ...)
{
	if (m->nanomalies == m->anomalies_cap) {
		size_t ncap = m->anomalies_cap ? m->anomalies_cap * 2 : 16;
		struct ss_anomaly *n =
			realloc(m->anomalies, ncap * sizeof(*n));
		if (!n)
			return &ss_error_nomem;
		m->anomalies = n;
		m->anomalies_cap = ncap;
	}
	/* A pointer into m->caches, or none. */
	uint32_t ci = SS_NO_CACHE;
	if (at->cache && at->cache >= m->caches &&
	    at->cache < m->caches + m->ncaches)
		ci = (uint32_t)(at->cache - m->caches);
	struct ss_anomaly *a = &m->anomalies[m->nanomalies];
	memset(a, 0, sizeof(*a));
	a->kind = at->kind;
	a->cache = ci;
	a->slab = at->slab;
	a->object = at->object;
	a->address = at->address;
	a->found = at->found;
	char *msg;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return &ss_error_nomem;
	const char *name = ci == SS_NO_CACHE ? NULL : m->caches[ci].name;
	if (!name) {
		a->message = msg;
	} else {
		n = asprintf(&a->message, "%s: %s", name, msg);
		free(msg);
		if (n < 0)
			return &ss_error_nomem;
	}
	if (ci != SS_NO_CACHE)
		m->caches[ci].problems++;
	m->nanomalies++;
	return NULL;
}

struct ss_error *ss_model_record_unreadable(struct ss_model *m,
					    struct ss_error *err,
					    struct ss_anomaly_at at,
					    const char *fmt, ...)
{
	if (!err || err->code == SS_ERR_NOMEM)
		return err;
	struct ss_error *ret = NULL;
	char *what;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&what, fmt, ap);
	va_end(ap);
	if (n < 0) {
		ret = &ss_error_nomem;
	} else if (m) {
		at.kind = SS_FINDING_UNREADABLE;
		if (!at.address)
			at.address = err->address;
		ret = ss_model_record(m, &at, "%s: %s", what, err->message);
	}
	free(what);
	ss_error_destroy(err);
	return ret;
}

static struct ss_error *links_read(void *arg, uint64_t addr, void *buf,
				   size_t len)
{
	struct ss_model *m = arg;
	uint64_t sps = m->mm.struct_page_size;
	if (len == 8 && m->list_next && addr >= m->mm.vmemmap &&
	    (addr - m->mm.vmemmap) / sps < m->mm.max_pfn) {
		uint64_t page = addr - (addr - m->mm.vmemmap) % sps;
		uint64_t off = addr - page;
		uint32_t idx = ss_model_slab_index(m, page);
		if (idx != SS_NO_CACHE && off == m->list_off) {
			memcpy(buf, &m->list_next[idx], 8);
			return NULL;
		}
		if (idx != SS_NO_CACHE && off == m->list_off + 8) {
			memcpy(buf, &m->list_prev[idx], 8);
			return NULL;
		}
	}
	return ss_mem_read(m->mem, addr, buf, len);
}

struct ss_memory ss_model_links_memory(struct ss_model *m)
{
	struct ss_memory mem = { .read = links_read, .arg = m };
	return mem;
}

void ss_model_anomaly_drop_last(struct ss_model *m)
{
	if (!m->nanomalies)
		return;
	struct ss_anomaly *a = &m->anomalies[--m->nanomalies];
	if (a->cache != SS_NO_CACHE && a->cache < m->ncaches &&
	    m->caches[a->cache].problems)
		m->caches[a->cache].problems--;
	free(a->message);
}

struct ss_error *ss_model_orphan_seen(struct ss_model *m, uint64_t slab,
				      uint32_t ci, const char *where)
{
	if (ci >= m->ncaches)
		return NULL;
	for (size_t i = m->nanomalies; i-- > 0;) {
		struct ss_anomaly *a = &m->anomalies[i];
		if (a->kind != SS_FINDING_SLAB_CACHE_INVALID ||
		    a->slab != slab || a->cache != SS_NO_CACHE)
			continue;
		char *msg;
		if (asprintf(&msg,
			     "%s; it is on the %s of %s, so most likely one "
			     "of its slabs",
			     a->message, where, m->caches[ci].name) < 0)
			return &ss_error_nomem;
		free(a->message);
		a->message = msg;
		a->cache = ci;
		m->caches[ci].problems++;
		return NULL;
	}
	return NULL;
}

uint32_t ss_model_slab_index(const struct ss_model *m, uint64_t page)
{
	uint32_t idx;
	return ss_addrmap_get(&m->slab_by_page, page, &idx) ? idx
							    : SS_NO_CACHE;
}

/* The allocators slabscope models, tried in order. */
static const struct ss_alloc_ops *const allocators[] = {
	&ss_slub_ops,
	&ss_slab_ops,
};

static const struct ss_alloc_ops *find_allocator(struct ss_dbg *dbg)
{
	for (size_t i = 0; i < sizeof(allocators) / sizeof(allocators[0]); i++)
		if (allocators[i]->probe(dbg))
			return allocators[i];
	return NULL;
}

void ss_describe_allocator(struct ss_dbg *dbg, struct ss_info *info)
{
	const struct ss_alloc_ops *ops = find_allocator(dbg);
	info->allocator = ops ? ops->id : SS_ALLOC_UNKNOWN;
	if (ops && ops->describe)
		ops->describe(dbg, info);
}

/* Where KFENCE's object pages start (CONFIG_KFENCE, enabled at boot), or
 * 0: __kfence_pool. */
static struct ss_error *read_kfence_pool(struct ss_model *m)
{
	uint64_t sym;
	struct ss_error *err = ss_target_symbol(m->t, "__kfence_pool", &sym);
	if (err && err->code == SS_ERR_NOTFOUND) {
		ss_error_destroy(err);
		return NULL;
	}
	if (!err)
		err = ss_mem_read_u64(m->mem, sym, &m->kfence_pool);
	if (err && err->code != SS_ERR_NOMEM) {
		/* Unreadable: KFENCE pages then look like what they are to
		 * the allocator, one-object slabs (counter findings). */
		ss_error_destroy(err);
		m->kfence_pool = 0;
		return NULL;
	}
	return err;
}

/* The load, the same for every allocator: see struct ss_alloc_ops. */
static struct ss_error *load(struct ss_model *m)
{
	struct ss_cache_reader cr;
	struct ss_error *err = ss_target_mm_facts(m->t, &m->mm);
	if (!err)
		err = ss_page_layout_resolve(m->t->dbg, &m->page);
	if (!err)
		err = ss_flag_map_resolve(m->t->dbg, &m->flag_map);
	if (!err)
		err = read_kfence_pool(m);
	if (!err)
		err = m->ops->init(m, &cr);
	if (err)
		return err;
	struct ss_addrmap by_addr = { 0 };
	struct ss_scan sc = { 0 };
	err = ss_model_load_caches(m, &cr, &by_addr);
	if (!err)
		err = ss_model_scan_slabs(m, &sc);
	if (!err)
		err = ss_model_recover_caches(m, &cr, &sc, &by_addr);
	if (!err)
		err = ss_model_group_slabs(m, &sc, &by_addr);
	ss_hugemem_free(sc.v);
	ss_addrmap_free(&sc.lost);
	for (uint32_t ci = 0; ci < m->ncaches && !err; ci++)
		err = m->ops->load_cache(m, ci);
	if (!err)
		err = m->ops->analyse(m);
	if (!err)
		err = ss_model_sum_gaps(m);
	if (!err)
		err = ss_model_label_buckets(m, &by_addr);
	ss_addrmap_free(&by_addr);
	if (!err)
		err = ss_model_read_aliases(m);
	if (!err && m->mm.kernel_max_pfn != m->mm.max_pfn) {
		uint64_t at = 0;
		ss_error_destroy(ss_target_symbol(m->t, "max_pfn", &at));
		err = ss_model_record(
			m,
			&(struct ss_anomaly_at){
				.kind = SS_FINDING_COUNTER_MISMATCH,
				.address = at,
				.found = m->mm.kernel_max_pfn },
			"max_pfn is %" PRIu64 ", but the dump holds page "
			"frames "
			"below %" PRIu64 ": scanned those",
			m->mm.kernel_max_pfn, m->mm.max_pfn);
	}
	return err;
}

struct ss_error *ss_model_load(const struct ss_target *t,
			       const struct ss_model_options *opts,
			       struct ss_model **ret)
{
	struct ss_model *m = calloc(1, sizeof(*m));
	if (!m)
		return &ss_error_nomem;
	m->t = t;
	m->mem = t->mem;
	if (opts)
		m->opts = *opts;
	if (!m->opts.jobs)
		m->opts.jobs = ss_jobs_default();
	m->ops = find_allocator(t->dbg);
	if (!m->ops) {
		free(m);
		return ss_error_create(SS_ERR_MISSING,
				       "%s: the kernel's slab allocator is "
				       "neither SLUB nor a SLAB this version "
				       "supports",
				       t->name);
	}
	struct ss_error *err = load(m);
	if (err) {
		ss_model_destroy(m);
		return err;
	}
	*ret = m;
	return NULL;
}

void ss_model_destroy(struct ss_model *m)
{
	if (!m)
		return;
	if (m->ops && m->ops->destroy)
		m->ops->destroy(m);
	for (size_t i = 0; i < m->ncaches; i++)
		free(m->caches[i].name);
	free(m->caches);
	ss_hugemem_free(m->slabs);
	ss_hugemem_free(m->list_next);
	ss_hugemem_free(m->list_prev);
	ss_hugemem_free(m->slab_next);
	ss_addrmap_free(&m->slab_by_page);
	ss_addrmap_free(&m->kfence_cache);
	for (size_t i = 0; i < m->naliases; i++)
		free(m->aliases[i].name);
	free(m->aliases);
	for (size_t i = 0; i < m->nanomalies; i++)
		free(m->anomalies[i].message);
	free(m->anomalies);
	free(m->arrays);
	ss_mm_facts_deinit(&m->mm);
	free(m);
}

enum ss_allocator ss_model_allocator(const struct ss_model *m)
{
	return m->ops->id;
}

const struct ss_target *ss_model_target(const struct ss_model *m)
{
	return m->t;
}

const struct ss_mm_facts *ss_model_mm(const struct ss_model *m)
{
	return &m->mm;
}

uint64_t ss_slab_bytes(const struct ss_model *m, const struct ss_slab *s)
{
	/* A slab of no known cache keeps order UINT8_MAX when its compound
	 * order was unreadable: one page, not a shift by 255 (UB; found by
	 * tests/fuzz/fuzz_slab.c in whatis). */
	return m->mm.page_size << (s->order < 32 ? s->order : 0);
}

size_t ss_model_ncaches(const struct ss_model *m) { return m->ncaches; }

const struct ss_cache *ss_model_cache(const struct ss_model *m, size_t i)
{
	return i < m->ncaches ? &m->caches[i] : NULL;
}

uint32_t ss_model_find_cache(const struct ss_model *m, const char *name)
{
	for (size_t i = 0; i < m->ncaches; i++)
		if (strcmp(m->caches[i].name, name) == 0)
			return (uint32_t)i;
	/* a merged cache's own name leads to the cache it went into */
	for (size_t i = 0; i < m->naliases; i++)
		if (strcmp(m->aliases[i].name, name) == 0)
			return m->aliases[i].cache;
	return SS_NO_CACHE;
}

size_t ss_model_match_caches(const struct ss_model *m, const char *pattern,
			     bool *sel)
{
	uint32_t exact = ss_model_find_cache(m, pattern);
	if (exact != SS_NO_CACHE) {
		sel[exact] = true;
		return 1;
	}
	size_t n = 0;
	for (size_t i = 0; i < m->ncaches; i++)
		if (fnmatch(pattern, m->caches[i].name, 0) == 0) {
			sel[i] = true;
			n++;
		}
	/* a cache counts once: not again for an alias when its name or an
	 * earlier alias matched */
	for (size_t i = 0; i < m->naliases; i++) {
		uint32_t ci = m->aliases[i].cache;
		if (fnmatch(pattern, m->aliases[i].name, 0) != 0)
			continue;
		bool counted = fnmatch(pattern, m->caches[ci].name, 0) == 0;
		for (size_t j = 0; j < i && !counted; j++)
			counted = m->aliases[j].cache == ci &&
				  fnmatch(pattern, m->aliases[j].name, 0) == 0;
		sel[ci] = true;
		n += !counted;
	}
	return n;
}

const struct ss_slab *ss_model_slabs(const struct ss_model *m, size_t *n)
{
	*n = m->nslabs;
	return m->slabs;
}

size_t ss_model_nanomalies(const struct ss_model *m) { return m->nanomalies; }

const struct ss_anomaly *ss_model_anomaly(const struct ss_model *m, size_t i)
{
	return i < m->nanomalies ? &m->anomalies[i] : NULL;
}

struct ss_error *ss_model_note_array(struct ss_model *m, uint64_t addr,
				     uint64_t entries)
{
	if (!entries || addr + entries * 8 < addr)
		return NULL;
	if (m->narrays == m->arrays_cap) {
		size_t ncap = m->arrays_cap ? m->arrays_cap * 2 : 64;
		struct ss_addr_range *v = realloc(m->arrays, ncap * sizeof(*v));
		if (!v)
			return &ss_error_nomem;
		m->arrays = v;
		m->arrays_cap = ncap;
	}
	m->arrays[m->narrays++] =
		(struct ss_addr_range){ .start = addr, .len = entries * 8 };
	return NULL;
}

bool ss_model_slab_self_pointer(const struct ss_model *m, uint64_t *off)
{
	*off = m->self_ptr_off;
	return m->has_self_ptr;
}

const struct ss_addr_range *ss_model_allocator_arrays(const struct ss_model *m,
						      size_t *n)
{
	*n = m->narrays;
	return m->arrays;
}

struct ss_error *ss_model_slab_objects_from(const struct ss_model *m,
					    const struct ss_slab *slab,
					    const void *bytes,
					    struct ss_object *out)
{
	size_t idx = (size_t)(slab - m->slabs);
	if (idx >= m->nslabs || slab->cache == SS_NO_CACHE)
		return ss_error_create(SS_ERR_INVALID,
				       "slab 0x%" PRIx64 " has no known cache",
				       slab->page);
	const struct ss_cache *c = &m->caches[slab->cache];
	for (uint32_t i = 0; i < slab->objects; i++) {
		out[i].addr =
			slab->base + (uint64_t)i * c->size + c->red_left_pad;
		out[i].state = SS_OBJ_UNKNOWN;
		out[i].next = 0;
	}
	return m->ops->slab_objects(m, idx, bytes, out);
}

struct ss_error *ss_model_slab_objects(const struct ss_model *m,
				       const struct ss_slab *slab,
				       struct ss_object *out)
{
	return ss_model_slab_objects_from(m, slab, NULL, out);
}

const struct ss_slab *ss_model_slab_at(const struct ss_model *m, uint64_t addr)
{
	/* Direct-map address -> struct page -> slab (head page: go down
	 * to the head by trying lower orders). */
	if (addr < m->mm.page_offset)
		return NULL;
	uint64_t pfn = (addr - m->mm.page_offset) >> m->mm.page_shift;
	if (pfn >= m->mm.max_pfn)
		return NULL;
	for (unsigned order = 0; order <= MAX_SLAB_ORDER; order++) {
		uint64_t head = pfn & ~((1ULL << order) - 1);
		uint32_t idx = ss_model_slab_index(
			m, m->mm.vmemmap + head * m->mm.struct_page_size);
		if (idx == SS_NO_CACHE)
			continue;
		const struct ss_slab *s = &m->slabs[idx];
		if (addr - s->base < ss_slab_bytes(m, s))
			return s;
	}
	return NULL;
}

int64_t ss_model_object_index(const struct ss_model *m, uint32_t ci,
			      uint64_t addr, const struct ss_slab **slab_ret)
{
	const struct ss_slab *s = ss_model_slab_at(m, addr);
	*slab_ret = s;
	if (!s || s->cache != ci || ci >= m->ncaches)
		return -1;
	const struct ss_cache *c = &m->caches[ci];
	uint64_t first = s->base + c->red_left_pad;
	if (!c->size || addr < first || (addr - first) % c->size)
		return -1;
	uint64_t i = (addr - first) / c->size;
	return i < s->objects ? (int64_t)i : -1;
}

struct ss_error *ss_model_whatis(const struct ss_model *m, uint64_t addr,
				 struct ss_whatis *w)
{
	memset(w, 0, sizeof(*w));
	w->cache = SS_NO_CACHE;
	const struct ss_slab *slab = ss_model_slab_at(m, addr);
	if (!slab)
		return NULL;
	w->in_slab = true;
	w->slab = slab;
	w->cache = slab->cache;
	if (slab->list == SS_LIST_KFENCE) {
		w->kfence = true;
		uint32_t ci;
		if (ss_addrmap_get(&m->kfence_cache, slab->page, &ci))
			w->cache = ci;
		return NULL;
	}
	if (slab->cache == SS_NO_CACHE)
		return NULL;
	const struct ss_cache *c = &m->caches[slab->cache];
	uint64_t rel = addr - slab->base;
	/* A garbage kmem_cache.size of 0 must not divide by zero (found by
	 * tests/unit/test_slub.c); its slabs are unknown territory. */
	if (c->size == 0) {
		w->state = SS_OBJ_UNKNOWN;
		return NULL;
	}
	uint64_t idx = rel / c->size;
	if (idx >= slab->objects) {
		w->region = SS_REGION_SLAB_TAIL;
		w->state = SS_OBJ_UNKNOWN;
		return NULL;
	}
	w->slot = slab->base + idx * c->size;
	w->object = w->slot + c->red_left_pad;
	w->offset = (int64_t)(addr - w->object);
	w->region = ss_cache_region(c, w->offset);
	struct ss_object *objs = calloc(slab->objects, sizeof(*objs));
	if (!objs)
		return &ss_error_nomem;
	struct ss_error *err = ss_model_slab_objects(m, slab, objs);
	if (!err)
		w->state = objs[idx].state;
	free(objs);
	return err;
}

struct ss_error *ss_model_one_cache(const struct ss_model *m, const char *dump,
				    const char *pattern, uint32_t *ret)
{
	size_t n = ss_model_ncaches(m);
	bool *sel = calloc(n ? n : 1, sizeof(*sel));
	if (!sel)
		return &ss_error_nomem;
	size_t k = ss_model_match_caches(m, pattern, sel);
	*ret = SS_NO_CACHE;
	struct ss_error *err = NULL;
	if (k == 1) {
		for (size_t i = 0; i < n; i++)
			if (sel[i])
				*ret = (uint32_t)i;
	} else if (k == 0) {
		err = ss_error_create(SS_ERR_NOTFOUND,
				      "%s: no slab cache named '%s' (see "
				      "slabscope caches)",
				      dump, pattern);
	} else {
		/* name the first few, so that the user can pick one */
		char names[256] = "";
		size_t shown = 0;
		for (size_t i = 0; i < n && shown < 4; i++)
			if (sel[i]) {
				const char *nm = ss_model_cache(m, i)->name;
				if (strlen(names) + strlen(nm) + 3 >=
				    sizeof(names))
					break;
				strcat(names, shown ? ", " : "");
				strcat(names, nm);
				shown++;
			}
		err = ss_error_create(SS_ERR_INVALID,
				      "%s: '%s' matches %zu caches (%s%s): "
				      "this command takes one",
				      dump, pattern, k, names,
				      k > shown ? ", ..." : "");
	}
	free(sel);
	return err;
}
