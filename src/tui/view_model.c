/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rows of every view of `slabscope browse`, built from the slab model,
 * the check result and what the view loaded (load.c), one row at a time
 * (see view_model.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/view_model.h"

#define HEX_PER_LINE 16

/* ---- rows ---- */

void tui_row_clear(struct tui_row *r)
{
	r->len = 0;
	r->text[0] = '\0';
}

static void row_vadd(struct tui_row *r, uint8_t attr, const char *fmt,
		     va_list ap)
{
	char buf[TUI_ROW_MAX + 1];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
	for (size_t i = 0; buf[i] && r->len < TUI_ROW_MAX; i++) {
		unsigned char ch = (unsigned char)buf[i];
		r->text[r->len] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
		r->attr[r->len++] = attr;
	}
	r->text[r->len] = '\0';
}

void tui_row_add(struct tui_row *r, uint8_t attr, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	row_vadd(r, attr, fmt, ap);
	va_end(ap);
}

void tui_row_pad(struct tui_row *r, uint8_t attr, size_t width)
{
	while (r->len < width && r->len < TUI_ROW_MAX) {
		r->text[r->len] = ' ';
		r->attr[r->len++] = attr;
	}
	r->text[r->len] = '\0';
}

void tui_row_select(struct tui_row *r, size_t width)
{
	tui_row_pad(r, TUI_A_NORMAL, width);
	for (size_t i = 0; i < r->len; i++)
		r->attr[i] |= TUI_A_SEL;
}

const char *tui_view_name(enum tui_view_kind k)
{
	switch (k) {
	case TUI_VIEW_CACHES: return "Caches view";
	case TUI_VIEW_CACHE: return "Cache view";
	case TUI_VIEW_SLAB: return "Slab view";
	case TUI_VIEW_OBJECT: return "Object view";
	case TUI_VIEW_FINDINGS: return "Findings view";
	case TUI_VIEW_HELP: return "Help view";
	case TUI_NVIEWS: break;
	}
	return "?";
}

void tui_human_bytes(uint64_t b, char *buf, size_t len)
{
	if (b >= 10ULL << 30)
		snprintf(buf, len, "%" PRIu64 "G", b >> 30);
	else if (b >= 10ULL << 20)
		snprintf(buf, len, "%" PRIu64 "M", b >> 20);
	else
		snprintf(buf, len, "%" PRIu64 "K", b >> 10);
}

const char *tui_sort_name(enum ss_cache_sort s)
{
	switch (s) {
	case SS_SORT_NAME: return "name";
	case SS_SORT_ALLOCATED: return "allocated";
	case SS_SORT_TOTAL: return "total";
	case SS_SORT_SLABS: return "slabs";
	case SS_SORT_SIZE: return "size";
	case SS_SORT_MEMORY: return "memory";
	}
	return "?";
}

void tui_message(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->message, sizeof(t->message), fmt, ap);
	va_end(ap);
	t->message_error = error;
}

static size_t width_of(const struct tui *t)
{
	return t->width > 0 ? (size_t)t->width : 80;
}

static const char *cell_name(uint8_t kind)
{
	switch (kind) {
	case TUI_A_LEFT_RZ: return "left-redzone";
	case TUI_A_PAYLOAD: return "payload";
	case TUI_A_RIGHT_RZ: return "right-redzone";
	case TUI_A_FREEPTR: return "freeptr";
	case TUI_A_TRACK: return "track";
	case TUI_A_PADDING: return "padding";
	case TUI_A_UNREADABLE: return "unreadable";
	}
	return "?";
}

/* ---- sizes ---- */

static size_t nwords(const struct tui_object_data *od)
{
	return (od->size + 7) / 8;
}

static size_t nhex(const struct tui_object_data *od)
{
	return (od->size + HEX_PER_LINE - 1) / HEX_PER_LINE;
}

static size_t help_nrows(void);

size_t tui_view_nrows(struct tui *t, struct tui_view *v)
{
	switch (v->kind) {
	case TUI_VIEW_CACHES: return t->nvisible;
	case TUI_VIEW_CACHE: return tui_cache(t, v->cache)->nslabs;
	case TUI_VIEW_SLAB: return v->sd ? v->sd->n : 0;
	case TUI_VIEW_OBJECT: return v->od ? nhex(v->od) + v->od->nnotes : 0;
	case TUI_VIEW_FINDINGS: return t->check->nfindings;
	case TUI_VIEW_HELP: return help_nrows();
	case TUI_NVIEWS: break;
	}
	return 0;
}

size_t tui_view_nitems(struct tui *t, struct tui_view *v)
{
	if (v->kind == TUI_VIEW_OBJECT)
		return v->od ? nwords(v->od) : 0;
	return tui_view_nrows(t, v);
}

size_t tui_view_cursor_row(struct tui_view *v)
{
	if (v->kind == TUI_VIEW_OBJECT)
		return v->cursor * 8 / HEX_PER_LINE;
	return v->cursor;
}

/* Object view: up to this many findings get a pinned line. */
#define OBJ_PINNED_FINDINGS 2

