/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Grouping the objects of one cache by who allocated them.
 *
 * With SLAB_STORE_USER each object carries its alloc track: the group key
 * is the caller (or the whole stack).  Without, the object's own bytes are
 * all there is: the key is a printable tag at its start, else the first
 * word that points at a kernel or module symbol (ops tables, callbacks),
 * else its first 8 bytes.  Either way a leak is one big group.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/diff.h>
#include <slabscope/leaks.h>
#include <slabscope/symbolize.h>
#include <slabscope/track.h>

#include "leaks_priv.h"
#include "lib/util/strindex.h"

/* Bytes of an object scanned for a content signature. */
#define SIGNATURE_SCAN SS_LEAKS_SIGNATURE_SCAN

struct grouper {
	struct ss_leak_group *v;
	size_t n, cap;
	struct ss_strindex index; /* by key */
};

static const char *group_key(const void *arg, uint32_t i)
{
	const struct grouper *g = arg;
	return g->v[i].key;
}

/* The group for key, created if new (key is copied). */
static struct ss_error *group_for(struct grouper *g, const char *key,
				  struct ss_leak_group **ret)
{
	uint32_t *slot = ss_strindex_slot(&g->index, key, g->n, group_key, g);
	if (!slot)
		return &ss_error_nomem;
	if (*slot) {
		*ret = &g->v[*slot - 1];
		return NULL;
	}
	if (g->n == g->cap) {
		size_t ncap = g->cap ? g->cap * 2 : 64;
		struct ss_leak_group *nv = realloc(g->v, ncap * sizeof(*nv));
		if (!nv)
			return &ss_error_nomem;
		g->v = nv;
		g->cap = ncap;
	}
	struct ss_leak_group *grp = &g->v[g->n];
	memset(grp, 0, sizeof(*grp));
	grp->key = strdup(key);
	if (!grp->key)
		return &ss_error_nomem;
	grp->pid_min = INT32_MAX;
	grp->pid_max = INT32_MIN;
	*slot = (uint32_t)(++g->n);
	*ret = grp;
	return NULL;
}

/* An object of the group that the report is about: an example, and
 * its track's age, pid and CPU. */
static void account(struct ss_leak_group *grp, uint64_t obj,
		    const struct ss_track *t, uint64_t referrer)
{
	if (grp->nexamples < SS_LEAK_EXAMPLES) {
		grp->referrers[grp->nexamples] = referrer;
		grp->examples[grp->nexamples++] = obj;
	}
	if (!t || !t->valid)
		return;
	if (t->has_age) {
		if (!grp->has_age || t->age_s < grp->age_min_s)
			grp->age_min_s = t->age_s;
		if (!grp->has_age || t->age_s > grp->age_max_s)
			grp->age_max_s = t->age_s;
		grp->age_sum_s += t->age_s;
		grp->has_age = true;
	}
	if (t->pid < grp->pid_min)
		grp->pid_min = t->pid;
	if (t->pid > grp->pid_max)
		grp->pid_max = t->pid;
	if (t->cpu >= 0 && t->cpu < SS_LEAK_MAX_CPUS)
		grp->cpus |= 1ULL << t->cpu;
}

/* Symbolized callers and stacks, memoized: thousands of objects share a
 * handful of call sites. */
struct memo {
	uint64_t *keys;
	char **vals;
	size_t n, cap;
};

static const char *memo_symbol(struct memo *mm, struct ss_symbolizer *sym,
			       uint64_t addr, char *fallback, size_t len)
{
	for (size_t i = 0; i < mm->n; i++)
		if (mm->keys[i] == addr)
			return mm->vals[i];
	char *s = NULL;
	struct ss_error *err = ss_symbolize(sym, addr, &s);
	ss_error_destroy(err);
	if (mm->n == mm->cap) {
		size_t ncap = mm->cap ? mm->cap * 2 : 64;
		uint64_t *k = realloc(mm->keys, ncap * sizeof(*k));
		if (k)
			mm->keys = k;
		char **v = realloc(mm->vals, ncap * sizeof(*v));
		if (v)
			mm->vals = v;
		if (!k || !v) {
			snprintf(fallback, len, "0x%" PRIx64, addr);
			free(s);
			return fallback;
		}
		mm->cap = ncap;
	}
	if (!s) {
		if (asprintf(&s, "0x%" PRIx64, addr) < 0) {
			snprintf(fallback, len, "0x%" PRIx64, addr);
			return fallback;
		}
	}
	mm->keys[mm->n] = addr;
	mm->vals[mm->n++] = s;
	return s;
}

