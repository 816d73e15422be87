/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The slab model: every cache, every slab and the state of every object of
 * a dump, built in one pass over the struct page array.
 *
 * The allocator (SLUB, SLAB) sits behind one ops interface; this header is
 * what every command sees.  A corrupt kernel structure never makes loading
 * fail: it ends that one walk, is recorded as an anomaly (the raw material
 * of `slabscope check`) and the rest of the dump is still analysed.
 */
#ifndef SLABSCOPE_SLAB_H
#define SLABSCOPE_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>
#include <slabscope/finding.h>
#include <slabscope/info.h>
#include <slabscope/slab_flags.h>
#include <slabscope/target.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where an object stands.  UNKNOWN is only used where corruption prevents a
 * decision: it is counted and shown, never guessed. */
enum ss_obj_state {
	SS_OBJ_ALLOCATED,
	SS_OBJ_FREE, /* on the slab's own freelist */
	SS_OBJ_CPU_FREE, /* on a CPU's lockless freelist (SLUB) or array
			    cache (SLAB) */
	SS_OBJ_UNKNOWN,
	SS_OBJ_SHEAF, /* in a CPU's or a node's sheaf (SLUB, 7.x): free to
			 users, though its slab counts it in use */
};
const char *ss_obj_state_name(enum ss_obj_state s);
/* Free to its users: on a freelist, in an array cache or a sheaf. */
bool ss_obj_state_is_free(enum ss_obj_state s);

/* Which list holds a slab. */
enum ss_slab_list {
	SS_LIST_NONE, /* on no list: a full slab SLUB does not track */
	SS_LIST_CPU, /* a CPU's current slab */
	SS_LIST_CPU_PARTIAL, /* a CPU's partial list */
	SS_LIST_PARTIAL, /* a node's partial list */
	SS_LIST_FULL, /* a node's full list (SLUB debug, SLAB) */
	SS_LIST_FREE, /* a node's free list (SLAB) */
	SS_LIST_KFENCE, /* a KFENCE object page: one guarded object
			   that no list or counter of its cache holds */
};
const char *ss_slab_list_name(enum ss_slab_list l);

/* How SLUB stores free pointers inside free objects. */
enum ss_fp_encoding {
	SS_FP_PLAIN,        /* the pointer itself */
	SS_FP_XOR,          /* ptr ^ s->random ^ ptr_addr (4.14-5.6) */
	SS_FP_XOR_SWAB,     /* ptr ^ s->random ^ swab(ptr_addr) (5.7+) */
	SS_FP_UNDECIDED,    /* no free object to decide from */
};
const char *ss_fp_encoding_name(enum ss_fp_encoding e);

/* The allocator's ops (src/lib/slab/model_priv.h): a cache reaches its
 * allocator's facts (slot layout, byte patterns, tracks) through them,
 * without the model.  Never NULL in a loaded model. */
struct ss_alloc_ops;

struct ss_cache {
	const struct ss_alloc_ops *ops;
	uint64_t addr; /* struct kmem_cache */
	char *name;    /* "?" if unreadable */
	uint64_t flags;
	uint32_t size;        /* slot size, metadata included */
	uint32_t object_size; /* payload */
	uint32_t offset;      /* free pointer offset in the object */
	uint32_t inuse;       /* end of payload + free pointer */
	uint32_t align;
	uint32_t red_left_pad;
	uint32_t order;            /* preferred slab order (oo) */
	uint32_t objects_per_slab; /* at that order (oo) */
	uint64_t min_partial;
	uint32_t cpu_partial;
	int32_t refcount; /* > 1: other caches were merged into this one */
	uint32_t sheaf_capacity; /* objects per sheaf (SLUB, 7.x), else 0 */
	uint64_t ctor;
	uint32_t track_size; /* sizeof(struct track), 0 without SLUB_DEBUG */
	bool has_random;
	uint64_t random;
	enum ss_fp_encoding fp_encoding;
	/* True when the cache had no intact chain to decide from and took
	 * the encoding most caches of the kernel use. */
	bool fp_encoding_inferred;

