/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Read-ahead workers on a synthetic image: every range in order with its
 * bytes or its read error, whatever the number of threads and the window;
 * nothing started where it cannot help. */
#include <stdlib.h>
#include <string.h>

#include <slabscope/memory.h>
#include <slabscope/readahead.h>

#include "unit.h"

#define BASE 0x10000000ULL
#define SIZE (1u << 20)

/* An image of SIZE bytes at BASE, byte i = (i * 7 + i / 4096) & 0xff,
 * with a hole (excluded) at [BASE + 0x40000, + 0x1000). */
static struct ss_memimage *image(void)
{
	unsigned char *data = malloc(SIZE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	for (size_t i = 0; i < SIZE; i++)
		data[i] = (unsigned char)((i * 7 + i / 4096) & 0xff);
	struct ss_memimage *img;
	SS_ASSERT_OK(ss_memimage_create(&img));
	SS_ASSERT_OK(ss_memimage_add(img, BASE, data, SIZE));
	SS_ASSERT_OK(ss_memimage_exclude(img, BASE + 0x40000, 0x1000));
	free(data);
	return img;
}

static void run(unsigned int jobs, size_t window)
{
	struct ss_memimage *img = image();
	struct ss_memory mem = ss_memimage_memory(img);
	/* 600 ranges of varied lengths and places, some over the hole, one
	 * outside the image */
	enum { N = 600 };
	struct ss_range r[N];
	for (size_t i = 0; i < N; i++)
		r[i] = (struct ss_range){ BASE + (i * 4093) % (SIZE - 9000),
					  1 + (i * 37) % 8192 };
	r[N - 1] = (struct ss_range){ BASE + SIZE + 4096, 64 };
	struct ss_readahead *ra;
	SS_ASSERT_OK(ss_readahead_start(&mem, jobs, r, N, window, &ra));
	CU_ASSERT_PTR_NOT_NULL_FATAL(ra);
	unsigned char *want = malloc(8192);
	size_t failed = 0;
	for (size_t i = 0; i < N; i++) {
		const unsigned char *got;
		struct ss_error *err;
		ss_readahead_next(ra, &got, &err);
		struct ss_error *werr =
			ss_mem_read(&mem, r[i].addr, want, r[i].len);
		CU_ASSERT_EQUAL(!err, !werr);
		if (err && werr) {
			CU_ASSERT_EQUAL(err->code, werr->code);
			CU_ASSERT_STRING_EQUAL(err->message, werr->message);
			failed++;
		} else if (!err) {
			CU_ASSERT_EQUAL(memcmp(got, want, r[i].len), 0);
		}
		ss_error_destroy(err);
		ss_error_destroy(werr);
	}
	CU_ASSERT(failed >= 2); /* the hole and the range outside */
	/* past the end: an error, not a hang */
	const unsigned char *got;
	struct ss_error *err;
	ss_readahead_next(ra, &got, &err);
	CU_ASSERT_PTR_NOT_NULL(err);
	ss_error_destroy(err);
	ss_readahead_stop(ra);
	free(want);
	ss_memimage_destroy(img);
}

static void test_in_order(void)
{
	run(2, 16u << 20);
	run(3, 1); /* the smallest window: two ranges per worker */
	run(8, 64 * 1024);
}

/* Stopped early: the workers still reading end, nothing leaks. */
static void test_stop_early(void)
{
	struct ss_memimage *img = image();
	struct ss_memory mem = ss_memimage_memory(img);
	struct ss_range r[100];
	for (size_t i = 0; i < 100; i++)
		r[i] = (struct ss_range){ BASE + i * 4096, 4096 };
	struct ss_readahead *ra;
	SS_ASSERT_OK(ss_readahead_start(&mem, 4, r, 100, 8192, &ra));
	const unsigned char *got;
	struct ss_error *err;
	ss_readahead_next(ra, &got, &err);
	CU_ASSERT_PTR_NULL(err);
	ss_readahead_stop(ra);
	ss_memimage_destroy(img);
}

static void test_not_started(void)
{
	struct ss_memimage *img = image();
	struct ss_memory mem = ss_memimage_memory(img);
	struct ss_range r = { BASE, 4096 };
	struct ss_readahead *ra = (void *)1;
	SS_ASSERT_OK(ss_readahead_start(&mem, 1, &r, 1, 1 << 20, &ra));
	CU_ASSERT_PTR_NULL(ra); /* one thread: the caller reads */
	SS_ASSERT_OK(ss_readahead_start(&mem, 4, &r, 0, 1 << 20, &ra));
	CU_ASSERT_PTR_NULL(ra); /* nothing to read */
	mem.fork = NULL;
	SS_ASSERT_OK(ss_readahead_start(&mem, 4, &r, 1, 1 << 20, &ra));
	CU_ASSERT_PTR_NULL(ra); /* a host's memory: no fork */
	ss_memimage_destroy(img);
}

static void test_jobs_default(void)
{
	const char *old = getenv("SLABSCOPE_JOBS");
	char *saved = old ? strdup(old) : NULL;
	setenv("SLABSCOPE_JOBS", "3", 1);
	CU_ASSERT_EQUAL(ss_jobs_default(), 3);
	setenv("SLABSCOPE_JOBS", "0", 1);
	CU_ASSERT(ss_jobs_default() >= 1); /* ignored: the CPUs */
	setenv("SLABSCOPE_JOBS", "9x", 1);
	CU_ASSERT(ss_jobs_default() >= 1 && ss_jobs_default() <= SS_JOBS_MAX);
	if (saved)
		setenv("SLABSCOPE_JOBS", saved, 1);
	else
		unsetenv("SLABSCOPE_JOBS");
	free(saved);
}

int ss_test_readahead_register(void)
{
	CU_pSuite s = CU_add_suite("readahead", NULL, NULL);
	if (!s || !CU_add_test(s, "every range in order", test_in_order) ||
	    !CU_add_test(s, "stopped early", test_stop_early) ||
	    !CU_add_test(s, "not started", test_not_started) ||
	    !CU_add_test(s, "jobs default", test_jobs_default))
		return -1;
	return 0;
}
