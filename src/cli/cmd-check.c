/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope check: every slab of every cache validated, findings named. */
#include <stdio.h>
#include <stdlib.h>

#include <slabscope/check.h>
#include <slabscope/report.h>

#include "cli.h"

enum { OPT_CACHE, OPT_LIST_IDS };

static const struct ss_cmd_option check_options[] = {
	{ "cache", required_argument, 0, OPT_CACHE, 0, NULL },
	{ "list-ids", no_argument, 0, OPT_LIST_IDS, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

struct check_opts {
	const char **caches; /* --cache, repeatable */
	size_t ncaches;
	bool list_ids;
};

static void check_opts_deinit(void *opts)
{
	struct check_opts *o = opts;
	free(o->caches);
}

static int check_option(struct ss_cmd *cmd, int id, const char *arg)
{
	struct check_opts *o = cmd->opts;
	if (id == OPT_CACHE) {
		return ss_cli_append_option(&o->caches, &o->ncaches, arg);
	} else if (id == OPT_LIST_IDS) {
		o->list_ids = true;
	}
	return SS_CONTINUE;
}

/* --list-ids: print every finding kind and stop (no DUMP needed). */
static int check_options_done(struct ss_cmd *cmd)
{
	const struct check_opts *o = cmd->opts;
	if (!o->list_ids)
		return SS_CONTINUE;
	if (cmd->common.json) {
		struct ss_error *err = ss_cli_print_document(
			"finding-kinds", NULL, ss_report_finding_kinds_json());
		return err ? ss_cli_fail(err) : SS_EXIT_OK;
	}
	for (const struct ss_finding_kind *k = ss_finding_kinds; k->id; k++)
		printf("%-20s %-8s %s\n", k->id, ss_severity_name(k->severity),
		       k->explanation);
	return SS_EXIT_OK;
}

static int check_exec(struct ss_cmd *cmd)
{
	const struct check_opts *o = cmd->opts;
	struct ss_model *m = cmd->session.m;
	struct ss_check_options copts = {
		.caches = o->caches,
		.ncaches = o->ncaches,
		.sources = true,
	};
	struct ss_check_result r;
	struct ss_error *err = ss_cli_check_run(m, &copts, &cmd->common, &r);
	int status = SS_EXIT_OK;
	if (!err) {
		if (cmd->common.json)
			err = ss_cli_print_json(cmd,
						ss_report_check_json(m, &r));
		else
			err = ss_report_check_text(m, &r, stdout);
		if (r.nfindings)
			status = SS_EXIT_FINDINGS;
		ss_check_result_deinit(&r);
	} else {
		err = ss_error_prepend(err, "%s", cmd->argv[0]);
	}
	return err ? ss_cli_fail(err) : status;
}

const struct ss_cmd_entry ss_cmd_check_entry = {
	.name = "check",
	.summary =
		"find corrupt slabs: free pointers, red zones, poison, lists",
	.help = "Usage: slabscope check [OPTIONS] DUMP\n"
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
		"                      meaning (with --json, as a JSON document), and\n"
		"                      exit\n" SS_HELP_COMMON_OPTIONS "\n"
		"Exit status: 0 no findings, 1 findings, 2 the dump could not be\n"
		"analysed.\n",
	.options = check_options,
	.opts_size = sizeof(struct check_opts),
	.opts_deinit = check_opts_deinit,
	.option = check_option,
	.options_done = check_options_done,
	.operands = SS_OPERANDS_DUMP,
	.session = SS_SESSION_MODEL,
	.exec = check_exec,
};
