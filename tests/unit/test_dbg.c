/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the debug-info module (include/slabscope/dbg.h).
 *
 * The input is synthetic: tests/unit/data/types.c (plus a one-line wrapper
 * that compiles its second unit), built at suite set-up, linked, in several
 * variants: DWARF 5, DWARF 4 (old-style bitfields), DWARF 5 type units, and
 * compressed debug sections.  Then truncated and corrupted copies, which
 * must give errors, never crashes.  If the real vmlinux of the benchmark is
 * there (or $SS_TEST_VMLINUX names one), its offsets are checked against
 * pahole's; otherwise that part is skipped.
 *
 * SS_TEST_DATADIR: directory of types.c.  $SS_TEST_CC: compiler (gcc).
 * Standalone: build with -DSS_TEST_STANDALONE.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

#include <slabscope/dbg.h>
#include <slabscope/error.h>

#include "lib/dbg/dbg_priv.h"

#ifndef SS_TEST_DATADIR
#error "define SS_TEST_DATADIR (the directory of types.c)"
#endif

#define VMLINUX_DEFAULT \
	"/.cache/slabscope/kernels/6.1.0-56-cloud-amd64/vmlinux"

/* Test state: the temporary directory and the files built into it. */
static char tmpdir[256];
static char *made[64];
static size_t nmade;

static char *path_in_tmp(const char *name)
{
	char *p;
	if (asprintf(&p, "%s/%s", tmpdir, name) < 0)
		return NULL;
	if (nmade < sizeof(made) / sizeof(made[0]))
		made[nmade++] = p;
	return p;
}

static const char *variant_path(const char *name)
{
	static char buf[8][512];
	static unsigned next;
	char *b = buf[next++ % 8];
	snprintf(b, sizeof(buf[0]), "%s/%s", tmpdir, name);
	return b;
}

static int run(const char *fmt, ...)
{
	char *cmd;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&cmd, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	int r = system(cmd);
	if (r != 0)
		fprintf(stderr, "test_dbg: command failed (%d): %s\n", r, cmd);
	free(cmd);
	return r;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(buf, 1, len, f);
	return fclose(f) == 0 && n == len ? 0 : -1;
}

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	void *buf = n > 0 ? malloc((size_t)n) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = buf ? (size_t)n : 0;
	return buf;
}

/* What the suite builds from types.c; optional ones need newer tools. */
static const struct {
	const char *name, *flags;
	bool required;
} variants[] = {
	{ "types.so", "-g -gdwarf-5", true },
	{ "nodebug.so", "-g0", true },
	{ "types-dw4.so", "-g -gdwarf-4", true },
	{ "types-tu.so", "-g -gdwarf-5 -fdebug-types-section", false },
	{ "types-gz.so", "-g -gdwarf-5 -gz=zlib", false },
	{ "types-zgnu.so", "-g -gdwarf-5 -gz=zlib-gnu", false },
};
#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))
static bool variant_built[NVARIANTS];

static int suite_cleanup(void);

static int suite_build(void);

/* CUnit does not call the clean-up of a suite whose set-up failed. */
static int suite_init(void)
{
	if (suite_build() == 0)
		return 0;
	suite_cleanup();
	return -1;
}

static int suite_build(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%s/ss-test-dbg-XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	const char *cc = getenv("SS_TEST_CC");
	if (!cc || !*cc)
		cc = "gcc";
	const char *src = SS_TEST_DATADIR "/types.c";

	/* The second unit: struct fwd's definition (and a struct dup). */
	char *fwd = path_in_tmp("fwd.c");
	char text[1024];
	int n = snprintf(text, sizeof(text),
			 "#define SS_TYPES_FWD_DEF\n#include \"%s\"\n", src);
	if (!fwd || write_file(fwd, text, (size_t)n))
		return -1;

	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		char *out = path_in_tmp(variants[i].name);
		if (!out)
			return -1;
		if (run("%s %s -O0 -nostdlib -shared -fPIC -o '%s' '%s' '%s'",
			cc, variants[i].flags, out, src, fwd) == 0) {
			variant_built[i] = true;
		} else if (variants[i].required) {
			return -1;
		} else {
			fprintf(stderr,
				"test_dbg: %s not built (toolchain without %s): skipped\n",
				variants[i].name, variants[i].flags);
		}
	}
	char *txt = path_in_tmp("not-elf.txt");
	if (!txt || write_file(txt, "this is not an ELF file\n", 24))
		return -1;
	char *empty = path_in_tmp("empty");
	if (!empty || write_file(empty, "", 0))
		return -1;
	return 0;
}

static int suite_cleanup(void)
{
	for (size_t i = nmade; i > 0; i--) {
		unlink(made[i - 1]);
		free(made[i - 1]);
	}
	nmade = 0;
	if (tmpdir[0])
		rmdir(tmpdir);
	return 0;
}

/* ---- assertion helpers that show the error message ---- */

static bool check_ok_(struct ss_error *err, const char *expr, unsigned line)
{
	if (!err) {
		CU_assertImplementation(CU_TRUE, line, expr, __FILE__, "",
					CU_FALSE);
		return true;
	}
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s -> %s: %s", expr,
		 ss_errcode_name(err->code), err->message);
	CU_assertImplementation(CU_FALSE, line, buf, __FILE__, "", CU_FALSE);
	ss_error_destroy(err);
	return false;
}
#define CHECK_OK(x) check_ok_((x), #x, __LINE__)

