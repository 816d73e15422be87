/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Blocks in huge pages: small ones from malloc, large ones mappings of
 * their own; zeroed where asked, contents kept when grown or shrunk across
 * that line, and overflowing sizes refused. */
#include <stdint.h>
#include <string.h>

#include "lib/util/hugemem.h"
#include "unit.h"

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 31 + seed);
}

static int same(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 31 + seed))
			return 0;
	return 1;
}

static void test_calloc_zero(void)
{
	size_t sizes[] = { 1, 4096, (1u << 20) - 1, 1u << 20, 5u << 20 };
	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		unsigned char *p = ss_hugemem_calloc(sizes[k], 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_EQUAL((uintptr_t)p % 16, 0);
		size_t nonzero = 0;
		for (size_t i = 0; i < sizes[k]; i++)
			nonzero += p[i] != 0;
		CU_ASSERT_EQUAL(nonzero, 0);
		fill(p, sizes[k], 3); /* all of it is writable */
		ss_hugemem_free(p);
	}
	CU_ASSERT_PTR_NULL(ss_hugemem_calloc(SIZE_MAX / 2, 4));
	CU_ASSERT_PTR_NULL(ss_hugemem_alloc(SIZE_MAX - 8));
	ss_hugemem_free(NULL);
}

static void test_realloc_keeps(void)
{
	/* small -> large -> larger -> small -> large again */
	size_t steps[] = { 1000, 3u << 20, 9u << 20, 700, 2u << 20 };
	unsigned char *p = NULL;
	size_t have = 0;
	for (size_t k = 0; k < sizeof(steps) / sizeof(*steps); k++) {
		unsigned char *q = ss_hugemem_realloc(p, steps[k]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(q);
		size_t kept = have < steps[k] ? have : steps[k];
		CU_ASSERT(same(q, kept, 7));
		fill(q, steps[k], 7);
		p = q;
		have = steps[k];
	}
	ss_hugemem_free(p);
}

int ss_test_hugemem_register(void)
{
	CU_pSuite s = CU_add_suite("huge-page blocks", NULL, NULL);
	if (!s || !CU_add_test(s, "zeroed, writable, bounded", test_calloc_zero) ||
	    !CU_add_test(s, "realloc keeps the bytes", test_realloc_keeps))
		return -1;
	return 0;
}
