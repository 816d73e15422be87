/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The conservative reference scan (slabscope/refscan.h) behind `slabscope
 * leaks --unreferenced`, on a synthetic SLUB kernel (synth.h): roots are
 * words written into the plain direct-map frames below SYNTH_FIRST_PFN,
 * the candidates are the objects of one slab, and every case asserts the
 * class of each object, the scan's counters and the referrers.  Then
 * ss_leaks_unreferenced() and ss_unref_crossing() on the same model, and
 * the level thresholds of --fail-if (ss_threshold_parse_level).
 *
 * The types come from tests/unit/data/slub_types.c (Linux 6.1, built
 * without CONFIG_SLAB_FREELIST_HARDENED so that free pointers are plain).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include <slabscope/dbg.h>
#include <slabscope/diff.h>
#include <slabscope/leaks.h>
#include <slabscope/refscan.h>
#include <slabscope/slab.h>

#include "model_run.h"
#include "synth.h"
#include "unit.h"

static char tmpdir[256];
static char so_plain[512];

static int suite_cleanup(void)
{
	model_run_rmtemp(tmpdir, so_plain, (char *)NULL);
	return 0;
}

static int suite_init(void)
{
	if (!model_run_mkdtemp(tmpdir, sizeof(tmpdir), "refscan"))
		return -1;
	snprintf(so_plain, sizeof(so_plain), "%s/slub_types_plain.so", tmpdir);
	if (model_run_build_types("slub_types.c", "-DSS_SLUB_NO_HARDENED",
				  so_plain)) {
		suite_cleanup();
		return -1;
	}
	return 0;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the synthetic kernel ---- */

/*
 * One cache, "refs-232": 232-byte objects in 240-byte slots (align 16), so
 * that every slot has an 8-byte tail past object_size, and a page holds 17
 * of them with 16 bytes left past the last one; no debug flags, so the
 * payload starts at the slot and the free pointer sits at +112.  One
 * order-0 slab (a slab's object count is the cache's, else the model
 * takes it for corrupt), three objects freed onto the slab's freelist.
 * What each object is for:
 */
enum {
	O_DIRECT, /* a root word holds its address */
	O_INTERIOR, /* a root word points to obj+24 */
	O_TAG1, /* a root word holds obj|1 */
	O_TAG2, /* a root word holds obj|2 */
	O_A, /* a root points to A, A to B, B to C+8 */
	O_B,
	O_C,
	O_UNREF, /* nothing points into its payload (only into its tail) */
	O_SELF, /* points into itself only */
	O_FREE, /* free; its payload points to O_FREEPTD */
	O_FREEPTD, /* pointed to only from a free object */
	O_P, /* unreferenced, points to Q */
	O_Q, /* only by unreferenced: P */
	O_X, /* X <-> Y, nothing else */
	O_Y,
	O_FREE2, /* free */
	O_FREE3, /* free */
	NOBJ
};
#define NFREE 3
#define NALLOC (NOBJ - NFREE)

#define OBJ_SIZE 232
#define SLOT_SIZE 240
#define CACHE_NAME "refs-232"
/* The frame holding most root words. */
#define ROOT_PFN 1ULL

/* The tag each allocated object starts with (a content signature for
 * ss_leaks_group): Q, X and Y are "refkid", the others "refobj". */
static const char TAG_OBJ[8] = "refobj";
static const char TAG_KID[8] = "refkid";

struct scen {
	struct synth *s;
	int cache, slab;
	uint64_t o[NOBJ];
	uint64_t base; /* the slab's first slot */
	/* The target the model reads: a copy of the synth's, so that a test
	 * can give it vmcoreinfo or present_run.  Lives as long as m. */
	struct ss_target t;
	struct ss_model *m;
	uint32_t ci; /* refs-232's index in the model */
};

static uint64_t frame_addr(uint64_t pfn, uint64_t off)
{
	return SYNTH_PAGE_OFFSET + pfn * SYNTH_PAGE_SIZE + off;
}

/* An 8-byte word in a plain frame below SYNTH_FIRST_PFN. */
static void root(struct synth *s, uint64_t pfn, uint64_t off, uint64_t v)
{
	CU_ASSERT_FATAL(pfn < SYNTH_FIRST_PFN);
	synth_write_u64(s, frame_addr(pfn, off), v);
}

/* Word w (8 bytes) of an object's payload. */
static void word(struct scen *sc, int obj, unsigned w, uint64_t v)
{
	CU_ASSERT_FATAL(w * 8 + 8 <= OBJ_SIZE);
	synth_write_u64(sc->s, sc->o[obj] + 8 * w, v);
}

static int add_cache(struct synth *s, const char *name, uint32_t object_size,
		     uint32_t align)
{
	struct synth_cache_spec spec = {
		.name = name,
		.object_size = object_size,
		.align = align,
		.enc = SS_FP_PLAIN,
	};
	return synth_add_cache(s, &spec);
}

/* The kernel of the header comment, not yet loaded; false on failure. */
static bool scen_build(struct scen *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->s = synth_create(so_plain);
	CU_ASSERT_PTR_NOT_NULL(sc->s);
	if (!sc->s)
		return false;
	struct synth *s = sc->s;
	/* The synthetic direct map covers the root frames and the slab:
	 * the scan walks [0, max_pfn) and the synth target has no
	 * present_run (every frame there). */
	CU_ASSERT(SYNTH_FIRST_PFN < SYNTH_MAX_PFN &&
		  ROOT_PFN < SYNTH_FIRST_PFN);
	CU_ASSERT_PTR_NULL(synth_target(s)->present_run);
	CU_ASSERT_PTR_NULL(synth_target(s)->vmcoreinfo);

	sc->cache = add_cache(s, CACHE_NAME, OBJ_SIZE, 16);
	const struct synth_cache *c = synth_cache(s, sc->cache);
	CU_ASSERT_EQUAL(c->size, SLOT_SIZE);
	CU_ASSERT_EQUAL(c->object_size, OBJ_SIZE);
	CU_ASSERT_EQUAL(c->red_left_pad, 0);
	CU_ASSERT_EQUAL(c->offset, 112);
	CU_ASSERT_EQUAL_FATAL(c->objects, NOBJ);
	sc->slab = synth_add_slab(s, sc->cache, 0);
	sc->base = synth_slab(s, sc->slab)->base;
	for (int i = 0; i < NOBJ; i++) {
		sc->o[i] = synth_obj(s, sc->slab, (uint32_t)i);
		CU_ASSERT_EQUAL(sc->o[i], sc->base + (uint64_t)i * SLOT_SIZE);
		bool kid = i == O_Q || i == O_X || i == O_Y;
		synth_write(s, sc->o[i], kid ? TAG_KID : TAG_OBJ, 8);
	}
	const uint32_t freed[] = { O_FREE, O_FREE2, O_FREE3 };
	CU_ASSERT_EQUAL(N(freed), NFREE);
	synth_slab_freelist(s, sc->slab, freed, N(freed));
	synth_node_partial(s, sc->cache, &sc->slab, 1);

	/* Roots. */
	uint64_t off = 0;
	root(s, ROOT_PFN, off += 8, sc->o[O_DIRECT]);
	root(s, ROOT_PFN, off += 8, sc->o[O_INTERIOR] + 24);
	root(s, ROOT_PFN, off += 8, sc->o[O_TAG1] | 1);
	root(s, ROOT_PFN, off += 8, sc->o[O_TAG2] | 2);
	root(s, ROOT_PFN, off += 8, sc->o[O_A]);
	/* Not references: into a slot's tail (past object_size), into a
	 * free object, past the slab's last object, at the end of the
	 * slab's page, a misaligned word, and no direct-map address. */
	root(s, ROOT_PFN, off += 8, sc->o[O_UNREF] + OBJ_SIZE);
	root(s, ROOT_PFN, off += 8, sc->o[O_UNREF] + OBJ_SIZE + 4);
	root(s, ROOT_PFN, off += 8, sc->o[O_P] + SLOT_SIZE - 1);
	root(s, ROOT_PFN, off += 8, sc->o[O_FREE]);
	root(s, ROOT_PFN, off += 8, sc->o[O_FREE2] + 8);
	root(s, ROOT_PFN, off += 8, sc->o[O_FREE3] + OBJ_SIZE - 8);
	root(s, ROOT_PFN, off += 8, sc->base + (uint64_t)NOBJ * SLOT_SIZE);
	root(s, ROOT_PFN, off += 8, sc->base + SYNTH_PAGE_SIZE - 8);
	root(s, ROOT_PFN, off += 8, 0xffffffff81000000ULL);
	root(s, ROOT_PFN, off += 8,
	     SYNTH_PAGE_OFFSET + SYNTH_MAX_PFN * SYNTH_PAGE_SIZE);
	uint64_t mis = sc->o[O_SELF];
	synth_write(s, frame_addr(ROOT_PFN, 2052), &mis, 8); /* misaligned */

	/* Objects' payloads (word 0 is the tag). */
	word(sc, O_A, 1, sc->o[O_B]);
	word(sc, O_B, 2, sc->o[O_C] + 8);
	word(sc, O_SELF, 1, sc->o[O_SELF] + 16);
	word(sc, O_SELF, 2, sc->o[O_SELF]);
	word(sc, O_FREE, 1, sc->o[O_FREEPTD]); /* free: not a reference */
	word(sc, O_P, 1, sc->o[O_Q]);
	word(sc, O_X, 1, sc->o[O_Y] + 8);
	word(sc, O_Y, 1, sc->o[O_X]);
	/* From a referenced object: into a free object and into a tail */
	word(sc, O_DIRECT, 1, sc->o[O_FREE2]);
	word(sc, O_DIRECT, 2, sc->o[O_UNREF] + OBJ_SIZE + 4);
	sc->t = *synth_target(s);
	return true;
}

/* Load the model from sc->t; false (asserted) on an error. */
static bool scen_load(struct scen *sc)
{
	struct ss_error *err = ss_model_load(&sc->t, NULL, &sc->m);
	if (err)
		fprintf(stderr, "\n  ss_model_load: %s\n", err->message);
	CU_ASSERT_PTR_NULL(err);
	ss_error_destroy(err);
	if (err)
		return false;
	sc->ci = ss_model_find_cache(sc->m, CACHE_NAME);
	CU_ASSERT_NOT_EQUAL_FATAL(sc->ci, SS_NO_CACHE);
	const struct ss_cache *c = ss_model_cache(sc->m, sc->ci);
	CU_ASSERT_EQUAL(c->size, SLOT_SIZE);
	CU_ASSERT_EQUAL(c->object_size, OBJ_SIZE);
	CU_ASSERT_EQUAL(c->allocated, NALLOC);
	CU_ASSERT_EQUAL(c->free, NFREE);
	CU_ASSERT_EQUAL(c->unknown, 0);
	CU_ASSERT_EQUAL(ss_model_mm(sc->m)->max_pfn, SYNTH_MAX_PFN);
	CU_ASSERT_EQUAL(ss_model_mm(sc->m)->page_offset, SYNTH_PAGE_OFFSET);
	return true;
}

static void scen_done(struct scen *sc)
{
	ss_model_destroy(sc->m);
	synth_destroy(sc->s);
	memset(sc, 0, sizeof(*sc));
}

static struct ss_refscan *scan(struct scen *sc,
			       const struct ss_refscan_options *opts)
{
	struct ss_refscan *r = NULL;
	struct ss_error *err = ss_refscan_run(sc->m, opts, &r);
	if (err)
		fprintf(stderr, "\n  ss_refscan_run: %s\n", err->message);
	CU_ASSERT_PTR_NULL(err);
	ss_error_destroy(err);
	CU_ASSERT_PTR_NOT_NULL(r);
	return r;
}

static const char *const obj_names[NOBJ] = {
	"direct", "interior", "tag1", "tag2",  "A",	  "B",
	"C",	  "unref",    "self", "free",  "freeptd", "P",
	"Q",	  "X",	      "Y",    "free2", "free3",
};

/* The class of object i, asserted. */
static void class_(const struct ss_refscan *r, const struct scen *sc, int i,
		   enum ss_ref_class want, unsigned line)
{
	enum ss_ref_class got = ss_refscan_class(r, sc->o[i]);
	ASSERT_AT(got == want, line, "object %s: class %s, want %s",
		  obj_names[i], ss_ref_class_name(got),
		  ss_ref_class_name(want));
}
#define CLASS(r, sc, i, want) class_((r), (sc), (i), (want), __LINE__)

/* The referrer of object i, asserted (-1: none). */
static void referrer_(const struct ss_refscan *r, const struct scen *sc, int i,
		      int want, unsigned line)
{
	uint64_t got = ss_refscan_referrer(r, sc->o[i]);
	uint64_t w = want < 0 ? 0 : sc->o[want];
	ASSERT_AT(got == w, line,
		  "object %s: referrer 0x%" PRIx64 ", want 0x%" PRIx64,
		  obj_names[i], got, w);
}
#define REFERRER(r, sc, i, want) referrer_((r), (sc), (i), (want), __LINE__)

#define STAT(r, field, want)                                                   \
	ASSERT_AT(ss_refscan_stats(r)->field == (want), __LINE__,              \
		  "stats." #field " %" PRIu64 ", want %" PRIu64,               \
		  (uint64_t)ss_refscan_stats(r)->field, (uint64_t)(want))

/* ---- the cases of the basic kernel ---- */

/* Every class of the basic kernel, as the header says it must be. */
static void assert_basic_classes(const struct ss_refscan *r,
				 const struct scen *sc)
{
	/* directly, interior, tagged, and through the closure */
	CLASS(r, sc, O_DIRECT, SS_REF_REFERENCED);
	CLASS(r, sc, O_INTERIOR, SS_REF_REFERENCED);
	CLASS(r, sc, O_TAG1, SS_REF_REFERENCED);
	CLASS(r, sc, O_TAG2, SS_REF_REFERENCED);
	CLASS(r, sc, O_A, SS_REF_REFERENCED);
	CLASS(r, sc, O_B, SS_REF_REFERENCED);
	CLASS(r, sc, O_C, SS_REF_REFERENCED);
	/* pointers into the tail only, itself only, a free object only */
	CLASS(r, sc, O_UNREF, SS_REF_UNREFERENCED);
	CLASS(r, sc, O_SELF, SS_REF_UNREFERENCED);
	CLASS(r, sc, O_FREEPTD, SS_REF_UNREFERENCED);
	/* a leaked structure's child, a leaked cycle */
	CLASS(r, sc, O_P, SS_REF_UNREFERENCED);
	CLASS(r, sc, O_Q, SS_REF_ONLY_BY_UNREFERENCED);
	CLASS(r, sc, O_X, SS_REF_ONLY_BY_UNREFERENCED);
	CLASS(r, sc, O_Y, SS_REF_ONLY_BY_UNREFERENCED);
	/* free objects are no candidates */
	CLASS(r, sc, O_FREE, SS_REF_NONE);
	CLASS(r, sc, O_FREE2, SS_REF_NONE);
	CLASS(r, sc, O_FREE3, SS_REF_NONE);
}

static void test_basic(void)
{
	struct scen sc;
	if (!scen_build(&sc))
		return;
	if (!scen_load(&sc)) {
		scen_done(&sc);
		return;
	}
	struct ss_refscan *r = scan(&sc, NULL);
	if (!r) {
		scen_done(&sc);
		return;
	}
	assert_basic_classes(r, &sc);

	/* Only an object's allocator address has a class. */
	CU_ASSERT_EQUAL(ss_refscan_class(r, sc.o[O_DIRECT] + 8), SS_REF_NONE);
	CU_ASSERT_EQUAL(ss_refscan_class(r, sc.o[O_A] + OBJ_SIZE), SS_REF_NONE);
	CU_ASSERT_EQUAL(ss_refscan_class(r, sc.base + NOBJ * SLOT_SIZE),
			SS_REF_NONE);
	CU_ASSERT_EQUAL(ss_refscan_class(r, frame_addr(ROOT_PFN, 0)),
			SS_REF_NONE);
	CU_ASSERT_EQUAL(ss_refscan_class(r, 0), SS_REF_NONE);
	CU_ASSERT_EQUAL(ss_refscan_class(r, SYNTH_HEAP), SS_REF_NONE);

	/* One referrer for each only-by-unreferenced object, none else. */
	REFERRER(r, &sc, O_Q, O_P);
	REFERRER(r, &sc, O_X, O_Y);
	REFERRER(r, &sc, O_Y, O_X);
	REFERRER(r, &sc, O_P, -1);
	REFERRER(r, &sc, O_B, -1);
	REFERRER(r, &sc, O_C, -1);
	REFERRER(r, &sc, O_UNREF, -1);
	REFERRER(r, &sc, O_SELF, -1);
	REFERRER(r, &sc, O_FREEPTD, -1);
	REFERRER(r, &sc, O_DIRECT, -1);
	CU_ASSERT_EQUAL(ss_refscan_referrer(r, sc.o[O_Q] + 8), 0);

	/* The counters: every frame but the slab's scanned whole, the
	 * slab's 14 live payloads, nothing free or missing. */
	STAT(r, frames, SYNTH_MAX_PFN);
	STAT(r, frames_absent, 0);
	STAT(r, frames_unreadable, 0);
	STAT(r, frames_free, 0);
	STAT(r, frames_slab, 1);
	STAT(r, frames_scanned, SYNTH_MAX_PFN - 1);
	STAT(r, objects_scanned, NALLOC);
	STAT(r, bytes_scanned,
	     (SYNTH_MAX_PFN - 1) * SYNTH_PAGE_SIZE + NALLOC * OBJ_SIZE);
	STAT(r, arrays_skipped, 0);
	STAT(r, candidates, NALLOC);
	STAT(r, referenced, 7);
	STAT(r, unreferenced, 4);
	STAT(r, only_by_unreferenced, 3);
	/* A->B, B->C, P->Q, X->Y, Y->X (the self-reference is none) */
	STAT(r, edges, 5);
	CU_ASSERT_TRUE(ss_refscan_stats(r)->closure_complete);
	/* slub_types.c has no PGTY_buddy, the synth no VMCOREINFO */
	CU_ASSERT_FALSE(ss_refscan_stats(r)->free_pages_known);

	const struct ss_refscan_cache *rc = ss_refscan_cache(r, sc.ci);
	CU_ASSERT_EQUAL(rc->candidates, NALLOC);
	CU_ASSERT_EQUAL(rc->unreferenced, 4);
	CU_ASSERT_EQUAL(rc->only_by_unreferenced, 3);
	/* a cache index out of range: zeroes */
	rc = ss_refscan_cache(r, (uint32_t)ss_model_ncaches(sc.m));
	CU_ASSERT_EQUAL(rc->candidates, 0);
	CU_ASSERT_EQUAL(rc->unreferenced + rc->only_by_unreferenced, 0);

	ss_refscan_destroy(r);
	scen_done(&sc);
}

/* ---- ss_refscan_for_each_candidate ---- */

struct walk {
	const struct ss_refscan *r;
	const struct scen *sc;
	size_t n;
	uint64_t last;
	uint64_t stop_at;
	bool ordered, classes_match, slots_ok;
};

static struct ss_error *walk_fn(void *arg, uint64_t obj, enum ss_ref_class cls,
				uint64_t slots, uint64_t slots_len)
{
	struct walk *w = arg;
	if (w->n && obj <= w->last)
		w->ordered = false;
	w->last = obj;
	w->n++;
	if (ss_refscan_class(w->r, obj) != cls || cls == SS_REF_NONE)
		w->classes_match = false;
	if (slots != w->sc->base || slots_len != (uint64_t)NOBJ * SLOT_SIZE)
		w->slots_ok = false;
	if (obj == w->stop_at)
		return ss_error_create(SS_ERR_INVALID, "stop");
	return NULL;
}

static void test_for_each_candidate(void)
{
	struct scen sc;
	if (!scen_build(&sc))
		return;
	if (!scen_load(&sc)) {
		scen_done(&sc);
		return;
	}
	struct ss_refscan *r = scan(&sc, NULL);
	if (r) {
		struct walk w = { .r = r,
				  .sc = &sc,
				  .ordered = true,
				  .classes_match = true,
				  .slots_ok = true };
		SS_ASSERT_OK(
			ss_refscan_for_each_candidate(r, sc.ci, walk_fn, &w));
		CU_ASSERT_EQUAL(w.n, NALLOC);
		CU_ASSERT_TRUE(w.ordered);
		CU_ASSERT_TRUE(w.classes_match);
		CU_ASSERT_TRUE(w.slots_ok);
		/* a callback's error stops the walk and is returned */
		struct walk w2 = { .r = r,
				   .sc = &sc,
				   .stop_at = sc.o[O_C],
				   .ordered = true,
				   .classes_match = true,
				   .slots_ok = true };
		SS_ASSERT_ERR(ss_refscan_for_each_candidate(r, sc.ci, walk_fn,
							    &w2),
			      SS_ERR_INVALID);
		CU_ASSERT_EQUAL(w2.n, O_C + 1);
		/* no such cache: nothing */
		struct walk w3 = { .r = r, .sc = &sc };
		SS_ASSERT_OK(ss_refscan_for_each_candidate(
			r, (uint32_t)ss_model_ncaches(sc.m), walk_fn, &w3));
		CU_ASSERT_EQUAL(w3.n, 0);
		ss_refscan_destroy(r);
	}
	scen_done(&sc);
}

/* ---- progress ---- */

struct progress {
	unsigned calls;
	uint64_t done, total;
	bool rising;
};

static void progress_fn(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	if (p->calls && done < p->done)
		p->rising = false;
	p->calls++;
	p->done = done;
	p->total = total;
}

static void test_progress(void)
{
	struct scen sc;
	if (!scen_build(&sc))
		return;
	if (!scen_load(&sc)) {
		scen_done(&sc);
		return;
	}
	struct progress p = { .rising = true };
	struct ss_refscan_options o = { .progress = progress_fn,
					.progress_arg = &p };
	struct ss_refscan *r = scan(&sc, &o);
	if (r) {
		CU_ASSERT(p.calls >= 1);
		CU_ASSERT_TRUE(p.rising);
		CU_ASSERT_EQUAL(p.done, SYNTH_MAX_PFN);
		CU_ASSERT_EQUAL(p.total, SYNTH_MAX_PFN);
		assert_basic_classes(r, &sc);
		ss_refscan_destroy(r);
	}
	scen_done(&sc);
}

/* ---- free pages: the buddy marker from VMCOREINFO ---- */

static const char *vmcoreinfo_buddy(void *arg, const char *key)
{
	(void)arg;
	return strcmp(key, "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)") == 0 ? "-129"
								     : NULL;
}

static const char *vmcoreinfo_none(void *arg, const char *key)
{
	(void)arg;
	(void)key;
	return NULL;
}

static const char *vmcoreinfo_garbage(void *arg, const char *key)
{
	(void)arg;
	(void)key;
	return "buddy";
}

/* Mark frame pfn the head of a free buddy block of this order. */
static void buddy_page(struct synth *s, uint64_t pfn, unsigned order)
{
	struct ss_member type, priv, flags;
	struct ss_dbg *dbg = synth_target(s)->dbg;
	SS_ASSERT_OK(
		ss_dbg_member(dbg, SS_TYPE_STRUCT, "page", "page_type", &type));
	SS_ASSERT_OK(
		ss_dbg_member(dbg, SS_TYPE_STRUCT, "page", "private", &priv));
	SS_ASSERT_OK(
		ss_dbg_member(dbg, SS_TYPE_STRUCT, "page", "flags", &flags));
	CU_ASSERT_EQUAL(type.offset, 48);
	CU_ASSERT_EQUAL(priv.offset, 40);
	uint64_t page = SYNTH_VMEMMAP + pfn * PAGE_SIZEOF;
	synth_write_u32(s, page + type.offset, 0xffffff7fu); /* -129 */
	synth_write_u64(s, page + priv.offset, order);
}

static void test_buddy(void)
{
	struct scen sc;
	if (!scen_build(&sc))
		return;
	/* An order-0 free page holding a pointer to UNREF, an order-2 block
	 * [8, 12) holding one to P in its third frame. */
	buddy_page(sc.s, 3, 0);
	root(sc.s, 3, 128, sc.o[O_UNREF]);
	buddy_page(sc.s, 8, 2);
	root(sc.s, 10, 0, sc.o[O_P]);
	/* frame 12, past the block: a pointer that counts */
	root(sc.s, 12, 0, sc.o[O_SELF] + 8);
	sc.t.vmcoreinfo = vmcoreinfo_buddy;
	if (!scen_load(&sc)) {
		scen_done(&sc);
		return;
	}
	struct ss_refscan *r = scan(&sc, NULL);
	if (r) {
		CU_ASSERT_TRUE(ss_refscan_stats(r)->free_pages_known);
		STAT(r, frames_free, 5);
		STAT(r, frames_slab, 1);
		STAT(r, frames_scanned, SYNTH_MAX_PFN - 1 - 5);
		CLASS(r, &sc, O_UNREF, SS_REF_UNREFERENCED);
		CLASS(r, &sc, O_P, SS_REF_UNREFERENCED);
		CLASS(r, &sc, O_Q, SS_REF_ONLY_BY_UNREFERENCED);
		REFERRER(r, &sc, O_Q, O_P);
		CLASS(r, &sc, O_SELF, SS_REF_REFERENCED);
		STAT(r, unreferenced, 3);
		STAT(r, only_by_unreferenced, 3);
		ss_refscan_destroy(r);
	}
	ss_model_destroy(sc.m);
	sc.m = NULL;

	/* Without the marker the same pointers count. */
	const char *(*const others[])(void *,
				      const char *) = { NULL, vmcoreinfo_none,
							vmcoreinfo_garbage };
	for (size_t k = 0; k < N(others); k++) {
		sc.t.vmcoreinfo = others[k];
		if (!scen_load(&sc))
			break;
		r = scan(&sc, NULL);
		if (r) {
			CU_ASSERT_FALSE(ss_refscan_stats(r)->free_pages_known);
			STAT(r, frames_free, 0);
			STAT(r, frames_scanned, SYNTH_MAX_PFN - 1);
			CLASS(r, &sc, O_UNREF, SS_REF_REFERENCED);
			CLASS(r, &sc, O_P, SS_REF_REFERENCED);
			CLASS(r, &sc, O_Q, SS_REF_REFERENCED);
			CLASS(r, &sc, O_SELF, SS_REF_REFERENCED);
			STAT(r, unreferenced, 1); /* FREEPTD */
			STAT(r, only_by_unreferenced, 2); /* X, Y */
			ss_refscan_destroy(r);
		}
		ss_model_destroy(sc.m);
		sc.m = NULL;
	}
	scen_done(&sc);
}

/* ---- frames the dump lacks or cannot read ---- */

/* The dump holds [0, 4) and [6, max_pfn): frames 4 and 5 are absent. */
static bool present_gap(void *arg, uint64_t pfn, uint64_t *start, uint64_t *end)
{
	(void)arg;
	if (pfn < 4) {
		*start = pfn;
		*end = 4;
	} else if (pfn < SYNTH_MAX_PFN) {
		*start = pfn < 6 ? 6 : pfn;
		*end = SYNTH_MAX_PFN;
	} else {
		return false;
	}
	return true;
}

static void test_absent_unreadable(void)
{
	struct scen sc;
	if (!scen_build(&sc))
		return;
	/* absent: frame 5 points to UNREF */
	root(sc.s, 5, 0, sc.o[O_UNREF]);
	/* unreadable: frame 7 points to P */
	root(sc.s, 7, 0, sc.o[O_P]);
	SS_ASSERT_OK(ss_memimage_exclude(synth_image(sc.s), frame_addr(7, 0),
					 SYNTH_PAGE_SIZE));
	sc.t.present_run = present_gap;
	if (!scen_load(&sc)) {
		scen_done(&sc);
		return;
	}
	struct ss_refscan *r = scan(&sc, NULL);
	if (r) {
		STAT(r, frames, SYNTH_MAX_PFN);
		STAT(r, frames_absent, 2);
		STAT(r, frames_unreadable, 1);
		STAT(r, frames_slab, 1);
		STAT(r, frames_scanned, SYNTH_MAX_PFN - 2 - 1 - 1);
		assert_basic_classes(r, &sc);
		ss_refscan_destroy(r);
	}
	scen_done(&sc);
}

/* ---- the candidate caches ---- */

#define OTHER_NAME "other-512"

static void test_caches_option(void)
{
	struct scen sc;
	if (!scen_build(&sc))
		return;
	/* A second cache: 8 objects, 6 and 7 free.  Object 0 (allocated)
	 * points to UNREF, object 7 (free) to P. */
	int oc = add_cache(sc.s, OTHER_NAME, 512, 0);
	CU_ASSERT_EQUAL_FATAL(synth_cache(sc.s, oc)->objects, 8);
	int os = synth_add_slab(sc.s, oc, 0);
	const uint32_t freed[] = { 6, 7 };
	synth_slab_freelist(sc.s, os, freed, N(freed));
	synth_node_partial(sc.s, oc, &os, 1);
	uint64_t other[8];
	for (uint32_t i = 0; i < 8; i++)
		other[i] = synth_obj(sc.s, os, i);
	synth_write_u64(sc.s, other[0] + 16, sc.o[O_UNREF]);
	synth_write_u64(sc.s, other[7] + 8, sc.o[O_P]);
	if (!scen_load(&sc)) {
		scen_done(&sc);
		return;
	}
	size_t nc = ss_model_ncaches(sc.m);
	uint32_t oci = ss_model_find_cache(sc.m, OTHER_NAME);
	CU_ASSERT_NOT_EQUAL_FATAL(oci, SS_NO_CACHE);
	bool *sel = calloc(nc, sizeof(*sel));
	CU_ASSERT_PTR_NOT_NULL_FATAL(sel);

	/* Only refs-232: the other cache's objects are roots. */
	sel[sc.ci] = true;
	struct ss_refscan_options o = { .caches = sel };
	struct ss_refscan *r = scan(&sc, &o);
	if (r) {
		for (uint32_t i = 0; i < 8; i++)
			CU_ASSERT_EQUAL(ss_refscan_class(r, other[i]),
					SS_REF_NONE);
		CLASS(r, &sc, O_UNREF, SS_REF_REFERENCED);
		CLASS(r, &sc, O_P, SS_REF_UNREFERENCED); /* from a free one */
		CLASS(r, &sc, O_Q, SS_REF_ONLY_BY_UNREFERENCED);
		STAT(r, candidates, NALLOC);
		STAT(r, referenced, 8);
		STAT(r, unreferenced, 3);
		STAT(r, only_by_unreferenced, 3);
		STAT(r, frames_slab, 2);
		STAT(r, objects_scanned, NALLOC + 6);
		const struct ss_refscan_cache *rc = ss_refscan_cache(r, oci);
		CU_ASSERT_EQUAL(rc->candidates, 0);
		CU_ASSERT_EQUAL(rc->unreferenced, 0);
		rc = ss_refscan_cache(r, sc.ci);
		CU_ASSERT_EQUAL(rc->candidates, NALLOC);
		CU_ASSERT_EQUAL(rc->unreferenced, 3);
		ss_refscan_destroy(r);
	}

	/* Only other-512: refs-232's objects are roots, none a candidate. */
	memset(sel, 0, nc * sizeof(*sel));
	sel[oci] = true;
	r = scan(&sc, &o);
	if (r) {
		CLASS(r, &sc, O_UNREF, SS_REF_NONE);
		CLASS(r, &sc, O_DIRECT, SS_REF_NONE);
		for (uint32_t i = 0; i < 6; i++)
			CU_ASSERT_EQUAL(ss_refscan_class(r, other[i]),
					SS_REF_UNREFERENCED);
		CU_ASSERT_EQUAL(ss_refscan_class(r, other[6]), SS_REF_NONE);
		STAT(r, candidates, 6);
		STAT(r, unreferenced, 6);
		ss_refscan_destroy(r);
	}

	/* Every cache: other[0] is an unreferenced candidate, so UNREF is
	 * referenced only by it. */
	r = scan(&sc, NULL);
	if (r) {
		CU_ASSERT_EQUAL(ss_refscan_class(r, other[0]),
				SS_REF_UNREFERENCED);
		CLASS(r, &sc, O_UNREF, SS_REF_ONLY_BY_UNREFERENCED);
		CU_ASSERT_EQUAL(ss_refscan_referrer(r, sc.o[O_UNREF]),
				other[0]);
		CLASS(r, &sc, O_P, SS_REF_UNREFERENCED);
		STAT(r, candidates, NALLOC + 6);
		STAT(r, unreferenced, 3 + 6);
		STAT(r, only_by_unreferenced, 4);
		CU_ASSERT_EQUAL(ss_refscan_cache(r, oci)->candidates, 6);
		CU_ASSERT_EQUAL(ss_refscan_cache(r, oci)->unreferenced, 6);
		ss_refscan_destroy(r);
	}
	free(sel);
	scen_done(&sc);
}

/* ---- the edge memory limit ---- */

static void test_edge_limit(void)
{
	struct scen sc;
	if (!scen_build(&sc))
		return;
	if (!scen_load(&sc)) {
		scen_done(&sc);
		return;
	}
	/* Room for one edge (8 bytes) or four, of the five: the closure is
	 * not computed, and what only candidates point to is referenced. */
	const uint64_t small[] = { 8, 32 };
	for (size_t k = 0; k < N(small); k++) {
		struct ss_refscan_options o = { .max_edge_bytes = small[k] };
		struct ss_refscan *r = scan(&sc, &o);
		if (!r)
			continue;
		CU_ASSERT_FALSE(ss_refscan_stats(r)->closure_complete);
		CLASS(r, &sc, O_B, SS_REF_REFERENCED);
		CLASS(r, &sc, O_C, SS_REF_REFERENCED);
		CLASS(r, &sc, O_Q, SS_REF_REFERENCED);
		CLASS(r, &sc, O_X, SS_REF_REFERENCED);
		CLASS(r, &sc, O_Y, SS_REF_REFERENCED);
		/* what nothing points to stays unreferenced */
		CLASS(r, &sc, O_UNREF, SS_REF_UNREFERENCED);
		CLASS(r, &sc, O_SELF, SS_REF_UNREFERENCED);
		CLASS(r, &sc, O_FREEPTD, SS_REF_UNREFERENCED);
		CLASS(r, &sc, O_P, SS_REF_UNREFERENCED);
		REFERRER(r, &sc, O_Q, -1);
		STAT(r, referenced, 10);
		STAT(r, unreferenced, 4);
		STAT(r, only_by_unreferenced, 0);
		CU_ASSERT_EQUAL(
			ss_refscan_cache(r, sc.ci)->only_by_unreferenced, 0);
		CU_ASSERT_EQUAL(ss_refscan_cache(r, sc.ci)->unreferenced, 4);
		ss_refscan_destroy(r);
	}
	/* Room for exactly the five edges (40 bytes), or a little more:
	 * the closure is complete. */
	const uint64_t enough[] = { 40, 64, 4096 };
	for (size_t k = 0; k < N(enough); k++) {
		struct ss_refscan_options o = { .max_edge_bytes = enough[k] };
		struct ss_refscan *r = scan(&sc, &o);
		if (!r)
			continue;
		ASSERT_AT(ss_refscan_stats(r)->closure_complete, __LINE__,
			  "max_edge_bytes %" PRIu64 ": closure incomplete "
			  "with 5 edges",
			  enough[k]);
		STAT(r, edges, 5);
		assert_basic_classes(r, &sc);
		REFERRER(r, &sc, O_Q, O_P);
		ss_refscan_destroy(r);
	}
	scen_done(&sc);
}

/* ---- slab metadata: red zones, free pointer, tracks, padding ---- */

/*
 * slub_debug=FZPU on 64-byte objects: slots of 160 bytes, 25 a page, each
 * [-8, 0) left red zone, [0, 64) payload, [64, 72) right red zone,
 * [72, 80) free pointer, [80, 144) alloc and free tracks, [144, 152)
 * padding.  Only the payload is scanned, and only a pointer into the
 * payload refers to an object.
 */
static void test_debug_metadata(void)
{
	struct scen sc;
	memset(&sc, 0, sizeof(sc));
	sc.s = synth_create(so_plain);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc.s);
	struct synth *s = sc.s;
	struct synth_cache_spec spec = {
		.name = "refs-dbg",
		.object_size = 64,
		.flags = SLUB_DEBUG_FZPU,
		.enc = SS_FP_PLAIN,
	};
	int c = synth_add_cache(s, &spec);
	const struct synth_cache *cc = synth_cache(s, c);
	CU_ASSERT_EQUAL(cc->size, 160);
	CU_ASSERT_EQUAL(cc->red_left_pad, 8);
	CU_ASSERT_EQUAL(cc->offset, 72);
	CU_ASSERT_EQUAL(cc->inuse, 72);
	CU_ASSERT_EQUAL_FATAL(cc->objects, 25);
	int sl = synth_add_slab(s, c, 0);
	uint64_t d[25];
	for (uint32_t i = 0; i < 25; i++)
		d[i] = synth_obj(s, sl, i);
	CU_ASSERT_EQUAL(d[0], synth_slab(s, sl)->base + 8);
	const uint32_t freed[] = { 20, 21, 22, 23, 24 };
	synth_slab_freelist(s, sl, freed, N(freed));
	synth_node_partial(s, c, &sl, 1);

	uint64_t off = 0;
	/* d0: by its last payload word */
	root(s, ROOT_PFN, off += 8, d[0] + 56);
	/* d1: into every part of its slot but the payload */
	const uint64_t meta[] = { -8ULL, -1ULL, 64,  71,  72,
				  80,	 112,	143, 144, 151 };
	for (size_t i = 0; i < N(meta); i++)
		root(s, ROOT_PFN, off += 8, d[1] + meta[i]);
	/* d3: pointed to from d0's metadata only (d0 is referenced) */
	const uint64_t at[] = { -8ULL, 64, 72, 80 + 32, 144 };
	for (size_t i = 0; i < N(at); i++)
		synth_write_u64(s, d[0] + at[i], d[3]);
	/* d4: from d0's payload */
	synth_write_u64(s, d[0] + 8, d[4] + 63);
	sc.t = *synth_target(s);
	struct ss_error *err = ss_model_load(&sc.t, NULL, &sc.m);
	CU_ASSERT_PTR_NULL(err);
	ss_error_destroy(err);
	struct ss_refscan *r = err ? NULL : scan(&sc, NULL);
	if (!r) {
		scen_done(&sc);
		return;
	}
	uint32_t ci = ss_model_find_cache(sc.m, "refs-dbg");
	CU_ASSERT_EQUAL(ss_model_cache(sc.m, ci)->allocated, 20);
	CU_ASSERT_EQUAL(ss_refscan_class(r, d[0]), SS_REF_REFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_class(r, d[4]), SS_REF_REFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_class(r, d[1]), SS_REF_UNREFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_class(r, d[3]), SS_REF_UNREFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_class(r, d[2]), SS_REF_UNREFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_class(r, d[20]), SS_REF_NONE);
	/* the slot start is no object address */
	CU_ASSERT_EQUAL(ss_refscan_class(r, d[1] - 8), SS_REF_NONE);
	STAT(r, candidates, 20);
	STAT(r, referenced, 2);
	STAT(r, unreferenced, 18);
	STAT(r, only_by_unreferenced, 0);
	STAT(r, objects_scanned, 20);
	STAT(r, bytes_scanned, (SYNTH_MAX_PFN - 1) * SYNTH_PAGE_SIZE + 20 * 64);

	/* With tracks, leaks --unreferenced groups by the alloc caller; the
	 * ages, pids and CPUs are the unreachable objects'. */
	struct ss_unref_result res;
	struct ss_leaks_options lo = { .refs = r };
	SS_ASSERT_OK(ss_leaks_unreferenced(sc.m, &lo, &res));
	CU_ASSERT_EQUAL(res.ncaches, 1);
	if (res.ncaches == 1) {
		const struct ss_leaks_result *g = &res.caches[0].groups;
		CU_ASSERT_EQUAL(res.caches[0].cache, ci);
		CU_ASSERT_EQUAL(g->method, SS_LEAK_TRACK);
		CU_ASSERT_EQUAL(g->objects, 20);
		CU_ASSERT_EQUAL(g->unreferenced, 18);
		CU_ASSERT_EQUAL_FATAL(g->ngroups, 1);
		const struct ss_leak_group *g0 = &g->groups[0];
		CU_ASSERT_PTR_NOT_NULL(strstr(g0->key, "ss_test_alloc_caller"));
		CU_ASSERT_EQUAL(g0->count, 20);
		CU_ASSERT_EQUAL(g0->unreferenced, 18);
		CU_ASSERT_EQUAL(g0->nexamples, SS_LEAK_EXAMPLES);
		const int ex[] = { 1, 2, 3, 5 };
		for (size_t i = 0; i < N(ex) && i < g0->nexamples; i++)
			CU_ASSERT_EQUAL(g0->examples[i], d[ex[i]]);
		CU_ASSERT_EQUAL(g0->pid_min, 1001);
		CU_ASSERT_EQUAL(g0->pid_max, 1019);
		CU_ASSERT_EQUAL(g0->cpus, 1u << 1);
		CU_ASSERT_TRUE(g0->has_age);
	}
	ss_unref_result_deinit(&res);
	ss_refscan_destroy(r);
	scen_done(&sc);
}

