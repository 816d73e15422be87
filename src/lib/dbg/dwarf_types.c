/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The DWARF side of struct ss_dbg: type sizes, member offsets and
 * enumerators.  The only file of the project that includes libdwarf.
 *
 * libdwarf reads the mapped file through our own object-access methods
 * (dwarf_object_init_b), which expose only the few sections that types
 * need and never relocate: a distro vmlinux is ET_EXEC, its DWARF values
 * are final even when --emit-relocs left .rela.debug_* behind, and
 * dwarf_init_path() would spend seconds and ~800 MB applying them.
 *
 * Lookup: named types (struct, union, enum, typedef, base) and enumerators
 * of a compile unit are put in one hash table the first time the unit is
 * visited, declarations excluded.  Hint units (ss_dbg_add_hint_symbol(),
 * found through .debug_aranges) are visited first and their entries win;
 * on a miss the remaining units are visited in file order until the name
 * turns up, so a full scan is paid at most once.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>

#include <slabscope/version.h>

#include "dbg_priv.h"

#define SS_SHT_PROGBITS 1

/* Internal kind for the index: an enumerator (its value is stored). */
#define KIND_ENUMERATOR SS_DWARF_KIND_ENUMERATOR

/* Bounds against cyclic or absurd (corrupt) DWARF. */
#define MAX_TYPE_DEPTH 64
#define MAX_ANON_DEPTH 32
#define MAX_DIMS 16

/* The sections libdwarf may see; loclists/rnglists are left out (loading
 * .debug_info would make it read every list header).  .debug_line is
 * read only when a source line is asked for (dwarf_lines.c). */
static const char *const exposed_names[] = {
	".debug_info", /* the DIEs */
	".debug_abbrev", /* their shapes */
	".debug_str", /* names */
	".debug_line_str", /* DWARF 5 names of directories and files */
	".debug_str_offsets", /* DWARF 5 indexed names */
	".debug_line", /* line tables */
};
#define NEXPOSED (sizeof(exposed_names) / sizeof(exposed_names[0]))

struct exposed {
	const char *name;
	const unsigned char *data;
	uint64_t size;
};

struct idx_entry {
	const char *name;	/* into .debug_str / .debug_info; NULL = free */
	uint64_t val;		/* DIE offset, or enumerator value */
	uint32_t hash;
	uint8_t kind;
	bool hint;
};

struct hint_cu {
	uint64_t off;		/* unit header offset in .debug_info */
	bool indexed;
};

struct ss_dwarf {
	struct ss_dbg *owner;
	const char *path;
	Dwarf_Debug dbg;
	Dwarf_Obj_Access_Interface iface;
	struct exposed sec[NEXPOSED + 1];	/* [0] is the null section */
	size_t nsec;
	bool msb;
	Dwarf_Small ptr_size;

	const unsigned char *info;
	uint64_t info_size;
	const unsigned char *aranges;
	uint64_t aranges_size;

	struct idx_entry *tab;
	size_t tab_cap;		/* power of 2 */
	size_t tab_count;

	struct hint_cu *hints;
	size_t nhints;
	size_t hints_cap;

	uint64_t scan_pos;	/* next unit header not visited by the scan */
	bool scan_done;
	char *scan_error;	/* why the scan stopped early, if it did */
	bool libdwarf_scan;	/* scan with libdwarf, not dwarf_scan.c */
};

/* ---- object access methods over the mapping ---- */

static int om_get_section_info(void *obj, Dwarf_Half idx,
			       Dwarf_Obj_Access_Section *ret, int *error)
{
	struct ss_dwarf *dw = obj;
	(void)error;
	if (idx >= dw->nsec)
		return DW_DLV_NO_ENTRY;
	memset(ret, 0, sizeof(*ret));
	ret->name = dw->sec[idx].name;
	ret->size = dw->sec[idx].size;
	ret->type = idx ? SS_SHT_PROGBITS : 0;
	return DW_DLV_OK;
}

static Dwarf_Endianness om_get_byte_order(void *obj)
{
	const struct ss_dwarf *dw = obj;
	return dw->msb ? DW_OBJECT_MSB : DW_OBJECT_LSB;
}

static Dwarf_Small om_get_length_size(void *obj)
{
	/* The offset size of the object; each unit header says its own. */
	(void)obj;
	return 4;
}

static Dwarf_Small om_get_pointer_size(void *obj)
{
	const struct ss_dwarf *dw = obj;
	return dw->ptr_size;
}

static Dwarf_Unsigned om_get_section_count(void *obj)
{
	const struct ss_dwarf *dw = obj;
	return dw->nsec;
}

static int om_load_section(void *obj, Dwarf_Half idx, Dwarf_Small **data,
			   int *error)
{
	struct ss_dwarf *dw = obj;
	if (idx == 0 || idx >= dw->nsec)
		return DW_DLV_NO_ENTRY;
	if (!dw->sec[idx].data) {
		*error = DW_DLE_MDE;
		return DW_DLV_ERROR;
	}
	/* libdwarf only reads section data when it does not relocate. */
	*data = (Dwarf_Small *)(uintptr_t)dw->sec[idx].data;
	return DW_DLV_OK;
}

static const Dwarf_Obj_Access_Methods om_methods = {
	.get_section_info = om_get_section_info,
	.get_byte_order = om_get_byte_order,
	.get_length_size = om_get_length_size,
	.get_pointer_size = om_get_pointer_size,
	.get_section_count = om_get_section_count,
	.load_section = om_load_section,
	.relocate_a_section = NULL,
};

/* ---- small helpers ---- */

static struct ss_error *dw_error(struct ss_dwarf *dw, Dwarf_Error e,
				 enum ss_errcode code, const char *what)
{
	struct ss_error *err = ss_error_create(
		code, "%s: %s: %s", dw->path, what,
		e ? dwarf_errmsg(e) : "libdwarf error");
	if (e)
		dwarf_dealloc(dw->dbg, e, DW_DLA_ERROR);
	return err;
}

static void die_free(struct ss_dwarf *dw, Dwarf_Die die)
{
	if (die)
		dwarf_dealloc(dw->dbg, die, DW_DLA_DIE);
}

static struct ss_error *die_at(struct ss_dwarf *dw, Dwarf_Off off,
			       Dwarf_Die *ret)
{
	Dwarf_Error e = NULL;
	*ret = NULL;
	int res = dwarf_offdie_b(dw->dbg, off, true, ret, &e);
	if (res == DW_DLV_OK)
		return NULL;
	*ret = NULL;
	if (res == DW_DLV_NO_ENTRY)
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: no DIE at .debug_info offset %#" PRIx64,
				       dw->path, (uint64_t)off);
	return dw_error(dw, e, SS_ERR_FORMAT, "reading DWARF");
}

static uint64_t rd(const unsigned char *p, unsigned n, bool msb)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned sh = msb ? 8 * (n - 1 - i) : 8 * i;
		v |= (uint64_t)p[i] << sh;
	}
	return v;
}

