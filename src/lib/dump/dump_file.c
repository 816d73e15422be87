/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Header checks of dump files: see dump_file.h. */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump_file.h"

/* makedumpfile's flattened stream (makedumpfile -F, QEMU's kdump-*). */
#define MDF_FLAT_SIGNATURE "makedumpfile"

/* The kdump-compressed header (makedumpfile's diskdump_mod.h, 64-bit). */
#define KDUMP_SIGNATURE "KDUMP   "
#define DISKDUMP_SIGNATURE "DISKDUMP"
#define DH_STATUS_OFF 424
#define DH_BLOCK_SIZE_OFF 428
#define DH_SUB_HDR_SIZE_OFF 432
#define DH_BITMAP_BLOCKS_OFF 436
#define DH_SIZE 464
#define SUBHDR_DUMP_LEVEL_OFF 8
#define PAGE_DESC_SIZE 24
/* How many trailing page descriptors to check for the end of the data. */
#define TAIL_DESCS 8192 /* offset u64, size u32, flags u32, page_flags u64 */
#define DUMP_DH_COMPRESSED_ZLIB 0x1
#define DUMP_DH_COMPRESSED_LZO 0x2
#define DUMP_DH_COMPRESSED_SNAPPY 0x4
#define DUMP_DH_COMPRESSED_INCOMPLETE 0x8
#define DUMP_DH_COMPRESSED_ZSTD 0x20

/* 1: all read, 0: short (end of file), -1: error (errno). */
static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done,
				  (off_t)(off + done));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return 0;
		done += (size_t)n;
	}
	return 1;
}

static struct ss_error *truncated(const char *path, uint64_t need,
				  uint64_t have, const char *what)
{
	return ss_error_create(SS_ERR_FORMAT,
			       "%s: truncated dump: the %s extends to byte %" PRIu64
			       " but the file has only %" PRIu64
			       " bytes; copy the complete dump again",
			       path, what, need, have);
}

static const char *compression_name(uint32_t status)
{
	static const struct {
		uint32_t flag;
		const char *name;
	} methods[] = {
		{ DUMP_DH_COMPRESSED_ZLIB, "zlib" },
		{ DUMP_DH_COMPRESSED_LZO, "lzo" },
		{ DUMP_DH_COMPRESSED_SNAPPY, "snappy" },
		{ DUMP_DH_COMPRESSED_ZSTD, "zstd" },
	};
	const char *found = NULL;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (status & methods[i].flag) {
			if (found)
				return "mixed";
			found = methods[i].name;
		}
	}
	return found ? found : "none";
}

static struct ss_error *read_err(const char *path, int rc, uint64_t need,
				 uint64_t size, const char *what)
{
	if (rc < 0)
		return ss_error_errno(errno, SS_ERR_IO, "%s: cannot read", path);
	return truncated(path, need, size, what);
}

/*
 * Check a kdump-compressed file: header, sub-header and bitmaps present,
 * then the page descriptor of the highest dumped page and its data (pages
 * are written in PFN order, so that is the end of the file).
 */
static struct ss_error *check_kdump(int fd, const char *path, uint64_t size,
				    struct ss_dump_file_facts *facts)
{
	unsigned char hdr[DH_SIZE];
	int rc = pread_full(fd, hdr, sizeof(hdr), 0);
	if (rc != 1)
		return read_err(path, rc, sizeof(hdr), size, "header");
	uint32_t status, bitmap_blocks;
	int32_t block_size, sub_hdr_size;
	memcpy(&status, hdr + DH_STATUS_OFF, 4);
	memcpy(&block_size, hdr + DH_BLOCK_SIZE_OFF, 4);
	memcpy(&sub_hdr_size, hdr + DH_SUB_HDR_SIZE_OFF, 4);
	memcpy(&bitmap_blocks, hdr + DH_BITMAP_BLOCKS_OFF, 4);
	facts->kdump = true;
	facts->compression = compression_name(status);
	if (block_size < 512 || block_size > (1 << 20) ||
	    (block_size & (block_size - 1)) || sub_hdr_size < 0 ||
	    sub_hdr_size > 1024 || bitmap_blocks % 2)
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: corrupt kdump header (block size "
				       "%d, sub-header %d blocks, bitmap %u "
				       "blocks)",
				       path, block_size, sub_hdr_size,
				       bitmap_blocks);
	uint64_t bs = (uint64_t)block_size;
	int32_t level;
	rc = pread_full(fd, &level, sizeof(level), bs + SUBHDR_DUMP_LEVEL_OFF);
	if (rc != 1)
		return read_err(path, rc, bs + SUBHDR_DUMP_LEVEL_OFF + 4, size,
				"sub-header");
	facts->dump_level = (level >= 0 && level <= 31) ? level : -1;

