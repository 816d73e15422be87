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

/* Append reason, with the sentence fmt says: r owns its strings from here
 * on (they are freed when it cannot be appended). */
static struct ss_error *add_reason(struct ss_batch_result *r,
				   struct ss_batch_reason *reason,
				   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct ss_error *add_reason(struct ss_batch_result *r,
				   struct ss_batch_reason *reason,
				   const char *fmt, ...)
{
	struct ss_batch_reason *n =
		realloc(r->reasons, (r->nreasons + 1) * sizeof(*n));
	if (!n) {
		ss_batch_reason_deinit(reason);
		return &ss_error_nomem;
	}
	r->reasons = n;
	va_list ap;
	va_start(ap, fmt);
	int k = vasprintf(&reason->text, fmt, ap);
	va_end(ap);
	if (k < 0) {
		reason->text = NULL;
		ss_batch_reason_deinit(reason);
		return &ss_error_nomem;
	}
	n[r->nreasons++] = *reason;
	if (reason->verdict == SS_VERDICT_FAIL)
		r->status = SS_BATCH_FAIL;
	return NULL;
}

/* strdup that keeps NULL, telling failure apart through *bad. */
static char *dup_or_null(const char *s, bool *bad)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*bad = true;
	return d;
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
		bool bad = false;
		struct ss_batch_reason reason = {
			.verdict = v,
			.kind = SS_REASON_FINDING,
			.cache = dup_or_null(cache, &bad),
			.finding = dup_or_null(f->kind->id, &bad),
			.count = count,
		};
		err = add_reason(r, &reason, "%s in %s (%zu)", f->kind->id,
				 cache ? cache : "(no cache)", count);
		if (!err && bad)
			err = &ss_error_nomem;
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
			bool bad = false;
			struct ss_batch_reason reason = {
				.verdict = ru->verdict,
				.kind = SS_REASON_GROWTH,
				.cache = dup_or_null(v[i].name, &bad),
				.before = v[i].allocated_before,
				.after = v[i].allocated_after,
				.rule = dup_or_null(ru->threshold.text, &bad),
			};
			err = add_reason(r, &reason,
					 "growth %s %+" PRId64 " (%" PRIu64
					 " -> %" PRIu64 "): %s",
					 v[i].name, v[i].delta,
					 v[i].allocated_before,
					 v[i].allocated_after,
					 ru->threshold.text);
			if (!err && bad)
				err = &ss_error_nomem;
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

/* What r's dump is, as far as it can be read: its kernel k (and model m)
 * when it opened, else the dump alone. */
static struct ss_error *describe(struct ss_batch_result *r, struct ss_kernel *k,
				 const struct ss_model *m)
{
	return k ? ss_dump_source_get(k, m, &r->source)
		 : ss_dump_source_of_dump(r->dump, &r->source);
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
		r->error_id = ss_batch_error_of_code(err->code);
		/* The row names the dump: drop the message's own "dump: ". */
		const char *msg = err->message;
		size_t dl = strlen(dump);
		if (strncmp(msg, dump, dl) == 0 && msg[dl] == ':' &&
		    msg[dl + 1] == ' ')
			msg += dl + 2;
		r->error = strdup(msg);
		ss_error_destroy(err);
		err = r->error ? describe(r, k, m) : &ss_error_nomem;
		goto out;
	}
	if (!err)
		err = describe(r, k, m);
	if (err)
		goto out;
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
