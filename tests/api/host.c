/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A client of the public interface only (<slabscope/slabscope.h>, linked
 * with `pkg-config slabscope`): it reads a dump with libkdumpfile itself
 * and hands slabscope the memory as a debugger would (ss_host), or lets
 * slabscope open the file (--file).  tests/integration/api.sh compares its
 * output with the CLI's; tests/integration/packaging.sh builds it against
 * the installed library.
 *
 *   host [--file] [--text] DUMP VMLINUX caches|check|whatis ADDR...|
 *        slabs CACHE|objects CACHE|leaks CACHE|findings
 */
/* strdup, O_CLOEXEC: built outside the project too (packaging.sh) */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include <slabscope/slabscope.h>

struct host {
	int fd;
	kdump_ctx_t *ctx;
	char *value; /* the last VMCOREINFO value asked for */
	unsigned long reads, faults;
};

/* A context on h->fd; NULL (message on stderr) if the dump won't open. */
static kdump_ctx_t *host_open(const struct host *h, const char *dump)
{
	kdump_ctx_t *ctx = kdump_new();
	if (ctx && kdump_open_fd(ctx, h->fd) == KDUMP_OK &&
	    kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux") == KDUMP_OK)
		return ctx;
	fprintf(stderr, "host: %s: %s\n", dump,
		ctx ? kdump_get_err(ctx) : "out of memory");
	if (ctx)
		kdump_free(ctx);
	return NULL;
}

static struct ss_error *host_read(void *arg, uint64_t addr, void *buf,
				  size_t len)
{
	struct host *h = arg;
	size_t got = len;
	h->reads++;
	if (kdump_read(h->ctx, KDUMP_KVADDR, addr, buf, &got) != KDUMP_OK ||
	    got != len) {
		h->faults++;
		/* libkdumpfile 0.5.1 corrupts its page cache when a read
		 * fails, and a later read may crash in it (the defence of
		 * src/lib/dump/kdump.c, tests/memcheck/README.md): a host of
		 * its own starts from a fresh context after each failure. */
		kdump_ctx_t *fresh = host_open(h, "renewing the context");
		if (fresh) {
			kdump_free(h->ctx);
			h->ctx = fresh;
		}
		return ss_error_create(SS_ERR_FAULT,
				       "0x%" PRIx64 ": not in the dump", addr);
	}
	return NULL;
}

static const char *host_vmcoreinfo(void *arg, const char *key)
{
	struct host *h = arg;
	char attr[256];
	const char *v;
	snprintf(attr, sizeof(attr), "linux.vmcoreinfo.lines.%s", key);
	if (kdump_get_string_attr(h->ctx, attr, &v) != KDUMP_OK)
		return NULL;
	free(h->value);
	h->value = strdup(v);
	return h->value;
}

static int fail(struct ss_error *err, const char *what)
{
	fprintf(stderr, "host: %s: %s (%s)\n", what, err->message,
		ss_errcode_name(err->code));
	ss_error_destroy(err);
	return 2;
}

int main(int argc, char **argv)
{
	bool file = false, text = false;
	while (argc > 1 && strncmp(argv[1], "--", 2) == 0) {
		file |= strcmp(argv[1], "--file") == 0;
		text |= strcmp(argv[1], "--text") == 0;
		argv++, argc--;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: host [--file] [--text] DUMP VMLINUX "
				"QUERY [ARG...]\n");
		return 2;
	}
	/* an empty VMLINUX: let slabscope find it */
	const char *dump = argv[1], *vmlinux = *argv[2] ? argv[2] : NULL;
	const char *query = argv[3];
	struct host h = { 0 };
	struct ss_analysis *a = NULL;
	struct ss_error *err;
	if (file) {
		err = ss_analysis_open(dump, vmlinux, &a);
	} else {
		h.fd = open(dump, O_RDONLY | O_CLOEXEC);
		if (h.fd < 0) {
			perror(dump);
			return 2;
		}
		if (!(h.ctx = host_open(&h, dump))) {
			close(h.fd);
			return 2;
		}
		struct ss_host host = {
			.size = sizeof(host),
			.name = "host.c",
			.arg = &h,
			.read = host_read,
			.vmcoreinfo = host_vmcoreinfo,
		};
		/* the module's .ko beside the dump, as the CLI finds it */
		char *dir = strdup(dump), *slash = dir ? strrchr(dir, '/') : NULL;
		if (slash)
			*slash = '\0';
		host.module_dir = slash ? dir : ".";
		err = ss_analysis_open_host(&host, vmlinux, &a);
		free(dir);
	}
	struct ss_result *r = NULL;
	int status = 2;
	if (err) {
		status = fail(err, "open");
		goto out;
	}
	if (!strcmp(query, "caches")) {
		err = ss_query_caches(a, &r);
	} else if (!strcmp(query, "check") || !strcmp(query, "findings")) {
		err = ss_query_check(a, (const char *const *)argv + 4,
				     (size_t)(argc - 4), &r);
	} else if (!strcmp(query, "whatis")) {
		size_t n = (size_t)(argc - 4);
		uint64_t *v = calloc(n ? n : 1, sizeof(*v));
		for (size_t i = 0; v && i < n; i++)
			v[i] = strtoull(argv[4 + i], NULL, 0);
		err = v ? ss_query_whatis(a, v, n, &r) : &ss_error_nomem;
		free(v);
	} else if (argc > 4 && !strcmp(query, "slabs")) {
		err = ss_query_slabs(a, argv[4], &r);
	} else if (argc > 4 && !strcmp(query, "objects")) {
		err = ss_query_objects(a, argv[4], &r);
	} else if (argc > 4 && !strcmp(query, "leaks")) {
		err = ss_query_leaks(a, argv[4], &r);
	} else {
		err = ss_error_create(SS_ERR_INVALID, "unknown query %s", query);
	}
	if (err) {
		status = fail(err, query);
	} else if (!strcmp(query, "findings")) {
		/* the findings as data, one line each */
		const struct ss_finding_info *f;
		for (size_t i = 0; (f = ss_result_finding(r, i)); i++)
			printf("%s %s 0x%" PRIx64 " 0x%" PRIx64 " %s\n",
			       f->kind, f->cache ? f->cache : "-", f->object,
			       f->has_culprit ? f->culprit : 0,
			       f->culprit_relation ? f->culprit_relation : "-");
		status = ss_result_status(r);
	} else {
		fputs(text ? ss_result_text(r) : ss_result_json(r), stdout);
		status = ss_result_status(r);
	}
	if (!file)
		fprintf(stderr, "host: %s %s: %lu reads, %lu faults\n",
			ss_version(), ss_analysis_allocator(a), h.reads,
			h.faults);
	ss_result_destroy(r);
	ss_analysis_close(a);
out:
	if (h.ctx) {
		kdump_free(h.ctx);
		close(h.fd);
	}
	free(h.value);
	return status;
}
