/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SLAB model (ss_model_load on a CONFIG_SLAB + CONFIG_DEBUG_SLAB
 * kernel) and `slabscope check` (ss_check_run) on a synthetic kernel
 * (synth_slab.h): clean caches with exact counts, every finding the SLAB
 * model and the SLAB byte checks can give, and rounds of garbage.
 *
 * The types come from tests/unit/data/slab_types.c, built at suite set-up
 * ($SS_TEST_CC, default gcc).  SS_TEST_VERBOSE=1 prints every finding.
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
#include "synth_slab.h"
#include "unit.h"

static char tmpdir[256];
static char so_path[512];

static int suite_cleanup(void)
{
	model_run_rmtemp(tmpdir, so_path, (char *)NULL);
	return 0;
}

static int suite_init(void)
{
	if (!model_run_mkdtemp(tmpdir, sizeof(tmpdir), "slab"))
		return -1;
	snprintf(so_path, sizeof(so_path), "%s/slab_types.so", tmpdir);
	if (model_run_build_types("slab_types.c", "", so_path)) {
		suite_cleanup();
		return -1;
	}
	return 0;
}

/* ---- running the model and the checks ---- */

/*
 * Start a run on a new SLAB synthetic kernel: run->kernel is its
 * struct synth_slabk, run->s the target over it.
 */
static bool run_start(struct model_run *run)
{
	struct synth_slabk *k = synth_slab_create(so_path);
	return model_run_init(run, k ? synth_slab_base(k) : NULL, k);
}

static void run_done(struct model_run *run)
{
	model_run_release(run);
	synth_slab_destroy(run->kernel);
	memset(run, 0, sizeof(*run));
}

/* SLAB's FINDING: see model_run_finding (the address picks the finding). */
#define FINDING(run, id, cache, object, address)                           \
	model_run_finding((run), (id), (cache), (object), (address),        \
			  __FILE__, __LINE__)

/* The finding with this id and cache about slab (struct slab address). */
static const struct ss_finding *slab_finding_(struct model_run *run,
					      const char *id, const char *cache,
					      uint64_t slab, unsigned line)
{
	uint32_t ci = cache ? ss_model_find_cache(run->m, cache) : SS_NO_CACHE;
	const struct ss_finding *f = NULL;
	for (size_t i = 0; i < run->r.nfindings && !f; i++) {
		const struct ss_finding *g = &run->r.findings[i];
		if (strcmp(g->kind->id, id) == 0 && g->cache == ci &&
		    g->slab == slab)
			f = g;
	}
	ASSERT_AT(f != NULL, line, "a %s finding of %s on slab 0x%" PRIx64, id,
		  cache ? cache : "no cache", slab);
	if (!f)
		model_run_print_findings(id, run);
	return f;
}
#define SLAB_FINDING(run, id, cache, slab)                                 \
	slab_finding_((run), (id), (cache), (slab), __LINE__)

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DEBUG_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

static int add_cache(struct model_run *run, const char *name,
		     uint32_t object_size, uint64_t flags,
		     enum synth_fl placement, unsigned order)
{
	struct synth_slab_cache_spec spec = {
		.name = name,
		.object_size = object_size,
		.flags = flags,
		.order = order,
		.placement = placement,
	};
	return synth_slab_add_cache(run->kernel, &spec);
}

/*
 * A cache in every place SLAB keeps objects: a partial slab (three freed,
 * two in CPU 0's array cache, one in CPU 1's, one in the shared one), a
 * full slab, a free slab (every object freed).  ids[3]: the slabs;
 * *nfree, *ncpu: what was freed into slabs / array caches.
 */
struct pop {
	int c, ids[3];
	uint64_t nfree, ncpu, total;
};

static void populate(struct model_run *run, int c, struct pop *p)
{
	struct synth_slabk *k = run->kernel;
	const struct synth_slab_cache *sc = synth_slab_cache(k, c);
	p->c = c;
	for (int i = 0; i < 3; i++)
		p->ids[i] = synth_slab_add_slab(k, c, sc->colour > 1 ? 1 : 0);
	uint32_t last = sc->num - 1;
	const uint32_t fr[] = { 3, last, 0 };
	const uint32_t cpu0[] = { 5, 1 };
	const uint32_t cpu1[] = { 2 };
	synth_slab_free(k, p->ids[0], fr, N(fr));
	synth_slab_free_cpu(k, p->ids[0], 0, cpu0, N(cpu0));
	synth_slab_free_cpu(k, p->ids[0], 1, cpu1, N(cpu1));
	p->ncpu = N(cpu0) + N(cpu1);
	if (sc->shared) {
		const uint32_t sh[] = { 4 };
		synth_slab_free_shared(k, p->ids[0], sh, N(sh));
		p->ncpu += N(sh);
	}
	for (uint32_t i = 0; i < sc->num; i++) {
		uint32_t j = (i * 7 + 3) % sc->num; /* any order */
		if (synth_slab_slab(k, p->ids[2])->state[j] == SK_ALLOC)
			synth_slab_free(k, p->ids[2], &j, 1);
	}
	for (uint32_t i = 0; i < sc->num; i++)
		if (synth_slab_slab(k, p->ids[2])->state[i] == SK_ALLOC)
			synth_slab_free(k, p->ids[2], &i, 1);
	p->nfree = N(fr) + sc->num;
	p->total = 3ULL * sc->num;
}

static void pop_counts_(struct model_run *run, const char *name,
			const struct pop *p, unsigned line)
{
	model_run_counts(run, name, p->total - p->nfree - p->ncpu, p->nfree,
			 p->ncpu, 0, __FILE__, line);
}
#define POP_COUNTS(run, name, p) pop_counts_((run), (name), (p), __LINE__)

/* ---- clean caches ---- */