static uint32_t hash_name(const char *s, uint8_t kind)
{
	uint32_t h = 2166136261u ^ kind;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static const char *kind_name(unsigned kind)
{
	switch (kind) {
	case SS_TYPE_STRUCT: return "struct";
	case SS_TYPE_UNION: return "union";
	case SS_TYPE_ENUM: return "enum";
	case SS_TYPE_TYPEDEF: return "typedef";
	case SS_TYPE_BASE: return "base type";
	case KIND_ENUMERATOR: return "enumerator";
	default: return "type";
	}
}

/* ---- the name index ---- */

static struct idx_entry *idx_find(struct ss_dwarf *dw, unsigned kind,
				  const char *name)
{
	if (!dw->tab)
		return NULL;
	uint32_t h = hash_name(name, (uint8_t)kind);
	size_t mask = dw->tab_cap - 1;
	for (size_t j = h & mask; dw->tab[j].name; j = (j + 1) & mask) {
		struct idx_entry *e = &dw->tab[j];
		if (e->hash == h && e->kind == kind &&
		    strcmp(e->name, name) == 0)
			return e;
	}
	return NULL;
}

static struct ss_error *idx_grow(struct ss_dwarf *dw)
{
	size_t cap = dw->tab_cap ? 2 * dw->tab_cap : 4096;
	struct idx_entry *tab = calloc(cap, sizeof(*tab));
	if (!tab)
		return &ss_error_nomem;
	for (size_t i = 0; i < dw->tab_cap; i++) {
		if (!dw->tab[i].name)
			continue;
		size_t j = dw->tab[i].hash & (cap - 1);
		while (tab[j].name)
			j = (j + 1) & (cap - 1);
		tab[j] = dw->tab[i];
	}
	free(dw->tab);
	dw->tab = tab;
	dw->tab_cap = cap;
	return NULL;
}

/* First definition wins, except that a hint unit beats a non-hint one. */
static struct ss_error *idx_insert(struct ss_dwarf *dw, unsigned kind,
				   const char *name, uint64_t val, bool hint)
{
	if (2 * (dw->tab_count + 1) > dw->tab_cap) {
		struct ss_error *err = idx_grow(dw);
		if (err)
			return err;
	}
	uint32_t h = hash_name(name, (uint8_t)kind);
	size_t mask = dw->tab_cap - 1;
	size_t j = h & mask;
	for (; dw->tab[j].name; j = (j + 1) & mask) {
		struct idx_entry *e = &dw->tab[j];
		if (e->hash == h && e->kind == kind &&
		    strcmp(e->name, name) == 0) {
			if (hint && !e->hint) {
				e->val = val;
				e->hint = true;
				e->name = name;
			}
			return NULL;
		}
	}
	dw->tab[j].name = name;
	dw->tab[j].val = val;
	dw->tab[j].hash = h;
	dw->tab[j].kind = (uint8_t)kind;
	dw->tab[j].hint = hint;
	dw->tab_count++;
	return NULL;
}

/* ---- attributes ---- */

/*
 * A constant attribute.  *present = false if absent or not a constant
 * (an expression or a reference: a VLA bound, say).  Data forms are zero
 * extended, as GDB and elfutils do; DW_FORM_sdata is sign extended.
 */
static struct ss_error *attr_const(struct ss_dwarf *dw, Dwarf_Die die,
				   Dwarf_Half at, int64_t *val, bool *present)
{
	Dwarf_Attribute attr;
	Dwarf_Error e = NULL;
	*present = false;
	int res = dwarf_attr(die, at, &attr, &e);
	if (res == DW_DLV_NO_ENTRY)
		return NULL;
	if (res != DW_DLV_OK)
		return dw_error(dw, e, SS_ERR_FORMAT, "reading DWARF attribute");
	Dwarf_Half form = 0;
	struct ss_error *err = NULL;
	res = dwarf_whatform(attr, &form, &e);
	if (res != DW_DLV_OK) {
		err = dw_error(dw, e, SS_ERR_FORMAT, "reading DWARF form");
		goto out;
	}
	switch (form) {
	case DW_FORM_sdata:
	case DW_FORM_implicit_const: {
		Dwarf_Signed s;
		res = dwarf_formsdata(attr, &s, &e);
		if (res == DW_DLV_OK) {
			*val = s;
			*present = true;
		}
		break;
	}
	case DW_FORM_data1:
	case DW_FORM_data2:
	case DW_FORM_data4:
	case DW_FORM_data8:
	case DW_FORM_udata: {
		Dwarf_Unsigned u;
		res = dwarf_formudata(attr, &u, &e);
		if (res == DW_DLV_OK) {
			*val = (int64_t)u;
			*present = true;
		}
		break;
	}
	default:
		res = DW_DLV_OK;
		break;
	}
	if (res == DW_DLV_ERROR)
		err = dw_error(dw, e, SS_ERR_FORMAT, "reading DWARF constant");
out:
	dwarf_dealloc(dw->dbg, attr, DW_DLA_ATTR);
	return err;
}

/*
 * A reference attribute (DW_AT_type, DW_AT_signature) of die as a global
 * .debug_info offset, following type signatures into type units.
 * *has = false if absent (for DW_AT_type: void).
 */
static struct ss_error *ref_of(struct ss_dwarf *dw, Dwarf_Die die,
			       Dwarf_Half at, Dwarf_Off *off, bool *has)
{
	Dwarf_Attribute attr;
	Dwarf_Error e = NULL;
	*has = false;
	int res = dwarf_attr(die, at, &attr, &e);
	if (res == DW_DLV_NO_ENTRY)
		return NULL;
	if (res != DW_DLV_OK)
		return dw_error(dw, e, SS_ERR_FORMAT, "reading DW_AT_type");
	struct ss_error *err = NULL;
	Dwarf_Half form = 0;
	res = dwarf_whatform(attr, &form, &e);
	if (res == DW_DLV_OK && form == DW_FORM_ref_sig8) {
		/* A type in a type unit (DWARF 5 DW_UT_type). */
		Dwarf_Sig8 sig;
		Dwarf_Die t = NULL;
		Dwarf_Bool is_info = true;
		res = dwarf_formsig8(attr, &sig, &e);
		if (res == DW_DLV_OK)
			res = dwarf_find_die_given_sig8(dw->dbg, &sig, &t,
							&is_info, &e);
		if (res == DW_DLV_OK) {
			if (!is_info) {
				err = ss_error_create(SS_ERR_FORMAT,
						      "%s: type units in .debug_types are not supported",
						      dw->path);
			} else {
				res = dwarf_dieoffset(t, off, &e);
				if (res == DW_DLV_OK)
					*has = true;
			}
			die_free(dw, t);
		} else if (res == DW_DLV_NO_ENTRY) {
			err = ss_error_create(SS_ERR_FORMAT,
					      "%s: DW_AT_type refers to a missing type unit",
					      dw->path);
		}
	} else if (res == DW_DLV_OK) {
		res = dwarf_global_formref(attr, off, &e);
		if (res == DW_DLV_OK)
			*has = true;
	}
	if (!err && res == DW_DLV_ERROR)
		err = dw_error(dw, e, SS_ERR_FORMAT, "reading DW_AT_type");
	dwarf_dealloc(dw->dbg, attr, DW_DLA_ATTR);
	return err;
}

static struct ss_error *type_of(struct ss_dwarf *dw, Dwarf_Die die,
				Dwarf_Off *off, bool *has)
{
	return ref_of(dw, die, DW_AT_type, off, has);
}

/*
 * DW_AT_name, pointing into the section data (our mapping), so it lives as
 * long as the ss_dbg.  Not dwarf_diename(): on corrupt input it drops (and
 * leaks) the Dwarf_Error of its inner dwarf_attr() call.
 */
static struct ss_error *die_name(struct ss_dwarf *dw, Dwarf_Die die,
				 const char **name)
{
	Dwarf_Attribute attr;
	Dwarf_Error e = NULL;
	char *n = NULL;
	*name = NULL;
	int res = dwarf_attr(die, DW_AT_name, &attr, &e);
	if (res == DW_DLV_NO_ENTRY)
		return NULL;
	if (res == DW_DLV_OK) {
		res = dwarf_formstring(attr, &n, &e);
		dwarf_dealloc(dw->dbg, attr, DW_DLA_ATTR);
	}
	if (res == DW_DLV_ERROR)
		return dw_error(dw, e, SS_ERR_FORMAT, "reading DW_AT_name");
	*name = res == DW_DLV_OK ? n : NULL;
	return NULL;
}

static struct ss_error *die_tag(struct ss_dwarf *dw, Dwarf_Die die,
				Dwarf_Half *tag)
{
	Dwarf_Error e = NULL;
	if (dwarf_tag(die, tag, &e) != DW_DLV_OK)
		return dw_error(dw, e, SS_ERR_FORMAT, "reading DWARF tag");
	return NULL;
}

static struct ss_error *die_has(struct ss_dwarf *dw, Dwarf_Die die,
				Dwarf_Half at, bool *has)
{
	Dwarf_Bool b = false;
	Dwarf_Error e = NULL;
	if (dwarf_hasattr(die, at, &b, &e) != DW_DLV_OK)
		return dw_error(dw, e, SS_ERR_FORMAT, "reading DWARF attribute");
	*has = b;
	return NULL;
}

/*
 * Children of a DIE: call f on each, stop early when f sets *stop.
 */
typedef struct ss_error *(*child_fn)(struct ss_dwarf *dw, Dwarf_Die child,
				     void *arg, bool *stop);

static struct ss_error *for_each_child(struct ss_dwarf *dw, Dwarf_Die die,
				       child_fn f, void *arg)
{
	Dwarf_Die child = NULL;
	Dwarf_Error e = NULL;
	int res = dwarf_child(die, &child, &e);
	if (res == DW_DLV_NO_ENTRY)
		return NULL;
	if (res != DW_DLV_OK)
		return dw_error(dw, e, SS_ERR_FORMAT, "reading DWARF children");
	Dwarf_Off prev = 0;
	for (;;) {
		/*
		 * Siblings only go forward; a corrupt DW_AT_sibling pointing
		 * back would make this loop forever.
		 */
		Dwarf_Off cur;
		if (dwarf_dieoffset(child, &cur, &e) != DW_DLV_OK) {
			die_free(dw, child);
			return dw_error(dw, e, SS_ERR_FORMAT,
					"reading DIE offset");
		}
		if (prev && cur <= prev) {
			die_free(dw, child);
			return ss_error_create(SS_ERR_FORMAT,
					       "%s: corrupt DWARF: DIE at %#" PRIx64 " follows DIE at %#" PRIx64 " (bad DW_AT_sibling)",
					       dw->path, (uint64_t)cur,
					       (uint64_t)prev);
		}
		prev = cur;
		bool stop = false;
		struct ss_error *err = f(dw, child, arg, &stop);
		if (err || stop) {
			die_free(dw, child);
			return err;
		}
		Dwarf_Die sib = NULL;
		res = dwarf_siblingof_b(dw->dbg, child, true, &sib, &e);
		die_free(dw, child);
		if (res == DW_DLV_NO_ENTRY)
			return NULL;
		if (res != DW_DLV_OK)
			return dw_error(dw, e, SS_ERR_FORMAT,
					"reading DWARF siblings");
		child = sib;
	}
}

/* ---- indexing a unit ---- */

struct index_arg {
	bool hint;
};

static struct ss_error *index_enumerator(struct ss_dwarf *dw, Dwarf_Die die,
					 void *arg, bool *stop)
{
	struct index_arg *ia = arg;
	Dwarf_Half tag;
	const char *name;
	(void)stop;
	struct ss_error *err = die_tag(dw, die, &tag);
	if (err || tag != DW_TAG_enumerator)
		return err;
	err = die_name(dw, die, &name);
	if (err || !name)
		return err;
	int64_t val;
	bool present;
	err = attr_const(dw, die, DW_AT_const_value, &val, &present);
	if (err || !present)
		return err;
	return idx_insert(dw, KIND_ENUMERATOR, name, (uint64_t)val, ia->hint);
}

static struct ss_error *index_top_die(struct ss_dwarf *dw, Dwarf_Die die,
				      void *arg, bool *stop)
{
	struct index_arg *ia = arg;
	Dwarf_Half tag;
	unsigned kind;
	(void)stop;
	struct ss_error *err = die_tag(dw, die, &tag);
	if (err)
		return err;
	switch (tag) {
	case DW_TAG_structure_type: kind = SS_TYPE_STRUCT; break;
	case DW_TAG_union_type: kind = SS_TYPE_UNION; break;
	case DW_TAG_enumeration_type: kind = SS_TYPE_ENUM; break;
	case DW_TAG_typedef: kind = SS_TYPE_TYPEDEF; break;
	case DW_TAG_base_type: kind = SS_TYPE_BASE; break;
	default: return NULL;
	}
	if (kind == SS_TYPE_ENUM) {
		err = for_each_child(dw, die, index_enumerator, arg);
		if (err)
			return err;
	}
	const char *name;
	err = die_name(dw, die, &name);
	if (err || !name)
		return err;
	if (kind != SS_TYPE_TYPEDEF && kind != SS_TYPE_BASE) {
		bool decl = false;
		err = die_has(dw, die, DW_AT_declaration, &decl);
		if (err || decl)
			return err;
	}
	Dwarf_Off off;
	Dwarf_Error e = NULL;
	if (dwarf_dieoffset(die, &off, &e) != DW_DLV_OK)
		return dw_error(dw, e, SS_ERR_FORMAT, "reading DIE offset");
	return idx_insert(dw, kind, name, off, ia->hint);
}

/*
 * The unit header at off: its end and (DWARF 5) unit type.  All bounds are
 * checked here before libdwarf is asked for the unit.
 */
static struct ss_error *unit_header(struct ss_dwarf *dw, uint64_t off,
				    uint64_t *next, unsigned *unit_type,
				    uint64_t *die_off)
{
	const unsigned char *p = dw->info + off;
	uint64_t avail = dw->info_size - off;
	uint64_t len, hdr = 4;
	if (avail < 4)
		goto bad;
	len = rd(p, 4, dw->msb);
	if (len == 0xffffffffu) {
		if (avail < 12)
			goto bad;
		len = rd(p + 4, 8, dw->msb);
		hdr = 12;
	} else if (len >= 0xfffffff0u) {
		goto bad;
	}
	if (len < 7 || len > avail - hdr)
		goto bad;
	unsigned version = (unsigned)rd(p + hdr, 2, dw->msb);
	if (version < 2 || version > 5)
		goto bad;
	unsigned offsz = hdr == 12 ? 8 : 4;
	uint64_t size;
	if (version >= 5) {
		*unit_type = p[hdr + 2];
		/* version, unit_type, address_size, debug_abbrev_offset */
		size = 2 + 1 + 1 + offsz;
		if (*unit_type == DW_UT_type || *unit_type == DW_UT_split_type)
			size += 8 + offsz;	/* signature, type_offset */
		else if (*unit_type == DW_UT_skeleton ||
			 *unit_type == DW_UT_split_compile)
			size += 8;		/* dwo_id */
	} else {
		*unit_type = DW_UT_compile;
		/* version, debug_abbrev_offset, address_size */
		size = 2 + offsz + 1;
	}
	if (size >= len)
		goto bad;
	*die_off = off + hdr + size;
	*next = off + hdr + len;
	return NULL;
bad:
	return ss_error_create(SS_ERR_FORMAT,
			       "%s: corrupt unit header at .debug_info offset %#" PRIx64,
			       dw->path, off);
}

static struct ss_error *index_unit(struct ss_dwarf *dw, uint64_t off,
				   bool hint)
{
	/*
	 * The unit DIE's offset from our own reading of the header:
	 * dwarf_get_cu_die_offset_given_cu_header_offset_b() reads
	 * .debug_info without loading it first (a NULL dereference in
	 * libdwarf 20210528).
	 */
	uint64_t next, die_off;
	unsigned ut;
	struct ss_error *err = unit_header(dw, off, &next, &ut, &die_off);
	if (err)
		return err;
	Dwarf_Die cu;
	err = die_at(dw, die_off, &cu);
	if (err)
		return err;
	struct index_arg ia = { .hint = hint };
	err = for_each_child(dw, cu, index_top_die, &ia);
	die_free(dw, cu);
	return ss_error_prepend(err, "indexing unit at .debug_info offset %#" PRIx64,
				off);
}

static bool is_hint_unit(const struct ss_dwarf *dw, uint64_t off)
{
	for (size_t i = 0; i < dw->nhints; i++)
		if (dw->hints[i].off == off)
			return true;
	return false;
}

/* ---- the scan of the units that are not hints ---- */

/*
 * The reference reader: every remaining unit through libdwarf (2.4-4.2 s on
 * a distro vmlinux).  Kept for units the fast pass cannot read and to check
 * the fast pass against (ss_dwarf_set_libdwarf_scan()).
 */
static struct ss_error *scan_slow(struct ss_dwarf *dw)
{
	while (!dw->scan_done) {
		uint64_t off = dw->scan_pos, next, die_off;
		unsigned ut;
		struct ss_error *err = unit_header(dw, off, &next, &ut,
						   &die_off);
		if (err) {
			dw->scan_done = true;
			dw->scan_error = strdup(err->message);
			return err;
		}
		dw->scan_pos = next;
		if (next >= dw->info_size)
			dw->scan_done = true;
		if (is_hint_unit(dw, off) ||
		    (ut != DW_UT_compile && ut != DW_UT_partial &&
		     ut != DW_UT_type))
			continue;
		err = index_unit(dw, off, false);
		if (err)
			return err;	/* not retried: the scan goes on next time */
		/*
		 * The index points into .debug_str, not into the unit (but for
		 * rare DW_FORM_string names, which simply fault back in).
		 */
		ss_dbg_release(dw->owner, dw->info + off, next - off);
	}
	return NULL;
}

static struct ss_error *scan_name_cb(void *arg, unsigned kind,
				     const char *name, uint64_t val)
{
	return idx_insert(arg, kind, name, val, false);
}

static struct ss_error *scan_unit_cb(void *arg, uint64_t off)
{
	struct ss_dwarf *dw = arg;
	struct ss_error *err = index_unit(dw, off, false);
	if (err) {
		/* The pass stops here; the next one starts after this unit. */
		uint64_t next, die_off;
		unsigned ut;
		struct ss_error *herr = unit_header(dw, off, &next, &ut,
						    &die_off);
		dw->scan_pos = herr ? dw->info_size : next;
		ss_error_destroy(herr);
	}
	return err;
}

static bool scan_skip_cb(void *arg, uint64_t off)
{
	return is_hint_unit(arg, off);
}

static void scan_release_cb(void *arg, const unsigned char *p, uint64_t len)
{
	struct ss_dwarf *dw = arg;
	ss_dbg_release(dw->owner, p, len);
}

/* What dwarf_scan.c reads: the sections, and the callbacks of a pass
 * over the units that are not hints. */
static void scan_input(struct ss_dwarf *dw, struct ss_dwarf_scan_input *in)
{
	*in = (struct ss_dwarf_scan_input){
		.path = dw->path,
		.msb = dw->msb,
		.info = dw->info,
		.info_size = dw->info_size,
		.arg = dw,
		.name = scan_name_cb,
		.unit = scan_unit_cb,
		.skip_unit = scan_skip_cb,
		.release = scan_release_cb,
	};
	for (size_t i = 1; i < dw->nsec; i++) {
		const char *n = dw->sec[i].name;
		const unsigned char **data = NULL;
		uint64_t *size = NULL;
		if (strcmp(n, ".debug_abbrev") == 0)
			data = &in->abbrev, size = &in->abbrev_size;
		else if (strcmp(n, ".debug_str") == 0)
			data = &in->str, size = &in->str_size;
		else if (strcmp(n, ".debug_line_str") == 0)
			data = &in->line_str, size = &in->line_str_size;
		else if (strcmp(n, ".debug_str_offsets") == 0)
			data = &in->str_offsets, size = &in->str_offsets_size;
		if (data) {
			*data = dw->sec[i].data;
			*size = dw->sec[i].size;
		}
	}
}

static struct ss_error *hint_name_cb(void *arg, unsigned kind, const char *name,
				     uint64_t val)
{
	return idx_insert(arg, kind, name, val, true);
}

static struct ss_error *hint_unit_cb(void *arg, uint64_t off)
{
	return index_unit(arg, off, true);
}

static bool hint_skip_cb(void *arg, uint64_t off)
{
	(void)arg, (void)off;
	return false;
}

/*
 * One hint unit, read by dwarf_scan.c as the other units are (libdwarf's
 * per-DIE reading took 30-60 ms for a unit such as kernel/module/main.c's:
 * as long as the rest of a command), libdwarf only for a unit it gives
 * back.  Its names win over the other units'.
 */
static struct ss_error *index_hint(struct ss_dwarf *dw, uint64_t off)
{
	if (dw->libdwarf_scan)
		return index_unit(dw, off, true);
	uint64_t next, die_off;
	unsigned ut;
	struct ss_error *err = unit_header(dw, off, &next, &ut, &die_off);
	if (err)
		return err;
	struct ss_dwarf_scan_input in;
	scan_input(dw, &in);
	in.name = hint_name_cb;
	in.unit = hint_unit_cb;
	in.skip_unit = hint_skip_cb;
	in.until = next;
	return ss_dwarf_scan(&in, off);
}

/*
 * One pass over all remaining units (dwarf_scan.c, ~0.1 s): afterwards the
 * index holds every name, so any miss is final.
 */
static struct ss_error *scan_fast(struct ss_dwarf *dw)
{
	struct ss_dwarf_scan_input in;
	scan_input(dw, &in);
	uint64_t from = dw->scan_pos;
	dw->scan_pos = dw->info_size;	/* scan_unit_cb() sets it on an error */
	struct ss_error *err = ss_dwarf_scan(&in, from);
	if (!err) {
		dw->scan_done = true;
		return NULL;
	}
	if (err->code == SS_ERR_NOMEM) {
		dw->scan_pos = from;	/* first wins: a rerun changes nothing */
	} else if (dw->scan_pos >= dw->info_size) {
		/* A corrupt unit header: nothing after it can be read. */
		dw->scan_done = true;
		dw->scan_error = strdup(err->message);
	}
	return err;
}

/*
 * Find kind/name: hint units first, then what earlier scans indexed, then
 * the units not visited yet.  *found = false if no unit defines it; else
 * *val is the DIE offset (or the enumerator's value).  A value, not an
 * entry: the table moves when it grows.
 */
static struct ss_error *lookup_scoped(struct ss_dwarf *dw, unsigned kind,
				      const char *name, uint64_t *val,
				      bool *found, bool hints_only);

static struct ss_error *lookup(struct ss_dwarf *dw, unsigned kind,
			       const char *name, uint64_t *val, bool *found)
{
	return lookup_scoped(dw, kind, name, val, found, false);
}

/* hints_only: not found in the hint units (or what is indexed already)
 * means not found, without a scan of every unit. */
static struct ss_error *lookup_scoped(struct ss_dwarf *dw, unsigned kind,
				      const char *name, uint64_t *val,
				      bool *found, bool hints_only)
{
	struct idx_entry *e;
	*found = false;
	for (size_t i = 0; i < dw->nhints; i++) {
		if (!dw->hints[i].indexed) {
			struct ss_error *err = index_hint(dw, dw->hints[i].off);
			if (err)
				return err;
			dw->hints[i].indexed = true;
		}
		e = idx_find(dw, kind, name);
		if (e && e->hint) {
			*val = e->val;
			*found = true;
			return NULL;
		}
	}
	e = idx_find(dw, kind, name);
	if (!e && !dw->scan_done && !hints_only) {
		struct ss_error *err = dw->libdwarf_scan ? scan_slow(dw)
							 : scan_fast(dw);
		if (err)
			return err;
		e = idx_find(dw, kind, name);
	}
	if (!e && dw->scan_error)
		return ss_error_create(SS_ERR_FORMAT, "%s", dw->scan_error);
	if (e) {
		*val = e->val;
		*found = true;
	}
	return NULL;
}

void ss_dwarf_set_libdwarf_scan(struct ss_dbg *dbg, bool on)
{
	dbg->dw->libdwarf_scan = on;
}

struct ss_error *ss_dwarf_index_digest(struct ss_dbg *dbg, size_t *count_ret,
				       uint64_t *digest_ret)
{
	struct ss_dwarf *dw = dbg->dw;
	uint64_t val;
	bool found;
	/* A name no unit has: the lookup visits every unit. */
	struct ss_error *err = lookup(dw, SS_TYPE_STRUCT, "\x01 no such type",
				      &val, &found);
	if (err)
		return err;
	size_t n = 0;
	uint64_t d = 0;
	for (size_t i = 0; i < dw->tab_cap; i++) {
		const struct idx_entry *e = &dw->tab[i];
		if (!e->name)
			continue;
		uint64_t h = e->hash * 0x9e3779b97f4a7c15ull;
		h ^= e->val + 0x632be59bd9b4e019ull + (h << 6) + (h >> 2);
		h *= 0xff51afd7ed558ccdull;
		d += h ^ (h >> 29);
		n++;
	}
	*count_ret = n;
	*digest_ret = d;
	return NULL;
}

static struct ss_error *lookup_required(struct ss_dwarf *dw, unsigned kind,
					const char *name, uint64_t *val)
{
	bool found;
	struct ss_error *err = lookup(dw, kind, name, val, &found);
	if (!err && !found)
		err = ss_error_create(SS_ERR_NOTFOUND,
				      "%s: %s %s not found in the debug info",
				      dw->path, kind_name(kind), name);
	return err;
}

/* ---- types ---- */

struct tinfo {
	enum ss_type_kind kind;
	Dwarf_Off off;		/* the stripped type's DIE */
	uint64_t size;
	uint64_t count;
	uint64_t elem_size;
	/* arrays */
	unsigned ndims;
	uint64_t dims[MAX_DIMS];
	bool has_elem;
	Dwarf_Off elem_off;
};

static struct ss_error *resolve(struct ss_dwarf *dw, Dwarf_Off off,
				bool has, unsigned dim, bool need_elem,
				struct tinfo *ti, int depth);

struct dims_arg {
	struct tinfo *ti;
};

static struct ss_error *collect_dim(struct ss_dwarf *dw, Dwarf_Die die,
				    void *arg, bool *stop)
{
	struct tinfo *ti = ((struct dims_arg *)arg)->ti;
	Dwarf_Half tag;
	(void)stop;
	struct ss_error *err = die_tag(dw, die, &tag);
	if (err || (tag != DW_TAG_subrange_type &&
		    tag != DW_TAG_enumeration_type))
		return err;
	if (ti->ndims >= MAX_DIMS)
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: array with more than %d dimensions",
				       dw->path, MAX_DIMS);
	uint64_t count = 0;
	int64_t v, lo = 0;
	bool present;
	err = attr_const(dw, die, DW_AT_count, &v, &present);
	if (err)
		return err;
	if (present) {
		count = v > 0 ? (uint64_t)v : 0;
	} else {
		err = attr_const(dw, die, DW_AT_upper_bound, &v, &present);
		if (err)
			return err;
		if (present) {
			bool lo_present;
			err = attr_const(dw, die, DW_AT_lower_bound, &lo,
					 &lo_present);
			if (err)
				return err;
			if (!lo_present)
				lo = 0;
			/* [0] arrays: upper bound -1 (or 2^64-1). */
			count = v >= lo ? (uint64_t)(v - lo) + 1 : 0;
		}
	}
	ti->dims[ti->ndims++] = count;
	return NULL;
}

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	if (a && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

static struct ss_error *byte_size(struct ss_dwarf *dw, Dwarf_Die die,
				  uint64_t *size, bool *present)
{
	int64_t v;
	struct ss_error *err = attr_const(dw, die, DW_AT_byte_size, &v,
					  present);
	*size = !err && *present ? (uint64_t)v : 0;
	return err;
}

static struct ss_error *resolve_die(struct ss_dwarf *dw, Dwarf_Die die,
				    Dwarf_Half tag, unsigned dim,
				    bool need_elem, struct tinfo *ti,
				    int depth)
{
	struct ss_error *err;
	bool present, has;
	Dwarf_Off t;

	switch (tag) {
	case DW_TAG_base_type:
		ti->kind = SS_TYPE_BASE;
		return byte_size(dw, die, &ti->size, &present);
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
	case DW_TAG_enumeration_type:
		ti->kind = tag == DW_TAG_union_type ? SS_TYPE_UNION
			   : tag == DW_TAG_enumeration_type ? SS_TYPE_ENUM
			   : SS_TYPE_STRUCT;
		return byte_size(dw, die, &ti->size, &present);
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		ti->kind = SS_TYPE_POINTER;
		err = byte_size(dw, die, &ti->size, &present);
		if (err)
			return err;
		if (!present) {
			Dwarf_Half as = 0;
			Dwarf_Error e = NULL;
			int res = dwarf_get_die_address_size(die, &as, &e);
			if (res == DW_DLV_ERROR)
				dwarf_dealloc(dw->dbg, e, DW_DLA_ERROR);
			ti->size = res == DW_DLV_OK && as ? as : 8;
		}
		if (!need_elem)
			return NULL;
		err = type_of(dw, die, &t, &has);
		if (err || !has)
			return err;
		struct tinfo pt;
		err = resolve(dw, t, true, 0, false, &pt, depth + 1);
		if (!err)
			ti->elem_size = pt.size;
		return err;
	case DW_TAG_array_type: {
		ti->kind = SS_TYPE_ARRAY;
		struct dims_arg da = { .ti = ti };
		err = for_each_child(dw, die, collect_dim, &da);
		if (err)
			return err;
		err = type_of(dw, die, &ti->elem_off, &ti->has_elem);
		if (err)
			return err;
		struct tinfo et;
		err = resolve(dw, ti->elem_off, ti->has_elem, 0, false, &et,
			      depth + 1);
		if (err)
			return err;
		if (ti->ndims == 0)	/* no subrange at all: unknown bound */
			ti->dims[ti->ndims++] = 0;
		if (dim >= ti->ndims)
			return ss_error_create(SS_ERR_INVALID,
					       "%s: array has only %u dimensions",
					       dw->path, ti->ndims);
		uint64_t esz = et.size;
		for (unsigned i = dim + 1; i < ti->ndims; i++)
			esz = mul_sat(esz, ti->dims[i]);
		ti->count = ti->dims[dim];
		ti->elem_size = esz;
		ti->size = mul_sat(ti->count, esz);
		if (dim == 0) {
			uint64_t bs;
			err = byte_size(dw, die, &bs, &present);
			if (err)
				return err;
			if (present)
				ti->size = bs;
		}
		return NULL;
	}
	default:
		/* subroutine types and anything exotic */
		ti->kind = SS_TYPE_OTHER;
		return byte_size(dw, die, &ti->size, &present);
	}
}

/*
 * Describe the type at off after stripping typedefs and qualifiers, with a
 * declaration-only struct/union/enum replaced by its definition where one
 * exists.  For arrays, dim selects the dimension (after indexing).
 * need_elem: also work out the pointee size of a pointer.
 */
static struct ss_error *resolve(struct ss_dwarf *dw, Dwarf_Off off,
				bool has, unsigned dim, bool need_elem,
				struct tinfo *ti, int depth)
{
	memset(ti, 0, sizeof(*ti));
	ti->kind = SS_TYPE_OTHER;
	if (!has)
		return NULL;	/* void */
	if (depth > MAX_TYPE_DEPTH)
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: type chain too deep at .debug_info offset %#" PRIx64,
				       dw->path, (uint64_t)off);

	struct ss_error *err;
	Dwarf_Die die = NULL;
	Dwarf_Half tag;
	bool looked_up = false;
	for (int i = 0;; i++) {
		if (i > MAX_TYPE_DEPTH) {
			err = ss_error_create(SS_ERR_FORMAT,
					      "%s: typedef chain too long at .debug_info offset %#" PRIx64,
					      dw->path, (uint64_t)off);
			goto out;
		}
		err = die_at(dw, off, &die);
		if (err)
			goto out;
		err = die_tag(dw, die, &tag);
		if (err)
			goto out;
		if (tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
		    tag == DW_TAG_volatile_type ||
		    tag == DW_TAG_restrict_type ||
		    tag == DW_TAG_atomic_type ||
		    tag == DW_TAG_immutable_type) {
			err = type_of(dw, die, &off, &has);
			if (err || !has)
				goto out;	/* const void */
			die_free(dw, die);
			die = NULL;
			continue;
		}
		if (tag == DW_TAG_structure_type ||
		    tag == DW_TAG_union_type ||
		    tag == DW_TAG_enumeration_type ||
		    tag == DW_TAG_class_type) {
			/* A stub standing for a type in a type unit. */
			Dwarf_Off sig_off;
			bool sig;
			err = ref_of(dw, die, DW_AT_signature, &sig_off, &sig);
			if (err)
				goto out;
			if (sig) {
				off = sig_off;
				die_free(dw, die);
				die = NULL;
				continue;
			}
		}
		if (!looked_up && (tag == DW_TAG_structure_type ||
				   tag == DW_TAG_union_type ||
				   tag == DW_TAG_enumeration_type)) {
			bool decl = false;
			const char *name;
			err = die_has(dw, die, DW_AT_declaration, &decl);
			if (!err && decl)
				err = die_name(dw, die, &name);
			if (err)
				goto out;
			if (decl && name) {
				unsigned kind = tag == DW_TAG_union_type
					? SS_TYPE_UNION
					: tag == DW_TAG_enumeration_type
					? SS_TYPE_ENUM : SS_TYPE_STRUCT;
				uint64_t def;
				bool found;
				looked_up = true;
				err = lookup(dw, kind, name, &def, &found);
				if (err)
					goto out;
				if (found) {
					off = def;
					die_free(dw, die);
					die = NULL;
					continue;
				}
			}
		}
		break;
	}
	ti->off = off;
	err = resolve_die(dw, die, tag, dim, need_elem, ti, depth);
out:
	die_free(dw, die);
	return err;
}

