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

struct emit {
	enum state_filter filter;
	bool has_next; /* SLUB: free objects link to the next one */
	json_t *arr; /* NULL: text */
};

static struct ss_error *emit_object(void *arg, const struct ss_slab *s,
				    const struct ss_object *o)
{
	struct emit *e = arg;
	enum ss_obj_state st = o->state;
	if (!wanted(e->filter, st))
		return NULL;
	bool is_free = (st == SS_OBJ_FREE || st == SS_OBJ_CPU_FREE) && e->has_next;
	if (!e->arr) {
		printf("0x%016" PRIx64 "  slab 0x%016" PRIx64 "  %-9s", o->addr,
		       s->page, ss_obj_state_name(st));
		if (is_free)
			printf("  next 0x%" PRIx64, o->next);
		putchar('\n');
		return NULL;
	}
	json_t *j = json_object();
	if (!j || json_object_set_new(j, "address", ss_json_addr(o->addr)) ||
	    json_object_set_new(j, "slab", ss_json_addr(s->page)) ||
	    json_object_set_new(j, "state", json_string(ss_obj_state_name(st))) ||
	    (is_free && json_object_set_new(j, "next", ss_json_addr(o->next))) ||
	    json_array_append_new(e->arr, j))
		return &ss_error_nomem;
	return NULL;
}

static struct ss_error *emit(struct ss_model *m, uint32_t ci,
			     enum state_filter filter, bool json)
{
	const struct ss_cache *c = ss_model_cache(m, ci);
	struct emit e = { .filter = filter,
			  .has_next = ss_cache_objects_have_next(c) };
	if (json && !(e.arr = json_array()))
		return &ss_error_nomem;
	struct ss_error *err = ss_model_for_each_object(m, ci, emit_object, &e);
	if (!json)
		return err;
	if (err) {
		json_decref(e.arr);
		return err;
	}
	json_t *doc = json_object();
	if (!doc || json_object_set_new(doc, "cache", json_string(c->name)) ||
	    json_object_set_new(doc, "address", ss_json_addr(c->addr)) ||
	    json_object_set_new(doc, "objects", e.arr)) {
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

	struct ss_session sess;
	struct ss_error *err = ss_cli_session_open(argv[optind], &opts, &sess);
	if (err)
		return ss_cli_fail(err);
	struct ss_model *m = sess.m;
	uint32_t ci = ss_model_find_cache(m, cache);
	if (ci == SS_NO_CACHE)
		err = ss_error_create(SS_ERR_NOTFOUND,
				      "%s: no slab cache named '%s' (see "
				      "slabscope caches)",
				      argv[optind], cache);
	else
		err = emit(m, ci, filter, opts.json);
	ss_cli_session_close(&sess);
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
