/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One fast pass over the top-level DIEs of .debug_info, without libdwarf:
 * the names of every type definition and enumerator, for the name index of
 * dwarf_types.c.  See ss_dwarf_scan() in dbg_priv.h.
 *
 * Why not libdwarf: its per-DIE API (a DIE and an attribute allocated and
 * freed per call) takes 2.4-4.2 s for the ~10 million top-level DIEs of a
 * distro vmlinux; this reader decodes the abbreviations once per unit,
 * jumps over subtrees with DW_AT_sibling and hands each name to the index
 * only the first time it is seen (a bitmap over .debug_str offsets: the
 * linker merges equal strings, so one name is one offset).
 *
 * Anything it does not understand (an unknown form, a bad abbreviation
 * code, a type unit) makes it give the unit back to the caller, who reads
 * it with libdwarf: that path reports corrupt DWARF with its own messages.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dbg_priv.h"
#include "../util/hugemem.h"

/* DWARF constants (DWARF 5 standard, section 7), the few used here. */
enum {
	TAG_enumeration_type = 0x04,
	TAG_structure_type = 0x13,
	TAG_typedef = 0x16,
	TAG_union_type = 0x17,
	TAG_base_type = 0x24,
	TAG_enumerator = 0x28,

	AT_sibling = 0x01,
	AT_name = 0x03,
	AT_const_value = 0x1c,
	AT_declaration = 0x3c,
	AT_str_offsets_base = 0x72,

	UT_compile = 0x01,
	UT_type = 0x02,
	UT_partial = 0x03,
};

enum {
	FORM_addr = 0x01, FORM_block2 = 0x03, FORM_block4 = 0x04,
	FORM_data2 = 0x05, FORM_data4 = 0x06, FORM_data8 = 0x07,
	FORM_string = 0x08, FORM_block = 0x09, FORM_block1 = 0x0a,
	FORM_data1 = 0x0b, FORM_flag = 0x0c, FORM_sdata = 0x0d,
	FORM_strp = 0x0e, FORM_udata = 0x0f, FORM_ref_addr = 0x10,
	FORM_ref1 = 0x11, FORM_ref2 = 0x12, FORM_ref4 = 0x13,
	FORM_ref8 = 0x14, FORM_ref_udata = 0x15, FORM_indirect = 0x16,
	FORM_sec_offset = 0x17, FORM_exprloc = 0x18,
	FORM_flag_present = 0x19, FORM_strx = 0x1a, FORM_addrx = 0x1b,
	FORM_ref_sup4 = 0x1c, FORM_strp_sup = 0x1d, FORM_data16 = 0x1e,
	FORM_line_strp = 0x1f, FORM_ref_sig8 = 0x20,
	FORM_implicit_const = 0x21, FORM_loclistx = 0x22,
	FORM_rnglistx = 0x23, FORM_ref_sup8 = 0x24, FORM_strx1 = 0x25,
	FORM_strx2 = 0x26, FORM_strx3 = 0x27, FORM_strx4 = 0x28,
	FORM_addrx1 = 0x29, FORM_addrx2 = 0x2a, FORM_addrx3 = 0x2b,
	FORM_addrx4 = 0x2c,
	FORM_GNU_addr_index = 0x1f01, FORM_GNU_str_index = 0x1f02,
	FORM_GNU_ref_alt = 0x1f20, FORM_GNU_strp_alt = 0x1f21,
};

/* Codes above this are not indexed directly; such a unit falls back. */
#define MAX_ABBREV_CODE 65536u
/* Nesting depth of children followed without DW_AT_sibling. */
#define MAX_DEPTH 512
/* Release .debug_info pages to the page cache in chunks of this size. */
#define RELEASE_CHUNK (8u << 20)

struct attr_spec {
	uint16_t at;
	uint16_t form;
	int64_t implicit;	/* DW_FORM_implicit_const */
};

struct abbrev {
	uint16_t tag;
	bool children;
	bool used;
	uint32_t first;		/* index into specs */
	uint32_t nattrs;
	/*
	 * For the unit's sizes (struct abbrevs): the DIE's size if all its
	 * forms have a fixed size, else -1; the position of DW_AT_sibling
	 * if the attributes before it have fixed sizes, else -1.
	 */
	int32_t fixed;
	int32_t sib_pos;
	/*
	 * If fixed >= 0: where DW_AT_name, DW_AT_declaration and
	 * DW_AT_const_value are (-1: absent), so that a type's or an
	 * enumerator's values are read without going through every
	 * attribute.
	 */
	int32_t name_pos, decl_pos, const_pos;
	uint16_t name_form, decl_form, const_form, sib_form;
	int8_t name_size, decl_size, const_size, sib_size;
	int64_t decl_implicit, const_implicit;
	bool fast;		/* fixed >= 0 and no value wider than 8 */
	int8_t kind;		/* tag_kind(tag) */
};

