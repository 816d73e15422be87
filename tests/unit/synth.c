/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A synthetic SLUB kernel for unit tests: see synth.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/dbg.h>

#include "synth.h"

/* Per-CPU areas inside the heap: CPU n's at SYNTH_HEAP + PERCPU_AREA +
 * n * PERCPU_STRIDE; kmem_cache.cpu_slab is an offset into them. */
#define PERCPU_AREA 0x80000ULL
#define PERCPU_STRIDE 0x10000ULL
#define PERCPU_FIRST 0x100ULL

/* The variables, at fixed places at the start of the heap. */
#define VAR_SLAB_CACHES (SYNTH_HEAP + 0x000)
#define VAR_MODULES (SYNTH_HEAP + 0x010)
#define VAR_MAX_PFN (SYNTH_HEAP + 0x020)
#define VAR_NR_CPU_IDS (SYNTH_HEAP + 0x028)
#define VAR_NR_NODE_IDS (SYNTH_HEAP + 0x02c)
#define VAR_CPU_POSSIBLE (SYNTH_HEAP + 0x030)
#define VAR_PAGE_OFFSET (SYNTH_HEAP + 0x038)
#define VAR_VMEMMAP (SYNTH_HEAP + 0x040)
#define VAR_JIFFIES (SYNTH_HEAP + 0x048)
#define VAR_TICK_NSEC (SYNTH_HEAP + 0x050)
#define VAR_PER_CPU_OFFSET (SYNTH_HEAP + 0x080) /* [SYNTH_NR_CPUS] */
#define HEAP_FIRST_FREE 0x1000ULL

/* The stack depot: 6.1's STACK_ALLOC_ALIGN and handle_parts. */
#define DEPOT_ALIGN_SHIFT 4
#define DEPOT_SLAB_BYTES 16384
#define DEPOT_NSLABS 16

struct sym {
	char *name;
	uint64_t addr;
};

struct synth {
	struct ss_memimage *img;
	struct ss_memory mem;
	struct ss_target t;
	struct ss_dbg *dbg;
	char *so_path;
	uint64_t heap_next;
	uint64_t percpu_next;
	uint64_t next_pfn;
	struct synth_cache *caches;
	size_t ncaches, ccap;
	struct synth_slab *slabs;
	size_t nslabs, scap;
	struct sym *syms;
	size_t nsyms, symcap;
	uint64_t alloc_caller, free_caller;
	uint64_t depot_slab, depot_next;
};

static void die(const char *what)
{
	fprintf(stderr, "synth: %s\n", what);
	abort();
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory");
	return q;
}

/* ---- raw memory ---- */

void synth_write(struct synth *s, uint64_t addr, const void *data,
		 size_t len)
{
	const unsigned char *d = data;
	while (len) {
		/* Ranges are page-aligned: never cross a page in one go. */
		size_t chunk = SYNTH_PAGE_SIZE - (addr & (SYNTH_PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		void *p = ss_memimage_ptr(s->img, addr, chunk);
		if (!p) {
			fprintf(stderr, "synth: write at 0x%" PRIx64
				" outside the image\n", addr);
			abort();
		}
		memcpy(p, d, chunk);
		d += chunk;
		addr += chunk;
		len -= chunk;
	}
}

void synth_fill(struct synth *s, uint64_t addr, int byte, size_t len)
{
	unsigned char buf[256];
	memset(buf, byte, sizeof(buf));
	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);
		synth_write(s, addr, buf, n);
		addr += n;
		len -= n;
	}
}