static void memo_free(struct memo *mm)
{
	for (size_t i = 0; i < mm->n; i++)
		free(mm->vals[i]);
	free(mm->keys);
	free(mm->vals);
}

/* A printable tag of at least 4 characters at the object's start. */
bool ss_leaks_tag(const uint8_t *p, size_t len, char *out, size_t outlen)
{
	size_t n = 0;
	while (n < len && n < outlen - 1 && n < 16 && isprint(p[n]) &&
	       !isspace(p[n]))
		n++;
	if (n < 4 || (n < len && p[n] != 0 && n < 8))
		return false;
	/* A tag that fills whole words needs no NUL: when the printable run
	 * spills into a word that also holds other data (a pointer's low
	 * bytes), the tag ends at the word boundary. */
	if (n > 8 && n % 8) {
		size_t word_end = (n / 8 + 1) * 8;
		for (size_t i = n; i < word_end && i < len; i++)
			if (p[i] != 0) {
				n -= n % 8;
				break;
			}
	}
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

/* Is this a symbol worth grouping by (not a fallback description)? */
static bool real_symbol(const char *s)
{
	return s && s[0] != '0';
}

static void content_signature(const uint8_t *p, size_t len,
			      struct ss_symbolizer *sym, struct memo *mm,
			      char *out, size_t outlen)
{
	char tag[17], fb[32];
	if (ss_leaks_tag(p, len, tag, sizeof(tag))) {
		snprintf(out, outlen, "tag:%s", tag);
		return;
	}
	for (size_t off = 0; off + 8 <= len && off < SIGNATURE_SCAN; off += 8) {
		uint64_t w;
		memcpy(&w, p + off, 8);
		if (!ss_symbolizer_maybe_code(sym, w))
			continue;
		const char *s = memo_symbol(mm, sym, w, fb, sizeof(fb));
		if (real_symbol(s)) {
			snprintf(out, outlen, "ptr@+%zu:%s", off, s);
			return;
		}
	}
	size_t n = len < 8 ? len : 8;
	int k = snprintf(out, outlen, "bytes:");
	for (size_t i = 0; i < n && k > 0 && (size_t)k + 3 < outlen; i++)
		k += snprintf(out + k, outlen - (size_t)k, "%02x", p[i]);
}

static int cmp_groups(const void *a, const void *b)
{
	const struct ss_leak_group *x = a, *y = b;
	uint64_t ux = x->unreferenced + x->only_by_unreferenced;
	uint64_t uy = y->unreferenced + y->only_by_unreferenced;
	if (ux != uy) /* 0 without a reference scan */
		return ux < uy ? 1 : -1;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->key, y->key);
}

static struct ss_error *stack_key(struct memo *mm, struct ss_symbolizer *sym,
				  const struct ss_track *t, char **ret)
{
	size_t len = 1;
	char fb[32];
	const char *parts[64];
	size_t n = t->nstack < 64 ? t->nstack : 64;
	for (size_t i = 0; i < n; i++) {
		parts[i] = memo_symbol(mm, sym, t->stack[i], fb, sizeof(fb));
		if (parts[i] == fb)
			parts[i] = "?";
		len += strlen(parts[i]) + 1;
	}
	char *k = malloc(len);
	if (!k)
		return &ss_error_nomem;
	k[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strcat(k, parts[i]);
		if (i + 1 < n)
			strcat(k, "\n");
	}
	*ret = k;
	return NULL;
}

struct leaks_walk {
	const struct ss_target *t;
	const struct ss_cache *c;
	const struct ss_leaks_options *opts;
	struct ss_symbolizer *sym;
	struct ss_track_reader *tr;
	bool tracks;
	struct grouper g;
	struct memo mm;
	uint8_t *buf;
	size_t scan;
	struct ss_leaks_result *res;
	/* The slots of the object's slab, read once for all its objects'
	 * signatures: one read per slab instead of one per object. */
	uint64_t slots, slots_len;
	uint8_t *slab_buf;
	size_t slab_cap;
	uint64_t slab_at, slab_len; /* what slab_buf holds (0: nothing) */
	/* The last tag the reference scan gave (interned there: equal
	 * pointers are equal tags) and its group's index: runs of objects
	 * with one tag skip the key and the lookup. */
	const char *last_tag;
	size_t last_group;
};

/* Past this a slab's slots are read object by object. */
#define SLAB_READ_MAX (1u << 20)