size_t tui_view_nfixed(struct tui *t, struct tui_view *v)
{
	switch (v->kind) {
	case TUI_VIEW_CACHES: return 1;
	case TUI_VIEW_CACHE: return 9;
	case TUI_VIEW_SLAB: return 5;
	case TUI_VIEW_OBJECT: {
		size_t nf = v->od ? v->od->nfindings : 0;
		return 3 + (nf > OBJ_PINNED_FINDINGS ? OBJ_PINNED_FINDINGS + 1
						     : nf);
	}
	case TUI_VIEW_FINDINGS: return 1;
	case TUI_VIEW_HELP: return 1;
	case TUI_NVIEWS: break;
	}
	return 0;
}

static size_t page_rows(struct tui *t, struct tui_view *v)
{
	int h = t->height > 0 ? t->height : 24;
	/* Title, status, footer. */
	int rows = h - 3 - (int)tui_view_nfixed(t, v);
	return rows > 1 ? (size_t)rows : 1;
}

size_t tui_page_rows(struct tui *t)
{
	return page_rows(t, tui_top(t));
}

void tui_view_clamp(struct tui *t, struct tui_view *v)
{
	size_t n = tui_view_nrows(t, v), items = tui_view_nitems(t, v);
	size_t page = page_rows(t, v);
	if (items && v->cursor >= items)
		v->cursor = items - 1;
	if (!items)
		v->cursor = 0;
	size_t maxtop = n > page ? n - page : 0;
	if (v->top > maxtop)
		v->top = maxtop;
	if (v->kind == TUI_VIEW_HELP)
		return;
	size_t row = tui_view_cursor_row(v);
	if (row < v->top)
		v->top = row;
	else if (row >= v->top + page)
		v->top = row - page + 1;
}

void tui_set_size(struct tui *t, int width, int height)
{
	if (width == t->width && height == t->height)
		return;
	t->width = width;
	t->height = height;
	tui_view_clamp(t, tui_top(t));
}

/* ---- caches view ---- */

/* Columns after the name: OBJSIZE ALLOCATED TOTAL SLABS MEMORY FINDINGS,
 * plus OBJ/S and PG/S on screens wide enough. */
#define CACHES_COLS 52
#define CACHES_WIDE_COLS 12

static bool caches_wide(struct tui *t)
{
	return width_of(t) >= 2 + 26 + CACHES_COLS + CACHES_WIDE_COLS;
}

/* Width of the name column so that the row fills the screen. */
static int caches_name_width(struct tui *t)
{
	int w = (int)width_of(t) - 2 - CACHES_COLS -
		(caches_wide(t) ? CACHES_WIDE_COLS : 0);
	return w < 16 ? 16 : w > 48 ? 48 : w;
}

static void caches_fixed(struct tui *t, struct tui_row *out)
{
	tui_row_add(out, TUI_A_HEADER, "  %-*s %7s %9s %9s %6s",
		    caches_name_width(t), "CACHE", "OBJSIZE", "ALLOCATED",
		    "TOTAL", "SLABS");
	if (caches_wide(t))
		tui_row_add(out, TUI_A_HEADER, " %6s %4s", "OBJ/S", "PG/S");
	tui_row_add(out, TUI_A_HEADER, " %7s %8s", "MEMORY", "FINDINGS");
	tui_row_pad(out, TUI_A_HEADER, width_of(t));
}

static void caches_row(struct tui *t, size_t i, struct tui_row *out)
{
	uint32_t ci = t->visible[i];
	const struct ss_cache *c = tui_cache(t, ci);
	uint32_t nf = t->cache_findings[ci];
	uint8_t a = nf ? TUI_A_PROBLEM : TUI_A_NORMAL;
	char mem[32];
	tui_human_bytes(c->memory_bytes, mem, sizeof(mem));
	int w = caches_name_width(t);
	tui_row_add(out, a,
		    "%c %-*.*s %7u %9" PRIu64 " %9" PRIu64 " %6" PRIu64,
		    nf ? '!' : ' ', w, w, c->name, c->object_size, c->allocated,
		    c->total_objects, c->nslabs);
	if (caches_wide(t))
		tui_row_add(out, a, " %6u %4u", c->objects_per_slab,
			    c->order < 32 ? 1u << c->order : 0);
	tui_row_add(out, a, " %7s", mem);
	if (nf)
		tui_row_add(out, a, " %8u", nf);
}

/* ---- cache view ---- */

struct flag_buf {
	char *buf;
	size_t len, cap;
};

static void add_flag(void *arg, const char *name)
{
	struct flag_buf *b = arg;
	int n = snprintf(b->buf + b->len, b->cap - b->len, "%s%s",
			 b->len ? "|" : "", name);
	if (n > 0 && (size_t)n < b->cap - b->len)
		b->len += (size_t)n;
}

