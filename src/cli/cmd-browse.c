/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope browse: the interactive cache browser (src/tui/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <slabscope/check.h>

#include "cli.h"
#include "tui/screen.h"
#include "tui/view_model.h"

enum { OPT_CACHE = 0x100, OPT_FINDINGS };

static void check_progress(void *arg, uint64_t done, uint64_t total)
{
	(void)arg;
	fprintf(stderr, "\rchecking slabs: %3d%%",
		total ? (int)(done * 100 / total) : 100);
	fflush(stderr);
}

static int browse_exec(const struct ss_cmd_entry *self, int argc, char **argv)
{
	static const struct option longopts[] = {
		SS_COMMON_LONG_OPTIONS,
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "findings", no_argument, NULL, OPT_FINDINGS },
		{ NULL, 0, NULL, 0 },
	};
	struct ss_common_opts opts = { 0 };
	struct tui_options topts = { 0 };
	int c;
	while ((c = getopt_long(argc, argv, SS_COMMON_SHORT_OPTIONS, longopts,
				NULL)) != -1) {
		if (c == OPT_CACHE) {
			topts.cache = optarg;
			continue;
		}
		if (c == OPT_FINDINGS) {
			topts.findings = true;
			continue;
		}
		int rc = ss_common_option(self, c, &opts);
		if (rc != SS_CONTINUE)
			return rc < 0 ? SS_EXIT_ERROR : rc;
	}
	if (opts.json)
		return ss_cli_usage_error(
			self, "--json does not apply: browse is interactive "
			      "(use 'slabscope caches --json' or 'slabscope "
			      "check --json')");
	if (optind + 1 != argc)
		return ss_cli_usage_error(self, "expected exactly one DUMP");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "slabscope browse: standard input and output "
				"must be a terminal (for reports, use "
				"'slabscope caches' or 'slabscope check')\n");
		return SS_EXIT_ERROR;
	}
	struct ss_error *err = tui_screen_check();
	if (err)
		return ss_cli_fail(err);
	const char *dump = argv[optind];
	const char *slash = strrchr(dump, '/');
	topts.title = slash ? slash + 1 : dump;

	struct ss_kernel *k;
	struct ss_model *m;
	err = ss_cli_open_kernel(dump, &opts, &k);
	if (err)
		return ss_cli_fail(err);
	err = ss_cli_load_model(k, &opts, &m);
	if (err) {
		ss_kernel_close(k);
		return ss_cli_fail(err);
	}
	/* The findings, with progress on the terminal before the screen
	 * takes it over. */
	struct ss_check_options copts = { 0 };
	bool tty = !opts.quiet && isatty(STDERR_FILENO);
	if (tty)
		copts.progress = check_progress;
	struct ss_check_result r;
	err = ss_check_run(m, &copts, &r);
	if (tty)
		fputs("\r                     \r", stderr);
	if (err) {
		err = ss_error_prepend(err, "%s", dump);
	} else {
		struct tui *t;
		err = tui_create(m, &r, &topts, &t);
		if (!err) {
			err = tui_screen_run(t);
			tui_destroy(t);
		}
		ss_check_result_deinit(&r);
	}
	ss_model_destroy(m);
	ss_kernel_close(k);
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_browse_entry = {
	.name = "browse",
	.summary = "interactive cache browser: caches, slabs, objects, bytes",
	.help =
	"Usage: slabscope browse [OPTIONS] DUMP\n"
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
	"  -k, --vmlinux FILE  vmlinux with debug info (default: found from the\n"
	"                      dump's kernel release)\n"
	"  -q, --quiet         no progress output while loading\n"
	"  -h, --help          show this help\n"
	"      --json          not accepted: browse is interactive (exit 2)\n"
	"\n"
	"Standard input and output must be a terminal.\n"
	"Exit status: 0 when quit, 2 the dump could not be analysed, no\n"
	"terminal, or a usage error.\n",
	.exec = browse_exec,
};
