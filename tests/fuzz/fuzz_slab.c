/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: the SLUB model, `check`, `whatis`, the object walks,
 * `leaks` and the reports over a synthetic kernel (tests/unit/synth.h)
 * whose bytes the fuzzer overwrites.
 *
 * Built once at start-up: three small SLUB kernels (hardened with the 5.7+
 * swab encoding; hardened with the 4.14 encoding and a plain cache; a
 * kernel without kmem_cache.random), each with five caches (plain 64-byte
 * objects, a slub_debug=FZPU kmalloc cache with stack depot tracks,
 * order-1 slabs, an RCU cache with a ctor (free pointer past the
 * payload), 8-byte objects) and their slabs in every place SLUB keeps them
 * (CPU slab with a lockless freelist, CPU partial list, node partial and
 * full lists, full slabs on no list).
 *
 * An input is a variant byte and a list of edits; each edit picks a target
 * (a kmem_cache field, a kmem_cache_cpu or kmem_cache_node field, a struct
 * page / struct slab field, a free pointer, object bytes, a track, a stack
 * depot record, a cache name, the list heads, the mm variables, an
 * unreadable hole in memory) and a value (raw bytes, or a pointer that
 * means something here: an object, a slab page, a cache, a list head, a
 * free pointer encoded as the cache stores it).  The edits are undone
 * after the run (an undo log), so the kernels are built only once.
 *
 * Invariants checked after every input:
 *   - ss_model_load, ss_check_run, ss_model_whatis, ss_model_slab_objects,
 *     ss_model_for_each_object, ss_leaks_group and the reports fail only
 *     with SS_ERR_NOMEM (ss_model_load may also fail when the edits hit
 *     the mm variables or the symbols' memory: then the kernel is not
 *     analysable at all, which is an error, not a crash);
 *   - per cache, allocated + free + cpu_free + unknown == total_objects,
 *     and total_objects and nslabs are the sums over its slabs;
 *   - per slab, the states ss_model_slab_objects() gives match the counts
 *     the load recorded, and its slots lie inside the slab's pages;
 *   - whatis agrees with ss_model_slab_objects() on the state;
 *   - every finding has a kind, a message and a valid cache index.
 *
 * Environment: SS_FUZZ_CC (compiler for slub_types.c, default cc),
 * SS_FUZZ_DATADIR (directory of slub_types.c), SS_FUZZ_VERBOSE=1 (print
 * the edits and the findings of each input).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include <slabscope/check.h>
#include <slabscope/leaks.h>
#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "synth.h"
#include "fuzz_image.h"

#ifndef SS_FUZZ_DATADIR
#define SS_FUZZ_DATADIR "tests/unit/data"
#endif

/* The synth's fixed variables (synth.c). */
#define VAR_SLAB_CACHES (SYNTH_HEAP + 0x000)
#define VAR_MAX_PFN (SYNTH_HEAP + 0x020)
#define VAR_NR_CPU_IDS (SYNTH_HEAP + 0x028)
#define VAR_NR_NODE_IDS (SYNTH_HEAP + 0x02c)
#define VAR_CPU_POSSIBLE (SYNTH_HEAP + 0x030)
#define VAR_PAGE_OFFSET (SYNTH_HEAP + 0x038)
#define VAR_VMEMMAP (SYNTH_HEAP + 0x040)
#define VAR_JIFFIES (SYNTH_HEAP + 0x048)
#define VAR_PER_CPU_OFFSET (SYNTH_HEAP + 0x080)
#define VAR_END (SYNTH_HEAP + 0x100)

#define NVARIANTS 3
#define NCACHES 5
#define MAX_SLABS 32
#define MAX_EDITS 48
#define MAX_EDIT_LEN 64
/* The debug cache's three slabs (after the five of fz-64). */
#define DEBUG_SLAB0 5

#define RANDOM1 0x5f3c9e1d27a4b680ULL
#define RANDOM2 0x0123456789abcdefULL
#define RANDOM3 0x9e3779b97f4a7c15ULL

/* ---- the kernels ---- */

struct world {
	struct synth *s;
	struct fuzz_image fi; /* the image's bytes and the holes */
	struct ss_memory mem; /* reads fi */
	struct ss_target t;
	int ncaches, nslabs;
	uint64_t name_addr[NCACHES];
	size_t name_len[NCACHES];
	uint64_t depot_rec; /* first stack record */
	uint32_t handles[4];
};

