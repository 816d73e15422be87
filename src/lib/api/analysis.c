/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The public interface (slabscope/slabscope.h): an analysis is a kernel
 * and its slab model; each query runs what the command of the same name
 * runs, with that command's default options, and renders it with the same
 * report functions.
 */
#include <stdlib.h>

#include <slabscope/identify.h>
#include <slabscope/info.h>
#include <slabscope/leaks.h>
#include <slabscope/report.h>

#include "api_priv.h"

const char *ss_version(void) { return PACKAGE_VERSION; }

static struct ss_error *finish_open(struct ss_kernel *k,
				    struct ss_analysis **ret)
{
	struct ss_analysis *a = calloc(1, sizeof(*a));
	if (!a) {
		ss_kernel_close(k);
		return &ss_error_nomem;
	}
	a->k = k;
	struct ss_error *err = ss_model_load(ss_kernel_target(k), NULL, &a->m);
	if (err) {
		ss_analysis_close(a);
		return err;
	}
	*ret = a;
	return NULL;
}

struct ss_error *ss_analysis_open(const char *dump, const char *vmlinux,
				  struct ss_analysis **ret)
{
	if (!dump)
		return ss_error_create(SS_ERR_INVALID, "no dump file named");
	struct ss_kernel_options opts = { .vmlinux = vmlinux };
	struct ss_kernel *k;
	struct ss_error *err = ss_kernel_open(dump, &opts, &k);
	return err ? err : finish_open(k, ret);
}

struct ss_error *ss_analysis_open_host(const struct ss_host *host,
				       const char *vmlinux,
				       struct ss_analysis **ret)
{
	struct ss_kernel_options opts = { .vmlinux = vmlinux };
	struct ss_kernel *k;
	struct ss_error *err = ss_kernel_open_host(host, &opts, &k);
	return err ? err : finish_open(k, ret);
}

void ss_analysis_close(struct ss_analysis *a)
{
	if (!a)
		return;
	ss_model_destroy(a->m);
	ss_kernel_close(a->k);
	free(a);
}

const char *ss_analysis_vmlinux(const struct ss_analysis *a)
{
	return ss_kernel_vmlinux_path(a->k);
}

const char *ss_analysis_allocator(const struct ss_analysis *a)
{
	return ss_allocator_name(ss_model_allocator(a->m));
}

size_t ss_analysis_ncaches(const struct ss_analysis *a)
{
	return ss_model_ncaches(a->m);
}

/* ---- caches */

struct caches_text {
	const struct ss_model *m;
	const uint32_t *order, *problems;
	size_t n;
};

static struct ss_error *caches_text(void *arg, FILE *out)
{
	const struct caches_text *t = arg;
	return ss_report_caches_text(t->m, t->order, t->n, t->problems, out);
}

struct ss_error *ss_query_caches(struct ss_analysis *a, struct ss_result **ret)
{
	size_t n = ss_model_ncaches(a->m);
	uint32_t *order = NULL, *problems = NULL;
	struct ss_check_result r;
	struct ss_error *err = ss_check_run(a->m, NULL, &r);
	if (err)
		return err;
	err = ss_caches_sorted(a->m, SS_SORT_MEMORY, &order);
	if (!err)
		err = ss_check_count_by_cache(&r, n, &problems);
	if (!err) {
		struct caches_text t = { a->m, order, problems, n };
		err = ss_result_build(
			a, "caches",
			ss_report_caches_json(a->m, order, n, problems),
			caches_text, &t, &r, 0, ret);
	}
	free(order);
	free(problems);
	ss_check_result_deinit(&r);
	return err;
}

/* ---- check */

struct check_text {
	const struct ss_model *m;
	const struct ss_check_result *r;
};

static struct ss_error *check_text(void *arg, FILE *out)
{
	const struct check_text *t = arg;
	return ss_report_check_text(t->m, t->r, out);
}

struct ss_error *ss_query_check(struct ss_analysis *a,
				const char *const *caches, size_t ncaches,
				struct ss_result **ret)
{
	struct ss_check_options opts = {
		.caches = caches,
		.ncaches = ncaches,
		.sources = true,
	};
	struct ss_check_result r;
	struct ss_error *err = ss_check_run(a->m, &opts, &r);
	if (err)
		return err;
	struct check_text t = { a->m, &r };
	err = ss_result_build(a, "check", ss_report_check_json(a->m, &r),
			      check_text, &t, &r, r.nfindings ? 1 : 0, ret);
	ss_check_result_deinit(&r);
	return err;
}

/* ---- whatis */

struct whatis_text {
	const struct ss_model *m;
	const struct ss_identity *v;
	size_t n;
};

