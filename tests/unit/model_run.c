/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Run the model and the checks on a synthetic target; see model_run.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "model_run.h"

#ifndef SS_TEST_DATADIR
#error "define SS_TEST_DATADIR (the directory of the types sources)"
#endif

/* ---- suite set-up ---- */

bool model_run_mkdtemp(char *dir, size_t size, const char *suite)
{
	const char *t = getenv("TMPDIR");
	snprintf(dir, size, "%s/ss-test-%s-XXXXXX", t && *t ? t : "/tmp",
		 suite);
	if (!mkdtemp(dir)) {
		dir[0] = '\0';
		return false;
	}
	return true;
}

int model_run_build_types(const char *src, const char *flags,
			  const char *out)
{
	const char *cc = getenv("SS_TEST_CC");
	if (!cc || !*cc)
		cc = "gcc";
	char *cmd;
	if (asprintf(&cmd,
		     "%s -g -gdwarf-5 -O0 -nostdlib -shared -fPIC %s -o '%s' "
		     "'%s/%s'",
		     cc, flags, out, SS_TEST_DATADIR, src) < 0)
		return -1;
	int r = system(cmd);
	if (r != 0)
		fprintf(stderr, "unit: command failed (%d): %s\n", r, cmd);
	free(cmd);
	return r;
}

void model_run_rmtemp(char *dir, ...)
{
	va_list ap;
	va_start(ap, dir);
	for (char *path; (path = va_arg(ap, char *)) != NULL;) {
		if (path[0])
			unlink(path);
		path[0] = '\0';
	}
	va_end(ap);
	if (dir[0])
		rmdir(dir);
	dir[0] = '\0';
}

/* ---- one run ---- */

bool model_run_init(struct model_run *run, struct synth *s, void *kernel)
{
	memset(run, 0, sizeof(*run));
	run->s = s;
	run->kernel = kernel;
	CU_ASSERT_PTR_NOT_NULL(s);
	return s != NULL;
}

bool model_run_check(struct model_run *run, const char *title)
{
	struct ss_error *err =
		ss_model_load(synth_target(run->s), NULL, &run->m);
	if (err) {
		fprintf(stderr, "\n  ss_model_load: %s\n", err->message);
		ss_error_destroy(err);
		CU_FAIL("ss_model_load failed");
		return false;
	}
	err = ss_check_run(run->m, NULL, &run->r);
	if (err) {
		fprintf(stderr, "\n  ss_check_run: %s\n", err->message);
		ss_error_destroy(err);
		CU_FAIL("ss_check_run failed");
		return false;
	}
	run->checked = true;
	if (model_run_verbose())
		model_run_print_findings(title, run);
	return true;
}

void model_run_release(struct model_run *run)
{
	if (run->checked)
		ss_check_result_deinit(&run->r);
	ss_model_destroy(run->m);
	run->m = NULL;
	memset(&run->r, 0, sizeof(run->r));
	run->checked = false;
}

bool model_run_verbose(void)
{
	const char *v = getenv("SS_TEST_VERBOSE");
	return v && *v && strcmp(v, "0") != 0;
}

void model_run_print_findings(const char *title, const struct model_run *run)
{
	fprintf(stderr, "\n  [%s] %zu anomalies, %zu findings\n", title,
		run->m ? ss_model_nanomalies(run->m) : 0, run->r.nfindings);
	for (size_t i = 0; i < run->r.nfindings; i++) {
		const struct ss_finding *f = &run->r.findings[i];
		fprintf(stderr,
			"    %s obj=0x%" PRIx64 " addr=0x%" PRIx64
			"%s: %s\n",
			f->kind->id, f->object, f->address,
			f->has_culprit ? " culprit" : "", f->message);
	}
}

size_t model_run_count(const struct model_run *run, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < run->r.nfindings; i++)
		n += strcmp(run->r.findings[i].kind->id, id) == 0;
	return n;
}

