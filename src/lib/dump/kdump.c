/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dump access through libkdumpfile.  This is the only file that includes
 * <libkdumpfile/kdumpfile.h>: libkdumpfile statuses become ss_error values
 * here and nowhere else.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "dump_file.h"

#include <slabscope/dump.h>
#include <slabscope/version.h>

struct vmcoreinfo_line {
	char *key;
	char *value;
};

struct ss_dump {
	kdump_ctx_t *ctx;
	int fd;
	char *path;
	char *vmcoreinfo_raw; /* owned; keys/values point into it */
	struct vmcoreinfo_line *vmcoreinfo;
	size_t nvmcoreinfo;
	struct ss_dump_props props;
	struct ss_dump_file_facts facts;
	char *owned[3];       /* props strings copied out of ctx: see renew_ctx() */
	/* The page frames the file holds (file.pagemap), fetched on first
	 * use; a reference of our own, so it outlives a renewed ctx. */
	kdump_bmp_t *pagemap;
	bool pagemap_tried;
	/* A read failed on a page makedumpfile left out: ask the page map
	 * before reading (ss_dump_read()). */
	bool excluded_seen;
	bool ctx_broken;      /* renew_ctx() failed: read no more */
	/* A fork (ss_dump_fork()): vmcoreinfo and the props' strings are
	 * the original's, which outlives it. */
	bool borrowed;
};

/*
 * The page cache size each context gets (cache.size), and the attributes
 * (no KDUMP_ATTR_* macros for them in 0.5.1).  libkdumpfile 0.5.1 looks a
 * page up by walking its cache's lists entry by entry, on every read: with
 * its default of 1024 pages that walk was 30% of the CPU time of a 4 GiB
 * dump's "caches" (perf: the loop in cache_get_entry_noref), more than
 * zlib's adler32.  slabscope reads each slab once, in physical order, and
 * keeps what it needs itself, so a small cache loses little: with 32
 * pages "caches" takes 0.9 s less CPU on busy-4g (2.04 -> 1.1-1.2 s), and
 * tasks and leaks, which read at random, are faster too (README, "Speed").
 */
#define KDUMP_CACHE_PAGES 32
#define KDUMP_ATTR_CACHE_SIZE "cache.size"
#define KDUMP_ATTR_CACHE_MISSES "cache.misses"

/* ---- errors ---- */

static struct ss_error *kdump_error(struct ss_dump *dump, kdump_status st,
				    enum ss_errcode code, const char *what)
{
	const char *detail = dump->ctx ? kdump_get_err(dump->ctx) : NULL;
	return ss_error_create(code, "%s: %s: %s", dump->path, what,
			       detail ? detail : kdump_strerror(st));
}

/* ---- VMCOREINFO ---- */

static struct ss_error *parse_vmcoreinfo(struct ss_dump *dump)
{
	char *raw = NULL;
	if (kdump_vmcoreinfo_raw(dump->ctx, &raw) != KDUMP_OK || !raw) {
		kdump_clear_err(dump->ctx);
		return NULL; /* absent: checked by the caller via props */
	}
	dump->vmcoreinfo_raw = raw;
	size_t cap = 0;
	for (char *p = raw; *p; p++)
		cap += (*p == '\n');
	cap++;
	dump->vmcoreinfo = calloc(cap, sizeof(*dump->vmcoreinfo));
	if (!dump->vmcoreinfo)
		return &ss_error_nomem;
	char *save = NULL;
	for (char *line = strtok_r(raw, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		if (!eq || dump->nvmcoreinfo >= cap)
			continue;
		*eq = '\0';
		dump->vmcoreinfo[dump->nvmcoreinfo].key = line;
		dump->vmcoreinfo[dump->nvmcoreinfo].value = eq + 1;
		dump->nvmcoreinfo++;
	}
	dump->props.has_vmcoreinfo = dump->nvmcoreinfo > 0;
	return NULL;
}

const char *ss_dump_vmcoreinfo(const struct ss_dump *dump, const char *key)
{
	for (size_t i = 0; i < dump->nvmcoreinfo; i++) {
		if (strcmp(dump->vmcoreinfo[i].key, key) == 0)
			return dump->vmcoreinfo[i].value;
	}
	return NULL;
}

struct ss_error *ss_dump_vmcoreinfo_number(const struct ss_dump *dump,
					   const char *key, int base,
					   uint64_t *ret)
{
	const char *val = ss_dump_vmcoreinfo(dump, key);
	if (!val)
		return ss_error_create(SS_ERR_MISSING,
				       "%s: VMCOREINFO has no %s", dump->path,
				       key);
	char *end;
	errno = 0;
	unsigned long long n = strtoull(val, &end, base);
	if (errno || end == val || (*end && *end != '\n'))
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: VMCOREINFO %s=%s is not a number",
				       dump->path, key, val);
	*ret = n;
	return NULL;
}

