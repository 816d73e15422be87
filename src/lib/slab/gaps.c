/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a filtered or partial dump lacks.  makedumpfile -d 31 is meant to
 * drop only free, cache and user pages, but one that does not know the
 * kernel (bookworm's 1.7.2 on 6.12; even sid's 1.7.8 on 7.2) drops slab
 * pages too.  The counts then cover what the dump holds; this says, per
 * cache, by how much they fall short, so that no count is silently low.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model_priv.h"

struct ss_error *ss_model_sum_gaps(struct ss_model *m)
{
	struct ss_dump_gaps *g = &m->gaps;
	for (size_t ci = 0; ci < m->ncaches; ci++) {
		struct ss_cache *c = &m->caches[ci];
		if (!c->unreadable_slabs && !c->missing_slabs)
			continue;
		g->caches_incomplete++;
		g->unreadable_slabs += c->unreadable_slabs;
		g->missing_slabs += c->missing_slabs;
		uint64_t unknown = c->unreadable_unknown;
		g->unknown_objects += unknown;
		char missing[128] = "";
		if (c->missing_slabs)
			snprintf(missing, sizeof(missing),
				 "%s%" PRIu64 " slabs its nodes count are in "
				 "struct pages the dump lacks",
				 c->unreadable_slabs ? "; " : "",
				 c->missing_slabs);
		char unread[256] = "";
		if (c->unreadable_slabs)
			snprintf(unread, sizeof(unread),
				 "the memory of %" PRIu64 " of %" PRIu64
				 " slabs is not readable from the dump%s",
				 c->unreadable_slabs, c->nslabs,
				 unknown ? ""
					 : " (their objects' states are "
					   "known from off-slab indices)");
		if (c->unreadable_slabs && unknown)
			snprintf(unread + strlen(unread),
				 sizeof(unread) - strlen(unread),
				 " (%" PRIu64 " objects unknown)", unknown);
		struct ss_error *err = ss_model_record(
			m,
			&(struct ss_anomaly_at){
				.kind = SS_FINDING_DUMP_INCOMPLETE,
				.cache = c,
				.address = c->addr },
			"%s%s: its counts cover what the dump holds", unread,
			missing);
		if (err)
			return err;
	}
	return NULL;
}

const struct ss_dump_gaps *ss_model_dump_gaps(const struct ss_model *m)
{
	return &m->gaps;
}

bool ss_dump_gaps_any(const struct ss_dump_gaps *g)
{
	return g->cache_list_incomplete || g->caches_lost ||
	       g->struct_pages_missing || g->caches_incomplete;
}
