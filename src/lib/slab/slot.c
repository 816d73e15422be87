/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The object slot's public face: each query goes to the cache's allocator
 * ops (slub_slot.c, mm_slab_slot.c), so that no caller asks which
 * allocator a cache belongs to.
 */
#include <stdlib.h>

#include "slot_priv.h"

enum ss_region ss_cache_region(const struct ss_cache *c, int64_t off)
{
	return ss_cache_object_region(c, off, SS_OBJ_UNKNOWN);
}

enum ss_region ss_cache_object_region(const struct ss_cache *c, int64_t off,
				      enum ss_obj_state st)
{
	return c->ops ? c->ops->region(c, off, st) : SS_REGION_NONE;
}

bool ss_cache_objects_have_next(const struct ss_cache *c)
{
	return c->ops && c->ops->objects_have_next;
}

struct ss_track_place ss_cache_track_place(const struct ss_cache *c)
{
	if (!c->ops) {
		struct ss_track_place none = { SS_TRACK_FORM_NONE, 0 };
		return none;
	}
	return c->ops->track_place(c);
}

struct ss_error *ss_slot_verifier_create(struct ss_model *m,
					 struct ss_slot_verifier **ret)
{
	struct ss_slot_verifier *v = calloc(1, sizeof(*v));
	if (!v)
		return &ss_error_nomem;
	v->m = m;
	v->mem = ss_model_target(m)->mem;
	v->facts = calloc(ss_model_ncaches(m) + 1, sizeof(*v->facts));
	if (!v->facts) {
		free(v);
		return &ss_error_nomem;
	}
	*ret = v;
	return NULL;
}

void ss_slot_verifier_destroy(struct ss_slot_verifier *v)
{
	if (!v)
		return;
	free(v->buf);
	free(v->objs);
	free(v->facts);
	free(v);
}

struct ss_error *ss_slot_verify_slab(struct ss_slot_verifier *v, uint32_t ci,
				     const struct ss_slab *s, ss_slot_bad_fn fn,
				     void *arg)
{
	const struct ss_cache *cache = ss_model_cache(v->m, ci);
	if (!cache || !cache->ops)
		return NULL;
	struct ss_slot_scan sc = {
		.v = v, .ci = ci, .cache = cache, .s = s, .fn = fn, .arg = arg,
	};
	return cache->ops->verify_bytes(&sc);
}

const struct ss_object *ss_slot_verifier_objects(
	const struct ss_slot_verifier *v, const struct ss_slab *s)
{
	return v->objs_slab == s ? v->objs : NULL;
}
