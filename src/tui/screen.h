/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The terminal side of `slabscope browse`: the only user of ncurses. */
#ifndef SS_TUI_SCREEN_H
#define SS_TUI_SCREEN_H

#include <slabscope/error.h>
#include <slabscope/version.h>

struct tui;

/* Can the terminal of standard output be used (is TERM known)?  Checked
 * before the dump is loaded, to fail fast. */
struct ss_error *tui_screen_check(void);

/*
 * Run the browser on the terminal of standard input and output until the
 * user quits; the terminal is restored on return.  Errors only when the
 * terminal cannot be used (unknown TERM).
 */
struct ss_error *tui_screen_run(struct tui *t);

/* The run-time ncurses version (curses_version()), for --version. */
struct ss_library_version tui_screen_library_version(void);

#endif
