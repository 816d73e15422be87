/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slabscope batch: a PASS/FAIL/ERROR row per dump, for a test lab.
 *
 * Each dump is analysed in a child process that sends its result back as
 * JSON: a dump that crashes the analysis, or hangs past --timeout, is an
 * ERROR row and the run goes on; -j N children run at once.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <slabscope/batch.h>
#include <slabscope/report.h>

#include "cli.h"

enum { OPT_RULES, OPT_BASELINE, OPT_JOBS, OPT_JUNIT, OPT_TIMEOUT };

struct job {
	pid_t pid;
	int fd;
	size_t idx;
	char *buf;
	size_t len, cap;
	double start;
	bool killed;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_error(struct ss_batch_result *r, const char *dump,
		      enum ss_batch_error id, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* r is an ERROR for id, fmt saying why; what the dump is comes from the
 * dump alone (the child that read its kernel said nothing). */
static void set_error(struct ss_batch_result *r, const char *dump,
		      enum ss_batch_error id, const char *fmt, ...)
{
	ss_batch_result_deinit(r);
	r->status = SS_BATCH_ERROR;
	r->error_id = id;
	r->dump = strdup(dump);
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&r->error, fmt, ap) < 0)
		r->error = NULL;
	va_end(ap);
	if (id != SS_BATCH_ERR_OUT_OF_MEMORY)
		ss_error_destroy(ss_dump_source_of_dump(dump, &r->source));
}

/* In the child: analyse, write the JSON result, exit. */
static void child(int fd, const char *dump, const struct ss_batch_options *o)
{
	struct ss_batch_result r;
	struct ss_error *err = ss_batch_analyse(dump, o, &r);
	if (err)
		_exit(3);
	char *s = json_dumps(ss_batch_result_json(&r) , JSON_COMPACT);
	if (!s)
		_exit(3);
	size_t len = strlen(s), off = 0;
	while (off < len) {
		ssize_t n = write(fd, s + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(4);
		off += (size_t)n;
	}
	_exit(0);
}

static int start_job(struct job *j, size_t idx, const char *dump,
		     const struct ss_batch_options *o)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child(p[1], dump, o);
	}
	close(p[1]);
	memset(j, 0, sizeof(*j));
	j->pid = pid;
	j->fd = p[0];
	j->idx = idx;
	j->start = now_s();
	return 0;
}

/* The child finished (EOF): reap it and turn its output into a result. */
static void finish_job(struct job *j, const char *dump,
		       struct ss_batch_result *r, double timeout)
{
	int status = 0;
	close(j->fd);
	while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (j->killed) {
		set_error(r, dump, SS_BATCH_ERR_TIMEOUT,
			  "analysis did not finish within %.0f s", timeout);
	} else if (WIFSIGNALED(status)) {
		set_error(r, dump, SS_BATCH_ERR_CRASHED,
			  "analysis crashed (signal %d)", WTERMSIG(status));
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		set_error(r, dump, SS_BATCH_ERR_EXIT_STATUS,
			  "analysis failed (exit status %d)",
			  WEXITSTATUS(status));
	} else {
		json_error_t jerr;
		json_t *doc = j->buf ? json_loadb(j->buf, j->len, 0, &jerr)
				     : NULL;
		struct ss_batch_result tmp;
		struct ss_error *err = doc ? ss_batch_result_from_json(doc, &tmp)
					   : ss_error_create(SS_ERR_FORMAT,
							     "no result");
		json_decref(doc);
		if (err) {
			set_error(r, dump, SS_BATCH_ERR_NO_RESULT,
				  "analysis returned no result");
			ss_error_destroy(err);
		} else {
			ss_batch_result_deinit(r);
			*r = tmp;
		}
	}
	/* An ERROR row's time is the time the analysis ran, too: a
	 * timed-out dump took the timeout, not 0.0 s. */
	if (r->status == SS_BATCH_ERROR)
		r->seconds = now_s() - j->start;
	free(j->buf);
	j->buf = NULL;
	j->pid = 0;
}

