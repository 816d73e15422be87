/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The dump layer on small synthetic files: a hand-made ELF vmcore (one
 * PT_LOAD, a VMCOREINFO note), a hand-made kdump-compressed file with an
 * excluded page, and the bad inputs a user may pass.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <slabscope/dump.h>

#include "unit.h"

#define LOAD_PADDR 0x100000ULL
#define LOAD_SIZE 0x2000

static char tmpdir[] = "/tmp/ss-test-dump-XXXXXX";

static char *tmp_path(const char *name)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return path;
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(data, 1, len, f);
	return (fclose(f) == 0 && n == len) ? 0 : -1;
}

static size_t align4(size_t n) { return (n + 3) & ~(size_t)3; }

/* Build an x86_64 ELF core in memory; vmcoreinfo may be NULL. */
static unsigned char *make_elf_core(const char *vmcoreinfo, size_t *len_ret)
{
	const char name[] = "VMCOREINFO";
	size_t desc_len = vmcoreinfo ? strlen(vmcoreinfo) : 0;
	size_t note_len = vmcoreinfo ? sizeof(Elf64_Nhdr) + align4(sizeof(name)) +
					       align4(desc_len)
				     : 0;
	int phnum = vmcoreinfo ? 2 : 1;
	size_t note_off = sizeof(Elf64_Ehdr) + phnum * sizeof(Elf64_Phdr);
	size_t load_off = (note_off + note_len + 4095) & ~(size_t)4095;
	size_t total = load_off + LOAD_SIZE;
	unsigned char *buf = calloc(1, total);
	if (!buf)
		return NULL;

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
	eh->e_phnum = (Elf64_Half)phnum;

	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + eh->e_phoff);
	if (vmcoreinfo) {
		ph->p_type = PT_NOTE;
		ph->p_offset = note_off;
		ph->p_filesz = note_len;
		Elf64_Nhdr *nh = (Elf64_Nhdr *)(buf + note_off);
		nh->n_namesz = sizeof(name);
		nh->n_descsz = (Elf64_Word)desc_len;
		nh->n_type = 0;
		memcpy(buf + note_off + sizeof(*nh), name, sizeof(name));
		memcpy(buf + note_off + sizeof(*nh) + align4(sizeof(name)),
		       vmcoreinfo, desc_len);
		ph++;
	}
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_W | PF_X;
	ph->p_offset = load_off;
	ph->p_paddr = LOAD_PADDR;
	ph->p_vaddr = 0xffff888000000000ULL + LOAD_PADDR;
	ph->p_filesz = ph->p_memsz = LOAD_SIZE;
	ph->p_align = 4096;
	for (size_t i = 0; i < LOAD_SIZE; i++)
		buf[load_off + i] = (unsigned char)(i * 7 + 3);
	*len_ret = total;
	return buf;
}

static const char good_vmcoreinfo[] =
	"OSRELEASE=6.1.0-test-amd64\n"
	"PAGESIZE=4096\n"
	"SYMBOL(init_top_pgt)=ffffffff9e80a000\n"
	"NUMBER(pgtable_l5_enabled)=1\n"
	"KERNELOFFSET=1c000000\n"
	"NUMBER(phys_base)=0\n";

/*
 * A kdump-compressed file (header version 3: a bare VMCOREINFO blob, a
 * 32-bit max_mapnr) of KD_MAPNR page frames, of which 0 .. KD_DUMPED-1 are
 * dumped, uncompressed, all pointing at one page of data (as makedumpfile's
 * shared zero page does); the rest are excluded (dump level 31).
 */
#define KD_BLOCK 4096
#define KD_MAPNR 4096
#define KD_DUMPED 1200
#define KD_DESC_OFF (4 * KD_BLOCK) /* header, sub-header, 2 bitmap blocks */
#define KD_DATA_OFF (KD_DESC_OFF + KD_DUMPED * 24)

static unsigned char kd_byte(size_t i) { return (unsigned char)(i * 13 + 5); }

