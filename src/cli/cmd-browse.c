/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope browse: the interactive cache browser (src/tui/). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <slabscope/check.h>

#include "cli.h"
#include "tui/screen.h"
#include "tui/view_model.h"

enum { OPT_CACHE, OPT_FINDINGS };

static const struct ss_cmd_option browse_options[] = {
	{ "cache", required_argument, 0, OPT_CACHE, 0, NULL },
	{ "findings", no_argument, 0, OPT_FINDINGS, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static int browse_option(struct ss_cmd *cmd, int id, const char *arg)
{
	struct tui_options *o = cmd->opts;
	if (id == OPT_CACHE)
		o->cache = arg;
	else if (id == OPT_FINDINGS)
		o->findings = true;
	return SS_CONTINUE;
}

/*
 * The session is opened here, not by the driver: the terminal is checked
 * first, so that without one browse says so before reading the dump.
 */
static int browse_exec(struct ss_cmd *cmd)
{
	struct tui_options *topts = cmd->opts;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "slabscope browse: standard input and output "
				"must be a terminal (for reports, use "
				"'slabscope caches' or 'slabscope check')\n");
		return SS_EXIT_ERROR;
	}
	struct ss_error *err = tui_screen_check();
	if (err)
		return ss_cli_fail(err);
	const char *dump = cmd->argv[0];
	const char *slash = strrchr(dump, '/');
	topts->title = slash ? slash + 1 : dump;

	struct ss_session sess;
	err = ss_cli_session_open(dump, &cmd->common, &sess);
	if (err)
		return ss_cli_fail(err);
	/* The findings, with progress on the terminal before the screen
	 * takes it over. */
	struct ss_check_options copts = { 0 };
	struct ss_check_result r;
	err = ss_cli_check_run(sess.m, &copts, &cmd->common, &r);
	if (err) {
		err = ss_error_prepend(err, "%s", dump);
	} else {
		struct tui *t;
		err = tui_create(sess.m, &r, topts, &t);
		if (!err) {
			err = tui_screen_run(t);
			tui_destroy(t);
		}
		ss_check_result_deinit(&r);
	}
	ss_cli_session_close(&sess);
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_browse_entry = {
	.name = "browse",
	.summary = "interactive cache browser: caches, slabs, objects, bytes",
	.help = "Usage: slabscope browse [OPTIONS] DUMP\n"
		"\n"
		"Browse the slab caches of DUMP on the terminal, like slabtop for a\n"
		"dump, and drill down: a cache's fields, lists and slabs; a slab's\n"
		"objects and freelists; an object's bytes with its red zones,\n"
		"payload, free pointer, tracks and padding told apart and the bytes\n"
		"of findings marked, its alloc/free tracks, and what the pointer\n"
		"under the cursor points to.  The findings of 'slabscope check' are\n"
		"highlighted everywhere and listed in their own view.  Press ? for\n"
		"the keys (see slabscope-browse(1)).\n"
		"\n"
		"Options:\n"
		"      --cache NAME    start in the view of cache NAME\n"
		"      --findings      start in the findings view\n"
		"  -k, --vmlinux FILE  vmlinux with debug info (default: found by the\n"
		"                      dump's build-id and kernel release)\n" SS_HELP_MODULE_OPTION
		"  -q, --quiet         no progress output while loading\n"
		"      --threads N     threads reading the dump ahead (default: the CPUs)\n"
		"  -h, --help          show this help\n"
		"      --json          not accepted: browse is interactive (exit 2)\n"
		"\n"
		"Standard input and output must be a terminal.\n"
		"Exit status: 0 when quit, 2 the dump could not be analysed, no\n"
		"terminal, or a usage error.\n",
	.options = browse_options,
	.opts_size = sizeof(struct tui_options),
	.option = browse_option,
	.operands = SS_OPERANDS_DUMP,
	.session = SS_SESSION_NONE, /* browse_exec opens it: see there */
	.no_json = "browse is interactive (use 'slabscope caches --json' or "
		   "'slabscope check --json')",
	.exec = browse_exec,
};
