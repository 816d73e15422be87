/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A synthetic SLAB kernel for unit tests: see synth_slab.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth_slab.h"

/* alloc_alien_cache(): the alien limit is at most 12. */
#define ALIEN_LIMIT 12

struct synth_slabk {
	struct synth *s;
	struct synth_slab_cache *caches;
	size_t ncaches, ccap;
	struct synth_slab_slab *slabs;
	size_t nslabs, scap;
};

static void die(const char *what)
{
	fprintf(stderr, "synth_slab: %s\n", what);
	abort();
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory");
	return q;
}

struct synth_slabk *synth_slab_create(const char *so_path)
{
	struct synth_slabk *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->s = synth_create(so_path);
	if (!k->s) {
		free(k);
		return NULL;
	}
	return k;
}

void synth_slab_destroy(struct synth_slabk *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nslabs; i++) {
		free(k->slabs[i].idx);
		free(k->slabs[i].state);
	}
	free(k->slabs);
	free(k->caches);
	synth_destroy(k->s);
	free(k);
}

struct synth *synth_slab_base(struct synth_slabk *k) { return k->s; }
int synth_slab_ncaches(struct synth_slabk *k) { return (int)k->ncaches; }
int synth_slab_nslabs(struct synth_slabk *k) { return (int)k->nslabs; }

struct synth_slab_cache *synth_slab_cache(struct synth_slabk *k, int id)
{
	if (id < 0 || (size_t)id >= k->ncaches)
		die("bad cache id");
	return &k->caches[id];
}

struct synth_slab_slab *synth_slab_slab(struct synth_slabk *k, int id)
{
	if (id < 0 || (size_t)id >= k->nslabs)
		die("bad slab id");
	return &k->slabs[id];
}

uint64_t synth_slab_cpu_ac(struct synth_slabk *k, int cache, int cpu)
{
	return synth_percpu_addr(k->s, synth_slab_cache(k, cache)->cpu_cache,
				 cpu);
}

/* ---- caches ---- */

static uint32_t align8(uint32_t v) { return (v + 7) & ~7u; }

/* __kmem_cache_create() with DEBUG (align 8, no DEBUG_PAGEALLOC), then
 * set_objfreelist_slab_cache() / set_off_slab_cache() /
 * set_on_slab_cache() on the spec's order: cache_estimate() gives num and
 * the left-over bytes the colours come from. */
static void calculate_sizes(struct synth_slab_cache *c,
			    enum synth_fl placement)
{
	uint32_t size = align8(c->object_size);
	c->obj_offset = 0;
	if (c->flags & SLAB_RED_ZONE) {
		c->obj_offset += 8;
		size += 16;
	}
	if (c->flags & SLAB_STORE_USER)
		size += 8;
	if (size < 16)
		size = 16; /* SLAB_OBJ_MIN_SIZE */
	c->size = size;
	uint64_t bytes = SYNTH_PAGE_SIZE << c->order;
	uint32_t num_whole = (uint32_t)(bytes / size);
	uint64_t left_whole = bytes - (uint64_t)num_whole * size;
	if (placement == SYNTH_FL_AUTO) {
		if (!c->ctor && num_whole <= c->object_size)
			placement = SYNTH_FL_OBJFREELIST;
		else if (left_whole < num_whole)
			placement = SYNTH_FL_OFF_SLAB;
		else
			placement = SYNTH_FL_ON_SLAB;
	}
	c->placement = placement;
	uint64_t left;
	if (placement == SYNTH_FL_ON_SLAB) {
		c->num = (uint32_t)(bytes / (size + 1));
		left = bytes - (uint64_t)c->num * (size + 1);
	} else {
		c->num = num_whole;
		left = left_whole;
	}
	if (placement == SYNTH_FL_OBJFREELIST && c->num > c->object_size)
		die("OBJFREELIST needs num <= object_size");
	/* freelist_idx_t is a byte: SLAB_OBJ_MAX_NUM */
	if (c->num < 2 || c->num > 255)
		die("objects per slab out of 2..255");
	c->colour = (uint32_t)(left / SK_CACHE_LINE);
	if (placement == SYNTH_FL_OBJFREELIST)
		c->flags |= SK_CFLGS_OBJFREELIST;
	else if (placement == SYNTH_FL_OFF_SLAB)
		c->flags |= SK_CFLGS_OFF_SLAB;
}

