/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Regression tests for the bugs the fuzzers found (tests/fuzz/): each test
 * is the smallest input that showed the bug, replayed on the synthetic
 * kernel (synth.h) or on the parser it broke.  The fuzzer's own input is
 * in tests/fuzz/corpus/<harness>/regress-*, replayed by
 * `tests/fuzz/run --replay`.
 *
 * Some of these bugs were undefined behaviour that only UBSan reports (the
 * suite runs under it in CI, scripts/test); the asserts check what the
 * fixed code promises on any build.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <jansson.h>

#include <slabscope/check.h>
#include <slabscope/diff.h>
#include <slabscope/dump.h>
#include <slabscope/leaks.h>
#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "model_run.h"
#include "synth.h"
#include "synth_slab.h"
#include "unit.h"

static char tmpdir[256];
static char so_path[512];

static int suite_init(void)
{
	if (!model_run_mkdtemp(tmpdir, sizeof(tmpdir), "regress"))
		return -1;
	snprintf(so_path, sizeof(so_path), "%s/slub_types.so", tmpdir);
	if (model_run_build_types("slub_types.c", "", so_path))
		return -1;
	return 0;
}

static int suite_cleanup(void)
{
	model_run_rmtemp(tmpdir, so_path, (char *)NULL);
	return 0;
}

/* A cache of 64-byte objects with one slab: its first two objects free. */
static int plain_cache(struct synth *s, const char *name)
{
	struct synth_cache_spec spec = {
		.name = name,
		.object_size = 64,
		.enc = SS_FP_XOR_SWAB,
		.random = 0x5f3c9e1d27a4b680ULL,
	};
	int c = synth_add_cache(s, &spec);
	int sl = synth_add_slab(s, c, 0);
	const uint32_t idx[] = { 0, 1 };
	synth_slab_freelist(s, sl, idx, 2);
	synth_node_partial(s, c, &sl, 1);
	return c;
}

static struct ss_model *load(struct synth *s)
{
	struct ss_model *m = NULL;
	SS_ASSERT_OK(ss_model_load(synth_target(s), NULL, &m));
	return m;
}

