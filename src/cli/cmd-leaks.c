/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope leaks: who allocated the live objects of one cache. */
#include <stdio.h>
#include <stdlib.h>

#include <slabscope/diff.h>
#include <slabscope/identify.h>
#include <slabscope/leaks.h>
#include <slabscope/refscan.h>
#include <slabscope/report.h>

#include "cli.h"

enum {
	OPT_CACHE,
	OPT_STACK,
	OPT_FREE,
	OPT_CONTENT,
	OPT_TOP,
	OPT_UNREFERENCED,
	OPT_FAIL_IF,
	OPT_LIST,
	OPT_WHY
};

static const struct ss_cmd_option leaks_options[] = {
	/* one cache, or with --unreferenced globs (repeatable, optional):
	 * checked here, not by the driver */
	{ "cache", required_argument, 0, OPT_CACHE, 0, "NAME" },
	{ "stack", no_argument, 0, OPT_STACK, 0, NULL },
	{ "free", no_argument, 0, OPT_FREE, 0, NULL },
	{ "content", no_argument, 0, OPT_CONTENT, 0, NULL },
	{ "top", required_argument, 0, OPT_TOP, 0, NULL },
	{ "unreferenced", no_argument, 0, OPT_UNREFERENCED, 0, NULL },
	{ "fail-if", required_argument, 0, OPT_FAIL_IF, 0, NULL },
	{ "list", no_argument, 0, OPT_LIST, 0, NULL },
	{ "why", required_argument, 0, OPT_WHY, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

struct leaks_opts {
	struct ss_leaks_options leaks;
	long top;
	bool unreferenced, list;
	const char **caches; /* --cache, as given */
	size_t ncaches;
	struct ss_threshold *th; /* --fail-if, repeatable */
	size_t nth;
	uint64_t *why; /* --why, repeatable */
	size_t nwhy;
};

static const struct leaks_opts leaks_defaults = {
	.top = SS_LEAKS_TOP_DEFAULT,
};

static void leaks_opts_deinit(void *opts)
{
	struct leaks_opts *o = opts;
	free(o->caches);
	for (size_t t = 0; t < o->nth; t++)
		ss_threshold_deinit(&o->th[t]);
	free(o->th);
	free(o->why);
}

static int leaks_option(struct ss_cmd *cmd, int id, const char *arg)
{
	struct leaks_opts *o = cmd->opts;
	switch (id) {
	case OPT_CACHE:
		return ss_cli_append_option(&o->caches, &o->ncaches, arg);
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
	case OPT_UNREFERENCED: o->unreferenced = true; break;
	case OPT_LIST: o->list = true; break;
	case OPT_WHY: {
		uint64_t a;
		if (!ss_cli_parse_address(arg, &a))
			return ss_cli_usage_error(cmd->entry,
						  "--why: '%s' is not a hex "
						  "address",
						  arg);
		uint64_t *v = realloc(o->why, (o->nwhy + 1) * sizeof(*v));
		if (!v)
			return ss_cli_fail(&ss_error_nomem);
		o->why = v;
		v[o->nwhy++] = a;
		break;
	}
	case OPT_FAIL_IF:
		return ss_cli_threshold_option(cmd, arg, true, &o->th, &o->nth);
	}
	return SS_CONTINUE;
}

/* What goes with what, before the dump is opened. */
static int leaks_options_done(struct ss_cmd *cmd)
{
	const struct leaks_opts *o = cmd->opts;
	if (o->unreferenced) {
		if (o->leaks.free_side)
			return ss_cli_usage_error(
				cmd->entry, "--free does not apply with "
					    "--unreferenced (free objects "
					    "are not candidates)");
		return SS_CONTINUE;
	}
	if (o->nth || o->list || o->nwhy)
		return ss_cli_usage_error(cmd->entry,
					  "%s applies with --unreferenced only",
					  o->nth    ? "--fail-if"
					  : o->list ? "--list"
						    : "--why");
	if (!o->ncaches)
		return ss_cli_usage_error(cmd->entry,
					  "--cache NAME is required (or "
					  "--unreferenced)");
	if (o->ncaches > 1)
		return ss_cli_usage_error(cmd->entry,
					  "one --cache NAME (several only "
					  "with --unreferenced)");
	return SS_CONTINUE;
}

static int one_cache(struct ss_cmd *cmd)
{
	const struct leaks_opts *o = cmd->opts;
	struct ss_model *m = cmd->session.m;
	struct ss_leaks_result r;
	uint32_t ci;
	struct ss_error *err =
		ss_model_one_cache(m, cmd->argv[0], o->caches[0], &ci);
	if (!err)
		err = ss_leaks_group(m, ci, &o->leaks, &r);
	if (!err) {
		const struct ss_cache *c = ss_model_cache(m, ci);
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

static int unreferenced(struct ss_cmd *cmd)
{
	const struct leaks_opts *o = cmd->opts;
	struct ss_model *m = cmd->session.m;
	size_t n = ss_model_ncaches(m);
	bool *sel = NULL;
	struct ss_error *err = NULL;
	if (o->ncaches) {
		sel = calloc(n ? n : 1, sizeof(*sel));
		if (!sel)
			return ss_cli_fail(&ss_error_nomem);
		for (size_t i = 0; i < o->ncaches && !err; i++)
			if (!ss_model_match_caches(m, o->caches[i], sel))
				err = ss_error_create(
					SS_ERR_NOTFOUND,
					"%s: no slab cache named '%s' (see "
					"slabscope caches)",
					cmd->argv[0], o->caches[i]);
	}
	struct ss_refscan *refs = NULL;
	struct ss_unref_result res = { 0 };
	int status = SS_EXIT_OK;
	if (!err)
		err = ss_cli_refscan_run(m,
					 &(struct ss_refscan_options){
						 .caches = sel,
						 .watch = o->why,
						 .nwatch = o->nwhy,
					 },
					 &cmd->common, &refs);
	struct ss_identifier *id = NULL;
	if (!err && o->nwhy)
		err = ss_identifier_create(m, &id);
	struct ss_leaks_options lopts = o->leaks;
	lopts.refs = refs;
	if (!err)
		err = ss_leaks_unreferenced(m, &lopts, &res);
	if (!err) {
		struct ss_unref_report rep = {
			.m = m,
			.refs = refs,
			.res = &res,
			.opts = &lopts,
			.th = o->th,
			.nth = o->nth,
			.top = (size_t)o->top,
			.list = o->list,
			.why = o->why,
			.nwhy = o->nwhy,
			.id = id,
		};
		if (cmd->common.json)
			/* its own kind of document: a shape of its own */
			err = ss_cli_print_document(
				"leaks-unreferenced", &cmd->session,
				ss_report_unreferenced_json(&rep));
		else
			err = ss_report_unreferenced_text(&rep, stdout);
		for (size_t t = 0; t < o->nth; t++)
			if (ss_unref_crossing(m, refs, &o->th[t], NULL))
				status = SS_EXIT_FINDINGS;
	}
	ss_unref_result_deinit(&res);
	ss_identifier_destroy(id);
	ss_refscan_destroy(refs);
	free(sel);
	return err ? ss_cli_fail(err) : status;
}

static int leaks_exec(struct ss_cmd *cmd)
{
	const struct leaks_opts *o = cmd->opts;
	if (o->unreferenced)
		return unreferenced(cmd);
	return one_cache(cmd);
}

const struct ss_cmd_entry ss_cmd_leaks_entry = {
	.name = "leaks",
	.summary =
		"who allocated the live objects of a cache, which nothing points to",
	.help = "Usage: slabscope leaks [OPTIONS] --cache NAME DUMP\n"
		"       slabscope leaks --unreferenced [--cache GLOB]... [OPTIONS] DUMP\n"
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
		"With --unreferenced, a conservative reference scan instead (like\n"
		"kmemleak or Solaris ::findleaks): every word of every page the dump\n"
		"holds, free pages and free objects left out, is looked up among the\n"
		"allocated objects of the chosen caches (all caches by default);\n"
		"pointers into an object (a member, tag bits) count.  Objects that\n"
		"nothing points to are unreferenced; objects pointed to only by\n"
		"unreferenced ones are referenced only by unreferenced objects.  For\n"
		"each cache with any, the count and share, and the groups as above.\n"
		"\n"
		"Options:\n"
		"      --cache NAME    the cache (required without --unreferenced; with\n"
		"                      it, a name or glob of the candidate caches,\n"
		"                      repeatable)\n"
		"      --stack         group by the whole stack (stack depot)\n"
		"      --free          group the free objects by their free call site\n"
		"                      (the free track: who freed them last) instead\n"
		"      --content       group by content even when tracks exist\n"
		"      --top N         show the N largest groups (default 10); with\n"
		"                      --unreferenced, of the N caches with most\n"
		"      --unreferenced  the reference scan: objects nothing points to\n"
		"      --list          with --unreferenced: every unreachable object,\n"
		"                      one line each (address, cache, class, referrer)\n"
		"      --why ADDRESS   with --unreferenced: where the words that point\n"
		"                      into the object at ADDRESS are, and in what\n"
		"                      (repeatable)\n"
		"      --fail-if RULE  with --unreferenced: exit 1 when RULE is crossed\n"
		"                      (repeatable): GLOB>N  more than N unreachable\n"
		"                      objects in a cache; GLOB>N%  more than N% of its\n"
		"                      allocated ones; a K, M or G suffix compares their\n"
		"                      bytes; >= is accepted; e.g. 'kmalloc-*>100'\n" SS_HELP_COMMON_OPTIONS
		"\n"
		"Exit status: 0 success, 1 a --fail-if threshold crossed, 2 the dump\n"
		"could not be analysed or there is no such cache.\n",
	.options = leaks_options,
	.opts_size = sizeof(struct leaks_opts),
	.opts_defaults = &leaks_defaults,
	.opts_deinit = leaks_opts_deinit,
	.option = leaks_option,
	.options_done = leaks_options_done,
	.operands = SS_OPERANDS_DUMP,
	.session = SS_SESSION_MODEL,
	.exec = leaks_exec,
};