/* The first w->scan bytes of obj, or NULL if unreadable. */
static const uint8_t *object_bytes(struct leaks_walk *w, uint64_t obj)
{
	if (w->slots_len && w->slots_len <= SLAB_READ_MAX &&
	    obj >= w->slots && obj - w->slots + w->scan <= w->slots_len) {
		if (w->slab_at != w->slots || w->slab_len != w->slots_len) {
			w->slab_len = 0;
			if (w->slots_len > w->slab_cap) {
				uint8_t *b = realloc(w->slab_buf, w->slots_len);
				if (!b)
					goto one;
				w->slab_buf = b;
				w->slab_cap = w->slots_len;
			}
			struct ss_error *err = ss_mem_read(
				w->t->mem, w->slots, w->slab_buf, w->slots_len);
			if (err) {
				ss_error_destroy(err);
				goto one;
			}
			w->slab_at = w->slots;
			w->slab_len = w->slots_len;
		}
		return w->slab_buf + (obj - w->slots);
	}
one:;
	struct ss_error *err = ss_mem_read(w->t->mem, obj, w->buf, w->scan);
	if (err) {
		ss_error_destroy(err);
		return NULL;
	}
	return w->buf;
}

/* The group key of one object: its track's caller or stack, or its
 * content signature.  *owned is set when the key was allocated. */
static struct ss_error *object_key(struct leaks_walk *w, uint64_t obj,
				   enum ss_obj_state state, char *key, size_t keylen, char **owned,
				   struct ss_track *alloc, struct ss_track *freet,
				   struct ss_track **used)
{
	char fb[32];
	*owned = NULL;
	*used = NULL;
	if (!w->tracks) {
		/* the reference scan took the tag while it read the object */
		const char *tag;
		if (w->opts->refs &&
		    ss_refscan_tag(w->opts->refs, obj, &tag) > 0) {
			snprintf(key, keylen, "tag:%s", tag);
			return NULL;
		}
		const uint8_t *p = object_bytes(w, obj);
		if (!p)
			snprintf(key, keylen, "(unreadable)");
		else
			content_signature(p, w->scan, w->sym, &w->mm, key,
					  keylen);
		return NULL;
	}
	ss_track_read(w->tr, w->c, obj, state,
		      w->opts->by_stack ? SS_TRACK_STACK : 0, alloc, freet);
	*used = w->opts->free_side ? freet : alloc;
	if (!(*used)->valid) {
		snprintf(key, keylen, "(no track)");
		return NULL;
	}
	if (w->opts->by_stack)
		return stack_key(&w->mm, w->sym, *used, owned);
	snprintf(key, keylen, "%s",
		 memo_symbol(&w->mm, w->sym, (*used)->addr, fb, sizeof(fb)));
	return NULL;
}

/* One object into its group (cls: its class after a reference scan,
 * SS_REF_NONE without). */
static struct ss_error *group_one(struct leaks_walk *w, uint64_t addr,
				  enum ss_obj_state state,
				  enum ss_ref_class cls)
{
	char key[256];
	char *owned;
	struct ss_track alloc = { 0 }, freet = { 0 }, *used;
	struct ss_leak_group *grp = NULL;
	struct ss_error *err = NULL;
	const char *tag = NULL;
	owned = NULL;
	used = NULL;
	if (w->opts->refs && !w->tracks &&
	    ss_refscan_tag(w->opts->refs, addr, &tag) > 0 && tag == w->last_tag)
		grp = &w->g.v[w->last_group];
	if (!grp)
		err = object_key(w, addr, state, key, sizeof(key), &owned,
				 &alloc, &freet, &used);
	if (!err && !grp) {
		err = group_for(&w->g, owned ? owned : key, &grp);
		if (!err && tag) {
			w->last_tag = tag;
			w->last_group = (size_t)(grp - w->g.v);
		}
	}
	if (!err) {
		grp->count++;
		w->res->objects++;
		if (cls == SS_REF_UNREFERENCED) {
			grp->unreferenced++;
			w->res->unreferenced++;
		} else if (cls == SS_REF_ONLY_BY_UNREFERENCED) {
			grp->only_by_unreferenced++;
			w->res->only_by_unreferenced++;
		}
		if (!w->opts->refs || cls != SS_REF_REFERENCED)
			account(grp, addr, used,
				cls == SS_REF_ONLY_BY_UNREFERENCED
					? ss_refscan_referrer(w->opts->refs,
							      addr)
					: 0);
	}
	free(owned);
	ss_track_deinit(&alloc);
	ss_track_deinit(&freet);
	return err;
}