static struct ss_error *whatis_text(void *arg, FILE *out)
{
	const struct whatis_text *t = arg;
	struct ss_error *err = NULL;
	for (size_t i = 0; !err && i < t->n; i++) {
		if (i)
			fputc('\n', out);
		err = ss_report_whatis_text(t->m, &t->v[i], out);
	}
	return err;
}

struct ss_error *ss_query_whatis(struct ss_analysis *a, const uint64_t *addrs,
				 size_t naddrs, struct ss_result **ret)
{
	struct ss_identifier *id;
	struct ss_error *err = ss_identifier_create(a->m, &id);
	if (err)
		return err;
	struct ss_identity *v = calloc(naddrs ? naddrs : 1, sizeof(*v));
	json_t *arr = json_array();
	size_t n = 0;
	if (!v || !arr)
		err = &ss_error_nomem;
	while (!err && n < naddrs) {
		err = ss_identify(id, addrs[n], &v[n]);
		if (err) {
			ss_identity_deinit(&v[n]);
			break;
		}
		n++;
		if (json_array_append_new(
			    arr, ss_report_whatis_json(a->m, &v[n - 1])))
			err = &ss_error_nomem;
	}
	if (!err) {
		struct whatis_text t = { a->m, v, n };
		err = ss_result_build(a, "whatis",
				      json_pack("{s:O}", "addresses", arr),
				      whatis_text, &t, NULL, 0, ret);
	}
	json_decref(arr);
	for (size_t i = 0; v && i < n; i++)
		ss_identity_deinit(&v[i]);
	free(v);
	ss_identifier_destroy(id);
	return err;
}

/* ---- slabs, objects, leaks: one cache each */

struct cache_text {
	struct ss_model *m;
	uint32_t ci;
	const void *opts;
	bool has_next;
	const struct ss_leaks_result *leaks;
};

static struct ss_error *slabs_text(void *arg, FILE *out)
{
	const struct cache_text *t = arg;
	return ss_report_slabs_text(t->m, t->ci, t->opts, out);
}

struct ss_error *ss_query_slabs(struct ss_analysis *a, const char *cache,
				struct ss_result **ret)
{
	uint32_t ci;
	json_t *body;
	struct ss_error *err = ss_model_one_cache(a->m, "slabs", cache, &ci);
	if (!err)
		err = ss_report_slabs_json(a->m, ci, &ss_slabs_filter_default,
					   &body);
	if (err)
		return err;
	struct cache_text t = { .m = a->m,
				.ci = ci,
				.opts = &ss_slabs_filter_default };
	return ss_result_build(a, "slabs", body, slabs_text, &t, NULL, 0, ret);
}

static struct ss_error *objects_text(void *arg, FILE *out)
{
	const struct cache_text *t = arg;
	return ss_report_objects_text(t->m, t->ci, SS_OBJECTS_ALL,
				      t->has_next, out);
}

struct ss_error *ss_query_objects(struct ss_analysis *a, const char *cache,
				  struct ss_result **ret)
{
	uint32_t ci;
	json_t *body;
	struct ss_error *err = ss_model_one_cache(a->m, "objects", cache, &ci);
	if (err)
		return err;
	/* SLUB: free objects link to the next one */
	bool has_next = ss_cache_objects_have_next(ss_model_cache(a->m, ci));
	err = ss_report_objects_json(a->m, ci, SS_OBJECTS_ALL, has_next,
				     &body);
	if (err)
		return err;
	struct cache_text t = { .m = a->m, .ci = ci, .has_next = has_next };
	return ss_result_build(a, "objects", body, objects_text, &t, NULL, 0,
			       ret);
}

static const struct ss_leaks_options leaks_defaults;

static struct ss_error *leaks_text(void *arg, FILE *out)
{
	const struct cache_text *t = arg;
	return ss_report_leaks_text(ss_model_cache(t->m, t->ci), t->leaks,
				    &leaks_defaults, SS_LEAKS_TOP_DEFAULT, out);
}

struct ss_error *ss_query_leaks(struct ss_analysis *a, const char *cache,
				struct ss_result **ret)
{
	uint32_t ci;
	struct ss_leaks_result r;
	struct ss_error *err = ss_model_one_cache(a->m, "leaks", cache, &ci);
	if (!err)
		err = ss_leaks_group(a->m, ci, &leaks_defaults, &r);
	if (err)
		return err;
	const struct ss_cache *c = ss_model_cache(a->m, ci);
	struct cache_text t = { .m = a->m, .ci = ci, .leaks = &r };
	err = ss_result_build(a, "leaks",
			      ss_report_leaks_json(c, &r, &leaks_defaults,
						   SS_LEAKS_TOP_DEFAULT),
			      leaks_text, &t, NULL, 0, ret);
	ss_leaks_result_deinit(&r);
	return err;
}