/* ---- members ---- */

struct member_found {
	uint64_t bit_off;	/* from the start of the searched type */
	uint32_t bit_size;
	Dwarf_Off type_off;
	bool has_type;
};

static struct ss_error *member_location(struct ss_dwarf *dw, Dwarf_Die die,
					struct member_found *mf)
{
	struct ss_error *err;
	Dwarf_Attribute attr;
	Dwarf_Error e = NULL;
	uint64_t byte_loc = 0;
	int64_t v;
	bool present;

	int res = dwarf_attr(die, DW_AT_data_member_location, &attr, &e);
	if (res == DW_DLV_ERROR)
		return dw_error(dw, e, SS_ERR_FORMAT,
				"reading DW_AT_data_member_location");
	if (res == DW_DLV_OK) {
		Dwarf_Half form = 0;
		Dwarf_Unsigned len = 0;
		Dwarf_Ptr expr = NULL;
		Dwarf_Block *block = NULL;
		res = dwarf_whatform(attr, &form, &e);
		if (res == DW_DLV_OK) {
			switch (form) {
			case DW_FORM_exprloc:
				res = dwarf_formexprloc(attr, &len, &expr, &e);
				break;
			case DW_FORM_block1:
			case DW_FORM_block2:
			case DW_FORM_block4:
			case DW_FORM_block:
				res = dwarf_formblock(attr, &block, &e);
				if (res == DW_DLV_OK) {
					len = block->bl_len;
					expr = block->bl_data;
				}
				break;
			default:
				break;
			}
		}
		dwarf_dealloc(dw->dbg, attr, DW_DLA_ATTR);
		if (res == DW_DLV_ERROR) {
			if (block)
				dwarf_dealloc(dw->dbg, block, DW_DLA_BLOCK);
			return dw_error(dw, e, SS_ERR_FORMAT,
					"reading DW_AT_data_member_location");
		}
		if (expr) {
			/* DW_OP_plus_uconst N, the only form compilers use. */
			const unsigned char *p = expr;
			bool ok = len >= 2 && p[0] == DW_OP_plus_uconst;
			uint64_t u = 0;
			unsigned shift = 0;
			Dwarf_Unsigned i;
			for (i = 1; ok && i < len; i++) {
				if (shift < 64)
					u |= (uint64_t)(p[i] & 0x7f) << shift;
				shift += 7;
				if (!(p[i] & 0x80))
					break;
			}
			ok = ok && i == len - 1;
			if (block)
				dwarf_dealloc(dw->dbg, block, DW_DLA_BLOCK);
			if (!ok)
				return ss_error_create(SS_ERR_FORMAT,
						       "%s: unsupported DW_AT_data_member_location expression",
						       dw->path);
			byte_loc = u;
		} else {
			err = attr_const(dw, die, DW_AT_data_member_location,
					 &v, &present);
			if (err)
				return err;
			if (present)
				byte_loc = (uint64_t)v;
		}
	}

