/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `slabscope browse` without a terminal: the view model's rows, the key
 * table, and whole drill-downs driven by keys, on a synthetic SLUB kernel
 * (synth.h) with a red zone overwrite and a bad free pointer planted.
 *
 * The types come from tests/unit/data/slub_types.c, built at suite set-up
 * as test_slub.c does.  The man page check reads man/slabscope-browse.1.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include <slabscope/check.h>
#include <slabscope/slab.h>

#include "synth.h"
#include "lib/slab/model_priv.h" /* ss_slub_ops: a hand-made SLUB cache */
#include "tui/keys.h"
#include "tui/view_model.h"
#include "unit.h"

#ifndef SS_TEST_DATADIR
#error "define SS_TEST_DATADIR (the directory of slub_types.c)"
#endif

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the synthetic kernel, built once for the suite ---- */

static struct {
	char tmpdir[256];
	char so[512];
	struct synth *s;
	struct ss_model *m;
	struct ss_check_result r;
	bool checked;
	/* What was planted. */
	int dbg, plain, other;       /* caches */
	int dbg_partial, dbg_cpu;    /* slabs of dbg */
	int plain_slab;
	uint64_t rz_obj;   /* allocated object of dbg writing past its end */
	uint64_t fp_obj;   /* free object of plain with a bad free pointer */
	uint64_t fp_bad;
	uint64_t ptr_obj, ptr_target; /* other: ptr_obj+8 holds ptr_target */
} w;

static int suite_cleanup(void)
{
	if (w.checked)
		ss_check_result_deinit(&w.r);
	ss_model_destroy(w.m);
	synth_destroy(w.s);
	if (w.so[0])
		unlink(w.so);
	if (w.tmpdir[0])
		rmdir(w.tmpdir);
	memset(&w, 0, sizeof(w));
	return 0;
}

static int build_types(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(w.tmpdir, sizeof(w.tmpdir), "%s/ss-test-tui-XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(w.tmpdir)) {
		w.tmpdir[0] = '\0';
		return -1;
	}
	snprintf(w.so, sizeof(w.so), "%s/slub_types.so", w.tmpdir);
	const char *cc = getenv("SS_TEST_CC");
	char *cmd;
	if (asprintf(&cmd,
		     "%s -g -gdwarf-5 -O0 -nostdlib -shared -fPIC -o '%s' "
		     "'%s/slub_types.c'",
		     cc && *cc ? cc : "gcc", w.so, SS_TEST_DATADIR) < 0)
		return -1;
	int r = system(cmd);
	if (r)
		fprintf(stderr, "test_tui: command failed (%d): %s\n", r, cmd);
	free(cmd);
	return r ? -1 : 0;
}

static int suite_init(void)
{
	if (build_types() || !(w.s = synth_create(w.so))) {
		suite_cleanup();
		return -1;
	}
	struct synth *s = w.s;
	/* slub_debug=FZPU, 52-byte objects: a partial slab and CPU 0's. */
	struct synth_cache_spec dbg = {
		.name = "tui-debug-52", .object_size = 52,
		.flags = SLUB_DEBUG_FZPU, .enc = SS_FP_XOR_SWAB,
		.random = 0x9e3779b97f4a7c15ULL,
	};
	w.dbg = synth_add_cache(s, &dbg);
	w.dbg_partial = synth_add_slab(s, w.dbg, 0);
	w.dbg_cpu = synth_add_slab(s, w.dbg, 0);
	const uint32_t fl[] = { 5, 10, 15 };
	synth_slab_freelist(s, w.dbg_partial, fl, N(fl));
	synth_node_partial(s, w.dbg, &w.dbg_partial, 1);
	const uint32_t cpu[] = { 3, 2 };
	synth_cpu_slab(s, w.dbg_cpu, 0, cpu, N(cpu));
	w.rz_obj = synth_obj(s, w.dbg_partial, 2);
	synth_write_u8(s, w.rz_obj + 52, 0x00);

	/* A plain 64-byte cache: free chain 3 -> 7 -> 9 -> 12 whose link
	 * at 7 is overwritten with a pointer out of any slab. */
	struct synth_cache_spec plain = {
		.name = "tui-plain-64", .object_size = 64,
		.enc = SS_FP_XOR_SWAB, .random = 0x5f3c9e1d27a4b680ULL,
	};
	w.plain = synth_add_cache(s, &plain);
	w.plain_slab = synth_add_slab(s, w.plain, 0);
	const uint32_t pf[] = { 3, 7, 9, 12 };
	synth_slab_freelist(s, w.plain_slab, pf, N(pf));
	synth_node_partial(s, w.plain, &w.plain_slab, 1);
	w.fp_obj = synth_obj(s, w.plain_slab, 7);
	w.fp_bad = SYNTH_PAGE_OFFSET + 3 * SYNTH_PAGE_SIZE + 0x40;
	synth_set_freeptr(s, w.plain, w.fp_obj, w.fp_bad);

	/* A clean cache with the most memory; one of its objects holds a
	 * pointer into another. */
	struct synth_cache_spec other = {
		.name = "tui-other-32", .object_size = 32,
		.enc = SS_FP_XOR_SWAB, .random = 0x0123456789abcdefULL,
	};
	w.other = synth_add_cache(s, &other);
	int os[3];
	for (int i = 0; i < 3; i++)
		os[i] = synth_add_slab(s, w.other, 0);
	w.ptr_obj = synth_obj(s, os[0], 0);
	w.ptr_target = synth_obj(s, os[2], 5) + 16;
	synth_write_u64(s, w.ptr_obj + 8, w.ptr_target);

	struct ss_error *err = ss_model_load(synth_target(s), NULL, &w.m);
	if (!err)
		err = ss_check_run(w.m, NULL, &w.r);
	if (err) {
		fprintf(stderr, "test_tui: %s\n", err->message);
		ss_error_destroy(err);
		suite_cleanup();
		return -1;
	}
	w.checked = true;
	return 0;
}

