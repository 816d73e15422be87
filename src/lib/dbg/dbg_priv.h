/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to src/lib/dbg: the ELF side (elf_file.c) and the DWARF side
 * (dwarf_types.c, dwarf_lines.c) of struct ss_dbg.  Only these two include
 * libdwarf; only elf_file.c includes libelf.
 */
#ifndef SLABSCOPE_DBG_PRIV_H
#define SLABSCOPE_DBG_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/dbg.h>
#include <slabscope/error.h>

/* One ELF section header, checked against the file size at open. */
struct ss_dbg_section {
	const char *name;	/* into the mapped .shstrtab; "" if bad */
	uint64_t addr;
	uint64_t offset;
	uint64_t size;
	uint64_t flags;
	uint64_t entsize;
	uint32_t type;
	uint32_t link;
	uint32_t info;
	/*
	 * The section's bytes: in the mapping, or for a decompressed debug
	 * section in a buffer owned by libelf (freed by elf_end()).  NULL for SHT_NOBITS and
	 * for sections that do not fit in the file (then in_file is false).
	 */
	const unsigned char *data;
	bool in_file;
	/* A relocatable file's debug section with its relocations applied
	 * (elf_reloc.c): data points here; freed by ss_dbg_close(). */
	unsigned char *relocated;
	bool reloc_done;
};

/* One .symtab entry (only those worth looking up). */
struct ss_dbg_sym {
	uint64_t value;
	uint64_t size;
	const char *name;	/* into the mapped string table */
	uint32_t hash;
	uint8_t type;		/* STT_* */
	uint8_t bind;		/* STB_* */
	bool abs;		/* SHN_ABS */
	uint32_t shndx; /* its section, or SHN_* */
};

struct ss_dwarf;

struct ss_dbg {
	char *path;
	unsigned char *map;		/* private, never written */
	size_t map_size;
	void *elf;		/* Elf *, opaque outside elf_file.c */

	bool is_64;
	bool big_endian;
	uint16_t e_type;
	uint16_t e_machine;

	struct ss_dbg_section *sections;
	size_t nsections;

	/* .symtab (or .dynsym if there is no .symtab), loaded lazily. */
	bool syms_loaded;
	struct ss_dbg_sym *syms;
	size_t nsyms;
	uint32_t *sym_hash;	/* index+1 into syms, 0 = empty */
	size_t sym_hash_mask;
	uint32_t *sym_by_addr;	/* indices sorted by value, lazily */
	size_t nsym_by_addr;
	bool sym_by_addr_built;

	struct ss_dwarf *dw; /* DWARF state, dwarf_types.c; NULL for a
				module without DWARF */
	bool dwarf_later; /* a module's: dw is opened on first need */
	struct ss_dwarf_lines *lines; /* line tables, dwarf_lines.c */
};

/*
 * A relocatable file (ET_REL: a kernel module) links every section at 0;
 * each allocated section gets its own address here instead, so that
 * symbols, static reads and the DWARF's code addresses of different
 * sections (.text, .init.text) never collide.  Sections must be < 4 GiB.
 */
#define SS_DBG_REL_SECTION_ADDR(idx) ((uint64_t)(idx) << 32)

/*
 * A debug section by its standard name (".debug_info"), decompressed if
 * needed (also found as ".zdebug_info").  *data_ret = NULL and
 * *size_ret = 0 if absent or empty; an error if present but unusable
 * (out of the file, corrupt compression).
 */
struct ss_error *ss_dbg_debug_section(struct ss_dbg *dbg, const char *name,
				      const unsigned char **data_ret,
				      uint64_t *size_ret);

/*
 * elf_reloc.c: apply the RELA relocations of a relocatable file (x86_64)
 * to a copy of section idx, kept in sections[idx].relocated, with the
 * allocated sections at SS_DBG_REL_SECTION_ADDR.  A section nothing
 * relocates is left as it is.  SS_ERR_FORMAT for other machines.
 */
struct ss_error *ss_dbg_relocate(struct ss_dbg *dbg, size_t idx);

/*
 * Drop the pages of [p, p+len) from the process's resident set if they are
 * in the file mapping (they stay in the page cache and fault back in when
 * touched again).  Keeps a full scan of .debug_info from holding ~160 MB.
 */