static void cache_fixed(struct tui *t, struct tui_view *v, size_t i,
			struct tui_row *out)
{
	const struct ss_cache *c = tui_cache(t, v->cache);
	const struct tui_cache_sum *s = v->sum;
	switch (i) {
	case 0:
		tui_row_add(out, t->cache_findings[v->cache] ? TUI_A_PROBLEM
							    : TUI_A_HEADER,
			    "%s", c->name);
		tui_row_add(out, TUI_A_NORMAL,
			    "  kmem_cache 0x%" PRIx64 "  refcount %d  ctor ",
			    c->addr, c->refcount);
		if (c->ctor)
			tui_row_add(out, TUI_A_NORMAL, "0x%" PRIx64, c->ctor);
		else
			tui_row_add(out, TUI_A_NORMAL, "none");
		break;
	case 1:
		tui_row_add(out, TUI_A_NORMAL,
			    "size %u  object_size %u  offset %u  inuse %u  "
			    "align %u  red_left_pad %u",
			    c->size, c->object_size, c->offset, c->inuse,
			    c->align, c->red_left_pad);
		break;
	case 2:
		tui_row_add(out, TUI_A_NORMAL,
			    "order %u (%u objects/slab)  min_partial %" PRIu64
			    "  cpu_partial %u  freeptr %s%s",
			    c->order, c->objects_per_slab, c->min_partial,
			    c->cpu_partial, ss_fp_encoding_name(c->fp_encoding),
			    c->fp_encoding_inferred ? " (inferred)" : "");
		break;
	case 3: {
		char names[TUI_ROW_MAX] = "";
		struct flag_buf b = { names, 0, sizeof(names) };
		ss_cache_flag_names(c->flags, add_flag, &b);
		tui_row_add(out, TUI_A_NORMAL, "flags 0x%" PRIx64 " %s",
			    c->flags, b.len ? names : "(none)");
		break;
	}
	case 4: {
		char mem[32];
		tui_human_bytes(c->memory_bytes, mem, sizeof(mem));
		char sheaf[40] = "";
		if (c->sheaf)
			snprintf(sheaf, sizeof(sheaf), ", %" PRIu64 " sheaf",
				 c->sheaf);
		tui_row_add(out, TUI_A_NORMAL,
			    "objects %" PRIu64 ": %" PRIu64
			    " allocated, %" PRIu64 " free, %" PRIu64
			    " cpu-free%s, %" PRIu64 " unknown; %s",
			    c->total_objects, c->allocated, c->free,
			    c->cpu_free, sheaf, c->unknown, mem);
		uint32_t nf = t->cache_findings[v->cache];
		if (nf)
			tui_row_add(out, TUI_A_PROBLEM, "; %u finding%s", nf,
				    nf == 1 ? "" : "s");
		break;
	}
	case 5:
		if (!s)
			break;
		tui_row_add(out, TUI_A_NORMAL,
			    "slabs %" PRIu64 ": %zu cpu, %zu cpu-partial, %zu "
			    "partial, %zu full, %zu full-untracked",
			    c->nslabs, s->nlist[SS_LIST_CPU],
			    s->nlist[SS_LIST_CPU_PARTIAL],
			    s->nlist[SS_LIST_PARTIAL], s->nlist[SS_LIST_FULL],
			    s->nlist[SS_LIST_NONE]);
		break;
	case 6: {
		tui_row_add(out, TUI_A_NORMAL, "per-CPU:");
		bool any = false;
		for (uint32_t cpu = 0; s && cpu < s->ncpus; cpu++) {
			if (!s->cpu_slab[cpu] && !s->cpu_partial[cpu])
				continue;
			any = true;
			tui_row_add(out, TUI_A_NORMAL, " cpu%u ", cpu);
			if (s->cpu_slab[cpu])
				tui_row_add(out, TUI_A_NORMAL,
					    "slab 0x%" PRIx64 " ",
					    s->cpu_slab[cpu]);
			tui_row_add(out, TUI_A_NORMAL, "%u partial;",
				    s->cpu_partial[cpu]);
		}
		if (!any)
			tui_row_add(out, TUI_A_DIM, " no CPU slab or partial");
		break;
	}
	case 7:
		if (c->has_node_counts)
			tui_row_add(out, TUI_A_NORMAL,
				    "nodes (%u): nr_slabs %" PRIu64
				    ", total_objects %" PRIu64
				    ", nr_partial %" PRIu64,
				    ss_model_mm(t->m)->nr_node_ids,
				    c->node_nr_slabs, c->node_total_objects,
				    c->node_nr_partial);
		else
			tui_row_add(out, TUI_A_NORMAL,
				    "nodes: the kernel keeps no counters");
		break;
	case 8:
		tui_row_add(out, TUI_A_HEADER,
			    "  %-18s %-18s %-14s %3s %9s %s", "SLAB", "BASE",
			    "LIST", "CPU", "INUSE/OBJ", "FINDINGS");
		tui_row_pad(out, TUI_A_HEADER, width_of(t));
		break;
	}
}

static void cache_row(struct tui *t, struct tui_view *v, size_t i,
		      struct tui_row *out)
{
	const struct ss_cache *c = tui_cache(t, v->cache);
	size_t n;
	const struct ss_slab *s = &ss_model_slabs(t->m, &n)[c->first_slab + i];
	size_t nf = tui_slab_findings(t, s->page, NULL);
	uint8_t a = nf ? TUI_A_PROBLEM : TUI_A_NORMAL;
	char cpu[8] = "";
	if (s->cpu >= 0)
		snprintf(cpu, sizeof(cpu), "%d", s->cpu);
	char use[24];
	snprintf(use, sizeof(use), "%u/%u", s->inuse, s->objects);
	tui_row_add(out, a, "%c 0x%016" PRIx64 " 0x%016" PRIx64 " %-14s %3s %9s",
		    nf ? '!' : ' ', s->page, s->base, ss_slab_list_name(s->list),
		    cpu, use);
	if (nf)
		tui_row_add(out, a, " %zu", nf);
}

