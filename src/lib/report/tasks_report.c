/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `slabscope tasks` as text and JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <slabscope/report.h>

/* include/linux/sched.h task state bits (stable since 4.14). */
static const struct {
	uint32_t bit;
	const char *name;
} state_bits[] = {
	{ 0x0001, "TASK_INTERRUPTIBLE" }, { 0x0002, "TASK_UNINTERRUPTIBLE" },
	{ 0x0004, "__TASK_STOPPED" },     { 0x0008, "__TASK_TRACED" },
	{ 0x0040, "TASK_PARKED" },        { 0x0080, "TASK_DEAD" },
	{ 0x0100, "TASK_WAKEKILL" },      { 0x0200, "TASK_WAKING" },
	{ 0x0400, "TASK_NOLOAD" },        { 0x0800, "TASK_NEW" },
};

void ss_task_state_name(uint32_t state, uint32_t exit_state, char *buf,
			size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	if (state == 0)
		used += (size_t)snprintf(buf, len, "TASK_RUNNING");
	for (size_t i = 0; i < sizeof(state_bits) / sizeof(state_bits[0]); i++)
		if ((state & state_bits[i].bit) && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? "|" : "",
						 state_bits[i].name);
	if ((exit_state & 0x10) && used < len)
		used += (size_t)snprintf(buf + used, len - used, "%sEXIT_DEAD",
					 used ? "|" : "");
	if ((exit_state & 0x20) && used < len)
		snprintf(buf + used, len - used, "%sEXIT_ZOMBIE",
			 used ? "|" : "");
}

json_t *ss_report_tasks_json(const struct ss_tasks_result *r)
{
	json_t *doc = json_object(), *arr = json_array(), *groups = json_array();
	if (!doc || !arr || !groups) {
		json_decref(doc);
		json_decref(arr);
		json_decref(groups);
		return NULL;
	}
	for (size_t i = 0; i < r->nunreachable; i++) {
		const struct ss_task_info *t = &r->unreachable[i];
		char state[160];
		ss_task_state_name(t->state, t->exit_state, state, sizeof(state));
		json_t *o = json_object();
		if (!o)
			continue;
		json_object_set_new(o, "address", ss_json_addr(t->addr));
		if (t->readable) {
			json_object_set_new(o, "pid", json_integer(t->pid));
			json_object_set_new(o, "tgid", json_integer(t->tgid));
			json_object_set_new(o, "comm", json_string(t->comm));
			json_object_set_new(o, "state", json_string(state));
			json_object_set_new(o, "state_raw",
					    json_integer(t->state));
			json_object_set_new(o, "exit_state",
					    json_integer(t->exit_state));
			json_object_set_new(o, "usage", json_integer(t->usage));
		}
		json_object_set_new(o, "readable", json_boolean(t->readable));
		json_array_append_new(arr, o);
	}
	for (size_t i = 0; i < r->ngroups; i++) {
		json_t *o = json_object();
		if (!o)
			continue;
		json_object_set_new(o, "prefix", json_string(r->groups[i].prefix));
		json_object_set_new(o, "count",
				    json_integer((json_int_t)r->groups[i].count));
		json_array_append_new(groups, o);
	}
	json_object_set_new(doc, "allocated", json_integer((json_int_t)r->allocated));
	json_object_set_new(doc, "unknown", json_integer((json_int_t)r->unknown));
	json_object_set_new(doc, "reachable", json_integer((json_int_t)r->reachable));
	json_object_set_new(doc, "also_reached",
			    json_integer((json_int_t)r->also_reached));
	json_object_set_new(doc, "unreachable", arr);
	json_object_set_new(doc, "groups", groups);
	if (r->warning)
		json_object_set_new(doc, "warning", json_string(r->warning));
	return doc;
}

struct ss_error *ss_report_tasks_text(const struct ss_tasks_result *r,
				      FILE *out)
{
	fprintf(out,
		"task_struct: %" PRIu64 " allocated: %" PRIu64
		" reachable from init_task and the CPUs, %zu unreachable "
		"(held only by references)\n",
		r->allocated, r->reachable, r->nunreachable);
	/* init_task is a static task_struct, no slab object: said apart,
	 * so that the counts above add up. */
	if (r->also_reached > 1)
		fprintf(out,
			"also reached: init_task (static, not a slab object) "
			"and %" PRIu64 " addresses that are no allocated "
			"task_struct\n",
			r->also_reached - 1);
	else
		fprintf(out, "also reached: init_task (static, not a slab "
			     "object)\n");
	if (r->unknown)
		fprintf(out, "  (%" PRIu64 " objects of unknown state: the "
			"cache has a corrupt freelist)\n", r->unknown);
	/* r->warning is the caller's to print: a diagnostic, on stderr. */
	if (r->nunreachable) {
		fprintf(out, "\n%-18s %7s %-16s %5s  %s\n", "ADDRESS", "PID",
			"COMM", "USAGE", "STATE");
		for (size_t i = 0; i < r->nunreachable; i++) {
			const struct ss_task_info *t = &r->unreachable[i];
			if (!t->readable) {
				fprintf(out, "0x%016" PRIx64 " (unreadable)\n",
					t->addr);
				continue;
			}
			char state[160];
			ss_task_state_name(t->state, t->exit_state, state,
					   sizeof(state));
			fprintf(out, "0x%016" PRIx64 " %7d %-16s %5d  %s\n",
				t->addr, t->pid, t->comm, t->usage, state);
		}
		fprintf(out, "\nby command:\n");
		for (size_t i = 0; i < r->ngroups; i++)
			fprintf(out, "  %6zu  %s\n", r->groups[i].count,
				r->groups[i].prefix);
	}
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}