/* ---- a slab of two pages ---- */

static void order1_check(struct scen *sc, const uint64_t *o);
static uint64_t split_pfn;

/* Every frame present, in two runs: [0, split_pfn), [split_pfn, max). */
static bool present_split(void *arg, uint64_t pfn, uint64_t *start,
			  uint64_t *end)
{
	(void)arg;
	if (pfn >= SYNTH_MAX_PFN)
		return false;
	*start = pfn;
	*end = pfn < split_pfn ? split_pfn : SYNTH_MAX_PFN;
	return true;
}

/*
 * Order 1, 240-byte slots: 34 objects in 8192 bytes, object 17 across the
 * page boundary ([4080, 4320)).  References into the second page and into
 * either half of the straddling object count; the slab is one slab of two
 * frames.
 */
static void test_order1(void)
{
	struct scen sc;
	memset(&sc, 0, sizeof(sc));
	sc.s = synth_create(so_plain);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc.s);
	struct synth *s = sc.s;
	struct synth_cache_spec spec = {
		.name = "refs-o1",
		.object_size = OBJ_SIZE,
		.align = 16,
		.order = 1,
		.enc = SS_FP_PLAIN,
	};
	int c = synth_add_cache(s, &spec);
	CU_ASSERT_EQUAL_FATAL(synth_cache(s, c)->objects, 34);
	int sl = synth_add_slab(s, c, 0);
	uint64_t o[34];
	for (uint32_t i = 0; i < 34; i++)
		o[i] = synth_obj(s, sl, i);
	const uint32_t freed[] = { 33 };
	synth_slab_freelist(s, sl, freed, N(freed));
	synth_node_partial(s, c, &sl, 1);
	CU_ASSERT_EQUAL(o[17] / SYNTH_PAGE_SIZE + 1,
			(o[17] + OBJ_SIZE - 1) / SYNTH_PAGE_SIZE);
	/* o17 through its second half, o16 through its first; o20 (second
	 * page) only from o30 (second page), o30 from nothing: o20 is
	 * referenced only by an unreferenced object */
	root(s, ROOT_PFN, 8, o[17] + 200);
	root(s, ROOT_PFN, 16, o[16]);
	synth_write_u64(s, o[30] + 8, o[20] + 16);
	/* from the straddling object's second half */
	synth_write_u64(s, o[17] + 224, o[25]);
	split_pfn = synth_slab(s, sl)->pfn + 1;
	for (int pass = 0; pass < 2; pass++) {
		/* pass 1: the dump's runs of frames end inside the slab, so
		 * its second page is not in the chunk its first is */
		sc.t = *synth_target(s);
		if (pass)
			sc.t.present_run = present_split;
		order1_check(&sc, o);
		ss_model_destroy(sc.m);
		sc.m = NULL;
	}
	scen_done(&sc);
}

