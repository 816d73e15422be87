/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope leaks: who allocated the live objects of one cache. */
#include <stdio.h>
#include <stdlib.h>

#include <slabscope/leaks.h>
#include <slabscope/report.h>

#include "cli.h"

enum { OPT_CACHE = 0x100, OPT_STACK, OPT_FREE, OPT_CONTENT, OPT_TOP };

static int leaks_exec(const struct ss_cmd_entry *self, int argc, char **argv)
{
	static const struct option longopts[] = {
		SS_COMMON_LONG_OPTIONS,
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "stack", no_argument, NULL, OPT_STACK },
		{ "free", no_argument, NULL, OPT_FREE },
		{ "content", no_argument, NULL, OPT_CONTENT },
		{ "top", required_argument, NULL, OPT_TOP },
		{ NULL, 0, NULL, 0 },
	};
	struct ss_common_opts opts = { 0 };
	struct ss_leaks_options lopts = { 0 };
	const char *cache = NULL;
	long top = 10;
	int c;
	while ((c = getopt_long(argc, argv, SS_COMMON_SHORT_OPTIONS, longopts,
				NULL)) != -1) {
		char *end;
		switch (c) {
		case OPT_CACHE:
			cache = optarg;
			continue;
		case OPT_STACK:
			lopts.by_stack = true;
			continue;
		case OPT_FREE:
			lopts.free_side = true;
			continue;
		case OPT_CONTENT:
			lopts.force_content = true;
			continue;
		case OPT_TOP:
			top = strtol(optarg, &end, 10);
			if (*end || top <= 0)
				return ss_cli_usage_error(
					self, "--top takes a count, not '%s'",
					optarg);
			continue;
		}
		int rc = ss_common_option(self, c, &opts);
		if (rc != SS_CONTINUE)
			return rc < 0 ? SS_EXIT_ERROR : rc;
	}
	if (optind + 1 != argc)
		return ss_cli_usage_error(self, "expected exactly one DUMP");
	if (!cache)
		return ss_cli_usage_error(self, "--cache NAME is required");

	struct ss_session sess;
	struct ss_error *err = ss_cli_session_open(argv[optind], &opts, &sess);
	if (err)
		return ss_cli_fail(err);
	struct ss_model *m = sess.m;
	uint32_t ci = ss_model_find_cache(m, cache);
	struct ss_leaks_result r;
	if (ci == SS_NO_CACHE) {
		err = ss_error_create(SS_ERR_NOTFOUND,
				      "%s: no slab cache named '%s' (see "
				      "slabscope caches)",
				      argv[optind], cache);
	} else {
		err = ss_leaks_group(m, ci, &lopts, &r);
		if (!err) {
			const struct ss_cache *cc = ss_model_cache(m, ci);
			if (opts.json)
				err = ss_json_dump(ss_report_leaks_json(
							   cc, &r, &lopts,
							   (size_t)top),
						   stdout);
			else
				err = ss_report_leaks_text(cc, &r, &lopts,
							   (size_t)top, stdout);
			ss_leaks_result_deinit(&r);
		}
	}
	ss_cli_session_close(&sess);
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_leaks_entry = {
	.name = "leaks",
	.summary = "who allocated the live objects of a cache",
	.help =
	"Usage: slabscope leaks [OPTIONS] --cache NAME DUMP\n"
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
	"Options:\n"
	"      --cache NAME    the cache (required)\n"
	"      --stack         group by the whole allocation stack (stack depot)\n"
	"      --free          group free objects by their free track instead\n"
	"      --content       group by content even when tracks exist\n"
	"      --top N         show the N largest groups (default 10)\n"
	"  -k, --vmlinux FILE  vmlinux with debug info (default: found from the\n"
	"                      dump's kernel release)\n"
	"      --json          one JSON document on stdout\n"
	"  -q, --quiet         no progress output\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 success, 2 the dump could not be analysed or there is\n"
	"no such cache.\n",
	.exec = leaks_exec,
};
