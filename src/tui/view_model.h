/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `slabscope browse` shows, apart from how it is drawn.
 *
 * The browser is a stack of views (caches, cache, slab, object, findings,
 * help).  A view is a few pinned rows (its header) above a scrolling list
 * of rows; each row is text with a semantic attribute per character
 * (header, problem, a region of an object slot, a bad byte, the
 * selection).  Rows are built on demand, one at a time, for the rows on
 * screen only: a cache with 100k slabs costs one row per visible slab.
 *
 * Keys come in as intents of the key table (keys.h); tui_handle_key()
 * changes the state and answers what the screen must do (nothing, redraw,
 * repaint, quit).  Nothing here knows about ncurses: src/tui/screen.c is
 * the only file that draws, and the unit tests read rows directly.
 */
#ifndef SS_TUI_VIEW_MODEL_H
#define SS_TUI_VIEW_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/check.h>
#include <slabscope/report.h>
#include <slabscope/slab.h>
#include <slabscope/track.h>

/* ---- cells ---- */

/* What a cell is; screen.c maps each to a colour or, in monochrome, to
 * reverse/bold/underline. */
enum tui_attr {
	TUI_A_NORMAL,
	TUI_A_TITLE,   /* title bar and footer */
	TUI_A_KEY,     /* a key name in the footer */
	TUI_A_HEADER,  /* column headers, section names */
	TUI_A_DIM,     /* secondary text */
	TUI_A_PROBLEM, /* a cache, slab, object or line with findings */
	/* Regions of an object slot (ss_cache_region()). */
	TUI_A_LEFT_RZ,
	TUI_A_PAYLOAD,
	TUI_A_RIGHT_RZ,
	TUI_A_FREEPTR,
	TUI_A_TRACK,
	TUI_A_PADDING,
	TUI_A_UNREADABLE, /* bytes the dump does not have */
	TUI_NATTRS,
};
#define TUI_A_KIND 0x1f
/* Flags on top of the kind. */
#define TUI_A_BAD 0x20 /* a byte a finding names */
#define TUI_A_SEL 0x40 /* the selected row, or the word under the cursor */

#define TUI_ROW_MAX 400

/* One line of the screen: text[i] is drawn with attr[i]. */
struct tui_row {
	size_t len;
	char text[TUI_ROW_MAX + 1];
	uint8_t attr[TUI_ROW_MAX];
};

