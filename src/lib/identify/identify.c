/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ss_identify(): what any kernel address is.  The answer is built from
 * the slab model (ss_model_whatis), the memory map facts the model
 * already read (direct map, struct page array, per-CPU offsets), the
 * vmlinux symbols, and two tables read on first need: the busy vmap
 * areas and the task stacks (identify_priv.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/identify.h>
#include <slabscope/symbolize.h>

#include "identify_priv.h"

/* enum pageflags names worth printing, looked up by name: the set and
 * the values differ between kernels (PG_slab is gone in 6.10+, PG_error
 * in 6.12+), so whichever the vmlinux has is decoded. */
static const char *const page_flag_names[] = {
	"PG_locked",
	"PG_writeback",
	"PG_referenced",
	"PG_uptodate",
	"PG_dirty",
	"PG_lru",
	"PG_head",
	"PG_waiters",
	"PG_active",
	"PG_workingset",
	"PG_error",
	"PG_owner_priv_1",
	"PG_owner_2",
	"PG_arch_1",
	"PG_reserved",
	"PG_private",
	"PG_private_2",
	"PG_mappedtodisk",
	"PG_reclaim",
	"PG_swapbacked",
	"PG_unevictable",
	"PG_dropbehind",
	"PG_mlocked",
	"PG_uncached",
	"PG_hwpoison",
	"PG_young",
	"PG_idle",
	"PG_arch_2",
	"PG_arch_3",
	"PG_slab",
	"PG_large_rmappable",
	"PG_partially_mapped",
};
#define NPAGE_FLAGS (sizeof(page_flag_names) / sizeof(page_flag_names[0]))

/* vm_struct.flags, include/linux/vmalloc.h (stable since 2.6). */
static const struct {
	uint64_t bit;
	const char *name;
} vm_flag_names[] = {
	{ 0x1, "ioremap" },
	{ 0x2, "alloc" },
	{ 0x4, "map" },
	{ 0x8, "usermap" },
	{ 0x10, "dma-coherent" },
	{ 0x20, "uninitialized" },
	{ 0x40, "no-guard" },
	{ 0x80, "kasan" },
	{ 0x100, "flush-reset-perms" },
	{ 0x200, "map-put-pages" },
	{ 0x400, "allow-huge-vmap" },
	{ 0x800, "defer-kmemleak" },
	{ 0x1000, "sparse" },
};

struct ss_identifier {
	const struct ss_model *m;
	const struct ss_target *t;
	const struct ss_mm_facts *mm;
	struct ss_symbolizer *sym;
	struct ss_track_reader *tracks;
	uint32_t task_cache;
	/* The kernel image, [text, end) at run time. */
	uint64_t text, end;
	/* Per-CPU first chunk: a CPU's unit is [percpu_start +
	 * cpu_offset[cpu], + unit_size); its static variables the first
	 * percpu_end - percpu_start bytes.  percpu_link: the link-time
	 * __per_cpu_start (0 on x86_64 before 6.15). */
	uint64_t percpu_start, percpu_end, percpu_link, unit_size;
	uint64_t *unit_offsets; /* pcpu_unit_offsets[], for vmalloc chunks */
	/* struct page members. */
	struct ss_field pg_flags, pg_refcount, pg_compound_head;
	bool pg_resolved;
	int64_t pg_bit[NPAGE_FLAGS]; /* -1: the kernel has no such flag */
	bool pg_bits_read;
	bool vmap_read, stacks_read;
	struct ss_vmap_table vmap;
	struct ss_stack_table stacks;
	/* task_struct's members, resolved on first need (task_err: why
	 * they could not be). */
	bool task_tried;
	struct ss_error *task_err;
	struct ss_task_layout task;
};

const char *ss_addr_kind_name(enum ss_addr_kind k)
{
	static const char *const names[] = {
		[SS_ADDR_SLAB] = "slab",
		[SS_ADDR_PERCPU] = "percpu",
		[SS_ADDR_KERNEL] = "kernel",
		[SS_ADDR_TASK_STACK] = "task-stack",
		[SS_ADDR_MODULE] = "module",
		[SS_ADDR_VMALLOC] = "vmalloc",
		[SS_ADDR_STRUCT_PAGE] = "struct-page",
		[SS_ADDR_DIRECT_MAP] = "direct-map",
		[SS_ADDR_USER] = "user",
		[SS_ADDR_NONCANONICAL] = "noncanonical",
		[SS_ADDR_UNKNOWN] = "unknown",
	};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k]
							      : "unknown";
}

