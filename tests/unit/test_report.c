/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The whatis and objects reports (src/lib/report/): their exact text and
 * JSON on a synthetic SLUB kernel, as slabscope-whatis(1) and
 * slabscope-objects(1) show them; what makes a report a document (the
 * schema identification and source, schema/README.md), check's culprit
 * and finding kinds, and a batch result through its JSON and back.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/batch.h>
#include <slabscope/report.h>

#include "model_run.h"
#include "unit.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char tmpdir[256], so[512];
static struct synth *s;
static struct ss_model *m;
static int slab;     /* one partial slab of rep-plain-64 */
static uint32_t ci;  /* rep-plain-64 */

static int suite_cleanup(void)
{
	ss_model_destroy(m);
	m = NULL;
	synth_destroy(s);
	s = NULL;
	model_run_rmtemp(tmpdir, so, (char *)NULL);
	return 0;
}

static int suite_init(void)
{
	if (!model_run_mkdtemp(tmpdir, sizeof(tmpdir), "report"))
		return -1;
	snprintf(so, sizeof(so), "%s/slub_types.so", tmpdir);
	if (model_run_build_types("slub_types.c", "", so) ||
	    !(s = synth_create(so))) {
		suite_cleanup();
		return -1;
	}
	/* 64-byte objects, free pointer at +32: free chain 3 -> 7 -> 9. */
	struct synth_cache_spec plain = {
		.name = "rep-plain-64", .object_size = 64,
		.enc = SS_FP_XOR_SWAB, .random = 0x5f3c9e1d27a4b680ULL,
	};
	int cache = synth_add_cache(s, &plain);
	slab = synth_add_slab(s, cache, 0);
	const uint32_t fl[] = { 3, 7, 9 };
	synth_slab_freelist(s, slab, fl, N(fl));
	synth_node_partial(s, cache, &slab, 1);
	struct ss_error *err = ss_model_load(synth_target(s), NULL, &m);
	if (err) {
		fprintf(stderr, "test_report: %s\n", err->message);
		ss_error_destroy(err);
		suite_cleanup();
		return -1;
	}
	ci = ss_model_find_cache(m, "rep-plain-64");
	return ci == SS_NO_CACHE ? -1 : 0;
}

/* A stream whose bytes the test reads after closing it. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *capture_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->buf, &c->len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->f);
	return c->f;
}

/* Close the stream; its bytes equal want (shown when they do not). */
static void capture_check(struct capture *c, const char *want,
			  unsigned line)
{
	fclose(c->f);
	bool same = strcmp(c->buf, want) == 0;
	if (!same)
		fprintf(stderr, "\n  line %u: got\n%s  want\n%s", line, c->buf,
			want);
	CU_assertImplementation(same, line, "report output", __FILE__, "",
				CU_FALSE);
	free(c->buf);
}
#define CAPTURE_CHECK(c, want) capture_check((c), (want), __LINE__)

/* JSON as one compact line, key order kept; steals j. */
static char *compact(json_t *j)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	char *str = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return str;
}

/* What whatis says of object idx at offset off (in the payload). */
static void whatis_want(char *buf, size_t len, uint32_t idx, int64_t off,
			const char *state, const char *note)
{
	uint64_t obj = synth_obj(s, slab, idx);
	snprintf(buf, len,
		 "0x%" PRIx64 ": in slab 0x%" PRIx64 " (partial) of cache "
		 "rep-plain-64\n"
		 "  object:  0x%" PRIx64 " (%s), slot 0x%" PRIx64 "\n"
		 "  offset:  %+" PRId64 " of 64-byte objects (slot size 64)\n"
		 "  region:  payload%s\n",
		 obj + (uint64_t)off, synth_slab(s, slab)->page, obj, state,
		 obj, off, note);
}

