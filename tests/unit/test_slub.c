/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SLUB model (ss_model_load) and `slabscope check` (ss_check_run) on a
 * synthetic kernel (synth.h): every finding id on slabs built to order,
 * with the exact object, address, bytes and culprit each must name.
 *
 * The types come from tests/unit/data/slub_types.c, built at suite set-up
 * twice: with CONFIG_SLAB_FREELIST_HARDENED's kmem_cache.random and
 * without it.  SS_TEST_DATADIR: directory of slub_types.c; $SS_TEST_CC:
 * compiler (gcc).  SS_TEST_VERBOSE=1 prints every finding of every case.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include <slabscope/check.h>
#include <slabscope/slab.h>

#include "model_run.h"
#include "synth.h"
#include "unit.h"

static char tmpdir[256];
static char so_hard[512], so_plain[512];

static int suite_cleanup(void)
{
	model_run_rmtemp(tmpdir, so_hard, so_plain, (char *)NULL);
	return 0;
}

static int suite_init(void)
{
	if (!model_run_mkdtemp(tmpdir, sizeof(tmpdir), "slub"))
		return -1;
	snprintf(so_hard, sizeof(so_hard), "%s/slub_types.so", tmpdir);
	snprintf(so_plain, sizeof(so_plain), "%s/slub_types_plain.so", tmpdir);
	if (model_run_build_types("slub_types.c", "", so_hard) ||
	    model_run_build_types("slub_types.c", "-DSS_SLUB_NO_HARDENED",
				  so_plain)) {
		suite_cleanup();
		return -1;
	}
	return 0;
}

/* ---- running the model and the checks ---- */

/* Start a run on a new synthetic kernel with the types of so. */
static bool run_start(struct model_run *run, const char *so)
{
	return model_run_init(run, synth_create(so), NULL);
}

static void run_done(struct model_run *run)
{
	model_run_release(run);
	synth_destroy(run->s);
	memset(run, 0, sizeof(*run));
}

/*
 * SLUB's FINDING: the first finding with this id and object (ANY: the
 * first of the id), asserted to be there with the given cache (NULL: no
 * cache), then its address asserted (ANY: not checked).
 */
static const struct ss_finding *finding_(struct model_run *run,
					 const char *id, const char *cache,
					 uint64_t object, uint64_t address,
					 unsigned line)
{
	const struct ss_finding *f =
		model_run_finding(run, id, cache, object, ANY, __FILE__, line);
	if (f && address != ANY)
		ASSERT_AT(f->address == address, line,
			  "%s: address 0x%" PRIx64 ", want 0x%" PRIx64, id,
			  f->address, address);
	return f;
}
#define FINDING(run, id, cache, object, address)                           \
	finding_((run), (id), (cache), (object), (address), __LINE__)

static void culprit_(const struct ss_finding *f, uint64_t object,
		     unsigned line)
{
	if (!f)
		return;
	if (object == 0) {
		ASSERT_AT(!f->has_culprit, line, "%s: no culprit expected",
			  f->kind->id);
		return;
	}
	ASSERT_AT(f->has_culprit && f->culprit.object == object, line,
		  "%s: culprit 0x%" PRIx64 ", want 0x%" PRIx64, f->kind->id,
		  f->has_culprit ? f->culprit.object : 0, object);
}
#define CULPRIT(f, object) culprit_((f), (object), __LINE__)

/* Expected and found bytes of a byte finding. */
static void bytes_(const struct ss_finding *f, uint8_t expected,
		   uint8_t found, uint64_t bad_len, unsigned line)
{
	if (!f)
		return;
	ASSERT_AT(f->nbytes > 0 && f->expected[0] == expected &&
			  f->found[0] == found,
		  line, "%s: first byte 0x%02x (expected 0x%02x), want 0x%02x "
		  "(expected 0x%02x)",
		  f->kind->id, f->nbytes ? f->found[0] : 0,
		  f->nbytes ? f->expected[0] : 0, found, expected);
	ASSERT_AT(f->bad_len == bad_len, line, "%s: bad_len %" PRIu64
		  ", want %" PRIu64, f->kind->id, f->bad_len, bad_len);
}
#define BYTES(f, e, fo, len) bytes_((f), (e), (fo), (len), __LINE__)

/* ---- cache recipes ---- */

#define RANDOM1 0x5f3c9e1d27a4b680ULL
#define RANDOM2 0x0123456789abcdefULL
#define RANDOM3 0x9e3779b97f4a7c15ULL