static int read_job(struct job *j)
{
	if (j->len + 4096 > j->cap) {
		size_t ncap = j->cap ? j->cap * 2 : 8192;
		char *n = realloc(j->buf, ncap);
		if (!n)
			return -1;
		j->buf = n;
		j->cap = ncap;
	}
	ssize_t n = read(j->fd, j->buf + j->len, j->cap - j->len);
	if (n < 0)
		return errno == EINTR ? 1 : -1;
	j->len += (size_t)n;
	return n > 0;
}

struct run {
	char **dumps;
	size_t n;
	struct ss_batch_result *res;
	bool *done;
	size_t printed;
	bool json;
};

/* A document of --json's JSON lines, on one line; steals doc. */
static void print_line(json_t *doc)
{
	char *s = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER)
		      : NULL;
	if (s)
		printf("%s\n", s);
	else
		fputs("slabscope: out of memory writing a JSON line\n", stderr);
	free(s);
	json_decref(doc);
}

/* Print the rows now complete, in input order. */
static void print_ready(struct run *run)
{
	while (run->printed < run->n && run->done[run->printed]) {
		const struct ss_batch_result *r = &run->res[run->printed];
		if (run->json) {
			print_line(ss_json_document("batch", NULL,
						    ss_batch_result_json(r)));
		} else {
			ss_error_destroy(ss_report_batch_line(r, stdout));
		}
		run->printed++;
	}
	fflush(stdout);
}

static void run_all(struct run *run, const struct ss_batch_options *o,
		    long jobs, double timeout)
{
	struct job *js = calloc((size_t)jobs, sizeof(*js));
	struct pollfd *pfd = calloc((size_t)jobs, sizeof(*pfd));
	size_t next = 0, running = 0;
	if (!js || !pfd) {
		free(js);
		free(pfd);
		for (size_t i = 0; i < run->n; i++) {
			set_error(&run->res[i], run->dumps[i],
				  SS_BATCH_ERR_OUT_OF_MEMORY, "out of memory");
			run->done[i] = true;
		}
		print_ready(run);
		return;
	}
	while (next < run->n || running) {
		for (long s = 0; s < jobs && next < run->n; s++) {
			if (js[s].pid)
				continue;
			if (start_job(&js[s], next, run->dumps[next], o) < 0) {
				set_error(&run->res[next], run->dumps[next],
					  SS_BATCH_ERR_CANNOT_START,
					  "cannot start the analysis: %s",
					  strerror(errno));
				run->done[next] = true;
			} else {
				running++;
			}
			next++;
		}
		nfds_t nf = 0;
		/* Wake at the first deadline: an analysis that hangs past
		 * --timeout is killed then, not at the next output. */
		int wait_ms = 1000;
		double now = now_s();
		for (long s = 0; s < jobs; s++) {
			if (!js[s].pid)
				continue;
			pfd[nf].fd = js[s].fd;
			pfd[nf].events = POLLIN;
			pfd[nf].revents = 0;
			nf++;
			if (timeout > 0 && !js[s].killed) {
				double left = js[s].start + timeout - now;
				int ms = left <= 0 ? 0 : (int)(left * 1000) + 1;
				if (ms < wait_ms)
					wait_ms = ms;
			}
		}
		if (nf && poll(pfd, nf, wait_ms) < 0 && errno != EINTR)
			break;
		double t = now_s();
		for (long s = 0; s < jobs; s++) {
			struct job *j = &js[s];
			if (!j->pid)
				continue;
			bool ready = false;
			for (nfds_t k = 0; k < nf; k++)
				if (pfd[k].fd == j->fd && pfd[k].revents)
					ready = true;
			if (!j->killed && timeout > 0 && t - j->start > timeout) {
				kill(j->pid, SIGKILL);
				j->killed = true;
			}
			if (!ready)
				continue;
			int rc = read_job(j);
			if (rc > 0)
				continue;
			size_t idx = j->idx;
			finish_job(j, run->dumps[idx], &run->res[idx], timeout);
			run->done[idx] = true;
			running--;
		}
		print_ready(run);
	}
	free(js);
	free(pfd);
}