/* ---- helpers ---- */

static struct tui *new_tui(const struct tui_options *opts)
{
	struct tui *t = NULL;
	SS_ASSERT_OK(tui_create(w.m, &w.r, opts, &t));
	return t;
}

static void keys(struct tui *t, const char *s)
{
	for (; *s; s++)
		tui_handle_key(t, *s == '\n' ? TUI_KEY_ENTER : *s);
}

/* The screen as screen.c lays it out, as text: title, pinned rows, the
 * rows from top that fit, status, footer. */
static char *screen(struct tui *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct tui_row row;
	struct tui_view *v = tui_top(t);
	int y = 0;
	tui_title(t, &row);
	fprintf(f, "%.*s\n", t->width, row.text);
	y++;
	for (size_t i = 0; i < tui_view_nfixed(t, v) && y < t->height - 2;
	     i++, y++) {
		tui_view_fixed(t, v, i, &row);
		fprintf(f, "%.*s\n", t->width, row.text);
	}
	size_t n = tui_view_nrows(t, v);
	for (size_t i = v->top; i < n && y < t->height - 2; i++, y++) {
		tui_view_row(t, v, i, &row);
		fprintf(f, "%.*s\n", t->width, row.text);
	}
	tui_status(t, &row);
	fprintf(f, "%.*s\n", t->width, row.text);
	tui_footer(t, &row);
	fprintf(f, "%.*s\n", t->width, row.text);
	fclose(f);
	return buf;
}

static void shows_(struct tui *t, const char *what, bool want,
		   unsigned line)
{
	char *s = screen(t);
	bool has = strstr(s, what) != NULL;
	if (has != want)
		fprintf(stderr, "\n  line %u: screen %s \"%s\":\n%s", line,
			want ? "lacks" : "has", what, s);
	CU_assertImplementation(has == want, line,
				want ? "screen shows text" : "screen lacks text",
				__FILE__, "", CU_FALSE);
	free(s);
}
#define SHOWS(t, what) shows_((t), (what), true, __LINE__)
#define LACKS(t, what) shows_((t), (what), false, __LINE__)

static bool row_has(struct tui *t, size_t i, const char *what)
{
	struct tui_row row;
	tui_view_row(t, tui_top(t), i, &row);
	return strstr(row.text, what) != NULL;
}

/* Put the cursor on the first row containing what; false if none. */
static bool select_row(struct tui *t, const char *what)
{
	struct tui_view *v = tui_top(t);
	for (size_t i = 0; i < tui_view_nrows(t, v); i++) {
		if (row_has(t, i, what)) {
			v->cursor = i;
			tui_view_clamp(t, v);
			return true;
		}
	}
	return false;
}

static char *hex(uint64_t v)
{
	static char buf[4][24];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "0x%" PRIx64, v);
	return buf[k];
}

/* ---- the key table and the man page ---- */

static void test_keys_table(void)
{
	CU_ASSERT_TRUE(tui_nkeys > 20);
	for (size_t i = 0; i < tui_nkeys; i++) {
		const struct tui_key *k = &tui_keys[i];
		CU_ASSERT_PTR_NOT_NULL(k->name);
		CU_ASSERT_PTR_NOT_NULL(k->help);
		CU_ASSERT_NOT_EQUAL(k->views, 0);
		/* Each binding is reachable: no earlier entry shadows it in
		 * any of its views. */
		for (int v = 0; v < TUI_NVIEWS; v++)
			if (k->views & TUI_VIEW_BIT(v))
				CU_ASSERT_PTR_EQUAL(tui_key_find(v, k->key), k);
	}
	CU_ASSERT_EQUAL(tui_key_find(TUI_VIEW_OBJECT, 'h')->action,
			TUI_ACT_LEFT);
	CU_ASSERT_PTR_NULL(tui_key_find(TUI_VIEW_CACHES, 'h'));
	CU_ASSERT_EQUAL(tui_key_find(TUI_VIEW_SLAB, 'q')->action,
			TUI_ACT_BACK);
	CU_ASSERT_EQUAL(tui_key_find(TUI_VIEW_CACHES, 's')->action,
			TUI_ACT_SORT);
	CU_ASSERT_PTR_NULL(tui_key_find(TUI_VIEW_OBJECT, 's'));
}