	err = attr_const(dw, die, DW_AT_bit_size, &v, &present);
	if (err)
		return err;
	mf->bit_size = present ? (uint32_t)v : 0;

	err = attr_const(dw, die, DW_AT_data_bit_offset, &v, &present);
	if (err)
		return err;
	if (present) {
		mf->bit_off = (uint64_t)v;
		return NULL;
	}
	mf->bit_off = byte_loc * 8;
	err = attr_const(dw, die, DW_AT_bit_offset, &v, &present);
	if (err || !present || !mf->bit_size)
		return err;
	/*
	 * DWARF 2/3 bitfield: DW_AT_bit_offset counts from the most
	 * significant bit of a storage unit of DW_AT_byte_size bytes.
	 */
	uint64_t unit;
	bool unit_present;
	err = byte_size(dw, die, &unit, &unit_present);
	if (err)
		return err;
	if (!unit_present) {
		struct tinfo ti;
		err = resolve(dw, mf->type_off, mf->has_type, 0, false, &ti,
			      0);
		if (err)
			return err;
		unit = ti.size;
	}
	if (dw->msb)
		mf->bit_off += (uint64_t)v;
	else
		mf->bit_off += unit * 8 - (uint64_t)v - mf->bit_size;
	return NULL;
}

struct find_arg {
	const char *name;
	size_t len;
	struct member_found *mf;
	bool found;
	int depth;
	/* Members visited, shared by the recursion: corrupt DWARF can make
	 * anonymous members refer back to their own struct. */
	unsigned long *budget;
};