struct abbrevs {
	uint64_t off;		/* of the table in .debug_abbrev */
	bool loaded;
	/* The unit sizes fixed and sib_pos were worked out for. */
	unsigned version, offsz, addr_size;
	struct abbrev *by_code;	/* [code], code < ncodes */
	size_t ncodes, codes_cap;
	struct attr_spec *specs;
	size_t nspecs, specs_cap;
};

/* What one unit's header says. */
struct unit {
	uint64_t off, next, die_off;
	unsigned version, unit_type, offsz, addr_size;
	uint64_t abbrev_off;
	uint64_t str_offsets_base;
	bool has_str_offsets_base;
};

struct scan {
	const struct ss_dwarf_scan_input *in;
	struct abbrevs ab;
	uint8_t *seen[SS_DWARF_NKINDS];	/* bit per .debug_str offset */
	uint8_t *seen_block; /* the bitmaps, one block */
};

/* ---- bounded reading; every reader fails instead of passing end ---- */

struct cursor {
	const unsigned char *p, *end;
	bool msb;
};

/* n (<= 8) bytes at p, of the given byte order. */
static inline uint64_t ld(const unsigned char *p, unsigned n, bool msb)
{
	uint64_t x = 0;
	if (msb) {
		for (unsigned i = 0; i < n; i++)
			x = x << 8 | p[i];
		return x;
	}
	switch (n) {
	case 1: return p[0];
	case 2: return (uint64_t)p[0] | (uint64_t)p[1] << 8;
	case 4: return (uint64_t)p[0] | (uint64_t)p[1] << 8 |
		       (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
	default:
		for (unsigned i = n; i-- > 0;)
			x = x << 8 | p[i];
		return x;
	}
}

static inline bool rd_n(struct cursor *c, unsigned n, uint64_t *v)
{
	if ((size_t)(c->end - c->p) < n)
		return false;
	*v = ld(c->p, n, c->msb);
	c->p += n;
	return true;
}

static inline bool rd_uleb(struct cursor *c, uint64_t *v)
{
	if (c->p < c->end && *c->p < 0x80) {
		*v = *c->p++;
		return true;
	}
	uint64_t x = 0;
	unsigned shift = 0;
	while (c->p < c->end) {
		unsigned char b = *c->p++;
		if (shift < 64)
			x |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			*v = x;
			return true;
		}
	}
	return false;
}

static bool rd_sleb(struct cursor *c, int64_t *v)
{
	uint64_t x = 0;
	unsigned shift = 0;
	while (c->p < c->end) {
		unsigned char b = *c->p++;
		if (shift < 64)
			x |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (shift < 64 && (b & 0x40))
				x |= ~(uint64_t)0 << shift;
			*v = (int64_t)x;
			return true;
		}
	}
	return false;
}

static bool skip(struct cursor *c, uint64_t n)
{
	if ((uint64_t)(c->end - c->p) < n)
		return false;
	c->p += n;
	return true;
}

/* ---- abbreviations ---- */

static int tag_kind(unsigned tag);

/* Size of a value of form, or -1 if it varies. */
static int form_size(unsigned form, unsigned version, unsigned offsz,
		     unsigned addr_size)
{
	switch (form) {
	case FORM_flag_present: case FORM_implicit_const:
		return 0;
	case FORM_data1: case FORM_ref1: case FORM_flag: case FORM_strx1:
	case FORM_addrx1:
		return 1;
	case FORM_data2: case FORM_ref2: case FORM_strx2: case FORM_addrx2:
		return 2;
	case FORM_strx3: case FORM_addrx3:
		return 3;
	case FORM_data4: case FORM_ref4: case FORM_ref_sup4: case FORM_strx4:
	case FORM_addrx4:
		return 4;
	case FORM_data8: case FORM_ref8: case FORM_ref_sig8:
	case FORM_ref_sup8:
		return 8;
	case FORM_data16:
		return 16;
	case FORM_addr:
		return (int)addr_size;
	case FORM_ref_addr:
		return (int)(version <= 2 ? addr_size : offsz);
	case FORM_strp: case FORM_line_strp: case FORM_sec_offset:
	case FORM_strp_sup: case FORM_GNU_ref_alt: case FORM_GNU_strp_alt:
		return (int)offsz;
	default:
		return -1;
	}
}

