/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench-dbg: time ss_dbg_open() + the type lookups slabscope needs on a real
 * vmlinux, and report wall time and peak RSS.
 *
 *   bench-dbg [--full-scan] [--check-scan] [VMLINUX]
 *
 * VMLINUX defaults to
 * ~/.cache/slabscope/kernels/6.1.0-56-cloud-amd64/vmlinux.  The offsets of
 * that kernel are checked against pahole's (other kernels: printed only).
 * --full-scan also times a lookup that misses, i.e. visits every unit.
 * --check-scan also indexes every unit with libdwarf (seconds) and checks
 * that the fast scan (src/lib/dbg/dwarf_scan.c) found the same names.
 * --model: only the lookups the slab model makes on the kernels of 5.10 to 7.x,
 * present or not (model[]), timed; --libdwarf-scan: with the old scan.
 * Run it twice: the figures are meant for a file in the page cache.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <slabscope/dbg.h>

#include "lib/dbg/dbg_priv.h"

#define DEFAULT_KERNEL "6.1.0-56-cloud-amd64"

struct want {
	const char *type;
	const char *member;
	int64_t offset;		/* pahole, for DEFAULT_KERNEL; -1: unchecked */
	int64_t bit_offset;	/* -1: not a bitfield */
	uint32_t bit_size;
};

static const struct want wants[] = {
	{ "kmem_cache", "size", 24, -1, 0 },
	{ "kmem_cache", "offset", 40, -1, 0 },
	{ "kmem_cache", "random", 184, -1, 0 },
	{ "kmem_cache", "red_left_pad", 88, -1, 0 },
	{ "kmem_cache", "name", 96, -1, 0 },
	{ "kmem_cache", "list", 104, -1, 0 },
	{ "kmem_cache", "node", 216, -1, 0 },
	{ "kmem_cache", "node[0]", 216, -1, 0 },
	{ "kmem_cache", "oo.x", -1, -1, 0 },
	{ "kmem_cache", "object_size", -1, -1, 0 },
	{ "kmem_cache", "cpu_slab", -1, -1, 0 },
	{ "kmem_cache", "flags", -1, -1, 0 },
	{ "kmem_cache", "inuse", -1, -1, 0 },
	{ "kmem_cache", "align", -1, -1, 0 },
	{ "kmem_cache", "min_partial", -1, -1, 0 },
	{ "slab", "slab_cache", 24, -1, 0 },
	{ "slab", "freelist", 32, -1, 0 },
	{ "slab", "slab_list", 8, -1, 0 },
	{ "slab", "slab_list.next", 8, -1, 0 },
	{ "slab", "counters", 40, -1, 0 },
	{ "slab", "inuse", 40, 320, 16 },
	{ "slab", "objects", 42, 336, 15 },
	{ "slab", "frozen", 43, 351, 1 },
	{ "slab", "__page_flags", 0, -1, 0 },
	{ "kmem_cache_node", "nr_partial", 8, -1, 0 },
	{ "kmem_cache_node", "partial", 16, -1, 0 },
	{ "kmem_cache_node", "nr_slabs", 32, -1, 0 },
	{ "kmem_cache_node", "total_objects", 40, -1, 0 },
	{ "kmem_cache_node", "full", 48, -1, 0 },
	{ "kmem_cache_cpu", "freelist", 0, -1, 0 },
	{ "kmem_cache_cpu", "tid", 8, -1, 0 },
	{ "kmem_cache_cpu", "slab", 16, -1, 0 },
	{ "kmem_cache_cpu", "partial", 24, -1, 0 },
	{ "task_struct", "__state", 24, -1, 0 },
	{ "task_struct", "usage", 40, -1, 0 },
	{ "task_struct", "tasks", 2192, -1, 0 },
	{ "task_struct", "exit_state", 2308, -1, 0 },
	{ "task_struct", "pid", 2416, -1, 0 },
	{ "task_struct", "comm", 2976, -1, 0 },
	{ "page", "flags", 0, -1, 0 },
	{ "page", "compound_head", -1, -1, 0 },
	{ "list_head", "next", 0, -1, 0 },
	{ "list_head", "prev", 8, -1, 0 },
	{ "track", "addr", -1, -1, 0 },
	{ "track", "when", -1, -1, 0 },
};

static const char *const sizes[] = {
	"kmem_cache", "slab", "kmem_cache_node", "kmem_cache_cpu", "page",
	"task_struct", "list_head", "track",
};

static const char *const enumerators[] = {
	"PG_slab", "PG_head", "TRACK_ALLOC", "TRACK_FREE",
};

/*
 * What the slab model, the checks and the symbolizer look up on kernels
 * 5.10 to 7.x (the layout tables of src/lib/slab/ and their probes): each kernel
 * lacks some of these, and a miss must not cost a visit of every unit
 * with libdwarf.  type NULL: an enumerator; member NULL: a type size.
 */