static int add_cache(struct synth *s, const char *name, uint32_t object_size,
		     uint64_t flags, enum ss_fp_encoding enc, uint64_t random)
{
	struct synth_cache_spec spec = {
		.name = name,
		.object_size = object_size,
		.flags = flags,
		.enc = enc,
		.random = random,
	};
	return synth_add_cache(s, &spec);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A cache in every place SLUB keeps slabs: two on the node's partial list,
 * CPU 0's slab (lockless freelist plus remote frees on its own), one on
 * CPU 1's partial list, one full on no list.  Returns the slab ids in
 * ids[5]; *nfree / *ncpu_free get what was freed.
 */
static void populate(struct synth *s, int c, int ids[5], uint64_t *nfree,
		     uint64_t *ncpu_free)
{
	for (int i = 0; i < 5; i++)
		ids[i] = synth_add_slab(s, c, 0);
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
	*nfree = N(p0) + N(p1) + N(cpu_own) + N(cpu_part);
	*ncpu_free = N(cpu_free);
}

/* ---- clean caches ---- */

static void test_clean_hardened(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	const struct {
		const char *name;
		uint32_t object_size;
		enum ss_fp_encoding enc;
		uint64_t random;
	} recipes[] = {
		{ "swab-64", 64, SS_FP_XOR_SWAB, RANDOM1 },
		{ "swab-192", 192, SS_FP_XOR_SWAB, RANDOM2 },
		{ "xor-128", 128, SS_FP_XOR, RANDOM3 },
		{ "plain-32", 32, SS_FP_PLAIN, RANDOM1 },
	};
	int ids[N(recipes)][5];
	uint64_t nfree[N(recipes)], ncpu[N(recipes)];
	for (size_t i = 0; i < N(recipes); i++) {
		int c = add_cache(s, recipes[i].name, recipes[i].object_size, 0,
				  recipes[i].enc, recipes[i].random);
		populate(s, c, ids[i], &nfree[i], &ncpu[i]);
	}
	/* Every object allocated: nothing to decide the encoding from. */
	int full = add_cache(s, "full-96", 96, 0, SS_FP_XOR_SWAB, RANDOM2);
	int f0 = synth_add_slab(s, full, 0);
	int f1 = synth_add_slab(s, full, 0);
	synth_cpu_slab(s, f1, 0, NULL, 0);
	if (!model_run_check(&run, "clean hardened"))
		goto out;
	NFINDINGS(&run, NULL, 0);
	CU_ASSERT_EQUAL(ss_model_nanomalies(run.m), 0);
	CU_ASSERT_EQUAL(ss_model_ncaches(run.m), N(recipes) + 1);
	CU_ASSERT_EQUAL(ss_model_allocator(run.m), SS_ALLOC_SLUB);
	for (size_t i = 0; i < N(recipes); i++) {
		const struct ss_cache *c = CACHE(&run, recipes[i].name);
		if (!c)
			continue;
		const struct synth_cache *sc = synth_cache(s, (int)i);
		uint64_t total = 5ULL * sc->objects;
		COUNTS(&run, recipes[i].name, total - nfree[i] - ncpu[i],
		       nfree[i], ncpu[i], 0);
		CU_ASSERT_EQUAL(c->fp_encoding, recipes[i].enc);
		CU_ASSERT_FALSE(c->fp_encoding_inferred);
		CU_ASSERT_TRUE(c->has_random);
		CU_ASSERT_EQUAL(c->random, recipes[i].random);
		CU_ASSERT_EQUAL(c->addr, sc->addr);
		CU_ASSERT_EQUAL(c->size, sc->size);
		CU_ASSERT_EQUAL(c->object_size, recipes[i].object_size);
		CU_ASSERT_EQUAL(c->offset, sc->offset);
		CU_ASSERT_EQUAL(c->inuse, sc->inuse);
		CU_ASSERT_EQUAL(c->objects_per_slab, sc->objects);
		CU_ASSERT_EQUAL(c->order, 0);
		CU_ASSERT_EQUAL(c->min_partial, 5);
		CU_ASSERT_EQUAL(c->cpu_partial, 30);
		CU_ASSERT_EQUAL(c->refcount, 1);
		CU_ASSERT_EQUAL(c->track_size, TRACK_SIZEOF);
		CU_ASSERT_EQUAL(c->nslabs, 5);
		CU_ASSERT_EQUAL(c->total_objects, total);
		CU_ASSERT_EQUAL(c->memory_bytes, 5 * SYNTH_PAGE_SIZE);
		CU_ASSERT_EQUAL(c->problems, 0);
		CU_ASSERT_TRUE(c->has_node_counts);
		CU_ASSERT_EQUAL(c->node_nr_slabs, 5);
		CU_ASSERT_EQUAL(c->node_total_objects, total);
		CU_ASSERT_EQUAL(c->node_nr_partial, 2);

		/* Each slab on its list, with its own counts. */
		static const enum ss_slab_list lists[5] = {
			SS_LIST_PARTIAL, SS_LIST_PARTIAL, SS_LIST_CPU,
			SS_LIST_CPU_PARTIAL, SS_LIST_NONE
		};
		static const int cpus[5] = { -1, -1, 0, 1, -1 };
		static const uint32_t frees[5] = { 5, 1, 1, 2, 0 };
		for (int k = 0; k < 5; k++) {
			const struct synth_slab *ss = synth_slab(s, ids[i][k]);
			const struct ss_slab *ms =
				model_run_slab(&run, ss->page);
			CU_ASSERT_PTR_NOT_NULL(ms);
			if (!ms)
				continue;
			CU_ASSERT_EQUAL(ms->list, lists[k]);
			CU_ASSERT_EQUAL(ms->cpu, cpus[k]);
			CU_ASSERT_EQUAL(ms->base, ss->base);
			CU_ASSERT_EQUAL(ms->objects, ss->objects);
			CU_ASSERT_EQUAL(ms->nfree, frees[k]);
			CU_ASSERT_EQUAL(ms->ncpu_free, k == 2 ? 4 : 0);
			CU_ASSERT_EQUAL(ms->nunknown, 0);
			CU_ASSERT_EQUAL(ms->frozen, k == 2 || k == 3);
			CU_ASSERT_EQUAL(ms->inuse, ss->objects - frees[k]);
			CU_ASSERT_EQUAL(ms->cache, ss_model_find_cache(
							   run.m, recipes[i].name));
		}
	}
	const struct ss_cache *c = CACHE(&run, "full-96");
	if (c) {
		uint64_t total = 2ULL * synth_cache(s, full)->objects;
		COUNTS(&run, "full-96", total, 0, 0, 0);
		/* Two caches say xor-swab, one xor, one plain: the kernel-wide
		 * scheme is xor-swab. */
		CU_ASSERT_EQUAL(c->fp_encoding, SS_FP_XOR_SWAB);
		CU_ASSERT_TRUE(c->fp_encoding_inferred);
		CU_ASSERT_EQUAL(
			model_run_slab(&run, synth_slab(s, f0)->page)->list,
			SS_LIST_NONE);
		CU_ASSERT_EQUAL(
			model_run_slab(&run, synth_slab(s, f1)->page)->list,
			SS_LIST_CPU);
	}
out:
	run_done(&run);
}

/* A kernel without CONFIG_SLAB_FREELIST_HARDENED: no kmem_cache.random,
 * pointers stored plain, nothing to score. */
static void test_clean_plain_kernel(void)
{
	struct model_run run;
	if (!run_start(&run, so_plain))
		return;
	int ids[5];
	uint64_t nfree, ncpu;
	int c = add_cache(run.s, "plain-kernel-64", 64, 0, SS_FP_PLAIN, 0);
	populate(run.s, c, ids, &nfree, &ncpu);
	int full = add_cache(run.s, "plain-full", 256, 0, SS_FP_PLAIN, 0);
	synth_add_slab(run.s, full, 0);
	if (!model_run_check(&run, "clean plain kernel"))
		goto out;
	NFINDINGS(&run, NULL, 0);
	const struct ss_cache *mc = CACHE(&run, "plain-kernel-64");
	if (mc) {
		CU_ASSERT_FALSE(mc->has_random);
		CU_ASSERT_EQUAL(mc->fp_encoding, SS_FP_PLAIN);
		CU_ASSERT_FALSE(mc->fp_encoding_inferred);
		COUNTS(&run, "plain-kernel-64",
		       5ULL * synth_cache(run.s, c)->objects - nfree - ncpu,
		       nfree, ncpu, 0);
	}
	mc = CACHE(&run, "plain-full");
	if (mc) {
		CU_ASSERT_EQUAL(mc->fp_encoding, SS_FP_PLAIN);
		CU_ASSERT_FALSE(mc->fp_encoding_inferred);
		COUNTS(&run, "plain-full", synth_cache(run.s, full)->objects, 0,
		       0, 0);
	}
out:
	run_done(&run);
}

/*
 * Debug caches as slub_debug leaves them, nothing damaged: the byte checks
 * must not see anything.  FZPU (52-byte objects: right red zone in the
 * word's tail), a kmalloc cache with orig_size, poison only, red zone
 * only, and an order-1 cache.
 */
static void test_clean_debug(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	const struct {
		const char *name;
		uint32_t object_size;
		uint64_t flags;
		unsigned order;
	} recipes[] = {
		{ "fzpu-52", 52, SLUB_DEBUG_FZPU, 0 },
		{ "kmalloc-fzpu-64", 64, SLUB_DEBUG_FZPU | SLAB_KMALLOC, 0 },
		{ "poison-40", 40, SLAB_POISON, 0 },
		{ "redzone-24", 24, SLAB_RED_ZONE, 0 },
		{ "redzone-4", 4, SLAB_RED_ZONE | SLAB_STORE_USER, 0 },
		{ "fzpu-order1-700", 700, SLUB_DEBUG_FZPU, 1 },
	};
	uint64_t nfree[N(recipes)], ncpu[N(recipes)];
	for (size_t i = 0; i < N(recipes); i++) {
		struct synth_cache_spec spec = {
			.name = recipes[i].name,
			.object_size = recipes[i].object_size,
			.flags = recipes[i].flags,
			.order = recipes[i].order,
			.enc = SS_FP_XOR_SWAB,
			.random = RANDOM1 + i,
		};
		int c = synth_add_cache(s, &spec);
		int ids[5];
		populate(s, c, ids, &nfree[i], &ncpu[i]);
		/* SLUB_DEBUG keeps full slabs on the node's full list. */
		synth_node_full(s, c, &ids[4], 1);
	}
	if (!model_run_check(&run, "clean debug"))
		goto out;
	NFINDINGS(&run, NULL, 0);
	for (size_t i = 0; i < N(recipes); i++) {
		const struct synth_cache *sc = synth_cache(s, (int)i);
		const struct ss_cache *c = CACHE(&run, recipes[i].name);
		if (!c)
			continue;
		COUNTS(&run, recipes[i].name,
		       5ULL * sc->objects - nfree[i] - ncpu[i], nfree[i],
		       ncpu[i], 0);
		CU_ASSERT_EQUAL(c->fp_encoding, SS_FP_XOR_SWAB);
		CU_ASSERT_EQUAL(c->red_left_pad, sc->red_left_pad);
		CU_ASSERT_EQUAL(c->flags, sc->flags);
		CU_ASSERT_EQUAL(c->order, recipes[i].order);
		CU_ASSERT_EQUAL(c->memory_bytes,
				5 * (SYNTH_PAGE_SIZE << recipes[i].order));
	}
out:
	run_done(&run);
}

/* ---- freeptr-invalid ---- */

/*
 * A 64-byte xor-swab cache; slab A on the node's partial list with free
 * objects 3 -> 7 -> 9 -> 12, slab B (the next page) with 1 -> 2.
 */
struct victim {
	int cache, a, b;
	uint64_t offset;
};

static void victim_build(struct synth *s, struct victim *v)
{
	v->cache = add_cache(s, "victim-64", 64, 0, SS_FP_XOR_SWAB, RANDOM1);
	v->a = synth_add_slab(s, v->cache, 0);
	v->b = synth_add_slab(s, v->cache, 0);
	const uint32_t fa[] = { 3, 7, 9, 12 };
	const uint32_t fb[] = { 1, 2 };
	synth_slab_freelist(s, v->a, fa, N(fa));
	synth_slab_freelist(s, v->b, fb, N(fb));
	const int partial[] = { v->a, v->b };
	synth_node_partial(s, v->cache, partial, N(partial));
	v->offset = synth_cache(s, v->cache)->offset;
}

/* Object 7 of slab A stores bad: the walk gets 3 and 7, the rest of A is
 * unknown; the culprit is object 6, allocated, just before. */
static void invalid_case(uint64_t (*bad_of)(struct synth *, struct victim *),
			 const char *title)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	uint64_t o7 = synth_obj(run.s, v.a, 7);
	uint64_t bad = bad_of(run.s, &v);
	synth_set_freeptr(run.s, v.cache, o7, bad);
	if (!model_run_check(&run, title))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "freeptr-invalid",
					     "victim-64", o7, o7 + v.offset);
	if (f) {
		CU_ASSERT_TRUE(f->has_value);
		CU_ASSERT_EQUAL(f->value, bad);
		CU_ASSERT_EQUAL(f->slab, synth_slab(run.s, v.a)->page);
		CU_ASSERT_EQUAL(f->kind->severity, SS_SEV_ERROR);
		CULPRIT(f, synth_obj(run.s, v.a, 6));
		if (f->has_culprit)
			CU_ASSERT_EQUAL(f->culprit.relation,
					SS_CULPRIT_PREVIOUS_OBJECT_OVERFLOW);
	}
	uint32_t n = synth_slab(run.s, v.a)->objects;
	/* Slab B is intact: n - 2 allocated, 2 free. */
	COUNTS(&run, "victim-64", n - 2, 2 + 2, 0, n - 2);
	CU_ASSERT_EQUAL(CACHE(&run, "victim-64")->fp_encoding, SS_FP_XOR_SWAB);
out:
	run_done(&run);
}

static uint64_t bad_out_of_slab(struct synth *s, struct victim *v)
{
	(void)s;
	(void)v;
	return SYNTH_PAGE_OFFSET + 3 * SYNTH_PAGE_SIZE + 0x40;
}

static uint64_t bad_misaligned(struct synth *s, struct victim *v)
{
	return synth_obj(s, v->a, 9) + 8;
}

static uint64_t bad_noncanonical(struct synth *s, struct victim *v)
{
	(void)s;
	(void)v;
	return 0xdead4ead00000100ULL;
}

/* A real object of the next slab: a boundary, but not of this slab. */
static uint64_t bad_next_slab(struct synth *s, struct victim *v)
{
	CU_ASSERT_EQUAL(synth_slab(s, v->b)->base,
			synth_slab(s, v->a)->base + SYNTH_PAGE_SIZE);
	return synth_obj(s, v->b, 1);
}

/* One past the last object: in the page, at a slot boundary. */
static uint64_t bad_past_last(struct synth *s, struct victim *v)
{
	struct synth_slab *a = synth_slab(s, v->a);
	return a->base + (uint64_t)a->objects * synth_cache(s, v->cache)->size;
}

static void test_invalid_out_of_slab(void)
{
	invalid_case(bad_out_of_slab, "freeptr out of slab");
}

static void test_invalid_misaligned(void)
{
	invalid_case(bad_misaligned, "freeptr misaligned");
}

static void test_invalid_noncanonical(void)
{
	invalid_case(bad_noncanonical, "freeptr non-canonical");
}

static void test_invalid_next_slab(void)
{
	invalid_case(bad_next_slab, "freeptr into the next slab");
	invalid_case(bad_past_last, "freeptr one past the last object");
}

/* The slab's freelist head itself is garbage: no object stores it, so no
 * object and no culprit; every object of the slab is unknown. */
