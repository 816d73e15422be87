/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `slabscope leaks` as text and JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <slabscope/identify.h>
#include <slabscope/report.h>

static const char *method_name(enum ss_leak_method m)
{
	return m == SS_LEAK_TRACK ? "track" : "content";
}

/* How many of the group the ages and examples are of: the unreachable
 * ones after a reference scan, else all. */
static uint64_t accounted(const struct ss_leak_group *g, bool refs)
{
	return refs ? g->unreferenced + g->only_by_unreferenced : g->count;
}

static json_t *group_json(const struct ss_leak_group *g, bool track,
			  bool by_stack, const struct ss_refscan *refs)
{
	json_t *o = json_object(), *ex = json_array(), *cpus = json_array();
	if (!o || !ex || !cpus) {
		json_decref(o);
		json_decref(ex);
		json_decref(cpus);
		return NULL;
	}
	if (track && by_stack) {
		json_t *st = json_array();
		const char *p = g->key;
		while (st && *p) {
			size_t n = strcspn(p, "\n");
			json_array_append_new(st, json_stringn(p, n));
			p += n + (p[n] == '\n');
		}
		json_object_set_new(o, "stack", st ? st : json_null());
	} else {
		json_object_set_new(o, track ? "site" : "signature",
				    json_string(g->key));
	}
	json_object_set_new(o, "count", json_integer((json_int_t)g->count));
	uint64_t n = accounted(g, refs != NULL);
	if (refs) {
		json_object_set_new(o, "unreferenced",
				    json_integer((json_int_t)g->unreferenced));
		json_object_set_new(
			o, "only_by_unreferenced",
			json_integer((json_int_t)g->only_by_unreferenced));
		json_object_set_new(
			o, "unreachable_fraction",
			json_real(g->count ? (double)n / (double)g->count
					   : 0.0));
	}
	json_object_set_new(o, "age_min_s",
			    g->has_age ? json_real(g->age_min_s) : json_null());
	json_object_set_new(o, "age_avg_s",
			    g->has_age && n
				    ? json_real(g->age_sum_s / (double)n)
				    : json_null());
	json_object_set_new(o, "age_max_s",
			    g->has_age ? json_real(g->age_max_s) : json_null());
	if (track && g->pid_min <= g->pid_max) {
		json_object_set_new(o, "pid_min", json_integer(g->pid_min));
		json_object_set_new(o, "pid_max", json_integer(g->pid_max));
		for (int cpu = 0; cpu < SS_LEAK_MAX_CPUS; cpu++)
			if (g->cpus & (1ULL << cpu))
				json_array_append_new(cpus, json_integer(cpu));
	}
	json_object_set_new(o, "cpus", cpus);
	for (size_t k = 0; k < g->nexamples; k++) {
		if (!refs) {
			json_array_append_new(ex, ss_json_addr(g->examples[k]));
			continue;
		}
		json_t *e = json_object();
		if (!e)
			continue;
		json_object_set_new(e, "address", ss_json_addr(g->examples[k]));
		json_object_set_new(
			e, "class",
			json_string(ss_ref_class_name(
				ss_refscan_class(refs, g->examples[k]))));
		json_object_set_new(e, "referrer",
				    g->referrers[k]
					    ? ss_json_addr(g->referrers[k])
					    : json_null());
		json_array_append_new(ex, e);
	}
	json_object_set_new(o, "examples", ex);
	return o;
}