static uint64_t new_ac(struct synth *s, uint64_t at, uint32_t limit)
{
	synth_write_u32(s, at + SK_AC_AVAIL, 0);
	synth_write_u32(s, at + SK_AC_LIMIT_OFF, limit);
	synth_write_u32(s, at + SK_AC_BATCHCOUNT, (limit + 1) / 2);
	synth_write_u32(s, at + SK_AC_TOUCHED, 0);
	return at;
}

int synth_slab_add_cache(struct synth_slabk *k,
			 const struct synth_slab_cache_spec *spec)
{
	struct synth *s = k->s;
	if (k->ncaches == k->ccap) {
		k->ccap = k->ccap ? 2 * k->ccap : 8;
		k->caches = xrealloc(k->caches, k->ccap * sizeof(*k->caches));
	}
	int id = (int)k->ncaches++;
	struct synth_slab_cache *c = &k->caches[id];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", spec->name);
	c->object_size = spec->object_size;
	c->flags = spec->flags;
	c->order = spec->order;
	c->ctor = spec->ctor;
	calculate_sizes(c, spec->placement);

	c->addr = synth_alloc(s, SK_KC_SIZEOF, 64);
	c->node = synth_alloc(s, SK_KCN_SIZEOF, 64);
	c->cpu_cache = synth_percpu_alloc(s, SK_AC_ENTRY + 8 * SK_AC_LIMIT);
	for (int cpu = 0; cpu < SYNTH_NR_CPUS; cpu++)
		new_ac(s, synth_percpu_addr(s, c->cpu_cache, cpu), SK_AC_LIMIT);
	if (!spec->no_shared)
		c->shared = new_ac(s,
				   synth_alloc(s, SK_AC_ENTRY +
							  8 * SK_SHARED_LIMIT,
					       64),
				   SK_SHARED_LIMIT);
	uint64_t name = synth_alloc(s, strlen(c->name) + 1, 8);
	synth_write(s, name, c->name, strlen(c->name) + 1);

	uint64_t a = c->addr;
	synth_write_u64(s, a + SK_KC_CPU_CACHE, c->cpu_cache);
	synth_write_u32(s, a + SK_KC_BATCHCOUNT, (SK_AC_LIMIT + 1) / 2);
	synth_write_u32(s, a + SK_KC_LIMIT, SK_AC_LIMIT);
	synth_write_u32(s, a + SK_KC_SHARED, spec->no_shared ? 0 : 8);
	synth_write_u32(s, a + SK_KC_SIZE, c->size);
	synth_write_u32(s, a + SK_KC_FLAGS, (uint32_t)c->flags);
	synth_write_u32(s, a + SK_KC_NUM, c->num);
	synth_write_u32(s, a + SK_KC_GFPORDER, c->order);
	synth_write_u64(s, a + SK_KC_COLOUR, c->colour);
	synth_write_u32(s, a + SK_KC_COLOUR_OFF, SK_CACHE_LINE);
	synth_write_u32(s, a + SK_KC_FREELIST_SIZE, c->num);
	synth_write_u64(s, a + SK_KC_CTOR, c->ctor);
	synth_write_u64(s, a + SK_KC_NAME, name);
	synth_write_u32(s, a + SK_KC_REFCOUNT, 1);
	synth_write_u32(s, a + SK_KC_OBJECT_SIZE, c->object_size);
	synth_write_u32(s, a + SK_KC_ALIGN, 8);
	synth_write_u32(s, a + SK_KC_OBJ_OFFSET, c->obj_offset);
	synth_write_u64(s, a + SK_KC_NODE, c->node);
	synth_list_add_tail(s, a + SK_KC_LIST, synth_symbol_addr(s, "slab_caches"));

	uint64_t n = c->node;
	synth_list_init(s, n + SK_KCN_PARTIAL);
	synth_list_init(s, n + SK_KCN_FULL);
	synth_list_init(s, n + SK_KCN_FREE);
	synth_write_u32(s, n + SK_KCN_FREE_LIMIT,
			(1 + SYNTH_NR_CPUS) * (SK_AC_LIMIT + 1) / 2 + c->num);
	synth_write_u64(s, n + SK_KCN_SHARED, c->shared);
	return id;
}

/* ---- objects ---- */

