/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command-line front end.  One file per command (cmd-*.c), each
 * exporting one struct ss_cmd_entry that declares its options, operands
 * and session, collected in main.c's table and run by the driver in
 * cmd.c.  Commands print; the library does not.
 */
#ifndef SLABSCOPE_CLI_H
#define SLABSCOPE_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include <slabscope/error.h>
#include <slabscope/kernel.h>

/* Exit statuses, the contract every command keeps. */
enum {
	SS_EXIT_OK = 0,       /* success, nothing found */
	SS_EXIT_FINDINGS = 1, /* findings, or a crossed threshold */
	SS_EXIT_ERROR = 2,    /* could not analyse */
};

/* Options every command takes (the driver parses them). */
struct ss_common_opts {
	const char *vmlinux;
	const char **modules; /* --module, repeatable (the driver frees) */
	size_t nmodules;
	bool json;
	bool quiet;
	unsigned int threads; /* --threads: read-ahead threads; 0: default */
};

/* An analysis of one dump: the kernel and its slab model. */
struct ss_model;
struct ss_session {
	struct ss_kernel *k;
	struct ss_model *m;
};

/* One option of a command, as getopt_long takes it. */
struct ss_cmd_option {
	const char *name;     /* --NAME */
	int has_arg;          /* no_argument or required_argument */
	int short_name;       /* -C too, or 0 */
	int id;               /* what the command's .option callback is given */
	unsigned flags;       /* SS_OPT_* */
	const char *arg_name; /* ARG in "--NAME ARG is required" */
};

enum {
	/* Absent: usage error "--NAME ARG is required" (after the operands
	 * are checked). */
	SS_OPT_REQUIRED = 1u << 0,
	/* The value names one slab cache: once the session is open the
	 * driver finds it (cmd->cache) or fails with "no slab cache named",
	 * as tmux's .target finds a session before exec. */
	SS_OPT_CACHE = 1u << 1,
};

/* The operands a command takes; the driver checks their number with the
 * usage message in brackets. */
enum ss_cmd_operands {
	SS_OPERANDS_DUMP, /* ["expected exactly one DUMP"] */
	SS_OPERANDS_DUMP_ADDRESSES, /* ["expected DUMP, then ADDRESS operands
				     * or none"]: every operand after the dump
				     * is checked by ss_cli_parse_address() or
				     * is "-" */
	SS_OPERANDS_TWO, /* ["expected BEFORE and AFTER"] */
	SS_OPERANDS_DUMPS, /* ["expected DUMP or DIRECTORY operands"]:
			    * one or more */
};

/* What the driver opens on the first operand before exec. */
enum ss_cmd_session {
	SS_SESSION_NONE,   /* nothing: the command reads its operands */
	SS_SESSION_KERNEL, /* the dump and vmlinux: cmd->session.k */
	SS_SESSION_MODEL,  /* and the slab model: cmd->session.m */
};

/* The --help lines of --module (every command's). */
#define SS_HELP_MODULE_OPTION                                                      \
	"      --module FILE   a module's .ko (or .ko.debug) for its freed init\n" \
	"                      code and source lines (repeatable; *.ko beside\n"   \
	"                      the dump are used too)\n"

/* The --help lines of the common options, as most commands word them
 * (info, diff, batch and browse word them their own way). */
#define SS_HELP_COMMON_OPTIONS                                                              \
	"  -k, --vmlinux FILE  vmlinux with debug info (default: found by the\n"            \
	"                      dump's build-id and kernel release)\n" SS_HELP_MODULE_OPTION \
	"      --json          one JSON document on stdout\n"                               \
	"  -q, --quiet         no progress output\n"                                        \
	"      --threads N     threads reading the dump ahead (default: the CPUs)\n"        \
	"  -h, --help          show this help\n"

/* One run of a command: what the driver hands the command's callbacks. */
struct ss_cmd {
	const struct ss_cmd_entry *entry;
	struct ss_common_opts common;
	/* The command's own options: entry->opts_size bytes, starting as a
	 * copy of entry->opts_defaults; its .option callback fills them. */
	void *opts;
	/* The operands, options taken out. */
	int argc;
	char **argv;
	struct ss_session session; /* SS_SESSION_KERNEL, SS_SESSION_MODEL */
	const char *cache_name;    /* the SS_OPT_CACHE option's value */
	uint32_t cache;            /* and its cache (SS_NO_CACHE: none given) */
};

/* The .option callback returns SS_CONTINUE, or an exit status to stop
 * with (help or a list printed: 0; usage error: 2). */
#define SS_CONTINUE (-2)

/*
 * A command, tmux-style: what it takes is declared here, and one driver
 * (ss_cmd_run, cmd.c) parses argv, handles the common options, checks
 * the operands, opens the session, calls exec and cleans up.
 */
struct ss_cmd_entry {
	const char *name;
	/* One line for `slabscope --help`. */
	const char *summary;
	/* Full `slabscope NAME --help` text; keep it in step with
	 * man/slabscope-NAME.1 (tests/integration/cli.sh checks). */
	const char *help;
	/* The command's own options, ended by { NULL }; NULL: none. */
	const struct ss_cmd_option *options;
	/* Where .option keeps them (0: nowhere), the defaults (NULL:
	 * zeroes), and what frees what .option allocated (NULL: nothing). */
	size_t opts_size;
	const void *opts_defaults;
	void (*opts_deinit)(void *opts);
	/* Called for each command option in argv order, with its id and
	 * argument (NULL for no_argument); not for SS_OPT_CACHE options,
	 * whose value the driver keeps in cmd->cache_name. */
	int (*option)(struct ss_cmd *cmd, int id, const char *arg);
	/* NULL, or called once every option is parsed, before the operands
	 * are checked: an option that prints and exits (check --list-ids)
	 * acts here, so that --json applies wherever it was given.
	 * Returns SS_CONTINUE or the exit status to stop with. */
	int (*options_done)(struct ss_cmd *cmd);
	enum ss_cmd_operands operands;
	enum ss_cmd_session session;
	/* Non-NULL: the command has no JSON output and --json is a usage
	 * error, "--json does not apply: " this. */
	const char *no_json;
	/* Run the command; returns the exit status. */
	int (*exec)(struct ss_cmd *cmd);
};

