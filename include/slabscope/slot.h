/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The byte patterns of debug caches' object slots (red zones, poison,
 * padding), verified the way the kernel's own debug checks do it live
 * (mm/slub.c check_object(), check_pad_bytes(), slab_pad_check(); mm/slab.c
 * check_poison_obj() and the red zone words).
 *
 * The caller need not know the allocator: each cache's allocator says what
 * its slots should hold, and every bad run of bytes comes back through one
 * callback with named fields.  `slabscope check` turns those into findings.
 */
#ifndef SLABSCOPE_SLOT_H
#define SLABSCOPE_SLOT_H

#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>
#include <slabscope/finding.h>
#include <slabscope/slab.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One check run's verifier: the buffers a slab is read into, and the
 * per-cache layout facts not in DWARF that it decides from the data the
 * first time a cache is verified (SLUB's kmalloc orig_size and its red
 * zone).  It keeps those facts to itself: the model stays untouched, as
 * other users share it.
 */
struct ss_slot_verifier;

struct ss_error *ss_slot_verifier_create(struct ss_model *m,
					 struct ss_slot_verifier **ret);
void ss_slot_verifier_destroy(struct ss_slot_verifier *v);

/* Who probably wrote a bad run. */
enum ss_slot_suspect {
	SS_SUSPECT_NONE,
	SS_SUSPECT_SELF,       /* the object, past the end of its payload */
	SS_SUSPECT_PREVIOUS,   /* the allocated object before the damage */
	SS_SUSPECT_USE_AFTER_FREE, /* the free object itself was written */
};

#define SS_SLOT_BYTES 16

/* One bad run of bytes.  Pointers are valid during the callback only. */
struct ss_slot_bad {
	enum ss_finding_id kind; /* REDZONE_, POISON_ or PADDING_OVERWRITTEN */
	uint64_t object;   /* the object whose slot it is; 0: the slab's tail */
	uint64_t address;  /* the first bad byte (SLAB: the red zone word) */
	uint64_t bad_len;  /* bytes from address to the last bad one */
	/* What should be there and what is, from address. */
	size_t nbytes;
	uint8_t expected[SS_SLOT_BYTES];
	uint8_t found[SS_SLOT_BYTES];
	const char *message; /* one line, starting with the cache's name */
	enum ss_slot_suspect suspect;
};

/* Non-NULL stops the verification, and is returned. */
typedef struct ss_error *(*ss_slot_bad_fn)(void *arg,
					   const struct ss_slot_bad *bad);

/*
 * Verify every object slot of slab s of cache ci (and the slab's tail),
 * calling fn once per bad run, in address order within each object.
 * Caches without red zones or poisoning, impossible layouts and unreadable
 * slabs (the model reports those) are passed over.  Errors: out of memory,
 * or what fn returned.
 */
struct ss_error *ss_slot_verify_slab(struct ss_slot_verifier *v, uint32_t ci,
				     const struct ss_slab *s, ss_slot_bad_fn fn,
				     void *arg);

/* The object states of slab s if the verifier read them last (during a
 * callback for s, they are), else NULL: a callback's culprit search then
 * need not classify the slab again for each bad run. */
const struct ss_object *ss_slot_verifier_objects(
	const struct ss_slot_verifier *v, const struct ss_slab *s);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_SLOT_H */
