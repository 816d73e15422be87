/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope objects: every object of one cache with its state. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "cli.h"

enum { OPT_CACHE = 0x100, OPT_STATE };

enum state_filter { WANT_ALL, WANT_ALLOCATED, WANT_FREE, WANT_UNKNOWN };

static bool wanted(enum state_filter f, enum ss_obj_state s)
{
	switch (f) {
	case WANT_ALL: return true;
	case WANT_ALLOCATED: return s == SS_OBJ_ALLOCATED;
	case WANT_FREE: return s == SS_OBJ_FREE || s == SS_OBJ_CPU_FREE;
	case WANT_UNKNOWN: return s == SS_OBJ_UNKNOWN;
	}
	return false;
}

static struct ss_error *emit(struct ss_model *m, uint32_t ci,
			     enum state_filter filter, bool json)
{
	const struct ss_cache *c = ss_model_cache(m, ci);
	size_t nslabs;
	const struct ss_slab *slabs = ss_model_slabs(m, &nslabs);
	json_t *arr = json ? json_array() : NULL;
	if (json && !arr)
		return &ss_error_nomem;
	struct ss_object *objs = NULL;
	struct ss_error *err = NULL;
	for (size_t si = c->first_slab; si < c->first_slab + c->nslabs && !err;
	     si++) {
		const struct ss_slab *s = &slabs[si];
		struct ss_object *n = realloc(objs, (s->objects ? s->objects : 1) *
							    sizeof(*objs));
		if (!n) {
			err = &ss_error_nomem;
			break;
		}
		objs = n;
		err = ss_model_slab_objects(m, s, objs);
		for (uint32_t i = 0; !err && i < s->objects; i++) {
			enum ss_obj_state st = objs[i].state;
			if (!wanted(filter, st))
				continue;
			bool is_free = st == SS_OBJ_FREE || st == SS_OBJ_CPU_FREE;
			if (!json) {
				printf("0x%016" PRIx64 "  slab 0x%016" PRIx64
				       "  %-9s",
				       objs[i].addr, s->page,
				       ss_obj_state_name(st));
				if (is_free)
					printf("  next 0x%" PRIx64, objs[i].next);
				putchar('\n');
				continue;
			}
			json_t *o = json_object();
			if (!o || json_object_set_new(o, "address",
						      ss_json_addr(objs[i].addr)) ||
			    json_object_set_new(o, "slab", ss_json_addr(s->page)) ||
			    json_object_set_new(o, "state",
						json_string(ss_obj_state_name(st))) ||
			    (is_free && json_object_set_new(
						o, "next", ss_json_addr(objs[i].next))) ||
			    json_array_append_new(arr, o))
				err = &ss_error_nomem;
		}
	}
	free(objs);
	if (!json)
		return err;
	if (err) {
		json_decref(arr);
		return err;
	}
	json_t *doc = json_object();
	if (!doc || json_object_set_new(doc, "cache", json_string(c->name)) ||
	    json_object_set_new(doc, "address", ss_json_addr(c->addr)) ||
	    json_object_set_new(doc, "objects", arr)) {
		json_decref(doc);
		return &ss_error_nomem;
	}
	return ss_json_dump(doc, stdout);
}

static int objects_exec(const struct ss_cmd_entry *self, int argc, char **argv)
{
	static const struct option longopts[] = {
		SS_COMMON_LONG_OPTIONS,
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "state", required_argument, NULL, OPT_STATE },
		{ NULL, 0, NULL, 0 },
	};
	struct ss_common_opts opts = { 0 };
	const char *cache = NULL;
	enum state_filter filter = WANT_ALL;
	int c;
	while ((c = getopt_long(argc, argv, SS_COMMON_SHORT_OPTIONS, longopts,
				NULL)) != -1) {
		switch (c) {
		case OPT_CACHE:
			cache = optarg;
			continue;
		case OPT_STATE:
			if (strcmp(optarg, "all") == 0)
				filter = WANT_ALL;
			else if (strcmp(optarg, "allocated") == 0)
				filter = WANT_ALLOCATED;
			else if (strcmp(optarg, "free") == 0)
				filter = WANT_FREE;
			else if (strcmp(optarg, "unknown") == 0)
				filter = WANT_UNKNOWN;
			else
				return ss_cli_usage_error(
					self, "unknown state '%s'", optarg);
			continue;
		}
		int rc = ss_common_option(self, c, &opts);
		if (rc != SS_CONTINUE)
			return rc < 0 ? SS_EXIT_ERROR : rc;
	}
	if (optind + 1 != argc)
		return ss_cli_usage_error(self, "expected exactly one DUMP");
	if (!cache)
		return ss_cli_usage_error(self, "--cache NAME is required");

	struct ss_kernel *k;
	struct ss_model *m;
	struct ss_error *err = ss_cli_open_kernel(argv[optind], &opts, &k);
	if (err)
		return ss_cli_fail(err);
	err = ss_cli_load_model(k, &opts, &m);
	if (err) {
		ss_kernel_close(k);
		return ss_cli_fail(err);
	}
	uint32_t ci = ss_model_find_cache(m, cache);
	if (ci == SS_NO_CACHE)
		err = ss_error_create(SS_ERR_NOTFOUND,
				      "%s: no slab cache named '%s' (see "
				      "slabscope caches)",
				      argv[optind], cache);
	else
		err = emit(m, ci, filter, opts.json);
	ss_model_destroy(m);
	ss_kernel_close(k);
	return err ? ss_cli_fail(err) : SS_EXIT_OK;
}

const struct ss_cmd_entry ss_cmd_objects_entry = {
	.name = "objects",
	.summary = "every object of one cache: address, slab, state",
	.help =
	"Usage: slabscope objects [OPTIONS] --cache NAME DUMP\n"
	"\n"
	"List the objects of cache NAME in DUMP, slab by slab in address\n"
	"order: the object address (what kmalloc returns), its slab, its\n"
	"state (allocated, free, cpu-free: on a CPU's lockless freelist, or\n"
	"unknown where a corrupt freelist prevents a decision) and, for free\n"
	"objects, the decoded next free pointer.\n"
	"\n"
	"Options:\n"
	"      --cache NAME    the cache (required)\n"
	"      --state STATE   allocated, free, unknown or all (default: all)\n"
	"  -k, --vmlinux FILE  vmlinux with debug info (default: found from the\n"
	"                      dump's kernel release)\n"
	"      --json          one JSON document on stdout\n"
	"  -q, --quiet         no progress output\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 success, 2 the dump could not be analysed or there is\n"
	"no such cache.\n",
	.exec = objects_exec,
};
