/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SLUB's object slot (mm/slub.c calculate_sizes()), offsets from the
 * object address:
 *   [-red_left_pad, 0)        left red zone
 *   [0, object_size)          payload (a free pointer placed mid-object is
 *                             payload while allocated)
 *   [object_size, inuse)      right red zone, or alignment padding
 *   [offset, offset + 8)      the free pointer, when it was moved past the
 *                             payload (RCU, poison, ctor)
 *   then, with SLAB_STORE_USER, two struct track (alloc, free) and, in
 *   kmalloc caches of 6.1+, orig_size (a u32 in 6.1, an unsigned long
 *   later); padding to the slot's end.
 *
 * Its byte patterns, as check_object(), check_pad_bytes() and
 * slab_pad_check() verify them live:
 *   left and right red zones   SLUB_RED_ACTIVE 0xcc (allocated) or
 *                              SLUB_RED_INACTIVE 0xbb (free)
 *   free payload (SLAB_POISON) POISON_FREE 0x6b ... POISON_END 0xa5
 *   padding, slab tail         POISON_INUSE 0x5a
 */
#include <string.h>

#include "slot_priv.h"

#define SLUB_RED_ACTIVE 0xcc
#define SLUB_RED_INACTIVE 0xbb

/* The verifier's facts bits for a SLUB cache (SS_SLOT_FACTS_PROBED set). */
#define FACT_ORIG_SIZE 0x02       /* a u32 kmalloc request size after the
				     tracks */
#define FACT_KMALLOC_REDZONE 0x04 /* [orig_size, object_size) filled with
				     SLUB_RED_ACTIVE */
#define FACT_ORIG_SIZE_LONG                                                    \
	0x08 /* orig_size is an unsigned long (6.x                             \
		later than 6.1), not a u32 */

/* Where the metadata after the object starts, after the free pointer when
 * it was moved out of the payload: the tracks are there. */
static uint64_t meta_start(const struct ss_cache *c)
{
	return c->offset >= c->inuse ? (uint64_t)c->offset + 8 : c->inuse;
}

/* Where orig_size would be: after the tracks. */
static uint64_t orig_size_at(const struct ss_cache *c)
{
	uint64_t at = meta_start(c);
	if (c->flags & SS_SLAB_STORE_USER)
		at += 2 * (uint64_t)c->track_size;
	return at;
}

enum ss_region ss_slub_region(const struct ss_cache *c, int64_t off,
			      enum ss_obj_state st)
{
	/* A free pointer kept inside the payload (no debug flags moved it
	 * out) is a free pointer while the object is free. */
	if (ss_obj_is_free(st) && c->offset < c->inuse && off >= c->offset &&
	    off < (int64_t)c->offset + 8)
		return SS_REGION_FREEPTR;
	int64_t rlp = c->red_left_pad;
	if (off < -rlp || off >= (int64_t)c->size - rlp)
		return SS_REGION_NONE;
	if (off < 0)
		return SS_REGION_LEFT_REDZONE;
	if (off < (int64_t)c->object_size)
		return SS_REGION_PAYLOAD;
	if (off < (int64_t)c->inuse)
		return (c->flags & SS_SLAB_RED_ZONE) ? SS_REGION_RIGHT_REDZONE
						     : SS_REGION_PADDING;
	int64_t info_end = (int64_t)meta_start(c);
	if (off < info_end)
		return SS_REGION_FREEPTR;
	if ((c->flags & SS_SLAB_STORE_USER) &&
	    off < info_end + 2 * (int64_t)c->track_size)
		return SS_REGION_TRACK;
	return SS_REGION_PADDING;
}

struct ss_track_place ss_slub_track_place(const struct ss_cache *c)
{
	struct ss_track_place tp = { SS_TRACK_FORM_NONE, 0 };
	if (c->flags & SS_SLAB_STORE_USER) {
		tp.form = SS_TRACK_FORM_STRUCTS;
		tp.off = (int64_t)meta_start(c);
	}
	return tp;
}

/*
 * Does a kmalloc cache keep the requested size (orig_size, 6.1+) after its
 * tracks, and fill [orig_size, object_size) with the red zone (6.2+)?
 * Neither shows in DWARF or in the cache's fields, so decide from the
 * objects: a kernel without orig_size has POISON_INUSE padding there, one
 * with it a size no larger than the object.
 */
