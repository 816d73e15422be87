/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `slabscope objects`: every object of one cache, as text and JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <slabscope/report.h>

int ss_objects_filter_parse(const char *s)
{
	static const char *const names[] = {
		[SS_OBJECTS_ALL] = "all",
		[SS_OBJECTS_ALLOCATED] = "allocated",
		[SS_OBJECTS_FREE] = "free",
		[SS_OBJECTS_UNKNOWN] = "unknown",
		[SS_OBJECTS_CPU_FREE] = "cpu-free",
		[SS_OBJECTS_SHEAF] = "sheaf",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static bool wanted(enum ss_objects_filter f, enum ss_obj_state s)
{
	switch (f) {
	case SS_OBJECTS_ALL: return true;
	case SS_OBJECTS_ALLOCATED: return s == SS_OBJ_ALLOCATED;
	case SS_OBJECTS_FREE: return ss_obj_state_is_free(s);
	case SS_OBJECTS_UNKNOWN: return s == SS_OBJ_UNKNOWN;
	case SS_OBJECTS_CPU_FREE: return s == SS_OBJ_CPU_FREE;
	case SS_OBJECTS_SHEAF: return s == SS_OBJ_SHEAF;
	}
	return false;
}

struct emit {
	enum ss_objects_filter filter;
	bool has_next; /* free objects link to the next one */
	FILE *out;     /* text */
	json_t *arr;   /* JSON */
};

static bool shows_next(const struct emit *e, enum ss_obj_state st)
{
	return (st == SS_OBJ_FREE || st == SS_OBJ_CPU_FREE) && e->has_next;
}

static struct ss_error *emit_text(void *arg, const struct ss_slab *s,
				  const struct ss_object *o)
{
	struct emit *e = arg;
	if (!wanted(e->filter, o->state))
		return NULL;
	fprintf(e->out, "0x%016" PRIx64 "  slab 0x%016" PRIx64 "  %-9s",
		o->addr, s->page, ss_obj_state_name(o->state));
	if (shows_next(e, o->state))
		fprintf(e->out, "  next 0x%" PRIx64, o->next);
	fputc('\n', e->out);
	return NULL;
}

static struct ss_error *emit_json(void *arg, const struct ss_slab *s,
				  const struct ss_object *o)
{
	struct emit *e = arg;
	enum ss_obj_state st = o->state;
	if (!wanted(e->filter, st))
		return NULL;
	json_t *j = json_object();
	if (!j || json_object_set_new(j, "address", ss_json_addr(o->addr)) ||
	    json_object_set_new(j, "slab", ss_json_addr(s->page)) ||
	    json_object_set_new(j, "state", json_string(ss_obj_state_name(st))) ||
	    (shows_next(e, st) &&
	     json_object_set_new(j, "next", ss_json_addr(o->next))) ||
	    json_array_append_new(e->arr, j))
		return &ss_error_nomem;
	return NULL;
}

struct ss_error *ss_report_objects_json(struct ss_model *m, uint32_t ci,
					enum ss_objects_filter filter,
					bool has_next, json_t **ret)
{
	const struct ss_cache *c = ss_model_cache(m, ci);
	struct emit e = { .filter = filter, .has_next = has_next };
	*ret = NULL;
	if (!(e.arr = json_array()))
		return &ss_error_nomem;
	struct ss_error *err = ss_model_for_each_object(m, ci, emit_json, &e);
	if (err) {
		json_decref(e.arr);
		return err;
	}
	json_t *doc = json_object();
	if (!doc) {
		json_decref(e.arr);
		return &ss_error_nomem;
	}
	if (json_object_set_new(doc, "cache", json_string(c->name)) ||
	    json_object_set_new(doc, "address", ss_json_addr(c->addr)) ||
	    json_object_set_new(doc, "objects", e.arr)) {
		json_decref(doc);
		return &ss_error_nomem;
	}
	*ret = doc;
	return NULL;
}

struct ss_error *ss_report_objects_text(struct ss_model *m, uint32_t ci,
					enum ss_objects_filter filter,
					bool has_next, FILE *out)
{
	struct emit e = { .filter = filter, .has_next = has_next, .out = out };
	struct ss_error *err = ss_model_for_each_object(m, ci, emit_text, &e);
	if (err)
		return err;
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}