struct ss_error *ss_identify_note(char **notes, const char *fmt, ...)
{
	va_list ap;
	char *text;
	va_start(ap, fmt);
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return &ss_error_nomem;
	char *joined = text;
	if (*notes) {
		n = asprintf(&joined, "%s; %s", *notes, text);
		free(text);
		if (n < 0)
			return &ss_error_nomem;
		free(*notes);
	}
	*notes = joined;
	return NULL;
}

/* Optional facts: a symbol the kernel lacks leaves its part out. */
static uint64_t symbol_or_zero(const struct ss_target *t, const char *name)
{
	uint64_t v = 0;
	struct ss_error *err = ss_target_symbol(t, name, &v);
	ss_error_destroy(err);
	return err ? 0 : v;
}

/* Bytes of a unit the first chunk spans, 0 if unknown. */
static uint64_t first_chunk_bytes(const struct ss_identifier *id)
{
	const struct ss_target *t = id->t;
	struct ss_field base, nr_pages, end_off;
	uint64_t chunk, base_addr, pcpu_base, chunk_base;
	int32_t pages = 0, end_offset = 0;
	uint64_t fc_sym = symbol_or_zero(t, "pcpu_first_chunk");
	uint64_t pb_sym = symbol_or_zero(t, "pcpu_base_addr");
	struct ss_error *err = NULL;
	if (!fc_sym || !pb_sym ||
	    (err = ss_field_resolve(t->dbg, "pcpu_chunk", "base_addr", true,
				    &base)) ||
	    (err = ss_field_resolve(t->dbg, "pcpu_chunk", "nr_pages", true,
				    &nr_pages)) ||
	    (err = ss_field_resolve(t->dbg, "pcpu_chunk", "end_offset", true,
				    &end_off)) ||
	    (err = ss_mem_read_u64(t->mem, fc_sym, &chunk)) ||
	    (err = ss_mem_read_u64(t->mem, pb_sym, &pcpu_base)) ||
	    (err = ss_mem_read_u64(t->mem, chunk + base.off, &chunk_base)) ||
	    (err = ss_mem_read(t->mem, chunk + nr_pages.off, &pages,
			       sizeof(pages))) ||
	    (err = ss_mem_read(t->mem, chunk + end_off.off, &end_offset,
			       sizeof(end_offset)))) {
		ss_error_destroy(err);
		return 0;
	}
	base_addr = chunk_base + (uint64_t)pages * t->page_size -
		    (uint64_t)end_offset;
	if (pages <= 0 || end_offset < 0 || base_addr <= pcpu_base)
		return 0;
	return base_addr - pcpu_base;
}