static void test_invalid_head(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	struct synth_slab *a = synth_slab(run.s, v.a);
	uint64_t bad = a->base + 1;
	synth_write_u64(run.s, a->page + SL_FREELIST, bad);
	if (!model_run_check(&run, "freelist head invalid"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "freeptr-invalid",
					     "victim-64", 0,
					     a->page + SL_FREELIST);
	if (f) {
		CU_ASSERT_EQUAL(f->value, bad);
		CU_ASSERT_EQUAL(f->slab, a->page);
		CULPRIT(f, 0);
	}
	COUNTS(&run, "victim-64", a->objects - 2, 2, 0, a->objects);
out:
	run_done(&run);
}

/* The bad pointer is in the last free object (where NULL belongs): the
 * slab's inuse says every free object was reached, so the others are
 * provably allocated. */
static void test_invalid_last(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	uint64_t o12 = synth_obj(run.s, v.a, 12);
	synth_set_freeptr(run.s, v.cache, o12, 0x4141414141414141ULL);
	if (!model_run_check(&run, "bad pointer in the last free object"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "freeptr-invalid",
					     "victim-64", o12, o12 + v.offset);
	CULPRIT(f, synth_obj(run.s, v.a, 11));
	uint32_t n = synth_slab(run.s, v.a)->objects;
	COUNTS(&run, "victim-64", 2 * (n - 4) + 2, 4 + 2, 0, 0);
out:
	run_done(&run);
}

/* The CPU's lockless freelist starts outside its slab. */
static void test_invalid_cpu_head(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	int cs = synth_add_slab(run.s, v.cache, 0);
	const uint32_t cf[] = { 4, 5 };
	synth_cpu_slab(run.s, cs, 1, cf, N(cf));
	uint64_t kcc = synth_kcc(run.s, v.cache, 1);
	uint64_t bad = synth_obj(run.s, v.a, 20); /* another slab's object */
	synth_write_u64(run.s, kcc + KCC_FREELIST, bad);
	if (!model_run_check(&run, "CPU freelist head invalid"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f =
		FINDING(&run, "freeptr-invalid", "victim-64", 0, ANY);
	if (f) {
		CU_ASSERT_EQUAL(f->value, bad);
		CU_ASSERT_EQUAL(f->slab, synth_slab(run.s, cs)->page);
		/* Where the bad pointer is: c->freelist of CPU 1. */
		CU_ASSERT_EQUAL(f->address, kcc + KCC_FREELIST);
	}
out:
	run_done(&run);
}

/* ---- freelist-cycle ---- */

static void test_cycle_len1(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	uint64_t o7 = synth_obj(run.s, v.a, 7);
	/* A free pointer equal to the object itself. */
	synth_set_freeptr(run.s, v.cache, o7, o7);
	if (!model_run_check(&run, "cycle of length 1"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "freelist-cycle",
					     "victim-64", o7, o7 + v.offset);
	if (f) {
		CU_ASSERT_EQUAL(f->value, o7);
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "twice"));
	}
	uint32_t n = synth_slab(run.s, v.a)->objects;
	COUNTS(&run, "victim-64", n - 2, 2 + 2, 0, n - 2);
out:
	run_done(&run);
}

static void test_cycle_len2(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	uint64_t o7 = synth_obj(run.s, v.a, 7);
	uint64_t o9 = synth_obj(run.s, v.a, 9);
	synth_set_freeptr(run.s, v.cache, o9, o7); /* 3 -> 7 -> 9 -> 7 */
	if (!model_run_check(&run, "cycle of length 2"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "freelist-cycle",
					     "victim-64", o7, o9 + v.offset);
	if (f)
		CU_ASSERT_EQUAL(f->value, o7);
	uint32_t n = synth_slab(run.s, v.a)->objects;
	COUNTS(&run, "victim-64", n - 2, 3 + 2, 0, n - 3);
out:
	run_done(&run);
}

/* A cycle on a CPU's lockless freelist (the head points to itself). */
static void test_cycle_cpu(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	int c = add_cache(run.s, "cpu-cycle-128", 128, 0, SS_FP_XOR_SWAB,
			  RANDOM2);
	int sl = synth_add_slab(run.s, c, 0);
	const uint32_t cf[] = { 6 };
	synth_cpu_slab(run.s, sl, 0, cf, N(cf));
	uint64_t o6 = synth_obj(run.s, sl, 6);
	synth_set_freeptr(run.s, c, o6, o6);
	/* Another slab so the encoding is decided from an intact chain. */
	int ok = synth_add_slab(run.s, c, 0);
	const uint32_t fo[] = { 1, 2 };
	synth_slab_freelist(run.s, ok, fo, N(fo));
	synth_node_partial(run.s, c, &ok, 1);
	if (!model_run_check(&run, "cycle on a CPU freelist"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	uint32_t off = synth_cache(run.s, c)->offset;
	FINDING(&run, "freelist-cycle", "cpu-cycle-128", o6, o6 + off);
	uint32_t n = synth_slab(run.s, sl)->objects;
	COUNTS(&run, "cpu-cycle-128", n - 2, 2, 1, n - 1);
out:
	run_done(&run);
}

/* ---- double-free ---- */

/* Object 11 is on the slab's freelist (10 -> 11) and on CPU 0's (2 -> 11
 * -> 3): its one free pointer now continues the slab's chain into 3. */
static void test_double_free(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	int c = add_cache(s, "df-64", 64, 0, SS_FP_XOR_SWAB, RANDOM3);
	int sl = synth_add_slab(s, c, 0);
	const uint32_t own[] = { 10, 11 };
	const uint32_t cpu[] = { 2, 11, 3 };
	synth_slab_freelist(s, sl, own, N(own));
	synth_cpu_slab(s, sl, 0, cpu, N(cpu));
	if (!model_run_check(&run, "double free"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	uint32_t off = synth_cache(s, c)->offset;
	uint64_t o11 = synth_obj(s, sl, 11);
	const struct ss_finding *f = FINDING(&run, "double-free", "df-64", o11,
					     synth_obj(s, sl, 2) + off);
	if (f) {
		CU_ASSERT_EQUAL(f->value, o11);
		CU_ASSERT_EQUAL(f->slab, synth_slab(s, sl)->page);
	}
	uint32_t n = synth_slab(s, sl)->objects;
	COUNTS(&run, "df-64", 0, 3, 1, n - 4);
out:
	run_done(&run);
}

/* The head of the CPU freelist is already on the slab's freelist. */
static void test_double_free_head(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	int c = add_cache(s, "df-head-64", 64, 0, SS_FP_XOR_SWAB, RANDOM3);
	int sl = synth_add_slab(s, c, 0);
	const uint32_t own[] = { 10, 11 };
	synth_slab_freelist(s, sl, own, N(own));
	synth_cpu_slab(s, sl, 1, NULL, 0);
	uint64_t kcc = synth_kcc(s, c, 1);
	uint64_t o11 = synth_obj(s, sl, 11);
	synth_write_u64(s, kcc + KCC_FREELIST, o11);
	if (!model_run_check(&run, "double free at the CPU freelist head"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	FINDING(&run, "double-free", "df-head-64", o11, kcc + KCC_FREELIST);
out:
	run_done(&run);
}

/* ---- freeptr-redirected ---- */

/*
 * kmalloc-8-like objects (offset 0): free chain 2 -> 4 -> 6 -> 8 -> 10.
 * Allocated object 3 overflows one byte into object 4's stored pointer,
 * whose decoded value becomes object 8 (same high bytes): the walk
 * 2 -> 4 -> 8 -> 10 ends cleanly and 6 is cut off.
 */
static void test_redirected(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	int c = add_cache(s, "kmalloc-8", 8, 0, SS_FP_XOR_SWAB, RANDOM1);
	int sl = synth_add_slab(s, c, 0);
	const uint32_t fl[] = { 2, 4, 6, 8, 10 };
	synth_slab_freelist(s, sl, fl, N(fl));
	synth_node_partial(s, c, &sl, 1);
	CU_ASSERT_EQUAL(synth_cache(s, c)->offset, 0);
	uint64_t o4 = synth_obj(s, sl, 4), o6 = synth_obj(s, sl, 6),
		 o8 = synth_obj(s, sl, 8);
	CU_ASSERT_EQUAL((o6 ^ o8) & ~0xffULL, 0);
	uint64_t raw = synth_read_u64(s, o4);
	/* XOR keeps the change where it was written: the low byte. */
	synth_write_u8(s, o4, (uint8_t)((raw ^ o6 ^ o8) & 0xff));
	if (!model_run_check(&run, "redirected free pointer"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "freeptr-redirected",
					     "kmalloc-8", o4, o4);
	if (f) {
		CU_ASSERT_EQUAL(f->value, o8);
		CULPRIT(f, synth_obj(s, sl, 3));
		char want[64];
		snprintf(want, sizeof(want), "0x%" PRIx64, o6);
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, want));
	}
	/* 6, the cut-off chain, is unknown; 2, 4, 8, 10 free. */
	const struct ss_slab *ms = model_run_slab(&run, synth_slab(s, sl)->page);
	if (ms) {
		CU_ASSERT_EQUAL(ms->nfree, 4);
		CU_ASSERT(ms->nunknown >= 1);
		struct ss_object *objs = calloc(ms->objects, sizeof(*objs));
		SS_ASSERT_OK(ss_model_slab_objects(run.m, ms, objs));
		/* The re-read agrees with the counts. */
		uint32_t unk = 0;
		for (uint32_t i = 0; i < ms->objects; i++)
			unk += objs[i].state == SS_OBJ_UNKNOWN;
		CU_ASSERT_EQUAL(objs[6].state, SS_OBJ_UNKNOWN);
		CU_ASSERT_EQUAL(objs[4].state, SS_OBJ_FREE);
		CU_ASSERT_EQUAL(objs[4].next, o8);
		CU_ASSERT_EQUAL(unk, ms->nunknown);
		free(objs);
	}
out:
	run_done(&run);
}

/* ---- counter-mismatch ---- */

static void test_counter_inuse(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	struct synth_slab *a = synth_slab(run.s, v.a);
	synth_set_counters(run.s, v.a, a->objects - 3, a->objects, false);
	if (!model_run_check(&run, "slab inuse"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "counter-mismatch",
					     "victim-64", 0,
					     a->page + SL_COUNTERS);
	if (f) {
		CU_ASSERT_EQUAL(f->slab, a->page);
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "inuse"));
	}
	/* The walk itself was intact: counts stay exact. */
	COUNTS(&run, "victim-64", 2 * a->objects - 6, 6, 0, 0);
out:
	run_done(&run);
}

/* A frozen slab (a CPU's) whose inuse is impossible (65520 of its
 * objects): counted like any other slab's (issue 20). */
static void test_counter_frozen(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	int c = add_cache(run.s, "frozen-64", 64, 0, SS_FP_XOR_SWAB, RANDOM1);
	int fs = synth_add_slab(run.s, c, 0);
	const uint32_t cpu_free[] = { 4, 5 };
	synth_cpu_slab(run.s, fs, 0, cpu_free, N(cpu_free));
	struct synth_slab *f0 = synth_slab(run.s, fs);
	synth_set_counters(run.s, fs, 65520 & 0xffff, f0->objects, true);
	if (!model_run_check(&run, "frozen slab inuse"))
		goto out;
	const struct ss_finding *f =
		FINDING(&run, "counter-mismatch", "frozen-64", 0, ANY);
	if (f) {
		CU_ASSERT_EQUAL(f->slab, f0->page);
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "inuse is 65520"));
	}
out:
	run_done(&run);
}

/* kmem_cache fields no cache can have: each named by a
 * cache-field-invalid finding; a NULL cpu_slab reads no CPU's per-CPU
 * area as a kmem_cache_cpu (it gave freeptr-redirected). */
static void field_case(int which)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	int c = add_cache(run.s, "field-64", 64, 0, SS_FP_XOR_SWAB, RANDOM1);
	int sl = synth_add_slab(run.s, c, 0);
	const uint32_t cpu_free[] = { 4, 5 };
	synth_cpu_slab(run.s, sl, 0, cpu_free, N(cpu_free));
	uint64_t kc = synth_cache(run.s, c)->addr;
	static const char *const want[] = { "object_size is 0", "oo is 0x0",
					    "oo is 0xffffffff",
					    "inuse is 4294967295",
					    "cpu_slab is NULL" };
	switch (which) {
	case 0: synth_write_u32(run.s, kc + KC_OBJECT_SIZE, 0); break;
	case 1: synth_write_u32(run.s, kc + KC_OO, 0); break;
	case 2: synth_write_u32(run.s, kc + KC_OO, 0xffffffff); break;
	case 3: synth_write_u32(run.s, kc + KC_INUSE, 0xffffffff); break;
	case 4: synth_write_u64(run.s, kc + KC_CPU_SLAB, 0); break;
	}
	if (!model_run_check(&run, want[which]))
		goto out;
	const struct ss_finding *f =
		FINDING(&run, "cache-field-invalid", "field-64", 0, ANY);
	if (f) {
		if (!strstr(f->message, want[which]))
			fprintf(stderr, "\n  message: %s\n", f->message);
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, want[which]));
	}
	NFINDINGS(&run, "freeptr-redirected", 0);
	NFINDINGS(&run, "freeptr-invalid", 0);
out:
	run_done(&run);
}

static void test_cache_fields(void)
{
	for (int i = 0; i < 5; i++)
		field_case(i);
}

/* objects larger than the slab's pages hold (its compound order): the
 * page allocator's order is the authority; the slab is read with what
 * fits. */
static void test_counter_objects_order(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	struct synth_slab *a = synth_slab(run.s, v.a);
	synth_set_counters(run.s, v.a, a->objects - a->nfree, a->objects + 1,
			   false);
	if (!model_run_check(&run, "objects vs order"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	/* The address is the objects bitfield's byte (bit 16 of counters). */
	const struct ss_finding *f = FINDING(&run, "counter-mismatch",
					     "victim-64", 0,
					     a->page + SL_COUNTERS + 2);
	if (f)
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "order-0 pages hold"));
out:
	run_done(&run);
}

static void test_counter_nr_partial(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	uint64_t node = synth_cache(run.s, v.cache)->node;
	synth_write_u64(run.s, node + KCN_NR_PARTIAL, 3);
	if (!model_run_check(&run, "nr_partial"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "counter-mismatch",
					     "victim-64", 0,
					     node + KCN_NR_PARTIAL);
	if (f)
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "nr_partial"));
out:
	run_done(&run);
}

static void test_counter_node_totals(void)
{
	for (int which = 0; which < 2; which++) {
		struct model_run run;
		if (!run_start(&run, so_hard))
			return;
		struct victim v;
		victim_build(run.s, &v);
		const struct synth_cache *c = synth_cache(run.s, v.cache);
		uint64_t at = c->node + (which ? KCN_TOTAL_OBJECTS : KCN_NR_SLABS);
		synth_write_u64(run.s, at, synth_read_u64(run.s, at) + 1);
		if (!model_run_check(&run,
				     which ? "total_objects" : "nr_slabs")) {
			run_done(&run);
			return;
		}
		NFINDINGS(&run, NULL, 1);
		const struct ss_finding *f = FINDING(
			&run, "counter-mismatch", "victim-64", 0, c->addr);
		if (f)
			CU_ASSERT_PTR_NOT_NULL(strstr(
				f->message, which ? "total_objects" : "nr_slabs"));
		const struct ss_cache *mc = CACHE(&run, "victim-64");
		if (mc) {
			CU_ASSERT_EQUAL(mc->node_nr_slabs, 2 + !which);
			CU_ASSERT_EQUAL(mc->nslabs, 2);
		}
		run_done(&run);
	}
}

/* A slab claiming more objects than any slab can hold. */
static void test_counter_objects(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	int c = add_cache(run.s, "huge-objects-256", 256, 0, SS_FP_XOR_SWAB,
			  RANDOM2);
	int sl = synth_add_slab(run.s, c, 0);
	int ok = synth_add_slab(run.s, c, 0);
	const uint32_t fo[] = { 1, 2 };
	synth_slab_freelist(run.s, ok, fo, N(fo));
	synth_node_partial(run.s, c, &ok, 1);
	synth_set_counters(run.s, sl, 0x7fff, 0x7fff, false);
	if (!model_run_check(&run, "objects"))
		goto out;
	/* One finding: the slab is analysed with the 16 objects its page
	 * holds (all allocated: no freelist), so the node's total_objects
	 * and the slab's inuse are not reported again. */
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "counter-mismatch",
					     "huge-objects-256", 0,
					     synth_slab(run.s, sl)->page + 42);
	if (f) {
		CU_ASSERT_EQUAL(f->slab, synth_slab(run.s, sl)->page);
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "analysed as 16"));
	}
	COUNTS(&run, "huge-objects-256", 16 + 14, 2, 0, 0);