/* err must have code and mention each non-NULL needle. */
static void check_err_(struct ss_error *err, enum ss_errcode code,
		       const char *needle1, const char *needle2,
		       const char *expr, unsigned line)
{
	char buf[1024];
	bool ok = err && err->code == code &&
		  (!needle1 || strstr(err->message, needle1)) &&
		  (!needle2 || strstr(err->message, needle2));
	snprintf(buf, sizeof(buf), "%s -> %s: %s (want %s with '%s' '%s')",
		 expr, err ? ss_errcode_name(err->code) : "success",
		 err ? err->message : "", ss_errcode_name(code),
		 needle1 ? needle1 : "", needle2 ? needle2 : "");
	CU_assertImplementation(ok, line, buf, __FILE__, "", CU_FALSE);
	ss_error_destroy(err);
}
#define CHECK_ERR(x, code, n1, n2) check_err_((x), (code), (n1), (n2), #x, __LINE__)

static struct ss_dbg *open_variant(const char *name)
{
	struct ss_dbg *dbg = NULL;
	if (!CHECK_OK(ss_dbg_open(variant_path(name), &dbg)))
		return NULL;
	return dbg;
}

struct mcheck {
	enum ss_type_kind kind;
	const char *type, *path;
	uint64_t offset, size, bit_offset;
	uint32_t bit_size;
	enum ss_type_kind mkind;
	uint64_t count, elem_size;
};

/* Layouts of tests/unit/data/types.c on LP64. */
static const struct mcheck mchecks[] = {
	{ SS_TYPE_STRUCT, "kmem_cache", "size", 24, 4, 192, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "kmem_cache", "offset", 36, 4, 288, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "kmem_cache", "oo", 32, 4, 256, 0, SS_TYPE_STRUCT, 0, 0 },
	{ SS_TYPE_STRUCT, "kmem_cache", "oo.x", 32, 4, 256, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "kmem_cache", "allocflags", 40, 4, 320, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "kmem_cache", "name", 48, 8, 384, 0, SS_TYPE_POINTER, 0, 1 },
	{ SS_TYPE_STRUCT, "kmem_cache", "cpu_slab", 0, 8, 0, 0, SS_TYPE_POINTER, 0, 0 },
	{ SS_TYPE_STRUCT, "kmem_cache", "list", 56, 16, 448, 0, SS_TYPE_STRUCT, 0, 0 },
	{ SS_TYPE_STRUCT, "kmem_cache", "list.next", 56, 8, 448, 0, SS_TYPE_POINTER, 0, 16 },
	{ SS_TYPE_STRUCT, "kmem_cache", "list.prev", 64, 8, 512, 0, SS_TYPE_POINTER, 0, 16 },
	{ SS_TYPE_STRUCT, "kmem_cache", "node", 80, 32, 640, 0, SS_TYPE_ARRAY, 4, 8 },
	{ SS_TYPE_STRUCT, "kmem_cache", "node[0]", 80, 8, 640, 0, SS_TYPE_POINTER, 0, 64 },
	{ SS_TYPE_STRUCT, "kmem_cache", "node[3]", 104, 8, 832, 0, SS_TYPE_POINTER, 0, 64 },
	{ SS_TYPE_STRUCT, "slab", "slab_list", 8, 16, 64, 0, SS_TYPE_STRUCT, 0, 0 },
	{ SS_TYPE_STRUCT, "slab", "slab_list.prev", 16, 8, 128, 0, SS_TYPE_POINTER, 0, 16 },
	{ SS_TYPE_STRUCT, "slab", "next", 8, 8, 64, 0, SS_TYPE_POINTER, 0, 56 },
	{ SS_TYPE_STRUCT, "slab", "slabs", 16, 4, 128, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "slab", "slab_cache", 24, 8, 192, 0, SS_TYPE_POINTER, 0, 112 },
	{ SS_TYPE_STRUCT, "slab", "freelist", 32, 8, 256, 0, SS_TYPE_POINTER, 0, 0 },
	{ SS_TYPE_STRUCT, "slab", "counters", 40, 8, 320, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "slab", "inuse", 40, 4, 320, 16, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "slab", "objects", 42, 4, 336, 15, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "slab", "frozen", 43, 4, 351, 1, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "slab", "refcount", 52, 4, 416, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "kmem_cache_node", "nr_partial", 8, 8, 64, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "kmem_cache_node", "partial", 16, 16, 128, 0, SS_TYPE_STRUCT, 0, 0 },
	{ SS_TYPE_STRUCT, "kmem_cache_node", "full", 48, 16, 384, 0, SS_TYPE_STRUCT, 0, 0 },
	{ SS_TYPE_STRUCT, "holder", "fp", 0, 8, 0, 0, SS_TYPE_POINTER, 0, 24 },
	{ SS_TYPE_STRUCT, "holder", "comm", 8, 16, 64, 0, SS_TYPE_ARRAY, 16, 1 },
	{ SS_TYPE_STRUCT, "holder", "comm[15]", 23, 1, 184, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "holder", "matrix", 24, 30, 192, 0, SS_TYPE_ARRAY, 3, 10 },
	{ SS_TYPE_STRUCT, "holder", "matrix[1]", 34, 10, 272, 0, SS_TYPE_ARRAY, 5, 2 },
	{ SS_TYPE_STRUCT, "holder", "matrix[1][2]", 38, 2, 304, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "holder", "refs", 56, 4, 448, 0, SS_TYPE_STRUCT, 0, 0 },
	{ SS_TYPE_STRUCT, "holder", "refs.counter", 56, 4, 448, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "holder", "cvrefs", 60, 4, 480, 0, SS_TYPE_STRUCT, 0, 0 },
	{ SS_TYPE_STRUCT, "holder", "cvrefs.counter", 60, 4, 480, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_STRUCT, "holder", "fn", 64, 8, 512, 0, SS_TYPE_POINTER, 0, 0 },
	{ SS_TYPE_STRUCT, "holder", "vp", 72, 8, 576, 0, SS_TYPE_POINTER, 0, 0 },
	{ SS_TYPE_STRUCT, "holder", "lp", 80, 8, 640, 0, SS_TYPE_POINTER, 0, 16 },
	{ SS_TYPE_STRUCT, "holder", "pf", 88, 4, 704, 0, SS_TYPE_ENUM, 0, 0 },
	{ SS_TYPE_STRUCT, "holder", "tail", 96, 0, 768, 0, SS_TYPE_ARRAY, 0, 8 },
	{ SS_TYPE_STRUCT, "holder", "tail[2]", 112, 8, 896, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_UNION, "ss_test_union", "word", 0, 8, 0, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_UNION, "ss_test_union", "bytes", 0, 8, 0, 0, SS_TYPE_ARRAY, 8, 1 },
	{ SS_TYPE_UNION, "ss_test_union", "bytes[7]", 7, 1, 56, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_TYPEDEF, "atomic_t", "counter", 0, 4, 0, 0, SS_TYPE_BASE, 0, 0 },
	{ SS_TYPE_TYPEDEF, "cv_atomic_t", "counter", 0, 4, 0, 0, SS_TYPE_BASE, 0, 0 },
};

