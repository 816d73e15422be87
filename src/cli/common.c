/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the commands share: error reporting, the session, progress. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include <slabscope/check.h>
#include <slabscope/diff.h>
#include <slabscope/report.h>
#include <slabscope/slab.h>
#include <slabscope/source.h>

#include <slabscope/refscan.h>

#include "cli.h"

int ss_cli_fail(struct ss_error *err)
{
	fprintf(stderr, "slabscope: %s\n", err ? err->message : "failed");
	ss_error_destroy(err);
	return SS_EXIT_ERROR;
}

void ss_cli_warn(const char *dump, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "slabscope: warning: %s: ", dump);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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

bool ss_cli_parse_address(const char *s, uint64_t *ret)
{
	char *end;
	/* strtoull would take a sign or leading blanks: an address has
	 * neither. */
	if (!isxdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 16);
	if (errno || *end || end == s)
		return false;
	*ret = v;
	return true;
}

bool ss_cli_parse_count(const char *arg, long *ret)
{
	/* strtol alone would take '' as 0, blanks, a sign and, clamped,
	 * 99999999999999999999. */
	if (!isdigit((unsigned char)arg[0]))
		return false;
	char *end;
	errno = 0;
	*ret = strtol(arg, &end, 10);
	return !errno && !*end;
}

int ss_cli_count_option(const struct ss_cmd *cmd, const char *name,
			const char *arg, long min, long *ret)
{
	if (!ss_cli_parse_count(arg, ret) || *ret < min)
		return ss_cli_usage_error(cmd->entry,
					  "%s takes a count, not '%s'", name,
					  arg);
	return SS_CONTINUE;
}

struct ss_error *ss_cli_print_document(const char *kind,
				       const struct ss_session *s, json_t *doc)
{
	json_t *source = NULL;
	if (doc && s && s->k) {
		struct ss_dump_source src;
		struct ss_error *err = ss_dump_source_get(s->k, s->m, &src);
		if (err) {
			json_decref(doc);
			return err;
		}
		source = ss_dump_source_json(&src);
		ss_dump_source_deinit(&src);
		if (!source) {
			json_decref(doc);
			return &ss_error_nomem;
		}
	}
	return ss_json_dump(ss_json_document(kind, source, doc), stdout);
}

struct ss_error *ss_cli_print_json(const struct ss_cmd *cmd, json_t *doc)
{
	return ss_cli_print_document(cmd->entry->name, &cmd->session, doc);
}

/* debuginfod downloads, on a terminal: "fetching vmlinux: 42%". */
static void show_fetch(void *arg, const char *what, uint64_t done,
		       uint64_t total)
{
	(void)arg;
	if (!done && !total) /* over: clear the line */
		fprintf(stderr, "\r%*s\r", 60, "");
	else if (total)
		fprintf(stderr, "\rfetching %s from debuginfod: %3d%%", what,
			(int)(done * 100 / total));
	else
		fprintf(stderr, "\rfetching %s from debuginfod: %" PRIu64 " MB",
			what, done >> 20);
	fflush(stderr);
}

struct ss_error *ss_cli_open_kernel(const char *dump,
				    const struct ss_common_opts *opts,
				    struct ss_kernel **ret)
{
	struct ss_kernel_options kopts = {
		.vmlinux = opts->vmlinux,
		.modules = opts->modules,
		.nmodules = opts->nmodules,
	};
	if (!opts->quiet && isatty(STDERR_FILENO))
		kopts.progress = show_fetch;
	return ss_kernel_open(dump, &kopts, ret);
}

struct progress {
	int last_pct;
	const char *what; /* "scanning pages" */
};

static void show_progress(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	int pct = total ? (int)(done * 100 / total) : 100;
	if (pct == p->last_pct)
		return;
	p->last_pct = pct;
	fprintf(stderr, "\r%s: %3d%%", p->what, pct);
	if (pct >= 100)
		fprintf(stderr, "\r%*s\r", (int)strlen(p->what) + 6, "");
	fflush(stderr);
}

