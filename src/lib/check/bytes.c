/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Byte patterns of SLUB debug caches, as mm/slub.c check_object(),
 * check_pad_bytes() and slab_pad_check() verify them live:
 *   left and right red zones  SLUB_RED_ACTIVE 0xcc (allocated) or
 *                             SLUB_RED_INACTIVE 0xbb (free)
 *   free payload (SLAB_POISON) POISON_FREE 0x6b ... POISON_END 0xa5
 *   padding, slab tail         POISON_INUSE 0x5a
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "check_priv.h"

#define SLAB_RED_ZONE 0x00000400ULL
#define SLAB_POISON 0x00000800ULL
#define SLAB_KMALLOC 0x00001000ULL
#define SLAB_STORE_USER 0x00010000ULL
#define OBJECT_POISON 0x80000000ULL

#define RED_ACTIVE 0xcc
#define RED_INACTIVE 0xbb
#define POISON_FREE 0x6b
#define POISON_END 0xa5
#define POISON_INUSE 0x5a

static uint8_t expected_at(const struct pattern *p, size_t i, size_t len)
{
	return (p->last >= 0 && i == len - 1) ? (uint8_t)p->last : p->fill;
}

static bool byte_ok(const struct pattern *p, size_t i, size_t len, uint8_t b)
{
	if (b == expected_at(p, i, len))
		return true;
	return p->alt >= 0 && b == (uint8_t)p->alt;
}

/*
 * Check bytes [start, start+len) (a copy in bytes) against p; on a
 * mismatch add one finding for the whole bad run and a culprit hint.
 */
struct ss_error *check_run(struct checker *c, uint32_t ci,
			   const struct ss_slab *s, uint64_t object,
			   uint64_t start, const uint8_t *bytes, size_t len,
			   const struct pattern *p, enum ss_finding_id kind,
			   const char *what, enum culprit_mode mode)
{
	size_t first = len, last = 0;
	for (size_t i = 0; i < len; i++) {
		if (byte_ok(p, i, len, bytes[i]))
			continue;
		if (first == len)
			first = i;
		last = i;
	}
	if (first == len)
		return NULL;
	const struct ss_cache *cache = ss_model_cache(c->m, ci);
	struct ss_finding *f;
	if (object)
		f = checker_add(c, kind, ci, s->page, object, start + first,
				"%s: %s of object 0x%" PRIx64 " overwritten: "
				"%zu byte%s from "
				"0x%" PRIx64 " (offset %+" PRId64
				") are not 0x%02x",
				cache->name, what, object, last - first + 1,
				last == first ? "" : "s", start + first,
				(int64_t)(start + first - object),
				expected_at(p, first, len));
	else
		f = checker_add(c, kind, ci, s->page, 0, start + first,
				"%s: %s of slab 0x%" PRIx64 " overwritten: %zu "
				"byte%s from "
				"0x%" PRIx64 " are "
				"not "
				"0x%"
				"02x",
				cache->name, what, s->page, last - first + 1,
				last == first ? "" : "s", start + first,
				expected_at(p, first, len));
	if (!f)
		return &ss_error_nomem;
	f->bad_len = last - first + 1;
	f->nbytes = len - first < SS_FINDING_BYTES ? len - first
						   : SS_FINDING_BYTES;
	for (size_t i = 0; i < f->nbytes; i++) {
		f->expected[i] = expected_at(p, first + i, len);
		f->found[i] = bytes[first + i];
	}
	if (mode == CULPRIT_NONE)
		return NULL;
	return culprit_find(c, f, ci, s, object ? object : start + first,
			    mode);
}

static struct ss_error *ensure(struct checker *c, size_t bytes, size_t objs)
{
	if (bytes > c->bufcap) {
		unsigned char *n = realloc(c->buf, bytes);
		if (!n)
			return &ss_error_nomem;
		c->buf = n;
		c->bufcap = bytes;
	}
	if (objs > c->objcap) {
		struct ss_object *n = realloc(c->objs, objs * sizeof(*n));
		if (!n)
			return &ss_error_nomem;
		c->objs = n;
		c->objcap = objs;
	}
	return NULL;
}

/* Where the free pointer (if moved out of the payload) ends: the tracks
 * start there. */
static uint64_t tracks_start(const struct ss_cache *cache)
{
	return cache->offset >= cache->inuse ? (uint64_t)cache->offset + 8
					     : cache->inuse;
}

