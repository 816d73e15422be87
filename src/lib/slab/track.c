/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SLAB_STORE_USER tracks and the stack depot: see slabscope/track.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/track.h>

#include "slub_layout.h"

#define MAX_STACK 64

/* struct track (mm/slub.c), resolved lazily from DWARF. */
struct track_layout {
	bool resolved, usable;
	uint64_t size;
	struct ss_field addr, handle, addrs, cpu, pid, when;
	uint32_t naddrs;
};

/*
 * The stack depot (lib/stackdepot.c), resolved lazily.  Its pools are
 * stack_slabs[] with handle_parts.slabindex (and a valid bit) until 6.7,
 * stack_pools with handle_parts.pool_index_plus_1 (0: no stack) since:
 * probed, as is whether stack_pools is the array or a pointer to it.
 */
struct depot_layout {
	bool resolved, usable;
	uint64_t stack_slabs; /* address of stack_slabs[] or stack_pools */
	uint32_t nslabs; /* bound on the pool index */
	struct ss_field slabindex, offset, valid; /* union handle_parts */
	bool plus_one; /* the index is pool_index_plus_1 */
	int indirect; /* stack_pools: -1 not known yet, 0 the
			 array, 1 a pointer to it */
	uint64_t rec_size, rec_handle, rec_entries;
	unsigned int align; /* STACK_ALLOC_ALIGN, found by probing */
};

struct ss_track_reader {
	const struct ss_target *t;
	struct ss_symbolizer *sym;
	struct track_layout tl;
	struct depot_layout dl;
	bool time_resolved;
	bool has_jiffies;
	uint64_t jiffies, hz;
};

static struct ss_error *field(struct ss_dbg *dbg, const char *type,
			      const char *path, struct ss_field *f)
{
	struct ss_member m;
	memset(f, 0, sizeof(*f));
	struct ss_error *err = ss_dbg_member(dbg, SS_TYPE_STRUCT, type, path, &m);
	if (err && err->code == SS_ERR_NOTFOUND) {
		ss_error_destroy(err);
		return NULL;
	}
	if (err)
		return err;
	f->present = true;
	f->off = (uint32_t)m.offset;
	f->size = (uint32_t)m.size;
	f->bit_off = (uint32_t)m.bit_offset;
	f->bits = m.bit_size;
	return NULL;
}

static void resolve_track(struct ss_track_reader *c)
{
	struct track_layout *tl = &c->tl;
	if (tl->resolved)
		return;
	tl->resolved = true;
	struct ss_dbg *dbg = c->t->dbg;
	struct ss_error *err =
		ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "track", &tl->size);
	if (!err)
		err = field(dbg, "track", "addr", &tl->addr);
	if (!err)
		err = field(dbg, "track", "handle", &tl->handle);
	if (!err)
		err = field(dbg, "track", "cpu", &tl->cpu);
	if (!err)
		err = field(dbg, "track", "pid", &tl->pid);
	if (!err)
		err = field(dbg, "track", "when", &tl->when);
	if (!err) {
		/* Without the stack depot, tracks keep their own addrs[]. */
		struct ss_member m;
		struct ss_error *e2 = ss_dbg_member(dbg, SS_TYPE_STRUCT,
						    "track", "addrs", &m);
		if (!e2) {
			tl->addrs.present = true;
			tl->addrs.off = (uint32_t)m.offset;
			tl->naddrs = (uint32_t)m.count;
		}
		ss_error_destroy(e2);
	}
	tl->usable = !err && tl->addr.present && tl->when.present;
	ss_error_destroy(err);
}

