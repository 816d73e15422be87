/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `slabscope check` findings as text (grouped by cache) and JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/report.h>

static json_t *hex_bytes(const uint8_t *b, size_t n)
{
	char buf[2 * SS_FINDING_BYTES + 1];
	for (size_t i = 0; i < n && i < SS_FINDING_BYTES; i++)
		snprintf(buf + 2 * i, 3, "%02x", b[i]);
	buf[2 * (n < SS_FINDING_BYTES ? n : SS_FINDING_BYTES)] = '\0';
	return json_string(buf);
}

static json_t *finding_json(const struct ss_model *m,
			    const struct ss_finding *f)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	const struct ss_cache *c = f->cache == SS_NO_CACHE
					   ? NULL
					   : ss_model_cache(m, f->cache);
	json_object_set_new(o, "id", json_string(f->kind->id));
	json_object_set_new(o, "severity",
			    json_string(ss_severity_name(f->kind->severity)));
	json_object_set_new(o, "cache", c ? json_string(c->name) : json_null());
	/* The name may be "?" (unreadable) or shared by two caches. */
	json_object_set_new(o, "cache_address",
			    c ? ss_json_addr(c->addr) : json_null());
	json_object_set_new(o, "slab", f->slab ? ss_json_addr(f->slab)
					       : json_null());
	json_object_set_new(o, "object", f->object ? ss_json_addr(f->object)
						   : json_null());
	json_object_set_new(o, "address", f->address ? ss_json_addr(f->address)
						     : json_null());
	json_object_set_new(o, "expected", f->nbytes ? hex_bytes(f->expected,
								 f->nbytes)
						     : json_null());
	json_object_set_new(o, "found", f->nbytes ? hex_bytes(f->found,
							      f->nbytes)
						  : json_null());
	if (f->bad_len)
		json_object_set_new(o, "bad_len",
				    json_integer((json_int_t)f->bad_len));
	if (f->has_value)
		json_object_set_new(o, "value", ss_json_addr(f->value));
	json_object_set_new(o, "message", json_string(f->message));
	if (f->has_culprit) {
		const struct ss_culprit *cu = &f->culprit;
		json_t *co = json_object();
		if (co) {
			json_object_set_new(co, "object",
					    ss_json_addr(cu->object));
			json_object_set_new(
				co, "state",
				json_string(ss_obj_state_name(cu->state)));
			json_object_set_new(co, "relation",
					    json_string(ss_culprit_relation_id(
						    cu->relation)));
			json_object_set_new(
				co, "relation_text",
				json_string(ss_culprit_relation_text(
					cu->relation)));
			json_object_set_new(co, "alloc",
					    ss_json_track(&cu->alloc));
			json_object_set_new(co, "free",
					    ss_json_track(&cu->free));
		}
		json_object_set_new(o, "culprit", co ? co : json_null());
	} else {
		json_object_set_new(o, "culprit", json_null());
	}
	return o;
}

json_t *ss_report_check_json(const struct ss_model *m,
			     const struct ss_check_result *r)
{
	json_t *doc = json_object();
	json_t *arr = json_array();
	json_t *sum = json_object();
	if (!doc || !arr || !sum) {
		json_decref(doc);
		json_decref(arr);
		json_decref(sum);
		return NULL;
	}
	size_t errors = 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		json_t *f = finding_json(m, &r->findings[i]);
		if (!f || json_array_append_new(arr, f)) {
			json_decref(doc);
			json_decref(arr);
			json_decref(sum);
			return NULL;
		}
		errors += r->findings[i].kind->severity == SS_SEV_ERROR;
	}
	json_object_set_new(sum, "caches", json_integer((json_int_t)r->caches));
	json_object_set_new(sum, "slabs", json_integer((json_int_t)r->slabs));
	json_object_set_new(sum, "objects", json_integer((json_int_t)r->objects));
	json_object_set_new(sum, "findings",
			    json_integer((json_int_t)r->nfindings));
	json_object_set_new(sum, "errors", json_integer((json_int_t)errors));
	json_object_set_new(sum, "warnings",
			    json_integer((json_int_t)(r->nfindings - errors)));
	json_object_set_new(sum, "dump_gaps",
			    ss_json_dump_gaps(ss_model_dump_gaps(m)));
	json_object_set_new(doc, "findings", arr);
	json_object_set_new(doc, "summary", sum);
	json_object_set_new(doc, "symbol_warnings",
			    ss_json_strings(r->symbol_warnings,
					    r->nsymbol_warnings));
	return doc;
}

