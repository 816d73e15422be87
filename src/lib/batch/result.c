/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One dump's batch result: its ids (status, reasons, errors: what
 * slabscope-batch(1) and schema/batch.schema.json list) and its JSON, which
 * carries it from the child that analysed the dump to the row printed.
 */
#include <stdlib.h>
#include <string.h>

#include <slabscope/batch.h>
#include <slabscope/report.h>

const char *ss_batch_status_name(enum ss_batch_status s)
{
	return s == SS_BATCH_PASS   ? "PASS"
	       : s == SS_BATCH_FAIL ? "FAIL"
				    : "ERROR";
}

static const char *const reason_ids[SS_REASON_NKINDS] = {
	[SS_REASON_FINDING] = "finding",
	[SS_REASON_GROWTH] = "growth",
};

const char *ss_batch_reason_id(enum ss_batch_reason_kind k)
{
	return (unsigned)k < SS_REASON_NKINDS ? reason_ids[k] : NULL;
}

static const char *const error_ids[SS_BATCH_ERR_NIDS] = {
	[SS_BATCH_ERR_CANNOT_READ] = "cannot-read",
	[SS_BATCH_ERR_NOT_A_DUMP] = "not-a-dump",
	[SS_BATCH_ERR_NOT_FOUND] = "not-found",
	[SS_BATCH_ERR_VMLINUX_MISMATCH] = "vmlinux-mismatch",
	[SS_BATCH_ERR_NO_DEBUG_INFO] = "no-debug-info",
	[SS_BATCH_ERR_KERNEL_DATA_MISSING] = "kernel-data-missing",
	[SS_BATCH_ERR_MEMORY_UNREADABLE] = "memory-unreadable",
	[SS_BATCH_ERR_KERNEL_DATA_CORRUPT] = "kernel-data-corrupt",
	[SS_BATCH_ERR_ANALYSIS_FAILED] = "analysis-failed",
	[SS_BATCH_ERR_TIMEOUT] = "timeout",
	[SS_BATCH_ERR_CRASHED] = "crashed",
	[SS_BATCH_ERR_EXIT_STATUS] = "exit-status",
	[SS_BATCH_ERR_NO_RESULT] = "no-result",
	[SS_BATCH_ERR_CANNOT_START] = "cannot-start",
	[SS_BATCH_ERR_OUT_OF_MEMORY] = "out-of-memory",
};

const char *ss_batch_error_id(enum ss_batch_error e)
{
	return (unsigned)e < SS_BATCH_ERR_NIDS ? error_ids[e] : NULL;
}

enum ss_batch_error ss_batch_error_parse(const char *id)
{
	for (int e = SS_BATCH_ERR_NONE + 1; id && e < SS_BATCH_ERR_NIDS; e++)
		if (strcmp(error_ids[e], id) == 0)
			return (enum ss_batch_error)e;
	return SS_BATCH_ERR_NONE;
}

enum ss_batch_error ss_batch_error_of_code(enum ss_errcode code)
{
	switch (code) {
	case SS_ERR_IO: return SS_BATCH_ERR_CANNOT_READ;
	case SS_ERR_FORMAT: return SS_BATCH_ERR_NOT_A_DUMP;
	case SS_ERR_NOTFOUND: return SS_BATCH_ERR_NOT_FOUND;
	case SS_ERR_MISMATCH: return SS_BATCH_ERR_VMLINUX_MISMATCH;
	case SS_ERR_NODEBUG: return SS_BATCH_ERR_NO_DEBUG_INFO;
	case SS_ERR_MISSING: return SS_BATCH_ERR_KERNEL_DATA_MISSING;
	case SS_ERR_FAULT:
	case SS_ERR_EXCLUDED: return SS_BATCH_ERR_MEMORY_UNREADABLE;
	case SS_ERR_CORRUPT: return SS_BATCH_ERR_KERNEL_DATA_CORRUPT;
	case SS_ERR_NOMEM:
	case SS_ERR_INVALID: break;
	}
	return SS_BATCH_ERR_ANALYSIS_FAILED;
}

void ss_batch_reason_deinit(struct ss_batch_reason *r)
{
	free(r->text);
	free(r->cache);
	free(r->finding);
	free(r->rule);
	memset(r, 0, sizeof(*r));
}

void ss_batch_result_deinit(struct ss_batch_result *r)
{
	for (size_t i = 0; i < r->nreasons; i++)
		ss_batch_reason_deinit(&r->reasons[i]);
	free(r->reasons);
	free(r->dump);
	free(r->error);
	ss_dump_source_deinit(&r->source);
	memset(r, 0, sizeof(*r));
}

/* Strings from the user (paths, rules) or a dump may be anything:
 * ss_json_path() keeps them from losing the row. */
static json_t *str_or_null(const char *s)
{
	return ss_json_path(s);
}

