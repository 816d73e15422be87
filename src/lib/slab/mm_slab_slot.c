/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SLAB's object slot (mm/slab.c with CONFIG_DEBUG_SLAB), from the slot's
 * start: padding, the first red zone word just before the object (at
 * obj_offset, which the model calls red_left_pad), the object, padding,
 * the second red zone word and, last, the last user's address (when
 * SLAB_RED_ZONE and SLAB_STORE_USER are set).
 *
 * Its byte patterns: the red zone words hold RED_ACTIVE while the object
 * is allocated and RED_INACTIVE while it is free (in its slab or in an
 * array cache); free objects of SLAB_POISON caches hold POISON_FREE ending
 * in POISON_END.  Free objects keep no next pointer: SLAB's freelist is an
 * array of indices beside them.
 */
#include <inttypes.h>
#include <string.h>

#include "slot_priv.h"

/* include/linux/poison.h, for mm/slab.c's 64-bit red zone words. */
#define RED_ACTIVE 0xD84156C5635688C0ULL
#define RED_INACTIVE 0x09F911029D74E35BULL

static bool stores_user(const struct ss_cache *c)
{
	return c->flags & SS_SLAB_STORE_USER;
}

/* Slot offsets of the red zone words: dbg_redzone1(), dbg_redzone2(). */
static int64_t redzone1(const struct ss_cache *c)
{
	return (int64_t)c->red_left_pad - 8;
}

static int64_t redzone2(const struct ss_cache *c)
{
	return (int64_t)c->size - 8 - (stores_user(c) ? 8 : 0);
}

/* Slot offset of the last user's word: dbg_userword(). */
static int64_t userword(const struct ss_cache *c)
{
	return (int64_t)c->size - 8;
}

enum ss_region ss_mm_slab_region(const struct ss_cache *c, int64_t off,
				 enum ss_obj_state st)
{
	(void)st; /* free objects keep no pointer: the layout alone */
	int64_t slot = off + c->red_left_pad; /* from the slot start */
	if (slot < 0 || slot >= (int64_t)c->size)
		return SS_REGION_NONE;
	if (c->flags & SS_SLAB_RED_ZONE) {
		if (slot >= redzone1(c) && slot < redzone1(c) + 8)
			return SS_REGION_LEFT_REDZONE;
		if (slot >= redzone2(c) && slot < redzone2(c) + 8)
			return SS_REGION_RIGHT_REDZONE;
	}
	if (stores_user(c) && slot >= userword(c))
		return SS_REGION_TRACK;
	if (off >= 0 && off < (int64_t)c->object_size)
		return SS_REGION_PAYLOAD;
	return SS_REGION_PADDING;
}

struct ss_track_place ss_mm_slab_track_place(const struct ss_cache *c)
{
	struct ss_track_place tp = { SS_TRACK_FORM_NONE, 0 };
	if (stores_user(c)) {
		tp.form = SS_TRACK_FORM_LAST_CALLER;
		tp.off = userword(c) - (int64_t)c->red_left_pad;
	}
	return tp;
}

/* One red zone word at slot offset at; the object itself is the suspect
 * for the word after it, the object before for the word before it. */
static struct ss_error *check_word(struct ss_slot_scan *sc, uint64_t slot,
				   int64_t at, const uint8_t *p,
				   enum ss_obj_state st, const char *what,
				   enum ss_slot_suspect suspect)
{
	uint64_t v;
	memcpy(&v, p + at, 8);
	bool is_free = ss_obj_is_free(st);
	uint64_t want = is_free ? RED_INACTIVE : RED_ACTIVE;
	if (v == want || (st == SS_OBJ_UNKNOWN && v == RED_INACTIVE))
		return NULL;
	uint64_t object = slot + sc->cache->red_left_pad;
	struct ss_slot_bad bad = {
		.kind = SS_FINDING_REDZONE_OVERWRITTEN,
		.object = object,
		.address = slot + (uint64_t)at,
		.nbytes = 8,
		.suspect = suspect,
	};
	memcpy(bad.expected, &want, 8);
	memcpy(bad.found, p + at, 8);
	for (int i = 0; i < 8; i++)
		if (bad.expected[i] != bad.found[i])
			bad.bad_len = (uint64_t)i + 1;
	return ss_slot_report(sc, &bad,
			      "%s: %s of %s object 0x%" PRIx64
			      " is 0x%016" PRIx64 ", not 0x%016" PRIx64
			      " (%s)",
			      sc->cache->name, what,
			      is_free ? "free" : "allocated", object, v, want,
			      is_free ? "RED_INACTIVE" : "RED_ACTIVE");
}

struct ss_error *ss_mm_slab_verify_bytes(struct ss_slot_scan *sc)
{
	const struct ss_cache *cache = sc->cache;
	const struct ss_slab *s = sc->s;
	uint64_t flags = cache->flags;
	if (!(flags & (SS_SLAB_RED_ZONE | SS_SLAB_POISON)) || !s->objects)
		return NULL;
	uint64_t oo = cache->red_left_pad, size = cache->size;
	/* The layout must fit the slot: a garbage cache is the model's. */
	if (size < 16 || oo > size || cache->object_size > size - oo ||
	    ((flags & SS_SLAB_RED_ZONE) &&
	     (oo < 8 || size < 16 + (stores_user(cache) ? 8 : 0))))
		return NULL;
	struct ss_error *err = ss_slot_load(sc->v, s, (uint64_t)s->objects * size);
	if (err)
		return ss_slot_load_failed(err);
	for (uint32_t i = 0; i < s->objects && !err; i++) {
		uint64_t slot = s->base + (uint64_t)i * size;
		uint64_t obj = slot + oo;
		const uint8_t *p = sc->v->buf + (uint64_t)i * size;
		enum ss_obj_state st = sc->v->objs[i].state;
		if (flags & SS_SLAB_RED_ZONE) {
			err = check_word(sc, slot, redzone1(cache), p, st,
					 "red zone before", SS_SUSPECT_PREVIOUS);
			if (!err)
				err = check_word(sc, slot, redzone2(cache), p,
						 st, "red zone after",
						 SS_SUSPECT_SELF);
		}
		/* An off-slab freelist or one kept in a free object
		 * (OBJFREELIST) is not poisoned: skip that object. */
		bool holds_freelist = s->freelist >= obj &&
				      s->freelist < obj + cache->object_size;
		if (!err && ss_obj_is_free(st) && (flags & SS_SLAB_POISON) &&
		    cache->object_size && !holds_freelist)
			err = ss_slot_check_free_poison(sc, obj, p + oo);
	}
	return err;
}
