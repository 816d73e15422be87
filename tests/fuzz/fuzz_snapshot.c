/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: `slabscope diff` inputs that are not dumps, i.e.
 * snapshots saved with `caches --json` and /proc/slabinfo copies
 * (ss_snapshot_load_file), then the diff and its reports.
 *
 * The input is the file (a memfd).  A loaded snapshot is diffed against
 * itself and against a fixed one, in every sort order, and rendered as
 * text and JSON with a few thresholds.  Errors must be SS_ERR_NOTFOUND
 * (neither format), SS_ERR_FORMAT (malformed) or SS_ERR_NOMEM, in one
 * line naming the file; a snapshot's caches must all have names; the
 * JSON report must not be NULL.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include <slabscope/diff.h>
#include <slabscope/report.h>

static int fd = -1;
static char path[64];
static FILE *devnull;
static struct ss_threshold th[3];

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "fuzz_snapshot: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static struct ss_snapshot_cache fixed_caches[] = {
	{ "task_struct", 54, 60, 9792, 1 << 20 },
	{ "kmalloc-64", 600, 640, 64, 40960 },
	{ "dentry", 10614, 10647, 192, 2076672 },
};
static struct ss_snapshot fixed = { .source = "fixed",
				    .caches = fixed_caches,
				    .ncaches = 3 };

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fd = memfd_create("fuzz-snapshot", MFD_CLOEXEC);
	devnull = fopen("/dev/null", "w");
	if (fd < 0 || !devnull)
		die("memfd_create or /dev/null failed");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	static const char *const texts[] = { "task_struct>+10%", "*>+1",
					     "kmalloc-*>=+1K" };
	for (int i = 0; i < 3; i++) {
		struct ss_error *err = ss_threshold_parse(texts[i], &th[i]);
		if (err)
			die("threshold %s: %s", texts[i], err->message);
	}
	return 0;
}

static void diff(const struct ss_snapshot *a, const struct ss_snapshot *b)
{
	for (int sort = SS_DIFF_SORT_MEMORY; sort <= SS_DIFF_SORT_NAME; sort++) {
		struct ss_diff_entry *v = NULL;
		size_t n = 0;
		struct ss_error *err =
			ss_diff_compute(a, b, (enum ss_diff_sort)sort, &v, &n);
		if (err) {
			if (err->code != SS_ERR_NOMEM)
				die("ss_diff_compute: %s", err->message);
			ss_error_destroy(err);
			continue;
		}
		if (n > a->ncaches + b->ncaches)
			die("%zu diff entries from %zu and %zu caches", n,
			    a->ncaches, b->ncaches);
		for (size_t i = 0; i < n; i++) {
			if (!v[i].name)
				die("diff entry %zu without a name", i);
			for (int t = 0; t < 3; t++)
				(void)ss_threshold_crossed(&th[t], &v[i]);
		}
		if (sort == SS_DIFF_SORT_MEMORY) {
			err = ss_report_diff_text(v, n, th, 3, n & 1, devnull);
			if (err && err->code != SS_ERR_NOMEM)
				die("ss_report_diff_text: %s", err->message);
			ss_error_destroy(err);
			json_t *doc = ss_report_diff_json(a, b, v, n, th, 3);
			if (!doc)
				die("ss_report_diff_json returned NULL");
			/* Every cache in the JSON, by name. */
			json_t *arr = json_object_get(doc, "caches");
			size_t k;
			json_t *o;
			json_array_foreach(arr, k, o) {
				if (!json_is_string(json_object_get(o, "name")))
					die("diff JSON entry %zu has no name", k);
			}
			char *s = json_dumps(doc, JSON_COMPACT);
			free(s);
			json_decref(doc);
		}
		free(v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		die("writing the memfd failed");
	struct ss_snapshot s;
	struct ss_error *err = ss_snapshot_load_file(path, &s);
	if (err) {
		if (err->code != SS_ERR_NOTFOUND && err->code != SS_ERR_FORMAT &&
		    err->code != SS_ERR_NOMEM)
			die("unexpected error %s: %s", ss_errcode_name(err->code),
			    err->message);
		if (err->code != SS_ERR_NOMEM &&
		    (strchr(err->message, '\n') || !strstr(err->message, path)))
			die("error message not one line naming the file: %s",
			    err->message);
		ss_error_destroy(err);
		return 0;
	}
	if (!s.source)
		die("snapshot without a source");
	for (size_t i = 0; i < s.ncaches; i++)
		if (!s.caches[i].name)
			die("cache %zu without a name", i);
	diff(&s, &s);
	diff(&fixed, &s);
	diff(&s, &fixed);
	ss_snapshot_deinit(&s);
	return 0;
}
