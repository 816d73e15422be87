/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-ahead workers (readahead.h).  A ring of slots, one range each:
 * range i goes to slot i % nslots.  A worker takes the next range to read
 * once its slot is free (the consumer has moved past range i - nslots),
 * reads it on its own fork of the memory, and marks the slot with i + 1.
 * The consumer waits for the slot of the range it wants to carry that
 * mark.  One mutex guards the indices and marks; the reads run outside it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <slabscope/readahead.h>

#include "hugemem.h"

struct slot {
	unsigned char *buf;
	struct ss_error *err;
	size_t ready; /* range index + 1 whose bytes are here; 0: none */
};

struct worker {
	struct ss_readahead *ra;
	struct ss_memory mem; /* a fork */
	pthread_t thread;
};

struct ss_readahead {
	unsigned char *bufs; /* the slots' buffers, one block in huge pages */
	struct ss_range *ranges;
	size_t n;
	struct slot *slots;
	size_t nslots;
	struct worker *workers;
	unsigned int nworkers;
	pthread_mutex_t lock;
	pthread_cond_t space; /* a slot was freed, or stop */
	pthread_cond_t ready; /* a slot was filled */
	size_t issued; /* ranges taken by workers */
	size_t released; /* ranges the consumer is done with */
	size_t next; /* the range the consumer gets next */
	bool stop;
};

unsigned int ss_jobs_default(void)
{
	const char *env = getenv("SLABSCOPE_JOBS");
	if (env && *env) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(env, &end, 10);
		if (!errno && !*end && v >= 1 && v <= SS_JOBS_MAX)
			return (unsigned int)v;
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		return 1;
	return cpus > SS_JOBS_MAX ? SS_JOBS_MAX : (unsigned int)cpus;
}

static void release_fork(struct worker *w)
{
	if (w->mem.release)
		w->mem.release(w->mem.arg);
	w->mem.release = NULL;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct ss_readahead *ra = w->ra;
	pthread_mutex_lock(&ra->lock);
	for (;;) {
		while (!ra->stop && ra->issued < ra->n &&
		       ra->issued >= ra->released + ra->nslots)
			pthread_cond_wait(&ra->space, &ra->lock);
		if (ra->stop || ra->issued >= ra->n)
			break;
		size_t i = ra->issued++;
		struct slot *s = &ra->slots[i % ra->nslots];
		pthread_mutex_unlock(&ra->lock);
		struct ss_error *err = ss_mem_read(&w->mem, ra->ranges[i].addr,
						   s->buf, ra->ranges[i].len);
		pthread_mutex_lock(&ra->lock);
		s->err = err;
		s->ready = i + 1;
		pthread_cond_broadcast(&ra->ready);
	}
	pthread_mutex_unlock(&ra->lock);
	/* Released by the thread that used it: a dump's fork makes its
	 * libkdumpfile context here on first read, and frees it here too
	 * (src/lib/dump/kdump.c, ctx_ready()). */
	release_fork(w);
	return NULL;
}

struct ss_error *ss_readahead_start(const struct ss_memory *mem,
				    unsigned int jobs,
				    const struct ss_range *ranges, size_t n,
				    size_t window, struct ss_readahead **ret)
{
	*ret = NULL;
	if (jobs < 2 || n == 0 || !mem->fork)
		return NULL;
	if (jobs > SS_JOBS_MAX)
		jobs = SS_JOBS_MAX;
	size_t maxlen = 1;
	for (size_t i = 0; i < n; i++)
		if (ranges[i].len > maxlen)
			maxlen = ranges[i].len;
	struct ss_readahead *ra = calloc(1, sizeof(*ra));
	if (!ra)
		return &ss_error_nomem;
	ra->n = n;
	ra->nslots = window / maxlen;
	if (ra->nslots < 2 * (size_t)jobs)
		ra->nslots = 2 * (size_t)jobs;
	if (ra->nslots > n)
		ra->nslots = n;
	ra->ranges = malloc(n * sizeof(*ranges));
	ra->slots = calloc(ra->nslots, sizeof(*ra->slots));
	ra->workers = calloc(jobs, sizeof(*ra->workers));
	if (!ra->ranges || !ra->slots || !ra->workers)
		goto nomem;
	memcpy(ra->ranges, ranges, n * sizeof(*ranges));
	if (!(ra->bufs = ss_hugemem_alloc(ra->nslots * maxlen)))
		goto nomem;
	for (size_t i = 0; i < ra->nslots; i++)
		ra->slots[i].buf = ra->bufs + i * maxlen;
	pthread_mutex_init(&ra->lock, NULL);
	pthread_cond_init(&ra->space, NULL);
	pthread_cond_init(&ra->ready, NULL);
	for (unsigned int i = 0; i < jobs; i++) {
		struct worker *w = &ra->workers[ra->nworkers];
		w->ra = ra;
		struct ss_error *err = mem->fork(mem->arg, &w->mem);
		if (err) {
			/* Fewer workers (no descriptor left...): those that
			 * started do the work; none: the caller reads. */
			ss_error_destroy(err);
			break;
		}
		if (pthread_create(&w->thread, NULL, work, w)) {
			release_fork(w);
			break;
		}
		ra->nworkers++;
	}
	if (ra->nworkers == 0) {
		ss_readahead_stop(ra);
		return NULL;
	}
	*ret = ra;
	return NULL;
nomem:
	ss_hugemem_free(ra->bufs);
	free(ra->slots);
	free(ra->ranges);
	free(ra->workers);
	free(ra);
	return &ss_error_nomem;
}

void ss_readahead_next(struct ss_readahead *ra, const unsigned char **buf,
		       struct ss_error **read_err)
{
	pthread_mutex_lock(&ra->lock);
	/* The range handed out last is done with: its slot is free. */
	ra->released = ra->next;
	pthread_cond_broadcast(&ra->space);
	size_t i = ra->next;
	if (i >= ra->n) {
		pthread_mutex_unlock(&ra->lock);
		*buf = NULL;
		*read_err = ss_error_create(SS_ERR_INVALID,
					    "read-ahead: no range left");
		return;
	}
	struct slot *s = &ra->slots[i % ra->nslots];
	while (s->ready != i + 1)
		pthread_cond_wait(&ra->ready, &ra->lock);
	ra->next = i + 1;
	*read_err = s->err;
	s->err = NULL;
	*buf = *read_err ? NULL : s->buf;
	pthread_mutex_unlock(&ra->lock);
}

void ss_readahead_stop(struct ss_readahead *ra)
{
	if (!ra)
		return;
	pthread_mutex_lock(&ra->lock);
	ra->stop = true;
	pthread_cond_broadcast(&ra->space);
	pthread_mutex_unlock(&ra->lock);
	for (unsigned int i = 0; i < ra->nworkers; i++) {
		pthread_join(ra->workers[i].thread, NULL);
		release_fork(&ra->workers[i]);
	}
	for (size_t i = 0; i < ra->nslots; i++)
		ss_error_destroy(ra->slots[i].err);
	ss_hugemem_free(ra->bufs);
	pthread_cond_destroy(&ra->ready);
	pthread_cond_destroy(&ra->space);
	pthread_mutex_destroy(&ra->lock);
	free(ra->slots);
	free(ra->ranges);
	free(ra->workers);
	free(ra);
}
