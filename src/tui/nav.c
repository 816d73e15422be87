/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The browser's state and its key handlers: the stack of views, moving,
 * drilling down, going back, the filter and goto prompts.  Handlers change
 * the state and return an intent; they never draw.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/symbolize.h>

#include "tui/keys.h"
#include "tui/view_model.h"

/* ---- creation: indexes of the findings ---- */

struct key_idx {
	uint64_t key;
	size_t idx;
};

static int cmp_key_idx(const void *a, const void *b)
{
	const struct key_idx *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

enum index_by { BY_SLAB, BY_OBJECT, BY_CACHE };

/* Indices of the findings with a nonzero key, sorted by key (stable). */
static struct ss_error *build_index(const struct ss_check_result *r,
				    enum index_by by, size_t **ret,
				    size_t *nret)
{
	size_t n = r->nfindings;
	struct key_idx *v = malloc((n ? n : 1) * sizeof(*v));
	size_t *out = malloc((n ? n : 1) * sizeof(*out));
	if (!v || !out) {
		free(v);
		free(out);
		return &ss_error_nomem;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct ss_finding *f = &r->findings[i];
		uint64_t key = by == BY_SLAB	 ? f->slab
			       : by == BY_OBJECT ? f->object
						 : f->cache; /* NO_CACHE last */
		if (!key && by != BY_CACHE)
			continue;
		v[k].key = key;
		v[k++].idx = i;
	}
	qsort(v, k, sizeof(*v), cmp_key_idx);
	for (size_t i = 0; i < k; i++)
		out[i] = v[i].idx;
	free(v);
	*ret = out;
	*nret = k;
	return NULL;
}

static enum tui_intent push(struct tui *t, struct tui_view *v);
static enum tui_intent do_action(struct tui *t, enum tui_action a);

static struct ss_error *sort_caches(struct tui *t)
{
	uint32_t *order;
	struct ss_error *err = ss_caches_sorted(t->m, t->sort, &order);
	if (err)
		return err;
	free(t->order);
	t->order = order;
	tui_refilter(t);
	return NULL;
}

struct ss_error *tui_create(struct ss_model *m,
			    const struct ss_check_result *check,
			    const struct tui_options *opts, struct tui **ret)
{
	uint32_t start = SS_NO_CACHE;
	if (opts && opts->cache) {
		start = ss_model_find_cache(m, opts->cache);
		if (start == SS_NO_CACHE)
			return ss_error_create(SS_ERR_NOTFOUND,
					       "no slab cache named '%s'",
					       opts->cache);
	}
	struct tui *t = calloc(1, sizeof(*t));
	if (!t)
		return &ss_error_nomem;
	t->m = m;
	t->check = check;
	t->title = opts ? opts->title : NULL;
	t->sort = SS_SORT_MEMORY; /* as `slabscope caches` */
	t->width = 80;
	t->height = 24;
	size_t nc = ss_model_ncaches(m), nidx;
	t->cache_findings = calloc(nc ? nc : 1, sizeof(*t->cache_findings));
	t->visible = malloc((nc ? nc : 1) * sizeof(*t->visible));
	struct ss_error *err = t->cache_findings && t->visible
				       ? NULL
				       : &ss_error_nomem;
	if (!err)
		err = build_index(check, BY_SLAB, &t->by_slab, &t->nby_slab);
	if (!err)
		err = build_index(check, BY_OBJECT, &t->by_object,
				  &t->nby_object);
	if (!err)
		err = build_index(check, BY_CACHE, &t->findings_order, &nidx);
	if (err) {
		tui_destroy(t);
		return err;
	}
	for (size_t i = 0; i < check->nfindings; i++)
		if (check->findings[i].cache < nc)
			t->cache_findings[check->findings[i].cache]++;
	t->depth = 1;
	t->stack[0].kind = TUI_VIEW_CACHES;
	t->stack[0].cache = SS_NO_CACHE;
	err = sort_caches(t);
	if (!err && start != SS_NO_CACHE) {
		/* The caches view under it, on that cache. */
		for (size_t i = 0; i < t->nvisible; i++)
			if (t->visible[i] == start)
				t->stack[0].cursor = i;
		tui_view_clamp(t, &t->stack[0]);
		struct tui_view v = { .kind = TUI_VIEW_CACHE, .cache = start };
		err = tui_load_cache(t, &v);
		if (!err)
			push(t, &v);
	}
	if (!err && opts && opts->findings)
		do_action(t, TUI_ACT_FINDINGS);
	if (err) {
		tui_destroy(t);
		return err;
	}
	*ret = t;
	return NULL;
}

void tui_destroy(struct tui *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->depth; i++)
		tui_view_free(&t->stack[i]);
	free(t->cache_findings);
	free(t->by_slab);
	free(t->by_object);
	free(t->findings_order);
	free(t->order);
	free(t->visible);
	ss_track_reader_destroy(t->tracks);
	ss_symbolizer_destroy(t->sym);
	ss_identifier_destroy(t->ident);
	free(t);
}

