/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every task's kernel stack: init_task's and those of the task_struct
 * cache's allocated objects (not the task lists: a task that fell off a
 * corrupt list still owns its stack).  task->stack is a vmalloc area with
 * CONFIG_VMAP_STACK, else pages of the direct map; either way it spans
 * THREAD_SIZE bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "identify_priv.h"

/* x86_64's THREAD_SIZE without KASAN (THREAD_SIZE_ORDER 2), for a
 * vmlinux whose DWARF lacks union thread_union. */
#define DEFAULT_THREAD_SIZE 16384
/* Garbage beyond this is not a stack size. */
#define MAX_THREAD_SIZE (1u << 20)

struct collect {
	const struct ss_target *t;
	const struct ss_task_layout *l;
	struct ss_stack_table *st;
	size_t cap;
};

static struct ss_error *add_task(struct collect *c, uint64_t task)
{
	struct ss_stack_table *st = c->st;
	struct ss_task_stack s = { .task = task };
	struct ss_error *err =
		ss_mem_read_u64(c->t->mem, task + c->l->stack.off, &s.base);
	/* An unreadable task, or a stack pointer that is not page aligned
	 * (garbage, or a task being torn down), gives no stack. */
	if (err || !s.base || s.base % c->t->page_size) {
		ss_error_destroy(err);
		return NULL;
	}
	err = ss_task_identity(c->t, c->l, task, &s.pid, s.comm);
	ss_error_destroy(err);
	if (st->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		struct ss_task_stack *v = realloc(st->v, cap * sizeof(*v));
		if (!v)
			return &ss_error_nomem;
		st->v = v;
		c->cap = cap;
	}
	st->v[st->n++] = s;
	return NULL;
}

static struct ss_error *task_object(void *arg, const struct ss_slab *s,
				    const struct ss_object *o)
{
	(void)s;
	if (o->state != SS_OBJ_ALLOCATED)
		return NULL;
	return add_task(arg, o->addr);
}

static int by_base(const void *a, const void *b)
{
	const struct ss_task_stack *x = a, *y = b;
	return x->base < y->base ? -1 : x->base > y->base;
}

static const struct ss_field_spec task_specs[] = {
	{ "task_struct", "pid", true, offsetof(struct ss_task_layout, pid) },
	{ "task_struct", "comm", true, offsetof(struct ss_task_layout, comm) },
	{ "task_struct", "stack", true,
	  offsetof(struct ss_task_layout, stack) },
};

struct ss_error *ss_task_layout_resolve(struct ss_dbg *dbg,
					struct ss_task_layout *l)
{
	memset(l, 0, sizeof(*l));
	return ss_fields_resolve(dbg, task_specs,
				 sizeof(task_specs) / sizeof(task_specs[0]),
				 NULL, l);
}

struct ss_error *ss_stack_table_read(const struct ss_model *m,
				     const struct ss_task_layout *l,
				     struct ss_stack_table *st)
{
	memset(st, 0, sizeof(*st));
	const struct ss_target *t = ss_model_target(m);
	struct ss_error *err = ss_dbg_type_size(t->dbg, SS_TYPE_UNION,
						"thread_union", &st->size);
	if (err || !st->size || st->size > MAX_THREAD_SIZE ||
	    st->size % t->page_size)
		st->size = DEFAULT_THREAD_SIZE;
	ss_error_destroy(err);

	struct collect c = { .t = t, .l = l, .st = st };
	uint64_t init_task;
	err = ss_target_symbol(t, "init_task", &init_task);
	if (!err)
		err = add_task(&c, init_task);
	else if (err != &ss_error_nomem) {
		ss_error_destroy(err);
		err = NULL;
	}
	uint32_t ci = ss_model_find_cache(m, "task_struct");
	if (!err && ci == SS_NO_CACHE)
		err = ss_identify_note(&st->note,
				       "no task_struct cache: only init_task's "
				       "stack is known");
	else if (!err)
		err = ss_model_for_each_object(m, ci, task_object, &c);
	if (err && err != &ss_error_nomem) {
		struct ss_error *nerr =
			ss_identify_note(&st->note,
					 "task_struct objects not all read: %s",
					 err->message);
		ss_error_destroy(err);
		err = nerr;
	}
	if (st->n)
		qsort(st->v, st->n, sizeof(*st->v), by_base);
	return err;
}

const struct ss_task_stack *ss_stack_table_find(const struct ss_stack_table *st,
						uint64_t addr)
{
	size_t i = ss_sorted_upper_bound(st->v, st->n, sizeof(*st->v),
					 offsetof(struct ss_task_stack, base),
					 addr);
	if (i && addr - st->v[i - 1].base < st->size)
		return &st->v[i - 1];
	return NULL;
}

struct ss_error *ss_task_identity(const struct ss_target *t,
				  const struct ss_task_layout *l, uint64_t task,
				  int32_t *pid, char comm[17])
{
	memset(comm, 0, 17);
	*pid = -1;
	uint32_t p;
	struct ss_error *err =
		ss_mem_read(t->mem, task + l->pid.off, &p, sizeof(p));
	if (!err) {
		*pid = (int32_t)p;
		size_t n =
			l->comm.size && l->comm.size < 16 ? l->comm.size : 16;
		err = ss_mem_read(t->mem, task + l->comm.off, comm, n);
		/* comm is NUL-padded by the kernel; garbage is cut at 16. */
		comm[16] = 0;
		for (size_t i = 0; i < 16 && comm[i]; i++)
			if ((unsigned char)comm[i] < 0x20 ||
			    (unsigned char)comm[i] > 0x7e)
				comm[i] = '?';
	}
	return err;
}

void ss_stack_table_deinit(struct ss_stack_table *st)
{
	free(st->v);
	free(st->note);
	memset(st, 0, sizeof(*st));
}
