/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ELF side of struct ss_dbg: the file mapping, the section table, the
 * symbol table (hashed by name, sorted by address, both built lazily) and
 * static data read by address.  See include/slabscope/dbg.h.
 *
 * The file is opened read-only and mapped privately: nothing is ever
 * written back, and nothing is copied except decompressed debug sections.
 * Every section offset and size is checked against the file size here, so
 * the DWARF side (dwarf_types.c) and libdwarf only ever see bytes that
 * exist.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <slabscope/version.h>

/* _ELFUTILS_VERSION, for --version (libelf-dev ships it) */
#if defined(__has_include)
#if __has_include(<elfutils/version.h>)
#include <elfutils/version.h>
#endif
#endif

#include "dbg_priv.h"
#include "../util/hugemem.h"

#ifndef SHF_COMPRESSED
#define SHF_COMPRESSED (1u << 11)
#endif

static struct ss_error *elf_err(const struct ss_dbg *dbg, const char *what)
{
	return ss_error_create(SS_ERR_FORMAT, "%s: %s: %s", dbg->path, what,
			       elf_errmsg(-1));
}

static struct ss_error *map_file(struct ss_dbg *dbg)
{
	int fd = open(dbg->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ss_error_errno(errno, SS_ERR_IO, "%s: cannot open",
				      dbg->path);
	struct stat st;
	struct ss_error *err = NULL;
	if (fstat(fd, &st) < 0) {
		err = ss_error_errno(errno, SS_ERR_IO, "%s: cannot stat",
				     dbg->path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = ss_error_create(SS_ERR_IO, "%s: not a regular file",
				      dbg->path);
		goto out;
	}
	if ((uint64_t)st.st_size < EI_NIDENT ||
	    (uint64_t)st.st_size > SIZE_MAX) {
		err = ss_error_create(SS_ERR_FORMAT,
				      "%s: not an ELF file (size %lld); "
				      "a vmlinux with debug info is needed",
				      dbg->path, (long long)st.st_size);
		goto out;
	}
	/*
	 * Private and writable only so that libelf may never fault if it
	 * chooses to convert something in place; the file itself is opened
	 * read-only, so nothing can reach it.  MAP_NORESERVE: no swap is
	 * accounted for pages that are never written.
	 */
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_NORESERVE, fd, 0);
	if (map == MAP_FAILED) {
		err = ss_error_errno(errno, SS_ERR_IO, "%s: cannot map",
				     dbg->path);
		goto out;
	}
	dbg->map = map;
	dbg->map_size = (size_t)st.st_size;
	if (memcmp(dbg->map, ELFMAG, SELFMAG) != 0)
		err = ss_error_create(SS_ERR_FORMAT,
				      "%s: not an ELF file; a vmlinux with "
				      "debug info is needed",
				      dbg->path);
out:
	close(fd);
	return err;
}

static bool in_file(const struct ss_dbg *dbg, uint64_t off, uint64_t size)
{
	return off <= dbg->map_size && size <= dbg->map_size - off;
}

static struct ss_error *read_sections(struct ss_dbg *dbg)
{
	Elf *elf = dbg->elf;
	size_t shnum, shstrndx;

	GElf_Ehdr ehdr;
	if (!gelf_getehdr(elf, &ehdr))
		return elf_err(dbg, "bad ELF header");
	if (elf_getshdrnum(elf, &shnum) != 0)
		return elf_err(dbg, "bad section header table");
	/* libelf says 0 sections when their table is cut off: the header
	 * says how many there are. */
	size_t want = shnum ? shnum : ehdr.e_shnum;
	/* libelf checks this too, but say it in words. */
	uint64_t shsize = (uint64_t)want * (dbg->is_64 ? sizeof(Elf64_Shdr)
						       : sizeof(Elf32_Shdr));
	if (shnum == 0 && (want == 0 || in_file(dbg, ehdr.e_shoff, shsize)))
		return NULL;
	if (shnum && elf_getshdrstrndx(elf, &shstrndx) != 0)
		return elf_err(dbg, "bad section name table index");
	if (want > (1u << 24) || !in_file(dbg, ehdr.e_shoff, shsize))
		return ss_error_create(
			SS_ERR_FORMAT,
			"%s: section header table (%zu entries at offset %#llx) lies outside the file (size %zu): truncated file?",
			dbg->path, want, (unsigned long long)ehdr.e_shoff,
			dbg->map_size);

