/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: a kernel module's .ko as slabscope reads one (src/lib/
 * dbg: ss_dbg_open_module, the relocation of its debug sections, build-id
 * notes, sections, symbols, line tables).  A .ko beside a dump is any file
 * called *.ko: it may be anything.
 *
 * The input is the file itself, through a memfd.  When it opens, the
 * harness reads its build-id, .modinfo and .gnu.linkonce.this_module, the
 * section of init_module (what places freed init code) and the source line
 * of addresses in it and in .text, and checks the error contract: one-line
 * messages, only the codes the API documents.
 *
 * Seeds: tests/fuzz/corpus/fuzz_module: a small module built as kbuild
 * links one (gcc -g -c; ld -r --build-id), and the same stripped.
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

#include <slabscope/dbg.h>

static int fd = -1;
static char path[64];

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "fuzz_module: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fd = memfd_create("fuzz-module", MFD_CLOEXEC);
	if (fd < 0)
		die("memfd_create failed");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

/* err (freed here) must be one line and one of the codes allowed. */
static void expect(struct ss_error *err, const char *what, unsigned codes)
{
	if (!err)
		return;
	if (!err->message || strchr(err->message, '\n'))
		die("%s: message of more than one line", what);
	if (!(codes & (1u << err->code)))
		die("%s: unexpected %s: %s", what, ss_errcode_name(err->code),
		    err->message);
	ss_error_destroy(err);
}

#define C(code) (1u << (code))

static void touch_section(struct ss_dbg *dbg, const char *name)
{
	struct ss_dbg_section_info s;
	struct ss_error *err = ss_dbg_section(dbg, name, &s);
	if (!err && s.data) {
		volatile unsigned char sum = 0;
		for (uint64_t i = 0; i < s.size; i++)
			sum ^= ((const unsigned char *)s.data)[i];
		(void)sum;
	}
	expect(err, "ss_dbg_section", C(SS_ERR_NOTFOUND));
}

static void line_at(struct ss_dbg *dbg, uint64_t addr)
{
	char *file = NULL;
	unsigned line;
	struct ss_error *err = ss_dbg_source_line(dbg, addr, &file, &line);
	if (!err && (!file || strlen(file) > (1u << 20)))
		die("ss_dbg_source_line: a bad file name");
	free(file);
	expect(err, "ss_dbg_source_line",
	       C(SS_ERR_NOTFOUND) | C(SS_ERR_NODEBUG) | C(SS_ERR_FORMAT) |
		       C(SS_ERR_NOMEM));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		die("writing the memfd failed");
	struct ss_dbg *dbg = NULL;
	struct ss_error *err = ss_dbg_open_module(path, &dbg);
	if (err) {
		if (err->code != SS_ERR_NOMEM && !strstr(err->message, path))
			die("ss_dbg_open_module: the message does not name "
			    "the file: %s",
			    err->message);
		expect(err, "ss_dbg_open_module",
		       C(SS_ERR_FORMAT) | C(SS_ERR_IO) | C(SS_ERR_NOMEM));
		return 0;
	}
	uint8_t id[64];
	size_t n;
	expect(ss_dbg_build_id(dbg, id, sizeof(id), &n), "ss_dbg_build_id",
	       C(SS_ERR_NOTFOUND));
	touch_section(dbg, ".modinfo");
	touch_section(dbg, ".gnu.linkonce.this_module");
	const char *const syms[] = { "init_module", "text_fn",
				     "cleanup_module" };
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		uint64_t at = 0, sz = 0;
		struct ss_dbg_section_info sec;
		err = ss_dbg_symbol_section(dbg, syms[i], &at, &sz, &sec);
		if (!err) {
			const char *name;
			uint64_t off;
			expect(ss_dbg_symbolize(dbg, at + 1, &name, &off),
			       "ss_dbg_symbolize",
			       C(SS_ERR_NOTFOUND) | C(SS_ERR_FORMAT) |
				       C(SS_ERR_NOMEM));
			line_at(dbg, at);
			line_at(dbg, at + sz / 2);
		}
		expect(err, "ss_dbg_symbol_section",
		       C(SS_ERR_NOTFOUND) | C(SS_ERR_FORMAT) | C(SS_ERR_NOMEM));
	}
	line_at(dbg, 0);
	line_at(dbg, UINT64_C(3) << 32);
	ss_dbg_close(dbg);
	return 0;
}