	/* What the walk found. */
	uint64_t nslabs;
	uint64_t total_objects;
	uint64_t allocated;
	uint64_t free;     /* on slab freelists */
	uint64_t cpu_free; /* on CPU freelists / array caches */
	uint64_t sheaf; /* in sheaves (SLUB, 7.x) */
	uint64_t unknown;
	uint64_t memory_bytes; /* pages held by its slabs */
	uint32_t problems;     /* anomalies recorded against the cache */
	/* What the dump lacks of it: slabs whose memory is not in the dump
	 * (their objects count as unknown), and slabs its nodes count that
	 * the page scan could not see (struct pages missing from the
	 * dump).  recovered: not reached on slab_caches (the walk broke off
	 * at a gap of the dump), found through its slabs. */
	uint64_t unreadable_slabs;
	uint64_t unreadable_unknown; /* their objects counted unknown */
	uint64_t missing_slabs;
	bool recovered;
	/* A kmem_buckets copy (6.11+, e.g. memdup_user-64): index of the
	 * kmalloc cache it copies; SS_NO_CACHE for every other cache. */
	uint32_t bucket_of;

	/* The allocator's own counters (SLUB_DEBUG node counts), summed
	 * over nodes; has_node_counts is false where the kernel keeps none. */
	bool has_node_counts;
	uint64_t node_nr_slabs;
	uint64_t node_total_objects;
	uint64_t node_nr_partial;

	/* Index range of this cache's slabs in ss_model_slabs(). */
	size_t first_slab;
};

struct ss_slab {
	uint64_t page; /* struct page (== struct slab) address */
	uint64_t base; /* virtual address of the first slot */
	uint64_t freelist;
	uint32_t cache; /* index of its cache, or SS_NO_CACHE */
	uint16_t inuse;
	uint16_t objects;
	uint8_t order;
	uint8_t list; /* enum ss_slab_list */
	bool frozen;
	/* objects/inuse were impossible (a finding): objects is what the
	 * slab's pages hold, inuse is not to be trusted */
	bool counters_bad;
	int16_t cpu; /* owning CPU for SS_LIST_CPU / CPU_PARTIAL, else -1 */
	uint32_t nfree, ncpu_free, nsheaf, nunknown;
};
#define SS_NO_CACHE UINT32_MAX

/* One object slot of a slab, as ss_model_slab_objects() returns it. */
struct ss_object {
	uint64_t addr; /* what the allocator hands out (after a left red zone) */
	uint8_t state; /* enum ss_obj_state */
	/* For free objects: the decoded next free pointer (0 at the end). */
	uint64_t next;
};

/* Anomalies: corrupt kernel state met while building the model. */
struct ss_anomaly {
	enum ss_finding_id kind;
	uint32_t cache; /* SS_NO_CACHE if none */
	uint64_t slab;  /* struct slab / page, 0 if none */
	uint64_t object;
	uint64_t address; /* first bad byte / bad pointer location */
	uint64_t found;   /* the bad value, where there is one */
	char *message;
};

struct ss_model;

struct ss_model_options {
	/* Called now and then while loading (NULL: none); done/total are
	 * struct pages scanned. */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
	/* Threads that read the dump ahead of the analysis (the struct page
	 * array, the slab pages): 0 for ss_jobs_default(), 1 for none.  The
	 * model is the same whatever the number. */
	unsigned int jobs;
};

/* Build the model of every cache.  Errors are only for what makes the
 * whole analysis impossible (a required type member missing, the page
 * array unreadable); corruption becomes anomalies. */
struct ss_error *ss_model_load(const struct ss_target *t,
			       const struct ss_model_options *opts,
			       struct ss_model **ret);
void ss_model_destroy(struct ss_model *m);

enum ss_allocator ss_model_allocator(const struct ss_model *m);
const struct ss_target *ss_model_target(const struct ss_model *m);
const struct ss_mm_facts *ss_model_mm(const struct ss_model *m);
/* Bytes a slab spans: page size << order. */
uint64_t ss_slab_bytes(const struct ss_model *m, const struct ss_slab *s);
size_t ss_model_ncaches(const struct ss_model *m);
const struct ss_cache *ss_model_cache(const struct ss_model *m, size_t i);
/* Index of the cache named name (or that a cache of that name was merged
 * into: an alias), or SS_NO_CACHE. */