static char *caches_json(struct ss_model *m)
{
	uint32_t *order = NULL;
	struct ss_error *err = ss_caches_sorted(m, SS_SORT_NAME, &order);
	CU_ASSERT_PTR_NULL(err);
	if (err) {
		ss_error_destroy(err);
		return NULL;
	}
	json_t *doc =
		ss_report_caches_json(m, order, ss_model_ncaches(m), NULL);
	FILE *null = fopen("/dev/null", "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(null);
	SS_ASSERT_OK(ss_report_caches_text(m, order, ss_model_ncaches(m), NULL,
					   null));
	fclose(null);
	free(order);
	CU_ASSERT_PTR_NOT_NULL(doc);
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	return text;
}

/*
 * fuzz_slab: ss_leaks_group() on a cache without objects called
 * qsort(NULL, 0, ...): undefined (UBSan: null pointer passed as argument
 * 1).  Here the cache has no slabs at all.
 */
static void test_leaks_no_objects(void)
{
	struct synth *s = synth_create(so_path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	struct synth_cache_spec spec = { .name = "empty-32", .object_size = 32 };
	synth_add_cache(s, &spec);
	plain_cache(s, "other-64");
	struct ss_model *m = load(s);
	uint32_t ci = ss_model_find_cache(m, "empty-32");
	CU_ASSERT_NOT_EQUAL_FATAL(ci, SS_NO_CACHE);
	struct ss_leaks_result res;
	SS_ASSERT_OK(ss_leaks_group(m, ci, NULL, &res));
	CU_ASSERT_EQUAL(res.ngroups, 0);
	CU_ASSERT_EQUAL(res.objects, 0);
	ss_leaks_result_deinit(&res);
	ss_model_destroy(m);
	synth_destroy(s);
}

/*
 * fuzz_slab: a garbage kmem_cache.oo gives an order of up to 65535;
 * the caches report shifted 1 by it (UBSan: shift exponent 10092 is too
 * large).  Pages per slab is now 0 for an order that is not one.
 */
static void test_caches_report_garbage_order(void)
{
	struct synth *s = synth_create(so_path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	int c = plain_cache(s, "bad-oo");
	const struct synth_cache *sc = synth_cache(s, c);
	synth_write_u32(s, sc->addr + KC_OO, (10092u << 16) | sc->objects);
	struct ss_model *m = load(s);
	const struct ss_cache *mc =
		ss_model_cache(m, ss_model_find_cache(m, "bad-oo"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(mc);
	CU_ASSERT_EQUAL(mc->order, 10092);
	char *text = caches_json(m);
	CU_ASSERT_PTR_NOT_NULL(text);
	if (text)
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"pages_per_slab\":0"));
	free(text);
	ss_model_destroy(m);
	synth_destroy(s);
}

/*
 * fuzz_slab: a kmem_cache.name pointing at bytes that are not UTF-8 (an
 * object's 0xcc red zone) made ss_report_caches_json() return NULL (jansson
 * takes only UTF-8 strings), which the CLI reports as out of memory.  The
 * model now keeps printable ASCII only.
 */
static void test_cache_name_not_utf8(void)
{
	struct synth *s = synth_create(so_path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	int c = plain_cache(s, "name-xxxx");
	uint64_t name = synth_read_u64(s, synth_cache(s, c)->addr + KC_NAME);
	const unsigned char bad[] = { 0xcc, 0xcc, 0x1b, '[' };
	synth_write(s, name + 5, bad, sizeof(bad));
	struct ss_model *m = load(s);
	CU_ASSERT_NOT_EQUAL(ss_model_find_cache(m, "name-???["), SS_NO_CACHE);
	char *text = caches_json(m);
	CU_ASSERT_PTR_NOT_NULL(text);
	if (text)
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"name-???[\""));
	free(text);
	struct ss_check_result r;
	SS_ASSERT_OK(ss_check_run(m, NULL, &r));
	json_t *doc = ss_report_check_json(m, &r);
	CU_ASSERT_PTR_NOT_NULL(doc);
	json_decref(doc);
	ss_check_result_deinit(&r);
	ss_model_destroy(m);
	synth_destroy(s);
}

/*
 * fuzz_slab: a PG_slab page of no known cache whose compound order is
 * unreadable (page[1] says more than order 10) keeps order UINT8_MAX;
 * ss_model_whatis() and ss_slab_bytes() shifted the page size by it (UBSan:
 * shift exponent 255; on x86 the result was 0, so whatis said "not in a
 * slab").  Such a slab now spans one page.
 */
static void test_whatis_unknown_order(void)
{
	struct synth *s = synth_create(so_path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	plain_cache(s, "known-64");
	uint64_t pfn = 300;
	uint64_t page = SYNTH_VMEMMAP + pfn * PAGE_SIZEOF;
	synth_write_u64(s, page + SL_FLAGS,
			1ULL << PG_SLAB_BIT | 1ULL << PG_HEAD_BIT);
	synth_write_u64(s, page + SL_CACHE, 0xdead000000000000ULL);
	synth_write_u64(s, page + PAGE_SIZEOF + PG_COMPOUND_HEAD, page | 1);
	synth_write_u8(s, page + PAGE_SIZEOF + 17, 0xff); /* compound_order */
	struct ss_model *m = load(s);
	struct ss_whatis w;
	uint64_t addr = SYNTH_PAGE_OFFSET + pfn * SYNTH_PAGE_SIZE + 0x10;
	SS_ASSERT_OK(ss_model_whatis(m, addr, &w));
	CU_ASSERT_TRUE(w.in_slab);
	CU_ASSERT_EQUAL(w.cache, SS_NO_CACHE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.slab);
	CU_ASSERT_EQUAL(w.slab->page, page);
	CU_ASSERT_EQUAL(ss_slab_bytes(m, w.slab), SYNTH_PAGE_SIZE);
	ss_model_destroy(m);
	synth_destroy(s);
}

/*
 * fuzz_slab (a timeout): every byte finding's culprit hint classified the
 * whole slab again, so a slab whose objects are all damaged cost
 * objects^2: a corrupt 10000-object slab took minutes.  The byte checks
 * now share their classification with culprit_find().  Here: 10000
 * objects of a slub_debug cache whose red zones and poison are all zero,
 * three findings each: 42 s before the fix (ASan), half a second after.
 */
static void test_culprit_linear(void)
{
	struct synth *s = synth_create(so_path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	struct synth_cache_spec spec = {
		.name = "big-debug-8",
		.object_size = 8,
		.flags = SLUB_DEBUG_FZPU,
		.order = 8,
	};
	int c = synth_add_cache(s, &spec);
	int sl = synth_add_slab(s, c, 0);
	const struct synth_slab *ss = synth_slab(s, sl);
	CU_ASSERT_FATAL(ss->objects > 10000);
	synth_fill(s, ss->base, 0, SYNTH_PAGE_SIZE << 8);
	struct ss_model *m = load(s);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct ss_check_result r;
	SS_ASSERT_OK(ss_check_run(m, NULL, &r));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	CU_ASSERT(r.nfindings >= ss->objects);
	if (secs >= 10)
		fprintf(stderr, "\n  check took %.1f s for %zu findings\n", secs,
			r.nfindings);
	CU_ASSERT(secs < 10);
	ss_check_result_deinit(&r);
	ss_model_destroy(m);
	synth_destroy(s);
}

/* ---- dumps ---- */

/* A minimal x86-64 ELF core: one PT_NOTE (VMCOREINFO), one PT_LOAD. */
static size_t elf_core_vmci(unsigned char *buf, size_t cap, const char *vmci)
{
	static const char name[] = "VMCOREINFO";
	size_t vlen = strlen(vmci);
	size_t note_off = sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr);
	size_t note_len = sizeof(Elf64_Nhdr) + 12 + ((vlen + 3) & ~(size_t)3);
	size_t load_off = 4096, total = load_off + 4096;
	if (total > cap)
		return 0;
	memset(buf, 0, total);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 2;
	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + eh->e_phoff);
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = note_off;
	ph[0].p_filesz = note_len;
	Elf64_Nhdr *nh = (Elf64_Nhdr *)(buf + note_off);
	nh->n_namesz = sizeof(name);
	nh->n_descsz = (Elf64_Word)vlen;
	memcpy(buf + note_off + sizeof(*nh), name, sizeof(name));
	memcpy(buf + note_off + sizeof(*nh) + 12, vmci, vlen);
	ph[1].p_type = PT_LOAD;
	ph[1].p_offset = load_off;
	ph[1].p_filesz = ph[1].p_memsz = 4096;
	return total;
}

static size_t elf_core(unsigned char *buf, size_t cap)
{
	return elf_core_vmci(buf, cap, "OSRELEASE=6.1.0-regress\nPAGESIZE=4096\n");
}

static void expect_open(const unsigned char *buf, size_t len,
			enum ss_errcode code, const char *needle)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/core", tmpdir);
	FILE *f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(buf, 1, len, f), len);
	fclose(f);
	struct ss_dump *d = NULL;
	struct ss_error *err = ss_dump_open(path, &d);
	if (code == 0) {
		SS_ASSERT_OK(err);
		ss_dump_close(d);
	} else {
		CU_ASSERT_PTR_NOT_NULL_FATAL(err);
		CU_ASSERT_EQUAL(err->code, code);
		if (!strstr(err->message, needle))
			fprintf(stderr, "\n  message lacks \"%s\": %s\n", needle,
				err->message);
		CU_ASSERT_PTR_NOT_NULL(strstr(err->message, needle));
		ss_error_destroy(err);
	}
	unlink(path);
}