static void check_members(struct ss_dbg *dbg, const char *variant)
{
	for (size_t i = 0; i < sizeof(mchecks) / sizeof(mchecks[0]); i++) {
		const struct mcheck *c = &mchecks[i];
		struct ss_member m;
		char what[256];
		snprintf(what, sizeof(what), "%s: %s.%s", variant, c->type,
			 c->path);
		struct ss_error *err = ss_dbg_member(dbg, c->kind, c->type,
						     c->path, &m);
		if (!check_ok_(err, what, __LINE__))
			continue;
		bool ok = m.offset == c->offset && m.size == c->size &&
			  m.bit_offset == c->bit_offset &&
			  m.bit_size == c->bit_size && m.kind == c->mkind &&
			  m.count == c->count && m.elem_size == c->elem_size;
		char buf[512];
		snprintf(buf, sizeof(buf),
			 "%s: got off %" PRIu64 " size %" PRIu64 " bit %" PRIu64 "/%u kind %d count %" PRIu64 " elem %" PRIu64,
			 what, m.offset, m.size, m.bit_offset, m.bit_size,
			 (int)m.kind, m.count, m.elem_size);
		CU_assertImplementation(ok, __LINE__, buf, __FILE__, "",
					CU_FALSE);
		CU_ASSERT(ss_dbg_has_member(dbg, c->kind, c->type, c->path));
	}
}

struct scheck {
	enum ss_type_kind kind;
	const char *name;
	uint64_t size;
};

static const struct scheck schecks[] = {
	{ SS_TYPE_STRUCT, "kmem_cache", 112 },
	{ SS_TYPE_STRUCT, "slab", 56 },
	{ SS_TYPE_STRUCT, "kmem_cache_node", 64 },
	{ SS_TYPE_STRUCT, "kmem_cache_order_objects", 4 },
	{ SS_TYPE_STRUCT, "list_head", 16 },
	{ SS_TYPE_STRUCT, "holder", 96 },
	/* Declared only in the main unit; defined in the second one. */
	{ SS_TYPE_STRUCT, "fwd", 24 },
	{ SS_TYPE_UNION, "ss_test_union", 8 },
	{ SS_TYPE_ENUM, "pageflags", 4 },
	{ SS_TYPE_TYPEDEF, "atomic_t", 4 },
	{ SS_TYPE_TYPEDEF, "cv_atomic_t", 4 },
	{ SS_TYPE_TYPEDEF, "gfp_t", 4 },
	{ SS_TYPE_BASE, "int", 4 },
	{ SS_TYPE_BASE, "long unsigned int", 8 },
	{ SS_TYPE_BASE, "char", 1 },
};

static void check_sizes(struct ss_dbg *dbg, const char *variant)
{
	for (size_t i = 0; i < sizeof(schecks) / sizeof(schecks[0]); i++) {
		uint64_t size = 0;
		char what[256];
		snprintf(what, sizeof(what), "%s: sizeof %s", variant,
			 schecks[i].name);
		if (!check_ok_(ss_dbg_type_size(dbg, schecks[i].kind,
						schecks[i].name, &size),
			       what, __LINE__))
			continue;
		CU_assertImplementation(size == schecks[i].size, __LINE__,
					what, __FILE__, "", CU_FALSE);
	}
}

static const struct {
	const char *name;
	int64_t value;
} echecks[] = {
	{ "PG_locked", 0 },
	{ "PG_uptodate", 2 },
	{ "PG_slab", 9 },
	{ "PG_head", 16 },
	{ "__NR_PAGEFLAGS", 17 },
	{ "PG_big", 0x7fffffff },
	{ "SS_TEST_UNSIGNED_MAX", 0xffffffffLL },
	{ "SS_TEST_NEGATIVE", -5 },
	{ "SS_TEST_POSITIVE", 7 },
};

