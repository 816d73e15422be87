/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The key table of `slabscope browse` (see keys.h). */
#include "tui/keys.h"

#define V(k) TUI_VIEW_BIT(TUI_VIEW_##k)
#define ALL TUI_ALL_VIEWS

const struct tui_key tui_keys[] = {
	/* Caches view. */
	{ TUI_KEY_ENTER, V(CACHES), TUI_ACT_ENTER, "Enter", "open",
	  "open the cache: its fields, lists and slabs" },
	{ 's', V(CACHES), TUI_ACT_SORT, "s", "sort",
	  "next sort key: name, allocated, total, slabs, size, memory" },
	{ '/', V(CACHES), TUI_ACT_FILTER, "/", "filter",
	  "filter by name as you type; Enter keeps it, Esc drops it" },
	/* Cache view. */
	{ TUI_KEY_ENTER, V(CACHE), TUI_ACT_ENTER, "Enter", "open",
	  "open the slab: its objects and freelists" },
	/* Slab view. */
	{ TUI_KEY_ENTER, V(SLAB), TUI_ACT_ENTER, "Enter", "open",
	  "open the object: its bytes, regions and tracks" },
	{ 'o', V(SLAB), TUI_ACT_ORDER, "o", "order",
	  "address order or freelist order (slab's, then CPU's)" },
	/* Object view. */
	{ TUI_KEY_ENTER, V(OBJECT), TUI_ACT_ENTER, "Enter", "follow",
	  "follow the pointer under the cursor to its object" },
	{ TUI_KEY_LEFT, V(OBJECT), TUI_ACT_LEFT, "Left", NULL,
	  "previous 8-byte word" },
	{ 'h', V(OBJECT), TUI_ACT_LEFT, "h", NULL, "previous 8-byte word" },
	{ TUI_KEY_RIGHT, V(OBJECT), TUI_ACT_RIGHT, "Right", NULL,
	  "next 8-byte word" },
	{ 'l', V(OBJECT), TUI_ACT_RIGHT, "l", NULL, "next 8-byte word" },
	{ 'n', V(OBJECT), TUI_ACT_NEXT_BAD, "n", "next bad",
	  "next word with bad bytes (wraps)" },
	/* Findings view. */
	{ TUI_KEY_ENTER, V(FINDINGS), TUI_ACT_ENTER, "Enter", "open",
	  "open the finding's object (or its slab, or its cache)" },

	/* Everywhere. */
	{ TUI_KEY_UP, ALL, TUI_ACT_UP, "Up", NULL, "move up" },
	{ 'k', ALL, TUI_ACT_UP, "k", NULL, "move up" },
	{ TUI_KEY_DOWN, ALL, TUI_ACT_DOWN, "Down", NULL, "move down" },
	{ 'j', ALL, TUI_ACT_DOWN, "j", NULL, "move down" },
	{ TUI_KEY_PGUP, ALL, TUI_ACT_PGUP, "PgUp", NULL, "one page up" },
	{ TUI_CTRL('b'), ALL, TUI_ACT_PGUP, "Ctrl-B", NULL, "one page up" },
	{ TUI_KEY_PGDN, ALL, TUI_ACT_PGDN, "PgDn", NULL, "one page down" },
	{ TUI_CTRL('f'), ALL, TUI_ACT_PGDN, "Ctrl-F", NULL, "one page down" },
	{ ' ', ALL, TUI_ACT_PGDN, "Space", NULL, "one page down" },
	{ TUI_KEY_HOME, ALL, TUI_ACT_HOME, "Home", NULL, "first row" },
	{ TUI_KEY_END, ALL, TUI_ACT_END, "End", NULL, "last row" },
	{ 'f', ALL, TUI_ACT_FINDINGS, "f", "findings",
	  "every finding of slabscope check" },
	{ 'g', ALL, TUI_ACT_GOTO, "g", "goto",
	  "go to an address: its object, or its slab" },
	{ '?', ALL, TUI_ACT_HELP, "?", "help", "this help" },
	{ TUI_KEY_F1, ALL, TUI_ACT_HELP, "F1", NULL, "this help" },
	{ 'q', ALL, TUI_ACT_BACK, "q", "back",
	  "back to the previous view; quits from the first" },
	{ TUI_KEY_ESC, ALL, TUI_ACT_ESCAPE, "Esc", NULL,
	  "back to the previous view (first view: drop the filter)" },
	{ 'Q', ALL, TUI_ACT_QUIT, "Q", NULL, "quit at once" },
	{ TUI_CTRL('l'), ALL, TUI_ACT_REPAINT, "Ctrl-L", NULL,
	  "repaint the screen" },
};
const size_t tui_nkeys = sizeof(tui_keys) / sizeof(tui_keys[0]);

const struct tui_key *tui_key_find(enum tui_view_kind view, int key)
{
	for (size_t i = 0; i < tui_nkeys; i++)
		if (tui_keys[i].key == key &&
		    (tui_keys[i].views & TUI_VIEW_BIT(view)))
			return &tui_keys[i];
	return NULL;
}
