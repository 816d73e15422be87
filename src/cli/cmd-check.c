/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope check: every slab of every cache validated, findings named. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <slabscope/check.h>
#include <slabscope/report.h>

#include "cli.h"

enum { OPT_CACHE = 0x100, OPT_LIST_IDS };

static void check_progress(void *arg, uint64_t done, uint64_t total)
{
	(void)arg;
	fprintf(stderr, "\rchecking slabs: %3d%%",
		total ? (int)(done * 100 / total) : 100);
	fflush(stderr);
}

static int check_exec(const struct ss_cmd_entry *self, int argc, char **argv)
{
	static const struct option longopts[] = {
		SS_COMMON_LONG_OPTIONS,
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "list-ids", no_argument, NULL, OPT_LIST_IDS },
		{ NULL, 0, NULL, 0 },
	};
	struct ss_common_opts opts = { 0 };
	const char **caches = calloc((size_t)argc + 1, sizeof(*caches));
	size_t ncaches = 0;
	if (!caches)
		return ss_cli_fail(&ss_error_nomem);
	int c;
	while ((c = getopt_long(argc, argv, SS_COMMON_SHORT_OPTIONS, longopts,
				NULL)) != -1) {
		if (c == OPT_CACHE) {
			caches[ncaches++] = optarg;
			continue;
		}
		if (c == OPT_LIST_IDS) {
			for (const struct ss_finding_kind *k = ss_finding_kinds;
			     k->id; k++)
				printf("%-20s %-8s %s\n", k->id,
				       ss_severity_name(k->severity),
				       k->explanation);
			free(caches);
			return SS_EXIT_OK;
		}
		int rc = ss_common_option(self, c, &opts);
		if (rc != SS_CONTINUE) {
			free(caches);
			return rc < 0 ? SS_EXIT_ERROR : rc;
		}
	}
	if (optind + 1 != argc) {
		free(caches);
		return ss_cli_usage_error(self, "expected exactly one DUMP");
	}

	struct ss_session sess;
	struct ss_error *err = ss_cli_session_open(argv[optind], &opts, &sess);
	if (err) {
		free(caches);
		return ss_cli_fail(err);
	}
	struct ss_model *m = sess.m;
	struct ss_check_options copts = {
		.caches = caches,
		.ncaches = ncaches,
	};
	bool tty = !opts.quiet && isatty(STDERR_FILENO);
	if (tty)
		copts.progress = check_progress;
	struct ss_check_result r;
	err = ss_check_run(m, &copts, &r);
	if (tty)
		fputs("\r                     \r", stderr);
	int status = SS_EXIT_OK;
	if (!err) {
		if (opts.json)
			err = ss_json_dump(ss_report_check_json(m, &r), stdout);
		else
			err = ss_report_check_text(m, &r, stdout);
		if (r.nfindings)
			status = SS_EXIT_FINDINGS;
		ss_check_result_deinit(&r);
	} else {
		err = ss_error_prepend(err, "%s", argv[optind]);
	}
	ss_cli_session_close(&sess);
	free(caches);
	return err ? ss_cli_fail(err) : status;
}

const struct ss_cmd_entry ss_cmd_check_entry = {
	.name = "check",
	.summary = "find corrupt slabs: free pointers, red zones, poison, lists",
	.help =
	"Usage: slabscope check [OPTIONS] DUMP\n"
	"\n"
	"Validate every slab of every cache of DUMP, full slabs included, as\n"
	"the kernel's validate_slab would, and keep going after each error:\n"
	"free pointers and freelists, slab and node counters, partial/full/CPU\n"
	"lists, and on debug caches red zones, poison and padding.  Each\n"
	"finding has a stable id (see slabscope-check(1)), the cache, slab and\n"
	"object, the first bad byte with expected and found bytes, and a\n"
	"culprit hint: the object that probably wrote the bytes, with its\n"
	"alloc/free tracks when the cache keeps them (SLAB_STORE_USER).\n"
	"\n"
	"Options:\n"
	"      --cache NAME    only this cache (repeatable)\n"
	"      --list-ids      list every finding id with its severity and\n"
	"                      meaning, and exit\n"
	"  -k, --vmlinux FILE  vmlinux with debug info (default: found from the\n"
	"                      dump's kernel release)\n"
	"      --json          one JSON document on stdout\n"
	"  -q, --quiet         no progress output\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 no findings, 1 findings, 2 the dump could not be\n"
	"analysed.\n",
	.exec = check_exec,
};
