/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The screen of `slabscope browse`: one loop owns the terminal, draws the
 * rows the view model builds (only those that fit), reads a key, hands it
 * to the model and acts on the intent.  Frames are drawn with erase() and
 * doupdate(), so ncurses sends only what changed: no flicker.  Colours
 * when the terminal has them; otherwise (TERM=vt100, NO_COLOR) reverse,
 * bold and underline carry the same distinctions.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

#include "tui/keys.h"
#include "tui/screen.h"
#include "tui/view_model.h"

/* Smallest usable terminal. */
#define MIN_COLS 40
#define MIN_LINES 10

struct styles {
	attr_t kind[TUI_NATTRS];
	attr_t bad;
	attr_t sel;
	attr_t bad_sel;
};

enum {
	PAIR_TITLE = 1,
	PAIR_KEY,
	PAIR_HEADER,
	PAIR_PROBLEM,
	PAIR_REDZONE,
	PAIR_FREEPTR,
	PAIR_TRACK,
	PAIR_PADDING,
	PAIR_BAD,
};

static void init_styles(struct styles *s)
{
	const char *no_color = getenv("NO_COLOR");
	bool color = has_colors() && !(no_color && *no_color);
	if (color && start_color() == OK) {
		use_default_colors();
		init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_KEY, COLOR_WHITE, COLOR_BLACK);
		init_pair(PAIR_HEADER, COLOR_BLACK, COLOR_GREEN);
		init_pair(PAIR_PROBLEM, COLOR_RED, -1);
		init_pair(PAIR_REDZONE, COLOR_MAGENTA, -1);
		init_pair(PAIR_FREEPTR, COLOR_CYAN, -1);
		init_pair(PAIR_TRACK, COLOR_YELLOW, -1);
		init_pair(PAIR_PADDING, COLOR_BLUE, -1);
		init_pair(PAIR_BAD, COLOR_WHITE, COLOR_RED);
		s->kind[TUI_A_NORMAL] = A_NORMAL;
		s->kind[TUI_A_TITLE] = COLOR_PAIR(PAIR_TITLE);
		s->kind[TUI_A_KEY] = COLOR_PAIR(PAIR_KEY) | A_BOLD;
		s->kind[TUI_A_HEADER] = COLOR_PAIR(PAIR_HEADER);
		s->kind[TUI_A_DIM] = A_DIM;
		s->kind[TUI_A_PROBLEM] = COLOR_PAIR(PAIR_PROBLEM) | A_BOLD;
		s->kind[TUI_A_LEFT_RZ] = COLOR_PAIR(PAIR_REDZONE);
		s->kind[TUI_A_PAYLOAD] = A_NORMAL;
		s->kind[TUI_A_RIGHT_RZ] = COLOR_PAIR(PAIR_REDZONE);
		s->kind[TUI_A_FREEPTR] = COLOR_PAIR(PAIR_FREEPTR) | A_BOLD;
		s->kind[TUI_A_TRACK] = COLOR_PAIR(PAIR_TRACK);
		s->kind[TUI_A_PADDING] = COLOR_PAIR(PAIR_PADDING);
		s->kind[TUI_A_UNREADABLE] = COLOR_PAIR(PAIR_PADDING) | A_DIM;
		s->bad = COLOR_PAIR(PAIR_BAD) | A_BOLD;
		s->sel = A_REVERSE;
		s->bad_sel = COLOR_PAIR(PAIR_BAD) | A_BOLD | A_UNDERLINE;
		return;
	}
	/* Monochrome: red zones underlined, free pointers bold, tracks and
	 * padding dim (where the terminal can), bad bytes reversed and bold,
	 * the cursor reversed (a bad byte under it: bold underlined). */
	s->kind[TUI_A_NORMAL] = A_NORMAL;
	s->kind[TUI_A_TITLE] = A_REVERSE;
	s->kind[TUI_A_KEY] = A_REVERSE | A_BOLD;
	s->kind[TUI_A_HEADER] = A_BOLD;
	s->kind[TUI_A_DIM] = A_DIM;
	s->kind[TUI_A_PROBLEM] = A_BOLD;
	s->kind[TUI_A_LEFT_RZ] = A_UNDERLINE;
	s->kind[TUI_A_PAYLOAD] = A_NORMAL;
	s->kind[TUI_A_RIGHT_RZ] = A_UNDERLINE;
	s->kind[TUI_A_FREEPTR] = A_BOLD;
	s->kind[TUI_A_TRACK] = A_DIM;
	s->kind[TUI_A_PADDING] = A_DIM;
	s->kind[TUI_A_UNREADABLE] = A_DIM;
	s->bad = A_REVERSE | A_BOLD;
	s->sel = A_REVERSE;
	s->bad_sel = A_BOLD | A_UNDERLINE;
}

static attr_t style(const struct styles *s, uint8_t a)
{
	attr_t base = s->kind[(a & TUI_A_KIND) < TUI_NATTRS ? a & TUI_A_KIND
							     : TUI_A_NORMAL];
	if ((a & TUI_A_BAD) && (a & TUI_A_SEL))
		return s->bad_sel;
	if (a & TUI_A_BAD)
		return s->bad;
	if (a & TUI_A_SEL)
		return base | s->sel;
	return base;
}

/* Draw one row at line y, clipped to the screen (the bottom-right cell is
 * left alone: writing it would scroll some terminals). */