static void test_clean(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct synth_slabk *k = run.kernel;
	const struct {
		const char *name;
		uint32_t object_size;
		uint64_t flags;
		enum synth_fl placement;
		unsigned order;
		enum synth_fl want;
	} recipes[] = {
		{ "objfl-64", 64, DEBUG_FLAGS, SYNTH_FL_AUTO, 0,
		  SYNTH_FL_OBJFREELIST },
		{ "offslab-100", 100, DEBUG_FLAGS, SYNTH_FL_OFF_SLAB, 0,
		  SYNTH_FL_OFF_SLAB },
		{ "onslab-200", 200, DEBUG_FLAGS, SYNTH_FL_ON_SLAB, 0,
		  SYNTH_FL_ON_SLAB },
		{ "plain-128", 128, 0, SYNTH_FL_ON_SLAB, 0, SYNTH_FL_ON_SLAB },
		{ "order1-300", 300, DEBUG_FLAGS, SYNTH_FL_AUTO, 1,
		  SYNTH_FL_OBJFREELIST },
		{ "redzone-48", 48, SLAB_RED_ZONE, SYNTH_FL_AUTO, 0,
		  SYNTH_FL_OFF_SLAB },
		{ "poison-40", 40, SLAB_POISON, SYNTH_FL_AUTO, 0,
		  SYNTH_FL_OFF_SLAB },
		{ "ctor-500", 500, DEBUG_FLAGS, SYNTH_FL_AUTO, 0,
		  SYNTH_FL_ON_SLAB },
	};
	struct pop pops[N(recipes)];
	for (size_t i = 0; i < N(recipes); i++) {
		struct synth_slab_cache_spec spec = {
			.name = recipes[i].name,
			.object_size = recipes[i].object_size,
			.flags = recipes[i].flags,
			.order = recipes[i].order,
			.placement = recipes[i].placement,
			/* A ctor rules OBJFREELIST out. */
			.ctor = strncmp(recipes[i].name, "ctor", 4) == 0
					? synth_dbg_symbol(run.s,
							   "kmem_cache_destroy")
					: 0,
		};
		int c = synth_slab_add_cache(k, &spec);
		CU_ASSERT_EQUAL(synth_slab_cache(k, c)->placement,
				recipes[i].want);
		populate(&run, c, &pops[i]);
	}
	synth_slab_finish(k);
	if (!model_run_check(&run, "clean"))
		goto out;
	NFINDINGS(&run, NULL, 0);
	CU_ASSERT_EQUAL(ss_model_nanomalies(run.m), 0);
	CU_ASSERT_EQUAL(ss_model_ncaches(run.m), N(recipes));
	CU_ASSERT_EQUAL(ss_model_allocator(run.m), SS_ALLOC_SLAB);
	for (size_t i = 0; i < N(recipes); i++) {
		const struct ss_cache *c = CACHE(&run, recipes[i].name);
		if (!c)
			continue;
		const struct synth_slab_cache *sc = synth_slab_cache(k, (int)i);
		POP_COUNTS(&run, recipes[i].name, &pops[i]);
		CU_ASSERT_FALSE(ss_cache_objects_have_next(c));
		CU_ASSERT_EQUAL(c->addr, sc->addr);
		CU_ASSERT_EQUAL(c->size, sc->size);
		CU_ASSERT_EQUAL(c->object_size, recipes[i].object_size);
		CU_ASSERT_EQUAL(c->objects_per_slab, sc->num);
		CU_ASSERT_EQUAL(c->order, recipes[i].order);
		CU_ASSERT_EQUAL(c->red_left_pad, sc->obj_offset);
		CU_ASSERT_EQUAL(c->flags, sc->flags);
		CU_ASSERT_EQUAL(c->align, 8);
		CU_ASSERT_EQUAL(c->refcount, 1);
		CU_ASSERT_EQUAL(c->nslabs, 3);
		CU_ASSERT_EQUAL(c->total_objects, pops[i].total);
		CU_ASSERT_EQUAL(c->memory_bytes,
				3 * (SYNTH_PAGE_SIZE << recipes[i].order));
		CU_ASSERT_EQUAL(c->problems, 0);
		CU_ASSERT_TRUE(c->has_node_counts);
		CU_ASSERT_EQUAL(c->node_nr_slabs, 3);
		CU_ASSERT_EQUAL(c->node_nr_partial, 1);
		static const enum ss_slab_list lists[3] = {
			SS_LIST_PARTIAL, SS_LIST_FULL, SS_LIST_FREE
		};
		for (int j = 0; j < 3; j++) {
			const struct synth_slab_slab *sl =
				synth_slab_slab(k, pops[i].ids[j]);
			const struct ss_slab *ms =
				model_run_slab(&run, sl->page);
			CU_ASSERT_PTR_NOT_NULL(ms);
			if (!ms)
				continue;
			CU_ASSERT_EQUAL(ms->list, lists[j]);
			CU_ASSERT_EQUAL(ms->base, sl->s_mem);
			CU_ASSERT_EQUAL(ms->freelist, sl->freelist);
			CU_ASSERT_EQUAL(ms->inuse, sl->active);
			CU_ASSERT_EQUAL(ms->objects, sc->num);
			CU_ASSERT_EQUAL(ms->order, recipes[i].order);
			/* Every state as the builder made it. */
			struct ss_object *objs =
				calloc(ms->objects, sizeof(*objs));
			SS_ASSERT_OK(ss_model_slab_objects(run.m, ms, objs));
			uint32_t bad = 0;
			for (uint32_t o = 0; o < ms->objects; o++) {
				uint8_t st = sl->state[o];
				enum ss_obj_state want =
					st == SK_ALLOC ? SS_OBJ_ALLOCATED
					: st == SK_FREE ? SS_OBJ_FREE
							: SS_OBJ_CPU_FREE;
				bad += objs[o].state != want ||
				       objs[o].addr !=
					       synth_slab_obj(k, pops[i].ids[j],
							      o);
			}
			CU_ASSERT_EQUAL(bad, 0);
			free(objs);
		}
	}
	/* whatis: a CPU-free object's payload, its red zone, its user word. */
	if (DEBUG_FLAGS & recipes[0].flags) {
		struct ss_whatis w;
		uint64_t obj = synth_slab_obj(k, pops[0].ids[0], 5);
		SS_ASSERT_OK(ss_model_whatis(run.m, obj + 3, &w));
		CU_ASSERT_TRUE(w.in_slab);
		CU_ASSERT_EQUAL(w.object, obj);
		CU_ASSERT_EQUAL(w.state, SS_OBJ_CPU_FREE);
		CU_ASSERT_EQUAL(w.region, SS_REGION_PAYLOAD);
		SS_ASSERT_OK(ss_model_whatis(
			run.m, synth_slab_redzone2(k, pops[0].ids[0], 5), &w));
		CU_ASSERT_EQUAL(w.region, SS_REGION_RIGHT_REDZONE);
		SS_ASSERT_OK(ss_model_whatis(
			run.m, synth_slab_userword(k, pops[0].ids[0], 5), &w));
		CU_ASSERT_EQUAL(w.region, SS_REGION_TRACK);
		SS_ASSERT_OK(ss_model_whatis(
			run.m, synth_slab_redzone1(k, pops[0].ids[0], 5), &w));
		CU_ASSERT_EQUAL(w.region, SS_REGION_LEFT_REDZONE);
		CU_ASSERT_EQUAL(w.object, obj);
	}
out:
	run_done(&run);
}

