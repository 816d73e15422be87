/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every command shares: common options, error reporting. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <slabscope/diff.h>
#include <slabscope/slab.h>

#include "cli.h"

int ss_common_option(const struct ss_cmd_entry *cmd, int c,
		     struct ss_common_opts *opts)
{
	switch (c) {
	case 'k':
		opts->vmlinux = optarg;
		return SS_CONTINUE;
	case 'J':
		opts->json = true;
		return SS_CONTINUE;
	case 'q':
		opts->quiet = true;
		return SS_CONTINUE;
	case 'h':
		fputs(cmd->help, stdout);
		return SS_EXIT_OK;
	case '?':
		/* getopt_long already said what was wrong. */
		fprintf(stderr, "Try 'slabscope %s --help'.\n", cmd->name);
		return SS_EXIT_ERROR;
	}
	return -1;
}

int ss_cli_fail(struct ss_error *err)
{
	fprintf(stderr, "slabscope: %s\n", err ? err->message : "failed");
	ss_error_destroy(err);
	return SS_EXIT_ERROR;
}

int ss_cli_usage_error(const struct ss_cmd_entry *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "slabscope %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'slabscope %s --help'.\n", cmd->name);
	return SS_EXIT_ERROR;
}

struct ss_error *ss_cli_open_kernel(const char *dump,
				    const struct ss_common_opts *opts,
				    struct ss_kernel **ret)
{
	struct ss_kernel_options kopts = { .vmlinux = opts->vmlinux };
	return ss_kernel_open(dump, &kopts, ret);
}

struct progress {
	int last_pct;
};

static void show_progress(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	int pct = total ? (int)(done * 100 / total) : 100;
	if (pct == p->last_pct)
		return;
	p->last_pct = pct;
	fprintf(stderr, "\rscanning pages: %3d%%", pct);
	if (pct >= 100)
		fputs("\r                    \r", stderr);
	fflush(stderr);
}

struct ss_error *ss_cli_load_model(struct ss_kernel *k,
				   const struct ss_common_opts *opts,
				   struct ss_model **ret)
{
	struct progress prog = { .last_pct = -1 };
	struct ss_model_options mopts = { 0 };
	if (!opts->quiet && isatty(STDERR_FILENO)) {
		mopts.progress = show_progress;
		mopts.progress_arg = &prog;
	}
	return ss_model_load(ss_kernel_target(k), &mopts, ret);
}

struct ss_error *ss_cli_load_snapshot(const char *path,
				      const struct ss_common_opts *opts,
				      struct ss_snapshot *snap)
{
	struct ss_error *err = ss_snapshot_load_file(path, snap);
	if (!err || err->code != SS_ERR_NOTFOUND)
		return err;
	ss_error_destroy(err);
	struct ss_session sess;
	err = ss_cli_session_open(path, opts, &sess);
	if (err)
		return err;
	err = ss_snapshot_from_model(sess.m, path, snap);
	ss_cli_session_close(&sess);
	return err;
}

struct ss_error *ss_cli_session_open(const char *dump,
				     const struct ss_common_opts *opts,
				     struct ss_session *s)
{
	s->m = NULL;
	struct ss_error *err = ss_cli_open_kernel(dump, opts, &s->k);
	if (err)
		return err;
	err = ss_cli_load_model(s->k, opts, &s->m);
	if (err) {
		ss_kernel_close(s->k);
		s->k = NULL;
	}
	return err;
}

void ss_cli_session_close(struct ss_session *s)
{
	ss_model_destroy(s->m);
	ss_kernel_close(s->k);
	s->m = NULL;
	s->k = NULL;
}
