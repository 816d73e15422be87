/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slabscope.so, the crash(8) extension (`extend slabscope.so`): slabscope's
 * commands inside a crash session, on the memory crash reads, printed as
 * the slabscope command of the same name prints them (man
 * slabscope-crash(7)).  It uses only libslabscope's public interface,
 * <slabscope/slabscope.h>.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/slabscope.h>

#include "host.h"

/* After slabscope's headers: defs.h defines many short macros. */
#include <crash/defs.h>

/*
 * The session's analysis.  crash calls a command as void (*)(void), with
 * its arguments in globals (args, argcnt), and gives an extension no place
 * for state: what outlives a command has to be file-scope.  It is the one
 * static of slabscope's code; the library itself keeps none.
 */
static struct {
	struct ss_crash_host host;
	struct ss_analysis *a;
	/* A library call is under way.  Still set when the next command
	 * starts: crash longjmp'ed out of the library (a FATAL error deep in
	 * its page-table reads), and the analysis may be half updated. */
	bool busy;
} session;

/* Set by on_sigint while the library runs (host.h). */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* crash's SIGINT handler longjmps to its prompt; while the library runs,
 * Ctrl-C only sets a flag that makes every read fail, the library returns
 * and the command reports the interruption. */
static void library_enter(struct sigaction *saved)
{
	struct sigaction sa = { .sa_handler = on_sigint };
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	session.busy = true;
	sigaction(SIGINT, &sa, saved);
}

static void library_leave(const struct sigaction *saved)
{
	sigaction(SIGINT, saved, NULL);
	session.busy = false;
}

/* One line, as crash reports a command's error ("slabcheck: ..."). */
static void report(struct ss_error *err)
{
	error(INFO, "%s\n", err->message);
	ss_error_destroy(err);
}

static void drop(void)
{
	ss_analysis_close(session.a);
	session.a = NULL;
	ss_crash_host_release(&session.host);
}

/* The session's analysis, loaded at its first command; NULL (reported)
 * when it cannot be. */
static struct ss_analysis *analysis(void)
{
	if (session.busy) {
		/* Freeing a structure a longjmp left half built could crash
		 * the session: leave it. */
		session.a = NULL;
		ss_crash_host_abandon(&session.host);
		session.busy = false;
		error(INFO, "the last slabscope command did not finish: its "
			    "analysis is left, a new one is loaded\n");
	}
	if (session.a)
		return session.a;
	const char *vmlinux = ss_crash_vmlinux();
	ss_crash_host_init(&session.host, &interrupted);
	struct sigaction saved;
	library_enter(&saved);
	struct ss_error *err =
		ss_analysis_open_host(&session.host.host, vmlinux, &session.a);
	library_leave(&saved);
	if (!err && interrupted) {
		drop();
		error(INFO, "interrupted while loading the slab model\n");
		return NULL;
	}
	if (err) {
		session.a = NULL;
		ss_crash_host_release(&session.host);
		report(ss_error_prepend(err, "%s",
					vmlinux ? vmlinux : "vmlinux"));
		return NULL;
	}
	return session.a;
}

enum query_kind { Q_CACHES, Q_CHECK, Q_WHATIS, Q_SLABS, Q_OBJECTS, Q_LEAKS };

struct query {
	enum query_kind kind;
	const char *const *names; /* caches of check; [0] of the others */
	size_t nnames;
	const uint64_t *addrs; /* whatis */
	size_t naddrs;
	bool json;
};

static struct ss_error *query_run(struct ss_analysis *a, const struct query *q,
				  struct ss_result **r)
{
	switch (q->kind) {
	case Q_CACHES: return ss_query_caches(a, r);
	case Q_CHECK: return ss_query_check(a, q->names, q->nnames, r);
	case Q_WHATIS: return ss_query_whatis(a, q->addrs, q->naddrs, r);
	case Q_SLABS: return ss_query_slabs(a, q->names[0], r);
	case Q_OBJECTS: return ss_query_objects(a, q->names[0], r);
	case Q_LEAKS: return ss_query_leaks(a, q->names[0], r);
	}
	return ss_error_create(SS_ERR_INVALID, "unknown query %d", q->kind);
}

/* Run q on the session's analysis and print its result to crash's fp (a
 * pipe or redirection of the command line goes there too). */