/* ---- opening ---- */

static void fill_props(struct ss_dump *dump)
{
	struct ss_dump_props *p = &dump->props;
	const char *s;
	kdump_num_t num;
	kdump_addr_t addr;

	p->path = dump->path;
	p->dump_level = -1;
	s = NULL;
	if (kdump_get_string_attr(dump->ctx, KDUMP_ATTR_FILE_FORMAT, &s) ==
		    KDUMP_OK && s && strcmp(s, "diskdump") == 0) {
		p->format = "kdump-compressed";
		p->compression = dump->facts.compression;
		p->dump_level = dump->facts.dump_level;
		p->file_block_size = dump->facts.block_size;
		/* Bit 0 (zero pages) alone loses nothing (QEMU writes level 1
		 * and stores every page); more means pages were dropped. */
		p->filtered = p->dump_level > 1;
	} else if (s && strcmp(s, "elf") == 0) {
		p->format = "elf";
		p->compression = "none";
	} else {
		p->format = s ? s : "unknown";
		p->compression = "unknown";
	}
	kdump_clear_err(dump->ctx);

	if (kdump_get_string_attr(dump->ctx, KDUMP_ATTR_ARCH_NAME, &s) ==
	    KDUMP_OK)
		p->arch = s;
	kdump_clear_err(dump->ctx);
	if (kdump_get_number_attr(dump->ctx, KDUMP_ATTR_PAGE_SIZE, &num) ==
	    KDUMP_OK)
		p->page_size = num;
	kdump_clear_err(dump->ctx);
	if (kdump_get_number_attr(dump->ctx, KDUMP_ATTR_NUM_CPUS, &num) ==
	    KDUMP_OK)
		p->dump_cpus = (unsigned int)num;
	kdump_clear_err(dump->ctx);
	/* kdump: the header's max_mapnr; ELF: the end of the last PT_LOAD. */
	if (kdump_get_number_attr(dump->ctx, "max_pfn", &num) == KDUMP_OK)
		p->max_pfn = num;
	kdump_clear_err(dump->ctx);

	/* VMCOREINFO is the authority on the kernel; libkdumpfile's parsed
	 * copies are used only where VMCOREINFO lacks the key. */
	p->release = ss_dump_vmcoreinfo(dump, "OSRELEASE");
	if (!p->release &&
	    kdump_get_string_attr(dump->ctx, "linux.uts.release", &s) ==
		    KDUMP_OK)
		p->release = s;
	kdump_clear_err(dump->ctx);
	uint64_t v;
	struct ss_error *err =
		ss_dump_vmcoreinfo_number(dump, "KERNELOFFSET", 16, &v);
	if (!err)
		p->kaslr_offset = v;
	ss_error_destroy(err);
	if (!p->page_size) {
		err = ss_dump_vmcoreinfo_number(dump, "PAGESIZE", 10, &v);
		if (!err)
			p->page_size = v;
		ss_error_destroy(err);
	}
	if (p->arch && strcmp(p->arch, "x86_64") == 0) {
		err = ss_dump_vmcoreinfo_number(
			dump, "NUMBER(pgtable_l5_enabled)", 10, &v);
		p->paging_levels = (!err && v) ? 5 : 4;
		ss_error_destroy(err);
	}
	(void)addr;
}