/* The .B lines of a man page section, groff escapes undone. */
static bool man_section_has(const char *page, const char *section,
			    const char *name)
{
	char head[64];
	snprintf(head, sizeof(head), "\n.SS %s\n", section);
	const char *p = strstr(page, head);
	if (!p)
		return false;
	p += strlen(head);
	const char *end = strstr(p, "\n.S");
	if (!end)
		end = p + strlen(p);
	while (p && p < end) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 3 && strncmp(p, ".B ", 3) == 0) {
			char line[128];
			size_t k = 0;
			for (size_t i = 3; i < len && k + 1 < sizeof(line); i++) {
				if (p[i] == '\\' && i + 1 < len && p[i + 1] == '-')
					continue; /* "\-" is "-" */
				line[k++] = p[i];
			}
			line[k] = '\0';
			/* Names are separated by ", ". */
			for (char *tok = strtok(line, ","); tok;
			     tok = strtok(NULL, ",")) {
				while (*tok == ' ')
					tok++;
				if (strcmp(tok, name) == 0)
					return true;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

static void test_keys_in_man_page(void)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/../../../man/slabscope-browse.1",
		 SS_TEST_DATADIR);
	FILE *f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	char *page = NULL;
	size_t cap = 0;
	ssize_t n = getdelim(&page, &cap, '\0', f);
	fclose(f);
	CU_ASSERT_TRUE_FATAL(n > 0);
	for (size_t i = 0; i < tui_nkeys; i++) {
		const struct tui_key *k = &tui_keys[i];
		for (int v = 0; v < TUI_NVIEWS; v++) {
			if (!(k->views & TUI_VIEW_BIT(v)))
				continue;
			const char *section = k->views == TUI_ALL_VIEWS
						      ? "Global keys"
						      : tui_view_name(v);
			bool ok = man_section_has(page, section, k->name);
			if (!ok)
				fprintf(stderr,
					"\n  slabscope-browse(1) lacks key %s "
					"under \"%s\"",
					k->name, section);
			CU_ASSERT_TRUE(ok);
			if (k->views == TUI_ALL_VIEWS)
				break;
		}
	}
	free(page);
}

/* ---- rows and cells without a model ---- */

static void test_row_helpers(void)
{
	struct tui_row r;
	tui_row_clear(&r);
	CU_ASSERT_EQUAL(r.len, 0);
	tui_row_add(&r, TUI_A_HEADER, "ab%c", '\t');
	CU_ASSERT_STRING_EQUAL(r.text, "ab?"); /* not printable */
	tui_row_add(&r, TUI_A_PROBLEM, "%d", 7);
	CU_ASSERT_EQUAL(r.attr[0], TUI_A_HEADER);
	CU_ASSERT_EQUAL(r.attr[3], TUI_A_PROBLEM);
	tui_row_pad(&r, TUI_A_NORMAL, 10);
	CU_ASSERT_EQUAL(r.len, 10);
	CU_ASSERT_STRING_EQUAL(r.text, "ab?7      ");
	tui_row_select(&r, 12);
	CU_ASSERT_EQUAL(r.len, 12);
	for (size_t i = 0; i < r.len; i++)
		CU_ASSERT_TRUE(r.attr[i] & TUI_A_SEL);
	CU_ASSERT_EQUAL(r.attr[3] & TUI_A_KIND, TUI_A_PROBLEM);
	/* Never past the row's end. */
	tui_row_clear(&r);
	for (int i = 0; i < 100; i++)
		tui_row_add(&r, TUI_A_NORMAL, "0123456789");
	CU_ASSERT_EQUAL(r.len, TUI_ROW_MAX);
	CU_ASSERT_EQUAL(strlen(r.text), TUI_ROW_MAX);

	char b[16];
	tui_human_bytes(4096, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "4K");
	tui_human_bytes(12ULL << 20, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "12M");
	tui_human_bytes(11ULL << 30, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "11G");
}

/*
 * A hand-made debug cache: left red zone 8, payload 12, right red zone 4
 * (inuse 16), free pointer 8 after it, two 16-byte tracks, padding 8: a
 * 72-byte slot.  One finding: 3 bytes of the right red zone, of which the
 * middle one is as expected.
 */
