/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `slabscope slabs`: crash's `kmem -S CACHE` from the model: the slabs of
 * one cache by the list that holds them (each CPU's slab and partial list,
 * each node's partial, full and free lists, full slabs on no list, KFENCE
 * object pages), each slab with its counts and, unless summarised, its
 * objects (allocated ones in brackets, as crash prints them).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/report.h>

const struct ss_slabs_filter ss_slabs_filter_default = {
	.cpu = -1,
	.node = -1,
	.objects = true,
};

int ss_slab_list_parse(const char *s)
{
	for (int l = SS_LIST_NONE; l <= SS_LIST_KFENCE; l++)
		if (strcmp(s, ss_slab_list_name((enum ss_slab_list)l)) == 0)
			return l;
	/* crash's and the kernel's words too */
	if (strcmp(s, "none") == 0 || strcmp(s, "untracked") == 0)
		return SS_LIST_NONE;
	return -1;
}

/* The order lists are printed in: per CPU, per node, then the rest. */
static const enum ss_slab_list list_order[] = {
	SS_LIST_CPU,  SS_LIST_CPU_PARTIAL, SS_LIST_PARTIAL, SS_LIST_FULL,
	SS_LIST_FREE, SS_LIST_NONE,	   SS_LIST_KFENCE,
};

static bool per_cpu(enum ss_slab_list l)
{
	return l == SS_LIST_CPU || l == SS_LIST_CPU_PARTIAL;
}

static bool per_node(enum ss_slab_list l)
{
	return l == SS_LIST_PARTIAL || l == SS_LIST_FULL || l == SS_LIST_FREE;
}

/* One slab as the walk below hands it over. */
struct slab_row {
	const struct ss_slab *s;
	int node;
};

struct walk {
	const struct ss_model *m;
	uint32_t ci;
	const struct ss_slabs_filter *f;
	struct ss_node_map *nodes;
	struct slab_row *rows;
	size_t nrows;
};

static bool wanted(const struct walk *w, const struct slab_row *r)
{
	const struct ss_slabs_filter *f = w->f;
	enum ss_slab_list l = (enum ss_slab_list)r->s->list;
	if (f->lists && !(f->lists & (1u << l)))
		return false;
	if (f->cpu >= 0 && (!per_cpu(l) || r->s->cpu != f->cpu))
		return false;
	if (f->node >= 0 && r->node != f->node)
		return false;
	return true;
}

/* The cache's slabs (and its KFENCE pages) that pass the filter, in the
 * printing order: by list, then CPU or node, then address. */
static int cmp_rows(const void *a, const void *b)
{
	const struct slab_row *x = a, *y = b;
	size_t lx = 0, ly = 0;
	for (size_t i = 0; i < sizeof(list_order) / sizeof(list_order[0]);
	     i++) {
		if (list_order[i] == x->s->list)
			lx = i;
		if (list_order[i] == y->s->list)
			ly = i;
	}
	/* CPU lists first, CPU by CPU; then node lists, node by node */
	int gx = per_cpu(x->s->list) ? 0 : per_node(x->s->list) ? 1 : 2;
	int gy = per_cpu(y->s->list) ? 0 : per_node(y->s->list) ? 1 : 2;
	if (gx != gy)
		return gx - gy;
	int kx = gx == 0 ? x->s->cpu : x->node,
	    ky = gy == 0 ? y->s->cpu : y->node;
	if (kx != ky)
		return kx < ky ? -1 : 1;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->s->page < y->s->page ? -1 : x->s->page > y->s->page;
}

static struct ss_error *collect(struct walk *w)
{
	size_t n;
	const struct ss_slab *slabs = ss_model_slabs(w->m, &n);
	const struct ss_cache *c = ss_model_cache(w->m, w->ci);
	struct ss_error *err = ss_node_map_read(w->m, &w->nodes);
	if (err)
		return err;
	w->rows = calloc(n ? n : 1, sizeof(*w->rows));
	if (!w->rows)
		return &ss_error_nomem;
	for (size_t i = 0; i < n; i++) {
		const struct ss_slab *s = &slabs[i];
		bool mine =
			(i >= c->first_slab && i < c->first_slab + c->nslabs) ||
			ss_model_kfence_cache(w->m, s) == w->ci;
		if (!mine)
			continue;
		struct slab_row r = {
			.s = s, .node = ss_node_map_slab_node(w->nodes, w->m, s)
		};
		if (wanted(w, &r))
			w->rows[w->nrows++] = r;
	}
	qsort(w->rows, w->nrows, sizeof(*w->rows), cmp_rows);
	return NULL;
}

static void walk_free(struct walk *w)
{
	ss_node_map_destroy(w->nodes);
	free(w->rows);
}

