/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A synthetic SLAB kernel for unit tests and the fuzzer: Linux 6.1 with
 * CONFIG_SLAB and CONFIG_DEBUG_SLAB on x86-64 (tests/unit/data/slab_types.c
 * gives the types), built in the image of a struct synth (synth.h: the
 * memory image, the DWARF, the symbols, the mm variables, the per-CPU
 * areas and the page frames are shared with the SLUB builder).
 *
 * The builder writes what mm/slab.c would: new slabs as cache_grow_begin()
 * leaves them (alloc_slabmgmt(): s_mem at the colour offset, the freelist
 * index array on the slab, in an object (OBJFREELIST_SLAB) or off the slab;
 * cache_init_objs_debug(): RED_INACTIVE, poison, a NULL user word), then
 * every object allocated as cache_alloc_debugcheck_after() leaves it
 * (POISON_INUSE, the user word, RED_ACTIVE, then the user's bytes).  Frees
 * are cache_free_debugcheck() (RED_INACTIVE, the user word, POISON_FREE)
 * followed by slab_put_obj() (active--, the index at entry active) or by
 * an array cache taking the object (its raw slot address in entry[]).
 * synth_slab_finish() puts each slab on the node list its active count
 * says and writes the node's counters as cache_grow_end() keeps them.
 *
 * Offsets are written from the fixture kernel's layout (gdb ptype/o on the
 * 6.1.192-slabscope-slab vmlinux), not read back from the DWARF, so a
 * wrong offset in the library's DWARF reading shows.
 */
#ifndef SS_TESTS_SYNTH_SLAB_H
#define SS_TESTS_SYNTH_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "synth.h"

/* include/linux/poison.h */
#define SK_RED_INACTIVE 0x09F911029D74E35BULL
#define SK_RED_ACTIVE 0xD84156C5635688C0ULL
#define SK_POISON_INUSE 0x5a
#define SK_POISON_FREE 0x6b
#define SK_POISON_END 0xa5

/* mm/slab.c */
#define SK_CFLGS_OBJFREELIST 0x40000000ULL
#define SK_CFLGS_OFF_SLAB 0x80000000ULL
#define SK_CACHE_LINE 64
/* enable_cpucache() with DEBUG: limit capped at 32, shared 8. */
#define SK_AC_LIMIT 32
#define SK_SHARED_LIMIT (8 * 16)

/* The fixture's layout. */
#define SK_KC_CPU_CACHE 0
#define SK_KC_BATCHCOUNT 8
#define SK_KC_LIMIT 12
#define SK_KC_SHARED 16
#define SK_KC_SIZE 20
#define SK_KC_FLAGS 32
#define SK_KC_NUM 36
#define SK_KC_GFPORDER 40
#define SK_KC_COLOUR 48
#define SK_KC_COLOUR_OFF 56
#define SK_KC_FREELIST_SIZE 60
#define SK_KC_CTOR 64
#define SK_KC_NAME 72
#define SK_KC_LIST 80
#define SK_KC_REFCOUNT 96
#define SK_KC_OBJECT_SIZE 100
#define SK_KC_ALIGN 104
#define SK_KC_OBJ_OFFSET 208
#define SK_KC_NODE 232
#define SK_KC_SIZEOF 744
#define SK_AC_AVAIL 0
#define SK_AC_LIMIT_OFF 4
#define SK_AC_BATCHCOUNT 8
#define SK_AC_TOUCHED 12
#define SK_AC_ENTRY 16
#define SK_ALIEN_AC 8
#define SK_KCN_PARTIAL 8
#define SK_KCN_FULL 24
#define SK_KCN_FREE 40
#define SK_KCN_TOTAL_SLABS 56
#define SK_KCN_FREE_SLABS 64
#define SK_KCN_FREE_OBJECTS 72
#define SK_KCN_FREE_LIMIT 80
#define SK_KCN_COLOUR_NEXT 84
#define SK_KCN_SHARED 88
#define SK_KCN_ALIEN 96
#define SK_KCN_SIZEOF 120
#define SK_SL_FLAGS 0
#define SK_SL_LIST 8
#define SK_SL_CACHE 24
#define SK_SL_FREELIST 32
#define SK_SL_S_MEM 40
#define SK_SL_ACTIVE 48
#define SK_PG_COMPOUND_HEAD 8
#define SK_PG_COMPOUND_ORDER 17
#define SK_PAGE_SIZEOF 56

/* Where the freelist index array lives. */
enum synth_fl {
	SYNTH_FL_AUTO,       /* as __kmem_cache_create() picks it */
	SYNTH_FL_ON_SLAB,    /* at the end of the slab's pages */
	SYNTH_FL_OBJFREELIST, /* in a free object (CFLGS_OBJFREELIST_SLAB) */
	SYNTH_FL_OFF_SLAB,   /* kmalloc'ed (CFLGS_OFF_SLAB) */
};