static const struct {
	const char *type, *member;
} model[] = {
	{ "kmem_cache", "cpu_slab" }, { "kmem_cache", "cpu_sheaves" },
	{ "kmem_cache", "per_node" }, { "kmem_cache", "flags" },
	{ "kmem_cache", "min_partial" }, { "kmem_cache", "size" },
	{ "kmem_cache", "object_size" }, { "kmem_cache", "offset" },
	{ "kmem_cache", "cpu_partial" }, { "kmem_cache", "oo.x" },
	{ "kmem_cache", "refcount" }, { "kmem_cache", "ctor" },
	{ "kmem_cache", "inuse" }, { "kmem_cache", "align" },
	{ "kmem_cache", "red_left_pad" }, { "kmem_cache", "name" },
	{ "kmem_cache", "list" }, { "kmem_cache", "random" },
	{ "kmem_cache", "node" }, { "kmem_cache", NULL },
	{ "kmem_cache_cpu", "freelist" }, { "kmem_cache_cpu", "tid" },
	{ "kmem_cache_cpu", "slab" }, { "kmem_cache_cpu", "page" },
	{ "kmem_cache_cpu", "partial" },
	{ "kmem_cache_node", "nr_partial" }, { "kmem_cache_node", "partial" },
	{ "kmem_cache_node", "nr_slabs" },
	{ "kmem_cache_node", "total_objects" }, { "kmem_cache_node", "full" },
	{ "slab", "slab_cache" }, { "slab", "__page_flags" },
	{ "slab", "flags" }, { "slab", "freelist" }, { "slab", "slab_list" },
	{ "slab", "next" }, { "slab", "slabs" }, { "slab", "inuse" },
	{ "slab", "objects" }, { "slab", "frozen" }, { "slab", "stride" },
	{ "slab", NULL },
	{ "page", "flags" }, { "page", "compound_head" },
	{ "page", "compound_order" }, { "page", "compound_info" },
	{ "page", "page_type" }, { "page", "slab_cache" }, { "page", "lru" },
	{ "page", "pages" }, { "page", NULL },
	{ "slub_percpu_sheaves", "main" }, { "slab_sheaf", "size" },
	{ "slab_sheaf", "objects" }, { "node_barn", "sheaves_full" },
	{ "kmem_cache_per_node_ptrs", "barn" },
	{ "track", "addr" }, { "track", "handle" }, { "track", "addrs" },
	{ "track", "when" }, { "stack_record", "entries" },
	{ "stack_record", "size" }, { "handle_parts", "pool_index" },
	{ "handle_parts", "pool_index_plus_1" }, { "handle_parts", "offset" },
	{ "module", "core_layout" }, { "module", "mem" },
	{ "module_memory", "base" }, { "module", "kallsyms" },
	{ "mod_kallsyms", "num_symtab" },
	{ "task_struct", "__state" }, { "task_struct", "state" },
	{ "task_struct", "usage" }, { "task_struct", "comm" },
	{ "array_cache", "avail" },
	{ NULL, "PG_slab" }, { NULL, "PGTY_slab" }, { NULL, "PG_head" },
	{ NULL, "TRACK_ALLOC" }, { NULL, "MOD_TEXT" },
	{ NULL, "no_such_enumerator_anywhere" },
	{ "no_such_struct_anywhere", NULL },
	{ "kmem_cache", "no_such_member" },
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;	/* ru_maxrss is in KB */
}

static int report(struct ss_error *err, const char *what)
{
	if (!err)
		return 0;
	fprintf(stderr, "bench-dbg: %s: %s\n", what, err->message);
	ss_error_destroy(err);
	return 1;
}

