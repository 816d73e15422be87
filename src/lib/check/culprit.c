/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Culprit hints: who probably wrote the bad bytes.  An overflow comes from
 * the allocated object just before the damage (the seed's one-byte
 * overflow onto the next free pointer); bytes past an object's payload
 * come from the object itself; a written free object is a use after free.
 * With SLAB_STORE_USER the suspect's alloc/free tracks say who allocated
 * (or freed) it, when, on which CPU and from which stack (as much of it as
 * the allocator keeps: slabscope/track.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_priv.h"

static const struct {
	const char *id, *text;
} relations[SS_CULPRIT_NRELATIONS] = {
	[SS_CULPRIT_OWN_PAYLOAD_OVERFLOW] = { "own-payload-overflow",
					      "wrote past the end of its own payload" },
	[SS_CULPRIT_USE_AFTER_FREE] = { "use-after-free",
					"was written after it was freed" },
	[SS_CULPRIT_PREVIOUS_OBJECT_OVERFLOW] = { "previous-object-overflow",
						  "is the object just before the damaged bytes: an overflow "
						  "from it is the likely cause" },
	[SS_CULPRIT_NEAREST_PREVIOUS_OBJECT] = { "nearest-previous-object",
						 "is the nearest object before the damaged bytes that may be "
						 "allocated" },
	[SS_CULPRIT_CYCLE_OVERFLOW_OR_DOUBLE_FREE] = { "cycle-overflow-or-double-free",
						       "is the nearest object before the pointer that closes the "
						       "cycle: an overflow from it is one likely cause, a double "
						       "free of the object reached twice the other" },
};

const char *ss_culprit_relation_id(enum ss_culprit_relation r)
{
	return (unsigned)r < SS_CULPRIT_NRELATIONS ? relations[r].id : NULL;
}

const char *ss_culprit_relation_text(enum ss_culprit_relation r)
{
	return (unsigned)r < SS_CULPRIT_NRELATIONS ? relations[r].text : NULL;
}

struct ss_error *culprit_find(struct checker *c, struct ss_finding *f,
			      uint32_t ci, const struct ss_slab *s,
			      uint64_t object, enum ss_slot_suspect mode)
{
	const struct ss_cache *cache = ss_model_cache(c->m, ci);
	struct ss_culprit *cu = &f->culprit;
	uint64_t first = s->base + cache->red_left_pad;
	int64_t idx = object >= first ? (int64_t)((object - first) / cache->size)
				      : -1;
	if (idx >= s->objects)
		idx = s->objects - 1;
	/* The byte checks have the slab's states already (the verifier's);
	 * anomalies come one by one. */
	const struct ss_object *objs =
		ss_slot_verifier_objects(c->verifier, s);
	struct ss_object *owned = NULL;
	if (!objs) {
		owned = calloc(s->objects ? s->objects : 1, sizeof(*owned));
		if (!owned)
			return &ss_error_nomem;
		objs = owned;
		struct ss_error *err = ss_model_slab_objects(c->m, s, owned);
		if (err) {
			free(owned);
			if (err->code == SS_ERR_NOMEM)
				return err;
			ss_error_destroy(err);
			return NULL;
		}
	}
	int64_t suspect = -1;
	switch (mode) {
	case SS_SUSPECT_SELF:
	case SS_SUSPECT_USE_AFTER_FREE:
		suspect = idx;
		break;
	case SS_SUSPECT_PREVIOUS:
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
	case SS_SUSPECT_NONE:
		break;
	}
	if (suspect >= 0 && suspect < s->objects) {
		f->has_culprit = true;
		cu->object = objs[suspect].addr;
		cu->state = objs[suspect].state;
		switch (mode) {
		case SS_SUSPECT_SELF:
			cu->relation = SS_CULPRIT_OWN_PAYLOAD_OVERFLOW;
			break;
		case SS_SUSPECT_USE_AFTER_FREE:
			cu->relation = SS_CULPRIT_USE_AFTER_FREE;
			break;
		default:
			cu->relation =
				suspect == idx - 1
					? SS_CULPRIT_PREVIOUS_OBJECT_OVERFLOW
					: SS_CULPRIT_NEAREST_PREVIOUS_OBJECT;
			break;
		}
		ss_track_read(c->tracks, cache, cu->object, cu->state,
			      c->track_flags, &cu->alloc, &cu->free);
	}
	free(owned);
	return NULL;
}

void culprit_deinit(struct ss_culprit *cu)
{
	ss_track_deinit(&cu->alloc);
	ss_track_deinit(&cu->free);
}
