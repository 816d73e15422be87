/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Culprit hints: who probably wrote the bad bytes.  An overflow comes from
 * the allocated object just before the damage (the seed's one-byte
 * overflow onto the next free pointer); bytes past an object's payload
 * come from the object itself; a written free object is a use after free.
 * With SLAB_STORE_USER the suspect's alloc/free tracks say who allocated
 * (or freed) it, when, on which CPU and from which stack.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_priv.h"


/*
 * SLAB with SLAB_STORE_USER keeps one word per object, the last caller
 * (of the allocation while allocated, of the free while free), at the end
 * of the slot.
 */
static void slab_user_word(struct checker *c, const struct ss_cache *cache,
			   struct ss_culprit *cu)
{
	if (!(cache->flags & 0x00010000ULL /* SLAB_STORE_USER */))
		return;
	uint64_t slot = cu->object - cache->red_left_pad, caller;
	struct ss_error *err = ss_mem_read_u64(c->t->mem,
					       slot + cache->size - 8, &caller);
	if (err || !caller) {
		ss_error_destroy(err);
		return;
	}
	bool is_free = cu->state == SS_OBJ_FREE || cu->state == SS_OBJ_CPU_FREE;
	struct ss_track *t = is_free ? &cu->free : &cu->alloc;
	t->valid = true;
	t->addr = caller;
	err = ss_symbolize(c->sym, caller, &t->caller);
	ss_error_destroy(err);
}

struct ss_error *culprit_find(struct checker *c, struct ss_finding *f,
			      uint32_t ci, const struct ss_slab *s,
			      uint64_t object, enum culprit_mode mode)
{
	const struct ss_cache *cache = ss_model_cache(c->m, ci);
	struct ss_culprit *cu = &f->culprit;
	uint64_t first = s->base + cache->red_left_pad;
	int64_t idx = object >= first ? (int64_t)((object - first) / cache->size)
				      : -1;
	if (idx >= s->objects)
		idx = s->objects - 1;
	/* The byte checks have the slab's states already (c->objs_slab);
	 * anomalies come one by one. */
	struct ss_object *objs = NULL;
	if (c->objs_slab == s) {
		objs = c->objs;
	} else {
		objs = calloc(s->objects ? s->objects : 1, sizeof(*objs));
		if (!objs)
			return &ss_error_nomem;
		struct ss_error *err = ss_model_slab_objects(c->m, s, objs);
		if (err) {
			free(objs);
			if (err->code == SS_ERR_NOMEM)
				return err;
			ss_error_destroy(err);
			return NULL;
		}
	}
	int64_t suspect = -1;
	switch (mode) {
	case CULPRIT_SELF:
	case CULPRIT_USE_AFTER_FREE:
		suspect = idx;
		break;
	case CULPRIT_PREVIOUS:
		/* The nearest allocated object before the damage. */
		for (int64_t i = idx - 1; i >= 0; i--) {
			if (objs[i].state == SS_OBJ_ALLOCATED ||
			    objs[i].state == SS_OBJ_UNKNOWN) {
				suspect = i;
				break;
			}
		}
		if (object >= first + (uint64_t)s->objects * cache->size)
			suspect = s->objects - 1; /* tail: the last object */
		break;
	case CULPRIT_NONE:
		break;
	}
	if (suspect >= 0 && suspect < s->objects) {
		f->has_culprit = true;
		cu->object = objs[suspect].addr;
		cu->state = objs[suspect].state;
		switch (mode) {
		case CULPRIT_SELF:
			cu->relation = "wrote past the end of its own payload";
			break;
		case CULPRIT_USE_AFTER_FREE:
			cu->relation = "was written after it was freed";
			break;
		default:
			cu->relation = suspect == idx - 1
					       ? "is the object just before the "
						 "damaged bytes: an overflow "
						 "from it is the likely cause"
					       : "is the nearest object before "
						 "the damaged bytes that may be "
						 "allocated";
			break;
		}
		if (cache->allocator == SS_ALLOC_SLAB)
			slab_user_word(c, cache, cu);
		else
			ss_track_read(c->tracks, cache, cu->object,
				      SS_TRACK_STACK | SS_TRACK_SYMBOLIZE,
				      &cu->alloc, &cu->free);
	}
	if (objs != c->objs)
		free(objs);
	return NULL;
}

void culprit_deinit(struct ss_culprit *cu)
{
	ss_track_deinit(&cu->alloc);
	ss_track_deinit(&cu->free);
}
