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
#include <slabscope/debuginfo.h>
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
	/* Modules' debug files (.ko) to use first, in order (copied); the
	 * *.ko beside the dump and the system's are looked for after them
	 * (slabscope/debuginfo.h), when a module address needs one. */
	const char *const *modules;
	size_t nmodules;
	/* Progress of debuginfod downloads (vmlinux, modules); NULL: none. */
	ss_fetch_progress_fn progress;
	void *progress_arg;
};

struct ss_error *ss_kernel_open(const char *dump_path,
				const struct ss_kernel_options *opts,
				struct ss_kernel **ret);
/*
 * A kernel whose memory a host reads (a debugger's session: struct
 * ss_host, <slabscope/slabscope.h>): no dump; its release from VMCOREINFO
 * or linux_banner, its KASLR offset from the host or from where it has
 * _stext, and the same vmlinux search and banner check as for a dump.
 */
struct ss_host;
struct ss_error *ss_kernel_open_host(const struct ss_host *host,
				     const struct ss_kernel_options *opts,
				     struct ss_kernel **ret);

/* NULL is fine. */
void ss_kernel_close(struct ss_kernel *k);

/* What the dump tells (for a host: what is known of it, format "host"). */
const struct ss_dump_props *ss_kernel_props(const struct ss_kernel *k);
/* A VMCOREINFO value, NULL if absent (or no VMCOREINFO). */
const char *ss_kernel_vmcoreinfo(const struct ss_kernel *k, const char *key);

/* NULL for a host. */
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

/* What a vmlinux is looked for by: the dump's release and build-id. */
struct ss_vmlinux_query {
	const char *release; /* NULL: unknown */
	const uint8_t *build_id; /* build_id_len 0: unknown */
	size_t build_id_len;
	ss_fetch_progress_fn progress; /* debuginfod downloads; may be NULL */
	void *progress_arg;
};

/*
 * The vmlinux of a kernel, in search order: SYSROOT/usr/lib/debug/
 * .build-id/xx/rest.debug (by build-id), SYSROOT/usr/lib/debug/boot/
 * vmlinux-REL, SYSROOT/usr/lib/debug/lib/modules/REL/vmlinux,
 * SYSROOT/boot/vmlinux-REL, the fixture cache ($SLABSCOPE_CACHE or
 * ~/.cache/slabscope)/kernels/REL/vmlinux, then debuginfod by build-id
 * (when DEBUGINFOD_URLS is set).  SYSROOT is $SLABSCOPE_SYSROOT, or
 * nothing.  Returns the first that exists (malloc'd) or SS_ERR_NOTFOUND
 * with a message listing where it looked.
 */
struct ss_error *ss_vmlinux_find(const struct ss_vmlinux_query *q,
				 char **path_ret);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_KERNEL_H */