/* Alien caches (a second node): their objects are cpu-free too. */
static void test_clean_alien(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	int c = add_cache(&run, "alien-64", 64, DEBUG_FLAGS, SYNTH_FL_AUTO, 0);
	struct pop p;
	populate(&run, c, &p);
	const uint32_t al[] = { 7, 8, 9 };
	synth_slab_free_alien(run.kernel, p.ids[1], al, N(al));
	p.ncpu += N(al);
	synth_slab_finish(run.kernel);
	if (!model_run_check(&run, "alien"))
		goto out;
	NFINDINGS(&run, NULL, 0);
	POP_COUNTS(&run, "alien-64", &p);
out:
	run_done(&run);
}

/* ---- findings ---- */

/* The victim: one debug cache populated, lists and counters finished. */
static int victim(struct model_run *run, struct pop *p, enum synth_fl placement)
{
	int c = add_cache(run, "victim", 64, DEBUG_FLAGS, placement, 0);
	populate(run, c, p);
	return c;
}

/* An index beyond num in the slab's free entries. */
static void test_freeptr_invalid(void)
{
	static const enum synth_fl pl[] = { SYNTH_FL_OBJFREELIST,
					    SYNTH_FL_ON_SLAB,
					    SYNTH_FL_OFF_SLAB };
	for (size_t i = 0; i < N(pl); i++) {
		struct model_run run;
		if (!run_start(&run))
			return;
		struct pop p;
		victim(&run, &p, pl[i]);
		synth_slab_finish(run.kernel);
		struct synth_slab_slab *sl =
			synth_slab_slab(run.kernel, p.ids[0]);
		uint64_t at = sl->freelist + sl->active + 1;
		synth_write_u8(run.s, at, 250);
		if (!model_run_check(&run, "freeptr-invalid"))
			goto out;
		NFINDINGS(&run, "freeptr-invalid", 1);
		const struct ss_finding *f =
			FINDING(&run, "freeptr-invalid", "victim", ANY, at);
		if (f) {
			CU_ASSERT_EQUAL(f->slab, sl->page);
			CU_ASSERT_TRUE(f->has_value);
			CU_ASSERT_EQUAL(f->value, 250);
		}
		/* One free object is unnamed: which one is unknown, so
		 * the slab's allocated objects become unknown (the array
		 * caches' stay cpu-free). */
		uint32_t num = sl->num;
		uint64_t alloc0 = num - 3 - p.ncpu;
		COUNTS(&run, "victim", p.total - p.nfree - p.ncpu - alloc0,
		       p.nfree - 1, p.ncpu, alloc0 + 1);
	out:
		run_done(&run);
	}
}

/* The same index twice in the free entries. */
static void test_double_free_index(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct pop p;
	victim(&run, &p, SYNTH_FL_ON_SLAB);
	synth_slab_finish(run.kernel);
	struct synth_slab_slab *sl = synth_slab_slab(run.kernel, p.ids[0]);
	uint64_t at = sl->freelist + sl->num - 1;
	/* entries [active, num): 0, last, 3 (put in reverse); make the last
	 * one name 0 again. */
	synth_write_u8(run.s, at, sl->idx[sl->active]);
	if (!model_run_check(&run, "double-free index"))
		goto out;
	NFINDINGS(&run, "double-free", 1);
	const struct ss_finding *f =
		FINDING(&run, "double-free", "victim",
			synth_slab_obj(run.kernel, p.ids[0],
				       sl->idx[sl->active]),
			at);
	if (f)
		CU_ASSERT_EQUAL(f->value, sl->idx[sl->active]);
	/* Object 3 (no longer named) is one of the unknown. */
	CU_ASSERT_EQUAL(CACHE(&run, "victim")->free, p.nfree - 1);
out:
	run_done(&run);
}

/* Raw push of a slot into an array cache, past the builder. */
static void ac_push_raw(struct synth *s, uint64_t ac, uint64_t entry)
{
	uint32_t avail;
	synth_read(s, ac + SK_AC_AVAIL, &avail, 4);
	synth_write_u64(s, ac + SK_AC_ENTRY + 8ULL * avail, entry);
	synth_write_u32(s, ac + SK_AC_AVAIL, avail + 1);
}

/* A free object of the slab also in an array cache; an object in two
 * array caches. */
