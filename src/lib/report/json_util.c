/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small JSON helpers shared by every report, and what makes a report a
 * document: its schema identification (schema/README.md). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/report.h>
#include <slabscope/version.h>

json_t *ss_json_addr(uint64_t addr)
{
	char buf[2 + 16 + 1];
	snprintf(buf, sizeof(buf), "0x%" PRIx64, addr);
	return json_string(buf);
}

json_t *ss_json_path(const char *path)
{
	if (!path)
		return json_null();
	json_t *j = json_string(path);
	if (j)
		return j;
	/* Not UTF-8 (json_string() refuses it): the bytes that are not
	 * ASCII become '?', so that the document still names the file. */
	char *copy = strdup(path);
	if (!copy)
		return NULL;
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

/*
 * Every kind of document and the version of its shape: schema/KIND.schema.json
 * describes it.  Bump a version with every change of the shape (a member
 * or an enum value added, removed, renamed or retyped), in the same commit
 * as the schema file and its history in schema/README.md.
 */
static const struct {
	const char *kind;
	int version;
} schema_versions[] = {
	{ "info", 2 },		{ "caches", 1 },  { "check", 1 },
	{ "finding-kinds", 1 }, { "objects", 1 }, { "slabs", 1 },
	{ "leaks", 1 },		{ "tasks", 1 },	  { "diff", 1 },
	{ "batch", 1 },		{ "whatis", 1 },  { "leaks-unreferenced", 1 },
};

int ss_json_schema_version(const char *kind)
{
	for (size_t i = 0;
	     i < sizeof(schema_versions) / sizeof(schema_versions[0]); i++)
		if (strcmp(schema_versions[i].kind, kind) == 0)
			return schema_versions[i].version;
	return 0;
}

json_t *ss_json_document(const char *kind, json_t *source, json_t *body)
{
	int version = ss_json_schema_version(kind);
	char name[64];
	json_t *doc = NULL, *id = NULL;
	if (!body || !version ||
	    snprintf(name, sizeof(name), "slabscope-%s", kind) >=
		    (int)sizeof(name))
		goto fail;
	doc = json_object();
	id = json_object();
	if (!doc || !id || json_object_set_new(id, "name", json_string(name)) ||
	    json_object_set_new(id, "version", json_integer(version)))
		goto fail;
	int bad = json_object_set_new(doc, "schema", id);
	id = NULL;
	if (source) {
		bad |= json_object_set_new(doc, "source", source);
		source = NULL;
	}
	/* The report's members after the two, in their order. */
	const char *key;
	json_t *value;
	json_object_foreach(body, key, value) bad |=
		json_object_set(doc, key, value);
	if (bad)
		goto fail;
	json_decref(body);
	return doc;
fail:
	json_decref(doc);
	json_decref(id);
	json_decref(source);
	json_decref(body);
	return NULL;
}

json_t *ss_json_strings(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

void ss_report_symbol_warnings_text(char *const *v, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "warning: %s\n", v[i]);
}

struct ss_error *ss_json_dump(json_t *doc, FILE *out)
{
	if (!doc)
		return &ss_error_nomem;
	int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc < 0 || fputc('\n', out) == EOF || fflush(out) == EOF)
		return ss_error_errno(errno, SS_ERR_IO, "writing JSON output");
	return NULL;
}

struct ss_library_version ss_report_jansson_version(void)
{
#if JANSSON_VERSION_HEX >= 0x020d00
	return (struct ss_library_version){ "jansson", jansson_version_str(),
					    false };
#else
	/* jansson_version_str() came with 2.13. */
	return (struct ss_library_version){ "jansson", JANSSON_VERSION, true };
#endif
}