static void abbrevs_sizes(struct abbrevs *ab, const struct unit *u)
{
	ab->version = u->version;
	ab->offsz = u->offsz;
	ab->addr_size = u->addr_size;
	for (size_t code = 0; code < ab->ncodes; code++) {
		struct abbrev *a = &ab->by_code[code];
		if (!a->used)
			continue;
		int32_t pos = 0;
		bool wide = false;
		a->sib_pos = a->name_pos = a->decl_pos = a->const_pos = -1;
		for (uint32_t i = 0; i < a->nattrs; i++) {
			const struct attr_spec *sp = &ab->specs[a->first + i];
			int n = form_size(sp->form, u->version, u->offsz,
					  u->addr_size);
			if (pos >= 0 && n >= 0 && n <= 8) {
				switch (sp->at) {
				case AT_sibling:
					a->sib_pos = pos;
					a->sib_form = sp->form;
					a->sib_size = (int8_t)n;
					break;
				case AT_name:
					a->name_pos = pos;
					a->name_form = sp->form;
					a->name_size = (int8_t)n;
					break;
				case AT_declaration:
					a->decl_pos = pos;
					a->decl_form = sp->form;
					a->decl_size = (int8_t)n;
					a->decl_implicit = sp->implicit;
					break;
				case AT_const_value:
					a->const_pos = pos;
					a->const_form = sp->form;
					a->const_size = (int8_t)n;
					a->const_implicit = sp->implicit;
					break;
				default:
					break;
				}
			} else if (n > 8 &&
				   (sp->at == AT_sibling || sp->at == AT_name ||
				    sp->at == AT_declaration ||
				    sp->at == AT_const_value)) {
				wide = true;
			}
			if (n < 0 || pos > INT32_MAX - 64)
				pos = -1;
			else if (pos >= 0)
				pos += n;
		}
		a->fixed = pos;
		a->fast = pos >= 0 && !wide;
	}
}

static void abbrevs_free(struct abbrevs *ab)
{
	free(ab->by_code);
	free(ab->specs);
	memset(ab, 0, sizeof(*ab));
}

/*
 * Load the table at off.  false: corrupt or beyond what this reader
 * indexes (the unit falls back); an error only for memory.
 */
static struct ss_error *abbrevs_load(struct scan *s, const struct unit *u,
				     bool *ok)
{
	struct abbrevs *ab = &s->ab;
	uint64_t off = u->abbrev_off;
	*ok = false;
	if (ab->loaded && ab->off == off) {
		if (ab->version != u->version || ab->offsz != u->offsz ||
		    ab->addr_size != u->addr_size)
			abbrevs_sizes(ab, u);
		*ok = true;
		return NULL;
	}
	ab->loaded = false;
	for (size_t i = 0; i < ab->ncodes; i++)
		ab->by_code[i].used = false;
	ab->ncodes = 0;
	ab->nspecs = 0;
	if (off >= s->in->abbrev_size)
		return NULL;
	struct cursor c = { s->in->abbrev + off,
			    s->in->abbrev + s->in->abbrev_size, false };
	for (;;) {
		uint64_t code, tag, at, form;
		if (!rd_uleb(&c, &code))
			return NULL;
		if (code == 0)
			break;
		if (code >= MAX_ABBREV_CODE || !rd_uleb(&c, &tag) ||
		    tag > 0xffff || c.p >= c.end)
			return NULL;
		bool children = *c.p++ != 0;
		if (code >= ab->codes_cap) {
			size_t cap = ab->codes_cap ? ab->codes_cap : 256;
			while (cap <= code)
				cap *= 2;
			struct abbrev *n = realloc(ab->by_code,
						   cap * sizeof(*n));
			if (!n)
				return &ss_error_nomem;
			memset(n + ab->codes_cap, 0,
			       (cap - ab->codes_cap) * sizeof(*n));
			ab->by_code = n;
			ab->codes_cap = cap;
		}
		if (code >= ab->ncodes)
			ab->ncodes = code + 1;
		struct abbrev *a = &ab->by_code[code];
		if (a->used)
			return NULL;	/* duplicate code */
		a->used = true;
		a->tag = (uint16_t)tag;
		a->kind = (int8_t)tag_kind(a->tag);
		a->children = children;
		a->first = (uint32_t)ab->nspecs;
		a->nattrs = 0;
		for (;;) {
			if (!rd_uleb(&c, &at) || !rd_uleb(&c, &form))
				return NULL;
			if (at == 0 && form == 0)
				break;
			int64_t implicit = 0;
			if (form == FORM_implicit_const &&
			    !rd_sleb(&c, &implicit))
				return NULL;
			if (at > 0xffff || form > 0xffff)
				return NULL;
			if (ab->nspecs == ab->specs_cap) {
				size_t cap = ab->specs_cap ? 2 * ab->specs_cap
							   : 1024;
				struct attr_spec *n = realloc(
					ab->specs, cap * sizeof(*n));
				if (!n)
					return &ss_error_nomem;
				ab->specs = n;
				ab->specs_cap = cap;
			}
			if (ab->nspecs >= UINT32_MAX)
				return NULL;
			ab->specs[ab->nspecs++] = (struct attr_spec){
				(uint16_t)at, (uint16_t)form, implicit };
			a->nattrs++;
		}
	}
	ab->off = off;
	ab->loaded = true;
	abbrevs_sizes(ab, u);
	*ok = true;
	return NULL;
}