static void test_double_free_ac(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct pop p;
	int c = victim(&run, &p, SYNTH_FL_AUTO);
	synth_slab_finish(run.kernel);
	struct synth_slabk *k = run.kernel;
	/* Object 3 is free in slab 0: CPU 1 gets it too. */
	ac_push_raw(run.s, synth_slab_cpu_ac(k, c, 1),
		    synth_slab_raw(k, p.ids[0], 3));
	/* Object 5 is in CPU 0's cache: the shared one gets it too. */
	ac_push_raw(run.s, synth_slab_cache(k, c)->shared,
		    synth_slab_raw(k, p.ids[0], 5));
	if (!model_run_check(&run, "double-free ac"))
		goto out;
	NFINDINGS(&run, "double-free", 2);
	FINDING(&run, "double-free", "victim", synth_slab_obj(k, p.ids[0], 3),
		ANY);
	FINDING(&run, "double-free", "victim", synth_slab_obj(k, p.ids[0], 5),
		ANY);
	POP_COUNTS(&run, "victim", &p);
out:
	run_done(&run);
}

/* Node counters, active, avail. */
static void test_counters(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct synth_slabk *k = run.kernel;
	struct pop p;
	int c = victim(&run, &p, SYNTH_FL_AUTO);
	int c2 = add_cache(&run, "other", 100, 0, SYNTH_FL_ON_SLAB, 0);
	struct pop p2;
	populate(&run, c2, &p2);
	int c3 = add_cache(&run, "third", 200, DEBUG_FLAGS, SYNTH_FL_ON_SLAB,
			   0);
	struct pop p3;
	populate(&run, c3, &p3);
	synth_slab_finish(k);
	struct synth *s = run.s;
	uint64_t node = synth_slab_cache(k, c)->node;
	synth_write_u64(s, node + SK_KCN_FREE_OBJECTS,
			synth_read_u64(s, node + SK_KCN_FREE_OBJECTS) + 1);
	synth_write_u64(s, node + SK_KCN_TOTAL_SLABS, 4);
	/* other: free_slabs off by one. */
	uint64_t node2 = synth_slab_cache(k, c2)->node;
	synth_write_u64(s, node2 + SK_KCN_FREE_SLABS, 0);
	/* third: a full slab with active num + 1; CPU 1's avail beyond its
	 * limit. */
	struct synth_slab_slab *full = synth_slab_slab(k, p3.ids[1]);
	synth_write_u32(s, full->page + SK_SL_ACTIVE, full->num + 1);
	synth_write_u32(s, synth_slab_cpu_ac(k, c3, 1) + SK_AC_AVAIL,
			SK_AC_LIMIT + 1);
	if (!model_run_check(&run, "counters"))
		goto out;
	FINDING(&run, "counter-mismatch", "victim", 0, node + SK_KCN_FREE_OBJECTS);
	FINDING(&run, "counter-mismatch", "victim", 0, node + SK_KCN_TOTAL_SLABS);
	FINDING(&run, "counter-mismatch", "other", 0, node2 + SK_KCN_FREE_SLABS);
	FINDING(&run, "counter-mismatch", "third", 0,
		full->page + SK_SL_ACTIVE);
	FINDING(&run, "counter-mismatch", "third", 0,
		synth_slab_cpu_ac(k, c3, 1) + SK_AC_AVAIL);
	/* third's slab also on the full list with active 19 of 18. */
	NFINDINGS(&run, "counter-mismatch", 6);
	/* The rejected array cache's object is allocated to the model: its
	 * RED_INACTIVE words are findings too. */
	NFINDINGS(&run, "redzone-overwritten", 2);
	NFINDINGS(&run, NULL, 8);
	POP_COUNTS(&run, "victim", &p);
	POP_COUNTS(&run, "other", &p2);
	/* third: CPU 1's object is allocated once its cache is rejected. */
	COUNTS(&run, "third", p3.total - p3.nfree - p3.ncpu + 1, p3.nfree,
	       p3.ncpu - 1, 0);
out:
	run_done(&run);
}

/* A slab on another cache's list; a cycle in slabs_partial; a list entry
 * that is no slab; the same node twice (every slab on two lists). */
static void test_list_other_cache(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct synth_slabk *k = run.kernel;
	struct pop p;
	int c = victim(&run, &p, SYNTH_FL_AUTO);
	int c2 = add_cache(&run, "other", 100, 0, SYNTH_FL_ON_SLAB, 0);
	int o = synth_slab_add_slab(k, c2, 0);
	synth_slab_slab(k, o)->unlisted = true;
	synth_slab_finish(k);
	/* other's full slab on victim's full list. */
	struct synth_slab_slab *os = synth_slab_slab(k, o);
	uint64_t vnode = synth_slab_cache(k, c)->node;
	synth_list_add_tail(run.s, os->page + SK_SL_LIST, vnode + SK_KCN_FULL);
	if (!model_run_check(&run, "other cache's slab"))
		goto out;
	SLAB_FINDING(&run, "list-corrupt", "victim", os->page);
	/* And other's slab is on none of its lists. */
	SLAB_FINDING(&run, "list-corrupt", "other", os->page);
	NFINDINGS(&run, NULL, 2);
out:
	run_done(&run);
}

static void test_list_cycle(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct synth_slabk *k = run.kernel;
	int c = add_cache(&run, "victim", 64, DEBUG_FLAGS, SYNTH_FL_AUTO, 0);
	int a = synth_slab_add_slab(k, c, 0);
	int b = synth_slab_add_slab(k, c, 0);
	const uint32_t fr[] = { 1 };
	synth_slab_free(k, a, fr, 1);
	synth_slab_free(k, b, fr, 1);
	synth_slab_finish(k);
	/* head -> a -> b -> a ... with b->next = a, a->prev = b. */
	struct synth *s = run.s;
	uint64_t la = synth_slab_slab(k, a)->page + SK_SL_LIST;
	uint64_t lb = synth_slab_slab(k, b)->page + SK_SL_LIST;
	synth_write_u64(s, lb, la);
	synth_write_u64(s, la + 8, lb);
	if (!model_run_check(&run, "cycle"))
		goto out;
	CU_ASSERT(model_run_count(&run, "list-corrupt") >= 1);
	FINDING(&run, "list-corrupt", "victim", ANY, ANY);
	/* Bounded: the model finished and counted each slab once. */
	CU_ASSERT_EQUAL(CACHE(&run, "victim")->nslabs, 2);
out:
	run_done(&run);
}