static void run(const struct query *q)
{
	struct ss_analysis *a = analysis();
	if (!a)
		return;
	struct ss_result *r = NULL;
	struct sigaction saved;
	library_enter(&saved);
	struct ss_error *err = query_run(a, q, &r);
	library_leave(&saved);
	if (interrupted) {
		/* Reads failed from the interruption on: what the library
		 * made of them (in the result, and in what the analysis
		 * keeps between queries) is not the kernel's state. */
		ss_result_destroy(r);
		ss_error_destroy(err);
		drop();
		error(INFO, "interrupted: the slab model is dropped, the next "
			    "command loads it again\n");
		return;
	}
	if (err) {
		report(err);
		return;
	}
	const char *s = q->json ? ss_result_json(r) : ss_result_text(r);
	size_t n = s ? strlen(s) : 0;
	if (n)
		fputs(s, fp);
	if (q->json && n && s[n - 1] != '\n')
		fputc('\n', fp);
	fflush(fp);
	ss_result_destroy(r);
}

/* The options every command takes (-j); false after a usage error (crash's
 * cmd_usage() has returned to the prompt by then). */
static bool parse_options(struct query *q)
{
	int c;
	optind = 0; /* crash resets it too: a full getopt restart */
	while ((c = getopt(argcnt, args, "j")) != EOF) {
		switch (c) {
		case 'j': q->json = true; break;
		default: argerrs++; break;
		}
	}
	if (argerrs) {
		cmd_usage(pc->curcmd, SYNOPSIS);
		return false;
	}
	return true;
}

/* Operands after the options. */
static size_t operands(void)
{
	return optind < argcnt ? (size_t)(argcnt - optind) : 0;
}

/* A command that takes exactly one cache. */
static void one_cache(enum query_kind kind)
{
	struct query q = { .kind = kind };
	if (!parse_options(&q))
		return;
	if (operands() != 1) {
		cmd_usage(pc->curcmd, SYNOPSIS);
		return;
	}
	q.names = (const char *const *)&args[optind];
	q.nnames = 1;
	run(&q);
}

static void cmd_slabcaches(void)
{
	struct query q = { .kind = Q_CACHES };
	if (!parse_options(&q))
		return;
	if (operands()) {
		cmd_usage(pc->curcmd, SYNOPSIS);
		return;
	}
	run(&q);
}

static void cmd_slabcheck(void)
{
	struct query q = { .kind = Q_CHECK };
	if (!parse_options(&q))
		return;
	q.nnames = operands();
	q.names = q.nnames ? (const char *const *)&args[optind] : NULL;
	run(&q);
}

/* Hexadecimal, 0x optional, as `slabscope whatis` takes it; else a symbol
 * of crash's table (crash users type `kmem init_task`). */
static bool parse_address(const char *s, uint64_t *ret)
{
	const char *h = s;
	if (h[0] == '0' && (h[1] == 'x' || h[1] == 'X'))
		h += 2;
	if (*h && strspn(h, "0123456789abcdefABCDEF") == strlen(h) &&
	    strlen(h) <= 16) {
		*ret = strtoull(h, NULL, 16);
		return true;
	}
	if (symbol_exists((char *)s)) {
		*ret = symbol_value((char *)s);
		return true;
	}
	return false;
}