#define MEMBER_BUDGET 1000000ul

static struct ss_error *find_member(struct ss_dwarf *dw, Dwarf_Off type_off,
				    struct find_arg *fa);

static struct ss_error *find_member_cb(struct ss_dwarf *dw, Dwarf_Die die,
				       void *arg, bool *stop)
{
	struct find_arg *fa = arg;
	Dwarf_Half tag;
	const char *name;
	if (++*fa->budget > MEMBER_BUDGET)
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: corrupt DWARF: too many members visited looking for '%.*s'",
				       dw->path, (int)fa->len, fa->name);
	struct ss_error *err = die_tag(dw, die, &tag);
	if (err || tag != DW_TAG_member)
		return err;
	err = die_name(dw, die, &name);
	if (err)
		return err;
	if (name && (strlen(name) != fa->len ||
		     memcmp(name, fa->name, fa->len) != 0))
		return NULL;

	struct member_found mf = { 0 };
	err = type_of(dw, die, &mf.type_off, &mf.has_type);
	if (err)
		return err;
	err = member_location(dw, die, &mf);
	if (err)
		return err;
	if (name) {
		*fa->mf = mf;
		fa->found = *stop = true;
		return NULL;
	}
	/* Anonymous struct or union member: look inside. */
	struct tinfo ti;
	err = resolve(dw, mf.type_off, mf.has_type, 0, false, &ti, 0);
	if (err)
		return err;
	if (ti.kind != SS_TYPE_STRUCT && ti.kind != SS_TYPE_UNION)
		return NULL;
	if (fa->depth >= MAX_ANON_DEPTH)
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: anonymous members nested too deep",
				       dw->path);
	struct find_arg inner = {
		.name = fa->name, .len = fa->len, .mf = fa->mf,
		.depth = fa->depth + 1, .budget = fa->budget,
	};
	err = find_member(dw, ti.off, &inner);
	if (err || !inner.found)
		return err;
	fa->mf->bit_off += mf.bit_off;
	fa->found = *stop = true;
	return NULL;
}