static void test_cells_and_hex(void)
{
	struct ss_cache c = {
		.ops = &ss_slub_ops, .name = (char *)"hand",
		.flags = 0x400 | 0x10000,
		.size = 72, .object_size = 12, .offset = 16, .inuse = 16,
		.red_left_pad = 8, .track_size = 16,
	};
	struct ss_finding f = {
		.address = 0x1000 + 8 + 12, .nbytes = 3, .bad_len = 3,
		.expected = { 0xcc, 0xcc, 0xcc }, .found = { 0x41, 0xcc, 0x42 },
	};
	uint8_t bytes[72], cell[72] = { 0 };
	for (int i = 0; i < 72; i++)
		bytes[i] = (uint8_t)('A' + i % 26);
	bytes[0] = 0x00;
	size_t fi = 0;
	struct tui_object_data od = {
		.slot = 0x1000, .size = 72, .first = -8,
		.state = SS_OBJ_ALLOCATED, .bytes = bytes, .cell = cell,
		.findings = &fi, .nfindings = 1,
	};
	cell[71] = TUI_A_UNREADABLE;
	tui_object_cells(&c, &f, &od);
	const struct {
		int from, to;
		uint8_t kind;
	} want[] = {
		{ 0, 8, TUI_A_LEFT_RZ },  { 8, 20, TUI_A_PAYLOAD },
		{ 20, 24, TUI_A_RIGHT_RZ }, { 24, 32, TUI_A_FREEPTR },
		{ 32, 64, TUI_A_TRACK },  { 64, 71, TUI_A_PADDING },
		{ 71, 72, TUI_A_UNREADABLE },
	};
	for (size_t k = 0; k < N(want); k++)
		for (int i = want[k].from; i < want[k].to; i++)
			CU_ASSERT_EQUAL(cell[i] & TUI_A_KIND, want[k].kind);
	for (int i = 0; i < 72; i++)
		CU_ASSERT_EQUAL((cell[i] & TUI_A_BAD) != 0,
				i == 20 || i == 22);

	/* Free, the pointer moves into the payload when inuse covers it. */
	struct ss_cache plain = { .ops = &ss_slub_ops, .size = 16,
				  .object_size = 16, .offset = 8, .inuse = 16 };
	uint8_t pcell[16] = { 0 };
	struct tui_object_data pod = { .size = 16, .state = SS_OBJ_FREE,
				       .bytes = bytes, .cell = pcell };
	tui_object_cells(&plain, NULL, &pod);
	CU_ASSERT_EQUAL(pcell[7], TUI_A_PAYLOAD);
	CU_ASSERT_EQUAL(pcell[8], TUI_A_FREEPTR);
	CU_ASSERT_EQUAL(pcell[15], TUI_A_FREEPTR);

	/* Line 1 (slot bytes 16..31, object offsets +8..+23), cursor on
	 * word 2 (bytes 16..23). */
	struct tui_row r;
	tui_row_clear(&r);
	tui_hex_line(&od, 1, 2, true, &r);
	CU_ASSERT_STRING_EQUAL(r.text,
			       "+0008  51 52 53 54 55 56 57 58  59 5a 41 42 "
			       "43 44 45 46  QRSTUVWXYZABCDEF");
	CU_ASSERT_TRUE(r.attr[7] & TUI_A_SEL);   /* the cursor's word */
	CU_ASSERT_TRUE(r.attr[8] & TUI_A_SEL);   /* and the space within */
	CU_ASSERT_FALSE(r.attr[31] & TUI_A_SEL); /* next word */
	CU_ASSERT_EQUAL(r.attr[7] & TUI_A_KIND, TUI_A_PAYLOAD);
	CU_ASSERT_TRUE(r.attr[7 + 4 * 3] & TUI_A_BAD); /* byte 20 */
	CU_ASSERT_FALSE(r.attr[7 + 5 * 3] & TUI_A_BAD);
	CU_ASSERT_EQUAL(r.attr[7 + 12 * 3 + 1] & TUI_A_KIND, TUI_A_FREEPTR);
	/* The first line starts in the left red zone; the last has the
	 * unreadable byte. */
	tui_row_clear(&r);
	tui_hex_line(&od, 0, 99, false, &r);
	CU_ASSERT_EQUAL(strncmp(r.text, "-0008  00 42", 12), 0);
	tui_row_clear(&r);
	tui_hex_line(&od, 4, 99, false, &r);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.text, " ?? "));
	CU_ASSERT_EQUAL(strncmp(r.text, "+0038", 5), 0);
}

/* ---- on the synthetic kernel ---- */