out:
	run_done(&run);
}

/* A slab whose counters word was zeroed: objects 0, inuse 0. */
static void test_counter_objects_zero(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	int c = add_cache(run.s, "zero-objects-256", 256, 0, SS_FP_XOR_SWAB,
			  RANDOM2);
	int sl = synth_add_slab(run.s, c, 0);
	int ok = synth_add_slab(run.s, c, 0);
	const uint32_t fo[] = { 1, 2 };
	synth_slab_freelist(run.s, ok, fo, N(fo));
	const uint32_t fz[] = { 3, 5 };
	synth_slab_freelist(run.s, sl, fz, N(fz));
	synth_node_partial(run.s, c, (int[]){ ok, sl }, 2);
	synth_set_counters(run.s, sl, 0, 0, false);
	if (!model_run_check(&run, "objects 0"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "counter-mismatch",
					     "zero-objects-256", 0,
					     synth_slab(run.s, sl)->page + 42);
	if (f)
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "claims 0 objects"));
	/* Its freelist is still walked: 2 free objects, 14 allocated. */
	COUNTS(&run, "zero-objects-256", 14 + 14, 4, 0, 0);
out:
	run_done(&run);
}

/* ---- list-corrupt ---- */

/* Partial list A, B, C; the list is broken by setup(); exactly one
 * list-corrupt finding at want_address (and no counter noise). */
static void list_case(void (*setup)(struct synth *, int c, const int *ids,
				    uint64_t *want_address),
		      const char *title, size_t want_findings)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	int c = add_cache(s, "list-64", 64, 0, SS_FP_XOR_SWAB, RANDOM1);
	int ids[3];
	for (int i = 0; i < 3; i++) {
		ids[i] = synth_add_slab(s, c, 0);
		const uint32_t fl[] = { (uint32_t)i, 20 };
		synth_slab_freelist(s, ids[i], fl, N(fl));
	}
	synth_node_partial(s, c, ids, 3);
	uint64_t want = 0;
	setup(s, c, ids, &want);
	if (!model_run_check(&run, title))
		goto out;
	NFINDINGS(&run, "list-corrupt", 1);
	NFINDINGS(&run, NULL, want_findings);
	FINDING(&run, "list-corrupt", "list-64", ANY, want);
	/* Slabs off the list are still analysed from the page scan. */
	uint32_t n = synth_slab(s, ids[0])->objects;
	COUNTS(&run, "list-64", 3 * (n - 2), 6, 0, 0);
out:
	run_done(&run);
}

static void bad_prev(struct synth *s, int c, const int *ids, uint64_t *want)
{
	(void)c;
	uint64_t b = synth_slab(s, ids[1])->page + SL_LIST;
	synth_write_u64(s, b + 8, synth_slab(s, ids[2])->page + SL_LIST);
	*want = b + 8; /* the stray pointer: B's prev */
}

static void not_a_slab(struct synth *s, int c, const int *ids, uint64_t *want)
{
	(void)c;
	/* A list_head in ordinary memory between A and B, with consistent
	 * links, so that only "not a slab" can catch it. */
	uint64_t x = synth_alloc(s, 64, 64);
	uint64_t a = synth_slab(s, ids[0])->page + SL_LIST;
	uint64_t b = synth_slab(s, ids[1])->page + SL_LIST;
	synth_write_u64(s, a, x + SL_LIST);
	synth_write_u64(s, x + SL_LIST, b);
	synth_write_u64(s, x + SL_LIST + 8, a);
	synth_write_u64(s, b + 8, x + SL_LIST);
	*want = x;
}

static void other_cache(struct synth *s, int c, const int *ids,
			uint64_t *want)
{
	(void)c;
	/* B belongs to another cache now (its slab_cache says so). */
	/* Same random: B's free pointers still decode for its new cache. */
	int other = add_cache(s, "other-64", 64, 0, SS_FP_XOR_SWAB, RANDOM1);
	int os = synth_add_slab(s, other, 0);
	/* Move the node accounting along with it. */
	const struct synth_cache *oc = synth_cache(s, other);
	const struct synth_cache *lc = synth_cache(s, c);
	struct synth_slab *b = synth_slab(s, ids[1]);
	synth_write_u64(s, b->page + SL_CACHE, oc->addr);
	synth_write_u64(s, oc->node + KCN_NR_SLABS, 2);
	synth_write_u64(s, oc->node + KCN_TOTAL_OBJECTS, 2ULL * oc->objects);
	synth_write_u64(s, lc->node + KCN_NR_SLABS, 2);
	synth_write_u64(s, lc->node + KCN_TOTAL_OBJECTS, 2ULL * lc->objects);
	(void)os;
	*want = b->page;
}

static void test_list_bad_prev(void)
{
	list_case(bad_prev, "partial list prev", 1);
}

static void test_list_not_a_slab(void)
{
	list_case(not_a_slab, "partial list entry not a slab", 1);
}

static void test_list_other_cache(void)
{
	/* The cache's own counts change: B is other-64's now. */
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	int c = add_cache(s, "list-64", 64, 0, SS_FP_XOR_SWAB, RANDOM1);
	int ids[3];
	for (int i = 0; i < 3; i++) {
		ids[i] = synth_add_slab(s, c, 0);
		const uint32_t fl[] = { (uint32_t)i, 20 };
		synth_slab_freelist(s, ids[i], fl, N(fl));
	}
	synth_node_partial(s, c, ids, 3);
	uint64_t want = 0;
	other_cache(s, c, ids, &want);
	/* After the walk stopped at B, C is on no list; say nr_partial
	 * matches what a walk to B can see. */
	if (!model_run_check(&run, "slab of another cache on the list"))
		goto out;
	NFINDINGS(&run, "list-corrupt", 1);
	const struct ss_finding *f =
		FINDING(&run, "list-corrupt", "list-64", ANY, want);
	if (f) {
		CU_ASSERT_EQUAL(f->slab, want);
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "other-64"));
	}
	NFINDINGS(&run, NULL, 1);
	uint32_t n = synth_slab(s, ids[0])->objects;
	COUNTS(&run, "list-64", 2 * (n - 2), 4, 0, 0);
	COUNTS(&run, "other-64", n - 2 + n, 2, 0, 0);
out:
	run_done(&run);
}

static void cpu_loop_case(size_t len)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	int c = add_cache(s, "cpu-partial-64", 64, 0, SS_FP_XOR_SWAB, RANDOM1);
	int ids[2];
	for (int i = 0; i < 2; i++) {
		ids[i] = synth_add_slab(s, c, 0);
		const uint32_t fl[] = { 5 };
		synth_slab_freelist(s, ids[i], fl, N(fl));
	}
	synth_cpu_partial(s, c, 1, ids, len);
	/* The last slab links back to the first. */
	struct synth_slab *first = synth_slab(s, ids[0]);
	synth_write_u64(s, synth_slab(s, ids[len - 1])->page + SL_NEXT,
			first->page);
	if (!model_run_check(&run, len == 1 ? "CPU partial self-loop"
				    : "CPU partial loop of 2"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "list-corrupt",
					     "cpu-partial-64", ANY, first->page);
	if (f)
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "loops"));
	const struct ss_slab *ms = model_run_slab(&run, first->page);
	if (ms) {
		CU_ASSERT_EQUAL(ms->list, SS_LIST_CPU_PARTIAL);
		CU_ASSERT_EQUAL(ms->cpu, 1);
	}
out:
	run_done(&run);
}

static void test_list_cpu_partial_loop(void)
{
	cpu_loop_case(1);
	cpu_loop_case(2);
}