	dbg->sections = calloc(shnum, sizeof(*dbg->sections));
	if (!dbg->sections)
		return &ss_error_nomem;
	dbg->nsections = shnum;

	for (size_t i = 0; i < shnum; i++) {
		struct ss_dbg_section *sec = &dbg->sections[i];
		Elf_Scn *scn = elf_getscn(elf, i);
		GElf_Shdr shdr;
		if (!scn || !gelf_getshdr(scn, &shdr))
			return elf_err(dbg, "bad section header");
		const char *name = elf_strptr(elf, shstrndx, shdr.sh_name);
		sec->name = name ? name : "";
		sec->addr = shdr.sh_addr;
		if (dbg->e_type == ET_REL && (shdr.sh_flags & SHF_ALLOC) &&
		    shdr.sh_size < (UINT64_C(1) << 32))
			sec->addr = SS_DBG_REL_SECTION_ADDR(i);
		sec->offset = shdr.sh_offset;
		sec->size = shdr.sh_size;
		sec->flags = shdr.sh_flags;
		sec->entsize = shdr.sh_entsize;
		sec->type = shdr.sh_type;
		sec->link = shdr.sh_link;
		sec->info = shdr.sh_info;
		if (shdr.sh_type == SHT_NOBITS || shdr.sh_type == SHT_NULL) {
			sec->in_file = false;
		} else if (in_file(dbg, shdr.sh_offset, shdr.sh_size)) {
			sec->in_file = true;
			sec->data = dbg->map + shdr.sh_offset;
		}
	}
	return NULL;
}

static struct ss_error *dbg_open(const char *path, bool need_dwarf,
				 struct ss_dbg **ret)
{
	if (!path || !ret)
		return ss_error_create(SS_ERR_INVALID,
				       "ss_dbg_open: NULL argument");
	*ret = NULL;
	struct ss_dbg *dbg = calloc(1, sizeof(*dbg));
	if (!dbg)
		return &ss_error_nomem;
	dbg->path = strdup(path);
	if (!dbg->path) {
		free(dbg);
		return &ss_error_nomem;
	}

	struct ss_error *err = map_file(dbg);
	if (err)
		goto fail;

	/* Idempotent; libelf's only requirement before elf_memory(). */
	if (elf_version(EV_CURRENT) == EV_NONE) {
		err = elf_err(dbg, "libelf version mismatch");
		goto fail;
	}
	dbg->elf = elf_memory((char *)dbg->map, dbg->map_size);
	if (!dbg->elf) {
		err = elf_err(dbg, "not a usable ELF file");
		goto fail;
	}
	if (elf_kind(dbg->elf) != ELF_K_ELF) {
		err = ss_error_create(SS_ERR_FORMAT,
				      "%s: not an ELF file; a vmlinux with "
				      "debug info is needed",
				      dbg->path);
		goto fail;
	}
	GElf_Ehdr ehdr;
	if (!gelf_getehdr(dbg->elf, &ehdr)) {
		err = elf_err(dbg, "bad ELF header");
		goto fail;
	}
	if (ehdr.e_ident[EI_CLASS] != ELFCLASS32 &&
	    ehdr.e_ident[EI_CLASS] != ELFCLASS64) {
		err = ss_error_create(SS_ERR_FORMAT, "%s: unknown ELF class %u",
				      dbg->path, ehdr.e_ident[EI_CLASS]);
		goto fail;
	}
	if (ehdr.e_ident[EI_DATA] != ELFDATA2LSB &&
	    ehdr.e_ident[EI_DATA] != ELFDATA2MSB) {
		err = ss_error_create(SS_ERR_FORMAT,
				      "%s: unknown ELF byte order %u",
				      dbg->path, ehdr.e_ident[EI_DATA]);
		goto fail;
	}
	dbg->is_64 = ehdr.e_ident[EI_CLASS] == ELFCLASS64;
	dbg->big_endian = ehdr.e_ident[EI_DATA] == ELFDATA2MSB;
	dbg->e_type = ehdr.e_type;
	dbg->e_machine = ehdr.e_machine;

