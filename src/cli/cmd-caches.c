/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope caches: one row per slab cache, like /proc/slabinfo. */
#include <stdio.h>
#include <stdlib.h>

#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "cli.h"

enum { OPT_SORT, OPT_TOP };

static const struct ss_cmd_option caches_options[] = {
	{ "sort", required_argument, 0, OPT_SORT, 0, NULL },
	{ "top", required_argument, 0, OPT_TOP, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

struct caches_opts {
	enum ss_cache_sort sort;
	long top; /* -1: all */
};

static const struct caches_opts caches_defaults = {
	.sort = SS_SORT_MEMORY,
	.top = -1,
};

static int caches_option(struct ss_cmd *cmd, int id, const char *arg)
{
	struct caches_opts *o = cmd->opts;
	switch (id) {
	case OPT_SORT: {
		int sort = ss_cache_sort_parse(arg);
		if (sort < 0)
			return ss_cli_usage_error(cmd->entry,
						  "unknown sort key '%s'", arg);
		o->sort = (enum ss_cache_sort)sort;
		break;
	}
	case OPT_TOP:
		return ss_cli_count_option(cmd, "--top", arg, 0, &o->top);
	}
	return SS_CONTINUE;
}

static int caches_exec(struct ss_cmd *cmd)
{
	const struct caches_opts *o = cmd->opts;
	struct ss_model *m = cmd->session.m;
	uint32_t *order = NULL;
	struct ss_error *err = ss_caches_sorted(m, o->sort, &order);
	if (!err) {
		size_t n = ss_model_ncaches(m);
		if (o->top >= 0 && (size_t)o->top < n)
			n = (size_t)o->top;
		if (cmd->common.json)
			err = ss_json_dump(ss_report_caches_json(m, order, n),
					   stdout);
		else
			err = ss_report_caches_text(m, order, n, stdout);
	}
	free(order);
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_caches_entry = {
	.name = "caches",
	.summary = "one row per slab cache: objects, slabs, memory, problems",
	.help =
	"Usage: slabscope caches [OPTIONS] DUMP\n"
	"\n"
	"List every slab cache of DUMP, like /proc/slabinfo and crash's\n"
	"'kmem -s': object size, allocated and total objects, slabs, objects\n"
	"and pages per slab, memory held, and a '!' with a count on caches\n"
	"where the walk met corrupt state (see slabscope check).  Every slab\n"
	"is walked, full slabs included, in one pass over the page array.\n"
	"\n"
	"Options:\n"
	"      --sort KEY      name, allocated, total, slabs, size or memory\n"
	"                      (default: memory; all but name sort largest first)\n"
	"      --top N         only the first N caches\n"
	SS_HELP_COMMON_OPTIONS
	"\n"
	"Exit status: 0 success, 2 the dump could not be analysed.\n",
	.options = caches_options,
	.opts_size = sizeof(struct caches_opts),
	.opts_defaults = &caches_defaults,
	.option = caches_option,
	.operands = SS_OPERANDS_DUMP,
	.session = SS_SESSION_MODEL,
	.exec = caches_exec,
};
