/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reference scan (slabscope/refscan.h): an index of every slab object
 * by page frame, then one pass over the dump's page frames in physical
 * order, every word of live memory looked up in the index.
 *
 * The index is a table of one 32-bit slab number per page frame, so a
 * word costs a subtraction and a compare when it is not a direct-map
 * address (most words), and one table load more when it is.  The pass
 * reads each chunk's struct pages first, so that free pages (the buddy
 * allocator's) are neither read nor scanned, and reads the rest in runs
 * as large as the dump holds them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/slab/field.h"
#include "refscan_priv.h"

/* Page frames per step of the pass: 2 MiB of memory, 32 KiB of struct
 * pages.  A slab (order <= 9, naturally aligned) never straddles two. */
#define CHUNK_PAGES 512
/* Past this a buddy order is garbage (MAX_PAGE_ORDER is 10 or so). */
#define MAX_BUDDY_ORDER 20
/* Default edge memory (see ss_refscan_options.max_edge_bytes). */
#define DEFAULT_EDGE_BYTES (256ULL << 20)

const char *ss_ref_class_name(enum ss_ref_class c)
{
	switch (c) {
	case SS_REF_REFERENCED: return "referenced";
	case SS_REF_UNREFERENCED: return "unreferenced";
	case SS_REF_ONLY_BY_UNREFERENCED: return "only-by-unreferenced";
	case SS_REF_NONE: break;
	}
	return "none";
}

/* ---- free pages ---- */

/* How a struct page says "free, head of a buddy block of order private".
 * 6.10+: page_type's top byte is PGTY_buddy (an enumerator).  Before,
 * page_type (the _mapcount union) equals PAGE_BUDDY_MAPCOUNT_VALUE, which
 * is a macro the debug info lacks; VMCOREINFO publishes it for
 * makedumpfile, and so for us. */
struct buddy_layout {
	struct ss_field page_type, private;
	bool by_type_byte, by_value;
	uint32_t type_byte;
	uint32_t value;
};

static struct ss_error *buddy_resolve(const struct ss_model *m,
				      struct buddy_layout *b)
{
	const struct ss_target *t = ss_model_target(m);
	memset(b, 0, sizeof(*b));
	struct ss_error *err = ss_field_resolve(t->dbg, "page", "page_type",
						false, &b->page_type);
	if (!err)
		err = ss_field_resolve(t->dbg, "page", "private", false,
				       &b->private);
	if (err || !b->page_type.present || !b->private.present)
		return err;
	int64_t v;
	bool found = false;
	err = ss_dbg_enumerator_near(t->dbg, "PGTY_buddy", &v, &found);
	if (err && err->code == SS_ERR_NOTFOUND) {
		ss_error_destroy(err);
		err = NULL;
	}
	if (err)
		return err;
	if (found && v >= 0 && v <= 0xff) {
		b->by_type_byte = true;
		b->type_byte = (uint32_t)v;
		return NULL;
	}
	const char *s =
		t->vmcoreinfo
			? t->vmcoreinfo(t->symbol_arg,
					"NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)")
			: NULL;
	if (s) {
		char *end;
		long long n = strtoll(s, &end, 10);
		if (end != s && n >= INT32_MIN && n <= INT32_MAX) {
			b->by_value = true;
			b->value = (uint32_t)(int32_t)n;
		}
	}
	return NULL;
}

/* The order of the free block whose head page is pg, or -1. */
static int buddy_order(const struct buddy_layout *b, const uint8_t *pg)
{
	uint32_t pt = (uint32_t)ss_field_get(&b->page_type, pg);
	bool head = b->by_type_byte ? (pt >> 24) == b->type_byte
				    : b->by_value && pt == b->value;
	if (!head)
		return -1;
	uint64_t order = ss_field_get(&b->private, pg);
	return order <= MAX_BUDDY_ORDER ? (int)order : -1;
}

/* ---- the index ---- */

