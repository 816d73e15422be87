/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: the SLAB model (CONFIG_SLAB + CONFIG_DEBUG_SLAB),
 * `check`, `whatis`, the object walks, `leaks` and the reports over a
 * synthetic SLAB kernel (tests/unit/synth_slab.h) whose bytes the fuzzer
 * overwrites.
 *
 * Built once at start-up: two small 6.1 SLAB kernels (one node; two nodes
 * with alien caches), each with five caches (DEBUG_SLAB caches with the
 * index array in an object (OBJFREELIST), off the slab (order 1) and on
 * the slab (a ctor cache), a plain cache, a poison-only cache), each with
 * a partial slab whose objects sit in its index array, CPU array caches
 * and the shared one, a full slab and a free slab on the node lists.
 *
 * An input is a variant byte, an edit count, four whatis probes and the
 * edits; each edit picks a target (a kmem_cache field, a kmem_cache_node
 * field, an array cache's avail/limit/entries, a struct slab field, index
 * array bytes, object bytes, red zone and user words, the mm variables, an
 * unreadable hole, a page frame that claims to be a slab) and a value (raw
 * bytes, or a pointer that means something here: a slot, an object, a
 * slab's list_head, a node list head, a cache).  Edits are undone after
 * the run, so the kernels are built only once.
 *
 * Invariants: those of fuzz_model.h (the error contract, counts that add
 * up, per-slab states agreeing between the load, ss_model_slab_objects()
 * and whatis, findings with a kind, a message and a valid cache), plus:
 * every object address lies inside its slab's pages.
 *
 * Environment: SS_FUZZ_CC (compiler for slab_types.c, default cc),
 * SS_FUZZ_DATADIR (directory of slab_types.c), SS_FUZZ_VERBOSE=1 (print
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

#include "synth_slab.h"
#include "fuzz_image.h"

#ifndef SS_FUZZ_DATADIR
#define SS_FUZZ_DATADIR "tests/unit/data"
#endif

/* The synth's fixed variables (synth.c). */
#define VAR_MAX_PFN (SYNTH_HEAP + 0x020)
#define VAR_NR_CPU_IDS (SYNTH_HEAP + 0x028)
#define VAR_NR_NODE_IDS (SYNTH_HEAP + 0x02c)
#define VAR_CPU_POSSIBLE (SYNTH_HEAP + 0x030)
#define VAR_END (SYNTH_HEAP + 0x100)

#define NVARIANTS 2
#define MAX_EDITS 48
#define MAX_EDIT_LEN 16
#define DEBUG_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

struct world {
	struct synth_slabk *k;
	struct synth *s;
	struct fuzz_image fi; /* the memory the model reads */
	struct ss_memory mem;
	struct ss_target t;
	int ncaches, nslabs;
};

static struct world worlds[NVARIANTS];
static FILE *devnull;
static bool verbose;
static char tmpdir[256];
static char so_path[512];

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "fuzz_slab_slab: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static void cleanup(void)
{
	if (so_path[0])
		unlink(so_path);
	if (tmpdir[0])
		rmdir(tmpdir);
}

static void build_types(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%s/ss-fuzz-slab-slab-XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		die("mkdtemp failed");
	atexit(cleanup);
	const char *cc = getenv("SS_FUZZ_CC");
	if (!cc || !*cc)
		cc = "cc";
	const char *dd = getenv("SS_FUZZ_DATADIR");
	if (!dd || !*dd)
		dd = SS_FUZZ_DATADIR;
	snprintf(so_path, sizeof(so_path), "%s/slab_types.so", tmpdir);
	char *cmd;
	if (asprintf(&cmd,
		     "%s -g -gdwarf-5 -O0 -nostdlib -shared -fPIC -o '%s' "
		     "'%s/slab_types.c'",
		     cc, so_path, dd) < 0)
		die("out of memory");
	if (system(cmd) != 0)
		die("failed: %s", cmd);
	free(cmd);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int add_cache(struct world *w, const char *name, uint32_t object_size,
		     uint64_t flags, enum synth_fl placement, unsigned order,
		     uint64_t ctor)
{
	struct synth_slab_cache_spec spec = {
		.name = name,
		.object_size = object_size,
		.flags = flags,
		.order = order,
		.ctor = ctor,
		.placement = placement,
	};
	return synth_slab_add_cache(w->k, &spec);
}

/* A partial slab (freed into it, CPU 0 and 1, the shared cache, an alien
 * cache in variant 1), a full slab, a free slab. */
static void populate(struct world *w, int c, int variant)
{
	struct synth_slabk *k = w->k;
	const struct synth_slab_cache *sc = synth_slab_cache(k, c);
	int p = synth_slab_add_slab(k, c, sc->colour > 1 ? 1 : 0);
	synth_slab_add_slab(k, c, 0);
	int f = synth_slab_add_slab(k, c, 0);
	uint32_t last = sc->num - 1;
	const uint32_t fr[] = { 3, last, 0 };
	const uint32_t cpu0[] = { 5, 1 };
	const uint32_t cpu1[] = { 2 };
	const uint32_t sh[] = { 4 };
	const uint32_t al[] = { 6 };
	synth_slab_free(k, p, fr, N(fr));
	synth_slab_free_cpu(k, p, 0, cpu0, N(cpu0));
	synth_slab_free_cpu(k, p, 1, cpu1, N(cpu1));
	if (sc->shared)
		synth_slab_free_shared(k, p, sh, N(sh));
	if (variant == 1)
		synth_slab_free_alien(k, p, al, N(al));
	for (uint32_t i = 0; i < sc->num; i++)
		synth_slab_free(k, f, &i, 1);
}

static void build_world(struct world *w, int variant)
{
	w->k = synth_slab_create(so_path);
	if (!w->k)
		die("synth_slab_create failed");
	w->s = synth_slab_base(w->k);
	uint64_t ctor = synth_dbg_symbol(w->s, "kmem_cache_destroy");
	int c;
	c = add_cache(w, "fz-objfl-64", 64, DEBUG_FLAGS, SYNTH_FL_AUTO, 0, 0);
	populate(w, c, variant);
	c = add_cache(w, "fz-offslab-100", 100, DEBUG_FLAGS,
		      SYNTH_FL_OFF_SLAB, 1, 0);
	populate(w, c, variant);
	c = add_cache(w, "fz-ctor-200", 200, DEBUG_FLAGS, SYNTH_FL_ON_SLAB, 0,
		      ctor);
	populate(w, c, variant);
	c = add_cache(w, "fz-plain-128", 128, 0, SYNTH_FL_ON_SLAB, 0, 0);
	populate(w, c, variant);
	c = add_cache(w, "fz-poison-40", 40, SLAB_POISON, SYNTH_FL_AUTO, 0, 0);
	populate(w, c, variant);
	synth_slab_finish(w->k);
	w->ncaches = synth_slab_ncaches(w->k);
	w->nslabs = synth_slab_nslabs(w->k);

	struct ss_memimage *img = synth_image(w->s);
	if (!fuzz_image_map(&w->fi, img))
		die("the image is not laid out as synth.h says");
	w->t = *synth_target(w->s);
	w->mem.read = fuzz_image_read;
	w->mem.arg = &w->fi;
	w->t.mem = &w->mem;

	/* A clean kernel has no findings: edits are the only news. */
	struct ss_model *m = NULL;
	struct ss_error *err = ss_model_load(&w->t, NULL, &m);
	if (err)
		die("clean variant %d: %s", variant, err->message);
	struct ss_check_result r;
	err = ss_check_run(m, NULL, &r);
	if (err)
		die("clean variant %d: %s", variant, err->message);
	if (r.nfindings)
		die("clean variant %d: %zu findings, first %s", variant,
		    r.nfindings, r.findings[0].message);
	ss_check_result_deinit(&r);
	ss_model_destroy(m);
}

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

/* ---- edits, undone after each input ---- */

struct undo {
	uint64_t addr;
	size_t len;
	uint8_t old[MAX_EDIT_LEN];
};

static struct undo undo_log[MAX_EDITS];
static int nundo;
static bool mm_touched;

static bool in_image(uint64_t addr, size_t len)
{
	if (addr + len < addr)
		return false;
	return (addr - SYNTH_HEAP < SYNTH_HEAP_SIZE &&
		addr + len - SYNTH_HEAP <= SYNTH_HEAP_SIZE) ||
	       (addr - SYNTH_VMEMMAP < SYNTH_MAX_PFN * PAGE_SIZEOF &&
		addr + len - SYNTH_VMEMMAP <= SYNTH_MAX_PFN * PAGE_SIZEOF) ||
	       (addr - SYNTH_PAGE_OFFSET < SYNTH_MAX_PFN * SYNTH_PAGE_SIZE &&
		addr + len - SYNTH_PAGE_OFFSET <=
			SYNTH_MAX_PFN * SYNTH_PAGE_SIZE);
}

static void poke(struct world *w, uint64_t addr, const void *data, size_t len)
{
	if (nundo == MAX_EDITS || len == 0 || len > MAX_EDIT_LEN ||
	    !in_image(addr, len))
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

/* A value of len bytes: raw, or a pointer or count that means something
 * in this kernel. */
static void gen_value(struct world *w, struct in *in, size_t len,
		      uint8_t *buf)
{
	struct synth_slabk *k = w->k;
	uint64_t v = 0;
	uint8_t kind = u8(in);
	int sl = pick_slab(w, in);
	const struct synth_slab_slab *s = synth_slab_slab(k, sl);
	const struct synth_slab_cache *c = synth_slab_cache(k, s->cache);
	switch (kind % 10) {
	case 0: /* raw */
		for (size_t i = 0; i < len; i++)
			buf[i] = u8(in);
		return;
	case 1: v = synth_slab_raw(k, sl, u8(in) % s->num); break;
	case 2: v = synth_slab_obj(k, sl, u8(in) % s->num); break;
	case 3: v = s->page + SK_SL_LIST; break;
	case 4: v = c->node + SK_KCN_PARTIAL + 16 * (u8(in) % 3); break;
	case 5: v = c->addr; break;
	case 6: v = u8(in); break;
	case 7: v = (uint64_t)-1 >> (u8(in) % 64); break;
	case 8: v = s->num + (uint64_t)(int8_t)u8(in); break;
	default: v = s->page + (u8(in) % 4) * SK_PAGE_SIZEOF; break;
	}
	memset(buf, 0, len);
	memcpy(buf, &v, len < 8 ? len : 8);
}

static void edit_at(struct world *w, struct in *in, uint64_t addr, size_t len)
{
	uint8_t buf[MAX_EDIT_LEN];
	if (len > MAX_EDIT_LEN)
		len = MAX_EDIT_LEN;
	gen_value(w, in, len, buf);
	poke(w, addr, buf, len);
}

struct field {
	uint32_t off, len;
};

static const struct field kc_fields[] = {
	{ SK_KC_CPU_CACHE, 8 }, { SK_KC_LIMIT, 4 }, { SK_KC_SHARED, 4 },
	{ SK_KC_SIZE, 4 }, { SK_KC_FLAGS, 4 }, { SK_KC_NUM, 4 },
	{ SK_KC_GFPORDER, 4 }, { SK_KC_CTOR, 8 }, { SK_KC_NAME, 8 },
	{ SK_KC_LIST, 8 }, { SK_KC_LIST + 8, 8 }, { SK_KC_REFCOUNT, 4 },
	{ SK_KC_OBJECT_SIZE, 4 }, { SK_KC_ALIGN, 4 },
	{ SK_KC_OBJ_OFFSET, 4 }, { SK_KC_NODE, 8 }, { SK_KC_NODE + 8, 8 },
};
static const struct field kcn_fields[] = {
	{ SK_KCN_PARTIAL, 8 }, { SK_KCN_PARTIAL + 8, 8 },
	{ SK_KCN_FULL, 8 }, { SK_KCN_FULL + 8, 8 },
	{ SK_KCN_FREE, 8 }, { SK_KCN_FREE + 8, 8 },
	{ SK_KCN_TOTAL_SLABS, 8 }, { SK_KCN_FREE_SLABS, 8 },
	{ SK_KCN_FREE_OBJECTS, 8 }, { SK_KCN_SHARED, 8 },
	{ SK_KCN_ALIEN, 8 },
};
static const struct field ac_fields[] = {
	{ SK_AC_AVAIL, 4 }, { SK_AC_LIMIT_OFF, 4 },
	{ SK_AC_ENTRY, 8 }, { SK_AC_ENTRY + 8, 8 }, { SK_AC_ENTRY + 16, 8 },
	{ SK_AC_ENTRY + 24, 8 },
};
static const struct field slab_fields[] = {
	{ SK_SL_FLAGS, 8 }, { SK_SL_LIST, 8 }, { SK_SL_LIST + 8, 8 },
	{ SK_SL_CACHE, 8 }, { SK_SL_FREELIST, 8 }, { SK_SL_S_MEM, 8 },
	{ SK_SL_ACTIVE, 4 },
	/* the next struct page's compound_head and compound_order */
	{ SK_PAGE_SIZEOF + SK_PG_COMPOUND_HEAD, 8 },
	{ SK_PAGE_SIZEOF + SK_PG_COMPOUND_ORDER, 1 },
};

static struct field pick_field(struct in *in, const struct field *f, size_t n)
{
	uint8_t b = u8(in);
	struct field r = f[b % n];
	/* Now and then a part of the field only. */
	if (b & 0x80 && r.len > 1)
		r.len = 1 + (uint32_t)(u8(in) % r.len);
	return r;
}

/* The array cache an edit picks: CPU 0, CPU 1, shared, alien. */
static uint64_t pick_ac(struct world *w, struct in *in)
{
	const struct synth_slab_cache *c =
		synth_slab_cache(w->k, pick_cache(w, in));
	switch (u8(in) % 4) {
	case 0: return synth_slab_cpu_ac(w->k, (int)(c - synth_slab_cache(w->k, 0)), 0);
	case 1: return synth_slab_cpu_ac(w->k, (int)(c - synth_slab_cache(w->k, 0)), 1);
	case 2: return c->shared;
	default: return c->alien ? c->alien + SK_ALIEN_AC : c->shared;
	}
}

static void apply_edit(struct world *w, struct in *in)
{
	struct synth_slabk *k = w->k;
	uint8_t op = u8(in);
	switch (op % 11) {
	case 0: {
		const struct synth_slab_cache *c =
			synth_slab_cache(k, pick_cache(w, in));
		struct field f = pick_field(in, kc_fields, N(kc_fields));
		edit_at(w, in, c->addr + f.off, f.len);
		break;
	}
	case 1: {
		const struct synth_slab_cache *c =
			synth_slab_cache(k, pick_cache(w, in));
		struct field f = pick_field(in, kcn_fields, N(kcn_fields));
		edit_at(w, in, c->node + f.off, f.len);
		break;
	}
	case 2: {
		uint64_t ac = pick_ac(w, in);
		struct field f = pick_field(in, ac_fields, N(ac_fields));
		if (ac)
			edit_at(w, in, ac + f.off, f.len);
		break;
	}
	case 3: {
		const struct synth_slab_slab *s =
			synth_slab_slab(k, pick_slab(w, in));
		struct field f = pick_field(in, slab_fields, N(slab_fields));
		edit_at(w, in, s->page + f.off, f.len);
		break;
	}
	case 4: { /* index array bytes */
		const struct synth_slab_slab *s =
			synth_slab_slab(k, pick_slab(w, in));
		uint64_t fl = synth_read_u64(w->s, s->page + SK_SL_FREELIST);
		uint8_t at = u8(in), len = 1 + u8(in) % 4;
		uint8_t buf[4];
		for (int i = 0; i < len; i++)
			buf[i] = u8(in);
		if (fl)
			poke(w, fl + at % s->num, buf, len);
		break;
	}
	case 5: { /* object bytes */
		const struct synth_slab_slab *s =
			synth_slab_slab(k, pick_slab(w, in));
		uint64_t span = SYNTH_PAGE_SIZE << s->order;
		uint64_t at = s->base + u16(in) % span;
		uint8_t len = 1 + u8(in) % MAX_EDIT_LEN;
		uint8_t buf[MAX_EDIT_LEN];
		for (int i = 0; i < len; i++)
			buf[i] = u8(in);
		poke(w, at, buf, len);
		break;
	}
	case 6: { /* a debug word of an object */
		int sl = pick_slab(w, in);
		const struct synth_slab_slab *s = synth_slab_slab(k, sl);
		const struct synth_slab_cache *c = synth_slab_cache(k, s->cache);
		uint32_t i = u8(in) % s->num;
		uint8_t which = u8(in) % 3;
		if (!(c->flags & SLAB_RED_ZONE) && which < 2)
			break;
		uint64_t at = which == 0   ? synth_slab_redzone1(k, sl, i)
			      : which == 1 ? synth_slab_redzone2(k, sl, i)
					   : synth_slab_userword(k, sl, i);
		if (which == 2 && !(c->flags & SLAB_STORE_USER))
			break;
		uint64_t v = u8(in) & 1 ? SK_RED_ACTIVE : SK_RED_INACTIVE;
		if (u8(in) & 1)
			v ^= (uint64_t)1 << (u8(in) % 64);
		poke(w, at, &v, 8);
		break;
	}
	case 7: { /* the mm variables */
		static const struct field vars[] = {
			{ (uint32_t)(VAR_NR_NODE_IDS - SYNTH_HEAP), 4 },
			{ (uint32_t)(VAR_NR_CPU_IDS - SYNTH_HEAP), 4 },
			{ (uint32_t)(VAR_CPU_POSSIBLE - SYNTH_HEAP), 8 },
			{ (uint32_t)(VAR_MAX_PFN - SYNTH_HEAP), 8 },
		};
		struct field f = vars[u8(in) % N(vars)];
		uint64_t v = u8(in);
		if (f.off == VAR_MAX_PFN - SYNTH_HEAP)
			v = u16(in) % 2048; /* see README: Known limits */
		else if (u8(in) & 1)
			v = (uint64_t)u16(in) << 8;
		poke(w, SYNTH_HEAP + f.off, &v, f.len);
		break;
	}
	case 8: { /* an unreadable hole */
		if (w->fi.nholes == MAX_HOLES)
			break;
		struct hole *h = &w->fi.holes[w->fi.nholes];
		int sl = pick_slab(w, in);
		const struct synth_slab_slab *s = synth_slab_slab(k, sl);
		const struct synth_slab_cache *c = synth_slab_cache(k, s->cache);
		switch (u8(in) % 6) {
		case 0: h->addr = s->base; h->len = SYNTH_PAGE_SIZE; break;
		case 1: h->addr = s->freelist ? s->freelist : s->base;
			h->len = s->num; break;
		case 2: h->addr = c->node; h->len = SK_KCN_SIZEOF; break;
		case 3: h->addr = pick_ac(w, in); h->len = SK_AC_ENTRY + 64;
			break;
		case 4: h->addr = c->addr + SK_KC_NODE; h->len = 8; break;
		default: h->addr = s->page; h->len = SK_PAGE_SIZEOF; break;
		}
		if (!h->addr)
			break;
		h->code = u8(in) & 1 ? SS_ERR_EXCLUDED : SS_ERR_FAULT;
		w->fi.nholes++;
		if (verbose)
			fprintf(stderr, "  hole 0x%" PRIx64 " +%" PRIu64 "\n",
				h->addr, h->len);
		break;
	}
	case 9: { /* a page frame that claims to be a slab */
		uint64_t pfn = u16(in) % SYNTH_MAX_PFN;
		uint64_t pg = SYNTH_VMEMMAP + pfn * SK_PAGE_SIZEOF;
		uint64_t flags = 1ULL << PG_SLAB_BIT;
		if (u8(in) & 1)
			flags |= 1ULL << PG_HEAD_BIT;
		poke(w, pg + SK_SL_FLAGS, &flags, 8);
		uint64_t c = synth_slab_cache(k, pick_cache(w, in))->addr;
		poke(w, pg + SK_SL_CACHE, &c, 8);
		edit_at(w, in, pg + SK_SL_S_MEM, 8);
		edit_at(w, in, pg + SK_SL_FREELIST, 8);
		edit_at(w, in, pg + SK_SL_ACTIVE, 4);
		break;
	}
	default: { /* any word of the heap's first structures */
		uint64_t at = SYNTH_HEAP + 0x1000 + (u16(in) % 0x4000) * 8ULL;
		edit_at(w, in, at, 8);
		break;
	}
	}
}

/* ---- the run and its invariants ---- */

#include "fuzz_model.h"

/* Every object of a slab inside the slab's pages. */
static void check_inside(struct ss_model *m)
{
	size_t n;
	const struct ss_slab *slabs = ss_model_slabs(m, &n);
	const struct ss_mm_facts *mm = ss_model_mm(m);
	for (size_t i = 0; i < n; i++) {
		const struct ss_slab *s = &slabs[i];
		if (s->cache == SS_NO_CACHE || !s->objects)
			continue;
		struct ss_object *objs = calloc(s->objects, sizeof(*objs));
		if (!objs)
			return;
		struct ss_error *err = ss_model_slab_objects(m, s, objs);
		uint64_t start = mm->page_offset +
				 ((s->page - mm->vmemmap) /
				  mm->struct_page_size) * mm->page_size;
		uint64_t end = start + (mm->page_size << s->order);
		for (uint32_t o = 0; !err && o < s->objects; o++)
			if (objs[o].addr < start || objs[o].addr >= end)
				die("slab 0x%" PRIx64 ": object %u at 0x%" PRIx64
				    " outside [0x%" PRIx64 ", 0x%" PRIx64 ")",
				    s->page, o, objs[o].addr, start, end);
		ss_error_destroy(err);
		free(objs);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct world *w = &worlds[u8(&in) % NVARIANTS];
	uint8_t nedits = u8(&in) % MAX_EDITS;
	uint64_t probes[4];
	for (int i = 0; i < 4; i++) {
		const struct synth_slab_slab *sl =
			synth_slab_slab(w->k, pick_slab(w, &in));
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
	check_inside(m);
	for (int i = 0; i < 4; i++)
		check_whatis(m, probes[i]);
	run_leaks(m, ss_model_find_cache(m, "fz-objfl-64"), size & 1);
	run_leaks(m, ss_model_find_cache(m, "fz-plain-128"), false);
	ss_model_destroy(m);
	undo_all(w);
	return 0;
}
