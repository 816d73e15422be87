/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synthetic debug info for tests/unit/test_slab.c: the SLAB structures of
 * Linux 6.1 (x86-64, the slabscope SLAB fixture kernel 6.1.192: CONFIG_SLAB,
 * CONFIG_DEBUG_SLAB, CONFIG_NUMA with NODES_SHIFT 6, SLAB_FREELIST_RANDOM,
 * no MEMCG), with the member names and offsets mm/slab.c, mm/slab.h,
 * include/linux/slab_def.h and include/linux/mm_types.h give them.  Offsets
 * in the comments are gdb's `ptype/o` on that kernel's vmlinux; members the
 * model does not read are kept (or padded) at their size so that the
 * offsets stay the kernel's.
 *
 * Built at test time and linked, so that the DWARF values are final:
 *
 *   gcc -g -gdwarf-5 -O0 -nostdlib -shared -fPIC -o slab_types.so slab_types.c
 */

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned int slab_flags_t;
typedef unsigned int gfp_t;
typedef unsigned long size_t;
/* mm/slab.c: PAGE_SIZE >> BITS_PER_BYTE <= SLAB_OBJ_MIN_SIZE */
typedef unsigned char freelist_idx_t;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	unsigned int val;
} spinlock_t;

struct list_head {
	struct list_head *next, *prev;
};					/* size 16 */

struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
};					/* size 16 */

struct reciprocal_value {
	u32 m;
	u8 sh1, sh2;
};					/* size 8 */

/* include/linux/page-flags.h (x86-64: MMU, MEMORY_FAILURE, 64BIT) */
enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_active,
	PG_workingset,
	PG_waiters,
	PG_error,
	PG_slab,			/* 9 */
	PG_owner_priv_1,
	PG_arch_1,
	PG_reserved,
	PG_private,
	PG_private_2,
	PG_writeback,
	PG_head,			/* 16 */
	PG_mappedtodisk,
	PG_reclaim,
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
	PG_hwpoison,
	PG_young,
	PG_idle,
	PG_arch_2,
	__NR_PAGEFLAGS,
	PG_readahead = PG_reclaim,
	PG_checked = PG_owner_priv_1,
};

struct kmem_cache;
struct kmem_cache_node;
struct address_space;

/* include/linux/mm_types.h, no CONFIG_MEMCG: 56 bytes. */
struct page {
	unsigned long flags;				/* 0 */
	union {						/* 8 */
		struct {
			struct list_head lru;		/* 8 */
			struct address_space *mapping;	/* 24 */
			unsigned long index;		/* 32 */
			unsigned long private;		/* 40 */
		};
		struct {	/* Tail pages of compound page */
			unsigned long compound_head;	/* 8, bit 0 set */
			unsigned char compound_dtor;	/* 16 */
			unsigned char compound_order;	/* 17 */
			atomic_t compound_mapcount;	/* 20 */
			atomic_t compound_pincount;	/* 24 */
			unsigned int compound_nr;	/* 28 */
			unsigned long _private_1;	/* 32 */
		};
		struct callback_head callback_head;
	};
	union {						/* 48 */
		atomic_t _mapcount;
		unsigned int page_type;
	};
	atomic_t _refcount;				/* 52 */
};							/* size 56 */

/* mm/slab.h (CONFIG_SLAB) */
struct slab {
	unsigned long __page_flags;			/* 0 */
	union {						/* 8 */
		struct list_head slab_list;
		struct callback_head callback_head;
	};
	struct kmem_cache *slab_cache;			/* 24 */
	void *freelist;					/* 32 */
	void *s_mem;					/* 40 */
	unsigned int active;				/* 48 */
	atomic_t __page_refcount;			/* 52 */
};							/* size 56 */

/* mm/slab.c */
struct array_cache {
	unsigned int avail;				/* 0 */
	unsigned int limit;				/* 4 */
	unsigned int batchcount;			/* 8 */
	unsigned int touched;				/* 12 */
	void *entry[];					/* 16 */
};							/* size 16 */

struct alien_cache {
	spinlock_t lock;				/* 0 */
	struct array_cache ac;				/* 8 */
};							/* size 24 */

/* include/linux/slab_def.h (DEBUG_SLAB, NUMA, SLAB_FREELIST_RANDOM) */
struct kmem_cache {
	struct array_cache *cpu_cache;			/* 0, __percpu */
	unsigned int batchcount;			/* 8 */
	unsigned int limit;				/* 12 */
	unsigned int shared;				/* 16 */
	unsigned int size;				/* 20 */
	struct reciprocal_value reciprocal_buffer_size;	/* 24 */
	slab_flags_t flags;				/* 32 */
	unsigned int num;				/* 36 */
	unsigned int gfporder;				/* 40 */
	gfp_t allocflags;				/* 44 */
	size_t colour;					/* 48 */
	unsigned int colour_off;			/* 56 */
	unsigned int freelist_size;			/* 60 */
	void (*ctor)(void *obj);			/* 64 */
	const char *name;				/* 72 */
	struct list_head list;				/* 80 */
	int refcount;					/* 96 */
	int object_size;				/* 100 */
	int align;					/* 104 */
	unsigned long num_active;			/* 112 */
	unsigned long num_allocations;			/* 120 */
	unsigned long high_mark;			/* 128 */
	unsigned long grown;				/* 136 */
	unsigned long reaped;				/* 144 */
	unsigned long errors;				/* 152 */
	unsigned long max_freeable;			/* 160 */
	unsigned long node_allocs;			/* 168 */
	unsigned long node_frees;			/* 176 */
	unsigned long node_overflow;			/* 184 */
	atomic_t allochit;				/* 192 */
	atomic_t allocmiss;				/* 196 */
	atomic_t freehit;				/* 200 */
	atomic_t freemiss;				/* 204 */
	int obj_offset;					/* 208 */
	unsigned int *random_seq;			/* 216 */
	unsigned int useroffset;			/* 224 */
	unsigned int usersize;				/* 228 */
	struct kmem_cache_node *node[64];		/* 232 */
};							/* size 744 */

/* mm/slab.h (CONFIG_SLAB) */
struct kmem_cache_node {
	spinlock_t list_lock;				/* 0 */
	struct list_head slabs_partial;			/* 8 */
	struct list_head slabs_full;			/* 24 */
	struct list_head slabs_free;			/* 40 */
	unsigned long total_slabs;			/* 56 */
	unsigned long free_slabs;			/* 64 */
	unsigned long free_objects;			/* 72 */
	unsigned int free_limit;			/* 80 */
	unsigned int colour_next;			/* 84 */
	struct array_cache *shared;			/* 88 */
	struct alien_cache **alien;			/* 96 */
	unsigned long next_reap;			/* 104 */
	int free_touched;				/* 112 */
};							/* size 120 */

/* Variables, so that every type above is emitted. */
struct list_head slab_caches;
struct kmem_cache kmem_cache_boot;
struct kmem_cache_node init_kmem_cache_node[2];
struct array_cache array_cache_instance;
struct alien_cache alien_cache_instance;
struct page page_instance;
struct slab slab_instance;
freelist_idx_t freelist_idx_instance;
enum pageflags pageflags_instance;

/* Code: a CU hint for the type lookup, and callers for the user word. */
int kmem_cache_destroy(struct kmem_cache *s)
{
	return (int)s->size + (int)slab_instance.active;
}

void *ss_test_alloc_caller(struct kmem_cache *s)
{
	return s->node[0];
}

void ss_test_free_caller(struct slab *slab)
{
	slab->active = 0;
}
