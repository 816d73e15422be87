/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What `slabscope info` reports: the dump, the kernel and its allocator. */
#ifndef SLABSCOPE_INFO_H
#define SLABSCOPE_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include <slabscope/kernel.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ss_allocator {
	SS_ALLOC_UNKNOWN,
	SS_ALLOC_SLUB,
	SS_ALLOC_SLAB,
};

const char *ss_allocator_name(enum ss_allocator a);

struct ss_info {
	const char *dump_path;
	const char *vmlinux_path;
	const char *release;
	const char *build_id; /* VMCOREINFO's BUILD-ID (5.9+), hex; or NULL */
	const char *arch;
	const char *format;      /* "elf", "kdump-compressed" */
	const char *compression; /* "none", "zlib", ... */
	bool filtered;           /* makedumpfile left pages out */
	int dump_level;          /* -1 if unknown */
	uint64_t kaslr_offset;
	uint64_t page_size;
	int paging_levels;
	/* Kernel virtual address bits in use: 64 - VMCOREINFO's TCR_EL1_T1SZ
	 * (arm64; VA_BITS without it), 48 or 57 by the paging levels (x86_64);
	 * 0 if unknown. */
	unsigned int va_bits;
	/* arm64: the bits the kernel was built for (VMCOREINFO VA_BITS, its
	 * CONFIG_ARM64_VA_BITS): 52 while va_bits is 48 when the CPU has no
	 * LVA/LPA2; 0 on x86_64 or if unknown. */
	unsigned int va_bits_config;
	unsigned int cpus;  /* online CPUs in the kernel */
	unsigned int possible_cpus; /* nr_cpu_ids */
	unsigned int nodes; /* online NUMA nodes */
	enum ss_allocator allocator;
	/* The allocator's build options below apply (SLUB). */
	bool slub_options;
	bool freelist_hardened; /* SLUB: CONFIG_SLAB_FREELIST_HARDENED */
	bool slub_debug;        /* SLUB: CONFIG_SLUB_DEBUG compiled in */
	unsigned int caches;    /* entries on slab_caches */
	/* Set when the slab_caches walk stopped early (corrupt list); the
	 * count is then what was seen before.  Owned by the info. */
	char *caches_warning;
};

/* Fill info from an open kernel.  Strings point into k (or info). */
struct ss_error *ss_info_gather(struct ss_kernel *k, struct ss_info *info);
void ss_info_deinit(struct ss_info *info);

/* Which allocator the kernel was built with (the first allocator model
 * whose probe recognises the debug info: src/lib/slab/model.c), with its
 * build options, into info. */
void ss_describe_allocator(struct ss_dbg *dbg, struct ss_info *info);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_INFO_H */