/* The options given before the command: the common ones (slabscope
 * --json -k FILE caches DUMP), which the command starts from, and
 * -h/--help and -V/--version, which main answers. */
struct ss_global_opts {
	struct ss_common_opts common;
	bool help, version;
	int cmd_index; /* argv index of the command (argc: none) */
};

/* Parse argv[1..] up to the command: SS_CONTINUE, or the exit status of
 * a usage error (said on stderr). */
int ss_cmd_parse_global(int argc, char **argv, struct ss_global_opts *g);

/* The driver: run entry on argv[0] = its name, argv[1..argc) its
 * options and operands (in any order), starting from the common options
 * given before the command (NULL: none; their modules array becomes the
 * driver's, which frees it); returns the exit status. */
int ss_cmd_run(const struct ss_cmd_entry *entry,
	       const struct ss_common_opts *common, int argc, char **argv);

/* Print "slabscope: MESSAGE" to stderr, free err, return SS_EXIT_ERROR. */
int ss_cli_fail(struct ss_error *err);
/* Print "slabscope: warning: DUMP: MESSAGE" to stderr: what made the
 * analysis of dump incomplete (a diagnostic, never on stdout). */
void ss_cli_warn(const char *dump, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Usage error: message plus a pointer to --help; returns SS_EXIT_ERROR. */
int ss_cli_usage_error(const struct ss_cmd_entry *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A decimal count of at least min for option name (--top): SS_CONTINUE,
 * or the usage error "NAME takes a count, not 'ARG'". */
int ss_cli_count_option(const struct ss_cmd *cmd, const char *name,
			const char *arg, long min, long *ret);

/* A kernel address: hex, 0x optional, the whole of s. */
bool ss_cli_parse_address(const char *s, uint64_t *ret);
/* A count in decimal: digits only (no blank, sign or empty string) and
 * no overflow; false if arg is not one. */
bool ss_cli_parse_count(const char *arg, long *ret);

/* Append arg to a repeatable option's values (*v has *n; the caller
 * frees *v): SS_CONTINUE, or the exit status after an out-of-memory. */
int ss_cli_append_option(const char ***v, size_t *n, const char *arg);
/* --fail-if RULE into (*v)[*n]: a growth rule (diff), or with level a
 * level rule (leaks --unreferenced); a bad rule is a usage error. */
struct ss_threshold;
int ss_cli_threshold_option(const struct ss_cmd *cmd, const char *arg,
			    bool level, struct ss_threshold **v, size_t *n);

/*
 * Print doc (stolen: a report's JSON object, NULL when out of memory) as
 * the command's --json document on stdout (schema/README.md): the schema
 * identification of the command's kind (its name), the session's dump as
 * "source", then doc's members.  Every command with a session prints
 * through here, so that every document says what it is and what it read.
 */
struct ss_error *ss_cli_print_json(const struct ss_cmd *cmd, json_t *doc);
/* The same for a kind other than the command's name (check --list-ids:
 * "finding-kinds"); s NULL or without a kernel: no "source". */
struct ss_error *ss_cli_print_document(const char *kind,
				       const struct ss_session *s, json_t *doc);

/* Open the dump with the common options' vmlinux. */
struct ss_error *ss_cli_open_kernel(const char *dump,
				    const struct ss_common_opts *opts,
				    struct ss_kernel **ret);

/* Build the slab model, with progress on stderr when it is a terminal
 * and --quiet was not given. */
struct ss_error *ss_cli_load_model(struct ss_kernel *k,
				   const struct ss_common_opts *opts,
				   struct ss_model **ret);

/* Open the dump and build its model (progress as ss_cli_load_model). */
struct ss_error *ss_cli_session_open(const char *dump,
				     const struct ss_common_opts *opts,
				     struct ss_session *s);
void ss_cli_session_close(struct ss_session *s);

/* ss_check_run with progress on stderr when it is a terminal and --quiet
 * was not given (copts->progress is set then). */
struct ss_check_options;
struct ss_check_result;
struct ss_error *ss_cli_check_run(struct ss_model *m,
				  struct ss_check_options *copts,
				  const struct ss_common_opts *opts,
				  struct ss_check_result *r);

/* ss_refscan_run with progress on stderr when it is a terminal and
 * --quiet was not given. */
struct ss_refscan_options;
struct ss_refscan;
struct ss_error *ss_cli_refscan_run(const struct ss_model *m,
				    const struct ss_refscan_options *ropts,
				    const struct ss_common_opts *opts,
				    struct ss_refscan **ret);

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
extern const struct ss_cmd_entry ss_cmd_slabs_entry;
extern const struct ss_cmd_entry ss_cmd_whatis_entry;
extern const struct ss_cmd_entry ss_cmd_tasks_entry;
extern const struct ss_cmd_entry ss_cmd_browse_entry;

#endif /* SLABSCOPE_CLI_H */
