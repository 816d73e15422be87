/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of module debug files (slabscope/dbg.h: ss_dbg_open_module
 * and what it gives; slabscope/debuginfo.h: build-ids and their paths).
 *
 * The input is a small kernel-module-shaped relocatable file built at suite
 * set-up (gcc -c, then ld -r --build-id as kbuild links a .ko): a function
 * in .text and one in .init.text, both at offset 0 of their section, and
 * init_module an alias of the init function.  Its DWARF addresses of the
 * two functions are both 0 until relocated: their lines must differ.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include <slabscope/dbg.h>
#include <slabscope/debuginfo.h>

#include "unit.h"

static char tmpdir[256];

static const char mod_c[] =
	"int text_fn(int x)\n" /* 1 */
	"{\n" /* 2 */
	"\treturn x * 3 + 1;\n" /* 3 */
	"}\n" /* 4 */
	"__attribute__((section(\".init.text\")))\n" /* 5 */
	"static int init_fn(int x)\n" /* 6 */
	"{\n" /* 7 */
	"\treturn x * 5 + 2;\n" /* 8 */
	"}\n" /* 9 */
	"int init_module(int x) __attribute__((alias(\"init_fn\")));\n";

static char *tmp_path(const char *name)
{
	char *p;
	return asprintf(&p, "%s/%s", tmpdir, name) < 0 ? NULL : p;
}

static int sh(const char *fmt, ...)
{
	char *cmd;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&cmd, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	int r = system(cmd);
	if (r)
		fprintf(stderr, "test_module: failed (%d): %s\n", r, cmd);
	free(cmd);
	return r;
}

static int suite_init(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%s/ss-test-module-XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	const char *cc = getenv("SS_TEST_CC");
	if (!cc || !*cc)
		cc = "gcc";
	char *src = tmp_path("mod.c");
	FILE *f = src ? fopen(src, "w") : NULL;
	int r = -1;
	if (f && fputs(mod_c, f) >= 0 && fclose(f) == 0) {
		f = NULL;
		r = sh("cd '%s' && %s -g -gdwarf-5 -O0 -c -o mod.o mod.c && "
		       "ld -r --build-id=sha1 -o mod.ko mod.o && "
		       "objcopy --strip-debug mod.ko stripped.ko && "
		       "head -c 600 mod.ko > truncated.ko",
		       tmpdir, cc);
	}
	if (f)
		fclose(f);
	free(src);
	return r ? -1 : 0;
}

static int suite_cleanup(void)
{
	return sh("rm -rf '%s'", tmpdir) ? -1 : 0;
}

static struct ss_dbg *open_module(const char *name)
{
	char *p = tmp_path(name);
	struct ss_dbg *dbg = NULL;
	struct ss_error *err =
		p ? ss_dbg_open_module(p, &dbg) : &ss_error_nomem;
	free(p);
	if (err)
		fprintf(stderr, "\n  %s: %s\n", name, err->message);
	CU_ASSERT_PTR_NULL(err);
	ss_error_destroy(err);
	return dbg;
}

/* Sections get addresses of their own; symbols are placed in them. */
static void test_sections(void)
{
	struct ss_dbg *dbg = open_module("mod.ko");
	if (!dbg)
		return;
	CU_ASSERT_TRUE(ss_dbg_has_dwarf(dbg));
	uint64_t init_at, text_at, size;
	struct ss_dbg_section_info init_sec, text_sec;
	SS_ASSERT_OK(ss_dbg_symbol_section(dbg, "init_module", &init_at, &size,
					   &init_sec));
	CU_ASSERT_STRING_EQUAL(init_sec.name, ".init.text");
	CU_ASSERT_EQUAL(init_at, init_sec.addr);
	CU_ASSERT_NOT_EQUAL(init_sec.addr, 0);
	CU_ASSERT_TRUE(size > 0 && size <= init_sec.size);
	SS_ASSERT_OK(ss_dbg_symbol_section(dbg, "text_fn", &text_at, &size,
					   &text_sec));
	CU_ASSERT_STRING_EQUAL(text_sec.name, ".text");
	CU_ASSERT_EQUAL(text_at, text_sec.addr);
	CU_ASSERT_NOT_EQUAL(text_sec.addr, init_sec.addr);
	/* The alias init_module gives way to the function's own name. */
	const char *name;
	uint64_t off;
	SS_ASSERT_OK(ss_dbg_symbolize(dbg, init_at + 3, &name, &off));
	CU_ASSERT_STRING_EQUAL(name, "init_fn");
	CU_ASSERT_EQUAL(off, 3);
	SS_ASSERT_OK(ss_dbg_symbolize(dbg, text_at + 2, &name, &off));
	CU_ASSERT_STRING_EQUAL(name, "text_fn");
	struct ss_dbg_section_info s;
	SS_ASSERT_ERR(ss_dbg_section(dbg, ".no_such_section", &s),
		      SS_ERR_NOTFOUND);
	ss_dbg_close(dbg);
}

