/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: the rules file of `slabscope batch` (ss_rules_parse,
 * ss_rules_load) and --fail-if thresholds (ss_threshold_parse), on
 * arbitrary text.
 *
 * The input is the rules text.  It is parsed from memory (up to its first
 * NUL) and loaded from a file (a memfd: ss_rules_load's size and binary
 * checks); both must agree.  A parsed rule set is queried (finding
 * verdicts, vmlinux for a dump, growth thresholds against a few diff
 * entries); every line is also given to ss_threshold_parse.  Errors must
 * be SS_ERR_INVALID (or SS_ERR_NOMEM) with one line that names the file.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <slabscope/check.h>
#include <slabscope/diff.h>
#include <slabscope/rules.h>

static int fd = -1;
static char path[64];

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "fuzz_rules: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fd = memfd_create("fuzz-rules", MFD_CLOEXEC);
	if (fd < 0)
		die("memfd_create failed");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

static void check_error(const struct ss_error *err, const char *name)
{
	if (err->code == SS_ERR_NOMEM)
		return;
	if (err->code != SS_ERR_INVALID)
		die("unexpected error %s: %s", ss_errcode_name(err->code),
		    err->message);
	if (strchr(err->message, '\n'))
		die("message of more than one line: %s", err->message);
	if (name && strncmp(err->message, name, strlen(name)) != 0)
		die("message does not start with the file name: %s",
		    err->message);
}

static const struct ss_diff_entry entries[] = {
	{ "task_struct", SS_DIFF_BOTH, 54, 70, 16, 70.0 / 54, 1 << 20,
	  2 << 20, 1 << 20 },
	{ "kmalloc-512", SS_DIFF_NEW, 0, 3000, 3000, 0, 0, 1536000, 1536000 },
	{ "dentry", SS_DIFF_GONE, 10, 0, -10, 0, 4096, 0, -4096 },
	{ "", SS_DIFF_BOTH, 0, 0, 0, 0, 0, 0, 0 },
};

static void query(const struct ss_rules *r)
{
	static const char *const caches[] = { "kmalloc-64", "task_struct", "",
					      NULL };
	for (const struct ss_finding_kind *k = ss_finding_kinds; k->id; k++)
		for (size_t c = 0; c < sizeof(caches) / sizeof(caches[0]); c++)
			(void)ss_rules_finding(r, k->id,
					       k->severity == SS_SEV_ERROR,
					       caches[c]);
	(void)ss_rules_finding(r, "no-such-id", false, "x");
	(void)ss_rules_vmlinux(r, "/dumps/lab-a/vmcore.1");
	(void)ss_rules_vmlinux(r, "");
	(void)ss_rules_have_growth(r);
	for (size_t i = 0; i < r->n; i++) {
		const struct ss_rule *ru = &r->v[i];
		switch (ru->kind) {
		case SS_RULE_FINDING:
			if (!ru->id)
				die("finding rule without an id");
			break;
		case SS_RULE_VMLINUX:
			if (!ru->path)
				die("vmlinux rule without a path");
			break;
		case SS_RULE_GROWTH:
			if (!ru->threshold.glob || !ru->threshold.text)
				die("growth rule without a threshold");
			for (size_t e = 0;
			     e < sizeof(entries) / sizeof(entries[0]); e++)
				(void)ss_threshold_crossed(&ru->threshold,
							   &entries[e]);
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	struct ss_rules r1, r2;
	struct ss_error *e1 = ss_rules_parse(text, "fuzz.rules", &r1);
	if (e1)
		check_error(e1, "fuzz.rules");
	else
		query(&r1);

	/* The same text from a file: binary (a NUL) is refused there. */
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		die("writing the memfd failed");
	struct ss_error *e2 = ss_rules_load(path, &r2);
	if (e2)
		check_error(e2, path);
	else
		query(&r2);
	bool binary = memchr(data, '\0', size) != NULL;
	if (!binary && (!e1) != (!e2))
		die("ss_rules_parse and ss_rules_load disagree: %s / %s",
		    e1 ? e1->message : "ok", e2 ? e2->message : "ok");
	if (!binary && !e1 && !e2 && r1.n != r2.n)
		die("ss_rules_parse and ss_rules_load: %zu and %zu rules", r1.n,
		    r2.n);
	if (!e1)
		ss_rules_deinit(&r1);
	if (!e2)
		ss_rules_deinit(&r2);
	ss_error_destroy(e1);
	ss_error_destroy(e2);

	/* Each line as a --fail-if threshold. */
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct ss_threshold t;
		struct ss_error *err = ss_threshold_parse(line, &t);
		if (err) {
			check_error(err, NULL);
			ss_error_destroy(err);
			continue;
		}
		if (!t.glob || !t.text || t.value < 0 || t.value != t.value)
			die("threshold '%s': glob %p text %p value %g", line,
			    (void *)t.glob, (void *)t.text, t.value);
		for (size_t e = 0; e < sizeof(entries) / sizeof(entries[0]); e++)
			(void)ss_threshold_crossed(&t, &entries[e]);
		ss_threshold_deinit(&t);
	}
	free(text);
	return 0;
}
