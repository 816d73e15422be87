/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The dead words of kernel stacks, which the reference scan leaves out.
 *
 * A stack keeps every frame it ever held until another call overwrites
 * it, and a frame is full of pointers: a conservative scan that reads the
 * dead part takes a leaked object's last users for references long after
 * they returned.  Two kinds of dead stack are known for certain:
 *   - below a sleeping task's saved stack pointer (thread.sp, what
 *     switch_to() left; a task on a CPU is read whole: its stack pointer
 *     is in a register, not in memory);
 *   - the stacks kernel/fork.c keeps for reuse after their task exited
 *     (the per-CPU cached_stacks): all of it.
 * Each becomes ranges of the direct-map aliases the pass reads, page by
 * page through the kernel's page tables (a virtually mapped stack's pages
 * are anywhere).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/identify/identify_priv.h"
#include "refscan_priv.h"

/* NR_CACHED_STACKS is 2; past this the array's type is garbage. */
#define MAX_CACHED 64

/* Add the direct-map aliases of [va, va + len) to the ranges. */
static struct ss_error *add_virtual(struct ss_refscan *r, uint64_t va,
				    uint64_t len)
{
	const struct ss_target *t = ss_model_target(r->m);
	uint64_t ps = 1ULL << r->shift;
	while (len) {
		uint64_t in = ps - (va & (ps - 1));
		if (in > len)
			in = len;
		uint64_t pa;
		if (t->to_phys(t->symbol_arg, va, &pa) && pa < r->dm_span) {
			struct ss_error *err =
				rs_skip_add(r, r->dm_base + pa, in);
			if (err)
				return err;
			r->st.stack_bytes_skipped += in;
		}
		va += in;
		len -= in;
	}
	return NULL;
}

struct stack_fields {
	struct ss_field sp, on_cpu;
};

static const struct ss_field_spec stack_specs[] = {
	{ "task_struct", "thread.sp", false,
	  offsetof(struct stack_fields, sp) },
	{ "task_struct", "on_cpu", false,
	  offsetof(struct stack_fields, on_cpu) },
};

static int by_pfn(const void *a, const void *b)
{
	const struct rs_stack_page *x = a, *y = b;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* Every stack page's frame, for naming where a reference was found. */
static struct ss_error *stack_pages(struct ss_refscan *r,
				    const struct ss_stack_table *st)
{
	const struct ss_target *t = ss_model_target(r->m);
	uint64_t ps = 1ULL << r->shift, per = st->size / ps;
	if (!per || !st->n)
		return NULL;
	r->stack_pages = calloc(st->n * per, sizeof(*r->stack_pages));
	if (!r->stack_pages)
		return &ss_error_nomem;
	size_t n = 0;
	for (size_t i = 0; i < st->n; i++)
		for (uint64_t k = 0; k < per; k++) {
			uint64_t pa;
			if (!t->to_phys(t->symbol_arg, st->v[i].base + k * ps,
					&pa))
				continue;
			struct rs_stack_page *sp = &r->stack_pages[n++];
			sp->pfn = pa >> r->shift;
			sp->task = st->v[i].task;
			sp->offset = k * ps;
			sp->pid = st->v[i].pid;
			memcpy(sp->comm, st->v[i].comm, sizeof(sp->comm));
		}
	r->nstack_pages = n;
	if (n)
		qsort(r->stack_pages, n, sizeof(*r->stack_pages), by_pfn);
	return NULL;
}

bool ss_refscan_stack_at(const struct ss_refscan *r, uint64_t at,
			 struct ss_refscan_stack *ret)
{
	uint64_t rel = at - r->dm_base;
	if (rel >= r->dm_span)
		return false;
	uint64_t pfn = rel >> r->shift;
	size_t lo = 0, hi = r->nstack_pages;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->stack_pages[mid].pfn < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == r->nstack_pages || r->stack_pages[lo].pfn != pfn)
		return false;
	const struct rs_stack_page *sp = &r->stack_pages[lo];
	ret->task = sp->task;
	ret->pid = sp->pid;
	memcpy(ret->comm, sp->comm, sizeof(ret->comm));
	ret->offset = sp->offset + (rel & ((1ULL << r->shift) - 1));
	return true;
}