uint32_t ss_model_find_cache(const struct ss_model *m, const char *name);
/* Set sel[i] (ss_model_ncaches() entries) for every cache that pattern
 * names: a name or alias, else an fnmatch(3) glob over names and
 * aliases.  Returns how many caches it names (an exact name: 1), whether
 * or not sel had them already. */
size_t ss_model_match_caches(const struct ss_model *m, const char *pattern,
			     bool *sel);
/* The one cache pattern names: SS_ERR_NOTFOUND when none, SS_ERR_INVALID
 * naming the first few when several; messages begin with "what: ". */
struct ss_error *ss_model_one_cache(const struct ss_model *m, const char *what,
				    const char *pattern, uint32_t *ret);

/* All slabs, grouped by cache (cache i owns [first_slab, first_slab +
 * nslabs)), then slabs of no known cache at the end. */
const struct ss_slab *ss_model_slabs(const struct ss_model *m, size_t *n);

/* What a filtered or partial dump lacks, for the whole model: all zero
 * when nothing is missing. */
struct ss_dump_gaps {
	bool cache_list_incomplete; /* slab_caches broke off */
	size_t caches_recovered; /* found through their slabs instead */
	size_t caches_lost; /* kmem_caches slabs name that are not in the dump */
	uint64_t lost_cache_slabs; /* the slabs of those: not counted */
	/* Page frames whose struct page the dump lacks (not holes in the
	 * memory map: pages excluded from the dump). */
	uint64_t struct_pages_missing;
	size_t caches_incomplete; /* caches with unreadable or missing slabs */
	uint64_t unreadable_slabs, missing_slabs;
	uint64_t unknown_objects; /* in unreadable slabs */
};
const struct ss_dump_gaps *ss_model_dump_gaps(const struct ss_model *m);
/* Is anything missing? */
bool ss_dump_gaps_any(const struct ss_dump_gaps *g);

/* Another name of a cache: SLUB merged a cache of that name into it
 * (the sysfs symlinks of merged caches). */
struct ss_cache_alias {
	char *name;
	uint32_t cache;
};
/* Every alias, by name. */
size_t ss_model_aliases(const struct ss_model *m,
			const struct ss_cache_alias **ret);

/* The cache a KFENCE object page (list SS_LIST_KFENCE) serves, or
 * SS_NO_CACHE. */
uint32_t ss_model_kfence_cache(const struct ss_model *m,
			       const struct ss_slab *s);

/* NUMA nodes of slabs (crash's NODE column): the node whose page frame
 * range holds the slab; -1 for none.  Read on demand. */
struct ss_node_map;
struct ss_error *ss_node_map_read(const struct ss_model *m,
				  struct ss_node_map **ret);
void ss_node_map_destroy(struct ss_node_map *map);
int ss_node_map_slab_node(const struct ss_node_map *map,
			  const struct ss_model *m, const struct ss_slab *s);

/*
 * Where the allocator keeps arrays of pointers to free objects: SLAB's
 * array caches (entry[], up to limit), SLUB's sheaves (objects[], up to
 * the cache's sheaf capacity; 7.x).  Past their count those arrays still
 * hold the pointers of objects handed out since: stale, not references
 * (leaks --unreferenced skips them).  In the order they were met.
 */
struct ss_addr_range {
	uint64_t start, len;
};
const struct ss_addr_range *ss_model_allocator_arrays(const struct ss_model *m,
						      size_t *n);

/* A member of the allocator's struct slab that points into the slab's own
 * memory as bookkeeping, not as a reference to an object: SLAB's s_mem,
 * the first slot (at slab->page + *off).  False for SLUB, whose struct
 * slab points only at free objects. */
bool ss_model_slab_self_pointer(const struct ss_model *m, uint64_t *off);

size_t ss_model_nanomalies(const struct ss_model *m);
const struct ss_anomaly *ss_model_anomaly(const struct ss_model *m, size_t i);