static uint8_t probe_cache(struct ss_slot_verifier *v,
			   const struct ss_cache *cache)
{
	uint8_t facts = SS_SLOT_FACTS_PROBED;
	if (!(cache->flags & SS_SLAB_KMALLOC) ||
	    !(cache->flags & SS_SLAB_STORE_USER))
		return facts;
	uint64_t at = orig_size_at(cache);
	if (at + 4 > cache->size - cache->red_left_pad)
		return facts;
	/*
	 * Evidence for orig_size: any object holding a size no larger than
	 * the object (freed objects keep theirs).  Against: allocated
	 * objects with POISON_INUSE there (never-used free ones have it in
	 * both layouts).
	 */
	unsigned sizes = 0, alloc_pads = 0, rz_yes = 0, rz_no = 0, used = 0;
	/* The word's width is not in DWARF either (set_orig_size() stores
	 * through an unsigned int * in 6.1, an unsigned long * later): the
	 * half after a u32 is zero for a long, POISON_INUSE for padding. */
	unsigned high_zero = 0, high_pad = 0;
	bool room8 = at + 8 <= cache->size - cache->red_left_pad;
	size_t nslabs;
	const struct ss_slab *slabs = ss_model_slabs(v->m, &nslabs);
	for (size_t si = cache->first_slab;
	     si < cache->first_slab + cache->nslabs && used < 16; si++) {
		const struct ss_slab *s = &slabs[si];
		if (!s->objects)
			continue;
		struct ss_error *err =
			ss_slot_load(v, s, ss_slab_bytes(v->m, s));
		if (err) {
			ss_error_destroy(err);
			continue;
		}
		used++;
		for (uint32_t i = 0; i < s->objects; i++) {
			const uint8_t *p = v->buf + (uint64_t)i * cache->size +
					   cache->red_left_pad;
			bool alloc = v->objs[i].state == SS_OBJ_ALLOCATED;
			uint32_t val;
			memcpy(&val, p + at, 4);
			if (val == 0x5a5a5a5aU) {
				alloc_pads += alloc;
				continue;
			}
			if (val == 0 || val > cache->object_size)
				continue;
			sizes++;
			uint32_t high = 0x5a5a5a5aU;
			if (room8)
				memcpy(&high, p + at + 4, 4);
			high_zero += high == 0;
			high_pad += high == 0x5a5a5a5aU;
			if (!alloc || val == cache->object_size)
				continue;
			bool all_cc = true;
			for (uint32_t j = val; j < cache->object_size && all_cc;
			     j++)
				all_cc = p[j] == SLUB_RED_ACTIVE;
			if (all_cc)
				rz_yes++;
			else
				rz_no++;
		}
	}
	if (sizes > alloc_pads) {
		facts |= FACT_ORIG_SIZE;
		if (high_zero > high_pad)
			facts |= FACT_ORIG_SIZE_LONG;
		if ((cache->flags & SS_SLAB_RED_ZONE) && rz_yes > rz_no)
			facts |= FACT_KMALLOC_REDZONE;
	}
	return facts;
}

/* The red zones of one object: left, the kmalloc one past the requested
 * size, right. */
static struct ss_error *check_redzones(struct ss_slot_scan *sc, uint8_t facts,
				       uint64_t slot, const uint8_t *p,
				       enum ss_obj_state st)
{
	const struct ss_cache *cache = sc->cache;
	uint64_t rlp = cache->red_left_pad, obj = slot + rlp;
	struct ss_slot_pattern red = {
		.fill = ss_obj_is_free(st) ? SLUB_RED_INACTIVE
					   : SLUB_RED_ACTIVE,
		.alt = st == SS_OBJ_UNKNOWN ? SLUB_RED_INACTIVE : -1,
		.last = -1,
	};
	struct ss_error *err = ss_slot_check_run(
		sc, obj, slot, p - rlp, rlp, &red, SS_FINDING_REDZONE_OVERWRITTEN,
		"left red zone", SS_SUSPECT_PREVIOUS);
	uint32_t orig = 0;
	if (facts & FACT_KMALLOC_REDZONE)
		memcpy(&orig, p + orig_size_at(cache), 4);
	if (!err && st == SS_OBJ_ALLOCATED && orig &&
	    orig < cache->object_size) {
		struct ss_slot_pattern krz = { SLUB_RED_ACTIVE, -1, -1 };
		err = ss_slot_check_run(sc, obj, obj + orig, p + orig,
					cache->object_size - orig, &krz,
					SS_FINDING_REDZONE_OVERWRITTEN,
					"kmalloc red zone (past the requested "
					"size)",
					SS_SUSPECT_SELF);
	}
	if (!err && cache->inuse > cache->object_size)
		err = ss_slot_check_run(sc, obj, obj + cache->object_size,
					p + cache->object_size,
					cache->inuse - cache->object_size, &red,
					SS_FINDING_REDZONE_OVERWRITTEN, "right red zone",
					SS_SUSPECT_SELF);
	return err;
}