static void test_caches_view(void)
{
	struct tui *t = new_tui(NULL);
	if (!t)
		return;
	CU_ASSERT_EQUAL(t->nvisible, ss_model_ncaches(w.m));
	/* Memory order: other (3 pages), debug (2), plain (1). */
	const char *order[] = { "tui-other-32", "tui-debug-52", "tui-plain-64" };
	size_t at[3];
	for (size_t k = 0; k < 3; k++) {
		CU_ASSERT_TRUE(select_row(t, order[k]));
		at[k] = tui_top(t)->cursor;
	}
	CU_ASSERT_TRUE(at[0] < at[1] && at[1] < at[2]);
	/* Caches with findings: '!', the count, the problem attribute. */
	struct tui_row r;
	tui_view_row(t, tui_top(t), at[1], &r);
	CU_ASSERT_EQUAL(r.text[0], '!');
	CU_ASSERT_EQUAL(r.attr[2] & TUI_A_KIND, TUI_A_PROBLEM);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.text, " 1"));
	tui_view_row(t, tui_top(t), at[0], &r);
	CU_ASSERT_EQUAL(r.text[0], ' ');
	CU_ASSERT_EQUAL(r.attr[2] & TUI_A_KIND, TUI_A_NORMAL);
	SHOWS(t, "CACHE");
	SHOWS(t, "FINDINGS");
	SHOWS(t, "s sort:memory");
	SHOWS(t, "q quit");

	/* 's': name order. */
	keys(t, "s");
	CU_ASSERT_EQUAL(t->sort, SS_SORT_NAME);
	SHOWS(t, "s sort:name");
	CU_ASSERT_TRUE(select_row(t, "tui-debug-52"));
	size_t d = tui_top(t)->cursor;
	CU_ASSERT_TRUE(select_row(t, "tui-plain-64"));
	CU_ASSERT_TRUE(d < tui_top(t)->cursor);
	keys(t, "sssss"); /* back round to memory */
	CU_ASSERT_EQUAL(t->sort, SS_SORT_MEMORY);

	/* '/' filters as you type, case-insensitively; Enter keeps it. */
	keys(t, "/PLAIN");
	CU_ASSERT_EQUAL(t->nvisible, 1);
	SHOWS(t, "filter: PLAIN");
	keys(t, "\n");
	CU_ASSERT_EQUAL(t->prompt, TUI_PROMPT_NONE);
	CU_ASSERT_STRING_EQUAL(t->filter, "PLAIN");
	SHOWS(t, "matching \"PLAIN\"");
	CU_ASSERT_TRUE(row_has(t, 0, "tui-plain-64"));
	/* Esc in the prompt restores the filter; Esc on the view drops it. */
	keys(t, "/x");
	CU_ASSERT_EQUAL(t->nvisible, 0);
	tui_handle_key(t, TUI_KEY_ESC);
	CU_ASSERT_EQUAL(t->nvisible, 1);
	CU_ASSERT_EQUAL(tui_handle_key(t, TUI_KEY_ESC), TUI_REDRAW);
	CU_ASSERT_EQUAL(t->nvisible, ss_model_ncaches(w.m));
	/* The cursor stayed on the cache it was on. */
	CU_ASSERT_TRUE(row_has(t, tui_top(t)->cursor, "tui-plain-64"));
	CU_ASSERT_EQUAL(tui_handle_key(t, 'q'), TUI_QUIT);
	tui_destroy(t);
}