static void test_whatis_text(void)
{
	struct ss_identifier *id;
	SS_ASSERT_OK(ss_identifier_create(m, &id));
	CU_ASSERT_EQUAL_FATAL(ss_model_cache(m, ci)->offset, 32);
	const struct {
		uint32_t idx;
		int64_t off;
		const char *state, *note;
	} cases[] = {
		{ 2, 8, "allocated", "" },
		{ 2, 32, "allocated",
		  " (holds the free pointer while the object is free)" },
		{ 7, 39, "free",
		  " (holds the free pointer while the object is free)" },
		{ 7, 40, "free", "" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		char want[512];
		whatis_want(want, sizeof(want), cases[i].idx, cases[i].off,
			    cases[i].state, cases[i].note);
		uint64_t addr = synth_obj(s, slab, cases[i].idx) +
				(uint64_t)cases[i].off;
		struct ss_identity r;
		SS_ASSERT_OK(ss_identify(id, addr, &r));
		struct capture cap;
		SS_ASSERT_OK(ss_report_whatis_text(m, &r, capture_open(&cap)));
		CAPTURE_CHECK(&cap, want);
		ss_identity_deinit(&r);
	}
	struct ss_identity r;
	SS_ASSERT_OK(ss_identify(id, 0x1000, &r));
	struct capture cap;
	SS_ASSERT_OK(ss_report_whatis_text(m, &r, capture_open(&cap)));
	CAPTURE_CHECK(
		&cap,
		"0x1000: a user-space address: not in the kernel's half\n");
	ss_identity_deinit(&r);
	ss_identifier_destroy(id);
}

static void test_whatis_json(void)
{
	uint64_t obj = synth_obj(s, slab, 7);
	struct ss_identifier *id;
	SS_ASSERT_OK(ss_identifier_create(m, &id));
	struct ss_identity r;
	SS_ASSERT_OK(ss_identify(id, obj + 40, &r));
	char want[512];
	snprintf(want, sizeof(want),
		 "{\"address\":\"0x%" PRIx64 "\",\"kind\":\"slab\","
		 "\"in_slab\":true,"
		 "\"cache\":\"rep-plain-64\",\"slab\":\"0x%" PRIx64 "\","
		 "\"slab_list\":\"partial\",\"object\":\"0x%" PRIx64 "\","
		 "\"slot\":\"0x%" PRIx64 "\",\"offset\":40,\"state\":\"free\","
		 "\"region\":\"payload\",\"page\":{\"pfn\":%" PRIu64 ","
		 "\"phys\":\"0x%" PRIx64 "\",\"struct_page\":\"0x%" PRIx64 "\"",
		 obj + 40, synth_slab(s, slab)->page, obj, obj,
		 (uint64_t)((obj - SYNTH_PAGE_OFFSET) >> 12),
		 (uint64_t)((obj - SYNTH_PAGE_OFFSET) & ~UINT64_C(0xfff)),
		 synth_slab(s, slab)->page);
	char *got = compact(ss_report_whatis_json(m, &r));
	/* The slab facts, then the page's (its flags are the synthetic
	 * image's: compared in part). */
	CU_ASSERT_NSTRING_EQUAL(got, want, strlen(want));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(got, "\"slab\":true,\"cache\":\"rep-plain-64\""));
	free(got);
	ss_identity_deinit(&r);

	SS_ASSERT_OK(ss_identify(id, 0x1000, &r));
	got = compact(ss_report_whatis_json(m, &r));
	CU_ASSERT_STRING_EQUAL(got, "{\"address\":\"0x1000\",\"kind\":\"user\","
				    "\"in_slab\":false}");
	free(got);
	ss_identity_deinit(&r);
	ss_identifier_destroy(id);
}

/* The text row of object idx, as slabscope objects prints it. */
static void object_row(char *buf, size_t len, uint32_t idx, const char *st,
		       uint64_t next)
{
	int n = snprintf(buf, len, "0x%016" PRIx64 "  slab 0x%016" PRIx64
			 "  %-9s",
			 synth_obj(s, slab, idx), synth_slab(s, slab)->page, st);
	if (next != UINT64_MAX)
		snprintf(buf + n, len - (size_t)n, "  next 0x%" PRIx64, next);
	strcat(buf, "\n");
}