static struct ss_error *index_slabs(struct ss_refscan *r, const bool *caches)
{
	const struct ss_model *m = r->m;
	const struct ss_mm_facts *mm = ss_model_mm(m);
	size_t n;
	const struct ss_slab *sl = ss_model_slabs(m, &n);
	r->slabs = calloc(n ? n : 1, sizeof(*r->slabs));
	if (!r->slabs)
		return &ss_error_nomem;
	r->nslabs = n;
	uint64_t total = 0;
	uint32_t most = 0;
	for (size_t i = 0; i < n; i++) {
		const struct ss_slab *s = &sl[i];
		struct rs_slab *rs = &r->slabs[i];
		rs->cache = s->cache;
		/* every slab's, so that first rises with the index */
		rs->first = (uint32_t)total;
		if (s->page < mm->vmemmap || !mm->struct_page_size)
			continue;
		rs->first_pfn = (s->page - mm->vmemmap) / mm->struct_page_size;
		rs->npages = s->order <= 10 ? 1u << s->order : 1;
		/* KFENCE pages and slabs of no known cache: scanned whole
		 * as ordinary memory, nothing in them a candidate. */
		if (s->list == SS_LIST_KFENCE || s->cache == SS_NO_CACHE ||
		    s->cache >= r->ncaches || !s->objects)
			continue;
		const struct ss_cache *c = ss_model_cache(m, s->cache);
		if (!c->size || c->red_left_pad >= c->size)
			continue;
		if (total + s->objects >= UINT32_MAX)
			return ss_error_create(SS_ERR_INVALID,
					       "more than 4 billion slab "
					       "objects: too many to index");
		rs->indexed = true;
		rs->candidate = !caches || caches[s->cache];
		rs->base = s->base;
		rs->size = c->size;
		rs->left = c->red_left_pad;
		rs->payload = c->object_size < c->size - c->red_left_pad
				      ? c->object_size
				      : c->size - c->red_left_pad;
		rs->nobj = s->objects;
		total += s->objects;
		if (s->objects > most)
			most = s->objects;
	}
	/* The objects' states come later, from the slab's bytes when the
	 * pass reads them (slab_states()): one read of each slab, not two. */
	r->obj = calloc(total ? total : 1, 1);
	r->objs = calloc(most ? most : 1, sizeof(*r->objs));
	r->tag_id = calloc(total ? total : 1, sizeof(*r->tag_id));
	if (!r->obj || !r->objs || !r->tag_id)
		return &ss_error_nomem;
	r->nobj = (uint32_t)total;

	r->npfn = mm->max_pfn;
	r->pfn_slab = calloc(r->npfn ? r->npfn : 1, sizeof(*r->pfn_slab));
	if (!r->pfn_slab)
		return &ss_error_nomem;
	for (size_t i = 0; i < n; i++) {
		const struct rs_slab *rs = &r->slabs[i];
		if (!rs->indexed || rs->first_pfn >= r->npfn ||
		    rs->npages > r->npfn - rs->first_pfn)
			continue;
		for (uint32_t k = 0; k < rs->npages; k++)
			if (!r->pfn_slab[rs->first_pfn + k]) /* first wins */
				r->pfn_slab[rs->first_pfn + k] =
					(uint32_t)(i + 1);
	}
	return NULL;
}

