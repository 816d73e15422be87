/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every command shares: common options, error reporting. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
