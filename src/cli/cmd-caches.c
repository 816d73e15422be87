/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope caches: one row per slab cache, like /proc/slabinfo. */
#include <stdio.h>
#include <stdlib.h>

#include <slabscope/check.h>
#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "cli.h"

enum { OPT_SORT, OPT_TOP, OPT_CACHE };

static const struct ss_cmd_option caches_options[] = {
	{ "sort", required_argument, 0, OPT_SORT, 0, NULL },
	{ "top", required_argument, 0, OPT_TOP, 0, NULL },
	{ "cache", required_argument, 0, OPT_CACHE, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

struct caches_opts {
	enum ss_cache_sort sort;
	long top; /* -1: all */
	const char **caches; /* --cache NAME|GLOB, repeatable */
	size_t ncaches;
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
	case OPT_CACHE:
		return ss_cli_append_option(&o->caches, &o->ncaches, arg);
	}
	return SS_CONTINUE;
}

/* Findings per cache, as check counts them: the PROBLEMS column. */
static struct ss_error *count_problems(struct ss_model *m, uint32_t **ret)
{
	struct ss_check_result r;
	struct ss_error *err = ss_check_run(m, NULL, &r);
	if (err)
		return err;
	err = ss_check_count_by_cache(&r, ss_model_ncaches(m), ret);
	ss_check_result_deinit(&r);
	return err;
}

/* Keep in order[0..*n) the caches --cache selects. */
static struct ss_error *filter(struct ss_cmd *cmd, uint32_t *order, size_t *n)
{
	const struct caches_opts *o = cmd->opts;
	const struct ss_model *m = cmd->session.m;
	if (!o->ncaches)
		return NULL;
	size_t nc = ss_model_ncaches(m);
	bool *sel = calloc(nc ? nc : 1, sizeof(*sel));
	if (!sel)
		return &ss_error_nomem;
	for (size_t i = 0; i < o->ncaches; i++)
		if (!ss_model_match_caches(m, o->caches[i], sel)) {
			free(sel);
			return ss_error_create(SS_ERR_NOTFOUND,
					       "%s: no slab cache named '%s' "
					       "(see slabscope caches)",
					       cmd->argv[0], o->caches[i]);
		}
	size_t k = 0;
	for (size_t i = 0; i < *n; i++)
		if (sel[order[i]])
			order[k++] = order[i];
	*n = k;
	free(sel);
	return NULL;
}

static void caches_opts_deinit(void *opts)
{
	struct caches_opts *o = opts;
	free(o->caches);
}

static int caches_exec(struct ss_cmd *cmd)
{
	const struct caches_opts *o = cmd->opts;
	struct ss_model *m = cmd->session.m;
	uint32_t *order = NULL, *problems = NULL;
	size_t n = ss_model_ncaches(m);
	struct ss_error *err = ss_caches_sorted(m, o->sort, &order);
	if (!err)
		err = filter(cmd, order, &n);
	if (!err)
		err = count_problems(m, &problems);
	if (!err) {
		if (o->top >= 0 && (size_t)o->top < n)
			n = (size_t)o->top;
		if (cmd->common.json)
			err = ss_cli_print_json(
				cmd,
				ss_report_caches_json(m, order, n, problems));
		else
			err = ss_report_caches_text(m, order, n, problems,
						    stdout);
	}
	free(order);
	free(problems);
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_caches_entry = {
	.name = "caches",
	.summary = "one row per slab cache: objects, slabs, memory, problems",
	.help = "Usage: slabscope caches [OPTIONS] DUMP\n"
		"\n"
		"List every slab cache of DUMP, like /proc/slabinfo and crash's\n"
		"'kmem -s': object size, allocated and total objects, slabs, objects\n"
		"and pages per slab, memory held, and a '!' with a count on caches\n"
		"with findings (every finding of slabscope check).  Every slab is\n"
		"walked, full slabs included, in one pass over the page array.  Each\n"
		"row shows the kmem_cache address and the slot size (object and\n"
		"metadata); aliases (names of caches merged into it) follow; a\n"
		"totals line ends the table.\n"
		"\n"
		"Options:\n"
		"      --sort KEY      name, allocated, total, slabs, size or memory\n"
		"                      (default: memory; all but name sort largest first)\n"
		"      --top N         only the first N caches\n"
		"      --cache NAME    only caches NAME names: a name, an alias or a\n"
		"                      glob such as 'kmalloc-*' (repeatable)\n" SS_HELP_COMMON_OPTIONS
		"\n"
		"Exit status: 0 success, 2 the dump could not be analysed.\n",
	.options = caches_options,
	.opts_size = sizeof(struct caches_opts),
	.opts_defaults = &caches_defaults,
	.opts_deinit = caches_opts_deinit,
	.option = caches_option,
	.operands = SS_OPERANDS_DUMP,
	.session = SS_SESSION_MODEL,
	.exec = caches_exec,
};
