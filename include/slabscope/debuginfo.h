/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the debug files of a kernel and of its modules are found: given
 * files, the dump's directory, the system's debug directories (by build-id
 * and by release), and a debuginfod server.
 *
 * System paths are under $SLABSCOPE_SYSROOT when it is set (a mounted image
 * of the crashed machine, or a test's directory): $SLABSCOPE_SYSROOT/usr/
 * lib/debug, .../boot, .../lib/modules.  debuginfod (when slabscope was
 * built with libdebuginfod) is asked only when $DEBUGINFOD_URLS is set and
 * only after every local place failed; it downloads into its own cache
 * ($DEBUGINFOD_CACHE_PATH, default ~/.cache/debuginfod_client).
 */
#ifndef SLABSCOPE_DEBUGINFO_H
#define SLABSCOPE_DEBUGINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* GNU build-ids are 20 bytes (sha1); longer ones are still accepted. */
#define SS_BUILD_ID_MAX 64

/* Download progress: done and total bytes (total 0: unknown), then once
 * done = total = 0 when the download is over; what names the file
 * ("vmlinux", "module ext4").  Called from the library, printed by the
 * caller. */
typedef void (*ss_fetch_progress_fn)(void *arg, const char *what, uint64_t done,
				     uint64_t total);

/* Where the debug files of a kernel's modules are looked for. */
struct ss_debuginfo_search {
	const char *release; /* the dump's kernel release; NULL: unknown */
	const char *dump_dir; /* its directory: *.ko beside it; NULL: none */
	const char *const *modules; /* given files (--module), in order */
	size_t nmodules;
	bool no_system; /* only the given files and dump_dir (tests) */
	ss_fetch_progress_fn progress;
	void *progress_arg;
};

/* Was slabscope built with libdebuginfod? */
bool ss_debuginfod_available(void);

/* "0123abcd..." for a build-id (buf holds 2 * len + 1). */
void ss_build_id_hex(const uint8_t *id, size_t len, char *buf);
/* The bytes of a hex build-id (as VMCOREINFO's BUILD-ID=); false if it is
 * not one. */
bool ss_build_id_parse(const char *hex, uint8_t *id, size_t *len_ret);

/*
 * The debug file of a build-id: SYSROOT/usr/lib/debug/.build-id/xx/
 * rest.debug if it exists (malloc'd), else SS_ERR_NOTFOUND.
 */
struct ss_error *ss_build_id_file(const uint8_t *id, size_t len,
				  char **path_ret);

/*
 * The debug file of a build-id from debuginfod ($DEBUGINFOD_URLS),
 * downloaded into its cache: the cached file's path (malloc'd).
 * SS_ERR_NOTFOUND when debuginfod is not configured or not built in, or
 * the servers do not have it (the message says which).  Nothing is
 * printed: progress goes to progress (may be NULL).
 */
struct ss_error *ss_debuginfod_fetch(const uint8_t *id, size_t len,
				     const char *what,
				     ss_fetch_progress_fn progress,
				     void *progress_arg, char **path_ret);

/* SYSROOT + path (path absolute), malloc'd; NULL when out of memory. */
char *ss_sysroot_path(const char *path);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_DEBUGINFO_H */