void synth_read(struct synth *s, uint64_t addr, void *buf, size_t len)
{
	unsigned char *b = buf;
	while (len) {
		size_t chunk = SYNTH_PAGE_SIZE - (addr & (SYNTH_PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		void *p = ss_memimage_ptr(s->img, addr, chunk);
		if (!p) {
			fprintf(stderr, "synth: read at 0x%" PRIx64
				" outside the image\n", addr);
			abort();
		}
		memcpy(b, p, chunk);
		b += chunk;
		addr += chunk;
		len -= chunk;
	}
}

void synth_write_u64(struct synth *s, uint64_t addr, uint64_t v)
{
	synth_write(s, addr, &v, 8);
}

void synth_write_u32(struct synth *s, uint64_t addr, uint32_t v)
{
	synth_write(s, addr, &v, 4);
}

void synth_write_u8(struct synth *s, uint64_t addr, uint8_t v)
{
	synth_write(s, addr, &v, 1);
}

uint64_t synth_read_u64(struct synth *s, uint64_t addr)
{
	uint64_t v;
	synth_read(s, addr, &v, 8);
	return v;
}

uint64_t synth_alloc(struct synth *s, size_t len, size_t align)
{
	uint64_t a = (s->heap_next + align - 1) & ~(uint64_t)(align - 1);
	if (a + len > SYNTH_HEAP + PERCPU_AREA)
		die("heap exhausted");
	s->heap_next = a + len;
	synth_fill(s, a, 0, len);
	return a;
}

/* ---- symbols ---- */

void synth_symbol(struct synth *s, const char *name, uint64_t addr)
{
	for (size_t i = 0; i < s->nsyms; i++)
		if (strcmp(s->syms[i].name, name) == 0) {
			s->syms[i].addr = addr;
			return;
		}
	if (s->nsyms == s->symcap) {
		s->symcap = s->symcap ? 2 * s->symcap : 16;
		s->syms = xrealloc(s->syms, s->symcap * sizeof(*s->syms));
	}
	s->syms[s->nsyms].name = strdup(name);
	if (!s->syms[s->nsyms].name)
		die("out of memory");
	s->syms[s->nsyms++].addr = addr;
}

uint64_t synth_symbol_addr(struct synth *s, const char *name)
{
	for (size_t i = 0; i < s->nsyms; i++)
		if (strcmp(s->syms[i].name, name) == 0)
			return s->syms[i].addr;
	return 0;
}

static struct ss_error *symbol_fn(void *arg, const char *name,
				  uint64_t *addr_ret)
{
	struct synth *s = arg;
	for (size_t i = 0; i < s->nsyms; i++)
		if (strcmp(s->syms[i].name, name) == 0) {
			*addr_ret = s->syms[i].addr;
			return NULL;
		}
	return ss_error_create(SS_ERR_NOTFOUND, "no symbol %s", name);
}

uint64_t synth_dbg_symbol(struct synth *s, const char *name)
{
	uint64_t a = 0;
	struct ss_error *err = ss_dbg_symbol(s->dbg, name, &a);
	if (err) {
		fprintf(stderr, "synth: %s\n", err->message);
		ss_error_destroy(err);
		abort();
	}
	return a;
}

/* ---- lists ---- */

void synth_list_init(struct synth *s, uint64_t head)
{
	synth_write_u64(s, head, head);
	synth_write_u64(s, head + 8, head);
}

void synth_list_add_tail(struct synth *s, uint64_t entry, uint64_t head)
{
	uint64_t prev = synth_read_u64(s, head + 8);
	synth_write_u64(s, entry, head);
	synth_write_u64(s, entry + 8, prev);
	synth_write_u64(s, prev, entry);
	synth_write_u64(s, head + 8, entry);
}

/* ---- creation ---- */

struct synth *synth_create(const char *so_path)
{
	struct synth *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	struct ss_error *err = ss_memimage_create(&s->img);
	if (!err)
		err = ss_dbg_open(so_path, &s->dbg);
	if (err) {
		fprintf(stderr, "synth: %s\n", err->message);
		ss_error_destroy(err);
		synth_destroy(s);
		return NULL;
	}
	/* As the kernel target does: types first from the unit that
	 * defines kmem_cache_destroy. */
	ss_error_destroy(ss_dbg_add_hint_symbol(s->dbg, "kmem_cache_destroy"));
	s->so_path = strdup(so_path);
	/* The heap, the struct page array and one range per page of the
	 * direct map (so that a page can be excluded on its own). */
	err = ss_memimage_add(s->img, SYNTH_HEAP, NULL, SYNTH_HEAP_SIZE);
	if (!err)
		err = ss_memimage_add(s->img, SYNTH_VMEMMAP, NULL,
				      SYNTH_MAX_PFN * PAGE_SIZEOF);
	for (uint64_t pfn = 0; !err && pfn < SYNTH_MAX_PFN; pfn++)
		err = ss_memimage_add(s->img,
				      SYNTH_PAGE_OFFSET + pfn * SYNTH_PAGE_SIZE,
				      NULL, SYNTH_PAGE_SIZE);
	if (err || !s->so_path) {
		fprintf(stderr, "synth: %s\n", err ? err->message : "no memory");
		ss_error_destroy(err);
		synth_destroy(s);
		return NULL;
	}
	s->mem = ss_memimage_memory(s->img);
	s->heap_next = SYNTH_HEAP + HEAP_FIRST_FREE;
	s->percpu_next = PERCPU_FIRST;
	s->next_pfn = SYNTH_FIRST_PFN;

	synth_list_init(s, VAR_SLAB_CACHES);
	synth_list_init(s, VAR_MODULES);
	synth_write_u64(s, VAR_MAX_PFN, SYNTH_MAX_PFN);
	synth_write_u32(s, VAR_NR_CPU_IDS, SYNTH_NR_CPUS);
	synth_write_u32(s, VAR_NR_NODE_IDS, 1);
	synth_write_u64(s, VAR_CPU_POSSIBLE, (1ULL << SYNTH_NR_CPUS) - 1);
	synth_write_u64(s, VAR_PAGE_OFFSET, SYNTH_PAGE_OFFSET);
	synth_write_u64(s, VAR_VMEMMAP, SYNTH_VMEMMAP);
	synth_write_u64(s, VAR_JIFFIES, SYNTH_JIFFIES);
	synth_write_u64(s, VAR_TICK_NSEC, 1000000000ULL / SYNTH_HZ);
	for (int cpu = 0; cpu < SYNTH_NR_CPUS; cpu++)
		synth_write_u64(s, VAR_PER_CPU_OFFSET + 8 * (uint64_t)cpu,
				SYNTH_HEAP + PERCPU_AREA +
					(uint64_t)cpu * PERCPU_STRIDE);
	synth_symbol(s, "slab_caches", VAR_SLAB_CACHES);
	synth_symbol(s, "modules", VAR_MODULES);
	synth_symbol(s, "max_pfn", VAR_MAX_PFN);
	synth_symbol(s, "nr_cpu_ids", VAR_NR_CPU_IDS);
	synth_symbol(s, "nr_node_ids", VAR_NR_NODE_IDS);
	synth_symbol(s, "__cpu_possible_mask", VAR_CPU_POSSIBLE);
	synth_symbol(s, "__per_cpu_offset", VAR_PER_CPU_OFFSET);
	synth_symbol(s, "page_offset_base", VAR_PAGE_OFFSET);
	synth_symbol(s, "vmemmap_base", VAR_VMEMMAP);
	synth_symbol(s, "jiffies", VAR_JIFFIES);
	synth_symbol(s, "tick_nsec", VAR_TICK_NSEC);

	s->alloc_caller = synth_dbg_symbol(s, "ss_test_alloc_caller") + 0x10;
	s->free_caller = synth_dbg_symbol(s, "ss_test_free_caller") + 0x8;

	s->t.name = s->so_path;
	s->t.dbg = s->dbg;
	s->t.mem = &s->mem;
	s->t.symbol = symbol_fn;
	s->t.symbol_arg = s;
	s->t.page_size = SYNTH_PAGE_SIZE;
	s->t.paging_levels = 4;
	s->t.kaslr_offset = 0;
	return s;
}

void synth_destroy(struct synth *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nslabs; i++) {
		free(s->slabs[i].obj);
		free(s->slabs[i].state);
	}
	free(s->slabs);
	free(s->caches);
	for (size_t i = 0; i < s->nsyms; i++)
		free(s->syms[i].name);
	free(s->syms);
	ss_dbg_close(s->dbg);
	ss_memimage_destroy(s->img);
	free(s->so_path);
	free(s);
}

const struct ss_target *synth_target(struct synth *s) { return &s->t; }
struct ss_memimage *synth_image(struct synth *s) { return s->img; }

struct ss_memory *synth_memory(struct synth *s)
{
	return &s->mem;
}

/* ---- caches ---- */

static uint32_t align_up32(uint32_t v, uint32_t a)
{
	return (v + a - 1) / a * a;
}

/* mm/slub.c calculate_sizes() (6.1), CONFIG_SLUB_DEBUG, no KASAN. */
static void calculate_sizes(struct synth_cache *c)
{
	uint64_t flags = c->flags;
	uint32_t size = align_up32(c->object_size, 8);
	if ((flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) &&
	    !c->ctor)
		c->flags |= OBJECT_POISON;
	else
		c->flags &= ~OBJECT_POISON;
	if ((flags & SLAB_RED_ZONE) && size == c->object_size)
		size += 8;
	c->inuse = size;
	if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) ||
	    ((flags & SLAB_RED_ZONE) && c->object_size < 8) || c->ctor) {
		c->offset = size;
		size += 8;
	} else {
		c->offset = c->object_size / 2 / 8 * 8;
	}
	if (flags & SLAB_STORE_USER) {
		size += 2 * TRACK_SIZEOF;
		if (flags & SLAB_KMALLOC)
			size += 4;
	}
	c->red_left_pad = 0;
	if (flags & SLAB_RED_ZONE) {
		size += 8;
		c->red_left_pad = align_up32(8, c->align);
		size += c->red_left_pad;
	}
	c->size = align_up32(size, c->align);
}

