/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command-line front end.  One file per command (cmd-*.c), each
 * exporting one struct ss_cmd_entry, collected in main.c's table.  Commands
 * print; the library does not.
 */
#ifndef SLABSCOPE_CLI_H
#define SLABSCOPE_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include <slabscope/error.h>
#include <slabscope/kernel.h>

/* Exit statuses, the contract every command keeps. */
enum {
	SS_EXIT_OK = 0,       /* success, nothing found */
	SS_EXIT_FINDINGS = 1, /* findings, or a crossed threshold */
	SS_EXIT_ERROR = 2,    /* could not analyse */
};

struct ss_cmd_entry {
	const char *name;
	/* One line for `slabscope --help`. */
	const char *summary;
	/* Full `slabscope NAME --help` text; keep it in step with
	 * man/slabscope-NAME.1 (tests/integration/cli.sh checks). */
	const char *help;
	int (*exec)(const struct ss_cmd_entry *self, int argc, char **argv);
};

/* Options every command takes. */
struct ss_common_opts {
	const char *vmlinux;
	bool json;
	bool quiet;
};

/* getopt_long entries for the common options; put them in every command's
 * table and pass unknown option characters to ss_common_option(). */
#define SS_COMMON_LONG_OPTIONS                                   \
	{ "vmlinux", required_argument, NULL, 'k' },             \
	{ "json", no_argument, NULL, 'J' },                      \
	{ "quiet", no_argument, NULL, 'q' },                     \
	{ "help", no_argument, NULL, 'h' }
#define SS_COMMON_SHORT_OPTIONS "k:qh"

/*
 * Handle one common option.  Returns -1 if c is not a common option, or an
 * exit status >= 0 when the command must stop now (help printed: 0; usage
 * error: 2), or SS_CONTINUE.
 */
#define SS_CONTINUE (-2)
int ss_common_option(const struct ss_cmd_entry *cmd, int c,
		     struct ss_common_opts *opts);

/* Print "slabscope: MESSAGE" to stderr, free err, return SS_EXIT_ERROR. */
int ss_cli_fail(struct ss_error *err);
/* Usage error: message plus a pointer to --help; returns SS_EXIT_ERROR. */
int ss_cli_usage_error(const struct ss_cmd_entry *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Open the dump with the common options' vmlinux. */
struct ss_error *ss_cli_open_kernel(const char *dump,
				    const struct ss_common_opts *opts,
				    struct ss_kernel **ret);

/* Build the slab model, with progress on stderr when it is a terminal
 * and --quiet was not given. */
struct ss_model;
struct ss_error *ss_cli_load_model(struct ss_kernel *k,
				   const struct ss_common_opts *opts,
				   struct ss_model **ret);

/* An analysis of one dump: the kernel and its slab model. */
struct ss_session {
	struct ss_kernel *k;
	struct ss_model *m;
};
/* Open the dump and build its model (progress as ss_cli_load_model). */
struct ss_error *ss_cli_session_open(const char *dump,
				     const struct ss_common_opts *opts,
				     struct ss_session *s);
void ss_cli_session_close(struct ss_session *s);

/* A snapshot from a file: caches JSON or /proc/slabinfo, else a dump. */
struct ss_snapshot;
struct ss_error *ss_cli_load_snapshot(const char *path,
				      const struct ss_common_opts *opts,
				      struct ss_snapshot *snap);

extern const struct ss_cmd_entry ss_cmd_info_entry;
extern const struct ss_cmd_entry ss_cmd_batch_entry;
extern const struct ss_cmd_entry ss_cmd_caches_entry;
extern const struct ss_cmd_entry ss_cmd_check_entry;
extern const struct ss_cmd_entry ss_cmd_diff_entry;
extern const struct ss_cmd_entry ss_cmd_leaks_entry;
extern const struct ss_cmd_entry ss_cmd_objects_entry;
extern const struct ss_cmd_entry ss_cmd_whatis_entry;
extern const struct ss_cmd_entry ss_cmd_tasks_entry;
extern const struct ss_cmd_entry ss_cmd_browse_entry;

#endif /* SLABSCOPE_CLI_H */