/* A copy of a props string that libkdumpfile owns, so that the props
 * outlive the context (renew_ctx() replaces it). */
static const char *own(struct ss_dump *dump, unsigned slot, const char *s)
{
	if (!s)
		return NULL;
	free(dump->owned[slot]);
	dump->owned[slot] = strdup(s);
	return dump->owned[slot] ? dump->owned[slot] : "unknown";
}

static void own_props(struct ss_dump *dump)
{
	struct ss_dump_props *p = &dump->props;
	if (p->format && strcmp(p->format, "kdump-compressed") != 0 &&
	    strcmp(p->format, "elf") != 0 && strcmp(p->format, "unknown") != 0)
		p->format = own(dump, 0, p->format);
	p->arch = own(dump, 1, p->arch);
	if (p->release && p->release != ss_dump_vmcoreinfo(dump, "OSRELEASE"))
		p->release = own(dump, 2, p->release);
}

static bool attr_is_set(kdump_ctx_t *ctx, const char *key)
{
	const char *s = NULL;
	kdump_status st = kdump_get_string_attr(ctx, key, &s);
	kdump_clear_err(ctx);
	return st == KDUMP_OK && s && *s;
}

/*
 * QEMU's kdump-* writer fills only utsname.machine, so libkdumpfile cannot
 * tell the architecture; and libkdumpfile parses VMCOREINFO only once it is
 * told the OS type.  Fill both in before anything is read.
 */
static void complete_arch(struct ss_dump *dump)
{
	if (!attr_is_set(dump->ctx, KDUMP_ATTR_ARCH_NAME)) {
		const char *machine = NULL;
		if (kdump_get_string_attr(dump->ctx, "linux.uts.machine",
					  &machine) == KDUMP_OK &&
		    machine && *machine)
			kdump_set_string_attr(dump->ctx, KDUMP_ATTR_ARCH_NAME,
					      machine);
		kdump_clear_err(dump->ctx);
	}
	if (!attr_is_set(dump->ctx, KDUMP_ATTR_OSTYPE))
		kdump_set_string_attr(dump->ctx, KDUMP_ATTR_OSTYPE, "linux");
	kdump_clear_err(dump->ctx);
}

/* Last resort for the architecture: init_top_pgt exists only on x86_64. */
static void arch_from_vmcoreinfo(struct ss_dump *dump)
{
	if (!attr_is_set(dump->ctx, KDUMP_ATTR_ARCH_NAME) &&
	    ss_dump_vmcoreinfo(dump, "SYMBOL(init_top_pgt)"))
		kdump_set_string_attr(dump->ctx, KDUMP_ATTR_ARCH_NAME,
				      "x86_64");
	kdump_clear_err(dump->ctx);
}

/*
 * libkdumpfile 0.5.1's kdump_free() frees a kdump-compressed context's
 * attributes and then, in diskdump_attr_cleanup(), unlinks the page-size
 * override from the freed page_size attribute: a read and a write of
 * memory it has just freed (upstream issue #72, docs/libkdumpfile-bugs.md
 * 6).  The memory is still there unless free() gave the top of the heap
 * back to the kernel on the way; then the read faults.  That happened in
 * issue 20's flip sweep on the CI machine (4 of 200 lzo sets, SIGSEGV in
 * kdump_free() when a context was renewed after a damaged page, or at
 * close) and goes away with glibc.malloc.trim_threshold raised, so glibc
 * is told never to trim.  It is the process's malloc setting, set once,
 * idempotent, and costs nothing but heap pages kept for reuse; ASan's
 * allocator holds freed memory in quarantine anyway.
 */