json_t *ss_report_finding_kinds_json(void)
{
	json_t *doc = json_object(), *arr = json_array();
	if (!doc || !arr || json_object_set_new(doc, "finding_kinds", arr)) {
		json_decref(doc);
		json_decref(arr);
		return NULL;
	}
	for (const struct ss_finding_kind *k = ss_finding_kinds; k->id; k++) {
		json_t *o = json_object();
		if (!o || json_object_set_new(o, "id", json_string(k->id)) ||
		    json_object_set_new(
			    o, "severity",
			    json_string(ss_severity_name(k->severity))) ||
		    json_object_set_new(o, "explanation",
					json_string(k->explanation)) ||
		    json_array_append_new(arr, o)) {
			json_decref(o);
			json_decref(doc);
			return NULL;
		}
	}
	return doc;
}

static void print_finding(FILE *out, const struct ss_finding *f)
{
	fprintf(out, "  %s %s: %s\n",
		f->kind->severity == SS_SEV_ERROR ? "ERROR" : "WARNING",
		f->kind->id, f->message);
	if (f->object || f->slab) {
		fprintf(out, "     ");
		if (f->object)
			fprintf(out, " object 0x%" PRIx64, f->object);
		if (f->slab)
			fprintf(out, " slab 0x%" PRIx64, f->slab);
		if (f->address)
			fprintf(out, " at 0x%" PRIx64, f->address);
		if (f->has_value)
			fprintf(out, " value 0x%" PRIx64, f->value);
		fputc('\n', out);
	}
	if (f->nbytes) {
		fprintf(out, "      expected");
		for (size_t i = 0; i < f->nbytes; i++)
			fprintf(out, " %02x", f->expected[i]);
		fprintf(out, "\n      found   ");
		for (size_t i = 0; i < f->nbytes; i++)
			fprintf(out, " %02x", f->found[i]);
		fputc('\n', out);
	}
	if (f->has_culprit) {
		const struct ss_culprit *cu = &f->culprit;
		fprintf(out, "      culprit: object 0x%" PRIx64 " (%s) %s\n",
			cu->object, ss_obj_state_name(cu->state),
			ss_culprit_relation_text(cu->relation));
		ss_report_track_text(out, 8, "allocated", &cu->alloc);
		ss_report_track_text(out, 8, "freed", &cu->free);
	}
}

struct ss_error *ss_report_check_text(const struct ss_model *m,
				      const struct ss_check_result *r,
				      FILE *out)
{
	/* Grouped by cache, in cache order; findings of no cache last. */
	size_t errors = 0;
	for (size_t ci = 0; ci <= ss_model_ncaches(m); ci++) {
		uint32_t want = ci < ss_model_ncaches(m) ? (uint32_t)ci
							 : SS_NO_CACHE;
		size_t n = 0;
		for (size_t i = 0; i < r->nfindings; i++)
			n += r->findings[i].cache == want;
		if (!n)
			continue;
		if (want == SS_NO_CACHE)
			fprintf(out, "(no cache): %zu finding%s\n", n,
				n == 1 ? "" : "s");
		else
			fprintf(out, "%s (0x%" PRIx64 "): %zu finding%s\n",
				ss_model_cache(m, want)->name,
				ss_model_cache(m, want)->addr, n,
				n == 1 ? "" : "s");
		for (size_t i = 0; i < r->nfindings; i++)
			if (r->findings[i].cache == want)
				print_finding(out, &r->findings[i]);
	}
	for (size_t i = 0; i < r->nfindings; i++)
		errors += r->findings[i].kind->severity == SS_SEV_ERROR;
	fprintf(out,
		"checked %" PRIu64 " caches, %" PRIu64 " slabs, %" PRIu64
		" objects: %zu finding%s (%zu error%s, %zu warning%s)\n",
		r->caches, r->slabs, r->objects, r->nfindings,
		r->nfindings == 1 ? "" : "s", errors, errors == 1 ? "" : "s",
		r->nfindings - errors, r->nfindings - errors == 1 ? "" : "s");
	ss_report_gaps_text(ss_model_dump_gaps(m), out);
	ss_report_symbol_warnings_text(r->symbol_warnings, r->nsymbol_warnings,
				       out);
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}
