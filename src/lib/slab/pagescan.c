/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one pass over the struct page array that finds every slab, full
 * slabs that no list holds included: pages with PG_slab that are not the
 * tail of a compound page.  Read in large chunks; holes in the vmemmap
 * (absent memory sections) are skipped page by page.  The struct page
 * members it reads are the same for every allocator: resolved here, once;
 * what a slab head page says about its slab is the allocator's
 * (ops->scan_slab).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model_priv.h"

/* Struct pages read per request. */
#define SCAN_CHUNK_BYTES (256 * 1024)

/* The order of the compound page whose head is at pfn: page[1] holds it,
 * from the scan buffer when there (next), else read. */
static int compound_order(struct ss_model *m, const struct ss_page_layout *ps,
			  uint64_t pfn, uint64_t flags,
			  const unsigned char *next)
{
	if (!((flags >> ps->pg_head_bit) & 1))
		return 0;
	if (!ps->compound_order.present)
		return -1;
	uint8_t order;
	if (next) {
		order = next[ps->compound_order.off];
	} else {
		struct ss_error *err = ss_mem_read(
			m->mem,
			m->mm.vmemmap + (pfn + 1) * m->mm.struct_page_size +
				ps->compound_order.off,
			&order, 1);
		if (err) {
			ss_error_destroy(err);
			return -1;
		}
	}
	return order <= MAX_SLAB_ORDER ? order : -1;
}

static struct ss_error *slab_page(struct ss_model *m, struct ss_scan *sc,
				  uint64_t pfn, const unsigned char *pg,
				  int order);

static struct ss_error *one_page(struct ss_model *m, struct ss_scan *sc,
				 const struct ss_page_layout *ps, uint64_t pfn,
				 const unsigned char *pg,
				 const unsigned char *next)
{
	uint64_t flags = ss_field_get(&ps->flags, pg);
	bool slab = ps->page_type.present ? (ss_field_get(&ps->page_type, pg) >>
					     24) == (uint64_t)ps->pgty_slab
					  : (flags >> ps->pg_slab_bit) & 1;
	if (!slab)
		return NULL;
	/*
	 * Tail pages of a compound page point to their head with bit 0.
	 * Where slabs are a page type, only the head page carries it, and
	 * struct slab keeps slab_cache in that word (6.10+): a garbage
	 * slab_cache with bit 0 set must not hide its slab (found on the
	 * trixie corrupt fixture).
	 */
	if (!ps->page_type.present &&
	    (ss_field_get(&ps->compound_head, pg) & 1))
		return NULL;
	return slab_page(m, sc, pfn, pg,
			 compound_order(m, ps, pfn, flags, next));
}

/* The struct pages of [pfn, pfn + n), read (bytes) or not (read_err, which
 * this takes): a chunk that failed is read again page by page (holes in
 * the vmemmap are normal), into buf. */
static struct ss_error *scan_chunk(struct ss_model *m, struct ss_scan *sc,
				   const struct ss_page_layout *ps,
				   uint64_t pfn, uint64_t n,
				   const unsigned char *bytes,
				   struct ss_error *read_err,
				   unsigned char *buf)
{
	uint64_t sps = m->mm.struct_page_size;
	struct ss_error *err = read_err;
	if (!err) {
		for (uint64_t i = 0; i < n; i++) {
			err = one_page(m, sc, ps, pfn + i, bytes + i * sps,
				       i + 1 < n ? bytes + (i + 1) * sps
						 : NULL);
			if (err)
				return err;
		}
		return NULL;
	}
	if (err->code == SS_ERR_NOMEM)
		return err;
	ss_error_destroy(err);
	/* Retry in page-sized pieces of the vmemmap. */
	uint64_t per = m->mm.page_size / sps;
	if (per == 0)
		per = 1;
	for (uint64_t i = 0; i < n; i += per) {
		uint64_t k = n - i < per ? n - i : per;
		err = ss_mem_read(m->mem, m->mm.vmemmap + (pfn + i) * sps, buf,
				  k * sps);
		if (err) {
			if (err->code == SS_ERR_NOMEM)
				return err;
			/* A hole in the memory map is no page; a struct page
			 * the dump filtered out may be a slab's. */
			if (err->code == SS_ERR_EXCLUDED)
				m->gaps.struct_pages_missing += k;
			ss_error_destroy(err);
			continue;
		}
		for (uint64_t j = 0; j < k; j++) {
			err = one_page(m, sc, ps, pfn + i + j, buf + j * sps,
				       j + 1 < k ? buf + (j + 1) * sps : NULL);
			if (err)
				return err;
		}
	}
	return NULL;
}