static const struct ss_cmd_option batch_options[] = {
	{ "rules", required_argument, 0, OPT_RULES, 0, NULL },
	{ "baseline", required_argument, 0, OPT_BASELINE, 0, NULL },
	{ "jobs", required_argument, 'j', OPT_JOBS, 0, NULL },
	{ "junit", required_argument, 0, OPT_JUNIT, 0, NULL },
	{ "timeout", required_argument, 0, OPT_TIMEOUT, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

struct batch_opts {
	const char *rules_path, *baseline_path, *junit;
	long jobs;
	double timeout;
};

static const struct batch_opts batch_defaults = { .jobs = 1, .timeout = 600 };

static int batch_option(struct ss_cmd *cmd, int id, const char *arg)
{
	struct batch_opts *o = cmd->opts;
	char *end;
	switch (id) {
	case OPT_RULES:
		o->rules_path = arg;
		break;
	case OPT_BASELINE:
		o->baseline_path = arg;
		break;
	case OPT_JUNIT:
		o->junit = arg;
		break;
	case OPT_JOBS:
		if (!ss_cli_parse_count(arg, &o->jobs) || o->jobs < 1 ||
		    o->jobs > 256)
			return ss_cli_usage_error(
				cmd->entry, "-j takes 1 to 256, not '%s'", arg);
		break;
	case OPT_TIMEOUT:
		/* '' would be 0, no timeout: say it. */
		errno = 0;
		o->timeout = strtod(arg, &end);
		if (!isdigit((unsigned char)arg[0]) || errno || *end ||
		    !(o->timeout >= 0) || o->timeout > 1e9)
			return ss_cli_usage_error(
				cmd->entry, "--timeout takes seconds, not '%s'",
				arg);
		break;
	}
	return SS_CONTINUE;
}

/* Each dump is analysed in a child process (run_all), not in a session. */
static int batch_exec(struct ss_cmd *cmd)
{
	const struct batch_opts *o = cmd->opts;
	struct ss_rules rules = { 0 };
	struct ss_snapshot baseline = { 0 };
	struct ss_error *err = NULL;
	if (o->rules_path)
		err = ss_rules_load(o->rules_path, &rules);
	if (!err && ss_rules_have_growth(&rules) && !o->baseline_path)
		err = ss_error_create(SS_ERR_INVALID,
				      "%s: growth rules need --baseline",
				      o->rules_path);
	if (!err && o->baseline_path)
		err = ss_cli_load_snapshot(o->baseline_path, &cmd->common,
					   &baseline);
	char **dumps = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; !err && i < cmd->argc; i++)
		err = ss_batch_scan(cmd->argv[i], &dumps, &n, &cap);
	if (!err && n == 0)
		err = ss_error_create(SS_ERR_NOTFOUND, "no dumps found under %s",
				      cmd->argv[0]);
	int status = SS_EXIT_ERROR;
	struct run run = { .dumps = dumps, .n = n, .json = cmd->common.json };
	if (!err) {
		run.res = calloc(n, sizeof(*run.res));
		run.done = calloc(n, sizeof(*run.done));
		if (!run.res || !run.done)
			err = &ss_error_nomem;
	}
	if (!err) {
		struct ss_batch_options bo = {
			.rules = &rules,
			.baseline = o->baseline_path ? &baseline : NULL,
			.vmlinux = cmd->common.vmlinux,
			.modules = cmd->common.modules,
			.nmodules = cmd->common.nmodules,
		};
		run_all(&run, &bo, o->jobs, o->timeout);
		size_t pass = 0, fail = 0, errs = 0;
		for (size_t i = 0; i < n; i++) {
			pass += run.res[i].status == SS_BATCH_PASS;
			fail += run.res[i].status == SS_BATCH_FAIL;
			errs += run.res[i].status == SS_BATCH_ERROR;
		}
		if (cmd->common.json)
			print_line(ss_json_document(
				"batch", NULL,
				ss_report_batch_summary_json(
					run.res, n, o->rules_path,
					o->baseline_path ? &baseline : NULL)));
		else
			printf("%zu dumps: %zu passed, %zu failed, %zu errors\n",
			       n, pass, fail, errs);
		status = errs ? SS_EXIT_ERROR : fail ? SS_EXIT_FINDINGS
						     : SS_EXIT_OK;
		/* Rows and summary lost on a full disk or a closed pipe are
		 * no result: exit 2, as every other command. */
		if (fflush(stdout) == EOF || ferror(stdout))
			err = ss_error_errno(errno ? errno : EIO, SS_ERR_IO,
					     "writing output");
		if (!err && o->junit) {
			FILE *f = fopen(o->junit, "we");
			if (!f) {
				err = ss_error_errno(errno, SS_ERR_IO,
						     "%s: cannot write", o->junit);
			} else {
				err = ss_report_junit(run.res, n, f);
				if (fclose(f) != 0 && !err)
					err = ss_error_errno(errno, SS_ERR_IO,
							     "%s: cannot write",
							     o->junit);
			}
		}
	}
	for (size_t i = 0; run.res && i < n; i++)
		ss_batch_result_deinit(&run.res[i]);
	free(run.res);
	free(run.done);
	for (size_t i = 0; i < n; i++)
		free(dumps[i]);
	free(dumps);
	ss_rules_deinit(&rules);
	ss_snapshot_deinit(&baseline);
	return err ? ss_cli_fail(err) : status;
}

const struct ss_cmd_entry ss_cmd_batch_entry = {
	.name = "batch",
	.summary = "PASS/FAIL/ERROR per dump for CI, with rules and JUnit",
	.help = "Usage: slabscope batch [OPTIONS] DUMP|DIRECTORY...\n"
		"\n"
		"Check many dumps unattended: for each dump (a directory is scanned\n"
		"recursively for files that start like a dump), run check, compare it\n"
		"with the baseline if given, apply the rules, and print one row:\n"
		"PASS, FAIL with the reasons, or ERROR when the dump cannot be read.\n"
		"Each dump is analysed in its own process, so one that crashes or hangs\n"
		"is an ERROR row and the run goes on.  A summary line ends the run.\n"
		"\n"
		"Options:\n"
		"      --rules FILE      rules: which findings fail, warn or are\n"
		"                        ignored, growth limits, vmlinux per dump (see\n"
		"                        slabscope-rules(5)); default: errors fail,\n"
		"                        warnings warn\n"
		"      --baseline SNAP   snapshot (caches --json, /proc/slabinfo) or dump\n"
		"                        the growth rules compare with\n"
		"  -j, --jobs N          analyse N dumps at once (default 1)\n"
		"      --junit FILE      also write JUnit XML: a testcase per dump\n"
		"      --timeout SEC     an analysis taking longer is an ERROR (default\n"
		"                        600; 0: none)\n"
		"  -k, --vmlinux FILE    vmlinux for every dump (default: rules, then\n"
		"                        found by each dump's build-id and release)\n"
		"      --module FILE     a module's .ko for every dump (repeatable; *.ko\n"
		"                        beside each dump are used too)\n"
		"      --json            JSON lines: one object per dump, then a summary\n"
		"  -q, --quiet           no progress output\n"
		"      --threads N       threads reading the dump ahead (default: the CPUs)\n"
		"  -h, --help            show this help\n"
		"\n"
		"Exit status: 0 all passed, 1 a dump failed, 2 a dump could not be\n"
		"analysed (or bad options).\n",
	.options = batch_options,
	.opts_size = sizeof(struct batch_opts),
	.opts_defaults = &batch_defaults,
	.option = batch_option,
	.operands = SS_OPERANDS_DUMPS,
	.session = SS_SESSION_NONE,
	.exec = batch_exec,
};
