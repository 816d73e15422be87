/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A synthetic SLUB kernel for unit tests: an ss_memimage holding caches,
 * struct pages, slabs, per-CPU and per-node state laid out as Linux 6.1
 * does (tests/unit/data/slub_types.c gives the types), and an ss_target
 * that answers symbols from a small table.  ss_model_load() and
 * ss_check_run() then run on it exactly as on a dump.
 *
 * The builder writes what mm/slub.c would: new slabs as allocate_slab()
 * leaves them (setup_slab_debug(), setup_object(), the initial free
 * chain), allocated objects as alloc_debug_processing() does (red zones
 * SLUB_RED_ACTIVE, alloc track, orig_size), freed objects as
 * free_debug_processing() and set_freepointer() do (SLUB_RED_INACTIVE,
 * poison, free track, the hardened free pointer).  Tests then break the
 * state with the raw writers.
 *
 * Offsets are written from the 6.1 layout known here, not read back from
 * the DWARF, so a wrong offset in the library's DWARF reading shows.
 */
#ifndef SS_TESTS_SYNTH_H
#define SS_TESTS_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/memory.h>
#include <slabscope/slab.h>
#include <slabscope/target.h>

#define SYNTH_PAGE_SIZE 4096ULL
#define SYNTH_PAGE_OFFSET 0xffff888000000000ULL
#define SYNTH_VMEMMAP 0xffffea0000000000ULL
/* Page frames [0, SYNTH_MAX_PFN): the direct map the slabs live in. */
#define SYNTH_MAX_PFN 512ULL
/* First pfn given to slabs (the pages below are plain, non-slab pages). */
#define SYNTH_FIRST_PFN 16ULL
/* Kernel data: kmem_caches, nodes, names, per-CPU areas, variables. */
#define SYNTH_HEAP 0xffffc90000000000ULL
#define SYNTH_HEAP_SIZE (1ULL << 20)
#define SYNTH_NR_CPUS 2
#define SYNTH_HZ 250
#define SYNTH_JIFFIES 0x100020000ULL

/* include/linux/slab.h, mm/slub.c */
#define SLAB_CONSISTENCY_CHECKS 0x00000100ULL
#define SLAB_RED_ZONE 0x00000400ULL
#define SLAB_POISON 0x00000800ULL
#define SLAB_KMALLOC 0x00001000ULL
#define SLAB_HWCACHE_ALIGN 0x00002000ULL
#define SLAB_STORE_USER 0x00010000ULL
#define SLAB_TYPESAFE_BY_RCU 0x00080000ULL
#define OBJECT_POISON 0x80000000ULL
/* slub_debug=FZPU */
#define SLUB_DEBUG_FZPU                                                    \
	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON |            \
	 SLAB_STORE_USER)

/* include/linux/poison.h */
#define SYNTH_RED_ACTIVE 0xcc
#define SYNTH_RED_INACTIVE 0xbb
#define SYNTH_POISON_FREE 0x6b
#define SYNTH_POISON_END 0xa5
#define SYNTH_POISON_INUSE 0x5a

/* The 6.1 layout (pahole on vmlinux-6.1.0-56-cloud-amd64). */
#define KC_CPU_SLAB 0
#define KC_FLAGS 8
#define KC_MIN_PARTIAL 16
#define KC_SIZE 24
#define KC_OBJECT_SIZE 28
#define KC_OFFSET 40
#define KC_CPU_PARTIAL 44
#define KC_OO 52
#define KC_MIN 56
#define KC_REFCOUNT 64
#define KC_CTOR 72
#define KC_INUSE 80
#define KC_ALIGN 84
#define KC_RED_LEFT_PAD 88
#define KC_NAME 96
#define KC_LIST 104
#define KC_RANDOM 184
#define KC_NODE 216
#define KC_SIZEOF 8408
#define KCC_FREELIST 0
#define KCC_TID 8
#define KCC_SLAB 16
#define KCC_PARTIAL 24
#define KCC_SIZEOF 32
#define KCN_NR_PARTIAL 8
#define KCN_PARTIAL 16
#define KCN_NR_SLABS 32
#define KCN_TOTAL_OBJECTS 40
#define KCN_FULL 48
#define KCN_SIZEOF 64
#define SL_FLAGS 0
#define SL_LIST 8
#define SL_NEXT 8
#define SL_SLABS 16
#define SL_CACHE 24
#define SL_FREELIST 32
#define SL_COUNTERS 40 /* inuse:16, objects:15, frozen:1 */
#define PG_COMPOUND_HEAD 8
#define PAGE_SIZEOF 64
#define PG_SLAB_BIT 9
#define PG_HEAD_BIT 16
#define TRACK_SIZEOF 32
#define TRACK_ADDR 0
#define TRACK_HANDLE 8
#define TRACK_CPU 12
#define TRACK_PID 16
#define TRACK_WHEN 24

enum synth_track { SYNTH_TRACK_ALLOC, SYNTH_TRACK_FREE };

/* What a cache is made of.  Zero size: size, offset, inuse, red_left_pad
 * computed as mm/slub.c calculate_sizes() does (flags may then gain
 * OBJECT_POISON). */
struct synth_cache_spec {
	const char *name;
	uint32_t object_size;
	uint64_t flags;
	uint32_t size, offset, inuse, red_left_pad;
	uint32_t align;   /* 0: 8 */
	unsigned order;   /* slab order */
	uint64_t ctor;
	/* How free pointers are stored (SS_FP_PLAIN on a kernel built
	 * without random in kmem_cache). */
	enum ss_fp_encoding enc;
	uint64_t random;
};

