/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope diff: which caches grew between two dumps or snapshots. */
#include <stdio.h>
#include <stdlib.h>

#include <slabscope/diff.h>
#include <slabscope/report.h>

#include "cli.h"

enum { OPT_SORT, OPT_FAIL_IF, OPT_ALL };

static const struct ss_cmd_option diff_options[] = {
	{ "sort", required_argument, 0, OPT_SORT, 0, NULL },
	{ "fail-if", required_argument, 0, OPT_FAIL_IF, 0, NULL },
	{ "all", no_argument, 0, OPT_ALL, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

struct diff_opts {
	enum ss_diff_sort sort;
	bool all;
	struct ss_threshold *th; /* --fail-if, repeatable */
	size_t nth;
};

static const struct diff_opts diff_defaults = { .sort = SS_DIFF_SORT_MEMORY };

static void diff_opts_deinit(void *opts)
{
	struct diff_opts *o = opts;
	for (size_t t = 0; t < o->nth; t++)
		ss_threshold_deinit(&o->th[t]);
	free(o->th);
}

static int diff_option(struct ss_cmd *cmd, int id, const char *arg)
{
	struct diff_opts *o = cmd->opts;
	switch (id) {
	case OPT_SORT: {
		int sort = ss_diff_sort_parse(arg);
		if (sort < 0)
			return ss_cli_usage_error(cmd->entry,
						  "unknown sort key '%s'", arg);
		o->sort = (enum ss_diff_sort)sort;
		break;
	}
	case OPT_FAIL_IF:
		return ss_cli_threshold_option(cmd, arg, false, &o->th,
					       &o->nth);
	case OPT_ALL:
		o->all = true;
		break;
	}
	return SS_CONTINUE;
}

static int diff_exec(struct ss_cmd *cmd)
{
	const struct diff_opts *o = cmd->opts;
	struct ss_snapshot before = { 0 }, after = { 0 };
	struct ss_diff_entry *v = NULL;
	size_t n = 0;
	int status = SS_EXIT_ERROR;
	struct ss_error *err =
		ss_cli_load_snapshot(cmd->argv[0], &cmd->common, &before);
	if (!err)
		err = ss_cli_load_snapshot(cmd->argv[1], &cmd->common, &after);
	if (!err)
		err = ss_diff_compute(&before, &after, o->sort, &v, &n);
	if (!err) {
		if (cmd->common.json)
			err = ss_cli_print_json(
				cmd, ss_report_diff_json(&before, &after, v, n,
							 o->th, o->nth));
		else
			err = ss_report_diff_text(v, n, o->th, o->nth, o->all,
						  stdout);
	}
	if (!err) {
		status = SS_EXIT_OK;
		for (size_t t = 0; t < o->nth; t++)
			for (size_t i = 0; i < n; i++)
				if (ss_threshold_crossed(&o->th[t], &v[i]))
					status = SS_EXIT_FINDINGS;
	}
	free(v);
	ss_snapshot_deinit(&before);
	ss_snapshot_deinit(&after);
	return err ? ss_cli_fail(err) : status;
}

const struct ss_cmd_entry ss_cmd_diff_entry = {
	.name = "diff",
	.summary = "which caches grew between two dumps or snapshots",
	.help = "Usage: slabscope diff [OPTIONS] BEFORE AFTER\n"
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
		"                      by each dump's build-id and kernel release)\n" SS_HELP_MODULE_OPTION
		"      --json          one JSON document on stdout\n"
		"  -q, --quiet         no progress output\n"
		"      --threads N     threads reading the dump ahead (default: the CPUs)\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: 0 no threshold crossed, 1 a threshold crossed, 2 an input\n"
		"could not be read.\n",
	.options = diff_options,
	.opts_size = sizeof(struct diff_opts),
	.opts_defaults = &diff_defaults,
	.opts_deinit = diff_opts_deinit,
	.option = diff_option,
	.operands = SS_OPERANDS_TWO,
	/* Each operand is a snapshot file or a dump (ss_cli_load_snapshot). */
	.session = SS_SESSION_NONE,
	.exec = diff_exec,
};
