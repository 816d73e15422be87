/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `slabscope batch` rows and JUnit XML. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <slabscope/report.h>

struct ss_error *ss_report_batch_line(const struct ss_batch_result *r,
				      FILE *out)
{
	fprintf(out, "%-5s %s", ss_batch_status_name(r->status), r->dump);
	if (r->status == SS_BATCH_ERROR) {
		fprintf(out, ": %s", r->error ? r->error : "?");
	} else {
		const char *sep = ": ";
		/* failures first, then warnings */
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < r->nreasons; i++) {
				bool fail = r->reasons[i].verdict ==
					    SS_VERDICT_FAIL;
				if (fail != (pass == 0))
					continue;
				fprintf(out, "%s%s%s", sep, fail ? "" : "warning: ",
					r->reasons[i].text);
				sep = "; ";
			}
	}
	fputc('\n', out);
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}

json_t *ss_report_batch_summary_json(const struct ss_batch_result *v, size_t n,
				     const char *rules,
				     const struct ss_snapshot *baseline)
{
	size_t count[3] = { 0 };
	for (size_t i = 0; i < n; i++)
		count[v[i].status]++;
	json_t *doc = json_object(), *sum = json_object();
	if (!doc || !sum ||
	    json_object_set_new(sum, "dumps", json_integer((json_int_t)n)) ||
	    json_object_set_new(
		    sum, "passed",
		    json_integer((json_int_t)count[SS_BATCH_PASS])) ||
	    json_object_set_new(
		    sum, "failed",
		    json_integer((json_int_t)count[SS_BATCH_FAIL])) ||
	    json_object_set_new(
		    sum, "errors",
		    json_integer((json_int_t)count[SS_BATCH_ERROR]))) {
		json_decref(doc);
		json_decref(sum);
		return NULL;
	}
	if (json_object_set_new(doc, "summary", sum) ||
	    json_object_set_new(doc, "rules",
				rules ? json_string(rules) : json_null()) ||
	    json_object_set_new(doc, "baseline",
				baseline ? ss_json_snapshot(baseline)
					 : json_null())) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* XML-escape s into out; control characters become '?'. */
static void xml_put(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			if (c < 0x20 && c != '\n' && c != '\t')
				fputc('?', out);
			else
				fputc(c, out);
		}
	}
}

struct ss_error *ss_report_junit(const struct ss_batch_result *v, size_t n,
				 FILE *out)
{
	size_t failures = 0, errors = 0;
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		failures += v[i].status == SS_BATCH_FAIL;
		errors += v[i].status == SS_BATCH_ERROR;
		total += v[i].seconds;
	}
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(out,
		"<testsuites name=\"slabscope\" tests=\"%zu\" failures=\"%zu\" "
		"errors=\"%zu\" time=\"%.3f\">\n",
		n, failures, errors, total);
	fprintf(out,
		"  <testsuite name=\"slabscope batch\" tests=\"%zu\" "
		"failures=\"%zu\" errors=\"%zu\" skipped=\"0\" time=\"%.3f\" "
		"timestamp=\"%s\">\n",
		n, failures, errors, total, stamp);
	for (size_t i = 0; i < n; i++) {
		const struct ss_batch_result *r = &v[i];
		fputs("    <testcase classname=\"slabscope.batch\" name=\"", out);
		xml_put(out, r->dump);
		fprintf(out, "\" time=\"%.3f\"", r->seconds);
		bool warnings = false;
		for (size_t k = 0; k < r->nreasons; k++)
			warnings |= r->reasons[k].verdict == SS_VERDICT_WARN;
		if (r->status == SS_BATCH_PASS && !warnings) {
			fputs("/>\n", out);
			continue;
		}
		fputs(">\n", out);
		if (r->status == SS_BATCH_ERROR) {
			fputs("      <error type=\"slabscope.error\" message=\"", out);
			xml_put(out, r->error);
			fputs("\"/>\n", out);
		} else if (r->status == SS_BATCH_FAIL) {
			size_t nf = 0;
			for (size_t k = 0; k < r->nreasons; k++)
				nf += r->reasons[k].verdict == SS_VERDICT_FAIL;
			fprintf(out, "      <failure type=\"slabscope.findings\" "
				"message=\"%zu rule%s failed\">", nf,
				nf == 1 ? "" : "s");
			for (size_t k = 0; k < r->nreasons; k++) {
				if (r->reasons[k].verdict != SS_VERDICT_FAIL)
					continue;
				xml_put(out, r->reasons[k].text);
				fputc('\n', out);
			}
			fputs("</failure>\n", out);
		}
		if (warnings) {
			fputs("      <system-out>", out);
			for (size_t k = 0; k < r->nreasons; k++) {
				if (r->reasons[k].verdict != SS_VERDICT_WARN)
					continue;
				fputs("warning: ", out);
				xml_put(out, r->reasons[k].text);
				fputc('\n', out);
			}
			fputs("</system-out>\n", out);
		}
		fputs("    </testcase>\n", out);
	}
	fputs("  </testsuite>\n</testsuites>\n", out);
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing JUnit XML");
	return NULL;
}