/* Caches -> cache -> slab -> object: the red zone byte. */
static void test_drill_to_redzone(void)
{
	struct tui *t = new_tui(NULL);
	if (!t)
		return;
	CU_ASSERT_TRUE(select_row(t, "tui-debug-52"));
	keys(t, "\n");
	struct tui_view *v = tui_top(t);
	CU_ASSERT_EQUAL_FATAL(v->kind, TUI_VIEW_CACHE);
	SHOWS(t, "cache tui-debug-52");
	SHOWS(t, "flags 0x80010d00 CONSISTENCY_CHECKS|RED_ZONE|POISON|"
		 "STORE_USER|OBJECT_POISON");
	SHOWS(t, "size 144  object_size 52  offset 56  inuse 56  align 8  "
		 "red_left_pad 8");
	char cpu0[64];
	snprintf(cpu0, sizeof(cpu0), "cpu0 slab %s 0 partial",
		 hex(synth_slab(w.s, w.dbg_cpu)->page));
	SHOWS(t, cpu0);
	SHOWS(t, "slabs 2: 1 cpu, 0 cpu-partial, 1 partial, 0 full, "
		 "0 full-untracked");
	SHOWS(t, "nodes (1): nr_slabs 2, total_objects 56, nr_partial 1");
	CU_ASSERT_EQUAL(tui_view_nrows(t, v), 2);
	/* The slab with the finding is marked and opens. */
	CU_ASSERT_TRUE(select_row(t, hex(synth_slab(w.s, w.dbg_partial)->page)));
	CU_ASSERT_TRUE(row_has(t, v->cursor, "partial"));
	CU_ASSERT_TRUE(row_has(t, v->cursor, "! 0x"));
	keys(t, "\n");
	v = tui_top(t);
	CU_ASSERT_EQUAL_FATAL(v->kind, TUI_VIEW_SLAB);
	SHOWS(t, "tui-debug-52 > slab");
	SHOWS(t, "freelist 0x");
	/* Object 2: allocated, with its finding's id. */
	CU_ASSERT_TRUE(row_has(t, 2, hex(w.rz_obj)));
	CU_ASSERT_TRUE(row_has(t, 2, "allocated"));
	CU_ASSERT_TRUE(row_has(t, 2, "redzone-overwritten"));
	CU_ASSERT_TRUE(row_has(t, 5, "free      f0"));
	CU_ASSERT_TRUE(row_has(t, 10, "f1"));
	CU_ASSERT_TRUE(row_has(t, 15, "f2"));
	v->cursor = 2;
	keys(t, "\n");
	v = tui_top(t);
	CU_ASSERT_EQUAL_FATAL(v->kind, TUI_VIEW_OBJECT);
	CU_ASSERT_EQUAL(v->object, w.rz_obj);
	/* Every region in the legend, the finding pinned, the cursor on the
	 * bad byte's word (offset +48: slot byte 56). */
	SHOWS(t, "left-redzone:8 payload:52 right-redzone:4 freeptr:8 "
		 "track:64 padding:8 bad");
	SHOWS(t, "! redzone-overwritten at +52, 1 byte, found 00 cc cc cc "
		 "expected cc");
	CU_ASSERT_EQUAL(v->cursor, 7);
	SHOWS(t, "+48 payload/right-redzone BAD");
	/* The byte itself is marked bad in the hex line. */
	struct tui_row r;
	tui_view_row(t, v, 3, &r); /* slot bytes 48..63 */
	CU_ASSERT_EQUAL(strncmp(r.text, "+0028", 5), 0);
	size_t b = 7 + 12 * 3 + 1; /* slot byte 60: object +52 */
	CU_ASSERT_EQUAL(strncmp(r.text + b, "00 ", 3), 0);
	CU_ASSERT_TRUE(r.attr[b] & TUI_A_BAD);
	CU_ASSERT_EQUAL(r.attr[b] & TUI_A_KIND, TUI_A_RIGHT_RZ);
	CU_ASSERT_FALSE(r.attr[b + 3] & TUI_A_BAD);
	/* The tracks after the bytes. */
	keys(t, "jjjjjjjjjjjj");
	SHOWS(t, "allocated by ");
	SHOWS(t, "culprit: object");
	/* 'n' comes back round to the bad word. */
	keys(t, "n");
	CU_ASSERT_EQUAL(v->cursor, 7);
	/* Back up the stack and out. */
	CU_ASSERT_EQUAL(tui_handle_key(t, 'q'), TUI_REDRAW);
	CU_ASSERT_EQUAL(tui_top(t)->kind, TUI_VIEW_SLAB);
	CU_ASSERT_EQUAL(tui_handle_key(t, TUI_KEY_ESC), TUI_REDRAW);
	CU_ASSERT_EQUAL(tui_top(t)->kind, TUI_VIEW_CACHE);
	keys(t, "q");
	CU_ASSERT_EQUAL(t->depth, 1);
	SHOWS(t, "q quit");
	CU_ASSERT_EQUAL(tui_handle_key(t, 'q'), TUI_QUIT);
	tui_destroy(t);
}

/* Findings -> Enter -> the free object with the bad free pointer. */
static void test_findings_to_freeptr(void)
{
	struct tui_options o = { .findings = true };
	struct tui *t = new_tui(&o);
	if (!t)
		return;
	struct tui_view *v = tui_top(t);
	CU_ASSERT_EQUAL_FATAL(v->kind, TUI_VIEW_FINDINGS);
	CU_ASSERT_EQUAL(t->depth, 2);
	CU_ASSERT_EQUAL(tui_view_nrows(t, v), w.r.nfindings);
	SHOWS(t, "findings (2)");
	CU_ASSERT_TRUE(select_row(t, "freeptr-invalid"));
	CU_ASSERT_TRUE(row_has(t, v->cursor, hex(w.fp_obj)));
	CU_ASSERT_TRUE(row_has(t, v->cursor, "tui-plain-64"));
	SHOWS(t, "stores a free pointer"); /* the message, on the status */
	keys(t, "\n");
	v = tui_top(t);
	CU_ASSERT_EQUAL_FATAL(v->kind, TUI_VIEW_OBJECT);
	CU_ASSERT_EQUAL(v->object, w.fp_obj);
	char title[96];
	snprintf(title, sizeof(title), "tui-plain-64 > object %s",
		 hex(w.fp_obj));
	SHOWS(t, title);
	SHOWS(t, "object ");
	SHOWS(t, " free, #7 of slab");
	/* The free pointer in the middle of the payload, bad. */
	uint64_t off = synth_cache(w.s, w.plain)->offset;
	CU_ASSERT_EQUAL(v->cursor, off / 8);
	char st[96];
	snprintf(st, sizeof(st), "+%" PRIu64 " freeptr BAD", off);
	SHOWS(t, st);
	SHOWS(t, "freeptr-invalid at +32, value ");
	/* Stored encoded: the status shows the raw word, and whatis of it. */
	SHOWS(t, "payload:32 freeptr:8 payload:24 bad");
	keys(t, "qq");
	CU_ASSERT_EQUAL(t->depth, 1);
	tui_destroy(t);
}

