/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the CUnit suites: each file exports one register function. */
#ifndef SS_TESTS_UNIT_H
#define SS_TESTS_UNIT_H

#include <CUnit/CUnit.h>

#include <slabscope/error.h>

int ss_test_error_register(void);
int ss_test_list_register(void);
int ss_test_dump_register(void);
int ss_test_dbg_register(void);
int ss_test_module_register(void);
int ss_test_slub_register(void);
int ss_test_slab_register(void);
int ss_test_tui_register(void);
int ss_test_diff_register(void);
int ss_test_rules_register(void);
int ss_test_regress_register(void);
int ss_test_report_register(void);
int ss_test_schema_register(void);
int ss_test_refscan_register(void);
int ss_test_mm_register(void);
int ss_test_readahead_register(void);
int ss_test_hugemem_register(void);

/* Assert that err is NULL; on failure show its message.  Frees err. */
#define SS_ASSERT_OK(expr)                                                 \
	do {                                                               \
		struct ss_error *ss_assert_err_ = (expr);                   \
		if (ss_assert_err_)                                         \
			fprintf(stderr, "\n  unexpected error: %s\n",       \
				ss_assert_err_->message);                   \
		CU_ASSERT_PTR_NULL_FATAL(ss_assert_err_);                   \
	} while (0)

/* Assert that err has the given code; frees it. */
#define SS_ASSERT_ERR(expr, want_code)                                     \
	do {                                                               \
		struct ss_error *ss_assert_err_ = (expr);                   \
		CU_ASSERT_PTR_NOT_NULL_FATAL(ss_assert_err_);               \
		if (ss_assert_err_->code != (want_code))                    \
			fprintf(stderr, "\n  got code %d (%s)\n",           \
				ss_assert_err_->code,                       \
				ss_assert_err_->message);                   \
		CU_ASSERT_EQUAL(ss_assert_err_->code, (want_code));         \
		ss_error_destroy(ss_assert_err_);                           \
	} while (0)

#endif
