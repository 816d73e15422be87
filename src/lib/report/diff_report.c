/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `slabscope diff` as text and JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <slabscope/report.h>

static const char *status_name(enum ss_diff_status s)
{
	return s == SS_DIFF_NEW ? "new" : s == SS_DIFF_GONE ? "gone" : "both";
}

json_t *ss_json_snapshot(const struct ss_snapshot *s)
{
	json_t *o = json_object();
	if (!o || json_object_set_new(o, "path", json_string(s->source)) ||
	    json_object_set_new(o, "kind",
				json_string(ss_snapshot_kind_name(s->kind))) ||
	    json_object_set_new(o, "source",
				s->from.dump ? ss_dump_source_json(&s->from)
					     : json_null())) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *ss_report_diff_json(const struct ss_snapshot *before,
			    const struct ss_snapshot *after,
			    const struct ss_diff_entry *v, size_t n,
			    const struct ss_threshold *th, size_t nth)
{
	json_t *doc = json_object(), *arr = json_array(), *tarr = json_array();
	if (!doc || !arr || !tarr ||
	    json_object_set_new(doc, "before", ss_json_snapshot(before)) ||
	    json_object_set_new(doc, "after", ss_json_snapshot(after))) {
		json_decref(doc);
		json_decref(arr);
		json_decref(tarr);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ss_diff_entry *e = &v[i];
		json_t *o = json_object();
		if (!o)
			continue;
		json_object_set_new(o, "name", json_string(e->name));
		json_object_set_new(o, "status", json_string(status_name(e->status)));
		json_object_set_new(o, "allocated_before",
				    json_integer((json_int_t)e->allocated_before));
		json_object_set_new(o, "allocated_after",
				    json_integer((json_int_t)e->allocated_after));
		json_object_set_new(o, "delta", json_integer(e->delta));
		json_object_set_new(o, "ratio", e->allocated_before
							? json_real(e->ratio)
							: json_null());
		json_object_set_new(o, "memory_before",
				    json_integer((json_int_t)e->memory_before));
		json_object_set_new(o, "memory_after",
				    json_integer((json_int_t)e->memory_after));
		json_object_set_new(o, "memory_delta",
				    json_integer(e->memory_delta));
		json_array_append_new(arr, o);
	}
	for (size_t t = 0; t < nth; t++) {
		json_t *o = json_object(), *by = json_array();
		if (!o || !by) {
			json_decref(o);
			json_decref(by);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if (ss_threshold_crossed(&th[t], &v[i]))
				json_array_append_new(by, json_string(v[i].name));
		json_object_set_new(o, "rule", json_string(th[t].text));
		json_object_set_new(o, "crossed",
				    json_boolean(json_array_size(by) > 0));
		json_object_set_new(o, "caches", by);
		json_array_append_new(tarr, o);
	}
	json_object_set_new(doc, "caches", arr);
	json_object_set_new(doc, "thresholds", tarr);
	return doc;
}

static void signed_bytes(int64_t b, char *buf, size_t len)
{
	uint64_t a = b < 0 ? (uint64_t)(-(b + 1)) + 1 : (uint64_t)b;
	const char *sign = b < 0 ? "-" : "+";
	if (a >= 10ULL << 30)
		snprintf(buf, len, "%s%" PRIu64 "G", sign, a >> 30);
	else if (a >= 10ULL << 20)
		snprintf(buf, len, "%s%" PRIu64 "M", sign, a >> 20);
	else
		snprintf(buf, len, "%s%" PRIu64 "K", sign, a >> 10);
}

struct ss_error *ss_report_diff_text(const struct ss_diff_entry *v, size_t n,
				     const struct ss_threshold *th, size_t nth,
				     bool all, FILE *out)
{
	fprintf(out, "%-28s %10s %10s %10s %8s %9s\n", "CACHE", "BEFORE",
		"AFTER", "DELTA", "RATIO", "MEMORY");
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		const struct ss_diff_entry *e = &v[i];
		if (!all && e->delta == 0 && e->memory_delta == 0 &&
		    e->status == SS_DIFF_BOTH)
			continue;
		char ratio[32], mem[32];
		if (e->status == SS_DIFF_NEW)
			snprintf(ratio, sizeof(ratio), "new");
		else if (e->status == SS_DIFF_GONE)
			snprintf(ratio, sizeof(ratio), "gone");
		else if (e->allocated_before)
			snprintf(ratio, sizeof(ratio), "%.2fx", e->ratio);
		else
			snprintf(ratio, sizeof(ratio), "-");
		signed_bytes(e->memory_delta, mem, sizeof(mem));
		fprintf(out, "%-28s %10" PRIu64 " %10" PRIu64 " %+10" PRId64
			" %8s %9s\n",
			e->name, e->allocated_before, e->allocated_after,
			e->delta, ratio, mem);
		shown++;
	}
	if (!shown)
		fprintf(out, "(no cache changed)\n");
	for (size_t t = 0; t < nth; t++) {
		size_t crossed = 0;
		for (size_t i = 0; i < n; i++) {
			if (!ss_threshold_crossed(&th[t], &v[i]))
				continue;
			if (!crossed++)
				fprintf(out, "\nthreshold %s crossed by:",
					th[t].text);
			fprintf(out, " %s (%+" PRId64 ")", v[i].name, v[i].delta);
		}
		if (crossed)
			fputc('\n', out);
		else
			fprintf(out, "\nthreshold %s: not crossed\n", th[t].text);
	}
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}
