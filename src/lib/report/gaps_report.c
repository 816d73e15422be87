/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the dump lacks (struct ss_dump_gaps), as one text line and as
 * JSON: caches and check print it under their results. */
#include <inttypes.h>

#include <slabscope/report.h>

json_t *ss_json_dump_gaps(const struct ss_dump_gaps *g)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	int bad = 0;
	bad |= json_object_set_new(o, "complete",
				   json_boolean(!ss_dump_gaps_any(g)));
	bad |= json_object_set_new(o, "cache_list_incomplete",
				   json_boolean(g->cache_list_incomplete));
	bad |= json_object_set_new(
		o, "caches_recovered",
		json_integer((json_int_t)g->caches_recovered));
	bad |= json_object_set_new(o, "caches_lost",
				   json_integer((json_int_t)g->caches_lost));
	bad |= json_object_set_new(
		o, "lost_cache_slabs",
		json_integer((json_int_t)g->lost_cache_slabs));
	bad |= json_object_set_new(
		o, "struct_pages_missing",
		json_integer((json_int_t)g->struct_pages_missing));
	bad |= json_object_set_new(
		o, "caches_incomplete",
		json_integer((json_int_t)g->caches_incomplete));
	bad |= json_object_set_new(
		o, "unreadable_slabs",
		json_integer((json_int_t)g->unreadable_slabs));
	bad |= json_object_set_new(o, "missing_slabs",
				   json_integer((json_int_t)g->missing_slabs));
	bad |= json_object_set_new(
		o, "unknown_objects",
		json_integer((json_int_t)g->unknown_objects));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *ss_json_cache_gaps(const struct ss_cache *c)
{
	if (!c->unreadable_slabs && !c->missing_slabs)
		return json_null();
	json_t *o = json_object();
	if (!o)
		return NULL;
	int bad = 0;
	bad |= json_object_set_new(
		o, "unreadable_slabs",
		json_integer((json_int_t)c->unreadable_slabs));
	bad |= json_object_set_new(
		o, "unknown_objects",
		json_integer((json_int_t)c->unreadable_unknown));
	bad |= json_object_set_new(o, "missing_slabs",
				   json_integer((json_int_t)c->missing_slabs));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void ss_report_gaps_text(const struct ss_dump_gaps *g, FILE *out)
{
	if (!ss_dump_gaps_any(g))
		return;
	fprintf(out, "dump incomplete (pages filtered out of it):");
	const char *sep = " ";
	if (g->caches_incomplete) {
		fprintf(out,
			"%s%zu caches lack the memory of %" PRIu64
			" slabs (%" PRIu64 " objects unknown)",
			sep, g->caches_incomplete, g->unreadable_slabs,
			g->unknown_objects);
		if (g->missing_slabs)
			fprintf(out, " and %" PRIu64 " slabs' struct pages",
				g->missing_slabs);
		sep = "; ";
	}
	if (g->struct_pages_missing) {
		fprintf(out, "%s%" PRIu64 " struct pages missing", sep,
			g->struct_pages_missing);
		sep = "; ";
	}
	if (g->cache_list_incomplete) {
		fprintf(out,
			"%sslab_caches broke off: %zu caches found through "
			"their slabs",
			sep, g->caches_recovered);
		if (g->caches_lost)
			fprintf(out,
				", %zu kmem_caches not in the dump (%" PRIu64
				" slabs not counted)",
				g->caches_lost, g->lost_cache_slabs);
		fprintf(out, ", caches without slabs may be missing");
	}
	fprintf(out, ": counts cover what the dump holds\n");
}
