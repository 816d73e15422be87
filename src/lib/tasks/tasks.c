/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unreachable task_structs: see include/slabscope/tasks.h. */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/tasks.h>

#include "../util/addrmap.h"

#define MAX_TASKS 4000000

struct task_layout {
	uint64_t tasks, pid, tgid, comm, state, exit_state, flags, usage;
	uint64_t signal, thread_node, thread_head; /* 6.1+ thread lists */
	bool has_thread_node;
	uint64_t thread_group; /* older kernels */
	bool has_thread_group;
	uint64_t rq_curr, rq_idle;
	bool has_rq;
};

static struct ss_error *off(struct ss_dbg *dbg, const char *type,
			    const char *paths, uint64_t *ret, bool *found)
{
	char buf[64];
	const char *p = paths;
	while (*p) {
		size_t n = strcspn(p, "|");
		if (n >= sizeof(buf))
			n = sizeof(buf) - 1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		struct ss_member m;
		struct ss_error *err =
			ss_dbg_member(dbg, SS_TYPE_STRUCT, type, buf, &m);
		if (!err) {
			*ret = m.offset;
			if (found)
				*found = true;
			return NULL;
		}
		if (err->code != SS_ERR_NOTFOUND)
			return err;
		ss_error_destroy(err);
		p += n + (p[n] == '|');
	}
	if (found) {
		*found = false;
		return NULL;
	}
	return ss_error_create(SS_ERR_MISSING, "%s: struct %s has no member %s",
			       ss_dbg_path(dbg), type, paths);
}

static struct ss_error *resolve(struct ss_dbg *dbg, struct task_layout *l)
{
	struct ss_error *err = off(dbg, "task_struct", "tasks", &l->tasks, NULL);
	if (!err)
		err = off(dbg, "task_struct", "pid", &l->pid, NULL);
	if (!err)
		err = off(dbg, "task_struct", "tgid", &l->tgid, NULL);
	if (!err)
		err = off(dbg, "task_struct", "comm", &l->comm, NULL);
	if (!err)
		err = off(dbg, "task_struct", "__state|state", &l->state, NULL);
	if (!err)
		err = off(dbg, "task_struct", "exit_state", &l->exit_state, NULL);
	if (!err)
		err = off(dbg, "task_struct", "flags", &l->flags, NULL);
	if (!err)
		err = off(dbg, "task_struct", "usage", &l->usage, NULL);
	bool a = false, b = false, c = false;
	if (!err)
		err = off(dbg, "task_struct", "thread_node", &l->thread_node, &a);
	if (!err)
		err = off(dbg, "task_struct", "signal", &l->signal, &b);
	if (!err)
		err = off(dbg, "signal_struct", "thread_head", &l->thread_head,
			  &c);
	l->has_thread_node = a && b && c;
	if (!err)
		err = off(dbg, "task_struct", "thread_group", &l->thread_group,
			  &l->has_thread_group);
	bool d = false, e = false;
	if (!err)
		err = off(dbg, "rq", "curr", &l->rq_curr, &d);
	if (!err)
		err = off(dbg, "rq", "idle", &l->rq_idle, &e);
	l->has_rq = d && e;
	return err;
}

struct reach {
	const struct ss_target *t;
	const struct task_layout *l;
	struct ss_addrmap *set;
	uint64_t list_off; /* offset of the list_head walked in the task */
	uint64_t *leaders;
	size_t nleaders, cap;
	bool collect;
};

static struct ss_error *reach_entry(void *arg, uint64_t entry)
{
	struct reach *r = arg;
	uint64_t task = entry - r->list_off;
	int added = ss_addrmap_add(r->set, task, 1, NULL);
	if (added < 0)
		return &ss_error_nomem;
	if (!r->collect || added == 0)
		return NULL;
	if (r->nleaders == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 256;
		uint64_t *n = realloc(r->leaders, ncap * sizeof(*n));
		if (!n)
			return &ss_error_nomem;
		r->leaders = n;
		r->cap = ncap;
	}
	r->leaders[r->nleaders++] = task;
	return NULL;
}

static void note(struct ss_tasks_result *res, struct ss_error *err)
{
	if (!res->warning && err)
		res->warning = strdup(err->message);
	ss_error_destroy(err);
}

