/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One dump of a batch: check it, compare it, apply the rules. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <slabscope/batch.h>
#include <slabscope/check.h>
#include <slabscope/kernel.h>

const char *ss_batch_status_name(enum ss_batch_status s)
{
	return s == SS_BATCH_PASS ? "PASS" : s == SS_BATCH_FAIL ? "FAIL"
								: "ERROR";
}

static struct ss_error *add_reason(struct ss_batch_result *r,
				   enum ss_verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct ss_error *add_reason(struct ss_batch_result *r,
				   enum ss_verdict v, const char *fmt, ...)
{
	struct ss_batch_reason *n =
		realloc(r->reasons, (r->nreasons + 1) * sizeof(*n));
	if (!n)
		return &ss_error_nomem;
	r->reasons = n;
	va_list ap;
	va_start(ap, fmt);
	int k = vasprintf(&n[r->nreasons].text, fmt, ap);
	va_end(ap);
	if (k < 0)
		return &ss_error_nomem;
	n[r->nreasons++].verdict = v;
	if (v == SS_VERDICT_FAIL)
		r->status = SS_BATCH_FAIL;
	return NULL;
}

/* Findings grouped by (id, cache) with their verdicts. */
static struct ss_error *apply_findings(const struct ss_model *m,
				       const struct ss_check_result *cr,
				       const struct ss_rules *rules,
				       struct ss_batch_result *r)
{
	bool *done = calloc(cr->nfindings ? cr->nfindings : 1, sizeof(*done));
	if (!done)
		return &ss_error_nomem;
	struct ss_error *err = NULL;
	for (size_t i = 0; i < cr->nfindings && !err; i++) {
		if (done[i])
			continue;
		const struct ss_finding *f = &cr->findings[i];
		const char *cache = f->cache == SS_NO_CACHE
					    ? NULL
					    : ss_model_cache(m, f->cache)->name;
		size_t count = 0;
		for (size_t j = i; j < cr->nfindings; j++) {
			const struct ss_finding *g = &cr->findings[j];
			if (g->kind == f->kind && g->cache == f->cache) {
				done[j] = true;
				count++;
			}
		}
		enum ss_verdict v = ss_rules_finding(
			rules, f->kind->id, f->kind->severity == SS_SEV_ERROR,
			cache);
		if (v == SS_VERDICT_IGNORE)
			continue;
		err = add_reason(r, v, "%s in %s (%zu)", f->kind->id,
				 cache ? cache : "(no cache)", count);
	}
	free(done);
	return err;
}

static struct ss_error *apply_growth(const struct ss_model *m,
				     const struct ss_rules *rules,
				     const struct ss_snapshot *baseline,
				     const char *dump,
				     struct ss_batch_result *r)
{
	struct ss_snapshot now;
	struct ss_error *err = ss_snapshot_from_model(m, dump, &now);
	if (err)
		return err;
	struct ss_diff_entry *v = NULL;
	size_t n = 0;
	err = ss_diff_compute(baseline, &now, SS_DIFF_SORT_NAME, &v, &n);
	for (size_t ri = 0; !err && ri < rules->n; ri++) {
		const struct ss_rule *ru = &rules->v[ri];
		if (ru->kind != SS_RULE_GROWTH)
			continue;
		for (size_t i = 0; !err && i < n; i++) {
			if (!ss_threshold_crossed(&ru->threshold, &v[i]))
				continue;
			err = add_reason(r, ru->verdict,
					 "growth %s %+" PRId64 " (%" PRIu64
					 " -> %" PRIu64 "): %s",
					 v[i].name, v[i].delta,
					 v[i].allocated_before,
					 v[i].allocated_after,
					 ru->threshold.text);
		}
	}
	free(v);
	ss_snapshot_deinit(&now);
	return err;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct ss_error *ss_batch_analyse(const char *dump,
				  const struct ss_batch_options *opts,
				  struct ss_batch_result *r)
{
	static const struct ss_rules no_rules;
	const struct ss_rules *rules = opts && opts->rules ? opts->rules
							   : &no_rules;
	double t0 = now_s();
	memset(r, 0, sizeof(*r));
	r->dump = strdup(dump);
	if (!r->dump)
		return &ss_error_nomem;
	struct ss_kernel_options kopts = { 0 };
	kopts.vmlinux = opts && opts->vmlinux ? opts->vmlinux
					      : ss_rules_vmlinux(rules, dump);
	if (opts) {
		kopts.modules = opts->modules;
		kopts.nmodules = opts->nmodules;
	}
	struct ss_kernel *k = NULL;
	struct ss_model *m = NULL;
	struct ss_check_result cr = { 0 };
	bool have_cr = false;
	struct ss_error *err = ss_kernel_open(dump, &kopts, &k);
	if (!err)
		err = ss_model_load(ss_kernel_target(k), NULL, &m);
	if (!err) {
		err = ss_check_run(m, NULL, &cr);
		have_cr = !err;
	}
	if (err && err->code != SS_ERR_NOMEM) {
		/* The dump's problem, not ours: an ERROR row. */
		r->status = SS_BATCH_ERROR;
		/* The row names the dump: drop the message's own "dump: ". */
		const char *msg = err->message;
		size_t dl = strlen(dump);
		if (strncmp(msg, dump, dl) == 0 && msg[dl] == ':' &&
		    msg[dl + 1] == ' ')
			msg += dl + 2;
		r->error = strdup(msg);
		ss_error_destroy(err);
		err = r->error ? NULL : &ss_error_nomem;
		goto out;
	}
	if (err)
		goto out;
	const char *rel = ss_dump_props(ss_kernel_dump(k))->release;
	if (rel && !(r->release = strdup(rel))) {
		err = &ss_error_nomem;
		goto out;
	}
	r->findings = cr.nfindings;
	err = apply_findings(m, &cr, rules, r);
	if (!err && opts && opts->baseline && ss_rules_have_growth(rules))
		err = apply_growth(m, rules, opts->baseline, dump, r);
out:
	if (have_cr)
		ss_check_result_deinit(&cr);
	ss_model_destroy(m);
	ss_kernel_close(k);
	r->seconds = now_s() - t0;
	return err;
}

void ss_batch_result_deinit(struct ss_batch_result *r)
{
	for (size_t i = 0; i < r->nreasons; i++)
		free(r->reasons[i].text);
	free(r->reasons);
	free(r->dump);
	free(r->error);
	free(r->release);
	memset(r, 0, sizeof(*r));
}

json_t *ss_batch_result_json(const struct ss_batch_result *r)
{
	json_t *o = json_object(), *rs = json_array();
	if (!o || !rs) {
		json_decref(o);
		json_decref(rs);
		return NULL;
	}
	for (size_t i = 0; i < r->nreasons; i++) {
		json_t *e = json_object();
		if (!e)
			continue;
		json_object_set_new(e, "verdict",
				    json_string(ss_verdict_name(r->reasons[i].verdict)));
		json_object_set_new(e, "text", json_string(r->reasons[i].text));
		json_array_append_new(rs, e);
	}
	json_object_set_new(o, "dump", json_string(r->dump));
	json_object_set_new(o, "status",
			    json_string(ss_batch_status_name(r->status)));
	json_object_set_new(o, "error", r->error ? json_string(r->error)
						 : json_null());
	json_object_set_new(o, "release", r->release ? json_string(r->release)
						     : json_null());
	json_object_set_new(o, "findings", json_integer((json_int_t)r->findings));
	json_object_set_new(o, "reasons", rs);
	json_object_set_new(o, "seconds", json_real(r->seconds));
	return o;
}

static char *dup_str(json_t *j)
{
	const char *s = json_string_value(j);
	return s ? strdup(s) : NULL;
}

struct ss_error *ss_batch_result_from_json(json_t *j,
					   struct ss_batch_result *r)
{
	memset(r, 0, sizeof(*r));
	const char *status = json_string_value(json_object_get(j, "status"));
	r->dump = dup_str(json_object_get(j, "dump"));
	if (!status || !r->dump) {
		ss_batch_result_deinit(r);
		return ss_error_create(SS_ERR_FORMAT, "malformed batch result");
	}
	r->status = strcmp(status, "PASS") == 0   ? SS_BATCH_PASS
		    : strcmp(status, "FAIL") == 0 ? SS_BATCH_FAIL
						  : SS_BATCH_ERROR;
	r->error = dup_str(json_object_get(j, "error"));
	r->release = dup_str(json_object_get(j, "release"));
	r->findings = (size_t)json_integer_value(json_object_get(j, "findings"));
	r->seconds = json_real_value(json_object_get(j, "seconds"));
	json_t *rs = json_object_get(j, "reasons");
	size_t i;
	json_t *e;
	r->reasons = calloc(json_array_size(rs) + 1, sizeof(*r->reasons));
	if (!r->reasons) {
		ss_batch_result_deinit(r);
		return &ss_error_nomem;
	}
	json_array_foreach(rs, i, e) {
		const char *v = json_string_value(json_object_get(e, "verdict"));
		char *t = dup_str(json_object_get(e, "text"));
		if (!t)
			continue;
		r->reasons[r->nreasons].text = t;
		r->reasons[r->nreasons++].verdict =
			v && strcmp(v, "fail") == 0 ? SS_VERDICT_FAIL
						    : SS_VERDICT_WARN;
	}
	return NULL;
}