static void test_objects_text(void)
{
	/* Free objects with their next pointer, then without. */
	char want[1024] = "", row[128];
	object_row(row, sizeof(row), 3, "free", synth_obj(s, slab, 7));
	strcat(want, row);
	object_row(row, sizeof(row), 7, "free", synth_obj(s, slab, 9));
	strcat(want, row);
	object_row(row, sizeof(row), 9, "free", 0);
	strcat(want, row);
	struct capture cap;
	SS_ASSERT_OK(ss_report_objects_text(m, ci, SS_OBJECTS_FREE, true,
					    capture_open(&cap)));
	CAPTURE_CHECK(&cap, want);

	want[0] = '\0';
	const uint32_t free_idx[] = { 3, 7, 9 };
	for (size_t i = 0; i < N(free_idx); i++) {
		object_row(row, sizeof(row), free_idx[i], "free", UINT64_MAX);
		strcat(want, row);
	}
	SS_ASSERT_OK(ss_report_objects_text(m, ci, SS_OBJECTS_FREE, false,
					    capture_open(&cap)));
	CAPTURE_CHECK(&cap, want);

	/* Every other object is allocated, in address order. */
	SS_ASSERT_OK(ss_report_objects_text(m, ci, SS_OBJECTS_ALLOCATED, true,
					    capture_open(&cap)));
	fclose(cap.f);
	const struct ss_cache *c = ss_model_cache(m, ci);
	size_t lines = 0;
	for (const char *p = cap.buf; (p = strchr(p, '\n')); p++)
		lines++;
	CU_ASSERT_EQUAL(lines, c->objects_per_slab - 3);
	object_row(row, sizeof(row), 0, "allocated", UINT64_MAX);
	CU_ASSERT_EQUAL(strncmp(cap.buf, row, strlen(row)), 0);
	CU_ASSERT_PTR_NULL(strstr(cap.buf, "next"));
	free(cap.buf);
}

static void test_objects_json(void)
{
	const struct ss_cache *c = ss_model_cache(m, ci);
	uint64_t page = synth_slab(s, slab)->page;
	for (int has_next = 0; has_next <= 1; has_next++) {
		json_t *doc;
		SS_ASSERT_OK(ss_report_objects_json(m, ci, SS_OBJECTS_FREE,
						    has_next, &doc));
		char want[1024];
		int n = snprintf(want, sizeof(want),
				 "{\"cache\":\"rep-plain-64\",\"address\":"
				 "\"0x%" PRIx64 "\",\"objects\":[",
				 c->addr);
		const uint32_t idx[] = { 3, 7, 9 };
		for (size_t i = 0; i < N(idx); i++) {
			uint64_t next = i + 1 < N(idx)
						? synth_obj(s, slab, idx[i + 1])
						: 0;
			n += snprintf(want + n, sizeof(want) - (size_t)n,
				      "%s{\"address\":\"0x%" PRIx64 "\","
				      "\"slab\":\"0x%" PRIx64 "\","
				      "\"state\":\"free\"",
				      i ? "," : "", synth_obj(s, slab, idx[i]),
				      page);
			if (has_next)
				n += snprintf(want + n,
					      sizeof(want) - (size_t)n,
					      ",\"next\":\"0x%" PRIx64 "\"",
					      next);
			n += snprintf(want + n, sizeof(want) - (size_t)n, "}");
		}
		snprintf(want + n, sizeof(want) - (size_t)n, "]}");
		char *got = compact(doc);
		CU_ASSERT_STRING_EQUAL(got, want);
		free(got);
	}
}

static void test_objects_filter_parse(void)
{
	CU_ASSERT_EQUAL(ss_objects_filter_parse("all"), SS_OBJECTS_ALL);
	CU_ASSERT_EQUAL(ss_objects_filter_parse("allocated"),
			SS_OBJECTS_ALLOCATED);
	CU_ASSERT_EQUAL(ss_objects_filter_parse("free"), SS_OBJECTS_FREE);
	CU_ASSERT_EQUAL(ss_objects_filter_parse("unknown"),
			SS_OBJECTS_UNKNOWN);
	CU_ASSERT_EQUAL(ss_objects_filter_parse("cpu-free"),
			SS_OBJECTS_CPU_FREE);
	CU_ASSERT_EQUAL(ss_objects_filter_parse("sheaf"), SS_OBJECTS_SHEAF);
	CU_ASSERT_EQUAL(ss_objects_filter_parse("cpu_free"), -1);
	CU_ASSERT_EQUAL(ss_objects_filter_parse(""), -1);
}

