/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Offsets of the SLUB structures, resolved once from DWARF.  A required
 * member that is missing is an error naming it; optional members (config-
 * or version-dependent) have present == false.  Kernel versions are told
 * apart only by which members exist: struct slab (5.17+) or struct page,
 * kmem_cache_cpu.slab or .page, slab_list or lru, slabs or pages.
 */
#ifndef SS_SLUB_LAYOUT_H
#define SS_SLUB_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include <slabscope/dbg.h>
#include <slabscope/error.h>

#include "field.h"

struct slub_layout {
	/* struct kmem_cache */
	uint64_t kc_sizeof;
	/* (list, name, flags, size, object_size, align, refcount and ctor
	 * are every allocator's: caches.c reads them) */
	struct ss_field kc_cpu_slab, kc_min_partial, kc_offset, kc_cpu_partial,
		kc_oo, kc_inuse, kc_red_left_pad, kc_random, kc_node,
		kc_cpu_sheaves, kc_sheaf_capacity, kc_per_node;
	/* The nodes: node[] of pointers, or per_node[] of {barn, node}:
	 * node_array is whichever exists, node_stride its element size,
	 * pn_node / pn_barn the pointers' offsets in an element. */
	struct ss_field node_array, pn_node, pn_barn;
	uint64_t node_stride;
	/* struct kmem_cache_cpu (cpu_slab) */
	struct ss_field kcc_freelist, kcc_tid, kcc_slab, kcc_partial;
	/* Sheaves (cpu_sheaves): struct slub_percpu_sheaves, slab_sheaf,
	 * node_barn */
	struct ss_field pcs_main, pcs_spare, pcs_rcu_free;
	struct ss_field sh_barn_list, sh_cache, sh_size, sh_objects;
	struct ss_field barn_full, barn_empty;
	/* struct kmem_cache_node */
	struct ss_field kcn_nr_partial, kcn_partial, kcn_nr_slabs,
		kcn_total_objects, kcn_full;
	/* struct slab (or struct page on older kernels) */
	bool has_struct_slab;
	uint64_t slab_sizeof;
	struct ss_field sl_flags, sl_slab_cache, sl_freelist, sl_list, sl_next,
		sl_slabs, sl_inuse, sl_objects, sl_frozen;
};

struct ss_error *slub_layout_resolve(struct ss_dbg *dbg,
				     struct slub_layout *l);


#endif
