/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synthetic debug info for tests/unit/test_dbg.c: types shaped like the
 * kernel's slab structures.  Built at test time, linked, so that the DWARF
 * values are final:
 *
 *   gcc -g -gdwarf-5 -O0 -nostdlib -shared -fPIC -o types.so types.c fwd.c
 *
 * where fwd.c is "#define SS_TYPES_FWD_DEF" + "#include <this file>": that
 * second compile unit holds the only complete definition of struct fwd,
 * which the first one merely declares.  Layouts (x86-64 / LP64) are asserted
 * by the test; keep the two in sync.
 */
#ifdef SS_TYPES_FWD_DEF

struct fwd {
	long a;
	int b[3];
};			/* size 24 */

struct fwd fwd_instance;

/* Defined differently in the main unit: a hint decides which one wins. */
struct dup {
	long a;
	long b;
};			/* size 16 */

enum dup_enum {
	SS_DUP_ENUMERATOR = 2,
};

struct dup dup_in_fwd;
enum dup_enum dup_enum_in_fwd;

int fwd_func(struct fwd *f)
{
	return f->b[1];
}

#else /* !SS_TYPES_FWD_DEF */

struct fwd;		/* declaration only in this unit */

struct list_head {
	struct list_head *next, *prev;
};			/* size 16 */

typedef unsigned int gfp_t;

struct kmem_cache_order_objects {
	unsigned int x;
};

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_slab = 9,
	PG_head = 16,
	__NR_PAGEFLAGS,
	PG_big = 0x7fffffff,
};

enum ss_test_unsigned {
	SS_TEST_UNSIGNED_MAX = 0xffffffffu,
};

enum ss_test_signed {
	SS_TEST_NEGATIVE = -5,
	SS_TEST_POSITIVE = 7,
};

struct kmem_cache_node;

struct kmem_cache {
	void *cpu_slab;				/* 0 */
	unsigned long flags;			/* 8 */
	unsigned long min_partial;		/* 16 */
	unsigned int size;			/* 24 */
	unsigned int object_size;		/* 28 */
	struct kmem_cache_order_objects oo;	/* 32 */
	unsigned int offset;			/* 36 */
	gfp_t allocflags;			/* 40 */
	const char *name;			/* 48 */
	struct list_head list;			/* 56 */
	unsigned int useroffset;		/* 72 */
	struct kmem_cache_node *node[4];	/* 80 */
};						/* size 112 */

struct slab {
	unsigned long __page_flags;		/* 0 */
	union {					/* 8 */
		struct list_head slab_list;
		struct {
			struct slab *next;
			int slabs;
		};
	};
	struct kmem_cache *slab_cache;		/* 24 */
	void *freelist;				/* 32 */
	union {					/* 40 */
		unsigned long counters;
		struct {
			unsigned inuse:16;	/* bit 320 */
			unsigned objects:15;	/* bit 336 */
			unsigned frozen:1;	/* bit 351 */
		};
	};
	unsigned int _unused;			/* 48 */
	unsigned int refcount;			/* 52 */
};						/* size 56 */

struct kmem_cache_node {
	int list_lock;				/* 0 */
	unsigned long nr_partial;		/* 8 */
	struct list_head partial;		/* 16 */
	long nr_slabs;				/* 32 */
	long total_objects;			/* 40 */
	struct list_head full;			/* 48 */
};						/* size 64 */

typedef struct {
	int counter;
} atomic_t;

typedef const volatile atomic_t cv_atomic_t;

struct holder {
	struct fwd *fp;				/* 0: pointee only declared here */
	char comm[16];				/* 8 */
	short matrix[3][5];			/* 24, size 30 */
	atomic_t refs;				/* 56 */
	cv_atomic_t cvrefs;			/* 60 */
	void (*fn)(void);			/* 64 */
	void *vp;				/* 72 */
	struct list_head *lp;			/* 80 */
	enum pageflags pf;			/* 88 */
	unsigned long tail[];			/* 96, flexible */
};						/* size 96 */

union ss_test_union {
	unsigned long word;
	unsigned char bytes[8];
};

struct dup {
	int a;
};			/* size 4; 16 in the fwd unit */

enum dup_enum {
	SS_DUP_ENUMERATOR = 1,
};

/* Globals: symbols (.data / .bss / .rodata) and data for read_static. */
const char linux_banner[] = "Linux version 6.1.0-ss-test (slabscope)\n";
struct kmem_cache test_cache = { .size = 256, .name = "test_cache" };
struct slab test_slab;
struct holder test_holder;
union ss_test_union test_union;
struct kmem_cache_node test_node;
atomic_t test_atomic;
cv_atomic_t *test_cv_atomic;
enum ss_test_unsigned test_unsigned;
enum ss_test_signed test_signed;
unsigned long test_bss[64];
struct dup dup_in_main;
enum dup_enum dup_enum_in_main;

/* Code, so that .debug_aranges has an entry for this unit. */
int kmem_cache_destroy(struct kmem_cache *s)
{
	return (int)s->size + (int)test_slab.inuse + test_holder.refs.counter;
}

void slab_free(struct slab *slab)
{
	slab->frozen = 0;
}

#endif /* !SS_TYPES_FWD_DEF */