static void test_list_not_slab(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct synth_slabk *k = run.kernel;
	int c = add_cache(&run, "victim", 64, DEBUG_FLAGS, SYNTH_FL_AUTO, 0);
	int a = synth_slab_add_slab(k, c, 0);
	synth_slab_slab(k, a)->unlisted = true;
	synth_slab_finish(k);
	struct synth *s = run.s;
	/* The partial list holds a list_head in the heap. */
	uint64_t x = synth_alloc(s, 64, 8);
	uint64_t head = synth_slab_cache(k, c)->node + SK_KCN_PARTIAL;
	synth_list_add_tail(s, x + SK_SL_LIST, head);
	if (!model_run_check(&run, "not a slab"))
		goto out;
	SLAB_FINDING(&run, "list-corrupt", "victim", x);
	/* The walk broke off there: that the slab is on no list is no
	 * news. */
	NFINDINGS(&run, NULL, 1);
out:
	run_done(&run);
}

/* kmem_cache.node[1] == node[0]: every slab on two lists. */
static void test_list_two_lists(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct synth_slabk *k = run.kernel;
	struct pop p;
	int c = victim(&run, &p, SYNTH_FL_AUTO);
	synth_slab_finish(k);
	struct synth *s = run.s;
	synth_write_u32(s, synth_symbol_addr(s, "nr_node_ids"), 2);
	const struct synth_slab_cache *sc = synth_slab_cache(k, c);
	synth_write_u64(s, sc->addr + SK_KC_NODE + 8, sc->node);
	if (!model_run_check(&run, "two lists"))
		goto out;
	for (int i = 0; i < 3; i++)
		SLAB_FINDING(&run, "list-corrupt", "victim",
			     synth_slab_slab(k, p.ids[i])->page);
	NFINDINGS(&run, "list-corrupt", 3);
	POP_COUNTS(&run, "victim", &p);
out:
	run_done(&run);
}

