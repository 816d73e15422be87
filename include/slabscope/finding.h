/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every kind of finding: the model records corrupt kernel state under these
 * kinds (anomalies), `slabscope check` adds the byte kinds.  The kind is an
 * index into ss_finding_kinds[], which holds the stable id (what scripts,
 * rules files and JSON consumers match on: never rename one), the severity
 * and the one-line explanation that man/slabscope-check.1 lists too.
 */
#ifndef SLABSCOPE_FINDING_H
#define SLABSCOPE_FINDING_H

#ifdef __cplusplus
extern "C" {
#endif

enum ss_finding_id {
	/* decoded free pointer not an object of the slab */
	SS_FINDING_FREEPTR_INVALID,
	/* a valid-looking free pointer that was partly overwritten */
	SS_FINDING_FREEPTR_REDIRECTED,
	/* an object reached twice on a freelist */
	SS_FINDING_FREELIST_CYCLE,
	/* free on two freelists */
	SS_FINDING_DOUBLE_FREE,
	/* a counter disagrees with what was walked */
	SS_FINDING_COUNTER_MISMATCH,
	/* a list is corrupt */
	SS_FINDING_LIST_CORRUPT,
	/* a slab page whose cache is not a cache */
	SS_FINDING_SLAB_CACHE_INVALID,
	/* memory that should be there is not */
	SS_FINDING_UNREADABLE,
	/* byte patterns of debug caches (slabscope check) */
	SS_FINDING_REDZONE_OVERWRITTEN,
	SS_FINDING_POISON_OVERWRITTEN,
	SS_FINDING_PADDING_OVERWRITTEN,
	/* a cache's slabs or kmem_cache are not in the dump */
	SS_FINDING_DUMP_INCOMPLETE,
	/* a kmem_cache field holds a value no cache can have */
	SS_FINDING_CACHE_FIELD_INVALID,
	SS_FINDING_NKINDS
};

enum ss_severity {
	SS_SEV_WARNING,
	SS_SEV_ERROR,
};
const char *ss_severity_name(enum ss_severity s);

/* Every finding kind: stable id, severity, one-line explanation. */
struct ss_finding_kind {
	const char *id;
	enum ss_severity severity;
	const char *explanation;
};
/* Indexed by enum ss_finding_id; an entry with id NULL ends it. */
extern const struct ss_finding_kind ss_finding_kinds[SS_FINDING_NKINDS + 1];
/* The kind whose id is id (rules files name kinds), or NULL. */
const struct ss_finding_kind *ss_finding_kind_find(const char *id);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_FINDING_H */
