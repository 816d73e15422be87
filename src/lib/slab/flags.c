/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmem_cache.flags, whatever the kernel's numbering: the legacy SLAB_*
 * values (slabscope/slab_flags.h) until 6.9, bit numbers from enum
 * _slab_flag_bits since 6.10 (which ones exist depends on the config).
 * The model reads a kernel's flags through ss_flag_map_apply(), so that
 * the checks, reports and browser test one set of bits.
 */
#include <string.h>

#include "model_priv.h"

/* Every flag slabscope knows: its value in slab_flags.h and its name, the
 * kernel's enumerator without the "_SLAB_" prefix. */
static const struct {
	uint64_t bit;
	const char *name;
} flags[] = {
	{ SS_SLAB_CONSISTENCY_CHECKS, "CONSISTENCY_CHECKS" },
	{ SS_SLAB_RED_ZONE, "RED_ZONE" },
	{ SS_SLAB_POISON, "POISON" },
	{ SS_SLAB_KMALLOC, "KMALLOC" },
	{ SS_SLAB_HWCACHE_ALIGN, "HWCACHE_ALIGN" },
	{ SS_SLAB_CACHE_DMA, "CACHE_DMA" },
	{ SS_SLAB_CACHE_DMA32, "CACHE_DMA32" },
	{ SS_SLAB_STORE_USER, "STORE_USER" },
	{ SS_SLAB_RECLAIM_ACCOUNT, "RECLAIM_ACCOUNT" },
	{ SS_SLAB_PANIC, "PANIC" },
	{ SS_SLAB_TYPESAFE_BY_RCU, "TYPESAFE_BY_RCU" },
	{ SS_SLAB_MEM_SPREAD, "MEM_SPREAD" },
	{ SS_SLAB_TRACE, "TRACE" },
	{ SS_SLAB_DEBUG_OBJECTS, "DEBUG_OBJECTS" },
	{ SS_SLAB_NOLEAKTRACE, "NOLEAKTRACE" },
	{ SS_SLAB_NO_MERGE, "NO_MERGE" },
	{ SS_SLAB_FAILSLAB, "FAILSLAB" },
	{ SS_SLAB_ACCOUNT, "ACCOUNT" },
	{ SS_SLAB_KASAN, "KASAN" },
	{ SS_SLAB_NO_USER_FLAGS, "NO_USER_FLAGS" },
	{ SS_SLAB_SKIP_KFENCE, "SKIP_KFENCE" },
	{ SS_SLAB_CMPXCHG_DOUBLE, "CMPXCHG_DOUBLE" },
	{ SS_SLAB_OBJECT_POISON, "OBJECT_POISON" },
};
#define NFLAGS (sizeof(flags) / sizeof(flags[0]))

void ss_cache_flag_names(uint64_t f, void (*fn)(void *arg, const char *name),
			 void *arg)
{
	for (size_t i = 0; i < NFLAGS; i++)
		if (f & flags[i].bit)
			fn(arg, flags[i].name);
}

struct ss_error *ss_flag_map_resolve(struct ss_dbg *dbg, struct ss_flag_map *map)
{
	memset(map, 0, sizeof(*map));
	int64_t v;
	bool found;
	/* mm/slub.c uses SLAB_RED_ZONE: where it is numbered, its unit's
	 * DWARF has the enum; a kernel without it pays no scan of all
	 * DWARF for its absence. */
	struct ss_error *err =
		ss_dbg_enumerator_near(dbg, "_SLAB_RED_ZONE", &v, &found);
	if (err || !found)
		return err; /* the legacy values: nothing to translate */
	map->numbered = true;
	for (size_t i = 0; i < NFLAGS; i++) {
		char name[64] = "_SLAB_";
		strncat(name, flags[i].name, sizeof(name) - strlen(name) - 1);
		/* The same enum as _SLAB_RED_ZONE, in the same units: a
		 * flag this config lacks (_SLAB_MEM_SPREAD, gone in 6.9)
		 * costs no scan of every unit either. */
		err = ss_dbg_enumerator_near(dbg, name, &v, &found);
		if (err)
			return err;
		if (!found)
			continue; /* not in this kernel's config */
		if (v < 0 || v > 63)
			return ss_error_create(SS_ERR_CORRUPT,
					       "%s: enumerator %s is %lld",
					       ss_dbg_path(dbg), name,
					       (long long)v);
		map->from[v] = flags[i].bit;
	}
	return NULL;
}

uint64_t ss_flag_map_apply(const struct ss_flag_map *map, uint64_t raw)
{
	if (!map->numbered)
		return raw;
	uint64_t out = 0;
	for (unsigned b = 0; b < 64; b++)
		if (raw >> b & 1)
			out |= map->from[b];
	return out;
}
