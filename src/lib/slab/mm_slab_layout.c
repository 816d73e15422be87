/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SLAB structure layout from DWARF: see slab_layout.h. */
#include <stddef.h>
#include <string.h>

#include "mm_slab_layout.h"

#define F(name) offsetof(struct slab_layout, name)

static const struct ss_field_spec members[] = {
	{ "kmem_cache", "cpu_cache", true, F(kc_cpu_cache) },
	{ "kmem_cache", "limit", false, F(kc_limit) },
	{ "kmem_cache", "batchcount", false, F(kc_batchcount) },
	{ "kmem_cache", "shared", false, F(kc_shared) },
	{ "kmem_cache", "num", true, F(kc_num) },
	{ "kmem_cache", "gfporder", true, F(kc_gfporder) },
	{ "kmem_cache", "colour_off", false, F(kc_colour_off) },
	{ "kmem_cache", "obj_offset", false, F(kc_obj_offset) },
	{ "kmem_cache", "node", true, F(kc_node) },
	{ "array_cache", "avail", true, F(ac_avail) },
	{ "array_cache", "limit", true, F(ac_limit) },
	{ "array_cache", "entry", true, F(ac_entry) },
	{ "alien_cache", "ac", false, F(alien_ac) },
	{ "kmem_cache_node", "slabs_partial", true, F(kcn_slabs_partial) },
	{ "kmem_cache_node", "slabs_full", true, F(kcn_slabs_full) },
	{ "kmem_cache_node", "slabs_free", true, F(kcn_slabs_free) },
	{ "kmem_cache_node", "total_slabs", false, F(kcn_total_slabs) },
	{ "kmem_cache_node", "free_slabs", false, F(kcn_free_slabs) },
	{ "kmem_cache_node", "free_objects", true, F(kcn_free_objects) },
	{ "kmem_cache_node", "shared", true, F(kcn_shared) },
	{ "kmem_cache_node", "alien", false, F(kcn_alien) },
};

/* struct slab split off struct page in 5.17; before, SLAB kept the same
 * fields in struct page (slab_list or lru, s_mem, active). */
static const struct ss_field_spec slab_members[] = {
	{ NULL, "slab_list|lru", true, F(sl_list) },
	{ NULL, "slab_cache", true, F(sl_slab_cache) },
	{ NULL, "freelist", true, F(sl_freelist) },
	{ NULL, "s_mem", true, F(sl_s_mem) },
	{ NULL, "active", true, F(sl_active) },
};

struct ss_error *slab_layout_resolve(struct ss_dbg *dbg, struct slab_layout *l)
{
	memset(l, 0, sizeof(*l));
	struct ss_error *err = ss_fields_resolve(
		dbg, members, sizeof(members) / sizeof(members[0]), NULL, l);
	const char *slab_type =
		ss_dbg_has_member(dbg, SS_TYPE_STRUCT, "slab", "s_mem") ? "slab"
									: "page";
	if (!err)
		err = ss_fields_resolve(dbg, slab_members,
					sizeof(slab_members) /
						sizeof(slab_members[0]),
					slab_type, l);
	if (!err)
		err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "kmem_cache",
				       &l->kc_sizeof);
	if (!err)
		err = ss_dbg_type_size(dbg, SS_TYPE_TYPEDEF, "freelist_idx_t",
				       &l->idx_size);
	if (err)
		return err; /* the debug info's errors name the file */
	if (l->idx_size != 1 && l->idx_size != 2)
		return ss_error_create(SS_ERR_CORRUPT,
				       "%s: freelist_idx_t of %llu bytes",
				       ss_dbg_path(dbg),
				       (unsigned long long)l->idx_size);
	return NULL;
}
