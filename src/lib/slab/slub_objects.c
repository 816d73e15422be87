/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SLUB objects: free pointer decoding (hardened or not), freelist walks
 * with cycle and double-free detection, partly overwritten pointers, and
 * the state of every object of every slab.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slub_priv.h"

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

bool slub_layout_sane(const struct ss_cache *c)
{
	return c->size >= 8 && c->size <= (1u << 24) &&
	       c->object_size <= c->size &&
	       c->red_left_pad < c->size &&
	       (uint64_t)c->offset + 8 <= c->size - c->red_left_pad;
}

/* ---- buffers ---- */

struct ss_error *slub_ensure_buf(struct slub_work *p, size_t len)
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

static struct ss_error *ensure_state(struct slub_work *p, size_t n)
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

void slub_work_deinit(struct slub_work *w)
{
	free(w->buf);
	free(w->state);
	free(w->next_tmp);
	free(w->cand);
	free(w->pointed);
	memset(w, 0, sizeof(*w));
}

/* ---- objects ---- */

/*
 * Walk one freelist of slab s from head, marking objects with mark.
 * rec: the model to add anomalies to (the load), NULL on re-reads.
 */
static struct ss_error *walk_freelist(const struct ss_model *m,
				      struct slub_work *p, struct ss_model *rec,
				      uint32_t ci, const struct ss_slab *s,
				      uint64_t head, uint64_t head_addr,
				      uint8_t mark, uint64_t *next_out,
				      uint32_t *count, bool *broken)
{
	const struct ss_cache *c = &m->caches[ci];
	uint8_t *state = p->state;
	uint64_t prev = 0, ptr = head;
	const char *which = mark == SS_OBJ_CPU_FREE ? "CPU freelist"
						    : "freelist";
	while (ptr) {
		int64_t i = obj_index(c, s, ptr);
		if (i < 0) {
			*broken = true;
			if (prev)
				p->broken_at = obj_index(c, s, prev);
			if (!rec)
				return NULL;
			if (prev) {
				struct ss_error *err = ss_model_record(
					rec,
					&(struct ss_anomaly_at){
						.kind = SS_FINDING_FREEPTR_INVALID,
						.cache = &m->caches[ci],
						.slab = s->page,
						.object = prev,
						.address = prev + c->offset,
						.found = ptr },
					"free object 0x%" PRIx64
					" stores a free pointer to 0x%" PRIx64
					", not an object of its slab 0x%" PRIx64,
					prev, ptr, s->page);
				p->invalid_anom = (int64_t)rec->nanomalies - 1;
				return err;
			}
			return ss_model_record(
				rec,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_FREEPTR_INVALID,
					.cache = &m->caches[ci],
					.slab = s->page,
					.address = head_addr,
					.found = ptr },
				"the %s of slab 0x%" PRIx64
				" starts at 0x%" PRIx64
				", not an object of the slab",
				which, s->page, ptr);
		}
		if (state[i] != ST_UNSET) {
			*broken = true;
			if (!rec)
				return NULL;
			if (state[i] == mark)
				return ss_model_record(
					rec,
					&(struct ss_anomaly_at){
						.kind = SS_FINDING_FREELIST_CYCLE,
						.cache = &m->caches[ci],
						.slab = s->page,
						.object = ptr,
						.address =
							prev ? prev + c->offset
							     : head_addr,
						.found = ptr },
					"the %s of slab 0x%" PRIx64
					" reaches object 0x%" PRIx64
					" twice (a cycle)",
					which, s->page, ptr);
			return ss_model_record(
				rec,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_DOUBLE_FREE,
					.cache = &m->caches[ci],
					.slab = s->page,
					.object = ptr,
					.address = prev ? prev + c->offset
							: head_addr,
					.found = ptr },
				"object 0x%" PRIx64
				" is on both the slab freelist and a CPU "
				"freelist",
				ptr);
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
static struct ss_error *find_redirects(const struct ss_model *m,
				       struct slub_work *p,
				       struct ss_model *rec, size_t idx,
				       struct ss_slab_counts *cnt)
{
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
	/* A redirect is a free object's pointer: none, none to look for
	 * (and a slab read without its bytes has none; see
	 * slub_slab_bytes_matter()). */
	if (!cnt->nfree && !cnt->ncpu_free)
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
		/* After a break, only a pointer that led straight to the
		 * object holding garbage explains it. */
		if (cnt->broken && (yi < 0 || yi != p->broken_at))
			continue;
		if (pass == 0 && !cnt->broken && (yi < 0 || !p->pointed[yi]))
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
			if (cnt->broken) {
				/* The object the bad pointer leads to holds
				 * garbage because it is not free at all: its
				 * state is unknown, and the invalid-pointer
				 * anomaly it raised is this damage. */
				if (p->state[yi] == SS_OBJ_FREE && cnt->nfree)
					cnt->nfree--;
				else if (p->state[yi] == SS_OBJ_CPU_FREE &&
					 cnt->ncpu_free)
					cnt->ncpu_free--;
				p->state[yi] = SS_OBJ_UNKNOWN;
				cnt->nunknown++;
				if (rec && p->invalid_anom >= 0 &&
				    p->invalid_anom ==
					    (int64_t)rec->nanomalies - 1)
					ss_model_anomaly_drop_last(rec);
			}
			cnt->broken = true;
			if (!rec)
				return NULL;
			return ss_model_record(
				rec,
				&(struct ss_anomaly_at){
					.kind = SS_FINDING_FREEPTR_REDIRECTED,
					.cache = &m->caches[s->cache],
					.slab = s->page,
					.object = fobj,
					.address = fobj + c->offset,
					.found = y },
				"free object 0x%" PRIx64 " points to 0x%" PRIx64
				", an object of its slab, but a chain of %u "
				"free-looking objects no freelist reaches "
				"starts at 0x%" PRIx64
				", which differs only in the low byte: its free "
				"pointer was partly overwritten",
				fobj, y, len, head);
		}
	}
	return NULL;
}