json_t *ss_report_leaks_json(const struct ss_cache *c,
			     const struct ss_leaks_result *r,
			     const struct ss_leaks_options *opts, size_t top)
{
	json_t *doc = json_object(), *arr = json_array();
	if (!doc || !arr) {
		json_decref(doc);
		json_decref(arr);
		return NULL;
	}
	bool track = r->method == SS_LEAK_TRACK;
	for (size_t i = 0; i < r->ngroups && i < top; i++) {
		json_t *o =
			group_json(&r->groups[i], track, opts->by_stack, NULL);
		if (o)
			json_array_append_new(arr, o);
	}
	json_object_set_new(doc, "cache", json_string(c->name));
	json_object_set_new(doc, "method", json_string(method_name(r->method)));
	json_object_set_new(doc, "objects", json_integer((json_int_t)r->objects));
	json_object_set_new(doc, "state",
			    json_string(opts->free_side ? "free" : "allocated"));
	json_object_set_new(doc, "groups", arr);
	json_object_set_new(doc, "symbol_warnings",
			    ss_json_strings(r->symbol_warnings,
					    r->nsymbol_warnings));
	return doc;
}

/* One group: its key (a stack one frame a line), ages, owners and
 * examples.  After a reference scan the count columns are unreachable,
 * only-by-unreferenced and allocated. */
static void group_text(const struct ss_leak_group *g, bool track, bool by_stack,
		       const struct ss_refscan *refs, FILE *out)
{
	uint64_t n = accounted(g, refs != NULL);
	const char *indent = refs ? "                          " : "          ";
	if (refs)
		fprintf(out, "\n%8" PRIu64 " %8" PRIu64 " %8" PRIu64 "  ",
			g->unreferenced, g->only_by_unreferenced, g->count);
	else
		fprintf(out, "\n%8" PRIu64 "  ", g->count);
	if (track && by_stack) {
		const char *p = g->key;
		bool first = true;
		while (*p) {
			size_t len = strcspn(p, "\n");
			fprintf(out, "%s%.*s\n", first ? "" : indent, (int)len,
				p);
			first = false;
			p += len + (p[len] == '\n');
		}
		if (first)
			fputc('\n', out);
	} else {
		fprintf(out, "%s\n", g->key);
	}
	bool owner = track && g->pid_min <= g->pid_max;
	if (g->has_age || owner)
		fprintf(out, "%.*s", (int)strlen(indent) - 2, indent);
	if (g->has_age && n)
		fprintf(out, "  age %.1f/%.1f/%.1f s (min/avg/max)",
			g->age_min_s, g->age_sum_s / (double)n, g->age_max_s);
	if (owner) {
		if (g->pid_min == g->pid_max)
			fprintf(out, "  pid %d", g->pid_min);
		else
			fprintf(out, "  pids %d-%d", g->pid_min, g->pid_max);
		fprintf(out, "  cpus");
		for (int cpu = 0; cpu < SS_LEAK_MAX_CPUS; cpu++)
			if (g->cpus & (1ULL << cpu))
				fprintf(out, " %d", cpu);
	}
	if (refs ? (g->has_age && n) || owner : g->has_age || track)
		fputc('\n', out);
	fprintf(out, "%se.g.", indent);
	for (size_t k = 0; k < g->nexamples; k++) {
		fprintf(out, " 0x%" PRIx64, g->examples[k]);
		if (refs && g->referrers[k])
			fprintf(out, " (by 0x%" PRIx64 ")", g->referrers[k]);
	}
	fputc('\n', out);
}

struct ss_error *ss_report_leaks_text(const struct ss_cache *c,
				      const struct ss_leaks_result *r,
				      const struct ss_leaks_options *opts,
				      size_t top, FILE *out)
{
	bool track = r->method == SS_LEAK_TRACK;
	/* --free groups by the free track: its call site or stack, not
	 * the allocation's. */
	const char *side = opts->free_side ? "free" : "allocation";
	fprintf(out, "%s: %" PRIu64 " %s objects in %zu groups, by ", c->name,
		r->objects, opts->free_side ? "free" : "allocated", r->ngroups);
	if (track)
		fprintf(out, "%s %s (SLAB_STORE_USER tracks)\n", side,
			opts->by_stack ? "stack" : "call site");
	else
		fprintf(out, "content signature (the cache keeps no tracks: "
			     "boot with slub_debug=U,CACHE for call sites)\n");
	for (size_t i = 0; i < r->ngroups && i < top; i++)
		group_text(&r->groups[i], track, opts->by_stack, NULL, out);
	if (r->ngroups > top)
		fprintf(out, "\n(%zu more group%s: --top N)\n",
			r->ngroups - top, r->ngroups - top == 1 ? "" : "s");
	ss_report_symbol_warnings_text(r->symbol_warnings, r->nsymbol_warnings,
				       out);
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}