static struct ss_error *find_member(struct ss_dwarf *dw, Dwarf_Off type_off,
				    struct find_arg *fa)
{
	Dwarf_Die die;
	struct ss_error *err = die_at(dw, type_off, &die);
	if (err)
		return err;
	err = for_each_child(dw, die, find_member_cb, fa);
	die_free(dw, die);
	return err;
}

/* ---- public API ---- */

struct ss_error *ss_dwarf_open(struct ss_dbg *d)
{
	struct ss_dwarf *dw = calloc(1, sizeof(*dw));
	if (!dw)
		return &ss_error_nomem;
	d->dw = dw;
	dw->owner = d;
	dw->path = d->path;
	dw->msb = d->big_endian;
	dw->ptr_size = d->is_64 ? 8 : 4;

	struct ss_error *err;
	dw->sec[0].name = "";
	dw->nsec = 1;
	for (size_t i = 0; i < NEXPOSED; i++) {
		const unsigned char *data;
		uint64_t size;
		err = ss_dbg_debug_section(d, exposed_names[i], &data, &size);
		if (err)
			return err;
		if (i == 0) {
			dw->info = data;
			dw->info_size = size;
		}
		if (!data)
			continue;
		dw->sec[dw->nsec].name = exposed_names[i];
		dw->sec[dw->nsec].data = data;
		dw->sec[dw->nsec].size = size;
		dw->nsec++;
	}
	if (!dw->info)
		return ss_error_create(SS_ERR_NODEBUG,
				       "%s: no DWARF debug info (.debug_info missing): use the -dbg package's vmlinux",
				       d->path);
	bool have_abbrev = false;
	for (size_t i = 1; i < dw->nsec; i++)
		if (strcmp(dw->sec[i].name, ".debug_abbrev") == 0)
			have_abbrev = true;
	if (!have_abbrev)
		return ss_error_create(SS_ERR_NODEBUG,
				       "%s: no usable DWARF debug info (.debug_abbrev missing)",
				       d->path);
	err = ss_dbg_debug_section(d, ".debug_aranges", &dw->aranges,
				   &dw->aranges_size);
	if (err)
		return err;