struct synth_slab_cache_spec {
	const char *name;
	uint32_t object_size;
	uint64_t flags;  /* SLAB_RED_ZONE, SLAB_POISON, SLAB_STORE_USER */
	unsigned order;  /* gfporder */
	uint64_t ctor;
	enum synth_fl placement;
	bool no_shared;  /* no shared array cache on the node */
};

struct synth_slab_cache {
	uint64_t addr;      /* struct kmem_cache */
	uint64_t node;      /* its kmem_cache_node (node 0) */
	uint64_t cpu_cache; /* the __percpu offset of the array caches */
	uint64_t shared;    /* node 0's shared array_cache (0: none) */
	uint64_t alien;     /* node 0's alien_cache (for node 1; 0: none) */
	char name[64];
	uint64_t flags;     /* with CFLGS_* */
	uint32_t object_size, size, obj_offset, num, colour;
	unsigned order;
	enum synth_fl placement;
	uint64_t ctor;
};

/* Object states as the builder made them. */
enum synth_slab_state {
	SK_ALLOC,      /* allocated */
	SK_FREE,       /* free in its slab's index array */
	SK_AC_CPU,     /* in a CPU's array cache */
	SK_AC_SHARED,  /* in the node's shared array cache */
	SK_AC_ALIEN,   /* in an alien cache */
};

struct synth_slab_slab {
	int cache;
	uint64_t page;     /* struct slab */
	uint64_t base;     /* first byte of its pages */
	uint64_t s_mem;    /* first slot */
	uint64_t freelist; /* the index array (0: none, a full OBJFREELIST slab) */
	uint64_t pfn;
	unsigned order;
	uint32_t num, active;
	uint8_t *idx;      /* the index array as written */
	uint8_t *state;    /* enum synth_slab_state */
	bool unlisted;     /* synth_slab_finish() leaves it off the lists */
};

struct synth_slabk;

/* A synthetic SLAB kernel with the types of so_path (a build of
 * slab_types.c).  NULL on failure (message on stderr). */
struct synth_slabk *synth_slab_create(const char *so_path);
void synth_slab_destroy(struct synth_slabk *k);
/* The underlying synth: its raw writers, target and image apply. */
struct synth *synth_slab_base(struct synth_slabk *k);

int synth_slab_add_cache(struct synth_slabk *k,
			 const struct synth_slab_cache_spec *spec);
struct synth_slab_cache *synth_slab_cache(struct synth_slabk *k, int id);
int synth_slab_ncaches(struct synth_slabk *k);

/* A slab of cache with every object allocated (active = num), s_mem at
 * colour cache lines into it (colour < the cache's colour). */
int synth_slab_add_slab(struct synth_slabk *k, int cache, uint32_t colour);
struct synth_slab_slab *synth_slab_slab(struct synth_slabk *k, int id);
int synth_slab_nslabs(struct synth_slabk *k);
/* Raw slot address (what array caches hold) and object address. */
uint64_t synth_slab_raw(struct synth_slabk *k, int slab, uint32_t idx);
uint64_t synth_slab_obj(struct synth_slabk *k, int slab, uint32_t idx);
/* Address of the red zone words and the user word of an object. */
uint64_t synth_slab_redzone1(struct synth_slabk *k, int slab, uint32_t idx);
uint64_t synth_slab_redzone2(struct synth_slabk *k, int slab, uint32_t idx);
uint64_t synth_slab_userword(struct synth_slabk *k, int slab, uint32_t idx);

/* Free objects idx[0..n) of slab back into it, in that order. */
void synth_slab_free(struct synth_slabk *k, int slab, const uint32_t *idx,
		     size_t n);
/* Free them into CPU cpu's array cache / the node's shared one / node 0's
 * alien cache for node 1 (which makes nr_node_ids 2): still active to
 * their slab. */
void synth_slab_free_cpu(struct synth_slabk *k, int slab, int cpu,
			 const uint32_t *idx, size_t n);
void synth_slab_free_shared(struct synth_slabk *k, int slab,
			    const uint32_t *idx, size_t n);
void synth_slab_free_alien(struct synth_slabk *k, int slab,
			   const uint32_t *idx, size_t n);
/* Node lists and counters of every cache from its slabs' states. */
void synth_slab_finish(struct synth_slabk *k);
/* Address of CPU cpu's array_cache of cache. */
uint64_t synth_slab_cpu_ac(struct synth_slabk *k, int cache, int cpu);

#endif