uint64_t synth_slab_raw(struct synth_slabk *k, int slab, uint32_t idx)
{
	struct synth_slab_slab *sl = synth_slab_slab(k, slab);
	if (idx >= sl->num)
		die("bad object index");
	return sl->s_mem + (uint64_t)idx * synth_slab_cache(k, sl->cache)->size;
}

uint64_t synth_slab_obj(struct synth_slabk *k, int slab, uint32_t idx)
{
	struct synth_slab_slab *sl = synth_slab_slab(k, slab);
	return synth_slab_raw(k, slab, idx) +
	       synth_slab_cache(k, sl->cache)->obj_offset;
}

/* dbg_redzone1(), dbg_redzone2(), dbg_userword() */
uint64_t synth_slab_redzone1(struct synth_slabk *k, int slab, uint32_t idx)
{
	return synth_slab_obj(k, slab, idx) - 8;
}

uint64_t synth_slab_redzone2(struct synth_slabk *k, int slab, uint32_t idx)
{
	const struct synth_slab_cache *c =
		synth_slab_cache(k, synth_slab_slab(k, slab)->cache);
	return synth_slab_raw(k, slab, idx) + c->size - 8 -
	       ((c->flags & SLAB_STORE_USER) ? 8 : 0);
}

uint64_t synth_slab_userword(struct synth_slabk *k, int slab, uint32_t idx)
{
	const struct synth_slab_cache *c =
		synth_slab_cache(k, synth_slab_slab(k, slab)->cache);
	return synth_slab_raw(k, slab, idx) + c->size - 8;
}

/* poison_obj() */
static void poison(struct synth *s, const struct synth_slab_cache *c,
		   uint64_t obj, uint8_t val)
{
	if (!c->object_size)
		return;
	synth_fill(s, obj, val, c->object_size - 1);
	synth_write_u8(s, obj + c->object_size - 1, SK_POISON_END);
}

/* Red zones and the user word of object idx. */
static void debug_words(struct synth_slabk *k, int slab, uint32_t idx,
			uint64_t red, uint64_t user)
{
	const struct synth_slab_cache *c =
		synth_slab_cache(k, synth_slab_slab(k, slab)->cache);
	if (c->flags & SLAB_RED_ZONE) {
		synth_write_u64(k->s, synth_slab_redzone1(k, slab, idx), red);
		synth_write_u64(k->s, synth_slab_redzone2(k, slab, idx), red);
	}
	if (c->flags & SLAB_STORE_USER)
		synth_write_u64(k->s, synth_slab_userword(k, slab, idx), user);
}

/* A user's byte per object that is none of SLAB's patterns. */
static uint8_t user_byte(uint32_t i) { return (uint8_t)(0x10 + i % 0x40); }

/* cache_alloc_debugcheck_after() + the user's writes. */
static void alloc_object(struct synth_slabk *k, int slab, uint32_t idx)
{
	const struct synth_slab_cache *c =
		synth_slab_cache(k, synth_slab_slab(k, slab)->cache);
	uint64_t obj = synth_slab_obj(k, slab, idx);
	if (c->flags & SLAB_POISON)
		poison(k->s, c, obj, SK_POISON_INUSE);
	debug_words(k, slab, idx, SK_RED_ACTIVE,
		    synth_caller(k->s, SYNTH_TRACK_ALLOC));
	synth_fill(k->s, obj, user_byte(idx), c->object_size);
}

/* cache_free_debugcheck() */
static void free_debug(struct synth_slabk *k, int slab, uint32_t idx)
{
	struct synth_slab_slab *sl = synth_slab_slab(k, slab);
	const struct synth_slab_cache *c = synth_slab_cache(k, sl->cache);
	if (idx >= sl->num || sl->state[idx] != SK_ALLOC)
		die("freeing an object that is not allocated");
	debug_words(k, slab, idx, SK_RED_INACTIVE,
		    synth_caller(k->s, SYNTH_TRACK_FREE));
	if (c->flags & SLAB_POISON)
		poison(k->s, c, synth_slab_obj(k, slab, idx), SK_POISON_FREE);
}

/* ---- slabs ---- */