static void check_enumerators(struct ss_dbg *dbg, const char *variant)
{
	for (size_t i = 0; i < sizeof(echecks) / sizeof(echecks[0]); i++) {
		int64_t v = 0;
		char what[256];
		snprintf(what, sizeof(what), "%s: %s", variant,
			 echecks[i].name);
		if (!check_ok_(ss_dbg_enumerator(dbg, echecks[i].name, &v),
			       what, __LINE__))
			continue;
		CU_assertImplementation(v == echecks[i].value, __LINE__, what,
					__FILE__, "", CU_FALSE);
	}
}

/* ---- tests ---- */

static void test_open_errors(void)
{
	struct ss_dbg *dbg = (struct ss_dbg *)1;
	const char *missing = variant_path("does-not-exist");
	CHECK_ERR(ss_dbg_open(missing, &dbg), SS_ERR_IO, missing, NULL);
	CU_ASSERT_PTR_NULL(dbg);

	const char *txt = variant_path("not-elf.txt");
	CHECK_ERR(ss_dbg_open(txt, &dbg), SS_ERR_FORMAT, txt, "not an ELF");
	const char *empty = variant_path("empty");
	CHECK_ERR(ss_dbg_open(empty, &dbg), SS_ERR_FORMAT, empty, NULL);
	CHECK_ERR(ss_dbg_open(tmpdir, &dbg), SS_ERR_IO, tmpdir, NULL);

	const char *nodebug = variant_path("nodebug.so");
	CHECK_ERR(ss_dbg_open(nodebug, &dbg), SS_ERR_NODEBUG, nodebug,
		  ".debug_info missing");

	CHECK_ERR(ss_dbg_open(NULL, &dbg), SS_ERR_INVALID, NULL, NULL);
	CHECK_ERR(ss_dbg_open(txt, NULL), SS_ERR_INVALID, NULL, NULL);
	ss_dbg_close(NULL);
}

static void test_path(void)
{
	struct ss_dbg *dbg = open_variant("types.so");
	if (!dbg)
		return;
	CU_ASSERT_STRING_EQUAL(ss_dbg_path(dbg), variant_path("types.so"));
	ss_dbg_close(dbg);
}

static void test_symbols(void)
{
	struct ss_dbg *dbg = open_variant("types.so");
	if (!dbg)
		return;
	uint64_t cache = 0, bss = 0, fn = 0, banner = 0;
	CHECK_OK(ss_dbg_symbol(dbg, "test_cache", &cache));
	CHECK_OK(ss_dbg_symbol(dbg, "test_bss", &bss));
	CHECK_OK(ss_dbg_symbol(dbg, "kmem_cache_destroy", &fn));
	CHECK_OK(ss_dbg_symbol(dbg, "linux_banner", &banner));
	CU_ASSERT(cache != 0 && bss != 0 && fn != 0 && banner != 0);
	CHECK_ERR(ss_dbg_symbol(dbg, "no_such_symbol", &cache),
		  SS_ERR_NOTFOUND, "no_such_symbol", variant_path("types.so"));
	/* File and section symbols are not symbols to look up. */
	CHECK_ERR(ss_dbg_symbol(dbg, "types.c", &cache), SS_ERR_NOTFOUND,
		  NULL, NULL);
	CHECK_OK(ss_dbg_symbol(dbg, "test_cache", &cache));

	const char *name = NULL;
	uint64_t off = 99;
	if (CHECK_OK(ss_dbg_symbolize(dbg, cache, &name, &off))) {
		CU_ASSERT_STRING_EQUAL(name, "test_cache");
		CU_ASSERT_EQUAL(off, 0);
	}
	if (CHECK_OK(ss_dbg_symbolize(dbg, cache + 111, &name, &off))) {
		CU_ASSERT_STRING_EQUAL(name, "test_cache");
		CU_ASSERT_EQUAL(off, 111);
	}
	if (CHECK_OK(ss_dbg_symbolize(dbg, bss + 8 * 63 + 7, &name, &off))) {
		CU_ASSERT_STRING_EQUAL(name, "test_bss");
		CU_ASSERT_EQUAL(off, 8 * 63 + 7);
	}
	if (CHECK_OK(ss_dbg_symbolize(dbg, fn + 3, &name, &off))) {
		CU_ASSERT_STRING_EQUAL(name, "kmem_cache_destroy");
		CU_ASSERT_EQUAL(off, 3);
	}
	CHECK_ERR(ss_dbg_symbolize(dbg, 0xffffffff00000000ull, &name, &off),
		  SS_ERR_NOTFOUND, "0xffffffff00000000", NULL);
	CHECK_ERR(ss_dbg_symbol(NULL, "x", &cache), SS_ERR_INVALID, NULL,
		  NULL);
	ss_dbg_close(dbg);
}