/* ---- slab view ---- */

static const struct ss_slab *view_slab(struct tui *t, struct tui_view *v)
{
	size_t n;
	return &ss_model_slabs(t->m, &n)[v->slab];
}

static void slab_fixed(struct tui *t, struct tui_view *v, size_t i,
		       struct tui_row *out)
{
	const struct ss_slab *s = view_slab(t, v);
	const struct ss_cache *c = tui_cache(t, s->cache);
	const struct tui_slab_data *sd = v->sd;
	switch (i) {
	case 0: {
		size_t nf = tui_slab_findings(t, s->page, NULL);
		tui_row_add(out, nf ? TUI_A_PROBLEM : TUI_A_HEADER,
			    "slab 0x%" PRIx64, s->page);
		tui_row_add(out, TUI_A_NORMAL, " of %s",
			    c ? c->name : "(unknown cache)");
		if (nf)
			tui_row_add(out, TUI_A_PROBLEM, "; %zu finding%s", nf,
				    nf == 1 ? "" : "s");
		break;
	}
	case 1:
		tui_row_add(out, TUI_A_NORMAL, "%s", ss_slab_list_name(s->list));
		if (s->cpu >= 0)
			tui_row_add(out, TUI_A_NORMAL, " (cpu %d)", s->cpu);
		if (s->frozen)
			tui_row_add(out, TUI_A_NORMAL, ", frozen");
		tui_row_add(out, TUI_A_NORMAL,
			    "; base 0x%" PRIx64 ", order %u, %" PRIu64 " bytes",
			    s->base, s->order, ss_slab_bytes(t->m, s));
		break;
	case 2:
		if (s->nsheaf)
			tui_row_add(out, TUI_A_NORMAL,
				    "inuse %u/%u: %u free, %u cpu-free, %u "
				    "sheaf, %u unknown",
				    s->inuse, s->objects, s->nfree,
				    s->ncpu_free, s->nsheaf, s->nunknown);
		else
			tui_row_add(out, TUI_A_NORMAL,
				    "inuse %u/%u: %u free, %u cpu-free, %u "
				    "unknown",
				    s->inuse, s->objects, s->nfree,
				    s->ncpu_free, s->nunknown);
		break;
	case 3:
		if (sd && sd->error) {
			tui_row_add(out, TUI_A_PROBLEM, "%s", sd->error);
			break;
		}
		tui_row_add(out, TUI_A_NORMAL, "freelist 0x%" PRIx64 ": %u%s; ",
			    s->freelist, sd ? sd->nfl : 0,
			    sd && sd->fl_broken ? ", broken" : "");
		tui_row_add(out, TUI_A_NORMAL, "cpu freelist: %u%s; ",
			    sd ? sd->ncpufl : 0,
			    sd && sd->cpufl_broken ? ", broken" : "");
		tui_row_add(out, TUI_A_NORMAL, "order: %s",
			    v->by_freelist ? "freelist" : "address");
		break;
	case 4:
		tui_row_add(out, TUI_A_HEADER, "  %4s %-18s %-9s %-5s %-18s %s",
			    "#", "OBJECT", "STATE", "FL#", "NEXT FREE",
			    "FINDINGS");
		tui_row_pad(out, TUI_A_HEADER, width_of(t));
		break;
	}
}

static void slab_row(struct tui *t, struct tui_view *v, size_t i,
		     struct tui_row *out)
{
	const struct tui_slab_data *sd = v->sd;
	uint32_t idx = v->by_freelist ? sd->byfl[i] : (uint32_t)i;
	const struct ss_object *o = &sd->objs[idx];
	size_t first;
	size_t nf = tui_object_findings(t, o->addr, &first);
	uint8_t a = nf ? TUI_A_PROBLEM : TUI_A_NORMAL;
	bool is_free = o->state == SS_OBJ_FREE || o->state == SS_OBJ_CPU_FREE;
	char pos[16] = "", next[24] = "";
	if (sd->flpos[idx] >= 0)
		snprintf(pos, sizeof(pos), "%c%d",
			 o->state == SS_OBJ_CPU_FREE ? 'c' : 'f',
			 sd->flpos[idx]);
	if (is_free) {
		if (o->next)
			snprintf(next, sizeof(next), "0x%016" PRIx64, o->next);
		else
			snprintf(next, sizeof(next), "end");
	}
	tui_row_add(out, a, "%c %4u 0x%016" PRIx64 " %-9s %-5s %-18s",
		    nf ? '!' : ' ', idx, o->addr, ss_obj_state_name(o->state),
		    pos, next);
	if (nf) {
		tui_row_add(out, a, " %s",
			    tui_finding(t, t->by_object[first])->kind->id);
		if (nf > 1)
			tui_row_add(out, a, " +%zu", nf - 1);
	}
}

/* ---- object view ---- */

