/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope whatis: what a kernel address is, slab-wise. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "cli.h"

static int whatis_exec(const struct ss_cmd_entry *self, int argc, char **argv)
{
	static const struct option longopts[] = {
		SS_COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct ss_common_opts opts = { 0 };
	int c;
	while ((c = getopt_long(argc, argv, SS_COMMON_SHORT_OPTIONS, longopts,
				NULL)) != -1) {
		int rc = ss_common_option(self, c, &opts);
		if (rc != SS_CONTINUE)
			return rc < 0 ? SS_EXIT_ERROR : rc;
	}
	if (optind + 2 != argc)
		return ss_cli_usage_error(self, "expected DUMP and ADDRESS");
	char *end;
	errno = 0;
	uint64_t addr = strtoull(argv[optind + 1], &end, 16);
	if (errno || *end || end == argv[optind + 1])
		return ss_cli_usage_error(self, "'%s' is not a hex address",
					  argv[optind + 1]);

	struct ss_session sess;
	struct ss_error *err = ss_cli_session_open(argv[optind], &opts, &sess);
	if (err)
		return ss_cli_fail(err);
	struct ss_model *m = sess.m;
	struct ss_whatis w;
	err = ss_model_whatis(m, addr, &w);
	if (!err) {
		if (opts.json)
			err = ss_json_dump(ss_report_whatis_json(m, addr, &w),
					   stdout);
		else
			err = ss_report_whatis_text(m, addr, &w, stdout);
	}
	ss_cli_session_close(&sess);
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_whatis_entry = {
	.name = "whatis",
	.summary = "which cache, slab, object and region an address is in",
	.help =
	"Usage: slabscope whatis [OPTIONS] DUMP ADDRESS\n"
	"\n"
	"Tell what the kernel virtual ADDRESS (hex, 0x optional) is: the\n"
	"cache, slab and object it falls in, its offset from the object\n"
	"address (negative inside the left red zone), the object's state, and\n"
	"the region of the slot (left-redzone, payload, right-redzone,\n"
	"freeptr, track, padding, slab-tail).  An address outside every slab\n"
	"says so, with exit status 0.\n"
	"\n"
	"Options:\n"
	"  -k, --vmlinux FILE  vmlinux with debug info (default: found from the\n"
	"                      dump's kernel release)\n"
	"      --json          one JSON document on stdout\n"
	"  -q, --quiet         no progress output\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 success (in a slab or not), 2 the dump could not be\n"
	"analysed.\n",
	.exec = whatis_exec,
};