static void test_slab_freelists(void)
{
	struct tui_options o = { .cache = "tui-debug-52" };
	struct tui *t = new_tui(&o);
	if (!t)
		return;
	CU_ASSERT_EQUAL(t->depth, 2);
	CU_ASSERT_EQUAL(tui_top(t)->kind, TUI_VIEW_CACHE);
	/* Under it, the caches view's cursor is on the cache. */
	CU_ASSERT_TRUE(select_row(t, hex(synth_slab(w.s, w.dbg_cpu)->page)));
	keys(t, "\n");
	struct tui_view *v = tui_top(t);
	CU_ASSERT_EQUAL_FATAL(v->kind, TUI_VIEW_SLAB);
	SHOWS(t, "cpu (cpu 0), frozen");
	/* The CPU freelist 3 -> 2. */
	CU_ASSERT_TRUE(row_has(t, 3, "cpu-free  c0"));
	CU_ASSERT_TRUE(row_has(t, 2, "cpu-free  c1"));
	CU_ASSERT_TRUE(row_has(t, 2, "end"));
	SHOWS(t, "cpu freelist: 2;");
	/* Freelist order: 3, 2, then the others by address. */
	keys(t, "o");
	SHOWS(t, "order: freelist");
	CU_ASSERT_TRUE(row_has(t, 0, hex(synth_obj(w.s, w.dbg_cpu, 3))));
	CU_ASSERT_TRUE(row_has(t, 1, hex(synth_obj(w.s, w.dbg_cpu, 2))));
	CU_ASSERT_TRUE(row_has(t, 2, hex(synth_obj(w.s, w.dbg_cpu, 0))));
	keys(t, "o");
	CU_ASSERT_TRUE(row_has(t, 0, hex(synth_obj(w.s, w.dbg_cpu, 0))));
	keys(t, "qq");
	CU_ASSERT_EQUAL(t->depth, 1);
	CU_ASSERT_TRUE(row_has(t, tui_top(t)->cursor, "tui-debug-52"));
	tui_destroy(t);

	/* The plain cache's chain breaks at object 7. */
	struct tui_options p = { .cache = "tui-plain-64" };
	t = new_tui(&p);
	if (!t)
		return;
	keys(t, "\n");
	CU_ASSERT_EQUAL_FATAL(tui_top(t)->kind, TUI_VIEW_SLAB);
	SHOWS(t, ": 2, broken; cpu freelist: 0; order: address");
	CU_ASSERT_TRUE(row_has(t, 3, "f0"));
	CU_ASSERT_TRUE(row_has(t, 7, "f1"));
	CU_ASSERT_TRUE(row_has(t, 7, "freeptr-invalid"));
	CU_ASSERT_TRUE(row_has(t, 9, "unknown"));
	tui_destroy(t);

	struct tui_options bad = { .cache = "no-such-cache" };
	struct tui *none = NULL;
	SS_ASSERT_ERR(tui_create(w.m, &w.r, &bad, &none), SS_ERR_NOTFOUND);
	CU_ASSERT_PTR_NULL(none);
}

/* 'g' and following the pointer under the cursor. */
static void test_goto_and_follow(void)
{
	struct tui *t = new_tui(NULL);
	if (!t)
		return;
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "g%s\n", hex(w.ptr_obj + 8));
	keys(t, cmd);
	struct tui_view *v = tui_top(t);
	CU_ASSERT_EQUAL_FATAL(v->kind, TUI_VIEW_OBJECT);
	CU_ASSERT_EQUAL(v->object, w.ptr_obj);
	CU_ASSERT_EQUAL(v->cursor, 1);
	char st[128];
	snprintf(st, sizeof(st), "+8 payload  0x%016" PRIx64
		 " -> tui-other-32 obj+16 payload, allocated",
		 w.ptr_target);
	SHOWS(t, st);
	keys(t, "\n");
	v = tui_top(t);
	CU_ASSERT_EQUAL_FATAL(v->kind, TUI_VIEW_OBJECT);
	CU_ASSERT_EQUAL(v->object, w.ptr_target - 16);
	CU_ASSERT_EQUAL(v->cursor, 2);
	CU_ASSERT_EQUAL(t->depth, 3);
	/* Words move by one left and right, by two up and down. */
	tui_handle_key(t, TUI_KEY_RIGHT);
	CU_ASSERT_EQUAL(v->cursor, 3);
	keys(t, "k");
	CU_ASSERT_EQUAL(v->cursor, 1);
	keys(t, "h");
	CU_ASSERT_EQUAL(v->cursor, 0);
	keys(t, "h");
	CU_ASSERT_EQUAL(v->cursor, 0);
	tui_handle_key(t, TUI_KEY_END);
	CU_ASSERT_EQUAL(v->cursor, 3);
	/* A word that is no pointer into a slab: a message, no view. */
	keys(t, "\n");
	CU_ASSERT_EQUAL(t->depth, 3);
	SHOWS(t, ": not in a slab");

	/* Goto errors stay on the status line. */
	keys(t, "gxyz\n");
	SHOWS(t, "not an address: \"xyz\"");
	CU_ASSERT_EQUAL(t->depth, 3);
	keys(t, "g0x10\n");
	SHOWS(t, "0x10: not in a slab (user address)");
	/* The message goes at the next key. */
	CU_ASSERT_NOT_EQUAL(t->message[0], '\0');
	keys(t, "j");
	CU_ASSERT_EQUAL(t->message[0], '\0');
	LACKS(t, "0x10: not in a slab");
	/* Esc cancels the prompt. */
	keys(t, "g12");
	SHOWS(t, "go to address: 12");
	tui_handle_key(t, TUI_KEY_ESC);
	CU_ASSERT_EQUAL(t->prompt, TUI_PROMPT_NONE);
	CU_ASSERT_EQUAL(t->depth, 3);
	CU_ASSERT_EQUAL(tui_handle_key(t, 'Q'), TUI_QUIT);
	tui_destroy(t);
}

