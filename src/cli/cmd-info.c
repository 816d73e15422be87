/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope info: what the dump is and which allocator the kernel runs. */
#include <stdio.h>

#include <slabscope/info.h>
#include <slabscope/report.h>

#include "cli.h"

static int info_exec(struct ss_cmd *cmd)
{
	struct ss_info info;
	struct ss_error *err = ss_info_gather(cmd->session.k, &info);
	if (!err) {
		if (info.caches_warning)
			ss_cli_warn(
				cmd->argv[0],
				"the slab_caches walk stopped early "
				"(the count is of the caches before it): %s",
				info.caches_warning);
		if (cmd->common.json)
			err = ss_cli_print_json(cmd,
						ss_report_info_json(&info));
		else
			err = ss_report_info_text(&info, stdout);
		ss_info_deinit(&info);
	}
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_info_entry = {
	.name = "info",
	.summary = "what the dump is: kernel, format, KASLR, CPUs, allocator",
	.help = "Usage: slabscope info [OPTIONS] DUMP\n"
		"\n"
		"Print what DUMP is: kernel release, architecture, dump format and\n"
		"compression, whether makedumpfile filtered it, the KASLR offset, page\n"
		"size, paging levels, CPUs and NUMA nodes, the slab allocator (SLUB or\n"
		"SLAB), whether free pointers are hardened, whether SLUB_DEBUG is built\n"
		"in, and the number of slab caches.  A slab_caches walk that a corrupt\n"
		"or filtered-out link stopped is a warning on stderr (exit status 0).\n"
		"\n"
		"Options:\n"
		"  -k, --vmlinux FILE  vmlinux with debug info (default: found by the\n"
		"                      dump's build-id and kernel release)\n" SS_HELP_MODULE_OPTION
		"      --json          one JSON object on stdout\n"
		"  -q, --quiet         no progress output\n"
		"      --threads N     threads reading the dump ahead (default: the CPUs)\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: 0 success, 2 the dump could not be analysed.\n",
	.operands = SS_OPERANDS_DUMP,
	.session = SS_SESSION_KERNEL,
	.exec = info_exec,
};
