/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Culprit hints: who probably wrote the bad bytes.  An overflow comes from
 * the allocated object just before the damage (the seed's one-byte
 * overflow onto the next free pointer); bytes past an object's payload
 * come from the object itself; a written free object is a use after free.
 * With SLAB_STORE_USER the suspect's alloc/free tracks say who allocated
 * (or freed) it, when, on which CPU and from which stack.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_priv.h"

#define SLAB_STORE_USER 0x00010000ULL
#define MAX_STACK 64

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

static void resolve_track(struct checker *c)
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

static void resolve_depot(struct checker *c)
{
	struct depot_layout *dl = &c->dl;
	if (dl->resolved)
		return;
	dl->resolved = true;
	struct ss_dbg *dbg = c->t->dbg;
	struct ss_member m;
	struct ss_field fsize, fhandle, fentries;
	struct ss_error *err = ss_target_symbol(c->t, "stack_slabs",
						&dl->stack_slabs);
	if (!err)
		err = field(dbg, "stack_record", "size", &fsize);
	if (!err)
		err = field(dbg, "stack_record", "handle", &fhandle);
	if (!err)
		err = field(dbg, "stack_record", "entries", &fentries);
	if (!err) {
		err = ss_dbg_member(dbg, SS_TYPE_UNION, "handle_parts",
				    "slabindex", &m);
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
	if (!err) {
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
static void depot_fetch(struct checker *c, uint32_t handle,
			struct ss_track *tr)
{
	resolve_depot(c);
	struct depot_layout *dl = &c->dl;
	if (!dl->usable || !handle || !bits_of(handle, &dl->valid))
		return;
	uint32_t idx = bits_of(handle, &dl->slabindex);
	uint32_t off = bits_of(handle, &dl->offset);
	uint64_t slab;
	if (idx >= dl->nslabs)
		return;
	struct ss_error *err =
		ss_mem_read_u64(c->t->mem, dl->stack_slabs + 8ULL * idx, &slab);
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
		tr->stack_syms = calloc(size, sizeof(*tr->stack_syms));
		if (!tr->stack || !tr->stack_syms)
			return;
		tr->nstack = size;
		memcpy(tr->stack, entries, size * 8);
		return;
	}
}

/* jiffies and HZ, for the age of a track.  HZ is a config macro; the
 * kernel keeps tick_nsec = NSEC_PER_SEC / HZ as a variable. */
static void resolve_time(struct checker *c)
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
	}
	ss_error_destroy(err);
}

static void symbolize_track(struct checker *c, struct ss_track *tr)
{
	struct ss_error *err = ss_symbolize(c->sym, tr->addr, &tr->caller);
	ss_error_destroy(err);
	for (size_t i = 0; i < tr->nstack; i++) {
		err = ss_symbolize(c->sym, tr->stack[i], &tr->stack_syms[i]);
		ss_error_destroy(err);
	}
}

static void read_track(struct checker *c, const unsigned char *buf,
		       struct ss_track *tr)
{
	const struct track_layout *tl = &c->tl;
	memset(tr, 0, sizeof(*tr));
	tr->addr = ss_field_get(&tl->addr, buf);
	if (!tr->addr)
		return; /* never set: the slot was not used that way */
	tr->valid = true;
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
	if (tl->handle.present) {
		tr->handle = (uint32_t)ss_field_get(&tl->handle, buf);
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
	symbolize_track(c, tr);
}

/* The alloc and free tracks of object obj of cache, if it keeps them. */
static void read_tracks(struct checker *c, const struct ss_cache *cache,
			uint64_t obj, struct ss_culprit *cu)
{
	if (!(cache->flags & SLAB_STORE_USER))
		return;
	resolve_track(c);
	if (!c->tl.usable || !c->tl.size || c->tl.size > 512)
		return;
	uint64_t at = cache->offset >= cache->inuse
			      ? (uint64_t)cache->offset + 8
			      : cache->inuse;
	unsigned char buf[1024];
	struct ss_error *err = ss_mem_read(c->t->mem, obj + at, buf,
					   2 * c->tl.size);
	if (err) {
		ss_error_destroy(err);
		return;
	}
	read_track(c, buf, &cu->alloc);
	read_track(c, buf + c->tl.size, &cu->free);
}

struct ss_error *culprit_find(struct checker *c, struct ss_finding *f,
			      uint32_t ci, const struct ss_slab *s,
			      uint64_t object, enum culprit_mode mode)
{
	const struct ss_cache *cache = ss_model_cache(c->m, ci);
	struct ss_culprit *cu = &f->culprit;
	uint64_t first = s->base + cache->red_left_pad;
	int64_t idx = object >= first ? (int64_t)((object - first) / cache->size)
				      : -1;
	if (idx >= s->objects)
		idx = s->objects - 1;
	struct ss_object *objs = calloc(s->objects ? s->objects : 1,
					sizeof(*objs));
	if (!objs)
		return &ss_error_nomem;
	struct ss_error *err = ss_model_slab_objects(c->m, s, objs);
	if (err) {
		free(objs);
		if (err->code == SS_ERR_NOMEM)
			return err;
		ss_error_destroy(err);
		return NULL;
	}
	int64_t suspect = -1;
	switch (mode) {
	case CULPRIT_SELF:
	case CULPRIT_USE_AFTER_FREE:
		suspect = idx;
		break;
	case CULPRIT_PREVIOUS:
		/* The nearest allocated object before the damage. */
		for (int64_t i = idx - 1; i >= 0; i--) {
			if (objs[i].state == SS_OBJ_ALLOCATED ||
			    objs[i].state == SS_OBJ_UNKNOWN) {
				suspect = i;
				break;
			}
		}
		if (object >= first + (uint64_t)s->objects * cache->size)
			suspect = s->objects - 1; /* tail: the last object */
		break;
	case CULPRIT_NONE:
		break;
	}
	if (suspect >= 0 && suspect < s->objects) {
		f->has_culprit = true;
		cu->object = objs[suspect].addr;
		cu->state = objs[suspect].state;
		switch (mode) {
		case CULPRIT_SELF:
			cu->relation = "wrote past the end of its own payload";
			break;
		case CULPRIT_USE_AFTER_FREE:
			cu->relation = "was written after it was freed";
			break;
		default:
			cu->relation = suspect == idx - 1
					       ? "is the object just before the "
						 "damaged bytes: an overflow "
						 "from it is the likely cause"
					       : "is the nearest object before "
						 "the damaged bytes that may be "
						 "allocated";
			break;
		}
		read_tracks(c, cache, cu->object, cu);
	}
	free(objs);
	return NULL;
}

static void track_deinit(struct ss_track *t)
{
	free(t->caller);
	for (size_t i = 0; i < t->nstack && t->stack_syms; i++)
		free(t->stack_syms[i]);
	free(t->stack_syms);
	free(t->stack);
}

void culprit_deinit(struct ss_culprit *cu)
{
	track_deinit(&cu->alloc);
	track_deinit(&cu->free);
}
