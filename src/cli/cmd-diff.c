/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope diff: which caches grew between two dumps or snapshots. */
#include <stdio.h>
#include <stdlib.h>

#include <slabscope/diff.h>
#include <slabscope/report.h>

#include "cli.h"

enum { OPT_SORT = 0x100, OPT_FAIL_IF, OPT_ALL };

static int diff_exec(const struct ss_cmd_entry *self, int argc, char **argv)
{
	static const struct option longopts[] = {
		SS_COMMON_LONG_OPTIONS,
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "fail-if", required_argument, NULL, OPT_FAIL_IF },
		{ "all", no_argument, NULL, OPT_ALL },
		{ NULL, 0, NULL, 0 },
	};
	struct ss_common_opts opts = { 0 };
	int sort = SS_DIFF_SORT_MEMORY;
	bool all = false;
	struct ss_threshold *th = calloc((size_t)argc + 1, sizeof(*th));
	size_t nth = 0;
	int status = SS_EXIT_ERROR;
	struct ss_snapshot before = { 0 }, after = { 0 };
	struct ss_diff_entry *v = NULL;
	size_t n = 0;
	struct ss_error *err = NULL;
	if (!th)
		return ss_cli_fail(&ss_error_nomem);
	int c;
	while ((c = getopt_long(argc, argv, SS_COMMON_SHORT_OPTIONS, longopts,
				NULL)) != -1) {
		switch (c) {
		case OPT_SORT:
			sort = ss_diff_sort_parse(optarg);
			if (sort < 0) {
				status = ss_cli_usage_error(
					self, "unknown sort key '%s'", optarg);
				goto out;
			}
			continue;
		case OPT_FAIL_IF:
			err = ss_threshold_parse(optarg, &th[nth]);
			if (err) {
				status = ss_cli_usage_error(self, "%s",
							    err->message);
				ss_error_destroy(err);
				err = NULL;
				goto out;
			}
			nth++;
			continue;
		case OPT_ALL:
			all = true;
			continue;
		}
		int rc = ss_common_option(self, c, &opts);
		if (rc != SS_CONTINUE) {
			status = rc < 0 ? SS_EXIT_ERROR : rc;
			goto out;
		}
	}
	if (optind + 2 != argc) {
		status = ss_cli_usage_error(self, "expected BEFORE and AFTER");
		goto out;
	}
	err = ss_cli_load_snapshot(argv[optind], &opts, &before);
	if (!err)
		err = ss_cli_load_snapshot(argv[optind + 1], &opts, &after);
	if (!err)
		err = ss_diff_compute(&before, &after, (enum ss_diff_sort)sort,
				      &v, &n);
	if (!err) {
		if (opts.json)
			err = ss_json_dump(ss_report_diff_json(v, n, th, nth),
					   stdout);
		else
			err = ss_report_diff_text(v, n, th, nth, all, stdout);
	}
	if (!err) {
		status = SS_EXIT_OK;
		for (size_t t = 0; t < nth; t++)
			for (size_t i = 0; i < n; i++)
				if (ss_threshold_crossed(&th[t], &v[i]))
					status = SS_EXIT_FINDINGS;
	}
out:
	free(v);
	ss_snapshot_deinit(&before);
	ss_snapshot_deinit(&after);
	for (size_t t = 0; t < nth; t++)
		ss_threshold_deinit(&th[t]);
	free(th);
	return err ? ss_cli_fail(err) : status;
}

const struct ss_cmd_entry ss_cmd_diff_entry = {
	.name = "diff",
	.summary = "which caches grew between two dumps or snapshots",
	.help =
	"Usage: slabscope diff [OPTIONS] BEFORE AFTER\n"
	"\n"
	"Compare the slab caches of BEFORE and AFTER, each a dump, a snapshot\n"
	"saved with 'slabscope caches --json DUMP > FILE', or a copy of\n"
	"/proc/slabinfo.  Caches are matched by name; one present on one side\n"
	"only is new or gone.  For each: allocated objects before and after,\n"
	"the delta, the ratio and the memory delta, largest memory growth\n"
	"first.  Text output hides unchanged caches.\n"
	"\n"
	"Options:\n"
	"      --sort KEY      memory (default), delta, ratio or name\n"
	"      --all           also show caches that did not change\n"
	"      --fail-if RULE  exit 1 when RULE is crossed (repeatable):\n"
	"                      GLOB>+N%  allocated objects grew by more than N%\n"
	"                      GLOB>+N   ... by more than N objects\n"
	"                      GLOB>N    more than N objects after\n"
	"                      a K, M or G suffix compares memory instead,\n"
	"                      >= is accepted; e.g. 'task_struct>+10%'\n"
	"  -k, --vmlinux FILE  vmlinux with debug info for dumps (default: found\n"
	"                      from each dump's kernel release)\n"
	"      --json          one JSON document on stdout\n"
	"  -q, --quiet         no progress output\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 no threshold crossed, 1 a threshold crossed, 2 an input\n"
	"could not be read.\n",
	.exec = diff_exec,
};
