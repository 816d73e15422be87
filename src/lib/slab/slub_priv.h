/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside the SLUB model: state shared by its loader (slub.c) and its
 * object classification (slub_objects.c). */
#ifndef SS_SLUB_PRIV_H
#define SS_SLUB_PRIV_H

#include "model_priv.h"
#include "slub_layout.h"

/* Bounds on what a sane kernel has; beyond them data is garbage. */
#define MAX_CPU_PARTIAL 100000
/* Slabs and steps sampled to decide a cache's free pointer encoding. */
#define ENC_SAMPLE_SLABS 16
#define ENC_SAMPLE_STEPS 64

enum { ST_UNSET = 0xff };

/* Scratch for classifying one slab's objects: the load keeps one; a query
 * of a loaded (const) model brings its own. */
struct slub_work {
	/* The bytes of the slab being analysed. */
	const unsigned char *cur;
	unsigned char *buf;
	size_t bufcap;
	uint8_t *state;
	size_t statecap;
	/* Scratch for the redirect check: decoded next pointers, per
	 * object, of the walks and of the objects no walk reached. */
	uint64_t *next_tmp;
	/* Where this slab's walk broke: the object whose stored pointer is
	 * invalid (-1: none), and the anomaly recorded for it (-1: none). */
	int64_t broken_at;
	int64_t invalid_anom;
	uint64_t *cand;
	uint8_t *pointed;
	size_t tmpcap;
};
void slub_work_deinit(struct slub_work *w);

struct slub_priv {
	struct slub_layout l;
	uint64_t track_size; /* sizeof(struct track), 0 without SLUB_DEBUG */
	/* The caches' debug flags take effect (see debug_in_effect()). */
	bool debug_active;
	/* Per slab index: the head of a CPU's lockless freelist when the
	 * slab is that CPU's current slab, else 0. */
	uint64_t *cpu_freelist;
	/* Per slab index: where that head is stored (the CPU's
	 * kmem_cache_cpu.freelist), for findings about it. */
	uint64_t *cpu_freelist_at;
	/* Objects in sheaves (7.x): object address -> cache index. */
	struct ss_addrmap in_sheaf;
	/* The load's scratch (queries bring their own). */
	struct slub_work work;
};

static inline struct slub_priv *priv(struct ss_model *m) { return m->priv; }
static inline const struct slub_priv *cpriv(const struct ss_model *m)
{
	return m->priv;
}

bool slub_layout_sane(const struct ss_cache *c);

/* Cache c's per-node pointers (which: pn_node, the kmem_cache_node, or
 * pn_barn) for nodes [0, *n_ret); *ret malloc'd. */
struct ss_error *slub_node_ptrs(struct ss_model *m, const struct ss_cache *c,
				const struct ss_field *which, uint64_t **ret,
				uint32_t *n_ret);
struct ss_error *slub_ensure_buf(struct slub_work *w, size_t len);

/* The objects in cache ci's per-CPU and per-node sheaves (7.x) into
 * in_sheaf, with their checks (slub_sheaves.c). */
struct ss_error *slub_load_sheaves(struct ss_model *m, uint32_t ci);
/* The objects of slab idx that are in sheaves (not yet classified) into
 * w->state as SS_OBJ_SHEAF; rec: record one also on a freelist. */
struct ss_error *slub_sheaf_objects(const struct ss_model *m,
				    struct slub_work *w, struct ss_model *rec,
				    size_t idx, struct ss_slab_counts *cnt);

/* Decide how a cache's free pointers are encoded, by scoring its chains;
 * then give caches that had nothing to score the kernel's majority. */
void slub_decide_encoding(struct ss_model *m, uint32_t ci);
void slub_infer_encodings(struct ss_model *m);

/* Classify slab idx's objects into w->state (bytes: its memory if the
 * caller read it, else NULL); rec: the model to record anomalies in (the
 * load), NULL on re-reads. */
struct ss_error *slub_analyse_slab(const struct ss_model *m,
				   struct slub_work *w, struct ss_model *rec,
				   size_t idx, const unsigned char *bytes,
				   uint64_t *next_out,
				   struct ss_slab_counts *cnt);
/* Classify every slab and add up the caches' counts. */
struct ss_error *slub_analyse_all(struct ss_model *m);

#endif
