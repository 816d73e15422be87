/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Header checks of dump files: see dump_file.h. */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
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
#define DH_MAX_MAPNR_OFF 440
#define DH_SIZE 464
#define DH_VERSION_OFF 8
#define SUBHDR_DUMP_LEVEL_OFF 8
#define SUBHDR_VMCOREINFO_OFF 32 /* offset_vmcoreinfo, size_vmcoreinfo */
#define SUBHDR_NOTE_OFF 48       /* offset_note, size_note */
#define SUBHDR_ERASEINFO_OFF 64  /* offset_eraseinfo, size_eraseinfo */
#define SUBHDR_MAX_MAPNR_64_OFF 96 /* header version 6 on */
#define PAGE_DESC_SIZE 24 /* offset u64, size u32, flags u32, page_flags u64 */
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

/* Past this, an end a header field claims is the field's damage, not a
 * copy cut short: no dump of a real machine is that much larger than
 * what is left of it. */
#define CORRUPT_END_MIN (1ULL << 40)
#define CORRUPT_END_FACTOR 64

static struct ss_error *truncated(const char *path, uint64_t need,
				  uint64_t have, const char *what)
{
	if (need >= CORRUPT_END_MIN && need / CORRUPT_END_FACTOR > have)
		return ss_error_create(
			SS_ERR_FORMAT,
			"%s: corrupt dump header: the %s would extend to byte "
			"%" PRIu64 ", but the file has %" PRIu64 " bytes: a "
			"header field is damaged",
			path, what, need, have);
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
 * VMCOREINFO text as libkdumpfile 0.5 will parse it: it files each line
 * under its key as an attribute path split at '.', and a line that starts
 * with '.' (an empty first component) crashes it while the dump is opened
 * (SIGSEGV in kdump_open_fd(); found by tests/fuzz/fuzz_dump.c).  No
 * kernel writes such a line.
 */
static struct ss_error *check_vmcoreinfo_text(const char *path,
					      const unsigned char *p,
					      size_t len)
{
	unsigned line = 1;
	for (size_t i = 0; i < len; i++) {
		if ((i == 0 || p[i - 1] == '\n') && p[i] == '.')
			return ss_error_create(SS_ERR_FORMAT,
					       "%s: corrupt VMCOREINFO: line %u "
					       "starts with '.'",
					       path, line);
		line += p[i] == '\n';
	}
	return NULL;
}

/* Notes bigger than this are not checked (a vmcore has a few KiB: a
 * PRSTATUS and a QEMU note per CPU, VMCOREINFO). */
#define MAX_NOTES_CHECKED (16u << 20)

/* The VMCOREINFO note(s) of an ELF note area at [off, off + len). */
static struct ss_error *check_notes(int fd, const char *path, uint64_t off,
				    uint64_t len)
{
	if (len == 0 || len > MAX_NOTES_CHECKED)
		return NULL;
	unsigned char *buf = malloc(len);
	if (!buf)
		return &ss_error_nomem;
	int rc = pread_full(fd, buf, len, off);
	struct ss_error *err = NULL;
	if (rc < 0)
		err = ss_error_errno(errno, SS_ERR_IO, "%s: cannot read", path);
	/* p may pass len by the padding of the last note. */
	bool found = false;
	for (uint64_t p = 0; rc == 1 && !err && p <= len && len - p >= 12;) {
		uint32_t namesz, descsz;
		memcpy(&namesz, buf + p, 4);
		memcpy(&descsz, buf + p + 4, 4);
		uint64_t name = p + 12;
		uint64_t desc = name + (((uint64_t)namesz + 3) & ~3ULL);
		uint64_t next = desc + (((uint64_t)descsz + 3) & ~3ULL);
		if (desc > len || descsz > len - desc) {
			/* libkdumpfile stops there too: with no VMCOREINFO
			 * before it, the dump would be called one without
			 * VMCOREINFO, when its notes are damaged. */
			if (!found)
				err = ss_error_create(
					SS_ERR_FORMAT,
					"%s: corrupt ELF notes (%" PRIu64
					" bytes at byte %" PRIu64 "): they do "
					"not parse (at byte %" PRIu64 " a note "
					"claims a %" PRIu32 "-byte name and a "
					"%" PRIu32 "-byte description), so "
					"VMCOREINFO cannot be found",
					path, len, off, off + p, namesz,
					descsz);
			break;
		}
		if (namesz >= 10 && memcmp(buf + name, "VMCOREINFO", 10) == 0) {
			found = true;
			err = check_vmcoreinfo_text(path, buf + desc, descsz);
		}
		p = next;
	}
	free(buf);
	return err;
}

/* A bare VMCOREINFO blob (kdump sub-header version 3). */
static struct ss_error *check_notes_text(int fd, const char *path,
					 uint64_t off, uint64_t len)
{
	if (len == 0 || len > MAX_NOTES_CHECKED)
		return NULL;
	unsigned char *buf = malloc(len);
	if (!buf)
		return &ss_error_nomem;
	int rc = pread_full(fd, buf, len, off);
	struct ss_error *err =
		rc < 0 ? ss_error_errno(errno, SS_ERR_IO, "%s: cannot read", path)
		: rc == 1 ? check_vmcoreinfo_text(path, buf, len)
			  : NULL;
	free(buf);
	return err;
}

/*
 * The page frames of the damaged descriptors idx[0..n) (ascending
 * indices into the descriptor table): descriptor k belongs to the page of
 * the k-th set bit of the dumped-pages bitmap at off (len bytes).
 */
static struct ss_error *damaged_pfns(int fd, const char *path, uint64_t off,
				     uint64_t len, const uint64_t *idx,
				     size_t n, struct ss_dump_file_facts *facts)
{
	unsigned char buf[65536];
	uint64_t seen = 0; /* set bits before buf */
	size_t k = 0;
	for (uint64_t pos = 0; pos < len && k < n; pos += sizeof(buf)) {
		size_t m = len - pos < sizeof(buf) ? (size_t)(len - pos)
						   : sizeof(buf);
		int rc = pread_full(fd, buf, m, off + pos);
		if (rc != 1)
			return read_err(path, rc, off + len, off + len,
					"bitmaps");
		for (size_t b = 0; b < m && k < n; b++) {
			unsigned bits = buf[b];
			unsigned cnt = (unsigned)__builtin_popcount(bits);
			while (k < n && idx[k] < seen + cnt) {
				/* the (idx[k] - seen)-th set bit of bits */
				unsigned want = (unsigned)(idx[k] - seen), bit;
				for (bit = 0; bit < 8; bit++)
					if (((bits >> bit) & 1) && want-- == 0)
						break;
				facts->damaged_pfns[facts->ndamaged++] =
					(pos + b) * 8 + bit;
				k++;
			}
			seen += cnt;
		}
	}
	return NULL;
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
	/* No bitmap blocks (no page at all) made libkdumpfile 0.5 malloc
	 * 2 GiB while opening (found by tests/fuzz/fuzz_dump.c). */
	if (block_size < 512 || block_size > (1 << 20) ||
	    (block_size & (block_size - 1)) || sub_hdr_size < 0 ||
	    sub_hdr_size > 1024 || bitmap_blocks % 2 || bitmap_blocks == 0)
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: corrupt kdump header (block size "
				       "%d, sub-header %d blocks, bitmap %u "
				       "blocks)",
				       path, block_size, sub_hdr_size,
				       bitmap_blocks);
	uint64_t bs = (uint64_t)block_size;
	facts->block_size = bs;

	/*
	 * libkdumpfile 0.5 tries the 32-bit header layout first (a 4-byte
	 * timeval: block_size at 416, bitmap_blocks at 424, max_mapnr at
	 * 428, in either byte order) and takes the file as a 32-bit dump
	 * when that block size is a power of two from 256 to 4 MiB and the
	 * bitmap covers max_mapnr.  Here that is the 64-bit header's
	 * timestamp and status: a tv_usec of 0x800000 gave 8 MiB "pages" and
	 * a 2 GiB malloc (found by tests/fuzz/fuzz_dump.c).  slabscope reads
	 * x86-64 dumps only, and libkdumpfile would misread this one anyway.
	 */
	for (int be = 0; be < 2; be++) {
		uint32_t v[4]; /* block_size, sub_hdr_size, bitmap_blocks, max_mapnr */
		memcpy(v, hdr + 416, sizeof(v));
		if (be)
			for (int i = 0; i < 4; i++)
				v[i] = __builtin_bswap32(v[i]);
		if (v[0] >= 256 && v[0] <= (1u << 22) && !(v[0] & (v[0] - 1)) &&
		    8 * (uint64_t)v[2] * v[0] >= v[3])
			return ss_error_create(
				SS_ERR_FORMAT,
				"%s: kdump header that libkdumpfile reads as a "
				"32-bit dump (block size %" PRIu32 "); not an "
				"x86-64 dump",
				path, v[0]);
	}

	int32_t level;
	rc = pread_full(fd, &level, sizeof(level), bs + SUBHDR_DUMP_LEVEL_OFF);
	if (rc != 1)
		return read_err(path, rc, bs + SUBHDR_DUMP_LEVEL_OFF + 4, size,
				"sub-header");
	facts->dump_level = (level >= 0 && level <= 31) ? level : -1;

	/*
	 * What the sub-header points to (kdump_sub_header, 64-bit):
	 * VMCOREINFO from version 3, the ELF notes and the erase info from
	 * version 4.  libkdumpfile allocates each declared size before it
	 * reads: a note size of 8 GiB in a 47 KB file made it malloc 8 GiB
	 * (found by tests/fuzz/fuzz_dump.c).
	 */
	int32_t version;
	memcpy(&version, hdr + DH_VERSION_OFF, 4);
	static const struct {
		int32_t since;
		unsigned off;
		const char *what;
	} blobs[] = {
		{ 3, SUBHDR_VMCOREINFO_OFF, "VMCOREINFO" },
		{ 4, SUBHDR_NOTE_OFF, "note data" },
		{ 4, SUBHDR_ERASEINFO_OFF, "erase info" },
	};
	for (size_t i = 0; i < sizeof(blobs) / sizeof(blobs[0]); i++) {
		if (version < blobs[i].since)
			continue;
		uint64_t ext[2]; /* offset, size */
		rc = pread_full(fd, ext, sizeof(ext), bs + blobs[i].off);
		if (rc != 1)
			return read_err(path, rc, bs + blobs[i].off + 16, size,
					"sub-header");
		if (ext[1] && (ext[0] > size || ext[1] > size - ext[0]))
			return truncated(path, ext[0] + ext[1], size,
					 blobs[i].what);
		struct ss_error *err = NULL;
		if (blobs[i].off == SUBHDR_NOTE_OFF)
			err = check_notes(fd, path, ext[0], ext[1]);
		else if (blobs[i].off == SUBHDR_VMCOREINFO_OFF && version < 4)
			err = check_notes_text(fd, path, ext[0], ext[1]);
		if (err)
			return err;
	}

	/*
	 * The bitmaps' size follows from max_mapnr: makedumpfile and QEMU
	 * both write two bitmaps of max_mapnr bits each, rounded up to whole
	 * blocks.  Checked before anything reads them: a header claiming a
	 * 1 TiB bitmap on a sparse 2 TiB file had the count below read it
	 * all, and max_mapnr 0xffffffff against a real bitmap made
	 * libkdumpfile's open fail on a path that frees memory kdump_free()
	 * then reads (docs/libkdumpfile-bugs.md).
	 */
	uint32_t max_mapnr32;
	memcpy(&max_mapnr32, hdr + DH_MAX_MAPNR_OFF, 4);
	uint64_t max_mapnr = max_mapnr32;
	if (version >= 6) {
		uint64_t mm64;
		rc = pread_full(fd, &mm64, sizeof(mm64),
				bs + SUBHDR_MAX_MAPNR_64_OFF);
		if (rc != 1)
			return read_err(path, rc,
					bs + SUBHDR_MAX_MAPNR_64_OFF + 8, size,
					"sub-header");
		/* The 32-bit field is the 64-bit one, capped (a writer that
		 * leaves the 64-bit one 0 has only the other). */
		if (mm64 &&
		    max_mapnr32 != (mm64 > UINT32_MAX ? UINT32_MAX : mm64))
			return ss_error_create(
				SS_ERR_FORMAT,
				"%s: corrupt kdump header: max_mapnr is %#" PRIx32
				" but the sub-header's max_mapnr_64 is %#" PRIx64,
				path, max_mapnr32, mm64);
		if (mm64)
			max_mapnr = mm64;
	}
	uint64_t half = bs * bitmap_blocks / 2;
	uint64_t half_blocks = ((max_mapnr + 7) / 8 + bs - 1) / bs;
	if (max_mapnr == 0 || max_mapnr > (1ULL << 44) ||
	    half != half_blocks * bs)
		return ss_error_create(
			SS_ERR_FORMAT,
			"%s: corrupt kdump header: max_mapnr %#" PRIx64
			" needs bitmaps of %" PRIu64 " blocks, the header "
			"says %" PRIu32,
			path, max_mapnr, 2 * half_blocks, bitmap_blocks);
	uint64_t bitmap_off = bs * (1 + (uint64_t)sub_hdr_size);
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
	 * Every descriptor's data size: libkdumpfile 0.5 reads a page's data
	 * into a page-sized buffer, so a descriptor claiming more than a page
	 * (51745 bytes, compressed) overflowed its heap (found by
	 * tests/fuzz/fuzz_dump.c).  makedumpfile and QEMU store a page
	 * compressed only when that is smaller, raw otherwise: never more.
	 * Such a descriptor, or one whose data would lie far past the end of
	 * the file (a damaged offset, not a truncation: see truncated()),
	 * makes its page a damaged one, which slabscope never asks
	 * libkdumpfile for; more than SS_DUMP_DAMAGED_MAX of them, and the
	 * table is damaged.  Reading the table costs 24 bytes a page
	 * (24 MiB for 4 GiB, read sequentially once).
	 *
	 * And the end of the data: pages follow in PFN order, but zero pages
	 * all point at one shared copy near the start, so the highest PFN
	 * need not hold the highest offset: take the maximum.
	 */
	uint64_t data_end = 0, data_start = UINT64_MAX, low_max = 0;
	bool at_end = false; /* a page's data begins where the table ends */
	uint64_t damaged[SS_DUMP_DAMAGED_MAX]; /* descriptor indices */
	size_t ndamaged = 0;
	struct ss_error *too_many = NULL;
	for (uint64_t i = 0; i < ndumped;) {
		size_t n = (size_t)(ndumped - i);
		if (n > sizeof(buf) / PAGE_DESC_SIZE)
			n = sizeof(buf) / PAGE_DESC_SIZE;
		rc = pread_full(fd, buf, n * PAGE_DESC_SIZE,
				desc_off + i * PAGE_DESC_SIZE);
		if (rc != 1) {
			ss_error_destroy(too_many);
			return read_err(path, rc, table_end, size,
					"page descriptor table");
		}
		for (size_t j = 0; j < n; j++) {
			uint64_t data_off;
			uint32_t data_size;
			memcpy(&data_off, buf + j * PAGE_DESC_SIZE, 8);
			memcpy(&data_size, buf + j * PAGE_DESC_SIZE + 8, 4);
			bool far =
				data_off > UINT64_MAX - data_size ||
				(data_off + data_size > size &&
				 data_off + data_size >= CORRUPT_END_MIN &&
				 (data_off + data_size) / CORRUPT_END_FACTOR >
					 size);
			/* data inside the headers or the table */
			bool low = data_off < table_end;
			if (low && data_off > low_max)
				low_max = data_off;
			at_end |= data_off == table_end;
			if (data_size > bs || far || low) {
				if (ndamaged < SS_DUMP_DAMAGED_MAX)
					damaged[ndamaged++] = i + j;
				else if (!too_many)
					too_many = ss_error_create(
						SS_ERR_FORMAT,
						"%s: corrupt kdump page "
						"descriptor table: more than "
						"%d descriptors are damaged "
						"(%" PRIu64 ": %" PRIu32
						" bytes at offset %" PRIu64
						" for a %" PRIu64 "-byte page)",
						path, SS_DUMP_DAMAGED_MAX,
						i + j, data_size, data_off, bs);
				continue;
			}
			if (data_off < data_start)
				data_start = data_off;
			if (data_off + data_size > data_end)
				data_end = data_off + data_size;
		}
		i += n;
	}
	if (data_end > size && !(status & DUMP_DH_COMPRESSED_INCOMPLETE)) {
		ss_error_destroy(too_many);
		return truncated(path, data_end, size, "page data");
	}
	/*
	 * makedumpfile and QEMU write the page data right after the table
	 * (the first page written, often the shared zero page, at its end):
	 * true of every fixture of every generation and format.  k bits
	 * cleared in the dumped-pages bitmap leave the table k descriptors
	 * longer than the bitmap says: the data begins k descriptors past
	 * the end; k bits set, k descriptors before it.  Every page after
	 * such a bit would be read from another page's data (nothing
	 * translates: the page tables are among them).  Not checked on an
	 * incomplete dump, whose writer stopped early.  Where no page's data
	 * begins at the table's end, the data's first byte is taken to be
	 * the highest offset below the end (when bits were set, the last
	 * "descriptors" are the data's first bytes, anything), else the
	 * lowest above it.
	 */
	uint64_t first = low_max ? low_max : data_start;
	uint64_t gap =
		first > table_end ? first - table_end : table_end - first;
	if (!(status & DUMP_DH_COMPRESSED_INCOMPLETE) && !at_end &&
	    first != UINT64_MAX && gap % PAGE_DESC_SIZE == 0 &&
	    gap / PAGE_DESC_SIZE <= SS_DUMP_DAMAGED_MAX) {
		ss_error_destroy(too_many);
		return ss_error_create(
			SS_ERR_FORMAT,
			"%s: corrupt kdump header: the dumped-pages bitmap lists "
			"%" PRIu64 " pages, but the page data begins at byte "
			"%" PRIu64 ", where a table of %" PRIu64 " descriptors "
			"would end: the bitmap is damaged (each page after the "
			"damaged bit would be read from another page's data)",
			path, ndumped, first,
			first > desc_off ? (first - desc_off) / PAGE_DESC_SIZE
					 : 0);
	}
	if (too_many)
		return too_many;
	return ndamaged ? damaged_pfns(fd, path, bitmap_off + half, half,
				       damaged, ndamaged, facts)
			: NULL;
}

bool ss_dump_file_damaged(const struct ss_dump_file_facts *facts, uint64_t pfn)
{
	size_t lo = 0, hi = facts->ndamaged;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (facts->damaged_pfns[mid] < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < facts->ndamaged && facts->damaged_pfns[lo] == pfn;
}

/* ELF fields in the file's byte order (libkdumpfile reads both). */
static uint64_t elf_get(const unsigned char *p, unsigned len, bool msb)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < len; i++)
		v |= (uint64_t)p[msb ? len - 1 - i : i] << (8 * i);
	return v;
}