struct ss_error *ss_slub_verify_bytes(struct ss_slot_scan *sc)
{
	struct ss_slot_verifier *v = sc->v;
	const struct ss_cache *cache = sc->cache;
	const struct ss_slab *s = sc->s;
	uint64_t flags = cache->flags;
	if (!(flags & (SS_SLAB_RED_ZONE | SS_SLAB_POISON)) || !s->objects)
		return NULL;
	if (flags & SS_SLAB_STORE_USER && !cache->track_size)
		return NULL; /* layout unknown: do not guess */
	/* A garbage layout (the model reports it as impossible) must not
	 * send the checks outside the slot: a huge inuse read past the
	 * slab's buffer (found by tests/unit/test_slub.c). */
	if (cache->red_left_pad >= cache->size ||
	    cache->object_size > cache->size - cache->red_left_pad ||
	    cache->inuse > cache->size - cache->red_left_pad)
		return NULL;
	uint64_t span = ss_slab_bytes(v->m, s);
	if ((uint64_t)s->objects * cache->size > span)
		return NULL; /* the model already reported this slab */
	uint8_t *facts = &v->facts[sc->ci];
	if (!(*facts & SS_SLOT_FACTS_PROBED))
		*facts = probe_cache(v, cache);
	struct ss_error *err = ss_slot_load(v, s, span);
	if (err)
		return ss_slot_load_failed(err);
	uint64_t rlp = cache->red_left_pad;
	uint64_t pad_start =
		orig_size_at(cache) + ((*facts & FACT_ORIG_SIZE_LONG) ? 8
				       : (*facts & FACT_ORIG_SIZE)    ? 4
								      : 0);
	uint64_t slot_end = cache->size - rlp; /* size_from_object() */
	struct ss_slot_pattern pad = { SS_POISON_INUSE, -1, -1 };
	for (uint32_t i = 0; i < s->objects && !err; i++) {
		uint64_t slot = s->base + (uint64_t)i * cache->size;
		uint64_t obj = slot + rlp;
		const uint8_t *p = v->buf + (slot - s->base) + rlp;
		enum ss_obj_state st = v->objs[i].state;
		if (flags & SS_SLAB_RED_ZONE)
			err = check_redzones(sc, *facts, slot, p, st);
		else if ((flags & SS_SLAB_POISON) &&
			 cache->inuse > cache->object_size)
			err = ss_slot_check_run(
				sc, obj, obj + cache->object_size,
				p + cache->object_size,
				cache->inuse - cache->object_size, &pad,
				SS_FINDING_PADDING_OVERWRITTEN, "alignment padding",
				SS_SUSPECT_SELF);
		if (err || !(flags & SS_SLAB_POISON))
			continue;
		if (ss_obj_is_free(st) && (flags & SS_SLAB_OBJECT_POISON) &&
		    cache->object_size)
			err = ss_slot_check_free_poison(sc, obj, p);
		if (!err && pad_start < slot_end)
			err = ss_slot_check_run(sc, obj, obj + pad_start,
						p + pad_start,
						slot_end - pad_start, &pad,
						SS_FINDING_PADDING_OVERWRITTEN, "padding",
						SS_SUSPECT_SELF);
	}
	/* slab_pad_check(): the slab's tail after the last slot. */
	uint64_t used = (uint64_t)s->objects * cache->size;
	if (!err && (flags & SS_SLAB_POISON) && used < span)
		err = ss_slot_check_run(sc, 0, s->base + used, v->buf + used,
					span - used, &pad,
					SS_FINDING_PADDING_OVERWRITTEN, "tail padding",
					SS_SUSPECT_PREVIOUS);
	return err;
}