static void object_fixed(struct tui *t, struct tui_view *v, size_t i,
			 struct tui_row *out)
{
	const struct tui_object_data *od = v->od;
	const struct ss_cache *c = tui_cache(t, v->cache);
	const struct ss_slab *s = view_slab(t, v);
	if (i == 0) {
		tui_row_add(out, od->nfindings ? TUI_A_PROBLEM : TUI_A_HEADER,
			    "object 0x%" PRIx64, v->object);
		tui_row_add(out, TUI_A_NORMAL, " %s, #%u of slab 0x%" PRIx64,
			    ss_obj_state_name(od->state), od->index, s->page);
		tui_row_add(out, TUI_A_NORMAL, " (%s)",
			    ss_slab_list_name(s->list));
		return;
	}
	if (i == 1) {
		tui_row_add(out, TUI_A_NORMAL,
			    "cache %s, slot 0x%" PRIx64 " of %u bytes, "
			    "object_size %u",
			    c->name, od->slot, od->size, c->object_size);
		return;
	}
	if (i == 2) {
		/* The legend: each region in its own attribute, with its
		 * size in this slot. */
		for (uint32_t b = 0; b < od->size;) {
			uint8_t k = od->cell[b] & TUI_A_KIND;
			uint32_t e = b;
			while (e < od->size && (od->cell[e] & TUI_A_KIND) == k)
				e++;
			if (b)
				tui_row_add(out, TUI_A_NORMAL, " ");
			tui_row_add(out, k, "%s", cell_name(k));
			tui_row_add(out, TUI_A_NORMAL, ":%u", e - b);
			b = e;
		}
		for (uint32_t b = 0; b < od->size; b++)
			if (od->cell[b] & TUI_A_BAD) {
				tui_row_add(out, TUI_A_NORMAL, " ");
				tui_row_add(out, TUI_A_PAYLOAD | TUI_A_BAD,
					    "bad");
				break;
			}
		return;
	}
	size_t k = i - 3;
	if (k == OBJ_PINNED_FINDINGS) {
		tui_row_add(out, TUI_A_PROBLEM, "! %zu more findings below",
			    od->nfindings - OBJ_PINNED_FINDINGS);
		return;
	}
	const struct ss_finding *f = tui_finding(t, od->findings[k]);
	tui_row_add(out, TUI_A_PROBLEM, "! %s", f->kind->id);
	if (f->address >= od->slot && f->address < od->slot + od->size)
		tui_row_add(out, TUI_A_NORMAL, " at %+" PRId64,
			    (int64_t)(f->address - v->object));
	if (f->bad_len)
		tui_row_add(out, TUI_A_NORMAL, ", %" PRIu64 " byte%s",
			    f->bad_len, f->bad_len == 1 ? "" : "s");
	if (f->nbytes) {
		tui_row_add(out, TUI_A_NORMAL, ", found");
		for (size_t j = 0; j < f->nbytes && j < 8; j++)
			tui_row_add(out, TUI_A_NORMAL, " %02x", f->found[j]);
		tui_row_add(out, TUI_A_NORMAL, " expected %02x",
			    f->expected[0]);
	} else if (f->has_value) {
		tui_row_add(out, TUI_A_NORMAL, ", value 0x%" PRIx64, f->value);
	}
}

void tui_hex_line(const struct tui_object_data *od, size_t line,
		  size_t cursor_word, bool show_cursor, struct tui_row *out)
{
	uint32_t start = (uint32_t)(line * HEX_PER_LINE);
	int64_t off = od->first + (int64_t)start;
	tui_row_add(out, TUI_A_DIM, "%c%04" PRIx64 "  ", off < 0 ? '-' : '+',
		    (uint64_t)(off < 0 ? -off : off));
	for (uint32_t j = 0; j < HEX_PER_LINE; j++) {
		uint32_t b = start + j;
		if (j == 8)
			tui_row_add(out, TUI_A_NORMAL, " ");
		if (b >= od->size) {
			tui_row_add(out, TUI_A_NORMAL, "   ");
			continue;
		}
		uint8_t a = od->cell[b];
		bool cur = show_cursor && b / 8 == cursor_word;
		if (cur)
			a |= TUI_A_SEL;
		if ((a & TUI_A_KIND) == TUI_A_UNREADABLE)
			tui_row_add(out, a, "??");
		else
			tui_row_add(out, a, "%02x", od->bytes[b]);
		/* The space after a byte belongs to the cursor's word. */
		tui_row_add(out, cur && b % 8 != 7 ? TUI_A_SEL : TUI_A_NORMAL,
			    " ");
	}
	tui_row_add(out, TUI_A_NORMAL, " ");
	for (uint32_t j = 0; j < HEX_PER_LINE && start + j < od->size; j++) {
		uint32_t b = start + j;
		uint8_t a = od->cell[b];
		if (show_cursor && b / 8 == cursor_word)
			a |= TUI_A_SEL;
		unsigned char ch = od->bytes[b];
		if ((a & TUI_A_KIND) == TUI_A_UNREADABLE)
			ch = '?';
		tui_row_add(out, a, "%c", ch >= 0x20 && ch < 0x7f ? ch : '.');
	}
}

