/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside `slabscope check`: the state one run shares between its parts. */
#ifndef SS_CHECK_PRIV_H
#define SS_CHECK_PRIV_H

#include <slabscope/check.h>
#include <slabscope/slot.h>
#include <slabscope/symbolize.h>
#include <slabscope/track.h>

struct checker {
	struct ss_model *m;
	const struct ss_target *t;
	struct ss_check_result *r;
	size_t cap;
	struct ss_symbolizer *sym;
	struct ss_track_reader *tracks;
	unsigned track_flags; /* SS_TRACK_* of culprits' tracks */
	/* The byte checks' verifier.  It also holds the object states of
	 * the slab it verifies, so that culprit_find() need not classify
	 * the slab again for each finding: per finding, that was quadratic
	 * in a slab's objects (a corrupt 10000-object slab took minutes;
	 * found by tests/fuzz/fuzz_slab.c). */
	struct ss_slot_verifier *verifier;
};

/* Append a finding (message formatted); returns it, or NULL when out of
 * memory. */
struct ss_finding *checker_add(struct checker *c, enum ss_finding_id kind,
			       uint32_t cache, uint64_t slab, uint64_t object,
			       uint64_t address, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Fill f->culprit for damage at object (or address) in slab s of cache
 * ci, looking for the suspect the byte checks name (slabscope/slot.h). */
struct ss_error *culprit_find(struct checker *c, struct ss_finding *f,
			      uint32_t ci, const struct ss_slab *s,
			      uint64_t object, enum ss_slot_suspect mode);
void culprit_deinit(struct ss_culprit *cu);

/* Byte checks (red zones, poison, padding) of one slab. */
struct ss_error *check_slab_bytes(struct checker *c, uint32_t ci,
				  const struct ss_slab *s);

#endif