static void order1_check(struct scen *sc, const uint64_t *o)
{
	struct ss_error *err = ss_model_load(&sc->t, NULL, &sc->m);
	CU_ASSERT_PTR_NULL(err);
	ss_error_destroy(err);
	struct ss_refscan *r = err ? NULL : scan(sc, NULL);
	if (!r)
		return;
	STAT(r, frames_absent, 0);
	CU_ASSERT_EQUAL(ss_refscan_class(r, o[17]), SS_REF_REFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_class(r, o[16]), SS_REF_REFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_class(r, o[25]), SS_REF_REFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_class(r, o[30]), SS_REF_UNREFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_class(r, o[20]),
			SS_REF_ONLY_BY_UNREFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_referrer(r, o[20]), o[30]);
	CU_ASSERT_EQUAL(ss_refscan_class(r, o[33]), SS_REF_NONE);
	STAT(r, frames_slab, 2);
	STAT(r, frames_scanned, SYNTH_MAX_PFN - 2);
	STAT(r, candidates, 33);
	STAT(r, objects_scanned, 33);
	STAT(r, referenced, 3);
	STAT(r, only_by_unreferenced, 1);
	STAT(r, unreferenced, 29);
	ss_refscan_destroy(r);
}

/*
 * When the edges fill the room they have, those into objects found
 * referenced from outside since are dropped first.  Two slabs of
 * refs-232 with a plain frame between them: edges a0->a1, a2->a3, a4->a5
 * from the first slab, then the plain frame points to a1 and a3, then
 * the second slab adds b0->b1, b2->b3, b4->b5.  Room for 4 edges: the
 * fifth finds the room full, drops the two into a1 and a3, and the
 * closure is complete.
 */
