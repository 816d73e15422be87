/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The whatis and objects reports (src/lib/report/): their exact text and
 * JSON on a synthetic SLUB kernel, as slabscope-whatis(1) and
 * slabscope-objects(1) show them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int ss_test_report_register(void)
{
	CU_pSuite su = CU_add_suite("whatis and objects reports", suite_init,
				    suite_cleanup);
	if (!su)
		return -1;
	if (!CU_add_test(su, "whatis text", test_whatis_text) ||
	    !CU_add_test(su, "whatis JSON", test_whatis_json) ||
	    !CU_add_test(su, "objects text", test_objects_text) ||
	    !CU_add_test(su, "objects JSON", test_objects_json) ||
	    !CU_add_test(su, "objects --state names",
			 test_objects_filter_parse))
		return -1;
	return 0;
}
