/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tables ss_identify() looks addresses up in, each read once. */
#ifndef SS_IDENTIFY_PRIV_H
#define SS_IDENTIFY_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <slabscope/error.h>
#include <slabscope/slab.h>
#include <slabscope/target.h>

#include "lib/slab/field.h"

/* In an array of n elements of stride bytes sorted by the uint64_t at
 * key_off, how many have a key <= key: the one before that index is the
 * last that starts at or below key (the vmap and stack tables' lookup). */
static inline size_t ss_sorted_upper_bound(const void *base, size_t n,
					   size_t stride, size_t key_off,
					   uint64_t key)
{
	const unsigned char *b = base;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k;
		memcpy(&k, b + mid * stride + key_off, sizeof(k));
		if (k <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* One busy vmap area, and its vm_struct when it has one. */
struct ss_vmap_area {
	uint64_t start, end;
	uint64_t vm;
	uint64_t size, flags, nr_pages, caller;
};

/* The busy vmap areas, sorted by start.  note: why the table is empty or
 * short (a list that could not be walked), NULL when complete. */
struct ss_vmap_table {
	struct ss_vmap_area *v;
	size_t n;
	char *note;
};

/* Read every busy vmap area: 5.10-6.8's vmap_area_list, or the busy list
 * of each of vmap_nodes[nr_vmap_nodes] (6.9+).  Errors: out of memory
 * only; what the dump does not give is a note. */
struct ss_error *ss_vmap_table_read(const struct ss_target *t,
				    struct ss_vmap_table *ret);
const struct ss_vmap_area *ss_vmap_table_find(const struct ss_vmap_table *vt,
					      uint64_t addr);
void ss_vmap_table_deinit(struct ss_vmap_table *vt);

/* One task's kernel stack. */
struct ss_task_stack {
	uint64_t base;
	uint64_t task;
	int32_t pid;
	char comm[17];
};

/* The task_struct members the stack table and a task's identity read. */
struct ss_task_layout {
	struct ss_field pid, comm, stack;
};

/* Resolve them from DWARF: an error naming a missing one. */
struct ss_error *ss_task_layout_resolve(struct ss_dbg *dbg,
					struct ss_task_layout *ret);

struct ss_stack_table {
	struct ss_task_stack *v; /* sorted by base */
	size_t n;
	uint64_t size; /* THREAD_SIZE */
	char *note;
};

/* The stacks of init_task and of every allocated task_struct object. */
struct ss_error *ss_stack_table_read(const struct ss_model *m,
				     const struct ss_task_layout *l,
				     struct ss_stack_table *ret);
const struct ss_task_stack *ss_stack_table_find(const struct ss_stack_table *st,
						uint64_t addr);
void ss_stack_table_deinit(struct ss_stack_table *st);

/* A task's pid and comm. */
struct ss_error *ss_task_identity(const struct ss_target *t,
				  const struct ss_task_layout *l, uint64_t task,
				  int32_t *pid, char comm[17]);

/* Append a "; "-separated note to *notes (malloc'd); errors: out of
 * memory only. */
struct ss_error *ss_identify_note(char **notes, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