static struct ss_error *reachable_set(const struct ss_target *t,
				      const struct task_layout *l,
				      const struct ss_mm_facts *mm,
				      struct ss_addrmap *set,
				      struct ss_tasks_result *res)
{
	uint64_t init_task;
	struct ss_error *err = ss_target_symbol(t, "init_task", &init_task);
	if (err)
		return err;
	if (ss_addrmap_put(set, init_task, 1) < 0)
		return &ss_error_nomem;
	struct reach r = { .t = t, .l = l, .set = set, .list_off = l->tasks,
			   .collect = true };
	err = ss_list_walk(t->mem, init_task + l->tasks, MAX_TASKS, true,
			   reach_entry, &r, NULL);
	if (err && err->code != SS_ERR_NOMEM) {
		/*
		 * A task list broken in one place still reaches every task
		 * from its two ends: walk the prev pointers back from
		 * init_task, so that the tasks behind the damage are not
		 * all called unreachable.
		 */
		size_t before = r.nleaders;
		struct ss_error *back = ss_list_walk_backward(
			t->mem, init_task + l->tasks, MAX_TASKS, true,
			reach_entry, &r, NULL);
		if (back && back->code == SS_ERR_NOMEM) {
			ss_error_destroy(err);
			free(r.leaders);
			return back;
		}
		ss_error_destroy(back);
		err = ss_error_prepend(err,
				       "the task list is broken (walked it "
				       "backwards too: %zu more tasks)",
				       r.nleaders - before);
	}
	if (err && err->code == SS_ERR_NOMEM) {
		free(r.leaders);
		return err;
	}
	note(res, err);
	/* Every thread of every thread group (the tasks list holds only
	 * group leaders). */
	r.collect = false;
	for (size_t i = 0; i <= r.nleaders; i++) {
		uint64_t leader = i < r.nleaders ? r.leaders[i] : init_task;
		uint64_t head;
		if (l->has_thread_node) {
			uint64_t sig;
			err = ss_mem_read_u64(t->mem, leader + l->signal, &sig);
			if (err) {
				note(res, err);
				continue;
			}
			head = sig + l->thread_head;
			r.list_off = l->thread_node;
		} else if (l->has_thread_group) {
			head = leader + l->thread_group;
			r.list_off = l->thread_group;
		} else {
			break;
		}
		err = ss_list_walk(t->mem, head, MAX_TASKS, true, reach_entry,
				   &r, NULL);
		if (err && err->code == SS_ERR_NOMEM) {
			free(r.leaders);
			return err;
		}
		note(res, err);
	}
	free(r.leaders);
	/* Each CPU's current and idle task: the idle tasks of CPUs other
	 * than 0 are on no list. */
	uint64_t rq;
	if (l->has_rq && !(err = ss_target_symbol(t, "runqueues", &rq))) {
		for (uint32_t cpu = 0; cpu < mm->nr_cpu_ids; cpu++) {
			if (!mm->cpu_possible[cpu])
				continue;
			uint64_t base = rq + mm->cpu_offset[cpu], p;
			for (int k = 0; k < 2; k++) {
				err = ss_mem_read_u64(
					t->mem,
					base + (k ? l->rq_idle : l->rq_curr), &p);
				if (!err && p && ss_addrmap_put(set, p, 1) < 0)
					return &ss_error_nomem;
				ss_error_destroy(err);
			}
		}
		err = NULL;
	}
	ss_error_destroy(err);
	return NULL;
}

void ss_task_comm_prefix(const char *comm, char out[17])
{
	size_t n = strnlen(comm, 16);
	size_t cut = strcspn(comm, "/:");
	if (cut < n)
		n = cut;
	while (n > 1 && isdigit((unsigned char)comm[n - 1]))
		n--;
	while (n > 1 && (comm[n - 1] == '-' || comm[n - 1] == '_'))
		n--;
	memcpy(out, comm, n);
	out[n] = '\0';
}

