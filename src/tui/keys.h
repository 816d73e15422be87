/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The key table of `slabscope browse`: key -> action, per view or global.
 * The loop dispatches through it and the help screen and footer are built
 * from it, so what help says is what the keys do; the unit tests check
 * that man/slabscope-browse.1 lists every entry.
 */
#ifndef SS_TUI_KEYS_H
#define SS_TUI_KEYS_H

#include <stddef.h>

#include "tui/view_model.h"

/* Keys that are not characters; screen.c translates the terminal's. */
enum {
	TUI_KEY_UP = 0x1000,
	TUI_KEY_DOWN,
	TUI_KEY_LEFT,
	TUI_KEY_RIGHT,
	TUI_KEY_PGUP,
	TUI_KEY_PGDN,
	TUI_KEY_HOME,
	TUI_KEY_END,
	TUI_KEY_ENTER,
	TUI_KEY_ESC,
	TUI_KEY_BACKSPACE,
	TUI_KEY_F1,
};
#define TUI_CTRL(c) ((c) & 0x1f)

enum tui_action {
	TUI_ACT_NONE,
	TUI_ACT_UP,
	TUI_ACT_DOWN,
	TUI_ACT_LEFT,
	TUI_ACT_RIGHT,
	TUI_ACT_PGUP,
	TUI_ACT_PGDN,
	TUI_ACT_HOME,
	TUI_ACT_END,
	TUI_ACT_ENTER,
	TUI_ACT_BACK,    /* back; quits from the first view */
	TUI_ACT_ESCAPE,  /* back; clears the filter on the first view */
	TUI_ACT_QUIT,
	TUI_ACT_HELP,
	TUI_ACT_GOTO,
	TUI_ACT_FINDINGS,
	TUI_ACT_SORT,
	TUI_ACT_FILTER,
	TUI_ACT_ORDER,
	TUI_ACT_NEXT_BAD,
	TUI_ACT_REPAINT,
};

#define TUI_VIEW_BIT(k) (1u << (k))
#define TUI_ALL_VIEWS ((1u << TUI_NVIEWS) - 1)

struct tui_key {
	int key;
	unsigned views;      /* TUI_VIEW_BIT()s, or TUI_ALL_VIEWS: global */
	enum tui_action action;
	const char *name;    /* as help and the man page spell it */
	const char *label;   /* in the footer (NULL: not there) */
	const char *help;    /* one line for the help screen */
};

/* The table; view-specific entries come before global ones. */
extern const struct tui_key tui_keys[];
extern const size_t tui_nkeys;

/* The entry for key in view (a view's own binding wins), or NULL. */
const struct tui_key *tui_key_find(enum tui_view_kind view, int key);

#endif
