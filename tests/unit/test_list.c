/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ss_list_walk and the synthetic memory image it is tested on. */
#include <stdint.h>
#include <string.h>

#include <slabscope/memory.h>

#include "unit.h"

#define BASE 0xffff888000001000ULL

struct collect {
	uint64_t seen[16];
	size_t n;
};

static struct ss_error *collect_fn(void *arg, uint64_t entry)
{
	struct collect *c = arg;
	if (c->n < 16)
		c->seen[c->n] = entry;
	c->n++;
	return NULL;
}

/* An image of n list_heads at BASE + 16*i, linked head -> 1 -> ... -> n-1
 * -> head, all prev pointers right. */
static struct ss_memimage *make_list(size_t n)
{
	struct ss_memimage *img;
	if (ss_memimage_create(&img))
		return NULL;
	uint64_t words[64] = { 0 };
	for (size_t i = 0; i < n; i++) {
		words[2 * i] = BASE + 16 * ((i + 1) % n);
		words[2 * i + 1] = BASE + 16 * ((i + n - 1) % n);
	}
	if (ss_memimage_add(img, BASE, words, sizeof(words))) {
		ss_memimage_destroy(img);
		return NULL;
	}
	return img;
}

static uint64_t *word(struct ss_memimage *img, size_t i)
{
	return ss_memimage_ptr(img, BASE + 8 * i, 8);
}

static void test_walk_ok(void)
{
	struct ss_memimage *img = make_list(5);
	struct ss_memory mem = ss_memimage_memory(img);
	struct collect c = { 0 };
	size_t count;
	SS_ASSERT_OK(ss_list_walk(&mem, BASE, 100, true, collect_fn, &c,
				  &count));
	CU_ASSERT_EQUAL(count, 4);
	CU_ASSERT_EQUAL(c.n, 4);
	CU_ASSERT_EQUAL(c.seen[0], BASE + 16);
	CU_ASSERT_EQUAL(c.seen[3], BASE + 64);
	ss_memimage_destroy(img);
}

static void test_walk_empty(void)
{
	struct ss_memimage *img = make_list(1);
	struct ss_memory mem = ss_memimage_memory(img);
	struct collect c = { 0 };
	SS_ASSERT_OK(ss_list_walk(&mem, BASE, 100, true, collect_fn, &c, NULL));
	CU_ASSERT_EQUAL(c.n, 0);
	ss_memimage_destroy(img);
}

static void test_walk_cycle_not_through_head(void)
{
	struct ss_memimage *img = make_list(5);
	/* entry 3 -> entry 1: a cycle that never returns to head */
	*word(img, 6) = BASE + 16;
	struct ss_memory mem = ss_memimage_memory(img);
	struct collect c = { 0 };
	size_t count;
	struct ss_error *err = ss_list_walk(&mem, BASE, 100, false, collect_fn,
					    &c, &count);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_EQUAL(err->code, SS_ERR_CORRUPT);
	CU_ASSERT_EQUAL(err->address, BASE + 48); /* entry 3's next */
	CU_ASSERT_PTR_NOT_NULL(strstr(err->message, "cycle"));
	CU_ASSERT_EQUAL(count, 3);
	ss_error_destroy(err);
	ss_memimage_destroy(img);
}

static void test_walk_self_loop(void)
{
	struct ss_memimage *img = make_list(5);
	*word(img, 2) = BASE + 16; /* entry 1 -> itself */
	struct ss_memory mem = ss_memimage_memory(img);
	struct collect c = { 0 };
	SS_ASSERT_ERR(ss_list_walk(&mem, BASE, 100, false, collect_fn, &c,
				   NULL),
		      SS_ERR_CORRUPT);
	CU_ASSERT_EQUAL(c.n, 1);
	ss_memimage_destroy(img);
}