/* ---- the caches shown ---- */

void tui_refilter(struct tui *t)
{
	struct tui_view *cv = &t->stack[0];
	uint32_t keep = cv->cursor < t->nvisible ? t->visible[cv->cursor]
						 : SS_NO_CACHE;
	size_t nc = ss_model_ncaches(t->m);
	t->nvisible = 0;
	cv->cursor = 0;
	for (size_t i = 0; i < nc; i++) {
		uint32_t ci = t->order[i];
		if (t->filter[0] &&
		    !strcasestr(ss_model_cache(t->m, ci)->name, t->filter))
			continue;
		if (ci == keep)
			cv->cursor = t->nvisible;
		t->visible[t->nvisible++] = ci;
	}
	tui_view_clamp(t, cv);
}

/* ---- the stack ---- */

/* Push v (its data now belongs to the stack). */
static enum tui_intent push(struct tui *t, struct tui_view *v)
{
	if (t->depth == TUI_STACK_MAX) {
		/* Forget the oldest view but the first. */
		tui_view_free(&t->stack[1]);
		memmove(&t->stack[1], &t->stack[2],
			(TUI_STACK_MAX - 2) * sizeof(t->stack[0]));
		t->depth--;
	}
	t->stack[t->depth++] = *v;
	tui_view_clamp(t, tui_top(t));
	return TUI_REDRAW;
}

static enum tui_intent pop(struct tui *t)
{
	if (t->depth <= 1)
		return TUI_QUIT;
	tui_view_free(&t->stack[--t->depth]);
	tui_view_clamp(t, tui_top(t));
	return TUI_REDRAW;
}

/* A load error: out of memory is all it can be; the view is dropped. */
static enum tui_intent load_failed(struct tui *t, struct tui_view *v,
				   struct ss_error *err)
{
	tui_message(t, true, "cannot open the view: %s", err->message);
	ss_error_destroy(err);
	tui_view_free(v);
	return TUI_REDRAW;
}

enum tui_intent tui_open_cache(struct tui *t, uint32_t cache)
{
	struct tui_view v = { .kind = TUI_VIEW_CACHE, .cache = cache };
	struct ss_error *err = tui_load_cache(t, &v);
	return err ? load_failed(t, &v, err) : push(t, &v);
}

static enum tui_intent open_slab(struct tui *t, size_t slab)
{
	size_t n;
	const struct ss_slab *s = &ss_model_slabs(t->m, &n)[slab];
	struct tui_view v = { .kind = TUI_VIEW_SLAB, .cache = s->cache,
			      .slab = slab };
	struct ss_error *err = tui_load_slab(t, &v);
	return err ? load_failed(t, &v, err) : push(t, &v);
}

/* The object holding addr, cursor on focus. */
static enum tui_intent open_object(struct tui *t, const struct ss_whatis *w,
				   uint64_t focus)
{
	struct tui_view v = { .kind = TUI_VIEW_OBJECT };
	struct ss_error *err = tui_load_object(t, &v, w, focus);
	return err ? load_failed(t, &v, err) : push(t, &v);
}

enum tui_intent tui_goto(struct tui *t, uint64_t addr)
{
	struct ss_whatis w;
	struct ss_error *err = ss_model_whatis(t->m, addr, &w);
	if (err) {
		tui_message(t, true, "0x%" PRIx64 ": %s", addr, err->message);
		ss_error_destroy(err);
		return TUI_REDRAW;
	}
	if (!w.in_slab) {
		char brief[96];
		tui_identify_brief(t, addr, brief, sizeof(brief));
		tui_message(t, true, "0x%" PRIx64 ": not in a slab%s%s%s", addr,
			    brief[0] ? " (" : "", brief, brief[0] ? ")" : "");
		return TUI_REDRAW;
	}
	if (w.object && w.cache != SS_NO_CACHE)
		return open_object(t, &w, addr);
	size_t n;
	enum tui_intent in =
		open_slab(t, (size_t)(w.slab - ss_model_slabs(t->m, &n)));
	if (!t->message[0])
		tui_message(t, false, "0x%" PRIx64 ": %s of slab 0x%" PRIx64,
			    addr,
			    w.cache == SS_NO_CACHE ? "in a slab of no known "
						     "cache"
						   : ss_region_name(w.region),
			    w.slab->page);
	return in;
}