/* ---- attributes ---- */

/* What we want from one DIE. */
struct die_vals {
	/* The name: a string, or (name_in_str) an offset into .debug_str
	 * checked only when the name is new (emit()). */
	const char *name;
	uint64_t name_stroff;
	bool name_in_str;
	bool decl;
	bool has_sibling;
	uint64_t sibling;	/* .debug_info offset */
	bool has_const;
	int64_t const_val;
	bool has_str_offsets_base;
	uint64_t str_offsets_base;
};

/* A NUL-terminated string at off of a section, or NULL. */
static const char *sec_string(const unsigned char *sec, uint64_t size,
			      uint64_t off)
{
	if (!sec || off >= size)
		return NULL;
	if (!memchr(sec + off, '\0', size - off))
		return NULL;
	return (const char *)sec + off;
}

static bool strx_name(struct scan *s, const struct unit *u, uint64_t idx,
		      struct die_vals *v)
{
	const struct ss_dwarf_scan_input *in = s->in;
	/* DWARF 5: the base is in the unit DIE; the header is 8 or 16 bytes. */
	uint64_t base = u->has_str_offsets_base ? u->str_offsets_base
						: (u->offsz == 8 ? 16 : 8);
	if (!in->str_offsets || idx > (in->str_offsets_size - base) / u->offsz ||
	    base > in->str_offsets_size)
		return false;
	uint64_t pos = base + idx * u->offsz;
	struct cursor c = { in->str_offsets + pos,
			    in->str_offsets + in->str_offsets_size, in->msb };
	uint64_t off;
	if (!rd_n(&c, u->offsz, &off))
		return false;
	v->name_stroff = off;
	v->name_in_str = true;
	return true;
}

/*
 * Read (or step over) one attribute value.  want: store name, sibling,
 * declaration, const value, str_offsets_base.  false: unsupported form or
 * out of bounds.
 */
