/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read access to a kernel crash dump (ELF vmcore, kdump-compressed,
 * makedumpfile-filtered), through libkdumpfile.  The dump is opened
 * read-only and never written.
 *
 * Reads of memory that the dump does not hold fail with one of two codes,
 * which callers must tell apart:
 *   SS_ERR_EXCLUDED  the page existed but makedumpfile left it out
 *                    (e.g. -d 31 drops free, cache and user pages);
 *   SS_ERR_FAULT     the address has no translation or is outside memory
 *                    (a garbage pointer, typically).
 */
#ifndef SLABSCOPE_DUMP_H
#define SLABSCOPE_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ss_dump;

enum ss_addrspace {
	SS_KVADDR,    /* kernel virtual address */
	SS_KPHYSADDR, /* physical address */
};

/* What the dump says about itself. */
struct ss_dump_props {
	const char *path;
	/* "elf", "kdump-compressed" */
	const char *format;
	/* "none" for ELF, else the page compression: "zlib", "lzo",
	 * "snappy", "zstd", "mixed" (several), "unknown" */
	const char *compression;
	/* True when makedumpfile left pages out (a dump level > 0). */
	bool filtered;
	int dump_level; /* -1 if unknown */
	const char *arch;    /* e.g. "x86_64" */
	const char *release; /* OSRELEASE from VMCOREINFO */
	uint64_t page_size;
	uint64_t kaslr_offset; /* KERNELOFFSET from VMCOREINFO, 0 if none */
	int paging_levels;     /* 4 or 5 on x86_64, 0 if unknown */
	unsigned int dump_cpus; /* CPUs the dump file has registers for */
	/* Page frames the file covers: [0, max_pfn); 0 if unknown. */
	uint64_t max_pfn;
	bool has_vmcoreinfo;
	/* kdump-compressed: the header's block size, the page size the
	 * file was written in (QEMU: its own, 64 KiB on arm64); else 0. */
	uint64_t file_block_size;
};

/*
 * Open the dump at path.  Errors: SS_ERR_IO (cannot open/read; the message
 * includes strerror), SS_ERR_FORMAT (not a dump, a flattened makedumpfile
 * stream: the message says to run `makedumpfile -R`, or no VMCOREINFO).
 */
struct ss_error *ss_dump_open(const char *path, struct ss_dump **ret);
/* NULL is fine. */
void ss_dump_close(struct ss_dump *dump);
/* Another reader of the same dump, for another thread (its own
 * libkdumpfile context and descriptor); reads only, ss_dump_close() it
 * before orig. */
struct ss_error *ss_dump_fork(const struct ss_dump *orig, struct ss_dump **ret);

const struct ss_dump_props *ss_dump_props(const struct ss_dump *dump);

/* Read exactly len bytes; on error nothing useful is in buf. */
struct ss_error *ss_dump_read(struct ss_dump *dump, enum ss_addrspace as,
			      uint64_t addr, void *buf, size_t len);

/* The first run of page frames the file holds at or after pfn:
 * [*start, *end).  False when there is none.  makedumpfile's dumps leave
 * frames out; where the format keeps no map, every frame below max_pfn
 * is said to be there (a read then tells). */
bool ss_dump_present_run(struct ss_dump *dump, uint64_t pfn, uint64_t *start,
			 uint64_t *end);

/* Whether the kernel virtual range [va, va + len) is in the file, told
 * from its page map without reading (or decompressing) a byte: 1 all of
 * it, 0 not all, -1 cannot tell (no map in the format, va unmapped). */
int ss_dump_holds(struct ss_dump *dump, uint64_t va, uint64_t len);

/* The physical address of the kernel virtual address va, by the
 * kernel's page tables (the reads' own translation).  False when va is
 * not mapped or the tables cannot be read. */
bool ss_dump_to_phys(struct ss_dump *dump, uint64_t va, uint64_t *pa);

/*
 * Value of a VMCOREINFO key (the text after '='), or NULL if absent.  The
 * string lives as long as dump.  E.g. "OSRELEASE", "PAGESIZE",
 * "SYMBOL(swapper_pg_dir)", "NUMBER(pgtable_l5_enabled)".
 */
const char *ss_dump_vmcoreinfo(const struct ss_dump *dump, const char *key);

/* Parse a VMCOREINFO value as a number in base (16 for SYMBOL/KERNELOFFSET,
 * 10 for NUMBER/SIZE/OFFSET).  SS_ERR_MISSING if absent, SS_ERR_FORMAT if
 * not a number. */
struct ss_error *ss_dump_vmcoreinfo_number(const struct ss_dump *dump,
					   const char *key, int base,
					   uint64_t *ret);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_DUMP_H */