static unsigned char *make_kdump(size_t *len_ret)
{
	size_t total = KD_DATA_OFF + KD_BLOCK;
	unsigned char *buf = calloc(1, total);
	if (!buf)
		return NULL;
	uint32_t u32;
	int32_t i32;
	memcpy(buf, "KDUMP   ", 8);
	i32 = 3; /* header_version */
	memcpy(buf + 8, &i32, 4);
	memcpy(buf + 12 + 4 * 65, "x86_64", 6); /* utsname.machine */
	u32 = 1; /* status: zlib (none of the pages is compressed) */
	memcpy(buf + 424, &u32, 4);
	i32 = KD_BLOCK;
	memcpy(buf + 428, &i32, 4);
	i32 = 1; /* sub_hdr_size */
	memcpy(buf + 432, &i32, 4);
	u32 = 2; /* bitmap_blocks */
	memcpy(buf + 436, &u32, 4);
	u32 = KD_MAPNR;
	memcpy(buf + 440, &u32, 4);

	unsigned char *sub = buf + KD_BLOCK;
	i32 = 31; /* dump_level */
	memcpy(sub + 8, &i32, 4);
	uint64_t vmci_off = KD_BLOCK + 512, vmci_len = strlen(good_vmcoreinfo);
	memcpy(sub + 32, &vmci_off, 8);
	memcpy(sub + 40, &vmci_len, 8);
	memcpy(buf + vmci_off, good_vmcoreinfo, vmci_len);

	/* Both bitmaps (memory, dumped): the first KD_DUMPED frames. */
	for (unsigned pfn = 0; pfn < KD_DUMPED; pfn++) {
		buf[2 * KD_BLOCK + pfn / 8] |= (unsigned char)(1u << (pfn % 8));
		buf[3 * KD_BLOCK + pfn / 8] |= (unsigned char)(1u << (pfn % 8));
	}
	for (unsigned i = 0; i < KD_DUMPED; i++) {
		uint64_t off = KD_DATA_OFF;
		uint32_t size = KD_BLOCK, flags = 0;
		memcpy(buf + KD_DESC_OFF + 24 * i, &off, 8);
		memcpy(buf + KD_DESC_OFF + 24 * i + 8, &size, 4);
		memcpy(buf + KD_DESC_OFF + 24 * i + 12, &flags, 4);
	}
	for (size_t i = 0; i < KD_BLOCK; i++)
		buf[KD_DATA_OFF + i] = kd_byte(i);
	*len_ret = total;
	return buf;
}

static int setup(void)
{
	if (!mkdtemp(tmpdir))
		return -1;
	size_t len;
	unsigned char *core = make_elf_core(good_vmcoreinfo, &len);
	if (!core || write_file(tmp_path("good.elf"), core, len))
		return -1;
	free(core);
	core = make_kdump(&len);
	if (!core || write_file(tmp_path("excluded.kdump"), core, len))
		return -1;
	free(core);
	core = make_elf_core(NULL, &len);
	if (!core || write_file(tmp_path("novmci.elf"), core, len))
		return -1;
	free(core);
	char flat[4096] = "makedumpfile";
	if (write_file(tmp_path("flat"), flat, sizeof(flat)) ||
	    write_file(tmp_path("empty"), "", 0) ||
	    write_file(tmp_path("garbage"), "this is not a dump at all\n",
		       26) ||
	    mkdir(tmp_path("dir"), 0700))
		return -1;
	return 0;
}

