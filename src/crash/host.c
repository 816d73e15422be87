/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The struct ss_host of a crash session (host.h). */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/slabscope.h>

#include "host.h"

/* After slabscope's headers: defs.h defines many short macros. */
#include <crash/defs.h>

/* Quietly, and without crash's longjmp: slabscope reads garbage pointers
 * on purpose (a corrupt free pointer is what it is looking for). */
static bool read_quiet(uint64_t addr, void *buf, size_t len)
{
	return readmem(addr, KVADDR, buf, (long)len, "slabscope",
		       RETURN_ON_ERROR | QUIET);
}

/* readmem() says only that a read failed: the first page that fails is
 * the address the error names, as the library's dump reader names the
 * first byte it could not read. */
static uint64_t first_bad(uint64_t addr, void *buf, size_t len,
			  uint64_t page_size)
{
	char *p = buf;
	while (len) {
		size_t n = page_size - (addr & (page_size - 1));
		if (n > len)
			n = len;
		if (!read_quiet(addr, p, n))
			return addr;
		addr += n;
		p += n;
		len -= n;
	}
	return addr; /* read this time: name the start of the last piece */
}

static struct ss_error *host_read(void *arg, uint64_t addr, void *buf,
				  size_t len)
{
	struct ss_crash_host *h = arg;
	if (*h->interrupted)
		return ss_error_set_address(ss_error_create(SS_ERR_IO,
							    "address 0x%" PRIx64
							    " not read: "
							    "interrupted",
							    addr),
					    addr);
	if (len == 0) /* readmem() takes no empty read */
		return NULL;
	if (len > LONG_MAX)
		return ss_error_create(SS_ERR_INVALID,
				       "read of %zu bytes at 0x%" PRIx64, len,
				       addr);
	if (read_quiet(addr, buf, len))
		return NULL;
	uint64_t bad = addr;
	if (len > 1 &&
	    (addr & (h->host.page_size - 1)) + len > h->host.page_size)
		bad = first_bad(addr, buf, len, h->host.page_size);
	physaddr_t pa;
	/* kvtop() walks the page tables with crash's own reads, as readmem()
	 * just did: it cannot fail where readmem()'s translation did not. */
	bool maps = kvtop(CURRENT_CONTEXT(), bad, &pa, 0);
	struct ss_error *err;
	if (maps && h->filtered)
		err = ss_error_create(SS_ERR_EXCLUDED,
				      "address 0x%" PRIx64
				      ": page excluded by makedumpfile",
				      bad);
	else
		err = ss_error_create(
			SS_ERR_FAULT, "address 0x%" PRIx64 " %s (crash)", bad,
			maps ? "is not in the dump" : "is not mapped");
	return ss_error_set_address(err, bad);
}

static struct ss_error *host_symbol(void *arg, const char *name,
				    uint64_t *addr_ret)
{
	/* symbol_value() of an unknown name is a FATAL error (a longjmp to
	 * crash's prompt): ask first.  crash's values are relocated, so
	 * "_stext" tells the library the KASLR offset. */
	if (!symbol_exists((char *)name))
		return ss_error_create(SS_ERR_NOTFOUND,
				       "symbol %s: not in crash's symbol table",
				       name);
	*addr_ret = symbol_value((char *)name);
	return NULL;
}

static const char *host_vmcoreinfo(void *arg, const char *key)
{
	struct ss_crash_host *h = arg;
	/* no_vmcoreinfo() on a live system: NULL for every key */
	char *v = pc->read_vmcoreinfo ? pc->read_vmcoreinfo(key) : NULL;
	if (!v)
		return NULL;
	char **s = realloc(h->strings, (h->nstrings + 1) * sizeof(*s));
	if (!s) {
		free(v);
		return NULL; /* optional: the library does without */
	}
	h->strings = s;
	h->strings[h->nstrings++] = v;
	return v;
}

static bool host_to_phys(void *arg, uint64_t va, uint64_t *pa)
{
	physaddr_t p;
	if (!kvtop(CURRENT_CONTEXT(), va, &p, 0))
		return false;
	*pa = p;
	return true;
}

void ss_crash_host_init(struct ss_crash_host *h,
			const volatile sig_atomic_t *interrupted)
{
	*h = (struct ss_crash_host){
		.host = {
			.size = sizeof(struct ss_host),
			.name = "crash",
			.arg = h,
			.read = host_read,
			.symbol = host_symbol,
			.vmcoreinfo = host_vmcoreinfo,
			.to_phys = host_to_phys,
			.page_size = PAGESIZE(),
			/* learnt from symbol("_stext"): crash's symbol
			 * values already carry its relocation */
			.kaslr_known = false,
		},
		/* -1 for every format but the kdump-compressed one */
		.filtered = get_dump_level() > 1,
		.interrupted = interrupted,
	};
	/* Module code in tracks is named from the *.ko beside the dump, as
	 * the CLI names it; without memory for the copy, from the system's
	 * modules only. */
	if (pc->dumpfile) {
		char *slash;
		h->dump_dir = strdup(pc->dumpfile);
		if (h->dump_dir && (slash = strrchr(h->dump_dir, '/')))
			*slash = '\0';
		else if (h->dump_dir)
			strcpy(h->dump_dir, ".");
		h->host.module_dir = h->dump_dir;
	}
}

void ss_crash_host_release(struct ss_crash_host *h)
{
	for (size_t i = 0; i < h->nstrings; i++)
		free(h->strings[i]);
	free(h->strings);
	h->strings = NULL;
	h->nstrings = 0;
	free(h->dump_dir);
	h->dump_dir = NULL;
	h->host.module_dir = NULL;
}

void ss_crash_host_abandon(struct ss_crash_host *h)
{
	h->strings = NULL;
	h->nstrings = 0;
	h->dump_dir = NULL;
}

const char *ss_crash_vmlinux(void)
{
	return pc->namelist_debug ? pc->namelist_debug : pc->namelist;
}