static void test_walk_bad_prev(void)
{
	struct ss_memimage *img = make_list(5);
	*word(img, 5) = BASE + 48; /* entry 2's prev should be entry 1 */
	struct ss_memory mem = ss_memimage_memory(img);
	struct collect c = { 0 };
	struct ss_error *err = ss_list_walk(&mem, BASE, 100, true, collect_fn,
					    &c, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_EQUAL(err->code, SS_ERR_CORRUPT);
	CU_ASSERT_EQUAL(err->address, BASE + 40); /* entry 2's prev */
	CU_ASSERT_PTR_NULL(strstr(err->message, "stray"));
	ss_error_destroy(err);

	/* entry 3 -> entry 1, whose prev (entry 0) still points to it: entry
	 * 3's next is the stray pointer */
	*word(img, 5) = BASE + 16;
	*word(img, 6) = BASE + 16;
	err = ss_list_walk(&mem, BASE, 100, true, collect_fn, &c, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_EQUAL(err->code, SS_ERR_CORRUPT);
	CU_ASSERT_EQUAL(err->address, BASE + 48);
	CU_ASSERT_PTR_NOT_NULL(strstr(err->message, "stray"));
	ss_error_destroy(err);
	ss_memimage_destroy(img);
}

/* Backwards: entries in reverse order; past a broken next pointer, the
 * entries behind it are reached from the other end. */
static void test_walk_backward(void)
{
	struct ss_memimage *img = make_list(5);
	struct ss_memory mem = ss_memimage_memory(img);
	struct collect c = { 0 };
	size_t count;
	SS_ASSERT_OK(ss_list_walk_backward(&mem, BASE, 100, true, collect_fn,
					   &c, &count));
	CU_ASSERT_EQUAL(count, 4);
	CU_ASSERT_EQUAL(c.seen[0], BASE + 64);
	CU_ASSERT_EQUAL(c.seen[3], BASE + 16);

	*word(img, 4) = 0xdead000000000100ULL; /* entry 2's next: garbage */
	memset(&c, 0, sizeof(c));
	struct ss_error *err = ss_list_walk(&mem, BASE, 100, true, collect_fn,
					    &c, NULL);
	CU_ASSERT_PTR_NOT_NULL(err);
	ss_error_destroy(err);
	CU_ASSERT_EQUAL(c.n, 2); /* entries 1, 2 */
	struct collect b = { 0 };
	err = ss_list_walk_backward(&mem, BASE, 100, true, collect_fn, &b,
				    NULL);
	/* 4, 3, then 3's prev (2) has a garbage next: the back check fails
	 * there, at 2's next, so the walks together reach every entry */
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_EQUAL(err->code, SS_ERR_CORRUPT);
	CU_ASSERT_EQUAL(err->address, BASE + 32);
	ss_error_destroy(err);
	CU_ASSERT_EQUAL(b.n, 2);
	CU_ASSERT_EQUAL(b.seen[0], BASE + 64);
	CU_ASSERT_EQUAL(b.seen[1], BASE + 48);

	/* entry 3's prev skips to entry 1: its prev is stray */
	*word(img, 4) = BASE + 48;
	*word(img, 7) = BASE + 16;
	memset(&b, 0, sizeof(b));
	err = ss_list_walk_backward(&mem, BASE, 100, true, collect_fn, &b,
				    NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_EQUAL(err->code, SS_ERR_CORRUPT);
	CU_ASSERT_EQUAL(err->address, BASE + 48 + 8);
	CU_ASSERT_PTR_NOT_NULL(strstr(err->message, "prev pointer is stray"));
	ss_error_destroy(err);
	ss_memimage_destroy(img);
}

static void test_walk_garbage_and_excluded(void)
{
	struct ss_memimage *img = make_list(5);
	*word(img, 4) = 0xdead000000000100ULL; /* entry 2 -> garbage */
	struct ss_memory mem = ss_memimage_memory(img);
	struct collect c = { 0 };
	struct ss_error *err = ss_list_walk(&mem, BASE, 100, false, collect_fn,
					    &c, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_EQUAL(err->code, SS_ERR_FAULT);
	CU_ASSERT_EQUAL(err->address, 0xdead000000000100ULL);
	ss_error_destroy(err);

	*word(img, 4) = BASE + 48;
	SS_ASSERT_OK(ss_memimage_exclude(img, BASE + 64, 16));
	c.n = 0;
	SS_ASSERT_ERR(ss_list_walk(&mem, BASE, 100, false, collect_fn, &c,
				   NULL),
		      SS_ERR_EXCLUDED);
	ss_memimage_destroy(img);
}

static void test_walk_bound_and_null(void)
{
	struct ss_memimage *img = make_list(5);
	struct ss_memory mem = ss_memimage_memory(img);
	struct collect c = { 0 };
	SS_ASSERT_ERR(ss_list_walk(&mem, BASE, 2, false, collect_fn, &c, NULL),
		      SS_ERR_CORRUPT);
	CU_ASSERT_EQUAL(c.n, 2);
	*word(img, 2) = 0;
	c.n = 0;
	SS_ASSERT_ERR(ss_list_walk(&mem, BASE, 100, false, collect_fn, &c,
				   NULL),
		      SS_ERR_CORRUPT);
	ss_memimage_destroy(img);
}

static void test_image_reads_across_ranges(void)
{
	struct ss_memimage *img;
	SS_ASSERT_OK(ss_memimage_create(&img));
	SS_ASSERT_OK(ss_memimage_add(img, 0x1000, "abcd", 4));
	SS_ASSERT_OK(ss_memimage_add(img, 0x1004, "efgh", 4));
	struct ss_memory mem = ss_memimage_memory(img);
	char buf[8];
	SS_ASSERT_OK(ss_mem_read(&mem, 0x1002, buf, 4));
	CU_ASSERT_EQUAL(memcmp(buf, "cdef", 4), 0);
	SS_ASSERT_ERR(ss_mem_read(&mem, 0x1006, buf, 4), SS_ERR_FAULT);
	CU_ASSERT_PTR_NULL(ss_memimage_ptr(img, 0x1002, 4));
	/* An exclusion inside a data range stops a read that runs into it. */
	SS_ASSERT_OK(ss_memimage_exclude(img, 0x1004, 2));
	SS_ASSERT_ERR(ss_mem_read(&mem, 0x1002, buf, 4), SS_ERR_EXCLUDED);
	SS_ASSERT_OK(ss_mem_read(&mem, 0x1000, buf, 4));
	ss_memimage_destroy(img);
}

int ss_test_list_register(void)
{
	CU_pSuite s = CU_add_suite("list walk", NULL, NULL);
	if (!s || !CU_add_test(s, "walk", test_walk_ok) ||
	    !CU_add_test(s, "empty list", test_walk_empty) ||
	    !CU_add_test(s, "cycle not through head",
			 test_walk_cycle_not_through_head) ||
	    !CU_add_test(s, "self loop", test_walk_self_loop) ||
	    !CU_add_test(s, "next->prev mismatch", test_walk_bad_prev) ||
	    !CU_add_test(s, "backward", test_walk_backward) ||
	    !CU_add_test(s, "garbage and excluded pointers",
			 test_walk_garbage_and_excluded) ||
	    !CU_add_test(s, "bound and NULL", test_walk_bound_and_null) ||
	    !CU_add_test(s, "image reads", test_image_reads_across_ranges))
		return -1;
	return 0;
}
