/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `slabscope batch`: one red/green answer per dump for a test lab.  The
 * library part: find dumps in directories, analyse one dump against the
 * rules (check, and growth against a baseline), and carry the result as
 * JSON (the front end runs each dump in its own process).
 */
#ifndef SLABSCOPE_BATCH_H
#define SLABSCOPE_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include <slabscope/diff.h>
#include <slabscope/error.h>
#include <slabscope/rules.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ss_batch_status { SS_BATCH_PASS, SS_BATCH_FAIL, SS_BATCH_ERROR };
const char *ss_batch_status_name(enum ss_batch_status s);

struct ss_batch_reason {
	enum ss_verdict verdict; /* fail or warn */
	char *text;              /* "freeptr-invalid in kmalloc-64 (2)" */
};

struct ss_batch_result {
	char *dump;
	enum ss_batch_status status;
	char *error; /* ERROR: why */
	char *release;
	size_t findings; /* all findings, ignored ones included */
	struct ss_batch_reason *reasons;
	size_t nreasons;
	double seconds;
};

struct ss_batch_options {
	const struct ss_rules *rules;       /* may be NULL: defaults */
	const struct ss_snapshot *baseline; /* may be NULL */
	const char *vmlinux;                /* overrides rules and search */
	const char *const *modules; /* .ko files for every dump */
	size_t nmodules;
};

/* Analyse one dump.  Never fails for the dump's sake: an unreadable dump
 * is a result with status ERROR.  Errors only for out of memory. */
struct ss_error *ss_batch_analyse(const char *dump,
				  const struct ss_batch_options *opts,
				  struct ss_batch_result *ret);
void ss_batch_result_deinit(struct ss_batch_result *r);

json_t *ss_batch_result_json(const struct ss_batch_result *r);
struct ss_error *ss_batch_result_from_json(json_t *j,
					   struct ss_batch_result *ret);

/*
 * The dumps under path: path itself if it is a file, else every file
 * below it (recursively, symlinks not followed) that starts like a dump
 * (ELF core, kdump-compressed, makedumpfile flattened), sorted.  Appends
 * malloc'd paths to *list.
 */
struct ss_error *ss_batch_scan(const char *path, char ***list, size_t *n,
			       size_t *cap);

#ifdef __cplusplus
}
#endif

#endif
