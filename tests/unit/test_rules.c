/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rules file of slabscope batch. */
#include <string.h>

#include <slabscope/rules.h>

#include "unit.h"

static void test_parse_and_verdicts(void)
{
	struct ss_rules r;
	SS_ASSERT_OK(ss_rules_parse(
		"# comment\n"
		"\n"
		"fail finding freeptr-invalid\n"
		"ignore finding * in test_*   # trailing comment\n"
		"warn finding redzone-overwritten in test_keep\n"
		"warn growth task_struct > +20%\n"
		"fail growth kmalloc-*>=+10M\n"
		"vmlinux /a/vmlinux\n"
		"vmlinux /b/vmlinux for */lab-b/*\n",
		"t", &r));
	CU_ASSERT_EQUAL_FATAL(r.n, 7);
	CU_ASSERT_EQUAL(r.v[0].kind, SS_RULE_FINDING);
	CU_ASSERT_EQUAL(r.v[0].line, 3);
	CU_ASSERT_EQUAL(r.v[3].kind, SS_RULE_GROWTH);
	CU_ASSERT_TRUE(r.v[3].threshold.relative);
	CU_ASSERT_TRUE(r.v[4].threshold.memory && r.v[4].threshold.or_equal);
	/* defaults */
	CU_ASSERT_EQUAL(ss_rules_finding(&r, "poison-overwritten", true, "x"),
			SS_VERDICT_FAIL);
	CU_ASSERT_EQUAL(ss_rules_finding(&r, "unreadable", false, "x"),
			SS_VERDICT_WARN);
	/* later lines override earlier ones */
	CU_ASSERT_EQUAL(ss_rules_finding(&r, "freeptr-invalid", true, "test_a"),
			SS_VERDICT_IGNORE);
	CU_ASSERT_EQUAL(ss_rules_finding(&r, "redzone-overwritten", true,
					 "test_keep"),
			SS_VERDICT_WARN);
	CU_ASSERT_EQUAL(ss_rules_finding(&r, "freeptr-invalid", true, "kmalloc-8"),
			SS_VERDICT_FAIL);
	CU_ASSERT_EQUAL(ss_rules_finding(&r, "list-corrupt", true, NULL),
			SS_VERDICT_FAIL); /* no cache: "in" rules do not match */
	CU_ASSERT_STRING_EQUAL(ss_rules_vmlinux(&r, "/d/lab-a/vmcore"), "/a/vmlinux");
	CU_ASSERT_STRING_EQUAL(ss_rules_vmlinux(&r, "/d/lab-b/vmcore"), "/b/vmlinux");
	CU_ASSERT_TRUE(ss_rules_have_growth(&r));
	ss_rules_deinit(&r);
}

static void test_errors(void)
{
	struct ss_rules r;
	const char *bad[] = {
		"explode finding x\n",
		"fail finding\n",
		"fail finding no-such-id\n",
		"fail finding freeptr-invalid at kmalloc\n",
		"fail growth\n",
		"fail growth task_struct < 3\n",
		"ignore growth task_struct > +1%\n",
		"vmlinux\n",
		"vmlinux a b c\n",
		"fail something else\n",
		"fail finding * in a b c d e f g h\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ss_error *err = ss_rules_parse(bad[i], "f", &r);
		CU_ASSERT_PTR_NOT_NULL_FATAL(err);
		CU_ASSERT_EQUAL(err->code, SS_ERR_INVALID);
		CU_ASSERT_PTR_NOT_NULL(strstr(err->message, "f:1:"));
		ss_error_destroy(err);
	}
	struct ss_error *err = ss_rules_parse("fail finding *\n\nbogus\n", "f", &r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_PTR_NOT_NULL(strstr(err->message, "f:3:"));
	ss_error_destroy(err);
	SS_ASSERT_ERR(ss_rules_load("/nonexistent/rules", &r), SS_ERR_IO);
}

int ss_test_rules_register(void)
{
	CU_pSuite s = CU_add_suite("rules", NULL, NULL);
	if (!s || !CU_add_test(s, "parse and verdicts", test_parse_and_verdicts) ||
	    !CU_add_test(s, "errors", test_errors))
		return -1;
	return 0;
}
