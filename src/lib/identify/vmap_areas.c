/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The busy vmap areas (vmalloc, vmap, ioremap, module memory, vmalloc'ed
 * stacks and per-CPU chunks), as /proc/vmallocinfo lists them.  Up to 6.8
 * mm/vmalloc.c keeps them on one address-sorted list, vmap_area_list;
 * 6.9 split them over vmap_nodes[nr_vmap_nodes], each with a busy list.
 * Which one the kernel has is probed from its symbols, not its version.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/slab/field.h"
#include "identify_priv.h"

/* /proc/vmallocinfo of a busy machine lists tens of thousands. */
#define MAX_AREAS (1u << 21)
/* vmap nodes: one per CPU group at most. */
#define MAX_NODES 4096

struct vmap_layout {
	struct ss_field va_start, va_end, list, vm;
	struct ss_field vm_addr, vm_size, vm_flags, vm_nr_pages, vm_caller;
	struct ss_field node_busy_head; /* 6.9+: vmap_node.busy.head */
};

static const struct ss_field_spec vmap_specs[] = {
	{ "vmap_area", "va_start", true,
	  offsetof(struct vmap_layout, va_start) },
	{ "vmap_area", "va_end", true, offsetof(struct vmap_layout, va_end) },
	{ "vmap_area", "list", true, offsetof(struct vmap_layout, list) },
	{ "vmap_area", "vm", true, offsetof(struct vmap_layout, vm) },
	{ "vm_struct", "addr", true, offsetof(struct vmap_layout, vm_addr) },
	{ "vm_struct", "size", true, offsetof(struct vmap_layout, vm_size) },
	{ "vm_struct", "flags", true, offsetof(struct vmap_layout, vm_flags) },
	{ "vm_struct", "nr_pages", true,
	  offsetof(struct vmap_layout, vm_nr_pages) },
	{ "vm_struct", "caller", true,
	  offsetof(struct vmap_layout, vm_caller) },
};

struct walk {
	const struct ss_target *t;
	const struct vmap_layout *l;
	struct ss_vmap_table *vt;
	size_t cap;
	size_t unreadable;
};

static struct ss_error *add_area(void *arg, uint64_t entry)
{
	struct walk *w = arg;
	const struct vmap_layout *l = w->l;
	uint64_t va = entry - l->list.off;
	struct ss_vmap_area a = { 0 };
	struct ss_error *err =
		ss_mem_read_u64(w->t->mem, va + l->va_start.off, &a.start);
	if (!err)
		err = ss_mem_read_u64(w->t->mem, va + l->va_end.off, &a.end);
	if (!err)
		err = ss_mem_read_u64(w->t->mem, va + l->vm.off, &a.vm);
	if (err || a.end <= a.start) {
		ss_error_destroy(err);
		w->unreadable++;
		return NULL;
	}
	/* A vm_map_ram area has no vm_struct; a vm_struct whose addr is not
	 * the area's is not this area's (a stale or garbage pointer). */
	uint64_t vm_addr = 0;
	if (a.vm) {
		err = ss_mem_read_u64(w->t->mem, a.vm + l->vm_addr.off,
				      &vm_addr);
		if (err || vm_addr != a.start)
			a.vm = 0;
		ss_error_destroy(err);
	}
	if (a.vm) {
		const struct ss_memory *mem = w->t->mem;
		struct ss_error *e1 =
			ss_mem_read_u64(mem, a.vm + l->vm_size.off, &a.size);
		struct ss_error *e2 =
			ss_mem_read_u64(mem, a.vm + l->vm_flags.off, &a.flags);
		struct ss_error *e3 = ss_mem_read_u64(
			mem, a.vm + l->vm_nr_pages.off, &a.nr_pages);
		struct ss_error *e4 = ss_mem_read_u64(
			mem, a.vm + l->vm_caller.off, &a.caller);
		/* nr_pages is an unsigned int before 6.2. */
		if (l->vm_nr_pages.size == 4)
			a.nr_pages &= 0xffffffffu;
		ss_error_destroy(e1);
		ss_error_destroy(e2);
		ss_error_destroy(e3);
		ss_error_destroy(e4);
	}
	if (w->vt->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 1024;
		struct ss_vmap_area *v = realloc(w->vt->v, cap * sizeof(*v));
		if (!v)
			return &ss_error_nomem;
		w->vt->v = v;
		w->cap = cap;
	}
	w->vt->v[w->vt->n++] = a;
	return NULL;
}

