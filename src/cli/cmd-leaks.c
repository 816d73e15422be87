/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope leaks: who allocated the live objects of one cache. */
#include <stdio.h>

#include <slabscope/leaks.h>
#include <slabscope/report.h>

#include "cli.h"

enum { OPT_CACHE, OPT_STACK, OPT_FREE, OPT_CONTENT, OPT_TOP };

static const struct ss_cmd_option leaks_options[] = {
	{ "cache", required_argument, 0, OPT_CACHE,
	  SS_OPT_REQUIRED | SS_OPT_CACHE, "NAME" },
	{ "stack", no_argument, 0, OPT_STACK, 0, NULL },
	{ "free", no_argument, 0, OPT_FREE, 0, NULL },
	{ "content", no_argument, 0, OPT_CONTENT, 0, NULL },
	{ "top", required_argument, 0, OPT_TOP, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

struct leaks_opts {
	struct ss_leaks_options leaks;
	long top;
};

static const struct leaks_opts leaks_defaults = { .top = 10 };

static int leaks_option(struct ss_cmd *cmd, int id, const char *arg)
{
	struct leaks_opts *o = cmd->opts;
	switch (id) {
	case OPT_STACK:
		o->leaks.by_stack = true;
		break;
	case OPT_FREE:
		o->leaks.free_side = true;
		break;
	case OPT_CONTENT:
		o->leaks.force_content = true;
		break;
	case OPT_TOP:
		return ss_cli_count_option(cmd, "--top", arg, 1, &o->top);
	}
	return SS_CONTINUE;
}

static int leaks_exec(struct ss_cmd *cmd)
{
	const struct leaks_opts *o = cmd->opts;
	struct ss_model *m = cmd->session.m;
	struct ss_leaks_result r;
	struct ss_error *err = ss_leaks_group(m, cmd->cache, &o->leaks, &r);
	if (!err) {
		const struct ss_cache *c = ss_model_cache(m, cmd->cache);
		size_t top = (size_t)o->top;
		if (cmd->common.json)
			err = ss_cli_print_json(
				cmd,
				ss_report_leaks_json(c, &r, &o->leaks, top));
		else
			err = ss_report_leaks_text(c, &r, &o->leaks, top,
						   stdout);
		ss_leaks_result_deinit(&r);
	}
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_leaks_entry = {
	.name = "leaks",
	.summary = "who allocated the live objects of a cache",
	.help = "Usage: slabscope leaks [OPTIONS] --cache NAME DUMP\n"
		"\n"
		"Group the allocated objects of cache NAME by who allocated them, the\n"
		"largest group first.  When the cache keeps SLAB_STORE_USER tracks\n"
		"(booted with slub_debug=U or slub_debug=U,NAME, or created with the\n"
		"flag), by allocation call site like the kernel's alloc_traces: count,\n"
		"age min/avg/max in seconds, pids and CPUs.  Without tracks, by a\n"
		"content signature: a printable tag at the object's start, else the\n"
		"first word that points to a kernel or module symbol, else the first\n"
		"8 bytes; a leak still stands out as one big group.  The method used\n"
		"is said in the output.\n"
		"\n"
		"Options:\n"
		"      --cache NAME    the cache (required)\n"
		"      --stack         group by the whole stack (stack depot)\n"
		"      --free          group the free objects by their free call site\n"
		"                      (the free track: who freed them last) instead\n"
		"      --content       group by content even when tracks exist\n"
		"      --top N         show the N largest groups (default 10)\n" SS_HELP_COMMON_OPTIONS
		"\n"
		"Exit status: 0 success, 2 the dump could not be analysed or there is\n"
		"no such cache.\n",
	.options = leaks_options,
	.opts_size = sizeof(struct leaks_opts),
	.opts_defaults = &leaks_defaults,
	.option = leaks_option,
	.operands = SS_OPERANDS_DUMP,
	.session = SS_SESSION_MODEL,
	.exec = leaks_exec,
};