/*
 * fuzz_dump: libkdumpfile reads each ELF program/section header as a chunk
 * of e_phentsize / e_shentsize bytes and uses it as a whole header: with
 * e_shentsize 0 and e_shnum > 0 it read through a NULL chunk (SIGSEGV in
 * kdump_open_fd()).  dump_file.c now refuses entry sizes that are not the
 * header's and tables outside the file, before libkdumpfile sees them.
 */
static void test_elf_header_entry_sizes(void)
{
	static unsigned char buf[8192];
	size_t len = elf_core(buf, sizeof(buf));
	CU_ASSERT_FATAL(len > 0);
	expect_open(buf, len, 0, NULL);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;

	eh->e_shnum = 4; /* the fuzzer's case: 4 sections of 0 bytes at 0 */
	eh->e_shentsize = 0;
	expect_open(buf, len, SS_ERR_FORMAT, "corrupt ELF header");

	eh->e_shentsize = sizeof(Elf64_Shdr); /* the table past the end */
	eh->e_shoff = len - 10;
	expect_open(buf, len, SS_ERR_FORMAT, "section header table");

	eh->e_shnum = 0;
	eh->e_shoff = 0;
	eh->e_phentsize = 0; /* program headers of 0 bytes */
	expect_open(buf, len, SS_ERR_FORMAT, "corrupt ELF header");

	eh->e_phentsize = 8; /* shorter than a program header */
	expect_open(buf, len, SS_ERR_FORMAT, "corrupt ELF header");
}