static void test_slab_cache_invalid(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct synth_slabk *k = run.kernel;
	struct pop p;
	victim(&run, &p, SYNTH_FL_AUTO);
	int c = synth_slab_slab(k, p.ids[0])->cache;
	int lost = synth_slab_add_slab(k, c, 0);
	synth_slab_slab(k, lost)->unlisted = true;
	synth_slab_finish(k);
	uint64_t page = synth_slab_slab(k, lost)->page;
	synth_write_u64(run.s, page + SK_SL_CACHE, 0xffff888012345678ULL);
	if (!model_run_check(&run, "slab-cache-invalid"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f = FINDING(&run, "slab-cache-invalid", NULL,
					     ANY, page + SK_SL_CACHE);
	if (f)
		CU_ASSERT_EQUAL(f->value, 0xffff888012345678ULL);
	POP_COUNTS(&run, "victim", &p);
out:
	run_done(&run);
}

/* Red zones: an allocated object's second word (culprit: itself), a free
 * object's first word (culprit: the object before), an array-cache object
 * with RED_ACTIVE (freed without the debug check). */
static void test_redzone(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct synth_slabk *k = run.kernel;
	struct pop p;
	victim(&run, &p, SYNTH_FL_AUTO);
	synth_slab_finish(k);
	struct synth *s = run.s;
	int sl = p.ids[0];
	/* 6 allocated, 3 free (slab), 5 in CPU 0's array cache. */
	uint64_t rz6 = synth_slab_redzone2(k, sl, 6);
	synth_write_u8(s, rz6 + 2, 0x41);
	uint64_t rz3 = synth_slab_redzone1(k, sl, 3);
	synth_write_u64(s, rz3, SK_RED_ACTIVE);
	uint64_t rz5 = synth_slab_redzone1(k, sl, 5);
	synth_write_u64(s, rz5, SK_RED_ACTIVE);
	if (!model_run_check(&run, "redzone"))
		goto out;
	NFINDINGS(&run, NULL, 3);
	const struct ss_finding *f =
		FINDING(&run, "redzone-overwritten", "victim",
			synth_slab_obj(k, sl, 6), rz6);
	if (f) {
		CU_ASSERT_EQUAL(f->nbytes, 8);
		CU_ASSERT_EQUAL(f->found[2], 0x41);
		CU_ASSERT_TRUE(f->has_culprit);
		if (f->has_culprit)
			CU_ASSERT_EQUAL(f->culprit.object,
					synth_slab_obj(k, sl, 6));
	}
	FINDING(&run, "redzone-overwritten", "victim",
		synth_slab_obj(k, sl, 3), rz3);
	FINDING(&run, "redzone-overwritten", "victim",
		synth_slab_obj(k, sl, 5), rz5);
	POP_COUNTS(&run, "victim", &p);
out:
	run_done(&run);
}

/* Poison: a free object's payload (slab-free and array-cache-free); the
 * OBJFREELIST object holding the index array is not poison. */
static void test_poison(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct synth_slabk *k = run.kernel;
	struct pop p;
	victim(&run, &p, SYNTH_FL_OBJFREELIST);
	synth_slab_finish(k);
	struct synth *s = run.s;
	int sl = p.ids[0];
	uint64_t o0 = synth_slab_obj(k, sl, 0); /* free, slab */
	synth_write_u8(s, o0 + 10, 0x00);
	uint64_t o2 = synth_slab_obj(k, sl, 2); /* free, CPU 1 */
	synth_fill(s, o2 + 60, 0x77, 4);
	/* Object 3 was freed first: it holds the index array. */
	CU_ASSERT_EQUAL(synth_slab_slab(k, sl)->freelist,
			synth_slab_obj(k, sl, 3));
	if (!model_run_check(&run, "poison"))
		goto out;
	NFINDINGS(&run, NULL, 2);
	const struct ss_finding *f = FINDING(&run, "poison-overwritten",
					     "victim", o0, o0 + 10);
	if (f)
		CU_ASSERT_EQUAL(f->bad_len, 1);
	FINDING(&run, "poison-overwritten", "victim", o2, o2 + 60);
out:
	run_done(&run);
}

/* Unreadable: a slab's pages with its index array on them, a full slab
 * with its index array off the slab, an off-slab index array, an array
 * cache, a node. */
static void test_unreadable(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct synth_slabk *k = run.kernel;
	struct synth *s = run.s;
	struct pop p1, p2, p3;
	int c1 = add_cache(&run, "onslab", 64, DEBUG_FLAGS, SYNTH_FL_ON_SLAB, 0);
	populate(&run, c1, &p1);
	int c2 = add_cache(&run, "offslab", 64, DEBUG_FLAGS, SYNTH_FL_OFF_SLAB,
			   0);
	populate(&run, c2, &p2);
	int c3 = add_cache(&run, "acs", 64, DEBUG_FLAGS, SYNTH_FL_AUTO, 0);
	populate(&run, c3, &p3);
	int c4 = add_cache(&run, "nodeless", 64, 0, SYNTH_FL_AUTO, 0);
	struct pop p4;
	populate(&run, c4, &p4);
	synth_slab_finish(k);
	struct ss_memimage *img = synth_image(s);
	const struct synth_slab_slab *a = synth_slab_slab(k, p1.ids[0]);
	SS_ASSERT_OK(ss_memimage_exclude(img, a->base, SYNTH_PAGE_SIZE));
	const struct synth_slab_slab *b = synth_slab_slab(k, p2.ids[1]);
	SS_ASSERT_OK(ss_memimage_exclude(img, b->base, SYNTH_PAGE_SIZE));
	const struct synth_slab_slab *b0 = synth_slab_slab(k, p2.ids[0]);
	/* The heap is one range: point the index array into the void. */
	synth_write_u64(s, b0->page + SK_SL_FREELIST, 0xffffc90100000000ULL);
	synth_write_u64(s, synth_slab_cache(k, c3)->node + SK_KCN_SHARED,
			0xffffc90100001000ULL);
	synth_write_u64(s, synth_slab_cache(k, c4)->addr + SK_KC_NODE,
			0xffffc90100002000ULL);
	if (!model_run_check(&run, "unreadable"))
		goto out;
	const struct ss_finding *f =
		FINDING(&run, "unreadable", "onslab", ANY, ANY);
	if (f)
		CU_ASSERT_EQUAL(f->slab, a->page);
	f = FINDING(&run, "unreadable", "offslab", ANY,
		    0xffffc90100000000ULL);
	if (f)
		CU_ASSERT_EQUAL(f->slab, b0->page);
	f = FINDING(&run, "unreadable", "offslab", ANY, b->base);
	if (f)
		CU_ASSERT_EQUAL(f->slab, b->page);
	FINDING(&run, "unreadable", "acs", ANY, 0xffffc90100001000ULL);
	FINDING(&run, "unreadable", "nodeless", ANY, ANY);
	NFINDINGS(&run, "unreadable", 5);
	/* The unreadable shared array cache's object is allocated to the
	 * model: its RED_INACTIVE words are findings too. */
	NFINDINGS(&run, "redzone-overwritten", 2);
	/* The slabs whose pages the dump lacks (not the garbage index
	 * pointer's): each cache's gap. */
	FINDING(&run, "dump-incomplete", "onslab", ANY, ANY);
	FINDING(&run, "dump-incomplete", "offslab", ANY, ANY);
	NFINDINGS(&run, "dump-incomplete", 2);
	CU_ASSERT_EQUAL(ss_model_dump_gaps(run.m)->unreadable_slabs, 2);
	NFINDINGS(&run, NULL, 9);
	/* onslab: slab 0 all unknown. */
	uint32_t n1 = synth_slab_cache(k, c1)->num;
	COUNTS(&run, "onslab", n1, n1, 0, n1);
	/* offslab: slab 0's states unknown; the full slab's still known
	 * (its index array is readable and says all are allocated). */
	uint32_t n2 = synth_slab_cache(k, c2)->num;
	COUNTS(&run, "offslab", n2, n2, 0, n2);
	/* acs: the shared array cache's object is allocated. */
	COUNTS(&run, "acs", p3.total - p3.nfree - p3.ncpu + 1, p3.nfree,
	       p3.ncpu - 1, 0);
	(void)p4;
out:
	run_done(&run);
}

/* Array cache entries: not an object, an object of another cache, NULL. */
static void test_ac_entries(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct synth_slabk *k = run.kernel;
	struct pop p, p2;
	int c = victim(&run, &p, SYNTH_FL_AUTO);
	int c2 = add_cache(&run, "other", 100, 0, SYNTH_FL_ON_SLAB, 0);
	populate(&run, c2, &p2);
	synth_slab_finish(k);
	struct synth *s = run.s;
	uint64_t ac = synth_slab_cpu_ac(k, c, 1);
	/* Mid-object, not a slot start. */
	uint64_t mid = synth_slab_raw(k, p.ids[1], 7) + 4;
	ac_push_raw(s, ac, mid);
	/* An allocated object of "other". */
	uint64_t foreign = synth_slab_raw(k, p2.ids[1], 7);
	ac_push_raw(s, ac, foreign);
	if (!model_run_check(&run, "ac entries"))
		goto out;
	FINDING(&run, "list-corrupt", "victim", ANY, mid);
	FINDING(&run, "list-corrupt", "victim", ANY, foreign);
	NFINDINGS(&run, NULL, 2);
	POP_COUNTS(&run, "victim", &p);
	/* other's object 7 is not counted free. */
	POP_COUNTS(&run, "other", &p2);
out:
	run_done(&run);
}

/* A NULL array cache entry: filed under the cache that holds it. */
static void test_ac_null(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct pop p;
	int c = victim(&run, &p, SYNTH_FL_AUTO);
	synth_slab_finish(run.kernel);
	ac_push_raw(run.s, synth_slab_cpu_ac(run.kernel, c, 0), 0);
	if (!model_run_check(&run, "ac NULL"))
		goto out;
	NFINDINGS(&run, NULL, 1);
	const struct ss_finding *f =
		FINDING(&run, "list-corrupt", "victim", ANY, ANY);
	if (f)
		CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "NULL"));
	POP_COUNTS(&run, "victim", &p);
out:
	run_done(&run);
}