/* Both functions start at offset 0 of their section: relocated, their
 * lines are their own. */
static void test_lines(void)
{
	struct ss_dbg *dbg = open_module("mod.ko");
	if (!dbg)
		return;
	uint64_t init_at, text_at, size;
	struct ss_dbg_section_info sec;
	SS_ASSERT_OK(ss_dbg_symbol_section(dbg, "init_module", &init_at, &size,
					   &sec));
	SS_ASSERT_OK(
		ss_dbg_symbol_section(dbg, "text_fn", &text_at, &size, &sec));
	char *file;
	unsigned line;
	SS_ASSERT_OK(ss_dbg_source_line(dbg, init_at + 4, &file, &line));
	CU_ASSERT_TRUE(line >= 6 && line <= 9);
	CU_ASSERT_PTR_NOT_NULL(strstr(file, "mod.c"));
	free(file);
	SS_ASSERT_OK(ss_dbg_source_line(dbg, text_at + 4, &file, &line));
	CU_ASSERT_TRUE(line >= 1 && line <= 4);
	free(file);
	/* An address in no section: no line, no crash. */
	SS_ASSERT_ERR(ss_dbg_source_line(dbg, 12345, &file, &line),
		      SS_ERR_NOTFOUND);
	ss_dbg_close(dbg);
}

static void test_build_id(void)
{
	struct ss_dbg *dbg = open_module("mod.ko");
	if (!dbg)
		return;
	uint8_t id[SS_BUILD_ID_MAX];
	size_t n;
	SS_ASSERT_OK(ss_dbg_build_id(dbg, id, sizeof(id), &n));
	CU_ASSERT_EQUAL(n, 20); /* sha1 */
	SS_ASSERT_ERR(ss_dbg_build_id(dbg, id, 4, &n), SS_ERR_NOTFOUND);
	ss_dbg_close(dbg);
}

/* Without DWARF: symbols yes, lines and types no; a vmlinux needs it. */
static void test_stripped(void)
{
	struct ss_dbg *dbg = open_module("stripped.ko");
	if (!dbg)
		return;
	CU_ASSERT_FALSE(ss_dbg_has_dwarf(dbg));
	uint64_t at, size;
	struct ss_dbg_section_info sec;
	SS_ASSERT_OK(
		ss_dbg_symbol_section(dbg, "init_module", &at, &size, &sec));
	char *file;
	unsigned line;
	SS_ASSERT_ERR(ss_dbg_source_line(dbg, at, &file, &line),
		      SS_ERR_NODEBUG);
	uint64_t tsize;
	SS_ASSERT_ERR(ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "x", &tsize),
		      SS_ERR_NODEBUG);
	struct ss_member m;
	SS_ASSERT_ERR(ss_dbg_member(dbg, SS_TYPE_STRUCT, "x", "y", &m),
		      SS_ERR_NODEBUG);
	CU_ASSERT_FALSE(ss_dbg_has_type_near(dbg, SS_TYPE_STRUCT, "x"));
	SS_ASSERT_ERR(ss_dbg_add_hint_symbol(dbg, "init_module"),
		      SS_ERR_NODEBUG);
	ss_dbg_close(dbg);
	char *p = tmp_path("stripped.ko");
	SS_ASSERT_ERR(ss_dbg_open(p, &dbg), SS_ERR_NODEBUG);
	free(p);
	p = tmp_path("truncated.ko");
	struct ss_error *err = ss_dbg_open_module(p, &dbg);
	CU_ASSERT_PTR_NOT_NULL(err);
	ss_error_destroy(err);
	free(p);
}

/* A line table whose file names point anywhere (tests/fuzz/fuzz_module.c:
 * libdwarf's dwarf_linesrc() ran strlen on 0xee): a name, never a crash. */