int synth_slab_add_slab(struct synth_slabk *k, int cache, uint32_t colour)
{
	struct synth *s = k->s;
	struct synth_slab_cache *c = synth_slab_cache(k, cache);
	if (colour && colour >= c->colour)
		die("colour beyond the cache's");
	if (k->nslabs == k->scap) {
		k->scap = k->scap ? 2 * k->scap : 16;
		k->slabs = xrealloc(k->slabs, k->scap * sizeof(*k->slabs));
	}
	int id = (int)k->nslabs++;
	struct synth_slab_slab *sl = &k->slabs[id];
	memset(sl, 0, sizeof(*sl));
	sl->cache = cache;
	sl->order = c->order;
	sl->pfn = synth_alloc_pfns(s, c->order);
	sl->page = SYNTH_VMEMMAP + sl->pfn * SK_PAGE_SIZEOF;
	sl->base = SYNTH_PAGE_OFFSET + sl->pfn * SYNTH_PAGE_SIZE;
	sl->s_mem = sl->base + (uint64_t)colour * SK_CACHE_LINE;
	sl->num = c->num;
	sl->idx = xrealloc(NULL, sl->num);
	sl->state = xrealloc(NULL, sl->num);
	uint64_t bytes = SYNTH_PAGE_SIZE << c->order;

	/* alloc_slabmgmt(): the index array; cache_init_objs(): entry i is
	 * i.  OBJFREELIST keeps it in the object of entry num - 1 until
	 * that one is allocated too (then fixup_slab_list() sets NULL). */
	if (c->placement == SYNTH_FL_ON_SLAB)
		sl->freelist = sl->base + bytes - c->num;
	else if (c->placement == SYNTH_FL_OFF_SLAB)
		sl->freelist = synth_alloc(s, c->num, 8);
	for (uint32_t i = 0; i < sl->num; i++) {
		sl->idx[i] = (uint8_t)i;
		sl->state[i] = SK_ALLOC;
	}
	if (sl->freelist)
		synth_write(s, sl->freelist, sl->idx, sl->num);

	/* cache_init_objs_debug(), then every object handed out. */
	for (uint32_t i = 0; i < sl->num; i++) {
		debug_words(k, id, i, SK_RED_INACTIVE, 0);
		if (c->flags & SLAB_POISON)
			poison(s, c, synth_slab_obj(k, id, i), SK_POISON_FREE);
	}
	for (uint32_t i = 0; i < sl->num; i++)
		alloc_object(k, id, i);
	sl->active = sl->num;

	/* The struct pages. */
	uint64_t flags = 1ULL << PG_SLAB_BIT;
	if (c->order)
		flags |= 1ULL << PG_HEAD_BIT;
	synth_write_u64(s, sl->page + SK_SL_FLAGS, flags);
	synth_write_u64(s, sl->page + SK_SL_CACHE, c->addr);
	synth_write_u64(s, sl->page + SK_SL_FREELIST, sl->freelist);
	synth_write_u64(s, sl->page + SK_SL_S_MEM, sl->s_mem);
	synth_write_u32(s, sl->page + SK_SL_ACTIVE, sl->active);
	for (uint64_t i = 1; i < (1ULL << c->order); i++) {
		uint64_t tail = sl->page + i * SK_PAGE_SIZEOF;
		synth_write_u64(s, tail + SK_PG_COMPOUND_HEAD, sl->page | 1);
		if (i == 1)
			synth_write_u8(s, tail + SK_PG_COMPOUND_ORDER,
				       (uint8_t)c->order);
	}
	return id;
}

/* slab_put_obj() */
static void put_obj(struct synth_slabk *k, int slab, uint32_t idx)
{
	struct synth_slab_slab *sl = synth_slab_slab(k, slab);
	sl->active--;
	/* OBJFREELIST: a full slab's freelist is NULL; the first object
	 * freed into it holds the index array from now on. */
	if (!sl->freelist) {
		sl->freelist = synth_slab_obj(k, slab, idx);
		synth_write_u64(k->s, sl->page + SK_SL_FREELIST, sl->freelist);
	}
	sl->idx[sl->active] = (uint8_t)idx;
	synth_write_u8(k->s, sl->freelist + sl->active, (uint8_t)idx);
	synth_write_u32(k->s, sl->page + SK_SL_ACTIVE, sl->active);
}

void synth_slab_free(struct synth_slabk *k, int slab, const uint32_t *idx,
		     size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free_debug(k, slab, idx[i]);
		put_obj(k, slab, idx[i]);
		synth_slab_slab(k, slab)->state[idx[i]] = SK_FREE;
	}
}

