/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An allocation or free track (SLAB_STORE_USER), as check and whatis show
 * it. */
#include <inttypes.h>

#include <slabscope/report.h>

json_t *ss_json_track(const struct ss_track *t)
{
	if (!t->valid)
		return json_null();
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "caller", ss_json_addr(t->addr));
	json_object_set_new(o, "symbol",
			    t->caller ? json_string(t->caller) : json_null());
	json_object_set_new(o, "pid",
			    t->has_owner ? json_integer(t->pid) : json_null());
	json_object_set_new(o, "cpu",
			    t->has_owner ? json_integer(t->cpu) : json_null());
	json_object_set_new(o, "when", json_integer((json_int_t)t->when));
	json_object_set_new(o, "age_s",
			    t->has_age ? json_real(t->age_s) : json_null());
	json_t *st = json_array();
	for (size_t i = 0; st && i < t->nstack; i++)
		json_array_append_new(st,
				      t->stack_syms && t->stack_syms[i]
					      ? json_string(t->stack_syms[i])
					      : ss_json_addr(t->stack[i]));
	json_object_set_new(o, "stack", st ? st : json_null());
	/* file:line of the caller and of each frame, where a line table
	 * says (null elsewhere) */
	json_object_set_new(o, "source",
			    t->caller_src ? json_string(t->caller_src)
					  : json_null());
	json_t *src = json_array();
	for (size_t i = 0; src && i < t->nstack; i++)
		json_array_append_new(src,
				      t->stack_srcs && t->stack_srcs[i]
					      ? json_string(t->stack_srcs[i])
					      : json_null());
	json_object_set_new(o, "stack_sources", src ? src : json_null());
	return o;
}

void ss_report_track_text(FILE *out, int indent, const char *what,
			  const struct ss_track *t)
{
	if (!t->valid)
		return;
	fprintf(out, "%*s%s by %s", indent, "", what,
		t->caller ? t->caller : "?");
	if (!t->caller)
		fprintf(out, " (0x%" PRIx64 ")", t->addr);
	else if (t->caller_src)
		fprintf(out, " (%s)", t->caller_src);
	if (t->has_owner)
		fprintf(out, ", pid %d, cpu %d", t->pid, t->cpu);
	if (t->has_age)
		fprintf(out, ", %.1f s before the dump", t->age_s);
	fputc('\n', out);
	for (size_t i = 0; i < t->nstack; i++) {
		if (t->stack_syms && t->stack_syms[i])
			fprintf(out, "%*s%s", indent + 2, "", t->stack_syms[i]);
		else
			fprintf(out, "%*s0x%" PRIx64, indent + 2, "",
				t->stack[i]);
		if (t->stack_srcs && t->stack_srcs[i])
			fprintf(out, " (%s)", t->stack_srcs[i]);
		fputc('\n', out);
	}
}