static struct world worlds[NVARIANTS];
static FILE *devnull;
static bool verbose;
static char tmpdir[256];
static char so_paths[2][512];

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "fuzz_slab: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static void cleanup(void)
{
	for (int i = 0; i < 2; i++)
		if (so_paths[i][0])
			unlink(so_paths[i]);
	if (tmpdir[0])
		rmdir(tmpdir);
}

static void build_types(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%s/ss-fuzz-slab-XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		die("mkdtemp failed");
	atexit(cleanup);
	const char *cc = getenv("SS_FUZZ_CC");
	if (!cc || !*cc)
		cc = "cc";
	const char *dir = getenv("SS_FUZZ_DATADIR");
	if (!dir || !*dir)
		dir = SS_FUZZ_DATADIR;
	for (int i = 0; i < 2; i++) {
		snprintf(so_paths[i], sizeof(so_paths[i]), "%s/slub_types%d.so",
			 tmpdir, i);
		char *cmd;
		if (asprintf(&cmd,
			     "%s -g -gdwarf-5 -O0 -nostdlib -shared -fPIC %s "
			     "-o '%s' '%s/slub_types.c'",
			     cc, i ? "-DSS_SLUB_NO_HARDENED" : "", so_paths[i],
			     dir) < 0)
			die("out of memory");
		if (system(cmd) != 0)
			die("building the types failed: %s", cmd);
		free(cmd);
	}
}

static int add_cache(struct world *w, const char *name, uint32_t object_size,
		     uint64_t flags, unsigned order, uint64_t ctor,
		     enum ss_fp_encoding enc, uint64_t random)
{
	struct synth_cache_spec spec = {
		.name = name,
		.object_size = object_size,
		.flags = flags,
		.order = order,
		.ctor = ctor,
		.enc = enc,
		.random = random,
	};
	int c = synth_add_cache(w->s, &spec);
	w->name_addr[c] = synth_read_u64(w->s, synth_cache(w->s, c)->addr +
						       KC_NAME);
	w->name_len[c] = strlen(name) + 1;
	return c;
}

