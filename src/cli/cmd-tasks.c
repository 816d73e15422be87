/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope tasks: task_structs held only by leaked references. */
#include <stdio.h>

#include <slabscope/report.h>
#include <slabscope/tasks.h>

#include "cli.h"

static int tasks_exec(const struct ss_cmd_entry *self, int argc, char **argv)
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
	if (optind + 1 != argc)
		return ss_cli_usage_error(self, "expected exactly one DUMP");

	struct ss_session sess;
	struct ss_error *err = ss_cli_session_open(argv[optind], &opts, &sess);
	if (err)
		return ss_cli_fail(err);
	struct ss_model *m = sess.m;
	struct ss_tasks_result r;
	int status = SS_EXIT_OK;
	err = ss_tasks_unreachable(m, &r);
	if (!err) {
		if (opts.json)
			err = ss_json_dump(ss_report_tasks_json(&r), stdout);
		else
			err = ss_report_tasks_text(&r, stdout);
		if (r.nunreachable)
			status = SS_EXIT_FINDINGS;
		ss_tasks_result_deinit(&r);
	} else {
		err = ss_error_prepend(err, "%s", argv[optind]);
	}
	ss_cli_session_close(&sess);
	return err ? ss_cli_fail(err) : status;
}

const struct ss_cmd_entry ss_cmd_tasks_entry = {
	.name = "tasks",
	.summary = "task_structs no task list reaches: leaked references",
	.help =
	"Usage: slabscope tasks [OPTIONS] DUMP\n"
	"\n"
	"Compare the allocated objects of the task_struct cache with the tasks\n"
	"reachable from init_task (the tasks list and every thread group) and\n"
	"each CPU's current and idle task.  Allocated task_structs reachable\n"
	"from none are held only by references (get_task_struct() without\n"
	"put_task_struct()): they are listed with pid, comm, state, exit state\n"
	"and usage count, and grouped by command prefix.\n"
	"\n"
	"Options:\n"
	"  -k, --vmlinux FILE  vmlinux with debug info (default: found from the\n"
	"                      dump's kernel release)\n"
	"      --json          one JSON document on stdout\n"
	"  -q, --quiet         no progress output\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 every task_struct is reachable, 1 some are not, 2 the\n"
	"dump could not be analysed.\n",
	.exec = tasks_exec,
};