/* Below the saved stack pointer of every task that is not on a CPU. */
static struct ss_error *sleeping_stacks(struct ss_refscan *r)
{
	const struct ss_target *t = ss_model_target(r->m);
	struct ss_task_layout l;
	struct stack_fields f = { 0 };
	struct ss_error *err = ss_task_layout_resolve(t->dbg, &l);
	if (!err)
		err = ss_fields_resolve(t->dbg, stack_specs,
					sizeof(stack_specs) /
						sizeof(stack_specs[0]),
					NULL, &f);
	if (err && err->code != SS_ERR_NOMEM) {
		/* Not this kernel's layout: the stacks are read whole. */
		ss_error_destroy(err);
		return NULL;
	}
	if (err || !f.sp.present || f.sp.size != 8)
		return err;
	struct ss_stack_table st;
	err = ss_stack_table_read(r->m, &l, &st);
	if (!err)
		err = stack_pages(r, &st);
	for (size_t i = 0; !err && i < st.n; i++) {
		uint64_t sp, on_cpu = 1;
		const struct ss_task_stack *ts = &st.v[i];
		struct ss_error *rerr =
			ss_mem_read_u64(t->mem, ts->task + f.sp.off, &sp);
		/* int up to 7.x, u8 since */
		if (!rerr && f.on_cpu.present && f.on_cpu.size <= 8) {
			on_cpu = 0; /* little-endian: the low bytes */
			rerr = ss_mem_read(t->mem, ts->task + f.on_cpu.off,
					   &on_cpu, f.on_cpu.size);
		}
		if (rerr) {
			ss_error_destroy(rerr);
			continue;
		}
		/* on a CPU (or no on_cpu to tell): its stack pointer is
		 * not in memory */
		if (on_cpu || sp <= ts->base || sp - ts->base >= st.size)
			continue;
		err = add_virtual(r, ts->base, sp - ts->base);
	}
	ss_stack_table_deinit(&st);
	return err;
}

/* The stacks fork.c keeps for reuse: per CPU, cached_stacks[], each a
 * struct vm_struct of the stack's mapping. */
static struct ss_error *cached_stacks(struct ss_refscan *r)
{
	const struct ss_target *t = ss_model_target(r->m);
	const struct ss_mm_facts *mm = ss_model_mm(r->m);
	uint64_t sym, link;
	struct ss_field addr, vsize;
	struct ss_error *err = ss_target_symbol(t, "cached_stacks", &sym);
	if (!err)
		err = ss_dbg_symbol(t->dbg, "cached_stacks", &link);
	if (!err)
		err = ss_field_resolve(t->dbg, "vm_struct", "addr", true, &addr);
	if (!err)
		err = ss_field_resolve(t->dbg, "vm_struct", "size", true,
				       &vsize);
	if (err && err->code != SS_ERR_NOMEM) {
		ss_error_destroy(err); /* no VMAP_STACK, or no cache */
		return NULL;
	}
	if (err)
		return err;
	/* its entries: as many words as the symbol's size holds */
	uint64_t n = 0;
	while (n < MAX_CACHED) {
		const char *name;
		uint64_t off;
		struct ss_error *serr =
			ss_dbg_symbolize(t->dbg, link + 8 * n, &name, &off);
		bool in = !serr && !strcmp(name, "cached_stacks") &&
			  off == 8 * n;
		ss_error_destroy(serr);
		if (!in)
			break;
		n++;
	}
	if (!n)
		return NULL;
	for (uint32_t cpu = 0; cpu < mm->nr_cpu_ids; cpu++) {
		if (!mm->cpu_possible[cpu])
			continue;
		uint64_t vm[MAX_CACHED];
		struct ss_error *rerr = ss_mem_read(
			t->mem, sym + mm->cpu_offset[cpu], vm, n * 8);
		for (uint64_t k = 0; !rerr && k < n; k++) {
			uint64_t va, len;
			if (!vm[k])
				continue;
			rerr = ss_mem_read_u64(t->mem, vm[k] + addr.off, &va);
			if (!rerr)
				rerr = ss_mem_read_u64(t->mem, vm[k] + vsize.off,
						       &len);
			/* a stack is a few pages (the size counts the guard
			 * page after it) */
			if (!rerr && len && len <= (1ULL << 20)) {
				err = add_virtual(r, va, len);
				if (err)
					return err;
			}
		}
		ss_error_destroy(rerr);
	}
	return NULL;
}

struct ss_error *rs_dead_stacks(struct ss_refscan *r)
{
	const struct ss_target *t = ss_model_target(r->m);
	if (!t->to_phys)
		return NULL;
	struct ss_error *err = sleeping_stacks(r);
	if (!err)
		err = cached_stacks(r);
	return err;
}