/*
 * Does a kmalloc cache keep the requested size (orig_size, 6.1+) after its
 * tracks, and fill [orig_size, object_size) with the red zone (6.2+)?
 * Neither shows in DWARF or in the cache's fields, so decide from the
 * objects: a kernel without orig_size has POISON_INUSE padding there, one
 * with it a size no larger than the object.
 */
static struct ss_error *load_slab(struct checker *c, const struct ss_slab *s,
				  uint64_t span);

static void probe_cache(struct checker *c, uint32_t ci, struct cache_probe *pr)
{
	const struct ss_cache *cache = ss_model_cache(c->m, ci);
	pr->probed = true;
	if (!(cache->flags & SLAB_KMALLOC) || !(cache->flags & SLAB_STORE_USER))
		return;
	uint64_t at = tracks_start(cache) + 2 * (uint64_t)cache->track_size;
	if (at + 4 > cache->size - cache->red_left_pad)
		return;
	/*
	 * Evidence for orig_size: any object holding a size no larger than
	 * the object (freed objects keep theirs).  Against: allocated
	 * objects with POISON_INUSE there (never-used free ones have it in
	 * both layouts).
	 */
	unsigned sizes = 0, alloc_pads = 0, rz_yes = 0, rz_no = 0, used = 0;
	size_t nslabs;
	const struct ss_slab *slabs = ss_model_slabs(c->m, &nslabs);
	for (size_t si = cache->first_slab;
	     si < cache->first_slab + cache->nslabs && used < 16; si++) {
		const struct ss_slab *s = &slabs[si];
		if (!s->objects)
			continue;
		struct ss_error *err = load_slab(c, s, ss_slab_bytes(c->m, s));
		if (err) {
			ss_error_destroy(err);
			continue;
		}
		used++;
		for (uint32_t i = 0; i < s->objects; i++) {
			const uint8_t *p = c->buf + (uint64_t)i * cache->size +
					   cache->red_left_pad;
			bool alloc = c->objs[i].state == SS_OBJ_ALLOCATED;
			uint32_t v;
			memcpy(&v, p + at, 4);
			if (v == 0x5a5a5a5aU) {
				alloc_pads += alloc;
				continue;
			}
			if (v == 0 || v > cache->object_size)
				continue;
			sizes++;
			if (!alloc || v == cache->object_size)
				continue;
			bool all_cc = true;
			for (uint32_t j = v; j < cache->object_size && all_cc; j++)
				all_cc = p[j] == RED_ACTIVE;
			if (all_cc)
				rz_yes++;
			else
				rz_no++;
		}
	}
	pr->orig_size = sizes > alloc_pads;
	pr->kmalloc_redzone = pr->orig_size && (cache->flags & SLAB_RED_ZONE) &&
			      rz_yes > rz_no;
}

/* The slab's bytes and object states into the checker's buffers. */
static struct ss_error *load_slab(struct checker *c, const struct ss_slab *s,
				  uint64_t span)
{
	struct ss_error *err = ensure(c, span, s->objects);
	c->objs_slab = NULL;
	if (!err)
		err = ss_model_slab_objects(c->m, s, c->objs);
	if (!err)
		c->objs_slab = s;
	if (!err)
		err = ss_mem_read(c->t->mem, s->base, c->buf, span);
	return err;
}