static void read_percpu_layout(struct ss_identifier *id)
{
	const struct ss_target *t = id->t;
	struct ss_error *err;
	uint64_t start, end, link = 0, usz = 0;
	if ((err = ss_target_symbol(t, "__per_cpu_start", &start)) ||
	    (err = ss_target_symbol(t, "__per_cpu_end", &end)) ||
	    (err = ss_dbg_symbol(t->dbg, "__per_cpu_start", &link)) ||
	    end < start) {
		/* No per-CPU facts: addresses fall through to the rest. */
		ss_error_destroy(err);
		return;
	}
	uint64_t sym = symbol_or_zero(t, "pcpu_unit_size");
	int32_t v = 0;
	if (sym && (err = ss_mem_read(t->mem, sym, &v, sizeof(v))))
		ss_error_destroy(err);
	else if (v > 0)
		usz = (uint64_t)v;
	/* The embedding allocator frees the tail of each unit past the
	 * first chunk (pcpu_embed_first_chunk()): what a unit holds ends
	 * where pcpu_first_chunk's region ends, base_addr + nr_pages pages -
	 * end_offset, counted from pcpu_base_addr. */
	uint64_t used = first_chunk_bytes(id);
	if (used && used < usz)
		usz = used;
	/* Without the unit size, the static variables are what is known. */
	if (usz < end - start)
		usz = end - start;
	id->percpu_start = start;
	id->percpu_end = end;
	id->percpu_link = link;
	id->unit_size = usz;
	uint64_t offs_sym = symbol_or_zero(t, "pcpu_unit_offsets"), offs = 0;
	uint32_t ncpu = id->mm->nr_cpu_ids;
	if (!offs_sym || !ncpu)
		return;
	if ((err = ss_mem_read_u64(t->mem, offs_sym, &offs)) || !offs) {
		ss_error_destroy(err);
		return;
	}
	uint64_t *u = calloc(ncpu, sizeof(*u));
	if (!u)
		return;
	if ((err = ss_mem_read(t->mem, offs, u, ncpu * sizeof(*u)))) {
		ss_error_destroy(err);
		free(u);
		return;
	}
	id->unit_offsets = u;
}

struct ss_error *ss_identifier_create(const struct ss_model *m,
				      struct ss_identifier **ret)
{
	struct ss_identifier *id = calloc(1, sizeof(*id));
	if (!id)
		return &ss_error_nomem;
	id->m = m;
	id->t = ss_model_target(m);
	id->mm = ss_model_mm(m);
	id->task_cache = ss_model_find_cache(m, "task_struct");
	struct ss_error *err = ss_symbolizer_create(id->t, &id->sym);
	if (!err)
		err = ss_track_reader_create(id->t, id->sym, &id->tracks);
	if (err) {
		ss_identifier_destroy(id);
		return err;
	}
	id->text = symbol_or_zero(id->t, "_text");
	id->end = symbol_or_zero(id->t, "_end");
	read_percpu_layout(id);
	*ret = id;
	return NULL;
}

void ss_identifier_destroy(struct ss_identifier *id)
{
	if (!id)
		return;
	ss_track_reader_destroy(id->tracks);
	ss_symbolizer_destroy(id->sym);
	ss_vmap_table_deinit(&id->vmap);
	ss_stack_table_deinit(&id->stacks);
	ss_error_destroy(id->task_err);
	free(id->unit_offsets);
	free(id);
}

void ss_identity_deinit(struct ss_identity *r)
{
	free(r->symbol);
	ss_track_deinit(&r->alloc);
	ss_track_deinit(&r->free);
	free(r->page.flag_names);
	free(r->vmalloc.flag_names);
	free(r->vmalloc.caller_sym);
	free(r->notes);
	memset(r, 0, sizeof(*r));
}

/*
 * Whether any CPU can dereference addr, and whether it is a user address.
 * x86_64: the upper half starts where the sign extension of the top
 * virtual address bit (47, or 56 with 5-level paging) begins.  arm64: the
 * bits above VA_BITS select the translation table, all ones for the
 * kernel's (TTBR1), all zeros for the user's (TTBR0).
 */
static bool canonical(const struct ss_mm_facts *mm, uint64_t addr, bool *user)
{
	unsigned bits = mm->va_bits ? mm->va_bits : 48;
	if (mm->arch != SS_ARCH_AARCH64)
		bits--;
	uint64_t top = addr >> bits;
	*user = top == 0;
	return top == 0 || top == (UINT64_MAX >> bits);
}

