/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Symbolization of code addresses.  Module symbols are not in the vmlinux:
 * they are read from each module's kallsyms (struct mod_kallsyms: an
 * Elf64_Sym array and a string table) on the kernel's `modules` list, once,
 * on first use.  Every pointer of that walk may be garbage: it is bounded
 * and a module that cannot be read is skipped.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/symbolize.h>

#define MAX_MODULES 4096
#define MAX_MODULE_SYMS 200000
#define MODULE_NAME_LEN 56

struct mod_sym {
	uint64_t value, size;
	uint64_t name_addr;
};

struct module_info {
	char name[MODULE_NAME_LEN + 1];
	uint64_t base, size; /* core text */
	uint64_t strtab;
	struct mod_sym *syms;
	size_t nsyms;
};

struct ss_symbolizer {
	const struct ss_target *t;
	bool modules_loaded;
	struct module_info *mods;
	size_t nmods;
};

struct ss_error *ss_symbolizer_create(const struct ss_target *t,
				      struct ss_symbolizer **ret)
{
	struct ss_symbolizer *s = calloc(1, sizeof(*s));
	if (!s)
		return &ss_error_nomem;
	s->t = t;
	*ret = s;
	return NULL;
}

void ss_symbolizer_destroy(struct ss_symbolizer *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nmods; i++)
		free(s->mods[i].syms);
	free(s->mods);
	free(s);
}

struct module_layout_offsets {
	uint64_t list, name, base, size, kallsyms;
	uint64_t ks_symtab, ks_num_symtab, ks_strtab;
};

static struct ss_error *member_off(struct ss_dbg *dbg, const char *type,
				   const char *path, uint64_t *off)
{
	struct ss_member m;
	struct ss_error *err = ss_dbg_member(dbg, SS_TYPE_STRUCT, type, path, &m);
	if (!err)
		*off = m.offset;
	return err;
}

static struct ss_error *resolve_offsets(struct ss_dbg *dbg,
					struct module_layout_offsets *o)
{
	struct ss_error *err = member_off(dbg, "module", "list", &o->list);
	if (!err)
		err = member_off(dbg, "module", "name", &o->name);
	/*
	 * Up to 6.3: core_layout.{base,size}; 6.4+: mem[MOD_TEXT].{base,size}
	 * (struct module_memory, indexed by enum mod_mem_type).  Probed.
	 */
	if (!err) {
		err = member_off(dbg, "module", "core_layout.base", &o->base);
		if (!err)
			err = member_off(dbg, "module", "core_layout.size",
					 &o->size);
		if (err && err->code == SS_ERR_NOTFOUND) {
			ss_error_destroy(err);
			int64_t text = 0;
			err = ss_dbg_enumerator(dbg, "MOD_TEXT", &text);
			char base[48], size[48];
			if (!err && (text < 0 || text > 64))
				err = ss_error_create(SS_ERR_FORMAT,
						      "MOD_TEXT is %" PRId64,
						      text);
			if (!err) {
				snprintf(base, sizeof(base), "mem[%" PRId64 "].base", text);
				snprintf(size, sizeof(size), "mem[%" PRId64 "].size", text);
				err = member_off(dbg, "module", base, &o->base);
			}
			if (!err)
				err = member_off(dbg, "module", size, &o->size);
		}
	}
	if (!err)
		err = member_off(dbg, "module", "kallsyms", &o->kallsyms);
	if (!err)
		err = member_off(dbg, "mod_kallsyms", "symtab", &o->ks_symtab);
	if (!err)
		err = member_off(dbg, "mod_kallsyms", "num_symtab",
				 &o->ks_num_symtab);
	if (!err)
		err = member_off(dbg, "mod_kallsyms", "strtab", &o->ks_strtab);
	return err;
}

struct module_walk {
	struct ss_symbolizer *s;
	const struct module_layout_offsets *o;
	size_t cap;
};