/* ---- leaks --unreferenced ---- */

struct list_walk {
	FILE *out; /* text, or */
	json_t *arr; /* JSON */
	const char *cache;
	const struct ss_refscan *refs;
};

static struct ss_error *list_one(void *arg, uint64_t obj, enum ss_ref_class cls,
				 uint64_t slots, uint64_t slots_len)
{
	struct list_walk *lw = arg;
	(void)slots;
	(void)slots_len;
	if (cls != SS_REF_UNREFERENCED && cls != SS_REF_ONLY_BY_UNREFERENCED)
		return NULL;
	uint64_t by = cls == SS_REF_ONLY_BY_UNREFERENCED
			      ? ss_refscan_referrer(lw->refs, obj)
			      : 0;
	if (lw->out) {
		fprintf(lw->out, "0x%016" PRIx64 "  %-24s %s", obj, lw->cache,
			ss_ref_class_name(cls));
		if (by)
			fprintf(lw->out, " by 0x%016" PRIx64, by);
		fputc('\n', lw->out);
		return NULL;
	}
	json_t *o = json_object();
	if (!o)
		return &ss_error_nomem;
	json_object_set_new(o, "address", ss_json_addr(obj));
	json_object_set_new(o, "class", json_string(ss_ref_class_name(cls)));
	json_object_set_new(o, "referrer", by ? ss_json_addr(by) : json_null());
	json_array_append_new(lw->arr, o);
	return NULL;
}

static const char *group_heading(const struct ss_leaks_result *g,
				 const struct ss_leaks_options *opts)
{
	if (g->method != SS_LEAK_TRACK)
		return "SIGNATURE";
	return opts->by_stack ? "STACK" : "SITE";
}

static double percent(uint64_t part, uint64_t whole)
{
	return whole ? (double)part * 100.0 / (double)whole : 0.0;
}

static json_t *scan_json(const struct ss_refscan_stats *st)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "frames", json_integer((json_int_t)st->frames));
	json_object_set_new(o, "frames_scanned",
			    json_integer((json_int_t)st->frames_scanned));
	json_object_set_new(o, "frames_slab",
			    json_integer((json_int_t)st->frames_slab));
	json_object_set_new(o, "frames_free",
			    json_integer((json_int_t)st->frames_free));
	json_object_set_new(o, "frames_pcp_free",
			    json_integer((json_int_t)st->frames_pcp_free));
	json_object_set_new(o, "frames_absent",
			    json_integer((json_int_t)st->frames_absent));
	json_object_set_new(o, "frames_unreadable",
			    json_integer((json_int_t)st->frames_unreadable));
	json_object_set_new(o, "bytes_scanned",
			    json_integer((json_int_t)st->bytes_scanned));
	json_object_set_new(o, "objects_scanned",
			    json_integer((json_int_t)st->objects_scanned));
	json_object_set_new(o, "allocator_array_bytes",
			    json_integer((json_int_t)st->arrays_skipped));
	json_object_set_new(o, "dead_stack_bytes",
			    json_integer((json_int_t)st->stack_bytes_skipped));
	json_object_set_new(o, "edges", json_integer((json_int_t)st->edges));
	json_object_set_new(o, "free_pages_known",
			    json_boolean(st->free_pages_known));
	json_object_set_new(o, "closure_complete",
			    json_boolean(st->closure_complete));
	return o;
}