static void object_row(struct tui *t, struct tui_view *v, size_t i,
		       struct tui_row *out)
{
	const struct tui_object_data *od = v->od;
	if (i < nhex(od)) {
		tui_hex_line(od, i, v->cursor, true, out);
		return;
	}
	const struct tui_line *l = &od->notes[i - nhex(od)];
	tui_row_add(out, l->attr, "%s", l->text);
}

/* The status line of the object view: the word under the cursor and what
 * it points to. */
static void object_status(struct tui *t, struct tui_view *v,
			  struct tui_row *out)
{
	struct tui_object_data *od = v->od;
	uint32_t b = (uint32_t)v->cursor * 8;
	uint32_t len = od->size - b < 8 ? od->size - b : 8;
	bool bad = false, readable = true;
	for (uint32_t j = 0; j < len; j++) {
		bad |= (od->cell[b + j] & TUI_A_BAD) != 0;
		readable &= (od->cell[b + j] & TUI_A_KIND) != TUI_A_UNREADABLE;
	}
	uint8_t k = od->cell[b] & TUI_A_KIND;
	tui_row_add(out, TUI_A_NORMAL, "%+" PRId64 " ",
		    od->first + (int64_t)b);
	/* Each region the word spans: "payload/right-redzone". */
	for (uint32_t j = 0; j < len; j++) {
		uint8_t kj = od->cell[b + j] & TUI_A_KIND;
		if (j && kj == (od->cell[b + j - 1] & TUI_A_KIND))
			continue;
		if (j)
			tui_row_add(out, TUI_A_NORMAL, "/");
		tui_row_add(out, kj, "%s", cell_name(kj));
	}
	if (bad) {
		tui_row_add(out, TUI_A_NORMAL, " ");
		tui_row_add(out, k | TUI_A_BAD, "BAD");
	}
	if (!readable || len < 8) {
		tui_row_add(out, TUI_A_NORMAL, "  (not a whole word)");
		return;
	}
	uint64_t val = 0;
	for (int j = 7; j >= 0; j--) /* little-endian (x86-64) */
		val = val << 8 | od->bytes[b + (uint32_t)j];
	if (!od->wi_valid || od->wi_value != val) {
		free(od->wi_error);
		od->wi_error = NULL;
		struct ss_error *err = ss_model_whatis(t->m, val, &od->wi);
		if (err) {
			od->wi_error = strdup(err->message);
			ss_error_destroy(err);
		}
		od->wi_valid = true;
		od->wi_value = val;
	}
	tui_row_add(out, TUI_A_NORMAL, "  0x%016" PRIx64, val);
	const struct ss_whatis *w = &od->wi;
	if (od->wi_error) {
		tui_row_add(out, TUI_A_PROBLEM, ": %s", od->wi_error);
		return;
	}
	if (!w->in_slab) {
		/* The word under the cursor only: identifying costs a
		 * table walk the first time. */
		char brief[96];
		tui_identify_brief(t, val, brief, sizeof(brief));
		tui_row_add(out, TUI_A_DIM, ": not in a slab%s%s%s",
			    brief[0] ? " (" : "", brief, brief[0] ? ")" : "");
		return;
	}
	const struct ss_cache *c = tui_cache(t, w->cache);
	if (!c) {
		tui_row_add(out, TUI_A_NORMAL,
			    " -> slab 0x%" PRIx64 " of an unknown cache",
			    w->slab->page);
		return;
	}
	if (!w->object) {
		tui_row_add(out, TUI_A_NORMAL, " -> %s slab 0x%" PRIx64 " %s",
			    c->name, w->slab->page, ss_region_name(w->region));
		return;
	}
	/* The object's address is the value minus the offset: the cache,
	 * offset, region and state fit on an 80-column line. */
	tui_row_add(out, TUI_A_NORMAL, " -> %s obj%+" PRId64 " %s, %s", c->name,
		    w->offset, ss_region_name(w->region),
		    ss_obj_state_name(w->state));
}

void tui_identify_brief(struct tui *t, uint64_t addr, char *buf, size_t len)
{
	buf[0] = '\0';
	struct ss_error *err = NULL;
	if (!t->ident)
		err = ss_identifier_create(t->m, &t->ident);
	struct ss_identity r;
	if (!err)
		err = ss_identify(t->ident, addr, &r);
	if (!err)
		ss_report_whatis_brief(&r, buf, len);
	if (t->ident)
		ss_identity_deinit(&r);
	ss_error_destroy(err);
}

/* ---- findings view ---- */

static void findings_fixed(struct tui *t, struct tui_row *out)
{
	tui_row_add(out, TUI_A_HEADER, "  %-7s %-19s %-20s %-18s %s",
		    "LEVEL", "ID", "CACHE", "OBJECT", "MESSAGE");
	tui_row_pad(out, TUI_A_HEADER, width_of(t));
}

static void findings_row(struct tui *t, size_t i, struct tui_row *out)
{
	const struct ss_finding *f = tui_finding(t, t->findings_order[i]);
	const struct ss_cache *c = tui_cache(t, f->cache);
	bool error = f->kind->severity == SS_SEV_ERROR;
	char obj[24] = "-";
	if (f->object)
		snprintf(obj, sizeof(obj), "0x%016" PRIx64, f->object);
	tui_row_add(out, error ? TUI_A_PROBLEM : TUI_A_NORMAL,
		    "%c %-7s %-19s %-20.20s %-18s ", error ? '!' : ' ',
		    ss_severity_name(f->kind->severity), f->kind->id,
		    c ? c->name : "-", obj);
	/* The message without its leading "cache: ". */
	const char *msg = f->message;
	size_t cl = c ? strlen(c->name) : 0;
	if (c && strncmp(msg, c->name, cl) == 0 && msg[cl] == ':')
		msg += cl + 1 + (msg[cl + 1] == ' ');
	tui_row_add(out, TUI_A_NORMAL, "%s", msg);
}