/* CPU 0's kmem_cache_cpu names a page that is no slab. */
static void test_list_cpu_slab_not_slab(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	uint64_t kcc = synth_kcc(run.s, v.cache, 0);
	uint64_t bogus = SYNTH_VMEMMAP + 2 * PAGE_SIZEOF; /* a plain page */
	synth_write_u64(run.s, kcc + KCC_SLAB, bogus);
	if (!model_run_check(&run, "CPU slab not a slab"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	FINDING(&run, "list-corrupt", "victim-64", ANY, bogus);
out:
	run_done(&run);
}

/* ---- slab-cache-invalid ---- */

static void test_slab_cache_invalid(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	int lost = synth_add_slab(run.s, v.cache, 0);
	struct synth_slab *ls = synth_slab(run.s, lost);
	uint64_t bogus = synth_alloc(run.s, KC_SIZEOF, 64);
	synth_write_u64(run.s, ls->page + SL_CACHE, bogus);
	/* The node no longer counts it. */
	uint64_t node = synth_cache(run.s, v.cache)->node;
	synth_write_u64(run.s, node + KCN_NR_SLABS, 2);
	synth_write_u64(run.s, node + KCN_TOTAL_OBJECTS,
			2ULL * synth_cache(run.s, v.cache)->objects);
	if (!model_run_check(&run, "slab cache invalid"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "slab-cache-invalid", NULL,
					     0, ls->page + SL_CACHE);
	if (f) {
		CU_ASSERT_EQUAL(f->slab, ls->page);
		CU_ASSERT_TRUE(f->has_value);
		CU_ASSERT_EQUAL(f->value, bogus);
		char want[64];
		snprintf(want, sizeof(want), "0x%" PRIx64, bogus);
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, want));
	}
	const struct ss_slab *ms = model_run_slab(&run, ls->page);
	CU_ASSERT_PTR_NOT_NULL(ms);
	if (ms)
		CU_ASSERT_EQUAL(ms->cache, SS_NO_CACHE);
	struct ss_whatis w;
	SS_ASSERT_OK(ss_model_whatis(run.m, ls->base + 100, &w));
	CU_ASSERT_TRUE(w.in_slab);
	CU_ASSERT_EQUAL(w.cache, SS_NO_CACHE);
	uint32_t n = synth_slab(run.s, v.a)->objects;
	COUNTS(&run, "victim-64", 2 * n - 6, 6, 0, 0);
out:
	run_done(&run);
}

/*
 * KFENCE object pages no allocation has used: typed slab, their
 * slab_cache word still the self-pointing list_head of INIT_LIST_HEAD().
 * Not slab-cache-invalid; a garbage slab_cache in the pool still is.
 */
static void test_kfence_unused(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	int unused = synth_add_slab(run.s, v.cache, 0);
	int bad = synth_add_slab(run.s, v.cache, 0);
	struct synth_slab *us = synth_slab(run.s, unused);
	struct synth_slab *bs = synth_slab(run.s, bad);
	synth_write_u64(run.s, us->page + SL_CACHE, us->page + SL_CACHE);
	uint64_t bogus = synth_alloc(run.s, KC_SIZEOF, 64);
	synth_write_u64(run.s, bs->page + SL_CACHE, bogus);
	/* the pool starts at the unused page; its holder is __kfence_pool */
	uint64_t holder = synth_alloc(run.s, 8, 8);
	synth_write_u64(run.s, holder, us->base);
	synth_symbol(run.s, "__kfence_pool", holder);
	uint64_t node = synth_cache(run.s, v.cache)->node;
	synth_write_u64(run.s, node + KCN_NR_SLABS, 2);
	synth_write_u64(run.s, node + KCN_TOTAL_OBJECTS,
			2ULL * synth_cache(run.s, v.cache)->objects);
	if (!model_run_check(&run, "unused kfence page"))
		goto out;
	NFINDINGS(&run, "slab-cache-invalid", 1);
	FINDING(&run, "slab-cache-invalid", NULL, 0, bs->page + SL_CACHE);
	const struct ss_slab *ms = model_run_slab(&run, us->page);
	CU_ASSERT_PTR_NOT_NULL(ms);
	if (ms) {
		CU_ASSERT_EQUAL(ms->list, SS_LIST_KFENCE);
		CU_ASSERT_EQUAL(ms->cache, SS_NO_CACHE);
		CU_ASSERT_EQUAL(ss_model_kfence_cache(run.m, ms), SS_NO_CACHE);
	}
	NFINDINGS(&run, NULL, 1);
out:
	run_done(&run);
}

/* ---- red zones, poison, padding ---- */

/*
 * slub_debug=FZPU on 52-byte objects: slot of 144 bytes = left red zone
 * 8, payload 52, right red zone 4, free pointer 8, two tracks 64, padding
 * 8; 28 slots in a page and 64 bytes of tail.
 */
struct dbg {
	int cache, slab;
	uint32_t n;
};

static void dbg_build(struct synth *s, struct dbg *d, const char *name)
{
	d->cache = add_cache(s, name, 52, SLUB_DEBUG_FZPU, SS_FP_XOR_SWAB,
			     RANDOM3);
	d->slab = synth_add_slab(s, d->cache, 0);
	const uint32_t fl[] = { 5, 10, 15 };
	synth_slab_freelist(s, d->slab, fl, N(fl));
	synth_node_partial(s, d->cache, &d->slab, 1);
	d->n = synth_slab(s, d->slab)->objects;
}

static void test_debug_layout(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct dbg d;
	dbg_build(run.s, &d, "fzpu-52");
	const struct synth_cache *c = synth_cache(run.s, d.cache);
	CU_ASSERT_EQUAL(c->size, 144);
	CU_ASSERT_EQUAL(c->red_left_pad, 8);
	CU_ASSERT_EQUAL(c->inuse, 56);
	CU_ASSERT_EQUAL(c->offset, 56);
	CU_ASSERT_EQUAL(c->flags, SLUB_DEBUG_FZPU | OBJECT_POISON);
	CU_ASSERT_EQUAL(d.n, 28);
	run_done(&run);
}

static void test_redzone(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	struct dbg d;
	dbg_build(s, &d, "fzpu-52");
	uint64_t o2 = synth_obj(s, d.slab, 2), o7 = synth_obj(s, d.slab, 7),
		 o10 = synth_obj(s, d.slab, 10);
	/* Allocated object 2 writes one byte past its payload. */
	synth_write_u8(s, o2 + 52, 0x00);
	/* Allocated object 6 overflows into object 7's left red zone. */
	synth_write_u8(s, o7 - 8 + 3, 0x41);
	synth_write_u8(s, o7 - 8 + 4, 0x42);
	/* Free object 10's right red zone (0xbb) gets a byte. */
	synth_write_u8(s, o10 + 53, 0xcc);
	/* A stack for object 2's alloc track, from the stack depot. */
	uint64_t stack[2] = { synth_dbg_symbol(s, "kmem_cache_destroy") + 4,
			      synth_dbg_symbol(s, "ss_test_free_caller") + 1 };
	uint32_t handle = synth_depot_add(s, stack, 2);
	synth_set_track(s, d.cache, o2, SYNTH_TRACK_ALLOC,
			synth_dbg_symbol(s, "ss_test_alloc_caller") + 0x10,
			handle, 1, 4242, SYNTH_JIFFIES - 3 * SYNTH_HZ);
	if (!model_run_check(&run, "red zones"))
		goto out;
	NFINDINGS(&run, NULL, 3);
	NFINDINGS(&run, "redzone-overwritten", 3);

	const struct ss_finding *f = FINDING(&run, "redzone-overwritten",
					     "fzpu-52", o2, o2 + 52);
	BYTES(f, SYNTH_RED_ACTIVE, 0x00, 1);
	CULPRIT(f, o2);
	if (f) {
		CU_ASSERT_EQUAL(f->nbytes, 4);
		CU_ASSERT_EQUAL(f->slab, synth_slab(s, d.slab)->page);
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "right red zone"));
	}
	if (f && f->has_culprit) {
		const struct ss_culprit *cu = &f->culprit;
		CU_ASSERT_EQUAL(cu->state, SS_OBJ_ALLOCATED);
		CU_ASSERT_TRUE(cu->alloc.valid);
		CU_ASSERT_PTR_NOT_NULL(cu->alloc.caller);
		if (cu->alloc.caller)
			CU_ASSERT_STRING_EQUAL(cu->alloc.caller,
					       "ss_test_alloc_caller+0x10");
		CU_ASSERT_EQUAL(cu->alloc.pid, 4242);
		CU_ASSERT_EQUAL(cu->alloc.cpu, 1);
		CU_ASSERT_EQUAL(cu->alloc.handle, handle);
		CU_ASSERT_TRUE(cu->alloc.has_age);
		CU_ASSERT_DOUBLE_EQUAL(cu->alloc.age_s, 3.0, 0.001);
		CU_ASSERT_EQUAL(cu->alloc.nstack, 2);
		if (cu->alloc.nstack == 2 && cu->alloc.stack_syms[0] &&
		    cu->alloc.stack_syms[1]) {
			CU_ASSERT_EQUAL(cu->alloc.stack[0], stack[0]);
			CU_ASSERT_STRING_EQUAL(cu->alloc.stack_syms[0],
					       "kmem_cache_destroy+0x4");
			CU_ASSERT_STRING_EQUAL(cu->alloc.stack_syms[1],
					       "ss_test_free_caller+0x1");
		} else {
			CU_FAIL("culprit stack from the depot");
		}
		/* Never freed: no free track. */
		CU_ASSERT_FALSE(cu->free.valid);
	}

	f = FINDING(&run, "redzone-overwritten", "fzpu-52", o7, o7 - 5);
	BYTES(f, SYNTH_RED_ACTIVE, 0x41, 2);
	CULPRIT(f, synth_obj(s, d.slab, 6));
	if (f)
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "left red zone"));

	f = FINDING(&run, "redzone-overwritten", "fzpu-52", o10, o10 + 53);
	BYTES(f, SYNTH_RED_INACTIVE, 0xcc, 1);
	CULPRIT(f, o10);
	if (f && f->has_culprit) {
		CU_ASSERT_EQUAL(f->culprit.state, SS_OBJ_FREE);
		CU_ASSERT_TRUE(f->culprit.free.valid);
		if (f->culprit.free.caller)
			CU_ASSERT_STRING_EQUAL(f->culprit.free.caller,
					       "ss_test_free_caller+0x8");
		CU_ASSERT_EQUAL(f->culprit.free.pid, 2010);
	}
	COUNTS(&run, "fzpu-52", d.n - 3, 3, 0, 0);
out:
	run_done(&run);
}

static void test_poison(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	struct dbg d;
	dbg_build(s, &d, "fzpu-52");
	uint64_t o15 = synth_obj(s, d.slab, 15), o5 = synth_obj(s, d.slab, 5);
	/* Use after free: free object 15 written at 20..23. */
	synth_write_u32(s, o15 + 20, 0);
	/* POISON_END of free object 5 changed. */
	synth_write_u8(s, o5 + 51, 0x6b);
	if (!model_run_check(&run, "poison"))
		goto out;
	NFINDINGS(&run, NULL, 2);
	const struct ss_finding *f = FINDING(&run, "poison-overwritten",
					     "fzpu-52", o15, o15 + 20);
	BYTES(f, SYNTH_POISON_FREE, 0x00, 4);
	CULPRIT(f, o15);
	if (f && f->has_culprit) {
		CU_ASSERT_EQUAL(f->culprit.state, SS_OBJ_FREE);
		CU_ASSERT_EQUAL(f->culprit.relation, SS_CULPRIT_USE_AFTER_FREE);
	}
	f = FINDING(&run, "poison-overwritten", "fzpu-52", o5, o5 + 51);
	BYTES(f, SYNTH_POISON_END, 0x6b, 1);
	if (f)
		CU_ASSERT_EQUAL(f->nbytes, 1);
out:
	run_done(&run);
}