/*
 * Check an ELF vmcore: the header tables libkdumpfile walks, and every
 * segment inside the file.
 *
 * libkdumpfile reads each program and section header as a chunk of
 * e_phentsize / e_shentsize bytes and dereferences it as a full header: an
 * entry size of 0 made it read through a NULL chunk (SIGSEGV in
 * kdump_open_fd(); found by tests/fuzz/fuzz_dump.c), a short one reads
 * past the chunk.  So any table it will walk must have the real entry
 * size and lie inside the file, for ELF32 as for ELF64, with the extended
 * numbering of section 0 (e_shnum 0, e_phnum PN_XNUM) taken into account.
 */
static struct ss_error *check_elf(int fd, const char *path, uint64_t size)
{
	unsigned char eh[sizeof(Elf64_Ehdr)];
	int rc = pread_full(fd, eh, sizeof(Elf32_Ehdr), 0);
	if (rc != 1)
		return read_err(path, rc, sizeof(Elf32_Ehdr), size,
				"ELF header");
	bool is64 = eh[EI_CLASS] == ELFCLASS64;
	bool msb = eh[EI_DATA] == ELFDATA2MSB;
	if ((!is64 && eh[EI_CLASS] != ELFCLASS32) ||
	    (!msb && eh[EI_DATA] != ELFDATA2LSB))
		return NULL; /* libkdumpfile refuses it */
	if (is64) {
		rc = pread_full(fd, eh, sizeof(Elf64_Ehdr), 0);
		if (rc != 1)
			return read_err(path, rc, sizeof(Elf64_Ehdr), size,
					"ELF header");
	}
#define EH(field)                                                          \
	elf_get(eh + (is64 ? offsetof(Elf64_Ehdr, field)                    \
			   : offsetof(Elf32_Ehdr, field)),                  \
		is64 ? sizeof(((Elf64_Ehdr *)0)->field)                     \
		     : sizeof(((Elf32_Ehdr *)0)->field),                    \
		msb)
	if (EH(e_type) != ET_CORE || EH(e_version) != EV_CURRENT)
		return NULL; /* libkdumpfile refuses it */
	uint64_t phoff = EH(e_phoff), shoff = EH(e_shoff);
	uint64_t phnum = EH(e_phnum), shnum = EH(e_shnum);
	uint64_t phentsize = EH(e_phentsize), shentsize = EH(e_shentsize);
#undef EH
	uint64_t phsz = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	uint64_t shsz = is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);

	/* Extended numbering: the counts are in section header 0. */
	if (shoff != 0 && (shnum == 0 || phnum == PN_XNUM)) {
		if (shentsize != shsz)
			goto bad_header;
		unsigned char sh[sizeof(Elf64_Shdr)];
		rc = pread_full(fd, sh, shsz, shoff);
		if (rc != 1)
			return read_err(path, rc, shoff + shsz, size,
					"section header table");
		if (shnum == 0)
			shnum = is64 ? elf_get(sh + offsetof(Elf64_Shdr, sh_size),
					       8, msb)
				     : elf_get(sh + offsetof(Elf32_Shdr, sh_size),
					       4, msb);
		if (shnum > 0 && phnum == PN_XNUM)
			phnum = elf_get(sh + (is64 ? offsetof(Elf64_Shdr, sh_info)
						   : offsetof(Elf32_Shdr, sh_info)),
					4, msb);
	}
	if ((phnum && phentsize != phsz) || (shnum && shentsize != shsz))
		goto bad_header;
	/* Both tables inside the file (no overflow: counts < 2^32, entry
	 * sizes < 2^7, offsets checked against the size first). */
	if (phnum && (phoff > size || phnum * phsz > size - phoff))
		return truncated(path, phoff + phnum * phsz, size,
				 "program header table");
	if (shnum && (shoff > size || shnum * shsz > size - shoff))
		return truncated(path, shoff + shnum * shsz, size,
				 "section header table");

	for (uint64_t i = 0; i < phnum; i++) {
		unsigned char ph[sizeof(Elf64_Phdr)];
		rc = pread_full(fd, ph, phsz, phoff + i * phsz);
		if (rc != 1)
			return read_err(path, rc, phoff + phnum * phsz, size,
					"program header table");
		uint64_t type, off, filesz;
		if (is64) {
			type = elf_get(ph + offsetof(Elf64_Phdr, p_type), 4, msb);
			off = elf_get(ph + offsetof(Elf64_Phdr, p_offset), 8, msb);
			filesz = elf_get(ph + offsetof(Elf64_Phdr, p_filesz), 8,
					 msb);
		} else {
			type = elf_get(ph + offsetof(Elf32_Phdr, p_type), 4, msb);
			off = elf_get(ph + offsetof(Elf32_Phdr, p_offset), 4, msb);
			filesz = elf_get(ph + offsetof(Elf32_Phdr, p_filesz), 4,
					 msb);
		}
		if (type != PT_LOAD && type != PT_NOTE)
			continue;
		uint64_t end = off + filesz;
		if (end < off || end > size)
			return truncated(path, end,
					 size, type == PT_NOTE
						       ? "note segment"
						       : "last memory segment");
		if (type == PT_NOTE) {
			struct ss_error *err = check_notes(fd, path, off, filesz);
			if (err)
				return err;
		}
	}
	return NULL;

bad_header:
	return ss_error_create(SS_ERR_FORMAT,
			       "%s: corrupt ELF header (program header size "
			       "%" PRIu64 ", section header size %" PRIu64
			       "); not a usable vmcore",
			       path, phentsize, shentsize);
}

struct ss_error *ss_dump_file_check(int fd, const char *path,
				    struct ss_dump_file_facts *facts)
{
	struct stat st;
	facts->kdump = false;
	facts->ndamaged = 0;
	facts->dump_level = -1;
	facts->compression = "unknown";
	if (fstat(fd, &st) < 0)
		return ss_error_errno(errno, SS_ERR_IO, "%s: cannot stat", path);
	if (S_ISDIR(st.st_mode))
		return ss_error_create(SS_ERR_IO,
				       "%s: is a directory, not a dump file; "
				       "pass the vmcore inside it",
				       path);
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return ss_error_create(SS_ERR_IO, "%s: not a regular file",
				       path);
	uint64_t size = (uint64_t)st.st_size;
	if (size == 0)
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: empty file, not a dump (an "
				       "interrupted copy?)", path);
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
