/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Cache snapshots: from a model, a caches JSON document or /proc/slabinfo. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <slabscope/diff.h>

const char *ss_snapshot_kind_name(enum ss_snapshot_kind k)
{
	switch (k) {
	case SS_SNAPSHOT_DUMP: return "dump";
	case SS_SNAPSHOT_CACHES_JSON: return "caches-json";
	case SS_SNAPSHOT_SLABINFO: return "slabinfo";
	}
	return "?";
}

static struct ss_error *grow(struct ss_snapshot *s, size_t *cap)
{
	if (s->ncaches < *cap)
		return NULL;
	size_t ncap = *cap ? *cap * 2 : 64;
	struct ss_snapshot_cache *n = realloc(s->caches, ncap * sizeof(*n));
	if (!n)
		return &ss_error_nomem;
	s->caches = n;
	*cap = ncap;
	return NULL;
}

struct ss_error *ss_snapshot_from_model(const struct ss_model *m,
					const char *source,
					struct ss_snapshot *ret)
{
	memset(ret, 0, sizeof(*ret));
	size_t n = ss_model_ncaches(m);
	ret->source = strdup(source);
	ret->caches = calloc(n ? n : 1, sizeof(*ret->caches));
	if (!ret->source || !ret->caches) {
		ss_snapshot_deinit(ret);
		return &ss_error_nomem;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ss_cache *c = ss_model_cache(m, i);
		struct ss_snapshot_cache *e = &ret->caches[i];
		e->name = strdup(c->name);
		if (!e->name) {
			ss_snapshot_deinit(ret);
			return &ss_error_nomem;
		}
		e->allocated = c->allocated;
		e->total = c->total_objects;
		e->object_size = c->object_size;
		e->memory_bytes = c->memory_bytes;
		ret->ncaches++;
	}
	return NULL;
}

/*
 * Cache names are printable ASCII, as the model keeps them
 * (ss_model_read_name()): a snapshot is a file from anywhere, and a name
 * with other bytes dropped out of the JSON diff (json_string() takes only
 * UTF-8; found by tests/fuzz/fuzz_snapshot.c) or sent control characters
 * to the terminal.
 */
static char *name_dup(const char *name)
{
	char *n = strdup(name);
	for (char *p = n; p && *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	return n;
}

static struct ss_error *from_json(const char *path, json_t *doc,
				  struct ss_snapshot *s)
{
	s->kind = SS_SNAPSHOT_CACHES_JSON;
	/* Documents before schema version 1 say nothing of their dump, and
	 * a malformed "source" only loses what it would have said. */
	const json_t *from = json_object_get(doc, "source");
	if (json_is_object(from)) {
		struct ss_error *err = ss_dump_source_from_json(from, &s->from);
		if (err && err->code == SS_ERR_NOMEM)
			return err;
		ss_error_destroy(err);
	}
	json_t *arr = json_object_get(doc, "caches");
	if (!json_is_array(arr))
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: JSON without a \"caches\" array: "
				       "save snapshots with 'slabscope caches "
				       "--json DUMP > FILE'",
				       path);
	size_t cap = 0, i;
	json_t *c;
	json_array_foreach(arr, i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		json_t *alloc = json_object_get(c, "allocated");
		if (!name || !json_is_integer(alloc))
			return ss_error_create(SS_ERR_FORMAT,
					       "%s: cache %zu has no name or no "
					       "allocated count",
					       path, i);
		struct ss_error *err = grow(s, &cap);
		if (err)
			return err;
		struct ss_snapshot_cache *e = &s->caches[s->ncaches];
		memset(e, 0, sizeof(*e));
		e->name = name_dup(name);
		if (!e->name)
			return &ss_error_nomem;
		s->ncaches++;
		/* Counts are never negative: a negative one read as a
		 * uint64_t printed 18446744073709551611 and crossed no
		 * threshold. */
		static const char *const counts[] = { "allocated",
						      "total_objects",
						      "object_size",
						      "memory_bytes" };
		uint64_t *dst[] = { &e->allocated, &e->total, &e->object_size,
				    &e->memory_bytes };
		for (size_t k = 0; k < 4; k++) {
			json_int_t v = json_integer_value(
				json_object_get(c, counts[k]));
			if (v < 0)
				return ss_error_create(
					SS_ERR_FORMAT,
					"%s: cache %zu (%s): %s is %" JSON_INTEGER_FORMAT
					", a count cannot be negative",
					path, i, e->name, counts[k], v);
			*dst[k] = (uint64_t)v;
		}
	}
	return NULL;
}

