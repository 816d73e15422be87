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
	const char *comp_dir; /* libdwarf's, lives as long as ctx */
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
	Dwarf_Unsigned version;
	Dwarf_Small tables;
	res = dwarf_srclines_b(cu, &version, &tables, &u->ctx, &e);
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

/* The row's file, relative to the unit's directory when under it. */
static struct ss_error *row_file(struct ss_dbg *dbg, const struct unit_lines *u,
				 Dwarf_Line l, char **ret)
{
	Dwarf_Debug d = ss_dwarf_libdwarf(dbg);
	char *src = NULL;
	Dwarf_Error e = NULL;
	if (dwarf_linesrc(l, &src, &e) != DW_DLV_OK || !src)
		return dw_err(dbg, d, e, "reading a line's file name");
	const char *name = src;
	size_t cl = u->comp_dir ? strlen(u->comp_dir) : 0;
	if (cl && strncmp(name, u->comp_dir, cl) == 0 && name[cl] == '/')
		name += cl + 1;
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	*ret = strdup(name);
	dwarf_dealloc(d, src, DW_DLA_STRING);
	return *ret ? NULL : &ss_error_nomem;
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
