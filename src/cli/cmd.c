/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The driver every command runs through (struct ss_cmd_entry, cli.h):
 * options, operands, the session, exec, clean-up.  A command declares
 * what it takes; this file does the taking, once.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/readahead.h>
#include <slabscope/slab.h>

#include "cli.h"

enum {
	OPT_VMLINUX,
	OPT_MODULE,
	OPT_JSON,
	OPT_QUIET,
	OPT_THREADS,
	OPT_HELP,
	OPT_VERSION
};

/* Every command's options, before its own in the getopt_long table; all
 * but the last may come before the command too (ss_cmd_parse_global),
 * and the last only there. */
static const struct ss_cmd_option common_options[] = {
	{ "vmlinux", required_argument, 'k', OPT_VMLINUX, 0, NULL },
	{ "module", required_argument, 0, OPT_MODULE, 0, NULL },
	{ "json", no_argument, 0, OPT_JSON, 0, NULL },
	{ "quiet", no_argument, 'q', OPT_QUIET, 0, NULL },
	{ "threads", required_argument, 0, OPT_THREADS, 0, NULL },
	{ "help", no_argument, 'h', OPT_HELP, 0, NULL },
	/* Global only: slabscope -V. */
	{ "version", no_argument, 'V', OPT_VERSION, 0, NULL },
};
#define NGLOBAL (sizeof(common_options) / sizeof(common_options[0]))
#define NCOMMON (NGLOBAL - 1)

/* getopt_long returns an option's short name, or this plus its index. */
#define LONG_ONLY_BASE 0x100

static const struct {
	int min, max; /* max < 0: no limit */
	const char *usage;
} operand_shapes[] = {
	[SS_OPERANDS_DUMP] = { 1, 1, "expected exactly one DUMP" },
	[SS_OPERANDS_DUMP_ADDRESSES] = { 1, -1, "expected DUMP [ADDRESS...]" },
	[SS_OPERANDS_TWO] = { 2, 2, "expected BEFORE and AFTER" },
	[SS_OPERANDS_DUMPS] = { 1, -1, "expected DUMP or DIRECTORY operands" },
};

/* The common and the command's options together, at most this many. */
#define MAX_OPTIONS 16

/* The command's options, common ones first, as getopt_long takes them. */
struct optable {
	const struct ss_cmd_option *opt[MAX_OPTIONS];
	struct option longopts[MAX_OPTIONS + 1];
	char shortopts[2 * MAX_OPTIONS + 1];
	bool seen[MAX_OPTIONS];
	size_t n;
};

/* The common options and e's own (e NULL: the global options). */
static void optable_init(struct optable *t, const struct ss_cmd_entry *e)
{
	size_t nown = 0;
	while (e && e->options && e->options[nown].name)
		nown++;
	size_t ncommon = e ? NCOMMON : NGLOBAL;
	t->n = ncommon + nown;
	assert(t->n <= MAX_OPTIONS);
	char *sp = t->shortopts;
	for (size_t i = 0; i < t->n; i++) {
		const struct ss_cmd_option *o =
			i < ncommon ? &common_options[i]
				    : &e->options[i - ncommon];
		t->opt[i] = o;
		t->longopts[i] = (struct option){
			.name = o->name,
			.has_arg = o->has_arg,
			.val = o->short_name ? o->short_name
					     : LONG_ONLY_BASE + (int)i,
		};
		if (o->short_name) {
			*sp++ = (char)o->short_name;
			if (o->has_arg == required_argument)
				*sp++ = ':';
		}
	}
}

/* The table index of what getopt_long returned, or -1. */
static int optable_find(const struct optable *t, int c)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->longopts[i].val == c)
			return (int)i;
	return -1;
}

/* What set_common returns for the options that are not in struct
 * ss_common_opts (help, version). */
#define NOT_COMMON (-3)