static void draw_row(const struct styles *s, int y, const struct tui_row *r)
{
	size_t width = (size_t)COLS - (y == LINES - 1 ? 1 : 0);
	size_t n = r->len < width ? r->len : width;
	move(y, 0);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && r->attr[j] == r->attr[i])
			j++;
		attrset(style(s, r->attr[i]));
		addnstr(r->text + i, (int)(j - i));
		i = j;
	}
	attrset(A_NORMAL);
}

static void draw(struct tui *t, const struct styles *s)
{
	struct tui_row row;
	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		mvaddnstr(0, 0, "slabscope browse:", COLS);
		mvaddnstr(1, 0, "terminal too small", COLS);
		mvaddnstr(2, 0, "(40x10 at least)", COLS);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	struct tui_view *v = tui_top(t);
	tui_title(t, &row);
	draw_row(s, 0, &row);
	int y = 1;
	size_t nfixed = tui_view_nfixed(t, v);
	for (size_t i = 0; i < nfixed && y < LINES - 2; i++, y++) {
		tui_view_fixed(t, v, i, &row);
		draw_row(s, y, &row);
	}
	size_t nrows = tui_view_nrows(t, v);
	for (size_t i = v->top; i < nrows && y < LINES - 2; i++, y++) {
		tui_view_row(t, v, i, &row);
		draw_row(s, y, &row);
	}
	tui_status(t, &row);
	draw_row(s, LINES - 2, &row);
	tui_footer(t, &row);
	draw_row(s, LINES - 1, &row);
	wnoutrefresh(stdscr);
	doupdate();
}

static int translate(int ch)
{
	switch (ch) {
	case KEY_UP: return TUI_KEY_UP;
	case KEY_DOWN: return TUI_KEY_DOWN;
	case KEY_LEFT: return TUI_KEY_LEFT;
	case KEY_RIGHT: return TUI_KEY_RIGHT;
	case KEY_PPAGE: return TUI_KEY_PGUP;
	case KEY_NPAGE: return TUI_KEY_PGDN;
	case KEY_HOME:
	case KEY_FIND: return TUI_KEY_HOME;
	case KEY_END:
	case KEY_SELECT: return TUI_KEY_END;
	case KEY_ENTER:
	case '\n':
	case '\r': return TUI_KEY_ENTER;
	case 27: return TUI_KEY_ESC;
	case KEY_BACKSPACE:
	case 0x7f:
	case '\b': return TUI_KEY_BACKSPACE;
	case KEY_F(1): return TUI_KEY_F1;
	}
	return ch;
}

/* Set by SIGINT/SIGTERM: the loop ends as if q was pressed on the first
 * view, so the terminal is restored and everything freed. */
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* After ESC: true if it was the Esc key alone.  An escape sequence the
 * terminal description does not know (a CSI "ESC [ ... final" or SS3
 * "ESC O x"), or Alt and a key, is read to its end and dropped rather than
 * taken for Esc (back) and keys; what follows it is left alone. */
static bool lone_escape(void)
{
	nodelay(stdscr, TRUE);
	int c = getch();
	if (c == '[') {
		/* Parameters and intermediates up to the final byte. */
		for (int n = 0; n < 32; n++) {
			c = getch();
			if (c == ERR || (c >= 0x40 && c <= 0x7e))
				break;
		}
	} else if (c == 'O') {
		getch();
	}
	nodelay(stdscr, FALSE);
	return c == ERR;
}

struct ss_error *tui_screen_check(void)
{
	int err = 0;
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		const char *term = getenv("TERM");
		return ss_error_create(SS_ERR_INVALID,
				       "terminal type '%s' unknown: set TERM "
				       "to one terminfo knows (xterm, vt100)",
				       term ? term : "");
	}
	del_curterm(cur_term);
	return NULL;
}

struct ss_error *tui_screen_run(struct tui *t)
{
	/* Installed before ncurses, which then leaves them alone; no
	 * SA_RESTART, so that getch() returns. */
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	stop = 0;
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		const char *term = getenv("TERM");
		return ss_error_create(SS_ERR_INVALID,
				       "cannot use the terminal (TERM=%s)",
				       term ? term : "unset");
	}
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	struct styles s;
	init_styles(&s);
	int errors = 0;
	while (!stop) {
		tui_set_size(t, COLS, LINES);
		draw(t, &s);
		int ch = getch();
		if (stop)
			break;
		if (ch == KEY_RESIZE)
			continue;
		if (ch == ERR) {
			/* The terminal went away (or a signal): give up after
			 * a few in a row rather than spin. */
			if (errno != EINTR && ++errors > 8)
				break;
			continue;
		}
		errors = 0;
		if (ch == 27 && !lone_escape())
			continue;
		enum tui_intent in = tui_handle_key(t, translate(ch));
		if (in == TUI_QUIT)
			break;
		if (in == TUI_REPAINT)
			clearok(curscr, TRUE);
	}
	/* Leave a blank screen on terminals without an alternate one. */
	erase();
	wnoutrefresh(stdscr);
	doupdate();
	endwin();
	delscreen(scr);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return NULL;
}

struct ss_library_version tui_screen_library_version(void)
{
	/* "ncurses 6.4.20221231" */
	const char *v = curses_version();
	if (strncmp(v, "ncurses ", 8) == 0)
		v += 8;
	return (struct ss_library_version){ "ncurses", v, false };
}
