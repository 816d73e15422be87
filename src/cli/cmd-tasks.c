/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope tasks: task_structs held only by leaked references. */
#include <stdio.h>

#include <slabscope/report.h>
#include <slabscope/tasks.h>

#include "cli.h"

static int tasks_exec(struct ss_cmd *cmd)
{
	struct ss_tasks_result r;
	int status = SS_EXIT_OK;
	struct ss_error *err = ss_tasks_unreachable(cmd->session.m, &r);
	if (!err) {
		if (cmd->common.json)
			err = ss_cli_print_json(cmd, ss_report_tasks_json(&r));
		else
			err = ss_report_tasks_text(&r, stdout);
		if (r.nunreachable)
			status = SS_EXIT_FINDINGS;
		ss_tasks_result_deinit(&r);
	} else {
		err = ss_error_prepend(err, "%s", cmd->argv[0]);
	}
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
	SS_HELP_COMMON_OPTIONS
	"\n"
	"Exit status: 0 every task_struct is reachable, 1 some are not, 2 the\n"
	"dump could not be analysed.\n",
	.operands = SS_OPERANDS_DUMP,
	.session = SS_SESSION_MODEL,
	.exec = tasks_exec,
};