static void test_edge_compaction(void)
{
	struct scen sc;
	memset(&sc, 0, sizeof(sc));
	sc.s = synth_create(so_plain);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc.s);
	struct synth *s = sc.s;
	int c = add_cache(s, CACHE_NAME, OBJ_SIZE, 16);
	int s1 = synth_add_slab(s, c, 0);
	uint64_t mid = synth_alloc_pfns(s, 0);
	int s2 = synth_add_slab(s, c, 0);
	CU_ASSERT_EQUAL(synth_slab(s, s1)->pfn + 1, mid);
	CU_ASSERT_EQUAL(synth_slab(s, s2)->pfn, mid + 1);
	const int ids[] = { s1, s2 };
	synth_node_full(s, c, ids, N(ids));
	uint64_t a[6], b[6];
	for (uint32_t i = 0; i < 6; i++) {
		a[i] = synth_obj(s, s1, i);
		b[i] = synth_obj(s, s2, i);
	}
	for (int i = 0; i < 6; i += 2) {
		synth_write_u64(s, a[i] + 8, a[i + 1]);
		synth_write_u64(s, b[i] + 8, b[i + 1]);
	}
	synth_write_u64(s, frame_addr(mid, 0), a[1]);
	synth_write_u64(s, frame_addr(mid, 8), a[3] + 100);
	sc.t = *synth_target(s);
	struct ss_error *err = ss_model_load(&sc.t, NULL, &sc.m);
	CU_ASSERT_PTR_NULL(err);
	ss_error_destroy(err);
	struct ss_refscan_options o = { .max_edge_bytes = 4 * 8 };
	struct ss_refscan *r = err ? NULL : scan(&sc, &o);
	if (!r) {
		scen_done(&sc);
		return;
	}
	CU_ASSERT_TRUE(ss_refscan_stats(r)->closure_complete);
	STAT(r, edges, 4);
	CU_ASSERT_EQUAL(ss_refscan_class(r, a[1]), SS_REF_REFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_class(r, a[3]), SS_REF_REFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_class(r, a[5]), SS_REF_ONLY_BY_UNREFERENCED);
	CU_ASSERT_EQUAL(ss_refscan_referrer(r, a[5]), a[4]);
	for (int i = 0; i < 6; i += 2) {
		CU_ASSERT_EQUAL(ss_refscan_class(r, a[i]), SS_REF_UNREFERENCED);
		CU_ASSERT_EQUAL(ss_refscan_class(r, b[i]), SS_REF_UNREFERENCED);
		CU_ASSERT_EQUAL(ss_refscan_class(r, b[i + 1]),
				SS_REF_ONLY_BY_UNREFERENCED);
		CU_ASSERT_EQUAL(ss_refscan_referrer(r, b[i + 1]), b[i]);
	}
	STAT(r, candidates, 2 * NOBJ);
	STAT(r, referenced, 2);
	STAT(r, only_by_unreferenced, 4);
	STAT(r, unreferenced, 2 * NOBJ - 6);
	ss_refscan_destroy(r);

	/* Room for 3: after the drop the sixth edge still has none. */
	o.max_edge_bytes = 3 * 8;
	r = scan(&sc, &o);
	if (r) {
		CU_ASSERT_FALSE(ss_refscan_stats(r)->closure_complete);
		CU_ASSERT_EQUAL(ss_refscan_class(r, b[5]), SS_REF_REFERENCED);
		CU_ASSERT_EQUAL(ss_refscan_class(r, b[4]), SS_REF_UNREFERENCED);
		STAT(r, only_by_unreferenced, 0);
		ss_refscan_destroy(r);
	}
	scen_done(&sc);
}

