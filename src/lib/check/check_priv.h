/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside `slabscope check`: the state one run shares between its parts. */
#ifndef SS_CHECK_PRIV_H
#define SS_CHECK_PRIV_H

#include <slabscope/check.h>
#include <slabscope/symbolize.h>
#include <slabscope/track.h>

#include "../slab/slub_layout.h"

/* Per-cache layout facts that are not in DWARF, decided from the data the
 * first time a slab of the cache is checked. */
struct cache_probe {
	bool probed;
	bool orig_size;       /* a u32 kmalloc request size after the tracks */
	bool kmalloc_redzone; /* [orig_size, object_size) filled with 0xcc */
};

struct checker {
	struct ss_model *m;
	const struct ss_target *t;
	struct ss_check_result *r;
	size_t cap;
	struct ss_symbolizer *sym;
	struct ss_track_reader *tracks;
	unsigned char *buf;
	size_t bufcap;
	struct ss_object *objs;
	size_t objcap;
	/* The slab whose object states objs holds (NULL: none), so that
	 * culprit_find() need not classify the slab again for each finding:
	 * per finding, that was quadratic in a slab's objects (a corrupt
	 * 10000-object slab took minutes; found by tests/fuzz/fuzz_slab.c). */
	const struct ss_slab *objs_slab;
	struct cache_probe *probes; /* per cache */
};

/* Append a finding (message formatted); returns it, or NULL when out of
 * memory. */
struct ss_finding *checker_add(struct checker *c, enum ss_finding_id kind,
			       uint32_t cache, uint64_t slab, uint64_t object,
			       uint64_t address, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

enum culprit_mode {
	CULPRIT_NONE,
	CULPRIT_SELF,      /* the object overflowed its own payload */
	CULPRIT_PREVIOUS,  /* the allocated object before the damage */
	CULPRIT_USE_AFTER_FREE, /* the free object itself was written */
};

/* Fill f->culprit for damage at address in slab s of cache ci. */
struct ss_error *culprit_find(struct checker *c, struct ss_finding *f,
			      uint32_t ci, const struct ss_slab *s,
			      uint64_t object, enum culprit_mode mode);
void culprit_deinit(struct ss_culprit *cu);

struct pattern {
	uint8_t fill;
	int alt;  /* another acceptable fill (unknown state), or -1 */
	int last; /* a different last byte (POISON_END), or -1 */
};

/*
 * Check bytes [start, start+len) (a copy in bytes) against p; on a
 * mismatch add one finding (id, "what" of object) for the whole bad run,
 * with a culprit hint by mode.
 */
struct ss_error *check_run(struct checker *c, uint32_t ci,
			   const struct ss_slab *s, uint64_t object,
			   uint64_t start, const uint8_t *bytes, size_t len,
			   const struct pattern *p, enum ss_finding_id kind,
			   const char *what, enum culprit_mode mode);

/* The same for SLAB caches (mm/slab.c's debug layout). */
struct ss_error *check_slab_bytes_slab(struct checker *c, uint32_t ci,
				       const struct ss_slab *s);

/* Byte checks (red zones, poison, padding) of one slab. */
struct ss_error *check_slab_bytes(struct checker *c, uint32_t ci,
				  const struct ss_slab *s);

#endif