/* Garbage geometry: obj_offset past the slot, s_mem near 2^64 (which
 * wrapped past the bounds check), nr_node_ids beyond MAX_NUMNODES. */
static void test_bad_geometry(void)
{
	struct model_run run;
	if (!run_start(&run))
		return;
	struct synth_slabk *k = run.kernel;
	struct synth *s = run.s;
	struct pop p, p2;
	int c = victim(&run, &p, SYNTH_FL_AUTO);
	int c2 = add_cache(&run, "other", 100, DEBUG_FLAGS, SYNTH_FL_ON_SLAB, 0);
	populate(&run, c2, &p2);
	synth_slab_finish(k);
	const struct synth_slab_cache *sc = synth_slab_cache(k, c);
	synth_write_u32(s, sc->addr + SK_KC_OBJ_OFFSET, 5000);
	const struct synth_slab_slab *sl = synth_slab_slab(k, p2.ids[1]);
	synth_write_u64(s, sl->page + SK_SL_S_MEM, 0xfffffffffffff800ULL);
	synth_write_u32(s, synth_symbol_addr(s, "nr_node_ids"), 200);
	if (!model_run_check(&run, "bad geometry"))
		goto out;
	FINDING(&run, "counter-mismatch", "victim", 0,
		sc->addr + SK_KC_OBJ_OFFSET);
	FINDING(&run, "counter-mismatch", "other", 0, sl->page + SK_SL_S_MEM);
	/* Every object inside its slab's pages, at its slot. */
	size_t n;
	const struct ss_slab *slabs = ss_model_slabs(run.m, &n);
	uint32_t outside = 0;
	for (size_t i = 0; i < n; i++) {
		struct ss_object *objs = calloc(slabs[i].objects + 1,
						sizeof(*objs));
		ss_error_destroy(ss_model_slab_objects(run.m, &slabs[i], objs));
		uint64_t start = SYNTH_PAGE_OFFSET +
				 (slabs[i].page - SYNTH_VMEMMAP) /
					 SK_PAGE_SIZEOF * SYNTH_PAGE_SIZE;
		for (uint32_t o = 0; o < slabs[i].objects; o++)
			outside += objs[o].addr < start ||
				   objs[o].addr >= start + SYNTH_PAGE_SIZE;
		free(objs);
	}
	CU_ASSERT_EQUAL(outside, 0);
	/* node[1..63] are NULL: nothing read past kmem_cache, so no list
	 * or counter finding beyond the two above. */
	NFINDINGS(&run, "list-corrupt", 0);
	NFINDINGS(&run, "unreadable", 0);
	POP_COUNTS(&run, "victim", &p);
out:
	run_done(&run);
}

/* ---- garbage ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* Random bytes, or now and then a pointer that means something here. */
static uint64_t garbage(struct model_run *run)
{
	struct synth_slabk *k = run->kernel;
	int ns = synth_slab_nslabs(k);
	const struct synth_slab_slab *sl = synth_slab_slab(k, (int)(rnd() % (uint64_t)ns));
	switch (rnd() % 6) {
	case 0: return sl->page + SK_SL_LIST;
	case 1: return sl->s_mem + rnd() % 64;
	case 2: return synth_slab_cache(k, sl->cache)->node + rnd() % 96;
	case 3: return rnd() % 300;
	case 4: return 0;
	default: return rnd();
	}
}

static void scribble(struct model_run *run, uint64_t addr, size_t len)
{
	int n = 1 + (int)(rnd() % 4);
	for (int i = 0; i < n; i++) {
		uint64_t off = rnd() % len;
		/* A word (aligned) of something meaningful, or a byte. */
		if (rnd() % 2 && (off & ~7ULL) + 8 <= len)
			synth_write_u64(run->s, addr + (off & ~7ULL),
					garbage(run));
		else
			synth_write_u8(run->s, addr + off, (uint8_t)rnd());
	}
}

