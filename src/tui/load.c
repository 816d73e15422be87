/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a view of `slabscope browse` loads when it opens: the cache view's
 * summary (one pass over the cache's slab records, no dump reads), the
 * slab view's objects and freelist order (one slab read), the object
 * view's slot bytes, regions, bad bytes, findings and tracks (one slot
 * read, the tracks through the stack depot).  Also the lookups of
 * findings by slab and by object the rows use.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/symbolize.h>

#include "tui/view_model.h"

/* Width prepared text is wrapped at (it fits an 80-column screen). */
#define WRAP 76

/* ---- findings by slab and by object ---- */

/* First position in idx[0..n) whose key is >= key; key(i) reads the
 * finding's slab or object. */
static size_t lower_bound(struct tui *t, const size_t *idx, size_t n,
			  bool by_object, uint64_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ss_finding *f = tui_finding(t, idx[mid]);
		uint64_t k = by_object ? f->object : f->slab;
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t count_range(struct tui *t, const size_t *idx, size_t n,
			  bool by_object, uint64_t key, size_t *first)
{
	size_t i = lower_bound(t, idx, n, by_object, key), j = i;
	while (j < n) {
		const struct ss_finding *f = tui_finding(t, idx[j]);
		if ((by_object ? f->object : f->slab) != key)
			break;
		j++;
	}
	if (first)
		*first = i;
	return j - i;
}

size_t tui_object_findings(struct tui *t, uint64_t obj, size_t *first)
{
	return count_range(t, t->by_object, t->nby_object, true, obj, first);
}

size_t tui_slab_findings(struct tui *t, uint64_t page, size_t *first)
{
	return count_range(t, t->by_slab, t->nby_slab, false, page, first);
}

size_t tui_slab_index(struct tui *t, uint32_t cache, uint64_t page)
{
	size_t n;
	const struct ss_slab *slabs = ss_model_slabs(t->m, &n);
	size_t lo = 0, hi = n;
	const struct ss_cache *c = tui_cache(t, cache);
	if (c) {
		lo = c->first_slab;
		hi = c->first_slab + c->nslabs;
	}
	for (size_t i = lo; i < hi && i < n; i++)
		if (slabs[i].page == page)
			return i;
	return SIZE_MAX;
}

/* ---- loading a view ---- */

struct ss_error *tui_load_cache(struct tui *t, struct tui_view *v)
{
	const struct ss_cache *c = tui_cache(t, v->cache);
	struct tui_cache_sum *s = calloc(1, sizeof(*s));
	if (!s || !c) {
		free(s);
		return &ss_error_nomem;
	}
	s->ncpus = ss_model_mm(t->m)->nr_cpu_ids;
	s->cpu_slab = calloc(s->ncpus ? s->ncpus : 1, sizeof(*s->cpu_slab));
	s->cpu_partial =
		calloc(s->ncpus ? s->ncpus : 1, sizeof(*s->cpu_partial));
	if (!s->cpu_slab || !s->cpu_partial) {
		free(s->cpu_slab);
		free(s->cpu_partial);
		free(s);
		return &ss_error_nomem;
	}
	/* One pass over the cache's slab records (no dump reads). */
	size_t n;
	const struct ss_slab *slabs = ss_model_slabs(t->m, &n);
	for (size_t i = c->first_slab; i < c->first_slab + c->nslabs && i < n;
	     i++) {
		const struct ss_slab *sl = &slabs[i];
		if (sl->list <= SS_LIST_FREE)
			s->nlist[sl->list]++;
		if (sl->cpu < 0 || (uint32_t)sl->cpu >= s->ncpus)
			continue;
		if (sl->list == SS_LIST_CPU)
			s->cpu_slab[sl->cpu] = sl->page;
		else if (sl->list == SS_LIST_CPU_PARTIAL)
			s->cpu_partial[sl->cpu]++;
	}
	v->sum = s;
	return NULL;
}

/* Index of the object at addr in slab s, or -1. */
static int64_t object_index(const struct ss_cache *c, const struct ss_slab *s,
			    uint64_t addr)
{
	uint64_t first = s->base + c->red_left_pad;
	if (addr < first || !c->size)
		return -1;
	uint64_t rel = addr - first;
	if (rel % c->size || rel / c->size >= s->objects)
		return -1;
	return (int64_t)(rel / c->size);
}

/* Follow a chain of free objects in state st from head, numbering them;
 * returns how many were reached. */
static uint32_t walk_chain(const struct ss_cache *c, const struct ss_slab *s,
			   struct tui_slab_data *sd, uint64_t head,
			   enum ss_obj_state st, uint32_t *k, bool *broken)
{
	uint32_t pos = 0;
	while (head) {
		int64_t i = object_index(c, s, head);
		if (i < 0 || sd->objs[i].state != st || sd->flpos[i] >= 0) {
			*broken = true;
			break;
		}
		sd->flpos[i] = (int32_t)pos++;
		sd->byfl[(*k)++] = (uint32_t)i;
		head = sd->objs[i].next;
	}
	return pos;
}

struct ss_error *tui_load_slab(struct tui *t, struct tui_view *v)
{
	size_t nslabs;
	const struct ss_slab *s = &ss_model_slabs(t->m, &nslabs)[v->slab];
	const struct ss_cache *c = tui_cache(t, s->cache);
	struct tui_slab_data *sd = calloc(1, sizeof(*sd));
	if (!sd)
		return &ss_error_nomem;
	v->sd = sd;
	if (!c) {
		sd->error = strdup("the slab's cache pointer names no cache: "
				   "its objects are unknown");
		return sd->error ? NULL : &ss_error_nomem;
	}
	uint32_t n = s->objects;
	sd->objs = calloc(n ? n : 1, sizeof(*sd->objs));
	sd->flpos = malloc((n ? n : 1) * sizeof(*sd->flpos));
	sd->byfl = malloc((n ? n : 1) * sizeof(*sd->byfl));
	if (!sd->objs || !sd->flpos || !sd->byfl)
		return &ss_error_nomem;
	struct ss_error *err = ss_model_slab_objects(t->m, s, sd->objs);
	if (err) {
		if (err == &ss_error_nomem)
			return err;
		sd->error = strdup(err->message);
		ss_error_destroy(err);
		return sd->error ? NULL : &ss_error_nomem;
	}
	sd->n = n;
	for (uint32_t i = 0; i < n; i++)
		sd->flpos[i] = -1;
	uint32_t k = 0;
	sd->nfl = walk_chain(c, s, sd, s->freelist, SS_OBJ_FREE, &k,
			     &sd->fl_broken);
	/* The CPU freelist's head is the CPU-free object no other one
	 * points to. */
	uint8_t *pointed = calloc(n ? n : 1, 1);
	if (!pointed)
		return &ss_error_nomem;
	for (uint32_t i = 0; i < n; i++) {
		if (sd->objs[i].state != SS_OBJ_CPU_FREE)
			continue;
		int64_t j = object_index(c, s, sd->objs[i].next);
		if (j >= 0)
			pointed[j] = 1;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (sd->objs[i].state == SS_OBJ_CPU_FREE && !pointed[i]) {
			sd->ncpufl = walk_chain(c, s, sd, sd->objs[i].addr,
						SS_OBJ_CPU_FREE, &k,
						&sd->cpufl_broken);
			break;
		}
	}
	free(pointed);
	for (uint32_t i = 0; i < n; i++)
		if (sd->flpos[i] < 0)
			sd->byfl[k++] = i;
	return NULL;
}

static struct ss_error *add_line(struct tui_object_data *od, uint8_t attr,
				 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct ss_error *add_line(struct tui_object_data *od, uint8_t attr,
				 const char *fmt, ...)
{
	struct tui_line *n =
		realloc(od->notes, (od->nnotes + 1) * sizeof(*od->notes));
	if (!n)
		return &ss_error_nomem;
	od->notes = n;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&n[od->nnotes].text, fmt, ap);
	va_end(ap);
	if (r < 0)
		return &ss_error_nomem;
	n[od->nnotes++].attr = attr;
	return NULL;
}

/* Word-wrap text at WRAP columns into lines indented by indent. */
static struct ss_error *add_wrapped(struct tui_object_data *od, uint8_t attr,
				    int indent, const char *text)
{
	size_t width = WRAP - (size_t)indent;
	while (*text) {
		size_t len = strlen(text);
		size_t cut = len;
		if (len > width) {
			cut = width;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = width;
		}
		struct ss_error *err = add_line(od, attr, "%*s%.*s", indent, "",
						(int)cut, text);
		if (err)
			return err;
		text += cut;
		while (*text == ' ')
			text++;
	}
	return NULL;
}

static struct ss_error *add_track(struct tui_object_data *od, const char *what,
				  const struct ss_track *tr, int indent)
{
	if (!tr->valid)
		return add_line(od, TUI_A_DIM, "%*s%s: none (unused or unreadable)",
				indent, "", what);
	char age[48] = "", caller[32], *head;
	if (tr->has_age)
		snprintf(age, sizeof(age), ", %.1f s before the dump",
			 tr->age_s);
	snprintf(caller, sizeof(caller), "0x%" PRIx64, tr->addr);
	if (asprintf(&head, "%s by %s, pid %d, cpu %d%s", what,
		     tr->caller ? tr->caller : caller, tr->pid, tr->cpu,
		     age) < 0)
		return &ss_error_nomem;
	struct ss_error *err = add_wrapped(od, TUI_A_HEADER, indent, head);
	free(head);
	for (size_t i = 0; !err && i < tr->nstack; i++) {
		/* the frame's source line after it, where one is known */
		const char *src = tr->stack_srcs ? tr->stack_srcs[i] : NULL;
		if (tr->stack_syms && tr->stack_syms[i])
			err = add_line(od, TUI_A_NORMAL, "%*s  %s%s%s%s",
				       indent, "", tr->stack_syms[i],
				       src ? " (" : "", src ? src : "",
				       src ? ")" : "");
		else
			err = add_line(od, TUI_A_NORMAL, "%*s  0x%" PRIx64,
				       indent, "", tr->stack[i]);
	}
	return err;
}

static uint8_t region_attr(enum ss_region r)
{
	switch (r) {
	case SS_REGION_LEFT_REDZONE: return TUI_A_LEFT_RZ;
	case SS_REGION_PAYLOAD: return TUI_A_PAYLOAD;
	case SS_REGION_RIGHT_REDZONE: return TUI_A_RIGHT_RZ;
	case SS_REGION_FREEPTR: return TUI_A_FREEPTR;
	case SS_REGION_TRACK: return TUI_A_TRACK;
	case SS_REGION_PADDING:
	case SS_REGION_SLAB_TAIL:
	case SS_REGION_NONE: break;
	}
	return TUI_A_PADDING;
}

void tui_object_cells(const struct ss_cache *c, const struct ss_finding *all,
		      struct tui_object_data *od)
{
	for (uint32_t i = 0; i < od->size; i++) {
		if (od->cell[i] == TUI_A_UNREADABLE)
			continue;
		int64_t off = od->first + (int64_t)i;
		od->cell[i] = region_attr(
			ss_cache_object_region(c, off, od->state));
	}
	for (size_t k = 0; k < od->nfindings; k++) {
		const struct ss_finding *f = &all[od->findings[k]];
		if (f->address < od->slot || f->address >= od->slot + od->size)
			continue;
		uint64_t start = f->address - od->slot;
		uint64_t len = f->bad_len;
		if (!len)
			len = f->has_value ? 8 : f->nbytes ? f->nbytes : 1;
		for (uint64_t j = 0; j < len && start + j < od->size; j++) {
			/* Within the bytes compared, only those that differ. */
			if (j < f->nbytes && f->found[j] == f->expected[j])
				continue;
			od->cell[start + j] |= TUI_A_BAD;
		}
	}
}

static struct ss_error *track_reader(struct tui *t,
				     struct ss_track_reader **ret)
{
	*ret = NULL;
	if (!t->tracks_tried) {
		t->tracks_tried = true;
		const struct ss_target *tg = ss_model_target(t->m);
		struct ss_error *err = ss_symbolizer_create(tg, &t->sym);
		if (!err)
			err = ss_track_reader_create(tg, t->sym, &t->tracks);
		if (err)
			return err;
	}
	*ret = t->tracks;
	return NULL;
}

static struct ss_error *object_lines(struct tui *t, struct tui_view *v,
				     const struct ss_cache *c)
{
	struct tui_object_data *od = v->od;
	struct ss_error *err = NULL;
	for (size_t k = 0; !err && k < od->nfindings; k++) {
		const struct ss_finding *f = tui_finding(t, od->findings[k]);
		err = add_line(od, TUI_A_NORMAL, "%s", "");
		if (!err)
			err = add_line(od, TUI_A_PROBLEM, "%s %s at %+" PRId64,
				       f->kind->severity == SS_SEV_ERROR
					       ? "ERROR"
					       : "WARNING",
				       f->kind->id,
				       (int64_t)(f->address - v->object));
		if (!err)
			err = add_wrapped(od, TUI_A_NORMAL, 2, f->message);
		if (!err && f->nbytes) {
			char e[3 * SS_FINDING_BYTES + 1] = "",
			     g[3 * SS_FINDING_BYTES + 1] = "";
			for (size_t i = 0; i < f->nbytes; i++) {
				snprintf(e + 3 * i, 4, " %02x", f->expected[i]);
				snprintf(g + 3 * i, 4, " %02x", f->found[i]);
			}
			err = add_line(od, TUI_A_NORMAL, "  expected%s", e);
			if (!err)
				err = add_line(od, TUI_A_NORMAL, "  found   %s",
					       g);
		}
		if (!err && f->has_value)
			err = add_line(od, TUI_A_NORMAL,
				       "  value 0x%016" PRIx64, f->value);
		if (!err && f->has_culprit) {
			const struct ss_culprit *cu = &f->culprit;
			char buf[256];
			snprintf(buf, sizeof(buf),
				 "culprit: object 0x%" PRIx64 " (%s) %s",
				 cu->object, ss_obj_state_name(cu->state),
				 ss_culprit_relation_text(cu->relation));
			err = add_wrapped(od, TUI_A_NORMAL, 2, buf);
			if (!err && cu->object != v->object && cu->alloc.valid)
				err = add_track(od, "culprit allocated",
						&cu->alloc, 2);
			if (!err && cu->object != v->object && cu->free.valid)
				err = add_track(od, "culprit freed", &cu->free,
						2);
		}
	}
	if (err || !(c->flags & SS_SLAB_STORE_USER))
		return err;
	struct ss_track_reader *r;
	struct ss_error *terr = track_reader(t, &r);
	if (terr == &ss_error_nomem)
		return terr;
	err = add_line(od, TUI_A_NORMAL, "%s", "");
	if (err) {
		ss_error_destroy(terr);
		return err;
	}
	if (terr || !ss_track_usable(r)) {
		err = add_line(od, TUI_A_DIM, "tracks: %s",
			       terr ? terr->message
				    : "this kernel's struct track is not "
				      "readable");
		ss_error_destroy(terr);
		return err;
	}
	struct ss_track alloc, freed;
	ss_track_read(r, c, v->object, od->state,
		      SS_TRACK_STACK | SS_TRACK_SYMBOLIZE | SS_TRACK_SOURCE,
		      &alloc, &freed);
	err = add_track(od, "allocated", &alloc, 0);
	if (!err)
		err = add_track(od, "freed", &freed, 0);
	ss_track_deinit(&alloc);
	ss_track_deinit(&freed);
	return err;
}

struct ss_error *tui_load_object(struct tui *t, struct tui_view *v,
				 const struct ss_whatis *w, uint64_t focus)
{
	const struct ss_cache *c = tui_cache(t, w->cache);
	if (!c || !w->object)
		return ss_error_create(SS_ERR_INVALID, "not an object");
	size_t nslabs;
	const struct ss_slab *slabs = ss_model_slabs(t->m, &nslabs);
	struct tui_object_data *od = calloc(1, sizeof(*od));
	if (!od)
		return &ss_error_nomem;
	v->od = od;
	v->cache = w->cache;
	v->slab = (size_t)(w->slab - slabs);
	v->object = w->object;
	od->slot = w->slot;
	od->size = c->size;
	od->first = -(int64_t)c->red_left_pad;
	od->index = (uint32_t)((w->slot - w->slab->base) / c->size);
	od->state = w->state;
	od->bytes = calloc(od->size ? od->size : 1, 1);
	od->cell = calloc(od->size ? od->size : 1, 1);
	if (!od->bytes || !od->cell)
		return &ss_error_nomem;
	/* The slot, or word by word where the dump lacks pages. */
	const struct ss_memory *mem = ss_model_target(t->m)->mem;
	struct ss_error *err = ss_mem_read(mem, od->slot, od->bytes, od->size);
	if (err) {
		ss_error_destroy(err);
		for (uint32_t i = 0; i < od->size; i += 8) {
			uint32_t len = od->size - i < 8 ? od->size - i : 8;
			err = ss_mem_read(mem, od->slot + i, od->bytes + i, len);
			if (!err)
				continue;
			ss_error_destroy(err);
			memset(od->cell + i, TUI_A_UNREADABLE, len);
		}
	}
	/* The findings whose object or first bad byte is this slot. */
	size_t nf = t->check->nfindings;
	od->findings = malloc((nf ? nf : 1) * sizeof(*od->findings));
	if (!od->findings)
		return &ss_error_nomem;
	for (size_t i = 0; i < nf; i++) {
		const struct ss_finding *f = tui_finding(t, i);
		if (f->object == v->object ||
		    (f->address >= od->slot && f->address < od->slot + od->size))
			od->findings[od->nfindings++] = i;
	}
	tui_object_cells(c, t->check->findings, od);
	/* The cursor on the focused address, else the first bad byte, else
	 * the object's first word. */
	uint64_t at = v->object;
	if (focus >= od->slot && focus < od->slot + od->size) {
		at = focus;
	} else {
		for (uint32_t i = 0; i < od->size; i++)
			if (od->cell[i] & TUI_A_BAD) {
				at = od->slot + i;
				break;
			}
	}
	v->cursor = (size_t)((at - od->slot) / 8);
	return object_lines(t, v, c);
}

void tui_view_free(struct tui_view *v)
{
	if (v->sum) {
		free(v->sum->cpu_slab);
		free(v->sum->cpu_partial);
		free(v->sum);
	}
	if (v->sd) {
		free(v->sd->objs);
		free(v->sd->flpos);
		free(v->sd->byfl);
		free(v->sd->error);
		free(v->sd);
	}
	if (v->od) {
		free(v->od->bytes);
		free(v->od->cell);
		free(v->od->findings);
		for (size_t i = 0; i < v->od->nnotes; i++)
			free(v->od->notes[i].text);
		free(v->od->notes);
		free(v->od->wi_error);
		free(v->od);
	}
	memset(v, 0, sizeof(*v));
}
