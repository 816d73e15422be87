/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The invariants the model harnesses (fuzz_slab: SLUB, fuzz_slab_slab:
 * SLAB) check after every input, and the reports and leak grouping they
 * run: included by each, which defines die(), verbose and devnull first.
 */
#ifndef SS_FUZZ_MODEL_H
#define SS_FUZZ_MODEL_H

static void check_err(struct ss_error *err, const char *what)
{
	if (!err)
		return;
	if (err->code == SS_ERR_NOMEM)
		return;
	die("%s failed: %s: %s", what, ss_errcode_name(err->code),
	    err->message);
}

struct iter_counts {
	uint64_t n[4];
};

static struct ss_error *count_object(void *arg, const struct ss_slab *s,
				     const struct ss_object *o)
{
	(void)s;
	struct iter_counts *ic = arg;
	if (o->state > SS_OBJ_UNKNOWN)
		die("object 0x%" PRIx64 " has state %u", o->addr, o->state);
	ic->n[o->state]++;
	return NULL;
}

static void check_slabs(struct ss_model *m)
{
	size_t nslabs;
	const struct ss_slab *slabs = ss_model_slabs(m, &nslabs);
	size_t nc = ss_model_ncaches(m);
	uint64_t page_size = ss_model_mm(m)->page_size;
	size_t covered = 0;
	for (size_t ci = 0; ci < nc; ci++) {
		const struct ss_cache *c = ss_model_cache(m, ci);
		if (!c->name)
			die("cache %zu has no name", ci);
		if (c->allocated + c->free + c->cpu_free + c->unknown !=
		    c->total_objects)
			die("%s: allocated %" PRIu64 " + free %" PRIu64
			    " + cpu_free %" PRIu64 " + unknown %" PRIu64
			    " != total %" PRIu64,
			    c->name, c->allocated, c->free, c->cpu_free,
			    c->unknown, c->total_objects);
		if (c->first_slab + c->nslabs > nslabs)
			die("%s: slabs [%zu, +%" PRIu64 ") beyond %zu", c->name,
			    c->first_slab, c->nslabs, nslabs);
		uint64_t total = 0;
		for (size_t i = c->first_slab; i < c->first_slab + c->nslabs;
		     i++) {
			if (slabs[i].cache != ci)
				die("%s: slab %zu belongs to cache %u", c->name,
				    i, slabs[i].cache);
			total += slabs[i].objects;
		}
		covered += c->nslabs;
		if (total != c->total_objects)
			die("%s: slabs hold %" PRIu64 " objects, total says "
			    "%" PRIu64, c->name, total, c->total_objects);
		struct iter_counts ic = { { 0 } };
		check_err(ss_model_for_each_object(m, (uint32_t)ci,
						   count_object, &ic),
			  "ss_model_for_each_object");
		if (ic.n[SS_OBJ_ALLOCATED] != c->allocated ||
		    ic.n[SS_OBJ_FREE] != c->free ||
		    ic.n[SS_OBJ_CPU_FREE] != c->cpu_free ||
		    ic.n[SS_OBJ_UNKNOWN] != c->unknown)
			die("%s: the object walk finds %" PRIu64 "/%" PRIu64
			    "/%" PRIu64 "/%" PRIu64 " allocated/free/cpu-free/"
			    "unknown, the load counted %" PRIu64 "/%" PRIu64
			    "/%" PRIu64 "/%" PRIu64,
			    c->name, ic.n[0], ic.n[1], ic.n[2], ic.n[3],
			    c->allocated, c->free, c->cpu_free, c->unknown);
	}
	for (size_t i = covered; i < nslabs; i++)
		if (slabs[i].cache != SS_NO_CACHE)
			die("slab %zu after the caches' slabs has cache %u", i,
			    slabs[i].cache);

	struct ss_object *objs = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < nslabs; i++) {
		const struct ss_slab *s = &slabs[i];
		if (s->cache == SS_NO_CACHE)
			continue;
		const struct ss_cache *c = ss_model_cache(m, s->cache);
		if (s->objects > cap) {
			free(objs);
			cap = s->objects;
			objs = malloc(cap * sizeof(*objs));
			if (!objs)
				return;
		}
		struct ss_error *err = ss_model_slab_objects(m, s, objs);
		if (err && err->code == SS_ERR_NOMEM)
			continue;
		check_err(err, "ss_model_slab_objects");
		uint32_t n[4] = { 0 };
		for (uint32_t k = 0; k < s->objects; k++) {
			if (objs[k].state > SS_OBJ_UNKNOWN)
				die("bad state %u", objs[k].state);
			n[objs[k].state]++;
		}
		if (n[SS_OBJ_FREE] != s->nfree ||
		    n[SS_OBJ_CPU_FREE] != s->ncpu_free ||
		    n[SS_OBJ_UNKNOWN] != s->nunknown)
			die("%s: slab 0x%" PRIx64 ": objects say %u free, %u "
			    "cpu-free, %u unknown; the load said %u/%u/%u",
			    c->name, s->page, n[SS_OBJ_FREE],
			    n[SS_OBJ_CPU_FREE], n[SS_OBJ_UNKNOWN], s->nfree,
			    s->ncpu_free, s->nunknown);
		/* Slots inside the slab's pages. */
		if (s->objects && c->size &&
		    (uint64_t)s->objects * c->size >
			    (page_size << (s->order > 20 ? 20 : s->order)))
			die("%s: slab 0x%" PRIx64 ": %u objects of %u bytes "
			    "in an order-%u slab",
			    c->name, s->page, s->objects, c->size, s->order);
	}
	free(objs);
}

