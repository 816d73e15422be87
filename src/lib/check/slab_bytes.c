/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SLAB's debug patterns (mm/slab.c with CONFIG_DEBUG_SLAB): a 64-bit red
 * zone word before and after each object, RED_ACTIVE while allocated and
 * RED_INACTIVE while free (in its slab or in an array cache); free objects
 * of SLAB_POISON caches filled with POISON_FREE ending in POISON_END; with
 * SLAB_STORE_USER the last user's address in the slot's last word.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "check_priv.h"

#define SLAB_RED_ZONE 0x00000400ULL
#define SLAB_POISON 0x00000800ULL
#define SLAB_STORE_USER 0x00010000ULL

#define RED_ACTIVE 0xD84156C5635688C0ULL
#define RED_INACTIVE 0x09F911029D74E35BULL
#define POISON_FREE 0x6b
#define POISON_END 0xa5

/* One red zone word; culprit: the object itself for the word after it,
 * the object before for the word before it. */
static struct ss_error *check_word(struct checker *c, uint32_t ci,
				   const struct ss_slab *s, uint64_t object,
				   uint64_t at, const uint8_t *bytes,
				   enum ss_obj_state st, const char *what,
				   enum culprit_mode mode)
{
	uint64_t v;
	memcpy(&v, bytes, 8);
	bool is_free = st == SS_OBJ_FREE || st == SS_OBJ_CPU_FREE;
	uint64_t want = is_free ? RED_INACTIVE : RED_ACTIVE;
	if (v == want || (st == SS_OBJ_UNKNOWN && v == RED_INACTIVE))
		return NULL;
	const struct ss_cache *cache = ss_model_cache(c->m, ci);
	struct ss_finding *f = checker_add(
		c, SS_FINDING_REDZONE_OVERWRITTEN, ci, s->page, object, at,
		"%s: %s of %s object 0x%" PRIx64 " is 0x%016" PRIx64
		", not 0x%016" PRIx64 " (%s)",
		cache->name, what, is_free ? "free" : "allocated", object, v,
		want, is_free ? "RED_INACTIVE" : "RED_ACTIVE");
	if (!f)
		return &ss_error_nomem;
	f->nbytes = 8;
	memcpy(f->expected, &want, 8);
	memcpy(f->found, bytes, 8);
	for (int i = 0; i < 8; i++)
		if (f->expected[i] != f->found[i])
			f->bad_len = (uint64_t)i + 1;
	return culprit_find(c, f, ci, s, object, mode);
}

struct ss_error *check_slab_bytes_slab(struct checker *c, uint32_t ci,
				       const struct ss_slab *s)
{
	const struct ss_cache *cache = ss_model_cache(c->m, ci);
	if (!(cache->flags & (SLAB_RED_ZONE | SLAB_POISON)) || !s->objects)
		return NULL;
	uint64_t oo = cache->red_left_pad, size = cache->size;
	bool user = cache->flags & SLAB_STORE_USER;
	/* The layout must fit the slot: a garbage cache is the model's. */
	if (size < 16 || oo > size || cache->object_size > size - oo ||
	    ((cache->flags & SLAB_RED_ZONE) && (oo < 8 || size < 16 + (user ? 8 : 0))))
		return NULL;
	size_t len = (size_t)s->objects * size;
	if (len > c->bufcap) {
		unsigned char *n = realloc(c->buf, len);
		if (!n)
			return &ss_error_nomem;
		c->buf = n;
		c->bufcap = len;
	}
	if (s->objects > c->objcap) {
		struct ss_object *n = realloc(c->objs, s->objects * sizeof(*n));
		if (!n)
			return &ss_error_nomem;
		c->objs = n;
		c->objcap = s->objects;
	}
	c->objs_slab = NULL;
	struct ss_error *err = ss_model_slab_objects(c->m, s, c->objs);
	if (!err)
		c->objs_slab = s; /* for culprit_find() */
	if (!err)
		err = ss_mem_read(c->t->mem, s->base, c->buf, len);
	if (err) {
		if (err->code == SS_ERR_NOMEM)
			return err;
		ss_error_destroy(err); /* the model reported it */
		return NULL;
	}
	for (uint32_t i = 0; i < s->objects && !err; i++) {
		uint64_t raw = s->base + (uint64_t)i * size;
		uint64_t obj = raw + oo;
		const uint8_t *p = c->buf + (uint64_t)i * size;
		enum ss_obj_state st = c->objs[i].state;
		if (cache->flags & SLAB_RED_ZONE) {
			err = check_word(c, ci, s, obj, raw + oo - 8,
					 p + oo - 8, st, "red zone before",
					 CULPRIT_PREVIOUS);
			uint64_t rz2 = size - 8 - (user ? 8 : 0);
			if (!err)
				err = check_word(c, ci, s, obj, raw + rz2,
						 p + rz2, st, "red zone after",
						 CULPRIT_SELF);
		}
		bool is_free = st == SS_OBJ_FREE || st == SS_OBJ_CPU_FREE;
		/* An off-slab freelist or one kept in a free object
		 * (OBJFREELIST) is not poisoned: skip that object. */
		bool holds_freelist = s->freelist >= obj &&
				      s->freelist < obj + cache->object_size;
		if (!err && is_free && (cache->flags & SLAB_POISON) &&
		    cache->object_size && !holds_freelist) {
			struct pattern poison = { POISON_FREE, -1, POISON_END };
			err = check_run(c, ci, s, obj, obj, p + oo,
					cache->object_size, &poison,
					SS_FINDING_POISON_OVERWRITTEN,
					"free payload", CULPRIT_USE_AFTER_FREE);
		}
	}
	return err;
}