#if KDUMPFILE_VERSION < KDUMPFILE_MKVER(0, 5, 2) && defined(__GLIBC__)
static void keep_heap_mapped(void)
{
	mallopt(M_TRIM_THRESHOLD, INT32_MAX);
	/* A set trim threshold also fixes glibc's mmap threshold at 128
	 * KiB (it would grow with the blocks freed): every buffer of
	 * 128 KiB-4 MiB then costs an mmap and a munmap, 3% of busy-4g's
	 * "caches".  4 MiB: 2-3% faster than the default, the same peak
	 * memory (119 MB). */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
}
#define KDUMP_FREE_NEEDS_MAPPED_HEAP 1
#endif

/* A context set up for slabscope's reads, before its file is opened (the
 * cache size must be set before libaddrxlat holds pages of the cache). */
static kdump_ctx_t *new_ctx(void)
{
#ifdef KDUMP_FREE_NEEDS_MAPPED_HEAP
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, keep_heap_mapped);
#endif
	kdump_ctx_t *ctx = kdump_new();
	if (!ctx)
		return NULL;
	/* Read with pread, not mmap: a file that shrinks or lies about its
	 * size must give an error, not SIGBUS. */
	kdump_set_number_attr(ctx, KDUMP_ATTR_FILE_MMAP_POLICY,
			      KDUMP_MMAP_NEVER);
	kdump_set_number_attr(ctx, KDUMP_ATTR_CACHE_SIZE, KDUMP_CACHE_PAGES);
	kdump_clear_err(ctx);
	return ctx;
}

struct ss_error *ss_dump_open(const char *path, struct ss_dump **ret)
{
	struct ss_error *err;
	struct ss_dump *dump = calloc(1, sizeof(*dump));
	if (!dump)
		return &ss_error_nomem;
	dump->fd = -1;
	dump->path = strdup(path);
	if (!dump->path) {
		err = &ss_error_nomem;
		goto fail;
	}
	dump->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (dump->fd < 0) {
		err = ss_error_errno(errno, SS_ERR_IO, "%s: cannot open", path);
		goto fail;
	}
	err = ss_dump_file_check(dump->fd, path, &dump->facts);
	if (err)
		goto fail;
	dump->ctx = new_ctx();
	if (!dump->ctx) {
		err = &ss_error_nomem;
		goto fail;
	}
	kdump_status st = kdump_open_fd(dump->ctx, dump->fd);
	if (st != KDUMP_OK) {
		err = kdump_error(dump, st, SS_ERR_FORMAT,
				  "not a kernel dump (slabscope reads ELF "
				  "vmcores and kdump-compressed files)");
		goto fail;
	}
	complete_arch(dump);
	err = parse_vmcoreinfo(dump);
	if (err)
		goto fail;
	if (!dump->props.has_vmcoreinfo) {
		err = ss_error_create(
			SS_ERR_FORMAT,
			"%s: the dump has no VMCOREINFO, so kernel addresses "
			"cannot be translated; take the dump with VMCOREINFO "
			"(kdump and makedumpfile write it; QEMU needs "
			"-device vmcoreinfo and the guest's qemu_fw_cfg module)",
			path);
		goto fail;
	}
	arch_from_vmcoreinfo(dump);
	/*
	 * Without an architecture libkdumpfile has no page size, and a
	 * virtual read then divides by it (SIGFPE in kdump_read(): an ELF
	 * core of e_machine 318 whose VMCOREINFO names no x86-64 symbol;
	 * found by tests/fuzz/fuzz_dump.c).
	 */
	kdump_num_t psize = 0;
	if (kdump_get_number_attr(dump->ctx, KDUMP_ATTR_PAGE_SIZE, &psize) !=
		    KDUMP_OK ||
	    psize == 0) {
		kdump_clear_err(dump->ctx);
		err = ss_error_create(SS_ERR_FORMAT,
				      "%s: the dump's architecture is unknown "
				      "(no page size); slabscope reads x86-64 "
				      "dumps",
				      path);
		goto fail;
	}
	fill_props(dump);
	own_props(dump);
	*ret = dump;
	return NULL;

fail:
	ss_dump_close(dump);
	return err;
}