static void test_read_static(void)
{
	struct ss_dbg *dbg = open_variant("types.so");
	if (!dbg)
		return;
	uint64_t banner, cache, bss;
	CHECK_OK(ss_dbg_symbol(dbg, "linux_banner", &banner));
	CHECK_OK(ss_dbg_symbol(dbg, "test_cache", &cache));
	CHECK_OK(ss_dbg_symbol(dbg, "test_bss", &bss));

	static const char want[] = "Linux version 6.1.0-ss-test (slabscope)\n";
	char buf[64] = "";
	if (CHECK_OK(ss_dbg_read_static(dbg, banner, buf, sizeof(want))))
		CU_ASSERT_STRING_EQUAL(buf, want);

	/* struct kmem_cache test_cache = { .size = 256 } in .data. */
	struct ss_member m;
	uint32_t size = 0;
	if (CHECK_OK(ss_dbg_member(dbg, SS_TYPE_STRUCT, "kmem_cache", "size",
				   &m)) &&
	    CHECK_OK(ss_dbg_read_static(dbg, cache + m.offset, &size,
					sizeof(size))))
		CU_ASSERT_EQUAL(size, 256);

	CHECK_ERR(ss_dbg_read_static(dbg, bss, buf, 8), SS_ERR_NOTFOUND,
		  variant_path("types.so"), ".bss");
	struct ss_error *err =
		ss_dbg_read_static(dbg, 0x7fff00000000ull, buf, 8);
	CU_ASSERT(err && err->address == 0x7fff00000000ull);
	CHECK_ERR(err, SS_ERR_NOTFOUND, NULL, NULL);
	CHECK_OK(ss_dbg_read_static(dbg, banner, NULL, 0));
	ss_dbg_close(dbg);
}

static void test_types(void)
{
	struct ss_dbg *dbg = open_variant("types.so");
	if (!dbg)
		return;
	check_sizes(dbg, "types.so");
	check_members(dbg, "types.so");
	check_enumerators(dbg, "types.so");
	ss_dbg_close(dbg);
}

static void test_type_errors(void)
{
	struct ss_dbg *dbg = open_variant("types.so");
	if (!dbg)
		return;
	const char *p = variant_path("types.so");
	uint64_t size;
	struct ss_member m;
	int64_t v;

	CHECK_ERR(ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "no_such", &size),
		  SS_ERR_NOTFOUND, "no_such", p);
	/* A union is not a struct, an enum not a typedef. */
	CHECK_ERR(ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "ss_test_union",
				   &size), SS_ERR_NOTFOUND, NULL, NULL);
	CHECK_ERR(ss_dbg_type_size(dbg, SS_TYPE_TYPEDEF, "pageflags", &size),
		  SS_ERR_NOTFOUND, NULL, NULL);
	CHECK_ERR(ss_dbg_type_size(dbg, SS_TYPE_POINTER, "x", &size),
		  SS_ERR_INVALID, NULL, NULL);

	CHECK_ERR(ss_dbg_member(dbg, SS_TYPE_STRUCT, "slab", "nope", &m),
		  SS_ERR_NOTFOUND, "nope", "slab");
	CU_ASSERT_FALSE(ss_dbg_has_member(dbg, SS_TYPE_STRUCT, "slab", "nope"));
	CHECK_ERR(ss_dbg_member(dbg, SS_TYPE_STRUCT, "kmem_cache", "oo.y", &m),
		  SS_ERR_NOTFOUND, "'y'", "oo");
	CHECK_ERR(ss_dbg_member(dbg, SS_TYPE_STRUCT, "kmem_cache", "size.x",
				&m), SS_ERR_NOTFOUND, "'x'", "size");
	CHECK_ERR(ss_dbg_member(dbg, SS_TYPE_STRUCT, "no_such", "x", &m),
		  SS_ERR_NOTFOUND, "no_such", NULL);
	CHECK_ERR(ss_dbg_member(dbg, SS_TYPE_TYPEDEF, "gfp_t", "x", &m),
		  SS_ERR_NOTFOUND, "typedef gfp_t is not a struct", "'x'");
	CHECK_ERR(ss_dbg_member(dbg, SS_TYPE_STRUCT, "kmem_cache", "node[4]",
				&m), SS_ERR_INVALID, "node[4]", NULL);
	CHECK_ERR(ss_dbg_member(dbg, SS_TYPE_STRUCT, "kmem_cache", "size[0]",
				&m), SS_ERR_INVALID, "size", NULL);
	CHECK_ERR(ss_dbg_member(dbg, SS_TYPE_STRUCT, "kmem_cache", "name[0]",
				&m), SS_ERR_INVALID, NULL, NULL);
	static const char *const bad[] = {
		"", ".", "list.", "list..next", "node[", "node[x]", "node[0",
		"node]", "list->next", "a b",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_ERR(ss_dbg_member(dbg, SS_TYPE_STRUCT, "kmem_cache",
					bad[i], &m), SS_ERR_INVALID, NULL,
			  NULL);
	CHECK_ERR(ss_dbg_member(dbg, SS_TYPE_ENUM, "pageflags", "x", &m),
		  SS_ERR_INVALID, NULL, NULL);
	CHECK_ERR(ss_dbg_enumerator(dbg, "PG_nope", &v), SS_ERR_NOTFOUND,
		  "PG_nope", p);
	CHECK_ERR(ss_dbg_member(NULL, SS_TYPE_STRUCT, "slab", "x", &m),
		  SS_ERR_INVALID, NULL, NULL);
	/* Still usable after all those misses (full scans). */
	CHECK_OK(ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "fwd", &size));
	ss_dbg_close(dbg);
}

