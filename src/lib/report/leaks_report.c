/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `slabscope leaks` as text and JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <slabscope/report.h>

static const char *method_name(enum ss_leak_method m)
{
	return m == SS_LEAK_TRACK ? "track" : "content";
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
		const struct ss_leak_group *g = &r->groups[i];
		json_t *o = json_object(), *ex = json_array(), *cpus = json_array();
		if (!o || !ex || !cpus) {
			json_decref(o);
			json_decref(ex);
			json_decref(cpus);
			continue;
		}
		if (track && opts->by_stack) {
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
		json_object_set_new(o, "age_min_s",
				    g->has_age ? json_real(g->age_min_s) : json_null());
		json_object_set_new(o, "age_avg_s",
				    g->has_age ? json_real(g->age_sum_s /
							   (double)g->count)
					       : json_null());
		json_object_set_new(o, "age_max_s",
				    g->has_age ? json_real(g->age_max_s) : json_null());
		if (track && g->pid_min <= g->pid_max) {
			json_object_set_new(o, "pid_min", json_integer(g->pid_min));
			json_object_set_new(o, "pid_max", json_integer(g->pid_max));
			for (int cpu = 0; cpu < SS_LEAK_MAX_CPUS; cpu++)
				if (g->cpus & (1ULL << cpu))
					json_array_append_new(cpus,
							      json_integer(cpu));
		}
		json_object_set_new(o, "cpus", cpus);
		for (size_t k = 0; k < g->nexamples; k++)
			json_array_append_new(ex, ss_json_addr(g->examples[k]));
		json_object_set_new(o, "examples", ex);
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
	for (size_t i = 0; i < r->ngroups && i < top; i++) {
		const struct ss_leak_group *g = &r->groups[i];
		fprintf(out, "\n%8" PRIu64 "  ", g->count);
		if (track && opts->by_stack) {
			const char *p = g->key;
			bool first = true;
			while (*p) {
				size_t n = strcspn(p, "\n");
				fprintf(out, "%s%.*s\n", first ? "" : "          ",
					(int)n, p);
				first = false;
				p += n + (p[n] == '\n');
			}
			if (first)
				fputc('\n', out);
		} else {
			fprintf(out, "%s\n", g->key);
		}
		bool owner = track && g->pid_min <= g->pid_max;
		if (g->has_age || owner)
			fprintf(out, "        ");
		if (g->has_age)
			fprintf(out, "  age %.1f/%.1f/%.1f s (min/avg/max)",
				g->age_min_s, g->age_sum_s / (double)g->count,
				g->age_max_s);
		if (owner) {
			if (g->pid_min == g->pid_max)
				fprintf(out, "  pid %d", g->pid_min);
			else
				fprintf(out, "  pids %d-%d", g->pid_min,
					g->pid_max);
			fprintf(out, "  cpus");
			for (int cpu = 0; cpu < SS_LEAK_MAX_CPUS; cpu++)
				if (g->cpus & (1ULL << cpu))
					fprintf(out, " %d", cpu);
		}
		if (g->has_age || track)
			fputc('\n', out);
		fprintf(out, "          e.g.");
		for (size_t k = 0; k < g->nexamples; k++)
			fprintf(out, " 0x%" PRIx64, g->examples[k]);
		fputc('\n', out);
	}
	if (r->ngroups > top)
		fprintf(out, "\n(%zu more group%s: --top N)\n",
			r->ngroups - top, r->ngroups - top == 1 ? "" : "s");
	ss_report_symbol_warnings_text(r->symbol_warnings, r->nsymbol_warnings,
				       out);
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}