static void cmd_slabwhatis(void)
{
	struct query q = { .kind = Q_WHATIS };
	if (!parse_options(&q))
		return;
	size_t n = operands();
	if (!n) {
		cmd_usage(pc->curcmd, SYNOPSIS);
		return;
	}
	uint64_t *addrs = calloc(n, sizeof(*addrs));
	if (!addrs) {
		error(INFO, "out of memory\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = args[optind + (int)i];
		if (!parse_address(s, &addrs[i])) {
			error(INFO,
			      "'%s' is neither a hex address nor a symbol\n",
			      s);
			free(addrs);
			return;
		}
	}
	q.addrs = addrs;
	q.naddrs = n;
	run(&q);
	free(addrs);
}

static void cmd_slabslabs(void)
{
	one_cache(Q_SLABS);
}

static void cmd_slabobjects(void)
{
	one_cache(Q_OBJECTS);
}

static void cmd_slableaks(void)
{
	one_cache(Q_LEAKS);
}

static void cmd_slabreset(void)
{
	struct query q = { .kind = Q_CACHES };
	if (!parse_options(&q))
		return;
	if (operands() || q.json) {
		cmd_usage(pc->curcmd, SYNOPSIS);
		return;
	}
	if (session.busy) { /* left by a longjmp: see analysis() */
		session.a = NULL;
		ss_crash_host_abandon(&session.host);
		session.busy = false;
	}
	bool had = session.a != NULL;
	drop();
	fprintf(fp, "%s\n",
		had ? "slabscope: slab model dropped; the next slab command "
		      "loads it again"
		    : "slabscope: no slab model loaded");
}

/* ---- help: what man/slabscope-crash.7 says of each command ---- */

/* The paragraph every command's help ends with. */
#define HELP_SESSION                                                           \
	"", "  The first of these commands in a session loads the slab model", \
		"  (crash's vmlinux and memory: a few seconds) and keeps it;", \
		"  slabreset drops it.  See slabscope-crash(7)."

static char *help_slabcaches[] = {
	"slabcaches",
	"slab caches, as slabscope caches lists them",
	"[-j]",
	"  One row per slab cache, as slabscope caches prints it (crash's",
	"  kmem -s): the address of its struct kmem_cache, object and slot",
	"  size, objects allocated, free and unknown, slabs, memory, problems",
	"  (every finding of slabcheck), the aliases of merged caches, and a",
	"  totals line.",
	"",
	"    -j  the JSON document of slabscope caches --json.",
	HELP_SESSION,
	NULL
};

static char *help_slabcheck[] = {
	"slabcheck",
	"corrupt slab state, as slabscope check finds it",
	"[-j] [cache ...]",
	"  Check every slab cache, or the caches named (names, aliases and",
	"  globs, as slabscope check --cache takes them): free pointers,",
	"  freelists, slab lists, counters, red zones, poison and padding;",
	"  each finding names the likely culprit with its allocation and",
	"  free tracks.",
	"",
	"    -j  the JSON document of slabscope check --json.",
	HELP_SESSION,
	NULL
};

static char *help_slabwhatis[] = {
	"slabwhatis",
	"what kernel addresses are, as slabscope whatis tells",
	"[-j] address ...",
	"  Tell what each kernel virtual address (hexadecimal, 0x optional,",
	"  or a symbol) is, like kmem address: a slab object (cache, slab,",
	"  object, offset, state, region of the slot, tracks), a symbol, a",
	"  per-CPU variable, a task's stack, a vmalloc area, a struct page",
	"  or a page.",
	"",
	"    -j  the JSON document of slabscope whatis --json.",
	HELP_SESSION,
	NULL
};

static char *help_slabslabs[] = {
	"slabslabs",
	"the slabs of a cache by list, as slabscope slabs shows them",
	"[-j] cache",
	"  Every slab of one cache (a name, an alias or a glob that matches",
	"  one cache), like kmem -S: each CPU's slab and partial list, each",
	"  node's lists, full slabs on no list; objects by state.",
	"",
	"    -j  the JSON document of slabscope slabs --json.",
	HELP_SESSION,
	NULL
};

static char *help_slabobjects[] = {
	"slabobjects",
	"the objects of a cache, as slabscope objects lists them",
	"[-j] cache",
	"  Every object of one cache (a name, an alias or a glob that",
	"  matches one cache): its address, slab and state (allocated, free,",
	"  cpu-free, sheaf, unknown).",
	"",
	"    -j  the JSON document of slabscope objects --json.",
	HELP_SESSION,
	NULL
};

static char *help_slableaks[] = {
	"slableaks",
	"who allocated a cache's live objects, as slabscope leaks groups them",
	"[-j] cache",
	"  The allocated objects of one cache (a name, an alias or a glob",
	"  that matches one cache), by allocation call site and stack when",
	"  the cache keeps SLAB_STORE_USER tracks, else by content signature.",
	"",
	"    -j  the JSON document of slabscope leaks --json.",
	HELP_SESSION,
	NULL
};

static char *help_slabreset[] = {
	"slabreset",
	"drop slabscope's slab model",
	" ",
	"  Drop the slab model the slabscope commands keep for the session:",
	"  the next one loads it again from the memory crash reads.  On a",
	"  live system the slabs change under the model: slabreset, then the",
	"  command again, sees them as they are now.",
	NULL
};

static struct command_table_entry command_table[] = {
	{ "slabcaches", cmd_slabcaches, help_slabcaches, 0 },
	{ "slabcheck", cmd_slabcheck, help_slabcheck, 0 },
	{ "slabwhatis", cmd_slabwhatis, help_slabwhatis, 0 },
	{ "slabslabs", cmd_slabslabs, help_slabslabs, 0 },
	{ "slabobjects", cmd_slabobjects, help_slabobjects, 0 },
	{ "slableaks", cmd_slableaks, help_slableaks, 0 },
	{ "slabreset", cmd_slabreset, help_slabreset, 0 },
	{ NULL, NULL, NULL, 0 },
};

static void __attribute__((constructor)) slabscope_init(void)
{
	register_extension(command_table);
}

/* At `extend -u` and at crash's exit. */
static void __attribute__((destructor)) slabscope_fini(void)
{
	if (session.busy)
		return; /* see analysis() */
	drop();
}