static struct ss_error *ensure_tmp(struct slub_work *p, size_t n)
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
 * Whether slab idx's classification depends on its bytes: only through
 * free pointers, and a slab whose freelist and CPU freelist are both
 * empty has none to follow (its objects are allocated, or in sheaves,
 * which are known from elsewhere).  On a busy machine most slabs are
 * such full slabs; skipping them skips most of the decompression.
 */
static bool slub_slab_bytes_matter(const struct ss_model *m, size_t idx)
{
	return m->slabs[idx].freelist || cpriv(m)->cpu_freelist[idx];
}

/* Whether the analysis of slab idx can go without its bytes: they do not
 * matter, and the dump is known to hold them (so that a slab the dump
 * lacks is reported as unreadable, as if it had been read). */
static bool slub_slab_skip_read(const struct ss_model *m, size_t idx)
{
	const struct ss_slab *s = &m->slabs[idx];
	const struct ss_cache *c = &m->caches[s->cache];
	return !slub_slab_bytes_matter(m, idx) &&
	       ss_mem_holds(m->mem, s->base, (uint64_t)s->objects * c->size) ==
		       1;
}

/*
 * Classify the objects of slab idx into p->state.  bytes: the slab's
 * memory when the caller already read it (the load reads runs of slabs),
 * else NULL to read it here.
 */
