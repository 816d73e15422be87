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

static const char *cache_name(const struct ss_model *m, uint32_t ci)
{
	return ci == SS_NO_CACHE ? NULL : ss_model_cache(m, ci)->name;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The slab facts, at the top level of the address's object (where they
 * were before whatis told more than slabs). */
static int slab_json(json_t *o, const struct ss_model *m,
		     const struct ss_identity *r)
{
	const struct ss_whatis *w = &r->slab;
	int bad = json_object_set_new(o, "in_slab", json_boolean(w->in_slab));
	if (!w->in_slab)
		return bad;
	const struct ss_cache *c = whatis_cache(m, w);
	bad |= json_object_set_new(o, "cache",
				   c ? json_string(c->name) : json_null());
	bad |= json_object_set_new(o, "slab", ss_json_addr(w->slab->page));
	bad |= json_object_set_new(
		o, "slab_list", json_string(ss_slab_list_name(w->slab->list)));
	if (w->kfence)
		bad |= json_object_set_new(o, "kfence", json_true());
	if (c && c->bucket_of != SS_NO_CACHE)
		bad |= json_object_set_new(
			o, "bucket_of",
			json_string(ss_model_cache(m, c->bucket_of)->name));
	if (w->object) {
		bad |= json_object_set_new(o, "object",
					   ss_json_addr(w->object));
		bad |= json_object_set_new(o, "slot", ss_json_addr(w->slot));
		bad |= json_object_set_new(o, "offset",
					   json_integer(w->offset));
		bad |= json_object_set_new(
			o, "state", json_string(ss_obj_state_name(w->state)));
	}
	bad |= json_object_set_new(o, "region",
				   json_string(ss_region_name(w->region)));
	if (r->has_tracks) {
		bad |= json_object_set_new(o, "alloc",
					   ss_json_track(&r->alloc));
		bad |= json_object_set_new(o, "free", ss_json_track(&r->free));
	}
	if (r->is_task) {
		json_t *t =
			json_pack("{s:I, s:s}", "pid", (json_int_t)r->task_pid,
				  "comm", r->task_comm);
		bad |= json_object_set_new(o, "task", t);
	}
	return bad;
}