static void load_module(struct module_walk *w, uint64_t mod)
{
	const struct ss_memory *mem = w->s->t->mem;
	const struct module_layout_offsets *o = w->o;
	struct module_info mi;
	memset(&mi, 0, sizeof(mi));
	uint64_t ks, symtab;
	uint32_t num;
	struct ss_error *err = ss_mem_read(mem, mod + o->name, mi.name,
					   MODULE_NAME_LEN);
	if (!err)
		err = ss_mem_read_u64(mem, mod + o->base, &mi.base);
	if (!err) {
		uint32_t size32;
		err = ss_mem_read(mem, mod + o->size, &size32, 4);
		mi.size = size32;
	}
	if (!err)
		err = ss_mem_read_u64(mem, mod + o->kallsyms, &ks);
	if (!err)
		err = ss_mem_read_u64(mem, ks + o->ks_symtab, &symtab);
	if (!err)
		err = ss_mem_read(mem, ks + o->ks_num_symtab, &num, 4);
	if (!err)
		err = ss_mem_read_u64(mem, ks + o->ks_strtab, &mi.strtab);
	if (err || num > MAX_MODULE_SYMS) {
		ss_error_destroy(err);
		return;
	}
	mi.name[MODULE_NAME_LEN] = '\0';
	Elf64_Sym *raw = calloc(num ? num : 1, sizeof(*raw));
	mi.syms = calloc(num ? num : 1, sizeof(*mi.syms));
	if (!raw || !mi.syms ||
	    (num && (err = ss_mem_read(mem, symtab, raw, num * sizeof(*raw))))) {
		ss_error_destroy(err);
		free(raw);
		free(mi.syms);
		return;
	}
	for (uint32_t i = 0; i < num; i++) {
		if (ELF64_ST_TYPE(raw[i].st_info) != STT_FUNC || !raw[i].st_value)
			continue;
		struct mod_sym *ms = &mi.syms[mi.nsyms++];
		ms->value = raw[i].st_value;
		ms->size = raw[i].st_size;
		ms->name_addr = mi.strtab + raw[i].st_name;
	}
	free(raw);
	if (w->s->nmods == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 16;
		struct module_info *n =
			realloc(w->s->mods, ncap * sizeof(*n));
		if (!n) {
			free(mi.syms);
			return;
		}
		w->s->mods = n;
		w->cap = ncap;
	}
	w->s->mods[w->s->nmods++] = mi;
}

static struct ss_error *module_entry(void *arg, uint64_t entry)
{
	struct module_walk *w = arg;
	load_module(w, entry - w->o->list);
	return NULL;
}

static void load_modules(struct ss_symbolizer *s)
{
	s->modules_loaded = true;
	struct module_layout_offsets o;
	uint64_t head;
	struct ss_error *err = resolve_offsets(s->t->dbg, &o);
	if (!err)
		err = ss_target_symbol(s->t, "modules", &head);
	if (!err) {
		struct module_walk w = { .s = s, .o = &o };
		err = ss_list_walk(s->t->mem, head, MAX_MODULES, false,
				   module_entry, &w, NULL);
	}
	/* Without module symbols, module addresses stay numeric. */
	ss_error_destroy(err);
}

static struct ss_error *module_symbolize(struct ss_symbolizer *s,
					 uint64_t addr, char **ret)
{
	if (!s->modules_loaded)
		load_modules(s);
	for (size_t i = 0; i < s->nmods; i++) {
		struct module_info *mi = &s->mods[i];
		if (addr < mi->base || addr - mi->base >= mi->size)
			continue;
		const struct mod_sym *best = NULL;
		for (size_t j = 0; j < mi->nsyms; j++) {
			const struct mod_sym *ms = &mi->syms[j];
			if (ms->value <= addr &&
			    (!best || ms->value > best->value))
				best = ms;
		}
		char name[128] = "";
		if (best) {
			struct ss_error *err = ss_mem_read(
				s->t->mem, best->name_addr, name,
				sizeof(name) - 1);
			if (err) {
				ss_error_destroy(err);
				best = NULL;
			}
			name[sizeof(name) - 1] = '\0';
		}
		int n = best ? asprintf(ret, "%s+0x%" PRIx64 " [%s]", name,
					addr - best->value, mi->name)
			     : asprintf(ret, "0x%" PRIx64 " [%s]", addr,
					mi->name);
		return n < 0 ? &ss_error_nomem : NULL;
	}
	/*
	 * x86_64's module area (MODULES_VADDR..MODULES_END) with no module
	 * covering the address: code that is gone, typically a module's
	 * __init functions, freed once its init returned.
	 */
	if (addr >= 0xffffffffc0000000ULL && addr < 0xffffffffff000000ULL)
		return asprintf(ret, "0x%" PRIx64 " [module area: freed init "
			       "code or an unloaded module]", addr) < 0
			       ? &ss_error_nomem
			       : NULL;
	return ss_error_create(SS_ERR_NOTFOUND,
			       "0x%" PRIx64 " is in no symbol", addr);
}

struct ss_error *ss_symbolize(struct ss_symbolizer *s, uint64_t addr,
			      char **ret)
{
	const char *name;
	uint64_t off;
	*ret = NULL;
	struct ss_error *err = ss_dbg_symbolize(
		s->t->dbg, addr - s->t->kaslr_offset, &name, &off);
	if (!err)
		return asprintf(ret, "%s+0x%" PRIx64, name, off) < 0
			       ? &ss_error_nomem
			       : NULL;
	if (err->code != SS_ERR_NOTFOUND)
		return err;
	ss_error_destroy(err);
	return module_symbolize(s, addr, ret);
}
