/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmem_buckets (CONFIG_SLAB_BUCKETS, 6.11+): kmem_buckets_create() gives
 * a subsystem private copies of the kmalloc caches ("memdup_user-64" for
 * kmalloc-64), so that its objects never share a slab with other kmalloc
 * users.  Each set is an object of the kmem_buckets_cache cache: an array
 * of cache pointers indexed as kmalloc_caches[KMALLOC_NORMAL][].  Reading
 * those objects tells each copy from the kmalloc cache it copies, by
 * address, not by name.  Kernels without the symbol have no copies.
 */
#include <stdlib.h>

#include "model_priv.h"

/* KMALLOC_SHIFT_HIGH + 1 is at most 26 (PAGE_SHIFT 13 + 1, + 12 on
 * SLUB's largest configs): more entries than this is not an array of
 * buckets. */
#define MAX_BUCKETS 64

struct bucket_walk {
	struct ss_model *m;
	uint64_t normal[MAX_BUCKETS]; /* kmalloc_caches[KMALLOC_NORMAL] */
	size_t n;
	const struct ss_addrmap *by_addr;
};

static struct ss_error *one_set(void *arg, const struct ss_slab *s,
				const struct ss_object *o)
{
	(void)s;
	struct bucket_walk *w = arg;
	if (o->state != SS_OBJ_ALLOCATED)
		return NULL;
	uint64_t set[MAX_BUCKETS];
	struct ss_error *err =
		ss_mem_read(w->m->mem, o->addr, set, w->n * sizeof(set[0]));
	if (err) {
		ss_error_destroy(err); /* counted unknown/unreadable already */
		return NULL;
	}
	for (size_t i = 0; i < w->n; i++) {
		uint32_t copy, orig;
		if (!set[i] || set[i] == w->normal[i] ||
		    !ss_addrmap_get(w->by_addr, set[i], &copy) ||
		    !ss_addrmap_get(w->by_addr, w->normal[i], &orig))
			continue;
		w->m->caches[copy].bucket_of = orig;
	}
	return NULL;
}

struct ss_error *ss_model_label_buckets(struct ss_model *m,
					const struct ss_addrmap *by_addr)
{
	uint64_t holder, kc, normal;
	struct ss_error *err =
		ss_target_symbol(m->t, "kmem_buckets_cache", &holder);
	if (!err)
		err = ss_mem_read(m->mem, holder, &kc, sizeof(kc));
	if (!err)
		err = ss_target_symbol(m->t, "kmalloc_caches", &normal);
	if (err) {
		/* No buckets in this kernel, or their holder unreadable:
		 * the copies stay unlabelled; no count depends on it. */
		ss_error_destroy(err);
		return NULL;
	}
	uint32_t bi;
	if (!ss_addrmap_get(by_addr, kc, &bi))
		return NULL;
	struct bucket_walk w = { .m = m, .by_addr = by_addr };
	w.n = m->caches[bi].object_size / sizeof(uint64_t);
	if (w.n == 0 || w.n > MAX_BUCKETS)
		return NULL;
	err = ss_mem_read(m->mem, normal, w.normal, w.n * sizeof(w.normal[0]));
	if (err) {
		ss_error_destroy(err);
		return NULL;
	}
	return ss_model_for_each_object(m, bi, one_set, &w);
}
