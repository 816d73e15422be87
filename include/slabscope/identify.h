/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What any kernel address is, as crash's `kmem ADDR` and drgn's
 * identify_address() tell: a slab object (with its tracks when the cache
 * keeps them), a kernel or module symbol, a per-CPU variable of some CPU,
 * a struct page, a page of the direct map, a vmalloc area and its
 * caller, a task's stack.  Several facts can hold at once (a vmalloc'ed
 * stack is a vmalloc area and a stack); `kind` names the most specific.
 *
 * The tables this needs (vmalloc areas, task stacks, page flag names) are
 * read from the dump on first use and kept in the identifier, so many
 * addresses cost one walk.  Every pointer of those walks may be garbage:
 * they are bounded, and what cannot be read is left out of the answer
 * (ss_identity.notes says so), never an error for the whole run.
 */
#ifndef SLABSCOPE_IDENTIFY_H
#define SLABSCOPE_IDENTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include <slabscope/error.h>
#include <slabscope/slab.h>
#include <slabscope/track.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ss_addr_kind {
	SS_ADDR_SLAB, /* in a slab (slab) */
	SS_ADDR_PERCPU, /* a CPU's per-CPU area (percpu) */
	SS_ADDR_KERNEL, /* the kernel image: text, data, bss (symbol) */
	SS_ADDR_TASK_STACK, /* a task's kernel stack (stack) */
	SS_ADDR_MODULE, /* a module's memory (module, symbol) */
	SS_ADDR_VMALLOC, /* a vmalloc/vmap area (vmalloc) */
	SS_ADDR_STRUCT_PAGE, /* the struct page array (page) */
	SS_ADDR_DIRECT_MAP, /* a page of the direct map, no slab (page) */
	SS_ADDR_USER, /* a user-space address */
	SS_ADDR_NONCANONICAL, /* no CPU can use it: garbage */
	SS_ADDR_UNKNOWN, /* kernel half, in nothing above */
};
/* "slab", "percpu", "kernel", ... (stable: the JSON "kind"). */
const char *ss_addr_kind_name(enum ss_addr_kind k);

/* A page frame, from a direct-map or struct page address. */
struct ss_page_fact {
	uint64_t pfn;
	uint64_t phys; /* pfn's physical address */
	uint64_t struct_page; /* its struct page */
	uint64_t mapped; /* its direct-map address */
	uint64_t offset; /* struct page kind: addr - struct_page */
	bool readable; /* flags and refcount were read */
	uint64_t flags; /* page->flags */
	char *flag_names; /* "slab|head" from enum pageflags; malloc'd */
	int32_t refcount; /* page->_refcount */
	bool tail; /* a compound tail page */
	uint64_t head; /* its head page (struct page) */
	/* The slab the page holds (as ss_model_whatis on its first byte). */
	bool slab;
	uint32_t cache; /* SS_NO_CACHE: unknown */
	uint64_t slab_page; /* the slab's head struct page */
};

struct ss_vmalloc_fact {
	uint64_t start, end; /* the vmap area [start, end) */
	uint64_t vm; /* its struct vm_struct, 0: none (vm_map_ram) */
	uint64_t size; /* vm_struct.size (with the guard page) */
	uint64_t flags; /* vm_struct.flags */
	char *flag_names; /* "alloc|map|..." ; malloc'd */
	uint32_t nr_pages;
	uint64_t caller; /* vm_struct.caller */
	char *caller_sym; /* symbolized; malloc'd, NULL if unknown */
};

struct ss_stack_fact {
	uint64_t task; /* the task_struct */
	int32_t pid;
	char comm[17];
	uint64_t base; /* task->stack */
	uint64_t size; /* THREAD_SIZE */
	uint64_t offset; /* addr - base */
};

struct ss_percpu_fact {
	uint32_t cpu;
	uint64_t offset; /* from the CPU's unit start */
	bool is_static; /* a DEFINE_PER_CPU variable: symbol names it */
};

struct ss_identity {
	uint64_t addr;
	/* arm64: addr carries pointer-authentication bits (a return address
	 * saved on a stack, a signed function pointer): the code address it
	 * signs, which the rest describes; 0 when addr is not signed. */
	uint64_t pac_stripped;
	enum ss_addr_kind kind;
	/* "name+0xoff" or "name+0xoff [module]": the kernel or module
	 * symbol covering addr (for a per-CPU address, the variable);
	 * NULL: none. */
	char *symbol;
	/* The slab facts (kind slab), as ss_model_whatis(). */
	struct ss_whatis slab;
	/* The object's tracks, when the cache keeps them (SLAB_STORE_USER)
	 * and addr is in an object. */
	bool has_tracks;
	struct ss_track alloc, free;
	/* When the task_struct cache holds addr: the task. */
	bool is_task;
	int32_t task_pid;
	char task_comm[17];
	bool has_page;
	struct ss_page_fact page;
	bool has_vmalloc;
	struct ss_vmalloc_fact vmalloc;
	bool has_stack;
	struct ss_stack_fact stack;
	bool has_percpu;
	struct ss_percpu_fact percpu;
	/* The module (kind module, or a vmalloc area of module memory). */
	char module[57];
	/* What could not be looked at (a vmalloc list that could not be
	 * walked...): "; "-separated, malloc'd, NULL if none. */
	char *notes;
};

struct ss_identifier;

/* An identifier for m's dump; m must outlive it. */
struct ss_error *ss_identifier_create(const struct ss_model *m,
				      struct ss_identifier **ret);
void ss_identifier_destroy(struct ss_identifier *id);

/* What addr is.  Errors only for out of memory; ss_identity_deinit()
 * after either. */
struct ss_error *ss_identify(struct ss_identifier *id, uint64_t addr,
			     struct ss_identity *ret);
void ss_identity_deinit(struct ss_identity *r);

#ifdef __cplusplus
}
#endif

#endif