/* A report becomes a document: "schema", "source", then its members in
 * their order. */
static void test_document(void)
{
	json_t *doc;
	SS_ASSERT_OK(ss_report_objects_json(m, ci, SS_OBJECTS_ALLOCATED, false,
					    &doc));
	json_t *objects = json_incref(json_object_get(doc, "objects"));
	struct ss_dump_source src = {
		.dump = "/d/vmcore",
		.format = "elf",
		.vmlinux = "/d/vmlinux",
		.release = "6.1.0-57-cloud-amd64",
		.allocator = "SLUB",
	};
	char *got = compact(
		ss_json_document("objects", ss_dump_source_json(&src), doc));
	char want[256];
	snprintf(want, sizeof(want),
		 "{\"schema\":{\"name\":\"slabscope-objects\",\"version\":%d},"
		 "\"source\":{\"dump\":\"/d/vmcore\",\"format\":\"elf\","
		 "\"vmlinux\":\"/d/vmlinux\",\"release\":"
		 "\"6.1.0-57-cloud-amd64\",\"allocator\":\"SLUB\"},"
		 "\"cache\":\"rep-plain-64\",\"address\":\"0x%" PRIx64 "\","
		 "\"objects\":",
		 ss_json_schema_version("objects"),
		 ss_model_cache(m, ci)->addr);
	CU_ASSERT_EQUAL(strncmp(got, want, strlen(want)), 0);
	/* the members themselves are the report's */
	json_t *back = json_loads(got, 0, NULL);
	CU_ASSERT_TRUE(json_equal(json_object_get(back, "objects"), objects));
	json_decref(back);
	json_decref(objects);
	free(got);

	/* no source: left out; unknown members of source are null */
	struct ss_dump_source part = { .dump = "/x" };
	got = compact(ss_json_document("finding-kinds", NULL,
				       ss_dump_source_json(&part)));
	CU_ASSERT_STRING_EQUAL(
		got, "{\"schema\":{\"name\":\"slabscope-finding-kinds\","
		     "\"version\":1},\"dump\":\"/x\",\"format\":null,"
		     "\"vmlinux\":null,\"release\":null,\"allocator\":null}");
	free(got);
	/* a kind without a schema, or no report (out of memory): nothing */
	CU_ASSERT_EQUAL(ss_json_schema_version("browse"), 0);
	CU_ASSERT_PTR_NULL(ss_json_document("browse", NULL, json_object()));
	CU_ASSERT_PTR_NULL(
		ss_json_document("caches", ss_dump_source_json(&part), NULL));
}

/* File names are the user's: one that is not UTF-8 is named all the same. */
static void test_json_path(void)
{
	json_t *j = ss_json_path("/d/vm\xff"
				 "core\xc3");
	CU_ASSERT_STRING_EQUAL(json_string_value(j), "/d/vm?core?");
	json_decref(j);
	j = ss_json_path("/d/vmcore-\xc3\xa9");
	CU_ASSERT_STRING_EQUAL(json_string_value(j), "/d/vmcore-\xc3\xa9");
	json_decref(j);
	j = ss_json_path(NULL);
	CU_ASSERT_TRUE(json_is_null(j));
	json_decref(j);
}

/* The source, through its JSON and back (batch and diff carry it). */
static void test_source_json(void)
{
	struct ss_dump_source src = {
		.dump = "/d/vmcore",
		.format = "kdump-compressed",
		.release = "5.10.0-43-cloud-amd64",
		.allocator = "SLAB",
	};
	json_t *j = ss_dump_source_json(&src);
	struct ss_dump_source back;
	SS_ASSERT_OK(ss_dump_source_from_json(j, &back));
	CU_ASSERT_STRING_EQUAL(back.dump, "/d/vmcore");
	CU_ASSERT_STRING_EQUAL(back.format, "kdump-compressed");
	CU_ASSERT_PTR_NULL(back.vmlinux);
	CU_ASSERT_STRING_EQUAL(back.release, "5.10.0-43-cloud-amd64");
	CU_ASSERT_STRING_EQUAL(back.allocator, "SLAB");
	ss_dump_source_deinit(&back);
	CU_ASSERT_PTR_NULL(back.dump);
	json_object_del(j, "dump");
	SS_ASSERT_ERR(ss_dump_source_from_json(j, &back), SS_ERR_FORMAT);
	json_decref(j);
}

