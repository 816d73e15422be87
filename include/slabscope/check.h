/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `slabscope check`: an offline, complete validate_slab (mm/slub.c
 * check_slab, on_freelist, check_object, check_pad_bytes, slab_pad_check)
 * over every slab of every cache, that keeps going after each error.
 *
 * A corruption is data: a finding with a stable id, never an error.
 */
#ifndef SLABSCOPE_CHECK_H
#define SLABSCOPE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>
#include <slabscope/finding.h>
#include <slabscope/slab.h>
#include <slabscope/track.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How the suspected object relates to the damage: a stable id (JSON
 * "relation", slabscope-check(1)) and a sentence for humans. */
enum ss_culprit_relation {
	/* the object wrote past the end of its own payload */
	SS_CULPRIT_OWN_PAYLOAD_OVERFLOW,
	/* the (free) object was written after it was freed */
	SS_CULPRIT_USE_AFTER_FREE,
	/* the object right before the damage: it overflowed */
	SS_CULPRIT_PREVIOUS_OBJECT_OVERFLOW,
	/* the nearest object before the damage that may be allocated */
	SS_CULPRIT_NEAREST_PREVIOUS_OBJECT,
	/* the nearest object before the pointer that closes a freelist
	 * cycle: an overflow from it, or a double free */
	SS_CULPRIT_CYCLE_OVERFLOW_OR_DOUBLE_FREE,
	SS_CULPRIT_NRELATIONS
};
/* "own-payload-overflow", ...; NULL past the last. */
const char *ss_culprit_relation_id(enum ss_culprit_relation r);
/* "wrote past the end of its own payload", ... (follows "object 0x... "). */
const char *ss_culprit_relation_text(enum ss_culprit_relation r);

/* Where the damage probably came from. */
struct ss_culprit {
	uint64_t object;       /* the suspected object */
	enum ss_culprit_relation relation;
	enum ss_obj_state state;
	struct ss_track alloc;
	struct ss_track free;
};

#define SS_FINDING_BYTES 16

struct ss_finding {
	const struct ss_finding_kind *kind;
	uint32_t cache; /* SS_NO_CACHE if none */
	uint64_t slab;
	uint64_t object;  /* allocator address, 0 if none */
	uint64_t address; /* first bad byte, or where the bad pointer is */
	/* Byte findings: what should be there and what is (up to
	 * SS_FINDING_BYTES from address), and how long the bad run is. */
	size_t nbytes;
	uint8_t expected[SS_FINDING_BYTES];
	uint8_t found[SS_FINDING_BYTES];
	uint64_t bad_len;
	/* Pointer findings: the bad value. */
	bool has_value;
	uint64_t value;
	char *message;
	bool has_culprit;
	struct ss_culprit culprit;
};

struct ss_check_options {
	/* Only these caches (names; NULL/0: all). */
	const char *const *caches;
	size_t ncaches;
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
	/* Source lines of the culprits' track frames (for a report that
	 * prints them). */
	bool sources;
};

struct ss_check_result {
	struct ss_finding *findings;
	size_t nfindings;
	uint64_t caches, slabs, objects;
	/* Debug files passed over while naming code addresses (a .ko of
	 * another build, ...), one line each. */
	char **symbol_warnings;
	size_t nsymbol_warnings;
};

/* Run every check over the model; corruption becomes findings.  Errors
 * only for what stops the analysis (out of memory, a cache name in the
 * options that does not exist: SS_ERR_NOTFOUND). */
struct ss_error *ss_check_run(struct ss_model *m,
			      const struct ss_check_options *opts,
			      struct ss_check_result *ret);
void ss_check_result_deinit(struct ss_check_result *r);

/* Findings per cache (the PROBLEMS column of caches): *ret[i] counts
 * r's findings of cache i < ncaches, malloc'd. */
struct ss_error *ss_check_count_by_cache(const struct ss_check_result *r,
					 size_t ncaches, uint32_t **ret);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_CHECK_H */