void ss_dump_close(struct ss_dump *dump)
{
	if (!dump)
		return;
	if (dump->pagemap)
		kdump_bmp_decref(dump->pagemap);
	if (dump->ctx)
		kdump_free(dump->ctx);
	if (dump->fd >= 0)
		close(dump->fd);
	if (!dump->borrowed) {
		free(dump->vmcoreinfo);
		free(dump->vmcoreinfo_raw);
	}
	for (size_t i = 0; i < sizeof(dump->owned) / sizeof(dump->owned[0]); i++)
		free(dump->owned[i]);
	free(dump->path);
	free(dump);
}

const struct ss_dump_props *ss_dump_props(const struct ss_dump *dump)
{
	return &dump->props;
}

/* dump->ctx: a new libkdumpfile context on dump->fd, set up as
 * ss_dump_open() set up the first one; false if that fails. */
static bool open_ctx(struct ss_dump *dump)
{
	dump->ctx = new_ctx();
	if (!dump->ctx)
		return false;
	if (kdump_open_fd(dump->ctx, dump->fd) != KDUMP_OK) {
		kdump_free(dump->ctx);
		dump->ctx = NULL;
		return false;
	}
	complete_arch(dump);
	arch_from_vmcoreinfo(dump);
	return true;
}

/*
 * A second reader of the dump for another thread: its own libkdumpfile
 * context (a context must not be used by two threads at once; clones would
 * share one page cache behind one lock, and 0.5.1's cache is the part that
 * breaks after a failed read) on its own descriptor.  Reads only: the
 * original keeps the properties and VMCOREINFO, and must outlive it.
 */
struct ss_error *ss_dump_fork(const struct ss_dump *orig, struct ss_dump **ret)
{
	struct ss_dump *dump = calloc(1, sizeof(*dump));
	if (!dump)
		return &ss_error_nomem;
	dump->borrowed = true;
	dump->vmcoreinfo = orig->vmcoreinfo;
	dump->nvmcoreinfo = orig->nvmcoreinfo;
	dump->props = orig->props;
	dump->facts = orig->facts;
	dump->fd = -1;
	struct ss_error *err = &ss_error_nomem;
	dump->path = strdup(orig->path);
	if (!dump->path)
		goto fail;
	dump->fd = fcntl(orig->fd, F_DUPFD_CLOEXEC, 0);
	if (dump->fd < 0) {
		err = ss_error_errno(errno, SS_ERR_IO, "%s: cannot open again",
				     orig->path);
		goto fail;
	}
	/* The context is opened by the first read, in the thread that
	 * reads: see ctx_ready(). */
	*ret = dump;
	return NULL;
fail:
	ss_dump_close(dump);
	return err;
}

/*
 * Whether dump->ctx can be used; a fork's is opened here, on first use.
 *
 * A fork's context is made, renewed and used by its reader thread only,
 * so that its memory lives in that thread's malloc arena: kdump_free()
 * reads the page_size attribute after freeing it (docs/libkdumpfile-bugs.md
 * 6), and a context made by the main thread but renewed by a reader put
 * that block back in the main thread's arena, where the main thread's
 * next malloc could take it and overwrite it before kdump_free() read it
 * (a rare SIGSEGV in the flip sweep: 1 run in 800 on the CI machine, none
 * when reproduced alone).
 */
static bool ctx_ready(struct ss_dump *dump)
{
	if (dump->ctx_broken)
		return false;
	if (dump->ctx)
		return true;
	if (open_ctx(dump))
		return true;
	dump->ctx_broken = true;
	return false;
}

/*
 * Open the dump again in a new libkdumpfile context, as ss_dump_open()
 * set the first one up; false if that fails.
 */
