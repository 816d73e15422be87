/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libslabscope: slabscope's analysis as a library (pkg-config slabscope).
 *
 * This header, <slabscope/error.h> and <slabscope/finding.h> are the
 * public interface, the only headers `make install` puts in
 * /usr/include/slabscope; their symbols carry the version SLABSCOPE_1 and
 * keep their ABI for the life of SONAME libslabscope.so.1.  The library
 * exports more (the CLI and the tests link its internals, under the
 * version SLABSCOPE_PRIVATE, as elfutils' tools do ELFUTILS_PRIVATE): no
 * header is installed for those and they change with every release.
 *
 * An analysis is one kernel: a dump file (ss_analysis_open) or memory a
 * debugger already has open (ss_analysis_open_host: crash's readmem, a
 * drgn Program), with the vmlinux that belongs to it.  Each query returns
 * a result that prints exactly as the slabscope command of the same name
 * prints (text or its --json document) and holds its findings as data.
 *
 * Errors are values: every fallible function returns NULL or a struct
 * ss_error (code, message) the caller releases with ss_error_destroy().
 * Nothing here prints, exits or keeps global state; one analysis is used
 * by one thread at a time, separate analyses by any number.
 */
#ifndef SLABSCOPE_SLABSCOPE_H
#define SLABSCOPE_SLABSCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <slabscope/error.h>
#include <slabscope/finding.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version: PACKAGE_VERSION, "0.1". */
const char *ss_version(void);

struct ss_analysis;

/*
 * Open the dump file at dump with vmlinux (NULL: looked for as `slabscope`
 * looks for it: by build-id and release under /usr/lib/debug, /boot, the
 * fixture cache, debuginfod) and load its slab model.
 */
struct ss_error *ss_analysis_open(const char *dump, const char *vmlinux,
				  struct ss_analysis **ret);

/*
 * Memory the caller reads for the library: a debugger's session.  Set size
 * to sizeof(struct ss_host) (members may be added at the end; the library
 * reads only those the caller's size covers) and leave optional members
 * NULL or 0.
 */
struct ss_host {
	size_t size;
	/* For messages and the JSON "source": "crash", "drgn". */
	const char *name;
	void *arg; /* passed to every callback */
	/* Required: read exactly len bytes of kernel virtual memory at addr.
	 * Return NULL, or an error: SS_ERR_FAULT for memory that is not
	 * there (ss_error_create()), SS_ERR_EXCLUDED for a page the dump
	 * left out.  A debugger's own error must not escape (no longjmp, no
	 * exception): slabscope reads garbage pointers on purpose. */
	struct ss_error *(*read)(void *arg, uint64_t addr, void *buf,
				 size_t len);
	/* Optional: the runtime address of a kernel symbol, or
	 * SS_ERR_NOTFOUND.  Tells the KASLR offset when kaslr_known is
	 * false. */
	struct ss_error *(*symbol)(void *arg, const char *name,
				   uint64_t *addr_ret);
	/* Optional: a VMCOREINFO value by key ("OSRELEASE", "BUILD-ID"),
	 * NULL if absent; the string stays valid while the analysis is open.
	 */
	const char *(*vmcoreinfo)(void *arg, const char *key);
	/* Optional: the physical address of kernel virtual address va; false
	 * when it is not mapped (the reference scan of leaks names dead
	 * stacks by it). */
	bool (*to_phys)(void *arg, uint64_t va, uint64_t *pa);
	/* 0: 4096. */
	uint64_t page_size;
	/* Runtime minus link-time address of the kernel image.  When
	 * kaslr_known is false, it is learnt from symbol("_stext") (or from
	 * VMCOREINFO's KERNELOFFSET), else taken as 0. */
	bool kaslr_known;
	uint64_t kaslr_offset;
	/* Optional: where modules' debug files are, so that tracks name
	 * module code as the CLI does (it looks beside the dump): these
	 * files (.ko) first, then every *.ko in module_dir (the dump's
	 * directory), then the system's for the release. */
	const char *const *modules;
	size_t nmodules;
	const char *module_dir;
};

/*
 * Analyse the memory host reads, with vmlinux (NULL: looked for by the
 * release and build-id that VMCOREINFO or linux_banner tell).  The vmlinux
 * must be the running kernel's: linux_banner is compared as for a dump.
 */
struct ss_error *ss_analysis_open_host(const struct ss_host *host,
				       const char *vmlinux,
				       struct ss_analysis **ret);

/* NULL is fine. */
void ss_analysis_close(struct ss_analysis *a);

/* The vmlinux in use; "SLUB" or "SLAB"; the number of slab caches. */
const char *ss_analysis_vmlinux(const struct ss_analysis *a);
const char *ss_analysis_allocator(const struct ss_analysis *a);
size_t ss_analysis_ncaches(const struct ss_analysis *a);

/*
 * A query's result: what `slabscope COMMAND` prints (text, and the --json
 * document with "kind", "version" and "source"), its exit status, and the
 * findings.
 */
struct ss_result;

/* slabscope caches: every cache, the allocator's counters, problems. */
struct ss_error *ss_query_caches(struct ss_analysis *a,
				 struct ss_result **ret);
/* slabscope check [--cache NAME]...: caches NULL/0 checks every cache. */
struct ss_error *ss_query_check(struct ss_analysis *a,
				const char *const *caches, size_t ncaches,
				struct ss_result **ret);
/* slabscope whatis ADDR...: what each address is. */
struct ss_error *ss_query_whatis(struct ss_analysis *a, const uint64_t *addrs,
				 size_t naddrs, struct ss_result **ret);
/* slabscope slabs CACHE, slabscope objects CACHE, slabscope leaks CACHE:
 * cache is a name or a glob that matches one cache (SS_ERR_NOTFOUND, or
 * SS_ERR_INVALID naming the candidates, otherwise). */
struct ss_error *ss_query_slabs(struct ss_analysis *a, const char *cache,
				struct ss_result **ret);
struct ss_error *ss_query_objects(struct ss_analysis *a, const char *cache,
				  struct ss_result **ret);
struct ss_error *ss_query_leaks(struct ss_analysis *a, const char *cache,
				struct ss_result **ret);

/* NULL is fine. */
void ss_result_destroy(struct ss_result *r);

/* The command's exit status: 0 nothing found, 1 findings. */
int ss_result_status(const struct ss_result *r);
/* The text the command prints; valid while r is. */
const char *ss_result_text(const struct ss_result *r);
/* Write that text to out. */
struct ss_error *ss_result_print(const struct ss_result *r, FILE *out);
/* The command's --json document, indented as it prints it; valid while r
 * is. */
const char *ss_result_json(const struct ss_result *r);

/* A finding of check (and of the model's walk, which every query makes):
 * valid while the result is.  Members may be added at the end. */
struct ss_finding_info {
	const char *kind;     /* stable id: "freeptr-invalid", ... */
	const char *severity; /* "error", "warning" */
	const char *cache;    /* NULL when none */
	uint64_t slab;        /* 0 when none */
	uint64_t object;      /* the allocator's address, 0 when none */
	uint64_t address;     /* the first bad byte or the bad pointer */
	bool has_value;       /* a pointer finding's bad value */
	uint64_t value;
	const char *message;
	/* Where the damage probably came from. */
	bool has_culprit;
	uint64_t culprit;
	const char *culprit_relation; /* "previous-object-overflow", ... */
};

size_t ss_result_nfindings(const struct ss_result *r);
/* NULL past the last. */
const struct ss_finding_info *ss_result_finding(const struct ss_result *r,
						size_t i);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_SLABSCOPE_H */