static void resolve_page_layout(struct ss_identifier *id)
{
	if (id->pg_bits_read)
		return;
	id->pg_bits_read = true;
	struct ss_dbg *dbg = id->t->dbg;
	struct ss_error *err =
		ss_field_resolve(dbg, "page", "flags", true, &id->pg_flags);
	if (!err)
		err = ss_field_resolve(dbg, "page", "_refcount", true,
				       &id->pg_refcount);
	if (!err)
		err = ss_field_resolve(dbg, "page",
				       "compound_head|compound_info", false,
				       &id->pg_compound_head);
	id->pg_resolved = !err;
	ss_error_destroy(err);
	int64_t nr = 64;
	bool found = false;
	err = ss_dbg_enumerator_near(dbg, "__NR_PAGEFLAGS", &nr, &found);
	ss_error_destroy(err);
	if (err || !found || nr <= 0 || nr > 64)
		nr = 64;
	for (size_t i = 0; i < NPAGE_FLAGS; i++) {
		int64_t v = -1;
		found = false;
		err = ss_dbg_enumerator_near(dbg, page_flag_names[i], &v,
					     &found);
		ss_error_destroy(err);
		id->pg_bit[i] = !err && found && v >= 0 && v < nr ? v : -1;
	}
}

static struct ss_error *page_flag_text(const struct ss_identifier *id,
				       uint64_t flags, char **ret)
{
	size_t len = 0;
	char buf[512] = "";
	for (size_t i = 0; i < NPAGE_FLAGS; i++) {
		if (id->pg_bit[i] < 0 || !(flags >> id->pg_bit[i] & 1))
			continue;
		int n = snprintf(buf + len, sizeof(buf) - len, "%s%s",
				 len ? "|" : "", page_flag_names[i] + 3);
		if (n < 0 || (size_t)n >= sizeof(buf) - len)
			break;
		len += (size_t)n;
	}
	*ret = strdup(buf);
	return *ret ? NULL : &ss_error_nomem;
}

static bool in_direct_map(const struct ss_identifier *id, uint64_t addr)
{
	const struct ss_mm_facts *mm = id->mm;
	return addr >= mm->page_offset &&
	       (addr - mm->page_offset) / mm->page_size < mm->max_pfn;
}

static bool in_struct_pages(const struct ss_identifier *id, uint64_t addr)
{
	const struct ss_mm_facts *mm = id->mm;
	return mm->struct_page_size && addr >= mm->vmemmap &&
	       (addr - mm->vmemmap) / mm->struct_page_size < mm->max_pfn;
}

/* What page frame pfn is: its struct page's flags, refcount, and the slab
 * the model knows there.  in_page: what the model says of an address in
 * that page, when the caller has it already (a slab spans whole pages, so
 * it is the page's slab too); NULL: it is looked up. */
static struct ss_error *page_fact(struct ss_identifier *id, uint64_t pfn,
				  const struct ss_whatis *in_page,
				  struct ss_page_fact *p)
{
	const struct ss_mm_facts *mm = id->mm;
	p->pfn = pfn;
	p->phys = pfn * mm->page_size;
	p->struct_page = mm->vmemmap + pfn * mm->struct_page_size;
	p->mapped = mm->page_offset + p->phys;
	p->cache = SS_NO_CACHE;
	resolve_page_layout(id);
	if (id->pg_resolved) {
		const struct ss_memory *mem = id->t->mem;
		uint32_t ref = 0;
		uint64_t head = 0;
		struct ss_error *err = ss_mem_read_u64(
			mem, p->struct_page + id->pg_flags.off, &p->flags);
		if (!err)
			err = ss_mem_read(mem,
					  p->struct_page + id->pg_refcount.off,
					  &ref, sizeof(ref));
		if (!err && id->pg_compound_head.present)
			err = ss_mem_read_u64(
				mem, p->struct_page + id->pg_compound_head.off,
				&head);
		if (err && err != &ss_error_nomem) {
			ss_error_destroy(err);
		} else if (err) {
			return err;
		} else {
			p->readable = true;
			p->refcount = (int32_t)ref;
			/* Bit 0 marks a tail page; the rest is the head's
			 * address, or (7.x compound_info with HVO) a mask
			 * that turns the tail's address into the head's. */
			if (head & 1) {
				p->tail = true;
				p->head = in_struct_pages(id, head - 1)
						  ? head - 1
						  : p->struct_page & head;
			}
			err = page_flag_text(id, p->flags, &p->flag_names);
			if (err)
				return err;
		}
	}
	struct ss_whatis w;
	if (!in_page) {
		struct ss_error *err = ss_model_whatis(id->m, p->mapped, &w);
		if (err)
			return err;
		in_page = &w;
	}
	if (in_page->in_slab) {
		p->slab = true;
		p->cache = in_page->cache;
		p->slab_page = in_page->slab->page;
	}
	return NULL;
}