static int cmp_range(const void *a, const void *b)
{
	const struct ss_addr_range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

struct ss_error *rs_skip_add(struct ss_refscan *r, uint64_t start,
			     uint64_t len)
{
	if (!len)
		return NULL;
	if (r->nskip == r->skip_cap) {
		size_t ncap = r->skip_cap ? r->skip_cap * 2 : 256;
		struct ss_addr_range *v = realloc(r->skip, ncap * sizeof(*v));
		if (!v)
			return &ss_error_nomem;
		r->skip = v;
		r->skip_cap = ncap;
	}
	r->skip[r->nskip++] = (struct ss_addr_range){ .start = start,
						      .len = len };
	return NULL;
}

/* Sort the ranges and merge those that touch. */
static void merge_skips(struct ss_refscan *r)
{
	if (!r->nskip)
		return;
	qsort(r->skip, r->nskip, sizeof(*r->skip), cmp_range);
	size_t k = 0;
	for (size_t i = 0; i < r->nskip; i++) {
		struct ss_addr_range *last = k ? &r->skip[k - 1] : NULL;
		if (last && r->skip[i].start <= last->start + last->len) {
			uint64_t end = r->skip[i].start + r->skip[i].len;
			if (end > last->start + last->len)
				last->len = end - last->start;
		} else {
			r->skip[k++] = r->skip[i];
		}
	}
	r->nskip = k;
}

/*
 * What the pass leaves out besides free memory: the allocator's
 * bookkeeping (its arrays of free-object pointers, and a member of each
 * slab's struct slab that points at its first slot, SLAB's s_mem) and the
 * dead parts of kernel stacks (refscan_stacks.c).  The struct page array
 * is ordinary memory to the pass (page->private and ->mapping are
 * references: buffer heads, anon_vmas), so that one member is left out
 * where the pass meets it, at its physical alias.
 */
static struct ss_error *index_skips(struct ss_refscan *r)
{
	const struct ss_target *t = ss_model_target(r->m);
	size_t na;
	const struct ss_addr_range *a = ss_model_allocator_arrays(r->m, &na);
	struct ss_error *err = NULL;
	for (size_t i = 0; !err && i < na; i++) {
		err = rs_skip_add(r, a[i].start, a[i].len);
		r->st.arrays_skipped += a[i].len;
	}
	uint64_t self_off;
	size_t nsl;
	const struct ss_slab *sl = ss_model_slabs(r->m, &nsl);
	if (ss_model_slab_self_pointer(r->m, &self_off) && t->to_phys)
		for (size_t i = 0; !err && i < nsl && i < r->nslabs; i++) {
			uint64_t pa;
			if (r->slabs[i].indexed &&
			    t->to_phys(t->symbol_arg, sl[i].page + self_off,
				       &pa) &&
			    pa < r->dm_span) {
				err = rs_skip_add(r, r->dm_base + pa, 8);
				r->st.arrays_skipped += 8;
			}
		}
	if (!err)
		err = rs_dead_stacks(r);
	if (!err)
		err = rs_pcp_free_pages(r);
	if (!err)
		merge_skips(r);
	return err;
}

/* The states of slab si's objects, from its slots' bytes (NULL: read
 * them), into the OBJ_* flags.  False when they cannot be had: the slab
 * is then no candidate's, and the caller scans it whole. */
static bool slab_states(struct ss_refscan *r, size_t si, const void *bytes,
			struct ss_error **errp)
{
	struct rs_slab *rs = &r->slabs[si];
	size_t n;
	const struct ss_slab *sl = ss_model_slabs(r->m, &n);
	rs->states = true;
	struct ss_error *err =
		ss_model_slab_objects_from(r->m, &sl[si], bytes, r->objs);
	if (err) {
		if (err->code == SS_ERR_NOMEM)
			*errp = err;
		else
			ss_error_destroy(err);
		rs->candidate = false;
		for (uint32_t j = 0; j < rs->nobj; j++)
			r->obj[rs->first + j] = 0;
		return false;
	}
	for (uint32_t j = 0; j < rs->nobj; j++) {
		uint8_t f = r->obj[rs->first + j] &
			    (OBJ_ROOT | OBJ_CAND | OBJ_WATCH);
		if (r->objs[j].state == SS_OBJ_ALLOCATED)
			f |= OBJ_SCAN | (rs->candidate ? OBJ_CANDIDATE : 0);
		else if (r->objs[j].state == SS_OBJ_UNKNOWN)
			f |= OBJ_SCAN; /* maybe live: a root */
		r->obj[rs->first + j] = f;
		if (f & OBJ_CANDIDATE) {
			r->st.candidates++;
			r->per_cache[rs->cache].candidates++;
		}
	}
	return true;
}

/* ---- the objects' tags, for the grouping ---- */

static uint32_t object_gid(const struct ss_refscan *r, uint64_t obj);

static const char *tag_key(const void *arg, uint32_t i)
{
	const struct ss_refscan *r = arg;
	return r->tags[i];
}

/* The id of tag (interned); 0 when out of memory (the tag is then not
 * known, and the grouping reads the object). */
static uint32_t intern_tag(struct ss_refscan *r, const char *tag)
{
	uint32_t *slot =
		ss_strindex_slot(&r->tag_index, tag, r->ntags, tag_key, r);
	if (!slot)
		return 0;
	if (*slot)
		return *slot + 1;
	if (r->ntags == r->tags_cap) {
		size_t ncap = r->tags_cap ? r->tags_cap * 2 : 256;
		void *v = realloc(r->tags, ncap * sizeof(*r->tags));
		if (!v)
			return 0;
		r->tags = v;
		r->tags_cap = ncap;
	}
	snprintf(r->tags[r->ntags], sizeof(r->tags[0]), "%s", tag);
	*slot = (uint32_t)(r->ntags + 1);
	return (uint32_t)(r->ntags++ + 2);
}

/* Take candidate gid's tag from its bytes p (payload bytes long). */
static void take_tag(struct ss_refscan *r, uint32_t gid, const uint8_t *p,
		     uint32_t payload)
{
	char tag[SS_LEAKS_TAG_MAX + 1];
	size_t len = payload < SS_LEAKS_SIGNATURE_SCAN
			     ? payload
			     : SS_LEAKS_SIGNATURE_SCAN;
	r->tag_id[gid] =
		ss_leaks_tag(p, len, tag, sizeof(tag)) ? intern_tag(r, tag) : 1;
}

int ss_refscan_tag(const struct ss_refscan *r, uint64_t obj, const char **tag)
{
	uint32_t gid = object_gid(r, obj);
	if (gid == UINT32_MAX || !r->tag_id || !r->tag_id[gid])
		return -1;
	if (r->tag_id[gid] == 1)
		return 0;
	*tag = r->tags[r->tag_id[gid] - 2];
	return 1;
}

/* ---- references ---- */

static void add_edge(struct ss_refscan *r, uint32_t src, uint32_t dst)
{
	if (r->edges_full)
		return;
	if (r->nedges == r->edges_cap) {
		/* Edges into objects found referenced from outside since
		 * are of no use to the closure: drop them first. */
		size_t k = 0;
		for (size_t i = 0; i < r->nedges; i++)
			if (!(r->obj[(uint32_t)r->edges[i]] & OBJ_ROOT))
				r->edges[k++] = r->edges[i];
		r->nedges = k;
		if (k * 2 > r->edges_cap || !r->edges_cap) {
			/* Up to the limit, not past it: a limit that is not
			 * the initial size times a power of two is still
			 * used whole. */
			size_t ncap = r->edges_cap ? r->edges_cap * 2 : 65536;
			if (ncap > r->edges_max)
				ncap = r->edges_max;
			uint64_t *v = NULL;
			if (ncap > r->edges_cap)
				v = realloc(r->edges, ncap * sizeof(*v));
			if (v) {
				r->edges = v;
				r->edges_cap = ncap;
			} else if (k == r->edges_cap) {
				r->edges_full = true;
				return;
			}
		}
	}
	r->edges[r->nedges++] = (uint64_t)src << 32 | dst;
}

static void watched(struct ss_refscan *r, uint32_t gid, uint64_t at,
		    uint32_t src);

/* The word v at address at, found in the payload of object src (RS_ROOT:
 * elsewhere). */
static inline void look_up(struct ss_refscan *r, uint64_t v, uint64_t at,
			   uint32_t src)
{
	uint64_t rel = v - r->dm_base;
	if (rel >= r->dm_span)
		return;
	uint32_t si = r->pfn_slab[rel >> r->shift];
	if (!si)
		return;
	const struct rs_slab *s = &r->slabs[si - 1];
	if (!s->candidate)
		return;
	uint64_t off = v - s->base;
	if (off >= (uint64_t)s->nobj * s->size)
		return;
	uint32_t idx = (uint32_t)off / s->size;
	uint32_t in = (uint32_t)off - idx * s->size;
	if (in < s->left || in - s->left >= s->payload)
		return;
	uint32_t gid = s->first + idx;
	uint8_t f = r->obj[gid];
	/* A slab the pass has not met yet has no states: any slot may be a
	 * candidate, and is marked; the states come with its bytes. */
	if (s->states && !(f & OBJ_CANDIDATE))
		return;
	if (f & OBJ_WATCH)
		watched(r, gid, at, src);
	if (src == RS_ROOT) {
		r->obj[gid] = f | OBJ_ROOT;
	} else if (src != gid) {
		r->obj[gid] = f | OBJ_CAND;
		if (!(f & OBJ_ROOT))
			add_edge(r, src, gid);
	}
}

static void scan_words(struct ss_refscan *r, const uint8_t *p, uint64_t va,
		       uint64_t len, uint32_t src)
{
	/* Words are 8-byte aligned in memory: align va, and p with it. */
	uint64_t skip = (8 - (va & 7)) & 7;
	if (len <= skip)
		return;
	p += skip;
	len -= skip;
	size_t n = len / 8;
	r->st.bytes_scanned += n * 8;
	for (size_t i = 0; i < n; i++) {
		uint64_t v;
		memcpy(&v, p + 8 * i, 8);
		look_up(r, v, va + skip + 8 * i, src);
	}
}

/* A word that points into a watched object: where it is, and in what. */
static void watched(struct ss_refscan *r, uint32_t gid, uint64_t at,
		    uint32_t src)
{
	if (src == gid)
		return; /* its own */
	size_t k = 0;
	for (size_t i = 0; i < r->nwatch_refs; i++)
		k += r->watch_refs[i].target == gid;
	if (k >= RS_WATCH_MAX || r->nwatch_refs == r->watch_cap) {
		size_t ncap = r->watch_cap ? r->watch_cap * 2 : 16;
		if (k >= RS_WATCH_MAX)
			return;
		struct rs_watch_ref *v =
			realloc(r->watch_refs, ncap * sizeof(*v));
		if (!v)
			return; /* the answer only shows fewer */
		r->watch_refs = v;
		r->watch_cap = ncap;
	}
	r->watch_refs[r->nwatch_refs++] =
		(struct rs_watch_ref){ .target = gid, .at = at, .src = src };
}

/* Scan [va, va + len) (its bytes at p), leaving the skip ranges out
 * (index_skips()). */
static void scan_region(struct ss_refscan *r, const uint8_t *p, uint64_t va,
			uint64_t len, uint32_t src)
{
	if (!r->nskip) {
		scan_words(r, p, va, len, src);
		return;
	}
	/* the first range that ends after va */
	size_t lo = 0, hi = r->nskip;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->skip[mid].start + r->skip[mid].len <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint64_t end = va + len;
	for (size_t i = lo; i < r->nskip && r->skip[i].start < end; i++) {
		uint64_t s = r->skip[i].start > va ? r->skip[i].start : va;
		uint64_t e = r->skip[i].start + r->skip[i].len;
		if (e > end)
			e = end;
		if (s > va)
			scan_words(r, p, va, s - va, src);
		p += e - va;
		va = e;
	}
	if (va < end)
		scan_words(r, p, va, end - va, src);
}

/* ---- the pass ---- */

struct pass {
	struct ss_refscan *r;
	const struct ss_memory *mem;
	struct buddy_layout buddy;
	uint64_t vmemmap, sps;
	uint64_t page_size;
	uint8_t *mem_buf, *sp_buf, *obj_buf;
	size_t obj_buf_len;
	bool *page_ok;
	uint64_t chunk; /* first frame of the chunk in mem_buf */
	uint64_t chunk_len;
	uint64_t skip_until; /* frames of a free block end here */
};

/* The bytes of [va, va + len): from the chunk when its pages were read,
 * else read now (NULL if unreadable). */
static const uint8_t *bytes_at(struct pass *ps, uint64_t va, uint64_t len)
{
	struct ss_refscan *r = ps->r;
	uint64_t c0 = r->dm_base + (ps->chunk << r->shift);
	uint64_t c1 = c0 + (ps->chunk_len << r->shift);
	if (va >= c0 && va + len <= c1 && len) {
		uint64_t p0 = (va - c0) >> r->shift;
		uint64_t p1 = (va + len - 1 - c0) >> r->shift;
		bool ok = true;
		for (uint64_t k = p0; k <= p1 && ok; k++)
			ok = ps->page_ok[k];
		if (ok)
			return ps->mem_buf + (va - c0);
	}
	if (len > ps->obj_buf_len) {
		uint8_t *b = realloc(ps->obj_buf, len);
		if (!b)
			return NULL;
		ps->obj_buf = b;
		ps->obj_buf_len = len;
	}
	struct ss_error *err = ss_mem_read(ps->mem, va, ps->obj_buf, len);
	if (err) {
		ss_error_destroy(err);
		return NULL;
	}
	return ps->obj_buf;
}

/* Slab si: its objects' states from its bytes, then its live objects'
 * payloads, candidates as sources of their own, others as roots.  A slab
 * whose states cannot be had is scanned whole, as ordinary memory. */
static struct ss_error *scan_slab(struct pass *ps, size_t si)
{
	struct ss_refscan *r = ps->r;
	struct rs_slab *s = &r->slabs[si];
	s->scanned = true;
	r->st.frames_slab += s->npages;
	uint64_t len = (uint64_t)s->nobj * s->size;
	const uint8_t *bytes = bytes_at(ps, s->base, len);
	struct ss_error *err = NULL;
	if (!slab_states(r, si, bytes, &err)) {
		if (err)
			return err;
		uint64_t va = r->dm_base + (s->first_pfn << r->shift);
		uint64_t whole = (uint64_t)s->npages << r->shift;
		const uint8_t *p = bytes_at(ps, va, whole);
		if (p)
			scan_region(r, p, va, whole, RS_ROOT);
		return NULL;
	}
	for (uint32_t j = 0; j < s->nobj; j++) {
		uint32_t gid = s->first + j;
		uint8_t f = r->obj[gid];
		if (!(f & OBJ_SCAN))
			continue;
		uint64_t off = (uint64_t)j * s->size + s->left;
		const uint8_t *p =
			bytes ? bytes + off
			      : bytes_at(ps, s->base + off, s->payload);
		if (!p)
			continue;
		r->st.objects_scanned++;
		if (f & OBJ_CANDIDATE)
			take_tag(r, gid, p, s->payload);
		scan_region(r, p, s->base + off, s->payload,
			    (f & OBJ_CANDIDATE) ? gid : RS_ROOT);
	}
	return NULL;
}

/* Read frames [first, first + n) of the chunk into mem_buf, as one read
 * when it can be, page by page when not. */
static void read_run(struct pass *ps, uint64_t first, uint64_t n)
{
	struct ss_refscan *r = ps->r;
	uint64_t k0 = first - ps->chunk;
	uint8_t *dst = ps->mem_buf + (k0 << r->shift);
	uint64_t va = r->dm_base + (first << r->shift);
	struct ss_error *err = ss_mem_read(ps->mem, va, dst, n << r->shift);
	if (!err) {
		for (uint64_t k = 0; k < n; k++)
			ps->page_ok[k0 + k] = true;
		return;
	}
	ss_error_destroy(err);
	for (uint64_t k = 0; k < n; k++) {
		err = ss_mem_read(ps->mem, va + (k << r->shift),
				  dst + (k << r->shift), ps->page_size);
		ps->page_ok[k0 + k] = !err;
		if (err) {
			r->st.frames_unreadable++;
			ss_error_destroy(err);
		}
	}
}

enum page_kind { PK_FREE, PK_SLAB, PK_PAGE };

static struct ss_error *do_chunk(struct pass *ps, uint64_t first, uint64_t n,
				 uint8_t *kind)
{
	struct ss_refscan *r = ps->r;
	ps->chunk = first;
	ps->chunk_len = n;
	bool sp_ok = false;
	if (ps->buddy.by_type_byte || ps->buddy.by_value) {
		struct ss_error *err =
			ss_mem_read(ps->mem, ps->vmemmap + first * ps->sps,
				    ps->sp_buf, n * ps->sps);
		sp_ok = !err;
		ss_error_destroy(err);
	}
	for (uint64_t k = 0; k < n; k++) {
		uint64_t pfn = first + k;
		ps->page_ok[k] = false;
		if (r->pfn_slab[pfn]) {
			kind[k] = PK_SLAB;
			continue;
		}
		if (pfn < ps->skip_until) {
			kind[k] = PK_FREE;
			continue;
		}
		int order = sp_ok ? buddy_order(&ps->buddy,
						ps->sp_buf + k * ps->sps)
				  : -1;
		if (order >= 0) {
			ps->skip_until = pfn + (1ULL << order);
			kind[k] = PK_FREE;
			continue;
		}
		kind[k] = PK_PAGE;
	}
	/* read what is not free, in runs */
	for (uint64_t k = 0; k < n;) {
		if (kind[k] == PK_FREE) {
			r->st.frames_free++;
			k++;
			continue;
		}
		uint64_t e = k + 1;
		while (e < n && kind[e] != PK_FREE)
			e++;
		read_run(ps, first + k, e - k);
		k = e;
	}
	for (uint64_t k = 0; k < n; k++) {
		uint64_t pfn = first + k;
		if (kind[k] == PK_SLAB) {
			size_t si = r->pfn_slab[pfn] - 1;
			if (!r->slabs[si].scanned) {
				struct ss_error *err = scan_slab(ps, si);
				if (err)
					return err;
			}
		} else if (kind[k] == PK_PAGE && ps->page_ok[k]) {
			r->st.frames_scanned++;
			scan_region(r, ps->mem_buf + (k << r->shift),
				    r->dm_base + (pfn << r->shift),
				    ps->page_size, RS_ROOT);
		}
	}
	return NULL;
}

static struct ss_error *pass_run(struct ss_refscan *r,
				 const struct ss_refscan_options *opts)
{
	const struct ss_target *t = ss_model_target(r->m);
	const struct ss_mm_facts *mm = ss_model_mm(r->m);
	struct pass ps = {
		.r = r,
		.mem = t->mem,
		.vmemmap = mm->vmemmap,
		.sps = mm->struct_page_size,
		.page_size = mm->page_size,
	};
	struct ss_error *err = buddy_resolve(r->m, &ps.buddy);
	if (err)
		return err;
	if (!ps.sps || ps.sps > 4096)
		ps.buddy.by_type_byte = ps.buddy.by_value = false;
	r->st.free_pages_known = ps.buddy.by_type_byte || ps.buddy.by_value;
	ps.mem_buf = malloc(CHUNK_PAGES << r->shift);
	ps.sp_buf = malloc(CHUNK_PAGES * (ps.sps ? ps.sps : 1));
	ps.page_ok = calloc(CHUNK_PAGES, sizeof(*ps.page_ok));
	uint8_t *kind = malloc(CHUNK_PAGES);
	if (!ps.mem_buf || !ps.sp_buf || !ps.page_ok || !kind) {
		err = &ss_error_nomem;
		goto out;
	}
	/* RAM starts at min_pfn (arm64: PHYS_OFFSET's frame) */
	uint64_t pfn = mm->min_pfn, present = 0;
	while (pfn < r->npfn) {
		uint64_t a = pfn, b = r->npfn;
		if (t->present_run &&
		    !t->present_run(t->symbol_arg, pfn, &a, &b))
			break;
		if (a >= r->npfn)
			break;
		if (b > r->npfn)
			b = r->npfn;
		if (b <= a) /* a broken map: step on */
			b = a + 1;
		present += b - a;
		for (uint64_t c = a; c < b;) {
			uint64_t e = (c / CHUNK_PAGES + 1) * CHUNK_PAGES;
			if (e > b)
				e = b;
			err = do_chunk(&ps, c, e - c, kind);
			if (err)
				goto out;
			c = e;
			if (opts && opts->progress)
				opts->progress(opts->progress_arg, c, r->npfn);
		}
		pfn = b;
	}
	r->st.frames_absent = r->npfn - mm->min_pfn - present;
	/* Slabs the pass did not meet (their frames not in the dump, or
	 * past max_pfn): their states still decide which of their objects
	 * are candidates, though nothing in them was scanned. */
	for (size_t i = 0; i < r->nslabs && !err; i++)
		if (r->slabs[i].indexed && !r->slabs[i].states)
			slab_states(r, i, NULL, &err);
out:
	free(ps.mem_buf);
	free(ps.sp_buf);
	free(ps.obj_buf);
	free(ps.page_ok);
	free(kind);
	return err;
}

/* ---- the public face ---- */

struct ss_error *ss_refscan_run(const struct ss_model *m,
				const struct ss_refscan_options *opts,
				struct ss_refscan **ret)
{
	*ret = NULL;
	const struct ss_mm_facts *mm = ss_model_mm(m);
	if (!mm->page_size || mm->page_shift < 9 || mm->page_shift > 20 ||
	    (1ULL << mm->page_shift) != mm->page_size)
		return ss_error_create(SS_ERR_CORRUPT,
				       "page size %" PRIu64
				       " is not a power of "
				       "two the scan can use",
				       mm->page_size);
	struct ss_refscan *r = calloc(1, sizeof(*r));
	if (!r)
		return &ss_error_nomem;
	r->m = m;
	r->ncaches = ss_model_ncaches(m);
	r->shift = mm->page_shift;
	r->dm_base = mm->page_offset;
	r->dm_span = mm->max_pfn << mm->page_shift;
	r->st.frames = mm->max_pfn - mm->min_pfn;
	uint64_t eb = opts && opts->max_edge_bytes ? opts->max_edge_bytes
						   : DEFAULT_EDGE_BYTES;
	r->edges_max = eb / sizeof(uint64_t);
	r->per_cache =
		calloc(r->ncaches ? r->ncaches : 1, sizeof(*r->per_cache));
	struct ss_error *err = r->per_cache ? NULL : &ss_error_nomem;
	if (!err)
		err = index_slabs(r, opts ? opts->caches : NULL);
	if (!err)
		err = index_skips(r);
	for (size_t i = 0; !err && opts && i < opts->nwatch; i++) {
		uint32_t gid = object_gid(r, opts->watch[i]);
		if (gid != UINT32_MAX)
			r->obj[gid] |= OBJ_WATCH;
	}
	if (!err)
		err = pass_run(r, opts);
	if (!err)
		err = rs_closure(r);
	if (err) {
		ss_refscan_destroy(r);
		return err;
	}
	*ret = r;
	return NULL;
}

void ss_refscan_destroy(struct ss_refscan *r)
{
	if (!r)
		return;
	free(r->per_cache);
	free(r->slabs);
	free(r->obj);
	free(r->objs);
	free(r->pfn_slab);
	free(r->skip);
	free(r->edges);
	free(r->watch_refs);
	free(r->tag_id);
	free(r->tags);
	ss_strindex_free(&r->tag_index);
	free(r->stack_pages);
	ss_addrmap_free(&r->referrer);
	free(r);
}

const struct ss_refscan_stats *ss_refscan_stats(const struct ss_refscan *r)
{
	return &r->st;
}

const struct ss_refscan_cache *ss_refscan_cache(const struct ss_refscan *r,
						uint32_t ci)
{
	static const struct ss_refscan_cache none;
	return ci < r->ncaches ? &r->per_cache[ci] : &none;
}

/* The object index of the allocator address obj, or UINT32_MAX. */
static uint32_t object_gid(const struct ss_refscan *r, uint64_t obj)
{
	uint64_t rel = obj - r->dm_base;
	if (rel >= r->dm_span)
		return UINT32_MAX;
	uint32_t si = r->pfn_slab[rel >> r->shift];
	if (!si)
		return UINT32_MAX;
	const struct rs_slab *s = &r->slabs[si - 1];
	uint64_t off = obj - s->base;
	if (off < s->left || off >= (uint64_t)s->nobj * s->size ||
	    (off - s->left) % s->size)
		return UINT32_MAX;
	return s->first + (uint32_t)((off - s->left) / s->size);
}

static enum ss_ref_class class_of(const struct ss_refscan *r, uint8_t f)
{
	if (!(f & OBJ_CANDIDATE))
		return SS_REF_NONE;
	if (f & (OBJ_ROOT | OBJ_REACHED))
		return SS_REF_REFERENCED;
	if (!(f & OBJ_CAND))
		return SS_REF_UNREFERENCED;
	return r->st.closure_complete ? SS_REF_ONLY_BY_UNREFERENCED
				      : SS_REF_REFERENCED;
}

struct ss_error *ss_refscan_for_each_candidate(
	const struct ss_refscan *r, uint32_t ci,
	struct ss_error *(*fn)(void *arg, uint64_t obj, enum ss_ref_class cls,
			       uint64_t slots, uint64_t slots_len),
	void *arg)
{
	const struct ss_model *m = r->m;
	if (ci >= r->ncaches)
		return NULL;
	const struct ss_cache *c = ss_model_cache(m, ci);
	size_t end = c->first_slab + c->nslabs;
	for (size_t i = c->first_slab; i < end && i < r->nslabs; i++) {
		const struct rs_slab *s = &r->slabs[i];
		if (!s->indexed || !s->candidate || s->cache != ci)
			continue;
		for (uint32_t j = 0; j < s->nobj; j++) {
			uint8_t f = r->obj[s->first + j];
			if (!(f & OBJ_CANDIDATE))
				continue;
			struct ss_error *err =
				fn(arg,
				   s->base + (uint64_t)j * s->size + s->left,
				   class_of(r, f), s->base,
				   (uint64_t)s->nobj * s->size);
			if (err)
				return err;
		}
	}
	return NULL;
}

enum ss_ref_class ss_refscan_class(const struct ss_refscan *r, uint64_t obj)
{
	uint32_t gid = object_gid(r, obj);
	return gid == UINT32_MAX ? SS_REF_NONE : class_of(r, r->obj[gid]);
}

uint64_t ss_refscan_referrer(const struct ss_refscan *r, uint64_t obj)
{
	uint32_t gid = object_gid(r, obj), src;
	if (gid == UINT32_MAX ||
	    !ss_addrmap_get(&r->referrer, gid + 1ULL, &src))
		return 0;
	return rs_object_addr(r, src);
}

uint64_t rs_object_addr(const struct ss_refscan *r, uint32_t gid)
{
	/* past the last slab whose first object is <= gid (first rises
	 * with the slab index; slabs without objects share it) */
	size_t lo = 0, hi = r->nslabs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->slabs[mid].first > gid)
			hi = mid;
		else
			lo = mid + 1;
	}
	for (size_t i = lo; i-- > 0;) {
		const struct rs_slab *s = &r->slabs[i];
		if (!s->nobj)
			continue;
		if (!s->indexed || gid < s->first || gid - s->first >= s->nobj)
			return 0;
		return s->base + (uint64_t)(gid - s->first) * s->size + s->left;
	}
	return 0;
}

size_t ss_refscan_references(const struct ss_refscan *r, uint64_t obj,
			     struct ss_ref_location *out, size_t max)
{
	uint32_t gid = object_gid(r, obj);
	size_t n = 0;
	for (size_t i = 0; gid != UINT32_MAX && i < r->nwatch_refs; i++) {
		const struct rs_watch_ref *w = &r->watch_refs[i];
		if (w->target != gid)
			continue;
		if (n < max)
			out[n] = (struct ss_ref_location){
				.at = w->at,
				.object = w->src == RS_ROOT
						  ? 0
						  : rs_object_addr(r, w->src),
			};
		n++;
	}
	return n;
}