void tui_row_clear(struct tui_row *r);
/* Append formatted text (non-printable characters become '?'). */
void tui_row_add(struct tui_row *r, uint8_t attr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Pad with spaces of attr up to width columns. */
void tui_row_pad(struct tui_row *r, uint8_t attr, size_t width);
/* Mark the whole row selected, padded to width. */
void tui_row_select(struct tui_row *r, size_t width);

/* ---- views ---- */

enum tui_view_kind {
	TUI_VIEW_CACHES,
	TUI_VIEW_CACHE,
	TUI_VIEW_SLAB,
	TUI_VIEW_OBJECT,
	TUI_VIEW_FINDINGS,
	TUI_VIEW_HELP,
	TUI_NVIEWS,
};
/* "Caches view", ...: the section names of the help and the man page. */
const char *tui_view_name(enum tui_view_kind k);

/* The cache view's summary, computed once when the view opens. */
struct tui_cache_sum {
	size_t nlist[SS_LIST_FREE + 1]; /* slabs per enum ss_slab_list */
	uint32_t ncpus;
	uint64_t *cpu_slab;     /* each CPU's slab (struct page), 0: none */
	uint32_t *cpu_partial;  /* slabs on each CPU's partial list */
};

/* The slab view's objects, read once when the view opens. */
struct tui_slab_data {
	struct ss_object *objs;
	uint32_t n;
	int32_t *flpos;  /* position on its freelist, -1 on none */
	uint32_t *byfl;  /* indices: slab freelist, CPU freelist, the rest */
	uint32_t nfl, ncpufl;
	bool fl_broken, cpufl_broken; /* a chain left the slab's objects */
	char *error;     /* why there are no objects */
};

/* A prepared row of text in one attribute. */
struct tui_line {
	char *text;
	uint8_t attr;
};

/* The object view's slot, read once when the view opens. */
struct tui_object_data {
	uint64_t slot;   /* first byte of the slot */
	uint32_t size;   /* slot size */
	int64_t first;   /* offset of the slot's first byte from the object */
	uint32_t index;  /* in its slab */
	enum ss_obj_state state;
	uint8_t *bytes;
	uint8_t *cell;   /* per byte: enum tui_attr region | TUI_A_BAD */
	size_t *findings; /* indices of the findings on this slot */
	size_t nfindings;
	struct tui_line *notes; /* rows after the hex dump: findings, tracks */
	size_t nnotes;
	/* whatis of the word under the cursor, kept for its value. */
	bool wi_valid;
	uint64_t wi_value;
	struct ss_whatis wi;
	char *wi_error;
};

struct tui_view {
	enum tui_view_kind kind;
	size_t cursor; /* item (list views) or 8-byte word (object view) */
	size_t top;    /* first scrolling row on screen */
	uint32_t cache;
	size_t slab;     /* index in ss_model_slabs() */
	uint64_t object; /* allocator address */
	bool by_freelist; /* slab view: freelist order */
	struct tui_cache_sum *sum;
	struct tui_slab_data *sd;
	struct tui_object_data *od;
};

/* ---- the browser ---- */

enum tui_intent {
	TUI_IGNORED, /* nothing changed */
	TUI_REDRAW,  /* draw the new state */
	TUI_REPAINT, /* draw it on a cleared terminal (Ctrl-L) */
	TUI_QUIT,
};

enum tui_prompt_kind { TUI_PROMPT_NONE, TUI_PROMPT_FILTER, TUI_PROMPT_GOTO };

#define TUI_PROMPT_MAX 64
#define TUI_STACK_MAX 64

struct tui {
	struct ss_model *m;
	const struct ss_check_result *check;
	const char *title; /* the dump's name */

	/* Findings by cache, slab and object. */
	uint32_t *cache_findings; /* count per cache */
	size_t *by_slab;          /* finding indices sorted by slab */
	size_t nby_slab;
	size_t *by_object;        /* ... by object */
	size_t nby_object;
	size_t *findings_order;   /* grouped by cache, as `check` prints */

	/* Caches view: sort, filter, the caches shown. */
	enum ss_cache_sort sort;
	uint32_t *order;   /* all caches, sorted */
	uint32_t *visible; /* those passing the filter */
	size_t nvisible;
	char filter[TUI_PROMPT_MAX + 1];

	/* Tracks, created when an object of a SLAB_STORE_USER cache opens. */
	struct ss_symbolizer *sym;
	struct ss_track_reader *tracks;
	bool tracks_tried;
	/* What a non-slab address is (the word under the cursor, goto),
	 * created on first need. */
	struct ss_identifier *ident;

	struct tui_view stack[TUI_STACK_MAX];
	size_t depth;

	enum tui_prompt_kind prompt;
	char prompt_buf[TUI_PROMPT_MAX + 1];
	size_t prompt_len;
	char saved_filter[TUI_PROMPT_MAX + 1];

	char message[256];
	bool message_error;

	int width, height; /* screen size */
};

struct tui_options {
	const char *title;   /* shown in the title bar */
	const char *cache;   /* start in this cache's view (NULL: none) */
	bool findings;       /* start in the findings view */
};

/* The browser over a loaded model and check result (both stay the
 * caller's and must outlive it).  SS_ERR_NOTFOUND: no cache named
 * opts->cache. */
struct ss_error *tui_create(struct ss_model *m,
			    const struct ss_check_result *check,
			    const struct tui_options *opts, struct tui **ret);
void tui_destroy(struct tui *t);

static inline struct tui_view *tui_top(struct tui *t)
{
	return &t->stack[t->depth - 1];
}

/* What addr (no slab's) is, in a short phrase (ss_report_whatis_brief),
 * or "" when it cannot be told. */
void tui_identify_brief(struct tui *t, uint64_t addr, char *buf, size_t len);

static inline const struct ss_cache *tui_cache(struct tui *t, uint32_t ci)
{
	return ci == SS_NO_CACHE ? NULL : ss_model_cache(t->m, ci);
}

static inline const struct ss_finding *tui_finding(struct tui *t, size_t i)
{
	return &t->check->findings[i];
}

/* Screen size in cells; keeps the cursor on screen. */
void tui_set_size(struct tui *t, int width, int height);
/* Rows of the scrolling part (screen minus title, pinned rows, status and
 * footer). */
size_t tui_page_rows(struct tui *t);

/* The current view's pinned rows and scrolling rows. */
size_t tui_view_nfixed(struct tui *t, struct tui_view *v);
void tui_view_fixed(struct tui *t, struct tui_view *v, size_t i,
		    struct tui_row *out);
size_t tui_view_nrows(struct tui *t, struct tui_view *v);
/* Row i of the scrolling part, marked selected if the cursor is on it. */
void tui_view_row(struct tui *t, struct tui_view *v, size_t i,
		  struct tui_row *out);
/* Title bar, status line (prompt, message, or what the cursor is on) and
 * footer (the keys of the current view, from the key table). */
void tui_title(struct tui *t, struct tui_row *out);
void tui_status(struct tui *t, struct tui_row *out);
void tui_footer(struct tui *t, struct tui_row *out);

/* One key (a character or a TUI_KEY_* of keys.h). */
enum tui_intent tui_handle_key(struct tui *t, int key);

/* ---- pieces, exposed for the unit tests ---- */

/* Views pushed from outside (goto, tests): an address's object view; a
 * cache's view. */
enum tui_intent tui_goto(struct tui *t, uint64_t addr);
enum tui_intent tui_open_cache(struct tui *t, uint32_t cache);
/* Recompute the caches shown after a sort or filter change, keeping the
 * cursor on the same cache when it is still shown. */
void tui_refilter(struct tui *t);
/* "4K", "12M", "3G" as `slabscope caches` prints them. */
void tui_human_bytes(uint64_t b, char *buf, size_t len);
/* The hex dump line of bytes [line*16, line*16+16) of an object view. */
void tui_hex_line(const struct tui_object_data *od, size_t line,
		  size_t cursor_word, bool show_cursor, struct tui_row *out);
/* Fill od->cell from the cache layout, the object's state and the bad
 * bytes of the findings all[od->findings[i]] (od->slot, size, first, state
 * and findings set; od->cell allocated, unreadable bytes already marked
 * TUI_A_UNREADABLE). */
void tui_object_cells(const struct ss_cache *c, const struct ss_finding *all,
		      struct tui_object_data *od);

/* ---- between view_model.c, load.c and nav.c ---- */

/* Load what a view shows when it opens: the cache summary, the slab's
 * objects, the object's slot (focus: the address to put the cursor on;
 * outside the slot, 0 say: the first bad byte, else the object).
 * Errors are for out of memory; unreadable memory is shown as such. */
struct ss_error *tui_load_cache(struct tui *t, struct tui_view *v);
struct ss_error *tui_load_slab(struct tui *t, struct tui_view *v);
struct ss_error *tui_load_object(struct tui *t, struct tui_view *v,
				 const struct ss_whatis *w, uint64_t focus);
void tui_view_free(struct tui_view *v);
/* Items the cursor moves over (rows of list views, words of an object). */
size_t tui_view_nitems(struct tui *t, struct tui_view *v);
/* Scrolling row the cursor is on. */
size_t tui_view_cursor_row(struct tui_view *v);
/* Keep the cursor on screen and the screen filled. */
void tui_view_clamp(struct tui *t, struct tui_view *v);
/* Set the status message (shown until the next key). */
void tui_message(struct tui *t, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sort key names in the order 's' cycles through. */
const char *tui_sort_name(enum ss_cache_sort s);
/* Index in ss_model_slabs() of the slab whose struct page is page, or
 * SIZE_MAX. */
size_t tui_slab_index(struct tui *t, uint32_t cache, uint64_t page);
/* Findings on object obj: *first in t->by_object, count returned. */
size_t tui_object_findings(struct tui *t, uint64_t obj, size_t *first);
size_t tui_slab_findings(struct tui *t, uint64_t page, size_t *first);

#endif