const struct ss_slab *model_run_slab(const struct model_run *run,
				     uint64_t page)
{
	size_t n;
	const struct ss_slab *slabs = ss_model_slabs(run->m, &n);
	for (size_t i = 0; i < n; i++)
		if (slabs[i].page == page)
			return &slabs[i];
	return NULL;
}

bool model_run_check_round(struct model_run *run, int round)
{
	char title[32];
	snprintf(title, sizeof(title), "garbage round %d", round);
	if (!model_run_check(run, title)) {
		fprintf(stderr, "  (round %d)\n", round);
		return false;
	}
	return true;
}

/* ---- asserting on a run ---- */

void model_run_assert(bool ok, const char *file, unsigned line,
		      const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	CU_assertImplementation(ok, line, buf, file, "", CU_FALSE);
}

const struct ss_cache *model_run_cache(const struct model_run *run,
				       const char *name, const char *file,
				       unsigned line)
{
	uint32_t ci = ss_model_find_cache(run->m, name);
	model_run_assert(ci != SS_NO_CACHE, file, line,
			 "cache %s in the model", name);
	return ci == SS_NO_CACHE ? NULL : ss_model_cache(run->m, ci);
}

void model_run_counts(const struct model_run *run, const char *name,
		      uint64_t allocated, uint64_t free, uint64_t cpu_free,
		      uint64_t unknown, const char *file, unsigned line)
{
	const struct ss_cache *c = model_run_cache(run, name, file, line);
	if (!c)
		return;
	bool ok = c->allocated == allocated && c->free == free &&
		  c->cpu_free == cpu_free && c->unknown == unknown;
	model_run_assert(ok, file, line,
			 "%s: allocated/free/cpu_free/unknown %" PRIu64
			 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64
			 ", want %" PRIu64 "/%" PRIu64 "/%" PRIu64
			 "/%" PRIu64,
			 name, c->allocated, c->free, c->cpu_free, c->unknown,
			 allocated, free, cpu_free, unknown);
	if (!ok)
		model_run_print_findings(name, run);
}

void model_run_nfindings(const struct model_run *run, const char *id,
			 size_t want, const char *file, unsigned line)
{
	size_t n = id ? model_run_count(run, id) : run->r.nfindings;
	model_run_assert(n == want, file, line, "%zu findings %s, want %zu",
			 n, id ? id : "in all", want);
	if (n != want)
		model_run_print_findings(id ? id : "all", run);
}

void model_run_totals(const struct model_run *run, const char *file,
		      unsigned line)
{
	for (size_t i = 0; i < ss_model_ncaches(run->m); i++) {
		const struct ss_cache *c = ss_model_cache(run->m, i);
		uint64_t sum = c->allocated + c->free + c->cpu_free + c->unknown;
		model_run_assert(sum == c->total_objects, file, line,
				 "%s: allocated+free+cpu_free+unknown %" PRIu64
				 ", total_objects %" PRIu64,
				 c->name, sum, c->total_objects);
	}
}

const struct ss_finding *model_run_finding(const struct model_run *run,
					   const char *id, const char *cache,
					   uint64_t object, uint64_t address,
					   const char *file, unsigned line)
{
	uint32_t ci = cache ? ss_model_find_cache(run->m, cache) : SS_NO_CACHE;
	const struct ss_finding *f = NULL;
	for (size_t i = 0; i < run->r.nfindings && !f; i++) {
		const struct ss_finding *g = &run->r.findings[i];
		if (strcmp(g->kind->id, id) == 0 && g->cache == ci &&
		    (object == ANY || g->object == object) &&
		    (address == ANY || g->address == address))
			f = g;
	}
	if (address == ANY)
		model_run_assert(f != NULL, file, line,
				 "a %s finding of %s on object 0x%" PRIx64, id,
				 cache ? cache : "no cache", object);
	else
		model_run_assert(f != NULL, file, line,
				 "a %s finding of %s on object 0x%" PRIx64
				 " at 0x%" PRIx64,
				 id, cache ? cache : "no cache", object,
				 address);
	if (!f)
		model_run_print_findings(id, run);
	return f;
}
