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

#include <slabscope/error.h>

struct ss_dump_file_facts {
	bool kdump;              /* kdump-compressed / diskdump */
	int dump_level;          /* -1 if unknown */
	const char *compression; /* static string */
};

struct ss_error *ss_dump_file_check(int fd, const char *path,
				    struct ss_dump_file_facts *facts);

#endif