/* check --json: the culprit's relation is an id, its sentence beside it. */
static void test_check_culprit_json(void)
{
	uint64_t o3 = synth_obj(s, slab, 3), o2 = synth_obj(s, slab, 2);
	struct ss_finding f = {
		.kind = &ss_finding_kinds[SS_FINDING_POISON_OVERWRITTEN],
		.cache = ci,
		.slab = synth_slab(s, slab)->page,
		.object = o3,
		.address = o3 + 8,
		.message = "poison",
		.has_culprit = true,
		.culprit = { .object = o2,
			     .relation = SS_CULPRIT_USE_AFTER_FREE,
			     .state = SS_OBJ_FREE },
	};
	struct ss_check_result r = { .findings = &f, .nfindings = 1 };
	json_t *doc = ss_report_check_json(m, &r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	json_t *cu = json_incref(json_object_get(
		json_array_get(json_object_get(doc, "findings"), 0),
		"culprit"));
	json_decref(doc);
	char *got = compact(cu);
	char want[512];
	snprintf(want, sizeof(want),
		 "{\"object\":\"0x%" PRIx64 "\",\"state\":\"free\","
		 "\"relation\":\"use-after-free\",\"relation_text\":\"was "
		 "written after it was freed\",\"alloc\":null,\"free\":null}",
		 o2);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
	/* every relation has an id and a sentence, and no two share one */
	for (int i = 0; i < SS_CULPRIT_NRELATIONS; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(ss_culprit_relation_id(i));
		CU_ASSERT_PTR_NOT_NULL(ss_culprit_relation_text(i));
		for (int k = 0; k < i; k++)
			CU_ASSERT_STRING_NOT_EQUAL(ss_culprit_relation_id(i),
						   ss_culprit_relation_id(k));
	}
	CU_ASSERT_PTR_NULL(ss_culprit_relation_id(SS_CULPRIT_NRELATIONS));
}

/* check --list-ids --json: every kind, in order. */
static void test_finding_kinds_json(void)
{
	json_t *doc = ss_report_finding_kinds_json();
	json_t *arr = json_object_get(doc, "finding_kinds");
	CU_ASSERT_EQUAL(json_array_size(arr), SS_FINDING_NKINDS);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *k = json_array_get(arr, i);
		CU_ASSERT_STRING_EQUAL(
			json_string_value(json_object_get(k, "id")),
			ss_finding_kinds[i].id);
		CU_ASSERT_STRING_EQUAL(
			json_string_value(json_object_get(k, "severity")),
			ss_severity_name(ss_finding_kinds[i].severity));
		CU_ASSERT_EQUAL(json_object_size(k), 3);
	}
	json_decref(doc);
}