int main(int argc, char **argv)
{
	bool full_scan = false, check_scan = false, model_only = false;
	bool libdwarf_scan = false;
	const char *path = NULL;
	char buf[4096];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--full-scan") == 0)
			full_scan = true;
		else if (strcmp(argv[i], "--check-scan") == 0)
			check_scan = true;
		else if (strcmp(argv[i], "--model") == 0)
			model_only = true;
		else if (strcmp(argv[i], "--libdwarf-scan") == 0)
			libdwarf_scan = true;
		else
			path = argv[i];
	}
	if (!path) {
		const char *home = getenv("HOME");
		snprintf(buf, sizeof(buf),
			 "%s/.cache/slabscope/kernels/%s/vmlinux",
			 home ? home : "", DEFAULT_KERNEL);
		path = buf;
	}
	bool check = strstr(path, DEFAULT_KERNEL) != NULL;

	double t0 = now();
	struct ss_dbg *dbg;
	if (report(ss_dbg_open(path, &dbg), "open"))
		return 1;
	double t_open = now();
	ss_dwarf_set_libdwarf_scan(dbg, libdwarf_scan);	/* as before 2026-12 */

	/* What slabscope registers; on a SLUB kernel the SLAB one misses. */
	static const char *const hints[] = {
		"kmem_cache_destroy", "__slab_free", "cache_alloc_refill",
	};
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		struct ss_error *err = ss_dbg_add_hint_symbol(dbg, hints[i]);
		if (err && err->code != SS_ERR_NOTFOUND)
			return report(err, hints[i]);
		ss_error_destroy(err);
	}

	int bad = 0;
	if (model_only) {
		/* The model's lookups, hits and misses, one process. */
		unsigned found = 0, missing = 0;
		for (size_t i = 0; i < sizeof(model) / sizeof(model[0]); i++) {
			struct ss_error *err;
			struct ss_member m;
			uint64_t size;
			int64_t v;
			if (!model[i].type)
				err = ss_dbg_enumerator(dbg, model[i].member,
							&v);
			else if (!model[i].member)
				err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT,
						       model[i].type, &size);
			else
				err = ss_dbg_member(dbg, SS_TYPE_STRUCT,
						    model[i].type,
						    model[i].member, &m);
			if (err && err->code != SS_ERR_NOTFOUND)
				bad += report(err, model[i].member
						   ? model[i].member
						   : model[i].type);
			else if (err)
				missing++, ss_error_destroy(err);
			else
				found++;
		}
		double t = now();
		printf("dbg-open+model-lookups: %.3f s, peak RSS %.0f MB (%u found, %u missing)\n",
		       t - t0, peak_rss_mb(), found, missing);
		ss_dbg_close(dbg);
		return bad ? 1 : 0;
	}
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		const struct want *w = &wants[i];
		struct ss_member m;
		if (report(ss_dbg_member(dbg, SS_TYPE_STRUCT, w->type,
					 w->member, &m), w->member)) {
			bad++;
			continue;
		}
		if (!check)
			continue;
		if ((w->offset >= 0 && m.offset != (uint64_t)w->offset) ||
		    (w->bit_offset >= 0 &&
		     (m.bit_offset != (uint64_t)w->bit_offset ||
		      m.bit_size != w->bit_size))) {
			fprintf(stderr,
				"bench-dbg: %s.%s: offset %" PRIu64 " bit %" PRIu64 "/%u, pahole says %" PRId64 " bit %" PRId64 "/%u\n",
				w->type, w->member, m.offset, m.bit_offset,
				m.bit_size, w->offset, w->bit_offset,
				w->bit_size);
			bad++;
		}
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t size;
		bad += report(ss_dbg_type_size(dbg, SS_TYPE_STRUCT, sizes[i],
					       &size), sizes[i]);
	}
	for (size_t i = 0; i < sizeof(enumerators) / sizeof(enumerators[0]);
	     i++) {
		int64_t v;
		bad += report(ss_dbg_enumerator(dbg, enumerators[i], &v),
			      enumerators[i]);
	}
	uint64_t addr;
	bad += report(ss_dbg_symbol(dbg, "slab_caches", &addr), "slab_caches");
	double t_end = now();
	double rss = peak_rss_mb();

	printf("dbg-open: %.3f s\n", t_open - t0);
	printf("dbg-open+lookups: %.3f s, peak RSS %.0f MB\n", t_end - t0,
	       rss);

	if (full_scan) {
		double t1 = now();
		uint64_t size;
		struct ss_error *err = ss_dbg_type_size(
			dbg, SS_TYPE_STRUCT, "no_such_struct_anywhere", &size);
		double t2 = now();
		if (!err || err->code != SS_ERR_NOTFOUND) {
			bad++;
			fprintf(stderr, "bench-dbg: full scan: expected NOTFOUND\n");
		}
		ss_error_destroy(err);
		printf("dbg-notfound-full-scan: %.3f s, peak RSS %.0f MB\n",
		       t2 - t1, peak_rss_mb());
		t1 = now();
		err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT,
				       "no_such_struct_either", &size);
		t2 = now();
		ss_error_destroy(err);
		printf("dbg-notfound-again: %.6f s\n", t2 - t1);
	}
	if (check_scan) {
		size_t n[2];
		uint64_t d[2];
		double t1 = now();
		bad += report(ss_dwarf_index_digest(dbg, &n[0], &d[0]),
			      "fast scan");
		ss_dbg_close(dbg);
		double t2 = now();
		if (report(ss_dbg_open(path, &dbg), "open"))
			return 1;
		ss_dwarf_set_libdwarf_scan(dbg, true);
		for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
			ss_error_destroy(ss_dbg_add_hint_symbol(dbg, hints[i]));
		bad += report(ss_dwarf_index_digest(dbg, &n[1], &d[1]),
			      "libdwarf scan");
		double t3 = now();
		printf("index: fast scan %zu names %.3f s, libdwarf scan %zu names %.3f s: %s\n",
		       n[0], t2 - t1, n[1], t3 - t2,
		       n[0] == n[1] && d[0] == d[1] ? "same" : "DIFFERENT");
		if (n[0] != n[1] || d[0] != d[1])
			bad++;
	}
	ss_dbg_close(dbg);
	if (bad)
		fprintf(stderr, "bench-dbg: %d lookups failed or differ\n",
			bad);
	return bad ? 1 : 0;
}