/* Small and resized screens keep the cursor visible. */
static void test_resize_and_paging(void)
{
	/* The slab view of a 28-object slab, on a 12-line screen. */
	struct tui_options o = { .cache = "tui-debug-52" };
	struct tui *t = new_tui(&o);
	if (!t)
		return;
	tui_set_size(t, 80, 12);
	keys(t, "\n");
	struct tui_view *v = tui_top(t);
	CU_ASSERT_EQUAL_FATAL(v->kind, TUI_VIEW_SLAB);
	size_t n = tui_view_nrows(t, v), page = tui_page_rows(t);
	CU_ASSERT_EQUAL(page, 12 - 3 - 5);
	tui_handle_key(t, TUI_KEY_END);
	CU_ASSERT_EQUAL(v->cursor, n - 1);
	CU_ASSERT_EQUAL(v->top, n - page);
	tui_handle_key(t, TUI_KEY_PGUP);
	CU_ASSERT_EQUAL(v->cursor, n - 1 - page);
	CU_ASSERT_TRUE(v->cursor >= v->top && v->cursor < v->top + page);
	/* Taller: the screen fills from the top again. */
	tui_set_size(t, 80, 60);
	CU_ASSERT_EQUAL(v->top, 0);
	/* Shorter: the cursor stays on screen. */
	tui_set_size(t, 80, 10);
	page = tui_page_rows(t);
	CU_ASSERT_TRUE(v->cursor >= v->top && v->cursor < v->top + page);
	tui_handle_key(t, TUI_KEY_HOME);
	CU_ASSERT_EQUAL(v->cursor, 0);
	CU_ASSERT_EQUAL(v->top, 0);
	tui_handle_key(t, TUI_KEY_PGDN);
	CU_ASSERT_EQUAL(v->cursor, page);
	/* Rows never exceed the width the screen has. */
	tui_set_size(t, 40, 10);
	SHOWS(t, "slabscope browse");
	tui_destroy(t);
}

static void test_help_view(void)
{
	struct tui *t = new_tui(NULL);
	if (!t)
		return;
	keys(t, "?");
	struct tui_view *v = tui_top(t);
	CU_ASSERT_EQUAL_FATAL(v->kind, TUI_VIEW_HELP);
	tui_set_size(t, 100, 200);
	/* Every key of the table is on the help screen. */
	char *s = screen(t);
	for (size_t i = 0; i < tui_nkeys; i++)
		CU_ASSERT_PTR_NOT_NULL(strstr(s, tui_keys[i].name));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "Global keys"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "Object view"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "  Up, k "));
	free(s);
	CU_ASSERT_EQUAL(tui_handle_key(t, '?'), TUI_IGNORED);
	CU_ASSERT_EQUAL(tui_handle_key(t, 'q'), TUI_REDRAW);
	CU_ASSERT_EQUAL(tui_top(t)->kind, TUI_VIEW_CACHES);
	CU_ASSERT_EQUAL(tui_handle_key(t, TUI_CTRL('l')), TUI_REPAINT);
	CU_ASSERT_EQUAL(tui_handle_key(t, 'Z'), TUI_IGNORED);
	tui_destroy(t);
}

int ss_test_tui_register(void)
{
	CU_pSuite s = CU_add_suite("browse view model", suite_init,
				   suite_cleanup);
	if (!s)
		return -1;
	if (!CU_add_test(s, "key table", test_keys_table) ||
	    !CU_add_test(s, "every key in slabscope-browse(1)",
			 test_keys_in_man_page) ||
	    !CU_add_test(s, "row helpers", test_row_helpers) ||
	    !CU_add_test(s, "cells and hex lines", test_cells_and_hex) ||
	    !CU_add_test(s, "caches view: sort, filter, findings",
			 test_caches_view) ||
	    !CU_add_test(s, "drill down to a red zone byte",
			 test_drill_to_redzone) ||
	    !CU_add_test(s, "findings view to a bad free pointer",
			 test_findings_to_freeptr) ||
	    !CU_add_test(s, "slab view freelists", test_slab_freelists) ||
	    !CU_add_test(s, "goto and follow a pointer",
			 test_goto_and_follow) ||
	    !CU_add_test(s, "resize and paging", test_resize_and_paging) ||
	    !CU_add_test(s, "help view", test_help_view))
		return -1;
	return 0;
}
