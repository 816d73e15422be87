/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope whatis: what a kernel address is, slab-wise. */
#include <stdio.h>

#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "cli.h"

static int whatis_exec(struct ss_cmd *cmd)
{
	struct ss_model *m = cmd->session.m;
	struct ss_whatis w;
	struct ss_error *err = ss_model_whatis(m, cmd->address, &w);
	if (!err) {
		if (cmd->common.json)
			err = ss_json_dump(
				ss_report_whatis_json(m, cmd->address, &w),
				stdout);
		else
			err = ss_report_whatis_text(m, cmd->address, &w,
						    stdout);
	}
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
	SS_HELP_COMMON_OPTIONS
	"\n"
	"Exit status: 0 success (in a slab or not), 2 the dump could not be\n"
	"analysed.\n",
	.operands = SS_OPERANDS_DUMP_ADDRESS,
	.session = SS_SESSION_MODEL,
	.exec = whatis_exec,
};
