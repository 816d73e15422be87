/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every finding kind: its stable id (what scripts, rules files and JSON
 * consumers match on: never rename one), severity and one-line
 * explanation.  man/slabscope-check.1 lists the same table.
 */
#include <string.h>

#include <slabscope/check.h>

const struct ss_finding_kind ss_finding_kinds[SS_FINDING_NKINDS + 1] = {
	[SS_FINDING_FREEPTR_INVALID] = { "freeptr-invalid", SS_SEV_ERROR,
					 "a free object's stored free pointer, "
					 "decoded, is not an object of "
					 "the same slab (out of the slab, "
					 "misaligned or non-canonical): "
					 "something wrote over it, typically "
					 "an overflow from the object "
					 "before it" },
	[SS_FINDING_FREEPTR_REDIRECTED] = { "freeptr-redirected", SS_SEV_ERROR,
					    "a free object's free pointer "
					    "names an object of its slab, but "
					    "differs only in its low byte from "
					    "the head of a chain of free "
					    "objects "
					    "that no freelist reaches: it was "
					    "partly overwritten and now "
					    "sends the allocator to the wrong "
					    "object" },
	[SS_FINDING_FREELIST_CYCLE] = { "freelist-cycle", SS_SEV_ERROR,
					"a freelist reaches the same object "
					"twice: a double free or a "
					"corrupted pointer closed a loop" },
	[SS_FINDING_DOUBLE_FREE] = { "double-free", SS_SEV_ERROR,
				     "an object is on two freelists at once "
				     "(the slab's and a CPU's): "
				     "it was freed twice" },
	[SS_FINDING_COUNTER_MISMATCH] = { "counter-mismatch", SS_SEV_ERROR,
					  "a slab, node or cache counter "
					  "(inuse, objects, nr_partial, "
					  "nr_slabs, total_objects; SLAB: "
					  "free_objects, total_slabs, num) or "
					  "max_pfn disagrees with what the "
					  "walk found or with what can be" },
	[SS_FINDING_LIST_CORRUPT] = { "list-corrupt", SS_SEV_ERROR,
				      "a CPU, partial or full list has an "
				      "inconsistent link, an entry "
				      "that is not a slab, or a slab of "
				      "another cache" },
	[SS_FINDING_SLAB_CACHE_INVALID] = { "slab-cache-invalid", SS_SEV_ERROR,
					    "a page marked PG_slab names as "
					    "its cache something that is not "
					    "on "
					    "slab_caches" },
	[SS_FINDING_UNREADABLE] = { "unreadable", SS_SEV_WARNING,
				    "memory the allocator's structures point "
				    "to is not in the dump "
				    "(excluded by makedumpfile or not mapped) "
				    "or its data in the dump "
				    "file is corrupt: that part could not be "
				    "checked" },
	[SS_FINDING_REDZONE_OVERWRITTEN] = { "redzone-overwritten",
					     SS_SEV_ERROR,
					     "a red zone around an object does "
					     "not hold its pattern (0xcc while "
					     "allocated, 0xbb while free): an "
					     "out-of-bounds write" },
	[SS_FINDING_POISON_OVERWRITTEN] = { "poison-overwritten", SS_SEV_ERROR,
					    "a free object of a SLAB_POISON "
					    "cache does not hold POISON_FREE "
					    "0x6b ending in POISON_END 0xa5: "
					    "it was written after it was "
					    "freed" },
	[SS_FINDING_PADDING_OVERWRITTEN] = { "padding-overwritten",
					     SS_SEV_ERROR,
					     "padding after an object's "
					     "metadata, or at the slab's tail, "
					     "does "
					     "not hold POISON_INUSE 0x5a: an "
					     "out-of-bounds write" },
	[SS_FINDING_DUMP_INCOMPLETE] = { "dump-incomplete", SS_SEV_WARNING,
					 "a cache's slabs, struct pages or "
					 "kmem_cache are not in the dump "
					 "(filtered out by makedumpfile -d): "
					 "its counts cover what the dump "
					 "holds, and the message says how "
					 "much is missing" },
	[SS_FINDING_CACHE_FIELD_INVALID] = { "cache-field-invalid",
					     SS_SEV_ERROR,
					     "a kmem_cache field holds a value "
					     "no cache can have (object_size "
					     "0, an order/objects word oo or "
					     "an inuse its size cannot have, "
					     "a NULL cpu_slab): the message "
					     "names the field, and the cache "
					     "is analysed as far as the rest "
					     "allows" },
	[SS_FINDING_NKINDS] = { NULL, SS_SEV_ERROR, NULL },
};

const struct ss_finding_kind *ss_finding_kind_find(const char *id)
{
	for (const struct ss_finding_kind *k = ss_finding_kinds; k->id; k++)
		if (strcmp(k->id, id) == 0)
			return k;
	return NULL;
}

const char *ss_severity_name(enum ss_severity s)
{
	return s == SS_SEV_ERROR ? "error" : "warning";
}