/*
 * fuzz_dump: libkdumpfile tries the 32-bit kdump header layout first, and
 * the 64-bit header's tv_usec (0x800000) read there as an 8 MiB block
 * size: it took the file as a 32-bit dump of 8 MiB pages and malloc'ed
 * 2 GiB.  dump_file.c now refuses a header libkdumpfile reads as 32-bit.
 */
static void test_kdump_reads_as_32bit(void)
{
	static unsigned char buf[4 * 4096];
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "KDUMP   ", 8);
	int32_t version = 6, block_size = 4096, sub_hdr_size = 1;
	uint32_t status = 1, bitmap_blocks = 2, max_mapnr = 16;
	int64_t tv_usec = 0x800000;
	memcpy(buf + 8, &version, 4);
	memcpy(buf + 416, &tv_usec, 8);
	memcpy(buf + 424, &status, 4);
	memcpy(buf + 428, &block_size, 4);
	memcpy(buf + 432, &sub_hdr_size, 4);
	memcpy(buf + 436, &bitmap_blocks, 4);
	memcpy(buf + 440, &max_mapnr, 4);
	expect_open(buf, sizeof(buf), SS_ERR_FORMAT, "32-bit dump");
	tv_usec = 999999; /* an ordinary timestamp */
	memcpy(buf + 416, &tv_usec, 8);
	struct ss_dump *d = NULL;
	char path[512];
	snprintf(path, sizeof(path), "%s/core", tmpdir);
	FILE *f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fwrite(buf, 1, sizeof(buf), f);
	fclose(f);
	struct ss_error *err = ss_dump_open(path, &d);
	/* No VMCOREINFO in this one: refused for that, not as 32-bit. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_PTR_NULL(strstr(err->message, "32-bit"));
	ss_error_destroy(err);
	unlink(path);
}

/*
 * fuzz_dump: an ELF core of an unknown machine (318) whose VMCOREINFO
 * names no x86-64 symbol opened with no architecture and no page size,
 * and the first virtual read divided by that size (SIGFPE in
 * kdump_read()).  kdump.c now refuses a dump without a page size.
 */
static void test_elf_unknown_machine(void)
{
	static unsigned char buf[8192];
	size_t len = elf_core_vmci(buf, sizeof(buf), "OSRELEASE=6.1\n");
	CU_ASSERT_FATAL(len > 0);
	((Elf64_Ehdr *)buf)->e_machine = 318;
	expect_open(buf, len, SS_ERR_FORMAT, "architecture is unknown");
}

