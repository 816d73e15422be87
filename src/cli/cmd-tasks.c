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
		/* A walk stopped by a corrupt task list is a finding too:
		 * the list is damaged, and what it hid may be missing. */
		if (r.warning)
			ss_cli_warn(cmd->argv[0],
				    "a task list walk stopped early: %s",
				    r.warning);
		if (r.nunreachable || r.warning)
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
	.help = "Usage: slabscope tasks [OPTIONS] DUMP\n"
		"\n"
		"Compare the allocated objects of the task_struct cache with the tasks\n"
		"reachable from init_task (the tasks list and every thread group) and\n"
		"each CPU's current and idle task.  Allocated task_structs reachable\n"
		"from none are held only by references (get_task_struct() without\n"
		"put_task_struct()): they are listed with pid, comm, state, exit state\n"
		"and usage count, and grouped by command prefix.  The summary counts\n"
		"allocated = reachable + unreachable; init_task, a static task_struct\n"
		"and no slab object, is reached but counted apart.  A task list walk\n"
		"that a corrupt list stopped is a warning on stderr (and \"warning\" in\n"
		"JSON).\n"
		"\n"
		"Options:\n" SS_HELP_COMMON_OPTIONS "\n"
		"Exit status: 0 every task_struct is reachable, 1 some are not or a\n"
		"task list walk stopped early (a corrupt list), 2 the dump could not\n"
		"be analysed.\n",
	.operands = SS_OPERANDS_DUMP,
	.session = SS_SESSION_MODEL,
	.exec = tasks_exec,
};