	err = read_sections(dbg);
	if (err)
		goto fail;
	/* A module's DWARF waits until a line is asked for: opening one only
	 * to read its name and build-id relocates nothing. */
	dbg->dwarf_later = !need_dwarf;
	if (need_dwarf)
		err = ss_dwarf_open(dbg);
	if (err)
		goto fail;
	*ret = dbg;
	return NULL;

fail:
	ss_dbg_close(dbg);
	return err;
}

struct ss_error *ss_dbg_open(const char *path, struct ss_dbg **ret)
{
	return dbg_open(path, true, ret);
}

struct ss_error *ss_dbg_open_module(const char *path, struct ss_dbg **ret)
{
	return dbg_open(path, false, ret);
}

bool ss_dbg_need_dwarf(struct ss_dbg *dbg)
{
	if (dbg->dwarf_later) {
		dbg->dwarf_later = false;
		struct ss_error *err = ss_dwarf_open(dbg);
		if (err) {
			/* A module's symbols are of use without its DWARF. */
			ss_error_destroy(err);
			ss_dwarf_close(dbg);
		}
	}
	return dbg->dw != NULL;
}

bool ss_dbg_has_dwarf(struct ss_dbg *dbg)
{
	return dbg && ss_dbg_need_dwarf(dbg);
}

void ss_dbg_close(struct ss_dbg *dbg)
{
	if (!dbg)
		return;
	ss_dwarf_lines_close(dbg);
	ss_dwarf_close(dbg);
	for (size_t i = 0; i < dbg->nsections; i++)
		free(dbg->sections[i].relocated);
	ss_hugemem_free(dbg->syms);
	free(dbg->sym_hash);
	free(dbg->sym_by_addr);
	free(dbg->sections);
	if (dbg->elf)
		elf_end(dbg->elf);
	if (dbg->map)
		munmap(dbg->map, dbg->map_size);
	free(dbg->path);
	free(dbg);
}

const char *ss_dbg_path(const struct ss_dbg *dbg)
{
	return dbg ? dbg->path : NULL;
}

enum ss_arch ss_dbg_arch(const struct ss_dbg *dbg)
{
	if (!dbg || !dbg->is_64 || dbg->big_endian)
		return SS_ARCH_UNKNOWN;
	switch (dbg->e_machine) {
	case EM_X86_64: return SS_ARCH_X86_64;
	case EM_AARCH64: return SS_ARCH_AARCH64;
	default: return SS_ARCH_UNKNOWN;
	}
}

const char *ss_arch_name(enum ss_arch a)
{
	switch (a) {
	case SS_ARCH_X86_64: return "x86_64";
	case SS_ARCH_AARCH64: return "aarch64";
	default: return "unknown";
	}
}

/* ---- debug sections, for dwarf_types.c ---- */

static struct ss_dbg_section *find_section(struct ss_dbg *dbg,
					   const char *name, size_t *idx_ret)
{
	for (size_t i = 1; i < dbg->nsections; i++) {
		if (strcmp(dbg->sections[i].name, name) == 0) {
			*idx_ret = i;
			return &dbg->sections[i];
		}
	}
	return NULL;
}

struct ss_error *ss_dbg_debug_section(struct ss_dbg *dbg, const char *name,
				      const unsigned char **data_ret,
				      uint64_t *size_ret)
{
	*data_ret = NULL;
	*size_ret = 0;
	size_t idx;
	bool gnu = false;
	struct ss_dbg_section *sec = find_section(dbg, name, &idx);
	if (!sec && strncmp(name, ".debug_", 7) == 0) {
		char zname[64];
		if ((size_t)snprintf(zname, sizeof(zname), ".z%s", name + 1) <
		    sizeof(zname)) {
			sec = find_section(dbg, zname, &idx);
			gnu = sec != NULL;
		}
	}
	if (!sec || sec->type == SHT_NOBITS || sec->size == 0)
		return NULL;
	if (!sec->in_file && !sec->data)
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: section %s (offset %#llx, size %#llx) lies outside the file (size %#zx): truncated file?",
				       dbg->path, sec->name,
				       (unsigned long long)sec->offset,
				       (unsigned long long)sec->size,
				       dbg->map_size);
	if (gnu || (sec->flags & SHF_COMPRESSED)) {
		/*
		 * Decompress once, into a buffer owned by libelf (freed by
		 * elf_end()); afterwards the section looks uncompressed.
		 */
		Elf_Scn *scn = elf_getscn(dbg->elf, idx);
		int r = gnu ? elf_compress_gnu(scn, 0, 0)
			    : elf_compress(scn, 0, 0);
		Elf_Data *d = r < 0 ? NULL : elf_getdata(scn, NULL);
		if (!d || (d->d_size && !d->d_buf))
			return ss_error_create(SS_ERR_FORMAT,
					       "%s: cannot decompress section %s: %s",
					       dbg->path, sec->name,
					       elf_errmsg(-1));
		sec->data = d->d_buf;
		sec->size = d->d_size;
		sec->flags &= ~(uint64_t)SHF_COMPRESSED;
		/* Not a .zdebug section any more. */
		sec->name = name;
	}
	if (dbg->e_type == ET_REL && !sec->reloc_done) {
		struct ss_error *err = ss_dbg_relocate(dbg, idx);
		if (err)
			return err;
	}
	*data_ret = sec->data;
	*size_ret = sec->size;
	return NULL;
}

void ss_dbg_release(struct ss_dbg *dbg, const void *p, uint64_t len)
{
	uintptr_t start = (uintptr_t)p, base = (uintptr_t)dbg->map;
	if (start < base || start - base > dbg->map_size ||
	    len > dbg->map_size - (start - base))
		return;		/* not in the mapping (decompressed) */
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t page = pg > 0 ? (uintptr_t)pg : 4096;
	uintptr_t lo = (start + page - 1) & ~(page - 1);
	uintptr_t hi = (start + len) & ~(page - 1);
	/*
	 * Nothing in these pages was ever written (libelf does not touch
	 * debug sections), so dropping the private mapping's pages loses
	 * nothing.  Failure only costs memory.
	 */
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

/* ---- symbols ---- */

static uint32_t hash_name(const char *s)
{
	/* FNV-1a */
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* Rank for choosing between symbols of the same name: higher wins. */
static int bind_rank(uint8_t bind)
{
	switch (bind) {
	case STB_GLOBAL: return 3;
	case STB_WEAK: return 2;
	case STB_GNU_UNIQUE: return 2;
	default: return 1;
	}
}

static struct ss_error *load_syms(struct ss_dbg *dbg)
{
	if (dbg->syms_loaded)
		return NULL;

	size_t symidx = 0;
	for (size_t i = 1; i < dbg->nsections; i++) {
		if (dbg->sections[i].type == SHT_SYMTAB) {
			symidx = i;
			break;
		}
		if (dbg->sections[i].type == SHT_DYNSYM && !symidx)
			symidx = i;
	}
	if (!symidx) {
		dbg->syms_loaded = true;
		return NULL;
	}
	struct ss_dbg_section *sec = &dbg->sections[symidx];
	if (!sec->in_file || sec->link == 0 || sec->link >= dbg->nsections ||
	    !dbg->sections[sec->link].in_file)
		return ss_error_create(SS_ERR_FORMAT,
				       "%s: symbol table %s or its string table lies outside the file: truncated file?",
				       dbg->path, sec->name);

	Elf_Scn *scn = elf_getscn(dbg->elf, symidx);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	if (!data)
		return elf_err(dbg, "cannot read the symbol table");
	size_t entsize = gelf_fsize(dbg->elf, ELF_T_SYM, 1, EV_CURRENT);
	size_t n = entsize ? data->d_size / entsize : 0;

	struct ss_dbg_sym *syms = ss_hugemem_calloc(n ? n : 1, sizeof(*syms));
	if (!syms)
		return &ss_error_nomem;
	size_t nsyms = 0;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, (int)i, &sym))
			break;
		uint8_t type = GELF_ST_TYPE(sym.st_info);
		if (type == STT_SECTION || type == STT_FILE ||
		    sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_COMMON ||
		    sym.st_name == 0)
			continue;
		const char *name = elf_strptr(dbg->elf, sec->link,
					      sym.st_name);
		/* '$x', '$d': ARM mapping symbols. */
		if (!name || !name[0] || name[0] == '$')
			continue;
		struct ss_dbg_sym *s = &syms[nsyms++];
		s->value = sym.st_value;
		s->shndx = sym.st_shndx;
		/* A relocatable file's values are offsets in their section. */
		if (dbg->e_type == ET_REL && sym.st_shndx < dbg->nsections)
			s->value += dbg->sections[sym.st_shndx].addr;
		s->size = sym.st_size;
		s->name = name;
		s->hash = hash_name(name);
		s->type = type;
		s->bind = GELF_ST_BIND(sym.st_info);
		s->abs = sym.st_shndx == SHN_ABS;
	}

