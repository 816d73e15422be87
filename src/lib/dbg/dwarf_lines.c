/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Source lines of code addresses (ss_dbg_source_line(), dbg.h): the unit
 * from .debug_aranges, its line table through libdwarf, the row that
 * covers the address.
 *
 * Only asked for the frames a report prints, so it stays lazy: a line
 * table is decoded the first time an address of its unit is asked for and
 * kept among the last few (a stack's frames share units).  A file without
 * .debug_aranges (an unusual module) has its units tried in turn, if it is
 * small: a vmlinux without aranges has no line lookup.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>

#include "dbg_priv.h"

/* Line tables kept decoded. */
#define NCACHED 4
/* Without .debug_aranges, units are tried in turn only in a .debug_info
 * this small (a module's). */
#define SWEEP_MAX_INFO (16u << 20)
/* Units tried in turn, at most. */
#define SWEEP_MAX_UNITS 4096

struct unit_lines {
	bool used;
	uint64_t unit_off;
	Dwarf_Line_Context ctx; /* NULL: the unit has no line table */
	Dwarf_Line *rows;
	Dwarf_Signed nrows;
	const char *comp_dir; /* in a section (checked), or NULL */
	Dwarf_Unsigned version; /* of the line table */
	uint64_t stamp;
};

struct ss_dwarf_lines {
	struct unit_lines cache[NCACHED];
	uint64_t clock;
};

static void unit_lines_free(struct unit_lines *u)
{
	if (u->ctx)
		dwarf_srclines_dealloc_b(u->ctx);
	memset(u, 0, sizeof(*u));
}

void ss_dwarf_lines_close(struct ss_dbg *dbg)
{
	struct ss_dwarf_lines *dl = dbg->lines;
	if (!dl)
		return;
	for (size_t i = 0; i < NCACHED; i++)
		unit_lines_free(&dl->cache[i]);
	free(dl);
	dbg->lines = NULL;
}

static struct ss_error *dw_err(struct ss_dbg *dbg, Dwarf_Debug d, Dwarf_Error e,
			       const char *what)
{
	struct ss_error *err =
		ss_error_create(SS_ERR_FORMAT, "%s: %s: %s", dbg->path, what,
				e ? dwarf_errmsg(e) : "libdwarf error");
	if (e)
		dwarf_dealloc(d, e, DW_DLA_ERROR);
	return err;
}

/*
 * p if it is a string inside one of the file's sections (NUL before the
 * section's end), else NULL.  libdwarf hands out names of a corrupt line
 * table that point anywhere (dwarf_linesrc() of 20210528 then runs strlen
 * on 0xee: found by tests/fuzz/fuzz_module.c), so every name is checked.
 */
static const char *section_string(const struct ss_dbg *dbg, const char *p)
{
	for (size_t i = 0; p && i < dbg->nsections; i++) {
		const struct ss_dbg_section *s = &dbg->sections[i];
		const char *start = (const char *)s->data;
		if (!start || p < start || p >= start + s->size)
			continue;
		return memchr(p, '\0', (size_t)(start + s->size - p)) ? p
								      : NULL;
	}
	return NULL;
}

/* Decode the line table of the unit at unit_off into *u. */
static struct ss_error *load_unit(struct ss_dbg *dbg, uint64_t unit_off,
				  struct unit_lines *u)
{
	Dwarf_Debug d = ss_dwarf_libdwarf(dbg);
	uint64_t next, die_off;
	struct ss_error *err = ss_dwarf_unit(dbg, unit_off, &next, &die_off);
	if (err)
		return err;
	Dwarf_Die cu = NULL;
	Dwarf_Error e = NULL;
	int res = dwarf_offdie_b(d, die_off, true, &cu, &e);
	if (res != DW_DLV_OK)
		return res == DW_DLV_NO_ENTRY
			       ? ss_error_create(SS_ERR_FORMAT,
						 "%s: no unit DIE at %#" PRIx64,
						 dbg->path, die_off)
			       : dw_err(dbg, d, e, "reading a unit DIE");
	memset(u, 0, sizeof(*u));
	u->used = true;
	u->unit_off = unit_off;
	Dwarf_Small tables;
	res = dwarf_srclines_b(cu, &u->version, &tables, &u->ctx, &e);
	dwarf_dealloc(d, cu, DW_DLA_DIE);
	if (res == DW_DLV_NO_ENTRY) {
		u->ctx = NULL; /* a unit without lines: remembered as such */
		return NULL;
	}
	if (res != DW_DLV_OK) {
		u->used = false;
		return dw_err(dbg, d, e, "reading a line table");
	}
	res = dwarf_srclines_from_linecontext(u->ctx, &u->rows, &u->nrows, &e);
	if (res != DW_DLV_OK) {
		unit_lines_free(u);
		return res == DW_DLV_NO_ENTRY
			       ? NULL
			       : dw_err(dbg, d, e, "reading a line table");
	}
	if (dwarf_srclines_comp_dir(u->ctx, &u->comp_dir, &e) != DW_DLV_OK) {
		if (e)
			dwarf_dealloc(d, e, DW_DLA_ERROR);
		u->comp_dir = NULL;
	}
	u->comp_dir = section_string(dbg, u->comp_dir);
	return NULL;
}

/* The unit's decoded table, from the cache or decoded now. */
static struct ss_error *unit_lines(struct ss_dbg *dbg, uint64_t unit_off,
				   struct unit_lines **ret)
{
	struct ss_dwarf_lines *dl = dbg->lines;
	if (!dl) {
		dl = dbg->lines = calloc(1, sizeof(*dl));
		if (!dl)
			return &ss_error_nomem;
	}
	struct unit_lines *victim = &dl->cache[0];
	for (size_t i = 0; i < NCACHED; i++) {
		struct unit_lines *u = &dl->cache[i];
		if (u->used && u->unit_off == unit_off) {
			u->stamp = ++dl->clock;
			*ret = u;
			return NULL;
		}
		if (!u->used || (victim->used && u->stamp < victim->stamp))
			victim = u;
	}
	unit_lines_free(victim);
	struct ss_error *err = load_unit(dbg, unit_off, victim);
	if (err)
		return err;
	victim->stamp = ++dl->clock;
	*ret = victim;
	return NULL;
}

static bool ok(Dwarf_Debug d, int res, Dwarf_Error e)
{
	if (res == DW_DLV_ERROR && e)
		dwarf_dealloc(d, e, DW_DLA_ERROR);
	return res == DW_DLV_OK;
}

static bool row_addr(Dwarf_Debug d, Dwarf_Line l, uint64_t *addr, bool *end)
{
	Dwarf_Addr a;
	Dwarf_Bool eseq;
	Dwarf_Error e = NULL;
	if (!ok(d, dwarf_lineaddr(l, &a, &e), e) ||
	    !ok(d, dwarf_lineendsequence(l, &eseq, &e), e))
		return false;
	*addr = a;
	*end = eseq;
	return true;
}

static Dwarf_Unsigned row_line(Dwarf_Debug d, Dwarf_Line l)
{
	Dwarf_Unsigned n = 0;
	Dwarf_Error e = NULL;
	return ok(d, dwarf_lineno(l, &n, &e), e) ? n : 0;
}

/*
 * The row whose range holds addr: rows of a sequence are in address order
 * and a row covers the addresses up to the next one.  A row of line 0
 * (code of no line) gives way to the row before it in its sequence.
 */
static Dwarf_Line find_row(Dwarf_Debug d, const struct unit_lines *u,
			   uint64_t addr)
{
	Dwarf_Signed seq_start = 0;
	for (Dwarf_Signed i = 0; i + 1 < u->nrows; i++) {
		uint64_t a, b;
		bool end, end_b;
		if (!row_addr(d, u->rows[i], &a, &end))
			return NULL;
		if (end) {
			seq_start = i + 1;
			continue;
		}
		if (!row_addr(d, u->rows[i + 1], &b, &end_b))
			return NULL;
		if (addr < a || addr >= b)
			continue;
		for (Dwarf_Signed j = i; j >= seq_start; j--)
			if (row_line(d, u->rows[j]))
				return u->rows[j];
		return NULL;
	}
	return NULL;
}

/* p after "prefix/", or NULL. */
static const char *under(const char *p, const char *prefix)
{
	size_t n = prefix ? strlen(prefix) : 0;
	return n && strncmp(p, prefix, n) == 0 && p[n] == '/' ? p + n + 1
							      : NULL;
}

/*
 * The row's file: its name in the file table and its directory, put
 * together here (not by dwarf_linesrc(), see section_string()), relative
 * to the unit's directory when under it.  DWARF 5 counts files and
 * directories from 0 (directory 0 is the unit's, in the table); DWARF 2-4
 * from 1 (directory 0 is the unit's, not in the table).  libdwarf 20210528
 * indexes its directory table the same way (measured on gcc 12 objects of
 * both versions).
 */
static struct ss_error *row_file(struct ss_dbg *dbg, const struct unit_lines *u,
				 Dwarf_Line l, char **ret)
{
	Dwarf_Debug d = ss_dwarf_libdwarf(dbg);
	Dwarf_Unsigned fileno, dirno, mtime, len;
	Dwarf_Signed base, count, end, ndirs;
	Dwarf_Form_Data16 *md5;
	const char *name = NULL, *dir = NULL;
	Dwarf_Error e = NULL;
	if (!ok(d, dwarf_line_srcfileno(l, &fileno, &e), e) ||
	    !ok(d,
		dwarf_srclines_files_indexes(u->ctx, &base, &count, &end, &e),
		e) ||
	    fileno < (Dwarf_Unsigned)base || fileno >= (Dwarf_Unsigned)end ||
	    !ok(d,
		dwarf_srclines_files_data_b(u->ctx, (Dwarf_Signed)fileno, &name,
					    &dirno, &mtime, &len, &md5, &e),
		e) ||
	    !(name = section_string(dbg, name)))
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: a line's file is not in its table",
				       dbg->path);
	bool v5 = u->version >= 5;
	if (ok(d, dwarf_srclines_include_dir_count(u->ctx, &ndirs, &e), e) &&
	    ndirs >= 0 &&
	    (v5 ? dirno < (Dwarf_Unsigned)ndirs
		: dirno >= 1 && dirno <= (Dwarf_Unsigned)ndirs) &&
	    ok(d,
	       dwarf_srclines_include_dir_data(u->ctx, (Dwarf_Signed)dirno,
					       &dir, &e),
	       e))
		dir = section_string(dbg, dir);
	else
		dir = NULL; /* the unit's own directory */
	const char *rel_dir = dir;
	if (dir && dir[0] == '/')
		rel_dir = u->comp_dir && strcmp(dir, u->comp_dir) == 0
				  ? ""
				  : under(dir, u->comp_dir);
	int n;
	if (name[0] == '/') {
		const char *r = under(name, u->comp_dir);
		n = asprintf(ret, "%s", r ? r : name);
	} else if (dir && !rel_dir) { /* absolute, elsewhere */
		n = asprintf(ret, "%s/%s", dir, name);
	} else if (rel_dir && *rel_dir && strcmp(rel_dir, ".") != 0) {
		n = asprintf(ret, "%s/%s", rel_dir, name);
	} else {
		n = asprintf(ret, "%s", name);
	}
	if (n < 0)
		return &ss_error_nomem;
	/* "./mm/slub.c" reads "mm/slub.c" */
	char *p = *ret;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	memmove(*ret, p, strlen(p) + 1);
	return NULL;
}