static bool attr(struct scan *s, const struct unit *u, struct cursor *c,
		 const struct attr_spec *sp, bool want, struct die_vals *v)
{
	const struct ss_dwarf_scan_input *in = s->in;
	unsigned form = sp->form;
	uint64_t x = 0;
	int64_t sx;
	const unsigned char *start = c->p;
	unsigned indirections = 0;
again:
	switch (form) {
	case FORM_flag_present:
		x = 1;
		break;
	case FORM_implicit_const:
		x = (uint64_t)sp->implicit;
		if (want && sp->at == AT_const_value) {
			v->has_const = true;
			v->const_val = sp->implicit;
		}
		return true;
	case FORM_data1: case FORM_ref1: case FORM_flag: case FORM_strx1:
	case FORM_addrx1:
		if (!rd_n(c, 1, &x))
			return false;
		break;
	case FORM_data2: case FORM_ref2: case FORM_strx2: case FORM_addrx2:
		if (!rd_n(c, 2, &x))
			return false;
		break;
	case FORM_strx3: case FORM_addrx3:
		if (!rd_n(c, 3, &x))
			return false;
		break;
	case FORM_data4: case FORM_ref4: case FORM_ref_sup4: case FORM_strx4:
	case FORM_addrx4:
		if (!rd_n(c, 4, &x))
			return false;
		break;
	case FORM_data8: case FORM_ref8: case FORM_ref_sig8:
	case FORM_ref_sup8:
		if (!rd_n(c, 8, &x))
			return false;
		break;
	case FORM_data16:
		if (!skip(c, 16))
			return false;
		break;
	case FORM_addr:
		if (!skip(c, u->addr_size))
			return false;
		break;
	case FORM_ref_addr:
		if (!rd_n(c, u->version <= 2 ? u->addr_size : u->offsz, &x))
			return false;
		break;
	case FORM_strp: case FORM_line_strp: case FORM_sec_offset:
	case FORM_strp_sup: case FORM_GNU_ref_alt: case FORM_GNU_strp_alt:
		if (!rd_n(c, u->offsz, &x))
			return false;
		break;
	case FORM_sdata:
		if (!rd_sleb(c, &sx))
			return false;
		x = (uint64_t)sx;
		break;
	case FORM_udata: case FORM_ref_udata: case FORM_strx:
	case FORM_addrx: case FORM_loclistx: case FORM_rnglistx:
	case FORM_GNU_addr_index: case FORM_GNU_str_index:
		if (!rd_uleb(c, &x))
			return false;
		break;
	case FORM_string: {
		const unsigned char *nul = memchr(c->p, '\0',
						  (size_t)(c->end - c->p));
		if (!nul)
			return false;
		c->p = nul + 1;
		break;
	}
	case FORM_block1:
		if (!rd_n(c, 1, &x) || !skip(c, x))
			return false;
		break;
	case FORM_block2:
		if (!rd_n(c, 2, &x) || !skip(c, x))
			return false;
		break;
	case FORM_block4:
		if (!rd_n(c, 4, &x) || !skip(c, x))
			return false;
		break;
	case FORM_block: case FORM_exprloc:
		if (!rd_uleb(c, &x) || !skip(c, x))
			return false;
		break;
	case FORM_indirect:
		if (++indirections > 4 || !rd_uleb(c, &x) || x > 0xffff ||
		    x == FORM_implicit_const)
			return false;
		form = (unsigned)x;
		start = c->p;
		goto again;
	default:
		return false;
	}
	if (sp->at == AT_sibling) {
		/* CU-relative references, or a global one. */
		switch (form) {
		case FORM_ref1: case FORM_ref2: case FORM_ref4: case FORM_ref8:
		case FORM_ref_udata:
			v->sibling = u->off + x;
			v->has_sibling = x <= u->next - u->off;
			break;
		case FORM_ref_addr:
			v->sibling = x;
			v->has_sibling = true;
			break;
		default:
			break;
		}
		return true;
	}
	if (!want)
		return true;
	switch (sp->at) {
	case AT_name:
		switch (form) {
		case FORM_string:
			v->name = (const char *)start;
			break;
		case FORM_strp:
			v->name_stroff = x;
			v->name_in_str = true;
			break;
		case FORM_line_strp:
			v->name = sec_string(in->line_str, in->line_str_size,
					     x);
			if (!v->name)
				return false;
			break;
		case FORM_strx: case FORM_strx1: case FORM_strx2:
		case FORM_strx3: case FORM_strx4: case FORM_GNU_str_index:
			if (!strx_name(s, u, x, v))
				return false;
			break;
		default:
			return false;	/* strp_sup and such: libdwarf */
		}
		break;
	case AT_declaration:
		v->decl = x != 0;
		break;
	case AT_const_value:
		switch (form) {
		case FORM_data1: case FORM_data2: case FORM_data4:
		case FORM_data8: case FORM_udata: case FORM_sdata:
			/* Zero extended but for sdata, as dwarf_types.c. */
			v->has_const = true;
			v->const_val = (int64_t)x;
			break;
		default:
			break;
		}
		break;
	case AT_str_offsets_base:
		if (form == FORM_sec_offset || form == FORM_data4 ||
		    form == FORM_data8) {
			v->has_str_offsets_base = true;
			v->str_offsets_base = x;
		}
		break;
	default:
		break;
	}
	return true;
}

static int tag_kind(unsigned tag);

/* A value of a fixed-size form (form_size() >= 0, <= 8) at p. */
static inline uint64_t fixed_val(const unsigned char *p, uint16_t form,
				 int8_t size, int64_t implicit, bool msb)
{
	if (size == 0)
		return form == FORM_implicit_const ? (uint64_t)implicit : 1;
	return ld(p, (unsigned)size, msb);
}

/* DW_AT_sibling of a fixed-size form at p into v. */
static inline void sibling_at(const struct unit *u, const unsigned char *p,
			      uint16_t form, int8_t size, bool msb,
			      struct die_vals *v)
{
	uint64_t x = fixed_val(p, form, size, 0, msb);
	switch (form) {
	case FORM_ref1: case FORM_ref2: case FORM_ref4: case FORM_ref8:
		v->sibling = u->off + x;
		v->has_sibling = x <= u->next - u->off;
		break;
	case FORM_ref_addr:
		v->sibling = x;
		v->has_sibling = true;
		break;
	default:
		break;
	}
}

/*
 * The name, declaration, const value and sibling of a DIE whose forms all
 * have fixed sizes (a->fast): read where abbrevs_sizes() says they are.
 */
