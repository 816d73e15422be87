/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The check driver: the model's anomalies (free pointers, freelists, lists,
 * counters) become findings, then the byte checks run over every slab of
 * the debug caches, and each overwrite gets a culprit hint.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_priv.h"

struct ss_finding *checker_add(struct checker *c, enum ss_finding_id kind,
			       uint32_t cache, uint64_t slab, uint64_t object,
			       uint64_t address, const char *fmt, ...)
{
	struct ss_check_result *r = c->r;
	if (r->nfindings == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 32;
		struct ss_finding *n = realloc(r->findings, ncap * sizeof(*n));
		if (!n)
			return NULL;
		r->findings = n;
		c->cap = ncap;
	}
	struct ss_finding *f = &r->findings[r->nfindings];
	memset(f, 0, sizeof(*f));
	f->kind = &ss_finding_kinds[kind];
	f->cache = cache;
	f->slab = slab;
	f->object = object;
	f->address = address;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&f->message, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	r->nfindings++;
	return f;
}

static const struct ss_slab *slab_at(struct ss_model *m, uint64_t page)
{
	size_t n;
	const struct ss_slab *slabs = ss_model_slabs(m, &n);
	for (size_t i = 0; i < n; i++)
		if (slabs[i].page == page)
			return &slabs[i];
	return NULL;
}

/* The model's anomalies as findings. */
static struct ss_error *add_anomalies(struct checker *c, const bool *selected,
				      bool all)
{
	struct ss_model *m = c->m;
	for (size_t i = 0; i < ss_model_nanomalies(m); i++) {
		const struct ss_anomaly *a = ss_model_anomaly(m, i);
		if (a->cache == SS_NO_CACHE ? !all : !selected[a->cache])
			continue;
		struct ss_finding *f =
			checker_add(c, a->kind, a->cache, a->slab, a->object,
				    a->address, "%s", a->message);
		if (!f)
			return &ss_error_nomem;
		if (a->kind == SS_FINDING_FREEPTR_INVALID ||
		    a->kind == SS_FINDING_FREEPTR_REDIRECTED ||
		    a->kind == SS_FINDING_FREELIST_CYCLE ||
		    a->kind == SS_FINDING_DOUBLE_FREE ||
		    a->kind == SS_FINDING_SLAB_CACHE_INVALID) {
			f->has_value = true;
			f->value = a->found;
		}
		/* A bad free pointer inside a free object: the bytes were
		 * most likely written by the allocated object before it.  A
		 * pointer that closes a freelist cycle (at a->address) may be
		 * such an overwritten pointer too: a one-byte overflow can
		 * make a hardened pointer decode to its own object (seen on
		 * the la57 fixture); a double free leaves the same shape, so
		 * the hint says both. */
		bool cycle = a->kind == SS_FINDING_FREELIST_CYCLE;
		if ((a->kind == SS_FINDING_FREEPTR_INVALID ||
		     a->kind == SS_FINDING_FREEPTR_REDIRECTED || cycle) &&
		    a->object && a->cache != SS_NO_CACHE) {
			const struct ss_slab *s = slab_at(m, a->slab);
			if (s) {
				size_t idx = (size_t)(f - c->r->findings);
				struct ss_error *err = culprit_find(
					c, f, a->cache, s,
					cycle ? a->address : a->object,
					SS_SUSPECT_PREVIOUS);
				f = &c->r->findings[idx];
				if (err)
					return err;
				if (cycle && f->has_culprit)
					f->culprit.relation =
						SS_CULPRIT_CYCLE_OVERFLOW_OR_DOUBLE_FREE;
			}
		}
	}
	return NULL;
}

static struct ss_error *select_caches(struct ss_model *m,
				      const struct ss_check_options *opts,
				      bool **selected_ret, bool *all)
{
	size_t n = ss_model_ncaches(m);
	bool *sel = calloc(n ? n : 1, sizeof(*sel));
	if (!sel)
		return &ss_error_nomem;
	*all = !opts || opts->ncaches == 0;
	for (size_t i = 0; *all && i < n; i++)
		sel[i] = true;
	for (size_t i = 0; !*all && i < opts->ncaches; i++) {
		/* a name, an alias or a glob; one that names nothing is
		 * a mistake worth stopping for */
		if (ss_model_match_caches(m, opts->caches[i], sel) == 0) {
			free(sel);
			return ss_error_create(SS_ERR_NOTFOUND,
					       "no slab cache named '%s'",
					       opts->caches[i]);
		}
	}
	*selected_ret = sel;
	return NULL;
}

struct ss_error *ss_check_run(struct ss_model *m,
			      const struct ss_check_options *opts,
			      struct ss_check_result *r)
{
	memset(r, 0, sizeof(*r));
	struct checker c = { .m = m, .t = ss_model_target(m), .r = r };
	c.track_flags = SS_TRACK_STACK | SS_TRACK_SYMBOLIZE;
	if (opts && opts->sources)
		c.track_flags |= SS_TRACK_SOURCE;
	bool *selected = NULL, all = true;
	struct ss_error *err = select_caches(m, opts, &selected, &all);
	if (err)
		return err;
	err = ss_slot_verifier_create(m, &c.verifier);
	if (!err)
		err = ss_symbolizer_create(c.t, &c.sym);
	if (!err)
		err = ss_track_reader_create(c.t, c.sym, &c.tracks);
	if (!err)
		err = add_anomalies(&c, selected, all);

	size_t nslabs;
	const struct ss_slab *slabs = ss_model_slabs(m, &nslabs);
	uint64_t done = 0;
	for (size_t ci = 0; !err && ci < ss_model_ncaches(m); ci++) {
		if (!selected[ci])
			continue;
		const struct ss_cache *cache = ss_model_cache(m, ci);
		r->caches++;
		r->slabs += cache->nslabs;
		r->objects += cache->total_objects;
		for (size_t i = cache->first_slab;
		     !err && i < cache->first_slab + cache->nslabs; i++) {
			err = check_slab_bytes(&c, (uint32_t)ci, &slabs[i]);
			if (opts && opts->progress && (++done & 1023) == 0)
				opts->progress(opts->progress_arg, done, nslabs);
		}
	}
	free(selected);
	if (!err && c.sym)
		err = ss_symbolizer_take_warnings(c.sym, &r->symbol_warnings,
						  &r->nsymbol_warnings);
	ss_slot_verifier_destroy(c.verifier);
	ss_track_reader_destroy(c.tracks);
	ss_symbolizer_destroy(c.sym);
	if (err)
		ss_check_result_deinit(r);
	return err;
}

void ss_check_result_deinit(struct ss_check_result *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		free(r->findings[i].message);
		if (r->findings[i].has_culprit)
			culprit_deinit(&r->findings[i].culprit);
	}
	free(r->findings);
	for (size_t i = 0; i < r->nsymbol_warnings; i++)
		free(r->symbol_warnings[i]);
	free(r->symbol_warnings);
	memset(r, 0, sizeof(*r));
}

struct ss_error *ss_check_count_by_cache(const struct ss_check_result *r,
					 size_t ncaches, uint32_t **ret)
{
	uint32_t *p = calloc(ncaches ? ncaches : 1, sizeof(*p));
	if (!p)
		return &ss_error_nomem;
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].cache < ncaches)
			p[r->findings[i].cache]++;
	*ret = p;
	return NULL;
}
