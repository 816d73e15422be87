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
#include <stdint.h>

#include <jansson.h>

#include <slabscope/diff.h>
#include <slabscope/error.h>
#include <slabscope/rules.h>
#include <slabscope/source.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ss_batch_status { SS_BATCH_PASS, SS_BATCH_FAIL, SS_BATCH_ERROR };
const char *ss_batch_status_name(enum ss_batch_status s);

/* What a reason of a FAIL or a warning is (JSON "id", slabscope-batch(1)). */
enum ss_batch_reason_kind {
	SS_REASON_FINDING, /* findings of one id in one cache */
	SS_REASON_GROWTH, /* a growth rule crossed by one cache */
	SS_REASON_NKINDS
};
/* "finding", "growth"; NULL past the last. */
const char *ss_batch_reason_id(enum ss_batch_reason_kind k);

struct ss_batch_reason {
	enum ss_verdict verdict; /* fail or warn */
	enum ss_batch_reason_kind kind;
	char *text; /* "freeptr-invalid in kmalloc-64 (2)" */
	char *cache; /* NULL: findings of no cache */
	/* SS_REASON_FINDING: the finding id, and how many in the cache */
	char *finding;
	uint64_t count;
	/* SS_REASON_GROWTH: allocated objects in the baseline and in the
	 * dump, and the rule's text ("task_struct>+10%") */
	uint64_t before, after;
	char *rule;
};
void ss_batch_reason_deinit(struct ss_batch_reason *r);

/* Why a dump is an ERROR (JSON "error_id", slabscope-batch(1)): what the
 * analysis failed on (from its error's code), or what became of the
 * process that ran it. */
enum ss_batch_error {
	SS_BATCH_ERR_NONE,
	SS_BATCH_ERR_CANNOT_READ, /* SS_ERR_IO */
	SS_BATCH_ERR_NOT_A_DUMP, /* SS_ERR_FORMAT */
	SS_BATCH_ERR_NOT_FOUND, /* SS_ERR_NOTFOUND: no vmlinux */
	SS_BATCH_ERR_VMLINUX_MISMATCH, /* SS_ERR_MISMATCH */
	SS_BATCH_ERR_NO_DEBUG_INFO, /* SS_ERR_NODEBUG */
	SS_BATCH_ERR_KERNEL_DATA_MISSING, /* SS_ERR_MISSING */
	SS_BATCH_ERR_MEMORY_UNREADABLE, /* SS_ERR_FAULT, SS_ERR_EXCLUDED */
	SS_BATCH_ERR_KERNEL_DATA_CORRUPT, /* SS_ERR_CORRUPT */
	SS_BATCH_ERR_ANALYSIS_FAILED, /* any other code */
	SS_BATCH_ERR_TIMEOUT, /* past --timeout, killed */
	SS_BATCH_ERR_CRASHED, /* killed by a signal */
	SS_BATCH_ERR_EXIT_STATUS, /* exited with an error status */
	SS_BATCH_ERR_NO_RESULT, /* exited without a result */
	SS_BATCH_ERR_CANNOT_START, /* no process to run it in */
	SS_BATCH_ERR_OUT_OF_MEMORY, /* batch itself ran out */
	SS_BATCH_ERR_NIDS
};
/* "cannot-read", ...; NULL for SS_BATCH_ERR_NONE and past the last. */
const char *ss_batch_error_id(enum ss_batch_error e);
/* The id's value, SS_BATCH_ERR_NONE when it names none. */
enum ss_batch_error ss_batch_error_parse(const char *id);
/* What an analysis error of this code makes of a dump. */
enum ss_batch_error ss_batch_error_of_code(enum ss_errcode code);

struct ss_batch_result {
	char *dump;
	enum ss_batch_status status;
	enum ss_batch_error error_id; /* ERROR: why, as an id */
	char *error; /* ERROR: why, as a sentence */
	/* What the dump is, as far as it could be read (the dump alone when
	 * its kernel could not be opened). */
	struct ss_dump_source source;
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

/*
 * A result as JSON, how the child that analysed the dump hands it back and
 * the row `batch --json` prints (within its document): {"dump", "status",
 * "error_id", "error", "release", "source", "findings", "reasons":
 * [{"verdict", "id", "text", "cache", ...}], "seconds"}.
 */
json_t *ss_batch_result_json(const struct ss_batch_result *r);
/* SS_ERR_FORMAT when j has no "dump" or "status". */
struct ss_error *ss_batch_result_from_json(const json_t *j,
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