struct synth_cache *synth_cache(struct synth *s, int id)
{
	if (id < 0 || (size_t)id >= s->ncaches)
		die("bad cache id");
	return &s->caches[id];
}

uint64_t synth_percpu_alloc(struct synth *s, size_t len)
{
	uint64_t off = (s->percpu_next + 7) & ~7ULL;
	if (off + len > PERCPU_STRIDE)
		die("per-CPU area exhausted");
	s->percpu_next = off + len;
	return off;
}

uint64_t synth_percpu_addr(struct synth *s, uint64_t off, int cpu)
{
	(void)s;
	return off + SYNTH_HEAP + PERCPU_AREA + (uint64_t)cpu * PERCPU_STRIDE;
}

uint64_t synth_kcc(struct synth *s, int cache, int cpu)
{
	return synth_percpu_addr(s, synth_cache(s, cache)->cpu_slab, cpu);
}

int synth_add_cache(struct synth *s, const struct synth_cache_spec *spec)
{
	if (s->ncaches == s->ccap) {
		s->ccap = s->ccap ? 2 * s->ccap : 8;
		s->caches = xrealloc(s->caches, s->ccap * sizeof(*s->caches));
	}
	int id = (int)s->ncaches++;
	struct synth_cache *c = &s->caches[id];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", spec->name);
	c->object_size = spec->object_size;
	c->flags = spec->flags;
	c->align = spec->align ? spec->align : 8;
	c->order = spec->order;
	c->ctor = spec->ctor;
	c->enc = spec->enc;
	c->random = spec->random;
	if (spec->size) {
		c->size = spec->size;
		c->offset = spec->offset;
		c->inuse = spec->inuse ? spec->inuse : spec->size;
		c->red_left_pad = spec->red_left_pad;
	} else {
		calculate_sizes(c);
	}
	c->objects = (uint32_t)((SYNTH_PAGE_SIZE << c->order) / c->size);
	if (c->objects > 32767)
		c->objects = 32767;

	c->addr = synth_alloc(s, KC_SIZEOF, 64);
	c->node = synth_alloc(s, KCN_SIZEOF, 64);
	c->cpu_slab = synth_percpu_alloc(s, KCC_SIZEOF);
	uint64_t name = synth_alloc(s, strlen(c->name) + 1, 8);
	synth_write(s, name, c->name, strlen(c->name) + 1);

	uint64_t a = c->addr;
	synth_write_u64(s, a + KC_CPU_SLAB, c->cpu_slab);
	synth_write_u32(s, a + KC_FLAGS, (uint32_t)c->flags);
	synth_write_u64(s, a + KC_MIN_PARTIAL, 5);
	synth_write_u32(s, a + KC_SIZE, c->size);
	synth_write_u32(s, a + KC_OBJECT_SIZE, c->object_size);
	synth_write_u32(s, a + KC_OFFSET, c->offset);
	synth_write_u32(s, a + KC_CPU_PARTIAL, 30);
	synth_write_u32(s, a + KC_OO, (c->order << 16) | c->objects);
	synth_write_u32(s, a + KC_MIN, (c->order << 16) | c->objects);
	synth_write_u32(s, a + KC_REFCOUNT, 1);
	synth_write_u64(s, a + KC_CTOR, c->ctor);
	synth_write_u32(s, a + KC_INUSE, c->inuse);
	synth_write_u32(s, a + KC_ALIGN, c->align);
	synth_write_u32(s, a + KC_RED_LEFT_PAD, c->red_left_pad);
	synth_write_u64(s, a + KC_NAME, name);
	synth_write_u64(s, a + KC_RANDOM, c->random);
	synth_write_u64(s, a + KC_NODE, c->node);
	synth_list_add_tail(s, a + KC_LIST, VAR_SLAB_CACHES);
	synth_list_init(s, c->node + KCN_PARTIAL);
	synth_list_init(s, c->node + KCN_FULL);
	return id;
}