/* ---- help view: built from the key table ---- */

/* Calls fn for each help row in order; stops when fn returns true. */
struct help_iter {
	size_t want, at;
	struct tui_row *out;
};

static bool help_emit(struct help_iter *it, uint8_t attr, const char *a,
		      const char *b)
{
	if (it->out && it->at == it->want) {
		tui_row_add(it->out, attr, "%s", a);
		if (b)
			tui_row_add(it->out, TUI_A_NORMAL, "%s", b);
		return true;
	}
	it->at++;
	return false;
}

/* Keys of one section: the entries bound exactly to views, grouped by
 * action and explanation. */
static bool help_section(struct help_iter *it, unsigned views)
{
	for (size_t i = 0; i < tui_nkeys; i++) {
		const struct tui_key *k = &tui_keys[i];
		if (k->views != views)
			continue;
		/* Only the first of a group of entries prints it. */
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = tui_keys[j].views == views &&
			       tui_keys[j].action == k->action &&
			       strcmp(tui_keys[j].help, k->help) == 0;
		if (seen)
			continue;
		char names[64] = "";
		size_t len = 0;
		for (size_t j = i; j < tui_nkeys; j++) {
			const struct tui_key *o = &tui_keys[j];
			if (o->views != views || o->action != k->action ||
			    strcmp(o->help, k->help) != 0)
				continue;
			int n = snprintf(names + len, sizeof(names) - len,
					 "%s%s", len ? ", " : "", o->name);
			if (n > 0 && (size_t)n < sizeof(names) - len)
				len += (size_t)n;
		}
		char left[80];
		snprintf(left, sizeof(left), "  %-19s ", names);
		if (help_emit(it, TUI_A_HEADER, left, k->help))
			return true;
	}
	return false;
}

static bool help_walk(struct help_iter *it)
{
	if (help_emit(it, TUI_A_HEADER, "Global keys", NULL))
		return true;
	if (help_section(it, TUI_ALL_VIEWS))
		return true;
	for (int v = 0; v < TUI_NVIEWS; v++) {
		bool any = false;
		for (size_t i = 0; i < tui_nkeys && !any; i++)
			any = tui_keys[i].views == TUI_VIEW_BIT(v);
		if (!any)
			continue;
		if (help_emit(it, TUI_A_NORMAL, "", NULL) ||
		    help_emit(it, TUI_A_HEADER, tui_view_name(v), NULL) ||
		    help_section(it, TUI_VIEW_BIT(v)))
			return true;
	}
	return false;
}

static size_t help_nrows(void)
{
	struct help_iter it = { 0 };
	help_walk(&it);
	return it.at;
}

/* ---- the interface ---- */

void tui_view_fixed(struct tui *t, struct tui_view *v, size_t i,
		    struct tui_row *out)
{
	tui_row_clear(out);
	switch (v->kind) {
	case TUI_VIEW_CACHES: caches_fixed(t, out); break;
	case TUI_VIEW_CACHE: cache_fixed(t, v, i, out); break;
	case TUI_VIEW_SLAB: slab_fixed(t, v, i, out); break;
	case TUI_VIEW_OBJECT: object_fixed(t, v, i, out); break;
	case TUI_VIEW_FINDINGS: findings_fixed(t, out); break;
	case TUI_VIEW_HELP:
		tui_row_add(out, TUI_A_HEADER,
			    "slabscope browse keys (q or Esc: back)");
		break;
	case TUI_NVIEWS: break;
	}
}

void tui_view_row(struct tui *t, struct tui_view *v, size_t i,
		  struct tui_row *out)
{
	tui_row_clear(out);
	if (i >= tui_view_nrows(t, v))
		return;
	switch (v->kind) {
	case TUI_VIEW_CACHES: caches_row(t, i, out); break;
	case TUI_VIEW_CACHE: cache_row(t, v, i, out); break;
	case TUI_VIEW_SLAB: slab_row(t, v, i, out); break;
	case TUI_VIEW_OBJECT: object_row(t, v, i, out); return;
	case TUI_VIEW_FINDINGS: findings_row(t, i, out); break;
	case TUI_VIEW_HELP: {
		struct help_iter it = { .want = i, .out = out };
		help_walk(&it);
		return;
	}
	case TUI_NVIEWS: return;
	}
	if (i == v->cursor)
		tui_row_select(out, width_of(t));
}