	uint64_t bitmap_off = bs * (1 + (uint64_t)sub_hdr_size);
	uint64_t half = bs * bitmap_blocks / 2;
	uint64_t desc_off = bitmap_off + 2 * half;
	if (desc_off > size)
		return truncated(path, desc_off, size, "bitmaps");
	/* Count the dumped pages: set bits of the second bitmap. */
	uint64_t ndumped = 0;
	unsigned char buf[65536];
	for (uint64_t off = 0; off < half; off += sizeof(buf)) {
		size_t n = half - off < sizeof(buf) ? (size_t)(half - off)
						    : sizeof(buf);
		rc = pread_full(fd, buf, n, bitmap_off + half + off);
		if (rc != 1)
			return read_err(path, rc, desc_off, size, "bitmaps");
		size_t i = 0;
		for (; i + 8 <= n; i += 8) {
			uint64_t w;
			memcpy(&w, buf + i, 8);
			ndumped += (uint64_t)__builtin_popcountll(w);
		}
		for (; i < n; i++)
			ndumped += (uint64_t)__builtin_popcount(buf[i]);
	}
	if (ndumped == 0)
		return NULL;
	uint64_t table_end = desc_off + ndumped * PAGE_DESC_SIZE;
	if (table_end > size)
		return truncated(path, table_end, size, "page descriptor table");
	/*
	 * Page data follow in PFN order, but zero pages all point at one
	 * shared copy near the start, so the highest PFN need not hold the
	 * highest offset: take the maximum over the last descriptors.
	 */
	uint64_t first = ndumped > TAIL_DESCS ? ndumped - TAIL_DESCS : 0;
	uint64_t data_end = 0;
	for (uint64_t i = first; i < ndumped;) {
		size_t n = (size_t)(ndumped - i);
		if (n > sizeof(buf) / PAGE_DESC_SIZE)
			n = sizeof(buf) / PAGE_DESC_SIZE;
		rc = pread_full(fd, buf, n * PAGE_DESC_SIZE,
				desc_off + i * PAGE_DESC_SIZE);
		if (rc != 1)
			return read_err(path, rc, table_end, size,
					"page descriptor table");
		for (size_t j = 0; j < n; j++) {
			uint64_t data_off;
			uint32_t data_size;
			memcpy(&data_off, buf + j * PAGE_DESC_SIZE, 8);
			memcpy(&data_size, buf + j * PAGE_DESC_SIZE + 8, 4);
			if (data_off + data_size > data_end)
				data_end = data_off + data_size;
		}
		i += n;
	}
	if (data_end > size && !(status & DUMP_DH_COMPRESSED_INCOMPLETE))
		return truncated(path, data_end, size, "page data");
	return NULL;
}

/* Check an ELF vmcore: program headers and every segment inside the file. */
static struct ss_error *check_elf(int fd, const char *path, uint64_t size)
{
	Elf64_Ehdr eh;
	int rc = pread_full(fd, &eh, sizeof(eh), 0);
	if (rc != 1)
		return read_err(path, rc, sizeof(eh), size, "ELF header");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		return NULL; /* 32-bit: let libkdumpfile decide */
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0)
		return NULL;
	uint64_t ph_end = eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr);
	if (ph_end > size)
		return truncated(path, ph_end, size, "program header table");
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		rc = pread_full(fd, &ph, sizeof(ph),
				eh.e_phoff + i * sizeof(Elf64_Phdr));
		if (rc != 1)
			return read_err(path, rc, ph_end, size,
					"program header table");
		if (ph.p_type != PT_LOAD && ph.p_type != PT_NOTE)
			continue;
		uint64_t end = ph.p_offset + ph.p_filesz;
		if (end < ph.p_offset || end > size)
			return truncated(path, end,
					 size, ph.p_type == PT_NOTE
						       ? "note segment"
						       : "last memory segment");
	}
	return NULL;
}

struct ss_error *ss_dump_file_check(int fd, const char *path,
				    struct ss_dump_file_facts *facts)
{
	struct stat st;
	facts->kdump = false;
	facts->dump_level = -1;
	facts->compression = "unknown";
	if (fstat(fd, &st) < 0)
		return ss_error_errno(errno, SS_ERR_IO, "%s: cannot stat", path);
	if (S_ISDIR(st.st_mode))
		return ss_error_create(SS_ERR_IO,
				       "%s: is a directory, not a dump file",
				       path);
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return ss_error_create(SS_ERR_IO, "%s: not a regular file",
				       path);
	uint64_t size = (uint64_t)st.st_size;
	if (size == 0)
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: empty file, not a dump", path);
	char sig[16] = { 0 };
	int rc = pread_full(fd, sig, sizeof(sig), 0);
	if (rc < 0)
		return ss_error_errno(errno, SS_ERR_IO, "%s: cannot read", path);
	if (memcmp(sig, MDF_FLAT_SIGNATURE, strlen(MDF_FLAT_SIGNATURE)) == 0)
		return ss_error_create(
			SS_ERR_FORMAT,
			"%s: makedumpfile flattened format; rebuild it first "
			"with: makedumpfile -R OUTFILE < %s",
			path, path);
	if (memcmp(sig, KDUMP_SIGNATURE, 8) == 0 ||
	    memcmp(sig, DISKDUMP_SIGNATURE, 8) == 0)
		return check_kdump(fd, path, size, facts);
	if (memcmp(sig, ELFMAG, SELFMAG) == 0) {
		facts->compression = "none";
		return check_elf(fd, path, size);
	}
	return NULL;
}