/* The objects of slab s: *ret (malloc'd, s->objects entries). */
static struct ss_error *slab_objects(const struct ss_model *m,
				     const struct ss_slab *s,
				     struct ss_object **ret)
{
	*ret = calloc(s->objects ? s->objects : 1, sizeof(**ret));
	if (!*ret)
		return &ss_error_nomem;
	struct ss_error *err = ss_model_slab_objects(m, s, *ret);
	if (err) {
		free(*ret);
		*ret = NULL;
	}
	return err;
}

static uint32_t nallocated(const struct ss_slab *s)
{
	uint32_t other = s->nfree + s->ncpu_free + s->nsheaf + s->nunknown;
	return s->objects > other ? s->objects - other : 0;
}

/* ---- JSON ---- */

static json_t *slab_json(const struct walk *w, const struct slab_row *r,
			 struct ss_error **errp)
{
	const struct ss_slab *s = r->s;
	json_t *o = json_object();
	if (!o)
		return NULL;
	int bad = 0;
	bad |= json_object_set_new(o, "slab", ss_json_addr(s->page));
	bad |= json_object_set_new(o, "memory", ss_json_addr(s->base));
	bad |= json_object_set_new(
		o, "list",
		json_string(ss_slab_list_name((enum ss_slab_list)s->list)));
	bad |= json_object_set_new(o, "cpu",
				   per_cpu((enum ss_slab_list)s->list)
					   ? json_integer(s->cpu)
					   : json_null());
	bad |= json_object_set_new(
		o, "node", r->node >= 0 ? json_integer(r->node) : json_null());
	bad |= json_object_set_new(o, "total", json_integer(s->objects));
	bad |= json_object_set_new(o, "allocated", json_integer(nallocated(s)));
	bad |= json_object_set_new(o, "free", json_integer(s->nfree));
	bad |= json_object_set_new(o, "cpu_free", json_integer(s->ncpu_free));
	bad |= json_object_set_new(o, "sheaf", json_integer(s->nsheaf));
	bad |= json_object_set_new(o, "unknown", json_integer(s->nunknown));
	bad |= json_object_set_new(o, "inuse", json_integer(s->inuse));
	bad |= json_object_set_new(o, "frozen", json_boolean(s->frozen));
	if (w->f->objects && s->list != SS_LIST_KFENCE) {
		struct ss_object *objs;
		json_t *arr = json_array();
		struct ss_error *err = slab_objects(w->m, s, &objs);
		if (err) {
			/* unreadable now as at load: no objects, said so */
			bad |= json_object_set_new(o, "objects_error",
						   json_string(err->message));
			ss_error_destroy(err);
			json_decref(arr);
			arr = json_null();
		} else {
			for (uint32_t i = 0; arr && i < s->objects; i++) {
				json_t *j = json_object();
				if (!j ||
				    json_object_set_new(
					    j, "address",
					    ss_json_addr(objs[i].addr)) ||
				    json_object_set_new(
					    j, "state",
					    json_string(ss_obj_state_name(
						    objs[i].state))) ||
				    json_array_append_new(arr, j))
					bad = 1;
			}
			free(objs);
		}
		bad |= json_object_set_new(o, "objects", arr);
	}
	if (bad) {
		json_decref(o);
		*errp = &ss_error_nomem;
		return NULL;
	}
	return o;
}

struct ss_error *ss_report_slabs_json(const struct ss_model *m, uint32_t ci,
				      const struct ss_slabs_filter *f,
				      json_t **ret)
{
	struct walk w = { .m = m, .ci = ci, .f = f };
	*ret = NULL;
	struct ss_error *err = collect(&w);
	json_t *arr = err ? NULL : json_array();
	if (!err && !arr)
		err = &ss_error_nomem;
	for (size_t i = 0; !err && i < w.nrows; i++) {
		json_t *o = slab_json(&w, &w.rows[i], &err);
		if (!err && (!o || json_array_append_new(arr, o)))
			err = &ss_error_nomem;
	}
	const struct ss_cache *c = ss_model_cache(m, ci);
	json_t *doc = err ? NULL : json_object();
	if (!err &&
	    (!doc || json_object_set_new(doc, "cache", json_string(c->name)) ||
	     json_object_set_new(doc, "address", ss_json_addr(c->addr)) ||
	     json_object_set_new(doc, "slabs", arr))) {
		err = &ss_error_nomem;
		arr = NULL;
	} else if (!err) {
		arr = NULL;
	}
	if (!err && c->has_node_counts) {
		json_t *n = json_object();
		if (!n ||
		    json_object_set_new(
			    n, "nr_slabs",
			    json_integer((json_int_t)c->node_nr_slabs)) ||
		    json_object_set_new(
			    n, "total_objects",
			    json_integer((json_int_t)c->node_total_objects)) ||
		    json_object_set_new(
			    n, "nr_partial",
			    json_integer((json_int_t)c->node_nr_partial)) ||
		    json_object_set_new(doc, "node_counters", n))
			err = &ss_error_nomem;
	}
	json_decref(arr);
	walk_free(&w);
	if (err) {
		json_decref(doc);
		return err;
	}
	*ret = doc;
	return NULL;
}

