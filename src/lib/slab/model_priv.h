/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the slab model: the allocator ops interface and what an
 * allocator's loader fills in.  One implementation per allocator
 * (slub.c; mm_slab.c, the model of mm/slab.c), chosen by probing the
 * debug info.
 */
#ifndef SS_MODEL_PRIV_H
#define SS_MODEL_PRIV_H

#include <slabscope/readahead.h>
#include <slabscope/slab.h>

#include "../util/addrmap.h"
#include "../util/hugemem.h"
#include "field.h"

/* Bounds on what a sane kernel has; beyond them data is garbage. */
#define MAX_SLAB_ORDER 10

struct ss_model;
struct ss_slot_scan;

/* struct page members the page scan reads (pagescan.c), the same for
 * every allocator. */
struct ss_page_layout {
	/* compound_head (compound_info in 7.x): bit 0 marks a tail page */
	struct ss_field flags, compound_head;
	/* The order of a compound page, kept in its first tail page: the
	 * offset in page[1] (compound_order, or the folio's _flags_1 low
	 * byte); optional. */
	struct ss_field compound_order;
	int64_t pg_slab_bit, pg_head_bit;
	/* Slab pages as a page type (6.10+): page_type's top byte ==
	 * pgty_slab; present == false where PG_slab says it. */
	struct ss_field page_type;
	int64_t pgty_slab;
};
struct ss_error *ss_page_layout_resolve(struct ss_dbg *dbg,
					struct ss_page_layout *l);

/* kmem_cache.flags of this kernel into slabscope's bits (flags.c). */
struct ss_flag_map {
	bool numbered; /* 6.10+: bits from enum _slab_flag_bits */
	uint64_t from[64]; /* the kernel's bit n -> slabscope's value */
};
struct ss_error *ss_flag_map_resolve(struct ss_dbg *dbg,
				     struct ss_flag_map *map);
uint64_t ss_flag_map_apply(const struct ss_flag_map *map, uint64_t raw);

/* A slab head page as the scan found it. */
struct ss_scanned_slab {
	struct ss_slab s;
	uint64_t cache_ptr; /* its slab_cache, not yet checked */
	uint64_t next; /* singly linked list link (SLUB: CPU partial) */
	uint64_t list_next, list_prev; /* the list_head at m->list_off */
	int order; /* the compound page's own order, -1 if unknown */
};

struct ss_scan {
	struct ss_scanned_slab *v;
	size_t n, cap;
	/* kmem_cache addresses slabs name that are not in the dump (their
	 * slab count): those slabs are the dump's gap, not
	 * slab-cache-invalid. */
	struct ss_addrmap lost;
};

/* How to read one kmem_cache: how many bytes, and the allocator's own
 * fields.  The members every allocator has (list, name, flags in
 * slabscope's bits, size, object_size, align, refcount, ctor) are read
 * into the cache by caches.c before fill is called. */
struct ss_cache_reader {
	size_t len;
	void (*fill)(void *arg, const unsigned char *kc, struct ss_cache *c);
	void *arg;
};

/*
 * What differs between allocators.  The model's load (model.c) is one
 * skeleton for all: init, the caches from slab_caches, the page scan
 * (scan_slab for each slab head page), slabs grouped by cache
 * (check_cache, place_slab), each cache's per-CPU and node state
 * (load_cache), then every slab's objects (analyse).
 */
