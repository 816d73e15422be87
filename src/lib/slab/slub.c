/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SLUB model: caches from slab_caches, every slab from one pass over
 * the struct page array, per-CPU and per-node lists, and the state of every
 * object from the freelists (mm/slub.c's own view of its data).
 *
 * Every pointer comes from a possibly broken kernel: walks are bounded and
 * cycle-checked, and what does not fit becomes an anomaly, not an error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_priv.h"
#include "slub_layout.h"

/* Bounds on what a sane kernel has; beyond them data is garbage. */
#define MAX_CACHES 100000
#define MAX_SLAB_ORDER 10
#define MAX_CPU_PARTIAL 100000
#define MAX_LIST 10000000
/* Struct pages read per request during the page scan. */
#define SCAN_CHUNK_BYTES (256 * 1024)
/* Slabs and steps sampled to decide a cache's free pointer encoding. */
#define ENC_SAMPLE_SLABS 16
#define ENC_SAMPLE_STEPS 64

enum { ST_UNSET = 0xff };

struct slub_priv {
	struct slub_layout l;
	/* Per slab index: the head of a CPU's lockless freelist when the
	 * slab is that CPU's current slab, else 0. */
	uint64_t *cpu_freelist;
	/* Per slab index: where that head is stored (the CPU's
	 * kmem_cache_cpu.freelist), for findings about it. */
	uint64_t *cpu_freelist_at;
	/* Per slab index, from the page scan: the cpu-partial next pointer
	 * (struct slab.next), kept to walk CPU partial lists, and the
	 * slab_list links, so node lists are walked without reading the
	 * struct pages again (in list order, that defeats libkdumpfile's
	 * cache: 15% of a 4 GiB dump's time). */
	uint64_t *next;
	uint64_t *list_next, *list_prev;
	/* The bytes of the slab being analysed. */
	const unsigned char *cur;
	unsigned char *buf;
	size_t bufcap;
	uint8_t *state;
	size_t statecap;
	/* Scratch for the redirect check: decoded next pointers, per
	 * object, of the walks and of the objects no walk reached. */
	uint64_t *next_tmp;
	uint64_t *cand;
	uint8_t *pointed;
	size_t tmpcap;
};

/* What one slab's walk produced. */
struct slab_counts {
	uint32_t nfree, ncpu_free, nunknown, nallocated;
	bool broken;
};

static struct slub_priv *priv(struct ss_model *m) { return m->priv; }

static uint64_t swab64(uint64_t v) { return __builtin_bswap64(v); }

static uint64_t decode_fp(const struct ss_cache *c, enum ss_fp_encoding enc,
			  uint64_t raw, uint64_t ptr_addr)
{
	switch (enc) {
	case SS_FP_XOR:
		return raw ^ c->random ^ ptr_addr;
	case SS_FP_XOR_SWAB:
		return raw ^ c->random ^ swab64(ptr_addr);
	case SS_FP_PLAIN:
	case SS_FP_UNDECIDED:
		break;
	}
	return raw;
}

/* Index of the object at p in slab s, or -1 if p is not an object
 * boundary of s. */
static int64_t obj_index(const struct ss_cache *c, const struct ss_slab *s,
			 uint64_t p)
{
	uint64_t first = s->base + c->red_left_pad;
	if (p < first)
		return -1;
	uint64_t rel = p - first;
	if (rel % c->size)
		return -1;
	uint64_t i = rel / c->size;
	return i < s->objects ? (int64_t)i : -1;
}

static bool cache_layout_sane(const struct ss_cache *c)
{
	return c->size >= 8 && c->size <= (1u << 24) &&
	       c->object_size <= c->size &&
	       c->red_left_pad < c->size &&
	       (uint64_t)c->offset + 8 <= c->size - c->red_left_pad;
}

/* ---- buffers ---- */

static struct ss_error *ensure_buf(struct slub_priv *p, size_t len)
{
	if (len <= p->bufcap)
		return NULL;
	unsigned char *n = realloc(p->buf, len);
	if (!n)
		return &ss_error_nomem;
	p->buf = n;
	p->bufcap = len;
	return NULL;
}

static struct ss_error *ensure_state(struct slub_priv *p, size_t n)
{
	if (n <= p->statecap)
		return NULL;
	uint8_t *s = realloc(p->state, n);
	if (!s)
		return &ss_error_nomem;
	p->state = s;
	p->statecap = n;
	return NULL;
}

/* ---- caches ---- */

struct cache_collect {
	struct ss_model *m;
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
	cc->addrs[cc->n++] = entry - priv(cc->m)->l.kc_list.off;
	return NULL;
}

static struct ss_error *read_name(struct ss_model *m, uint64_t addr,
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
	*ret = strdup(buf);
	return *ret ? NULL : &ss_error_nomem;
}

static struct ss_error *load_cache(struct ss_model *m, uint64_t addr,
				   struct ss_cache *c, unsigned char *kc)
{
	const struct slub_layout *l = &priv(m)->l;
	memset(c, 0, sizeof(*c));
	c->addr = addr;
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
	c->fp_encoding = SS_FP_UNDECIDED;
	c->first_slab = 0;

	uint64_t name_ptr = ss_field_get(&l->kc_name, kc);
	struct ss_error *err = read_name(m, name_ptr, &c->name);
	if (err && err->code == SS_ERR_NOMEM)
		return err;
	if (err) {
		c->name = NULL;
		ss_error_destroy(err);
	}
	return NULL;
}

static struct ss_error *load_caches(struct ss_model *m,
				    struct ss_addrmap *by_addr)
{
	struct slub_priv *p = priv(m);
	uint64_t head;
	struct ss_error *err = ss_target_symbol(m->t, "slab_caches", &head);
	if (err)
		return ss_error_prepend(err, "finding slab_caches");
	struct cache_collect cc = { .m = m };
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
	/* Read only up to the node pointers that exist: node[] is sized for
	 * MAX_NUMNODES (1024 on distro kernels). */
	size_t kc_len = p->l.kc_node.off + 8 * (size_t)m->mm.nr_node_ids;
	if (kc_len > p->l.kc_sizeof)
		kc_len = p->l.kc_sizeof;
	unsigned char *kc = malloc(kc_len);
	if (!kc) {
		free(cc.addrs);
		ss_error_destroy(walk_err);
		return &ss_error_nomem;
	}
	for (size_t i = 0; i < cc.n; i++) {
		err = ss_mem_read(m->mem, cc.addrs[i], kc, kc_len);
		if (err) {
			struct ss_error *e2 = ss_model_anomaly_add(
				m, SS_ANOM_UNREADABLE, SS_NO_CACHE, 0,
				cc.addrs[i], cc.addrs[i], 0,
				"kmem_cache at 0x%" PRIx64
				" on slab_caches is unreadable: %s",
				cc.addrs[i], err->message);
			ss_error_destroy(err);
			if (e2)
				goto fail;
			continue;
		}
		struct ss_cache *c = &m->caches[m->ncaches];
		err = load_cache(m, cc.addrs[i], c, kc);
		if (err)
			goto fail;
		m->ncaches++;
		if (!c->name) {
			c->name = strdup("?");
			if (!c->name) {
				err = &ss_error_nomem;
				goto fail;
			}
			err = ss_model_anomaly_add(
				m, SS_ANOM_UNREADABLE, (uint32_t)(m->ncaches - 1),
				0, 0, cc.addrs[i] + p->l.kc_name.off, 0,
				"kmem_cache at 0x%" PRIx64
				": its name pointer is unreadable",
				cc.addrs[i]);
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
		err = ss_model_anomaly_add(m, SS_ANOM_LIST, SS_NO_CACHE, 0, 0,
					   walk_err->address, 0,
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

/* The order of the compound page whose head is at pfn: page[1] holds it,
 * from the scan buffer when there (next), else read. */
static int compound_order(struct ss_model *m, uint64_t pfn, uint64_t flags,
			  const unsigned char *next)
{
	const struct slub_layout *l = &priv(m)->l;
	if (!((flags >> l->pg_head_bit) & 1))
		return 0;
	if (!l->pg_compound_order.present)
		return -1;
	uint8_t order;
	if (next) {
		order = next[l->pg_compound_order.off];
	} else {
		struct ss_error *err = ss_mem_read(
			m->mem,
			m->mm.vmemmap + (pfn + 1) * m->mm.struct_page_size +
				l->pg_compound_order.off,
			&order, 1);
		if (err) {
			ss_error_destroy(err);
			return -1;
		}
	}
	return order <= MAX_SLAB_ORDER ? order : -1;
}

static struct ss_error *scan_page(struct ss_model *m, struct scan *sc,
				  uint64_t pfn, const unsigned char *pg,
				  const unsigned char *next)
{
	const struct slub_layout *l = &priv(m)->l;
	uint64_t flags = ss_field_get(&l->pg_flags, pg);
	if (!((flags >> l->pg_slab_bit) & 1))
		return NULL;
	/* Tail pages of a compound page point to their head with bit 0. */
	if (ss_field_get(&l->pg_compound_head, pg) & 1)
		return NULL;
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
	e.order = compound_order(m, pfn, flags, next);
	memcpy(&e.list_next, pg + l->sl_list.off, 8);
	memcpy(&e.list_prev, pg + l->sl_list.off + 8, 8);
	return scan_push(sc, &e);
}

/* Read the struct pages of [pfn, pfn + n); a chunk that fails is retried
 * page by page (holes in the vmemmap are normal). */
static struct ss_error *scan_chunk(struct ss_model *m, struct scan *sc,
				   uint64_t pfn, uint64_t n, unsigned char *buf)
{
	uint64_t sps = m->mm.struct_page_size;
	struct ss_error *err = ss_mem_read(
		m->mem, m->mm.vmemmap + pfn * sps, buf, n * sps);
	if (!err) {
		for (uint64_t i = 0; i < n; i++) {
			err = scan_page(m, sc, pfn + i, buf + i * sps,
					i + 1 < n ? buf + (i + 1) * sps : NULL);
			if (err)
				return err;
		}
		return NULL;
	}
	if (err->code == SS_ERR_NOMEM)
		return err;
	ss_error_destroy(err);
	/* Retry in page-sized pieces of the vmemmap. */
	uint64_t per = m->mm.page_size / sps;
	if (per == 0)
		per = 1;
	for (uint64_t i = 0; i < n; i += per) {
		uint64_t k = n - i < per ? n - i : per;
		err = ss_mem_read(m->mem, m->mm.vmemmap + (pfn + i) * sps, buf,
				  k * sps);
		if (err) {
			if (err->code == SS_ERR_NOMEM)
				return err;
			ss_error_destroy(err);
			continue;
		}
		for (uint64_t j = 0; j < k; j++) {
			err = scan_page(m, sc, pfn + i + j, buf + j * sps,
					j + 1 < k ? buf + (j + 1) * sps : NULL);
			if (err)
				return err;
		}
	}
	return NULL;
}

static struct ss_error *scan_pages(struct ss_model *m, struct scan *sc)
{
	uint64_t sps = m->mm.struct_page_size;
	if (sps == 0 || sps > 4096)
		return ss_error_create(SS_ERR_CORRUPT,
				       "sizeof(struct page) is %" PRIu64, sps);
	uint64_t per_chunk = SCAN_CHUNK_BYTES / sps;
	unsigned char *buf = malloc(per_chunk * sps);
	if (!buf)
		return &ss_error_nomem;
	struct ss_error *err = NULL;
	for (uint64_t pfn = 0; pfn < m->mm.max_pfn; pfn += per_chunk) {
		uint64_t n = m->mm.max_pfn - pfn < per_chunk
				     ? m->mm.max_pfn - pfn
				     : per_chunk;
		err = scan_chunk(m, sc, pfn, n, buf);
		if (err)
			break;
		if (m->opts.progress)
			m->opts.progress(m->opts.progress_arg, pfn + n,
					 m->mm.max_pfn);
	}
	free(buf);
	return err;
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
	p->list_next = calloc(sc->n ? sc->n : 1, sizeof(*p->list_next));
	p->list_prev = calloc(sc->n ? sc->n : 1, sizeof(*p->list_prev));
	if (!m->slabs || !p->cpu_freelist || !p->cpu_freelist_at || !p->next ||
	    !p->list_next || !p->list_prev) {
		free(count);
		return &ss_error_nomem;
	}
	for (size_t i = 0; i < sc->n; i++) {
		uint32_t ci = sc->v[i].s.cache;
		size_t at = count[ci == SS_NO_CACHE ? nc : ci]++;
		m->slabs[at] = sc->v[i].s;
		p->next[at] = sc->v[i].next;
		p->list_next[at] = sc->v[i].list_next;
		m->slabs[at].order = sc->v[i].order < 0
					     ? UINT8_MAX
					     : (uint8_t)sc->v[i].order;
		p->list_prev[at] = sc->v[i].list_prev;
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
		/* objects vs the slab's real size (oo for its order): the
		 * page allocator's order is the authority. */
		if (true_order != UINT8_MAX && c->size &&
		    bytes <= (m->mm.page_size << MAX_SLAB_ORDER)) {
			uint64_t fit = (m->mm.page_size << true_order) / c->size;
			if (s->objects != fit && !err)
				err = ss_model_anomaly_add(
					m, SS_ANOM_COUNTER, s->cache, s->page, 0,
					s->page + p->l.sl_objects.bit_off / 8,
					s->objects,
					"slab 0x%" PRIx64 " of %s claims %u "
					"objects, but its order-%u pages hold "
					"%" PRIu64 " objects of %u bytes",
					s->page, c->name, s->objects,
					true_order, fit, c->size);
			if (s->objects > fit)
				s->objects = (uint16_t)fit;
			s->order = true_order;
		}
		if (err)
			continue;
		if (bytes > (m->mm.page_size << MAX_SLAB_ORDER)) {
			err = ss_model_anomaly_add(
				m, SS_ANOM_COUNTER, s->cache, s->page, 0,
				s->page + p->l.sl_objects.bit_off / 8,
				s->objects,
				"slab 0x%" PRIx64 " of %s claims %u objects of %u "
				"bytes, more than a slab can hold",
				s->page, c->name, s->objects, c->size);
			s->objects = 0;
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

/*
 * Memory for the node list walks: the slab_list links of scanned slabs
 * come from the scan's copy; anything else (list heads, pages that are not
 * slabs) from the dump.
 */
static struct ss_error *scanned_links_read(void *arg, uint64_t addr,
					   void *buf, size_t len)
{
	struct ss_model *m = arg;
	struct slub_priv *p = priv(m);
	uint64_t sps = m->mm.struct_page_size;
	if (len == 8 && addr >= m->mm.vmemmap &&
	    (addr - m->mm.vmemmap) / sps < m->mm.max_pfn) {
		uint64_t page = addr - (addr - m->mm.vmemmap) % sps;
		uint64_t off = addr - page;
		uint32_t idx = ss_model_slab_index(m, page);
		if (idx != SS_NO_CACHE && off == p->l.sl_list.off) {
			memcpy(buf, &p->list_next[idx], 8);
			return NULL;
		}
		if (idx != SS_NO_CACHE && off == p->l.sl_list.off + 8) {
			memcpy(buf, &p->list_prev[idx], 8);
			return NULL;
		}
	}
	return ss_mem_read(m->mem, addr, buf, len);
}

static struct ss_error *walk_node_list(struct ss_model *m, uint32_t ci,
				       uint64_t head, enum ss_slab_list list,
				       const char *where, size_t *count,
				       bool *broken)
{
	struct node_walk w = { .m = m, .ci = ci, .list = list, .where = where };
	struct ss_memory links = { .read = scanned_links_read, .arg = m };
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

/* ---- objects ---- */

/*
 * Walk one freelist of slab s from head, marking objects with mark.
 * record: add anomalies (only during the load, not on re-reads).
 */
static struct ss_error *walk_freelist(struct ss_model *m, uint32_t ci,
				      const struct ss_slab *s, uint64_t head,
				      uint64_t head_addr, uint8_t mark,
				      uint64_t *next_out, bool record,
				      uint32_t *count, bool *broken)
{
	struct slub_priv *p = priv(m);
	const struct ss_cache *c = &m->caches[ci];
	uint8_t *state = p->state;
	uint64_t prev = 0, ptr = head;
	const char *which = mark == SS_OBJ_CPU_FREE ? "CPU freelist"
						    : "freelist";
	while (ptr) {
		int64_t i = obj_index(c, s, ptr);
		if (i < 0) {
			*broken = true;
			if (!record)
				return NULL;
			if (prev)
				return ss_model_anomaly_add(
					m, SS_ANOM_FREEPTR_INVALID, ci, s->page,
					prev, prev + c->offset, ptr,
					"%s: free object 0x%" PRIx64
					" stores a free pointer to 0x%" PRIx64
					", not an object of its slab 0x%" PRIx64,
					c->name, prev, ptr, s->page);
			return ss_model_anomaly_add(
				m, SS_ANOM_FREEPTR_INVALID, ci, s->page, 0,
				head_addr, ptr,
				"%s: the %s of slab 0x%" PRIx64
				" starts at 0x%" PRIx64
				", not an object of the slab",
				c->name, which, s->page, ptr);
		}
		if (state[i] != ST_UNSET) {
			*broken = true;
			if (!record)
				return NULL;
			if (state[i] == mark)
				return ss_model_anomaly_add(
					m, SS_ANOM_FREELIST_CYCLE, ci, s->page,
					ptr, prev ? prev + c->offset : head_addr,
					ptr,
					"%s: the %s of slab 0x%" PRIx64
					" reaches object 0x%" PRIx64
					" twice (a cycle)",
					c->name, which, s->page, ptr);
			return ss_model_anomaly_add(
				m, SS_ANOM_DOUBLE_FREE, ci, s->page, ptr,
				prev ? prev + c->offset : head_addr, ptr,
				"%s: object 0x%" PRIx64
				" is on both the slab freelist and a CPU "
				"freelist",
				c->name, ptr);
		}
		state[i] = mark;
		(*count)++;
		uint64_t fp_addr = ptr + c->offset;
		uint64_t raw;
		memcpy(&raw, p->cur + (fp_addr - s->base), 8);
		uint64_t next = decode_fp(c, c->fp_encoding, raw, fp_addr);
		if (next_out)
			next_out[i] = next;
		prev = ptr;
		ptr = next;
	}
	return NULL;
}

/*
 * A partial overwrite of a free pointer can leave a pointer that is still
 * an object of the slab (with 8-byte objects, any 8-aligned change does):
 * the walk goes on along the wrong objects and the real rest of the chain
 * is cut off.  With hardened pointers, objects no walk reached whose
 * stored word still decodes to an object of the slab (or to NULL) are
 * that cut-off chain; a walked pointer that differs from the head of such
 * a chain in a byte or two is the overwritten one.
 */
static struct ss_error *find_redirects(struct ss_model *m, size_t idx,
				       struct slab_counts *cnt, bool record)
{
	struct slub_priv *p = priv(m);
	const struct ss_slab *s = &m->slabs[idx];
	const struct ss_cache *c = &m->caches[s->cache];
	/*
	 * Only where allocation wipes the free pointer: inside the payload
	 * (init_on_alloc, or the user's own data, overwrite it).  A pointer
	 * kept past the payload (RCU, ctor, poison caches) stays stale in
	 * allocated objects and would look free.
	 */
	if (!c->has_random || c->fp_encoding == SS_FP_PLAIN ||
	    c->fp_encoding == SS_FP_UNDECIDED ||
	    (uint64_t)c->offset + 8 > c->object_size)
		return NULL;
	uint32_t n = s->objects;
	unsigned ncand = 0;
	memset(p->pointed, 0, n);
	for (uint32_t i = 0; i < n; i++) {
		p->cand[i] = UINT64_MAX;
		if (p->state[i] != ST_UNSET)
			continue;
		uint64_t obj = s->base + c->red_left_pad + (uint64_t)i * c->size;
		uint64_t raw;
		memcpy(&raw, p->cur + (obj + c->offset - s->base), 8);
		uint64_t next = decode_fp(c, c->fp_encoding, raw, obj + c->offset);
		int64_t j = next ? obj_index(c, s, next) : -1;
		if (next && j < 0)
			continue;
		p->cand[i] = next;
		ncand++;
		if (j >= 0)
			p->pointed[j] = 1;
	}
	if (!ncand)
		return NULL;
	/*
	 * The overwritten pointer now leads to an object that one of the
	 * cut-off objects also points to (the chains merge there): prefer
	 * such a pair, then any.
	 */
	for (int pass = 0; pass < 2; pass++)
	for (uint32_t f = 0; f < n; f++) {
		if (p->state[f] != SS_OBJ_FREE && p->state[f] != SS_OBJ_CPU_FREE)
			continue;
		uint64_t y = p->next_tmp[f];
		int64_t yi = y ? obj_index(c, s, y) : -1;
		if (pass == 0 && (yi < 0 || !p->pointed[yi]))
			continue;
		for (uint32_t h = 0; y && h < n; h++) {
			if (p->cand[h] == UINT64_MAX || p->pointed[h])
				continue;
			uint64_t head = s->base + c->red_left_pad +
					(uint64_t)h * c->size;
			/* An overflow overwrites the low-order bytes first
			 * (little-endian), and XOR encoding keeps the
			 * difference where it was written: one low byte. */
			if (head == y || (head ^ y) > 0xff)
				continue;
			uint64_t fobj = s->base + c->red_left_pad +
					(uint64_t)f * c->size;
			/* The cut-off chain is free, but not provably:
			 * unknown, never guessed. */
			unsigned len = 0;
			for (int64_t k = h; k >= 0 && len < n; len++) {
				if (p->state[k] != ST_UNSET)
					break;
				p->state[k] = SS_OBJ_UNKNOWN;
				cnt->nunknown++;
				uint64_t nx = p->cand[k];
				k = (nx && nx != UINT64_MAX) ? obj_index(c, s, nx)
							     : -1;
			}
			cnt->broken = true;
			if (!record)
				return NULL;
			return ss_model_anomaly_add(
				m, SS_ANOM_FREEPTR_REDIRECTED, s->cache, s->page,
				fobj, fobj + c->offset, y,
				"%s: free object 0x%" PRIx64
				" points to 0x%" PRIx64
				", an object of its slab, but a chain of %u "
				"free-looking objects no freelist reaches "
				"starts at 0x%" PRIx64
				", which differs only in the low byte: its free "
				"pointer was partly overwritten",
				c->name, fobj, y, len, head);
		}
	}
	return NULL;
}

static struct ss_error *ensure_tmp(struct slub_priv *p, size_t n)
{
	if (n <= p->tmpcap)
		return NULL;
	uint64_t *a = realloc(p->next_tmp, n * sizeof(*a));
	if (a)
		p->next_tmp = a;
	uint64_t *b = realloc(p->cand, n * sizeof(*b));
	if (b)
		p->cand = b;
	uint8_t *c = realloc(p->pointed, n);
	if (c)
		p->pointed = c;
	if (!a || !b || !c)
		return &ss_error_nomem;
	p->tmpcap = n;
	return NULL;
}

/*
 * Classify the objects of slab idx into p->state.  bytes: the slab's
 * memory when the caller already read it (the load reads runs of slabs),
 * else NULL to read it here.
 */
static struct ss_error *analyse_slab(struct ss_model *m, size_t idx,
				     const unsigned char *bytes,
				     uint64_t *next_out, bool record,
				     struct slab_counts *cnt)
{
	struct slub_priv *p = priv(m);
	const struct ss_slab *s = &m->slabs[idx];
	const struct ss_cache *c = &m->caches[s->cache];
	memset(cnt, 0, sizeof(*cnt));
	struct ss_error *err = ensure_state(p, s->objects ? s->objects : 1);
	if (err)
		return err;
	memset(p->state, ST_UNSET, s->objects);
	if (s->objects == 0)
		return NULL;
	size_t len = (size_t)s->objects * c->size;
	err = ensure_buf(p, len);
	if (err)
		return err;
	if (!cache_layout_sane(c)) {
		memset(p->state, SS_OBJ_UNKNOWN, s->objects);
		cnt->nunknown = s->objects;
		return NULL;
	}
	p->cur = bytes ? bytes : p->buf;
	err = bytes ? NULL : ss_mem_read(m->mem, s->base, p->buf, len);
	if (err) {
		memset(p->state, SS_OBJ_UNKNOWN, s->objects);
		cnt->nunknown = s->objects;
		struct ss_error *e2 = NULL;
		if (record && err->code != SS_ERR_NOMEM)
			e2 = ss_model_anomaly_add(
				m, SS_ANOM_UNREADABLE, s->cache, s->page, 0,
				err->address, 0,
				"%s: slab 0x%" PRIx64 " memory unreadable: %s",
				c->name, s->page, err->message);
		if (err->code == SS_ERR_NOMEM)
			return err;
		ss_error_destroy(err);
		return e2;
	}
	/*
	 * The walks always fill next_tmp, which find_redirects() needs, and
	 * find_redirects() runs on re-reads too: without it,
	 * ss_model_slab_objects() called a cut-off chain allocated while the
	 * load had counted it unknown (found by tests/unit/test_slub.c).
	 */
	err = ensure_tmp(p, s->objects);
	if (err)
		return err;
	memset(p->next_tmp, 0, s->objects * sizeof(*p->next_tmp));
	err = walk_freelist(m, s->cache, s, s->freelist,
			    s->page + p->l.sl_freelist.off, SS_OBJ_FREE,
			    p->next_tmp, record, &cnt->nfree, &cnt->broken);
	if (!err && p->cpu_freelist[idx])
		err = walk_freelist(m, s->cache, s, p->cpu_freelist[idx],
				    p->cpu_freelist_at[idx],
				    SS_OBJ_CPU_FREE, p->next_tmp, record,
				    &cnt->ncpu_free, &cnt->broken);
	if (!err && !cnt->broken)
		err = find_redirects(m, idx, cnt, record);
	if (err)
		return err;
	if (next_out)
		memcpy(next_out, p->next_tmp, s->objects * sizeof(*next_out));
	/*
	 * Objects on no freelist are allocated, unless a walk broke off:
	 * then the rest of that chain is lost, and they are unknown, except
	 * when the slab's own counter says exactly the free objects were
	 * all reached (a bad pointer in the last free object).
	 */
	uint8_t rest = SS_OBJ_ALLOCATED;
	if (cnt->broken &&
	    (s->frozen || cnt->nfree + cnt->ncpu_free !=
				  (uint32_t)s->objects - s->inuse))
		rest = SS_OBJ_UNKNOWN;
	for (uint32_t i = 0; i < s->objects; i++) {
		if (p->state[i] != ST_UNSET)
			continue;
		p->state[i] = rest;
		if (rest == SS_OBJ_ALLOCATED)
			cnt->nallocated++;
		else
			cnt->nunknown++;
	}
	if (record && !cnt->broken && !s->frozen &&
	    s->inuse != s->objects - cnt->nfree)
		err = ss_model_anomaly_add(
			m, SS_ANOM_COUNTER, s->cache, s->page, 0,
			s->page + p->l.sl_inuse.bit_off / 8, s->inuse,
			"%s: slab 0x%" PRIx64 " inuse is %u but %u of its %u "
			"objects are free",
			c->name, s->page, s->inuse, cnt->nfree, s->objects);
	return err;
}

/* Read a slab into the buffer for sampling; nonzero if it cannot be read
 * (the full analysis reports that later). */
static int ss_mem_read_nofail(struct ss_model *m, uint64_t addr, size_t len)
{
	struct ss_error *err = ss_mem_read(m->mem, addr, priv(m)->buf, len);
	if (!err)
		return 0;
	ss_error_destroy(err);
	return -1;
}

/* Score how well an encoding explains the cache's freelists: decoded
 * pointers that land on objects of the same slab, and chains ending in
 * NULL. */
static uint64_t score_encoding(struct ss_model *m, uint32_t ci,
			       enum ss_fp_encoding enc)
{
	struct slub_priv *p = priv(m);
	const struct ss_cache *c = &m->caches[ci];
	uint64_t score = 0;
	unsigned sampled = 0;
	/* obj_index() divides by c->size and the free pointer is read at
	 * c->offset: garbage there (reported as an impossible layout) must
	 * not crash the scoring (found by tests/unit/test_slub.c). */
	if (!cache_layout_sane(c))
		return 0;
	for (size_t i = c->first_slab;
	     i < c->first_slab + c->nslabs && sampled < ENC_SAMPLE_SLABS; i++) {
		const struct ss_slab *s = &m->slabs[i];
		uint64_t heads[2] = { s->freelist, p->cpu_freelist[i] };
		if ((!heads[0] && !heads[1]) || !s->objects)
			continue;
		size_t len = (size_t)s->objects * c->size;
		if (ensure_buf(p, len) || ss_mem_read_nofail(m, s->base, len))
			continue;
		sampled++;
		for (int h = 0; h < 2; h++) {
			uint64_t ptr = heads[h];
			for (unsigned step = 0; ptr && step < ENC_SAMPLE_STEPS;
			     step++) {
				if (obj_index(c, s, ptr) < 0)
					break;
				uint64_t raw;
				memcpy(&raw, p->buf + (ptr + c->offset - s->base),
				       8);
				uint64_t next =
					decode_fp(c, enc, raw, ptr + c->offset);
				if (!next) {
					score += 2;
					break;
				}
				if (obj_index(c, s, next) < 0)
					break;
				score++;
				ptr = next;
			}
		}
	}
	return score;
}

static void decide_encoding(struct ss_model *m, uint32_t ci)
{
	struct ss_cache *c = &m->caches[ci];
	if (!c->has_random) {
		c->fp_encoding = SS_FP_PLAIN;
		return;
	}
	/* Hardened: the kernel XORs with swab(address) since 5.7 and with
	 * the plain address before; the data, not the version, decides. */
	static const enum ss_fp_encoding candidates[] = { SS_FP_XOR_SWAB,
							  SS_FP_XOR,
							  SS_FP_PLAIN };
	uint64_t best = 0;
	c->fp_encoding = SS_FP_UNDECIDED;
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		uint64_t sc = score_encoding(m, ci, candidates[i]);
		if (sc > best) {
			best = sc;
			c->fp_encoding = candidates[i];
		}
	}
}

static int cmp_by_page(const void *a, const void *b, void *arg)
{
	const struct ss_slab *slabs = arg;
	uint64_t x = slabs[*(const uint32_t *)a].page;
	uint64_t y = slabs[*(const uint32_t *)b].page;
	return x < y ? -1 : x > y;
}

static void account_slab(struct ss_model *m, struct ss_slab *s,
			 const struct slab_counts *cnt)
{
	s->nfree = cnt->nfree;
	s->ncpu_free = cnt->ncpu_free;
	s->nunknown = cnt->nunknown;
	struct ss_cache *c = &m->caches[s->cache];
	c->total_objects += s->objects;
	c->allocated += cnt->nallocated;
	c->free += cnt->nfree;
	c->cpu_free += cnt->ncpu_free;
	c->unknown += cnt->nunknown;
	c->memory_bytes += m->mm.page_size << s->order;
}

/*
 * Classify every object of every slab.  Slabs are visited in physical
 * order and physically contiguous slabs are read in one request of up to
 * RUN_BYTES: cache by cache, the same reads cost a quarter more on a
 * 4 GiB dump (libkdumpfile decompresses whole blocks; its cache likes
 * order).  A run that cannot be read falls back to one slab at a time.
 */
#define RUN_BYTES (1024 * 1024)

static struct ss_error *analyse_all(struct ss_model *m)
{
	uint32_t *order = malloc((m->nslabs ? m->nslabs : 1) * sizeof(*order));
	unsigned char *run = malloc(RUN_BYTES);
	if (!order || !run) {
		free(order);
		free(run);
		return &ss_error_nomem;
	}
	size_t n = 0;
	for (size_t i = 0; i < m->nslabs; i++)
		if (m->slabs[i].cache != SS_NO_CACHE)
			order[n++] = (uint32_t)i;
	qsort_r(order, n, sizeof(*order), cmp_by_page, m->slabs);
	struct ss_error *err = NULL;
	for (size_t i = 0; i < n && !err;) {
		/* Gather a run of contiguous slabs. */
		size_t j = i;
		uint64_t start = m->slabs[order[i]].base, end = start;
		while (j < n) {
			const struct ss_slab *s = &m->slabs[order[j]];
			uint64_t span = m->mm.page_size << s->order;
			if (s->base != end || end + span - start > RUN_BYTES)
				break;
			end += span;
			j++;
		}
		bool have_run = false;
		if (j > i + 1) {
			struct ss_error *rerr =
				ss_mem_read(m->mem, start, run, end - start);
			have_run = !rerr;
			if (rerr && rerr->code == SS_ERR_NOMEM)
				err = rerr;
			else
				ss_error_destroy(rerr);
		}
		if (j == i)
			j = i + 1; /* a slab larger than a run: alone */
		for (size_t k = i; k < j && !err; k++) {
			struct ss_slab *s = &m->slabs[order[k]];
			const struct ss_cache *c = &m->caches[s->cache];
			bool fits = have_run &&
				    (uint64_t)s->objects * c->size <=
					    (m->mm.page_size << s->order);
			struct slab_counts cnt;
			err = analyse_slab(m, order[k],
					   fits ? run + (s->base - start) : NULL,
					   NULL, true, &cnt);
			if (!err)
				account_slab(m, s, &cnt);
		}
		i = j;
	}
	free(order);
	free(run);
	return err;
}

/*
 * A cache with no intact free chain to score (all objects allocated, or
 * its only chain corrupt) gets the scheme most caches of this kernel use:
 * the scheme is kernel-wide, only s->random differs per cache.
 */
static void infer_undecided_encodings(struct ss_model *m)
{
	size_t votes[SS_FP_UNDECIDED] = { 0 };
	for (size_t i = 0; i < m->ncaches; i++)
		if (m->caches[i].fp_encoding < SS_FP_UNDECIDED)
			votes[m->caches[i].fp_encoding]++;
	enum ss_fp_encoding best = SS_FP_XOR_SWAB;
	for (int e = 0; e < SS_FP_UNDECIDED; e++)
		if (votes[e] > votes[best])
			best = (enum ss_fp_encoding)e;
	for (size_t i = 0; i < m->ncaches; i++) {
		struct ss_cache *c = &m->caches[i];
		if (c->fp_encoding == SS_FP_UNDECIDED) {
			c->fp_encoding = best;
			c->fp_encoding_inferred = true;
		}
	}
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
	err = load_caches(m, &by_addr);
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
		if (!cache_layout_sane(c)) {
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
			decide_encoding(m, ci);
	}
	if (err)
		return err;
	infer_undecided_encodings(m);

	err = analyse_all(m);
	/* The allocator's own counters against what the walk found. */
	for (uint32_t ci = 0; ci < m->ncaches && !err; ci++) {
		struct ss_cache *c = &m->caches[ci];
		if (!c->has_node_counts)
			continue;
		if (c->node_nr_slabs != c->nslabs)
			err = ss_model_anomaly_add(
				m, SS_ANOM_COUNTER, ci, 0, 0, c->addr,
				c->node_nr_slabs,
				"%s: nodes count %" PRIu64
				" slabs (nr_slabs) but %" PRIu64
				" slab pages belong to the cache",
				c->name, c->node_nr_slabs, c->nslabs);
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
	struct ss_error *err = analyse_slab(m, idx, NULL, next, false, &cnt);
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
	free(p->list_next);
	free(p->list_prev);
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
};