static int add_slab(struct world *w, int cache)
{
	int id = synth_add_slab(w->s, cache, 0);
	if (id >= MAX_SLABS)
		die("too many slabs");
	w->nslabs = id + 1;
	return id;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Every place SLUB keeps slabs (like tests/unit/test_slub.c populate()). */
static void populate(struct world *w, int c)
{
	struct synth *s = w->s;
	int ids[5];
	for (int i = 0; i < 5; i++)
		ids[i] = add_slab(w, c);
	uint32_t last = synth_slab(s, ids[0])->objects - 1;
	const uint32_t p0[] = { 5, 1, 8, last, 0 };
	const uint32_t p1[] = { 7 };
	const uint32_t cpu_own[] = { 6 };
	const uint32_t cpu_free[] = { 2, 3, 4, last };
	const uint32_t cpu_part[] = { last, 0 };
	synth_slab_freelist(s, ids[0], p0, N(p0));
	synth_slab_freelist(s, ids[1], p1, N(p1));
	synth_slab_freelist(s, ids[2], cpu_own, N(cpu_own));
	synth_cpu_slab(s, ids[2], 0, cpu_free, N(cpu_free));
	synth_slab_freelist(s, ids[3], cpu_part, N(cpu_part));
	const int partial[] = { ids[0], ids[1] };
	synth_node_partial(s, c, partial, N(partial));
	synth_cpu_partial(s, c, 1, &ids[3], 1);
}

static void build_world(struct world *w, int variant)
{
	w->s = synth_create(so_paths[variant == 2]);
	if (!w->s)
		die("synth_create failed");
	struct synth *s = w->s;
	enum ss_fp_encoding enc = variant == 0   ? SS_FP_XOR_SWAB
				  : variant == 1 ? SS_FP_XOR
						 : SS_FP_PLAIN;
	uint64_t ctor = synth_dbg_symbol(s, "ss_test_free_caller");

	/* Plain 64-byte objects, in every place. */
	int c0 = add_cache(w, "fz-64", 64, 0, 0, 0, enc, RANDOM1);
	populate(w, c0);

	/* slub_debug=FZPU kmalloc cache: red zones, poison, tracks with
	 * stack depot handles; partial, CPU and full lists. */
	int c1 = add_cache(w, "fz-debug-40", 40, SLUB_DEBUG_FZPU | SLAB_KMALLOC,
			   0, 0, enc, RANDOM2);
	int d0 = add_slab(w, c1), d1 = add_slab(w, c1), d2 = add_slab(w, c1);
	if (d0 != DEBUG_SLAB0 || d2 != DEBUG_SLAB0 + 2)
		die("the debug cache's slabs are not where OP_TRACK edits");
	const uint32_t df0[] = { 1, 3, 0 };
	const uint32_t df1[] = { 2 };
	const uint32_t dcpu[] = { 4, 5 };
	synth_slab_freelist(s, d0, df0, N(df0));
	synth_slab_freelist(s, d1, df1, N(df1));
	synth_cpu_slab(s, d1, 1, dcpu, N(dcpu));
	synth_node_partial(s, c1, &d0, 1);
	synth_node_full(s, c1, &d2, 1);
	const uint64_t st0[] = { synth_dbg_symbol(s, "ss_test_alloc_caller") + 4,
				 synth_dbg_symbol(s, "kmem_cache_destroy") + 9 };
	const uint64_t st1[] = { synth_dbg_symbol(s, "ss_test_free_caller") + 2 };
	w->handles[0] = synth_depot_add(s, st0, N(st0));
	w->handles[1] = synth_depot_add(s, st1, N(st1));
	w->handles[2] = synth_depot_add(s, st0, 1);
	w->handles[3] = 0;
	w->depot_rec = 0;
	for (int k = 0; k < 6; k++) {
		uint64_t o2 = synth_obj(s, d2, (uint32_t)k);
		synth_set_track(s, c1, o2, SYNTH_TRACK_ALLOC,
				synth_dbg_symbol(s, "ss_test_alloc_caller") + 0x10,
				w->handles[k % 3], k % 2, 100 + k,
				SYNTH_JIFFIES - 100);
		uint64_t o0 = synth_obj(s, d0, (uint32_t)k);
		synth_set_track(s, c1, o0, SYNTH_TRACK_FREE,
				synth_dbg_symbol(s, "ss_test_free_caller") + 0x8,
				w->handles[(k + 1) % 3], 0, 200 + k,
				SYNTH_JIFFIES - 10);
	}

	/* Order-1 slabs: a CPU partial list of two, one node partial. */
	int c2 = add_cache(w, "fz-o1-700", 700, 0, 1, 0, enc, RANDOM3);
	int e0 = add_slab(w, c2), e1 = add_slab(w, c2), e2 = add_slab(w, c2);
	const uint32_t ef0[] = { 3, 0 };
	const uint32_t ef1[] = { 1 };
	const uint32_t ef2[] = { 10, 2, 5 };
	synth_slab_freelist(s, e0, ef0, N(ef0));
	synth_slab_freelist(s, e1, ef1, N(ef1));
	synth_slab_freelist(s, e2, ef2, N(ef2));
	const int ecp[] = { e0, e1 };
	synth_cpu_partial(s, c2, 0, ecp, N(ecp));
	synth_node_partial(s, c2, &e2, 1);

	/* RCU with a ctor: the free pointer past the payload. */
	int c3 = add_cache(w, "fz-rcu-24", 24, SLAB_TYPESAFE_BY_RCU, 0, ctor,
			   variant == 1 ? SS_FP_PLAIN : enc, RANDOM1 ^ 1);
	int r0 = add_slab(w, c3), r1 = add_slab(w, c3);
	const uint32_t rf0[] = { 0, 1, 2 };
	const uint32_t rcpu[] = { 7, 9 };
	synth_slab_freelist(s, r0, rf0, N(rf0));
	synth_cpu_slab(s, r1, 1, rcpu, N(rcpu));
	synth_node_partial(s, c3, &r0, 1);

	/* 8-byte objects: a one-byte overwrite still names an object. */
	int c4 = add_cache(w, "fz-8", 8, 0, 0, 0, enc, RANDOM2 ^ 2);
	int t0 = add_slab(w, c4), t1 = add_slab(w, c4);
	const uint32_t tf0[] = { 4, 9, 17, 30, 31 };
	synth_slab_freelist(s, t0, tf0, N(tf0));
	synth_node_partial(s, c4, &t0, 1);
	(void)t1; /* full, on no list */
	w->ncaches = NCACHES;

	struct ss_memimage *img = synth_image(s);
	if (!fuzz_image_map(&w->fi, img))
		die("the image is not laid out as synth.h says");
	w->t = *synth_target(s);
	w->mem.read = fuzz_image_read;
	w->mem.arg = &w->fi;
	w->t.mem = &w->mem;
}

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *v = getenv("SS_FUZZ_VERBOSE");
	verbose = v && *v && strcmp(v, "0") != 0;
	build_types();
	for (int i = 0; i < NVARIANTS; i++)
		build_world(&worlds[i], i);
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		die("cannot open /dev/null");
	return 0;
}

