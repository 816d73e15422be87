/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the analysis reads: types, symbols and memory of one kernel.
 *
 * A dump with its vmlinux is one target (ss_kernel_target()); a unit test
 * builds another from a small ELF with kernel-shaped types and a synthetic
 * memory image, so the allocator models and checks run without a dump.
 */
#ifndef SLABSCOPE_TARGET_H
#define SLABSCOPE_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/dbg.h>
#include <slabscope/debuginfo.h>
#include <slabscope/error.h>
#include <slabscope/memory.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ss_target {
	/* Name for messages (the vmlinux path). */
	const char *name;
	struct ss_dbg *dbg;
	const struct ss_memory *mem;
	/* Runtime address of a symbol; SS_ERR_NOTFOUND if absent. */
	struct ss_error *(*symbol)(void *arg, const char *name,
				   uint64_t *addr_ret);
	void *symbol_arg;
	uint64_t page_size;
	int paging_levels; /* 4 or 5 on x86_64, 0 if unknown */
	/* Runtime minus link-time address of the kernel image (KASLR). */
	uint64_t kaslr_offset;
	/* Page frames the dump covers ([0, phys_max_pfn)); 0 if unknown. */
	uint64_t phys_max_pfn;
	/* Where modules' debug files are looked for; NULL: nowhere (module
	 * symbols come from the dump's kallsyms only). */
	const struct ss_debuginfo_search *debuginfo;
	/* Optional (NULL: every frame below phys_max_pfn may be there): the
	 * first run of page frames the dump holds at or after pfn,
	 * [*start, *end); false when there is none.  Called with
	 * symbol_arg. */
	bool (*present_run)(void *arg, uint64_t pfn, uint64_t *start,
			    uint64_t *end);
	/* Optional (NULL: none): a VMCOREINFO value by key
	 * ("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)"), NULL if absent.  Called
	 * with symbol_arg. */
	const char *(*vmcoreinfo)(void *arg, const char *key);
	/* Optional (NULL: unknown): the physical address of the kernel
	 * virtual address va; false when it is not mapped.  Called with
	 * symbol_arg. */
	bool (*to_phys)(void *arg, uint64_t va, uint64_t *pa);
};

static inline struct ss_error *ss_target_symbol(const struct ss_target *t,
						const char *name,
						uint64_t *addr_ret)
{
	return t->symbol(t->symbol_arg, name, addr_ret);
}

/* Read size bytes of the variable name. */
struct ss_error *ss_target_read_symbol(const struct ss_target *t,
				       const char *name, void *buf,
				       size_t size);

/* A VMCOREINFO number ("NUMBER(VA_BITS)": decimal, or hex with 0x);
 * false when the target has no VMCOREINFO, the key is absent or its value
 * is not wholly a number. */
bool ss_target_vmcoreinfo_number(const struct ss_target *t, const char *key,
				 uint64_t *ret);

/* arm64: the kernel's virtual address bits, as built (VMCOREINFO VA_BITS)
 * and as the CPU runs it (64 - TCR_EL1_T1SZ: 48 for a 52-bit kernel on a
 * CPU without LVA/LPA2); an error without VA_BITS or with a bad one. */
struct ss_error *ss_target_aarch64_va_bits(const struct ss_target *t,
					   unsigned int *config_bits,
					   unsigned int *actual_bits);

/* Memory-management facts every allocator walk needs. */
struct ss_mm_facts {
	uint64_t page_size;
	unsigned int page_shift;
	enum ss_arch arch;
	/* Direct-map address of page frame pfn: page_offset + pfn *
	 * page_size (arm64: PAGE_OFFSET less PHYS_OFFSET). */
	uint64_t page_offset;
	uint64_t vmemmap;          /* base of the struct page array */
	uint64_t struct_page_size; /* sizeof(struct page) */
	uint64_t max_pfn; /* page frames to scan: [min_pfn, max_pfn) */
	uint64_t min_pfn; /* arm64: RAM's first frame (PHYS_OFFSET's); else 0 */
	/* kernel virtual address bits in use: 48, 57...; arm64: 64 -
	 * TCR_EL1_T1SZ (48 for a 52-bit kernel on a CPU without LPA2) */
	unsigned int va_bits;
	/* arm64 pointer authentication: the bits a signed kernel return
	 * address carries (VMCOREINFO KERNELPACMASK); 0 without. */
	uint64_t pac_mask;
	/* The kernel's max_pfn as read; differs from max_pfn when it was
	 * garbage (0, or beyond the dump) and the dump's bound is used. */
	uint64_t kernel_max_pfn;
	uint32_t nr_cpu_ids;
	/* Per-CPU offset of each CPU < nr_cpu_ids; cpu_possible[i] tells
	 * whether CPU i exists. */
	uint64_t *cpu_offset;
	bool *cpu_possible;
	uint32_t nr_node_ids;
};

/* arm64: page_offset, vmemmap, min_pfn and va_bits of f (page_shift and
 * struct_page_size set) from VMCOREINFO's VA_BITS, the bits in use (see
 * ss_target_aarch64_va_bits), PHYS_OFFSET and VMEMMAP_START. */
void ss_aarch64_linear_map(unsigned int va_bits, unsigned int actual_bits,
			   uint64_t phys_offset, uint64_t vmemmap_start,
			   struct ss_mm_facts *f);

/* Gather the facts: symbols page_offset_base, vmemmap_base, max_pfn,
 * nr_cpu_ids, __per_cpu_offset, __cpu_possible_mask, nr_node_ids (with
 * x86_64 defaults where a kernel has no such variable). */
struct ss_error *ss_target_mm_facts(const struct ss_target *t,
				    struct ss_mm_facts *ret);
void ss_mm_facts_deinit(struct ss_mm_facts *f);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_TARGET_H */