static void test_hints(void)
{
	uint64_t size = 0;
	int64_t v = 0;
	const char *p = variant_path("types.so");

	/* No hint: the first unit in the file wins. */
	struct ss_dbg *dbg = open_variant("types.so");
	if (!dbg)
		return;
	if (CHECK_OK(ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "dup", &size)))
		CU_ASSERT_EQUAL(size, 4);
	if (CHECK_OK(ss_dbg_enumerator(dbg, "SS_DUP_ENUMERATOR", &v)))
		CU_ASSERT_EQUAL(v, 1);
	/* A hint added after a scan still wins. */
	CHECK_OK(ss_dbg_add_hint_symbol(dbg, "fwd_func"));
	if (CHECK_OK(ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "dup", &size)))
		CU_ASSERT_EQUAL(size, 16);
	ss_dbg_close(dbg);

	/* Hint on the second unit: its definitions win. */
	dbg = open_variant("types.so");
	if (!dbg)
		return;
	CHECK_OK(ss_dbg_add_hint_symbol(dbg, "fwd_func"));
	CHECK_OK(ss_dbg_add_hint_symbol(dbg, "fwd_func"));	/* again: ok */
	CHECK_OK(ss_dbg_add_hint_symbol(dbg, "kmem_cache_destroy"));
	if (CHECK_OK(ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "dup", &size)))
		CU_ASSERT_EQUAL(size, 16);
	if (CHECK_OK(ss_dbg_enumerator(dbg, "SS_DUP_ENUMERATOR", &v)))
		CU_ASSERT_EQUAL(v, 2);
	/* Types of the other hint unit are found too. */
	if (CHECK_OK(ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "slab", &size)))
		CU_ASSERT_EQUAL(size, 56);
	/* Data symbols are not covered by .debug_aranges. */
	CHECK_ERR(ss_dbg_add_hint_symbol(dbg, "test_cache"), SS_ERR_NOTFOUND,
		  "test_cache", p);
	CHECK_ERR(ss_dbg_add_hint_symbol(dbg, "no_such_function"),
		  SS_ERR_NOTFOUND, "no_such_function", p);
	CHECK_ERR(ss_dbg_add_hint_symbol(dbg, NULL), SS_ERR_INVALID, NULL,
		  NULL);
	ss_dbg_close(dbg);

	/* Hint on the first unit. */
	dbg = open_variant("types.so");
	if (!dbg)
		return;
	CHECK_OK(ss_dbg_add_hint_symbol(dbg, "slab_free"));
	if (CHECK_OK(ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "dup", &size)))
		CU_ASSERT_EQUAL(size, 4);
	check_members(dbg, "types.so+hint");
	ss_dbg_close(dbg);
}

/* DWARF 4 (old-style bitfields), type units, compressed sections. */
static void test_variants(void)
{
	for (size_t i = 2; i < NVARIANTS; i++) {
		if (!variant_built[i])
			continue;
		const char *name = variants[i].name;
		struct ss_dbg *dbg = open_variant(name);
		if (!dbg)
			continue;
		CHECK_OK(ss_dbg_add_hint_symbol(dbg, "kmem_cache_destroy"));
		check_sizes(dbg, name);
		check_members(dbg, name);
		check_enumerators(dbg, name);
		ss_dbg_close(dbg);
	}
}

/*
 * The fast scan of the units that are not hints (dwarf_scan.c) indexes
 * exactly what libdwarf's reading of every unit does.
 */
static void test_scan_equal(void)
{
	for (size_t i = 0; i < NVARIANTS; i++) {
		if (!variant_built[i] || i == 1)	/* 1: no DWARF */
			continue;
		size_t n[2] = { 0, 0 };
		uint64_t d[2] = { 0, 1 };
		for (int slow = 0; slow < 2; slow++) {
			struct ss_dbg *dbg = open_variant(variants[i].name);
			if (!dbg)
				continue;
			ss_dwarf_set_libdwarf_scan(dbg, slow);
			CHECK_OK(ss_dwarf_index_digest(dbg, &n[slow],
						       &d[slow]));
			ss_dbg_close(dbg);
		}
		CU_ASSERT(n[0] > 10);
		CU_ASSERT_EQUAL(n[0], n[1]);
		CU_ASSERT_EQUAL(d[0], d[1]);
	}
}

/* Open and use a damaged file: any outcome but a crash is fine. */
static void exercise(const char *path)
{
	struct ss_dbg *dbg;
	struct ss_error *err = ss_dbg_open(path, &dbg);
	if (err) {
		CU_ASSERT(err->code == SS_ERR_FORMAT ||
			  err->code == SS_ERR_NODEBUG ||
			  err->code == SS_ERR_IO);
		CU_ASSERT(strstr(err->message, path) != NULL);
		ss_error_destroy(err);
		return;
	}
	ss_error_destroy(ss_dbg_add_hint_symbol(dbg, "kmem_cache_destroy"));
	ss_error_destroy(ss_dbg_add_hint_symbol(dbg, "fwd_func"));
	for (size_t i = 0; i < sizeof(mchecks) / sizeof(mchecks[0]); i += 3) {
		struct ss_member m;
		ss_error_destroy(ss_dbg_member(dbg, mchecks[i].kind,
					       mchecks[i].type,
					       mchecks[i].path, &m));
	}
	uint64_t u;
	int64_t v;
	const char *name;
	char buf[64];
	ss_error_destroy(ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "fwd", &u));
	ss_error_destroy(ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "nope", &u));
	ss_error_destroy(ss_dbg_enumerator(dbg, "PG_head", &v));
	err = ss_dbg_symbol(dbg, "linux_banner", &u);
	if (!err) {
		ss_error_destroy(ss_dbg_read_static(dbg, u, buf, sizeof(buf)));
		ss_error_destroy(ss_dbg_symbolize(dbg, u + 1, &name, &u));
	}
	ss_error_destroy(err);
	ss_dbg_close(dbg);
}