/*
 * /proc/slabinfo 2.x: "name <active_objs> <num_objs> <objsize>
 * <objperslab> <pagesperslab> : tunables ... : slabdata <active_slabs>
 * <num_slabs> <sharedavail>".  Memory is num_slabs * pagesperslab pages
 * (4 KiB assumed: slabinfo does not say).
 */
static struct ss_error *from_slabinfo(const char *path, FILE *f,
				      struct ss_snapshot *s)
{
	char line[1024];
	size_t cap = 0;
	unsigned lineno = 0;
	s->kind = SS_SNAPSHOT_SLABINFO;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '#' || strncmp(line, "slabinfo", 8) == 0)
			continue;
		char name[256];
		unsigned long long active, num, objsize, perslab, pages;
		unsigned long long aslabs = 0, nslabs = 0;
		int n = sscanf(line, "%255s %llu %llu %llu %llu %llu", name,
			       &active, &num, &objsize, &perslab, &pages);
		if (n != 6)
			return ss_error_create(SS_ERR_FORMAT,
					       "%s:%u: not a slabinfo line",
					       path, lineno);
		const char *sd = strstr(line, "slabdata");
		if (sd)
			sscanf(sd, "slabdata %llu %llu", &aslabs, &nslabs);
		struct ss_error *err = grow(s, &cap);
		if (err)
			return err;
		struct ss_snapshot_cache *e = &s->caches[s->ncaches];
		memset(e, 0, sizeof(*e));
		e->name = name_dup(name);
		if (!e->name)
			return &ss_error_nomem;
		s->ncaches++;
		e->allocated = active;
		e->total = num;
		e->object_size = objsize;
		e->memory_bytes = nslabs * pages * 4096;
	}
	return NULL;
}

struct ss_error *ss_snapshot_load_file(const char *path,
				       struct ss_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	FILE *f = fopen(path, "re");
	if (!f)
		return ss_error_errno(errno, SS_ERR_IO, "%s: cannot open", path);
	char head[16] = { 0 };
	size_t got = fread(head, 1, sizeof(head) - 1, f);
	rewind(f);
	size_t skip = strspn(head, " \t\r\n");
	struct ss_error *err;
	s->source = strdup(path);
	if (!s->source) {
		fclose(f);
		return &ss_error_nomem;
	}
	if (skip < got && head[skip] == '{') {
		json_error_t jerr;
		json_t *doc = json_loadf(f, 0, &jerr);
		if (!doc) {
			/* jansson quotes the input near the error, newlines
			 * included; ss_error_create keeps it one line (found by
			 * tests/fuzz/fuzz_snapshot.c). */
			err = ss_error_create(SS_ERR_FORMAT,
					      "%s:%d: not valid JSON: %s", path,
					      jerr.line, jerr.text);
		} else {
			err = from_json(path, doc, s);
		}
		json_decref(doc);
	} else if (strncmp(head, "slabinfo - ", 11) == 0) {
		err = from_slabinfo(path, f, s);
	} else {
		/* NOTFOUND, not FORMAT: the caller tries it as a dump. */
		err = ss_error_create(SS_ERR_NOTFOUND,
				      "%s: not a snapshot (caches JSON or "
				      "/proc/slabinfo)",
				      path);
	}
	fclose(f);
	if (err)
		ss_snapshot_deinit(s);
	return err;
}

void ss_snapshot_deinit(struct ss_snapshot *s)
{
	for (size_t i = 0; i < s->ncaches; i++)
		free(s->caches[i].name);
	free(s->caches);
	free(s->source);
	ss_dump_source_deinit(&s->from);
	memset(s, 0, sizeof(*s));
}
