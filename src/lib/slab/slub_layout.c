/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SLUB structure layout from DWARF: see slub_layout.h. */
#include <string.h>

#include "slub_layout.h"

#define F(name) offsetof(struct slub_layout, name)

static const struct ss_field_spec kmem_cache_members[] = {
	{ "kmem_cache", "cpu_slab", true, F(kc_cpu_slab) },
	{ "kmem_cache", "flags", true, F(kc_flags) },
	{ "kmem_cache", "min_partial", false, F(kc_min_partial) },
	{ "kmem_cache", "size", true, F(kc_size) },
	{ "kmem_cache", "object_size", true, F(kc_object_size) },
	{ "kmem_cache", "offset", true, F(kc_offset) },
	{ "kmem_cache", "cpu_partial", false, F(kc_cpu_partial) },
	{ "kmem_cache", "oo.x", true, F(kc_oo) },
	{ "kmem_cache", "refcount", false, F(kc_refcount) },
	{ "kmem_cache", "ctor", false, F(kc_ctor) },
	{ "kmem_cache", "inuse", true, F(kc_inuse) },
	{ "kmem_cache", "align", false, F(kc_align) },
	{ "kmem_cache", "red_left_pad", false, F(kc_red_left_pad) },
	{ "kmem_cache", "name", true, F(kc_name) },
	{ "kmem_cache", "list", true, F(kc_list) },
	{ "kmem_cache", "random", false, F(kc_random) },
	{ "kmem_cache", "node", true, F(kc_node) },
	{ "kmem_cache_cpu", "freelist", true, F(kcc_freelist) },
	{ "kmem_cache_cpu", "tid", false, F(kcc_tid) },
	{ "kmem_cache_cpu", "slab|page", true, F(kcc_slab) },
	{ "kmem_cache_cpu", "partial", false, F(kcc_partial) },
	{ "kmem_cache_node", "nr_partial", true, F(kcn_nr_partial) },
	{ "kmem_cache_node", "partial", true, F(kcn_partial) },
	{ "kmem_cache_node", "nr_slabs", false, F(kcn_nr_slabs) },
	{ "kmem_cache_node", "total_objects", false, F(kcn_total_objects) },
	{ "kmem_cache_node", "full", false, F(kcn_full) },
};

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

struct ss_error *slub_layout_resolve(struct ss_dbg *dbg, struct slub_layout *l)
{
	memset(l, 0, sizeof(*l));
	struct ss_error *err = ss_fields_resolve(
		dbg, kmem_cache_members,
		sizeof(kmem_cache_members) / sizeof(kmem_cache_members[0]),
		NULL, l);
	if (err)
		return err;
	/* struct slab split off struct page in 5.17; before, the same
	 * fields live in struct page. */
	l->has_struct_slab =
		ss_dbg_has_member(dbg, SS_TYPE_STRUCT, "slab", "slab_cache");
	const char *slab_type = l->has_struct_slab ? "slab" : "page";
	err = ss_fields_resolve(dbg, slab_members,
				sizeof(slab_members) / sizeof(slab_members[0]),
				slab_type, l);
	if (err)
		return err;
	err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "kmem_cache", &l->kc_sizeof);
	if (!err)
		err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT, slab_type,
				       &l->slab_sizeof);
	if (err)
		return ss_error_prepend(err, "%s", ss_dbg_path(dbg));
	return NULL;
}
