/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope slabs: crash's kmem -S CACHE, every slab of one cache by list. */
#include <stdio.h>
#include <string.h>

#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "cli.h"

enum { OPT_CACHE, OPT_CPU, OPT_NODE, OPT_LIST, OPT_SUMMARY };

static const struct ss_cmd_option slabs_options[] = {
	{ "cache", required_argument, 0, OPT_CACHE,
	  SS_OPT_REQUIRED | SS_OPT_CACHE, "NAME" },
	{ "cpu", required_argument, 0, OPT_CPU, 0, NULL },
	{ "node", required_argument, 0, OPT_NODE, 0, NULL },
	{ "list", required_argument, 0, OPT_LIST, 0, NULL },
	{ "summary", no_argument, 0, OPT_SUMMARY, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* --list L[,L...] */
static int parse_lists(struct ss_cmd *cmd, const char *arg, unsigned *ret)
{
	char buf[256];
	if (strlen(arg) >= sizeof(buf))
		return ss_cli_usage_error(cmd->entry, "--list: too long");
	strcpy(buf, arg);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		int l = ss_slab_list_parse(t);
		if (l < 0)
			return ss_cli_usage_error(
				cmd->entry,
				"unknown list '%s' (cpu, cpu-partial, partial, "
				"full, free, full-untracked, kfence)",
				t);
		*ret |= 1u << l;
	}
	return SS_CONTINUE;
}

static int slabs_option(struct ss_cmd *cmd, int id, const char *arg)
{
	struct ss_slabs_filter *f = cmd->opts;
	long v;
	int rc;
	switch (id) {
	case OPT_CPU:
	case OPT_NODE:
		rc = ss_cli_count_option(
			cmd, id == OPT_CPU ? "--cpu" : "--node", arg, 0, &v);
		if (rc != SS_CONTINUE)
			return rc;
		if (v > 65535)
			return ss_cli_usage_error(
				cmd->entry, "%s %ld: too large",
				id == OPT_CPU ? "--cpu" : "--node", v);
		*(id == OPT_CPU ? &f->cpu : &f->node) = (int)v;
		break;
	case OPT_LIST: return parse_lists(cmd, arg, &f->lists);
	case OPT_SUMMARY: f->objects = false; break;
	}
	return SS_CONTINUE;
}

static int slabs_exec(struct ss_cmd *cmd)
{
	const struct ss_slabs_filter *f = cmd->opts;
	const struct ss_model *m = cmd->session.m;
	struct ss_error *err;
	if (cmd->common.json) {
		json_t *doc;
		err = ss_report_slabs_json(m, cmd->cache, f, &doc);
		if (!err)
			err = ss_cli_print_json(cmd, doc);
	} else {
		err = ss_report_slabs_text(m, cmd->cache, f, stdout);
	}
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_slabs_entry = {
	.name = "slabs",
	.summary = "every slab of one cache by list, as crash's kmem -S",
	.help = "Usage: slabscope slabs [OPTIONS] --cache NAME DUMP\n"
		"\n"
		"Show the slabs of cache NAME in DUMP as crash's `kmem -S NAME` does:\n"
		"each CPU's slab and partial list, each node's partial, full (and\n"
		"SLAB's free) list, full slabs on no list and KFENCE object pages;\n"
		"for each slab its struct slab, memory, node and object counts, and\n"
		"its objects: [allocated] in brackets, free ones plain, others with\n"
		"their state (cpu-free, sheaf, unknown).\n"
		"\n"
		"Options:\n"
		"      --cache NAME    the cache (required)\n"
		"      --cpu N         only CPU N's slab and partial list\n"
		"      --node N        only slabs on NUMA node N\n"
		"      --list L[,L]    only these lists: cpu, cpu-partial, partial,\n"
		"                      full, free, full-untracked, kfence\n"
		"      --summary       the slabs without their objects\n" SS_HELP_COMMON_OPTIONS
		"\n"
		"Exit status: 0 success, 2 the dump could not be analysed or there is\n"
		"no such cache.\n",
	.options = slabs_options,
	.opts_size = sizeof(struct ss_slabs_filter),
	.opts_defaults = &ss_slabs_filter_default,
	.option = slabs_option,
	.operands = SS_OPERANDS_DUMP,
	.session = SS_SESSION_MODEL,
	.exec = slabs_exec,
};