/* ---- objects ---- */

uint64_t synth_encode(const struct synth_cache *c, uint64_t ptr,
		      uint64_t ptr_addr)
{
	switch (c->enc) {
	case SS_FP_XOR:
		return ptr ^ c->random ^ ptr_addr;
	case SS_FP_XOR_SWAB:
		return ptr ^ c->random ^ __builtin_bswap64(ptr_addr);
	default:
		return ptr;
	}
}

void synth_set_freeptr(struct synth *s, int cache, uint64_t obj,
		       uint64_t next)
{
	const struct synth_cache *c = synth_cache(s, cache);
	synth_write_u64(s, obj + c->offset,
			synth_encode(c, next, obj + c->offset));
}

static bool debug_cache(const struct synth_cache *c)
{
	return c->flags & (SLAB_STORE_USER | SLAB_RED_ZONE | OBJECT_POISON);
}

/* get_info_end() */
static uint64_t info_end(const struct synth_cache *c)
{
	return c->offset >= c->inuse ? (uint64_t)c->inuse + 8 : c->inuse;
}

void synth_set_track(struct synth *s, int cache, uint64_t obj,
		     enum synth_track which, uint64_t addr, uint32_t handle,
		     int cpu, int pid, uint64_t when)
{
	const struct synth_cache *c = synth_cache(s, cache);
	unsigned char t[TRACK_SIZEOF];
	memset(t, 0, sizeof(t));
	memcpy(t + TRACK_ADDR, &addr, 8);
	memcpy(t + TRACK_HANDLE, &handle, 4);
	memcpy(t + TRACK_CPU, &cpu, 4);
	memcpy(t + TRACK_PID, &pid, 4);
	memcpy(t + TRACK_WHEN, &when, 8);
	synth_write(s, obj + info_end(c) + (uint64_t)which * TRACK_SIZEOF, t,
		    sizeof(t));
}