static void test_padding(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	struct dbg d;
	dbg_build(s, &d, "fzpu-52");
	const struct synth_cache *c = synth_cache(s, d.cache);
	struct synth_slab *sl = synth_slab(s, d.slab);
	uint64_t o20 = synth_obj(s, d.slab, 20);
	/* Padding after the tracks: [128, 136) from the object. */
	synth_write_u8(s, o20 + 130, 0x00);
	synth_write_u8(s, o20 + 135, 0x00);
	/* The slab's tail after the 28th slot. */
	uint64_t tail = sl->base + (uint64_t)d.n * c->size;
	synth_write_u8(s, tail + 10, 0x99);
	if (!model_run_check(&run, "padding"))
		goto out;
	NFINDINGS(&run, NULL, 2);
	const struct ss_finding *f = FINDING(&run, "padding-overwritten",
					     "fzpu-52", o20, o20 + 130);
	BYTES(f, SYNTH_POISON_INUSE, 0x00, 6);
	CULPRIT(f, o20);
	f = FINDING(&run, "padding-overwritten", "fzpu-52", 0, tail + 10);
	BYTES(f, SYNTH_POISON_INUSE, 0x99, 1);
	CULPRIT(f, synth_obj(s, d.slab, d.n - 1));
	if (f)
		CU_ASSERT_EQUAL(f->nbytes, SS_FINDING_BYTES);
out:
	run_done(&run);
}

/* A red-zone-less poison cache whose payload is not a multiple of 8: the
 * alignment padding after the payload is POISON_INUSE. */
static void test_alignment_padding(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	int c = add_cache(s, "poison-44", 44, SLAB_POISON, SS_FP_XOR_SWAB,
			  RANDOM1);
	int sl = synth_add_slab(s, c, 0);
	const uint32_t fl[] = { 1 };
	synth_slab_freelist(s, sl, fl, N(fl));
	synth_node_partial(s, c, &sl, 1);
	CU_ASSERT_EQUAL(synth_cache(s, c)->inuse, 48);
	uint64_t o3 = synth_obj(s, sl, 3);
	synth_write_u8(s, o3 + 45, 0x00);
	if (!model_run_check(&run, "alignment padding"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "padding-overwritten",
					     "poison-44", o3, o3 + 45);
	BYTES(f, SYNTH_POISON_INUSE, 0x00, 1);
	CULPRIT(f, o3);
out:
	run_done(&run);
}

/* ---- unreadable ---- */

static void test_unreadable(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	struct victim v;
	victim_build(s, &v);
	int gone = synth_add_slab(s, v.cache, 0);
	const uint32_t fl[] = { 0, 1 };
	synth_slab_freelist(s, gone, fl, N(fl));
	struct synth_slab *g = synth_slab(s, gone);
	SS_ASSERT_OK(ss_memimage_exclude(synth_image(s), g->base,
					 SYNTH_PAGE_SIZE));
	/* A debug cache too: the byte checks skip what is not there. */
	struct dbg d;
	dbg_build(s, &d, "fzpu-52");
	int dgone = synth_add_slab(s, d.cache, 0);
	struct synth_slab *dg = synth_slab(s, dgone);
	SS_ASSERT_OK(ss_memimage_exclude(synth_image(s), dg->base,
					 SYNTH_PAGE_SIZE));
	if (!model_run_check(&run, "unreadable slab"))
		goto out;
	/* Each slab, and each cache's gap (dump-incomplete). */
	NFINDINGS(&run, NULL, 4);
	NFINDINGS(&run, "dump-incomplete", 2);
	const struct ss_finding *gap =
		FINDING(&run, "dump-incomplete", "victim-64", 0, ANY);
	if (gap)
		CU_ASSERT_PTR_NOT_NULL(strstr(gap->message, "1 of 3 slabs"));
	const struct ss_dump_gaps *gaps = ss_model_dump_gaps(run.m);
	CU_ASSERT_EQUAL(gaps->caches_incomplete, 2);
	CU_ASSERT_EQUAL(gaps->unreadable_slabs, 2);
	CU_ASSERT_EQUAL(gaps->unknown_objects, g->objects + d.n);
	CU_ASSERT_FALSE(gaps->cache_list_incomplete);
	const struct ss_finding *f =
		FINDING(&run, "unreadable", "victim-64", 0, ANY);
	if (f) {
		CU_ASSERT_EQUAL(f->slab, g->page);
		CU_ASSERT_EQUAL(f->kind->severity, SS_SEV_WARNING);
		CU_ASSERT(f->address >= g->base &&
			  f->address < g->base + SYNTH_PAGE_SIZE);
	}
	f = FINDING(&run, "unreadable", "fzpu-52", 0, ANY);
	if (f)
		CU_ASSERT_EQUAL(f->slab, dg->page);
	/* The other slabs are analysed as ever. */
	uint32_t n = g->objects;
	COUNTS(&run, "victim-64", 2 * n - 6, 6, 0, n);
	COUNTS(&run, "fzpu-52", d.n - 3, 3, 0, d.n);
	const struct ss_slab *ms = model_run_slab(&run, g->page);
	if (ms) {
		struct ss_object *objs = calloc(ms->objects, sizeof(*objs));
		struct ss_error *err = ss_model_slab_objects(run.m, ms, objs);
		/* Either an error or every object unknown; never a guess. */
		if (!err) {
			for (uint32_t i = 0; i < ms->objects; i++)
				CU_ASSERT_EQUAL(objs[i].state, SS_OBJ_UNKNOWN);
		}
		ss_error_destroy(err);
		free(objs);
	}
	struct ss_whatis w;
	SS_ASSERT_OK(ss_model_whatis(run.m, g->base + 70, &w));
	CU_ASSERT_TRUE(w.in_slab);
	CU_ASSERT_EQUAL(w.state, SS_OBJ_UNKNOWN);
out:
	run_done(&run);
}

/* A dump's page map as the test tells it: what holds() says of a range,
 * whatever the image holds. */
static int holds_answer;
static int test_holds(void *arg, uint64_t addr, uint64_t len)
{
	(void)arg;
	(void)addr;
	(void)len;
	return holds_answer;
}

/*
 * A slab with no free object (freelist and CPU freelist empty) is
 * classified without its bytes when the dump says it holds them: here
 * the page map claims both slabs that the image lacks, so only the slab
 * that has a freelist is read and found unreadable.  When the map says
 * the pages are missing (or cannot tell), both are read as before.
 */
static void full_slab_case(int answer, size_t unreadable)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	holds_answer = answer;
	synth_memory(s)->holds = test_holds;
	int c = add_cache(s, "full-64", 64, 0, SS_FP_XOR_SWAB, RANDOM1);
	int full = synth_add_slab(s, c, 0);
	int part = synth_add_slab(s, c, 0);
	const uint32_t fl[] = { 0, 1 };
	synth_slab_freelist(s, part, fl, N(fl));
	const int partial[] = { part };
	synth_node_partial(s, c, partial, N(partial));
	struct synth_slab *fs = synth_slab(s, full), *ps = synth_slab(s, part);
	SS_ASSERT_OK(
		ss_memimage_exclude(synth_image(s), fs->base, SYNTH_PAGE_SIZE));
	SS_ASSERT_OK(
		ss_memimage_exclude(synth_image(s), ps->base, SYNTH_PAGE_SIZE));
	if (!model_run_check(&run, "full slab"))
		goto out;
	NFINDINGS(&run, "unreadable", unreadable);
	const struct ss_finding *f =
		FINDING(&run, "unreadable", "full-64", 0, ANY);
	if (f && unreadable == 1)
		CU_ASSERT_EQUAL(f->slab, ps->page);
	const struct ss_slab *ms = model_run_slab(&run, fs->page);
	if (ms) {
		CU_ASSERT_EQUAL(ms->nunknown,
				unreadable == 1 ? 0 : fs->objects);
	}
out:
	run_done(&run);
}

static void test_full_slab_unread(void)
{
	full_slab_case(1, 1);
	full_slab_case(0, 2);
	full_slab_case(-1, 2);
}

/* An unreadable kmem_cache_node and kmem_cache_cpu: anomalies, the slabs
 * are still analysed from the page scan. */
static void test_unreadable_node_cpu(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	struct victim v;
	victim_build(s, &v);
	uint64_t bogus = 0xffffc90100000000ULL; /* outside the image */
	synth_write_u64(s, synth_cache(s, v.cache)->addr + KC_NODE, bogus);
	synth_write_u64(s, synth_cache(s, v.cache)->addr + KC_CPU_SLAB,
			0x7000000000000000ULL);
	if (!model_run_check(&run, "unreadable node and cpu"))
		goto out;
	CU_ASSERT(model_run_count(&run, "unreadable") >= 2);
	CU_ASSERT_EQUAL(model_run_count(&run, "unreadable"), run.r.nfindings);
	uint32_t n = synth_slab(s, v.a)->objects;
	COUNTS(&run, "victim-64", 2 * n - 6, 6, 0, 0);
out:
	run_done(&run);
}

/* ---- object states and regions ---- */