struct ss_error *slub_analyse_slab(const struct ss_model *m,
				   struct slub_work *p, struct ss_model *rec,
				   size_t idx, const unsigned char *bytes,
				   uint64_t *next_out,
				   struct ss_slab_counts *cnt)
{
	const struct slub_priv *sp = cpriv(m);
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
	err = slub_ensure_buf(p, len);
	if (err)
		return err;
	if (!slub_layout_sane(c)) {
		memset(p->state, SS_OBJ_UNKNOWN, s->objects);
		cnt->nunknown = s->objects;
		return NULL;
	}
	p->cur = bytes ? bytes : p->buf;
	if (!bytes && !slub_slab_skip_read(m, idx))
		err = ss_mem_read(m->mem, s->base, p->buf, len);
	if (err) {
		memset(p->state, SS_OBJ_UNKNOWN, s->objects);
		cnt->nunknown = s->objects;
		cnt->unreadable = true;
		return ss_model_record_unreadable(
			rec, err,
			(struct ss_anomaly_at){ .cache = c, .slab = s->page },
			"slab 0x%" PRIx64 " memory unreadable", s->page);
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
	p->broken_at = -1;
	p->invalid_anom = -1;
	err = walk_freelist(m, p, rec, s->cache, s, s->freelist,
			    s->page + sp->l.sl_freelist.off, SS_OBJ_FREE,
			    p->next_tmp, &cnt->nfree, &cnt->broken);
	if (!err && sp->cpu_freelist[idx])
		err = walk_freelist(m, p, rec, s->cache, s,
				    sp->cpu_freelist[idx],
				    sp->cpu_freelist_at[idx], SS_OBJ_CPU_FREE,
				    p->next_tmp, &cnt->ncpu_free, &cnt->broken);
	/* Objects in sheaves keep the stale free pointers of their time on
	 * a freelist: marked before the redirect check, which would take
	 * them for a cut-off chain (found on the sid fixture). */
	if (!err)
		err = slub_sheaf_objects(m, p, rec, idx, cnt);
	if (!err)
		err = find_redirects(m, p, rec, idx, cnt);
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
	    (s->frozen || s->counters_bad ||
	     cnt->nfree + cnt->ncpu_free !=
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
	/* Frozen slabs (a CPU's, a CPU partial list's) keep the same
	 * count: the CPU takes the freelist with inuse = objects, and
	 * frees from other CPUs push onto the slab's freelist and
	 * decrement inuse (mm/slub.c get_freelist(), __slab_free()). */
	if (rec && !cnt->broken && !s->counters_bad &&
	    s->inuse != s->objects - cnt->nfree)
		err = ss_model_record(
			rec,
			&(struct ss_anomaly_at){
				.kind = SS_FINDING_COUNTER_MISMATCH,
				.cache = &m->caches[s->cache],
				.slab = s->page,
				.address = s->page + sp->l.sl_inuse.bit_off / 8,
				.found = s->inuse },
			"slab 0x%" PRIx64 " inuse is %u but %u of its %u "
			"objects are free",
			s->page, s->inuse, cnt->nfree, s->objects);
	return err;
}

/* Read a slab into the buffer for sampling; nonzero if it cannot be read
 * (the full analysis reports that later). */
static int ss_mem_read_nofail(struct ss_model *m, uint64_t addr, size_t len)
{
	struct ss_error *err =
		ss_mem_read(m->mem, addr, priv(m)->work.buf, len);
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
	if (!slub_layout_sane(c))
		return 0;
	for (size_t i = c->first_slab;
	     i < c->first_slab + c->nslabs && sampled < ENC_SAMPLE_SLABS; i++) {
		const struct ss_slab *s = &m->slabs[i];
		uint64_t heads[2] = { s->freelist, p->cpu_freelist[i] };
		if ((!heads[0] && !heads[1]) || !s->objects)
			continue;
		size_t len = (size_t)s->objects * c->size;
		if (slub_ensure_buf(&p->work, len) ||
		    ss_mem_read_nofail(m, s->base, len))
			continue;
		sampled++;
		for (int h = 0; h < 2; h++) {
			uint64_t ptr = heads[h];
			for (unsigned step = 0; ptr && step < ENC_SAMPLE_STEPS;
			     step++) {
				if (obj_index(c, s, ptr) < 0)
					break;
				uint64_t raw;
				memcpy(&raw,
				       p->work.buf +
					       (ptr + c->offset - s->base),
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

void slub_decide_encoding(struct ss_model *m, uint32_t ci)
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

/*
 * Classify every object of every slab.  Slabs are visited in physical
 * order and physically contiguous slabs are read in one request of up to
 * RUN_BYTES: cache by cache, the same reads cost a quarter more on a
 * 4 GiB dump (libkdumpfile decompresses whole blocks; its cache likes
 * order).  A run that cannot be read falls back to one slab at a time.
 * With read-ahead threads (ss_model_jobs() > 1) the runs, and the slabs
 * alone in theirs, are read on the other cores in that order while this
 * thread classifies: the same bytes, so the same model.
 */
#define RUN_BYTES (1024 * 1024)

/* Slabs order[i..j) and the bytes read for them: a run of contiguous
 * slabs ([start, end)), or one slab's objects (single). */
struct run {
	size_t i, j;
	uint64_t start, end;
	bool read; /* read as a whole before its slabs are classified */
};

/* The runs of the slabs order[0..n) (by page), read ahead or not. */
static struct run *plan_runs(const struct ss_model *m, const uint32_t *order,
			     size_t n, bool ahead, size_t *nruns)
{
	struct run *v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		/* Gather a run of contiguous slabs. */
		size_t j = i;
		uint64_t start = m->slabs[order[i]].base, end = start;
		if (!slub_slab_bytes_matter(m, order[i])) {
			/* Read by slub_analyse_slab() only if the dump may
			 * lack it (slub_slab_skip_read()): a run of its own,
			 * not read ahead. */
			v[k++] = (struct run){ .i = i, .j = i + 1 };
			i++;
			continue;
		}
		while (j < n) {
			const struct ss_slab *s = &m->slabs[order[j]];
			uint64_t span = m->mm.page_size << s->order;
			if (s->base != end || end + span - start > RUN_BYTES ||
			    !slub_slab_bytes_matter(m, order[j]))
				break;
			end += span;
			j++;
		}
		if (j == i)
			j = i + 1; /* a slab larger than a run: alone */
		struct run *r = &v[k++];
		*r = (struct run){ .i = i,
				   .j = j,
				   .start = start,
				   .end = end,
				   .read = j > i + 1 };
		if (j == i + 1 && ahead) {
			/* Alone: what slub_analyse_slab() would read. */
			const struct ss_slab *s = &m->slabs[order[i]];
			const struct ss_cache *c = &m->caches[s->cache];
			r->end = r->start + (uint64_t)s->objects * c->size;
			r->read = s->objects && slub_layout_sane(c);
		}
		i = j;
	}
	*nruns = k;
	return v;
}

static struct ss_error *start_readahead(struct ss_model *m,
					const struct run *runs, size_t nruns,
					struct ss_readahead **ra)
{
	size_t n = 0;
	for (size_t k = 0; k < nruns; k++)
		n += runs[k].read;
	struct ss_range *ranges = malloc((n ? n : 1) * sizeof(*ranges));
	if (!ranges)
		return &ss_error_nomem;
	n = 0;
	for (size_t k = 0; k < nruns; k++)
		if (runs[k].read)
			ranges[n++] = (struct ss_range){
				runs[k].start,
				(size_t)(runs[k].end - runs[k].start)
			};
	struct ss_error *err = ss_readahead_start(
		m->mem, ss_model_jobs(m), ranges, n, SS_READAHEAD_WINDOW, ra);
	free(ranges);
	return err;
}

struct ss_error *slub_analyse_all(struct ss_model *m)
{
	uint32_t *order = malloc((m->nslabs ? m->nslabs : 1) * sizeof(*order));
	unsigned char *buf = malloc(RUN_BYTES);
	if (!order || !buf) {
		free(order);
		free(buf);
		return &ss_error_nomem;
	}
	size_t n = 0;
	for (size_t i = 0; i < m->nslabs; i++)
		if (m->slabs[i].cache != SS_NO_CACHE)
			order[n++] = (uint32_t)i;
	qsort_r(order, n, sizeof(*order), cmp_by_page, m->slabs);
	bool ahead = ss_model_jobs(m) > 1 && m->mem->fork;
	size_t nruns = 0;
	struct run *runs = plan_runs(m, order, n, ahead, &nruns);
	struct ss_readahead *ra = NULL;
	struct ss_error *err = runs ? NULL : &ss_error_nomem;
	if (!err && ahead)
		err = start_readahead(m, runs, nruns, &ra);
	for (size_t k = 0; k < nruns && !err; k++) {
		const struct run *r = &runs[k];
		const unsigned char *bytes = NULL;
		if (r->read) {
			struct ss_error *rerr;
			if (ra) {
				ss_readahead_next(ra, &bytes, &rerr);
			} else {
				bytes = buf;
				rerr = ss_mem_read(m->mem, r->start, buf,
						   r->end - r->start);
			}
			if (rerr) {
				bytes = NULL;
				if (rerr->code == SS_ERR_NOMEM)
					err = rerr;
				else
					ss_error_destroy(rerr);
			}
		}
		for (size_t i = r->i; i < r->j && !err; i++) {
			struct ss_slab *s = &m->slabs[order[i]];
			const struct ss_cache *c = &m->caches[s->cache];
			bool fits = bytes &&
				    (r->j == r->i + 1 ||
				     (uint64_t)s->objects * c->size <=
					     (m->mm.page_size << s->order));
			struct ss_slab_counts cnt;
			err = slub_analyse_slab(
				m, &priv(m)->work, m, order[i],
				fits ? bytes + (s->base - r->start) : NULL,
				NULL, &cnt);
			if (!err)
				ss_model_account_slab(m, s, &cnt);
		}
	}
	ss_readahead_stop(ra);
	free(runs);
	free(order);
	free(buf);
	return err;
}

/*
 * A cache with no intact free chain to score (all objects allocated, or
 * its only chain corrupt) gets the scheme most caches of this kernel use:
 * the scheme is kernel-wide, only s->random differs per cache.
 */
void slub_infer_encodings(struct ss_model *m)
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
