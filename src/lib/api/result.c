/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A query's result, made once: the text and the --json document as the
 * command prints them (rendered by the same report functions, so they
 * cannot drift from the CLI's), and the findings flattened into the public
 * struct ss_finding_info, whose strings the result owns.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/report.h>
#include <slabscope/source.h>

#include "api_priv.h"

struct ss_result {
	int status;
	char *text;
	char *json;
	struct ss_finding_info *findings;
	size_t nfindings;
	/* The findings' cache names and messages. */
	char **strings;
	size_t nstrings;
};

void ss_result_destroy(struct ss_result *r)
{
	if (!r)
		return;
	free(r->text);
	free(r->json);
	free(r->findings);
	for (size_t i = 0; i < r->nstrings; i++)
		free(r->strings[i]);
	free(r->strings);
	free(r);
}

int ss_result_status(const struct ss_result *r) { return r->status; }
const char *ss_result_text(const struct ss_result *r) { return r->text; }
const char *ss_result_json(const struct ss_result *r) { return r->json; }
size_t ss_result_nfindings(const struct ss_result *r) { return r->nfindings; }

const struct ss_finding_info *ss_result_finding(const struct ss_result *r,
						size_t i)
{
	return i < r->nfindings ? &r->findings[i] : NULL;
}

struct ss_error *ss_result_print(const struct ss_result *r, FILE *out)
{
	if (fputs(r->text, out) == EOF || fflush(out) == EOF)
		return ss_error_errno(errno, SS_ERR_IO, "writing the result");
	return NULL;
}

/* A string the result keeps; NULL stays NULL. */
static const char *keep(struct ss_result *r, const char *s, bool *bad)
{
	if (!s)
		return NULL;
	char *copy = strdup(s);
	if (!copy) {
		*bad = true;
		return NULL;
	}
	r->strings[r->nstrings++] = copy;
	return copy;
}

static struct ss_error *copy_findings(struct ss_result *r,
				      const struct ss_model *m,
				      const struct ss_check_result *c)
{
	if (!c->nfindings)
		return NULL;
	r->findings = calloc(c->nfindings, sizeof(*r->findings));
	r->strings = calloc(2 * c->nfindings, sizeof(*r->strings));
	if (!r->findings || !r->strings)
		return &ss_error_nomem;
	bool bad = false;
	for (size_t i = 0; i < c->nfindings; i++) {
		const struct ss_finding *f = &c->findings[i];
		struct ss_finding_info *o = &r->findings[i];
		o->kind = f->kind->id;
		o->severity = ss_severity_name(f->kind->severity);
		o->cache = f->cache < ss_model_ncaches(m)
				   ? keep(r, ss_model_cache(m, f->cache)->name,
					  &bad)
				   : NULL;
		o->slab = f->slab;
		o->object = f->object;
		o->address = f->address;
		o->has_value = f->has_value;
		o->value = f->value;
		o->message = keep(r, f->message, &bad);
		o->has_culprit = f->has_culprit;
		if (f->has_culprit) {
			o->culprit = f->culprit.object;
			o->culprit_relation =
				ss_culprit_relation_id(f->culprit.relation);
		}
	}
	r->nfindings = c->nfindings;
	return bad ? &ss_error_nomem : NULL;
}

/* The document as `slabscope COMMAND --json` prints it: kind, version,
 * source, body. */
static struct ss_error *render_json(struct ss_analysis *a, const char *kind,
				    json_t *body, char **ret)
{
	struct ss_dump_source src;
	struct ss_error *err = ss_dump_source_get(a->k, a->m, &src);
	if (err) {
		json_decref(body);
		return err;
	}
	json_t *source = ss_dump_source_json(&src);
	ss_dump_source_deinit(&src);
	if (!source) {
		json_decref(body);
		return &ss_error_nomem;
	}
	size_t len;
	FILE *out = open_memstream(ret, &len);
	if (!out) {
		json_decref(source);
		json_decref(body);
		return &ss_error_nomem;
	}
	err = ss_json_dump(ss_json_document(kind, source, body), out);
	if (fclose(out) && !err)
		err = &ss_error_nomem;
	return err;
}

static struct ss_error *render_text(ss_text_fn text, void *arg, char **ret)
{
	size_t len;
	FILE *out = open_memstream(ret, &len);
	if (!out)
		return &ss_error_nomem;
	struct ss_error *err = text(arg, out);
	if (fclose(out) && !err)
		err = &ss_error_nomem;
	return err;
}

struct ss_error *ss_result_build(struct ss_analysis *a, const char *kind,
				 json_t *body, ss_text_fn text, void *text_arg,
				 const struct ss_check_result *findings,
				 int status, struct ss_result **ret)
{
	struct ss_result *r = calloc(1, sizeof(*r));
	if (!r) {
		json_decref(body);
		return &ss_error_nomem;
	}
	r->status = status;
	struct ss_error *err = render_json(a, kind, body, &r->json);
	if (!err)
		err = render_text(text, text_arg, &r->text);
	if (!err && findings)
		err = copy_findings(r, a->m, findings);
	if (err) {
		ss_result_destroy(r);
		return err;
	}
	*ret = r;
	return NULL;
}