static bool read_fixed(struct scan *s, const struct unit *u,
		       struct cursor *c, const struct abbrev *a,
		       struct die_vals *v)
{
	const unsigned char *p = c->p;
	bool msb = c->msb;
	if ((uint64_t)(c->end - p) < (uint64_t)a->fixed)
		return false;
	if (a->name_pos >= 0) {
		uint64_t x = fixed_val(p + a->name_pos, a->name_form,
				       a->name_size, 0, msb);
		switch (a->name_form) {
		case FORM_strp:
			v->name_stroff = x;
			v->name_in_str = true;
			break;
		case FORM_strx1: case FORM_strx2: case FORM_strx3:
		case FORM_strx4:
			if (!strx_name(s, u, x, v))
				return false;
			break;
		case FORM_line_strp:
			v->name = sec_string(s->in->line_str,
					     s->in->line_str_size, x);
			if (!v->name)
				return false;
			break;
		default:
			return false;
		}
	}
	if (a->decl_pos >= 0)
		v->decl = fixed_val(p + a->decl_pos, a->decl_form,
				    a->decl_size, a->decl_implicit, msb) != 0;
	if (a->const_pos >= 0) {
		switch (a->const_form) {
		case FORM_data1: case FORM_data2: case FORM_data4:
		case FORM_data8: case FORM_implicit_const:
			v->has_const = true;
			v->const_val = (int64_t)fixed_val(
				p + a->const_pos, a->const_form, a->const_size,
				a->const_implicit, msb);
			break;
		default:
			break;
		}
	}
	if (a->children && a->sib_pos >= 0)
		sibling_at(u, p + a->sib_pos, a->sib_form, a->sib_size, msb,
			   v);
	c->p = p + a->fixed;
	return true;
}

/* Which DIEs read_die() reads values of. */
enum want {
	WANT_NONE,	/* only DW_AT_sibling */
	WANT_NAMED,	/* of types and enumerators */
	WANT_ALL,
};

/*
 * The DIE at c: its abbreviation (NULL for a null entry) and the values
 * wanted.  Leaves c after the DIE's attributes, or (with v->has_sibling) at
 * least past DW_AT_sibling.  false: unsupported or corrupt.
 */
static bool read_die(struct scan *s, const struct unit *u, struct cursor *c,
		     enum want want, const struct abbrev **ret,
		     struct die_vals *v)
{
	uint64_t code;
	if (!rd_uleb(c, &code))
		return false;
	if (code == 0) {
		*ret = NULL;
		return true;
	}
	if (code >= s->ab.ncodes || !s->ab.by_code[code].used)
		return false;
	const struct abbrev *a = &s->ab.by_code[code];
	*ret = a;
	if (want == WANT_NAMED && a->tag != TAG_enumerator && a->kind < 0)
		want = WANT_NONE;
	if (want == WANT_NONE) {
		/* Most DIEs: step over them without reading their values. */
		v->has_sibling = false;
		if (!a->children && a->fixed >= 0)
			return skip(c, (uint64_t)a->fixed);
		if (a->children && a->sib_pos >= 0 &&
		    (uint64_t)(c->end - c->p) >=
		    (uint64_t)a->sib_pos + (uint64_t)a->sib_size) {
			const unsigned char *sp = c->p + a->sib_pos;
			sibling_at(u, sp, a->sib_form, a->sib_size, c->msb, v);
			if (v->has_sibling && v->sibling < u->next &&
			    v->sibling > (uint64_t)(sp - s->in->info)) {
				c->p = sp + a->sib_size;
				return true;
			}
			v->has_sibling = false;
		}
	}
	memset(v, 0, sizeof(*v));
	if (want == WANT_NAMED && a->fast)
		return read_fixed(s, u, c, a, v);
	const struct attr_spec *sp = s->ab.specs + a->first;
	bool w = want != WANT_NONE;
	for (uint32_t i = 0; i < a->nattrs; i++)
		if (!attr(s, u, c, &sp[i], w, v))
			return false;
	return true;
}

/*
 * After a DIE with children: move c past them.  DW_AT_sibling when it
 * points forward within the unit, else read the subtree.
 */
static bool skip_children(struct scan *s, const struct unit *u,
			  struct cursor *c, const struct die_vals *v)
{
	const unsigned char *info = s->in->info;
	if (v->has_sibling && v->sibling < u->next &&
	    info + v->sibling >= c->p) {
		c->p = info + v->sibling;
		return true;
	}
	unsigned depth = 1;
	while (depth) {
		const struct abbrev *a;
		struct die_vals cv;
		if (!read_die(s, u, c, WANT_NONE, &a, &cv))
			return false;
		if (!a) {
			depth--;
			continue;
		}
		if (!a->children)
			continue;
		if (cv.has_sibling && cv.sibling < u->next &&
		    info + cv.sibling >= c->p) {
			c->p = info + cv.sibling;
			continue;
		}
		if (++depth > MAX_DEPTH)
			return false;
	}
	return true;
}