struct ss_error *ss_cli_load_model(struct ss_kernel *k,
				   const struct ss_common_opts *opts,
				   struct ss_model **ret)
{
	struct progress prog = { .last_pct = -1, .what = "scanning pages" };
	struct ss_model_options mopts = { .jobs = opts->threads };
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
	if (!err)
		err = ss_dump_source_get(sess.k, sess.m, &snap->from);
	if (err)
		ss_snapshot_deinit(snap);
	ss_cli_session_close(&sess);
	return err;
}

/* An error that stops the analysis of dump names it (issue 20: "reading
 * nr_cpu_ids: address ... is corrupt in the dump file" named no file). */
static struct ss_error *name_dump(struct ss_error *err, const char *dump)
{
	if (!err || err->code == SS_ERR_NOMEM)
		return err;
	/* A page the analysis cannot do without is damaged in the file:
	 * the fix is another copy of it. */
	bool damaged = strstr(err->message, "is corrupt in the dump file");
	if (!strstr(err->message, dump) || damaged)
		err = ss_error_prepend(
			err, "%s%s", dump,
			damaged ? ": the file is damaged where the analysis "
				  "needs it (copy the dump again from where it "
				  "was saved)"
				: "");
	return err;
}

struct ss_error *ss_cli_session_open(const char *dump,
				     const struct ss_common_opts *opts,
				     struct ss_session *s)
{
	s->m = NULL;
	struct ss_error *err =
		name_dump(ss_cli_open_kernel(dump, opts, &s->k), dump);
	if (err)
		return err;
	err = name_dump(ss_cli_load_model(s->k, opts, &s->m), dump);
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

static void check_progress(void *arg, uint64_t done, uint64_t total)
{
	(void)arg;
	fprintf(stderr, "\rchecking slabs: %3d%%",
		total ? (int)(done * 100 / total) : 100);
	fflush(stderr);
}

struct ss_error *ss_cli_check_run(struct ss_model *m,
				  struct ss_check_options *copts,
				  const struct ss_common_opts *opts,
				  struct ss_check_result *r)
{
	bool tty = !opts->quiet && isatty(STDERR_FILENO);
	if (tty)
		copts->progress = check_progress;
	struct ss_error *err = ss_check_run(m, copts, r);
	if (tty)
		fputs("\r                     \r", stderr);
	return err;
}

struct ss_error *ss_cli_refscan_run(const struct ss_model *m,
				    const struct ss_refscan_options *ropts,
				    const struct ss_common_opts *opts,
				    struct ss_refscan **ret)
{
	struct ss_refscan_options o = *ropts;
	struct progress prog = { .last_pct = -1, .what = "scanning memory" };
	bool tty = !opts->quiet && isatty(STDERR_FILENO);
	if (tty) {
		o.progress = show_progress;
		o.progress_arg = &prog;
	}
	struct ss_error *err = ss_refscan_run(m, &o, ret);
	if (tty)
		fputs("\r                      \r", stderr);
	return err;
}

int ss_cli_threshold_option(const struct ss_cmd *cmd, const char *arg,
			    bool level, struct ss_threshold **v, size_t *n)
{
	struct ss_threshold *nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return ss_cli_fail(&ss_error_nomem);
	*v = nv;
	struct ss_error *err = level ? ss_threshold_parse_level(arg, &nv[*n])
				     : ss_threshold_parse(arg, &nv[*n]);
	if (err) {
		int rc = ss_cli_usage_error(cmd->entry, "%s", err->message);
		ss_error_destroy(err);
		return rc;
	}
	(*n)++;
	return SS_CONTINUE;
}

int ss_cli_append_option(const char ***v, size_t *n, const char *arg)
{
	const char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return ss_cli_fail(&ss_error_nomem);
	nv[(*n)++] = arg;
	*v = nv;
	return SS_CONTINUE;
}