/* ---- actions ---- */

static enum tui_intent enter(struct tui *t, struct tui_view *v)
{
	size_t items = tui_view_nitems(t, v);
	if (!items)
		return TUI_IGNORED;
	switch (v->kind) {
	case TUI_VIEW_CACHES:
		return tui_open_cache(t, t->visible[v->cursor]);
	case TUI_VIEW_CACHE:
		return open_slab(t, ss_model_cache(t->m, v->cache)->first_slab +
					    v->cursor);
	case TUI_VIEW_SLAB: {
		uint32_t idx = v->by_freelist ? v->sd->byfl[v->cursor]
					      : (uint32_t)v->cursor;
		struct ss_whatis w;
		struct ss_error *err =
			ss_model_whatis(t->m, v->sd->objs[idx].addr, &w);
		if (err) {
			tui_message(t, true, "%s", err->message);
			ss_error_destroy(err);
			return TUI_REDRAW;
		}
		if (!w.object)
			return TUI_IGNORED;
		/* No focus: the first bad byte, else the object. */
		return open_object(t, &w, 0);
	}
	case TUI_VIEW_OBJECT: {
		struct tui_object_data *od = v->od;
		uint32_t b = (uint32_t)v->cursor * 8;
		if (od->size - b < 8)
			return TUI_IGNORED;
		for (uint32_t j = 0; j < 8; j++) {
			if ((od->cell[b + j] & TUI_A_KIND) == TUI_A_UNREADABLE) {
				tui_message(t, true, "the word is not in the "
						     "dump");
				return TUI_REDRAW;
			}
		}
		uint64_t val = 0;
		for (int j = 7; j >= 0; j--)
			val = val << 8 | od->bytes[b + (uint32_t)j];
		return tui_goto(t, val);
	}
	case TUI_VIEW_FINDINGS: {
		const struct ss_finding *f =
			&t->check->findings[t->findings_order[v->cursor]];
		if (f->object) {
			struct ss_whatis w;
			struct ss_error *err =
				ss_model_whatis(t->m, f->object, &w);
			if (err) {
				tui_message(t, true, "%s", err->message);
				ss_error_destroy(err);
				return TUI_REDRAW;
			}
			if (w.object == f->object)
				return open_object(t, &w, f->address);
		}
		if (f->slab) {
			size_t si = tui_slab_index(t, f->cache, f->slab);
			if (si != SIZE_MAX)
				return open_slab(t, si);
		}
		if (f->cache != SS_NO_CACHE)
			return tui_open_cache(t, f->cache);
		tui_message(t, true, "this finding names no cache, slab or "
				     "object");
		return TUI_REDRAW;
	}
	case TUI_VIEW_HELP:
	case TUI_NVIEWS:
		break;
	}
	return TUI_IGNORED;
}

/* Move the cursor by delta items (clamped); object view: words. */
static enum tui_intent move(struct tui *t, struct tui_view *v, long delta)
{
	size_t n = tui_view_nitems(t, v);
	size_t old = v->cursor, oldtop = v->top;
	if (v->kind == TUI_VIEW_HELP || !n) {
		/* Help scrolls. */
		size_t rows = tui_view_nrows(t, v), page = tui_page_rows(t);
		size_t maxtop = rows > page ? rows - page : 0;
		long top = (long)v->top + delta;
		v->top = top < 0 ? 0 : (size_t)top > maxtop ? maxtop
							   : (size_t)top;
		return v->top != oldtop ? TUI_REDRAW : TUI_IGNORED;
	}
	long c = (long)v->cursor + delta;
	if (c < 0)
		c = 0;
	if ((size_t)c >= n)
		c = (long)n - 1;
	v->cursor = (size_t)c;
	if (v->kind == TUI_VIEW_OBJECT && v->cursor == old && delta > 0) {
		/* On the last word: scroll on to the tracks. */
		size_t rows = tui_view_nrows(t, v), page = tui_page_rows(t);
		size_t maxtop = rows > page ? rows - page : 0;
		size_t step = (size_t)delta / 2 ? (size_t)delta / 2 : 1;
		v->top = v->top + step > maxtop ? maxtop : v->top + step;
		return v->top != oldtop ? TUI_REDRAW : TUI_IGNORED;
	}
	tui_view_clamp(t, v);
	return v->cursor != old || v->top != oldtop ? TUI_REDRAW : TUI_IGNORED;
}