/* The folio's _flags_1 (page[1].flags): its low byte is the order. */
static struct ss_error *folio_order_field(struct ss_dbg *dbg,
					  struct ss_field *f)
{
	struct ss_field flags1;
	uint64_t page_size = 0;
	struct ss_error *err =
		ss_field_resolve(dbg, "folio", "_flags_1", false, &flags1);
	if (!err && flags1.present)
		err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "page", &page_size);
	if (err || !flags1.present || flags1.off < page_size ||
	    flags1.off - page_size >= page_size)
		return err;
	f->present = true;
	f->off = (uint32_t)(flags1.off - page_size);
	f->size = 1;
	return NULL;
}

/* PG_slab, or the slab page type. */
static struct ss_error *slab_marker(struct ss_dbg *dbg,
				    struct ss_page_layout *l)
{
	/* Both are in the allocator's own units (page-flags.h): probed
	 * there first, so that the one a kernel lacks costs no scan of
	 * every unit (0.3 s on 6.12). */
	bool pg = false, pgty = false;
	struct ss_error *err =
		ss_dbg_enumerator_near(dbg, "PG_slab", &l->pg_slab_bit, &pg);
	if (!err && !pg)
		err = ss_dbg_enumerator_near(dbg, "PGTY_slab", &l->pgty_slab,
					     &pgty);
	if (!err && !pg && !pgty) {
		/* Not in those units: the complete lookup. */
		err = ss_dbg_enumerator(dbg, "PG_slab", &l->pg_slab_bit);
		pg = !err;
		if (err && err->code == SS_ERR_NOTFOUND) {
			ss_error_destroy(err);
			err = NULL;
		}
	}
	if (err || pg)
		return err;
	err = ss_field_resolve(dbg, "page", "page_type", false, &l->page_type);
	if (!err && l->page_type.present && !pgty)
		err = ss_dbg_enumerator(dbg, "PGTY_slab", &l->pgty_slab);
	if (!err && !l->page_type.present)
		err = ss_error_create(SS_ERR_MISSING,
				      "%s: neither enumerator PG_slab nor "
				      "page.page_type with PGTY_slab: not a "
				      "kernel this version of slabscope knows",
				      ss_dbg_path(dbg));
	if (err && err->code == SS_ERR_NOTFOUND) {
		ss_error_destroy(err);
		err = ss_error_create(SS_ERR_MISSING,
				      "%s: page.page_type without enumerator "
				      "PGTY_slab: not a kernel this version "
				      "of slabscope knows",
				      ss_dbg_path(dbg));
	}
	return err;
}

/* A slab head page: what every allocator's struct slab says the same
 * way, then the allocator's own fields. */
static struct ss_error *slab_page(struct ss_model *m, struct ss_scan *sc,
				  uint64_t pfn, const unsigned char *pg,
				  int order)
{
	if (sc->n == sc->cap) {
		size_t ncap = sc->cap ? sc->cap * 2 : 4096;
		struct ss_scanned_slab *v =
			ss_hugemem_realloc(sc->v, ncap * sizeof(*v));
		if (!v)
			return &ss_error_nomem;
		sc->v = v;
		sc->cap = ncap;
	}
	struct ss_scanned_slab *e = &sc->v[sc->n++];
	memset(e, 0, sizeof(*e));
	e->s.page = m->mm.vmemmap + pfn * m->mm.struct_page_size;
	e->s.base = m->mm.page_offset + (pfn << m->mm.page_shift);
	e->s.cpu = -1;
	e->s.list = SS_LIST_NONE;
	e->s.cache = SS_NO_CACHE;
	e->order = order;
	memcpy(&e->list_next, pg + m->list_off, 8);
	memcpy(&e->list_prev, pg + m->list_off + 8, 8);
	m->ops->scan_slab(m, pg, e);
	return NULL;
}