/* ---- text, after crash's kmem -S ---- */

static void heading(FILE *out, const struct slab_row *r)
{
	enum ss_slab_list l = (enum ss_slab_list)r->s->list;
	switch (l) {
	case SS_LIST_CPU: fprintf(out, "CPU %d SLAB:\n", r->s->cpu); break;
	case SS_LIST_CPU_PARTIAL:
		fprintf(out, "CPU %d PARTIAL:\n", r->s->cpu);
		break;
	case SS_LIST_PARTIAL:
	case SS_LIST_FULL:
	case SS_LIST_FREE:
		fprintf(out, "NODE %d %s:\n", r->node,
			l == SS_LIST_PARTIAL ? "PARTIAL"
			: l == SS_LIST_FULL  ? "FULL"
					     : "FREE");
		break;
	case SS_LIST_NONE: fprintf(out, "FULL, ON NO LIST:\n"); break;
	case SS_LIST_KFENCE: fprintf(out, "KFENCE OBJECT PAGES:\n"); break;
	}
}

static bool same_group(const struct slab_row *a, const struct slab_row *b)
{
	if (a->s->list != b->s->list)
		return false;
	if (per_cpu((enum ss_slab_list)a->s->list))
		return a->s->cpu == b->s->cpu;
	return !per_node((enum ss_slab_list)a->s->list) || a->node == b->node;
}

static void text_objects(const struct walk *w, const struct ss_slab *s,
			 FILE *out)
{
	struct ss_object *objs;
	struct ss_error *err = slab_objects(w->m, s, &objs);
	if (err) {
		fprintf(out, "  (objects unreadable: %s)\n", err->message);
		ss_error_destroy(err);
		return;
	}
	fprintf(out, "  FREE / [ALLOCATED]\n");
	for (uint32_t i = 0; i < s->objects; i++) {
		enum ss_obj_state st = (enum ss_obj_state)objs[i].state;
		if (st == SS_OBJ_ALLOCATED)
			fprintf(out, "  [%016" PRIx64 "]\n", objs[i].addr);
		else if (st == SS_OBJ_FREE)
			fprintf(out, "   %016" PRIx64 "\n", objs[i].addr);
		else
			fprintf(out, "   %016" PRIx64 "  (%s)\n", objs[i].addr,
				ss_obj_state_name(st));
	}
	free(objs);
}

struct ss_error *ss_report_slabs_text(const struct ss_model *m, uint32_t ci,
				      const struct ss_slabs_filter *f,
				      FILE *out)
{
	struct walk w = { .m = m, .ci = ci, .f = f };
	struct ss_error *err = collect(&w);
	if (err) {
		walk_free(&w);
		return err;
	}
	const struct ss_cache *c = ss_model_cache(m, ci);
	fprintf(out, "%-18s %-24s %7s %10s %8s %6s\n", "CACHE", "NAME",
		"OBJSIZE", "ALLOCATED", "TOTAL", "SLABS");
	fprintf(out,
		"%-18" PRIx64 " %-24s %7u %10" PRIu64 " %8" PRIu64 " %6" PRIu64
		"\n",
		c->addr, c->name, c->object_size, c->allocated,
		c->total_objects, c->nslabs);
	if (c->has_node_counts)
		fprintf(out,
			"nodes count %" PRIu64 " slabs, %" PRIu64
			" objects, %" PRIu64 " partial\n",
			c->node_nr_slabs, c->node_total_objects,
			c->node_nr_partial);
	for (size_t i = 0; i < w.nrows; i++) {
		const struct slab_row *r = &w.rows[i];
		const struct ss_slab *s = r->s;
		bool first = i == 0 || !same_group(&w.rows[i - 1], r);
		if (first)
			heading(out, r);
		if (first || f->objects)
			fprintf(out, "  %-16s  %-16s  %4s  %5s  %9s  %4s\n",
				"SLAB", "MEMORY", "NODE", "TOTAL", "ALLOCATED",
				"FREE");
		char node[16] = "-";
		if (r->node >= 0)
			snprintf(node, sizeof(node), "%d", r->node);
		fprintf(out,
			"  %016" PRIx64 "  %016" PRIx64 "  %4s  %5u  %9u  %4u",
			s->page, s->base, node, s->objects, nallocated(s),
			s->nfree + s->ncpu_free + s->nsheaf);
		if (s->nunknown)
			fprintf(out, "  (%u unknown)", s->nunknown);
		fputc('\n', out);
		if (f->objects && s->list != SS_LIST_KFENCE)
			text_objects(&w, s, out);
	}
	if (!w.nrows)
		fprintf(out, "(no slab matches)\n");
	walk_free(&w);
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}
