/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the slab model: the allocator ops interface and what an
 * allocator's loader fills in.  One implementation per allocator
 * (slub.c, later slab.c), chosen by probing the debug info.
 */
#ifndef SS_MODEL_PRIV_H
#define SS_MODEL_PRIV_H

#include <slabscope/slab.h>

#include "../util/addrmap.h"
#include "field.h"

struct ss_model;
struct ss_slot_scan;

struct ss_alloc_ops {
	const char *name;
	enum ss_allocator id;
	/* Fill m->caches, m->slabs (grouped by cache), counts, anomalies. */
	struct ss_error *(*load)(struct ss_model *m);
	struct ss_error *(*slab_objects)(struct ss_model *m,
					 const struct ss_slab *slab,
					 struct ss_object *out);
	void (*destroy)(struct ss_model *m);

	/* The object slot: what an allocator generation lays out
	 * differently (slub_slot.c, mm_slab_slot.c).  Reached from a cache
	 * (ss_cache.ops) without the model. */
	/* st SS_OBJ_UNKNOWN: by the layout alone. */
	enum ss_region (*region)(const struct ss_cache *c, int64_t off,
				 enum ss_obj_state st);
	struct ss_track_place (*track_place)(const struct ss_cache *c);
	/* The byte patterns of one slab's slots (slot_priv.h). */
	struct ss_error *(*verify_bytes)(struct ss_slot_scan *sc);
	/* Free objects store a next pointer that slab_objects decodes. */
	bool objects_have_next;
};

extern const struct ss_alloc_ops ss_slub_ops;
extern const struct ss_alloc_ops ss_slab_ops;

struct ss_model {
	const struct ss_target *t;
	const struct ss_memory *mem;
	const struct ss_alloc_ops *ops;
	void *priv; /* the allocator's own state */
	struct ss_model_options opts;
	struct ss_mm_facts mm;

	struct ss_cache *caches;
	size_t ncaches;
	struct ss_slab *slabs;
	size_t nslabs;
	struct ss_addrmap slab_by_page; /* page address -> slab index */
	/* Per slab index, from the page scan: its list_head links (at
	 * list_off in struct slab), so the node lists are walked without
	 * reading the struct pages again: in list order that defeats
	 * libkdumpfile's cache (15% of a 4 GiB dump's time). */
	uint64_t *list_next, *list_prev;
	uint64_t list_off;

	struct ss_anomaly *anomalies;
	size_t nanomalies, anomalies_cap;
};

/* Record an anomaly (message formatted); counts it against the cache.
 * Returns an error only when out of memory. */
struct ss_error *ss_model_anomaly_add(struct ss_model *m,
				      enum ss_anomaly_kind kind, uint32_t cache,
				      uint64_t slab, uint64_t object,
				      uint64_t address, uint64_t found,
				      const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* ---- shared by the allocator models ---- */

/* How to read one kmem_cache: its list and name members, how many bytes,
 * and the allocator's own fields. */
struct ss_cache_reader {
	uint64_t list_off;
	uint64_t name_off;
	size_t len;
	void (*fill)(void *arg, const unsigned char *kc, struct ss_cache *c);
	void *arg;
};

/* Fill m->caches from slab_caches and map kmem_cache addresses to cache
 * indices in by_addr. */
struct ss_error *ss_model_load_caches(struct ss_model *m,
				     const struct ss_cache_reader *r,
				     struct ss_addrmap *by_addr);
/* A kernel string (a cache name) of at most 127 bytes; *ret malloc'd. */
struct ss_error *ss_model_read_name(struct ss_model *m, uint64_t addr,
				    char **ret);

/* The page scan: which struct page members say "slab head", and what to
 * call for each slab head page (order: its compound order, 0 for a single
 * page, -1 when it cannot be read). */
struct ss_page_scan {
	const struct ss_field *flags, *compound_head, *compound_order;
	int64_t pg_slab_bit, pg_head_bit;
	struct ss_error *(*slab_page)(void *arg, uint64_t pfn,
				      const unsigned char *pg, int order);
	void *arg;
};

struct ss_error *ss_model_scan_pages(struct ss_model *m,
				    const struct ss_page_scan *ps);

/* Memory for walking lists of slabs: a scanned slab's list links from
 * the scan's copy, anything else from the dump. */
struct ss_memory ss_model_links_memory(struct ss_model *m);

/* Take back the last anomaly (a later, better explanation of the same
 * damage replaces it). */
void ss_model_anomaly_drop_last(struct ss_model *m);

/* A slab whose slab_cache is not a cache (its slab-cache-invalid anomaly
 * recorded by the load) was met on a list of cache ci: file that anomaly
 * under ci and say where it was found. */
struct ss_error *ss_model_orphan_seen(struct ss_model *m, uint64_t slab,
				      uint32_t ci, const char *where);

/* Index of the slab whose struct page is at page, or SS_NO_CACHE. */
uint32_t ss_model_slab_index(const struct ss_model *m, uint64_t page);

#endif
