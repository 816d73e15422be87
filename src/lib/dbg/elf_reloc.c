/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Relocations of a relocatable file's debug sections (a kernel module's
 * .ko): its DWARF holds zeros where code addresses, and offsets into the
 * other debug sections, are; the .rela.debug_* sections say what goes
 * there.  They are applied to a copy, with every allocated section at its
 * own address (SS_DBG_REL_SECTION_ADDR), so that a line of .init.text and
 * one of .text are told apart.
 *
 * Every offset, symbol index and size comes from the file and is checked:
 * a relocation that does not fit is skipped, never applied out of bounds.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "dbg_priv.h"

/* The value the symbol of a relocation stands for. */
static uint64_t symbol_value(const struct ss_dbg *dbg,
			     const struct ss_dbg_section *symtab, uint64_t symi)
{
	Elf64_Sym sym;
	if (symi >= symtab->size / sizeof(sym))
		return 0;
	memcpy(&sym, symtab->data + symi * sizeof(sym), sizeof(sym));
	if (sym.st_shndx == SHN_ABS)
		return sym.st_value;
	if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= dbg->nsections)
		return 0; /* a kernel symbol: no address here */
	/* A debug section's own symbol: offsets within it (its address is
	 * 0); a code section's: its address plus the offset. */
	return dbg->sections[sym.st_shndx].addr + sym.st_value;
}

static void put_le(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The width of an absolute relocation of the machine's (the only kind
 * DWARF sections need), 0 for any other. */
static unsigned abs_width(uint16_t machine, uint64_t type)
{
	if (machine == EM_X86_64)
		return type == R_X86_64_64			     ? 8
		       : type == R_X86_64_32 || type == R_X86_64_32S ? 4
								     : 0;
	if (machine == EM_AARCH64)
		return type == R_AARCH64_ABS64	 ? 8
		       : type == R_AARCH64_ABS32 ? 4
						 : 0;
	return 0;
}

static void apply(const struct ss_dbg *dbg, const struct ss_dbg_section *rela,
		  const struct ss_dbg_section *symtab, unsigned char *out,
		  uint64_t size)
{
	uint64_t n = rela->size / sizeof(Elf64_Rela);
	for (uint64_t i = 0; i < n; i++) {
		Elf64_Rela r;
		memcpy(&r, rela->data + i * sizeof(r), sizeof(r));
		unsigned width =
			abs_width(dbg->e_machine, ELF64_R_TYPE(r.r_info));
		/* PC-relative ones are .debug_frame's and .eh_frame's, which
		 * nothing here reads. */
		if (!width)
			continue;
		if (r.r_offset > size || size - r.r_offset < width)
			continue;
		uint64_t v = symbol_value(dbg, symtab, ELF64_R_SYM(r.r_info)) +
			     (uint64_t)r.r_addend;
		put_le(out + r.r_offset, v, width);
	}
}

struct ss_error *ss_dbg_relocate(struct ss_dbg *dbg, size_t idx)
{
	struct ss_dbg_section *sec = &dbg->sections[idx];
	sec->reloc_done = true;
	bool any = false;
	for (size_t i = 1; i < dbg->nsections; i++)
		any |= dbg->sections[i].type == SHT_RELA &&
		       dbg->sections[i].info == idx;
	if (!any || !sec->data)
		return NULL;
	if (!dbg->is_64 || dbg->big_endian ||
	    (dbg->e_machine != EM_X86_64 && dbg->e_machine != EM_AARCH64))
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: relocations of %s: only x86_64 "
				       "and arm64 modules are supported",
				       dbg->path, sec->name);
	unsigned char *out = malloc(sec->size ? sec->size : 1);
	if (!out)
		return &ss_error_nomem;
	memcpy(out, sec->data, sec->size);
	for (size_t i = 1; i < dbg->nsections; i++) {
		const struct ss_dbg_section *rela = &dbg->sections[i];
		if (rela->type != SHT_RELA || rela->info != idx ||
		    !rela->in_file || rela->link >= dbg->nsections)
			continue;
		const struct ss_dbg_section *symtab =
			&dbg->sections[rela->link];
		if (symtab->type != SHT_SYMTAB || !symtab->in_file)
			continue;
		apply(dbg, rela, symtab, out, sec->size);
	}
	sec->relocated = out;
	sec->data = out;
	return NULL;
}