/* ---- ss_leaks_unreferenced and ss_unref_crossing ---- */

static void test_leaks_unreferenced(void)
{
	struct scen sc;
	if (!scen_build(&sc))
		return;
	if (!scen_load(&sc)) {
		scen_done(&sc);
		return;
	}
	struct ss_refscan *r = scan(&sc, NULL);
	if (!r) {
		scen_done(&sc);
		return;
	}
	struct ss_unref_result res;
	/* without a scan: an error */
	SS_ASSERT_ERR(ss_leaks_unreferenced(sc.m, NULL, &res), SS_ERR_INVALID);
	struct ss_leaks_options none = { 0 };
	SS_ASSERT_ERR(ss_leaks_unreferenced(sc.m, &none, &res), SS_ERR_INVALID);

	struct ss_leaks_options lo = { .refs = r };
	SS_ASSERT_OK(ss_leaks_unreferenced(sc.m, &lo, &res));
	CU_ASSERT_EQUAL_FATAL(res.ncaches, 1);
	const struct ss_unref_cache *uc = &res.caches[0];
	CU_ASSERT_EQUAL(uc->cache, sc.ci);
	CU_ASSERT_EQUAL(uc->candidates, NALLOC);
	CU_ASSERT_EQUAL(uc->unreferenced, 4);
	CU_ASSERT_EQUAL(uc->only_by_unreferenced, 3);
	const struct ss_leaks_result *g = &uc->groups;
	CU_ASSERT_EQUAL(g->method, SS_LEAK_CONTENT);
	CU_ASSERT_EQUAL(g->objects, NALLOC);
	CU_ASSERT_EQUAL(g->unreferenced, 4);
	CU_ASSERT_EQUAL(g->only_by_unreferenced, 3);
	/* the groups add up */
	uint64_t su = 0, so = 0;
	for (size_t i = 0; i < g->ngroups; i++) {
		su += g->groups[i].unreferenced;
		so += g->groups[i].only_by_unreferenced;
		CU_ASSERT(g->groups[i].unreferenced +
				  g->groups[i].only_by_unreferenced >
			  0);
	}
	CU_ASSERT_EQUAL(su, uc->unreferenced);
	CU_ASSERT_EQUAL(so, uc->only_by_unreferenced);
	/* by tag: "refobj" (11 objects, 4 unreferenced), "refkid" (Q, X, Y:
	 * each referenced only by an unreferenced one) */
	CU_ASSERT_EQUAL_FATAL(g->ngroups, 2);
	const struct ss_leak_group *g0 = &g->groups[0], *g1 = &g->groups[1];
	CU_ASSERT_STRING_EQUAL(g0->key, "tag:refobj");
	CU_ASSERT_EQUAL(g0->count, 11);
	CU_ASSERT_EQUAL(g0->unreferenced, 4);
	CU_ASSERT_EQUAL(g0->only_by_unreferenced, 0);
	CU_ASSERT_EQUAL_FATAL(g0->nexamples, 4);
	const int ex0[] = { O_UNREF, O_SELF, O_FREEPTD, O_P };
	for (size_t i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(g0->examples[i], sc.o[ex0[i]]);
		CU_ASSERT_EQUAL(g0->referrers[i], 0);
	}
	CU_ASSERT_STRING_EQUAL(g1->key, "tag:refkid");
	CU_ASSERT_EQUAL(g1->count, 3);
	CU_ASSERT_EQUAL(g1->unreferenced, 0);
	CU_ASSERT_EQUAL(g1->only_by_unreferenced, 3);
	CU_ASSERT_EQUAL_FATAL(g1->nexamples, 3);
	const int ex1[] = { O_Q, O_X, O_Y }, ref1[] = { O_P, O_Y, O_X };
	for (size_t i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(g1->examples[i], sc.o[ex1[i]]);
		CU_ASSERT_EQUAL(g1->referrers[i], sc.o[ref1[i]]);
	}
	ss_unref_result_deinit(&res);

	/* --fail-if on the scan: 7 unreachable of 14, 7 * 232 bytes */
	const struct {
		const char *text;
		size_t want;
	} th[] = {
		{ "refs-*>6", 1 },     { "refs-*>7", 0 },
		{ "refs-*>=7", 1 },    { "refs-232>=50%", 1 },
		{ "refs-232>50%", 0 }, { "refs-232>49.9%", 1 },
		{ "*>1K", 1 },	       { "*>2K", 0 },
		{ "kmalloc-*>0", 0 },
	};
	for (size_t i = 0; i < N(th); i++) {
		struct ss_threshold t;
		SS_ASSERT_OK(ss_threshold_parse_level(th[i].text, &t));
		uint32_t which[8] = { UINT32_MAX };
		size_t n = ss_unref_crossing(
			sc.m, r, &t,
			ss_model_ncaches(sc.m) <= 8 ? which : NULL);
		ASSERT_AT(n == th[i].want, __LINE__, "%s: %zu caches, want %zu",
			  th[i].text, n, th[i].want);
		if (n == 1 && ss_model_ncaches(sc.m) <= 8)
			CU_ASSERT_EQUAL(which[0], sc.ci);
		ss_threshold_deinit(&t);
	}

	ss_refscan_destroy(r);
	scen_done(&sc);
}