/* A batch result from the child to the row: ids and numbers survive. */
static void test_batch_result_json(void)
{
	struct ss_batch_reason reasons[] = {
		{ .verdict = SS_VERDICT_FAIL,
		  .kind = SS_REASON_FINDING,
		  .text = "freeptr-invalid in kmalloc-64 (2)",
		  .cache = "kmalloc-64",
		  .finding = "freeptr-invalid",
		  .count = 2 },
		{ .verdict = SS_VERDICT_WARN,
		  .kind = SS_REASON_GROWTH,
		  .text = "growth task_struct +12 (100 -> 112): "
			  "task_struct>+10%",
		  .cache = "task_struct",
		  .before = 100,
		  .after = 112,
		  .rule = "task_struct>+10%" },
		{ .verdict = SS_VERDICT_WARN,
		  .kind = SS_REASON_FINDING,
		  .text = "unreadable in (no cache) (1)",
		  .finding = "unreadable",
		  .count = 1 },
	};
	struct ss_batch_result r = {
		.dump = "/d/vmcore",
		.status = SS_BATCH_FAIL,
		.source = { .dump = "/d/vmcore", .release = "6.1.0" },
		.findings = 3,
		.reasons = reasons,
		.nreasons = 3,
		.seconds = 0.5,
	};
	json_t *j = ss_batch_result_json(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	json_t *g = json_array_get(json_object_get(j, "reasons"), 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(g, "id")),
			       "growth");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(g, "delta")), 12);
	CU_ASSERT_TRUE(json_is_null(json_object_get(
		json_array_get(json_object_get(j, "reasons"), 2), "cache")));
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "release")),
			       "6.1.0");
	CU_ASSERT_TRUE(json_is_null(json_object_get(j, "error_id")));
	struct ss_batch_result back;
	SS_ASSERT_OK(ss_batch_result_from_json(j, &back));
	json_decref(j);
	CU_ASSERT_EQUAL_FATAL(back.nreasons, 3);
	CU_ASSERT_EQUAL(back.reasons[0].kind, SS_REASON_FINDING);
	CU_ASSERT_STRING_EQUAL(back.reasons[0].finding, "freeptr-invalid");
	CU_ASSERT_EQUAL(back.reasons[0].count, 2);
	CU_ASSERT_EQUAL(back.reasons[1].kind, SS_REASON_GROWTH);
	CU_ASSERT_EQUAL(back.reasons[1].verdict, SS_VERDICT_WARN);
	CU_ASSERT_EQUAL(back.reasons[1].after, 112);
	CU_ASSERT_STRING_EQUAL(back.reasons[1].rule, "task_struct>+10%");
	CU_ASSERT_PTR_NULL(back.reasons[2].cache);
	CU_ASSERT_STRING_EQUAL(back.source.release, "6.1.0");
	CU_ASSERT_PTR_NULL(back.source.vmlinux);
	ss_batch_result_deinit(&back);

	/* an ERROR row: its id through and back */
	struct ss_batch_result e = {
		.dump = "/d/x",
		.status = SS_BATCH_ERROR,
		.error_id = SS_BATCH_ERR_TIMEOUT,
		.error = "analysis did not finish within 600 s",
	};
	j = ss_batch_result_json(&e);
	CU_ASSERT_STRING_EQUAL(
		json_string_value(json_object_get(j, "error_id")), "timeout");
	CU_ASSERT_TRUE(json_is_null(json_object_get(j, "source")));
	SS_ASSERT_OK(ss_batch_result_from_json(j, &back));
	json_decref(j);
	CU_ASSERT_EQUAL(back.error_id, SS_BATCH_ERR_TIMEOUT);
	CU_ASSERT_PTR_NULL(back.source.dump);
	ss_batch_result_deinit(&back);
	/* the dump's own errors by their code */
	CU_ASSERT_EQUAL(ss_batch_error_of_code(SS_ERR_FORMAT),
			SS_BATCH_ERR_NOT_A_DUMP);
	CU_ASSERT_EQUAL(ss_batch_error_of_code(SS_ERR_EXCLUDED),
			SS_BATCH_ERR_MEMORY_UNREADABLE);
	CU_ASSERT_EQUAL(ss_batch_error_parse("no-such-id"), SS_BATCH_ERR_NONE);
	CU_ASSERT_EQUAL(ss_batch_error_parse(NULL), SS_BATCH_ERR_NONE);
}

int ss_test_report_register(void)
{
	CU_pSuite su = CU_add_suite("reports and documents", suite_init,
				    suite_cleanup);
	if (!su)
		return -1;
	if (!CU_add_test(su, "whatis text", test_whatis_text) ||
	    !CU_add_test(su, "whatis JSON", test_whatis_json) ||
	    !CU_add_test(su, "objects text", test_objects_text) ||
	    !CU_add_test(su, "objects JSON", test_objects_json) ||
	    !CU_add_test(su, "objects --state names",
			 test_objects_filter_parse) ||
	    !CU_add_test(su, "documents", test_document) ||
	    !CU_add_test(su, "source JSON", test_source_json) ||
	    !CU_add_test(su, "file names in JSON", test_json_path) ||
	    !CU_add_test(su, "check culprit JSON", test_check_culprit_json) ||
	    !CU_add_test(su, "finding kinds JSON", test_finding_kinds_json) ||
	    !CU_add_test(su, "batch result JSON", test_batch_result_json))
		return -1;
	return 0;
}
