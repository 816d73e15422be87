/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "unit.h"

static void test_create_prepend(void)
{
	struct ss_error *err = ss_error_create(SS_ERR_FAULT, "address 0x%x", 16);
	CU_ASSERT_STRING_EQUAL(err->message, "address 0x10");
	CU_ASSERT_PTR_EQUAL(ss_error_prepend(err, "reading %s", "x"), err);
	CU_ASSERT_STRING_EQUAL(err->message, "reading x: address 0x10");
	CU_ASSERT_PTR_EQUAL(ss_error_set_address(err, 0x10), err);
	CU_ASSERT_EQUAL(err->address, 0x10);
	ss_error_destroy(err);
	CU_ASSERT_PTR_NULL(ss_error_prepend(NULL, "nothing"));
}

static void test_errno(void)
{
	struct ss_error *err = ss_error_errno(ENOENT, SS_ERR_IO, "%s", "f");
	CU_ASSERT_EQUAL(err->code, SS_ERR_IO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err->message, "f ("));
	CU_ASSERT_PTR_NOT_NULL(strstr(err->message, strerror(ENOENT)));
	ss_error_destroy(err);
}

static void test_one_line(void)
{
	struct ss_error *err = ss_error_create(SS_ERR_FORMAT, "bad \"%s\"",
					       "a\nb\tc");
	CU_ASSERT_STRING_EQUAL(err->message, "bad \"a b c\"");
	err = ss_error_prepend(err, "file\r%s", "x");
	CU_ASSERT_STRING_EQUAL(err->message, "file x: bad \"a b c\"");
	ss_error_destroy(err);
}

static void test_nomem_is_static(void)
{
	/* Must neither be freed nor changed. */
	ss_error_prepend(&ss_error_nomem, "ctx");
	ss_error_set_address(&ss_error_nomem, 1);
	ss_error_destroy(&ss_error_nomem);
	CU_ASSERT_STRING_EQUAL(ss_error_nomem.message, "out of memory");
	CU_ASSERT_EQUAL(ss_error_nomem.address, 0);
	ss_error_destroy(NULL);
	CU_ASSERT_STRING_EQUAL(ss_errcode_name(SS_ERR_EXCLUDED), "excluded");
}

int ss_test_error_register(void)
{
	CU_pSuite s = CU_add_suite("error", NULL, NULL);
	if (!s || !CU_add_test(s, "create and prepend", test_create_prepend) ||
	    !CU_add_test(s, "errno text", test_errno) ||
	    !CU_add_test(s, "one line", test_one_line) ||
	    !CU_add_test(s, "static out-of-memory error", test_nomem_is_static))
		return -1;
	return 0;
}