/*
 * The objects of one slab with their states; out must hold slab->objects
 * entries.  Reads the slab again (the model keeps counts, not objects);
 * the model is not changed, so it may be queried from several places.
 */
struct ss_error *ss_model_slab_objects(const struct ss_model *m,
				       const struct ss_slab *slab,
				       struct ss_object *out);

/* The same from the slab's slots as the caller read them: bytes holds
 * [slab->base, slab->base + objects * slot size) (NULL: read them). */
struct ss_error *ss_model_slab_objects_from(const struct ss_model *m,
					    const struct ss_slab *slab,
					    const void *bytes,
					    struct ss_object *out);

/* Call fn for every object of cache ci, slab by slab in the order of
 * ss_model_slabs(), objects in address order; fn returning non-NULL stops
 * the walk and that error is returned. */
struct ss_error *ss_model_for_each_object(
	const struct ss_model *m, uint32_t ci,
	struct ss_error *(*fn)(void *arg, const struct ss_slab *s,
			       const struct ss_object *o),
	void *arg);

/* What an address is: which cache, slab, object and region. */
enum ss_region {
	SS_REGION_NONE,       /* not in a slab */
	SS_REGION_LEFT_REDZONE,
	SS_REGION_PAYLOAD,
	SS_REGION_RIGHT_REDZONE,
	SS_REGION_FREEPTR,
	SS_REGION_TRACK,
	SS_REGION_PADDING,    /* padding inside the slot */
	SS_REGION_SLAB_TAIL,  /* after the last slot */
};
const char *ss_region_name(enum ss_region r);

struct ss_whatis {
	bool in_slab;
	/* A KFENCE object page (slab->list == SS_LIST_KFENCE): cache is the
	 * cache its object came from; object, slot and offset stay 0. */
	bool kfence;
	uint32_t cache;      /* SS_NO_CACHE if the slab's cache is unknown */
	const struct ss_slab *slab;
	uint64_t slot;       /* start of the slot */
	uint64_t object;     /* allocator address */
	int64_t offset;      /* addr - object (negative in the left red zone) */
	enum ss_obj_state state;
	enum ss_region region;
};

struct ss_error *ss_model_whatis(const struct ss_model *m, uint64_t addr,
				 struct ss_whatis *ret);

/*
 * The object slot, as the cache's allocator lays it out (mm/slub.c
 * calculate_sizes(), or mm/slab.c's debug layout: red zone words around
 * the object, the last user's address at the slot's end).  Commands ask
 * these, never which allocator a cache belongs to.
 */

/* Region of a byte at offset off from the object address, by the layout
 * alone. */
enum ss_region ss_cache_region(const struct ss_cache *c, int64_t off);
/* The same in an object in state st: SLUB keeps a free object's next
 * pointer inside the payload when no debug flag moved it out, so those
 * bytes are the free pointer while the object is free. */
enum ss_region ss_cache_object_region(const struct ss_cache *c, int64_t off,
				      enum ss_obj_state st);

/* Does a free object of c store a next free pointer (struct ss_object.next
 * is decoded)?  SLUB's do; SLAB keeps its freelist apart, as indices. */
bool ss_cache_objects_have_next(const struct ss_cache *c);

/* How an object keeps its SLAB_STORE_USER record. */
enum ss_track_form {
	SS_TRACK_FORM_NONE,    /* no record: no SLAB_STORE_USER */
	SS_TRACK_FORM_STRUCTS, /* SLUB: a struct track of the allocation,
				  then one of the free */
	SS_TRACK_FORM_LAST_CALLER, /* SLAB: one word, the last caller: of
				      the allocation while allocated, of the
				      free while free */
};

struct ss_track_place {
	enum ss_track_form form;
	int64_t off; /* from the object address */
};

/* Where the tracks of c's objects are. */
struct ss_track_place ss_cache_track_place(const struct ss_cache *c);

/* Names of the SLAB_* flags set in flags, for reports: calls fn for each. */
void ss_cache_flag_names(uint64_t flags, void (*fn)(void *arg,
						    const char *name),
			 void *arg);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_SLAB_H */