/* mm/slub.c init_object() */
static void init_object(struct synth *s, const struct synth_cache *c,
			uint64_t obj, uint8_t val)
{
	if (c->flags & SLAB_RED_ZONE)
		synth_fill(s, obj - c->red_left_pad, val, c->red_left_pad);
	if ((c->flags & OBJECT_POISON) && c->object_size) {
		synth_fill(s, obj, SYNTH_POISON_FREE, c->object_size - 1);
		synth_write_u8(s, obj + c->object_size - 1, SYNTH_POISON_END);
	}
	if ((c->flags & SLAB_RED_ZONE) && c->inuse > c->object_size)
		synth_fill(s, obj + c->object_size, val,
			   c->inuse - c->object_size);
}

/* What a user leaves in an allocated object: a byte per object that is
 * none of SLUB's patterns. */
static uint8_t user_byte(uint32_t i) { return (uint8_t)(0x10 + i % 0x40); }

/* alloc_debug_processing() + the user's writes. */
static void alloc_object(struct synth *s, int cache, uint64_t obj,
			 uint32_t i)
{
	const struct synth_cache *c = synth_cache(s, cache);
	if (debug_cache(c)) {
		init_object(s, c, obj, SYNTH_RED_ACTIVE);
		if (c->flags & SLAB_STORE_USER) {
			synth_set_track(s, cache, obj, SYNTH_TRACK_ALLOC,
					s->alloc_caller, 0, 1, 1000 + (int)i,
					SYNTH_JIFFIES - 2 * SYNTH_HZ);
			if (c->flags & SLAB_KMALLOC)
				synth_write_u32(s, obj + info_end(c) +
							   2 * TRACK_SIZEOF,
						c->object_size);
		}
	}
	synth_fill(s, obj, user_byte(i), c->object_size);
}

