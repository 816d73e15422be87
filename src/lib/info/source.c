/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What an analysis was made from (slabscope/source.h): gathered from the
 * kernel, and carried as JSON. */
#include <stdlib.h>
#include <string.h>

#include <slabscope/info.h>
#include <slabscope/report.h>
#include <slabscope/slab.h>
#include <slabscope/source.h>

/* strdup that keeps NULL, telling failure apart through *bad. */
static char *dup_or_null(const char *s, bool *bad)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*bad = true;
	return d;
}

static struct ss_error *fill(struct ss_dump_source *s, const char *dump,
			     const char *format, const char *vmlinux,
			     const char *release, const char *allocator)
{
	bool bad = false;
	s->dump = dup_or_null(dump, &bad);
	s->format = dup_or_null(format, &bad);
	s->vmlinux = dup_or_null(vmlinux, &bad);
	s->release = dup_or_null(release, &bad);
	s->allocator = dup_or_null(allocator, &bad);
	if (bad) {
		ss_dump_source_deinit(s);
		return &ss_error_nomem;
	}
	return NULL;
}

struct ss_error *ss_dump_source_get(struct ss_kernel *k,
				    const struct ss_model *m,
				    struct ss_dump_source *ret)
{
	memset(ret, 0, sizeof(*ret));
	const struct ss_dump_props *p = ss_kernel_props(k);
	enum ss_allocator a;
	if (m) {
		a = ss_model_allocator(m);
	} else {
		struct ss_info info = { 0 };
		ss_describe_allocator(ss_kernel_dbg(k), &info);
		a = info.allocator;
	}
	return fill(ret, p->path, p->format, ss_kernel_vmlinux_path(k),
		    p->release,
		    a == SS_ALLOC_UNKNOWN ? NULL : ss_allocator_name(a));
}

struct ss_error *ss_dump_source_of_dump(const char *path,
					struct ss_dump_source *ret)
{
	memset(ret, 0, sizeof(*ret));
	struct ss_dump *d = NULL;
	struct ss_error *err = ss_dump_open(path, &d);
	if (err) {
		ss_error_destroy(err);
		return fill(ret, path, NULL, NULL, NULL, NULL);
	}
	const struct ss_dump_props *p = ss_dump_props(d);
	err = fill(ret, path, p->format, NULL, p->release, NULL);
	ss_dump_close(d);
	return err;
}

void ss_dump_source_deinit(struct ss_dump_source *s)
{
	free(s->dump);
	free(s->format);
	free(s->vmlinux);
	free(s->release);
	free(s->allocator);
	memset(s, 0, sizeof(*s));
}

/* Every member through ss_json_path(): the paths are the user's, the
 * rest read from a dump, and none may lose the document. */
json_t *ss_dump_source_json(const struct ss_dump_source *s)
{
	json_t *o = json_object();
	if (!o || json_object_set_new(o, "dump", ss_json_path(s->dump)) ||
	    json_object_set_new(o, "format", ss_json_path(s->format)) ||
	    json_object_set_new(o, "vmlinux", ss_json_path(s->vmlinux)) ||
	    json_object_set_new(o, "release", ss_json_path(s->release)) ||
	    json_object_set_new(o, "allocator", ss_json_path(s->allocator))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

struct ss_error *ss_dump_source_from_json(const json_t *j,
					  struct ss_dump_source *ret)
{
	memset(ret, 0, sizeof(*ret));
	const char *dump = json_string_value(json_object_get(j, "dump"));
	if (!dump)
		return ss_error_create(SS_ERR_FORMAT,
				       "\"source\" without a \"dump\" path");
	return fill(ret, dump, json_string_value(json_object_get(j, "format")),
		    json_string_value(json_object_get(j, "vmlinux")),
		    json_string_value(json_object_get(j, "release")),
		    json_string_value(json_object_get(j, "allocator")));
}