static void resolve_depot(struct ss_track_reader *c)
{
	struct depot_layout *dl = &c->dl;
	if (dl->resolved)
		return;
	dl->resolved = true;
	struct ss_dbg *dbg = c->t->dbg;
	struct ss_member m;
	struct ss_field fsize, fhandle, fentries;
	dl->indirect = 0;
	struct ss_error *err = ss_target_symbol(c->t, "stack_slabs",
						&dl->stack_slabs);
	if (err && err->code == SS_ERR_NOTFOUND) {
		ss_error_destroy(err);
		err = ss_target_symbol(c->t, "stack_pools", &dl->stack_slabs);
		dl->plus_one = true;
		dl->indirect = -1;
	}
	if (!err)
		err = field(dbg, "stack_record", "size", &fsize);
	if (!err)
		err = field(dbg, "stack_record", "handle", &fhandle);
	if (!err)
		err = field(dbg, "stack_record", "entries", &fentries);
	if (!err) {
		err = ss_dbg_member(
			dbg, SS_TYPE_UNION, "handle_parts",
			dl->plus_one ? "pool_index_plus_1" : "slabindex", &m);
		if (!err) {
			dl->slabindex.present = true;
			dl->slabindex.bit_off = (uint32_t)m.bit_offset;
			dl->slabindex.bits = m.bit_size;
		}
	}
	if (!err) {
		err = ss_dbg_member(dbg, SS_TYPE_UNION, "handle_parts",
				    "offset", &m);
		if (!err) {
			dl->offset.bit_off = (uint32_t)m.bit_offset;
			dl->offset.bits = m.bit_size;
		}
	}
	if (!err && !dl->plus_one) {
		err = ss_dbg_member(dbg, SS_TYPE_UNION, "handle_parts",
				    "valid", &m);
		if (!err) {
			dl->valid.bit_off = (uint32_t)m.bit_offset;
			dl->valid.bits = m.bit_size;
		}
	}
	dl->usable = !err && fsize.present && fhandle.present &&
		     fentries.present && dl->slabindex.bits &&
		     dl->offset.bits;
	dl->rec_size = fsize.off;
	dl->rec_handle = fhandle.off;
	dl->rec_entries = fentries.off;
	dl->nslabs = 1u << (dl->slabindex.bits < 20 ? dl->slabindex.bits : 20);
	ss_error_destroy(err);
}

static uint32_t bits_of(uint32_t v, const struct ss_field *f)
{
	return (v >> f->bit_off) & ((1u << f->bits) - 1);
}

/*
 * Stack depot handle -> entries.  STACK_ALLOC_ALIGN is a macro, not in
 * DWARF: the right one is the shift at which the record found carries
 * the same handle back.
 */
static void depot_fetch_from(struct ss_track_reader *c, uint32_t handle,
			     uint32_t idx, uint32_t off, struct ss_track *tr);

static void depot_fetch(struct ss_track_reader *c, uint32_t handle,
			struct ss_track *tr)
{
	resolve_depot(c);
	struct depot_layout *dl = &c->dl;
	if (!dl->usable || !handle ||
	    (!dl->plus_one && !bits_of(handle, &dl->valid)))
		return;
	uint32_t idx = bits_of(handle, &dl->slabindex);
	uint32_t off = bits_of(handle, &dl->offset);
	if (dl->plus_one && idx-- == 0)
		return; /* no stack */
	if (idx >= dl->nslabs)
		return;
	if (dl->indirect < 0) {
		/* The array or a pointer to it: the one whose record
		 * carries the handle back. */
		for (int ind = 0; ind < 2 && !tr->nstack; ind++) {
			dl->indirect = ind;
			depot_fetch_from(c, handle, idx, off, tr);
		}
		if (!tr->nstack)
			dl->indirect = -1;
		return;
	}
	depot_fetch_from(c, handle, idx, off, tr);
}

static void depot_fetch_from(struct ss_track_reader *c, uint32_t handle,
			     uint32_t idx, uint32_t off, struct ss_track *tr)
{
	struct depot_layout *dl = &c->dl;
	uint64_t base = dl->stack_slabs, slab;
	struct ss_error *err = NULL;
	if (dl->indirect == 1)
		err = ss_mem_read_u64(c->t->mem, dl->stack_slabs, &base);
	if (!err)
		err = ss_mem_read_u64(c->t->mem, base + 8ULL * idx, &slab);
	if (err || !slab) {
		ss_error_destroy(err);
		return;
	}
	static const unsigned aligns[] = { 4, 3, 5, 2, 6 };
	for (size_t a = 0; a < sizeof(aligns) / sizeof(aligns[0]); a++) {
		unsigned align = dl->align ? dl->align : aligns[a];
		uint64_t rec = slab + ((uint64_t)off << align);
		uint32_t size, h;
		err = ss_mem_read(c->t->mem, rec + dl->rec_handle, &h, 4);
		if (!err)
			err = ss_mem_read(c->t->mem, rec + dl->rec_size, &size,
					  4);
		if (err) {
			ss_error_destroy(err);
			if (dl->align)
				return;
			continue;
		}
		if (h != handle || size == 0 || size > MAX_STACK) {
			if (dl->align)
				return;
			continue;
		}
		dl->align = align;
		uint64_t entries[MAX_STACK];
		err = ss_mem_read(c->t->mem, rec + dl->rec_entries, entries,
				  size * 8);
		if (err) {
			ss_error_destroy(err);
			return;
		}
		tr->stack = malloc(size * sizeof(*tr->stack));
		free(tr->stack_syms);
		tr->stack_syms = calloc(size, sizeof(*tr->stack_syms));
		if (!tr->stack || !tr->stack_syms)
			return;
		tr->nstack = size;
		memcpy(tr->stack, entries, size * 8);
		return;
	}
}

