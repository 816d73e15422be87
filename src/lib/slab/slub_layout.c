/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SLUB structure layout from DWARF: see slub_layout.h. */
#include <string.h>

#include "slub_layout.h"

#define F(name) offsetof(struct slub_layout, name)

static const struct ss_field_spec kmem_cache_members[] = {
	{ "kmem_cache", "cpu_slab", false, F(kc_cpu_slab) },
	{ "kmem_cache", "cpu_sheaves", false, F(kc_cpu_sheaves) },
	{ "kmem_cache", "sheaf_capacity", false, F(kc_sheaf_capacity) },
	{ "kmem_cache", "min_partial", false, F(kc_min_partial) },
	{ "kmem_cache", "offset", true, F(kc_offset) },
	{ "kmem_cache", "cpu_partial", false, F(kc_cpu_partial) },
	{ "kmem_cache", "oo.x", true, F(kc_oo) },
	{ "kmem_cache", "inuse", true, F(kc_inuse) },
	{ "kmem_cache", "red_left_pad", false, F(kc_red_left_pad) },
	{ "kmem_cache", "random", false, F(kc_random) },
	{ "kmem_cache", "node", false, F(kc_node) },
	{ "kmem_cache", "per_node", false, F(kc_per_node) },
	{ "kmem_cache_node", "nr_partial", true, F(kcn_nr_partial) },
	{ "kmem_cache_node", "partial", true, F(kcn_partial) },
	{ "kmem_cache_node", "nr_slabs", false, F(kcn_nr_slabs) },
	{ "kmem_cache_node", "total_objects", false, F(kcn_total_objects) },
	{ "kmem_cache_node", "full", false, F(kcn_full) },
};

/* Per-CPU slabs and their lockless freelists (to 6.x). */
static const struct ss_field_spec kmem_cache_cpu_members[] = {
	{ "kmem_cache_cpu", "freelist", true, F(kcc_freelist) },
	{ "kmem_cache_cpu", "tid", false, F(kcc_tid) },
	{ "kmem_cache_cpu", "slab|page", true, F(kcc_slab) },
	{ "kmem_cache_cpu", "partial", false, F(kcc_partial) },
};

/* Sheaves: arrays of free objects per CPU and per node (7.x). */
static const struct ss_field_spec sheaf_members[] = {
	{ "slub_percpu_sheaves", "main", true, F(pcs_main) },
	{ "slub_percpu_sheaves", "spare", false, F(pcs_spare) },
	{ "slub_percpu_sheaves", "rcu_free", false, F(pcs_rcu_free) },
	{ "slab_sheaf", "barn_list", false, F(sh_barn_list) },
	{ "slab_sheaf", "cache", false, F(sh_cache) },
	{ "slab_sheaf", "size", true, F(sh_size) },
	{ "slab_sheaf", "objects", true, F(sh_objects) },
	{ "node_barn", "sheaves_full", false, F(barn_full) },
	{ "node_barn", "sheaves_empty", false, F(barn_empty) },
};

/* kmem_cache.per_node[]: the node's kmem_cache_node and its barn. */
static const struct ss_field_spec per_node_members[] = {
	{ "kmem_cache_per_node_ptrs", "node", true, F(pn_node) },
	{ "kmem_cache_per_node_ptrs", "barn", false, F(pn_barn) },
};

#define NSPECS(a) (sizeof(a) / sizeof((a)[0]))

static const struct ss_field_spec slab_members[] = {
	{ NULL, "__page_flags|flags", true, F(sl_flags) },
	{ NULL, "slab_cache", true, F(sl_slab_cache) },
	{ NULL, "freelist", true, F(sl_freelist) },
	{ NULL, "slab_list|lru", true, F(sl_list) },
	{ NULL, "next", false, F(sl_next) },
	{ NULL, "slabs|pages", false, F(sl_slabs) },
	{ NULL, "inuse", true, F(sl_inuse) },
	{ NULL, "objects", true, F(sl_objects) },
	{ NULL, "frozen", true, F(sl_frozen) },
};

/*
 * Per-CPU state is kmem_cache_cpu (cpu_slab) or, since 7.x, sheaves
 * (cpu_sheaves); the nodes are node[] (pointers) or per_node[] ({barn,
 * node}).  Each pair is probed; a kernel with neither is named.
 */
static struct ss_error *resolve_generation(struct ss_dbg *dbg,
					   struct slub_layout *l)
{
	struct ss_error *err = NULL;
	if (l->kc_cpu_slab.present)
		err = ss_fields_resolve(dbg, kmem_cache_cpu_members,
					NSPECS(kmem_cache_cpu_members), NULL,
					l);
	else if (l->kc_cpu_sheaves.present)
		err = ss_fields_resolve(dbg, sheaf_members,
					NSPECS(sheaf_members), NULL, l);
	else
		return ss_error_create(SS_ERR_MISSING,
				       "%s: struct kmem_cache has neither "
				       "cpu_slab nor cpu_sheaves: not a kernel "
				       "this version of slabscope knows",
				       ss_dbg_path(dbg));
	if (err)
		return err;
	if (l->kc_node.present) {
		l->node_array = l->kc_node;
		l->node_stride = 8;
		l->pn_node = (struct ss_field){ .present = true, .size = 8 };
		return NULL;
	}
	if (!l->kc_per_node.present)
		return ss_error_create(SS_ERR_MISSING,
				       "%s: struct kmem_cache has neither node "
				       "nor per_node: not a kernel this "
				       "version of slabscope knows",
				       ss_dbg_path(dbg));
	err = ss_fields_resolve(dbg, per_node_members, NSPECS(per_node_members),
				NULL, l);
	if (!err)
		err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT,
				       "kmem_cache_per_node_ptrs",
				       &l->node_stride);
	l->node_array = l->kc_per_node;
	if (!err && (l->node_stride < 8 || l->node_stride > 64))
		err = ss_error_create(SS_ERR_CORRUPT,
				      "%s: struct kmem_cache_per_node_ptrs "
				      "of %llu bytes",
				      ss_dbg_path(dbg),
				      (unsigned long long)l->node_stride);
	return err;
}

struct ss_error *slub_layout_resolve(struct ss_dbg *dbg, struct slub_layout *l)
{
	memset(l, 0, sizeof(*l));
	struct ss_error *err = ss_fields_resolve(
		dbg, kmem_cache_members, NSPECS(kmem_cache_members), NULL, l);
	if (!err)
		err = resolve_generation(dbg, l);
	if (err)
		return err;
	/* struct slab split off struct page in 5.17; before, the same
	 * fields live in struct page. */
	l->has_struct_slab =
		ss_dbg_has_type_near(dbg, SS_TYPE_STRUCT, "slab") &&
		ss_dbg_has_member(dbg, SS_TYPE_STRUCT, "slab", "slab_cache");
	const char *slab_type = l->has_struct_slab ? "slab" : "page";
	err = ss_fields_resolve(dbg, slab_members, NSPECS(slab_members),
				slab_type, l);
	if (err)
		return err;
	err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "kmem_cache", &l->kc_sizeof);
	if (!err)
		err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT, slab_type,
				       &l->slab_sizeof);
	if (err)
		return err; /* the debug info's errors name the file */
	return NULL;
}
