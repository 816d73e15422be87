/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small JSON helpers shared by every report. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <slabscope/report.h>

json_t *ss_json_addr(uint64_t addr)
{
	char buf[2 + 16 + 1];
	snprintf(buf, sizeof(buf), "0x%" PRIx64, addr);
	return json_string(buf);
}

json_t *ss_json_strings(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

void ss_report_symbol_warnings_text(char *const *v, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "warning: %s\n", v[i]);
}

struct ss_error *ss_json_dump(json_t *doc, FILE *out)
{
	if (!doc)
		return &ss_error_nomem;
	int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc < 0 || fputc('\n', out) == EOF || fflush(out) == EOF)
		return ss_error_errno(errno, SS_ERR_IO, "writing JSON output");
	return NULL;
}