static struct ss_error *line_in_unit(struct ss_dbg *dbg, uint64_t unit_off,
				     uint64_t addr, char **file_ret,
				     unsigned *line_ret, bool *found)
{
	struct unit_lines *u = NULL;
	*found = false;
	struct ss_error *err = unit_lines(dbg, unit_off, &u);
	if (err || !u->ctx)
		return err;
	Dwarf_Debug d = ss_dwarf_libdwarf(dbg);
	Dwarf_Line row = find_row(d, u, addr);
	if (!row)
		return NULL;
	err = row_file(dbg, u, row, file_ret);
	if (err)
		return err;
	*line_ret = (unsigned)row_line(d, row);
	*found = true;
	return NULL;
}

struct ss_error *ss_dbg_source_line(struct ss_dbg *dbg, uint64_t addr,
				    char **file_ret, unsigned *line_ret)
{
	if (!dbg || !file_ret || !line_ret)
		return ss_error_create(SS_ERR_INVALID,
				       "ss_dbg_source_line: NULL argument");
	*file_ret = NULL;
	if (!ss_dbg_need_dwarf(dbg))
		return ss_error_create(SS_ERR_NODEBUG,
				       "%s: no DWARF debug info", dbg->path);
	uint64_t unit;
	bool found;
	struct ss_error *err = ss_dwarf_unit_of_addr(dbg, addr, &unit, &found);
	if (err)
		return err;
	if (found) {
		err = line_in_unit(dbg, unit, addr, file_ret, line_ret, &found);
	} else if (ss_dwarf_info_size(dbg) <= SWEEP_MAX_INFO) {
		uint64_t off = 0, next, die_off;
		for (size_t n = 0; !err && !found && n < SWEEP_MAX_UNITS &&
				   off < ss_dwarf_info_size(dbg);
		     n++, off = next) {
			err = ss_dwarf_unit(dbg, off, &next, &die_off);
			if (!err)
				err = line_in_unit(dbg, off, addr, file_ret,
						   line_ret, &found);
		}
	}
	if (!err && !found) {
		err = ss_error_create(
			SS_ERR_NOTFOUND,
			"%s: no source line for address %#" PRIx64, dbg->path,
			addr);
		if (err != &ss_error_nomem)
			err->address = addr;
	}
	return err;
}
