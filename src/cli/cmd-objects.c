/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope objects: every object of one cache with its state. */
#include <stdio.h>
#include <stdlib.h>

#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "cli.h"

enum { OPT_CACHE = 0x100, OPT_STATE };

/* The objects of cache ci, as JSON or text. */
static struct ss_error *emit(struct ss_model *m, uint32_t ci,
			     enum ss_objects_filter filter, bool json)
{
	const struct ss_cache *c = ss_model_cache(m, ci);
	/* SLUB: free objects link to the next one */
	bool has_next = c->allocator != SS_ALLOC_SLAB;
	if (!json)
		return ss_report_objects_text(m, ci, filter, has_next, stdout);
	json_t *doc;
	struct ss_error *err =
		ss_report_objects_json(m, ci, filter, has_next, &doc);
	return err ? err : ss_json_dump(doc, stdout);
}

static int objects_exec(const struct ss_cmd_entry *self, int argc, char **argv)
{
	static const struct option longopts[] = {
		SS_COMMON_LONG_OPTIONS,
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "state", required_argument, NULL, OPT_STATE },
		{ NULL, 0, NULL, 0 },
	};
	struct ss_common_opts opts = { 0 };
	const char *cache = NULL;
	int filter = SS_OBJECTS_ALL;
	int c;
	while ((c = getopt_long(argc, argv, SS_COMMON_SHORT_OPTIONS, longopts,
				NULL)) != -1) {
		switch (c) {
		case OPT_CACHE:
			cache = optarg;
			continue;
		case OPT_STATE:
			filter = ss_objects_filter_parse(optarg);
			if (filter < 0)
				return ss_cli_usage_error(
					self, "unknown state '%s'", optarg);
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
	if (ci == SS_NO_CACHE)
		err = ss_error_create(SS_ERR_NOTFOUND,
				      "%s: no slab cache named '%s' (see "
				      "slabscope caches)",
				      argv[optind], cache);
	else
		err = emit(m, ci, (enum ss_objects_filter)filter, opts.json);
	ss_cli_session_close(&sess);
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_objects_entry = {
	.name = "objects",
	.summary = "every object of one cache: address, slab, state",
	.help =
	"Usage: slabscope objects [OPTIONS] --cache NAME DUMP\n"
	"\n"
	"List the objects of cache NAME in DUMP, slab by slab in address\n"
	"order: the object address (what kmalloc returns), its slab, its\n"
	"state (allocated, free, cpu-free: on a CPU's lockless freelist, or\n"
	"unknown where a corrupt freelist prevents a decision) and, for free\n"
	"objects, the decoded next free pointer.\n"
	"\n"
	"Options:\n"
	"      --cache NAME    the cache (required)\n"
	"      --state STATE   allocated, free, unknown or all (default: all)\n"
	"  -k, --vmlinux FILE  vmlinux with debug info (default: found from the\n"
	"                      dump's kernel release)\n"
	"      --json          one JSON document on stdout\n"
	"  -q, --quiet         no progress output\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 success, 2 the dump could not be analysed or there is\n"
	"no such cache.\n",
	.exec = objects_exec,
};
