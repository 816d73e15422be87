/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Growth thresholds, diff matching, task command prefixes. */
#include <stdlib.h>
#include <string.h>

#include <slabscope/diff.h>
#include <slabscope/tasks.h>

#include "unit.h"

static struct ss_diff_entry entry(const char *name, uint64_t b, uint64_t a,
				  uint64_t mb, uint64_t ma)
{
	struct ss_diff_entry e = { .name = name, .status = SS_DIFF_BOTH };
	e.allocated_before = b;
	e.allocated_after = a;
	e.delta = (int64_t)a - (int64_t)b;
	e.memory_before = mb;
	e.memory_after = ma;
	e.memory_delta = (int64_t)ma - (int64_t)mb;
	return e;
}

static void test_threshold_parse(void)
{
	struct ss_threshold t;
	SS_ASSERT_OK(ss_threshold_parse("task_struct>+10%", &t));
	CU_ASSERT_STRING_EQUAL(t.glob, "task_struct");
	CU_ASSERT_TRUE(t.relative && t.growth && !t.memory && !t.or_equal);
	CU_ASSERT_DOUBLE_EQUAL(t.value, 10.0, 1e-9);
	ss_threshold_deinit(&t);
	SS_ASSERT_OK(ss_threshold_parse("kmalloc-*>=+2M", &t));
	CU_ASSERT_TRUE(t.memory && t.growth && t.or_equal && !t.relative);
	CU_ASSERT_DOUBLE_EQUAL(t.value, 2.0 * 1048576, 1e-6);
	ss_threshold_deinit(&t);
	SS_ASSERT_OK(ss_threshold_parse("dentry>5000", &t));
	CU_ASSERT_TRUE(!t.growth && !t.relative);
	ss_threshold_deinit(&t);
	const char *bad[] = { "", ">+10%", "task_struct", "x>", "x>+",
			      "x>10%", "x>+-3", "x>+10%%", "x>+1T", "x>>3",
			      "x>+nan" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		SS_ASSERT_ERR(ss_threshold_parse(bad[i], &t), SS_ERR_INVALID);
}

static void test_threshold_crossed(void)
{
	struct ss_threshold t;
	struct ss_diff_entry e = entry("task_struct", 100, 111, 0, 0);
	SS_ASSERT_OK(ss_threshold_parse("task_struct>+10%", &t));
	CU_ASSERT_TRUE(ss_threshold_crossed(&t, &e));
	e = entry("task_struct", 100, 110, 0, 0);
	CU_ASSERT_FALSE(ss_threshold_crossed(&t, &e)); /* not above */
	e = entry("task_struct", 0, 1, 0, 0);
	CU_ASSERT_TRUE(ss_threshold_crossed(&t, &e)); /* from nothing */
	e = entry("task_struct_x", 1, 1000, 0, 0);
	CU_ASSERT_FALSE(ss_threshold_crossed(&t, &e)); /* glob is exact */
	ss_threshold_deinit(&t);

	SS_ASSERT_OK(ss_threshold_parse("task_struct>=+10%", &t));
	e = entry("task_struct", 100, 110, 0, 0);
	CU_ASSERT_TRUE(ss_threshold_crossed(&t, &e));
	ss_threshold_deinit(&t);

	SS_ASSERT_OK(ss_threshold_parse("kmalloc-*>+1M", &t));
	e = entry("kmalloc-512", 10, 10, 0, 2 << 20);
	CU_ASSERT_TRUE(ss_threshold_crossed(&t, &e));
	e = entry("kmalloc-512", 10, 100000, 1 << 20, 1 << 20);
	CU_ASSERT_FALSE(ss_threshold_crossed(&t, &e)); /* memory, not objects */
	ss_threshold_deinit(&t);

	SS_ASSERT_OK(ss_threshold_parse("dentry>5000", &t));
	e = entry("dentry", 9000, 5001, 0, 0);
	CU_ASSERT_TRUE(ss_threshold_crossed(&t, &e)); /* absolute, even if shrunk */
	ss_threshold_deinit(&t);
}

static void test_diff_compute(void)
{
	struct ss_snapshot_cache bc[] = { { "a", 10, 0, 0, 4096 },
					  { "gone", 5, 0, 0, 4096 },
					  { "b", 100, 0, 0, 8192 } };
	struct ss_snapshot_cache ac[] = { { "b", 50, 0, 0, 4096 },
					  { "a", 30, 0, 0, 40960 },
					  { "new", 7, 0, 0, 4096 } };
	struct ss_snapshot before = { .source = "before",
				      .caches = bc,
				      .ncaches = 3 },
			   after = { .source = "after",
				     .caches = ac,
				     .ncaches = 3 };
	struct ss_diff_entry *v;
	size_t n;
	SS_ASSERT_OK(ss_diff_compute(&before, &after, SS_DIFF_SORT_MEMORY, &v, &n));
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_STRING_EQUAL(v[0].name, "a");
	CU_ASSERT_EQUAL(v[0].delta, 20);
	CU_ASSERT_DOUBLE_EQUAL(v[0].ratio, 3.0, 1e-9);
	CU_ASSERT_STRING_EQUAL(v[1].name, "new");
	CU_ASSERT_EQUAL(v[1].status, SS_DIFF_NEW);
	/* b and gone both lost 4 KiB: ties go by name. */
	CU_ASSERT_STRING_EQUAL(v[2].name, "b");
	CU_ASSERT_EQUAL(v[2].delta, -50);
	CU_ASSERT_STRING_EQUAL(v[3].name, "gone");
	CU_ASSERT_EQUAL(v[3].status, SS_DIFF_GONE);
	free(v);
	SS_ASSERT_OK(ss_diff_compute(&before, &after, SS_DIFF_SORT_RATIO, &v, &n));
	CU_ASSERT_STRING_EQUAL(v[0].name, "new");
	CU_ASSERT_STRING_EQUAL(v[1].name, "a");
	free(v);
}

static void test_comm_prefix(void)
{
	const char *cases[][2] = {
		{ "ssfx_leak/3", "ssfx_leak" }, { "kworker/0:1H", "kworker" },
		{ "ksoftirqd/12", "ksoftirqd" }, { "bash", "bash" },
		{ "worker17", "worker" },        { "7", "7" },
		{ "cpuhp/1", "cpuhp" },          { "migration/0", "migration" },
		{ "abcdefghijklmnop", "abcdefghijklmnop" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[17];
		ss_task_comm_prefix(cases[i][0], out);
		if (strcmp(out, cases[i][1]))
			fprintf(stderr, "\n  %s -> %s\n", cases[i][0], out);
		CU_ASSERT_STRING_EQUAL(out, cases[i][1]);
	}
}

int ss_test_diff_register(void)
{
	CU_pSuite s = CU_add_suite("diff and tasks helpers", NULL, NULL);
	if (!s || !CU_add_test(s, "threshold parse", test_threshold_parse) ||
	    !CU_add_test(s, "threshold crossed", test_threshold_crossed) ||
	    !CU_add_test(s, "diff compute", test_diff_compute) ||
	    !CU_add_test(s, "comm prefix", test_comm_prefix))
		return -1;
	return 0;
}
