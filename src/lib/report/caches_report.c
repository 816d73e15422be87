/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `slabscope caches`: one row per cache, as text and JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/report.h>

int ss_cache_sort_parse(const char *s)
{
	static const char *const names[] = {
		[SS_SORT_NAME] = "name",     [SS_SORT_ALLOCATED] = "allocated",
		[SS_SORT_TOTAL] = "total",   [SS_SORT_SLABS] = "slabs",
		[SS_SORT_SIZE] = "size",     [SS_SORT_MEMORY] = "memory",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

struct sort_ctx {
	const struct ss_model *m;
	enum ss_cache_sort key;
};

static uint64_t sort_value(const struct ss_cache *c, enum ss_cache_sort key)
{
	switch (key) {
	case SS_SORT_ALLOCATED: return c->allocated;
	case SS_SORT_TOTAL: return c->total_objects;
	case SS_SORT_SLABS: return c->nslabs;
	case SS_SORT_SIZE: return c->object_size;
	case SS_SORT_MEMORY: return c->memory_bytes;
	case SS_SORT_NAME: break;
	}
	return 0;
}

/* qsort has no context argument in C11: sort an array of (value, index)
 * pairs instead and break ties by name afterwards in a stable pass. */
struct sort_item {
	uint64_t value;
	const char *name;
	uint32_t index;
};

static int cmp_items(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	if (x->value != y->value)
		return x->value < y->value ? 1 : -1; /* descending */
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

struct ss_error *ss_caches_sorted(const struct ss_model *m,
				  enum ss_cache_sort key, uint32_t **order_ret)
{
	size_t n = ss_model_ncaches(m);
	struct sort_item *items = calloc(n ? n : 1, sizeof(*items));
	uint32_t *order = malloc((n ? n : 1) * sizeof(*order));
	if (!items || !order) {
		free(items);
		free(order);
		return &ss_error_nomem;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ss_cache *c = ss_model_cache(m, i);
		items[i].value = sort_value(c, key);
		items[i].name = c->name;
		items[i].index = (uint32_t)i;
	}
	qsort(items, n, sizeof(*items), cmp_items);
	for (size_t i = 0; i < n; i++)
		order[i] = items[i].index;
	free(items);
	*order_ret = order;
	return NULL;
}

static void add_flag_name(void *arg, const char *name)
{
	json_array_append_new(arg, json_string(name));
}

json_t *ss_json_cache_flags(uint64_t flags)
{
	json_t *a = json_array();
	if (a)
		ss_cache_flag_names(flags, add_flag_name, a);
	return a;
}

/* The aliases of cache ci, joined: "a, b" (empty: none). */
static void aliases_of(const struct ss_model *m, uint32_t ci, char *buf,
		       size_t len)
{
	const struct ss_cache_alias *a;
	size_t n = ss_model_aliases(m, &a);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (a[i].cache != ci)
			continue;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
			 a[i].name);
	}
}

static uint32_t problems_of(const struct ss_cache *c, const uint32_t *problems,
			    uint32_t ci)
{
	return problems ? problems[ci] : c->problems;
}

static json_t *cache_json(const struct ss_model *m, uint32_t ci,
			  const uint32_t *problems)
{
	const struct ss_cache *c = ss_model_cache(m, ci);
	json_t *o = json_object();
	if (!o)
		return NULL;
	int bad = 0;
	bad |= json_object_set_new(o, "name", json_string(c->name));
	bad |= json_object_set_new(o, "address", ss_json_addr(c->addr));
	bad |= json_object_set_new(o, "object_size", json_integer(c->object_size));
	bad |= json_object_set_new(o, "size", json_integer(c->size));
	bad |= json_object_set_new(o, "objects_per_slab",
				   json_integer(c->objects_per_slab));
	/* order comes from kmem_cache.oo, garbage in a corrupt cache: no
	 * shift by 32 or more (UBSan; found by tests/fuzz/fuzz_slab.c). 0
	 * pages says "not a real order", as the browser does. */
	bad |= json_object_set_new(
		o, "pages_per_slab",
		json_integer(c->order < 32 ? (json_int_t)1 << c->order : 0));
	bad |= json_object_set_new(o, "slabs", json_integer((json_int_t)c->nslabs));
	bad |= json_object_set_new(o, "total_objects",
				   json_integer((json_int_t)c->total_objects));
	bad |= json_object_set_new(o, "allocated",
				   json_integer((json_int_t)c->allocated));
	/* free: free to users, wherever the allocator keeps them */
	bad |= json_object_set_new(
		o, "free",
		json_integer((json_int_t)(c->free + c->cpu_free + c->sheaf)));
	bad |= json_object_set_new(o, "cpu_free",
				   json_integer((json_int_t)c->cpu_free));
	bad |= json_object_set_new(o, "sheaf",
				   json_integer((json_int_t)c->sheaf));
	bad |= json_object_set_new(o, "unknown",
				   json_integer((json_int_t)c->unknown));
	bad |= json_object_set_new(o, "memory_bytes",
				   json_integer((json_int_t)c->memory_bytes));
	bad |= json_object_set_new(o, "flags", ss_json_cache_flags(c->flags));
	bad |= json_object_set_new(o, "offset", json_integer(c->offset));
	bad |= json_object_set_new(o, "inuse", json_integer(c->inuse));
	bad |= json_object_set_new(o, "align", json_integer(c->align));
	bad |= json_object_set_new(o, "red_left_pad",
				   json_integer(c->red_left_pad));
	bad |= json_object_set_new(o, "min_partial",
				   json_integer((json_int_t)c->min_partial));
	bad |= json_object_set_new(o, "cpu_partial",
				   json_integer(c->cpu_partial));
	bad |= json_object_set_new(o, "refcount", json_integer(c->refcount));
	bad |= json_object_set_new(o, "freeptr_encoding",
				   json_string(ss_fp_encoding_name(c->fp_encoding)));
	bad |= json_object_set_new(o, "freeptr_encoding_inferred",
				   json_boolean(c->fp_encoding_inferred));
	bad |= json_object_set_new(o, "problems",
				   json_integer(problems_of(c, problems, ci)));
	json_t *al = json_array();
	const struct ss_cache_alias *a;
	size_t na = ss_model_aliases(m, &a);
	for (size_t i = 0; al && i < na; i++)
		if (a[i].cache == ci &&
		    json_array_append_new(al, json_string(a[i].name)))
			bad = 1;
	bad |= json_object_set_new(o, "aliases", al);
	bad |= json_object_set_new(o, "incomplete", ss_json_cache_gaps(c));
	if (c->recovered)
		bad |= json_object_set_new(o, "recovered", json_true());
	bad |= json_object_set_new(
		o, "bucket_of",
		c->bucket_of == SS_NO_CACHE
			? json_null()
			: json_string(ss_model_cache(m, c->bucket_of)->name));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *ss_report_caches_json(const struct ss_model *m, const uint32_t *order,
			      size_t n, const uint32_t *problems)
{
	json_t *arr = json_array();
	json_t *doc = json_object();
	if (!arr || !doc) {
		json_decref(arr);
		json_decref(doc);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *c = cache_json(m, order[i], problems);
		if (!c || json_array_append_new(arr, c)) {
			json_decref(arr);
			json_decref(doc);
			return NULL;
		}
	}
	if (json_object_set_new(
		    doc, "allocator",
		    json_string(ss_allocator_name(ss_model_allocator(m)))) ||
	    json_object_set_new(doc, "dump_gaps",
				ss_json_dump_gaps(ss_model_dump_gaps(m))) ||
	    json_object_set_new(doc, "caches", arr)) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static void human_bytes(uint64_t b, char *buf, size_t len)
{
	if (b >= 10ULL << 30)
		snprintf(buf, len, "%" PRIu64 "G", b >> 30);
	else if (b >= 10ULL << 20)
		snprintf(buf, len, "%" PRIu64 "M", b >> 20);
	else
		snprintf(buf, len, "%" PRIu64 "K", b >> 10);
}

struct ss_error *ss_report_caches_text(const struct ss_model *m,
				       const uint32_t *order, size_t n,
				       const uint32_t *problems, FILE *out)
{
	fprintf(out, "  %-28s %-16s %7s %5s %9s %9s %7s %5s %4s %8s %s\n",
		"CACHE", "ADDRESS", "OBJSIZE", "SLOT", "ALLOCATED", "TOTAL",
		"SLABS", "OBJ/S", "PG/S", "MEMORY", "PROBLEMS");
	uint64_t slabs = 0, objects = 0, allocated = 0, memory = 0;
	size_t active = 0;
	for (size_t i = 0; i < n; i++) {
		const struct ss_cache *c = ss_model_cache(m, order[i]);
		uint32_t np = problems_of(c, problems, order[i]);
		char mem[32];
		human_bytes(c->memory_bytes, mem, sizeof(mem));
		fprintf(out,
			"%c %-28s %016" PRIx64 " %7u %5u %9" PRIu64 " %9" PRIu64
			" %7" PRIu64 " %5u %4u %8s",
			np ? '!' : ' ', c->name, c->addr, c->object_size,
			c->size, c->allocated, c->total_objects, c->nslabs,
			c->objects_per_slab, c->order < 32 ? 1u << c->order : 0,
			mem);
		if (np)
			fprintf(out, " %u", np);
		if (c->unknown)
			fprintf(out, " (%" PRIu64 " objects unknown)",
				c->unknown);
		if (c->unreadable_slabs || c->missing_slabs)
			fprintf(out, " [incomplete: %" PRIu64 " slabs]",
				c->unreadable_slabs + c->missing_slabs);
		if (c->bucket_of != SS_NO_CACHE)
			fprintf(out, " [kmem_buckets copy of %s]",
				ss_model_cache(m, c->bucket_of)->name);
		char al[512];
		aliases_of(m, order[i], al, sizeof(al));
		if (al[0])
			fprintf(out, " [aliases: %s]", al);
		fputc('\n', out);
		slabs += c->nslabs;
		objects += c->total_objects;
		allocated += c->allocated;
		memory += c->memory_bytes;
		active += c->nslabs > 0;
	}
	/* slabtop's summary, at the foot so that the rows stay first */
	char mem[32];
	human_bytes(memory, mem, sizeof(mem));
	fprintf(out,
		"total: %zu caches (%zu with slabs), %" PRIu64
		" slabs, %" PRIu64 " of %" PRIu64
		" objects allocated (%.1f%%), %s\n",
		n, active, slabs, allocated, objects,
		objects ? 100.0 * (double)allocated / (double)objects : 0.0,
		mem);
	ss_report_gaps_text(ss_model_dump_gaps(m), out);
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}
