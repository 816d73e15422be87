/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The schema files (schema/KIND.schema.json) against the code that makes the
 * documents: each kind's version is the one ss_json_document() stamps,
 * and every enum a schema lists is exactly the ids the library has
 * (finding kinds, culprit relations, batch reasons and errors, object
 * states, slab lists, cache flags, free pointer encodings), so that a new
 * id cannot reach a document without its schema (and version) following.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <slabscope/batch.h>
#include <slabscope/check.h>
#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "unit.h"

/* schema/KIND.schema.json, parsed (NULL and a failed assertion if not). */
static json_t *load_schema(const char *kind)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s.schema.json", SS_TEST_SCHEMADIR,
		 kind);
	json_error_t jerr;
	json_t *j = json_load_file(path, 0, &jerr);
	if (!j)
		fprintf(stderr, "\n  %s: %s\n", path, jerr.text);
	CU_ASSERT_PTR_NOT_NULL(j);
	return j;
}

/* The value at a "/"-separated path of object members. */
static json_t *at(json_t *j, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *save = NULL, *k = strtok_r(buf, "/", &save); j && k;
	     k = strtok_r(NULL, "/", &save))
		j = json_object_get(j, k);
	return j;
}

/* A set of strings, to compare an enum with the library's ids. */
struct names {
	const char *v[64];
	size_t n;
};

static void add_name(void *arg, const char *name)
{
	struct names *s = arg;
	if (s->n < 64)
		s->v[s->n++] = name;
}

/* The schema's enum at path has exactly the names of want (any order). */
static void enum_is(const char *kind, const char *path,
		    const struct names *want)
{
	json_t *schema = load_schema(kind);
	json_t *e = at(schema, path);
	if (!json_is_array(e))
		fprintf(stderr, "\n  %s: no enum at %s\n", kind, path);
	CU_ASSERT_TRUE_FATAL(json_is_array(e));
	CU_ASSERT_EQUAL(json_array_size(e), want->n);
	for (size_t i = 0; i < want->n; i++) {
		bool found = false;
		for (size_t k = 0; k < json_array_size(e); k++)
			found |= strcmp(json_string_value(json_array_get(e, k)),
					want->v[i]) == 0;
		if (!found)
			fprintf(stderr, "\n  %s %s lacks %s\n", kind, path,
				want->v[i]);
		CU_ASSERT_TRUE(found);
	}
	json_decref(schema);
}

static void test_versions(void)
{
	static const char *const kinds[] = {
		"info",	   "caches", "check", "finding-kinds",
		"objects", "slabs",  "leaks", "leaks-unreferenced",
		"tasks",   "diff",   "batch", "whatis",
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		json_t *schema = load_schema(kinds[i]);
		char name[64];
		snprintf(name, sizeof(name), "slabscope-%s", kinds[i]);
		CU_ASSERT_STRING_EQUAL(
			json_string_value(
				at(schema,
				   "$defs/schema_id/properties/name/const")),
			name);
		json_int_t v = json_integer_value(
			at(schema, "$defs/schema_id/properties/version/const"));
		if (v != ss_json_schema_version(kinds[i]))
			fprintf(stderr,
				"\n  %s: schema file version %lld, "
				"documents %d\n",
				kinds[i], (long long)v,
				ss_json_schema_version(kinds[i]));
		CU_ASSERT_EQUAL(v, ss_json_schema_version(kinds[i]));
		json_decref(schema);
	}
}

static void test_finding_ids(void)
{
	struct names ids = { 0 };
	for (const struct ss_finding_kind *k = ss_finding_kinds; k->id; k++)
		add_name(&ids, k->id);
	enum_is("check", "$defs/finding_id/enum", &ids);
	enum_is("finding-kinds", "$defs/finding_id/enum", &ids);
	enum_is("batch", "$defs/finding_id/enum", &ids);
	struct names sev = { { ss_severity_name(SS_SEV_ERROR),
			       ss_severity_name(SS_SEV_WARNING) },
			     2 };
	enum_is("check", "$defs/severity/enum", &sev);
	enum_is("finding-kinds", "$defs/severity/enum", &sev);
}

static void test_check_ids(void)
{
	struct names rel = { 0 };
	for (int r = 0; r < SS_CULPRIT_NRELATIONS; r++)
		add_name(&rel, ss_culprit_relation_id(r));
	enum_is("check", "$defs/culprit/properties/relation/enum", &rel);
}

static void test_batch_ids(void)
{
	struct names err = { 0 };
	for (int e = SS_BATCH_ERR_NONE + 1; e < SS_BATCH_ERR_NIDS; e++)
		add_name(&err, ss_batch_error_id(e));
	enum_is("batch", "$defs/error_id/enum", &err);
	/* one reason definition per reason id */
	json_t *schema = load_schema("batch");
	for (int k = 0; k < SS_REASON_NKINDS; k++) {
		char path[128];
		snprintf(path, sizeof(path),
			 "$defs/%s_reason/properties/id/const",
			 ss_batch_reason_id(k));
		CU_ASSERT_STRING_EQUAL(json_string_value(at(schema, path)),
				       ss_batch_reason_id(k));
	}
	json_decref(schema);
	struct names st = { { ss_batch_status_name(SS_BATCH_PASS),
			      ss_batch_status_name(SS_BATCH_FAIL),
			      ss_batch_status_name(SS_BATCH_ERROR) },
			    3 };
	enum_is("batch", "$defs/row/properties/status/enum", &st);
}

static void test_model_ids(void)
{
	struct names states = { 0 };
	for (int s = SS_OBJ_ALLOCATED; s <= SS_OBJ_SHEAF; s++)
		add_name(&states, ss_obj_state_name(s));
	enum_is("check", "$defs/state/enum", &states);
	enum_is("objects", "$defs/state/enum", &states);
	enum_is("slabs", "$defs/state/enum", &states);
	struct names lists = { 0 };
	for (int l = SS_LIST_NONE; l <= SS_LIST_KFENCE; l++)
		add_name(&lists, ss_slab_list_name(l));
	enum_is("slabs", "$defs/slab/properties/list/enum", &lists);
	struct names enc = { 0 };
	for (int e = SS_FP_PLAIN; e <= SS_FP_UNDECIDED; e++)
		add_name(&enc, ss_fp_encoding_name(e));
	enum_is("caches", "$defs/cache/properties/freeptr_encoding/enum", &enc);
	struct names flags = { 0 };
	ss_cache_flag_names(~0ULL, add_name, &flags);
	enum_is("caches", "$defs/flag/enum", &flags);
}

int ss_test_schema_register(void)
{
	CU_pSuite su = CU_add_suite("schema files", NULL, NULL);
	if (!su)
		return -1;
	if (!CU_add_test(su, "versions", test_versions) ||
	    !CU_add_test(su, "finding ids", test_finding_ids) ||
	    !CU_add_test(su, "check ids", test_check_ids) ||
	    !CU_add_test(su, "batch ids", test_batch_ids) ||
	    !CU_add_test(su, "model ids", test_model_ids))
		return -1;
	return 0;
}