/* What the place at is, in a few words ("" when no identifier). */
static void place_brief(const struct ss_unref_report *rep, uint64_t at,
			char *buf, size_t len)
{
	buf[0] = '\0';
	struct ss_refscan_stack sk;
	if (ss_refscan_stack_at(rep->refs, at, &sk)) {
		snprintf(buf, len,
			 "stack of pid %d (%s) +0x%" PRIx64 ", task 0x%" PRIx64,
			 sk.pid, sk.comm, sk.offset, sk.task);
		return;
	}
	if (!rep->id)
		return;
	struct ss_identity idn;
	struct ss_error *err = ss_identify(rep->id, at, &idn);
	if (!err && idn.kind == SS_ADDR_SLAB && idn.slab.cache != SS_NO_CACHE &&
	    idn.slab.object) {
		int k = snprintf(buf, len, "%s +%" PRId64 " (%s)",
				 ss_model_cache(rep->m, idn.slab.cache)->name,
				 idn.slab.offset,
				 ss_obj_state_name(idn.slab.state));
		if (idn.is_task && k > 0 && (size_t)k < len)
			snprintf(buf + k, len - (size_t)k, ", pid %d (%s)",
				 idn.task_pid, idn.task_comm);
	} else if (!err) {
		ss_report_whatis_brief(&idn, buf, len);
	}
	ss_error_destroy(err);
	ss_identity_deinit(&idn);
}

static json_t *why_json(const struct ss_unref_report *rep)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < rep->nwhy; i++) {
		struct ss_ref_location loc[SS_REFSCAN_WATCH_MAX];
		size_t n = ss_refscan_references(rep->refs, rep->why[i], loc,
						 SS_REFSCAN_WATCH_MAX);
		json_t *o = json_object(), *refs = json_array();
		if (!o || !refs) {
			json_decref(o);
			json_decref(refs);
			continue;
		}
		for (size_t k = 0; k < n && k < SS_REFSCAN_WATCH_MAX; k++) {
			json_t *r = json_object();
			char brief[160];
			if (!r)
				continue;
			place_brief(rep, loc[k].at, brief, sizeof(brief));
			json_object_set_new(r, "at", ss_json_addr(loc[k].at));
			json_object_set_new(
				r, "object",
				loc[k].object ? ss_json_addr(loc[k].object)
					      : json_null());
			json_object_set_new(r, "what", json_string(brief));
			json_array_append_new(refs, r);
		}
		json_object_set_new(o, "address", ss_json_addr(rep->why[i]));
		json_object_set_new(
			o, "class",
			json_string(ss_ref_class_name(
				ss_refscan_class(rep->refs, rep->why[i]))));
		json_object_set_new(o, "references", refs);
		json_object_set_new(
			o, "more",
			json_integer(
				(json_int_t)(n > SS_REFSCAN_WATCH_MAX
						     ? n - SS_REFSCAN_WATCH_MAX
						     : 0)));
		json_array_append_new(arr, o);
	}
	return arr;
}

static void why_text(const struct ss_unref_report *rep, FILE *out)
{
	for (size_t i = 0; i < rep->nwhy; i++) {
		struct ss_ref_location loc[SS_REFSCAN_WATCH_MAX];
		size_t n = ss_refscan_references(rep->refs, rep->why[i], loc,
						 SS_REFSCAN_WATCH_MAX);
		enum ss_ref_class cls =
			ss_refscan_class(rep->refs, rep->why[i]);
		fprintf(out, "\n0x%" PRIx64 " (%s): ", rep->why[i],
			cls == SS_REF_NONE ? "not a candidate"
					   : ss_ref_class_name(cls));
		if (cls == SS_REF_NONE) {
			fprintf(out, "not an allocated object of the chosen "
				     "caches\n");
			continue;
		}
		fprintf(out, "%zu word%s point%s into it\n", n,
			n == 1 ? "" : "s", n == 1 ? "s" : "");
		for (size_t k = 0; k < n && k < SS_REFSCAN_WATCH_MAX; k++) {
			char brief[160];
			place_brief(rep, loc[k].at, brief, sizeof(brief));
			fprintf(out, "  at 0x%016" PRIx64, loc[k].at);
			if (loc[k].object)
				fprintf(out, " in object 0x%" PRIx64,
					loc[k].object);
			if (brief[0])
				fprintf(out, ": %s", brief);
			fputc('\n', out);
		}
		if (n > SS_REFSCAN_WATCH_MAX)
			fprintf(out, "  (%zu more)\n",
				n - SS_REFSCAN_WATCH_MAX);
	}
}