/* "name+0xoff" of a vmlinux symbol at a link-time address. */
static struct ss_error *link_symbol(const struct ss_identifier *id,
				    uint64_t link, char **ret)
{
	const char *name;
	uint64_t off;
	struct ss_error *err = ss_dbg_symbolize(id->t->dbg, link, &name, &off);
	/* No symbol there, or no symbol table: the answer has none. */
	if (err == &ss_error_nomem)
		return err;
	if (err) {
		ss_error_destroy(err);
		return NULL;
	}
	return asprintf(ret, "%s+0x%" PRIx64, name, off) < 0 ? &ss_error_nomem
							     : NULL;
}

/* A CPU's unit of the first per-CPU chunk. */
static struct ss_error *percpu_first_chunk(struct ss_identifier *id,
					   uint64_t addr, struct ss_identity *r)
{
	const struct ss_mm_facts *mm = id->mm;
	if (!id->unit_size || !mm->cpu_offset)
		return NULL;
	for (uint32_t cpu = 0; cpu < mm->nr_cpu_ids; cpu++) {
		if (!mm->cpu_possible[cpu])
			continue;
		uint64_t unit = id->percpu_start + mm->cpu_offset[cpu];
		if (addr < unit || addr - unit >= id->unit_size)
			continue;
		r->has_percpu = true;
		r->percpu.cpu = cpu;
		r->percpu.offset = addr - unit;
		r->percpu.is_static =
			addr - unit < id->percpu_end - id->percpu_start;
		if (!r->percpu.is_static)
			return NULL;
		return link_symbol(id, id->percpu_link + (addr - unit),
				   &r->symbol);
	}
	return NULL;
}

/* A per-CPU chunk allocated by pcpu_get_vm_areas(): units at
 * pcpu_unit_offsets[cpu] from the chunk's base, which is the first
 * group's area when there is one group (one NUMA node). */
static void percpu_vmalloc_chunk(struct ss_identifier *id, uint64_t addr,
				 struct ss_identity *r)
{
	const struct ss_mm_facts *mm = id->mm;
	const char *caller = r->vmalloc.caller_sym;
	if (!id->unit_offsets || !caller ||
	    strncmp(caller, "pcpu_get_vm_areas+", 18))
		return;
	for (uint32_t cpu = 0; cpu < mm->nr_cpu_ids; cpu++) {
		uint64_t unit = r->vmalloc.start + id->unit_offsets[cpu];
		if (!mm->cpu_possible[cpu] || addr < unit ||
		    addr - unit >= id->unit_size)
			continue;
		r->has_percpu = true;
		r->percpu.cpu = cpu;
		r->percpu.offset = addr - unit;
		return;
	}
}

static void vm_flag_text(uint64_t flags, char **ret)
{
	char buf[256] = "";
	size_t len = 0;
	for (size_t i = 0; i < sizeof(vm_flag_names) / sizeof(vm_flag_names[0]);
	     i++) {
		if (!(flags & vm_flag_names[i].bit))
			continue;
		int n = snprintf(buf + len, sizeof(buf) - len, "%s%s",
				 len ? "|" : "", vm_flag_names[i].name);
		if (n < 0 || (size_t)n >= sizeof(buf) - len)
			break;
		len += (size_t)n;
	}
	*ret = strdup(buf);
}