static json_t *page_json(const struct ss_model *m, const struct ss_page_fact *p)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	int bad =
		json_object_set_new(o, "pfn", json_integer((json_int_t)p->pfn));
	bad |= json_object_set_new(o, "phys", ss_json_addr(p->phys));
	bad |= json_object_set_new(o, "struct_page",
				   ss_json_addr(p->struct_page));
	bad |= json_object_set_new(o, "mapped", ss_json_addr(p->mapped));
	bad |= json_object_set_new(o, "offset",
				   json_integer((json_int_t)p->offset));
	if (p->readable) {
		bad |= json_object_set_new(o, "flags", ss_json_addr(p->flags));
		bad |= json_object_set_new(o, "flag_names",
					   str_or_null(p->flag_names));
		bad |= json_object_set_new(o, "refcount",
					   json_integer(p->refcount));
		bad |= json_object_set_new(o, "tail", json_boolean(p->tail));
		if (p->tail)
			bad |= json_object_set_new(o, "head",
						   ss_json_addr(p->head));
	}
	bad |= json_object_set_new(o, "slab", json_boolean(p->slab));
	if (p->slab) {
		bad |= json_object_set_new(
			o, "cache", str_or_null(cache_name(m, p->cache)));
		bad |= json_object_set_new(o, "slab_page",
					   ss_json_addr(p->slab_page));
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *vmalloc_json(const struct ss_vmalloc_fact *v)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	int bad = json_object_set_new(o, "start", ss_json_addr(v->start));
	bad |= json_object_set_new(o, "end", ss_json_addr(v->end));
	bad |= json_object_set_new(o, "vm_struct",
				   v->vm ? ss_json_addr(v->vm) : json_null());
	if (v->vm) {
		bad |= json_object_set_new(o, "size",
					   json_integer((json_int_t)v->size));
		bad |= json_object_set_new(
			o, "nr_pages", json_integer((json_int_t)v->nr_pages));
		bad |= json_object_set_new(o, "flags", ss_json_addr(v->flags));
		bad |= json_object_set_new(o, "flag_names",
					   str_or_null(v->flag_names));
		bad |= json_object_set_new(o, "caller",
					   ss_json_addr(v->caller));
		bad |= json_object_set_new(o, "caller_symbol",
					   str_or_null(v->caller_sym));
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *ss_report_whatis_json(const struct ss_model *m,
			      const struct ss_identity *r)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	int bad = json_object_set_new(o, "address", ss_json_addr(r->addr));
	if (r->pac_stripped)
		bad |= json_object_set_new(o, "pac_stripped",
					   ss_json_addr(r->pac_stripped));
	bad |= json_object_set_new(o, "kind",
				   json_string(ss_addr_kind_name(r->kind)));
	bad |= slab_json(o, m, r);
	if (r->symbol)
		bad |= json_object_set_new(o, "symbol", json_string(r->symbol));
	if (r->module[0])
		bad |= json_object_set_new(o, "module", json_string(r->module));
	if (r->has_percpu)
		bad |= json_object_set_new(
			o, "percpu",
			json_pack("{s:i, s:I, s:b}", "cpu", (int)r->percpu.cpu,
				  "offset", (json_int_t)r->percpu.offset,
				  "static", r->percpu.is_static));
	if (r->has_stack)
		bad |= json_object_set_new(
			o, "stack",
			json_pack("{s:o, s:i, s:s, s:o, s:I, s:I}", "task",
				  ss_json_addr(r->stack.task), "pid",
				  (int)r->stack.pid, "comm", r->stack.comm,
				  "base", ss_json_addr(r->stack.base), "size",
				  (json_int_t)r->stack.size, "offset",
				  (json_int_t)r->stack.offset));
	if (r->has_vmalloc)
		bad |= json_object_set_new(o, "vmalloc",
					   vmalloc_json(&r->vmalloc));
	if (r->has_page)
		bad |= json_object_set_new(o, "page", page_json(m, &r->page));
	if (r->notes)
		bad |= json_object_set_new(o, "notes", json_string(r->notes));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void slab_text(const struct ss_model *m, const struct ss_identity *r,
		      FILE *out)
{
	const struct ss_whatis *w = &r->slab;
	const struct ss_cache *c = whatis_cache(m, w);
	if (w->kfence) {
		fprintf(out,
			"0x%" PRIx64 ": in KFENCE object page 0x%" PRIx64
			" (one guarded object) of cache %s\n",
			r->addr, w->slab->page, c ? c->name : "?");
		return;
	}
	fprintf(out, "0x%" PRIx64 ": in slab 0x%" PRIx64 " (%s) of cache %s",
		r->addr, w->slab->page, ss_slab_list_name(w->slab->list),
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
	if (r->is_task)
		fprintf(out, "  task:    pid %d (%s)\n", r->task_pid,
			r->task_comm);
	if (r->has_tracks) {
		ss_report_track_text(out, 2, "allocated", &r->alloc);
		ss_report_track_text(out, 2, "freed", &r->free);
	}
}

static void page_text(const struct ss_model *m, const struct ss_page_fact *p,
		      FILE *out)
{
	fprintf(out,
		"  page:    pfn 0x%" PRIx64 " (phys 0x%" PRIx64
		"), struct page 0x%" PRIx64 ", mapped at 0x%" PRIx64 "\n",
		p->pfn, p->phys, p->struct_page, p->mapped);
	if (p->readable) {
		fprintf(out, "           flags 0x%" PRIx64 " (%s), refcount %d",
			p->flags,
			p->flag_names && *p->flag_names ? p->flag_names
							: "none",
			p->refcount);
		if (p->tail)
			fprintf(out, ", tail of head page 0x%" PRIx64, p->head);
		fputc('\n', out);
	} else {
		fputs("           struct page not in the dump\n", out);
	}
	if (p->slab)
		fprintf(out,
			"           slab page of cache %s (slab 0x%" PRIx64
			")\n",
			p->cache == SS_NO_CACHE ? "?" : cache_name(m, p->cache),
			p->slab_page);
}

static void vmalloc_text(const struct ss_identity *r, FILE *out)
{
	const struct ss_vmalloc_fact *v = &r->vmalloc;
	fprintf(out,
		"  vmalloc: area 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64
		" bytes), offset +0x%" PRIx64,
		v->start, v->end, v->end - v->start, r->addr - v->start);
	if (!v->vm) {
		fputs(", no vm_struct (vm_map_ram)\n", out);
		return;
	}
	fprintf(out, ", %u pages, %s\n", v->nr_pages,
		v->flag_names && *v->flag_names ? v->flag_names : "no flags");
	if (v->caller_sym)
		fprintf(out, "           allocated by %s\n", v->caller_sym);
	else
		fprintf(out, "           allocated by 0x%" PRIx64 "\n",
			v->caller);
}

/* The first line, for what is not a slab. */
static void headline(const struct ss_identity *r, FILE *out)
{
	fprintf(out, "0x%" PRIx64 ": ", r->addr);
	if (r->pac_stripped)
		fprintf(out, "signed (pointer authentication) 0x%" PRIx64 ": ",
			r->pac_stripped);
	switch (r->kind) {
	case SS_ADDR_PERCPU:
		if (r->percpu.is_static)
			fprintf(out, "%s of CPU %u (per-CPU variable)\n",
				r->symbol ? r->symbol : "?", r->percpu.cpu);
		else
			fprintf(out,
				"dynamic per-CPU allocation of CPU %u, "
				"offset +0x%" PRIx64 " in its unit\n",
				r->percpu.cpu, r->percpu.offset);
		break;
	case SS_ADDR_KERNEL:
		fprintf(out, "%s (kernel image)\n",
			r->symbol ? r->symbol : "in no symbol");
		break;
	case SS_ADDR_TASK_STACK:
		fprintf(out,
			"kernel stack of task 0x%" PRIx64 " (pid %d, %s), "
			"offset +0x%" PRIx64 " of %" PRIu64 "\n",
			r->stack.task, r->stack.pid, r->stack.comm,
			r->stack.offset, r->stack.size);
		break;
	case SS_ADDR_MODULE:
		fprintf(out, "%s (module %s)\n", r->symbol ? r->symbol : "?",
			r->module);
		break;
	case SS_ADDR_VMALLOC: fputs("in a vmalloc area\n", out); break;
	case SS_ADDR_STRUCT_PAGE:
		fprintf(out,
			"struct page of pfn 0x%" PRIx64 ", +0x%" PRIx64
			" into it\n",
			r->page.pfn, r->page.offset);
		break;
	case SS_ADDR_DIRECT_MAP:
		fprintf(out,
			"direct-map address of pfn 0x%" PRIx64 ", in no slab\n",
			r->page.pfn);
		break;
	case SS_ADDR_USER:
		fputs("a user-space address: not in the kernel's half\n", out);
		break;
	case SS_ADDR_NONCANONICAL:
		fputs("not a canonical address: no CPU can dereference it\n",
		      out);
		break;
	default:
		if (r->symbol) {
			fprintf(out, "%s\n", r->symbol);
			break;
		}
		fputs("a kernel address, not in a slab, symbol, per-CPU "
		      "area, stack, vmalloc area or mapped page\n",
		      out);
		break;
	}
}

struct ss_error *ss_report_whatis_text(const struct ss_model *m,
				       const struct ss_identity *r, FILE *out)
{
	if (r->kind == SS_ADDR_SLAB)
		slab_text(m, r, out);
	else
		headline(r, out);
	if (r->kind != SS_ADDR_KERNEL && r->kind != SS_ADDR_MODULE &&
	    r->kind != SS_ADDR_UNKNOWN &&
	    !(r->kind == SS_ADDR_PERCPU && r->percpu.is_static) && r->symbol)
		fprintf(out, "  symbol:  %s\n", r->symbol);
	if (r->has_stack && r->kind != SS_ADDR_TASK_STACK)
		fprintf(out,
			"  stack:   of task 0x%" PRIx64 " (pid %d, %s), offset "
			"+0x%" PRIx64 " of %" PRIu64 "\n",
			r->stack.task, r->stack.pid, r->stack.comm,
			r->stack.offset, r->stack.size);
	if (r->has_percpu && r->kind != SS_ADDR_PERCPU)
		fprintf(out,
			"  percpu:  CPU %u's unit, offset +0x%" PRIx64 "\n",
			r->percpu.cpu, r->percpu.offset);
	if (r->has_vmalloc)
		vmalloc_text(r, out);
	if (r->has_page && r->kind != SS_ADDR_SLAB)
		page_text(m, &r->page, out);
	if (r->notes)
		fprintf(out, "  note:    %s\n", r->notes);
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}

void ss_report_whatis_brief(const struct ss_identity *r, char *buf, size_t len)
{
	const char *sym = r->symbol ? r->symbol : "?";
	switch (r->kind) {
	case SS_ADDR_PERCPU:
		if (r->percpu.is_static)
			snprintf(buf, len, "%s of CPU %u", sym, r->percpu.cpu);
		else
			snprintf(buf, len, "per-CPU data of CPU %u +0x%" PRIx64,
				 r->percpu.cpu, r->percpu.offset);
		break;
	case SS_ADDR_KERNEL: snprintf(buf, len, "%s (kernel)", sym); break;
	case SS_ADDR_TASK_STACK:
		snprintf(buf, len, "stack of pid %d (%s) +0x%" PRIx64,
			 r->stack.pid, r->stack.comm, r->stack.offset);
		break;
	case SS_ADDR_MODULE: snprintf(buf, len, "%s", sym); break;
	case SS_ADDR_VMALLOC:
		if (r->vmalloc.caller_sym)
			snprintf(buf, len, "vmalloc area +0x%" PRIx64 " of %s",
				 r->addr - r->vmalloc.start,
				 r->vmalloc.caller_sym);
		else
			snprintf(buf, len, "vmalloc area +0x%" PRIx64,
				 r->addr - r->vmalloc.start);
		break;
	case SS_ADDR_STRUCT_PAGE:
		snprintf(buf, len,
			 "struct page of pfn 0x%" PRIx64 " +0x%" PRIx64,
			 r->page.pfn, r->page.offset);
		break;
	case SS_ADDR_DIRECT_MAP:
		snprintf(buf, len, "page pfn 0x%" PRIx64 "%s%s%s", r->page.pfn,
			 r->page.flag_names && *r->page.flag_names ? " (" : "",
			 r->page.flag_names ? r->page.flag_names : "",
			 r->page.flag_names && *r->page.flag_names ? ")" : "");
		break;
	case SS_ADDR_USER: snprintf(buf, len, "user address"); break;
	case SS_ADDR_NONCANONICAL: snprintf(buf, len, "non-canonical"); break;
	default:
		snprintf(buf, len, "%s", r->symbol ? r->symbol : "unknown");
		break;
	}
}