static int by_start(const void *a, const void *b)
{
	const struct ss_vmap_area *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Walk one busy list into the table; a broken list is a note. */
static struct ss_error *walk_list(struct walk *w, uint64_t head,
				  const char *what)
{
	size_t count = 0;
	struct ss_error *err = ss_list_walk(w->t->mem, head, MAX_AREAS, false,
					    add_area, w, &count);
	if (!err)
		return NULL;
	if (err == &ss_error_nomem)
		return err;
	struct ss_error *nerr =
		ss_identify_note(&w->vt->note, "%s stopped after %zu areas: %s",
				 what, count, err->message);
	ss_error_destroy(err);
	return nerr;
}

struct ss_error *ss_vmap_table_read(const struct ss_target *t,
				    struct ss_vmap_table *vt)
{
	memset(vt, 0, sizeof(*vt));
	struct vmap_layout l = { 0 };
	struct ss_error *err =
		ss_fields_resolve(t->dbg, vmap_specs,
				  sizeof(vmap_specs) / sizeof(vmap_specs[0]),
				  NULL, &l);
	if (err) {
		struct ss_error *nerr = ss_identify_note(
			&vt->note, "vmalloc areas not read: %s", err->message);
		ss_error_destroy(err);
		return nerr;
	}
	struct walk w = { .t = t, .l = &l, .vt = vt };
	uint64_t head;
	err = ss_target_symbol(t, "vmap_area_list", &head);
	if (!err) {
		err = walk_list(&w, head, "vmap_area_list");
	} else {
		ss_error_destroy(err);
		uint64_t nodes_sym, nodes, node_size = 0;
		uint32_t nr = 0;
		err = ss_target_symbol(t, "vmap_nodes", &nodes_sym);
		if (!err)
			err = ss_target_symbol(t, "nr_vmap_nodes", &head);
		if (!err)
			err = ss_mem_read_u64(t->mem, nodes_sym, &nodes);
		if (!err)
			err = ss_mem_read(t->mem, head, &nr, sizeof(nr));
		if (!err)
			err = ss_field_resolve(t->dbg, "vmap_node", "busy.head",
					       true, &l.node_busy_head);
		if (!err)
			err = ss_dbg_type_size(t->dbg, SS_TYPE_STRUCT,
					       "vmap_node", &node_size);
		if (!err && (nr == 0 || nr > MAX_NODES || !node_size))
			err = ss_error_create(SS_ERR_CORRUPT,
					      "nr_vmap_nodes is %u", nr);
		for (uint32_t i = 0; !err && i < nr; i++)
			err = walk_list(&w,
					nodes + i * node_size +
						l.node_busy_head.off,
					"a vmap node's busy list");
		if (err && err != &ss_error_nomem) {
			struct ss_error *nerr = ss_identify_note(
				&vt->note,
				"vmalloc areas not read: neither vmap_area_list "
				"nor vmap_nodes (%s)",
				err->message);
			ss_error_destroy(err);
			err = nerr;
		}
	}
	if (!err && w.unreadable)
		err = ss_identify_note(&vt->note, "%zu vmap areas unreadable",
				       w.unreadable);
	if (vt->n)
		qsort(vt->v, vt->n, sizeof(*vt->v), by_start);
	return err;
}

const struct ss_vmap_area *ss_vmap_table_find(const struct ss_vmap_table *vt,
					      uint64_t addr)
{
	size_t i = ss_sorted_upper_bound(vt->v, vt->n, sizeof(*vt->v),
					 offsetof(struct ss_vmap_area, start),
					 addr);
	/* Areas do not overlap in a sane kernel; in a corrupt one the
	 * nearest start below addr is the best answer there is. */
	if (i && addr < vt->v[i - 1].end)
		return &vt->v[i - 1];
	return NULL;
}

void ss_vmap_table_deinit(struct ss_vmap_table *vt)
{
	free(vt->v);
	free(vt->note);
	memset(vt, 0, sizeof(*vt));
}