void ss_dbg_release(struct ss_dbg *dbg, const void *p, uint64_t len);

/* Open a module's DWARF if it waits (dwarf_later); is there any? */
bool ss_dbg_need_dwarf(struct ss_dbg *dbg);

/* Symbol entry by name (globals preferred over locals), or NULL. */
const struct ss_dbg_sym *ss_dbg_find_sym(struct ss_dbg *dbg, const char *name,
					 struct ss_error **err_ret);

/*
 * dwarf_scan.c: one pass over the top-level DIEs of every unit of
 * .debug_info from offset from on, without libdwarf.  Each type definition
 * (struct, union, enum, typedef, base type; declarations skipped) and each
 * enumerator of a top-level enum goes to name() (kind: an ss_type_kind or
 * SS_DWARF_KIND_ENUMERATOR; val: the DIE's .debug_info offset or the
 * enumerator's value) in file order, at least the first time its name is
 * seen (a name may come again: name() keeps the first).  name points into
 * the sections and lives as long as they do.  A unit it cannot read goes
 * to unit() (libdwarf indexes it instead); units skip_unit() says are
 * indexed already are passed over.  An error from a callback stops the
 * pass; so does a corrupt unit header (SS_ERR_FORMAT).
 */
#define SS_DWARF_KIND_ENUMERATOR 64
#define SS_DWARF_NKINDS 6	/* SS_TYPE_STRUCT..SS_TYPE_BASE, enumerator */

struct ss_dwarf_scan_input {
	const char *path;	/* for messages */
	bool msb;
	const unsigned char *info, *abbrev, *str, *line_str, *str_offsets;
	uint64_t info_size, abbrev_size, str_size, line_str_size,
		 str_offsets_size;
	void *arg;
	struct ss_error *(*name)(void *arg, unsigned kind, const char *name,
				 uint64_t val);
	struct ss_error *(*unit)(void *arg, uint64_t unit_off);
	bool (*skip_unit)(void *arg, uint64_t unit_off);
	/* [p, p+len) of .debug_info will not be read again soon. */
	void (*release)(void *arg, const unsigned char *p, uint64_t len);
	/* Stop at this unit offset (0: at the end of .debug_info). */
	uint64_t until;
};

struct ss_error *ss_dwarf_scan(const struct ss_dwarf_scan_input *in,
			       uint64_t from);

/* Implemented in dwarf_types.c. */
struct ss_error *ss_dwarf_open(struct ss_dbg *dbg);  /* sets dbg->dw */
void ss_dwarf_close(struct ss_dbg *dbg);
/* For dwarf_lines.c: libdwarf's handle (a Dwarf_Debug), and the unit
 * .debug_aranges gives for addr (*found false: none, or no aranges). */
void *ss_dwarf_libdwarf(struct ss_dbg *dbg);
struct ss_error *ss_dwarf_unit_of_addr(struct ss_dbg *dbg, uint64_t addr,
				       uint64_t *unit_ret, bool *found);
/* The unit whose header is at unit_off: where the next one starts and
 * the offset of its unit DIE (for walking every unit: from 0 while the
 * offset is below ss_dwarf_info_size()). */
struct ss_error *ss_dwarf_unit(struct ss_dbg *dbg, uint64_t unit_off,
			       uint64_t *next_ret, uint64_t *die_off_ret);
uint64_t ss_dwarf_info_size(struct ss_dbg *dbg);

/* Implemented in dwarf_lines.c. */
void ss_dwarf_lines_close(struct ss_dbg *dbg);
/* Tests: scan the units that are not hints with libdwarf (slow, the
 * reference) instead of dwarf_scan.c. */
void ss_dwarf_set_libdwarf_scan(struct ss_dbg *dbg, bool on);
/* Tests: index every unit, then the number of names in the index and a
 * digest of them (kind, name, DIE offset or value), independent of order. */
struct ss_error *ss_dwarf_index_digest(struct ss_dbg *dbg, size_t *count_ret,
				       uint64_t *digest_ret);

#endif /* SLABSCOPE_DBG_PRIV_H */