/* ---- level thresholds ---- */

static void test_threshold_level(void)
{
	struct ss_threshold t;
	SS_ASSERT_OK(ss_threshold_parse_level("ssfx*>2", &t));
	CU_ASSERT_STRING_EQUAL(t.glob, "ssfx*");
	CU_ASSERT_STRING_EQUAL(t.text, "ssfx*>2");
	CU_ASSERT_FALSE(t.or_equal || t.relative || t.growth || t.memory);
	CU_ASSERT_DOUBLE_EQUAL(t.value, 2.0, 1e-9);
	CU_ASSERT_TRUE(ss_threshold_level_crossed(&t, "ssfx-a", 3, 10, 0));
	CU_ASSERT_FALSE(ss_threshold_level_crossed(&t, "ssfx-a", 2, 10, 0));
	CU_ASSERT_FALSE(ss_threshold_level_crossed(&t, "other", 100, 100, 0));
	/* objects, not bytes */
	CU_ASSERT_FALSE(
		ss_threshold_level_crossed(&t, "ssfx-a", 1, 10, 1 << 20));
	ss_threshold_deinit(&t);

	SS_ASSERT_OK(ss_threshold_parse_level("ssfx*>=50%", &t));
	CU_ASSERT_TRUE(t.or_equal && t.relative);
	CU_ASSERT_FALSE(t.growth || t.memory);
	CU_ASSERT_DOUBLE_EQUAL(t.value, 50.0, 1e-9);
	CU_ASSERT_TRUE(ss_threshold_level_crossed(&t, "ssfx", 5, 10, 0));
	CU_ASSERT_TRUE(ss_threshold_level_crossed(&t, "ssfx", 10, 10, 0));
	CU_ASSERT_FALSE(ss_threshold_level_crossed(&t, "ssfx", 4, 10, 0));
	CU_ASSERT_FALSE(ss_threshold_level_crossed(&t, "ssfx", 0, 0, 0));
	CU_ASSERT_FALSE(ss_threshold_level_crossed(&t, "xssfx", 10, 10, 0));
	ss_threshold_deinit(&t);

	SS_ASSERT_OK(ss_threshold_parse_level("ssfx*>50%", &t));
	CU_ASSERT_FALSE(ss_threshold_level_crossed(&t, "ssfx", 5, 10, 0));
	CU_ASSERT_TRUE(ss_threshold_level_crossed(&t, "ssfx", 6, 10, 0));
	ss_threshold_deinit(&t);

	SS_ASSERT_OK(ss_threshold_parse_level("ssfx*>1K", &t));
	CU_ASSERT_TRUE(t.memory);
	CU_ASSERT_FALSE(t.or_equal || t.relative || t.growth);
	CU_ASSERT_DOUBLE_EQUAL(t.value, 1024.0, 1e-9);
	CU_ASSERT_TRUE(ss_threshold_level_crossed(&t, "ssfx", 1, 10, 1025));
	CU_ASSERT_FALSE(ss_threshold_level_crossed(&t, "ssfx", 1, 10, 1024));
	/* bytes, not objects */
	CU_ASSERT_FALSE(ss_threshold_level_crossed(&t, "ssfx", 5000, 5000, 10));
	ss_threshold_deinit(&t);

	SS_ASSERT_OK(ss_threshold_parse_level("ssfx*>=2M", &t));
	CU_ASSERT_TRUE(t.memory && t.or_equal);
	CU_ASSERT_TRUE(ss_threshold_level_crossed(&t, "ssfx", 0, 0, 2 << 20));
	CU_ASSERT_FALSE(
		ss_threshold_level_crossed(&t, "ssfx", 0, 0, (2 << 20) - 1));
	ss_threshold_deinit(&t);

	SS_ASSERT_OK(ss_threshold_parse_level("ssfx*>1G", &t));
	CU_ASSERT_DOUBLE_EQUAL(t.value, 1073741824.0, 1e-3);
	ss_threshold_deinit(&t);

	/* Blanks around '>' are optional, as in a rules file's growth rule
	 * (slabscope-rules(5)). */
	const char *blanks[] = { "x>5 ", "x> 5", "x>\t5", "x >= 5", " x > 5" };
	for (size_t i = 0; i < N(blanks); i++) {
		struct ss_error *err = ss_threshold_parse_level(blanks[i], &t);
		ASSERT_AT(!err, __LINE__,
			  "ss_threshold_parse_level(\"%s\") refused",
			  blanks[i]);
		ss_error_destroy(err);
		if (!err) {
			CU_ASSERT_DOUBLE_EQUAL(t.value, 5.0, 1e-9);
			CU_ASSERT_STRING_EQUAL(t.glob, "x");
			ss_threshold_deinit(&t);
		}
	}

	/* Rejected: growth, a unit or suffix it does not know, no glob, no
	 * value, a negative value, junk after the value, a sign that strtod
	 * would skip, a blank inside the value. */
	const char *bad[] = {
		"x>+5",	 "x>5Q",  ">5",	    "x5",    "x>",    "x>=",
		"x>-1",	 "x>5%%", "x>5K%",  "x>5 0", "x>nan", "x>inf",
		"x> +5", "x>=+5", "x>= +5", " >5",
	};
	for (size_t i = 0; i < N(bad); i++) {
		struct ss_error *err = ss_threshold_parse_level(bad[i], &t);
		ASSERT_AT(err && err->code == SS_ERR_INVALID, __LINE__,
			  "ss_threshold_parse_level(\"%s\") accepted", bad[i]);
		if (!err)
			ss_threshold_deinit(&t);
		ss_error_destroy(err);
		CU_ASSERT_PTR_NULL(t.glob);
		CU_ASSERT_PTR_NULL(t.text);
	}
	/* The growth parser still takes '+' (and rejects it blank-led). */
	SS_ASSERT_OK(ss_threshold_parse("x>+5", &t));
	CU_ASSERT_TRUE(t.growth);
	ss_threshold_deinit(&t);
	SS_ASSERT_ERR(ss_threshold_parse("x>5%", &t), SS_ERR_INVALID);
	SS_ASSERT_ERR(ss_threshold_parse("x>+ 5", &t), SS_ERR_INVALID);
	SS_ASSERT_ERR(ss_threshold_parse("x>++5", &t), SS_ERR_INVALID);
}

