/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A kernel under analysis: a dump plus the vmlinux that belongs to it.
 *
 * ss_kernel_open() finds the vmlinux when none is given, checks that it is
 * the dump's (linux_banner in the file equals linux_banner in memory),
 * registers the compile units where slab types live, and applies the KASLR
 * offset, so that everything above this layer works with runtime addresses.
 */
#ifndef SLABSCOPE_KERNEL_H
#define SLABSCOPE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/dbg.h>
#include <slabscope/dump.h>
#include <slabscope/error.h>
#include <slabscope/memory.h>
#include <slabscope/target.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ss_kernel;

struct ss_kernel_options {
	/* vmlinux to use; NULL: search as ss_vmlinux_find() does. */
	const char *vmlinux;
	/* Skip the linux_banner comparison (for tests of a known pair). */
	bool no_banner_check;
};

struct ss_error *ss_kernel_open(const char *dump_path,
				const struct ss_kernel_options *opts,
				struct ss_kernel **ret);
/* NULL is fine. */
void ss_kernel_close(struct ss_kernel *k);

struct ss_dump *ss_kernel_dump(const struct ss_kernel *k);
struct ss_dbg *ss_kernel_dbg(const struct ss_kernel *k);
const char *ss_kernel_vmlinux_path(const struct ss_kernel *k);
uint64_t ss_kernel_kaslr_offset(const struct ss_kernel *k);

/* Runtime address of a symbol (link address + KASLR offset). */
struct ss_error *ss_kernel_symbol(struct ss_kernel *k, const char *name,
				  uint64_t *addr_ret);

/* Read kernel virtual memory. */
struct ss_error *ss_kernel_read(struct ss_kernel *k, uint64_t addr, void *buf,
				size_t len);
struct ss_error *ss_kernel_read_u64(struct ss_kernel *k, uint64_t addr,
				    uint64_t *ret);
struct ss_error *ss_kernel_read_u32(struct ss_kernel *k, uint64_t addr,
				    uint32_t *ret);
/* Read a NUL-terminated string of at most maxlen bytes (not counting the
 * NUL); a longer one is cut.  *ret is malloc'd. */
struct ss_error *ss_kernel_read_string(struct ss_kernel *k, uint64_t addr,
				       size_t maxlen, char **ret);
/* Read the value of a symbol's variable (runtime address), size bytes. */
struct ss_error *ss_kernel_read_symbol(struct ss_kernel *k, const char *name,
				       void *buf, size_t size);

/* The kernel's virtual memory as a reader for walkers and checks. */
const struct ss_memory *ss_kernel_memory(const struct ss_kernel *k);

/* The kernel as a target for the allocator models. */
const struct ss_target *ss_kernel_target(const struct ss_kernel *k);

/*
 * Candidate vmlinux paths for a kernel release, in search order:
 * /usr/lib/debug/boot/vmlinux-REL, /usr/lib/debug/lib/modules/REL/vmlinux,
 * /boot/vmlinux-REL, then the fixture cache
 * ($SLABSCOPE_CACHE or ~/.cache/slabscope)/kernels/REL/vmlinux.
 * Returns the first that exists (malloc'd) or SS_ERR_NOTFOUND with a
 * message listing where it looked.
 */
struct ss_error *ss_vmlinux_find(const char *release, char **path_ret);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_KERNEL_H */