/* free_debug_processing() + set_freepointer() */
static void free_object(struct synth *s, int cache, uint64_t obj,
			uint32_t i, uint64_t next)
{
	const struct synth_cache *c = synth_cache(s, cache);
	if (debug_cache(c)) {
		if (c->flags & SLAB_STORE_USER)
			synth_set_track(s, cache, obj, SYNTH_TRACK_FREE,
					s->free_caller, 0, 0, 2000 + (int)i,
					SYNTH_JIFFIES - SYNTH_HZ / 2);
		init_object(s, c, obj, SYNTH_RED_INACTIVE);
	}
	synth_set_freeptr(s, cache, obj, next);
}

/* ---- slabs ---- */

struct synth_slab *synth_slab(struct synth *s, int id)
{
	if (id < 0 || (size_t)id >= s->nslabs)
		die("bad slab id");
	return &s->slabs[id];
}

uint64_t synth_obj(struct synth *s, int slab, uint32_t idx)
{
	struct synth_slab *sl = synth_slab(s, slab);
	if (idx >= sl->objects)
		die("bad object index");
	return sl->obj[idx];
}

void synth_set_counters(struct synth *s, int slab, uint32_t inuse,
			uint32_t objects, bool frozen)
{
	struct synth_slab *sl = synth_slab(s, slab);
	uint32_t v = (inuse & 0xffff) | (objects & 0x7fff) << 16 |
		     (uint32_t)frozen << 31;
	synth_write_u32(s, sl->page + SL_COUNTERS, v);
}

static void get_counters(struct synth *s, int slab, uint32_t *inuse,
			 uint32_t *objects, bool *frozen)
{
	uint64_t v = synth_read_u64(s, synth_slab(s, slab)->page + SL_COUNTERS);
	*inuse = v & 0xffff;
	*objects = (v >> 16) & 0x7fff;
	*frozen = (v >> 31) & 1;
}

static void set_inuse(struct synth *s, int slab, uint32_t inuse)
{
	uint32_t u, o;
	bool f;
	get_counters(s, slab, &u, &o, &f);
	synth_set_counters(s, slab, inuse, o, f);
}

static void set_frozen(struct synth *s, int slab)
{
	uint32_t u, o;
	bool f;
	get_counters(s, slab, &u, &o, &f);
	synth_set_counters(s, slab, u, o, true);
}

uint64_t synth_alloc_pfns(struct synth *s, unsigned order)
{
	uint64_t npages = 1ULL << order;
	uint64_t pfn = (s->next_pfn + npages - 1) & ~(npages - 1);
	if (pfn + npages > SYNTH_MAX_PFN)
		die("out of page frames");
	s->next_pfn = pfn + npages;
	return pfn;
}

uint64_t synth_caller(struct synth *s, enum synth_track which)
{
	return which == SYNTH_TRACK_ALLOC ? s->alloc_caller : s->free_caller;
}