static struct ss_error *group_object(void *arg, const struct ss_slab *s,
				     const struct ss_object *o)
{
	struct leaks_walk *w = arg;
	bool is_free = ss_obj_state_is_free(o->state);
	if (w->opts->free_side ? !is_free : o->state != SS_OBJ_ALLOCATED)
		return NULL;
	w->slots = s->base;
	w->slots_len = (uint64_t)s->objects * w->c->size;
	return group_one(w, o->addr, o->state, SS_REF_NONE);
}

static struct ss_error *group_candidate(void *arg, uint64_t obj,
					enum ss_ref_class cls, uint64_t slots,
					uint64_t slots_len)
{
	struct leaks_walk *w = arg;
	w->slots = slots;
	w->slots_len = slots_len;
	return group_one(w, obj, SS_OBJ_ALLOCATED, cls);
}

/* Cache ci's groups into res, naming callers with sym and reading tracks
 * with tr (the caller's: one of each serves every cache of
 * ss_leaks_unreferenced, its module list loaded once); res's symbol
 * warnings are left to the caller. */
static struct ss_error *group_cache(struct ss_model *m, uint32_t ci,
				    const struct ss_leaks_options *opts,
				    struct ss_symbolizer *sym,
				    struct ss_track_reader *tr,
				    struct ss_leaks_result *res)
{
	static const struct ss_leaks_options defaults;
	memset(res, 0, sizeof(*res));
	struct leaks_walk w = {
		.t = ss_model_target(m),
		.c = ss_model_cache(m, ci),
		.opts = opts ? opts : &defaults,
		.res = res,
		.sym = sym,
		.tr = tr,
	};
	struct ss_error *err = NULL;
	w.tracks = (w.c->flags & SS_SLAB_STORE_USER) && ss_track_usable(w.tr) &&
		   !w.opts->force_content;
	res->method = w.tracks ? SS_LEAK_TRACK : SS_LEAK_CONTENT;
	w.scan = w.c->object_size < SIGNATURE_SCAN ? w.c->object_size
						   : SIGNATURE_SCAN;
	w.buf = malloc(w.scan ? w.scan : 1);
	if (!w.buf)
		err = &ss_error_nomem;
	if (!err && w.opts->refs)
		err = ss_refscan_for_each_candidate(w.opts->refs, ci,
						    group_candidate, &w);
	else if (!err)
		err = ss_model_for_each_object(m, ci, group_object, &w);
	if (!err) {
		/* No groups (no objects): w.g.v is NULL, and qsort's pointer
		 * must not be, even for 0 elements (UBSan; found by
		 * tests/fuzz/fuzz_slab.c). */
		if (w.opts->refs) {
			/* only the groups with unreachable objects */
			size_t k = 0;
			for (size_t i = 0; i < w.g.n; i++) {
				if (w.g.v[i].unreferenced +
				    w.g.v[i].only_by_unreferenced)
					w.g.v[k++] = w.g.v[i];
				else
					free(w.g.v[i].key);
			}
			w.g.n = k;
		}
		if (w.g.n)
			qsort(w.g.v, w.g.n, sizeof(*w.g.v), cmp_groups);
		res->groups = w.g.v;
		res->ngroups = w.g.n;
		w.g.v = NULL;
		w.g.n = 0;
	}
	for (size_t i = 0; i < w.g.n; i++)
		free(w.g.v[i].key);
	free(w.g.v);
	ss_strindex_free(&w.g.index);
	free(w.buf);
	free(w.slab_buf);
	memo_free(&w.mm);
	if (err)
		ss_leaks_result_deinit(res);
	return err;
}

struct ss_error *ss_leaks_group(struct ss_model *m, uint32_t ci,
				const struct ss_leaks_options *opts,
				struct ss_leaks_result *res)
{
	const struct ss_target *t = ss_model_target(m);
	struct ss_symbolizer *sym = NULL;
	struct ss_track_reader *tr = NULL;
	memset(res, 0, sizeof(*res));
	struct ss_error *err = ss_symbolizer_create(t, &sym);
	if (!err)
		err = ss_track_reader_create(t, NULL, &tr);
	if (!err)
		err = group_cache(m, ci, opts, sym, tr, res);
	if (!err) {
		err = ss_symbolizer_take_warnings(sym, &res->symbol_warnings,
						  &res->nsymbol_warnings);
		if (err)
			ss_leaks_result_deinit(res);
	}
	ss_track_reader_destroy(tr);
	ss_symbolizer_destroy(sym);
	return err;
}