/* ---- reading the input ---- */

struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint16_t u16(struct in *in)
{
	return (uint16_t)(u8(in) | u8(in) << 8);
}

static uint64_t uN(struct in *in, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n && i < 8; i++)
		v |= (uint64_t)u8(in) << (8 * i);
	return v;
}

/* ---- edits, undone after each input ---- */

static bool in_image(struct world *w, uint64_t addr, size_t len);

struct undo {
	uint64_t addr;
	size_t len;
	uint8_t old[MAX_EDIT_LEN];
};

static struct undo undo_log[MAX_EDITS];
static int nundo;
static bool mm_touched;

static bool in_image(struct world *w, uint64_t addr, size_t len)
{
	struct ss_memimage *img = synth_image(w->s);
	while (len) {
		size_t chunk = SYNTH_PAGE_SIZE - (addr & (SYNTH_PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		if (!ss_memimage_ptr(img, addr, chunk))
			return false;
		addr += chunk;
		len -= chunk;
	}
	return true;
}

static void poke(struct world *w, uint64_t addr, const void *data, size_t len)
{
	if (nundo == MAX_EDITS || len == 0 || len > MAX_EDIT_LEN ||
	    addr + len < addr || !in_image(w, addr, len))
		return;
	struct undo *u = &undo_log[nundo++];
	u->addr = addr;
	u->len = len;
	synth_read(w->s, addr, u->old, len);
	synth_write(w->s, addr, data, len);
	if (addr < VAR_END && addr + len > SYNTH_HEAP)
		mm_touched = true;
	if (verbose) {
		fprintf(stderr, "  poke 0x%" PRIx64 " +%zu:", addr, len);
		for (size_t i = 0; i < len; i++)
			fprintf(stderr, " %02x", ((const uint8_t *)data)[i]);
		fprintf(stderr, "\n");
	}
}

static void undo_all(struct world *w)
{
	while (nundo > 0) {
		struct undo *u = &undo_log[--nundo];
		synth_write(w->s, u->addr, u->old, u->len);
	}
	w->fi.nholes = 0;
	mm_touched = false;
}

static int pick_slab(struct world *w, struct in *in)
{
	return u8(in) % w->nslabs;
}

static int pick_cache(struct world *w, struct in *in)
{
	return u8(in) % w->ncaches;
}

/*
 * A value for a field of size len at address at: raw bytes, or something
 * that means something in this kernel.  Returns the value in *v (the first
 * 8 bytes; raw values longer than 8 bytes go to buf).
 */
static void gen_value(struct world *w, struct in *in, uint64_t at, size_t len,
		      uint8_t *buf)
{
	struct synth *s = w->s;
	uint64_t v = 0;
	uint8_t kind = u8(in);
	int8_t delta = (int8_t)u8(in);
	switch (kind % 12) {
	case 0: /* raw */
	default:
		for (size_t i = 0; i < len; i++)
			buf[i] = u8(in);
		return;
	case 1: /* a small number */
		v = (uint64_t)(int64_t)delta;
		break;
	case 2: { /* an object (or near one) */
		int j = pick_slab(w, in);
		struct synth_slab *sl = synth_slab(s, j);
		v = synth_obj(s, j, u8(in) % sl->objects) + (uint64_t)(int64_t)delta;
		break;
	}
	case 3: { /* a free pointer to an object, encoded as stored at at */
		int j = pick_slab(w, in);
		struct synth_slab *sl = synth_slab(s, j);
		uint8_t k = u8(in);
		uint64_t ptr = k == 0xff ? 0 : synth_obj(s, j, k % sl->objects);
		v = synth_encode(synth_cache(s, sl->cache), ptr, at) ^
		    (uint64_t)(uint8_t)delta;
		break;
	}
	case 4: /* a struct page (or its slab_list) */
		v = synth_slab(s, pick_slab(w, in))->page +
		    (uint64_t)(int64_t)delta;
		break;
	case 5: { /* a kmem_cache, or one of its list heads */
		const struct synth_cache *c = synth_cache(s, pick_cache(w, in));
		static const uint64_t offs[] = { 0, KC_LIST };
		uint8_t k = u8(in);
		if (k % 4 < 2)
			v = c->addr + offs[k % 2];
		else
			v = c->node + (k % 4 == 2 ? KCN_PARTIAL : KCN_FULL);
		v += (uint64_t)(int64_t)delta;
		break;
	}
	case 6:
		v = 0;
		break;
	case 7: {
		static const uint64_t odd[] = {
			UINT64_MAX, 0x8000000000000000ULL, 0x7fffffffffffffffULL,
			SYNTH_PAGE_OFFSET, SYNTH_VMEMMAP, SYNTH_HEAP,
			0xffff, 0x7fff, 0x8000, 0x10000, 0xffffffffULL,
			SYNTH_PAGE_OFFSET + SYNTH_MAX_PFN * SYNTH_PAGE_SIZE - 8,
			SYNTH_VMEMMAP + SYNTH_MAX_PFN * PAGE_SIZEOF - 8,
		};
		v = odd[(uint8_t)delta % N(odd)];
		break;
	}
	case 8: /* what is there, with a new low byte */
		if (len == 0 || !in_image(w, at, len))
			break;
		synth_read(s, at, buf, len);
		buf[0] = (uint8_t)delta;
		return;
	case 9: /* flip one bit of what is there */
		if (len == 0 || !in_image(w, at, len))
			break;
		synth_read(s, at, buf, len);
		buf[((uint8_t)delta >> 3) % len] ^= (uint8_t)(1 << (delta & 7));
		return;
	case 10: /* a byte pattern SLUB uses */ {
		static const uint8_t pat[] = { SYNTH_RED_ACTIVE,
					       SYNTH_RED_INACTIVE,
					       SYNTH_POISON_FREE,
					       SYNTH_POISON_END,
					       SYNTH_POISON_INUSE, 0 };
		memset(buf, pat[(uint8_t)delta % N(pat)], len);
		return;
	}
	case 11: /* a heap address (names, nodes, per-CPU data, depot) */
		v = SYNTH_HEAP + ((uint64_t)u16(in) << 3);
		break;
	}
	memset(buf, 0, len);
	memcpy(buf, &v, len < 8 ? len : 8);
}

static void edit_at(struct world *w, struct in *in, uint64_t addr, size_t len)
{
	uint8_t buf[MAX_EDIT_LEN];
	if (len > MAX_EDIT_LEN)
		len = MAX_EDIT_LEN;
	gen_value(w, in, addr, len, buf);
	poke(w, addr, buf, len);
}

struct field {
	uint32_t off, len;
};

static const struct field kc_fields[] = {
	{ KC_CPU_SLAB, 8 }, { KC_FLAGS, 4 },  { KC_MIN_PARTIAL, 8 },
	{ KC_SIZE, 4 },	    { KC_OBJECT_SIZE, 4 }, { KC_OFFSET, 4 },
	{ KC_CPU_PARTIAL, 4 }, { KC_OO, 4 }, { KC_MIN, 4 },
	{ KC_REFCOUNT, 4 }, { KC_CTOR, 8 },  { KC_INUSE, 4 },
	{ KC_ALIGN, 4 },    { KC_RED_LEFT_PAD, 4 }, { KC_NAME, 8 },
	{ KC_LIST, 8 },	    { KC_LIST + 8, 8 }, { KC_RANDOM, 8 },
	{ KC_NODE, 8 },	    { KC_SIZE, 1 },  { KC_OFFSET, 1 },
	{ KC_OO, 2 },	    { KC_OO + 2, 2 },
};
static const struct field kcc_fields[] = {
	{ KCC_FREELIST, 8 }, { KCC_TID, 8 }, { KCC_SLAB, 8 },
	{ KCC_PARTIAL, 8 },  { KCC_FREELIST, 1 },
};
static const struct field kcn_fields[] = {
	{ KCN_NR_PARTIAL, 8 }, { KCN_PARTIAL, 8 }, { KCN_PARTIAL + 8, 8 },
	{ KCN_NR_SLABS, 8 },   { KCN_TOTAL_OBJECTS, 8 }, { KCN_FULL, 8 },
	{ KCN_FULL + 8, 8 },
};
static const struct field page_fields[] = {
	{ SL_FLAGS, 8 },     { SL_LIST, 8 },	 { SL_LIST + 8, 8 },
	{ SL_SLABS, 4 },     { SL_CACHE, 8 },	 { SL_FREELIST, 8 },
	{ SL_COUNTERS, 8 },  { SL_COUNTERS, 2 }, { SL_COUNTERS + 2, 2 },
	{ SL_FREELIST, 1 },  { SL_FLAGS + 1, 1 }, { SL_FLAGS + 2, 1 },
	/* page[1]: compound_head and compound_order */
	{ PAGE_SIZEOF + PG_COMPOUND_HEAD, 8 }, { PAGE_SIZEOF + 17, 1 },
	{ PAGE_SIZEOF + SL_FLAGS, 8 },
};
static const struct field var_fields[] = {
	{ 0x020, 8 }, /* max_pfn */
	{ 0x028, 4 }, /* nr_cpu_ids */
	{ 0x02c, 4 }, /* nr_node_ids */
	{ 0x030, 8 }, /* __cpu_possible_mask */
	{ 0x038, 8 }, /* page_offset_base */
	{ 0x040, 8 }, /* vmemmap_base */
	{ 0x048, 8 }, /* jiffies */
	{ 0x080, 8 }, /* __per_cpu_offset[0] */
	{ 0x088, 8 }, /* __per_cpu_offset[1] */
	{ 0x000, 8 }, /* slab_caches.next */
	{ 0x008, 8 }, /* slab_caches.prev */
};

static struct field pick_field(struct in *in, const struct field *f, size_t n,
			       uint32_t size)
{
	uint8_t k = u8(in);
	if (k < 0xe0 || size == 0)
		return f[k % n];
	/* Anywhere in the structure. */
	struct field r = { u16(in) % size, 1 + u8(in) % 8 };
	return r;
}

enum {
	OP_KC,
	OP_KCC,
	OP_KCN,
	OP_PAGE,
	OP_ANY_PAGE,
	OP_FREEPTR,
	OP_OBJECT,
	OP_TRACK,
	OP_DEPOT,
	OP_NAME,
	OP_VAR,
	OP_HOLE,
	NOPS
};

static void apply_edit(struct world *w, struct in *in)
{
	struct synth *s = w->s;
	uint8_t op = u8(in) % NOPS;
	switch (op) {
	case OP_KC: {
		const struct synth_cache *c = synth_cache(s, pick_cache(w, in));
		struct field f = pick_field(in, kc_fields, N(kc_fields),
					    KC_NODE + 8);
		edit_at(w, in, c->addr + f.off, f.len);
		break;
	}
	case OP_KCC: {
		int c = pick_cache(w, in);
		int cpu = u8(in) % SYNTH_NR_CPUS;
		struct field f = pick_field(in, kcc_fields, N(kcc_fields),
					    KCC_SIZEOF);
		edit_at(w, in, synth_kcc(s, c, cpu) + f.off, f.len);
		break;
	}
	case OP_KCN: {
		const struct synth_cache *c = synth_cache(s, pick_cache(w, in));
		struct field f = pick_field(in, kcn_fields, N(kcn_fields),
					    KCN_SIZEOF);
		edit_at(w, in, c->node + f.off, f.len);
		break;
	}
	case OP_PAGE: {
		const struct synth_slab *sl = synth_slab(s, pick_slab(w, in));
		struct field f = pick_field(in, page_fields, N(page_fields),
					    2 * PAGE_SIZEOF);
		edit_at(w, in, sl->page + f.off, f.len);
		break;
	}
	case OP_ANY_PAGE: { /* any struct page, slab or not */
		uint64_t pfn = u16(in) % SYNTH_MAX_PFN;
		struct field f = pick_field(in, page_fields, N(page_fields),
					    PAGE_SIZEOF);
		edit_at(w, in, SYNTH_VMEMMAP + pfn * PAGE_SIZEOF + f.off, f.len);
		break;
	}
	case OP_FREEPTR: {
		int j = pick_slab(w, in);
		const struct synth_slab *sl = synth_slab(s, j);
		const struct synth_cache *c = synth_cache(s, sl->cache);
		uint64_t obj = synth_obj(s, j, u8(in) % sl->objects);
		uint8_t k = u8(in);
		/* The whole pointer, or its low bytes (an overflow). */
		edit_at(w, in, obj + c->offset, k < 0xc0 ? 8 : 1 + k % 3);
		break;
	}
	case OP_OBJECT: {
		int j = pick_slab(w, in);
		const struct synth_slab *sl = synth_slab(s, j);
		uint64_t bytes = SYNTH_PAGE_SIZE << sl->order;
		uint64_t off = u16(in) % bytes;
		size_t len = 1 + u8(in) % 16;
		if (off + len > bytes)
			len = (size_t)(bytes - off);
		edit_at(w, in, sl->base + off, len);
		break;
	}
	case OP_TRACK: {
		/* Only the debug cache has tracks. */
		int j = DEBUG_SLAB0 + u8(in) % 3;
		const struct synth_slab *sl = synth_slab(s, j);
		const struct synth_cache *c = synth_cache(s, sl->cache);
		uint64_t obj = synth_obj(s, j, u8(in) % sl->objects);
		uint64_t info_end = c->offset >= c->inuse ? c->inuse + 8ULL
							  : c->inuse;
		uint8_t k = u8(in);
		static const struct field tf[] = {
			{ TRACK_ADDR, 8 }, { TRACK_HANDLE, 4 },
			{ TRACK_CPU, 4 },  { TRACK_PID, 4 },
			{ TRACK_WHEN, 8 }, { TRACK_HANDLE + 2, 2 },
		};
		struct field f = tf[k % N(tf)];
		edit_at(w, in,
			obj + info_end + (k & 0x80 ? TRACK_SIZEOF : 0) + f.off,
			f.len);
		break;
	}
	case OP_DEPOT: {
		uint64_t slabs = synth_symbol_addr(s, "stack_slabs");
		uint8_t k = u8(in);
		if (k < 0x20) { /* the stack_slabs[] pointers */
			edit_at(w, in, slabs + 8 * (k % 4), 8);
		} else { /* the records: next, hash, size, handle, entries */
			uint64_t depot = synth_read_u64(s, slabs);
			uint64_t off = u16(in) % 256;
			edit_at(w, in, depot + off, 1 + k % 8);
		}
		break;
	}
	case OP_NAME: {
		int c = pick_cache(w, in);
		uint64_t off = u8(in) % w->name_len[c];
		size_t len = 1 + u8(in) % 4;
		if (off + len > w->name_len[c])
			len = w->name_len[c] - off;
		edit_at(w, in, w->name_addr[c] + off, len);
		break;
	}
	case OP_VAR: {
		struct field f = var_fields[u8(in) % N(var_fields)];
		if (f.off == 0x020) {
			/* max_pfn: a garbage value this large would only make
			 * the page scan long (it walks every pfn below it). */
			uint64_t v = u16(in) % (4 * SYNTH_MAX_PFN);
			poke(w, SYNTH_HEAP + f.off, &v, 8);
		} else if (f.off == 0x028 || f.off == 0x02c) {
			uint32_t v = u8(in) < 0xf0 ? u8(in) % 5
						  : (uint32_t)uN(in, 4);
			poke(w, SYNTH_HEAP + f.off, &v, 4);
		} else {
			edit_at(w, in, SYNTH_HEAP + f.off, f.len);
		}
		break;
	}
	case OP_HOLE: {
		if (w->fi.nholes == MAX_HOLES)
			break;
		struct hole *h = &w->fi.holes[w->fi.nholes++];
		uint8_t k = u8(in);
		uint8_t where = u8(in);
		switch (k % 4) {
		case 0: { /* a slab's memory, or part of it */
			const struct synth_slab *sl =
				synth_slab(s, where % w->nslabs);
			h->addr = sl->base + (u8(in) % 64) * 64;
			h->len = 1 + u16(in) % (SYNTH_PAGE_SIZE << sl->order);
			break;
		}
		case 1: { /* a struct page */
			const struct synth_slab *sl =
				synth_slab(s, where % w->nslabs);
			h->addr = sl->page + (u8(in) % 2) * PAGE_SIZEOF;
			h->len = 8 * (1 + u8(in) % 8);
			break;
		}
		case 2: { /* cache metadata */
			const struct synth_cache *c =
				synth_cache(s, where % w->ncaches);
			static const uint64_t offs[] = { 0, KC_NAME, KC_LIST,
							 KC_NODE };
			uint8_t m = u8(in);
			if (m % 6 < 4)
				h->addr = c->addr + offs[m % 4];
			else if (m % 6 == 4)
				h->addr = c->node;
			else
				h->addr = synth_kcc(s, where % w->ncaches,
						    m / 6 % SYNTH_NR_CPUS);
			h->len = 8 * (1 + u8(in) % 8);
			break;
		}
		case 3: { /* a page of the vmemmap, the names, the depot */
			uint8_t m = u8(in);
			if (m % 3 == 0)
				h->addr = SYNTH_VMEMMAP +
					  (where % 8) * SYNTH_PAGE_SIZE;
			else if (m % 3 == 1)
				h->addr = w->name_addr[where % w->ncaches];
			else
				h->addr = synth_read_u64(
					s, synth_symbol_addr(s, "stack_slabs"));
			h->len = m / 3 % 2 ? 8 : SYNTH_PAGE_SIZE;
			break;
		}
		}
		h->code = k & 0x80 ? SS_ERR_EXCLUDED : SS_ERR_FAULT;
		if (h->addr < VAR_END && h->addr + h->len > SYNTH_HEAP)
			mm_touched = true;
		if (verbose)
			fprintf(stderr, "  hole 0x%" PRIx64 " +%" PRIu64 " %s\n",
				h->addr, h->len, ss_errcode_name(h->code));
		break;
	}
	}
}

/* ---- the run and its invariants ---- */

#include "fuzz_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct world *w = &worlds[u8(&in) % NVARIANTS];
	uint8_t nedits = u8(&in) % MAX_EDITS;
	/* Addresses for whatis, before the edits use the rest. */
	uint64_t probes[4];
	for (int i = 0; i < 4; i++) {
		const struct synth_slab *sl = synth_slab(w->s, pick_slab(w, &in));
		uint64_t bytes = SYNTH_PAGE_SIZE << sl->order;
		probes[i] = sl->base - 64 + u16(&in) % (bytes + 128);
	}
	for (int i = 0; i < nedits && in.n; i++)
		apply_edit(w, &in);

	struct ss_model *m = NULL;
	struct ss_error *err = ss_model_load(&w->t, NULL, &m);
	if (err) {
		if (err->code != SS_ERR_NOMEM && !mm_touched)
			die("ss_model_load failed: %s: %s",
			    ss_errcode_name(err->code), err->message);
		if (verbose)
			fprintf(stderr, "  ss_model_load: %s\n", err->message);
		ss_error_destroy(err);
		undo_all(w);
		return 0;
	}
	if (verbose) {
		size_t ns;
		const struct ss_slab *sl = ss_model_slabs(m, &ns);
		for (size_t i = 0; i < ns; i++)
			fprintf(stderr,
				"  slab 0x%" PRIx64 " cache %d objects %u order "
				"%u list %s free %u/%u/%u\n",
				sl[i].page, (int)sl[i].cache, sl[i].objects,
				sl[i].order, ss_slab_list_name(sl[i].list),
				sl[i].nfree, sl[i].ncpu_free, sl[i].nunknown);
	}
	struct ss_check_result r;
	err = ss_check_run(m, NULL, &r);
	check_err(err, "ss_check_run");
	if (!err) {
		check_findings(m, &r);
		run_reports(m, &r);
		ss_check_result_deinit(&r);
	} else {
		ss_error_destroy(err);
	}
	check_slabs(m);
	for (int i = 0; i < 4; i++)
		check_whatis(m, probes[i]);
	/* leaks: the debug cache by its tracks, a plain one by content. */
	run_leaks(m, ss_model_find_cache(m, "fz-debug-40"), size & 1);
	run_leaks(m, ss_model_find_cache(m, "fz-64"), false);
	ss_model_destroy(m);
	undo_all(w);
	return 0;
}