static bool renew_ctx(struct ss_dump *dump)
{
	kdump_ctx_t *old = dump->ctx;
	if (!open_ctx(dump))
		goto fail;
	/* The page map belongs to the old context (its release takes the
	 * context's lock): let it go first, and fetch the new one's on
	 * need (a deadlock at close on sid-corrupt's lossy file). */
	if (dump->pagemap) {
		kdump_bmp_decref(dump->pagemap);
		dump->pagemap = NULL;
	}
	dump->pagemap_tried = false;
	kdump_free(old);
	return true;
fail:
	dump->ctx = old;
	return false;
}

/*
 * After a failed read, make sure libkdumpfile's page cache is sound.
 *
 * libkdumpfile 0.5.1 corrupts its page cache when a page read fails (an
 * excluded page, a PFN past the end, a page that does not decompress):
 * cache_get_page() returns the in-flight entry with cache_discard(), which
 * leaves the cache one entry short of full while it holds ghost entries
 * (keys of evicted pages, without data).  If the next page missed is one
 * of the probe ghosts, reuse_ghost_entry() -> reinit_entry() takes the
 * "unused partition" branch and walks one entry too few (ngprobe was
 * already decremented), so the page gets a ghost's data pointer: NULL.
 * libkdumpfile then reads the page into NULL: memcpy() to address 0
 * (SIGSEGV) for a page stored uncompressed, "Decompresion failed: error
 * -2" (Z_STREAM_ERROR) for a zlib page.  Ghosts exist only once a page
 * was evicted, that is after KDUMP_CACHE_PAGES misses (the cache size), so
 * complete dumps read the usual way never meet it; a lossy makedumpfile dump
 * does (sid-planted: "caches" died on its 253rd failed read).  The reproduction
 * is in tests/memcheck/README.md.
 *
 * The cache cannot be replaced alone: a new cache.size allocates a new
 * one, but libaddrxlat keeps page-table pages of the old one (a
 * use-after-free under valgrind).  So the whole context is replaced, which
 * costs an open (0.6 ms on a 20 MB file), and only when the cache may hold
 * ghosts: at most once per KDUMP_CACHE_PAGES misses.  Dumps whose reads do not
 * fail never get here.
 */
static void after_failed_read(struct ss_dump *dump, kdump_status st)
{
	/* A page that did not decompress: issue 20 saw libkdumpfile write
	 * through a NULL page buffer after four of them, before the cache
	 * could hold a ghost; a new context costs one open, and damaged
	 * pages are few. */
	bool renew = st == KDUMP_ERR_CORRUPT;
	kdump_num_t misses = KDUMP_CACHE_PAGES;
	if (!renew && kdump_get_number_attr(dump->ctx, KDUMP_ATTR_CACHE_MISSES,
					    &misses) != KDUMP_OK)
		misses = KDUMP_CACHE_PAGES; /* unknown: assume the worst */
	kdump_clear_err(dump->ctx);
	if (!renew && misses < KDUMP_CACHE_PAGES)
		return;
	if (!renew_ctx(dump))
		dump->ctx_broken = true;
}

static void fetch_pagemap(struct ss_dump *dump)
{
	dump->pagemap_tried = true;
	if (!ctx_ready(dump))
		return;
	kdump_attr_t a;
	if (kdump_get_attr(dump->ctx, KDUMP_ATTR_FILE_PAGEMAP, &a) ==
		    KDUMP_OK &&
	    a.type == KDUMP_BITMAP && a.val.bitmap) {
		dump->pagemap = a.val.bitmap;
		kdump_bmp_incref(dump->pagemap);
	}
	kdump_clear_err(dump->ctx);
}

bool ss_dump_present_run(struct ss_dump *dump, uint64_t pfn, uint64_t *start,
			 uint64_t *end)
{
	if (!dump->pagemap_tried)
		fetch_pagemap(dump);
	uint64_t limit = dump->props.max_pfn;
	if (!dump->pagemap) {
		/* No map (a format without one): every frame the file
		 * covers, and reads say which are missing. */
		if (pfn >= limit)
			return false;
		*start = pfn;
		*end = limit;
		return true;
	}
	kdump_addr_t s = pfn, e;
	if (kdump_bmp_find_set(dump->pagemap, &s) != KDUMP_OK)
		return false; /* no set bit left */
	e = s;
	if (kdump_bmp_find_clear(dump->pagemap, &e) != KDUMP_OK)
		e = limit > s ? limit : s + 1;
	*start = s;
	*end = e;
	return e > s;
}