static int tag_kind(unsigned tag)
{
	switch (tag) {
	case TAG_structure_type: return SS_TYPE_STRUCT;
	case TAG_union_type: return SS_TYPE_UNION;
	case TAG_enumeration_type: return SS_TYPE_ENUM;
	case TAG_typedef: return SS_TYPE_TYPEDEF;
	case TAG_base_type: return SS_TYPE_BASE;
	default: return -1;
	}
}

static unsigned kind_slot(unsigned kind)
{
	return kind == SS_DWARF_KIND_ENUMERATOR ? SS_DWARF_NKINDS - 1 : kind;
}

static bool has_name(const struct die_vals *v)
{
	return v->name || v->name_in_str;
}

/*
 * Hand a name to the index unless this .debug_str string was seen.
 * *ok = false: a name out of .debug_str (the unit goes to libdwarf).
 */
static struct ss_error *emit(struct scan *s, unsigned kind,
			     const struct die_vals *v, uint64_t val, bool *ok)
{
	const char *name = v->name;
	*ok = true;
	if (v->name_in_str) {
		uint8_t *bits = s->seen[kind_slot(kind)];
		uint64_t o = v->name_stroff;
		if (o >= s->in->str_size) {
			*ok = false;
			return NULL;
		}
		if (bits[o >> 3] & (1u << (o & 7)))
			return NULL;
		name = sec_string(s->in->str, s->in->str_size, o);
		if (!name) {
			*ok = false;
			return NULL;
		}
		bits[o >> 3] |= (uint8_t)(1u << (o & 7));
	}
	return s->in->name(s->in->arg, kind, name, val);
}

/* The enumerators among the children at c. */
static struct ss_error *enumerators(struct scan *s, const struct unit *u,
				    struct cursor *c, bool *ok)
{
	*ok = false;
	for (;;) {
		const struct abbrev *a;
		struct die_vals v;
		if (!read_die(s, u, c, WANT_NAMED, &a, &v))
			return NULL;
		if (!a)
			break;
		if (a->tag == TAG_enumerator && has_name(&v) && v.has_const) {
			bool nok;
			struct ss_error *err = emit(s, SS_DWARF_KIND_ENUMERATOR,
						    &v, (uint64_t)v.const_val,
						    &nok);
			if (err || !nok)
				return err;
		}
		if (a->children && !skip_children(s, u, c, &v))
			return NULL;
	}
	*ok = true;
	return NULL;
}

/* The unit header at off (as unit_header() in dwarf_types.c). */
static bool read_unit_header(const struct ss_dwarf_scan_input *in,
			     uint64_t off, struct unit *u)
{
	memset(u, 0, sizeof(*u));
	if (off >= in->info_size)
		return false;
	struct cursor c = { in->info + off, in->info + in->info_size,
			    in->msb };
	uint64_t len, ver, x;
	u->off = off;
	u->offsz = 4;
	if (!rd_n(&c, 4, &len))
		return false;
	if (len == 0xffffffffu) {
		if (!rd_n(&c, 8, &len))
			return false;
		u->offsz = 8;
	} else if (len >= 0xfffffff0u) {
		return false;
	}
	if (len > (uint64_t)(c.end - c.p) || len < 7)
		return false;
	u->next = (uint64_t)(c.p - in->info) + len;
	c.end = in->info + u->next;
	if (!rd_n(&c, 2, &ver) || ver < 2 || ver > 5)
		return false;
	u->version = (unsigned)ver;
	if (ver >= 5) {
		if (!rd_n(&c, 1, &x))
			return false;
		u->unit_type = (unsigned)x;
		if (!rd_n(&c, 1, &x))
			return false;
		u->addr_size = (unsigned)x;
		if (!rd_n(&c, u->offsz, &u->abbrev_off))
			return false;
		if (u->unit_type != UT_compile && u->unit_type != UT_partial)
			return true;	/* the caller decides */
	} else {
		u->unit_type = UT_compile;
		if (!rd_n(&c, u->offsz, &u->abbrev_off) || !rd_n(&c, 1, &x))
			return false;
		u->addr_size = (unsigned)x;
	}
	if (u->addr_size != 2 && u->addr_size != 4 && u->addr_size != 8)
		return false;
	u->die_off = (uint64_t)(c.p - in->info);
	return u->die_off < u->next;
}

/*
 * Index one compile or partial unit.  *ok = false: the unit is for
 * libdwarf (names handed over so far stay: they are the unit's own, in
 * its order, and the index keeps the first of each).
 */