/* The common options that set struct ss_common_opts: SS_CONTINUE, or the
 * exit status after an out-of-memory; NOT_COMMON for the others. */
static int set_common(struct ss_common_opts *c, int id, const char *arg)
{
	switch (id) {
	case OPT_VMLINUX: c->vmlinux = arg; return SS_CONTINUE;
	case OPT_MODULE:
		return ss_cli_append_option(&c->modules, &c->nmodules, arg);
	case OPT_JSON: c->json = true; return SS_CONTINUE;
	case OPT_QUIET: c->quiet = true; return SS_CONTINUE;
	case OPT_THREADS: {
		char *end;
		errno = 0;
		unsigned long v = strtoul(arg, &end, 10);
		if (errno || *end || !*arg || *arg == '-' || v < 1 ||
		    v > SS_JOBS_MAX) {
			fprintf(stderr,
				"slabscope: --threads takes a number "
				"from 1 to %d, not '%s'\n",
				SS_JOBS_MAX, arg);
			return SS_EXIT_ERROR;
		}
		c->threads = (unsigned int)v;
		return SS_CONTINUE;
	}
	}
	return NOT_COMMON;
}

static int common_option(struct ss_cmd *cmd, int id, const char *arg)
{
	int rc = set_common(&cmd->common, id, arg);
	if (rc != NOT_COMMON)
		return rc;
	/* OPT_HELP */
	fputs(cmd->entry->help, stdout);
	return SS_EXIT_OK;
}

/* getopt_long over argv, permuting: options may follow operands. */
static int parse_options(struct ss_cmd *cmd, struct optable *t, int argc,
			 char **argv)
{
	const struct ss_cmd_entry *e = cmd->entry;
	int c;
	while ((c = getopt_long(argc, argv, t->shortopts, t->longopts,
				NULL)) != -1) {
		int i = optable_find(t, c);
		if (i < 0) {
			/* '?': getopt_long already said what was wrong. */
			fprintf(stderr, "Try 'slabscope %s --help'.\n",
				e->name);
			return SS_EXIT_ERROR;
		}
		const struct ss_cmd_option *o = t->opt[i];
		t->seen[i] = true;
		int rc = SS_CONTINUE;
		if ((size_t)i < NCOMMON)
			rc = common_option(cmd, o->id, optarg);
		else if (o->flags & SS_OPT_CACHE)
			cmd->cache_name = optarg;
		else if (e->option)
			rc = e->option(cmd, o->id, optarg);
		if (rc != SS_CONTINUE)
			return rc;
	}
	cmd->argc = argc - optind;
	cmd->argv = argv + optind;
	return SS_CONTINUE;
}

/* What the command was given, against what it takes. */
static int check_args(struct ss_cmd *cmd, const struct optable *t)
{
	const struct ss_cmd_entry *e = cmd->entry;
	if (e->no_json && cmd->common.json)
		return ss_cli_usage_error(e, "--json does not apply: %s",
					  e->no_json);
	int min = operand_shapes[e->operands].min;
	int max = operand_shapes[e->operands].max;
	if (cmd->argc < min || (max >= 0 && cmd->argc > max))
		return ss_cli_usage_error(e, "%s",
					  operand_shapes[e->operands].usage);
	/* Every address is checked before the dump is opened: a typo
	 * costs no model load. */
	for (int i = 1;
	     e->operands == SS_OPERANDS_DUMP_ADDRESSES && i < cmd->argc; i++) {
		uint64_t addr;
		const char *s = cmd->argv[i];
		if (strcmp(s, "-") && !ss_cli_parse_address(s, &addr))
			return ss_cli_usage_error(e, "'%s' is not a hex address",
						  s);
	}
	for (size_t i = 0; i < t->n; i++)
		if ((t->opt[i]->flags & SS_OPT_REQUIRED) && !t->seen[i])
			return ss_cli_usage_error(e, "--%s %s is required",
						  t->opt[i]->name,
						  t->opt[i]->arg_name);
	return SS_CONTINUE;
}