void tui_title(struct tui *t, struct tui_row *out)
{
	struct tui_view *v = tui_top(t);
	tui_row_clear(out);
	tui_row_add(out, TUI_A_TITLE, "slabscope browse | ");
	const struct ss_cache *c = tui_cache(t, v->cache);
	switch (v->kind) {
	case TUI_VIEW_CACHES:
		tui_row_add(out, TUI_A_TITLE, "caches (%zu)",
			    ss_model_ncaches(t->m));
		break;
	case TUI_VIEW_CACHE:
		tui_row_add(out, TUI_A_TITLE, "cache %s", c->name);
		break;
	case TUI_VIEW_SLAB: {
		const struct ss_slab *s = view_slab(t, v);
		c = tui_cache(t, s->cache);
		tui_row_add(out, TUI_A_TITLE, "%s > slab 0x%" PRIx64,
			    c ? c->name : "?", s->page);
		break;
	}
	case TUI_VIEW_OBJECT:
		tui_row_add(out, TUI_A_TITLE, "%s > object 0x%" PRIx64,
			    c->name, v->object);
		break;
	case TUI_VIEW_FINDINGS:
		tui_row_add(out, TUI_A_TITLE, "findings (%zu)",
			    t->check->nfindings);
		break;
	case TUI_VIEW_HELP:
		tui_row_add(out, TUI_A_TITLE, "help");
		break;
	case TUI_NVIEWS: break;
	}
	/* The dump's name on the right, if it fits. */
	size_t w = width_of(t);
	size_t tl = t->title ? strlen(t->title) : 0;
	if (tl && out->len + 2 + tl <= w) {
		tui_row_pad(out, TUI_A_TITLE, w - tl);
		tui_row_add(out, TUI_A_TITLE, "%s", t->title);
	}
	tui_row_pad(out, TUI_A_TITLE, w);
}

void tui_status(struct tui *t, struct tui_row *out)
{
	struct tui_view *v = tui_top(t);
	tui_row_clear(out);
	if (t->prompt != TUI_PROMPT_NONE) {
		tui_row_add(out, TUI_A_HEADER, "%s",
			    t->prompt == TUI_PROMPT_FILTER ? "filter: "
							   : "go to address: ");
		tui_row_add(out, TUI_A_NORMAL, "%s", t->prompt_buf);
		tui_row_add(out, TUI_A_SEL, " ");
		tui_row_add(out, TUI_A_DIM, "  (Enter: %s, Esc: cancel)",
			    t->prompt == TUI_PROMPT_FILTER ? "keep" : "go");
		return;
	}
	if (t->message[0]) {
		tui_row_add(out, t->message_error ? TUI_A_PROBLEM : TUI_A_NORMAL,
			    "%s", t->message);
		return;
	}
	size_t n = tui_view_nitems(t, v);
	switch (v->kind) {
	case TUI_VIEW_CACHES:
		tui_row_add(out, TUI_A_NORMAL, "cache %zu of %zu",
			    n ? v->cursor + 1 : 0, n);
		if (t->filter[0])
			tui_row_add(out, TUI_A_NORMAL,
				    " matching \"%s\" (%zu in all)", t->filter,
				    ss_model_ncaches(t->m));
		tui_row_add(out, TUI_A_NORMAL, ", sorted by %s",
			    tui_sort_name(t->sort));
		break;
	case TUI_VIEW_CACHE:
		tui_row_add(out, TUI_A_NORMAL, "slab %zu of %zu",
			    n ? v->cursor + 1 : 0, n);
		break;
	case TUI_VIEW_SLAB:
		tui_row_add(out, TUI_A_NORMAL, "object %zu of %zu",
			    n ? v->cursor + 1 : 0, n);
		break;
	case TUI_VIEW_OBJECT:
		if (n)
			object_status(t, v, out);
		break;
	case TUI_VIEW_FINDINGS:
		if (!n) {
			tui_row_add(out, TUI_A_NORMAL,
				    "no findings: slabscope check found "
				    "nothing wrong");
			break;
		}
		tui_row_add(out, TUI_A_NORMAL, "%zu/%zu %s", v->cursor + 1, n,
			    tui_finding(t, t->findings_order[v->cursor])->message);
		break;
	case TUI_VIEW_HELP:
	case TUI_NVIEWS:
		break;
	}
}

void tui_footer(struct tui *t, struct tui_row *out)
{
	struct tui_view *v = tui_top(t);
	tui_row_clear(out);
	for (size_t i = 0; i < tui_nkeys; i++) {
		const struct tui_key *k = &tui_keys[i];
		if (!k->label || !(k->views & TUI_VIEW_BIT(v->kind)))
			continue;
		if (k->action == TUI_ACT_FINDINGS &&
		    v->kind == TUI_VIEW_FINDINGS)
			continue;
		if (k->action == TUI_ACT_HELP && v->kind == TUI_VIEW_HELP)
			continue;
		if (out->len)
			tui_row_add(out, TUI_A_TITLE, " ");
		tui_row_add(out, TUI_A_KEY, "%s", k->name);
		if (k->action == TUI_ACT_SORT)
			tui_row_add(out, TUI_A_TITLE, " sort:%s",
				    tui_sort_name(t->sort));
		else if (k->action == TUI_ACT_BACK)
			tui_row_add(out, TUI_A_TITLE, " %s",
				    t->depth > 1 ? "back" : "quit");
		else
			tui_row_add(out, TUI_A_TITLE, " %s", k->label);
	}
	tui_row_pad(out, TUI_A_TITLE, width_of(t));
}