struct ss_alloc_ops {
	const char *name;
	enum ss_allocator id;
	/* Is this the kernel's allocator?  From the debug info's members,
	 * never its version. */
	bool (*probe)(struct ss_dbg *dbg);
	/* Its build options for `slabscope info` (may be NULL). */
	void (*describe)(struct ss_dbg *dbg, struct ss_info *info);
	/* Resolve the layout into m->priv; set m->list_off and
	 * m->slab_cache_off; say how to read a kmem_cache. */
	struct ss_error *(*init)(struct ss_model *m,
				 struct ss_cache_reader *caches);
	/* The allocator's fields of a slab head page pg into e (the
	 * skeleton has set page, base, order and the list links). */
	void (*scan_slab)(struct ss_model *m, const unsigned char *pg,
			  struct ss_scanned_slab *e);
	/* A cache's own fields checked, once its slabs are known (may be
	 * NULL). */
	struct ss_error *(*check_cache)(struct ss_model *m, uint32_t ci);
	/* A slab of a known cache: its objects and order (s->order holds
	 * the compound page's, UINT8_MAX unknown); impossible counters are
	 * findings. */
	struct ss_error *(*place_slab)(struct ss_model *m, struct ss_slab *s);
	/* The per-CPU sources of free objects and the node lists of one
	 * cache. */
	struct ss_error *(*load_cache)(struct ss_model *m, uint32_t ci);
	/* Classify every slab's objects (ss_model_account_slab()), then
	 * compare what was found with the allocator's own counters. */
	struct ss_error *(*analyse)(struct ss_model *m);
	/* The states (and next free pointers) of slab idx's objects, whose
	 * addresses out already holds (re-read: the model keeps counts,
	 * not objects); must not change the model.  bytes: the slab's slots
	 * when the caller has them (NULL: read them). */
	struct ss_error *(*slab_objects)(const struct ss_model *m, size_t idx,
					 const unsigned char *bytes,
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
	struct ss_page_layout page;
	struct ss_flag_map flag_map;

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
	/* Per slab index: its singly linked list link (SLUB's CPU partial
	 * lists), from the scan. */
	uint64_t *slab_next;
	/* Where struct slab keeps slab_cache, for findings about it. */
	uint64_t slab_cache_off;
	/* A member of struct slab that points into the slab's own memory as
	 * bookkeeping (SLAB's s_mem); has_self_ptr false where none does. */
	bool has_self_ptr;
	uint64_t self_ptr_off;
	/* KFENCE (0: none): its pool's start, and each object page's cache
	 * (struct page address -> cache index). */
	uint64_t kfence_pool;
	struct ss_addrmap kfence_cache;

	/* What the dump lacks. */
	struct ss_dump_gaps gaps;
	/* Names of merged caches (aliases.c), by name. */
	struct ss_cache_alias *aliases;
	size_t naliases;

	struct ss_anomaly *anomalies;
	size_t nanomalies, anomalies_cap;

	/* The allocator's own arrays of object pointers, whole capacity
	 * (ss_model_allocator_arrays). */
	struct ss_addr_range *arrays;
	size_t narrays, arrays_cap;
};

/* Note an array of object pointers the allocator keeps (an array cache's
 * entry[], a sheaf's objects[]), limit entries long.  Only out of memory
 * is an error. */
struct ss_error *ss_model_note_array(struct ss_model *m, uint64_t addr,
				     uint64_t entries);

/*
 * Where an anomaly is, field by field (zero: none).  cache, when given,
 * counts the anomaly against that cache, and its name (once it has one)
 * starts the message ("kmalloc-512: ...").
 */
struct ss_anomaly_at {
	enum ss_finding_id kind;
	const struct ss_cache *cache;
	uint64_t slab; /* struct slab / page */
	uint64_t object; /* allocator address */
	uint64_t address; /* first bad byte / where the bad pointer is */
	uint64_t found; /* the bad value, where there is one */
};

/* Record an anomaly (message formatted).  Returns an error only when out
 * of memory. */
struct ss_error *ss_model_record(struct ss_model *m,
				 const struct ss_anomaly_at *at,
				 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A read of memory the kernel's structures point to failed with err: that
 * is an unreadable anomaly ("FMT: <err's message>", at err's address when
 * at gives none), not the end of the load.  Consumes err; returns an
 * error only when out of memory (err itself, when it was).  m NULL:
 * nothing is recorded (a query re-reading a slab).
 */
struct ss_error *
ss_model_record_unreadable(struct ss_model *m, struct ss_error *err,
			   struct ss_anomaly_at at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- shared by the allocator models ---- */

/* Fill m->caches from slab_caches and map kmem_cache addresses to cache
 * indices in by_addr. */
struct ss_error *ss_model_load_caches(struct ss_model *m,
				     const struct ss_cache_reader *r,
				     struct ss_addrmap *by_addr);
/* When slab_caches could not be walked to its end: the caches that the
 * scanned slabs name and that walk did not reach, read directly (a
 * plausible kmem_cache becomes a cache, .recovered); one not in the dump
 * goes to sc->lost. */
struct ss_error *ss_model_recover_caches(struct ss_model *m,
					 const struct ss_cache_reader *r,
					 struct ss_scan *sc,
					 struct ss_addrmap *by_addr);
/* After the analysis: each cache the dump lacks part of is a
 * dump-incomplete finding, and m->gaps gets the totals (gaps.c). */
struct ss_error *ss_model_sum_gaps(struct ss_model *m);
/* The aliases of merged caches (aliases.c). */
struct ss_error *ss_model_read_aliases(struct ss_model *m);
/* Label the kmem_buckets copies of the kmalloc caches (bucket_of;
 * buckets.c); by_addr maps kmem_cache addresses to cache indices. */
struct ss_error *ss_model_label_buckets(struct ss_model *m,
					const struct ss_addrmap *by_addr);
/* A kernel string (a cache name) of at most 127 bytes; *ret malloc'd. */
struct ss_error *ss_model_read_name(struct ss_model *m, uint64_t addr,
				    char **ret);

/* The page scan: every slab head page, into sc (pagescan.c). */
struct ss_error *ss_model_scan_slabs(struct ss_model *m, struct ss_scan *sc);

/*
 * The scanned slabs into m->slabs, grouped by cache (cache i owns
 * [first_slab, first_slab + nslabs)), slabs of no known cache last and
 * recorded as slab-cache-invalid; then ops->check_cache and
 * ops->place_slab (slab_table.c).
 */
struct ss_error *ss_model_group_slabs(struct ss_model *m, struct ss_scan *sc,
				      const struct ss_addrmap *by_addr);

/* What one slab's objects are, as an allocator's classification counts
 * them. */
struct ss_slab_counts {
	uint32_t nfree, ncpu_free, nsheaf, nunknown, nallocated;
	bool broken; /* a walk of its free objects broke off */
	bool unreadable; /* its memory is not (all) in the dump */
};

/* Add slab s's counts to it and to its cache. */
void ss_model_account_slab(struct ss_model *m, struct ss_slab *s,
			   const struct ss_slab_counts *cnt);

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

/* ---- the lists that hold slabs (slab_lists.c) ---- */

enum ss_claim {
	SS_CLAIM_OK, /* the slab is now on the list */
	SS_CLAIM_ORPHAN, /* its slab_cache is garbage: taken for this
			    cache's, the walk goes on through it */
	SS_CLAIM_REJECTED, /* not one of this cache's slabs (a finding):
			      its links must not be followed */
};

/*
 * The slab at slab_addr was found on list (where: "node 0 partial list",
 * for messages) of cache ci.  Marks the
 * slab, or records why it cannot be on that list; *idx_ret is its index
 * (SS_NO_CACHE when it is no slab), *err an out-of-memory error.
 */
enum ss_claim ss_model_claim_slab(struct ss_model *m, uint32_t ci,
				  uint64_t slab_addr, enum ss_slab_list list,
				  int cpu, const char *where, uint32_t *idx_ret,
				  struct ss_error **err);

/* A node's list_head list of slabs (linked at m->list_off). */
struct ss_slab_list_walk {
	uint32_t ci;
	uint64_t head;
	enum ss_slab_list list;
	const char *where;
	/* Called for each slab claimed (NULL: none). */
	struct ss_error *(*on_slab)(void *arg, uint32_t idx,
				    enum ss_claim claim);
	void *arg;
};

/* Walk it, claiming each slab; a corrupt link is a list-corrupt finding.
 * *count: entries visited; *broken: the walk stopped early. */
struct ss_error *ss_model_walk_slab_list(struct ss_model *m,
					 const struct ss_slab_list_walk *w,
					 size_t *count, bool *broken);

/* The slab whose pages hold addr, or NULL. */
const struct ss_slab *ss_model_slab_at(const struct ss_model *m, uint64_t addr);
/* The index of the object of cache ci at addr (an allocator address) in
 * its slab (*slab_ret: the slab holding addr, NULL if none), or -1 when
 * addr is not one of that cache's objects. */
int64_t ss_model_object_index(const struct ss_model *m, uint32_t ci,
			      uint64_t addr, const struct ss_slab **slab_ret);

/* Index of the slab whose struct page is at page, or SS_NO_CACHE. */
uint32_t ss_model_slab_index(const struct ss_model *m, uint64_t page);

/* Bytes the read-ahead workers may read ahead of the analysis (the peak
 * memory they add). */
#define SS_READAHEAD_WINDOW (16u << 20)

/* The read-ahead threads of m (opts.jobs, its default resolved). */
static inline unsigned int ss_model_jobs(const struct ss_model *m)
{
	return m->opts.jobs;
}

#endif