/*
 * fuzz_dump: libkdumpfile files each VMCOREINFO line under its key as an
 * attribute path split at '.'; a line starting with '.' crashed it while
 * opening the dump (SIGSEGV in kdump_open_fd(), ELF and kdump alike).
 * dump_file.c now reads the VMCOREINFO notes first and refuses such a
 * line.
 */
static void test_vmcoreinfo_leading_dot(void)
{
	static unsigned char buf[8192];
	size_t len = elf_core_vmci(buf, sizeof(buf),
				   "OSRELEASE=6.1.0-regress\nPAGESIZE=4096\n"
				   ".ENGTH(mem_section)=2048\n");
	CU_ASSERT_FATAL(len > 0);
	expect_open(buf, len, SS_ERR_FORMAT, "line 3 starts with '.'");
	len = elf_core_vmci(buf, sizeof(buf), ".\n");
	expect_open(buf, len, SS_ERR_FORMAT, "line 1 starts with '.'");
	/* A dot elsewhere is fine. */
	len = elf_core_vmci(buf, sizeof(buf),
			    "OSRELEASE=6.1.0-regress\nOFFSET(page.flags)=0\n");
	expect_open(buf, len, 0, NULL);
}

/*
 * fuzz_dump: a kdump-compressed sub-header declaring 8 GiB of notes past
 * the end of a 16 KiB file made libkdumpfile malloc 8 GiB before reading
 * them.  dump_file.c now checks the extents of VMCOREINFO, the notes and
 * the erase info against the file first.
 */
static void test_kdump_subheader_extents(void)
{
	static unsigned char buf[4 * 4096];
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "KDUMP   ", 8);
	int32_t version = 6, block_size = 4096, sub_hdr_size = 1;
	uint32_t status = 1, bitmap_blocks = 2, max_mapnr = 16;
	memcpy(buf + 8, &version, 4);
	memcpy(buf + 424, &status, 4);
	memcpy(buf + 428, &block_size, 4);
	memcpy(buf + 432, &sub_hdr_size, 4);
	memcpy(buf + 436, &bitmap_blocks, 4);
	memcpy(buf + 440, &max_mapnr, 4);
	uint64_t note[2] = { 1075200, 1ULL << 33 }; /* offset_note, size */
	memcpy(buf + 4096 + 48, note, sizeof(note));
	expect_open(buf, sizeof(buf), SS_ERR_FORMAT, "note data");

	note[0] = 4096 + 104; /* inside, but VMCOREINFO is not */
	note[1] = 64;
	memcpy(buf + 4096 + 48, note, sizeof(note));
	uint64_t vmci[2] = { 4096 + 200, 100000 };
	memcpy(buf + 4096 + 32, vmci, sizeof(vmci));
	expect_open(buf, sizeof(buf), SS_ERR_FORMAT, "VMCOREINFO");
}

/*
 * fuzz_dump: a page descriptor claiming 51745 bytes of compressed data for
 * a 4096-byte page overflowed libkdumpfile's page buffer (heap overflow
 * when the page was read).  dump_file.c checks every descriptor: a damaged
 * one makes its page unreadable (libkdumpfile never reads it: ASan would
 * see the overflow), the rest of the dump stays readable; more than
 * SS_DUMP_DAMAGED_MAX damaged ones are a damaged table.
 */