/*
 * HZ where there is no tick_nsec (7.x): jiffies counts HZ per second from
 * INITIAL_JIFFIES = (u32)(-300 * HZ), and the core timekeeper's monotonic
 * base (tkr_mono.base, ns) is the uptime at its last update: the HZ of the
 * kernel configs whose jiffies agree with it.  The core timekeeper is
 * tk_core, or timekeeper_data[TIMEKEEPER_CORE] where it became an array.
 * 0 when nothing agrees: no ages rather than wrong ones.
 */
static uint64_t hz_from_uptime(struct ss_track_reader *c)
{
	static const uint64_t candidates[] = { 100, 250, 300, 1000, 24,	 32,
					       48,  64,	 128, 256,  512, 1024 };
	uint64_t tk, base_ns, size;
	int64_t core = 0;
	struct ss_member m;
	struct ss_dbg *dbg = c->t->dbg;
	struct ss_error *err = ss_target_symbol(c->t, "tk_core", &tk);
	if (err && err->code == SS_ERR_NOTFOUND) {
		ss_error_destroy(err);
		err = ss_target_symbol(c->t, "timekeeper_data", &tk);
		if (!err)
			err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "tk_data",
					       &size);
		bool found = false;
		if (!err)
			err = ss_dbg_enumerator_near(dbg, "TIMEKEEPER_CORE",
						     &core, &found);
		if (!err && found && core >= 0 && core < 16)
			tk += (uint64_t)core * size;
	}
	if (!err)
		err = ss_dbg_member(dbg, SS_TYPE_STRUCT, "tk_data",
				    "timekeeper.tkr_mono.base", &m);
	if (!err)
		err = ss_mem_read_u64(c->t->mem, tk + m.offset, &base_ns);
	if (err) {
		ss_error_destroy(err);
		return 0;
	}
	double uptime = (double)base_ns / 1e9;
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]);
	     i++) {
		uint64_t hz = candidates[i];
		uint64_t initial = (uint32_t)(-(int64_t)(300 * hz));
		double up = (double)(c->jiffies - initial) / (double)hz;
		if (c->jiffies >= initial && up >= uptime - 0.5 &&
		    up <= uptime + 1.5)
			return hz;
	}
	return 0;
}

/* jiffies and HZ, for the age of a track.  HZ is a config macro; the
 * kernel keeps tick_nsec = NSEC_PER_SEC / HZ as a variable (until 7.x). */
static void resolve_time(struct ss_track_reader *c)
{
	if (c->time_resolved)
		return;
	c->time_resolved = true;
	uint64_t tick_nsec;
	struct ss_error *err = ss_target_read_symbol(c->t, "jiffies",
						     &c->jiffies, 8);
	if (!err)
		err = ss_target_read_symbol(c->t, "tick_nsec", &tick_nsec, 8);
	if (!err && tick_nsec) {
		c->hz = (1000000000ULL + tick_nsec / 2) / tick_nsec;
		c->has_jiffies = c->hz > 0;
	} else if (err && err->code == SS_ERR_NOTFOUND) {
		ss_error_destroy(err);
		err = NULL;
		c->hz = hz_from_uptime(c);
		c->has_jiffies = c->hz > 0;
	}
	ss_error_destroy(err);
}

/* Source lines of the caller and of each frame (failures: none). */
static void track_sources(struct ss_track_reader *c, struct ss_track *tr)
{
	struct ss_error *err =
		ss_symbolize_source(c->sym, tr->addr, &tr->caller_src);
	ss_error_destroy(err);
	if (!tr->nstack ||
	    !(tr->stack_srcs = calloc(tr->nstack, sizeof(*tr->stack_srcs))))
		return;
	for (size_t i = 0; i < tr->nstack; i++) {
		err = ss_symbolize_source(c->sym, tr->stack[i],
					  &tr->stack_srcs[i]);
		ss_error_destroy(err);
	}
}

static void symbolize_track(struct ss_track_reader *c, unsigned flags,
			    struct ss_track *tr)
{
	if (!c->sym)
		return;
	struct ss_error *err = ss_symbolize(c->sym, tr->addr, &tr->caller);
	ss_error_destroy(err);
	for (size_t i = 0; i < tr->nstack; i++) {
		err = ss_symbolize(c->sym, tr->stack[i], &tr->stack_syms[i]);
		ss_error_destroy(err);
	}
	if (flags & SS_TRACK_SOURCE)
		track_sources(c, tr);
}