struct ss_error *check_slab_bytes(struct checker *c, uint32_t ci,
				  const struct ss_slab *s)
{
	const struct ss_cache *cache = ss_model_cache(c->m, ci);
	if (cache->allocator == SS_ALLOC_SLAB)
		return check_slab_bytes_slab(c, ci, s);
	if (!(cache->flags & (SLAB_RED_ZONE | SLAB_POISON)) || !s->objects)
		return NULL;
	if (cache->flags & SLAB_STORE_USER && !cache->track_size)
		return NULL; /* layout unknown: do not guess */
	/* A garbage layout (the model reports it as impossible) must not
	 * send the checks outside the slot: a huge inuse read past the
	 * slab's buffer (found by tests/unit/test_slub.c). */
	if (cache->red_left_pad >= cache->size ||
	    cache->object_size > cache->size - cache->red_left_pad ||
	    cache->inuse > cache->size - cache->red_left_pad)
		return NULL;
	uint64_t span = ss_slab_bytes(c->m, s);
	if ((uint64_t)s->objects * cache->size > span)
		return NULL; /* the model already reported this slab */
	struct cache_probe *pr = &c->probes[ci];
	if (!pr->probed)
		probe_cache(c, ci, pr);
	struct ss_error *err = load_slab(c, s, span);
	if (err) {
		/* Reported by the model as unreadable. */
		if (err->code == SS_ERR_NOMEM)
			return err;
		ss_error_destroy(err);
		return NULL;
	}
	uint64_t rlp = cache->red_left_pad;
	uint64_t orig_at = tracks_start(cache);
	if (cache->flags & SLAB_STORE_USER)
		orig_at += 2 * (uint64_t)cache->track_size;
	uint64_t pad_start = orig_at + (pr->orig_size ? 4 : 0);
	uint64_t slot_end = cache->size - rlp; /* size_from_object() */
	for (uint32_t i = 0; i < s->objects && !err; i++) {
		uint64_t slot = s->base + (uint64_t)i * cache->size;
		uint64_t obj = slot + rlp;
		const uint8_t *p = c->buf + (slot - s->base) + rlp;
		enum ss_obj_state st = c->objs[i].state;
		bool is_free = st == SS_OBJ_FREE || st == SS_OBJ_CPU_FREE;
		struct pattern red = {
			.fill = is_free ? RED_INACTIVE : RED_ACTIVE,
			.alt = st == SS_OBJ_UNKNOWN ? RED_INACTIVE : -1,
			.last = -1,
		};
		if (cache->flags & SLAB_RED_ZONE) {
			err = check_run(c, ci, s, obj, slot, p - rlp, rlp, &red,
					SS_FINDING_REDZONE_OVERWRITTEN,
					"left red zone", CULPRIT_PREVIOUS);
			uint32_t orig = 0;
			if (pr->kmalloc_redzone)
				memcpy(&orig, p + orig_at, 4);
			if (!err && st == SS_OBJ_ALLOCATED &&
			    pr->kmalloc_redzone && orig &&
			    orig < cache->object_size) {
				struct pattern krz = { RED_ACTIVE, -1, -1 };
				err = check_run(c, ci, s, obj, obj + orig,
						p + orig,
						cache->object_size - orig, &krz,
						SS_FINDING_REDZONE_OVERWRITTEN,
						"kmalloc red zone (past the "
						"requested size)",
						CULPRIT_SELF);
			}
			if (!err && cache->inuse > cache->object_size)
				err = check_run(
					c, ci, s, obj, obj + cache->object_size,
					p + cache->object_size,
					cache->inuse - cache->object_size, &red,
					SS_FINDING_REDZONE_OVERWRITTEN,
					"right red zone", CULPRIT_SELF);
		} else if ((cache->flags & SLAB_POISON) &&
			   cache->inuse > cache->object_size) {
			struct pattern pad = { POISON_INUSE, -1, -1 };
			err = check_run(c, ci, s, obj, obj + cache->object_size,
					p + cache->object_size,
					cache->inuse - cache->object_size, &pad,
					SS_FINDING_PADDING_OVERWRITTEN,
					"alignment padding", CULPRIT_SELF);
		}
		if (err || !(cache->flags & SLAB_POISON))
			continue;
		if (is_free && (cache->flags & OBJECT_POISON) &&
		    cache->object_size) {
			struct pattern poison = { POISON_FREE, -1, POISON_END };
			err = check_run(c, ci, s, obj, obj, p,
					cache->object_size, &poison,
					SS_FINDING_POISON_OVERWRITTEN,
					"free payload", CULPRIT_USE_AFTER_FREE);
		}
		if (!err && pad_start < slot_end) {
			struct pattern pad = { POISON_INUSE, -1, -1 };
			err = check_run(c, ci, s, obj, obj + pad_start,
					p + pad_start, slot_end - pad_start,
					&pad, SS_FINDING_PADDING_OVERWRITTEN,
					"padding", CULPRIT_SELF);
		}
	}
	/* slab_pad_check(): the slab's tail after the last slot. */
	uint64_t used = (uint64_t)s->objects * cache->size;
	if (!err && (cache->flags & SLAB_POISON) && used < span) {
		struct pattern pad = { POISON_INUSE, -1, -1 };
		err = check_run(c, ci, s, 0, s->base + used, c->buf + used,
				span - used, &pad,
				SS_FINDING_PADDING_OVERWRITTEN, "tail padding",
				CULPRIT_PREVIOUS);
	}
	return err;
}