/* {"verdict", "id", "text", "cache", then the kind's own members}. */
static json_t *reason_json(const struct ss_batch_reason *rs)
{
	json_t *e = json_object();
	if (!e)
		return NULL;
	int bad = json_object_set_new(
		e, "verdict", json_string(ss_verdict_name(rs->verdict)));
	bad |= json_object_set_new(e, "id",
				   json_string(ss_batch_reason_id(rs->kind)));
	bad |= json_object_set_new(e, "text", str_or_null(rs->text));
	bad |= json_object_set_new(e, "cache", str_or_null(rs->cache));
	if (rs->kind == SS_REASON_FINDING) {
		bad |= json_object_set_new(e, "finding",
					   str_or_null(rs->finding));
		bad |= json_object_set_new(e, "count",
					   json_integer((json_int_t)rs->count));
	} else {
		bad |= json_object_set_new(
			e, "before", json_integer((json_int_t)rs->before));
		bad |= json_object_set_new(e, "after",
					   json_integer((json_int_t)rs->after));
		bad |= json_object_set_new(
			e, "delta",
			json_integer((json_int_t)(rs->after - rs->before)));
		bad |= json_object_set_new(e, "rule", str_or_null(rs->rule));
	}
	if (bad) {
		json_decref(e);
		return NULL;
	}
	return e;
}

json_t *ss_batch_result_json(const struct ss_batch_result *r)
{
	json_t *o = json_object(), *rs = json_array();
	if (!o || !rs) {
		json_decref(o);
		json_decref(rs);
		return NULL;
	}
	int bad = 0;
	for (size_t i = 0; i < r->nreasons; i++)
		bad |= json_array_append_new(rs, reason_json(&r->reasons[i]));
	bad |= json_object_set_new(o, "dump", str_or_null(r->dump));
	bad |= json_object_set_new(
		o, "status", json_string(ss_batch_status_name(r->status)));
	bad |= json_object_set_new(o, "error_id",
				   str_or_null(ss_batch_error_id(r->error_id)));
	bad |= json_object_set_new(o, "error", str_or_null(r->error));
	bad |= json_object_set_new(o, "release",
				   str_or_null(r->source.release));
	bad |= json_object_set_new(
		o, "source",
		r->source.dump ? ss_dump_source_json(&r->source) : json_null());
	bad |= json_object_set_new(o, "findings",
				   json_integer((json_int_t)r->findings));
	bad |= json_object_set_new(o, "reasons", rs);
	bad |= json_object_set_new(o, "seconds", json_real(r->seconds));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static char *dup_str(const json_t *j, bool *bad)
{
	const char *s = json_string_value(j);
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*bad = true;
	return d;
}

static uint64_t u64_of(const json_t *j)
{
	json_int_t v = json_integer_value(j);
	return v > 0 ? (uint64_t)v : 0;
}

static void reason_from_json(const json_t *e, struct ss_batch_reason *rs,
			     bool *bad)
{
	const char *v = json_string_value(json_object_get(e, "verdict"));
	const char *id = json_string_value(json_object_get(e, "id"));
	rs->verdict =
		v && strcmp(v, "fail") == 0 ? SS_VERDICT_FAIL : SS_VERDICT_WARN;
	rs->kind = id && strcmp(id, reason_ids[SS_REASON_GROWTH]) == 0
			   ? SS_REASON_GROWTH
			   : SS_REASON_FINDING;
	rs->text = dup_str(json_object_get(e, "text"), bad);
	rs->cache = dup_str(json_object_get(e, "cache"), bad);
	rs->finding = dup_str(json_object_get(e, "finding"), bad);
	rs->count = u64_of(json_object_get(e, "count"));
	rs->before = u64_of(json_object_get(e, "before"));
	rs->after = u64_of(json_object_get(e, "after"));
	rs->rule = dup_str(json_object_get(e, "rule"), bad);
}

struct ss_error *ss_batch_result_from_json(const json_t *j,
					   struct ss_batch_result *r)
{
	memset(r, 0, sizeof(*r));
	bool bad = false;
	const char *status = json_string_value(json_object_get(j, "status"));
	r->dump = dup_str(json_object_get(j, "dump"), &bad);
	if (!status || !r->dump) {
		ss_batch_result_deinit(r);
		return bad ? &ss_error_nomem
			   : ss_error_create(SS_ERR_FORMAT,
					     "malformed batch result");
	}
	r->status = strcmp(status, "PASS") == 0	  ? SS_BATCH_PASS
		    : strcmp(status, "FAIL") == 0 ? SS_BATCH_FAIL
						  : SS_BATCH_ERROR;
	r->error_id = ss_batch_error_parse(
		json_string_value(json_object_get(j, "error_id")));
	r->error = dup_str(json_object_get(j, "error"), &bad);
	const json_t *src = json_object_get(j, "source");
	if (json_is_object(src)) {
		struct ss_error *err =
			ss_dump_source_from_json(src, &r->source);
		if (err && err->code == SS_ERR_NOMEM)
			bad = true;
		ss_error_destroy(err);
	}
	r->findings = (size_t)u64_of(json_object_get(j, "findings"));
	r->seconds = json_real_value(json_object_get(j, "seconds"));
	const json_t *rs = json_object_get(j, "reasons");
	r->reasons = calloc(json_array_size(rs) + 1, sizeof(*r->reasons));
	if (!r->reasons)
		bad = true;
	for (size_t i = 0; !bad && i < json_array_size(rs); i++) {
		const json_t *e = json_array_get(rs, i);
		if (!json_string_value(json_object_get(e, "text")))
			continue;
		reason_from_json(e, &r->reasons[r->nreasons++], &bad);
	}
	if (bad) {
		ss_batch_result_deinit(r);
		return &ss_error_nomem;
	}
	return NULL;
}
