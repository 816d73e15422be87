/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synthetic debug info for tests/unit/test_slub.c: the SLUB structures of
 * Linux 6.1 (x86-64, Debian's cloud config: SLUB_DEBUG, SLUB_CPU_PARTIAL,
 * SYSFS, NUMA, SLAB_FREELIST_HARDENED, SLAB_FREELIST_RANDOM, STACKDEPOT),
 * with the member names and offsets mm/slab.h, mm/slub.c,
 * include/linux/slub_def.h and include/linux/mm_types.h give them.  Offsets
 * in the comments are pahole's on vmlinux-6.1.0-56-cloud-amd64; members the
 * model does not read are kept as padding of the right size so that the
 * offsets stay the kernel's.
 *
 * Built at test time and linked, so that the DWARF values are final:
 *
 *   gcc -g -gdwarf-5 -O0 -nostdlib -shared -fPIC -o slub_types.so slub_types.c
 *
 * With -DSS_SLUB_NO_HARDENED, kmem_cache has no random member (a kernel
 * without CONFIG_SLAB_FREELIST_HARDENED: free pointers are stored plain).
 */

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned int slab_flags_t;
typedef unsigned int gfp_t;
typedef unsigned int depot_stack_handle_t;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

typedef struct {
	unsigned int val;
} spinlock_t;

struct list_head {
	struct list_head *next, *prev;
};					/* size 16 */

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};					/* size 16 */

struct kmem_cache_order_objects {
	unsigned int x;			/* order << 16 | objects */
};

struct reciprocal_value {
	u32 m;
	u8 sh1, sh2;
};					/* size 8 */

struct kref {
	atomic_t refcount;
};

struct kobject {
	const char *name;
	struct list_head entry;
	struct kobject *parent;
	void *kset;
	const void *ktype;
	void *sd;
	struct kref kref;
	unsigned int state_initialized:1;
	unsigned int state_in_sysfs:1;
	unsigned int state_add_uevent_sent:1;
	unsigned int state_remove_uevent_sent:1;
	unsigned int uevent_suppress:1;
};					/* size 64 */

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

/* include/linux/mm_types.h: the words struct slab overlays. */
struct page {
	unsigned long flags;				/* 0 */
	union {						/* 8 */
		struct {
			union {
				struct list_head lru;
				struct {
					void *__filler;
					unsigned int mlock_count;
				};
				struct list_head buddy_list;
				struct list_head pcp_list;
			};
			struct address_space *mapping;	/* 24 */
			unsigned long index;		/* 32 */
			unsigned long private;		/* 40 */
		};
		struct {	/* Tail pages of compound page */
			unsigned long compound_head;	/* 8, bit 0 set */
			unsigned char compound_dtor;
			unsigned char compound_order;
			atomic_t compound_mapcount;
			atomic_t compound_pincount;
			unsigned int compound_nr;
			unsigned long _private_1;
		};
		struct rcu_head rcu_head;
	};
	union {						/* 48 */
		atomic_t _mapcount;
		unsigned int page_type;
	};
	atomic_t _refcount;				/* 52 */
	unsigned long memcg_data;			/* 56 */
};							/* size 64 */

/* mm/slab.h (CONFIG_SLUB, CONFIG_SLUB_CPU_PARTIAL, CONFIG_MEMCG) */
struct slab {
	unsigned long __page_flags;			/* 0 */
	union {						/* 8 */
		struct list_head slab_list;
		struct rcu_head rcu_head;
		struct {
			struct slab *next;		/* 8 */
			int slabs;			/* 16 */
		};
	};
	struct kmem_cache *slab_cache;			/* 24 */
	void *freelist;					/* 32 */
	union {						/* 40 */
		unsigned long counters;
		struct {
			unsigned inuse:16;		/* bit 320 */
			unsigned objects:15;		/* bit 336 */
			unsigned frozen:1;		/* bit 351 */
		};
	};
	unsigned int __unused;				/* 48 */
	atomic_t __page_refcount;			/* 52 */
	unsigned long memcg_data;			/* 56 */
};							/* size 64 */