static struct ss_error *vmalloc_fact(struct ss_identifier *id, uint64_t addr,
				     struct ss_identity *r)
{
	if (!id->vmap_read) {
		id->vmap_read = true;
		struct ss_error *err = ss_vmap_table_read(id->t, &id->vmap);
		if (err)
			return err;
	}
	if (id->vmap.note) {
		struct ss_error *err =
			ss_identify_note(&r->notes, "%s", id->vmap.note);
		if (err)
			return err;
	}
	const struct ss_vmap_area *a = ss_vmap_table_find(&id->vmap, addr);
	if (!a)
		return NULL;
	struct ss_vmalloc_fact *v = &r->vmalloc;
	r->has_vmalloc = true;
	v->start = a->start;
	v->end = a->end;
	v->vm = a->vm;
	v->size = a->size;
	v->flags = a->flags;
	v->nr_pages = (uint32_t)a->nr_pages;
	v->caller = a->caller;
	if (a->vm) {
		vm_flag_text(a->flags, &v->flag_names);
		if (!v->flag_names)
			return &ss_error_nomem;
	}
	if (a->caller) {
		struct ss_error *err =
			ss_symbolize(id->sym, a->caller, &v->caller_sym);
		if (err == &ss_error_nomem)
			return err;
		ss_error_destroy(err);
	}
	percpu_vmalloc_chunk(id, addr, r);
	return NULL;
}

/* task_struct's members, NULL when the vmlinux lacks one. */
static const struct ss_task_layout *task_layout(struct ss_identifier *id)
{
	if (!id->task_tried) {
		id->task_tried = true;
		id->task_err = ss_task_layout_resolve(id->t->dbg, &id->task);
	}
	return id->task_err ? NULL : &id->task;
}

static struct ss_error *stack_fact(struct ss_identifier *id, uint64_t addr,
				   struct ss_identity *r)
{
	if (!id->stacks_read) {
		id->stacks_read = true;
		const struct ss_task_layout *l = task_layout(id);
		struct ss_error *err =
			l ? ss_stack_table_read(id->m, l, &id->stacks)
			  : ss_identify_note(&id->stacks.note,
					     "task stacks not read: %s",
					     id->task_err->message);
		if (err)
			return err;
	}
	if (id->stacks.note) {
		struct ss_error *err =
			ss_identify_note(&r->notes, "%s", id->stacks.note);
		if (err)
			return err;
	}
	const struct ss_task_stack *s = ss_stack_table_find(&id->stacks, addr);
	if (!s)
		return NULL;
	r->has_stack = true;
	r->stack.task = s->task;
	r->stack.pid = s->pid;
	memcpy(r->stack.comm, s->comm, sizeof(r->stack.comm));
	r->stack.base = s->base;
	r->stack.size = id->stacks.size;
	r->stack.offset = addr - s->base;
	return NULL;
}

/* The module a symbolized name ends in, "name+0x10 [mod]" or
 * "name+0x10 [mod, init]"; none for "[module area: ...]". */
static void module_of_symbol(const char *sym, char out[57])
{
	const char *b = sym ? strrchr(sym, '[') : NULL;
	if (!b)
		return;
	size_t n = strcspn(b + 1, ",]");
	if (n == 0 || n > 56 || memchr(b + 1, ' ', n))
		return;
	memcpy(out, b + 1, n);
	out[n] = 0;
}

/* The slab object facts: its tracks, and whose task_struct it is. */
static struct ss_error *slab_extras(struct ss_identifier *id,
				    struct ss_identity *r)
{
	const struct ss_whatis *w = &r->slab;
	if (!w->object || w->cache == SS_NO_CACHE)
		return NULL;
	const struct ss_cache *c = ss_model_cache(id->m, w->cache);
	if (ss_cache_track_place(c).form != SS_TRACK_FORM_NONE &&
	    ss_track_usable(id->tracks)) {
		ss_track_read(id->tracks, c, w->object, w->state,
			      SS_TRACK_STACK | SS_TRACK_SYMBOLIZE |
				      SS_TRACK_SOURCE,
			      &r->alloc, &r->free);
		r->has_tracks = r->alloc.valid || r->free.valid;
	}
	/* A task_struct needs only the members, not the stack table. */
	const struct ss_task_layout *l;
	if (w->cache == id->task_cache && w->state == SS_OBJ_ALLOCATED &&
	    (l = task_layout(id))) {
		struct ss_error *err = ss_task_identity(
			id->t, l, w->object, &r->task_pid, r->task_comm);
		r->is_task = !err;
		ss_error_destroy(err);
	}
	return NULL;
}