static void test_states_whatis(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	struct dbg d;
	dbg_build(s, &d, "fzpu-52"); /* free: 5 -> 10 -> 15 */
	int cs = synth_add_slab(s, d.cache, 0);
	const uint32_t cf[] = { 0, 2 };
	synth_cpu_slab(s, cs, 1, cf, N(cf));
	struct synth_cache_spec spec = { .name = "order1-600",
					 .object_size = 600,
					 .order = 1,
					 .enc = SS_FP_XOR_SWAB,
					 .random = RANDOM2 };
	int big = synth_add_cache(s, &spec);
	int bs = synth_add_slab(s, big, 0);
	const uint32_t bf[] = { 6 };
	synth_slab_freelist(s, bs, bf, N(bf));
	synth_node_partial(s, big, &bs, 1);
	if (!model_run_check(&run, "states"))
		goto out;
	NFINDINGS(&run, NULL, 0);

	struct synth_slab *sl = synth_slab(s, d.slab);
	const struct ss_slab *ms = model_run_slab(&run, sl->page);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ms);
	struct ss_object *objs = calloc(ms->objects, sizeof(*objs));
	SS_ASSERT_OK(ss_model_slab_objects(run.m, ms, objs));
	for (uint32_t i = 0; i < ms->objects; i++) {
		CU_ASSERT_EQUAL(objs[i].addr, sl->obj[i]);
		bool fr = i == 5 || i == 10 || i == 15;
		CU_ASSERT_EQUAL(objs[i].state,
				fr ? SS_OBJ_FREE : SS_OBJ_ALLOCATED);
	}
	CU_ASSERT_EQUAL(objs[5].next, sl->obj[10]);
	CU_ASSERT_EQUAL(objs[10].next, sl->obj[15]);
	CU_ASSERT_EQUAL(objs[15].next, 0);
	free(objs);

	const struct ss_slab *mcs =
		model_run_slab(&run, synth_slab(s, cs)->page);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mcs);
	objs = calloc(mcs->objects, sizeof(*objs));
	SS_ASSERT_OK(ss_model_slab_objects(run.m, mcs, objs));
	CU_ASSERT_EQUAL(objs[0].state, SS_OBJ_CPU_FREE);
	CU_ASSERT_EQUAL(objs[0].next, synth_obj(s, cs, 2));
	CU_ASSERT_EQUAL(objs[1].state, SS_OBJ_ALLOCATED);
	CU_ASSERT_EQUAL(objs[2].state, SS_OBJ_CPU_FREE);
	free(objs);

	const struct {
		int slab;
		uint32_t obj;
		int64_t off;
		enum ss_region region;
		enum ss_obj_state state;
	} cases[] = {
		{ d.slab, 0, -8, SS_REGION_LEFT_REDZONE, SS_OBJ_ALLOCATED },
		{ d.slab, 3, -1, SS_REGION_LEFT_REDZONE, SS_OBJ_ALLOCATED },
		{ d.slab, 3, 0, SS_REGION_PAYLOAD, SS_OBJ_ALLOCATED },
		{ d.slab, 5, 51, SS_REGION_PAYLOAD, SS_OBJ_FREE },
		{ d.slab, 5, 52, SS_REGION_RIGHT_REDZONE, SS_OBJ_FREE },
		{ d.slab, 5, 55, SS_REGION_RIGHT_REDZONE, SS_OBJ_FREE },
		{ d.slab, 10, 56, SS_REGION_FREEPTR, SS_OBJ_FREE },
		{ d.slab, 10, 63, SS_REGION_FREEPTR, SS_OBJ_FREE },
		{ d.slab, 11, 64, SS_REGION_TRACK, SS_OBJ_ALLOCATED },
		{ d.slab, 11, 127, SS_REGION_TRACK, SS_OBJ_ALLOCATED },
		{ d.slab, 27, 128, SS_REGION_PADDING, SS_OBJ_ALLOCATED },
		{ d.slab, 27, 135, SS_REGION_PADDING, SS_OBJ_ALLOCATED },
		{ cs, 2, 20, SS_REGION_PAYLOAD, SS_OBJ_CPU_FREE },
		{ bs, 6, 599, SS_REGION_PAYLOAD, SS_OBJ_FREE },
		{ bs, 6, 300, SS_REGION_PAYLOAD, SS_OBJ_FREE }, /* freeptr mid-object */
		{ bs, 12, 10, SS_REGION_PAYLOAD, SS_OBJ_ALLOCATED }, /* 2nd page */
	};
	for (size_t i = 0; i < N(cases); i++) {
		uint64_t obj = synth_obj(s, cases[i].slab, cases[i].obj);
		uint64_t addr = obj + (uint64_t)cases[i].off;
		struct ss_whatis w;
		SS_ASSERT_OK(ss_model_whatis(run.m, addr, &w));
		bool ok = w.in_slab && w.object == obj &&
			  w.offset == cases[i].off &&
			  w.region == cases[i].region &&
			  w.state == cases[i].state && w.slab &&
			  w.slab->page == synth_slab(s, cases[i].slab)->page;
		ASSERT_AT(ok, __LINE__,
			  "whatis case %zu: object 0x%" PRIx64 " off %" PRId64
			  " region %s state %s", i, w.object, w.offset,
			  ss_region_name(w.region), ss_obj_state_name(w.state));
	}
	/* The order-1 slab's second page is found through its head. */
	CU_ASSERT(synth_obj(s, bs, 12) >= synth_slab(s, bs)->base + SYNTH_PAGE_SIZE);

	struct ss_whatis w;
	uint64_t tail = sl->base + 28 * 144 + 1;
	SS_ASSERT_OK(ss_model_whatis(run.m, tail, &w));
	CU_ASSERT_TRUE(w.in_slab);
	CU_ASSERT_EQUAL(w.region, SS_REGION_SLAB_TAIL);
	CU_ASSERT_EQUAL(w.cache, ss_model_find_cache(run.m, "fzpu-52"));
	/* A page that is no slab, memory outside the direct map. */
	SS_ASSERT_OK(ss_model_whatis(run.m, SYNTH_PAGE_OFFSET + 0x2010, &w));
	CU_ASSERT_FALSE(w.in_slab);
	SS_ASSERT_OK(ss_model_whatis(run.m, SYNTH_HEAP + 0x10, &w));
	CU_ASSERT_FALSE(w.in_slab);
	SS_ASSERT_OK(ss_model_whatis(run.m, 0x1000, &w));
	CU_ASSERT_FALSE(w.in_slab);
	SS_ASSERT_OK(ss_model_whatis(
		run.m, SYNTH_PAGE_OFFSET + SYNTH_MAX_PFN * SYNTH_PAGE_SIZE, &w));
	CU_ASSERT_FALSE(w.in_slab);
out:
	run_done(&run);
}

/* ---- garbage ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* A value that is garbage in one of the ways that matter: random bits,
 * small or huge numbers, pointers into slabs, struct pages, the heap. */
static uint64_t garbage(struct synth *s, int nslabs)
{
	int sl = (int)(rnd() % (uint64_t)nslabs);
	switch (rnd() % 9) {
	case 0:
		return rnd();
	case 1:
		return rnd() % 64;
	case 2:
		return 0;
	case 3:
		return UINT64_MAX - rnd() % 4;
	case 4:
		return synth_slab(s, sl)->base + rnd() % 8192;
	case 5:
		return synth_slab(s, sl)->page + rnd() % 128;
	case 6:
		return SYNTH_HEAP + rnd() % SYNTH_HEAP_SIZE;
	case 7:
		return (rnd() % 0x10000) << (rnd() % 48);
	default:
		return synth_slab(s, sl)->obj[0];
	}
}

static void scribble(struct synth *s, uint64_t addr, size_t len, int nslabs)
{
	unsigned nw = (unsigned)(rnd() % 4);
	for (unsigned i = 0; i < nw; i++) {
		uint64_t at = addr + (rnd() % len & ~(uint64_t)3);
		uint64_t v = garbage(s, nslabs);
		if (rnd() % 2)
			synth_write_u32(s, at, (uint32_t)v);
		else if (at + 8 <= addr + len)
			synth_write_u64(s, at, v);
	}
}

static void test_garbage(void)
{
	const int rounds = 250;
	for (int round = 0; round < rounds; round++) {
		rng_state = 0x9e3779b97f4a7c15ULL * (uint64_t)(round + 1);
		struct model_run run;
		if (!run_start(&run, so_hard))
			return;
		struct synth *s = run.s;
		int nslabs = 0;
		int ids[3][5];
		uint64_t nf, nc;
		int c0 = add_cache(s, "g-64", 64, 0, SS_FP_XOR_SWAB, rnd());
		populate(s, c0, ids[0], &nf, &nc);
		struct synth_cache_spec spec = {
			.name = "g-fzpu-100", .object_size = 100,
			.flags = SLUB_DEBUG_FZPU | SLAB_KMALLOC,
			.enc = SS_FP_XOR_SWAB, .random = rnd(),
		};
		int c1 = synth_add_cache(s, &spec);
		populate(s, c1, ids[1], &nf, &nc);
		int c2 = add_cache(s, "g-8", 8, 0, SS_FP_XOR_SWAB, rnd());
		populate(s, c2, ids[2], &nf, &nc);
		nslabs = 15;
		int cs[3] = { c0, c1, c2 };
		for (int k = 0; k < 3; k++) {
			const struct synth_cache *c = synth_cache(s, cs[k]);
			/* kmem_cache up to its list, the rest, the node, the
			 * CPU structures. */
			if (rnd() % 2)
				scribble(s, c->addr, KC_LIST, nslabs);
			if (rnd() % 4 == 0)
				scribble(s, c->addr + KC_RANDOM, 40, nslabs);
			if (rnd() % 4 == 0)
				synth_write_u64(s, c->addr + KC_NODE,
						garbage(s, nslabs));
			if (rnd() % 3 == 0)
				scribble(s, c->node, KCN_SIZEOF, nslabs);
			for (int cpu = 0; cpu < SYNTH_NR_CPUS; cpu++)
				if (rnd() % 3 == 0)
					scribble(s, synth_kcc(s, cs[k], cpu),
						 KCC_SIZEOF, nslabs);
		}
		for (int k = 0; k < nslabs; k++) {
			struct synth_slab *sl = synth_slab(s, k);
			if (rnd() % 2)
				scribble(s, sl->page, PAGE_SIZEOF, nslabs);
			if (rnd() % 2)
				scribble(s, sl->base,
					 SYNTH_PAGE_SIZE << sl->order, nslabs);
		}
		/* Now and then a page that only claims to be a slab. */
		if (rnd() % 3 == 0) {
			uint64_t pg = SYNTH_VMEMMAP + (rnd() % SYNTH_MAX_PFN) *
							      PAGE_SIZEOF;
			synth_write_u64(s, pg, rnd() | 1ULL << PG_SLAB_BIT);
			synth_write_u64(s, pg + SL_CACHE,
					synth_cache(s, cs[rnd() % 3])->addr);
			synth_write_u64(s, pg + SL_COUNTERS, rnd());
			synth_write_u64(s, pg + SL_FREELIST, garbage(s, nslabs));
		}
		if (!model_run_check_round(&run, round)) {
			run_done(&run);
			return;
		}
		/* Every slab re-reads, every address resolves. */
		size_t n;
		const struct ss_slab *slabs = ss_model_slabs(run.m, &n);
		for (size_t i = 0; i < n; i++) {
			struct ss_object *objs =
				calloc(slabs[i].objects ? slabs[i].objects : 1,
				       sizeof(*objs));
			ss_error_destroy(
				ss_model_slab_objects(run.m, &slabs[i], objs));
			free(objs);
			struct ss_whatis w;
			for (int k = 0; k < 4; k++)
				ss_error_destroy(ss_model_whatis(
					run.m, slabs[i].base + rnd() % 8192, &w));
		}
		TOTALS(&run);
		run_done(&run);
	}
}

/* slab_caches itself broken: the caches before the break are loaded. */
/*
 * A garbage max_pfn (0, or far beyond memory) bounds the page scan: the
 * dump's own extent is used instead, and the value is a finding.
 */
static void test_max_pfn_garbage(void)
{
	static const uint64_t bad[] = { 0, 1ULL << 50 };
	for (size_t k = 0; k < N(bad); k++) {
		struct model_run run;
		if (!run_start(&run, so_hard))
			return;
		struct victim v;
		victim_build(run.s, &v);
		struct synth_slab *a = synth_slab(run.s, v.a);
		/* What a dump file says it covers (the test owns the target). */
		((struct ss_target *)synth_target(run.s))->phys_max_pfn =
			SYNTH_MAX_PFN;
		uint64_t at;
		SS_ASSERT_OK(ss_target_symbol(synth_target(run.s), "max_pfn",
					      &at));
		synth_write_u64(run.s, at, bad[k]);
		if (!model_run_check(&run, "max_pfn")) {
			run_done(&run);
			return;
		}
		NFINDINGS(&run, NULL, 1);
		const struct ss_finding *f =
			FINDING(&run, "counter-mismatch", NULL, 0, at);
		if (f)
			CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "max_pfn"));
		/* Every slab still found. */
		COUNTS(&run, "victim-64", 2 * a->objects - 6, 6, 0, 0);
		run_done(&run);
	}
}