/* include/linux/slub_def.h */
struct kmem_cache_cpu {
	void **freelist;				/* 0 */
	unsigned long tid;				/* 8 */
	struct slab *slab;				/* 16 */
	struct slab *partial;				/* 24 */
};							/* size 32 */

struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab;		/* 0, __percpu */
	slab_flags_t flags;				/* 8 */
	unsigned long min_partial;			/* 16 */
	unsigned int size;				/* 24 */
	unsigned int object_size;			/* 28 */
	struct reciprocal_value reciprocal_size;	/* 32 */
	unsigned int offset;				/* 40 */
	unsigned int cpu_partial;			/* 44 */
	unsigned int cpu_partial_slabs;			/* 48 */
	struct kmem_cache_order_objects oo;		/* 52 */
	struct kmem_cache_order_objects min;		/* 56 */
	gfp_t allocflags;				/* 60 */
	int refcount;					/* 64 */
	void (*ctor)(void *);				/* 72 */
	unsigned int inuse;				/* 80 */
	unsigned int align;				/* 84 */
	unsigned int red_left_pad;			/* 88 */
	const char *name;				/* 96 */
	struct list_head list;				/* 104 */
	struct kobject kobj;				/* 120 */
#ifndef SS_SLUB_NO_HARDENED
	unsigned long random;				/* 184 */
#else
	unsigned long __no_random;			/* 184 */
#endif
	unsigned int remote_node_defrag_ratio;		/* 192 */
	unsigned int *random_seq;			/* 200 */
	unsigned int useroffset;			/* 208 */
	unsigned int usersize;				/* 212 */
	struct kmem_cache_node *node[1024];		/* 216 */
};							/* size 8408 */

/* mm/slab.h (CONFIG_SLUB_DEBUG) */
struct kmem_cache_node {
	spinlock_t list_lock;				/* 0 */
	unsigned long nr_partial;			/* 8 */
	struct list_head partial;			/* 16 */
	atomic_long_t nr_slabs;				/* 32 */
	atomic_long_t total_objects;			/* 40 */
	struct list_head full;				/* 48 */
};							/* size 64 */

/* mm/slub.c (CONFIG_STACKDEPOT) */
struct track {
	unsigned long addr;				/* 0 */
	depot_stack_handle_t handle;			/* 8 */
	int cpu;					/* 12 */
	int pid;					/* 16 */
	unsigned long when;				/* 24 */
};							/* size 32 */

/* lib/stackdepot.c (PAGE_SHIFT 12, STACK_DEPOT_EXTRA_BITS 5) */
union handle_parts {
	depot_stack_handle_t handle;
	struct {
		u32 slabindex : 16;
		u32 offset : 10;
		u32 valid : 1;
		u32 extra : 5;
	};
};

struct stack_record {
	struct stack_record *next;			/* 0 */
	u32 hash;					/* 8 */
	u32 size;					/* 12 */
	union handle_parts handle;			/* 16 */
	unsigned long entries[];			/* 24 */
};

/* Variables, so that every type above is emitted. */
struct list_head slab_caches;
struct kmem_cache kmem_cache_boot;
struct kmem_cache_node kmem_cache_node_boot;
struct kmem_cache_cpu kmem_cache_cpu_boot;
struct page page_instance;
struct slab slab_instance;
struct track track_instance[2];
union handle_parts handle_parts_instance;
struct stack_record *stack_record_instance;
enum pageflags pageflags_instance;
void *stack_slabs[8192];

/* Code: a CU hint for the type lookup, and callers for track tests. */
int kmem_cache_destroy(struct kmem_cache *s)
{
	return (int)s->size + (int)slab_instance.inuse;
}

void *ss_test_alloc_caller(struct kmem_cache *s)
{
	return s->node[0];
}

void ss_test_free_caller(struct slab *slab)
{
	slab->frozen = 0;
}