void ss_leaks_result_deinit(struct ss_leaks_result *r)
{
	for (size_t i = 0; i < r->ngroups; i++)
		free(r->groups[i].key);
	free(r->groups);
	for (size_t i = 0; i < r->nsymbol_warnings; i++)
		free(r->symbol_warnings[i]);
	free(r->symbol_warnings);
	memset(r, 0, sizeof(*r));
}

static int cmp_unref_caches(const void *a, const void *b)
{
	const struct ss_unref_cache *x = a, *y = b;
	uint64_t ux = x->unreferenced + x->only_by_unreferenced;
	uint64_t uy = y->unreferenced + y->only_by_unreferenced;
	if (ux != uy)
		return ux < uy ? 1 : -1;
	return x->cache < y->cache ? -1 : x->cache > y->cache;
}

struct ss_error *ss_leaks_unreferenced(struct ss_model *m,
				       const struct ss_leaks_options *opts,
				       struct ss_unref_result *res)
{
	memset(res, 0, sizeof(*res));
	if (!opts || !opts->refs)
		return ss_error_create(SS_ERR_INVALID,
				       "ss_leaks_unreferenced without a "
				       "reference scan");
	size_t n = ss_model_ncaches(m), k = 0;
	for (size_t ci = 0; ci < n; ci++) {
		const struct ss_refscan_cache *rc =
			ss_refscan_cache(opts->refs, (uint32_t)ci);
		k += rc->unreferenced + rc->only_by_unreferenced > 0;
	}
	res->caches = calloc(k ? k : 1, sizeof(*res->caches));
	if (!res->caches)
		return &ss_error_nomem;
	const struct ss_target *t = ss_model_target(m);
	struct ss_symbolizer *sym = NULL;
	struct ss_track_reader *tr = NULL;
	struct ss_error *err = ss_symbolizer_create(t, &sym);
	if (!err)
		err = ss_track_reader_create(t, NULL, &tr);
	for (size_t ci = 0; ci < n && !err; ci++) {
		const struct ss_refscan_cache *rc =
			ss_refscan_cache(opts->refs, (uint32_t)ci);
		if (!(rc->unreferenced + rc->only_by_unreferenced))
			continue;
		struct ss_unref_cache *uc = &res->caches[res->ncaches];
		uc->cache = (uint32_t)ci;
		uc->candidates = rc->candidates;
		uc->unreferenced = rc->unreferenced;
		uc->only_by_unreferenced = rc->only_by_unreferenced;
		err = group_cache(m, (uint32_t)ci, opts, sym, tr, &uc->groups);
		if (!err)
			res->ncaches++;
	}
	if (!err && res->ncaches)
		qsort(res->caches, res->ncaches, sizeof(*res->caches),
		      cmp_unref_caches);
	if (!err)
		err = ss_symbolizer_take_warnings(sym, &res->symbol_warnings,
						  &res->nsymbol_warnings);
	ss_track_reader_destroy(tr);
	ss_symbolizer_destroy(sym);
	if (err)
		ss_unref_result_deinit(res);
	return err;
}

void ss_unref_result_deinit(struct ss_unref_result *r)
{
	for (size_t i = 0; i < r->ncaches; i++)
		ss_leaks_result_deinit(&r->caches[i].groups);
	free(r->caches);
	for (size_t i = 0; i < r->nsymbol_warnings; i++)
		free(r->symbol_warnings[i]);
	free(r->symbol_warnings);
	memset(r, 0, sizeof(*r));
}

size_t ss_unref_crossing(const struct ss_model *m,
			 const struct ss_refscan *refs,
			 const struct ss_threshold *t, uint32_t *caches_ret)
{
	size_t n = ss_model_ncaches(m), k = 0;
	for (size_t ci = 0; ci < n; ci++) {
		const struct ss_refscan_cache *rc =
			ss_refscan_cache(refs, (uint32_t)ci);
		if (!rc->candidates)
			continue;
		const struct ss_cache *c = ss_model_cache(m, ci);
		uint64_t u = rc->unreferenced + rc->only_by_unreferenced;
		if (!ss_threshold_level_crossed(t, c->name, u, rc->candidates,
						u * c->object_size))
			continue;
		if (caches_ret)
			caches_ret[k] = (uint32_t)ci;
		k++;
	}
	return k;
}