static void read_task(const struct ss_target *t, const struct task_layout *l,
		      struct ss_task_info *ti)
{
	uint32_t u32;
	struct ss_error *err = ss_mem_read(t->mem, ti->addr + l->comm,
					   ti->comm, 16);
	if (!err)
		err = ss_mem_read(t->mem, ti->addr + l->pid, &ti->pid, 4);
	if (!err)
		err = ss_mem_read(t->mem, ti->addr + l->tgid, &ti->tgid, 4);
	if (!err)
		err = ss_mem_read(t->mem, ti->addr + l->state, &ti->state, 4);
	if (!err)
		err = ss_mem_read(t->mem, ti->addr + l->exit_state,
				  &ti->exit_state, 4);
	if (!err)
		err = ss_mem_read(t->mem, ti->addr + l->flags, &ti->flags, 4);
	if (!err)
		err = ss_mem_read(t->mem, ti->addr + l->usage, &u32, 4);
	ti->comm[16] = '\0';
	for (char *c = ti->comm; *c; c++)
		if (!isprint((unsigned char)*c))
			*c = '?';
	ti->usage = (int32_t)u32;
	ti->readable = !err;
	ss_error_destroy(err);
}

static int cmp_groups(const void *a, const void *b)
{
	const struct ss_task_group *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->prefix, y->prefix);
}

static struct ss_error *group(struct ss_tasks_result *res)
{
	res->groups = calloc(res->nunreachable ? res->nunreachable : 1,
			     sizeof(*res->groups));
	if (!res->groups)
		return &ss_error_nomem;
	for (size_t i = 0; i < res->nunreachable; i++) {
		char prefix[17];
		ss_task_comm_prefix(res->unreachable[i].comm, prefix);
		size_t g = 0;
		while (g < res->ngroups && strcmp(res->groups[g].prefix, prefix))
			g++;
		if (g == res->ngroups) {
			memcpy(res->groups[g].prefix, prefix, sizeof(prefix));
			res->ngroups++;
		}
		res->groups[g].count++;
	}
	qsort(res->groups, res->ngroups, sizeof(*res->groups), cmp_groups);
	return NULL;
}

struct collect {
	const struct ss_target *t;
	const struct task_layout *l;
	const struct ss_addrmap *reach;
	struct ss_tasks_result *res;
	size_t cap;
};

static struct ss_error *collect_unreachable(void *arg, const struct ss_slab *s,
					    const struct ss_object *o)
{
	struct collect *col = arg;
	struct ss_tasks_result *res = col->res;
	(void)s;
	if (o->state == SS_OBJ_UNKNOWN)
		res->unknown++;
	if (o->state != SS_OBJ_ALLOCATED)
		return NULL;
	res->allocated++;
	if (ss_addrmap_get(col->reach, o->addr, NULL)) {
		res->reachable++;
		return NULL;
	}
	if (res->nunreachable == col->cap) {
		size_t ncap = col->cap ? col->cap * 2 : 64;
		struct ss_task_info *u =
			realloc(res->unreachable, ncap * sizeof(*u));
		if (!u)
			return &ss_error_nomem;
		res->unreachable = u;
		col->cap = ncap;
	}
	struct ss_task_info *ti = &res->unreachable[res->nunreachable++];
	memset(ti, 0, sizeof(*ti));
	ti->addr = o->addr;
	read_task(col->t, col->l, ti);
	return NULL;
}

struct ss_error *ss_tasks_unreachable(struct ss_model *m,
				      struct ss_tasks_result *res)
{
	memset(res, 0, sizeof(*res));
	const struct ss_target *t = ss_model_target(m);
	uint32_t ci = ss_model_find_cache(m, "task_struct");
	if (ci == SS_NO_CACHE)
		return ss_error_create(SS_ERR_NOTFOUND,
				       "no task_struct slab cache in the dump "
				       "(merged into another cache?)");
	struct task_layout l;
	struct ss_error *err = resolve(t->dbg, &l);
	if (err)
		return err;
	struct ss_addrmap reach = { 0 };
	err = reachable_set(t, &l, ss_model_mm(m), &reach, res);
	if (err) {
		ss_addrmap_free(&reach);
		return err;
	}
	struct collect col = { .t = t, .l = &l, .reach = &reach, .res = res };
	err = ss_model_for_each_object(m, ci, collect_unreachable, &col);
	/* What was reached but is no allocated task_struct (init_task at
	 * least) is counted apart, so that allocated = reachable +
	 * unreachable. */
	if (!err)
		res->also_reached = reach.len - res->reachable;
	ss_addrmap_free(&reach);
	if (!err)
		err = group(res);
	if (err)
		ss_tasks_result_deinit(res);
	return err;
}

void ss_tasks_result_deinit(struct ss_tasks_result *r)
{
	free(r->unreachable);
	free(r->groups);
	free(r->warning);
	memset(r, 0, sizeof(*r));
}
