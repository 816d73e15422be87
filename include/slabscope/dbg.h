/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Debug info of a vmlinux: types (struct sizes, member offsets, enumerators)
 * from DWARF, symbols from the ELF symbol table, and static data from the
 * file's sections.
 *
 * Addresses here are link-time addresses as written in the vmlinux; the
 * caller adds the KASLR offset of the dump.
 *
 * Speed: a distro vmlinux is ~600 MB with ~2000 compile units.  Types are
 * looked up first in a few "hint" compile units (the ones that define the
 * functions given with ss_dbg_add_hint_symbol(), found through
 * .debug_aranges), and only then, lazily, in the remaining units.  The file
 * is mapped read-only; nothing is copied or relocated.
 */
#ifndef SLABSCOPE_DBG_H
#define SLABSCOPE_DBG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ss_dbg;

/* Open an ELF file with DWARF (a vmlinux).  Read-only, mmap-based. */
struct ss_error *ss_dbg_open(const char *path, struct ss_dbg **ret);

/*
 * Open a kernel module (.ko, or its .ko.debug), whose DWARF is optional:
 * without it the symbols and sections are there, type lookups fail with
 * SS_ERR_NODEBUG and ss_dbg_has_dwarf() says false.  The DWARF is read
 * (and relocated) on first need: opening a .ko only to see which module it
 * is costs its section headers.
 *
 * A module is a relocatable file: every section is linked at 0.  Each
 * allocated section is given an address of its own instead
 * (ss_dbg_section() tells it), symbol values are those addresses plus
 * their offsets, and the DWARF is relocated the same way (x86_64), so
 * symbols, source lines and static reads all take these addresses.
 */
struct ss_error *ss_dbg_open_module(const char *path, struct ss_dbg **ret);
bool ss_dbg_has_dwarf(struct ss_dbg *dbg);
/* NULL is fine. */
void ss_dbg_close(struct ss_dbg *dbg);

const char *ss_dbg_path(const struct ss_dbg *dbg);

/* The machine the file is for (its ELF header's e_machine): what the
 * memory map and address checks depend on. */
enum ss_arch {
	SS_ARCH_UNKNOWN,
	SS_ARCH_X86_64,
	SS_ARCH_AARCH64,
};
enum ss_arch ss_dbg_arch(const struct ss_dbg *dbg);
/* "x86_64", "aarch64", "unknown" */
const char *ss_arch_name(enum ss_arch a);

/*
 * Register the compile unit that defines function (or any code symbol) name
 * as a place where types are looked up first.  SS_ERR_NOTFOUND if the symbol
 * is not a code address covered by .debug_aranges; the caller may ignore it.
 */
struct ss_error *ss_dbg_add_hint_symbol(struct ss_dbg *dbg, const char *name);

/* ---- symbols (ELF .symtab) ---- */

/* Address of a symbol; SS_ERR_NOTFOUND if there is none. */
struct ss_error *ss_dbg_symbol(struct ss_dbg *dbg, const char *name,
			       uint64_t *addr_ret);

/*
 * The symbol whose [value, value+size) holds addr (or, for size-0 symbols,
 * the nearest one below addr within SS_DBG_SYMBOLIZE_MAX_DISTANCE bytes);
 * section and file symbols are ignored.  *name_ret points
 * into the mapped file and lives as long as dbg.  SS_ERR_NOTFOUND if none.
 */
#define SS_DBG_SYMBOLIZE_MAX_DISTANCE 4096
struct ss_error *ss_dbg_symbolize(struct ss_dbg *dbg, uint64_t addr,
				  const char **name_ret, uint64_t *offset_ret);

/*
 * The source file and line of the code at addr (link-time address; a
 * module's as ss_dbg_open_module() says), from the DWARF line table of the
 * unit .debug_aranges names.  The file is relative to the unit's build
 * directory when it is under it.  *file_ret is malloc'd.  SS_ERR_NOTFOUND
 * if no line covers addr, SS_ERR_NODEBUG without DWARF.  The first lookup
 * in a unit decodes its line table (a few ms for a large one); the last
 * few are kept.
 */
struct ss_error *ss_dbg_source_line(struct ss_dbg *dbg, uint64_t addr,
				    char **file_ret, unsigned *line_ret);

/* ---- sections ---- */

struct ss_dbg_section_info {
	const char *name;
	uint64_t addr; /* link-time (a module's: see ss_dbg_open_module) */
	uint64_t size;
	/* The contents; NULL for a section without any in the file (.bss,
	 * or every allocated section of a separate debug file). */
	const void *data;
};

/* The section called name; SS_ERR_NOTFOUND if there is none. */
struct ss_error *ss_dbg_section(struct ss_dbg *dbg, const char *name,
				struct ss_dbg_section_info *ret);