/* Whether the page at addr (page-aligned) is in the file, by the page map:
 * 1 yes, 0 no, -1 cannot tell (no map, addr not mapped). */
static int page_in_file(struct ss_dump *dump, enum ss_addrspace as,
			uint64_t addr)
{
	if (!dump->pagemap_tried)
		fetch_pagemap(dump);
	uint64_t ps = dump->props.page_size, pa = addr;
	unsigned char bit = 0;
	if (!dump->pagemap || !ps ||
	    (as == SS_KVADDR && !ss_dump_to_phys(dump, addr, &pa)) ||
	    kdump_bmp_get_bits(dump->pagemap, pa / ps, pa / ps, &bit) !=
		    KDUMP_OK)
		return -1;
	return bit & 1;
}

/* The first page of [addr, addr + len) whose page descriptor is damaged
 * (dump_file.h), in *bad; false if none (or a page does not translate:
 * libkdumpfile says what then). */
static bool damaged_page(struct ss_dump *dump, enum ss_addrspace as,
			 uint64_t addr, uint64_t len, uint64_t *bad)
{
	uint64_t ps = dump->props.page_size;
	if (!dump->facts.ndamaged || !ps || !len || addr + (len - 1) < addr)
		return false;
	uint64_t last = (addr + (len - 1)) & ~(ps - 1);
	for (uint64_t p = addr & ~(ps - 1);; p += ps) {
		uint64_t pa = p;
		if ((as == SS_KPHYSADDR || ss_dump_to_phys(dump, p, &pa)) &&
		    ss_dump_file_damaged(&dump->facts, pa / ps)) {
			*bad = p > addr ? p : addr;
			return true;
		}
		if (p == last)
			return false;
	}
}

/* Whether the page map holds every page of [addr, addr + len): 1 yes;
 * 0 no, *bad the first missing byte in the range; -1 cannot tell (no map,
 * a page not mapped).  Page by page: a virtual range need not be
 * physically contiguous (a vmalloc'd one is not). */
static int pages_in_file(struct ss_dump *dump, enum ss_addrspace as,
			 uint64_t addr, uint64_t len, uint64_t *bad)
{
	uint64_t ps = dump->props.page_size;
	if (!ps || !len || addr + (len - 1) < addr)
		return -1;
	uint64_t last = (addr + (len - 1)) & ~(ps - 1);
	for (uint64_t p = addr & ~(ps - 1);; p += ps) {
		int in = page_in_file(dump, as, p);
		/* A damaged page is held, but not readable. */
		uint64_t pbad;
		if (in == 1 && damaged_page(dump, as, p, 1, &pbad))
			in = 0;
		if (in == 0)
			*bad = p > addr ? p : addr;
		if (in <= 0)
			return in;
		if (p == last)
			return 1;
	}
}

int ss_dump_holds(struct ss_dump *dump, uint64_t va, uint64_t len)
{
	uint64_t bad;
	return pages_in_file(dump, SS_KVADDR, va, len, &bad);
}

static struct ss_error *excluded_error(enum ss_addrspace as, uint64_t bad)
{
	return ss_error_create(SS_ERR_EXCLUDED,
			       "%s 0x%" PRIx64
			       ": page excluded by makedumpfile",
			       as == SS_KPHYSADDR ? "physical" : "address",
			       bad);
}

