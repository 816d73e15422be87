/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `slabscope whatis`: what an address is, as text and JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <slabscope/report.h>

/* The address's cache, NULL when the slab's cache pointer is bad. */
static const struct ss_cache *whatis_cache(const struct ss_model *m,
					   const struct ss_whatis *w)
{
	return w->cache == SS_NO_CACHE ? NULL : ss_model_cache(m, w->cache);
}

json_t *ss_report_whatis_json(const struct ss_model *m, uint64_t addr,
			      const struct ss_whatis *w)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	int bad = json_object_set_new(o, "address", ss_json_addr(addr));
	bad |= json_object_set_new(o, "in_slab", json_boolean(w->in_slab));
	if (w->in_slab) {
		const struct ss_cache *c = whatis_cache(m, w);
		bad |= json_object_set_new(o, "cache",
					   c ? json_string(c->name) : json_null());
		bad |= json_object_set_new(o, "slab", ss_json_addr(w->slab->page));
		bad |= json_object_set_new(
			o, "slab_list",
			json_string(ss_slab_list_name(w->slab->list)));
		if (w->kfence)
			bad |= json_object_set_new(o, "kfence", json_true());
		if (c && c->bucket_of != SS_NO_CACHE)
			bad |= json_object_set_new(
				o, "bucket_of",
				json_string(
					ss_model_cache(m, c->bucket_of)->name));
		if (w->object) {
			bad |= json_object_set_new(o, "object",
						   ss_json_addr(w->object));
			bad |= json_object_set_new(o, "slot",
						   ss_json_addr(w->slot));
			bad |= json_object_set_new(o, "offset",
						   json_integer(w->offset));
			bad |= json_object_set_new(
				o, "state",
				json_string(ss_obj_state_name(w->state)));
		}
		bad |= json_object_set_new(
			o, "region", json_string(ss_region_name(w->region)));
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void whatis_text(const struct ss_model *m, uint64_t addr,
			const struct ss_whatis *w, FILE *out)
{
	if (!w->in_slab) {
		fprintf(out, "0x%" PRIx64 ": not in a slab\n", addr);
		return;
	}
	const struct ss_cache *c = whatis_cache(m, w);
	if (w->kfence) {
		fprintf(out,
			"0x%" PRIx64 ": in KFENCE object page 0x%" PRIx64
			" (one guarded object) of cache %s\n",
			addr, w->slab->page, c ? c->name : "?");
		return;
	}
	fprintf(out, "0x%" PRIx64 ": in slab 0x%" PRIx64 " (%s) of cache %s",
		addr, w->slab->page, ss_slab_list_name(w->slab->list),
		c ? c->name : "(unknown: the slab's cache pointer is bad)");
	if (c && c->bucket_of != SS_NO_CACHE)
		fprintf(out, " (kmem_buckets copy of %s)",
			ss_model_cache(m, c->bucket_of)->name);
	fputc('\n', out);
	if (!w->object) {
		fprintf(out, "  region:  %s\n", ss_region_name(w->region));
		return;
	}
	fprintf(out, "  object:  0x%" PRIx64 " (%s), slot 0x%" PRIx64 "\n",
		w->object, ss_obj_state_name(w->state), w->slot);
	fprintf(out, "  offset:  %+" PRId64 " of %u-byte objects (slot size %u)\n",
		w->offset, c->object_size, c->size);
	fprintf(out, "  region:  %s", ss_region_name(w->region));
	if (w->region == SS_REGION_PAYLOAD && w->offset >= c->offset &&
	    w->offset < (int64_t)c->offset + 8)
		fputs(" (holds the free pointer while the object is free)", out);
	fputc('\n', out);
}

struct ss_error *ss_report_whatis_text(const struct ss_model *m, uint64_t addr,
				       const struct ss_whatis *w, FILE *out)
{
	whatis_text(m, addr, w, out);
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}
