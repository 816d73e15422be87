/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the dump file's own headers say before libkdumpfile reads it: the
 * container kind, whether the file is complete, and the facts libkdumpfile
 * does not expose (makedumpfile's dump level and compression).
 *
 * libkdumpfile 0.5 maps dump files and trusts their headers: a truncated
 * file makes it fault (SIGBUS past the end of the mapping, or a crash
 * freeing a half-opened context).  A dump from a broken machine is often
 * truncated, so every header-declared extent is checked here first.
 */
#ifndef SS_DUMP_FILE_H
#define SS_DUMP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>

/* At most this many damaged page descriptors make damaged pages; more,
 * and the descriptor table itself is taken as damaged. */
#define SS_DUMP_DAMAGED_MAX 64

struct ss_dump_file_facts {
	bool kdump;              /* kdump-compressed / diskdump */
	uint64_t block_size; /* kdump: the header's block size */
	int dump_level;          /* -1 if unknown */
	const char *compression; /* static string */
	/* Page frames whose kdump page descriptor is damaged (more data than
	 * a page, or data far past the end of the file), ascending: never
	 * given to libkdumpfile, which overflows its page buffer on the
	 * first kind.  A damaged page is an unreadable page. */
	uint64_t damaged_pfns[SS_DUMP_DAMAGED_MAX];
	size_t ndamaged;
};

struct ss_error *ss_dump_file_check(int fd, const char *path,
				    struct ss_dump_file_facts *facts);

/* Whether page frame pfn's descriptor is damaged. */
bool ss_dump_file_damaged(const struct ss_dump_file_facts *facts, uint64_t pfn);

#endif