static void test_garbage_cache_list(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct victim v;
	victim_build(run.s, &v);
	int c2 = add_cache(run.s, "after-break", 32, 0, SS_FP_XOR_SWAB, RANDOM2);
	synth_add_slab(run.s, c2, 0);
	/* victim-64's list.next points into nowhere. */
	synth_write_u64(run.s, synth_cache(run.s, v.cache)->addr + KC_LIST,
			0xffffc90200000000ULL);
	if (!model_run_check(&run, "slab_caches broken"))
		goto out;
	/* after-break is reached from the list's other end. */
	CU_ASSERT_EQUAL(ss_model_ncaches(run.m), 2);
	NFINDINGS(&run, "list-corrupt", 1);
	NFINDINGS(&run, "slab-cache-invalid", 0);
	uint32_t ci = ss_model_find_cache(run.m, "after-break");
	CU_ASSERT_NOT_EQUAL(ci, SS_NO_CACHE);
	if (ci != SS_NO_CACHE) {
		CU_ASSERT_FALSE(ss_model_cache(run.m, ci)->recovered);
		CU_ASSERT_EQUAL(ss_model_cache(run.m, ci)->nslabs, 1);
	}
	CU_ASSERT_TRUE(ss_model_dump_gaps(run.m)->cache_list_incomplete);
	/* A broken list is corruption, not a gap of the dump. */
	NFINDINGS(&run, "dump-incomplete", 0);
out:
	run_done(&run);
}

/*
 * A dump that makedumpfile filtered too much (1.7.8 on 7.2): slab_caches
 * broken off at both ends by kmem_caches it lacks, a cache reached only
 * through its slab, a kmem_cache not in the dump at all, and struct pages
 * missing.  Every slab is counted in a cache or in the gap's totals;
 * nothing is slab-cache-invalid or counter-mismatch.
 */
static void test_lossy_dump(void)
{
	struct model_run run;
	if (!run_start(&run, so_hard))
		return;
	struct synth *s = run.s;
	struct victim v;
	victim_build(s, &v);
	/* On slab_caches in this order after victim-64's caches; a page
	 * apart, as the dump loses pages. */
	synth_alloc(s, SYNTH_PAGE_SIZE, SYNTH_PAGE_SIZE);
	int gone1 = add_cache(s, "gone1", 128, 0, SS_FP_XOR_SWAB, RANDOM2);
	synth_alloc(s, SYNTH_PAGE_SIZE, SYNTH_PAGE_SIZE);
	synth_add_slab(s, gone1, 0);
	int mid = add_cache(s, "middle", 32, 0, SS_FP_XOR_SWAB, RANDOM2);
	synth_add_slab(s, mid, 0);
	synth_alloc(s, SYNTH_PAGE_SIZE, SYNTH_PAGE_SIZE);
	int gone2 = add_cache(s, "gone2", 192, 0, SS_FP_XOR_SWAB, RANDOM2);
	synth_add_slab(s, gone2, 0);
	synth_add_slab(s, gone2, 0);
	synth_alloc(s, SYNTH_PAGE_SIZE, SYNTH_PAGE_SIZE);
	int tail = add_cache(s, "tail", 96, 0, SS_FP_XOR_SWAB, RANDOM2);
	synth_add_slab(s, tail, 0);
	int hidden = add_cache(s, "hidden", 256, 0, SS_FP_XOR_SWAB, RANDOM2);
	/* hidden's slab alone in a page of struct pages, which the dump
	 * lacks: its node counts a slab the scan cannot see. */
	synth_alloc_pfns(s, 6);
	int hs = synth_add_slab(s, hidden, 0);
	struct ss_memimage *img = synth_image(s);
	uint64_t gone1_kc = synth_cache(s, gone1)->addr;
	uint64_t gone2_kc = synth_cache(s, gone2)->addr;
	SS_ASSERT_OK(ss_memimage_exclude(img, gone1_kc, KC_SIZEOF));
	SS_ASSERT_OK(ss_memimage_exclude(img, gone2_kc, KC_SIZEOF));
	uint64_t hpage = synth_slab(s, hs)->page;
	SS_ASSERT_OK(ss_memimage_exclude(
		img, hpage & ~(uint64_t)(SYNTH_PAGE_SIZE - 1),
		SYNTH_PAGE_SIZE));
	if (!model_run_check(&run, "lossy"))
		goto out;
	const struct ss_dump_gaps *g = ss_model_dump_gaps(run.m);
	CU_ASSERT_TRUE(g->cache_list_incomplete);
	CU_ASSERT_EQUAL(g->caches_recovered, 1);
	CU_ASSERT_EQUAL(g->caches_lost, 2);
	CU_ASSERT_EQUAL(g->lost_cache_slabs, 3);
	CU_ASSERT_EQUAL(g->struct_pages_missing, SYNTH_PAGE_SIZE / PAGE_SIZEOF);
	CU_ASSERT_EQUAL(g->missing_slabs, 1);
	CU_ASSERT_EQUAL(g->caches_incomplete, 1);
	NFINDINGS(&run, "slab-cache-invalid", 0);
	NFINDINGS(&run, "counter-mismatch", 0);
	NFINDINGS(&run, "list-corrupt", 1);
	FINDING(&run, "dump-incomplete", NULL, gone1_kc, ANY);
	FINDING(&run, "dump-incomplete", NULL, gone2_kc, ANY);
	CU_ASSERT_EQUAL(ss_model_find_cache(run.m, "gone1"), SS_NO_CACHE);
	CU_ASSERT_EQUAL(ss_model_find_cache(run.m, "gone2"), SS_NO_CACHE);
	const char *found[] = { "victim-64", "middle", "tail", "hidden" };
	for (size_t i = 0; i < N(found); i++) {
		uint32_t ci = ss_model_find_cache(run.m, found[i]);
		CU_ASSERT_NOT_EQUAL(ci, SS_NO_CACHE);
		if (ci == SS_NO_CACHE)
			continue;
		const struct ss_cache *c = ss_model_cache(run.m, ci);
		CU_ASSERT_EQUAL(c->recovered, strcmp(found[i], "middle") == 0);
		CU_ASSERT_EQUAL(c->nslabs, strcmp(found[i], "hidden") == 0 ? 0
					   : strcmp(found[i], "victim-64") == 0
						   ? 2
						   : 1);
	}
	const struct ss_finding *f =
		FINDING(&run, "dump-incomplete", "hidden", 0, ANY);
	if (f)
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "1 slabs its nodes"));
out:
	run_done(&run);
}

int ss_test_slub_register(void)
{
	CU_pSuite s = CU_add_suite("slub model and checks", suite_init,
				   suite_cleanup);
	if (!s)
		return -1;
	if (!CU_add_test(s, "clean caches, hardened", test_clean_hardened) ||
	    !CU_add_test(s, "lossy dump", test_lossy_dump) ||
	    !CU_add_test(s, "KFENCE: unused object pages",
			 test_kfence_unused) ||
	    !CU_add_test(s, "clean caches, plain kernel",
			 test_clean_plain_kernel) ||
	    !CU_add_test(s, "clean debug caches", test_clean_debug) ||
	    !CU_add_test(s, "freeptr-invalid: out of slab",
			 test_invalid_out_of_slab) ||
	    !CU_add_test(s, "freeptr-invalid: misaligned",
			 test_invalid_misaligned) ||
	    !CU_add_test(s, "freeptr-invalid: non-canonical",
			 test_invalid_noncanonical) ||
	    !CU_add_test(s, "freeptr-invalid: next slab",
			 test_invalid_next_slab) ||
	    !CU_add_test(s, "freeptr-invalid: freelist head",
			 test_invalid_head) ||
	    !CU_add_test(s, "freeptr-invalid: last free object",
			 test_invalid_last) ||
	    !CU_add_test(s, "freeptr-invalid: CPU freelist head",
			 test_invalid_cpu_head) ||
	    !CU_add_test(s, "freelist-cycle: length 1", test_cycle_len1) ||
	    !CU_add_test(s, "freelist-cycle: length 2", test_cycle_len2) ||
	    !CU_add_test(s, "freelist-cycle: CPU freelist", test_cycle_cpu) ||
	    !CU_add_test(s, "double-free", test_double_free) ||
	    !CU_add_test(s, "double-free: CPU freelist head",
			 test_double_free_head) ||
	    !CU_add_test(s, "freeptr-redirected", test_redirected) ||
	    !CU_add_test(s, "counter-mismatch: inuse", test_counter_inuse) ||
	    !CU_add_test(s, "counter-mismatch: nr_partial",
			 test_counter_nr_partial) ||
	    !CU_add_test(s, "counter-mismatch: objects vs order",
			 test_counter_objects_order) ||
	    !CU_add_test(s, "counter-mismatch: nr_slabs, total_objects",
			 test_counter_node_totals) ||
	    !CU_add_test(s, "counter-mismatch: objects",
			 test_counter_objects) ||
	    !CU_add_test(s, "counter-mismatch: objects 0",
			 test_counter_objects_zero) ||
	    !CU_add_test(s, "list-corrupt: prev", test_list_bad_prev) ||
	    !CU_add_test(s, "list-corrupt: not a slab", test_list_not_a_slab) ||
	    !CU_add_test(s, "list-corrupt: another cache's slab",
			 test_list_other_cache) ||
	    !CU_add_test(s, "list-corrupt: CPU partial loops",
			 test_list_cpu_partial_loop) ||
	    !CU_add_test(s, "list-corrupt: CPU slab not a slab",
			 test_list_cpu_slab_not_slab) ||
	    !CU_add_test(s, "slab-cache-invalid", test_slab_cache_invalid) ||
	    !CU_add_test(s, "debug layout", test_debug_layout) ||
	    !CU_add_test(s, "redzone-overwritten", test_redzone) ||
	    !CU_add_test(s, "poison-overwritten", test_poison) ||
	    !CU_add_test(s, "padding-overwritten", test_padding) ||
	    !CU_add_test(s, "padding-overwritten: alignment",
			 test_alignment_padding) ||
	    !CU_add_test(s, "unreadable slab", test_unreadable) ||
	    !CU_add_test(s, "counter-mismatch: frozen slab inuse",
			 test_counter_frozen) ||
	    !CU_add_test(s, "cache-field-invalid", test_cache_fields) ||
	    !CU_add_test(s, "full slab read only when needed",
			 test_full_slab_unread) ||
	    !CU_add_test(s, "unreadable node and CPU state",
			 test_unreadable_node_cpu) ||
	    !CU_add_test(s, "states and whatis", test_states_whatis) ||
	    !CU_add_test(s, "garbage", test_garbage) ||
	    !CU_add_test(s, "garbage: slab_caches", test_garbage_cache_list) ||
	    !CU_add_test(s, "counter-mismatch: garbage max_pfn",
			 test_max_pfn_garbage))
		return -1;
	return 0;
}