/*
 * Which pages are slabs: PG_slab in page->flags, or, once slab pages
 * became a page type (6.10+), the top byte of page->page_type equal to
 * PGTY_slab.  The compound order: page[1].compound_order, or the low byte
 * of the folio's _flags_1 (page[1].flags) where that field is gone.
 * Probed from the debug info; a kernel with neither is named in the error.
 */
struct ss_error *ss_page_layout_resolve(struct ss_dbg *dbg,
					struct ss_page_layout *l)
{
	memset(l, 0, sizeof(*l));
	struct ss_error *err =
		ss_field_resolve(dbg, "page", "flags", true, &l->flags);
	if (!err)
		err = ss_field_resolve(dbg, "page",
				       "compound_head|compound_info", true,
				       &l->compound_head);
	if (!err)
		err = ss_field_resolve(dbg, "page", "compound_order", false,
				       &l->compound_order);
	if (!err && !l->compound_order.present)
		err = folio_order_field(dbg, &l->compound_order);
	if (!err)
		err = ss_dbg_enumerator(dbg, "PG_head", &l->pg_head_bit);
	if (!err)
		err = slab_marker(dbg, l);
	if (err)
		return err; /* the debug info's errors name the file */
	if ((!l->page_type.present &&
	     (l->pg_slab_bit < 0 || l->pg_slab_bit > 63)) ||
	    l->pg_head_bit < 0 || l->pg_head_bit > 63)
		return ss_error_create(SS_ERR_CORRUPT,
				       "%s: page flag bits out of range",
				       ss_dbg_path(dbg));
	return NULL;
}

struct ss_error *ss_model_scan_slabs(struct ss_model *m, struct ss_scan *sc)
{
	const struct ss_page_layout *ps = &m->page;
	uint64_t sps = m->mm.struct_page_size;
	if (sps == 0 || sps > 4096)
		return ss_error_create(SS_ERR_CORRUPT,
				       "sizeof(struct page) is %" PRIu64, sps);
	uint64_t per_chunk = SCAN_CHUNK_BYTES / sps;
	unsigned char *buf = malloc(per_chunk * sps);
	if (!buf)
		return &ss_error_nomem;
	/* From the first frame of RAM (arm64: PHYS_OFFSET's): below it no
	 * struct page exists.  The chunks, read ahead on the other cores. */
	struct ss_readahead *ra = NULL;
	struct ss_error *err = NULL;
	uint64_t nchunks =
		m->mm.max_pfn > m->mm.min_pfn
			? (m->mm.max_pfn - m->mm.min_pfn + per_chunk - 1) /
				  per_chunk
			: 0;
	struct ss_range *ranges =
		nchunks > 1 ? malloc(nchunks * sizeof(*ranges)) : NULL;
	if (ranges) {
		for (uint64_t i = 0; i < nchunks; i++) {
			uint64_t pfn = m->mm.min_pfn + i * per_chunk;
			uint64_t n = m->mm.max_pfn - pfn < per_chunk
					     ? m->mm.max_pfn - pfn
					     : per_chunk;
			ranges[i] =
				(struct ss_range){ m->mm.vmemmap + pfn * sps,
						   (size_t)(n * sps) };
		}
		err = ss_readahead_start(m->mem, ss_model_jobs(m), ranges,
					 (size_t)nchunks, SS_READAHEAD_WINDOW,
					 &ra);
		free(ranges);
	}
	for (uint64_t pfn = m->mm.min_pfn; !err && pfn < m->mm.max_pfn;
	     pfn += per_chunk) {
		uint64_t n = m->mm.max_pfn - pfn < per_chunk
				     ? m->mm.max_pfn - pfn
				     : per_chunk;
		const unsigned char *bytes = buf;
		struct ss_error *read_err;
		if (ra)
			ss_readahead_next(ra, &bytes, &read_err);
		else
			read_err =
				ss_mem_read(m->mem, m->mm.vmemmap + pfn * sps,
					    buf, n * sps);
		err = scan_chunk(m, sc, ps, pfn, n, bytes, read_err, buf);
		if (err)
			break;
		if (m->opts.progress)
			m->opts.progress(m->opts.progress_arg, pfn + n,
					 m->mm.max_pfn);
	}
	ss_readahead_stop(ra);
	free(buf);
	return err;
}