static int teardown(void)
{
	const char *names[] = { "good.elf", "novmci.elf", "flat", "empty",
				"garbage", "excluded.kdump" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(tmp_path(names[i]));
	rmdir(tmp_path("dir"));
	rmdir(tmpdir);
	return 0;
}

static void test_open_elf(void)
{
	struct ss_dump *dump;
	SS_ASSERT_OK(ss_dump_open(tmp_path("good.elf"), &dump));
	const struct ss_dump_props *p = ss_dump_props(dump);
	CU_ASSERT_STRING_EQUAL(p->format, "elf");
	CU_ASSERT_STRING_EQUAL(p->compression, "none");
	CU_ASSERT_FALSE(p->filtered);
	CU_ASSERT_STRING_EQUAL(p->arch, "x86_64");
	CU_ASSERT_STRING_EQUAL(p->release, "6.1.0-test-amd64");
	CU_ASSERT_EQUAL(p->kaslr_offset, 0x1c000000);
	CU_ASSERT_EQUAL(p->page_size, 4096);
	CU_ASSERT_EQUAL(p->paging_levels, 5);
	CU_ASSERT_TRUE(p->has_vmcoreinfo);

	CU_ASSERT_STRING_EQUAL(ss_dump_vmcoreinfo(dump, "PAGESIZE"), "4096");
	CU_ASSERT_PTR_NULL(ss_dump_vmcoreinfo(dump, "NOPE"));
	uint64_t v;
	SS_ASSERT_OK(ss_dump_vmcoreinfo_number(dump, "SYMBOL(init_top_pgt)",
					       16, &v));
	CU_ASSERT_EQUAL(v, 0xffffffff9e80a000ULL);
	SS_ASSERT_ERR(ss_dump_vmcoreinfo_number(dump, "NOPE", 10, &v),
		      SS_ERR_MISSING);
	SS_ASSERT_ERR(ss_dump_vmcoreinfo_number(dump, "OSRELEASE", 10, &v),
		      SS_ERR_FORMAT);

	unsigned char buf[16];
	SS_ASSERT_OK(ss_dump_read(dump, SS_KPHYSADDR, LOAD_PADDR + 0x100, buf,
				  sizeof(buf)));
	for (size_t i = 0; i < sizeof(buf); i++)
		CU_ASSERT_EQUAL(buf[i], (unsigned char)((0x100 + i) * 7 + 3));
	/* Beyond the one PT_LOAD: not in the dump. */
	struct ss_error *err = ss_dump_read(dump, SS_KPHYSADDR, 0x10000000,
					    buf, 8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_EQUAL(err->code, SS_ERR_FAULT);
	CU_ASSERT_EQUAL(err->address, 0x10000000);
	ss_error_destroy(err);
	ss_dump_close(dump);
	ss_dump_close(NULL);
}

/*
 * libkdumpfile 0.5.1's page cache after a failed page read (issue 14):
 * once more pages than its cache holds (1024) were read, a read of an
 * excluded page leaves the cache so that the next miss of a page it
 * evicted gets a NULL buffer, and an uncompressed page is then copied to
 * address 0 (SIGSEGV in kdump_read).  slabscope opens the dump again after
 * such a failure: the page reads back intact.
 */
static void test_read_after_excluded(void)
{
	struct ss_dump *dump;
	SS_ASSERT_OK(ss_dump_open(tmp_path("excluded.kdump"), &dump));
	const struct ss_dump_props *p = ss_dump_props(dump);
	CU_ASSERT_STRING_EQUAL(p->format, "kdump-compressed");
	CU_ASSERT_TRUE(p->filtered);
	CU_ASSERT_STRING_EQUAL(p->arch, "x86_64");
	static unsigned char page[KD_BLOCK];
	const uint64_t first = 5;
	for (int round = 0; round < 3; round++) {
		/* The page, then enough others to evict it (a ghost). */
		for (uint64_t pfn = first; pfn < KD_DUMPED; pfn++) {
			memset(page, 0, sizeof(page));
			SS_ASSERT_OK(ss_dump_read(dump, SS_KPHYSADDR,
						  pfn * KD_BLOCK, page,
						  sizeof(page)));
		}
		CU_ASSERT_EQUAL(page[100], kd_byte(100));
		struct ss_error *err =
			ss_dump_read(dump, SS_KPHYSADDR,
				     (KD_DUMPED + 100) * KD_BLOCK + 8, page, 8);
		CU_ASSERT_PTR_NOT_NULL_FATAL(err);
		CU_ASSERT_EQUAL(err->code, SS_ERR_EXCLUDED);
		CU_ASSERT_EQUAL(err->address, (KD_DUMPED + 100) * KD_BLOCK + 8);
		ss_error_destroy(err);
		/* The evicted page again: it crashed here. */
		memset(page, 0, sizeof(page));
		SS_ASSERT_OK(ss_dump_read(dump, SS_KPHYSADDR, first * KD_BLOCK,
					  page, sizeof(page)));
		size_t bad = 0;
		for (size_t i = 0; i < sizeof(page); i++)
			bad += page[i] != kd_byte(i);
		CU_ASSERT_EQUAL(bad, 0);
	}
	/* The props survive the new context. */
	CU_ASSERT_STRING_EQUAL(p->arch, "x86_64");
	CU_ASSERT_STRING_EQUAL(p->release, "6.1.0-test-amd64");
	ss_dump_close(dump);
}

static void expect_open_error(const char *name, enum ss_errcode code,
			      const char *needle)
{
	struct ss_dump *dump = NULL;
	struct ss_error *err = ss_dump_open(tmp_path(name), &dump);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_EQUAL(err->code, code);
	/* One line, naming the file. */
	CU_ASSERT_PTR_NOT_NULL(strstr(err->message, tmp_path(name)));
	CU_ASSERT_PTR_NULL(strchr(err->message, '\n'));
	if (!strstr(err->message, needle))
		fprintf(stderr, "\n  message lacks \"%s\": %s\n", needle,
			err->message);
	CU_ASSERT_PTR_NOT_NULL(strstr(err->message, needle));
	ss_error_destroy(err);
}

static void test_bad_inputs(void)
{
	expect_open_error("missing", SS_ERR_IO, "No such file");
	expect_open_error("dir", SS_ERR_IO, "directory");
	expect_open_error("empty", SS_ERR_FORMAT, "empty");
	expect_open_error("flat", SS_ERR_FORMAT, "makedumpfile -R");
	expect_open_error("garbage", SS_ERR_FORMAT, "not a kernel dump");
	expect_open_error("novmci.elf", SS_ERR_FORMAT, "VMCOREINFO");
}

int ss_test_dump_register(void)
{
	CU_pSuite s = CU_add_suite("dump", setup, teardown);
	if (!s || !CU_add_test(s, "synthetic ELF vmcore", test_open_elf) ||
	    !CU_add_test(s, "read after an excluded page (issue 14)",
			 test_read_after_excluded) ||
	    !CU_add_test(s, "bad inputs", test_bad_inputs))
		return -1;
	return 0;
}