static void read_track(struct ss_track_reader *c, const unsigned char *buf,
		       unsigned flags, struct ss_track *tr)
{
	const struct track_layout *tl = &c->tl;
	memset(tr, 0, sizeof(*tr));
	tr->addr = ss_field_get(&tl->addr, buf);
	if (!tr->addr)
		return; /* never set: the slot was not used that way */
	tr->valid = true;
	tr->has_owner = tl->pid.present && tl->cpu.present;
	if (tl->cpu.present)
		tr->cpu = (int32_t)ss_field_get(&tl->cpu, buf);
	if (tl->pid.present)
		tr->pid = (int32_t)ss_field_get(&tl->pid, buf);
	tr->when = ss_field_get(&tl->when, buf);
	resolve_time(c);
	if (c->has_jiffies) {
		tr->has_age = true;
		tr->age_s = (double)(int64_t)(c->jiffies - tr->when) /
			    (double)c->hz;
	}
	if (tl->handle.present)
		tr->handle = (uint32_t)ss_field_get(&tl->handle, buf);
	if (!(flags & SS_TRACK_STACK)) {
		/* no stack wanted */
	} else if (tl->handle.present) {
		depot_fetch(c, tr->handle, tr);
	} else if (tl->addrs.present && tl->naddrs) {
		size_t n = 0;
		uint64_t a[MAX_STACK];
		for (uint32_t i = 0; i < tl->naddrs && i < MAX_STACK; i++) {
			memcpy(&a[i], buf + tl->addrs.off + 8 * i, 8);
			if (!a[i])
				break;
			n++;
		}
		tr->stack = malloc((n ? n : 1) * sizeof(*tr->stack));
		tr->stack_syms = calloc(n ? n : 1, sizeof(*tr->stack_syms));
		if (tr->stack && tr->stack_syms) {
			memcpy(tr->stack, a, n * 8);
			tr->nstack = n;
		}
	}
	if (flags & SS_TRACK_SYMBOLIZE)
		symbolize_track(c, flags, tr);
}

struct ss_error *ss_track_reader_create(const struct ss_target *t,
					struct ss_symbolizer *sym,
					struct ss_track_reader **ret)
{
	struct ss_track_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return &ss_error_nomem;
	r->t = t;
	r->sym = sym;
	*ret = r;
	return NULL;
}

void ss_track_reader_destroy(struct ss_track_reader *r)
{
	free(r);
}

bool ss_track_usable(struct ss_track_reader *r)
{
	resolve_track(r);
	return r->tl.usable && r->tl.size && r->tl.size <= 512;
}

/* SLAB's last-caller word: only the caller, no owner, time or stack. */
static void read_last_caller(struct ss_track_reader *c, uint64_t at,
			     unsigned flags, struct ss_track *tr)
{
	uint64_t caller;
	struct ss_error *err = ss_mem_read_u64(c->t->mem, at, &caller);
	if (err || !caller) {
		ss_error_destroy(err);
		return;
	}
	tr->valid = true;
	tr->addr = caller;
	if ((flags & SS_TRACK_SYMBOLIZE) && c->sym) {
		err = ss_symbolize(c->sym, caller, &tr->caller);
		ss_error_destroy(err);
		if (flags & SS_TRACK_SOURCE)
			track_sources(c, tr);
	}
}

void ss_track_read(struct ss_track_reader *c, const struct ss_cache *cache,
		   uint64_t obj, enum ss_obj_state state, unsigned flags,
		   struct ss_track *alloc, struct ss_track *free_track)
{
	memset(alloc, 0, sizeof(*alloc));
	memset(free_track, 0, sizeof(*free_track));
	struct ss_track_place tp = ss_cache_track_place(cache);
	uint64_t at = obj + (uint64_t)tp.off;
	if (tp.form == SS_TRACK_FORM_LAST_CALLER) {
		bool is_free = state == SS_OBJ_FREE ||
			       state == SS_OBJ_CPU_FREE;
		read_last_caller(c, at, flags, is_free ? free_track : alloc);
		return;
	}
	if (tp.form != SS_TRACK_FORM_STRUCTS || !ss_track_usable(c))
		return;
	unsigned char buf[1024];
	struct ss_error *err = ss_mem_read(c->t->mem, at, buf, 2 * c->tl.size);
	if (err) {
		ss_error_destroy(err);
		return;
	}
	read_track(c, buf, flags, alloc);
	read_track(c, buf + c->tl.size, flags, free_track);
}

void ss_track_deinit(struct ss_track *t)
{
	free(t->caller);
	free(t->caller_src);
	for (size_t i = 0; i < t->nstack && t->stack_syms; i++)
		free(t->stack_syms[i]);
	free(t->stack_syms);
	for (size_t i = 0; i < t->nstack && t->stack_srcs; i++)
		free(t->stack_srcs[i]);
	free(t->stack_srcs);
	free(t->stack);
}