static void test_class_names(void)
{
	CU_ASSERT_STRING_EQUAL(ss_ref_class_name(SS_REF_REFERENCED),
			       "referenced");
	CU_ASSERT_STRING_EQUAL(ss_ref_class_name(SS_REF_UNREFERENCED),
			       "unreferenced");
	CU_ASSERT_STRING_EQUAL(ss_ref_class_name(SS_REF_ONLY_BY_UNREFERENCED),
			       "only-by-unreferenced");
	CU_ASSERT_STRING_EQUAL(ss_ref_class_name(SS_REF_NONE), "none");
}

int ss_test_refscan_register(void)
{
	CU_pSuite s = CU_add_suite("refscan", suite_init, suite_cleanup);
	if (!s)
		return -1;
	if (!CU_add_test(s, "classes, referrers and counters", test_basic) ||
	    !CU_add_test(s, "for each candidate", test_for_each_candidate) ||
	    !CU_add_test(s, "progress", test_progress) ||
	    !CU_add_test(s, "free pages: VMCOREINFO buddy marker",
			 test_buddy) ||
	    !CU_add_test(s, "absent and unreadable frames",
			 test_absent_unreadable) ||
	    !CU_add_test(s, "candidate caches", test_caches_option) ||
	    !CU_add_test(s, "slab metadata is no reference",
			 test_debug_metadata) ||
	    !CU_add_test(s, "order-1 slab", test_order1) ||
	    !CU_add_test(s, "edge memory limit", test_edge_limit) ||
	    !CU_add_test(s, "edge memory: dropping edges into referenced",
			 test_edge_compaction) ||
	    !CU_add_test(s, "leaks --unreferenced and --fail-if",
			 test_leaks_unreferenced) ||
	    !CU_add_test(s, "level thresholds", test_threshold_level) ||
	    !CU_add_test(s, "class names", test_class_names))
		return -1;
	return 0;
}
