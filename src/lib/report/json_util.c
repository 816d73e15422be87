/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small JSON helpers shared by every report. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <slabscope/report.h>
#include <slabscope/version.h>

json_t *ss_json_addr(uint64_t addr)
{
	char buf[2 + 16 + 1];
	snprintf(buf, sizeof(buf), "0x%" PRIx64, addr);
	return json_string(buf);
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

struct ss_library_version ss_report_jansson_version(void)
{
#if JANSSON_VERSION_HEX >= 0x020d00
	return (struct ss_library_version){ "jansson", jansson_version_str(),
					    false };
#else
	/* jansson_version_str() came with 2.13. */
	return (struct ss_library_version){ "jansson", JANSSON_VERSION, true };
#endif
}
