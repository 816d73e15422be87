/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * task_struct objects that no task list reaches: held only by references
 * (get_task_struct() without put_task_struct()), the leak of seed 000.
 */
#ifndef SLABSCOPE_TASKS_H
#define SLABSCOPE_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>
#include <slabscope/slab.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ss_task_info {
	uint64_t addr;
	bool readable;
	int32_t pid, tgid;
	char comm[17];
	uint32_t state;      /* __state (or state) */
	uint32_t exit_state;
	uint32_t flags;
	int32_t usage;       /* refcount */
};

struct ss_task_group {
	char prefix[17];
	size_t count;
};

/* allocated == reachable + nunreachable, always. */
struct ss_tasks_result {
	uint64_t allocated; /* allocated objects of the task_struct cache */
	uint64_t unknown;   /* objects whose state corruption hides */
	/* Allocated task_structs reached from init_task and the CPUs. */
	uint64_t reachable;
	/* Tasks reached that are no allocated object of the cache, not
	 * counted above: init_task (a static symbol of the kernel image)
	 * and, on a corrupt list, whatever a stray pointer names. */
	uint64_t also_reached;
	struct ss_task_info *unreachable;
	size_t nunreachable;
	struct ss_task_group *groups; /* largest first */
	size_t ngroups;
	/* Set when a task list walk stopped early (corrupt list): the
	 * tasks behind the damage may be missing from reachable. */
	char *warning;
};

/*
 * Compare the allocated task_struct objects with the tasks reachable from
 * init_task (its tasks list, each thread group) and each CPU's current
 * and idle task.
 */
struct ss_error *ss_tasks_unreachable(struct ss_model *m,
				      struct ss_tasks_result *ret);
void ss_tasks_result_deinit(struct ss_tasks_result *r);

/* "ssfx_leak/3" -> "ssfx_leak", "kworker/0:1" -> "kworker". */
void ss_task_comm_prefix(const char *comm, char out[17]);

#ifdef __cplusplus
}
#endif

#endif