/* A symbol's address and size, and its section. */
struct ss_error *ss_dbg_symbol_section(struct ss_dbg *dbg, const char *name,
				       uint64_t *addr_ret, uint64_t *size_ret,
				       struct ss_dbg_section_info *sec_ret);

/* The GNU build-id (NT_GNU_BUILD_ID note), up to max bytes, into buf.
 * SS_ERR_NOTFOUND if the file has none (or a longer one). */
struct ss_error *ss_dbg_build_id(struct ss_dbg *dbg, uint8_t *buf, size_t max,
				 size_t *len_ret);

/*
 * Read len bytes of static data at link-time address addr from the file's
 * allocated PROGBITS sections (e.g. linux_banner in .rodata).
 */
struct ss_error *ss_dbg_read_static(struct ss_dbg *dbg, uint64_t addr,
				    void *buf, size_t len);

/* ---- types (DWARF) ---- */

enum ss_type_kind {
	SS_TYPE_STRUCT,
	SS_TYPE_UNION,
	SS_TYPE_ENUM,
	SS_TYPE_TYPEDEF,
	SS_TYPE_BASE,
	SS_TYPE_POINTER,
	SS_TYPE_ARRAY,
	SS_TYPE_OTHER,
};

struct ss_member {
	/* Offset of the member from the start of the outer type, in bytes
	 * (for a bitfield: of the byte holding its first bit). */
	uint64_t offset;
	/* Size of the member's type in bytes (0 if unknown / flexible; for
	 * a bitfield, the size of its declared type). */
	uint64_t size;
	/* For bitfields: bit offset from the start of the outer type and
	 * width; bit_size is 0 for ordinary members (whose bit_offset is
	 * offset * 8). */
	uint64_t bit_offset;
	uint32_t bit_size;
	/* Kind of the member's type after stripping typedefs and cv-quals. */
	enum ss_type_kind kind;
	/* For arrays: number of elements of the outermost dimension (0 if
	 * unknown or flexible).  For pointers and arrays: size of the
	 * element / pointee type (0 if void or unknown). */
	uint64_t count;
	uint64_t elem_size;
};

/*
 * Size of "struct NAME" (kind SS_TYPE_STRUCT), "union NAME", "enum NAME", or
 * a typedef NAME (kind SS_TYPE_TYPEDEF, resolved to its target's size), or
 * a base type (SS_TYPE_BASE, DWARF's names: "long unsigned int").
 * Declarations (DW_AT_declaration) are skipped: only complete definitions
 * count.  SS_ERR_NOTFOUND if absent; SS_ERR_INVALID for other kinds.
 *
 * A miss in the hint units makes the lookup visit the remaining units (all
 * of them for a name that does not exist: ~0.8 s once on a distro vmlinux;
 * later lookups of any name are then hash hits).  A struct ss_dbg must not
 * be used from two threads at once: lookups fill its index.
 */
struct ss_error *ss_dbg_type_size(struct ss_dbg *dbg, enum ss_type_kind kind,
				  const char *name, uint64_t *size_ret);

/*
 * Look up member path in struct/union NAME (kind as above, SS_TYPE_TYPEDEF
 * allowed for typedef'd structs).  path is one or more member names joined
 * with '.', e.g. "oo.x" or "list.next"; members of anonymous structs and
 * unions are found as if they were direct members (as C does).  An array
 * index may follow a name: "node[0]" gives the first element ("m[1][2]" for
 * multi-dimensional arrays; decimal or 0x hex).
 * SS_ERR_NOTFOUND if the type or a member along the path is absent; the
 * message names which.  SS_ERR_INVALID for a malformed path, an index on a
 * non-array (pointers included: that would need memory) or past a known
 * array bound.
 */
struct ss_error *ss_dbg_member(struct ss_dbg *dbg, enum ss_type_kind kind,
			       const char *type_name, const char *path,
			       struct ss_member *ret);

/* Convenience: does the member exist?  (Errors other than "not found" are
 * treated as "no".) */
bool ss_dbg_has_member(struct ss_dbg *dbg, enum ss_type_kind kind,
		       const char *type_name, const char *path);

/*
 * Value of an enumerator (e.g. "PG_slab", "PG_head").  SS_ERR_NOTFOUND if no
 * enum defines it.
 */
/*
 * An enumerator the kernel may lack, looked up only in the units that
 * define the slab allocator and what is indexed already (*found false:
 * not there), so that its absence costs no scan of every unit: for names
 * the allocator's own code uses, which its units' DWARF carries.
 */
struct ss_error *ss_dbg_enumerator_near(struct ss_dbg *dbg, const char *name,
					int64_t *value_ret, bool *found);
/* The same for a type definition (struct slab: 5.17+). */
bool ss_dbg_has_type_near(struct ss_dbg *dbg, enum ss_type_kind kind,
			  const char *name);
struct ss_error *ss_dbg_enumerator(struct ss_dbg *dbg, const char *name,
				   int64_t *value_ret);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_DBG_H */
