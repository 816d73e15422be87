/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The versions of the libraries slabscope runs on (`slabscope --version`):
 * the run-time version where the library can tell it, else the one the
 * build compiled against.
 */
#ifndef SLABSCOPE_VERSION_H
#define SLABSCOPE_VERSION_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ss_library_version {
	const char *name; /* "libkdumpfile" */
	const char *version; /* "0.5.1" */
	/* The version compiled against: the library has no run-time
	 * query. */
	bool built_with;
};

/* libkdumpfile, libdwarf, libelf, jansson: the core library's. */
#define SS_NLIBRARIES 4
void ss_library_versions(struct ss_library_version v[SS_NLIBRARIES]);

/* Each module's own (each the only includer of its library's headers). */
struct ss_library_version ss_dump_library_version(void);
struct ss_library_version ss_dbg_dwarf_version(void);
struct ss_library_version ss_dbg_elf_version(void);
struct ss_library_version ss_report_jansson_version(void);

#ifdef __cplusplus
}
#endif

#endif