static enum tui_intent next_bad(struct tui *t, struct tui_view *v)
{
	struct tui_object_data *od = v->od;
	size_t n = tui_view_nitems(t, v);
	for (size_t k = 1; k <= n; k++) {
		size_t w = (v->cursor + k) % n;
		for (uint32_t b = (uint32_t)w * 8; b < od->size && b < w * 8 + 8;
		     b++) {
			if (od->cell[b] & TUI_A_BAD) {
				v->cursor = w;
				tui_view_clamp(t, v);
				return TUI_REDRAW;
			}
		}
	}
	tui_message(t, false, "no bad bytes in this object");
	return TUI_REDRAW;
}

static enum tui_intent toggle_order(struct tui *t, struct tui_view *v)
{
	struct tui_slab_data *sd = v->sd;
	if (!sd || !sd->n)
		return TUI_IGNORED;
	/* Keep the cursor on the same object. */
	uint32_t obj = v->by_freelist ? sd->byfl[v->cursor]
				      : (uint32_t)v->cursor;
	v->by_freelist = !v->by_freelist;
	v->cursor = obj;
	if (v->by_freelist)
		for (uint32_t i = 0; i < sd->n; i++)
			if (sd->byfl[i] == obj)
				v->cursor = i;
	tui_view_clamp(t, v);
	tui_message(t, false, "objects in %s order",
		    v->by_freelist ? "freelist (slab's, CPU's, then the rest)"
				   : "address");
	return TUI_REDRAW;
}

static enum tui_intent do_action(struct tui *t, enum tui_action a)
{
	struct tui_view *v = tui_top(t);
	long page = (long)tui_page_rows(t);
	long word_page = v->kind == TUI_VIEW_OBJECT ? 2 * page : page;
	long line = v->kind == TUI_VIEW_OBJECT ? 2 : 1;
	switch (a) {
	case TUI_ACT_NONE: return TUI_IGNORED;
	case TUI_ACT_UP: return move(t, v, -line);
	case TUI_ACT_DOWN: return move(t, v, line);
	case TUI_ACT_LEFT: return move(t, v, -1);
	case TUI_ACT_RIGHT: return move(t, v, 1);
	case TUI_ACT_PGUP: return move(t, v, -word_page);
	case TUI_ACT_PGDN: return move(t, v, word_page);
	case TUI_ACT_HOME:
		v->cursor = 0;
		v->top = 0;
		tui_view_clamp(t, v);
		return TUI_REDRAW;
	case TUI_ACT_END: {
		size_t n = tui_view_nitems(t, v);
		v->cursor = n ? n - 1 : 0;
		v->top = SIZE_MAX; /* as far down as goes */
		if (v->kind == TUI_VIEW_OBJECT) {
			/* Down to the last track line, even if that leaves
			 * the cursor's last word above the screen. */
			size_t rows = tui_view_nrows(t, v);
			v->top = rows > (size_t)page ? rows - (size_t)page : 0;
			return TUI_REDRAW;
		}
		tui_view_clamp(t, v);
		return TUI_REDRAW;
	}
	case TUI_ACT_ENTER: return enter(t, v);
	case TUI_ACT_BACK: return pop(t);
	case TUI_ACT_ESCAPE:
		if (t->depth > 1)
			return pop(t);
		if (!t->filter[0])
			return TUI_IGNORED;
		t->filter[0] = '\0';
		tui_refilter(t);
		return TUI_REDRAW;
	case TUI_ACT_QUIT: return TUI_QUIT;
	case TUI_ACT_HELP: {
		if (v->kind == TUI_VIEW_HELP)
			return TUI_IGNORED;
		struct tui_view h = { .kind = TUI_VIEW_HELP,
				      .cache = SS_NO_CACHE };
		return push(t, &h);
	}
	case TUI_ACT_FINDINGS: {
		if (v->kind == TUI_VIEW_FINDINGS)
			return TUI_IGNORED;
		struct tui_view f = { .kind = TUI_VIEW_FINDINGS,
				      .cache = SS_NO_CACHE };
		return push(t, &f);
	}
	case TUI_ACT_GOTO:
		t->prompt = TUI_PROMPT_GOTO;
		t->prompt_buf[0] = '\0';
		t->prompt_len = 0;
		return TUI_REDRAW;
	case TUI_ACT_FILTER:
		t->prompt = TUI_PROMPT_FILTER;
		memcpy(t->saved_filter, t->filter, sizeof(t->filter));
		memcpy(t->prompt_buf, t->filter, sizeof(t->filter));
		t->prompt_len = strlen(t->prompt_buf);
		return TUI_REDRAW;
	case TUI_ACT_SORT:
		t->sort = (enum ss_cache_sort)((t->sort + 1) %
					       (SS_SORT_MEMORY + 1));
		if (sort_caches(t))
			tui_message(t, true, "out of memory");
		return TUI_REDRAW;
	case TUI_ACT_ORDER: return toggle_order(t, v);
	case TUI_ACT_NEXT_BAD: return next_bad(t, v);
	case TUI_ACT_REPAINT: return TUI_REPAINT;
	}
	return TUI_IGNORED;
}