static int open_session(struct ss_cmd *cmd)
{
	const char *dump = cmd->argv[0];
	struct ss_error *err = NULL;
	switch (cmd->entry->session) {
	case SS_SESSION_NONE:
		return SS_CONTINUE;
	case SS_SESSION_KERNEL:
		err = ss_cli_open_kernel(dump, &cmd->common, &cmd->session.k);
		break;
	case SS_SESSION_MODEL:
		err = ss_cli_session_open(dump, &cmd->common, &cmd->session);
		break;
	}
	if (!err && cmd->cache_name && cmd->session.m)
		err = ss_model_one_cache(cmd->session.m, dump, cmd->cache_name,
					 &cmd->cache);
	return err ? ss_cli_fail(err) : SS_CONTINUE;
}

int ss_cmd_parse_global(int argc, char **argv, struct ss_global_opts *g)
{
	struct optable t = { 0 };
	optable_init(&t, NULL);
	/* '+': stop at the command, the first operand; ':': errors are
	 * ours to word (a command's option before it is a likely one). */
	char shortopts[sizeof(t.shortopts) + 2] = "+:";
	strcat(shortopts, t.shortopts);
	int c, saved_opterr = opterr;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, t.longopts, NULL)) !=
	       -1) {
		int i = optable_find(&t, c);
		if (i < 0) {
			/* "--name[=...]" as given, or the one letter of
			 * "-qx" that is wrong */
			char letter[3] = { '-', (char)optopt, '\0' };
			const char *opt = argv[optind - 1];
			if (strncmp(opt, "--", 2) != 0)
				opt = letter;
			if (c == ':')
				fprintf(stderr,
					"slabscope: option '%s' needs an "
					"argument\n",
					opt);
			else
				fprintf(stderr,
					"slabscope: '%s' is no global option "
					"(a command's own options come after "
					"the command)\n",
					opt);
			fputs("Try 'slabscope --help'.\n", stderr);
			opterr = saved_opterr;
			return SS_EXIT_ERROR;
		}
		int id = t.opt[i]->id;
		int rc = set_common(&g->common, id, optarg);
		if (rc != NOT_COMMON && rc != SS_CONTINUE) {
			opterr = saved_opterr;
			return rc;
		}
		if (rc == SS_CONTINUE)
			continue;
		if (id == OPT_HELP)
			g->help = true;
		else
			g->version = true;
	}
	g->cmd_index = optind;
	/* The command's own getopt_long starts afresh. */
	optind = 0;
	opterr = saved_opterr;
	return SS_CONTINUE;
}

int ss_cmd_run(const struct ss_cmd_entry *e,
	       const struct ss_common_opts *common, int argc, char **argv)
{
	struct ss_cmd cmd = { .entry = e, .cache = SS_NO_CACHE };
	if (common)
		cmd.common = *common;
	struct optable t = { 0 };
	optable_init(&t, e);
	int status = SS_CONTINUE;
	if (e->opts_size && !(cmd.opts = calloc(1, e->opts_size)))
		status = ss_cli_fail(&ss_error_nomem);
	else if (e->opts_defaults)
		memcpy(cmd.opts, e->opts_defaults, e->opts_size);
	if (status == SS_CONTINUE)
		status = parse_options(&cmd, &t, argc, argv);
	if (status == SS_CONTINUE && e->options_done)
		status = e->options_done(&cmd);
	if (status == SS_CONTINUE)
		status = check_args(&cmd, &t);
	if (status == SS_CONTINUE)
		status = open_session(&cmd);
	if (status == SS_CONTINUE)
		status = e->exec(&cmd);
	ss_cli_session_close(&cmd.session);
	if (cmd.opts && e->opts_deinit)
		e->opts_deinit(cmd.opts);
	free(cmd.opts);
	free(cmd.common.modules);
	return status;
}
