/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: opening a dump (src/lib/dump: slabscope's header
 * checks, then libkdumpfile) and reading it, on small mutated files.
 *
 * The input is the dump file itself, handed to ss_dump_open() through a
 * memfd (/proc/self/fd/N: no disk traffic).  When it opens, the harness
 * reads its properties, VMCOREINFO keys and numbers, physical pages and
 * kernel virtual addresses (direct map, kernel text, the symbols
 * VMCOREINFO names: page-table walks), and checks that what it gets is
 * sane: strings are strings, a failed read is SS_ERR_FAULT or
 * SS_ERR_EXCLUDED with one-line messages, an error from ss_dump_open is
 * SS_ERR_FORMAT / SS_ERR_IO / SS_ERR_NOMEM and names the file.
 *
 * Mutations: half of them libFuzzer's own; the other half, on a
 * kdump-compressed input, flip bits inside one page's compressed data
 * (issue 20: one-byte flips in four compressed pages crashed
 * libkdumpfile), or in its page descriptor, so that the decompressors
 * and the page cache's error paths get inputs whose headers are intact.
 *
 * Seeds: tests/fuzz/corpus/fuzz_dump, written by tests/fuzz/mkseeds.py
 * (tiny ELF vmcores and kdump-compressed files with page tables, so that
 * virtual reads get through libkdumpfile's x86-64 translation).
 * SS_FUZZ_VERBOSE=1 prints what was read.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <slabscope/dump.h>

static int fd = -1;
static char path[64];
static bool verbose;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "fuzz_dump: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed);

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* Flip bits in one page's data (or descriptor) of a kdump-compressed
 * file; false if data is not one, or has no page to flip. */
static bool flip_page(uint8_t *data, size_t size, unsigned int *seed)
{
	if (size < 464 || memcmp(data, "KDUMP   ", 8) != 0)
		return false;
	uint32_t bs = rd32(data + 428), sub = rd32(data + 432),
		 bmb = rd32(data + 436);
	if (bs < 512 || bs > (1u << 16) || sub > 64 || bmb == 0 || bmb > 1024)
		return false;
	uint64_t bitmap2 = (uint64_t)bs * (1 + sub) + (uint64_t)bs * bmb / 2;
	uint64_t descs = (uint64_t)bs * (1 + sub + bmb);
	if (descs > size)
		return false;
	uint64_t ndumped = 0;
	for (uint64_t i = bitmap2; i < descs; i++)
		ndumped += (uint64_t)__builtin_popcount(data[i]);
	if (!ndumped)
		return false;
	uint64_t k = (uint64_t)rand_r(seed) % ndumped;
	uint64_t d = descs + 24 * k;
	if (d + 24 > size)
		return false;
	uint64_t off;
	uint32_t len;
	memcpy(&off, data + d, 8);
	memcpy(&len, data + d + 8, 4);
	int what = rand_r(seed) % 8;
	if (what == 0 || !len || off >= size || len > size - off) {
		/* The descriptor: offset, size or flags. */
		data[d + (uint64_t)rand_r(seed) % 20] ^=
			(uint8_t)(1u << (rand_r(seed) % 8));
		return true;
	}
	int flips = 1 + rand_r(seed) % 4;
	for (int i = 0; i < flips; i++)
		data[off + (uint64_t)rand_r(seed) % len] ^=
			(uint8_t)(1u << (rand_r(seed) % 8));
	return true;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	if ((seed & 1) && flip_page(data, size, &seed))
		return size;
	return LLVMFuzzerMutate(data, size, max_size);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *v = getenv("SS_FUZZ_VERBOSE");
	verbose = v && *v && strcmp(v, "0") != 0;
	fd = memfd_create("fuzz-dump", MFD_CLOEXEC);
	if (fd < 0)
		die("memfd_create failed");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

static void check_msg(const struct ss_error *err, const char *what)
{
	if (!err->message || strchr(err->message, '\n'))
		die("%s: message of more than one line: %s", what,
		    err->message ? err->message : "(null)");
}

/* Every string of the props must be a readable C string. */
static size_t touch(const char *s)
{
	return s ? strlen(s) : 0;
}

static void read_at(struct ss_dump *d, enum ss_addrspace as, uint64_t addr,
		    size_t len)
{
	static unsigned char buf[3 * 4096];
	if (len > sizeof(buf))
		len = sizeof(buf);
	struct ss_error *err = ss_dump_read(d, as, addr, buf, len);
	if (verbose)
		fprintf(stderr, "  read %s 0x%" PRIx64 " +%zu: %s\n",
			as == SS_KPHYSADDR ? "phys" : "virt", addr, len,
			err ? err->message : "ok");
	if (!err)
		return;
	check_msg(err, "ss_dump_read");
	if (err->code != SS_ERR_FAULT && err->code != SS_ERR_EXCLUDED &&
	    err->code != SS_ERR_NOMEM)
		die("ss_dump_read 0x%" PRIx64 ": unexpected %s: %s", addr,
		    ss_errcode_name(err->code), err->message);
	ss_error_destroy(err);
}

static const char *const keys[] = {
	"OSRELEASE",
	"PAGESIZE",
	"KERNELOFFSET",
	"SYMBOL(init_top_pgt)",
	"SYMBOL(swapper_pg_dir)",
	"SYMBOL(_stext)",
	"SYMBOL(vmemmap_base)",
	"SYMBOL(page_offset_base)",
	"SYMBOL(mem_section)",
	"NUMBER(phys_base)",
	"NUMBER(pgtable_l5_enabled)",
	"SIZE(page)",
	"OFFSET(page.flags)",
	"CRASHTIME",
	"",
	"=",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		die("writing the memfd failed");
	struct ss_dump *d = NULL;
	struct ss_error *err = ss_dump_open(path, &d);
	if (err) {
		if (verbose)
			fprintf(stderr, "  open: %s: %s\n",
				ss_errcode_name(err->code), err->message);
		check_msg(err, "ss_dump_open");
		if (err->code != SS_ERR_FORMAT && err->code != SS_ERR_IO &&
		    err->code != SS_ERR_NOMEM)
			die("ss_dump_open: unexpected %s: %s",
			    ss_errcode_name(err->code), err->message);
		if (err->code != SS_ERR_NOMEM && !strstr(err->message, path))
			die("ss_dump_open: the message does not name the file: "
			    "%s",
			    err->message);
		ss_error_destroy(err);
		return 0;
	}
	const struct ss_dump_props *p = ss_dump_props(d);
	size_t n = touch(p->path) + touch(p->format) + touch(p->compression) +
		   touch(p->arch) + touch(p->release);
	if (!p->has_vmcoreinfo)
		die("opened a dump without VMCOREINFO");
	if (verbose)
		fprintf(stderr,
			"  format %s compression %s arch %s release %s page "
			"size %" PRIu64 " levels %d cpus %u (%zu)\n",
			p->format, p->compression, p->arch ? p->arch : "-",
			p->release ? p->release : "-", p->page_size,
			p->paging_levels, p->dump_cpus, n);

	uint64_t v;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		touch(ss_dump_vmcoreinfo(d, keys[i]));
		for (int base = 10; base <= 16; base += 6) {
			err = ss_dump_vmcoreinfo_number(d, keys[i], base, &v);
			if (err) {
				check_msg(err, "ss_dump_vmcoreinfo_number");
				if (err->code != SS_ERR_MISSING &&
				    err->code != SS_ERR_FORMAT)
					die("ss_dump_vmcoreinfo_number: %s",
					    err->message);
				ss_error_destroy(err);
			}
		}
	}

	/* Physical memory: the start, a page boundary, a run across pages,
	 * somewhere far. */
	read_at(d, SS_KPHYSADDR, 0, 64);
	read_at(d, SS_KPHYSADDR, 0x1ff8, 16);
	read_at(d, SS_KPHYSADDR, 0x3000, 2 * 4096 + 8);
	read_at(d, SS_KPHYSADDR, 0x100000, 8);
	read_at(d, SS_KPHYSADDR, 0xfffffffffffff000ULL, 8);
	/* Kernel virtual: the direct map (4- and 5-level bases), the kernel
	 * text mapping, the page-table root VMCOREINFO names. */
	read_at(d, SS_KVADDR, 0xffff888000000000ULL, 64);
	read_at(d, SS_KVADDR, 0xffff888000002ff8ULL, 16);
	read_at(d, SS_KVADDR, 0xff11000000000000ULL, 8);
	read_at(d, SS_KVADDR, 0xffffffff81000000ULL, 8);
	/* What VMCOREINFO names: page tables, kernel text and data, the
	 * direct map (mem_section). */
	static const char *const syms[] = {
		"SYMBOL(init_top_pgt)", "SYMBOL(swapper_pg_dir)",
		"SYMBOL(_stext)", "SYMBOL(init_uts_ns)", "SYMBOL(mem_section)",
		"SYMBOL(node_data)",
	};
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		err = ss_dump_vmcoreinfo_number(d, syms[i], 16, &v);
		if (!err)
			read_at(d, SS_KVADDR, v, i == 0 ? 4096 : 64);
		ss_error_destroy(err);
	}
	/* Through a kernel variable: page_offset_base holds the direct
	 * map's base (KASLR), read what is there. */
	err = ss_dump_vmcoreinfo_number(d, "SYMBOL(page_offset_base)", 16, &v);
	if (!err) {
		uint64_t base;
		err = ss_dump_read(d, SS_KVADDR, v, &base, sizeof(base));
		if (!err)
			read_at(d, SS_KVADDR, base + 0x3000, 64);
	}
	ss_error_destroy(err);
	read_at(d, SS_KVADDR, 0, 8);
	read_at(d, SS_KVADDR, 0xffffffffffffff00ULL, 512);
	ss_dump_close(d);
	return 0;
}