/* __free_one(): entry[avail++] = the raw slot. */
static void ac_push(struct synth_slabk *k, uint64_t ac, int slab, uint32_t idx)
{
	uint32_t avail, limit;
	synth_read(k->s, ac + SK_AC_AVAIL, &avail, 4);
	synth_read(k->s, ac + SK_AC_LIMIT_OFF, &limit, 4);
	if (avail >= limit)
		die("array cache full");
	synth_write_u64(k->s, ac + SK_AC_ENTRY + 8ULL * avail,
			synth_slab_raw(k, slab, idx));
	synth_write_u32(k->s, ac + SK_AC_AVAIL, avail + 1);
}

static void free_to_ac(struct synth_slabk *k, int slab, uint64_t ac,
		       const uint32_t *idx, size_t n, enum synth_slab_state st)
{
	for (size_t i = 0; i < n; i++) {
		free_debug(k, slab, idx[i]);
		ac_push(k, ac, slab, idx[i]);
		synth_slab_slab(k, slab)->state[idx[i]] = (uint8_t)st;
	}
}

void synth_slab_free_cpu(struct synth_slabk *k, int slab, int cpu,
			 const uint32_t *idx, size_t n)
{
	free_to_ac(k, slab,
		   synth_slab_cpu_ac(k, synth_slab_slab(k, slab)->cache, cpu),
		   idx, n, SK_AC_CPU);
}

void synth_slab_free_shared(struct synth_slabk *k, int slab,
			    const uint32_t *idx, size_t n)
{
	const struct synth_slab_cache *c =
		synth_slab_cache(k, synth_slab_slab(k, slab)->cache);
	if (!c->shared)
		die("cache without a shared array cache");
	free_to_ac(k, slab, c->shared, idx, n, SK_AC_SHARED);
}

void synth_slab_free_alien(struct synth_slabk *k, int slab,
			   const uint32_t *idx, size_t n)
{
	struct synth *s = k->s;
	struct synth_slab_cache *c =
		synth_slab_cache(k, synth_slab_slab(k, slab)->cache);
	if (!c->alien) {
		/* alloc_alien_cache() for a second node: alien[own] NULL. */
		synth_write_u32(s, synth_symbol_addr(s, "nr_node_ids"), 2);
		uint64_t arr = synth_alloc(s, 16, 8);
		c->alien = synth_alloc(s, SK_ALIEN_AC + SK_AC_ENTRY +
						  8 * ALIEN_LIMIT,
				       8);
		new_ac(s, c->alien + SK_ALIEN_AC, ALIEN_LIMIT);
		synth_write_u64(s, arr + 8, c->alien);
		synth_write_u64(s, c->node + SK_KCN_ALIEN, arr);
	}
	free_to_ac(k, slab, c->alien + SK_ALIEN_AC, idx, n, SK_AC_ALIEN);
}

/* cache_grow_end() and fixup_slab_list(): each slab on the list its
 * active says, total_slabs, free_slabs, free_objects. */
void synth_slab_finish(struct synth_slabk *k)
{
	struct synth *s = k->s;
	for (size_t ci = 0; ci < k->ncaches; ci++) {
		const struct synth_slab_cache *c = &k->caches[ci];
		uint64_t n = c->node;
		uint64_t total = 0, free_slabs = 0, free_objects = 0;
		synth_list_init(s, n + SK_KCN_PARTIAL);
		synth_list_init(s, n + SK_KCN_FULL);
		synth_list_init(s, n + SK_KCN_FREE);
		for (size_t i = 0; i < k->nslabs; i++) {
			const struct synth_slab_slab *sl = &k->slabs[i];
			if (sl->cache != (int)ci || sl->unlisted)
				continue;
			uint64_t head = sl->active == 0	      ? SK_KCN_FREE
					: sl->active == sl->num ? SK_KCN_FULL
								: SK_KCN_PARTIAL;
			synth_list_add_tail(s, sl->page + SK_SL_LIST, n + head);
			total++;
			free_slabs += sl->active == 0;
			free_objects += sl->num - sl->active;
		}
		synth_write_u64(s, n + SK_KCN_TOTAL_SLABS, total);
		synth_write_u64(s, n + SK_KCN_FREE_SLABS, free_slabs);
		synth_write_u64(s, n + SK_KCN_FREE_OBJECTS, free_objects);
	}
}
