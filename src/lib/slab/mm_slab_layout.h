/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Offsets of the SLAB allocator's structures (CONFIG_SLAB: mm/slab.c,
 * include/linux/slab_def.h), resolved once from DWARF.  Required members
 * missing are an error naming them; optional ones (DEBUG_SLAB's
 * obj_offset, the node's slab counters) have present == false.
 */
#ifndef SS_MM_SLAB_LAYOUT_H
#define SS_MM_SLAB_LAYOUT_H

#include <slabscope/dbg.h>
#include <slabscope/error.h>

#include "field.h"

struct slab_layout {
	uint64_t kc_sizeof;
	/* (list, name, flags, size, object_size, align, refcount and ctor
	 * are every allocator's: caches.c reads them) */
	struct ss_field kc_cpu_cache, kc_limit, kc_batchcount, kc_shared,
		kc_num, kc_gfporder, kc_colour_off, kc_obj_offset, kc_node;
	/* struct array_cache, struct alien_cache */
	struct ss_field ac_avail, ac_limit, ac_entry, alien_ac;
	/* struct kmem_cache_node */
	struct ss_field kcn_slabs_partial, kcn_slabs_full, kcn_slabs_free,
		kcn_total_slabs, kcn_free_slabs, kcn_free_objects, kcn_shared,
		kcn_alien;
	/* struct slab (5.17+) or struct page */
	struct ss_field sl_list, sl_slab_cache, sl_freelist, sl_s_mem,
		sl_active;
	/* sizeof(freelist_idx_t): 1 or 2 */
	uint64_t idx_size;
};

struct ss_error *slab_layout_resolve(struct ss_dbg *dbg, struct slab_layout *l);

#endif