int synth_add_slab(struct synth *s, int cache, uint32_t nobjects)
{
	struct synth_cache *c = synth_cache(s, cache);
	uint64_t npages = 1ULL << c->order;
	uint64_t pfn = synth_alloc_pfns(s, c->order);
	if (s->nslabs == s->scap) {
		s->scap = s->scap ? 2 * s->scap : 16;
		s->slabs = xrealloc(s->slabs, s->scap * sizeof(*s->slabs));
	}
	int id = (int)s->nslabs++;
	struct synth_slab *sl = &s->slabs[id];
	memset(sl, 0, sizeof(*sl));
	sl->cache = cache;
	sl->pfn = pfn;
	sl->order = c->order;
	sl->page = SYNTH_VMEMMAP + pfn * PAGE_SIZEOF;
	sl->base = SYNTH_PAGE_OFFSET + pfn * SYNTH_PAGE_SIZE;
	sl->objects = nobjects ? nobjects : c->objects;
	sl->obj = xrealloc(NULL, sl->objects * sizeof(*sl->obj));
	sl->state = xrealloc(NULL, sl->objects);
	uint64_t bytes = SYNTH_PAGE_SIZE << c->order;

	/* allocate_slab(): setup_slab_debug(), setup_object() for each
	 * object, the initial free chain. */
	if (c->flags & SLAB_POISON)
		synth_fill(s, sl->base, SYNTH_POISON_INUSE, bytes);
	for (uint32_t i = 0; i < sl->objects; i++) {
		sl->obj[i] = sl->base + (uint64_t)i * c->size + c->red_left_pad;
		sl->state[i] = SYNTH_ALLOC;
		if (debug_cache(c)) {
			init_object(s, c, sl->obj[i], SYNTH_RED_INACTIVE);
			if (c->flags & SLAB_STORE_USER)
				synth_fill(s, sl->obj[i] + info_end(c), 0,
					   2 * TRACK_SIZEOF);
		}
	}
	for (uint32_t i = 0; i < sl->objects; i++)
		synth_set_freeptr(s, cache, sl->obj[i],
				  i + 1 < sl->objects ? sl->obj[i + 1] : 0);
	/* Then every object is handed out. */
	for (uint32_t i = 0; i < sl->objects; i++)
		alloc_object(s, cache, sl->obj[i], i);

	/* The struct pages. */
	uint64_t flags = 1ULL << PG_SLAB_BIT;
	if (c->order)
		flags |= 1ULL << PG_HEAD_BIT;
	synth_write_u64(s, sl->page + SL_FLAGS, flags);
	synth_write_u64(s, sl->page + SL_CACHE, c->addr);
	synth_write_u64(s, sl->page + SL_FREELIST, 0);
	synth_set_counters(s, id, sl->objects, sl->objects, false);
	for (uint64_t i = 1; i < npages; i++) {
		uint64_t tail = sl->page + i * PAGE_SIZEOF;
		synth_write_u64(s, tail + PG_COMPOUND_HEAD, sl->page | 1);
		if (i == 1)
			synth_write_u8(s, tail + 17, (uint8_t)c->order);
	}
	/* The node's SLUB_DEBUG counters. */
	synth_write_u64(s, c->node + KCN_NR_SLABS,
			synth_read_u64(s, c->node + KCN_NR_SLABS) + 1);
	synth_write_u64(s, c->node + KCN_TOTAL_OBJECTS,
			synth_read_u64(s, c->node + KCN_TOTAL_OBJECTS) +
				sl->objects);
	return id;
}

/* Free objects idx[0..n) of slab, chained in that order; head returned. */
static uint64_t free_chain(struct synth *s, int slab, const uint32_t *idx,
			   size_t n, enum synth_state st)
{
	struct synth_slab *sl = synth_slab(s, slab);
	for (size_t k = 0; k < n; k++) {
		if (idx[k] >= sl->objects)
			die("bad object index");
		uint64_t next = k + 1 < n ? sl->obj[idx[k + 1]] : 0;
		free_object(s, sl->cache, sl->obj[idx[k]], idx[k], next);
		sl->state[idx[k]] = (uint8_t)st;
	}
	return n ? sl->obj[idx[0]] : 0;
}