static struct ss_error *identify(struct ss_identifier *id, uint64_t addr,
				 struct ss_identity *r)
{
	const struct ss_mm_facts *mm = id->mm;
	bool user;
	if (!canonical(mm, addr, &user)) {
		/* arm64: a signed code pointer's top bits are its PAC (bit 55
		 * still selects the kernel's half): what it signs, if code */
		uint64_t stripped = addr | mm->pac_mask;
		if (mm->arch == SS_ARCH_AARCH64 && mm->pac_mask &&
		    (addr >> 55 & 1) && !r->pac_stripped &&
		    canonical(mm, stripped, &user) && !user &&
		    ss_symbolizer_maybe_code(id->sym, addr)) {
			r->pac_stripped = stripped;
			return identify(id, stripped, r);
		}
		r->kind = SS_ADDR_NONCANONICAL;
		return NULL;
	}
	if (user) {
		r->kind = SS_ADDR_USER;
		return NULL;
	}
	struct ss_error *err = ss_model_whatis(id->m, addr, &r->slab);
	if (err)
		return err;
	if (r->slab.in_slab) {
		r->kind = SS_ADDR_SLAB;
		if ((err = slab_extras(id, r)))
			return err;
	}
	if (in_direct_map(id, addr)) {
		r->has_page = true;
		err = page_fact(id, (addr - mm->page_offset) / mm->page_size,
				&r->slab, &r->page);
		if (err)
			return err;
	} else if (in_struct_pages(id, addr)) {
		r->has_page = true;
		uint64_t rel = addr - mm->vmemmap;
		err = page_fact(id, rel / mm->struct_page_size, NULL, &r->page);
		if (err)
			return err;
		r->page.offset = rel % mm->struct_page_size;
		r->kind = SS_ADDR_STRUCT_PAGE;
		return NULL;
	}
	if (r->slab.in_slab)
		return NULL;
	if ((err = percpu_first_chunk(id, addr, r)))
		return err;
	if (!r->has_percpu && id->text && addr >= id->text && addr < id->end) {
		r->kind = SS_ADDR_KERNEL;
		err = link_symbol(id, addr - id->t->kaslr_offset, &r->symbol);
		if (err)
			return err;
	}
	if (!r->has_page && r->kind != SS_ADDR_KERNEL &&
	    (err = vmalloc_fact(id, addr, r)))
		return err;
	if ((err = stack_fact(id, addr, r)))
		return err;
	if (!r->has_percpu && !r->has_page && r->kind != SS_ADDR_KERNEL) {
		err = ss_symbolize(id->sym, addr, &r->symbol);
		if (err == &ss_error_nomem)
			return err;
		ss_error_destroy(err);
		module_of_symbol(r->symbol, r->module);
	}
	if (r->has_percpu)
		r->kind = SS_ADDR_PERCPU;
	else if (r->has_stack)
		r->kind = SS_ADDR_TASK_STACK;
	else if (r->kind == SS_ADDR_KERNEL)
		;
	else if (r->module[0])
		r->kind = SS_ADDR_MODULE;
	else if (r->has_vmalloc)
		r->kind = SS_ADDR_VMALLOC;
	else if (r->has_page)
		r->kind = SS_ADDR_DIRECT_MAP;
	else
		r->kind = SS_ADDR_UNKNOWN;
	return NULL;
}

struct ss_error *ss_identify(struct ss_identifier *id, uint64_t addr,
			     struct ss_identity *r)
{
	memset(r, 0, sizeof(*r));
	r->addr = addr;
	r->slab.cache = SS_NO_CACHE;
	r->page.cache = SS_NO_CACHE;
	r->kind = SS_ADDR_UNKNOWN;
	return identify(id, addr, r);
}
