/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every object of one cache, slab by slab: what objects, tasks and leaks
 * all walk. */
#include <stdlib.h>

#include <slabscope/slab.h>

struct ss_error *ss_model_for_each_object(
	const struct ss_model *m, uint32_t ci,
	struct ss_error *(*fn)(void *arg, const struct ss_slab *s,
			       const struct ss_object *o),
	void *arg)
{
	const struct ss_cache *c = ss_model_cache(m, ci);
	if (!c)
		return ss_error_create(SS_ERR_INVALID, "no cache %u", ci);
	size_t nslabs, cap = 0;
	const struct ss_slab *slabs = ss_model_slabs(m, &nslabs);
	struct ss_object *objs = NULL;
	struct ss_error *err = NULL;
	for (size_t si = c->first_slab; !err && si < c->first_slab + c->nslabs;
	     si++) {
		const struct ss_slab *s = &slabs[si];
		if (s->objects > cap) {
			struct ss_object *n = realloc(objs, s->objects * sizeof(*n));
			if (!n) {
				err = &ss_error_nomem;
				break;
			}
			objs = n;
			cap = s->objects;
		}
		err = ss_model_slab_objects(m, s, objs);
		for (uint32_t i = 0; !err && i < s->objects; i++)
			err = fn(arg, s, &objs[i]);
	}
	free(objs);
	return err;
}