	/* Check the first unit before libdwarf sees anything. */
	uint64_t next, die_off;
	unsigned ut;
	err = unit_header(dw, 0, &next, &ut, &die_off);
	if (err)
		return ss_error_prepend(err, "no usable DWARF debug info");

	/*
	 * libdwarf's bookkeeping of every allocation (a tsearch tree, so
	 * that dwarf_finish() can free what callers forgot) costs ~40% of a
	 * full scan; we free every DIE and attribute we get.  This sets a
	 * libdwarf-wide default; slabscope has no other libdwarf user.
	 */
	dwarf_set_de_alloc_flag(0);
	dw->iface.object = dw;
	dw->iface.methods = &om_methods;
	Dwarf_Error e = NULL;
	int res = dwarf_object_init_b(&dw->iface, NULL, NULL,
				      DW_GROUPNUMBER_ANY, &dw->dbg, &e);
	if (res != DW_DLV_OK) {
		dw->dbg = NULL;
		if (res == DW_DLV_NO_ENTRY)
			return ss_error_create(SS_ERR_NODEBUG,
					       "%s: no DWARF debug info",
					       d->path);
		err = ss_error_create(SS_ERR_NODEBUG,
				      "%s: unusable DWARF debug info: %s",
				      d->path,
				      e ? dwarf_errmsg(e) : "libdwarf error");
		if (e)
			dwarf_dealloc(NULL, e, DW_DLA_ERROR);
		return err;
	}
	return NULL;
}

void ss_dwarf_close(struct ss_dbg *d)
{
	struct ss_dwarf *dw = d->dw;
	if (!dw)
		return;
	if (dw->dbg) {
		Dwarf_Error e = NULL;
		if (dwarf_object_finish(dw->dbg, &e) == DW_DLV_ERROR && e)
			dwarf_dealloc(NULL, e, DW_DLA_ERROR);
	}
	free(dw->tab);
	free(dw->hints);
	free(dw->scan_error);
	free(dw);
	d->dw = NULL;
}

/* The unit whose .debug_aranges set covers addr. */
static struct ss_error *aranges_unit(struct ss_dwarf *dw, uint64_t addr,
				     uint64_t *unit_ret, bool *found)
{
	const unsigned char *a = dw->aranges;
	uint64_t size = dw->aranges_size, pos = 0;
	*found = false;
	while (pos < size) {
		uint64_t avail = size - pos, len, hdr = 4;
		unsigned offsz = 4;
		if (avail < 4)
			goto bad;
		len = rd(a + pos, 4, dw->msb);
		if (len == 0xffffffffu) {
			if (avail < 12)
				goto bad;
			len = rd(a + pos + 4, 8, dw->msb);
			hdr = 12;
			offsz = 8;
		} else if (len >= 0xfffffff0u) {
			goto bad;
		}
		if (len > avail - hdr)
			goto bad;
		uint64_t end = pos + hdr + len;
		uint64_t p = pos + hdr;
		if (end - p < 2u + offsz + 2u)
			goto bad;
		p += 2;	/* version */
		uint64_t unit = rd(a + p, offsz, dw->msb);
		p += offsz;
		unsigned asz = a[p], segsz = a[p + 1];
		p += 2;
		if (asz != 2 && asz != 4 && asz != 8)
			goto bad;
		/* Tuples are aligned to twice the address size. */
		uint64_t tuple = segsz + 2u * asz;
		uint64_t rel = p - pos;
		if (rel % (2u * asz))
			p += 2u * asz - rel % (2u * asz);
		for (; p <= end && end - p >= tuple; p += tuple) {
			uint64_t start = rd(a + p + segsz, asz, dw->msb);
			uint64_t length = rd(a + p + segsz + asz, asz,
					     dw->msb);
			if (!start && !length)
				break;
			if (addr >= start && addr - start < length) {
				if (unit >= dw->info_size)
					goto bad;
				*unit_ret = unit;
				*found = true;
				return NULL;
			}
		}
		pos = end;
	}
	return NULL;
bad:
	return ss_error_create(SS_ERR_FORMAT,
			       "%s: corrupt .debug_aranges at offset %#" PRIx64,
			       dw->path, pos);
}

void *ss_dwarf_libdwarf(struct ss_dbg *dbg)
{
	return dbg->dw ? dbg->dw->dbg : NULL;
}

struct ss_error *ss_dwarf_unit_of_addr(struct ss_dbg *dbg, uint64_t addr,
				       uint64_t *unit_ret, bool *found)
{
	*found = false;
	if (!dbg->dw || !dbg->dw->aranges)
		return NULL;
	return aranges_unit(dbg->dw, addr, unit_ret, found);
}

struct ss_error *ss_dwarf_unit(struct ss_dbg *dbg, uint64_t unit_off,
			       uint64_t *next_ret, uint64_t *die_off_ret)
{
	unsigned ut;
	if (!dbg->dw || unit_off >= dbg->dw->info_size)
		return ss_error_create(
			SS_ERR_NOTFOUND,
			"%s: no unit at .debug_info offset %#" PRIx64,
			dbg->path, unit_off);
	return unit_header(dbg->dw, unit_off, next_ret, &ut, die_off_ret);
}

uint64_t ss_dwarf_info_size(struct ss_dbg *dbg)
{
	return dbg->dw ? dbg->dw->info_size : 0;
}

/* A module opened without DWARF has no types. */
static struct ss_error *no_dwarf(const struct ss_dbg *dbg)
{
	return ss_error_create(SS_ERR_NODEBUG, "%s: no DWARF debug info",
			       dbg->path);
}

struct ss_error *ss_dbg_add_hint_symbol(struct ss_dbg *dbg, const char *name)
{
	if (!dbg || !name)
		return ss_error_create(SS_ERR_INVALID,
				       "ss_dbg_add_hint_symbol: NULL argument");
	if (!ss_dbg_need_dwarf(dbg))
		return no_dwarf(dbg);
	struct ss_dwarf *dw = dbg->dw;
	struct ss_error *err;
	const struct ss_dbg_sym *sym = ss_dbg_find_sym(dbg, name, &err);
	if (err)
		return err;
	if (!sym)
		return ss_error_create(SS_ERR_NOTFOUND,
				       "%s: hint symbol %s not in the symbol table",
				       dbg->path, name);
	uint64_t unit;
	bool found;
	err = aranges_unit(dw, sym->value, &unit, &found);
	if (err)
		return err;
	if (!found)
		return ss_error_create(SS_ERR_NOTFOUND,
				       "%s: hint symbol %s (%#" PRIx64 ") is not a code address covered by .debug_aranges",
				       dbg->path, name, sym->value);
	if (is_hint_unit(dw, unit))
		return NULL;
	uint64_t next, die_off;
	unsigned ut;
	err = unit_header(dw, unit, &next, &ut, &die_off);
	if (err)
		return ss_error_prepend(err, "hint symbol %s", name);
	if (dw->nhints == dw->hints_cap) {
		size_t cap = dw->hints_cap ? 2 * dw->hints_cap : 4;
		struct hint_cu *h = realloc(dw->hints, cap * sizeof(*h));
		if (!h)
			return &ss_error_nomem;
		dw->hints = h;
		dw->hints_cap = cap;
	}
	dw->hints[dw->nhints].off = unit;
	dw->hints[dw->nhints].indexed = false;
	dw->nhints++;
	return NULL;
}

static bool type_kind_ok(enum ss_type_kind kind)
{
	return kind == SS_TYPE_STRUCT || kind == SS_TYPE_UNION ||
	       kind == SS_TYPE_ENUM || kind == SS_TYPE_TYPEDEF ||
	       kind == SS_TYPE_BASE;
}

struct ss_error *ss_dbg_type_size(struct ss_dbg *dbg, enum ss_type_kind kind,
				  const char *name, uint64_t *size_ret)
{
	if (!dbg || !name || !size_ret)
		return ss_error_create(SS_ERR_INVALID,
				       "ss_dbg_type_size: NULL argument");
	if (!type_kind_ok(kind))
		return ss_error_create(SS_ERR_INVALID,
				       "ss_dbg_type_size: %s: kind %d cannot be looked up by name",
				       name, (int)kind);
	if (!ss_dbg_need_dwarf(dbg))
		return no_dwarf(dbg);
	struct ss_dwarf *dw = dbg->dw;
	uint64_t off;
	struct ss_error *err = lookup_required(dw, kind, name, &off);
	if (err)
		return err;
	struct tinfo ti;
	err = resolve(dw, off, true, 0, false, &ti, 0);
	if (err)
		return err;
	*size_ret = ti.size;
	return NULL;
}

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '$';
}

