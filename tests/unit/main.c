/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The CUnit runner: every suite of tests/unit. */
#include <stdio.h>
#include <stdlib.h>

#include <CUnit/Basic.h>

#include "unit.h"

int main(void)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	int (*const suites[])(void) = {
		ss_test_error_register,	  ss_test_list_register,
		ss_test_dump_register,	  ss_test_dbg_register,
		ss_test_module_register,  ss_test_slub_register,
		ss_test_slab_register,	  ss_test_tui_register,
		ss_test_diff_register,	  ss_test_rules_register,
		ss_test_regress_register, ss_test_report_register,
		ss_test_schema_register,  ss_test_refscan_register,
		ss_test_mm_register,	  ss_test_readahead_register,
		ss_test_hugemem_register,
	};
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (suites[i]()) {
			fprintf(stderr, "cannot register suite %zu: %s\n", i,
				CU_get_error_msg());
			CU_cleanup_registry();
			return 2;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() +
			  CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