struct ss_error *ss_dump_read(struct ss_dump *dump, enum ss_addrspace as,
			      uint64_t addr, void *buf, size_t len)
{
	if (!ctx_ready(dump))
		return ss_error_set_address(
			ss_error_create(SS_ERR_IO,
					"%s: address 0x%" PRIx64 " not read: "
					"the dump could not be opened again",
					dump->path, addr),
			addr);
	/*
	 * The kernel's own addresses have the top bit set on every
	 * architecture slabscope reads (x86-64, arm64).  Below that, a QEMU
	 * ELF dump's PT_LOADs with VirtAddr 0 would let libkdumpfile resolve
	 * a NULL or small pointer to physical memory (a NULL kmem_cache.name
	 * read as BIOS bytes): such a pointer is unreadable, as it is in
	 * the kernel.
	 */
	if (as == SS_KVADDR && !(addr >> 63))
		return ss_error_set_address(
			ss_error_create(SS_ERR_FAULT,
					"address 0x%" PRIx64
					" is not a kernel address",
					addr),
			addr);
	uint64_t bad;
	if (damaged_page(dump, as, addr, len, &bad))
		return ss_error_set_address(
			ss_error_create(SS_ERR_FAULT,
					"%s 0x%" PRIx64 " is corrupt in the "
					"dump file (its page descriptor is "
					"damaged)",
					as == SS_KPHYSADDR ? "physical"
							   : "address",
					bad),
			bad);
	/* Once a page was found excluded, ask the page map first: a read
	 * that fails inside libkdumpfile costs a new context (see
	 * after_failed_read()), one that is not made costs nothing, and a
	 * lossy dump fails thousands. */
	if (dump->excluded_seen &&
	    pages_in_file(dump, as, addr, len, &bad) == 0)
		return ss_error_set_address(excluded_error(as, bad), bad);
	size_t got = len;
	kdump_addrspace_t kas =
		as == SS_KPHYSADDR ? KDUMP_KPHYSADDR : KDUMP_KVADDR;
	kdump_status st = kdump_read(dump->ctx, kas, addr, buf, &got);
	if (st == KDUMP_OK)
		return NULL;
	struct ss_error *err;
	bad = addr + got;
	if (st == KDUMP_ERR_NODATA && dump->props.filtered) {
		err = excluded_error(as, bad);
		dump->excluded_seen = true;
	} else
		/* A page whose compressed data does not decompress is in
		 * the dump but damaged: say which, the fix differs. */
		err = ss_error_create(
			SS_ERR_FAULT, "%s 0x%" PRIx64 " %s (%s)",
			as == SS_KPHYSADDR ? "physical" : "address", bad,
			st == KDUMP_ERR_CORRUPT ? "is corrupt in the dump file"
			: st == KDUMP_ERR_ADDRXLAT ? "is not mapped"
						   : "is not in the dump",
			kdump_get_err(dump->ctx));
	kdump_clear_err(dump->ctx);
	/* Any failure may have come from a page read (a page table's, for
	 * a translation error): the cache is not to be trusted after it. */
	after_failed_read(dump, st);
	return ss_error_set_address(err, bad);
}

bool ss_dump_to_phys(struct ss_dump *dump, uint64_t va, uint64_t *pa)
{
	if (!ctx_ready(dump))
		return false;
	addrxlat_ctx_t *axctx = NULL;
	addrxlat_sys_t *axsys = NULL;
	if (kdump_get_addrxlat(dump->ctx, &axctx, &axsys) != KDUMP_OK) {
		kdump_clear_err(dump->ctx);
		return false;
	}
	addrxlat_fulladdr_t fa = { .addr = va, .as = ADDRXLAT_KVADDR };
	addrxlat_status st =
		addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, axctx, axsys);
	if (st != ADDRXLAT_OK)
		addrxlat_ctx_clear_err(axctx);
	addrxlat_ctx_decref(axctx);
	addrxlat_sys_decref(axsys);
	if (st != ADDRXLAT_OK)
		return false;
	*pa = fa.addr;
	return true;
}

struct ss_library_version ss_dump_library_version(void)
{
	/* libkdumpfile has no run-time version query (0.5.1). */
	return (struct ss_library_version){ "libkdumpfile",
					    KDUMPFILE_VERSION_STRING, true };
}
