/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading ahead on every core: a list of memory ranges, known before they
 * are needed (the struct page array in chunks, the slab pages in runs), read
 * by worker threads, each on a fork of the memory (a libkdumpfile context
 * of its own: decompression is what a dump read costs), and handed to one
 * consumer in the list's order.  The consumer sees the same bytes and the
 * same read errors, in the same order, as if it had read the ranges itself:
 * the analysis, and so its output, does not depend on the number of
 * threads or on their timing.
 */
#ifndef SLABSCOPE_READAHEAD_H
#define SLABSCOPE_READAHEAD_H

#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>
#include <slabscope/memory.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ss_range {
	uint64_t addr;
	size_t len;
};

struct ss_readahead;

/* The worker threads to use when the caller says 0: $SLABSCOPE_JOBS if it
 * is a number from 1 to SS_JOBS_MAX, else the online CPUs, at most
 * SS_JOBS_MAX. */
#define SS_JOBS_MAX 64
unsigned int ss_jobs_default(void);

/*
 * Start reading ranges[0..n) (copied) with up to jobs worker threads, at
 * most window bytes ahead of the consumer (rounded up to room for two
 * ranges per worker).  *ret is NULL, and no error, when reading ahead
 * would not help or cannot be done: jobs < 2, no ranges, or memory that
 * cannot be forked (a host's); the caller then reads the ranges itself.
 */
struct ss_error *ss_readahead_start(const struct ss_memory *mem,
				    unsigned int jobs,
				    const struct ss_range *ranges, size_t n,
				    size_t window, struct ss_readahead **ret);

/*
 * The next range, in the list's order: *buf holds its bytes (valid until
 * the next call or ss_readahead_stop()) when *read_err is NULL; else
 * *read_err is the error its read gave (the caller's to destroy).
 */
void ss_readahead_next(struct ss_readahead *ra, const unsigned char **buf,
		       struct ss_error **read_err);

/* Stop the workers (those still reading finish their range) and free
 * everything; NULL is fine. */
void ss_readahead_stop(struct ss_readahead *ra);

#ifdef __cplusplus
}
#endif

#endif