static void kdump_with_descriptors(unsigned char *buf, size_t len,
				   uint32_t npages, uint32_t bad_size)
{
	memset(buf, 0, len);
	memcpy(buf, "KDUMP   ", 8);
	memcpy(buf + 12 + 4 * 65, "x86_64", 6); /* utsname.machine */
	/* version 3: VMCOREINFO as text, at the end of the file */
	static const char vmci[] = "OSRELEASE=6.1.0-test\nPAGESIZE=4096\n";
	uint64_t vmci_ext[2] = { len - 512, sizeof(vmci) - 1 };
	memcpy(buf + len - 512, vmci, sizeof(vmci) - 1);
	memcpy(buf + 4096 + 32, vmci_ext, sizeof(vmci_ext));
	int32_t version = 3, block_size = 4096, sub_hdr_size = 1;
	uint32_t status = 1 | 8 /* zlib, incomplete */, bitmap_blocks = 2,
		 max_mapnr = 128;
	memcpy(buf + 8, &version, 4);
	memcpy(buf + 424, &status, 4);
	memcpy(buf + 428, &block_size, 4);
	memcpy(buf + 432, &sub_hdr_size, 4);
	memcpy(buf + 436, &bitmap_blocks, 4);
	memcpy(buf + 440, &max_mapnr, 4);
	uint64_t data = 4 * 4096 + 24 * (uint64_t)npages;
	for (uint32_t pfn = 0; pfn < npages; pfn++) {
		buf[2 * 4096 + pfn / 8] |= (unsigned char)(1 << (pfn % 8));
		buf[3 * 4096 + pfn / 8] |= (unsigned char)(1 << (pfn % 8));
		/* pages 1..npages-1 raw and intact; page 0 (all of them
		 * when bad_size is 51746) claims 51745 bytes */
		uint32_t size = 4096, flags = 0;
		if (bad_size && (pfn == 0 || bad_size == 51746)) {
			size = 51745;
			flags = 1;
		}
		memcpy(buf + 4 * 4096 + 24 * pfn, &data, 8);
		memcpy(buf + 4 * 4096 + 24 * pfn + 8, &size, 4);
		memcpy(buf + 4 * 4096 + 24 * pfn + 12, &flags, 4);
		memset(buf + data, (int)pfn, 4096);
	}
}

static void test_kdump_descriptor_size(void)
{
	static unsigned char buf[4 * 4096 + 24 * 70 + 2 * 4096];
	char path[512];
	snprintf(path, sizeof(path), "%s/core", tmpdir);
	kdump_with_descriptors(buf, sizeof(buf), 2, 51745);
	FILE *f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(buf, 1, sizeof(buf), f), sizeof(buf));
	fclose(f);
	struct ss_dump *d = NULL;
	SS_ASSERT_OK(ss_dump_open(path, &d));
	unsigned char page[16];
	struct ss_error *err = ss_dump_read(d, SS_KPHYSADDR, 8, page, 8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_EQUAL(err->code, SS_ERR_FAULT);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(err->message, "page descriptor is damaged"));
	ss_error_destroy(err);
	/* (that the rest of a dump stays readable is hostile-dumps.sh's
	 * test, on a real one: this one has no page tables) */
	ss_dump_close(d);
	unlink(path);

	/* 70 damaged descriptors: the table is damaged */
	kdump_with_descriptors(buf, sizeof(buf), 70, 51746);
	expect_open(buf, sizeof(buf), SS_ERR_FORMAT,
		    "more than 64 descriptors are damaged");
}

/*
 * fuzz_dump: a kdump header with no bitmap blocks (so no page at all)
 * made libkdumpfile malloc 2 GiB while opening it.
 */
static void test_kdump_no_bitmap(void)
{
	static unsigned char buf[3 * 4096];
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "KDUMP   ", 8);
	int32_t version = 6, block_size = 4096, sub_hdr_size = 1;
	uint32_t status = 1, bitmap_blocks = 0;
	memcpy(buf + 8, &version, 4);
	memcpy(buf + 424, &status, 4);
	memcpy(buf + 428, &block_size, 4);
	memcpy(buf + 432, &sub_hdr_size, 4);
	memcpy(buf + 436, &bitmap_blocks, 4);
	expect_open(buf, sizeof(buf), SS_ERR_FORMAT, "corrupt kdump header");
}

/* ---- snapshots ---- */

static struct ss_error *load_snapshot(const char *text, struct ss_snapshot *ret)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/snapshot", tmpdir);
	FILE *f = fopen(path, "wb");
	if (!f)
		return ss_error_create(SS_ERR_IO, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
	struct ss_error *err = ss_snapshot_load_file(path, ret);
	unlink(path);
	return err;
}

