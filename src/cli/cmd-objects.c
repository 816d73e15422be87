/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope objects: every object of one cache with its state. */
#include <stdio.h>

#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "cli.h"

enum { OPT_CACHE, OPT_STATE };

static const struct ss_cmd_option objects_options[] = {
	{ "cache", required_argument, 0, OPT_CACHE,
	  SS_OPT_REQUIRED | SS_OPT_CACHE, "NAME" },
	{ "state", required_argument, 0, OPT_STATE, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

struct objects_opts {
	enum ss_objects_filter filter; /* --state */
};

static int objects_option(struct ss_cmd *cmd, int id, const char *arg)
{
	struct objects_opts *o = cmd->opts;
	if (id == OPT_STATE) {
		int filter = ss_objects_filter_parse(arg);
		if (filter < 0)
			return ss_cli_usage_error(cmd->entry,
						  "unknown state '%s'", arg);
		o->filter = (enum ss_objects_filter)filter;
	}
	return SS_CONTINUE;
}

static int objects_exec(struct ss_cmd *cmd)
{
	const struct objects_opts *o = cmd->opts;
	struct ss_model *m = cmd->session.m;
	uint32_t ci = cmd->cache;
	const struct ss_cache *c = ss_model_cache(m, ci);
	/* SLUB: free objects link to the next one */
	bool has_next = ss_cache_objects_have_next(c);
	struct ss_error *err;
	if (cmd->common.json) {
		json_t *doc;
		err = ss_report_objects_json(m, ci, o->filter, has_next, &doc);
		if (!err)
			err = ss_cli_print_json(cmd, doc);
	} else {
		err = ss_report_objects_text(m, ci, o->filter, has_next,
					     stdout);
	}
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_objects_entry = {
	.name = "objects",
	.summary = "every object of one cache: address, slab, state",
	.help = "Usage: slabscope objects [OPTIONS] --cache NAME DUMP\n"
		"\n"
		"List the objects of cache NAME in DUMP, slab by slab in address\n"
		"order: the object address (what kmalloc returns), its slab, its\n"
		"state (allocated, free, cpu-free: on a CPU's lockless freelist or\n"
		"array cache, sheaf: in a CPU's or node's sheaf (7.x), or unknown\n"
		"where a corrupt freelist prevents a decision) and, for objects on a\n"
		"freelist, the decoded next free pointer.\n"
		"\n"
		"Options:\n"
		"      --cache NAME    the cache (required)\n"
		"      --state STATE   allocated, free (free to users: free, cpu-free\n"
		"                      and sheaf), cpu-free, sheaf, unknown or all\n"
		"                      (default: all)\n" SS_HELP_COMMON_OPTIONS
		"\n"
		"Exit status: 0 success, 2 the dump could not be analysed or there is\n"
		"no such cache.\n",
	.options = objects_options,
	.opts_size = sizeof(struct objects_opts),
	.option = objects_option,
	.operands = SS_OPERANDS_DUMP,
	.session = SS_SESSION_MODEL,
	.exec = objects_exec,
};
