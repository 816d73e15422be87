/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope caches: one row per slab cache, like /proc/slabinfo. */
#include <stdio.h>
#include <stdlib.h>

#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "cli.h"

enum { OPT_SORT = 0x100, OPT_TOP };

static int caches_exec(const struct ss_cmd_entry *self, int argc, char **argv)
{
	static const struct option longopts[] = {
		SS_COMMON_LONG_OPTIONS,
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "top", required_argument, NULL, OPT_TOP },
		{ NULL, 0, NULL, 0 },
	};
	struct ss_common_opts opts = { 0 };
	int sort = SS_SORT_MEMORY;
	long top = -1;
	int c;
	while ((c = getopt_long(argc, argv, SS_COMMON_SHORT_OPTIONS, longopts,
				NULL)) != -1) {
		char *end;
		switch (c) {
		case OPT_SORT:
			sort = ss_cache_sort_parse(optarg);
			if (sort < 0)
				return ss_cli_usage_error(
					self, "unknown sort key '%s'", optarg);
			continue;
		case OPT_TOP:
			top = strtol(optarg, &end, 10);
			if (*end || top < 0)
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

	struct ss_session sess;
	struct ss_error *err = ss_cli_session_open(argv[optind], &opts, &sess);
	if (err)
		return ss_cli_fail(err);
	struct ss_model *m = sess.m;
	uint32_t *order = NULL;
	err = ss_caches_sorted(m, (enum ss_cache_sort)sort, &order);
	if (!err) {
		size_t n = ss_model_ncaches(m);
		if (top >= 0 && (size_t)top < n)
			n = (size_t)top;
		if (opts.json)
			err = ss_json_dump(ss_report_caches_json(m, order, n),
					   stdout);
		else
			err = ss_report_caches_text(m, order, n, stdout);
	}
	free(order);
	ss_cli_session_close(&sess);
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_caches_entry = {
	.name = "caches",
	.summary = "one row per slab cache: objects, slabs, memory, problems",
	.help =
	"Usage: slabscope caches [OPTIONS] DUMP\n"
	"\n"
	"List every slab cache of DUMP, like /proc/slabinfo and crash's\n"
	"'kmem -s': object size, allocated and total objects, slabs, objects\n"
	"and pages per slab, memory held, and a '!' with a count on caches\n"
	"where the walk met corrupt state (see slabscope check).  Every slab\n"
	"is walked, full slabs included, in one pass over the page array.\n"
	"\n"
	"Options:\n"
	"      --sort KEY      name, allocated, total, slabs, size or memory\n"
	"                      (default: memory; all but name sort largest first)\n"
	"      --top N         only the first N caches\n"
	"  -k, --vmlinux FILE  vmlinux with debug info (default: found from the\n"
	"                      dump's kernel release)\n"
	"      --json          one JSON document on stdout\n"
	"  -q, --quiet         no progress output\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 success, 2 the dump could not be analysed.\n",
	.exec = caches_exec,
};
