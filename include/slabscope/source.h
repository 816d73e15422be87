/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What an analysis was made from: the dump (its path and format), the
 * vmlinux, the kernel release and the slab allocator.  Every JSON document
 * carries it as "source" (schema/README.md), a batch row per dump and a
 * diff per side; a snapshot saved with `caches --json` carries it on to
 * the diff that reads the snapshot back.
 */
#ifndef SLABSCOPE_SOURCE_H
#define SLABSCOPE_SOURCE_H

#include <jansson.h>

#include <slabscope/error.h>
#include <slabscope/kernel.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ss_model;

/* Owned strings (results and snapshots outlive their kernel); NULL: not
 * known. */
struct ss_dump_source {
	char *dump; /* the path as given */
	char *format; /* "elf", "kdump-compressed", ... */
	char *vmlinux; /* the vmlinux given or found */
	char *release; /* OSRELEASE of VMCOREINFO */
	char *allocator; /* "SLUB", "SLAB" */
};

/* From an open kernel and its model (m NULL: the allocator is probed
 * from the debug info, as `slabscope info` does). */
struct ss_error *ss_dump_source_get(struct ss_kernel *k,
				    const struct ss_model *m,
				    struct ss_dump_source *ret);
/* What the dump alone says (no vmlinux, no allocator): for a dump whose
 * kernel could not be opened.  Never fails but for out of memory: an
 * unreadable dump leaves all but the path NULL. */
struct ss_error *ss_dump_source_of_dump(const char *path,
					struct ss_dump_source *ret);
void ss_dump_source_deinit(struct ss_dump_source *s);

/* {"dump", "format", "vmlinux", "release", "allocator"}, each a string
 * or null. */
json_t *ss_dump_source_json(const struct ss_dump_source *s);
/* The other way: SS_ERR_FORMAT unless j is an object whose "dump" is a
 * string; other members that are not strings are left NULL. */
struct ss_error *ss_dump_source_from_json(const json_t *j,
					  struct ss_dump_source *ret);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_SOURCE_H */