static void test_garbage(void)
{
	const int rounds = 300;
	for (int round = 0; round < rounds; round++) {
		rng_state = 0x9e3779b97f4a7c15ULL * (uint64_t)(round + 1);
		struct model_run run;
		if (!run_start(&run))
			return;
		struct synth_slabk *k = run.kernel;
		struct pop p[3];
		int c0 = add_cache(&run, "g-objfl", 64, DEBUG_FLAGS,
				   SYNTH_FL_AUTO, 0);
		populate(&run, c0, &p[0]);
		int c1 = add_cache(&run, "g-offslab", 100, DEBUG_FLAGS,
				   SYNTH_FL_OFF_SLAB, 1);
		populate(&run, c1, &p[1]);
		int c2 = add_cache(&run, "g-onslab", 48, SLAB_POISON,
				   SYNTH_FL_ON_SLAB, 0);
		populate(&run, c2, &p[2]);
		if (rnd() % 4 == 0) {
			const uint32_t al[] = { 9, 10 };
			synth_slab_free_alien(k, p[0].ids[1], al, N(al));
		}
		synth_slab_finish(k);
		int cs[3] = { c0, c1, c2 };
		for (int i = 0; i < 3; i++) {
			const struct synth_slab_cache *c =
				synth_slab_cache(k, cs[i]);
			if (rnd() % 3 == 0)
				scribble(&run, c->addr, SK_KC_LIST);
			if (rnd() % 3 == 0)
				scribble(&run, c->addr + SK_KC_REFCOUNT,
					 SK_KC_NODE + 8 - SK_KC_REFCOUNT);
			if (rnd() % 3 == 0)
				scribble(&run, c->node, SK_KCN_SIZEOF);
			for (int cpu = 0; cpu < SYNTH_NR_CPUS; cpu++)
				if (rnd() % 3 == 0)
					scribble(&run,
						 synth_slab_cpu_ac(k, cs[i], cpu),
						 SK_AC_ENTRY + 8 * 4);
			if (c->shared && rnd() % 3 == 0)
				scribble(&run, c->shared, SK_AC_ENTRY + 8 * 4);
			if (c->alien && rnd() % 2 == 0)
				scribble(&run, c->alien, SK_ALIEN_AC +
							       SK_AC_ENTRY + 24);
		}
		for (int i = 0; i < synth_slab_nslabs(k); i++) {
			const struct synth_slab_slab *sl = synth_slab_slab(k, i);
			if (rnd() % 2)
				scribble(&run, sl->page, SK_PAGE_SIZEOF);
			if (sl->freelist && rnd() % 2)
				scribble(&run, sl->freelist, sl->num);
			if (rnd() % 3 == 0)
				scribble(&run, sl->base,
					 SYNTH_PAGE_SIZE << sl->order);
		}
		if (rnd() % 3 == 0) {
			uint64_t pg = SYNTH_VMEMMAP +
				      (rnd() % SYNTH_MAX_PFN) * SK_PAGE_SIZEOF;
			synth_write_u64(run.s, pg, rnd() | 1ULL << PG_SLAB_BIT);
			synth_write_u64(run.s, pg + SK_SL_CACHE,
					synth_slab_cache(k, cs[rnd() % 3])->addr);
			synth_write_u64(run.s, pg + SK_SL_S_MEM, garbage(&run));
			synth_write_u64(run.s, pg + SK_SL_FREELIST,
					garbage(&run));
			synth_write_u32(run.s, pg + SK_SL_ACTIVE,
					(uint32_t)rnd());
		}
		if (!model_run_check_round(&run, round)) {
			run_done(&run);
			return;
		}
		size_t n;
		const struct ss_slab *slabs = ss_model_slabs(run.m, &n);
		uint32_t bad = 0;
		for (size_t i = 0; i < n; i++) {
			const struct ss_slab *ms = &slabs[i];
			struct ss_object *objs =
				calloc(ms->objects ? ms->objects : 1,
				       sizeof(*objs));
			struct ss_error *err =
				ss_model_slab_objects(run.m, ms, objs);
			if (!err && ms->cache != SS_NO_CACHE) {
				/* The states agree with the load's counts. */
				uint32_t f = 0, cf = 0, u = 0;
				for (uint32_t o = 0; o < ms->objects; o++) {
					f += objs[o].state == SS_OBJ_FREE;
					cf += objs[o].state == SS_OBJ_CPU_FREE;
					u += objs[o].state == SS_OBJ_UNKNOWN;
					/* Inside the slab's pages. */
					uint64_t pfn = (ms->page -
							SYNTH_VMEMMAP) /
						       SK_PAGE_SIZEOF;
					uint64_t start = SYNTH_PAGE_OFFSET +
							 pfn * SYNTH_PAGE_SIZE;
					uint64_t end = start + (SYNTH_PAGE_SIZE
								<< ms->order);
					bool out = objs[o].addr < start ||
						   objs[o].addr >= end;
					if (out && model_run_verbose())
						fprintf(stderr,
							"  slab 0x%" PRIx64
							" object 0x%" PRIx64
							" outside\n",
							ms->page, objs[o].addr);
					bad += out;
				}
				if (f != ms->nfree || cf != ms->ncpu_free ||
				    u != ms->nunknown) {
					bad++;
					if (model_run_verbose())
						fprintf(stderr,
							"  slab 0x%" PRIx64
							": %u/%u/%u, load "
							"%u/%u/%u\n",
							ms->page, f, cf, u,
							ms->nfree,
							ms->ncpu_free,
							ms->nunknown);
				}
			}
			ss_error_destroy(err);
			free(objs);
			struct ss_whatis w;
			for (int j = 0; j < 4; j++)
				ss_error_destroy(ss_model_whatis(
					run.m, ms->base + rnd() % 8192, &w));
		}
		CU_ASSERT_EQUAL(bad, 0);
		if (bad)
			fprintf(stderr, "  (round %d: %u bad)\n", round, bad);
		TOTALS(&run);
		run_done(&run);
	}
}

int ss_test_slab_register(void)
{
	CU_pSuite s = CU_add_suite("slab model and checks", suite_init,
				   suite_cleanup);
	if (!s)
		return -1;
	if (!CU_add_test(s, "clean caches", test_clean) ||
	    !CU_add_test(s, "clean: alien caches", test_clean_alien) ||
	    !CU_add_test(s, "freeptr-invalid: index beyond num",
			 test_freeptr_invalid) ||
	    !CU_add_test(s, "double-free: index twice",
			 test_double_free_index) ||
	    !CU_add_test(s, "double-free: array caches",
			 test_double_free_ac) ||
	    !CU_add_test(s, "counter-mismatch", test_counters) ||
	    !CU_add_test(s, "list-corrupt: another cache's slab",
			 test_list_other_cache) ||
	    !CU_add_test(s, "list-corrupt: cycle", test_list_cycle) ||
	    !CU_add_test(s, "list-corrupt: not a slab", test_list_not_slab) ||
	    !CU_add_test(s, "list-corrupt: two lists", test_list_two_lists) ||
	    !CU_add_test(s, "list-corrupt: array cache entries",
			 test_ac_entries) ||
	    !CU_add_test(s, "list-corrupt: NULL array cache entry",
			 test_ac_null) ||
	    !CU_add_test(s, "counter-mismatch: bad geometry",
			 test_bad_geometry) ||
	    !CU_add_test(s, "slab-cache-invalid", test_slab_cache_invalid) ||
	    !CU_add_test(s, "redzone-overwritten", test_redzone) ||
	    !CU_add_test(s, "poison-overwritten", test_poison) ||
	    !CU_add_test(s, "unreadable", test_unreadable) ||
	    !CU_add_test(s, "garbage", test_garbage))
		return -1;
	return 0;
}