struct synth_cache {
	uint64_t addr; /* struct kmem_cache */
	uint64_t node; /* its kmem_cache_node (node 0) */
	uint64_t cpu_slab; /* the __percpu offset */
	char name[64];
	uint64_t flags;
	uint32_t object_size, size, offset, inuse, red_left_pad, align;
	unsigned order;
	uint32_t objects; /* per slab (oo) */
	uint64_t ctor;
	enum ss_fp_encoding enc;
	uint64_t random;
};

/* Object states as the builder made them. */
enum synth_state { SYNTH_ALLOC, SYNTH_FREE, SYNTH_CPU_FREE };

struct synth_slab {
	int cache;
	uint64_t page; /* struct slab */
	uint64_t base; /* first byte of the slab */
	uint64_t pfn;
	unsigned order;
	uint32_t objects;
	uint64_t *obj;  /* allocator addresses */
	uint8_t *state; /* enum synth_state */
	uint32_t nfree; /* on its own freelist */
};

struct synth;

/* A synthetic kernel with the types of so_path (a build of
 * slub_types.c).  NULL on failure (message on stderr). */
struct synth *synth_create(const char *so_path);
void synth_destroy(struct synth *s);
const struct ss_target *synth_target(struct synth *s);
struct ss_memimage *synth_image(struct synth *s);
/* The memory the model reads (a test may give it callbacks of its own,
 * such as holds). */
struct ss_memory *synth_memory(struct synth *s);

/* Caches and slabs; the returned ids index synth_cache()/synth_slab(). */
int synth_add_cache(struct synth *s, const struct synth_cache_spec *spec);
struct synth_cache *synth_cache(struct synth *s, int id);
/* A slab of nobjects (0: the cache's oo) objects, all allocated, on no
 * list; counted in the node's nr_slabs / total_objects. */
int synth_add_slab(struct synth *s, int cache, uint32_t nobjects);
struct synth_slab *synth_slab(struct synth *s, int id);
uint64_t synth_obj(struct synth *s, int slab, uint32_t idx);

/* Free the objects idx[0..n) of slab, chained in that order, onto the
 * slab's own freelist (slab->freelist, inuse = objects - n). */
void synth_slab_freelist(struct synth *s, int slab, const uint32_t *idx,
			 size_t n);
/* Make slab CPU cpu's slab (frozen) with idx[0..n) on the CPU's lockless
 * freelist (c->freelist). */
void synth_cpu_slab(struct synth *s, int slab, int cpu, const uint32_t *idx,
		    size_t n);
/* CPU cpu's partial list (frozen slabs linked through slab->next). */
void synth_cpu_partial(struct synth *s, int cache, int cpu,
		       const int *slabs, size_t n);
/* The node's partial / full list, with nr_partial = n for the partial one. */
void synth_node_partial(struct synth *s, int cache, const int *slabs,
			size_t n);
void synth_node_full(struct synth *s, int cache, const int *slabs, size_t n);

/* The stored form of free pointer ptr kept at ptr_addr. */
uint64_t synth_encode(const struct synth_cache *c, uint64_t ptr,
		      uint64_t ptr_addr);
/* Store free pointer next in object obj (encoded). */
void synth_set_freeptr(struct synth *s, int cache, uint64_t obj,
		       uint64_t next);
/* Write a track of object obj. */
void synth_set_track(struct synth *s, int cache, uint64_t obj,
		     enum synth_track which, uint64_t addr, uint32_t handle,
		     int cpu, int pid, uint64_t when);
/* A stack in the stack depot; returns its handle. */
uint32_t synth_depot_add(struct synth *s, const uint64_t *entries, size_t n);
/* Link-time address of a symbol of the types file (a function). */
uint64_t synth_dbg_symbol(struct synth *s, const char *name);

/* Raw memory. */
void synth_write(struct synth *s, uint64_t addr, const void *data,
		 size_t len);
void synth_fill(struct synth *s, uint64_t addr, int byte, size_t len);
void synth_write_u64(struct synth *s, uint64_t addr, uint64_t v);
void synth_write_u32(struct synth *s, uint64_t addr, uint32_t v);
void synth_write_u8(struct synth *s, uint64_t addr, uint8_t v);
uint64_t synth_read_u64(struct synth *s, uint64_t addr);
void synth_read(struct synth *s, uint64_t addr, void *buf, size_t len);
/* Bump-allocate zeroed kernel memory in the heap. */
uint64_t synth_alloc(struct synth *s, size_t len, size_t align);
/* Set slab counters (inuse, objects, frozen) as raw values. */
void synth_set_counters(struct synth *s, int slab, uint32_t inuse,
			uint32_t objects, bool frozen);
/* Add or replace a symbol of the target. */
void synth_symbol(struct synth *s, const char *name, uint64_t addr);
/* Address of a symbol in the table (0 if absent). */
uint64_t synth_symbol_addr(struct synth *s, const char *name);
/* Address of CPU cpu's kmem_cache_cpu of cache. */
uint64_t synth_kcc(struct synth *s, int cache, int cpu);

/* Plumbing shared with the SLAB builder (synth_slab.h), which keeps its
 * caches and slabs in the same image. */
/* A __percpu allocation of len bytes (8-aligned): its offset, and the
 * address CPU cpu's copy has. */
uint64_t synth_percpu_alloc(struct synth *s, size_t len);
uint64_t synth_percpu_addr(struct synth *s, uint64_t off, int cpu);
/* 1 << order page frames, naturally aligned, from the direct map. */
uint64_t synth_alloc_pfns(struct synth *s, unsigned order);
/* The caller addresses the builder writes into alloc / free records. */
uint64_t synth_caller(struct synth *s, enum synth_track which);
/* list_head helpers: INIT_LIST_HEAD(), list_add_tail(). */
void synth_list_init(struct synth *s, uint64_t head);
void synth_list_add_tail(struct synth *s, uint64_t entry, uint64_t head);

#endif