/* name{[N]}{.name{[N]}}, N decimal or 0x hex. */
static bool path_ok(const char *p)
{
	for (;;) {
		const char *start = p;
		while (is_ident(*p))
			p++;
		if (p == start)
			return false;
		while (*p == '[') {
			char *end;
			p++;
			if (*p < '0' || *p > '9')
				return false;
			errno = 0;
			(void)strtoull(p, &end, 0);
			if (errno || *end != ']')
				return false;
			p = end + 1;
		}
		if (*p == '\0')
			return true;
		if (*p++ != '.')
			return false;
	}
}

struct ss_error *ss_dbg_member(struct ss_dbg *dbg, enum ss_type_kind kind,
			       const char *type_name, const char *path,
			       struct ss_member *ret)
{
	if (!dbg || !type_name || !path || !ret)
		return ss_error_create(SS_ERR_INVALID,
				       "ss_dbg_member: NULL argument");
	if (kind != SS_TYPE_STRUCT && kind != SS_TYPE_UNION &&
	    kind != SS_TYPE_TYPEDEF)
		return ss_error_create(SS_ERR_INVALID,
				       "ss_dbg_member: %s: members need a struct, union or typedef",
				       type_name);
	if (!ss_dbg_need_dwarf(dbg))
		return no_dwarf(dbg);
	struct ss_dwarf *dw = dbg->dw;
	const char *kn = kind_name(kind);
	if (!path_ok(path))
		return ss_error_create(SS_ERR_INVALID,
				       "%s: bad member path '%s' for %s %s",
				       dw->path, path, kn, type_name);
	uint64_t type_off;
	struct ss_error *err = lookup_required(dw, kind, type_name, &type_off);
	if (err)
		return err;

	Dwarf_Off cur = type_off;
	bool has = true;
	unsigned dim = 0;
	uint64_t bits = 0;
	uint32_t bit_size = 0;
	const char *p = path;
	struct tinfo ti;

	for (;;) {
		const char *comp = p;
		while (is_ident(*p))
			p++;
		size_t len = (size_t)(p - comp);
		if (len == 0)
			return ss_error_create(SS_ERR_INVALID,
					       "%s: bad member path '%s' for %s %s",
					       dw->path, path, kn, type_name);
		err = resolve(dw, cur, has, dim, false, &ti, 0);
		if (err)
			return err;
		if (comp == path &&
		    ti.kind != SS_TYPE_STRUCT && ti.kind != SS_TYPE_UNION)
			return ss_error_create(SS_ERR_NOTFOUND,
					       "%s: %s %s is not a struct or union, so it has no member '%.*s'",
					       dw->path, kn, type_name,
					       (int)len, comp);
		if ((ti.kind != SS_TYPE_STRUCT && ti.kind != SS_TYPE_UNION) ||
		    dim != 0)
			return ss_error_create(SS_ERR_NOTFOUND,
					       "%s: %s %s: '%.*s' is not a struct or union, so it has no member '%.*s'",
					       dw->path, kn, type_name,
					       (int)(comp - path - 1), path,
					       (int)len, comp);
		struct member_found mf;
		unsigned long budget = 0;
		struct find_arg fa = {
			.name = comp, .len = len, .mf = &mf,
			.budget = &budget,
		};
		err = find_member(dw, ti.off, &fa);
		if (err)
			return err;
		if (!fa.found) {
			if (comp == path)
				return ss_error_create(SS_ERR_NOTFOUND,
						       "%s: %s %s has no member '%.*s'",
						       dw->path, kn, type_name,
						       (int)len, comp);
			return ss_error_create(SS_ERR_NOTFOUND,
					       "%s: %s %s: '%.*s' has no member '%.*s'",
					       dw->path, kn, type_name,
					       (int)(comp - path - 1), path,
					       (int)len, comp);
		}
		bits += mf.bit_off;
		bit_size = mf.bit_size;
		cur = mf.type_off;
		has = mf.has_type;
		dim = 0;

		while (*p == '[') {
			char *end;
			const char *num = ++p;
			if (*num < '0' || *num > '9')
				goto bad_path;
			unsigned long long idx = strtoull(num, &end, 0);
			if (*end != ']')
				goto bad_path;
			p = end + 1;
			err = resolve(dw, cur, has, dim, false, &ti, 0);
			if (err)
				return err;
			if (ti.kind != SS_TYPE_ARRAY)
				return ss_error_create(SS_ERR_INVALID,
						       "%s: %s %s: '%.*s' is not an array",
						       dw->path, kn, type_name,
						       (int)(num - 1 - path),
						       path);
			if (ti.count && idx >= ti.count)
				return ss_error_create(SS_ERR_INVALID,
						       "%s: %s %s: index in '%.*s' out of bounds (%" PRIu64 " elements)",
						       dw->path, kn, type_name,
						       (int)(p - path), path,
						       ti.count);
			bits += mul_sat(mul_sat(idx, ti.elem_size), 8);
			bit_size = 0;
			if (++dim >= ti.ndims) {
				cur = ti.elem_off;
				has = ti.has_elem;
				dim = 0;
			}
		}
		if (*p == '\0')
			break;
		if (*p != '.')
			goto bad_path;
		p++;
	}

	err = resolve(dw, cur, has, dim, true, &ti, 0);
	if (err)
		return err;
	memset(ret, 0, sizeof(*ret));
	ret->offset = bits / 8;
	ret->bit_offset = bits;
	ret->bit_size = bit_size;
	ret->size = ti.size;
	ret->kind = ti.kind;
	ret->count = ti.kind == SS_TYPE_ARRAY ? ti.count : 0;
	ret->elem_size = ti.elem_size;
	return NULL;

bad_path:
	return ss_error_create(SS_ERR_INVALID,
			       "%s: bad member path '%s' for %s %s",
			       dw->path, path, kn, type_name);
}

bool ss_dbg_has_member(struct ss_dbg *dbg, enum ss_type_kind kind,
		       const char *type_name, const char *path)
{
	struct ss_member m;
	struct ss_error *err = ss_dbg_member(dbg, kind, type_name, path, &m);
	ss_error_destroy(err);
	return err == NULL;
}

struct ss_error *ss_dbg_enumerator_near(struct ss_dbg *dbg, const char *name,
					int64_t *value_ret, bool *found)
{
	if (!dbg || !name || !value_ret || !found)
		return ss_error_create(SS_ERR_INVALID,
				       "ss_dbg_enumerator_near: NULL argument");
	if (!ss_dbg_need_dwarf(dbg))
		return no_dwarf(dbg);
	uint64_t val;
	struct ss_error *err =
		lookup_scoped(dbg->dw, KIND_ENUMERATOR, name, &val, found, true);
	if (!err && *found)
		*value_ret = (int64_t)val;
	return err;
}

bool ss_dbg_has_type_near(struct ss_dbg *dbg, enum ss_type_kind kind,
			  const char *name)
{
	if (!dbg || !name || !ss_dbg_need_dwarf(dbg))
		return false;
	uint64_t off;
	bool found = false;
	struct ss_error *err = lookup_scoped(dbg->dw, (unsigned)kind, name,
					     &off, &found, true);
	ss_error_destroy(err);
	return !err && found;
}

struct ss_error *ss_dbg_enumerator(struct ss_dbg *dbg, const char *name,
				   int64_t *value_ret)
{
	if (!dbg || !name || !value_ret)
		return ss_error_create(SS_ERR_INVALID,
				       "ss_dbg_enumerator: NULL argument");
	if (!ss_dbg_need_dwarf(dbg))
		return no_dwarf(dbg);
	uint64_t val;
	struct ss_error *err = lookup_required(dbg->dw, KIND_ENUMERATOR, name,
					       &val);
	if (err)
		return err;
	*value_ret = (int64_t)val;
	return NULL;
}

struct ss_library_version ss_dbg_dwarf_version(void)
{
	return (struct ss_library_version){ "libdwarf", dwarf_package_version(),
					    false };
}