/* ---- prompts ---- */

static bool parse_addr(const char *s, uint64_t *ret)
{
	while (*s == ' ')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return false;
	uint64_t v = 0;
	int digits = 0;
	for (; *s && *s != ' '; s++) {
		if (!isxdigit((unsigned char)*s) || ++digits > 16)
			return false;
		int d = isdigit((unsigned char)*s)
				? *s - '0'
				: tolower((unsigned char)*s) - 'a' + 10;
		v = v << 4 | (uint64_t)d;
	}
	while (*s == ' ')
		s++;
	if (*s)
		return false;
	*ret = v;
	return true;
}

static void prompt_changed(struct tui *t)
{
	if (t->prompt != TUI_PROMPT_FILTER)
		return;
	memcpy(t->filter, t->prompt_buf, sizeof(t->filter));
	tui_refilter(t);
}

static enum tui_intent prompt_key(struct tui *t, int key)
{
	switch (key) {
	case TUI_KEY_ENTER:
	case '\n':
	case '\r': {
		enum tui_prompt_kind k = t->prompt;
		t->prompt = TUI_PROMPT_NONE;
		if (k == TUI_PROMPT_FILTER)
			return TUI_REDRAW;
		uint64_t addr;
		if (!parse_addr(t->prompt_buf, &addr)) {
			tui_message(t, true, "not an address: \"%s\"",
				    t->prompt_buf);
			return TUI_REDRAW;
		}
		return tui_goto(t, addr);
	}
	case TUI_KEY_ESC:
		if (t->prompt == TUI_PROMPT_FILTER) {
			memcpy(t->prompt_buf, t->saved_filter,
			       sizeof(t->saved_filter));
			prompt_changed(t);
		}
		t->prompt = TUI_PROMPT_NONE;
		return TUI_REDRAW;
	case TUI_KEY_BACKSPACE:
	case 0x7f:
	case '\b':
		if (t->prompt_len)
			t->prompt_buf[--t->prompt_len] = '\0';
		prompt_changed(t);
		return TUI_REDRAW;
	case TUI_CTRL('u'):
		t->prompt_len = 0;
		t->prompt_buf[0] = '\0';
		prompt_changed(t);
		return TUI_REDRAW;
	}
	if (key < 0x20 || key >= 0x7f || t->prompt_len >= TUI_PROMPT_MAX)
		return TUI_IGNORED;
	t->prompt_buf[t->prompt_len++] = (char)key;
	t->prompt_buf[t->prompt_len] = '\0';
	prompt_changed(t);
	return TUI_REDRAW;
}

enum tui_intent tui_handle_key(struct tui *t, int key)
{
	bool had_message = t->message[0] != '\0';
	t->message[0] = '\0';
	t->message_error = false;
	enum tui_intent in;
	if (t->prompt != TUI_PROMPT_NONE) {
		in = prompt_key(t, key);
	} else {
		const struct tui_key *k = tui_key_find(tui_top(t)->kind, key);
		in = k ? do_action(t, k->action) : TUI_IGNORED;
	}
	if (in == TUI_IGNORED && had_message)
		in = TUI_REDRAW;
	return in;
}