struct shdr_info {
	uint64_t off, size;
};

/* Where the .debug_* sections and the section headers are (ELF64 LE). */
static size_t debug_ranges(const unsigned char *f, size_t len,
			   struct shdr_info *out, size_t max,
			   uint64_t *shoff, unsigned *shnum)
{
	const Elf64_Ehdr *eh = (const void *)f;
	size_t n = 0;
	*shoff = eh->e_shoff;
	*shnum = eh->e_shnum;
	if (eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > len)
		return 0;
	const Elf64_Shdr *sh = (const void *)(f + eh->e_shoff);
	const Elf64_Shdr *strs = &sh[eh->e_shstrndx];
	for (unsigned i = 0; i < eh->e_shnum && n < max; i++) {
		const char *name = (const char *)f + strs->sh_offset +
				   sh[i].sh_name;
		if (strncmp(name, ".debug_", 7) == 0 ||
		    strcmp(name, ".symtab") == 0 ||
		    strcmp(name, ".strtab") == 0) {
			out[n].off = sh[i].sh_offset;
			out[n].size = sh[i].sh_size;
			n++;
		}
	}
	return n;
}

static void test_corrupt(void)
{
	size_t len = 0;
	unsigned char *orig = read_file(variant_path("types.so"), &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(orig);
	unsigned char *copy = malloc(len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	char *path = path_in_tmp("damaged.so");
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);

	/* Truncated anywhere. */
	for (size_t cut = 0; cut < len; cut += cut < 128 ? 7 : 61) {
		if (write_file(path, orig, cut) == 0)
			exercise(path);
	}

	struct shdr_info dbg_secs[16];
	uint64_t shoff;
	unsigned shnum;
	size_t nsec = debug_ranges(orig, len, dbg_secs, 16, &shoff, &shnum);
	CU_ASSERT(nsec >= 5);

	/*
	 * Random byte damage inside the debug sections and symbol table.
	 * $SS_TEST_DBG_FUZZ=N runs N rounds (and seeds with N) instead.
	 */
	uint64_t x = 0x9e3779b97f4a7c15ull;
	long rounds = 400;
	const char *fuzz = getenv("SS_TEST_DBG_FUZZ");
	if (fuzz && atol(fuzz) > 0) {
		rounds = atol(fuzz);
		x ^= (uint64_t)rounds * 0x2545f4914f6cdd1dull;
	}
	for (long round = 0; round < rounds && nsec; round++) {
		memcpy(copy, orig, len);
		int flips = 1 + round % 8;
		for (int k = 0; k < flips; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			const struct shdr_info *s = &dbg_secs[x % nsec];
			if (!s->size)
				continue;
			uint64_t at = s->off + (x >> 20) % s->size;
			copy[at] = (unsigned char)(x >> 8);
		}
		if (write_file(path, copy, len) == 0)
			exercise(path);
	}

	/* Section headers pointing outside the file. */
	for (unsigned i = 1; i < shnum; i++) {
		for (int what = 0; what < 2; what++) {
			memcpy(copy, orig, len);
			Elf64_Shdr *sh = (void *)(copy + shoff);
			if (what == 0)
				sh[i].sh_offset = len - 1;
			else
				sh[i].sh_size = (uint64_t)1 << 40;
			if (write_file(path, copy, len) == 0)
				exercise(path);
		}
	}
	free(copy);
	free(orig);
}

/* ---- the real vmlinux, if present ---- */

static void test_vmlinux(void)
{
	char buf[4096];
	const char *path = getenv("SS_TEST_VMLINUX");
	if (!path || !*path) {
		const char *home = getenv("HOME");
		snprintf(buf, sizeof(buf), "%s%s", home ? home : "",
			 VMLINUX_DEFAULT);
		path = buf;
	}
	if (access(path, R_OK) != 0) {
		const char *req = getenv("SLABSCOPE_REQUIRE_FIXTURES");
		fprintf(stderr, "\ntest_dbg: %s absent: vmlinux test %s\n",
			path, req && *req == '1' ? "FAILED" : "skipped");
		/* CI generates the fixtures: there the absence is a failure. */
		CU_ASSERT_FATAL(!(req && *req == '1'));
		CU_PASS("vmlinux absent: skipped");
		return;
	}
	struct ss_dbg *dbg;
	if (!CHECK_OK(ss_dbg_open(path, &dbg)))
		return;
	CHECK_OK(ss_dbg_add_hint_symbol(dbg, "kmem_cache_destroy"));
	CHECK_OK(ss_dbg_add_hint_symbol(dbg, "__slab_free"));
	CHECK_ERR(ss_dbg_add_hint_symbol(dbg, "slab_caches"), SS_ERR_NOTFOUND,
		  "slab_caches", NULL);

	static const struct {
		const char *type, *path;
		uint64_t offset, bit_offset;
		uint32_t bit_size;
	} want[] = {
		{ "kmem_cache", "size", 24, 192, 0 },
		{ "kmem_cache", "offset", 40, 320, 0 },
		{ "kmem_cache", "random", 184, 1472, 0 },
		{ "kmem_cache", "red_left_pad", 88, 704, 0 },
		{ "kmem_cache", "name", 96, 768, 0 },
		{ "kmem_cache", "list", 104, 832, 0 },
		{ "kmem_cache", "node", 216, 1728, 0 },
		{ "kmem_cache", "node[0]", 216, 1728, 0 },
		{ "slab", "slab_cache", 24, 192, 0 },
		{ "slab", "freelist", 32, 256, 0 },
		{ "slab", "slab_list", 8, 64, 0 },
		{ "slab", "counters", 40, 320, 0 },
		{ "slab", "inuse", 40, 320, 16 },
		{ "slab", "objects", 42, 336, 15 },
		{ "slab", "frozen", 43, 351, 1 },
		{ "kmem_cache_node", "nr_partial", 8, 64, 0 },
		{ "kmem_cache_node", "partial", 16, 128, 0 },
		{ "kmem_cache_node", "nr_slabs", 32, 256, 0 },
		{ "kmem_cache_node", "total_objects", 40, 320, 0 },
		{ "kmem_cache_node", "full", 48, 384, 0 },
		{ "kmem_cache_cpu", "freelist", 0, 0, 0 },
		{ "kmem_cache_cpu", "tid", 8, 64, 0 },
		{ "kmem_cache_cpu", "slab", 16, 128, 0 },
		{ "kmem_cache_cpu", "partial", 24, 192, 0 },
		{ "task_struct", "__state", 24, 192, 0 },
		{ "task_struct", "usage", 40, 320, 0 },
		{ "task_struct", "tasks", 2192, 17536, 0 },
		{ "task_struct", "exit_state", 2308, 18464, 0 },
		{ "task_struct", "pid", 2416, 19328, 0 },
		{ "task_struct", "comm", 2976, 23808, 0 },
		{ "list_head", "next", 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct ss_member m;
		char what[256];
		snprintf(what, sizeof(what), "vmlinux: %s.%s", want[i].type,
			 want[i].path);
		if (!check_ok_(ss_dbg_member(dbg, SS_TYPE_STRUCT, want[i].type,
					     want[i].path, &m),
			       what, __LINE__))
			continue;
		CU_assertImplementation(m.offset == want[i].offset &&
					m.bit_offset == want[i].bit_offset &&
					m.bit_size == want[i].bit_size,
					__LINE__, what, __FILE__, "",
					CU_FALSE);
	}
	struct ss_member m;
	if (CHECK_OK(ss_dbg_member(dbg, SS_TYPE_STRUCT, "task_struct", "comm",
				   &m))) {
		CU_ASSERT_EQUAL(m.kind, SS_TYPE_ARRAY);
		CU_ASSERT_EQUAL(m.count, 16);
		CU_ASSERT_EQUAL(m.elem_size, 1);
	}
	/* struct track lives only in mm/slub.c (hint unit). */
	CU_ASSERT(ss_dbg_has_member(dbg, SS_TYPE_STRUCT, "track", "addr"));
	int64_t v;
	if (CHECK_OK(ss_dbg_enumerator(dbg, "TRACK_FREE", &v)))
		CU_ASSERT_EQUAL(v, 1);
	CHECK_OK(ss_dbg_enumerator(dbg, "PG_slab", &v));
	CHECK_OK(ss_dbg_enumerator(dbg, "PG_head", &v));

	uint64_t addr;
	char banner[16] = "";
	if (CHECK_OK(ss_dbg_symbol(dbg, "linux_banner", &addr)) &&
	    CHECK_OK(ss_dbg_read_static(dbg, addr, banner, 14)))
		CU_ASSERT_NSTRING_EQUAL(banner, "Linux version ", 14);
	const char *name;
	uint64_t off;
	if (CHECK_OK(ss_dbg_symbol(dbg, "kmem_cache_destroy", &addr)) &&
	    CHECK_OK(ss_dbg_symbolize(dbg, addr + 5, &name, &off))) {
		CU_ASSERT_STRING_EQUAL(name, "kmem_cache_destroy");
		CU_ASSERT_EQUAL(off, 5);
	}
	ss_dbg_close(dbg);
}

/* ---- registration ---- */

int ss_test_dbg_register(void);
int ss_test_dbg_register(void)
{
	CU_pSuite s = CU_add_suite("dbg", suite_init, suite_cleanup);
	if (!s)
		return -1;
	if (!CU_add_test(s, "open errors", test_open_errors) ||
	    !CU_add_test(s, "path", test_path) ||
	    !CU_add_test(s, "symbols", test_symbols) ||
	    !CU_add_test(s, "read_static", test_read_static) ||
	    !CU_add_test(s, "types", test_types) ||
	    !CU_add_test(s, "type errors", test_type_errors) ||
	    !CU_add_test(s, "hints", test_hints) ||
	    !CU_add_test(s, "dwarf4, type units, compressed",
			 test_variants) ||
	    !CU_add_test(s, "fast scan = libdwarf scan", test_scan_equal) ||
	    !CU_add_test(s, "truncated and corrupt files", test_corrupt) ||
	    !CU_add_test(s, "real vmlinux", test_vmlinux))
		return -1;
	return 0;
}

#ifdef SS_TEST_STANDALONE
int main(void)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	if (ss_test_dbg_register() != 0) {
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() +
			  CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
#endif