static struct ss_error *scan_unit(struct scan *s, struct unit *u, bool *ok)
{
	const struct ss_dwarf_scan_input *in = s->in;
	*ok = false;
	struct ss_error *err = abbrevs_load(s, u, ok);
	if (err || !*ok)
		return err;
	*ok = false;
	struct cursor c = { in->info + u->die_off, in->info + u->next,
			    in->msb };
	const struct abbrev *a;
	struct die_vals v;
	if (!read_die(s, u, &c, WANT_ALL, &a, &v) || !a)
		return NULL;
	u->has_str_offsets_base = v.has_str_offsets_base;
	u->str_offsets_base = v.str_offsets_base;
	if (!a->children) {
		*ok = true;
		return NULL;
	}
	const struct abbrev *by_code = s->ab.by_code;
	size_t ncodes = s->ab.ncodes;
	for (;;) {
		if (c.p >= c.end)
			break;	/* children not closed by a null entry */
		const unsigned char *die = c.p;
		/*
		 * Fast path for the DIEs that are not types (most of them):
		 * a one-byte code and a fixed size or a sibling to jump to.
		 */
		uint8_t code = *die;
		if (code && code < 0x80 && code < ncodes && by_code[code].used &&
		    by_code[code].kind < 0) {
			a = &by_code[code];
			if (!a->children && a->fixed >= 0 &&
			    (uint64_t)(c.end - die) > (uint64_t)a->fixed) {
				c.p = die + 1 + a->fixed;
				continue;
			}
			if (a->children && a->sib_pos >= 0 &&
			    (uint64_t)(c.end - die) >
			    (uint64_t)a->sib_pos + (uint64_t)a->sib_size) {
				const unsigned char *sp = die + 1 + a->sib_pos;
				v.has_sibling = false;
				sibling_at(u, sp, a->sib_form, a->sib_size,
					   c.msb, &v);
				if (v.has_sibling && v.sibling < u->next &&
				    v.sibling >
				    (uint64_t)(sp - in->info)) {
					c.p = in->info + v.sibling;
					continue;
				}
			}
		}
		uint64_t die_off = (uint64_t)(die - in->info);
		if (!read_die(s, u, &c, WANT_NAMED, &a, &v))
			return NULL;
		if (!a)
			break;
		int kind = a->kind;
		if (kind == SS_TYPE_ENUM && a->children) {
			bool eok;
			err = enumerators(s, u, &c, &eok);
			if (err || !eok)
				return err;
		} else if (a->children && !skip_children(s, u, &c, &v)) {
			return NULL;
		}
		if (kind < 0 || !has_name(&v))
			continue;
		if (v.decl && kind != SS_TYPE_TYPEDEF && kind != SS_TYPE_BASE)
			continue;
		bool nok;
		err = emit(s, (unsigned)kind, &v, die_off, &nok);
		if (err || !nok)
			return err;
	}
	*ok = true;
	return NULL;
}

struct ss_error *ss_dwarf_scan(const struct ss_dwarf_scan_input *in,
			       uint64_t from)
{
	struct scan s = { .in = in };
	struct ss_error *err = NULL;
	size_t bytes = in->str_size / 8 + 1;
	s.seen_block = ss_hugemem_calloc(SS_DWARF_NKINDS, bytes);
	if (!s.seen_block) {
		err = &ss_error_nomem;
		goto out;
	}
	for (unsigned k = 0; k < SS_DWARF_NKINDS; k++)
		s.seen[k] = s.seen_block + k * bytes;
	uint64_t released = from;
	uint64_t end = in->until && in->until < in->info_size ? in->until
							      : in->info_size;
	for (uint64_t off = from; off < end;) {
		struct unit u;
		if (!read_unit_header(in, off, &u)) {
			err = ss_error_create(SS_ERR_FORMAT,
					      "%s: corrupt unit header at .debug_info offset %#" PRIx64,
					      in->path, off);
			break;
		}
		bool ok = true;
		if (!in->skip_unit(in->arg, off)) {
			if (u.unit_type == UT_compile ||
			    u.unit_type == UT_partial)
				err = scan_unit(&s, &u, &ok);
			else if (u.unit_type == UT_type)
				ok = false;
			if (!err && !ok)
				err = in->unit(in->arg, off);
			if (err)
				break;
		}
		off = u.next;
		if (off - released >= RELEASE_CHUNK || off >= in->info_size) {
			in->release(in->arg, in->info + released,
				    off - released);
			released = off;
		}
	}
out:
	abbrevs_free(&s.ab);
	ss_hugemem_free(s.seen_block);
	return err;
}