static json_t *thresholds_json(const struct ss_unref_report *rep)
{
	json_t *arr = json_array();
	size_t n = ss_model_ncaches(rep->m);
	uint32_t *hit = calloc(n ? n : 1, sizeof(*hit));
	if (!arr || !hit) {
		json_decref(arr);
		free(hit);
		return NULL;
	}
	for (size_t t = 0; t < rep->nth; t++) {
		size_t k =
			ss_unref_crossing(rep->m, rep->refs, &rep->th[t], hit);
		json_t *o = json_object(), *names = json_array();
		if (!o || !names) {
			json_decref(o);
			json_decref(names);
			continue;
		}
		for (size_t i = 0; i < k; i++)
			json_array_append_new(
				names,
				json_string(
					ss_model_cache(rep->m, hit[i])->name));
		json_object_set_new(o, "rule", json_string(rep->th[t].text));
		json_object_set_new(o, "crossed", json_boolean(k > 0));
		json_object_set_new(o, "caches", names);
		json_array_append_new(arr, o);
	}
	free(hit);
	return arr;
}

json_t *ss_report_unreferenced_json(const struct ss_unref_report *rep)
{
	const struct ss_refscan_stats *st = ss_refscan_stats(rep->refs);
	json_t *doc = json_object(), *caches = json_array();
	if (!doc || !caches) {
		json_decref(doc);
		json_decref(caches);
		return NULL;
	}
	for (size_t i = 0; i < rep->res->ncaches; i++) {
		const struct ss_unref_cache *uc = &rep->res->caches[i];
		const struct ss_cache *c = ss_model_cache(rep->m, uc->cache);
		json_t *o = json_object(), *groups = json_array();
		if (!o || !groups) {
			json_decref(o);
			json_decref(groups);
			continue;
		}
		bool track = uc->groups.method == SS_LEAK_TRACK;
		/* the groups of the first top caches, top each */
		size_t shown = i < rep->top ? uc->groups.ngroups : 0;
		if (shown > rep->top)
			shown = rep->top;
		for (size_t g = 0; g < shown; g++) {
			json_t *go = group_json(&uc->groups.groups[g], track,
						rep->opts->by_stack, rep->refs);
			if (go)
				json_array_append_new(groups, go);
		}
		json_object_set_new(o, "cache", json_string(c->name));
		json_object_set_new(o, "address", ss_json_addr(c->addr));
		json_object_set_new(o, "object_size",
				    json_integer((json_int_t)c->object_size));
		json_object_set_new(o, "allocated",
				    json_integer((json_int_t)uc->candidates));
		json_object_set_new(o, "unreferenced",
				    json_integer((json_int_t)uc->unreferenced));
		json_object_set_new(
			o, "only_by_unreferenced",
			json_integer((json_int_t)uc->only_by_unreferenced));
		json_object_set_new(
			o, "unreachable_fraction",
			json_real(uc->candidates
					  ? (double)(uc->unreferenced +
						     uc->only_by_unreferenced) /
						    (double)uc->candidates
					  : 0.0));
		json_object_set_new(
			o, "method",
			json_string(method_name(uc->groups.method)));
		json_object_set_new(o, "groups", groups);
		if (rep->list) {
			struct list_walk lw = { .arr = json_array(),
						.refs = rep->refs };
			if (lw.arr)
				ss_error_destroy(ss_refscan_for_each_candidate(
					rep->refs, uc->cache, list_one, &lw));
			json_object_set_new(o, "objects",
					    lw.arr ? lw.arr : json_null());
		}
		json_object_set_new(
			o, "more_groups",
			json_integer((json_int_t)(uc->groups.ngroups - shown)));
		json_array_append_new(caches, o);
	}
	size_t ncand = 0;
	for (size_t ci = 0; ci < ss_model_ncaches(rep->m); ci++)
		ncand += ss_refscan_cache(rep->refs, (uint32_t)ci)->candidates >
			 0;
	json_object_set_new(doc, "scan", scan_json(st));
	json_object_set_new(doc, "dump_gaps",
			    ss_json_dump_gaps(ss_model_dump_gaps(rep->m)));
	json_object_set_new(doc, "candidates",
			    json_integer((json_int_t)st->candidates));
	json_object_set_new(doc, "candidate_caches",
			    json_integer((json_int_t)ncand));
	json_object_set_new(doc, "referenced",
			    json_integer((json_int_t)st->referenced));
	json_object_set_new(doc, "unreferenced",
			    json_integer((json_int_t)st->unreferenced));
	json_object_set_new(doc, "only_by_unreferenced",
			    json_integer((json_int_t)st->only_by_unreferenced));
	json_object_set_new(doc, "caches", caches);
	json_object_set_new(doc, "thresholds", thresholds_json(rep));
	json_object_set_new(doc, "why", why_json(rep));
	json_object_set_new(doc, "symbol_warnings",
			    ss_json_strings(rep->res->symbol_warnings,
					    rep->res->nsymbol_warnings));
	return doc;
}