static void test_bad_line_table(void)
{
	struct ss_dbg *dbg = NULL;
	SS_ASSERT_OK(ss_dbg_open_module(
		SS_TEST_DATADIR "/regress-linesrc-bad-dir.ko", &dbg));
	for (uint64_t a = 0; a < 8; a++) {
		char *file = NULL;
		unsigned line;
		struct ss_error *err = ss_dbg_source_line(dbg, a, &file, &line);
		CU_ASSERT_TRUE(err || (file && strlen(file) < 4096));
		free(file);
		ss_error_destroy(err);
	}
	ss_dbg_close(dbg);
}

static void test_build_id_text(void)
{
	uint8_t id[SS_BUILD_ID_MAX];
	size_t n;
	CU_ASSERT_TRUE(ss_build_id_parse(
		"01d2640d3a13145ee314eb05b155f141b7b7058b\n", id, &n));
	CU_ASSERT_EQUAL(n, 20);
	CU_ASSERT_EQUAL(id[0], 0x01);
	CU_ASSERT_EQUAL(id[19], 0x8b);
	char hex[2 * SS_BUILD_ID_MAX + 1];
	ss_build_id_hex(id, n, hex);
	CU_ASSERT_STRING_EQUAL(hex, "01d2640d3a13145ee314eb05b155f141b7b7058b");
	CU_ASSERT_FALSE(ss_build_id_parse("01d", id, &n)); /* odd */
	CU_ASSERT_FALSE(ss_build_id_parse("zz", id, &n));
	CU_ASSERT_FALSE(ss_build_id_parse("", id, &n));
	CU_ASSERT_FALSE(ss_build_id_parse(NULL, id, &n));
}

/* SYSROOT/usr/lib/debug/.build-id/xx/rest.debug, and only that. */
static void test_build_id_file(void)
{
	char *old = getenv("SLABSCOPE_SYSROOT");
	old = old ? strdup(old) : NULL;
	setenv("SLABSCOPE_SYSROOT", tmpdir, 1);
	uint8_t id[] = { 0xab, 0xcd, 0xef };
	char *path;
	SS_ASSERT_ERR(ss_build_id_file(id, sizeof(id), &path), SS_ERR_NOTFOUND);
	CU_ASSERT_EQUAL(sh("mkdir -p '%s/usr/lib/debug/.build-id/ab' && "
			   ": > '%s/usr/lib/debug/.build-id/ab/cdef.debug'",
			   tmpdir, tmpdir),
			0);
	SS_ASSERT_OK(ss_build_id_file(id, sizeof(id), &path));
	char *want;
	CU_ASSERT_TRUE(asprintf(&want,
				"%s/usr/lib/debug/.build-id/ab/cdef.debug",
				tmpdir) > 0);
	CU_ASSERT_STRING_EQUAL(path, want);
	free(want);
	free(path);
	char *p = ss_sysroot_path("/boot/x");
	CU_ASSERT_PTR_NOT_NULL(strstr(p, tmpdir));
	free(p);
	if (old)
		setenv("SLABSCOPE_SYSROOT", old, 1);
	else
		unsetenv("SLABSCOPE_SYSROOT");
	free(old);
}

/* Without DEBUGINFOD_URLS nothing is asked. */
static void test_debuginfod_unset(void)
{
	char *old = getenv("DEBUGINFOD_URLS");
	old = old ? strdup(old) : NULL;
	unsetenv("DEBUGINFOD_URLS");
	uint8_t id[20] = { 1, 2, 3 };
	char *path = (char *)"x";
	SS_ASSERT_ERR(ss_debuginfod_fetch(id, sizeof(id), "vmlinux", NULL, NULL,
					  &path),
		      SS_ERR_NOTFOUND);
	CU_ASSERT_PTR_NULL(path);
	if (old)
		setenv("DEBUGINFOD_URLS", old, 1);
	free(old);
}

int ss_test_module_register(void)
{
	CU_pSuite s =
		CU_add_suite("module debug files", suite_init, suite_cleanup);
	if (!s)
		return -1;
	if (!CU_add_test(s, "sections and symbols", test_sections) ||
	    !CU_add_test(s, "source lines", test_lines) ||
	    !CU_add_test(s, "build-id", test_build_id) ||
	    !CU_add_test(s, "without DWARF", test_stripped) ||
	    !CU_add_test(s, "line table with bad names", test_bad_line_table) ||
	    !CU_add_test(s, "build-id text", test_build_id_text) ||
	    !CU_add_test(s, "build-id file", test_build_id_file) ||
	    !CU_add_test(s, "debuginfod unset", test_debuginfod_unset))
		return -1;
	return 0;
}