/*
 * fuzz_snapshot: counts from a snapshot file are uint64_t, and the diff
 * subtracted them as int64_t: "allocated": -9223372036854775808 after 0
 * overflowed (UBSan: signed integer overflow).  Deltas now saturate.
 */
static void test_diff_extreme_counts(void)
{
	struct ss_snapshot a, b;
	SS_ASSERT_OK(load_snapshot(
		"{\"caches\": [{\"name\": \"x\", \"allocated\": 0},"
		" {\"name\": \"y\", \"allocated\": 0,"
		" \"memory_bytes\": 9223372036854775807}]}",
		&a));
	SS_ASSERT_OK(load_snapshot(
		"slabinfo - version: 2.1\n"
		"x 18446744073709551615 1 8 1 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		"y 0 0 8 1 1 : tunables 0 0 0 : slabdata 0 0 0\n", &b));
	struct ss_diff_entry *v = NULL;
	size_t n = 0;
	SS_ASSERT_OK(ss_diff_compute(&a, &b, SS_DIFF_SORT_NAME, &v, &n));
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(v[0].name, "x");
	CU_ASSERT_EQUAL(v[0].delta, INT64_MAX);
	CU_ASSERT_STRING_EQUAL(v[1].name, "y");
	CU_ASSERT_EQUAL(v[1].memory_delta, -INT64_MAX);
	free(v);
	SS_ASSERT_OK(ss_diff_compute(&b, &a, SS_DIFF_SORT_NAME, &v, &n));
	CU_ASSERT_EQUAL(v[0].delta, INT64_MIN);
	free(v);
	ss_snapshot_deinit(&a);
	ss_snapshot_deinit(&b);
	/* A negative count is no count (issue 20: it printed
	 * 18446744073709551611 and crossed no threshold). */
	struct ss_error *err = load_snapshot(
		"{\"caches\": [{\"name\": \"x\", \"allocated\": -5}]}", &a);
	CU_ASSERT_PTR_NOT_NULL(err);
	if (err)
		CU_ASSERT_PTR_NOT_NULL(
			strstr(err->message, "cannot be negative"));
	ss_error_destroy(err);
}

/*
 * fuzz_snapshot: jansson's error text quotes the input near the error,
 * newlines included, so the error was not one line.
 */
static void test_snapshot_json_error_one_line(void)
{
	struct ss_snapshot s;
	struct ss_error *err = load_snapshot("{\"caches\": [\"allo\\\n", &s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_EQUAL(err->code, SS_ERR_FORMAT);
	CU_ASSERT_PTR_NULL(strchr(err->message, '\n'));
	ss_error_destroy(err);
}

/*
 * fuzz_snapshot: a /proc/slabinfo copy with a name that is not UTF-8 lost
 * the name from `diff --json` (json_string() refused it).  Snapshot
 * names are now printable ASCII, like the model's.
 */
static void test_snapshot_name_not_utf8(void)
{
	struct ss_snapshot s;
	SS_ASSERT_OK(load_snapshot(
		"slabinfo - version: 2.1\n"
		"bad\xff\x1b[31m 1 2 8 1 1 : tunables 0 0 0 : slabdata 1 1 0\n",
		&s));
	CU_ASSERT_EQUAL_FATAL(s.ncaches, 1);
	CU_ASSERT_STRING_EQUAL(s.caches[0].name, "bad??[31m");
	struct ss_diff_entry *v = NULL;
	size_t n = 0;
	SS_ASSERT_OK(ss_diff_compute(&s, &s, SS_DIFF_SORT_NAME, &v, &n));
	json_t *doc = ss_report_diff_json(&s, &s, v, n, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	json_t *e = json_array_get(json_object_get(doc, "caches"), 0);
	CU_ASSERT_TRUE(json_is_string(json_object_get(e, "name")));
	json_decref(doc);
	free(v);
	ss_snapshot_deinit(&s);
}

/*
 * fuzz_slab_slab (corpus regress-ac-entries-off-dump): a SLAB array cache
 * whose avail (within its limit) runs entry[] off the dump made
 * ss_model_load fail with the read error; now an unreadable finding, the
 * rest analysed.
 */
static void test_slab_ac_entries_off_dump(void)
{
	char slab_so[600];
	snprintf(slab_so, sizeof(slab_so), "%s/slab_types.so", tmpdir);
	CU_ASSERT_EQUAL_FATAL(
		model_run_build_types("slab_types.c", "", slab_so), 0);
	struct synth_slabk *k = synth_slab_create(slab_so);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	struct synth_slab_cache_spec spec = { .name = "ac-64",
					      .object_size = 64,
					      .flags = SLAB_RED_ZONE |
						       SLAB_POISON };
	int c = synth_slab_add_cache(k, &spec);
	int sl = synth_slab_add_slab(k, c, 0);
	const uint32_t idx[] = { 1, 2 };
	synth_slab_free_cpu(k, sl, 1, idx, 2);
	synth_slab_finish(k);
	struct synth *s = synth_slab_base(k);
	uint64_t ac = synth_slab_cpu_ac(k, c, 1);
	synth_write_u32(s, ac + SK_AC_LIMIT_OFF, 0x10000);
	synth_write_u32(s, ac + SK_AC_AVAIL, 0x10000);
	struct ss_model *m = NULL;
	SS_ASSERT_OK(ss_model_load(synth_target(s), NULL, &m));
	size_t unreadable = 0;
	for (size_t i = 0; i < ss_model_nanomalies(m); i++)
		unreadable +=
			ss_model_anomaly(m, i)->kind == SS_FINDING_UNREADABLE;
	CU_ASSERT_EQUAL(unreadable, 1);
	CU_ASSERT_EQUAL(ss_model_cache(m, 0)->total_objects,
			synth_slab_cache(k, c)->num);
	ss_model_destroy(m);
	synth_slab_destroy(k);
	unlink(slab_so);
}

int ss_test_regress_register(void)
{
	CU_pSuite s = CU_add_suite("regress", suite_init, suite_cleanup);
	if (!s ||
	    !CU_add_test(s, "leaks of a cache without objects",
			 test_leaks_no_objects) ||
	    !CU_add_test(s, "caches report, garbage order",
			 test_caches_report_garbage_order) ||
	    !CU_add_test(s, "cache name not UTF-8", test_cache_name_not_utf8) ||
	    !CU_add_test(s, "whatis in a slab of unknown order",
			 test_whatis_unknown_order) ||
	    !CU_add_test(s, "culprits in linear time", test_culprit_linear) ||
	    !CU_add_test(s, "ELF header entry sizes",
			 test_elf_header_entry_sizes) ||
	    !CU_add_test(s, "kdump sub-header extents",
			 test_kdump_subheader_extents) ||
	    !CU_add_test(s, "kdump page descriptor size",
			 test_kdump_descriptor_size) ||
	    !CU_add_test(s, "kdump without bitmap", test_kdump_no_bitmap) ||
	    !CU_add_test(s, "VMCOREINFO line starting with a dot",
			 test_vmcoreinfo_leading_dot) ||
	    !CU_add_test(s, "diff of extreme counts", test_diff_extreme_counts) ||
	    !CU_add_test(s, "snapshot name not UTF-8",
			 test_snapshot_name_not_utf8) ||
	    !CU_add_test(s, "snapshot JSON error in one line",
			 test_snapshot_json_error_one_line) ||
	    !CU_add_test(s, "kdump header that reads as 32-bit",
			 test_kdump_reads_as_32bit) ||
	    !CU_add_test(s, "ELF core of an unknown machine",
			 test_elf_unknown_machine) ||
	    !CU_add_test(s, "SLAB array cache entries off the dump",
			 test_slab_ac_entries_off_dump))
		return -1;
	return 0;
}