struct ss_error *ss_report_unreferenced_text(const struct ss_unref_report *rep,
					     FILE *out)
{
	const struct ss_refscan_stats *st = ss_refscan_stats(rep->refs);
	const struct ss_unref_result *res = rep->res;
	size_t ncand = 0;
	for (size_t ci = 0; ci < ss_model_ncaches(rep->m); ci++)
		ncand += ss_refscan_cache(rep->refs, (uint32_t)ci)->candidates >
			 0;
	fprintf(out,
		"reference scan: %" PRIu64 " page frames: %" PRIu64
		" scanned whole, %" PRIu64 " of slabs (%" PRIu64
		" live objects), %" PRIu64 " free (and %" PRIu64
		" on per-CPU lists), %" PRIu64 " not in the dump, %" PRIu64
		" unreadable; %.1f MiB of words\n",
		st->frames, st->frames_scanned - st->frames_pcp_free,
		st->frames_slab, st->objects_scanned, st->frames_free,
		st->frames_pcp_free, st->frames_absent, st->frames_unreadable,
		(double)st->bytes_scanned / (1024.0 * 1024.0));
	fprintf(out,
		"candidates: %" PRIu64 " allocated objects of %zu caches\n",
		st->candidates, ncand);
	fprintf(out,
		"unreachable: %" PRIu64 " unreferenced, %" PRIu64
		" referenced only by unreferenced objects\n",
		st->unreferenced, st->only_by_unreferenced);
	if (!st->free_pages_known)
		fprintf(out, "note: the kernel's free page marker is unknown "
			     "(no PGTY_buddy, no PAGE_BUDDY_MAPCOUNT_VALUE in "
			     "VMCOREINFO): free pages were scanned as live "
			     "memory\n");
	const struct ss_dump_gaps *gaps = ss_model_dump_gaps(rep->m);
	if (ss_dump_gaps_any(gaps))
		fprintf(out,
			"note: the dump lacks memory the kernel was using (%" PRIu64
			" slabs unreadable or missing, %zu caches lost): "
			"references kept there are not seen, so objects may look "
			"unreachable that are not; read a complete dump\n",
			gaps->unreadable_slabs + gaps->missing_slabs,
			gaps->caches_lost);
	if (!st->closure_complete)
		fprintf(out, "note: the references between candidates outgrew "
			     "the scan's memory: objects referenced only by "
			     "other candidates count as referenced\n");
	if (res->ncaches) {
		fprintf(out, "\n%-28s %8s %10s %8s %8s %12s\n", "CACHE",
			"OBJSIZE", "ALLOCATED", "UNREF", "ONLY-BY",
			"UNREACHABLE");
		for (size_t i = 0; i < res->ncaches; i++) {
			const struct ss_unref_cache *uc = &res->caches[i];
			const struct ss_cache *c =
				ss_model_cache(rep->m, uc->cache);
			fprintf(out,
				"%-28s %8u %10" PRIu64 " %8" PRIu64 " %8" PRIu64
				" %11.1f%%\n",
				c->name, c->object_size, uc->candidates,
				uc->unreferenced, uc->only_by_unreferenced,
				percent(uc->unreferenced +
						uc->only_by_unreferenced,
					uc->candidates));
		}
	}
	if (rep->list && res->ncaches) {
		fprintf(out, "\n%-18s  %-24s %s\n", "OBJECT", "CACHE",
			"CLASS [by REFERRER]");
		for (size_t i = 0; i < res->ncaches; i++) {
			struct list_walk lw = {
				.out = out,
				.cache = ss_model_cache(rep->m,
							res->caches[i].cache)
						 ->name,
				.refs = rep->refs,
			};
			struct ss_error *err = ss_refscan_for_each_candidate(
				rep->refs, res->caches[i].cache, list_one, &lw);
			if (err)
				return err;
		}
	}
	for (size_t i = 0; !rep->list && i < res->ncaches && i < rep->top;
	     i++) {
		const struct ss_unref_cache *uc = &res->caches[i];
		const struct ss_cache *c = ss_model_cache(rep->m, uc->cache);
		const struct ss_leaks_result *g = &uc->groups;
		bool track = g->method == SS_LEAK_TRACK;
		fprintf(out,
			"\n%s: %" PRIu64 " unreferenced, %" PRIu64
			" only by unreferenced, of %" PRIu64 " allocated; by ",
			c->name, uc->unreferenced, uc->only_by_unreferenced,
			uc->candidates);
		if (track)
			fprintf(out, "allocation %s (SLAB_STORE_USER tracks)\n",
				rep->opts->by_stack ? "stack" : "call site");
		else
			fprintf(out,
				"content signature (no tracks: boot with "
				"slub_debug=U,%s for call sites)\n",
				c->name);
		fprintf(out, "\n%8s %8s %8s  %s\n", "UNREF", "ONLY-BY", "ALLOC",
			group_heading(g, rep->opts));
		for (size_t k = 0; k < g->ngroups && k < rep->top; k++)
			group_text(&g->groups[k], track, rep->opts->by_stack,
				   rep->refs, out);
		if (g->ngroups > rep->top)
			fprintf(out, "\n(%zu more group%s: --top N)\n",
				g->ngroups - rep->top,
				g->ngroups - rep->top == 1 ? "" : "s");
	}
	if (!rep->list && res->ncaches > rep->top)
		fprintf(out, "\n(the groups of %zu more cache%s: --top N)\n",
			res->ncaches - rep->top,
			res->ncaches - rep->top == 1 ? "" : "s");
	size_t n = ss_model_ncaches(rep->m);
	uint32_t *hit = calloc(n ? n : 1, sizeof(*hit));
	if (!hit)
		return &ss_error_nomem;
	for (size_t t = 0; t < rep->nth; t++) {
		size_t k =
			ss_unref_crossing(rep->m, rep->refs, &rep->th[t], hit);
		fprintf(out, "%sthreshold '%s' %s", t ? "" : "\n",
			rep->th[t].text, k ? "crossed by" : "not crossed");
		for (size_t i = 0; i < k; i++)
			fprintf(out, "%s %s", i ? "," : "",
				ss_model_cache(rep->m, hit[i])->name);
		fputc('\n', out);
	}
	free(hit);
	why_text(rep, out);
	ss_report_symbol_warnings_text(res->symbol_warnings,
				       res->nsymbol_warnings, out);
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}
