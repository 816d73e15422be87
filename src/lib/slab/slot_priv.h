/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the object slot facts: what every allocator's slot file
 * (slub_slot.c, mm_slab_slot.c) is given and shares (slot_bytes.c), and
 * what each one provides to its ops table.
 */
#ifndef SS_SLOT_PRIV_H
#define SS_SLOT_PRIV_H

#include <slabscope/slot.h>

#include "model_priv.h"

/* include/linux/poison.h: the same bytes in every allocator. */
#define SS_POISON_INUSE 0x5a /* padding, never written by anyone */
#define SS_POISON_FREE 0x6b  /* a free object's payload */
#define SS_POISON_END 0xa5   /* its last byte */

/* A bit of ss_slot_verifier.facts: the allocator has decided the cache's
 * facts; the other bits are the allocator's own. */
#define SS_SLOT_FACTS_PROBED 0x01

struct ss_slot_verifier {
	struct ss_model *m;
	const struct ss_memory *mem;
	unsigned char *buf; /* the slab's bytes, from its first slot */
	size_t bufcap;
	struct ss_object *objs;
	size_t objcap;
	/* The slab whose object states objs holds (NULL: none). */
	const struct ss_slab *objs_slab;
	/* Per cache: layout facts decided from the data (probed once). */
	uint8_t *facts;
};

/* One slab being verified: what a bad run's report needs. */
struct ss_slot_scan {
	struct ss_slot_verifier *v;
	uint32_t ci;
	const struct ss_cache *cache;
	const struct ss_slab *s;
	ss_slot_bad_fn fn;
	void *arg;
};

static inline bool ss_obj_is_free(enum ss_obj_state st)
{
	return st == SS_OBJ_FREE || st == SS_OBJ_CPU_FREE;
}

/* ---- slot_bytes.c: shared by the allocators ---- */

/* Read slab s's object states into v->objs and its first len bytes into
 * v->buf. */
struct ss_error *ss_slot_load(struct ss_slot_verifier *v,
			      const struct ss_slab *s, uint64_t len);

/* A load error: out of memory stops the check; anything else the model
 * has reported as unreadable, so the slab is passed over (NULL). */
struct ss_error *ss_slot_load_failed(struct ss_error *err);

/* What a run of bytes should hold: fill, except an optional different last
 * byte; alt is another acceptable fill (an object of unknown state). */
struct ss_slot_pattern {
	uint8_t fill;
	int alt;  /* or -1 */
	int last; /* or -1 */
};

/*
 * Compare bytes [start, start + len) (a copy in bytes) of object's slot
 * (object 0: the slab's tail) with p and report the whole bad run once:
 * "<cache>: <what> of object 0x.. overwritten: N bytes from 0x..
 * (offset +N) are not 0x..".
 */
struct ss_error *ss_slot_check_run(struct ss_slot_scan *sc, uint64_t object,
				   uint64_t start, const uint8_t *bytes,
				   size_t len, const struct ss_slot_pattern *p,
				   enum ss_finding_id kind, const char *what,
				   enum ss_slot_suspect suspect);

/* A free object's payload [obj, obj + object_size) at p: POISON_FREE
 * ending in POISON_END, as both allocators poison it. */
struct ss_error *ss_slot_check_free_poison(struct ss_slot_scan *sc,
					   uint64_t obj, const uint8_t *p);

/* Hand bad (message formatted into it) to the scan's callback. */
struct ss_error *ss_slot_report(struct ss_slot_scan *sc,
				struct ss_slot_bad *bad, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- slub_slot.c: mm/slub.c's slot ---- */
enum ss_region ss_slub_region(const struct ss_cache *c, int64_t off,
			      enum ss_obj_state st);
struct ss_track_place ss_slub_track_place(const struct ss_cache *c);
struct ss_error *ss_slub_verify_bytes(struct ss_slot_scan *sc);

/* ---- mm_slab_slot.c: mm/slab.c's slot (CONFIG_DEBUG_SLAB) ---- */
enum ss_region ss_mm_slab_region(const struct ss_cache *c, int64_t off,
				 enum ss_obj_state st);
struct ss_track_place ss_mm_slab_track_place(const struct ss_cache *c);
struct ss_error *ss_mm_slab_verify_bytes(struct ss_slot_scan *sc);

#endif