static void check_whatis(struct ss_model *m, uint64_t addr)
{
	struct ss_whatis wi;
	struct ss_error *err = ss_model_whatis(m, addr, &wi);
	if (err && err->code == SS_ERR_NOMEM)
		return;
	check_err(err, "ss_model_whatis");
	if (!wi.in_slab)
		return;
	size_t nslabs;
	const struct ss_slab *slabs = ss_model_slabs(m, &nslabs);
	if (!wi.slab || wi.slab < slabs || wi.slab >= slabs + nslabs)
		die("whatis 0x%" PRIx64 ": slab pointer outside the model",
		    addr);
	if (wi.cache != wi.slab->cache)
		die("whatis 0x%" PRIx64 ": cache %u, slab's cache %u", addr,
		    wi.cache, wi.slab->cache);
	if (wi.cache == SS_NO_CACHE || wi.region == SS_REGION_SLAB_TAIL ||
	    !wi.slot)
		return;
	const struct ss_cache *c = ss_model_cache(m, wi.cache);
	uint64_t idx = (wi.slot - wi.slab->base) / c->size;
	if (idx >= wi.slab->objects)
		die("whatis 0x%" PRIx64 ": slot %" PRIu64 " of %u", addr, idx,
		    wi.slab->objects);
	struct ss_object *objs = calloc(wi.slab->objects, sizeof(*objs));
	if (!objs)
		return;
	err = ss_model_slab_objects(m, wi.slab, objs);
	if (!err && objs[idx].state != wi.state)
		die("whatis 0x%" PRIx64 ": state %s, the slab's objects say %s",
		    addr, ss_obj_state_name(wi.state),
		    ss_obj_state_name(objs[idx].state));
	free(objs);
	ss_error_destroy(err);
}

static void check_findings(struct ss_model *m, const struct ss_check_result *r)
{
	size_t nc = ss_model_ncaches(m);
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct ss_finding *f = &r->findings[i];
		if (!f->kind || !f->kind->id || !f->message)
			die("finding %zu without a kind or message", i);
		if (f->cache != SS_NO_CACHE && f->cache >= nc)
			die("finding %zu (%s): cache %u of %zu", i, f->kind->id,
			    f->cache, nc);
		if (f->nbytes > SS_FINDING_BYTES)
			die("finding %zu: %zu bytes", i, f->nbytes);
		if (verbose)
			fprintf(stderr, "  %s: %s\n", f->kind->id, f->message);
	}
}

/* A JSON report of NULL means out of memory to the CLI: with a corrupt
 * kernel it must still be a document. */
static void json_out(json_t *doc, const char *what)
{
	if (!doc)
		die("%s returned NULL", what);
	char *s = json_dumps(doc, JSON_COMPACT);
	free(s);
	json_decref(doc);
}

static void run_reports(struct ss_model *m, const struct ss_check_result *r)
{
	check_err(ss_report_check_text(m, r, devnull), "ss_report_check_text");
	json_out(ss_report_check_json(m, r), "ss_report_check_json");
	uint32_t *order = NULL;
	struct ss_error *err = ss_caches_sorted(m, SS_SORT_MEMORY, &order);
	check_err(err, "ss_caches_sorted");
	if (!err) {
		size_t n = ss_model_ncaches(m);
		check_err(ss_report_caches_text(m, order, n, NULL, devnull),
			  "ss_report_caches_text");
		json_out(ss_report_caches_json(m, order, n, NULL),
			 "ss_report_caches_json");
	}
	free(order);
}

static void run_leaks(struct ss_model *m, uint32_t ci, bool by_stack)
{
	if (ci >= ss_model_ncaches(m))
		return;
	struct ss_leaks_options opts = { .by_stack = by_stack };
	struct ss_leaks_result res;
	struct ss_error *err = ss_leaks_group(m, ci, &opts, &res);
	if (err && err->code == SS_ERR_NOMEM)
		return;
	check_err(err, "ss_leaks_group");
	const struct ss_cache *c = ss_model_cache(m, ci);
	check_err(ss_report_leaks_text(c, &res, &opts, 5, devnull),
		  "ss_report_leaks_text");
	json_out(ss_report_leaks_json(c, &res, &opts, 5),
		 "ss_report_leaks_json");
	ss_leaks_result_deinit(&res);
}

#endif