void synth_slab_freelist(struct synth *s, int slab, const uint32_t *idx,
			 size_t n)
{
	struct synth_slab *sl = synth_slab(s, slab);
	uint64_t head = free_chain(s, slab, idx, n, SYNTH_FREE);
	synth_write_u64(s, sl->page + SL_FREELIST, head);
	sl->nfree = (uint32_t)n;
	set_inuse(s, slab, sl->objects - (uint32_t)n);
}

void synth_cpu_slab(struct synth *s, int slab, int cpu, const uint32_t *idx,
		    size_t n)
{
	struct synth_slab *sl = synth_slab(s, slab);
	uint64_t head = free_chain(s, slab, idx, n, SYNTH_CPU_FREE);
	uint64_t kcc = synth_kcc(s, sl->cache, cpu);
	synth_write_u64(s, kcc + KCC_FREELIST, head);
	synth_write_u64(s, kcc + KCC_TID, 0x100 * (uint64_t)slab + (uint64_t)cpu);
	synth_write_u64(s, kcc + KCC_SLAB, sl->page);
	set_frozen(s, slab);
}

void synth_cpu_partial(struct synth *s, int cache, int cpu,
		       const int *slabs, size_t n)
{
	uint64_t kcc = synth_kcc(s, cache, cpu);
	synth_write_u64(s, kcc + KCC_PARTIAL,
			n ? synth_slab(s, slabs[0])->page : 0);
	for (size_t k = 0; k < n; k++) {
		struct synth_slab *sl = synth_slab(s, slabs[k]);
		synth_write_u64(s, sl->page + SL_NEXT,
				k + 1 < n ? synth_slab(s, slabs[k + 1])->page : 0);
		synth_write_u32(s, sl->page + SL_SLABS, (uint32_t)(n - k));
		set_frozen(s, slabs[k]);
	}
}

static void node_list(struct synth *s, uint64_t head, const int *slabs,
		      size_t n)
{
	synth_list_init(s, head);
	for (size_t k = 0; k < n; k++)
		synth_list_add_tail(s, synth_slab(s, slabs[k])->page + SL_LIST, head);
}

void synth_node_partial(struct synth *s, int cache, const int *slabs,
			size_t n)
{
	const struct synth_cache *c = synth_cache(s, cache);
	node_list(s, c->node + KCN_PARTIAL, slabs, n);
	synth_write_u64(s, c->node + KCN_NR_PARTIAL, n);
}

void synth_node_full(struct synth *s, int cache, const int *slabs, size_t n)
{
	node_list(s, synth_cache(s, cache)->node + KCN_FULL, slabs, n);
}

/* ---- the stack depot ---- */

uint32_t synth_depot_add(struct synth *s, const uint64_t *entries, size_t n)
{
	if (!s->depot_slab) {
		uint64_t slabs = synth_alloc(s, 8 * DEPOT_NSLABS, 8);
		s->depot_slab = synth_alloc(s, DEPOT_SLAB_BYTES, 1 << 12);
		synth_write_u64(s, slabs, s->depot_slab);
		synth_symbol(s, "stack_slabs", slabs);
	}
	uint64_t off = s->depot_next;
	uint64_t len = (24 + 8 * n + (1 << DEPOT_ALIGN_SHIFT) - 1) &
		       ~(uint64_t)((1 << DEPOT_ALIGN_SHIFT) - 1);
	if (off + len > DEPOT_SLAB_BYTES)
		die("stack depot full");
	s->depot_next += len;
	/* union handle_parts: slabindex:16 (0), offset:10, valid:1 */
	uint32_t handle = (uint32_t)(off >> DEPOT_ALIGN_SHIFT) << 16 | 1u << 26;
	uint64_t rec = s->depot_slab + off;
	synth_write_u64(s, rec, 0);
	synth_write_u32(s, rec + 8, 0x12345678);
	synth_write_u32(s, rec + 12, (uint32_t)n);
	synth_write_u32(s, rec + 16, handle);
	synth_write(s, rec + 24, entries, 8 * n);
	return handle;
}