	size_t cap = 16;
	while (cap < 2 * nsyms)
		cap *= 2;
	uint32_t *tab = calloc(cap, sizeof(*tab));
	if (!tab) {
		ss_hugemem_free(syms);
		return &ss_error_nomem;
	}
	for (size_t i = 0; i < nsyms; i++) {
		size_t j = syms[i].hash & (cap - 1);
		for (;; j = (j + 1) & (cap - 1)) {
			if (!tab[j]) {
				tab[j] = (uint32_t)i + 1;
				break;
			}
			struct ss_dbg_sym *o = &syms[tab[j] - 1];
			if (o->hash == syms[i].hash &&
			    strcmp(o->name, syms[i].name) == 0) {
				if (bind_rank(syms[i].bind) >
				    bind_rank(o->bind))
					tab[j] = (uint32_t)i + 1;
				break;
			}
		}
	}
	dbg->syms = syms;
	dbg->nsyms = nsyms;
	dbg->sym_hash = tab;
	dbg->sym_hash_mask = cap - 1;
	dbg->syms_loaded = true;
	return NULL;
}

const struct ss_dbg_sym *ss_dbg_find_sym(struct ss_dbg *dbg, const char *name,
					 struct ss_error **err_ret)
{
	*err_ret = load_syms(dbg);
	if (*err_ret || !dbg->sym_hash)
		return NULL;
	uint32_t h = hash_name(name);
	for (size_t j = h & dbg->sym_hash_mask; dbg->sym_hash[j];
	     j = (j + 1) & dbg->sym_hash_mask) {
		const struct ss_dbg_sym *s = &dbg->syms[dbg->sym_hash[j] - 1];
		if (s->hash == h && strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

/* The symbol name, or SS_ERR_NOTFOUND saying the table lacks it. */
static struct ss_error *named_sym(struct ss_dbg *dbg, const char *name,
				  const struct ss_dbg_sym **ret)
{
	struct ss_error *err;
	*ret = ss_dbg_find_sym(dbg, name, &err);
	if (err)
		return err;
	if (!*ret)
		return ss_error_create(SS_ERR_NOTFOUND,
				       "%s: no symbol %s in the symbol table",
				       dbg->path, name);
	return NULL;
}

struct ss_error *ss_dbg_symbol(struct ss_dbg *dbg, const char *name,
			       uint64_t *addr_ret)
{
	if (!dbg || !name || !addr_ret)
		return ss_error_create(SS_ERR_INVALID,
				       "ss_dbg_symbol: NULL argument");
	const struct ss_dbg_sym *s;
	struct ss_error *err = named_sym(dbg, name, &s);
	if (err)
		return err;
	*addr_ret = s->value;
	return NULL;
}

/* Sort key for symbolizing: address, then sized first, then global first. */
struct addr_key {
	uint64_t value;
	uint32_t idx;
	uint8_t unsized;
	uint8_t rank;
};

static int cmp_addr_key(const void *a, const void *b)
{
	const struct addr_key *x = a, *y = b;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	if (x->unsized != y->unsized)
		return x->unsized < y->unsized ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static struct ss_error *build_by_addr(struct ss_dbg *dbg)
{
	if (dbg->sym_by_addr_built)
		return NULL;
	struct ss_error *err = load_syms(dbg);
	if (err)
		return err;
	size_t cap = dbg->nsyms ? dbg->nsyms : 1;
	struct addr_key *keys = malloc(cap * sizeof(*keys));
	uint32_t *v = malloc(cap * sizeof(*v));
	if (!keys || !v) {
		free(keys);
		free(v);
		return &ss_error_nomem;
	}
	size_t n = 0;
	for (size_t i = 0; i < dbg->nsyms; i++) {
		const struct ss_dbg_sym *s = &dbg->syms[i];
		if (s->abs)
			continue;
		if (s->type != STT_FUNC && s->type != STT_OBJECT &&
		    s->type != STT_NOTYPE && s->type != STT_GNU_IFUNC)
			continue;
		keys[n].value = s->value;
		keys[n].idx = (uint32_t)i;
		keys[n].unsized = s->size == 0;
		/* In a module, a global at a local's address is the alias
		 * module_init()/module_exit() make (init_module of
		 * ssfx_init): the local is the function's own name. */
		keys[n].rank =
			(uint8_t)(dbg->e_type == ET_REL ? 4 - bind_rank(s->bind)
							: bind_rank(s->bind));
		n++;
	}
	qsort(keys, n, sizeof(*keys), cmp_addr_key);
	for (size_t i = 0; i < n; i++)
		v[i] = keys[i].idx;
	free(keys);
	dbg->sym_by_addr = v;
	dbg->nsym_by_addr = n;
	dbg->sym_by_addr_built = true;
	return NULL;
}

static bool contains(const struct ss_dbg_sym *s, uint64_t addr)
{
	return s->size && addr >= s->value && addr - s->value < s->size;
}

struct ss_error *ss_dbg_symbolize(struct ss_dbg *dbg, uint64_t addr,
				  const char **name_ret, uint64_t *offset_ret)
{
	if (!dbg || !name_ret || !offset_ret)
		return ss_error_create(SS_ERR_INVALID,
				       "ss_dbg_symbolize: NULL argument");
	struct ss_error *err = build_by_addr(dbg);
	if (err)
		return err;

	/* First index whose value is > addr. */
	size_t lo = 0, hi = dbg->nsym_by_addr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (dbg->syms[dbg->sym_by_addr[mid]].value <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	const struct ss_dbg_sym *found = NULL;
	if (lo > 0) {
		/* The group of symbols at the nearest address below. */
		uint64_t v = dbg->syms[dbg->sym_by_addr[lo - 1]].value;
		size_t g = lo;
		while (g > 0 && dbg->syms[dbg->sym_by_addr[g - 1]].value == v)
			g--;
		for (size_t i = g; i < lo && !found; i++) {
			const struct ss_dbg_sym *s =
				&dbg->syms[dbg->sym_by_addr[i]];
			if (contains(s, addr))
				found = s;
		}
		for (size_t i = g; i < lo && !found; i++) {
			const struct ss_dbg_sym *s =
				&dbg->syms[dbg->sym_by_addr[i]];
			if (!s->size &&
			    addr - s->value <= SS_DBG_SYMBOLIZE_MAX_DISTANCE)
				found = s;
		}
		/* A larger symbol enclosing smaller ones (rare). */
		for (size_t i = g, k = 0; i > 0 && k < 64 && !found; i--, k++) {
			const struct ss_dbg_sym *s =
				&dbg->syms[dbg->sym_by_addr[i - 1]];
			if (contains(s, addr))
				found = s;
		}
	}
	if (!found) {
		err = ss_error_create(SS_ERR_NOTFOUND,
				      "%s: no symbol at address %#llx",
				      dbg->path, (unsigned long long)addr);
		if (err != &ss_error_nomem)
			err->address = addr;
		return err;
	}
	*name_ret = found->name;
	*offset_ret = addr - found->value;
	return NULL;
}

/* ---- static data ---- */

struct ss_error *ss_dbg_read_static(struct ss_dbg *dbg, uint64_t addr,
				    void *buf, size_t len)
{
	if (!dbg || (!buf && len))
		return ss_error_create(SS_ERR_INVALID,
				       "ss_dbg_read_static: NULL argument");
	unsigned char *out = buf;
	uint64_t cur = addr;
	while (len > 0) {
		const struct ss_dbg_section *hit = NULL;
		for (size_t i = 1; i < dbg->nsections; i++) {
			const struct ss_dbg_section *s = &dbg->sections[i];
			if (!(s->flags & SHF_ALLOC) || s->size == 0)
				continue;
			if (cur >= s->addr && cur - s->addr < s->size) {
				hit = s;
				if (s->type != SHT_NOBITS && s->in_file)
					break;
			}
		}
		if (!hit || hit->type == SHT_NOBITS || !hit->in_file) {
			struct ss_error *err = ss_error_create(
				SS_ERR_NOTFOUND,
				"%s: address %#llx (reading %zu bytes at %#llx) is %s",
				dbg->path, (unsigned long long)cur, len,
				(unsigned long long)addr,
				!hit ? "not in any allocated section"
				: hit->type == SHT_NOBITS
				? "in a section without file contents (.bss)"
				: "in a section that lies outside the file");
			if (err != &ss_error_nomem)
				err->address = cur;
			return err;
		}
		uint64_t off = cur - hit->addr;
		uint64_t n = hit->size - off;
		if (n > len)
			n = len;
		memcpy(out, hit->data + off, (size_t)n);
		out += n;
		cur += n;
		len -= (size_t)n;
	}
	return NULL;
}

/* elfutils' libelf has no run-time version query (elf_version() is the
 * ELF format's): the version of the headers compiled against. */
#define SS_STR2(x) #x
#define SS_STR(x) SS_STR2(x)

struct ss_library_version ss_dbg_elf_version(void)
{
#if defined(_ELFUTILS_VERSION) && _ELFUTILS_VERSION < 1000
	/* 188: elfutils 0.188 */
	return (struct ss_library_version){ "libelf (elfutils)",
					    "0." SS_STR(_ELFUTILS_VERSION),
					    true };
#else
	return (struct ss_library_version){ "libelf (elfutils)", "unknown",
					    true };
#endif
}

/* ---- sections, build-id ---- */

static void section_info(const struct ss_dbg_section *s,
			 struct ss_dbg_section_info *ret)
{
	ret->name = s->name;
	ret->addr = s->addr;
	ret->size = s->size;
	ret->data = s->type != SHT_NOBITS && s->in_file ? s->data : NULL;
}

struct ss_error *ss_dbg_section(struct ss_dbg *dbg, const char *name,
				struct ss_dbg_section_info *ret)
{
	size_t idx;
	const struct ss_dbg_section *s = find_section(dbg, name, &idx);
	if (!s)
		return ss_error_create(SS_ERR_NOTFOUND, "%s: no section %s",
				       dbg->path, name);
	section_info(s, ret);
	return NULL;
}

struct ss_error *ss_dbg_symbol_section(struct ss_dbg *dbg, const char *name,
				       uint64_t *addr_ret, uint64_t *size_ret,
				       struct ss_dbg_section_info *sec_ret)
{
	const struct ss_dbg_sym *s;
	struct ss_error *err = named_sym(dbg, name, &s);
	if (err)
		return err;
	if (s->shndx == 0 || s->shndx >= dbg->nsections)
		return ss_error_create(SS_ERR_NOTFOUND,
				       "%s: symbol %s is in no section",
				       dbg->path, name);
	*addr_ret = s->value;
	*size_ret = s->size;
	section_info(&dbg->sections[s->shndx], sec_ret);
	return NULL;
}

/* One note's fields (ELF gABI: namesz, descsz, type, then the name and
 * the descriptor, each padded to 4 bytes). */
static uint32_t note_word(const struct ss_dbg *dbg, const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	if (dbg->big_endian)
		v = __builtin_bswap32(v);
	return v;
}

struct ss_error *ss_dbg_build_id(struct ss_dbg *dbg, uint8_t *buf, size_t max,
				 size_t *len_ret)
{
	*len_ret = 0;
	for (size_t i = 1; i < dbg->nsections; i++) {
		const struct ss_dbg_section *s = &dbg->sections[i];
		if (s->type != SHT_NOTE || !s->in_file)
			continue;
		uint64_t pos = 0;
		while (s->size - pos >= 12) {
			const unsigned char *p = s->data + pos;
			uint64_t namesz = note_word(dbg, p);
			uint64_t descsz = note_word(dbg, p + 4);
			uint32_t type = note_word(dbg, p + 8);
			uint64_t name_pad = (namesz + 3) & ~UINT64_C(3);
			uint64_t desc_pad = (descsz + 3) & ~UINT64_C(3);
			if (name_pad > s->size - pos - 12 ||
			    desc_pad > s->size - pos - 12 - name_pad)
				break;
			if (type == NT_GNU_BUILD_ID && namesz == 4 &&
			    memcmp(p + 12, "GNU", 4) == 0 && descsz &&
			    descsz <= max) {
				memcpy(buf, p + 12 + name_pad, descsz);
				*len_ret = descsz;
				return NULL;
			}
			pos += 12 + name_pad + desc_pad;
		}
	}
	return ss_error_create(SS_ERR_NOTFOUND, "%s: no GNU build-id note",
			       dbg->path);
}
